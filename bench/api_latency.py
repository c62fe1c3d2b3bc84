"""Latency of the REST API's busiest endpoints on a big store (not a test).

    python bench/api_latency.py [--db /tmp/big.duckdb] [--events 1000000] [--requests 300] [--json]

Makes the store with ``make_big_db.py`` if it is missing, starts the server (uvicorn, a separate
process) on a free 127.0.0.1 port, sends a bounded number of sequential requests to the dyad
timeline, the dyad's monthly quad counts and the event list with varied filters and pages,
and prints p50/p95/p99 in milliseconds per endpoint.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_big_db import OUTLETS, PATTERNS, STATES, make_big_db  # noqa: E402

logger = logging.getLogger(__name__)

SERVER = ("import sys, uvicorn; from bilat.server import create_app; "
          "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to report work per request apart from load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def requests_for(kind: str, rng: random.Random) -> tuple[str, dict]:
    """One request of a kind, with filters drawn the way a user clicks through the dashboard."""
    codes = [c for _, c in STATES]
    a, b = rng.sample(codes, 2)
    params: dict = {}
    if rng.random() < 0.4:
        year = rng.randint(2000, 2024)
        params.update(since=str(year), until=str(min(2025, year + rng.randint(0, 4))))
    if rng.random() < 0.3:
        params["type"] = rng.choice(PATTERNS)[0]
    if kind == "timeline":
        params.update(limit=rng.choice([50, 100, 500]), offset=rng.choice([0, 0, 50, 1000]))
        return f"/api/dyads/{a}-{b}/timeline", params
    if kind == "monthly":
        return f"/api/dyads/{a}-{b}/monthly", params
    if rng.random() < 0.3:
        params["outlet"] = rng.choice(OUTLETS)
    if rng.random() < 0.3:
        params["dyad"] = f"{a}-{b}"
    params.update(limit=rng.choice([50, 100]), offset=rng.choice([0, 0, 100, 5000]))
    return "/api/events", params


def run(db: Path, n_requests: int, seed: int = 1) -> dict:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    client.get("/api/dyads")  # also builds the in-memory event index
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("server did not start") from None
                    time.sleep(0.2)
            rng = random.Random(seed)
            results = {}
            for kind in ("timeline", "monthly", "events"):
                for _ in range(10):  # warm-up
                    path, params = requests_for(kind, rng)
                    client.get(path, params=params)
                times, errors = [], 0
                cpu_before = cpu_seconds(proc.pid)
                for _ in range(n_requests):
                    path, params = requests_for(kind, rng)
                    started = time.perf_counter()
                    r = client.get(path, params=params)
                    times.append((time.perf_counter() - started) * 1000)
                    errors += r.status_code != 200
                cpu_ms = (cpu_seconds(proc.pid) - cpu_before) * 1000 / n_requests
                results[kind] = {"requests": n_requests, "errors": errors, "server_cpu_ms": round(cpu_ms, 1),
                                 "p50_ms": round(statistics.median(times), 1),
                                 "p95_ms": round(percentile(times, 95), 1), "p99_ms": round(percentile(times, 99), 1)}
            return results
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bilat-big.duckdb"))
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="per endpoint")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not args.db.exists():
        logger.info("making %s: %s", args.db, make_big_db(args.db, args.events, max(1000, args.events // 10)))
    load_before = os.getloadavg()[0]
    results = run(args.db, args.requests)
    # other work on the machine inflates every figure: say how busy it was
    results["machine"] = {"cpus": os.cpu_count(), "load_before": round(load_before, 1),
                          "load_after": round(os.getloadavg()[0], 1)}
    if args.json:
        sys.stdout.write(json.dumps(results) + "\n")
    else:
        logger.info("machine: %s", results.pop("machine"))
        for kind, r in results.items():
            logger.info("%-9s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  server CPU %5.1f ms/request  "
                        "(%d requests, %d errors)", kind, r["p50_ms"], r["p95_ms"], r["p99_ms"], r["server_cpu_ms"],
                        r["requests"], r["errors"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
