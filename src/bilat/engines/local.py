"""Run the pipeline on one machine: read here, clean and analyse here or in a pool of worker processes.

:class:`LocalExecutor` is the executor of ``coordinate.ingest`` for this machine: it reads the inputs in
this process, in batches of ``Settings.batch_size``, and hands each batch to ``workers.Analyser``, which
cleans and analyses it inline (``n_process`` 1) or in ``n_process`` worker processes, results in input
order. What is done with each input once read and once analysed is the coordinator's (``coordinate.py``),
shared with the Dask engine; :func:`ingest` is the same call with this executor.
"""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import IO

from ..config import Settings
from ..ingest import iter_inputs
from ..pipeline import Pipeline
from . import coordinate
from .coordinate import Batch, Coordinator, Execution, IngestReport, ProgressCallback, Writer
from .provenance import run_info
from .workers import Analyser

__all__ = ["IngestReport", "LocalExecutor", "ProgressCallback", "ingest"]

logger = logging.getLogger(__name__)


def _batches(items: Iterable, size: int):
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class LocalExecutor:
    """Read, clean and analyse on this machine: inline, or in ``settings.n_process`` worker processes.

    ``pipeline``: a loaded pipeline to use (else one is loaded from the run's settings); ``stdin``: where
    the input ``-`` is read from."""

    def __init__(self, pipeline: Pipeline | None = None, stdin: IO | None = None) -> None:
        self.pipeline = pipeline
        self.stdin = stdin

    @contextmanager
    def run(self, paths: list[str], settings: Settings, writer: Writer) -> Iterator[Execution]:
        pipeline = self.pipeline or Pipeline(settings)
        with Analyser(pipeline, settings) as analyser:

            def batches(run: Coordinator) -> Iterator[Batch]:
                raws = pipeline.timed("read", iter_inputs(paths, settings, stdin=self.stdin))
                # batches in flight: handed to the workers, not yet stored (bounded, so memory stays flat)
                in_flight: deque[tuple[Batch, object]] = deque()
                for items in _batches(raws, settings.batch_size):
                    batch = Batch()
                    in_flight.append((batch, analyser.submit(run.admit(batch, items))))
                    while len(in_flight) > analyser.lookahead:
                        yield _settled(*in_flight.popleft(), analyser, run)
                while in_flight:
                    yield _settled(*in_flight.popleft(), analyser, run)
                analyser.close()  # the workers' memory back before the store is re-clustered

            yield Execution({"paths": paths}, run_info(settings, pipeline), batches, pipeline.seconds,
                            pipeline.places)


def _settled(batch: Batch, handle, analyser: Analyser, run: Coordinator) -> Batch:
    """Wait for one batch and link its near-duplicates in input order: it is ready to write."""
    run.settle(batch, analyser.result(handle))
    return batch


def ingest(paths: list[str], db: str, settings: Settings | None = None, pipeline: Pipeline | None = None,
           progress: ProgressCallback | None = None, stdin: IO | None = None) -> IngestReport:
    """``coordinate.ingest`` with a :class:`LocalExecutor`; ``settings`` default to the pipeline's."""
    settings = settings or (pipeline.settings if pipeline else Settings())
    return coordinate.ingest(paths, db, settings, LocalExecutor(pipeline, stdin), progress)
