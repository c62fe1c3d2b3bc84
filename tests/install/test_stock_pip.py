"""Issue 15: bilat installs with the pip that `python3 -m venv` brings (23.x here) and reads HTML.

pip 23 skipped `lxml[html_clean]` once, and every HTML document failed with an ImportError: every
package the code imports must be declared directly. A fresh venv, a plain (non-editable) install of a
copy of this tree, and one HTML page ingested."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_fresh_venv_with_stock_pip_installs_bilat_and_ingests_html(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    version = subprocess.run([*pip, "--version"], check=True, capture_output=True, text=True).stdout
    if not version.startswith("pip 23."):  # another machine's stock pip: test the pip the issue names
        subprocess.run([*pip, "install", "--quiet", "pip==23.2.1"], check=True, capture_output=True)
    done = subprocess.run([*pip, "install", "--quiet", str(tree)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    page = ROOT / "examples" / "corpus" / "mfa_ministers_moscow.html"
    run = subprocess.run([str(venv / "bin" / "bilat"), "ingest", str(page), "--db", str(tmp_path / "x.duckdb")],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    out = run.stdout + run.stderr
    assert "failed" in out and "ingested" in out
    import duckdb
    con = duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents WHERE fmt = 'html'").fetchone()[0] == 1
    con.close()
