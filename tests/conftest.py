import shutil

import pytest

from bilat_paths import DEMO, SEEDS


@pytest.fixture(scope="session")
def pipeline():
    """One loaded pipeline (spaCy model, knowledge base, rules) for the whole test session."""
    from bilat.pipeline import Pipeline

    return Pipeline()


def need_seeds():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, pipeline):
    """The demo corpus ingested once per test session (read-only use)."""
    from bilat.engines.local import ingest

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    ingest([str(DEMO)], str(db), pipeline=pipeline)
    return db
