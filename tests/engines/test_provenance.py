"""Two ingests under different conventions into one store: the store answers, per document, which
convention, event coder and rule versions produced it (``runs`` and ``documents.run_id``)."""
import dataclasses
import json

import pytest
from test_ingest import ARTICLE

import bilat
from bilat.config import Settings
from bilat.engines.local import ingest
from bilat.engines.provenance import PIPELINE_FIELDS, rule_versions, run_info
from bilat.pipeline import Pipeline
from bilat.store.writer import connect


@pytest.fixture(scope="module")
def plover(pipeline):
    """The plover convention, sharing the session pipeline's spaCy model."""
    return Pipeline(Settings(convention="plover"), nlp=pipeline.nlp)


def test_a_store_of_two_conventions_tells_which_produced_each_document(tmp_path, pipeline, plover):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "news.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b" / "plover.txt").write_text(ARTICLE.replace("Tuesday", "Friday").replace("Moscow talks",
                                                                                            "Talks"), encoding="utf-8")
    db = str(tmp_path / "mixed.duckdb")
    assert ingest([str(tmp_path / "a")], db, pipeline=pipeline).ingested == 1
    assert ingest([str(tmp_path / "b")], db, pipeline=plover).ingested == 1

    with bilat.open(db) as corpus:
        news, other = corpus.document_run("news"), corpus.document_run("plover")
    assert news["run_id"] != other["run_id"]
    assert (news["convention"], other["convention"]) == ("news", "plover")
    assert news["model"] == other["model"] == pipeline.coder.coder.version
    assert news["coder_model"] == pipeline.coder.coder.version
    assert news["rule_versions"] == other["rule_versions"] == rule_versions()
    assert news["rule_versions"]["verbs"] >= 1 and len(news["rule_versions"]["digest"]) == 16
    assert news["parse"] == pipeline.settings.parse and news["bilat_version"] == bilat.__version__
    assert news["ml_coder_model"].startswith("coder-")
    # every field of Settings, as the run used them
    assert set(news["settings"]) == {f.name for f in dataclasses.fields(Settings)}
    assert (news["settings"]["convention"], other["settings"]["convention"]) == ("news", "plover")
    assert news["started"] <= news["finished"]

    con = connect(db, read_only=True)
    runs = con.execute("SELECT run_id, convention, counts FROM runs ORDER BY started").fetchall()
    assert [r[:2] for r in runs] == [(news["run_id"], "news"), (other["run_id"], "plover")]
    assert json.loads(runs[0][2])["ingested"] == 1


def test_the_pipeline_settings_are_the_ones_recorded(pipeline):
    """An engine handed a loaded pipeline analyses with the pipeline's parse mode and convention, whatever
    its own settings say; its own batch size and workers are its own."""
    asked = dataclasses.replace(pipeline.settings, convention="plover", parse="full", n_process=3, batch_size=7)
    recorded = run_info(asked, pipeline)
    assert (recorded.convention, recorded.parse) == (pipeline.events.convention, pipeline.settings.parse)
    assert recorded.settings["n_process"] == 3 and recorded.settings["batch_size"] == 7
    assert all(recorded.settings[f] == getattr(pipeline.settings, f) for f in PIPELINE_FIELDS)
    rules_only = run_info(dataclasses.replace(Settings(), coder="rules"))  # the Dask client: no pipeline
    assert rules_only.coder_model is None and rules_only.convention == "news"
    assert run_info(Settings()).coder_model == pipeline.coder.coder.version
