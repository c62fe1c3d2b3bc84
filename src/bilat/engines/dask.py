"""Run the pipeline on a Dask cluster: workers read, clean and analyse; the client stores.

The input list (files, folders, globs, WARC archives; local paths or fsspec URLs) is expanded on
the client and cut into contiguous partitions. Each worker loads the :class:`Pipeline` once
(:class:`PipelinePlugin`) and turns one partition into Parquet files, one per table
(``<staging>/<run>/<table>/part-NNNNN.parquet``). The client then takes the partitions in input
order and hands each input to the coordinator (:class:`DaskExecutor` is an executor of
``coordinate.ingest``), which does what must be done centrally, as for the local engine: skipping
documents already stored or seen earlier in the run, near-duplicate detection, writing through the
single writer in batches, re-clustering events over the whole store. So a Dask run stores the same
rows as ``bilat.engines.local.ingest`` on the same input.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import math
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
from threadpoolctl import threadpool_limits

from ..config import Settings
from ..errors import ConfigError
from ..ingest import expand_paths, further_ids, read_file
from ..ingest.common import ReadContext, Sniffer
from ..model import Document, RawDocument, ReadError, StageError
from ..store.rows import documents_from_rows, rows_of
from .ids import assign_id

if TYPE_CHECKING:
    from .coordinate import Batch, Coordinator, Execution, IngestReport, ProgressCallback, Writer

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # dask is optional; ingest_dask says how to install it
    WorkerPlugin = object

logger = logging.getLogger(__name__)

PLUGIN = "bilat-pipeline"
FILES_PER_PARTITION = 200  # default partition size: small enough to balance, big enough to amortise
Input = tuple[str, str | None]  # (path or URL, None) or (origin, reason) of an input that cannot be read


def _dask():
    try:
        import distributed
    except ImportError as exc:  # an optional dependency: only this engine needs it
        raise ConfigError("the dask engine needs dask: pip install 'dask[distributed]'") from exc
    return distributed


def is_url(path: str) -> bool:
    return "://" in path


class PipelinePlugin(WorkerPlugin):
    """Holds one :class:`Pipeline` per worker, loaded at the first task that needs it.

    Registered with ``Client.register_plugin``; a task finds it as
    ``get_worker().plugins[PLUGIN]``. Loading lazily keeps worker start fast and lets a worker
    that joins later load its own copy.
    """

    name = PLUGIN

    def __init__(self, settings: Settings):
        # spaCy's own worker processes cannot start inside a Dask worker: Dask gives the parallelism.
        self.settings = dataclasses.replace(settings, n_process=1)
        self.key = repr(self.settings)  # a worker that holds a plugin of the same key is ready
        self._pipeline = None
        self._lock: threading.Lock | None = None

    def setup(self, worker) -> None:
        # One task at a time per pipeline: spaCy and the stage timers are not made for threads.
        self._lock = threading.Lock()
        # one BLAS thread, as in the local workers (engines/workers.py): Dask's workers take the cores
        threadpool_limits(1)

    def teardown(self, worker) -> None:
        self._pipeline = None

    def pipeline(self):
        from ..pipeline import Pipeline

        if self._pipeline is None:
            started = time.perf_counter()
            self._pipeline = Pipeline(self.settings)
            logger.info("pipeline loaded on worker in %.1f s", time.perf_counter() - started)
        return self._pipeline


# ---------------------------------------------------------------- client: inputs and partitions

def list_inputs(paths: Sequence[str]) -> list[Input]:
    """Every file to read, in the order the local engine reads them; URLs are expanded with fsspec."""
    out: list[Input] = []
    seen: set[str] = set()  # as expand_paths does over all its arguments: a file named twice is read once
    for given in paths:
        if given == "-":
            raise ConfigError("the dask engine cannot read stdin; give files, folders or URLs")
        if is_url(given):
            out.extend(_expand_url(given))
            continue
        for item in expand_paths([given]):
            if isinstance(item, ReadError):
                logger.warning("%s: %s", item.origin, item.reason)
                out.append((item.origin, item.reason))
            elif os.path.realpath(item) not in seen:
                seen.add(os.path.realpath(item))
                out.append((item, None))
    return out


def _expand_url(url: str) -> list[Input]:
    import fsspec

    try:
        fs, root = fsspec.core.url_to_fs(url)
        if set("*?[") & set(root):
            found = sorted(fs.glob(root))
        elif fs.isdir(root):
            found = sorted(fs.find(root))
        elif fs.exists(root):
            found = [root]
        else:
            return [(url, "no such file or directory")]
    except Exception as exc:  # a bad URL or an unreachable store is one failed input
        return [(url, f"cannot list {url}: {exc}")]
    found = [p for p in found if not any(part.startswith(".") for part in p[len(root):].split("/"))]
    if not found:
        return [(url, "no files match this pattern")]
    return [(fs.unstrip_protocol(p), None) for p in found]


def split(items: Sequence[Any], n: int) -> list[list[Any]]:
    """``n`` contiguous slices of ``items`` of near-equal size (no empty slice)."""
    n = max(1, min(n, len(items)))
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return [p for p in out if p]


def same_names_together(parts: list[list[Input]]) -> list[list[Input]]:
    """Files of one name ("a/index.html", "b/index.html") in one partition, in input order, so that the
    partition gives the later ones their further ids (engines/ids.py) as the local engine does."""
    home: dict[str, int] = {}
    out: list[list[Input]] = [[] for _ in parts]
    for i, part in enumerate(parts):
        for item in part:
            key = os.path.basename(item[0].rstrip("/")).split(".", 1)[0]
            out[home.setdefault(key, i)].append(item)
    return [p for p in out if p]


# ---------------------------------------------------------------- worker: one partition

def _read(path: str, ctx: ReadContext, scratch: str):
    """Read one input; a URL is first copied to a local file of the same name."""
    if not is_url(path):
        yield from read_file(path, ctx)
        return
    import fsspec

    local = os.path.join(scratch, uuid.uuid4().hex[:8], os.path.basename(path.rstrip("/")) or "input")
    os.makedirs(os.path.dirname(local))
    try:
        with fsspec.open(path, "rb") as src, open(local, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except Exception as exc:
        yield ReadError(path, f"cannot fetch: {exc}")
        return
    for item in read_file(local, ctx):
        item.origin = path + item.origin[len(local):] if item.origin.startswith(local) else item.origin
        if isinstance(item, ReadError):
            item.reason = item.reason.replace(local, path)
        elif item.alt_ids:  # the further ids come from the URL's path, not the scratch folder
            item.alt_ids = further_ids(path.split("://", 1)[-1].split("/"))
        yield item


def process_partition(index: int, inputs: list[Input], out_dir: str | None,
                      existing: dict[str, str]) -> dict[str, str | bytes]:
    """Read → clean → analyse one partition on a worker; returns the Parquet file of each table.

    The ``items`` table holds one row per input read, in input order: its origin, the id it is stored
    under, and ``status`` (``read-error``, ``exists``, ``failed`` with the reason, or ``ok``: its
    document's rows are in the other tables, ``store.rows``, and what the ingest log says of it that the
    store does not keep is in ``notes``). With no ``out_dir`` the Parquet comes back as bytes through Dask
    (no shared folder needed).
    """
    from distributed import get_worker

    plugin: PipelinePlugin = get_worker().plugins[PLUGIN]
    with plugin._lock:  # the pipeline is loaded at the first document to clean
        ctx = ReadContext(settings=plugin.settings, sniffer=Sniffer.packaged())
        items: list[dict] = []
        cleaned: list[Document] = []
        seen: dict[str, str] = {}
        with tempfile.TemporaryDirectory(prefix="bilat-fetch-") as scratch:
            for path, reason in inputs:
                if reason is not None:
                    items.append(_item(path, None, "read-error", reason))
                    continue
                for raw in _read(path, ctx, scratch):
                    if isinstance(raw, ReadError):
                        items.append(_item(raw.origin, None, "read-error", raw.reason))
                    elif (named := assign_id(raw, seen, existing)) is None:
                        items.append(_item(raw.origin, raw.doc_id, "exists"))
                    else:
                        items.append(_clean(plugin, named, cleaned))
        by_id = {it["doc_id"]: it for it in items if it["status"] == "ok"}
        analysed: list[Document] = []
        for doc, error in plugin.pipeline().analyse(cleaned) if cleaned else ():
            if error is None:
                analysed.append(doc)
                by_id[doc.doc_id]["notes"] = log_notes(doc)
            else:
                by_id[doc.doc_id].update(status="failed", reason=_workers().analysis_failed(error))
    tables = rows_of(analysed)
    tables["items"] = items
    return {name: _write_parquet(rows, out_dir and f"{out_dir}/{name}/part-{index:05d}.parquet")
            for name, rows in tables.items() if rows}


def _workers():
    from . import workers  # loads the pipeline's modules: on a Dask worker only once there is one to clean

    return workers


def _item(origin: str, doc_id: str | None, status: str, reason: str | None = None) -> dict:
    return {"origin": origin, "doc_id": doc_id, "status": status, "reason": reason, "notes": None}


def log_notes(doc: Document) -> str | None:
    """What the ingest log says of ``doc`` that its rows do not keep (limits hit, errors a stage recovered
    from), as JSON for the ``items`` table; None when there is nothing."""
    if not doc.limits and not doc.stage_errors:
        return None
    return json.dumps({"limits": doc.limits, "stage_errors": [[e.stage, e.error] for e in doc.stage_errors]})


def with_notes(doc: Document, notes: str | None) -> Document:
    """``doc`` rebuilt from rows, given back what :func:`log_notes` kept."""
    if notes:
        kept = json.loads(notes)
        doc.limits = list(kept["limits"])
        doc.stage_errors = [StageError(stage, error) for stage, error in kept["stage_errors"]]
    return doc


def _clean(plugin: PipelinePlugin, raw: RawDocument, cleaned: list[Document]) -> dict:
    doc, reason = _workers().clean_one(plugin.pipeline(), raw, plugin.settings)
    if doc is None:
        return _item(raw.origin, raw.doc_id, "failed", reason)
    cleaned.append(doc)
    return _item(raw.origin, raw.doc_id, "ok")


def _write_parquet(rows: list[dict], path: str | None) -> str | bytes:
    import fsspec

    if path is None:
        sink = pa.BufferOutputStream()
        pq.write_table(pa.Table.from_pylist(rows), sink)
        return sink.getvalue().to_pybytes()
    fs, local = fsspec.core.url_to_fs(path)
    fs.makedirs(local.rsplit("/", 1)[0], exist_ok=True)
    with fs.open(local, "wb") as f:
        pq.write_table(pa.Table.from_pylist(rows), f)
    return path


def _read_parquet(path: str | bytes) -> list[dict]:
    import fsspec

    if isinstance(path, bytes):
        return pq.read_table(pa.BufferReader(path)).to_pylist()
    with fsspec.open(path, "rb") as f:
        return pq.read_table(f).to_pylist()


# ---------------------------------------------------------------- client: the run

class DaskExecutor:
    """Read, clean and analyse on a Dask cluster; the client hands what the workers made to the coordinator.

    ``scheduler``: a scheduler address (``tcp://host:8786``); None starts a LocalCluster of two
    single-threaded worker processes. ``partitions``: how many tasks (default: enough for about
    200 files each and at least 4 per worker thread). ``staging``: where workers write Parquet,
    a folder or fsspec URL all workers and the client can reach; kept afterwards. Without it, a
    LocalCluster writes to a temporary folder (removed afterwards) and remote workers send their
    Parquet back through Dask.
    """

    def __init__(self, scheduler: str | None = None, partitions: int | None = None,
                 staging: str | None = None) -> None:
        self.scheduler = scheduler
        self.partitions = partitions
        self.staging = staging

    @contextlib.contextmanager
    def run(self, paths: list[str], settings: Settings, writer: Writer) -> Iterator[Execution]:
        # The client's imports: workers load only what reading needs until they clean a document.
        from .coordinate import Execution
        from .provenance import run_info

        distributed = _dask()
        scheduler = self.scheduler
        inputs = list_inputs(paths)
        # A LocalCluster shares this machine's disk; remote workers may not: their Parquet comes back
        # through Dask unless a staging folder or URL that all can reach is given.
        own_staging = self.staging is None and scheduler is None
        root = tempfile.mkdtemp(prefix="bilat-dask-") if own_staging else self.staging and self.staging.rstrip("/")
        with contextlib.ExitStack() as stack:
            if own_staging:
                stack.callback(shutil.rmtree, root, ignore_errors=True)
            if scheduler is None:
                cluster = stack.enter_context(distributed.LocalCluster(
                    n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                    silence_logs=logging.WARNING))
            try:
                client = stack.enter_context(distributed.Client(cluster if scheduler is None else scheduler))
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
            threads = max(1, sum(client.nthreads().values()))
            n = self.partitions or max(4 * threads, math.ceil(len(inputs) / FILES_PER_PARTITION))
            parts = same_names_together(split(inputs, n))
            _register(client, PipelinePlugin(settings))
            existing = _stored_ids(writer)
            known = client.scatter([existing], broadcast=True)[0] if parts else None
            out_dir = root and f"{root}/{writer.run_id}"
            # handed out before the coordinator reads the store's texts: the workers start meanwhile
            futures = [client.submit(process_partition, i, part, out_dir, known, key=f"bilat-{writer.run_id}-{i}",
                                     pure=False) for i, part in enumerate(parts)]

            def batches(run: Coordinator) -> Iterator[Batch]:
                return _batches(run, settings.batch_size, parts, futures)

            args = {"paths": paths, "engine": "dask", "scheduler": scheduler or "local", "partitions": len(parts)}
            yield Execution(args, run_info(settings), batches)


def ingest_dask(paths: list[str], db: str, settings: Settings | None = None, scheduler: str | None = None,
                partitions: int | None = None, staging: str | None = None,
                progress: ProgressCallback | None = None) -> IngestReport:
    """``coordinate.ingest`` with a :class:`DaskExecutor`: the same stored rows as the local engine."""
    from .coordinate import ingest

    return ingest(paths, db, settings or Settings(), DaskExecutor(scheduler, partitions, staging), progress)


def _plugin_key(dask_worker) -> str | None:
    return getattr(dask_worker.plugins.get(PLUGIN), "key", None)


def _register(client, plugin: PipelinePlugin) -> None:
    """Register the plugin, unless every worker already holds one for the same settings.

    Re-registering would make a long-lived cluster load spaCy again for every ingest.
    """
    keys = client.run(_plugin_key)
    if keys and all(k == plugin.key for k in keys.values()):
        logger.info("workers already hold the pipeline for these settings")
        return
    client.register_plugin(plugin, name=PLUGIN)


def _stored_ids(writer) -> dict[str, str]:
    """Every stored id with the origin of its document (a file's id may be taken by another file)."""
    cur = writer.con.execute("SELECT doc_id, origin FROM documents")
    return {r[0]: r[1] for r in cur.fetchall()}


def _batches(run: Coordinator, batch_size: int, parts: list[list[Input]], futures: list) -> Iterator[Batch]:
    """Load the partitions in input order; batches of what the workers made, filled through the coordinator."""
    from .coordinate import Batch

    batch = Batch()
    for part, future in zip(parts, futures, strict=True):
        try:
            files = future.result()
        except Exception as exc:  # a lost or crashed task: its inputs are reported, a rerun retries them
            logger.error("partition of %d inputs failed: %s", len(part), exc)
            for path, _ in part:
                run.report.read += 1
                run.fail(batch, path, None, f"dask task failed: {type(exc).__name__}: {exc}")
            continue
        finally:
            future.release()
        tables = {name: _read_parquet(path) for name, path in files.items()}
        docs = {doc.doc_id: doc for doc in documents_from_rows(tables)}
        for item in tables.get("items", []):
            _take(run, batch, item, docs)
            if len(batch) >= batch_size:
                yield batch
                batch = Batch()
    if len(batch):
        yield batch


def _take(run: Coordinator, batch: Batch, item: dict, docs: dict[str, Document]) -> None:
    """What the workers made of one input, taken in input order as the local engine takes it."""
    run.report.read += 1
    origin, doc_id, status = item["origin"], item["doc_id"], item["status"]
    if status == "read-error":
        run.fail(batch, origin, None, item["reason"])
    elif status == "exists" or not run.claim(doc_id, origin):
        run.exists(batch, origin, doc_id)
    elif status == "failed":
        run.fail(batch, origin, doc_id, item["reason"])
    else:
        run.store(batch, with_notes(docs[doc_id], item.get("notes")), origin)
