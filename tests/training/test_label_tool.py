"""training/label_tool.py: labels on bilat's candidate pairs become training rows with exact spans."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from bilat.events.featurize import mark_row

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("label_tool", ROOT / "training" / "label_tool.py")
label_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(label_tool)

SENTENCE = "Chile thanked Peru on Monday, while Peru's envoy praised Chile again."
CANDIDATE = {"id": "a-s0-p0", "sentence": SENTENCE, "A": "Chile", "A_code": "CHL", "A_span": [0, 5],
             "B": "Peru", "B_code": "PER", "B_span": [36, 40]}


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_label_for_b_acting_on_a_swaps_the_sides_and_keeps_the_spans(tmp_path):
    cands = write(tmp_path / "c.jsonl", [CANDIDATE])
    labels = write(tmp_path / "l.jsonl", [{"id": "a-s0-p0", "label": "SUPPORT", "source": "B", "mode": "praise",
                                            "reported": True}])
    assert label_tool.rows(cands, labels, tmp_path / "out.jsonl", "w9") == 0
    row = json.loads((tmp_path / "out.jsonl").read_text())
    assert (row["source"], row["source_span"], row["source_code"]) == ("Peru", [36, 40], "PER")
    assert (row["target"], row["target_span"], row["label"], row["reported"]) == ("Chile", [0, 5], "SUPPORT", True)
    # the second "Peru", not the first, is marked: the span decides
    marked = mark_row(row["text"], row["source"], row["target"], row["source_span"], row["target_span"])
    assert marked is not None and marked.text.startswith("[A] Chile [/A] thanked Peru on Monday, while [B] Peru [/B]")


def test_unknown_labels_and_ids_are_reported_not_written(tmp_path):
    cands = write(tmp_path / "c.jsonl", [CANDIDATE])
    labels = write(tmp_path / "l.jsonl", [{"id": "a-s0-p0", "label": "HUG"}, {"id": "nope", "label": "NONE"}])
    assert label_tool.rows(cands, labels, tmp_path / "out.jsonl", "w9") == 1
    assert (tmp_path / "out.jsonl").read_text() == ""


def test_further_acts_of_a_pair_are_kept_and_bad_ones_refused(tmp_path):
    cands = write(tmp_path / "c.jsonl", [CANDIDATE, dict(CANDIDATE, id="a-s0-p1"), dict(CANDIDATE, id="a-s0-p2")])
    labels = write(tmp_path / "l.jsonl", [{"id": "a-s0-p0", "label": "SUPPORT", "also": ["CONSULT", "CONSULT"]},
                                          {"id": "a-s0-p1", "label": "NONE", "also": ["AID"]},
                                          {"id": "a-s0-p2", "label": "AID", "also": ["AID"]}])
    assert label_tool.rows(cands, labels, tmp_path / "out.jsonl", "w9") == 1  # two refused
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [(r["label"], r.get("also")) for r in rows] == [("SUPPORT", ["CONSULT"])]


def test_amend_relabels_and_adds_further_acts_in_place_and_reports_unknown_ids(tmp_path):
    rows = [{"id": "w9-0001", "text": SENTENCE, "label": "NONE", "mode": None, "planned": False},
            {"id": "w9-0002", "text": SENTENCE, "label": "CONSULT", "mode": "meet", "planned": True}]
    data = write(tmp_path / "w9.jsonl", rows)
    edits = write(tmp_path / "e.jsonl", [{"id": "w9-0001", "label": "SUPPORT"},
                                         {"id": "w9-0002", "also": ["AGREE", "CONSULT"]}, {"id": "w9-0404", "also": []}])
    assert label_tool.amend(edits, [data]) == 1  # the unknown id
    got = [json.loads(x) for x in data.read_text().splitlines()]
    assert [(r["label"], r.get("also")) for r in got] == [("SUPPORT", None), ("CONSULT", ["AGREE"])]
    assert got[1]["planned"] is True and got[1]["mode"] == "meet"
