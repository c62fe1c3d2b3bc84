"""No tracked file (training data included) may share a run of 12 words with the evaluation text in
../shared: the seeds, the dev-news articles and the PLOVER gold records measure generalisation only.
Names and titles are shorter than 12 words; a shared run of 12 is a copied fragment."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WORD = re.compile(r"\w+", re.UNICODE)
RUN = 12


def shingles(text: str) -> set[str]:
    w = WORD.findall(text.lower())
    return {" ".join(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


def evaluation_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in (SHARED / "seeds").glob("*.txt")]
    texts += [p.read_text(encoding="utf-8", errors="replace")
              for p in (SHARED / "eval" / "dev-news" / "articles").glob("*.txt")]
    for gold in (SHARED / "eval").rglob("*.jsonl"):
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append(row.get("text") or "")
                texts += [e.get("evidence") or "" for e in row.get("events", [])]
                texts += [q.get("evidence") or "" for q in row.get("quantities", [])]
    return texts


def project_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    return [ROOT / f for f in listed if f and (ROOT / f).is_file() and (ROOT / f).stat().st_size < 20_000_000]


def test_shingles_find_a_shared_run():
    a = "one two three four five six seven eight nine ten eleven twelve thirteen"
    assert shingles(a) & shingles("x " + a)
    assert not shingles("one two three") & shingles(a)


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="../shared is not beside the checkout")
def test_no_file_shares_a_run_of_12_words_with_evaluation_text():
    probe: set[str] = set()
    for t in evaluation_texts():
        probe |= shingles(t)
    assert len(probe) > 1000  # the evaluation text was found
    leaks = {}
    for path in project_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        shared = shingles(text) & probe
        if shared:
            leaks[str(path.relative_to(ROOT))] = sorted(shared)[:3]
    assert not leaks, leaks
