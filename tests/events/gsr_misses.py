"""List the misses and false positives of an export against the PLOVER gold records, per type.
A measuring script, not a test (no ``test_`` prefix); the gold is read from ../shared at run time.

    .venv/bin/python tests/events/gsr_misses.py OUTDIR [--type ASSAULT] [--fp] [--summary]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

SHARED = Path("/work/shared")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--gold", default=str(SHARED / "eval/plover-gsr/gold.jsonl"))
    ap.add_argument("--type", help="only this gold/predicted type")
    ap.add_argument("--fp", action="store_true", help="list false positives too")
    ap.add_argument("--summary", action="store_true", help="counts of miss causes only")
    args = ap.parse_args()
    sys.path.insert(0, str(SHARED / "eval"))
    import score

    gold = score.load(Path(args.gold))
    rows = score.load(Path(args.outdir) / "events.jsonl")
    rows = [dict(e, source=score.as_igo(e.get("source")), target=score.as_igo(e.get("target"))) for e in rows]
    pred = score.by_doc(rows)
    causes: Counter[str] = Counter()
    out = sys.stdout
    for g in gold:
        ps = pred.get(g["id"], [])
        gs = g["events"]  # the scorer does not normalise the gold
        matched = score.match_events(gs, ps, False)
        hit_g = {id(a) for a, _ in matched}
        hit_p = {id(b) for _, b in matched}
        miss = [e for e in gs if id(e) not in hit_g and (not args.type or e["type"] == args.type)]
        fps = [e for e in ps if id(e) not in hit_p and (not args.type or e["type"] == args.type)]
        for e in miss:
            causes[_cause(e, ps)] += 1
        if args.summary or not (miss or (args.fp and fps)):
            continue
        out.write(f"\n{g['id']}: {gs[0]['evidence'] if gs else ''}\n")
        for e in gs:
            mark = "  ok " if id(e) in hit_g else f"  MISS({_cause(e, ps)})"
            out.write(f"{mark} {e['type']:9s} {e['source']} -> {e['target']} neg={e.get('negated')}\n")
        for e in ps:
            mark = "  +ok " if id(e) in hit_p else "  +FP "
            out.write(f"{mark}{e['type']:9s} {e['source']} -> {e['target']} neg={e.get('negated')} "
                      f"[{e.get('rule')}: {e.get('trigger')}]\n")
    out.write(f"\nmiss causes: {dict(causes)}\n")


def _cause(e: dict, ps: list[dict]) -> str:
    """Why a gold event was missed: nothing predicted, wrong actors, wrong type, or both."""
    same_type = [p for p in ps if p["type"] == e["type"]]
    same_pair = [p for p in ps if {p["source"], p["target"]} == {e["source"], e["target"]}]
    return "no event" if not ps else "actors" if same_type else "type" if same_pair else "both"


if __name__ == "__main__":
    main()
