"""Fixtures for the reader tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ingest_helpers import DATA

from bilat.config import Settings


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A fresh copy of the hand-written fixtures, to which a test adds one bad file."""
    target = tmp_path / "corpus"
    shutil.copytree(DATA, target)
    return target
