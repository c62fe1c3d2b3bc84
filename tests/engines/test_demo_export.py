"""The demo corpus's export, fingerprinted: a change of the house (engines, store, codec) must not change
what bilat finds (issue 16, acceptance 5). A change meant to change the output updates the fingerprint:

    .venv/bin/python tests/engines/test_demo_export.py --write

The fingerprint keeps what an analyst reads (who did what to whom, when, with which evidence; actors,
figures, documents) and leaves out what is not content: cluster ids (numbered in order) and the model's
confidences (the last digits can differ between CPUs); origins are read relative to the checkout.
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

FINGERPRINT = Path(__file__).with_name("demo_export.json")
ROOT = Path(__file__).resolve().parents[2]
VOLATILE = {"event_id", "confidence"}


def _content(row: dict) -> dict:
    """A row without its volatile fields, its origin relative to the checkout (clones live anywhere)."""
    out = {k: v for k, v in row.items() if k not in VOLATILE}
    if isinstance(out.get("origin"), str):
        out["origin"] = out["origin"].replace(f"{ROOT}/", "")
    return out


def fingerprint(db: Path, out: Path) -> dict[str, dict[str, object]]:
    """Rows and a digest of each exported table, volatile fields left out."""
    sys.path.insert(0, str(ROOT / "bench"))
    from crash_runs import sorted_export

    tables = sorted_export(db, out)
    result: dict[str, dict[str, object]] = {}
    for name, lines in tables.items():
        rows = sorted(json.dumps(_content(json.loads(line)), sort_keys=True) for line in lines)
        result[name] = {"rows": len(rows), "sha256": hashlib.sha256("\n".join(rows).encode()).hexdigest()}
    return result


def test_the_demo_export_is_what_it_was(demo_db, tmp_path):
    expected = json.loads(FINGERPRINT.read_text(encoding="utf-8"))
    assert fingerprint(demo_db, tmp_path / "out") == expected, (
        "the demo corpus exports other rows than before: if the change is meant to change them, "
        "update the fingerprint (python tests/engines/test_demo_export.py --write) and say why")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bilat.engines.local import ingest
    from bilat_paths import DEMO

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        ingest([str(DEMO)], str(db))
        FINGERPRINT.write_text(json.dumps(fingerprint(db, Path(tmp) / "out"), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {FINGERPRINT}")
