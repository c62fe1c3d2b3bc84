// Draws every chart whose figure spec sits in a <script type="application/json"> block
// (no inline scripts: the Content-Security-Policy allows only scripts from this server).
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll(".chart[data-src]").forEach(function (el) {
      var src = document.getElementById(el.dataset.src);
      if (!src) { return; }
      var fig = JSON.parse(src.textContent);
      // topojsonURL: the map's world outline is served by bilat itself, never by a CDN
      Plotly.newPlot(el, fig.data, fig.layout, {displaylogo: false, responsive: true,
        topojsonURL: "/static/"}).then(function () {
        el.classList.add("drawn");
      });
      el.on("plotly_click", function (ev) {
        var url = ev.points && ev.points[0] && ev.points[0].customdata;
        if (typeof url === "string" && url.charAt(0) === "/") { window.location.assign(url); }
      });
    });
  }
  function scrollToHighlight() {
    var hl = document.querySelector(".doctext .hl");
    if (hl && !window.location.hash) { hl.scrollIntoView({block: "center"}); }
  }
  function cleanForms() {
    // blank fields stay out of the URL, so a shared link names only the filters in use
    document.querySelectorAll("form.filters").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("input, select").forEach(function (el) {
          if (el.name && el.value === "") { el.disabled = true; }
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(); scrollToHighlight(); cleanForms(); });
})();
