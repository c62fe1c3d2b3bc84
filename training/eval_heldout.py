"""Score the packaged English event coder on team-written candidates it was never trained on.

    python training/eval_heldout.py [training/heldout/*.jsonl] [--json]

``training/heldout/`` holds labelled candidates in the training format (``events/SPEC.md``) that no
shipped model has seen: wave 7, written after the coder ``coder-minilm-fc3d4b7d`` (datasheet,
``training/README.md``). The coder reads each row as at run time (``featurize.mark_row``); its most
probable label is compared with the writer's (``NONE`` included, as ``train_coder.evaluate`` does).
Rows whose two actors share a state are left out (never a candidate at run time).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from bilat.events.coder import LABELS, EventCoder  # noqa: E402
from bilat.events.featurize import mark_row  # noqa: E402


def score(rows: list[dict], coder: EventCoder) -> dict:
    """Micro- and macro-F1 over event types, direction accuracy, and how many rows were read."""
    tp, fp, fn = Counter(), Counter(), Counter()
    dir_ok = dir_n = read = 0
    marked = [(r, mark_row(r["text"], r["source"], r["target"], r.get("source_span"), r.get("target_span")))
              for r in rows if not (r.get("source_code") and r.get("source_code") == r.get("target_code"))]
    marked = [(r, m) for r, m in marked if m is not None]
    codings = coder.code_marked([m for _, m in marked])
    for (r, m), c in zip(marked, codings, strict=True):
        if c is None:
            continue
        read += 1
        gold, pred = r["label"], c.type
        if gold == pred and gold != "NONE":
            tp[gold] += 1
        else:
            if pred != "NONE":
                fp[pred] += 1
            if gold != "NONE":
                fn[gold] += 1
        if gold != "NONE":
            dir_n += 1
            dir_ok += (c.first_is_source >= 0.5) == bool(m.a_first_is_source)
    f1 = lambda t, p, n: 2 * t / (2 * t + p + n) if t else 0.0  # noqa: E731
    types = [t for t in LABELS if t != "NONE"]
    return {"rows": read, "micro_f1": round(f1(sum(tp.values()), sum(fp.values()), sum(fn.values())), 3),
            "macro_f1": round(sum(f1(tp[t], fp[t], fn[t]) for t in types) / len(types), 3),
            "direction_accuracy": round(dir_ok / dir_n, 3) if dir_n else None,
            "per_type_f1": {t: round(f1(tp[t], fp[t], fn[t]), 3) for t in types}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--model", type=Path, default=None, help="a model folder (default: the packaged one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    files = args.files or sorted((ROOT / "training" / "heldout").glob("*.jsonl"))
    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    coder = EventCoder(args.model)
    result = {"model": coder.version, "files": [f.name for f in files], **score(rows, coder)}
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
