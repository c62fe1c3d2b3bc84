"""Counts for the datasheet (training/README.md): rows, labels, flags, styles, actors.

    python training/stats.py
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent / "events"
ORG_LIKE = lambda c: not (len(c) == 3 and c.isupper() and c.isalpha())  # noqa: E731


def main() -> None:
    rows = [json.loads(line) for p in sorted(DATA.glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = Counter(r["label"] for r in rows)
    positives = [r for r in rows if r["label"] != "NONE"]
    flags = {f: sum(bool(r.get(f)) for r in positives) for f in ("negated", "planned", "hypothetical", "reported")}
    codes = Counter(c for r in rows for c in (r["source_code"], r["target_code"]) if c)
    styles = Counter(str(r.get("style", "")).split(":")[0] for r in rows)
    negs = Counter(r["style"].split(":", 1)[1] for r in rows if str(r.get("style", "")).startswith("neg:"))
    print(f"rows {len(rows)}, distinct sentences {len({r['text'] for r in rows})}")
    print("files: " + ", ".join(f"{p.name} {sum(1 for x in p.open(encoding='utf-8') if x.strip())}"
                                for p in sorted(DATA.glob('*.jsonl'))))
    print("labels: " + ", ".join(f"{k} {v}" for k, v in labels.most_common()))
    print("flags among positives: " + ", ".join(f"{k} {v}" for k, v in flags.items()))
    print(f"actor codes: {sum(1 for c in codes if not ORG_LIKE(c))} three-letter (states), "
          f"{sum(1 for c in codes if ORG_LIKE(c))} others (organisations); "
          "most frequent: " + ", ".join(f"{k} {v}" for k, v in codes.most_common(8)))
    print("styles: " + ", ".join(f"{k} {v}" for k, v in styles.most_common()))
    print("hard-negative classes: " + ", ".join(f"{k} {v}" for k, v in negs.most_common()))


if __name__ == "__main__":
    main()
