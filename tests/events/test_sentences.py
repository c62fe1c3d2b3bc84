"""Table-driven extraction cases (tests/events/data/sentences.yaml): type, actors, modality, dates."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load((Path(__file__).parent / "data" / "sentences.yaml").read_text(encoding="utf-8"))["cases"]


def _matches(ev, case) -> bool:
    typ, a, b = case["e"]
    a, b = (None if a == "-" else a), (None if b == "-" else b)  # "-": an open side (plover convention)
    if ev.type != typ:
        return False
    if case.get("dir"):
        return (ev.source, ev.target) == (a, b)
    return {ev.source, ev.target} == {a, b}


def test_enough_cases():
    assert len(CASES) >= 200
    types = {c["e"][0] for c in CASES if "e" in c}
    assert len(types) == 16


@pytest.mark.parametrize("case", CASES, ids=[c["t"][:60] for c in CASES])
def test_sentence(run, linked_run, case):
    # linker: the ActorLinker's mentions, not the test tagger's; conv: the convention (default news)
    if case.get("linker") or case.get("conv"):
        events = linked_run(case["t"], case.get("conv", "news"))
    else:
        events = run(case["t"])
    if case.get("none"):
        assert events == [], [(e.type, e.source, e.target, e.rule) for e in events]
        return
    if "not" in case:  # an event that must not be coded
        assert not [e for e in events if _matches(e, {"e": case["not"]})], [(e.type, e.source, e.target) for e in events]
    found = [e for e in events if _matches(e, case)]
    assert found, f"expected {case['e']}, got {[(e.type, e.source, e.target, e.rule) for e in events]}"
    ev = found[0]
    assert ev.negated == bool(case.get("neg")), ev
    assert ev.planned == bool(case.get("plan")), ev
    if "hyp" in case:
        assert ev.hypothetical == case["hyp"], ev
    if "attr" in case:
        assert ev.attribution and case["attr"].lower() in ev.attribution.lower(), ev.attribution
    if "date" in case:
        assert ev.date and ev.date.startswith(case["date"]), (ev.date, ev.date_method)
    if "mode" in case:
        assert ev.mode == case["mode"]
    assert ev.rule and ev.cameo and ev.intensity is not None
    assert ev.evidence in case["t"] and ev.span[1] > ev.span[0]
