"""Run the pipeline on one machine: read → clean → deduplicate → analyse → store, in batches.

Each batch is written in one transaction, so an interrupted run leaves only whole
documents; documents already stored are skipped before any work is spent on them, so a
rerun resumes where the last one stopped and re-ingesting adds nothing. What is done with
each input once read and once analysed is the coordinator's (``coordinate.py``), shared with
the Dask engine.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterable
from itertools import islice

from ..config import Settings
from ..ingest import iter_inputs
from ..pipeline import Pipeline
from ..store.backends import open_writer
from .coordinate import Batch, Coordinator, IngestReport, ProgressCallback
from .provenance import run_info
from .workers import Analyser

__all__ = ["IngestReport", "ProgressCallback", "ingest"]

logger = logging.getLogger(__name__)


def _batches(items: Iterable, size: int):
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def ingest(paths: list[str], db: str, settings: Settings | None = None, pipeline: Pipeline | None = None,
           progress: ProgressCallback | None = None, stdin=None) -> IngestReport:
    settings = settings or (pipeline.settings if pipeline else Settings())
    report = IngestReport(db=db)
    started = time.perf_counter()
    with open_writer(db) as writer:
        pipeline = pipeline or Pipeline(settings)
        writer.start_run({"paths": paths}, run_info(settings, pipeline))
        run = Coordinator(writer, settings, report, pipeline.seconds)
        raws = pipeline.timed("read", iter_inputs(paths, settings, stdin=stdin))
        # batches in flight: handed to the workers, not yet stored (bounded, so memory stays flat)
        in_flight: deque[tuple[Batch, object]] = deque()
        with Analyser(pipeline, settings) as analyser:
            for items in _batches(raws, settings.batch_size):
                batch = Batch()
                in_flight.append((batch, analyser.submit(run.admit(batch, items))))
                while len(in_flight) > analyser.lookahead:
                    _store(*in_flight.popleft(), analyser, run, progress)
            while in_flight:
                _store(*in_flight.popleft(), analyser, run, progress)
        run.finish(started, places=pipeline.places)
    return report


def _store(batch: Batch, handle, analyser: Analyser, run: Coordinator, progress: ProgressCallback | None) -> None:
    """Wait for one batch, link near-duplicates in input order and write the batch in one transaction."""
    run.settle(batch, analyser.result(handle))
    run.write(batch, progress)
