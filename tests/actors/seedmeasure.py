"""Actor recall and country accuracy on the seed articles, by score.py's rule.

Run as a script for the figures (``.venv/bin/python -m tests.actors.seedmeasure``);
test_seeds.py uses the same function as a quality gate. Seeds are read from ../shared
at run time; nothing of their text is stored here.
"""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from bilat.actors.link import ActorLinker
from bilat.model import DatedValue, Document

logger = logging.getLogger(__name__)

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "eval" / "seeds.gold.jsonl"


def load_real_kb() -> Any | None:
    try:
        from bilat.actors.kb_loader import load_kb
    except ImportError:
        return None
    return load_kb()


def actors_of(mentions: list, surface: bool = False) -> list[dict]:
    """Person mentions as an export would list them: one row per person, first mention first.

    ``surface``: name the row as the article spells it (its longest named mention)
    instead of the KB's canonical spelling ("Mukhriddin" in the text, "Muhriddin" in the KB).
    """
    rows: dict[str, dict] = {}
    for m in mentions:
        if m.kind != "person":
            continue
        key = m.kb_id or m.name
        row = rows.setdefault(key, {"name": m.name, "country": m.country, "role": m.role, "kb_id": m.kb_id})
        if surface and m.via == "name" and len(m.text.split()) > 1 and len(m.text) > len(row.get("text", "")):
            row["text"] = m.text
    for row in rows.values():
        if surface and row.get("text"):
            row["name"] = row["text"]
    return list(rows.values())


def measure(nlp: Any, kb: Any, surface: bool = False, parsed: dict | None = None) -> dict:
    """Figures for the five seeds; ``parsed`` (text -> spaCy doc) saves parsing twice."""
    linker = ActorLinker(kb)
    golds = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = total = right = 0
    t_nlp = t_link = 0.0
    misses: list[str] = []
    for g in golds:
        text = (SEEDS / f"{g['id']}.txt").read_text(encoding="utf-8")
        # the date the cleaning stage would find: the gold date, else the gold year
        pub = None
        if g.get("published"):
            pub = DatedValue(g["published"], "day", "gold")
        elif g.get("published_year"):
            pub = DatedValue(str(g["published_year"]), "year", "gold")
        doc = Document(g["id"], "seed", "txt", text, published=pub)
        t0 = time.perf_counter()
        sdoc = parsed.get(text) if parsed is not None else None
        if sdoc is None:
            sdoc = nlp(text)
            if parsed is not None:
                parsed[text] = sdoc
        t1 = time.perf_counter()
        pred = actors_of(linker.link(doc, sdoc), surface)
        t2 = time.perf_counter()
        t_nlp += t1 - t0
        t_link += t2 - t1
        for ga in g.get("actors", []):
            total += 1
            names = {ga["name"].split()[-1].lower()} | {a.split()[-1].lower() for a in ga.get("aliases", [])}
            hit = next((a for a in pred if str(a["name"]).split()[-1:] and str(a["name"]).split()[-1].lower()
                        in names), None)
            if hit:
                found += 1
                right += hit["country"] == ga["country"]
                if hit["country"] != ga["country"]:
                    misses.append(f"{g['id']}: {ga['name']} country {hit['country']} != {ga['country']}")
            else:
                misses.append(f"{g['id']}: {ga['name']} not found")
    return {"recall": round(found / total, 3), "country_accuracy": round(right / found, 3) if found else None,
            "gold": total, "found": found, "spacy_seconds": round(t_nlp, 3), "link_seconds": round(t_link, 3),
            "spacy_share": round(t_nlp / (t_nlp + t_link), 3), "misses": misses}


if __name__ == "__main__":
    import sys

    from bilat.nlp.pipeline import EnglishPipeline

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    kb = load_real_kb()
    if kb is None or "--fixture" in sys.argv:
        from actors.kbfixture import tiny_kb
        kb = tiny_kb()
    nlp = EnglishPipeline()
    nlp("warm up")
    logging.basicConfig(level=logging.INFO)
    logger.info("canonical names: %s", json.dumps(measure(nlp, kb), indent=1))
    logger.info("names as written: %s", json.dumps(measure(nlp, kb, surface=True), indent=1))
