"""Clean and analyse documents, in this process or in worker processes that each hold the pipeline.

spaCy's own ``n_process`` parallelises only the spaCy stage: the cleaner, linker, event extractor
and figure parser then run one document at a time in the main process, about half of the work.
With ``Settings.n_process > 1`` every stage after reading runs in ``n_process`` workers instead;
the main process only reads, checks what is already stored, finds near-duplicates and writes.

Workers are forked from the process that loaded the pipeline, so they start without loading
models again. Results come back in input order, so a run with workers stores exactly what a run
without them stores.

Workers are also what makes ``doc_timeout_s`` a hard limit. Inside a worker it is the SIGALRM timer
of ``pipeline.time_limit``, which stops Python code but not a long C call (lxml's XPath inside
trafilatura, a regex). So each worker marks on a shared board which document and step it is in and
since when; the main process, waiting for a task, kills the workers when a step has run
``GRACE_S`` past its limit, starts new ones, fails that document with the reason and runs the
task's other documents again, each on its own, so that only the culprit fails. A worker that dies
(out of memory, a crash in C) is handled the same way.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from threadpoolctl import threadpool_limits

from ..config import Settings
from ..model import Document, RawDocument
from ..pipeline import Pipeline
from .coordinate import Outcome

logger = logging.getLogger(__name__)

CHUNK = 16  # documents per task: enough for spaCy's batching, small enough to keep both workers busy
GRACE_S = 5.0  # after a step's limit, time left to the worker's own timer before the worker is killed
POLL_S = 0.5  # how often the main process looks at the board while it waits
STEPS = ("clean", "parse", "analysis")  # the steps a worker reports, by their number on the board


@dataclass
class ChunkResult:
    outcomes: list[Outcome]
    seconds: Counter = field(default_factory=Counter)  # per stage, spent in the process that did the work


Progress = Callable[[str, int], None]  # (step, index of the document in the task)


def clean_and_analyse(pipeline: Pipeline, raws: Sequence[RawDocument], settings: Settings,
                      progress: Progress | None = None) -> list[Outcome]:
    """Clean, then analyse; one outcome per raw document, in order. One bad document stops nothing.

    ``progress`` is told each step each document enters (see ``Pipeline.analyse``)."""
    outcomes = [Outcome(raw.origin, raw.doc_id) for raw in raws]
    cleaned: list[Document] = []
    where: list[int] = []
    for i, raw in enumerate(raws):
        if progress is not None:
            progress("clean", i)
        doc, outcomes[i].error = clean_one(pipeline, raw, settings)
        if doc is not None:
            cleaned.append(doc)
            where.append(i)

    def analysing(step: str, j: int) -> None:
        if progress is not None:
            progress(step, where[j])

    for i, (doc, error) in zip(where, pipeline.analyse(cleaned, analysing), strict=True):
        if error is not None:
            outcomes[i].error = analysis_failed(error)
        else:
            outcomes[i].doc = doc
    return outcomes


def clean_one(pipeline: Pipeline, raw: RawDocument, settings: Settings) -> tuple[Document | None, str | None]:
    """The cleaned document, or None and the reason it cannot go on to analysis."""
    try:
        doc = pipeline.clean(raw, settings)
    except Exception as exc:  # one bad document stops nothing: it fails with the reason, the run goes on
        logger.exception("cleaning failed for %s", raw.origin)
        return None, f"cleaning failed: {exc}"
    if not doc.text.strip():
        # a limit the page hit (flattened, read without the extractor) may be why: say so
        limits = f": {'; '.join(doc.limits)}" if doc.limits else ""
        return None, f"no article text left after cleaning{limits}"
    return doc, None


def analysis_failed(error: str) -> str:
    """The ingest log's reason for a document whose analysis raised ``error``."""
    return f"analysis failed: {error}"


# The pipeline and the board of a worker process: set once by _start_worker, read by _work.
# Process-local, never shared: each worker has its own forked copy (the board's memory is shared).
_worker_pipeline: Pipeline | None = None
_worker_board = None


def _start_worker(pipeline: Pipeline, board, parent: int) -> None:
    global _worker_pipeline, _worker_board
    _worker_pipeline = pipeline
    _worker_board = board
    _die_with_parent(parent)
    # one BLAS thread a worker: the workers already take the cores, and OpenBLAS's own threads (one per
    # core in each worker) spin against them; slovnet's Russian tagger and parser ran 7 times slower so
    threadpool_limits(1)


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


def _work(raws: list[RawDocument], settings: Settings, slot: int) -> ChunkResult:
    pipeline, board = _worker_pipeline, _worker_board
    assert pipeline is not None and board is not None, "worker started without a pipeline"
    base = 3 * slot

    def progress(step: str, i: int) -> None:
        # the time last: the main process reads it first, and a stalled step writes nothing more
        board[base + 1], board[base + 2], board[base] = STEPS.index(step), i, time.monotonic()

    pipeline.seconds.clear()
    outcomes = clean_and_analyse(pipeline, raws, settings, progress)
    board[base] = 0.0
    return ChunkResult(outcomes, Counter(pipeline.seconds))


@dataclass
class Task:
    """Documents handed to the pool together: a chunk, or one document on its own; ``slot`` is its
    place on the board. ``future`` is None while it waits to be handed over (again)."""

    raws: list[RawDocument]
    slot: int
    future: Future | None = None


@dataclass
class Trouble:
    """Why a task gave no result; ``culprit`` is the index of the document to blame, when known."""

    reason: str
    culprit: int | None = None


class Analyser:
    """Runs ``clean_and_analyse`` on batches: in this process, or in ``settings.n_process`` workers.

    ``submit`` hands a batch over and returns at once when workers do the work; ``result`` waits for
    it, and is where a stalled or dead worker is found and replaced. ``lookahead`` is how many
    batches may be in flight beyond the one being stored.
    """

    def __init__(self, pipeline: Pipeline, settings: Settings):
        self.pipeline = pipeline
        self.settings = settings
        self.workers = max(1, settings.n_process)
        self.pool: ProcessPoolExecutor | None = None
        self.restarts = 0  # pools replaced because a worker stalled or died
        self._pending: list[Task] = []  # tasks handed out by submit, not yet collected by result
        if self.workers > 1:
            # Each slot: when its task's current step began (0: none running), the step, the document.
            # At most lookahead + 1 batches of tasks are pending, plus one document run alone.
            slots = (self.lookahead + 2) * -(-settings.batch_size // CHUNK) + 2
            self._free = list(range(slots))
            self._board = multiprocessing.get_context("fork").RawArray("d", 3 * slots)
            self._start_pool()

    @property
    def lookahead(self) -> int:
        return 2 if self.workers > 1 else 0

    def _start_pool(self) -> None:
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_start_worker,
                                        initargs=(self.pipeline, self._board, os.getpid()))

    def submit(self, raws: list[RawDocument]) -> list[Task] | list[Outcome]:
        if self.pool is None:
            return clean_and_analyse(self.pipeline, raws, self.settings)
        tasks = [self._hand_over(raws[i:i + CHUNK]) for i in range(0, len(raws), CHUNK)]
        self._pending.extend(tasks)
        return tasks

    def _hand_over(self, raws: list[RawDocument]) -> Task:
        task = Task(raws, self._free.pop())
        self._submit(task)
        return task

    def _submit(self, task: Task) -> None:
        assert self.pool is not None
        self._board[3 * task.slot] = 0.0
        task.future = self.pool.submit(_work, task.raws, self.settings, task.slot)

    def result(self, handle: list[Task] | list[Outcome]) -> list[Outcome]:
        if self.pool is None:
            return handle  # type: ignore[return-value]
        outcomes: list[Outcome] = []
        for task in handle:
            outcomes.extend(self._outcomes(task))  # type: ignore[arg-type]
            self._pending.remove(task)  # type: ignore[arg-type]
        return outcomes

    def _outcomes(self, task: Task) -> list[Outcome]:
        """The task's outcomes, in order. When it gave none (its worker stalled or died), the document
        to blame, if known, fails with the reason, and the others run again one at a time, each alone
        in the pool, so that one that stalls or kills its worker again is known to be the culprit."""
        done = self._wait(task)
        self._free.append(task.slot)
        if isinstance(done, ChunkResult):
            self.pipeline.seconds.update(done.seconds)
            return done.outcomes
        if len(task.raws) == 1:
            done.culprit = 0
        outcomes = []
        for i, raw in enumerate(task.raws):
            if i == done.culprit:
                logger.warning("%s: %s", raw.origin, done.reason)
                outcomes.append(Outcome(raw.origin, raw.doc_id, error=done.reason))
            else:
                outcomes.extend(self._outcomes(self._hand_over([raw])))
        return outcomes

    def _wait(self, task: Task) -> ChunkResult | Trouble:
        if task.future is None:  # the pool was replaced: hand over again what it lost, in order
            for waiting in self._pending:
                if waiting.future is None:
                    self._submit(waiting)
        assert task.future is not None
        while True:
            try:
                return task.future.result(timeout=POLL_S)
            except FutureTimeout:
                trouble = self._stalled(task)
                if trouble is not None:
                    self._restart()
                    return trouble
            except BrokenProcessPool:
                # Any worker's death breaks the whole pool: this task's documents are not to blame
                # unless it ran alone.
                step, index = self._step(task)
                self._restart()
                return Trouble(f"{_failed(step)}: the worker process died (out of memory?)",
                               index if len(task.raws) == 1 else None)
            except Exception as exc:  # an error outside the per-document isolation: the task is retried apart
                logger.exception("a task of %d documents failed", len(task.raws))
                return Trouble(f"analysis failed: {type(exc).__name__}: {exc}")

    def _step(self, task: Task) -> tuple[str, int]:
        base = 3 * task.slot
        return STEPS[int(self._board[base + 1])], int(self._board[base + 2])

    def _stalled(self, task: Task) -> Trouble | None:
        """Trouble when the task's current step has run ``GRACE_S`` past its limit: ``doc_timeout_s``,
        or for spaCy that many seconds for each document of the task (it parses them together)."""
        limit = self.settings.doc_timeout_s
        started = self._board[3 * task.slot]
        if limit <= 0 or not started:
            return None
        step, index = self._step(task)
        allowed = limit * (len(task.raws) if step == "parse" else 1) + GRACE_S
        if time.monotonic() - started <= allowed:
            return None
        # spaCy's step covers the whole task: its document is known only when it ran alone
        culprit = index if step != "parse" or len(task.raws) == 1 else None
        return Trouble(f"{_failed(step)}: took longer than {limit:g} s (doc_timeout_s); worker stopped", culprit)

    def _restart(self) -> None:
        """Kill the workers (a stalled C call ignores everything gentler) and start new ones. Tasks the
        old pool had not finished are handed over again when they are next waited for."""
        self._stop()
        self.restarts += 1
        for task in self._pending:
            future = task.future
            if future is not None and not (future.done() and not future.cancelled() and future.exception() is None):
                task.future = None
        self._start_pool()

    def _stop(self) -> None:
        assert self.pool is not None
        # The executor keeps no public handle on its workers; _processes is its map of them.
        for process in list((self.pool._processes or {}).values()):
            process.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None

    def close(self) -> None:
        if self.pool is None:
            return
        if self._pending:  # left early (an error while storing): workers may be stuck, do not wait for them
            self._stop()
        else:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __enter__(self) -> Analyser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _failed(step: str) -> str:
    return "cleaning failed" if step == "clean" else "analysis failed"
