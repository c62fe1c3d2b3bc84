import shutil
import pytest

from bilat_paths import SEEDS


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
