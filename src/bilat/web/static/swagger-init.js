// The interactive REST API docs (/api/docs): Swagger UI from the installed swagger-ui-bundle package,
// started from this file because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
  });
})();
