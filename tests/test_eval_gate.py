"""Accuracy gates: the seeds, the demo corpus and the PLOVER gold, scored by shared/eval/score.py.

Floors live in eval_baseline.json; a change that drops a score below its floor fails here.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bilat.engines.local import ingest
from bilat.store.export import export
from bilat.store.writer import connect
from bilat_paths import DEMO, ROOT, SEEDS, SHARED

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())
SCORE = SHARED / "eval" / "score.py"


def score(gold: Path, paths: list[str], tmp: Path, pipeline, *flags: str) -> dict:
    db = str(tmp / "eval.duckdb")
    ingest(paths, db, pipeline=pipeline)
    export(connect(db, read_only=True), tmp / "out", "jsonl")
    result = subprocess.run([sys.executable, str(SCORE), str(gold), str(tmp / "out"), "--json", *flags],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def check(report: dict, floors: dict) -> list[str]:
    misses = []
    for metric, fields in floors.items():
        for name, floor in fields.items():
            value = report[metric][name]
            if value is None or value < floor:
                misses.append(f"{metric}.{name} = {value} < {floor}")
    return misses


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory, pipeline):
    if not SCORE.exists():
        pytest.skip("../shared/eval is not beside the checkout")
    return score(SHARED / "eval" / "seeds.gold.jsonl", [str(SEEDS)], tmp_path_factory.mktemp("seeds"), pipeline)


def test_seed_scores_hold(seed_report):
    assert check(seed_report, BASELINE["seeds"]) == []


def test_demo_corpus_scores_hold(tmp_path, pipeline):
    report = score(ROOT / "examples" / "gold" / "demo.gold.jsonl", [str(DEMO)], tmp_path, pipeline)
    assert check(report, BASELINE["demo"]) == []


@pytest.fixture(scope="module")
def plover_report(tmp_path_factory, pipeline):
    gsr = SHARED / "eval" / "plover-gsr"
    if not gsr.exists():
        pytest.skip("no PLOVER gold")
    return score(gsr / "gold.jsonl", [str(gsr / "input.jsonl")], tmp_path_factory.mktemp("gsr"), pipeline,
                 "--orgs-as-igo")


def test_plover_gold_scores_hold(plover_report):
    assert check(plover_report, BASELINE["plover_gsr"]) == []


def test_selective_parse_costs_at_most_a_hundredth_of_event_f1(tmp_path, seed_report, plover_report):
    """Issue 7: parsing only the sentences that can hold an event keeps event F1 within 0.01."""
    from bilat.config import Settings
    from bilat.pipeline import Pipeline

    selective = Pipeline(Settings(parse="selective"))
    gsr = SHARED / "eval" / "plover-gsr"
    (tmp_path / "s").mkdir()
    (tmp_path / "g").mkdir()
    seeds = score(SHARED / "eval" / "seeds.gold.jsonl", [str(SEEDS)], tmp_path / "s", selective)
    plover = score(gsr / "gold.jsonl", [str(gsr / "input.jsonl")], tmp_path / "g", selective, "--orgs-as-igo")
    for full, fast in ((seed_report, seeds), (plover_report, plover)):
        assert fast["events"]["f1"] >= full["events"]["f1"] - 0.01, (full["events"], fast["events"])


def test_plover_gold_scores_hold_under_the_plover_convention(tmp_path):
    gsr = SHARED / "eval" / "plover-gsr"
    if not gsr.exists():
        pytest.skip("no PLOVER gold")
    from bilat.config import Settings
    from bilat.pipeline import Pipeline

    plover = Pipeline(Settings(convention="plover"))  # PLOVER's own coding habits (one-sided events)
    report = score(gsr / "gold.jsonl", [str(gsr / "input.jsonl")], tmp_path, plover, "--orgs-as-igo")
    assert check(report, BASELINE["plover_gsr_plover_convention"]) == []


def test_every_gold_evidence_sentence_survives_cleaning(tmp_path, pipeline):
    if not SEEDS.exists():
        pytest.skip("no seeds")
    db = str(tmp_path / "clean.duckdb")
    ingest([str(SEEDS)], db, pipeline=pipeline)
    con = connect(db, read_only=True)
    texts = dict(con.execute("SELECT doc_id, text FROM documents").fetchall())
    missing = []
    for line in (SHARED / "eval" / "seeds.gold.jsonl").read_text().splitlines():
        gold = json.loads(line)
        for item in gold["events"] + gold.get("quantities", []):
            if item.get("evidence") and item["evidence"] not in texts[gold["id"]]:
                missing.append((gold["id"], item["evidence"][:60]))
    assert missing == []


def dev_news_report(lang: str, tmp_path: Path, pipeline) -> dict:
    """dev-news in one language, read as a crawler would (make_input.py drops the page store's stamp)."""
    dev = SHARED / "eval" / "dev-news"
    if not (dev / "make_input.py").exists():
        pytest.skip("no dev-news set")
    inputs = tmp_path / f"dev-news-{lang}.jsonl"
    subprocess.run([sys.executable, str(dev / "make_input.py"), str(inputs), "--lang", lang], check=True,
                   capture_output=True)
    (tmp_path / "run").mkdir()
    return score(dev / "gold.jsonl", [str(inputs)], tmp_path / "run", pipeline, "--lang", lang)


def test_dev_news_english_scores_hold(tmp_path, pipeline):
    """Issue 13: real news the team did not write (dev-news, English)."""
    assert check(dev_news_report("en", tmp_path, pipeline), BASELINE["dev_news_en"]) == []


def test_dev_news_russian_scores_hold(tmp_path, pipeline):
    """Issue 17: the Russian articles of dev-news."""
    assert check(dev_news_report("ru", tmp_path, pipeline), BASELINE["dev_news_ru"]) == []


def test_team_russian_gold_scores_hold(tmp_path, pipeline):
    """Issue 17: the team's own 25 Russian articles (examples/ru)."""
    report = score(ROOT / "examples" / "ru" / "gold" / "ru.gold.jsonl", [str(ROOT / "examples" / "ru" / "corpus")],
                   tmp_path, pipeline)
    assert check(report, BASELINE["team_ru"]) == []
