"""A "hostile crawl" folder: what real crawls bring, with good articles between the bad files (issue 15).

    .venv/bin/python bench/hostile_crawl.py OUT_DIR                        # build the folder
    .venv/bin/python bench/hostile_crawl.py OUT_DIR --run --db X.duckdb    # build, ingest, measure

The folder holds a page of 1,000,000 tiny paragraphs and one of 400,000 (trafilatura's XPath takes
quadratic time on them, in one C call), a WARC file whose middle record is a 100 MB page, colliding
file names (a/index.html and b/index.html, x.txt and x.html), a file name that is not UTF-8, a link
to a folder, a folder nobody may read, a page nested 300 levels deep, and good articles between
them. ``--scale`` shrinks the three big inputs (the slow test uses smaller ones that still stall
trafilatura); the full size is the measurement in docs/limits.md.

``--run`` ingests the folder with the CLI, as a user would (``bilat ingest OUT_DIR --db DB``), under
``/usr/bin/time -v``; when run as root, without the capability to read what permissions forbid, so
that the unreadable folder is unreadable. It samples the memory of the ingest and its workers, then
checks the store against what the folder should give: every good article stored, every bad input in
the ingest log with its reason. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

PROC = Path("/proc")

# Good articles, written for this bench: (relative path, the article). Each names its own talks, so
# each can be found in the store by its first sentence.
ARTICLES = {
    "00-news/ministers.txt": (
        "Kazakhstan and Uzbekistan agree on water quotas\n\n"
        "TASHKENT, April 9 - The foreign ministers of Kazakhstan and Uzbekistan met in Tashkent on Tuesday "
        "and agreed on summer water quotas for the Syr Darya, the Uzbek ministry said.\n\n"
        "Both sides said a joint commission would meet again in June to review the flow figures."),
    "a/index.html": (
        "Armenia and Georgia open a new border crossing\n\n"
        "YEREVAN, May 2 - Armenia and Georgia opened a second road crossing on their common border on "
        "Thursday, after two years of construction financed by both governments.\n\n"
        "The prime ministers of the two countries cut the ribbon together and promised faster customs checks."),
    "b/index.html": (
        "Mongolia and China sign a railway protocol\n\n"
        "ULAANBAATAR, June 14 - Mongolia signed a protocol with China on Friday to build a cross-border "
        "railway bridge near the Zamiin-Uud crossing, the Mongolian government said.\n\n"
        "Officials said the bridge would carry coal exports from the Gobi region to Chinese ports."),
    "x.txt": (
        "Azerbaijan and Turkey hold joint exercises\n\n"
        "BAKU, July 21 - Azerbaijan and Turkey began a week of joint military exercises near Baku on "
        "Monday, the Azerbaijani defence ministry said.\n\n"
        "About 3,000 troops from both countries take part in the drills, according to the ministry."),
    "x.html": (
        "Kyrgyzstan and Tajikistan resume border talks\n\n"
        "BISHKEK, August 5 - Delegations of Kyrgyzstan and Tajikistan resumed talks on the demarcation of "
        "their border in Bishkek on Wednesday, the Kyrgyz foreign ministry said.\n\n"
        "The two sides have agreed on most of the line and are still discussing twelve disputed sections."),
    "m-energy.html": (
        "Turkmenistan and Iran extend a gas swap deal\n\n"
        "ASHGABAT, September 12 - Turkmenistan and Iran agreed on Thursday to extend their gas swap "
        "arrangement for another year, the Turkmen state news agency reported.\n\n"
        "Under the deal, Iran delivers gas to Azerbaijan in exchange for Turkmen gas received in the north."),
    "z-late/envoys.txt": (
        "Belarus and Russia sign a customs accord\n\n"
        "MINSK, October 30 - Belarus and Russia signed an accord on common customs procedures in Minsk on "
        "Monday, the Belarusian government said.\n\n"
        "The accord follows a year of talks between the finance ministries of the two countries."),
}
NON_UTF8_NAME = b"caf\xe9-report.txt"  # Latin-1, as an archive from Windows gives it
NON_UTF8_ARTICLE = (
    "Moldova and Romania link their power grids\n\n"
    "CHISINAU, November 8 - Moldova and Romania completed a new high-voltage line between their grids on "
    "Wednesday, the Moldovan energy ministry said.\n\n"
    "The line lets Moldova import more electricity from Romania during the winter.")
NESTED_ARTICLE = (
    "Lithuania and Poland plan a joint air defence exercise\n\n"
    "VILNIUS, December 1 - The defence ministers of Lithuania and Poland met in Vilnius on Friday and "
    "agreed to hold a joint air defence exercise in the spring, the Lithuanian ministry said.\n\n"
    "The ministers also discussed the protection of the Suwalki corridor.")
WARC_ARTICLES = (
    ("https://news.example.org/2024/ukraine-moldova-transit", (
        "Ukraine and Moldova sign a transit agreement\n\n"
        "KYIV, February 6 - Ukraine and Moldova signed an agreement on Tuesday to simplify the transit of "
        "grain through Moldovan railways, the Ukrainian government said.\n\n"
        "The agreement cuts the paperwork at the border to one joint inspection.")),
    ("https://news.example.org/2024/estonia-latvia-rail", (
        "Estonia and Latvia agree on a rail timetable\n\n"
        "RIGA, March 19 - Estonia and Latvia agreed on Monday on a common timetable for the new Rail "
        "Baltica line, the Latvian transport ministry said.\n\n"
        "Trains between Tallinn and Riga are to run every two hours once the line opens.")),
)


@dataclass
class Expected:
    """What the folder should give: good articles stored (found by their first sentence), bad inputs in
    the ingest log (an origin fragment and a fragment of the reason), and notes on stored documents."""

    stored: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    noted: list[tuple[str, str]] = field(default_factory=list)


def first_sentence(article: str) -> str:
    return article.split("\n\n")[1].split(" - ", 1)[1][:60]


def page(article: str) -> str:
    title, *paragraphs = article.split("\n\n")
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            f"<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
            f"<article><h1>{title}</h1>\n{body}</article><footer>(c) Example News</footer></body></html>")


def write_article(path: Path, article: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(article) if path.suffix == ".html" else article, encoding="utf-8")


def write_many_paragraphs(path: Path, n: int) -> None:
    """A page of ``n`` one-word paragraphs, written in pieces."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("<html><head><title>Index</title></head><body><div class=\"content\">\n")
        piece = "<p>item</p>\n" * 10_000
        for _ in range(n // 10_000):
            out.write(piece)
        out.write("<p>item</p>\n" * (n % 10_000))
        out.write("</div></body></html>\n")


def write_nested(path: Path, article: str, depth: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    title, *paragraphs = article.split("\n\n")
    inner = f"<h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    path.write_text(f"<html><head><title>{title}</title></head><body>" + "<div class=\"wrap\">" * depth
                    + inner + "</div>" * depth + "</body></html>", encoding="utf-8")


def warc_head(uri: str, length: int) -> bytes:
    return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{hashlib.md5(uri.encode()).hexdigest()}>\r\n"
            f"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n").encode()


def http_head(length: int) -> bytes:
    return f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {length}\r\n\r\n".encode()


def write_warc(path: Path, big_bytes: int) -> None:
    """Two good records with a record of a ``big_bytes`` page between them, the big one written in pieces."""
    with open(path, "wb") as out:
        def small(uri: str, article: str) -> None:
            body = page(article).encode("utf-8")
            payload = http_head(len(body)) + body
            out.write(warc_head(uri, len(payload)) + payload + b"\r\n\r\n")

        small(*WARC_ARTICLES[0])
        unit = b"<p>A paragraph of a very long page that goes on and on.</p>\n"
        start, end = b"<html><head><title>Archive</title></head><body>\n", b"</body></html>\n"
        units = max(0, (big_bytes - len(start) - len(end)) // len(unit))
        body_length = len(start) + units * len(unit) + len(end)
        head = http_head(body_length)
        out.write(warc_head("https://news.example.org/archive/everything", len(head) + body_length) + head + start)
        block = unit * 16_384
        for _ in range(units // 16_384):
            out.write(block)
        out.write(unit * (units % 16_384) + end + b"\r\n\r\n")
        small(*WARC_ARTICLES[1])


def build(out: Path, scale: float = 1.0) -> Expected:
    """Build the folder in ``out`` (emptied first); ``scale`` shrinks the three big inputs."""
    if out.exists():
        for root, dirs, _ in os.walk(out):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o755)
        shutil.rmtree(out)
    out.mkdir(parents=True)
    expected = Expected()
    for rel, article in ARTICLES.items():
        write_article(out / rel, article)
        expected.stored.append(first_sentence(article))
    with open(os.path.join(os.fsencode(out), NON_UTF8_NAME), "w", encoding="utf-8") as f:
        f.write(NON_UTF8_ARTICLE)
    expected.stored.append(first_sentence(NON_UTF8_ARTICLE))
    write_nested(out / "deep" / "nested-300.html", NESTED_ARTICLE, 300)
    expected.stored.append(first_sentence(NESTED_ARTICLE))
    expected.noted.append(("nested-300.html", "max_html_depth"))

    paragraphs = (int(1_000_000 * scale), int(400_000 * scale))
    write_many_paragraphs(out / "huge-1m.html", paragraphs[0])
    write_many_paragraphs(out / "p-400k.html", paragraphs[1])
    expected.failed += [("huge-1m.html", "max_html_elements"), ("p-400k.html", "max_html_elements")]

    write_warc(out / "crawl.warc", int(100 * 1024 * 1024 * scale))
    expected.stored += [first_sentence(article) for _, article in WARC_ARTICLES]
    expected.failed.append(("crawl.warc#record-2", "record too large"))

    (out / "linked").symlink_to("a", target_is_directory=True)
    expected.failed.append(("linked", "a link to a folder is not followed"))
    write_article(out / "locked" / "hidden.txt", ARTICLES["x.txt"].replace("Azerbaijan", "Azerbaijan's"))
    os.chmod(out / "locked", 0)
    expected.failed.append(("locked", "cannot read folder"))
    return expected


def ingest_command(folder: Path, db: Path, extra: list[str] | None = None) -> list[str]:
    bilat = [sys.executable, "-m", "bilat.cli"]
    command = [*bilat, "ingest", str(folder), "--db", str(db), *(extra or [])]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        # root reads any folder: without these capabilities it obeys permissions like a user
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    return command


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += parents.get(p, [])
    return found


def _kb(pid: int, name: str, field_name: str) -> int:
    try:
        for line in (PROC / str(pid) / name).read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples RSS (largest process, and summed) and PSS (summed) of a process tree twice a second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_process_mb = self.peak_sum_mb = self.peak_pss_mb = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            pids = _tree(self.pid)
            rss = [_kb(p, "status", "VmRSS") / 1024 for p in pids]
            pss = sum(_kb(p, "smaps_rollup", "Pss") for p in pids) / 1024
            self.peak_process_mb = max(self.peak_process_mb, max(rss, default=0))
            self.peak_sum_mb = max(self.peak_sum_mb, sum(rss))
            self.peak_pss_mb = max(self.peak_pss_mb, pss)


def run_ingest(folder: Path, db: Path, timeout: float = 900, extra: list[str] | None = None) -> dict:
    """Ingest ``folder`` with the CLI under /usr/bin/time -v; wall time, memory and the CLI's output.
    ``extra``: more arguments for ``bilat ingest``."""
    command = ingest_command(folder, db, extra)
    timed = shutil.which("time") and Path("/usr/bin/time").exists()
    if timed:
        command = ["/usr/bin/time", "-v", *command]
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    memory.start()
    stdout, stderr = proc.communicate(timeout=timeout)
    wall = time.monotonic() - started
    memory.stop.set()
    memory.join()
    maxrss = None
    for line in stderr.splitlines():
        if "Maximum resident set size" in line:
            maxrss = int(line.rsplit(":", 1)[1]) / 1024
    return {"returncode": proc.returncode, "wall_s": round(wall, 1),
            "peak_rss_mb": round(maxrss, 1) if maxrss is not None else round(memory.peak_process_mb, 1),
            "peak_rss_sum_mb": round(memory.peak_sum_mb, 1), "peak_pss_sum_mb": round(memory.peak_pss_mb, 1),
            "stdout": stdout, "stderr": stderr}


def check(db: Path, expected: Expected) -> list[str]:
    """What the store lacks: good articles not stored, bad inputs without their reason in the log."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        texts = [r[0] for r in con.execute("SELECT text FROM documents").fetchall()]
        log = con.execute("SELECT origin, status, coalesce(reason, '') FROM ingest_log").fetchall()
    finally:
        con.close()
    problems = [f"not stored: {s!r}" for s in expected.stored if not any(s in t for t in texts)]
    for origin, reason in expected.failed:
        if not any(o.endswith(origin) and status == "failed" and reason in r for o, status, r in log):
            problems.append(f"not logged as failed with {reason!r}: {origin}")
    for origin, note in expected.noted:
        if not any(o.endswith(origin) and status != "failed" and note in r for o, status, r in log):
            problems.append(f"not stored with the note {note!r}: {origin}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to build (emptied first)")
    parser.add_argument("--scale", type=float, default=1.0, help="size of the three big inputs (1: full)")
    parser.add_argument("--run", action="store_true", help="ingest the folder and measure")
    parser.add_argument("--db", type=Path, help="database for --run (default: OUT.duckdb beside the folder)")
    parser.add_argument("--config", type=Path, help="settings file for --run (bilat ingest --config), e.g. "
                        '{"max_html_elements": 1000000000} to see the hard time limit stop trafilatura')
    args = parser.parse_args(argv)
    started = time.monotonic()
    expected = build(args.out, args.scale)
    result: dict = {"folder": str(args.out), "scale": args.scale, "build_s": round(time.monotonic() - started, 1),
                    "expected": asdict(expected)}
    if args.run:
        db = args.db or args.out.with_suffix(".duckdb")
        db.unlink(missing_ok=True)
        measured = run_ingest(args.out, db, extra=["--config", str(args.config)] if args.config else None)
        result |= {k: v for k, v in measured.items() if k not in ("stdout", "stderr")}
        result["cli_output"] = measured["stdout"].splitlines()[-12:] + measured["stderr"].splitlines()[-40:]
        result["problems"] = check(db, expected) if measured["returncode"] == 0 else ["ingest failed"]
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if not result.get("problems") else 1


if __name__ == "__main__":
    sys.exit(main())
