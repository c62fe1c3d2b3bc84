"""training/eval_heldout.py: the packaged coder scored on labelled rows it never saw."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("eval_heldout", ROOT / "training" / "eval_heldout.py")
eval_heldout = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eval_heldout)


class FixedCoder:
    """Says AGREE, the earlier-named actor acting, for every row."""

    def code_marked(self, items):
        from bilat.events.coder import LABELS, Coding

        probs = dict.fromkeys(LABELS, 0.0) | {"AGREE": 1.0}
        return [Coding("AGREE", 1.0, probs, 0.9, {}) for _ in items]


def row(text, source, target, label, codes=("PER", "CHL")):
    return {"text": text, "source": source, "target": target, "label": label,
            "source_code": codes[0], "target_code": codes[1]}


def test_scores_count_types_none_and_direction_and_skip_same_state_pairs():
    rows = [row("Peru signed a pact with Chile.", "Peru", "Chile", "AGREE"),  # right, direction right
            row("Chile and Peru signed a pact.", "Peru", "Chile", "AGREE"),  # right type, direction wrong
            row("Peru and Chile played football.", "Peru", "Chile", "NONE"),  # a false alarm
            row("Lima and Peru agreed.", "Lima", "Peru", "AGREE", codes=("PER", "PER")),  # never a candidate
            row("Peru accused Chile.", "Peru", "Chile", "ACCUSE")]  # a miss and a false alarm
    out = eval_heldout.score(rows, FixedCoder())
    assert out["rows"] == 4
    assert out["per_type_f1"]["AGREE"] == round(2 * 2 / (2 * 2 + 2 + 0), 3)
    assert out["per_type_f1"]["ACCUSE"] == 0.0
    assert out["micro_f1"] == round(2 * 2 / (2 * 2 + 2 + 1), 3)
    assert out["direction_accuracy"] == round(2 / 3, 3)
