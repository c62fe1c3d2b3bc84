"""The benchmark's corpus generator: the Russian share of a mixed-language run."""
import pytest
from generate import generate


def test_half_russian_alternates_and_keeps_english_ids():
    docs = list(generate(6, words=120, russian=0.5))
    assert [d["id"] for d in docs] == ["gen-0000000", "gen-ru-0000000", "gen-0000001", "gen-ru-0000001",
                                       "gen-0000002", "gen-ru-0000002"]
    assert all(any("а" <= c <= "я" for c in d["text"]) == d["id"].startswith("gen-ru") for d in docs)
    # an English-only run is what it was before the share existed
    assert [d["text"] for d in generate(3, words=120)] == [d["text"] for d in docs if not d["id"].startswith("gen-ru")]


def test_all_russian_and_bad_share():
    assert all(d["id"].startswith("gen-ru-") for d in generate(4, words=120, russian=1.0))
    with pytest.raises(ValueError, match="share"):
        list(generate(1, russian=1.5))
