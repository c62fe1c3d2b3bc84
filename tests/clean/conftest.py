"""Shared fixtures for the cleaning tests: the packaged rules, loaded once per session."""
from __future__ import annotations

import pytest

from bilat.clean import Cleaner
from bilat.clean.dates import DateInferrer
from bilat.config import Settings
from bilat.model import Document, RawDocument


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.fixture(scope="session")
def inferrer() -> DateInferrer:
    return DateInferrer()


@pytest.fixture(scope="session")
def clean_text(cleaner: Cleaner):
    def run(text: str, url: str | None = None, doc_id: str = "t") -> Document:
        return cleaner.clean(RawDocument(doc_id, "test", "txt", text=text, url=url), Settings())
    return run
