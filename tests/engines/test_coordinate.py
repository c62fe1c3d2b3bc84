"""The coordinator every engine hands each input to: what it logs, counts and links, over a stand-in writer."""
import json
from contextlib import contextmanager

from bilat.config import Settings
from bilat.engines.coordinate import Batch, Coordinator, Execution, IngestReport, Outcome, ingest
from bilat.model import Document, RawDocument, ReadError, RemovedParagraph
from bilat.store.writer import RunInfo, connect

TEXT = ("The foreign ministers of Norland and Sudria met in the capital for talks on water sharing and agreed "
        "to meet again in two weeks, officials said on Monday after the session.")


class Writer:
    """What the coordinator asks of a store writer, in memory."""

    def __init__(self, stored: dict[str, tuple[str, str]]):
        self.stored = stored  # doc_id: (origin, text)
        self.batches: list[Batch] = []

    def canonical_texts(self):
        return [(doc_id, text) for doc_id, (_, text) in sorted(self.stored.items())]

    def existing_origins(self, doc_ids):
        return {i: self.stored[i][0] for i in doc_ids if i in self.stored}

    def write(self, docs, log):
        self.batches.append(Batch(list(docs), list(log)))


def doc(doc_id: str, text: str = TEXT) -> Document:
    return Document(doc_id=doc_id, origin=f"in/{doc_id}.txt", fmt="txt", text=text,
                    removed=[RemovedParagraph("x" * 10, "limit: max_doc_chars")], limits=["sentences cut"])


def test_each_input_is_one_log_entry_counted_once():
    writer = Writer({"old": ("in/old.txt", "Something else entirely, stored long ago by another run.")})
    report = IngestReport(db="mem")
    run = Coordinator(writer, Settings(), report)
    batch = Batch()
    items = [ReadError("bad.txt", "empty file"), RawDocument("old", "in/old.txt", "txt", text="x"),
             RawDocument("new", "in/new.txt", "txt", text=TEXT), RawDocument("new", "in/new.txt", "txt", text=TEXT),
             RawDocument("old", "other/old.txt", "txt", text="y", alt_ids=("old.txt",))]
    todo = run.admit(batch, items)
    assert [(r.doc_id, r.origin) for r in todo] == [("new", "in/new.txt"), ("old.txt", "other/old.txt")]
    run.settle(batch, [Outcome("in/new.txt", "new", doc=doc("new")),
                       Outcome("other/old.txt", "old.txt", error="analysis failed: boom")])
    progress = []
    run.write(batch, lambda done, failed: progress.append((done, failed)))
    assert progress == [(5, 2)] and writer.batches[0].docs[0].doc_id == "new"
    assert [(e.origin, e.doc_id, e.status) for e in batch.log] == [
        ("bad.txt", None, "failed"), ("in/old.txt", "old", "exists"), ("in/new.txt", "new", "exists"),
        ("in/new.txt", "new", "ingested"), ("other/old.txt", "old.txt", "failed")]
    assert batch.log[3].reason == "limit: max_doc_chars (10 chars kept aside); sentences cut"
    assert (report.read, report.existing, report.failed, report.ingested) == (5, 2, 2, 1)
    assert report.reasons == {"empty file": 1, "analysis failed": 1}
    assert run.seconds["store"] > 0


def test_near_copies_link_to_stored_documents_only():
    writer = Writer({"first": ("first.txt", TEXT)})
    report = IngestReport(db="mem")
    run = Coordinator(writer, Settings(), report)
    batch = Batch()
    run.store(batch, doc("copy", TEXT + " More."))
    assert batch.docs[0].duplicate_of == "first" and batch.log[0].status == "duplicate"
    # a document whose analysis failed is not stored, so nothing can be a copy of it (as in every engine)
    other = "An unrelated report about grain exports from the southern ports rising sharply this year again."
    run.settle(batch, [Outcome("lost.txt", "lost", error="analysis failed: boom")])
    run.store(batch, doc("kept", other), origin="s3://bucket/kept.txt")
    assert batch.docs[1].duplicate_of is None and batch.log[-1].origin == "s3://bucket/kept.txt"
    assert run.claim("kept", "x") and not run.claim("kept", "y")
    assert report.duplicates == 1


class Ready:
    """An executor whose documents come analysed already: what ``ingest`` does around any executor."""

    def __init__(self, docs: list[Document]):
        self.docs = {d.doc_id: d for d in docs}
        self.entered = 0

    @contextmanager
    def run(self, paths, settings, writer):
        self.entered += 1

        def batches(run):
            for d in self.docs.values():  # one input a batch, in input order
                batch = Batch()
                for raw in run.admit(batch, [RawDocument(d.doc_id, d.origin, "txt", text=d.text)]):
                    run.settle(batch, [Outcome(raw.origin, raw.doc_id, doc=self.docs[raw.doc_id])])
                yield batch

        yield Execution({"paths": paths, "engine": "ready"}, RunInfo(settings={"batch_size": 1}), batches)


def test_every_executor_goes_through_one_ingest(tmp_path):
    db = str(tmp_path / "store.duckdb")
    other = "An unrelated report about grain exports from the southern ports rising sharply this year again."
    executor = Ready([doc("a"), doc("b", TEXT + " More."), doc("c", other)])
    done = []
    report = ingest(["in/"], db, Settings(), executor, progress=lambda n, failed: done.append((n, failed)))
    assert (report.read, report.ingested, report.duplicates, report.events) == (3, 3, 1, 0)
    assert done == [(1, 0)] * 3  # each batch written on its own
    again = ingest(["in/"], db, Settings(), executor)
    assert (again.read, again.ingested, again.existing) == (3, 0, 3) and executor.entered == 2
    con = connect(db, read_only=True)
    runs = con.execute("SELECT args, counts FROM runs ORDER BY started").fetchall()
    docs = con.execute("SELECT doc_id, duplicate_of FROM documents ORDER BY doc_id").fetchall()
    con.close()
    assert [json.loads(a)["engine"] for a, _ in runs] == ["ready", "ready"]
    assert [json.loads(c)["ingested"] for _, c in runs] == [3, 0]
    assert docs == [("a", None), ("b", "a"), ("c", None)]
