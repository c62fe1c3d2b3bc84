"""Run cleaning, spaCy, the actor linker and the event extractor over an evaluation set; write an export
for /work/shared/eval/score.py. Not a test (no ``test_`` prefix): run by hand.

    .venv/bin/python tests/events/eval_seeds.py OUTDIR                 # the five seeds
    .venv/bin/python tests/events/eval_seeds.py OUTDIR --gsr           # PLOVER gold standard records
    python3 /work/shared/eval/score.py /work/shared/eval/seeds.gold.jsonl OUTDIR

Uses the project's ActorLinker when it can be built, else the test-only SimpleTagger (reported).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bilat.config import Settings  # noqa: E402
from bilat.events.cluster import cluster_events, row_key  # noqa: E402
from bilat.events.extract import EventExtractor  # noqa: E402
from bilat.model import Document, RawDocument, Sentence  # noqa: E402
from bilat.nlp.pipeline import EnglishPipeline  # noqa: E402

SHARED = Path("/work/shared")
logger = logging.getLogger("eval_seeds")


def make_linker(force_tagger: bool = False):
    """The project's linker if it builds, else the test tagger; returns (callable, label)."""
    try:
        if force_tagger:
            raise RuntimeError("--tagger given")
        from bilat.actors.kb_loader import load_kb
        from bilat.actors.link import ActorLinker

        linker = ActorLinker(load_kb())
        return (lambda doc, sdoc: linker.link(doc, sdoc)), "ActorLinker"
    except Exception as exc:  # the linker is still being written: fall back
        logger.warning("ActorLinker unavailable (%s); using the test tagger", exc)
        from tagger import SimpleTagger

        tg = SimpleTagger()
        return (lambda doc, sdoc: tg.tag(doc.text, [(s.start, s.end) for s in doc.sentences])), "SimpleTagger"


def optional(module: str, cls: str):
    try:
        mod = __import__(module, fromlist=[cls])
        return getattr(mod, cls)()
    except Exception as exc:
        logger.warning("%s.%s unavailable: %s", module, cls, exc)
        return None


def load_docs(gsr: bool) -> list[Document]:
    docs = []
    if gsr:
        for line in (SHARED / "eval/plover-gsr/input.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            docs.append(Document(r["id"], "gsr", "jsonl", r["text"]))
        return docs
    from bilat.clean import clean_document

    settings = Settings()
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        raw = RawDocument(path.stem, str(path), "txt", text=path.read_text(encoding="utf-8"))
        docs.append(clean_document(raw, settings))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--gsr", action="store_true")
    ap.add_argument("--plover", action="store_true", help="PLOVER gold-record habits (default: the pipeline's own)")
    ap.add_argument("--tagger", action="store_true", help="use the test tagger, not the ActorLinker")
    ap.add_argument("--by-type", metavar="GOLD", help="also print P/R/F1 per PLOVER type against GOLD")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    nlp = EnglishPipeline()
    link, label = make_linker(args.tagger)
    extractor = EventExtractor(convention="plover" if args.plover else "news")
    resolver = optional("bilat.events.when", "TimeResolver")
    gazetteer = optional("bilat.events.where", "Gazetteer")
    docs = load_docs(args.gsr)
    rows = []
    with (out / "documents.jsonl").open("w", encoding="utf-8") as fd:
        for doc in docs:
            sdoc = nlp(doc.text)
            doc.sentences = [Sentence(s.start_char, s.end_char, s.text) for s in sdoc.sents]
            mentions = link(doc, sdoc)
            for e in extractor.extract(doc, sdoc, mentions, time_resolver=resolver, gazetteer=gazetteer):
                rows.append(dict(dataclasses.asdict(e), doc_id=doc.doc_id, key=f"{doc.doc_id}#{len(rows)}"))
            fd.write(json.dumps({"doc_id": doc.doc_id, "published": doc.published.value if doc.published else None,
                                 "text": doc.text}) + "\n")
    ids = cluster_events(rows)
    with (out / "events.jsonl").open("w", encoding="utf-8") as fe:
        for r in rows:
            r["event_id"] = ids[row_key(r)]
            fe.write(json.dumps(r) + "\n")
    n_events = len(rows)
    logger.warning("%d documents, %d events, actors by %s", len(docs), n_events, label)
    if args.by_type:
        for line in by_type(Path(args.by_type), out, orgs_as_igo=args.gsr):
            sys.stdout.write(line + "\n")


def by_type(gold_path: Path, out: Path, orgs_as_igo: bool) -> list[str]:
    """Undirected P/R/F1 per type with score.py's own matching (imported from the shared folder)."""
    sys.path.insert(0, str(SHARED / "eval"))
    import score  # the shared scorer: the same matching as the headline figures

    gold = score.load(gold_path)
    rows = score.load(out / "events.jsonl")
    if orgs_as_igo:
        rows = [dict(e, source=score.as_igo(e.get("source")), target=score.as_igo(e.get("target"))) for e in rows]
    pred = score.by_doc(rows)
    tp: dict[str, int] = {}
    n_pred: dict[str, int] = {}
    n_gold: dict[str, int] = {}
    for g in gold:
        for e in g["events"]:
            n_gold[e["type"]] = n_gold.get(e["type"], 0) + 1
        for e in pred.get(g["id"], []):
            n_pred[e["type"]] = n_pred.get(e["type"], 0) + 1
        for ge, _ in score.match_events(g["events"], pred.get(g["id"], []), False):
            tp[ge["type"]] = tp.get(ge["type"], 0) + 1
    lines = []
    for t in sorted(set(n_gold) | set(n_pred)):
        r = score.prf(tp.get(t, 0), n_pred.get(t, 0), n_gold.get(t, 0))
        lines.append(f"{t:10s} P={r['precision']:.2f} R={r['recall']:.2f} F1={r['f1']:.2f} "
                     f"tp={r['tp']} pred={r['pred']} gold={r['gold']}")
    return lines


if __name__ == "__main__":
    main()
