"""Clustering a group of (type, actor pair) partitions at a time gives the ids of clustering all at once."""
from bilat.engines.clustering import _groups, recluster_events
from bilat.engines.local import ingest
from bilat.store.writer import connect
from bilat_paths import DEMO


def merged(con, max_rows: int) -> dict:
    out: dict = {}
    for part in recluster_events(con, max_rows=max_rows):
        assert not set(part) & set(out), "an event was clustered twice"
        out.update(part)
    return out


def test_small_groups_give_the_same_ids(tmp_path, pipeline):
    db = str(tmp_path / "demo.duckdb")
    ingest([str(DEMO)], db, pipeline=pipeline)
    con = connect(db, read_only=True)
    stored = con.execute("SELECT doc_id, idx, event_id FROM events").fetchall()
    whole = merged(con, max_rows=10**9)
    assert len(list(recluster_events(con, max_rows=10**9))) == 1
    assert len(list(recluster_events(con, max_rows=5))) > 10  # really in many groups
    assert merged(con, max_rows=5) == whole
    assert whole == {(d, i): e for d, i, e in stored}  # what the ingest stored
    assert len(set(whole.values())) < len(whole)  # some mentions do share an event


def test_groups_cover_every_partition_once():
    sizes = [3, 1, 70, 2, 2, 9, 1]
    groups = list(_groups(sizes, max_rows=10))
    assert groups == [(0, 1), (2, 2), (3, 4), (5, 6)]
    assert list(_groups([], 10)) == []
