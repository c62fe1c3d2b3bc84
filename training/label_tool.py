"""Label whole team-written articles on the candidate pairs bilat itself finds (how waves 3 and 4 were made).

    python training/label_tool.py candidates ARTICLES.jsonl CANDIDATES.jsonl
    python training/label_tool.py rows CANDIDATES.jsonl LABELS.jsonl OUT.jsonl --prefix w4_name
    python training/label_tool.py amend EDITS.jsonl events/w4_*.jsonl

``candidates`` runs bilat (rules only, selective parse) over articles written by the team
(``{"id", "outlet", "text"}`` a line) and lists every candidate pair of every sentence, one a line:
``{"id", "sentence", "A", "A_code", "B", "B_code"}`` with ``A`` named before ``B``. A writer then labels
each id in LABELS.jsonl: ``{"id", "label", "source": "A"|"B", "mode", "negated", "planned",
"hypothetical", "reported", "also": [...]}`` (label NONE needs no more fields; ``also`` lists further
types the sentence states for the pair, see ``events/SPEC.md``). ``rows`` joins the two into training
rows (``events/SPEC.md``) with exact actor spans, so the model learns on the pairs it will meet at run
time, including the linker's mistakes (labelled NONE). ``amend`` applies a reviewer's edits
(``{"id", "label"?, "also"?}`` a line) to existing rows in place (how waves 4-5 got their ``also``).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

LABELS = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "NONE"}
FLAGS = ("negated", "planned", "hypothetical", "reported")


def candidates(articles: Path, out: Path) -> int:
    from bilat.config import Settings
    from bilat.model import RawDocument
    from bilat.pipeline import Pipeline

    settings = Settings(coder="rules", parse="selective")
    pipeline = Pipeline(settings)
    arts = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines() if line.strip()]
    raws = [RawDocument(doc_id=str(a["id"]), origin=str(articles), fmt="jsonl", text=a["text"], outlet=a.get("outlet"))
            for a in arts]
    docs = [pipeline.clean(r) for r in raws]
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for doc, error in pipeline.analyse(docs):
            if error is not None:
                print(f"{doc.doc_id}: {error}", file=sys.stderr)
                continue
            for k, (i, text, first, first_span, second, second_span) in enumerate(_pairs(pipeline, doc)):
                row = {"id": f"{doc.doc_id}-s{i}-p{k}", "sentence": text,
                       "A": text[first_span[0]:first_span[1]], "A_code": first.country, "A_span": list(first_span),
                       "B": text[second_span[0]:second_span[1]], "B_code": second.country,
                       "B_span": list(second_span)}
                if doc.lang != "en":
                    row["lang"] = doc.lang
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
    print(f"{n} candidate pairs from {len(arts)} articles -> {out}")
    return 0


def _pairs(pipeline, doc):
    """The candidate pairs the coder of the document's language meets at run time: (sentence index, the
    text the coder reads, first mention, its span in that text, second mention, its span). A collective
    ("the two sides") is read spelled out as its two actors, as at run time (``coder_input``)."""
    from bilat.events.candidates import coder_input, document_candidates

    if doc.lang == "ru":
        for i, a, b in pipeline.russian().events.candidates(doc.mentions):
            start = doc.sentences[i].start
            yield (i, doc.sentences[i].text, a, (a.span[0] - start, a.span[1] - start), b,
                   (b.span[0] - start, b.span[1] - start))
        return
    for c in document_candidates(doc, doc.mentions):
        text, first_span, second_span = coder_input(doc.sentences[c.sentence].text, c)
        yield c.sentence, text, c.first, first_span, c.second, second_span


def rows(cands: Path, labels: Path, out: Path, prefix: str) -> int:
    by_id = {c["id"]: c for c in map(json.loads, cands.read_text(encoding="utf-8").splitlines()) if c}
    problems, written = [], 0
    seen: set[str] = set()
    with out.open("w", encoding="utf-8") as f:
        for n, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            lab = json.loads(line)
            c = by_id.get(lab.get("id"))
            if c is None or lab["id"] in seen:
                problems.append(f"line {n}: unknown or repeated id {lab.get('id')!r}")
                continue
            seen.add(lab["id"])
            label = lab.get("label")
            if label not in LABELS:
                problems.append(f"line {n}: unknown label {label!r}")
                continue
            also = lab.get("also") or []
            if not _also_ok(label, also):
                problems.append(f"line {n}: bad 'also' {also!r} for label {label!r}")
                continue
            a_is_source = lab.get("source", "A") != "B"
            s, t = ("A", "B") if a_is_source else ("B", "A")
            written += 1
            row = {"id": f"{prefix}-{written:04d}", "text": c["sentence"],
                   "source": c[s], "target": c[t], "source_span": c[s + "_span"], "target_span": c[t + "_span"],
                   "source_code": c[s + "_code"], "target_code": c[t + "_code"], "label": label,
                   "mode": lab.get("mode") if label != "NONE" else None,
                   **{flag: bool(lab.get(flag)) and label != "NONE" for flag in FLAGS}, "style": "article"}
            if also:
                row["also"] = sorted(set(also))
            if c.get("lang"):
                row["lang"] = c["lang"]
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    missing = len(by_id) - len(seen)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{written} rows -> {out}; {missing} candidates unlabelled; {len(problems)} problems")
    return 1 if problems else 0


def _also_ok(label: str, also: object) -> bool:
    return isinstance(also, list) and not (label == "NONE" and also) and set(also) <= LABELS - {"NONE", label}


def amend(edits: Path, files: list[Path]) -> int:
    todo = {}
    problems = []
    for n, line in enumerate(edits.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            e = json.loads(line)
            if e.get("id") in todo:
                problems.append(f"line {n}: repeated id {e.get('id')!r}")
            todo[e.get("id")] = e
    changed = 0
    for path in files:
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            e = todo.pop(row["id"], None)
            if e is not None:
                label = e.get("label", row["label"])
                also = sorted(set(e.get("also", row.get("also") or [])) - {label})
                if label not in LABELS or not _also_ok(label, also):
                    problems.append(f"{row['id']}: bad edit {e!r}")
                else:
                    if label == "NONE":
                        row.update(mode=None, **dict.fromkeys(FLAGS, False))
                    row["label"] = label
                    row.pop("also", None)
                    if also:
                        row["also"] = also
                    changed += 1
            out.append(json.dumps(row, ensure_ascii=False))
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    problems += [f"unknown id {i!r}" for i in todo]
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{changed} rows amended; {len(problems)} problems")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("candidates", help="list bilat's candidate pairs of team-written articles")
    c.add_argument("articles", type=Path)
    c.add_argument("out", type=Path)
    r = sub.add_parser("rows", help="join candidates and labels into training rows")
    r.add_argument("candidates", type=Path)
    r.add_argument("labels", type=Path)
    r.add_argument("out", type=Path)
    r.add_argument("--prefix", required=True)
    m = sub.add_parser("amend", help="apply a reviewer's label edits to training rows in place")
    m.add_argument("edits", type=Path)
    m.add_argument("files", type=Path, nargs="+")
    args = ap.parse_args(argv)
    if args.command == "candidates":
        return candidates(args.articles, args.out)
    if args.command == "amend":
        return amend(args.edits, args.files)
    return rows(args.candidates, args.labels, args.out, args.prefix)


if __name__ == "__main__":
    sys.exit(main())
