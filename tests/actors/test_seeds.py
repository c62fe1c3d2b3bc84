"""Quality gate on the seed articles and checks against the real knowledge base.

The seeds are read from ../shared at test time (skipped when absent); the floors are
pinned a little under the measured figures so a regression fails the test.
"""
from __future__ import annotations

import pytest

from bilat.actors.roles import tenure_year_range
from bilat.model import DatedValue, Document

from .seedmeasure import GOLD, SEEDS, measure

RECALL_FLOOR = 0.95
COUNTRY_FLOOR = 1.0


@pytest.fixture(scope="module")
def parsed() -> dict:
    """Seed text -> spaCy doc, shared by the two seed tests."""
    return {}


def _link(linker, nlp, text, day=None):
    doc = Document("t", "t", "txt", text, published=DatedValue(day, "day", "metadata") if day else None)
    return linker.link(doc, nlp(text))


def test_seed_actor_recall_and_country_accuracy(nlp, real_kb, parsed):
    if not SEEDS.is_dir() or not GOLD.exists():
        pytest.skip("../shared seeds are not beside the checkout")
    figures = measure(nlp, real_kb, surface=True, parsed=parsed)
    assert figures["recall"] >= RECALL_FLOOR, figures["misses"]
    assert figures["country_accuracy"] >= COUNTRY_FLOOR, figures["misses"]


def test_seed_actor_recall_with_canonical_names(nlp, real_kb, parsed):
    if not SEEDS.is_dir() or not GOLD.exists():
        pytest.skip("../shared seeds are not beside the checkout")
    figures = measure(nlp, real_kb, parsed=parsed)
    assert figures["recall"] >= 0.9
    assert figures["country_accuracy"] >= COUNTRY_FLOOR


def test_tenure_of_a_titled_minister_bounds_an_undated_text(nlp, real_kb, real_linker):
    mentions = _link(real_linker, nlp, "Foreign Minister Khamrokhon Zarifi received the envoy.")
    assert tenure_year_range(mentions, real_kb) == (2006, 2013)


def test_real_kb_role_description_by_date(nlp, real_linker):
    early = _link(real_linker, nlp, "The Russian president arrived.", "2011-09-02")
    late = _link(real_linker, nlp, "The Russian president arrived.", "2022-06-28")
    assert [m.name for m in early if m.kind == "person"] == ["Dmitry Medvedev"]
    assert [m.name for m in late if m.kind == "person"] == ["Vladimir Putin"]


def test_real_kb_old_spelling_of_rahmon(nlp, real_linker):
    m = next(m for m in _link(real_linker, nlp, "Emomali Rakhmonov addressed the nation.", "2005-01-01")
             if m.kind == "person")
    assert (m.name, m.country) == ("Emomali Rahmon", "TJK")


def test_real_kb_capitals_of_other_states_are_not_people(nlp, real_linker):
    mentions = _link(real_linker, nlp, "Ashgabat and Tashkent rejected the plan.", "2020-01-01")
    assert sorted(m.country for m in mentions) == ["TKM", "UZB"]
    assert all(m.kind == "state" for m in mentions)
