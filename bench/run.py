"""bilat's throughput benchmark (not a test).

    python bench/run.py --docs N [--words 500] [--distinct] [--json] [--input FILE.jsonl|FOLDER]
                        [--parse selective|full] [--n-process N] [--coder model|rules]
                        [--no-spacy-baseline] [--rss-every 1000] [--russian SHARE]

``--russian 0.5`` makes every second generated document from the team's Russian demo articles
(``examples/ru/corpus``); ``--russian 1`` measures Russian alone.

Without --parse, --n-process and --coder it measures what a plain `bilat ingest` runs: the default
settings, one worker per core (at most 4), the trained event coder. ``--input bench/pages`` measures a
folder of real-looking HTML pages the team wrote; the spaCy baseline then runs over their cleaned texts.

Runs the full pipeline (read, clean, NLP, actors, events, figures, store) over N generated
documents into a fresh database, then, in the same run, spaCy's full pipeline alone
(``nlp.pipe``, same model, ``n_process=2``) over the same texts, and prints documents/s,
words/s, peak RSS, each stage's share of time and the ratio of the two, in wall time and in CPU
time (the CPU ratio holds steadier when other work shares the machine).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_jsonl  # noqa: E402
from rss import RssSampler  # noqa: E402

from bilat.config import Settings, default_workers  # noqa: E402
from bilat.engines.local import ingest  # noqa: E402
from bilat.nlp.pipeline import DEFAULT_ENGLISH_MODEL  # noqa: E402
from bilat.pipeline import Pipeline  # noqa: E402
from bilat.store.writer import connect  # noqa: E402


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process, or of the largest finished child (RUSAGE_CHILDREN)."""
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (workers count once they have exited)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def spacy_alone(texts: list[str], n_process: int) -> tuple[float, float]:
    """Wall and CPU seconds of spaCy's full pipeline over the texts."""
    import spacy

    nlp = spacy.load(DEFAULT_ENGLISH_MODEL)
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in nlp.pipe(texts, batch_size=16, n_process=n_process):
        pass
    return time.perf_counter() - started, cpu_seconds() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--input", type=Path, help="read this JSONL instead of generating")
    parser.add_argument("--distinct", action="store_true",
                        help="generate by mixing sentences, not paragraphs: no two documents near-copies")
    parser.add_argument("--russian", type=float, default=0.0,
                        help="share of generated documents made from the Russian demo articles (0 to 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-spacy-baseline", action="store_true")
    parser.add_argument("--parse", choices=["selective", "full"], default=None,
                        help="parse every sentence, or only those that can hold an event (default: the settings')")
    parser.add_argument("--n-process", type=int, default=None,
                        help="worker processes for cleaning and analysis (default: as bilat ingest, one per core; "
                             "the spaCy baseline uses 2)")
    parser.add_argument("--coder", choices=["model", "rules"], default=None, help="default: the settings' (model)")
    parser.add_argument("--rss-every", type=int, default=1000,
                        help="sample current RSS every N stored documents (0: never)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        source = args.input or write_jsonl(Path(tmp) / "corpus.jsonl", args.docs, args.words,
                                              distinct=args.distinct, russian=args.russian)
        # texts are kept only for the spaCy baseline: 100,000 of them would add ~300 MB to the main process
        texts: list[str] = []
        words = 0
        if source.is_file():
            with source.open(encoding="utf-8") as f:
                for line in f:
                    text = json.loads(line).get("text") or ""
                    words += len(text.split())
                    if not args.no_spacy_baseline:
                        texts.append(text)
        defaults = Settings()
        settings = dataclasses.replace(defaults, parse=args.parse or defaults.parse,
                                       n_process=args.n_process or default_workers(),
                                       coder=args.coder or defaults.coder)
        args.parse, args.n_process = settings.parse, settings.n_process
        pipeline = Pipeline(settings)
        sampler = RssSampler(args.rss_every)
        if args.rss_every > 0:
            sampler.take()  # before the first document: the pipeline loaded, no workers yet
        cpu = cpu_seconds()
        report = ingest([str(source)], str(Path(tmp) / "bench.duckdb"), settings, pipeline=pipeline,
                        progress=sampler)
        cpu = cpu_seconds() - cpu
        if not source.is_file():  # a folder of pages: words and baseline texts are the cleaned texts
            con = connect(str(Path(tmp) / "bench.duckdb"), read_only=True)
            texts = [t for (t,) in con.execute("SELECT text FROM documents ORDER BY doc_id").fetchall()]
            con.close()
            words = sum(len(t.split()) for t in texts)
            texts = [] if args.no_spacy_baseline else texts
        rss = peak_rss_mb()
        worker_rss = peak_rss_mb(resource.RUSAGE_CHILDREN) if args.n_process > 1 else 0.0
        total = sum(pipeline.seconds.values()) or 1.0
        result = {
            "docs": report.read, "words": words, "seconds": round(report.seconds, 2),
            "docs_per_s": round(report.read / report.seconds, 2),
            "words_per_s": round(words / report.seconds),
            "cpu_s_per_doc": round(cpu / max(report.read, 1), 4),
            "peak_rss_mb": round(rss), "peak_rss_worker_mb": round(worker_rss),
            # upper bound for the whole run: the main process plus every worker at its own peak
            "peak_rss_total_mb": round(rss + args.n_process * worker_rss if args.n_process > 1 else rss),
            "parse": args.parse, "n_process": args.n_process, "coder": settings.coder, "events": report.events,
            "quantities": report.quantities,
            "stage_share": {k: round(v / total, 3) for k, v in pipeline.seconds.most_common()},
            # [documents, main RSS MB, workers' RSS MB summed, PSS MB of main + workers]: current, not peak
            "rss_series": sampler.series,
        }
        if not args.no_spacy_baseline:
            seconds, spacy_cpu = spacy_alone(texts, n_process=2)
            result["spacy_full_docs_per_s"] = round(len(texts) / seconds, 2)
            result["ratio"] = round(result["docs_per_s"] / result["spacy_full_docs_per_s"], 2)
            # the same comparison in CPU time: steadier than wall time on a machine shared with other work
            result["spacy_cpu_s_per_doc"] = round(spacy_cpu / max(len(texts), 1), 4)
            result["cpu_ratio"] = round(result["spacy_cpu_s_per_doc"] / max(result["cpu_s_per_doc"], 1e-9), 2)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:24s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
