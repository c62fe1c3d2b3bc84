"""A small run of the load test (bench/load_test.py) in-process over the demo store: no errors, every
endpoint hit. Timing is the script's business (the machine is shared); here only correctness counts."""
from __future__ import annotations

import asyncio

import httpx
from load_test import MIX, plan, run_load


def test_small_load_run_has_no_errors_and_hits_every_endpoint(demo_db, tmp_path):
    from bilat.server import create_app

    app = create_app(demo_db, index_path=tmp_path / "search.sqlite")

    def make_client() -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bilat.test")

    result = asyncio.run(run_load(make_client, clients=10, requests=300, seed=3))
    assert result["errors"] == 0, result["error_examples"]
    assert result["requests"] == 300
    assert set(result["endpoints"]) == {name for name, *_ in MIX}
    assert sum(r["requests"] for r in result["endpoints"].values()) == 300
    for stats in [result["overall"], *result["endpoints"].values()]:
        assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"] <= stats["max_ms"]


def test_plan_is_seeded_and_covers_the_mix():
    from load_test import Sample

    sample = Sample(dyads=["RUS-TJK"], event_keys=["e1"], doc_ids=["d 1/2"], actors=["Vladimir Putin"],
                    outlets=["Oxus Daily"], types=["AGREE", "CONSULT"], words=["border", "talks"], years=(2019, 2024))
    first, again = plan(200, sample, seed=5), plan(200, sample, seed=5)
    assert first == again and len(first) == 200
    assert [p.endpoint for p in first[:len(MIX)]] == [name for name, *_ in MIX]
    assert "/api/documents/d%201%2F2" in {p.path for p in first}  # path segments are encoded
    assert plan(200, sample, seed=6) != first
