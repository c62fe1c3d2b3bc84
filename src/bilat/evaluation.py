"""Event scores per PLOVER type against gold annotations, with the errors behind them.

Matching follows the project's scorer (``../shared/eval/score.py``): per document, greedy one-to-one on
type, actor pair (undirected unless ``directed``) and negation. Used by the model card
(``training/card.py``) and by whoever wants to see which types fail and on what.

    report = score_types(gold_rows, event_rows)
    report.table()            # per type: tp, predicted, gold, P, R, F1
    report.misses["CONSULT"]  # gold events of that type left unmatched
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

ISO_LIKE = 3


@dataclass
class TypeScores:
    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pred: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    false_alarms: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def add(self, other: TypeScores) -> TypeScores:
        out = TypeScores()
        for mine, theirs, into in ((self.tp, other.tp, out.tp), (self.pred, other.pred, out.pred),
                                   (self.gold, other.gold, out.gold)):
            for k in set(mine) | set(theirs):
                into[k] = mine.get(k, 0) + theirs.get(k, 0)
        for mine, theirs, into in ((self.misses, other.misses, out.misses),
                                   (self.false_alarms, other.false_alarms, out.false_alarms)):
            for k in set(mine) | set(theirs):
                into[k] = list(mine.get(k, [])) + list(theirs.get(k, []))
        return out

    def table(self) -> list[dict]:
        rows = []
        for t in sorted(set(self.gold) | set(self.pred)):
            tp, p, g = self.tp.get(t, 0), self.pred.get(t, 0), self.gold.get(t, 0)
            prec, rec = (tp / p if p else 0.0), (tp / g if g else 0.0)
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            rows.append({"type": t, "tp": tp, "pred": p, "gold": g, "precision": round(prec, 3),
                         "recall": round(rec, 3), "f1": round(f1, 3)})
        return rows

    def markdown(self) -> str:
        lines = ["| type | gold | predicted | matched | P | R | F1 |", "|---|---|---|---|---|---|---|"]
        for r in self.table():
            lines.append(f"| {r['type']} | {r['gold']} | {r['pred']} | {r['tp']} | {r['precision']:.2f} | "
                         f"{r['recall']:.2f} | {r['f1']:.2f} |")
        return "\n".join(lines)


def _as_igo(code: str | None, iso: set[str] | None) -> str | None:
    if code is None or code == "NGO":
        return code
    if iso is not None:
        return code if code in iso else "IGO"
    return code if len(code) == ISO_LIKE and code.isalpha() and code.isupper() else "IGO"


def score_types(gold_rows: list[dict], event_rows: list[dict], directed: bool = False,
                orgs_as_igo: bool = False, iso_codes: set[str] | None = None) -> TypeScores:
    """Per-type matches of exported events (``doc_id``, ``type``, ``source``, ``target``, ``negated``)
    against gold articles (``id``, ``events``)."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for e in event_rows:
        if orgs_as_igo:
            e = dict(e, source=_as_igo(e.get("source"), iso_codes), target=_as_igo(e.get("target"), iso_codes))
        by_doc[str(e.get("doc_id"))].append(e)

    def key(e: dict) -> tuple:
        pair = (e.get("source"), e.get("target"))
        return (str(e.get("type", "")).upper(), pair if directed else tuple(sorted(map(str, pair))),
                bool(e.get("negated")))

    scores = TypeScores()
    for g in gold_rows:
        pred = by_doc.get(str(g["id"]), [])
        free = list(range(len(pred)))
        for e in pred:
            scores.pred[str(e.get("type", "")).upper()] += 1
        for ge in g["events"]:
            t = str(ge.get("type", "")).upper()
            scores.gold[t] += 1
            hit = next((i for i in free if key(pred[i]) == key(ge)), None)
            if hit is None:
                scores.misses[t].append(dict(ge, doc_id=g["id"]))
                continue
            free.remove(hit)
            scores.tp[t] += 1
        for i in free:
            scores.false_alarms[str(pred[i].get("type", "")).upper()].append(pred[i])
    return scores
