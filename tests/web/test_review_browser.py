"""Issue 18, acceptance 1, the review flow in headless Chromium on a copy of the demo store: open the review
queue, correct the least confident event's type on its page, see the trend and the export change, extract
its document again (re-ingest), and see the correction still applied. Screenshots to docs/screenshots."""
import csv
import io
import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def _point(trend: dict, period: str) -> dict:
    return next(p for p in trend["series"][0]["points"] if p["period"] == period)


def _quarter(day: str) -> str:
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"


def _reingest(db: Path, doc_id: str) -> None:
    """Extract one document again, as a new extraction does: its rows go, the file is read and analysed
    anew (new indices, clusters recomputed); the corrections table is not touched."""
    from bilat.engines.local import ingest
    from bilat.store.writer import connect

    con = connect(db)
    origin = con.execute("SELECT origin FROM documents WHERE doc_id = ?", [doc_id]).fetchone()[0]
    for table in ("events", "mentions", "sentences", "quantities", "removed", "documents"):
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])  # noqa: S608 - fixed names
    con.close()
    path = Path(origin) if Path(origin).is_absolute() else ROOT / origin
    report = ingest([str(path)], str(db))
    assert report.ingested == 1


def test_correct_an_event_type_in_the_dashboard(browser, serve, demo_db, shot, tmp_path):
    from bilat.server import create_app
    from bilat.store.export import export
    from bilat.store.writer import connect

    db = tmp_path / "review.duckdb"
    shutil.copy(demo_db, db)
    app = create_app(db, index_path=tmp_path / "search.sqlite", review=True)
    with serve(app) as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, base_url=url)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto("/review")
        first = page.locator("#review-queue tbody tr").first
        confidences = [float(t) for t in page.locator("#review-queue tbody tr td:first-child").all_inner_texts()
                       if t != "rules"]
        assert confidences == sorted(confidences)  # least confident first
        shot(page, "review")
        first.locator("a.tag").click()
        page.wait_for_url("**/events/**")
        key = page.url.split("/events/")[1].split("#")[0]
        reports = page.request.get(f"/api/events/{key}").json()["reports"]
        old = reports[0]
        new_type = "PROTEST" if old["type"] != "PROTEST" else "ACCUSE"
        dyad = "-".join(sorted((old["source"], old["target"])))
        quarter = _quarter(old["date"])
        before = _point(page.request.get(f"/api/trend?series={dyad}&bin=quarter").json(), quarter)

        page.select_option("#correct-action", "retype")
        page.select_option("#correct-type", new_type)
        page.fill("#correct-by", "analyst")
        page.fill("#correct-why", "a protest note handed over, not talks")
        page.locator("#correct").scroll_into_view_if_needed()
        shot(page, "review-correct")
        page.click("#correct-submit")
        page.wait_for_url("**corrected=*")
        assert page.locator("#corrected-notice").is_visible()
        assert page.locator("h1").inner_text().startswith(new_type)
        assert page.locator("article.report .flag.corrected").count() == len(reports)

        # the trend: the event counts with its new type in its quarter
        after = _point(page.request.get(f"/api/trend?series={dyad}&bin=quarter").json(), quarter)
        assert after["net"] != before["net"] and after["events"] == before["events"]
        page.goto(f"/trends?series={dyad}&bin=quarter&period={quarter}")
        why = page.locator("#why")
        assert why.locator(f"article.why-event .tag:text-is('{new_type}')").count() >= 1
        # the export: the dashboard's download and the store's export carry the new type and the flag
        rows = list(csv.DictReader(io.StringIO(page.request.get(f"/api/download/events.csv?dyad={dyad}").text())))
        mine = [r for r in rows if r["event_key"] == key]
        assert mine and all(r["type"] == new_type and r["corrected"] == "true" for r in mine)
        assert errors == []
        ctx.close()
    app.state.bilat.events.close()
    app.state.bilat.con.close()

    def exported() -> list[dict]:
        con = connect(db, read_only=True)
        try:
            export(con, tmp_path / "out", "jsonl")
        finally:
            con.close()
        lines = (tmp_path / "out" / "events.jsonl").read_text().splitlines()
        return [r for r in map(json.loads, lines) if r["doc_id"] == old["doc_id"] and r["sentence"] is not None]

    assert any(r["type"] == new_type and r["corrected"] for r in exported())

    # re-ingest: the document is extracted again and the correction applies to the new rows
    _reingest(db, old["doc_id"])
    assert any(r["type"] == new_type and r["corrected"] for r in exported())
    app = create_app(db, index_path=tmp_path / "search2.sqlite")
    with serve(app) as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, base_url=url)
        page = ctx.new_page()
        found = page.request.get(f"/api/events?dyad={dyad}&type={new_type}&limit=500").json()["items"]
        again = [e for e in found if e["doc_id"] == old["doc_id"] and e["corrected"]]
        assert again, "the correction is lost after re-ingesting"
        page.goto(f"/events/{again[0]['event_key']}")
        assert page.locator("h1").inner_text().startswith(new_type)
        assert page.locator("article.report .flag.corrected").count() >= 1
        ctx.close()
    app.state.bilat.events.close()
    app.state.bilat.con.close()
