import logging
import os
import socket
import threading
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "corpus"
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
logger = logging.getLogger(__name__)


def _chromium() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo corpus ingested once for all browser tests (the real pipeline, as `bilat ingest` runs it)."""
    if os.environ.get("BILAT_TEST_DEMO_DB"):  # an already ingested demo store, to iterate on the pages faster
        return Path(os.environ["BILAT_TEST_DEMO_DB"])
    db = tmp_path_factory.mktemp("demo") / "bilat.duckdb"
    try:
        from bilat.config import Settings
        from bilat.engines.local import ingest

        report = ingest([str(DEMO)], str(db), Settings())
        if report.ingested == 0:
            raise RuntimeError("nothing ingested")
        return db
    except Exception as exc:  # noqa: BLE001 - while the pipeline is being integrated, use the synthetic store
        from make_big_db import write_sample

        warnings.warn(f"demo ingest failed ({type(exc).__name__}: {exc}); browser tests run on the synthetic "
                      "sample store", stacklevel=1)
        fallback = db.with_name("sample.duckdb")
        return write_sample(fallback, 12)


@contextmanager
def serving(app):
    """uvicorn serving ``app`` on a free 127.0.0.1 port in a thread; yields the base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve():
    """``serving`` for tests that serve a store of their own."""
    return serving


@pytest.fixture(scope="session")
def server(demo_db, tmp_path_factory):
    """The demo store served for the session; yields the base URL."""
    from bilat.server import create_app

    with serving(create_app(demo_db, index_path=tmp_path_factory.mktemp("idx") / "search.sqlite")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    path = _chromium()
    if path is None:
        pytest.skip("chromium is not installed (run `bash scripts/install-browser.sh`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def context(browser, server):
    """One browser context for the session, so plotly.min.js is fetched once and cached."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1100}, base_url=server)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A fresh page that records console errors (CSP violations show up there) and failed requests."""
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("requestfailed", lambda r: pg.errors.append(f"failed {r.url}"))
    yield pg
    pg.close()


@pytest.fixture(scope="session")
def shot():
    """Save a full-page screenshot as docs/screenshots/<name>.png."""

    def save(page, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))  # the viewport: long tables make full pages unreadable

    return save
