"""Coverage of the PLOVER gold actors by the linker (a measuring script, not a test).

For every gold event of the GSR sentences, is its source (and target) code among the
countries of the linked mentions of that sentence? Codes are compared as score.py's
``--orgs-as-igo`` does (any non-ISO code but NGO counts as IGO); the gold's two CAMEO
codes for Japan and Italy are read as ISO. Run:
``.venv/bin/python -m tests.actors.measure_gsr [--misses N]``. The gold is read from
../shared at run time; nothing of it is stored in the project.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from bilat.actors.kb_loader import load_kb
from bilat.actors.link import ActorLinker
from bilat.model import Document
from bilat.nlp.pipeline import EnglishPipeline

logger = logging.getLogger(__name__)

GSR = Path(__file__).resolve().parents[3] / "shared" / "eval" / "plover-gsr"
CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA"}


def norm(code: str | None, iso: set[str]) -> str | None:
    if code is None:
        return None
    code = CAMEO_TO_ISO.get(code, code)
    return code if code in iso or code == "NGO" else "IGO"


def measure(misses: int = 0) -> dict:
    sys.path.insert(0, str(GSR.parent))
    from score import ISO3  # the scorer's own code list

    texts = {}
    for line in (GSR / "input.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts[r["id"]] = r["text"]
    nlp, linker = EnglishPipeline(), ActorLinker(load_kb())
    found = total = 0
    out = []
    link_s = 0.0
    for line in (GSR / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        text = texts[g["id"]]
        sdoc = nlp(text)
        t0 = time.perf_counter()
        mentions = linker.link(Document(g["id"], "gsr", "txt", text), sdoc)
        link_s += time.perf_counter() - t0
        have = {norm(m.country, ISO3) for m in mentions if m.country}
        for e in g["events"]:
            for code in (e["source"], e["target"]):
                code = norm(code, ISO3)
                if code is None:
                    continue
                total += 1
                if code in have:
                    found += 1
                elif len(out) < misses:
                    out.append(f"{code} not in {sorted(have)} | {text[:150]}")
    for o in out:
        logger.info("%s", o)
    return {"codes": total, "found": found, "coverage": round(found / total, 3), "link_seconds": round(link_s, 2)}


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    n = int(sys.argv[sys.argv.index("--misses") + 1]) if "--misses" in sys.argv else 0
    logging.getLogger(__name__).info("%s", measure(n))
