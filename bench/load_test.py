"""Bounded load test of the dashboard and REST API (a script, not a test).

    python bench/load_test.py [--db /tmp/bilat-big.duckdb] [--clients 50] [--requests 20000] [--json]
    python bench/load_test.py --url http://127.0.0.1:8000 ...     # a server that is already running

Starts ``bilat serve`` on a free 127.0.0.1 port against the store (made with ``make_big_db.py`` if
missing; mentions and figures are added to it when it has none, see ``add_mentions_and_figures``), learns real dyads, event keys, documents, actors and words from the API, then runs
``--clients`` concurrent clients (asyncio, one httpx connection each) that share a fixed plan of
``--requests`` requests drawn from a weighted mix of API endpoints and dashboard pages, with the
filters and pages a user clicks through. Prints p50/p95/p99 latency per endpoint and overall,
throughput and errors: any non-2xx answer, connection error or timeout (``--timeout``) is an error.
``run_load`` is importable (tests/api/test_load_small.py runs it in-process over an ASGI transport).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_latency import cpu_seconds, free_port  # noqa: E402  (the same helpers as the latency script)

logger = logging.getLogger(__name__)

Params = dict[str, Any]
ClientFactory = Callable[[], httpx.AsyncClient]


@dataclass
class Sample:
    """Values taken from the server itself, so requests name things that exist."""

    dyads: list[str]
    event_keys: list[str]
    doc_ids: list[str]
    actors: list[str]
    outlets: list[str]
    types: list[str]
    words: list[str]
    years: tuple[int, int]


@dataclass(frozen=True)
class Planned:
    endpoint: str  # the route template, e.g. "GET /api/dyads/{pair}/timeline"
    path: str
    params: Params = field(default_factory=dict)


def _filters(rng: random.Random, s: Sample, dyad: bool = False, outlet: bool = True) -> Params:
    """Filters drawn the way a user sets them: often none, sometimes a period, a type, an outlet."""
    p: Params = {}
    if rng.random() < 0.4:
        year = rng.randint(*s.years)
        p.update(since=str(year), until=str(min(s.years[1], year + rng.randint(0, 3))))
    if rng.random() < 0.25 and s.types:
        p["type"] = ",".join(rng.sample(s.types, min(len(s.types), rng.choice([1, 1, 2]))))
    if outlet and rng.random() < 0.2 and s.outlets:
        p["outlet"] = rng.choice(s.outlets)
    if dyad and rng.random() < 0.3 and s.dyads:
        p["dyad"] = rng.choice(s.dyads)
    return p


def q(part: str) -> str:
    """One path segment, percent-encoded (names hold spaces; a '/' must not split the path)."""
    return quote(part, safe="")


def _page(rng: random.Random, sizes: tuple[int, ...] = (20, 50, 100)) -> Params:
    return {"limit": rng.choice(sizes), "offset": rng.choice([0, 0, 0, 50, 100, 1000])}


# (endpoint, weight, build(rng, sample) -> (path, params)); weights are a guess at dashboard use:
# the dyad views and the event list dominate, pages are fewer than the JSON calls they make.
MIX: list[tuple[str, int, Callable[[random.Random, Sample], tuple[str, Params]]]] = [
    ("GET /api/dyads/{pair}/timeline", 14,
     lambda r, s: (f"/api/dyads/{q(r.choice(s.dyads))}/timeline", _filters(r, s) | _page(r, (50, 100, 500)))),
    ("GET /api/dyads/{pair}/monthly", 10, lambda r, s: (f"/api/dyads/{q(r.choice(s.dyads))}/monthly", _filters(r, s))),
    ("GET /api/dyads/{pair}/actors", 4, lambda r, s: (f"/api/dyads/{q(r.choice(s.dyads))}/actors", _filters(r, s))),
    ("GET /api/events", 18, lambda r, s: ("/api/events", _filters(r, s, dyad=True) | _page(r)
                                          | ({"order": "asc"} if r.random() < 0.2 else {}))),
    ("GET /api/events/{key}", 10, lambda r, s: (f"/api/events/{q(r.choice(s.event_keys))}", {})),
    ("GET /api/event-types", 4, lambda r, s: ("/api/event-types", _filters(r, s, dyad=True))),
    ("GET /api/documents", 4, lambda r, s: ("/api/documents", _filters(r, s) | _page(r))),
    ("GET /api/documents/{id}", 6, lambda r, s: (f"/api/documents/{q(r.choice(s.doc_ids))}", {})),
    ("GET /api/actors", 5, lambda r, s: ("/api/actors", _page(r) | (
        {"q": r.choice(s.actors)[:r.randint(3, 8)]} if r.random() < 0.5 else {}))),
    ("GET /api/actors/{name}", 4, lambda r, s: (f"/api/actors/{q(r.choice(s.actors))}", {})),
    ("GET /api/claims", 4, lambda r, s: ("/api/claims", _filters(r, s, outlet=False) | _page(r)
                                         | ({"disagreement": "true"} if r.random() < 0.3 else {}))),
    ("GET /api/search", 7, lambda r, s: ("/api/search", {"q": " ".join(r.sample(s.words, r.choice([1, 1, 2])))})),
    ("GET /api/summary", 2, lambda r, s: ("/api/summary", {})),
    ("GET /api/network", 2, lambda r, s: ("/api/network", _filters(r, s, dyad=True))),
    ("GET / (page)", 1, lambda r, s: ("/", _filters(r, s))),
    ("GET /dyads/{pair} (page)", 2, lambda r, s: (f"/dyads/{q(r.choice(s.dyads))}", _filters(r, s))),
    ("GET /events (page)", 2, lambda r, s: ("/events", _filters(r, s, dyad=True) | {"page": r.choice([1, 1, 2, 20])})),
    ("GET /events/{key} (page)", 1, lambda r, s: (f"/events/{q(r.choice(s.event_keys))}", {})),
    ("GET /documents/{id} (page)", 1, lambda r, s: (f"/documents/{q(r.choice(s.doc_ids))}", {})),
    ("GET /actors (page)", 1, lambda r, s: ("/actors", {"page": r.choice([1, 1, 2])})),
]


def plan(n: int, sample: Sample, seed: int = 1) -> list[Planned]:
    """``n`` requests: each endpoint once first (so a short run hits them all), the rest by weight."""
    rng = random.Random(seed)
    names = [m[0] for m in MIX]
    weights = [m[1] for m in MIX]
    builders = {m[0]: m[2] for m in MIX}
    order = names[:n] + rng.choices(names, weights, k=max(0, n - len(names)))
    return [Planned(name, *builders[name](rng, sample)) for name in order]


async def _json(client: httpx.AsyncClient, path: str, **params: Any) -> Any:
    r = await client.get(path, params=params)
    r.raise_for_status()
    return r.json()


async def discover(client: httpx.AsyncClient, seed: int = 1) -> Sample:
    """Dyads, events, documents, actors and words of the store, from a few warm-up requests."""
    rng = random.Random(seed)
    summary = await _json(client, "/api/summary")
    dyads = [d["dyad"] for d in await _json(client, "/api/dyads", limit=50)]
    total = (await _json(client, "/api/events", limit=1))["total"]
    events: list[dict] = []
    for offset in {0, *(rng.randrange(max(1, total - 100)) for _ in range(4))}:
        events += (await _json(client, "/api/events", limit=100, offset=offset))["items"]
    n_docs = (await _json(client, "/api/documents", limit=1))["total"]
    docs: list[dict] = []
    for offset in {0, *(rng.randrange(max(1, n_docs - 100)) for _ in range(3))}:
        docs += (await _json(client, "/api/documents", limit=100, offset=offset))["items"]
    actors = [a["name"] for a in (await _json(client, "/api/actors", limit=100))["items"]]
    texts = [e.get("evidence") or "" for e in events] + [d.get("title") or "" for d in docs]
    words = sorted({w.strip(".,;:!?\"'()") for t in texts for w in t.split()} - {""})
    words = [w for w in words if len(w) >= 4] or ["news"]
    first, last = (summary.get("first_published") or "2000")[:4], (summary.get("last_published") or "2025")[:4]
    if not (dyads and events and docs and actors):
        raise RuntimeError("the store has no events, documents or actors to load-test with")
    return Sample(dyads=dyads, event_keys=sorted({e["event_key"] for e in events}), doc_ids=[d["doc_id"] for d in docs],
                  actors=actors, outlets=[o["outlet"] for o in await _json(client, "/api/outlets")],
                  types=sorted(summary.get("events_by_type") or {}), words=rng.sample(words, min(200, len(words))),
                  years=(int(first), max(int(first), int(last))))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))] if ordered else 0.0


def _stats(times: list[float], errors: int) -> dict[str, Any]:
    return {"requests": len(times), "errors": errors, "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1), "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(max(times, default=0.0), 1)}


async def run_load(make_client: ClientFactory, clients: int = 50, requests: int = 20_000, seed: int = 1,
                   timeout: float = 30.0) -> dict[str, Any]:
    """Run the plan with ``clients`` concurrent clients; latency per endpoint and overall, errors, throughput."""
    async with make_client() as probe:
        sample = await discover(probe, seed)
    todo = plan(requests, sample, seed)
    next_index = iter(range(len(todo)))  # shared by the workers (one event loop: no lock needed)
    times: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    examples: list[str] = []

    step = max(1, len(todo) // 10)

    async def worker() -> None:
        async with make_client() as client:
            for i in next_index:
                if i and i % step == 0:
                    logger.info("%d of %d requests sent, %d errors so far", i, len(todo), sum(errors.values()))
                req = todo[i]
                started = time.perf_counter()
                problem = None
                try:
                    r = await client.get(req.path, params=req.params, timeout=timeout)
                    if not 200 <= r.status_code < 300:
                        problem = f"HTTP {r.status_code}"
                except httpx.TimeoutException as exc:
                    problem = f"timeout ({type(exc).__name__})"
                except httpx.HTTPError as exc:
                    problem = f"connection error ({type(exc).__name__}: {exc})"
                times[req.endpoint].append((time.perf_counter() - started) * 1000)
                if problem:
                    errors[req.endpoint] += 1
                    kinds[problem.split(" (")[0]] += 1
                    if len(examples) < 10:
                        examples.append(f"{problem} on {req.path}?{httpx.QueryParams(req.params)}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    wall = time.perf_counter() - started
    every = [t for ts in times.values() for t in ts]
    return {
        "clients": clients, "requests": len(every), "seconds": round(wall, 1),
        "throughput_rps": round(len(every) / wall, 1) if wall else 0.0,
        "errors": sum(errors.values()), "error_kinds": dict(kinds), "error_examples": examples,
        "overall": _stats(every, sum(errors.values())),
        "endpoints": {name: _stats(times[name], errors[name]) for name, *_ in MIX if name in times},
    }


def add_mentions_and_figures(path: Path, seed: int = 7) -> dict[str, int]:
    """Fill the mentions and quantities of a ``make_big_db`` store (which writes documents and events
    only), so the actor and claim views have data: three mentions per document (two states and a
    person with a role) and a figure in every fifth document. Does nothing if mentions exist."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_big_db import PEOPLE, STATES

    from bilat.store.writer import connect

    con = connect(path)
    try:
        if con.execute("SELECT count(*) FROM mentions").fetchone()[0]:
            return {}
        states = "[" + ", ".join(f"'{c}'" for _, c in STATES) + "]"
        names = "[" + ", ".join(f"'{n}'" for n, _ in STATES) + "]"
        people = "[" + ", ".join(f"'{n}'" for n, _, _ in PEOPLE) + "]"
        p_countries = "[" + ", ".join(f"'{c}'" for _, c, _ in PEOPLE) + "]"
        roles = "[" + ", ".join(f"'{r}'" for _, _, r in PEOPLE) + "]"
        con.execute("CREATE TEMP MACRO h(i, salt, n) AS CAST(hash(i, salt) % n AS BIGINT)")
        con.execute("BEGIN TRANSACTION")
        con.execute(f"""
            INSERT INTO mentions (doc_id, idx, sentence, start_char, end_char, text, name, country, role, kind)
            SELECT d.doc_id, k, 0, 0, 5,
                   CASE WHEN k < 2 THEN {names}[1 + h(d.n, {seed} + k, 6)] ELSE {people}[1 + h(d.n, {seed}, 4)] END,
                   CASE WHEN k < 2 THEN {names}[1 + h(d.n, {seed} + k, 6)] ELSE {people}[1 + h(d.n, {seed}, 4)] END,
                   CASE WHEN k < 2 THEN {states}[1 + h(d.n, {seed} + k, 6)]
                        ELSE {p_countries}[1 + h(d.n, {seed}, 4)] END,
                   CASE WHEN k = 2 THEN {roles}[1 + h(d.n, {seed}, 4)] END,
                   CASE WHEN k < 2 THEN 'state' ELSE 'person' END
            FROM (SELECT doc_id, CAST(substr(doc_id, 2) AS BIGINT) AS n FROM documents) d, range(3) r(k)""")
        con.execute(f"""
            INSERT INTO quantities (doc_id, idx, sentence, start_char, end_char, text, value, unit, value_usd,
                                    bound, metric, countries, period, is_claim, evidence)
            SELECT doc_id, 0, 0, 0, 10, v || ' billion dollars', v * 1e9, 'USD', v * 1e9, 'exact',
                   ['bilateral_trade', 'remittances', 'investment'][1 + h(n, {seed} + 1, 3)],
                   ['RUS', {states}[2 + h(n, {seed} + 2, 5)]], CAST(2000 + h(n, {seed} + 3, 25) AS VARCHAR), true,
                   'Synthetic figure of ' || v || ' billion dollars.'
            FROM (SELECT doc_id, n, round(1 + h(n, {seed} + 4, 40) / 10.0, 1) AS v
                  FROM (SELECT doc_id, CAST(substr(doc_id, 2) AS BIGINT) AS n FROM documents) WHERE n % 5 = 0)""")
        con.execute("COMMIT")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("mentions", "quantities")}
        con.execute("CHECKPOINT")
        return counts
    finally:
        con.close()


def start_server(db: Path, port: int, wait_s: float = 900.0) -> subprocess.Popen:
    """``bilat serve`` on 127.0.0.1:port; returns once it answers (the search index is built first)."""
    env = {k: v for k, v in os.environ.items() if k != "BILAT_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "bilat.cli", "serve", "--db", str(db), "--host", "127.0.0.1",
                             "--port", str(port)], env=env)
    deadline = time.monotonic() + wait_s
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        while True:
            try:
                client.get("/api/dyads").raise_for_status()  # also builds the in-memory event index
                return proc
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"the server did not start (exit code {proc.poll()})") from None
                time.sleep(0.5)


def report_lines(result: dict[str, Any]) -> list[str]:
    lines = [f"{result['clients']} clients, {result['requests']} requests in {result['seconds']} s: "
             f"{result['throughput_rps']} requests/s, {result['errors']} errors {result['error_kinds'] or ''}",
             f"{'endpoint':34} {'n':>6} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"]
    rows = list(result["endpoints"].items()) + [("overall", result["overall"])]
    for name, r in rows:
        lines.append(f"{name:34} {r['requests']:6d} {r['errors']:4d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} "
                     f"{r['p99_ms']:8.1f} {r['max_ms']:8.1f}")
    lines += [f"  e.g. {e}" for e in result["error_examples"]]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bilat-big.duckdb"))
    parser.add_argument("--url", help="load-test this running server instead of starting one")
    parser.add_argument("--events", type=int, default=1_000_000, help="events of the store made if --db is missing")
    parser.add_argument("--no-fill", dest="fill", action="store_false",
                        help="do not add mentions and figures to a store that has none")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20_000, help="in all, shared by the clients")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request before it counts as an error")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    proc = None
    url = args.url
    if url is None:
        if not args.db.exists():
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from make_big_db import make_big_db

            logger.info("making %s: %s", args.db, make_big_db(args.db, args.events, max(1000, args.events // 10)))
        if args.fill:
            logger.info("mentions and figures added: %s", add_mentions_and_figures(args.db) or "none needed")
        port = free_port()
        logger.info("starting bilat serve on 127.0.0.1:%d over %s", port, args.db)
        proc = start_server(args.db, port)
        url = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)  # one connection per client

    def make_client() -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=url, limits=limits, timeout=args.timeout)

    try:
        load_before, cpu_before = os.getloadavg()[0], cpu_seconds(proc.pid) if proc else 0.0
        result = asyncio.run(run_load(make_client, args.clients, args.requests, args.seed, args.timeout))
        # The machine is shared: say how busy it was and how much CPU the server itself used.
        result["machine"] = {"cpus": os.cpu_count(), "load_before": round(load_before, 1),
                             "load_after": round(os.getloadavg()[0], 1)}
        if proc:
            result["server_cpu_s"] = round(cpu_seconds(proc.pid) - cpu_before, 1)
        result["db"] = str(args.db) if args.url is None else None
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=30)
    if args.json:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        for line in report_lines(result):
            logger.info("%s", line)
        logger.info("machine %s, server CPU %s s", result["machine"], result.get("server_cpu_s"))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
