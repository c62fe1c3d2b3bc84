"""Clean and analyse documents, in this process or in worker processes that each hold the pipeline.

spaCy's own ``n_process`` parallelises only the spaCy stage: the cleaner, linker, event extractor
and figure parser then run one document at a time in the main process, about half of the work.
With ``Settings.n_process > 1`` every stage after reading runs in ``n_process`` workers instead;
the main process only reads, checks what is already stored, finds near-duplicates and writes.

Workers are forked from the process that loaded the pipeline, so they start without loading
models again. Results come back in input order, so a run with workers stores exactly what a run
without them stores.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from ..config import Settings
from ..errors import BilatError
from ..model import Document, RawDocument
from ..pipeline import Pipeline

logger = logging.getLogger(__name__)

CHUNK = 16  # documents per task: enough for spaCy's batching, small enough to keep both workers busy


@dataclass
class Outcome:
    """What became of one raw document: a Document ready to store, or the reason it failed."""

    origin: str
    doc_id: str
    doc: Document | None = None
    error: str | None = None


@dataclass
class ChunkResult:
    outcomes: list[Outcome]
    seconds: Counter = field(default_factory=Counter)  # per stage, spent in the process that did the work


def clean_and_analyse(pipeline: Pipeline, raws: Sequence[RawDocument], settings: Settings) -> list[Outcome]:
    """Clean, then analyse; one outcome per raw document, in order. One bad document stops nothing."""
    outcomes = [Outcome(raw.origin, raw.doc_id) for raw in raws]
    cleaned: list[Document] = []
    where: list[int] = []
    for i, raw in enumerate(raws):
        try:
            doc = pipeline.clean(raw, settings)
        except Exception as exc:
            logger.exception("cleaning failed for %s", raw.origin)
            outcomes[i].error = f"cleaning failed: {exc}"
            continue
        if not doc.text.strip():
            outcomes[i].error = "no article text left after cleaning"
            continue
        cleaned.append(doc)
        where.append(i)
    for i, (doc, error) in zip(where, pipeline.analyse(cleaned), strict=True):
        if error is not None:
            outcomes[i].error = f"analysis failed: {error}"
        else:
            outcomes[i].doc = doc
    return outcomes


# The pipeline of a worker process: set once by _start_worker, read by _work. Process-local, never
# shared: each worker has its own forked copy.
_worker_pipeline: Pipeline | None = None


def _start_worker(pipeline: Pipeline, parent: int) -> None:
    global _worker_pipeline
    _worker_pipeline = pipeline
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """An ingest killed outright (SIGKILL, the OOM killer) has no time to stop its pool, and its workers
    would live on holding their pipelines (400 MB each): on Linux the kernel ends a worker when its parent
    dies (PR_SET_PDEATHSIG); elsewhere the pool's own shutdown still applies to every normal end."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG; a worker holds nothing the parent would write
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def _work(raws: list[RawDocument], settings: Settings) -> ChunkResult:
    pipeline = _worker_pipeline
    assert pipeline is not None, "worker started without a pipeline"
    pipeline.seconds.clear()
    outcomes = clean_and_analyse(pipeline, raws, settings)
    return ChunkResult(outcomes, Counter(pipeline.seconds))


class Analyser:
    """Runs ``clean_and_analyse`` on batches: in this process, or in ``settings.n_process`` workers.

    ``submit`` hands a batch over and returns at once when workers do the work; ``result`` waits for
    it. ``lookahead`` is how many batches may be in flight beyond the one being stored.
    """

    def __init__(self, pipeline: Pipeline, settings: Settings):
        self.pipeline = pipeline
        self.settings = settings
        self.workers = max(1, settings.n_process)
        self.pool: ProcessPoolExecutor | None = None
        if self.workers > 1:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_start_worker, initargs=(pipeline, os.getpid()))

    @property
    def lookahead(self) -> int:
        return 2 if self.pool else 0

    def submit(self, raws: list[RawDocument]) -> list[Future] | list[Outcome]:
        if self.pool is None:
            return clean_and_analyse(self.pipeline, raws, self.settings)
        return [self.pool.submit(_work, raws[i:i + CHUNK], self.settings) for i in range(0, len(raws), CHUNK)]

    def result(self, handle: list[Future] | list[Outcome]) -> list[Outcome]:
        if self.pool is None:
            return handle  # type: ignore[return-value]
        outcomes: list[Outcome] = []
        for future in handle:
            try:
                chunk: ChunkResult = future.result()
            except BrokenProcessPool as exc:
                raise BilatError("a worker process died (out of memory?); what was stored so far is kept, "
                                 "rerun to resume") from exc
            self.pipeline.seconds.update(chunk.seconds)
            outcomes.extend(chunk.outcomes)
        return outcomes

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __enter__(self) -> Analyser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
