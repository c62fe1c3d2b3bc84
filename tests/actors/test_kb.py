"""The actor knowledge base: coverage, dated roles, memberships, and internal consistency."""

from __future__ import annotations

import csv
import importlib.util
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

import pytest

from bilat.actors.kb_loader import KnowledgeBase, load_kb, parse_bound
from bilat.errors import ConfigError

KB_DIR = Path(__file__).resolve().parents[2] / "src" / "bilat" / "actors" / "kb"
ROLES = {
    "president", "prime minister", "vice president", "foreign minister", "defence minister",
    "interior minister", "foreign ministry spokesperson", "head of state", "secretary general",
    "presidential spokesperson", "presidential aide", "deputy prime minister",
    "economic development minister", "party leader", "government spokesperson", "security council secretary",
    "intelligence chief", "parliament speaker",
}
# Roles one person holds at a time; overlaps between holders must be hand-over days only.
SINGLE_HOLDER = {"president", "prime minister", "foreign minister", "defence minister", "interior minister",
                 "head of state", "secretary general"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def names(people) -> list[str]:
    return [p.name for p in people]


def test_loads_from_package() -> None:
    # load time is measured by the benchmark, not asserted here
    kb = load_kb()
    assert len(kb.countries) >= 249 and len(kb.orgs) >= 40 and len(kb.people) >= 250


def test_every_un_member_present_with_capital(kb: KnowledgeBase) -> None:
    members = [c for c in kb.countries.values() if c.un_status == "member"]
    assert len(members) == 193
    assert all(c.capital for c in members), [c.code for c in members if not c.capital]
    assert {c.code for c in kb.countries.values() if c.un_status == "observer"} == {"PSE", "VAT"}
    assert kb.countries["KAZ"].capital == "Astana"
    assert kb.countries["TJK"].capital == "Dushanbe"


def test_names_adjectives_metonyms(kb: KnowledgeBase) -> None:
    c = kb.countries
    assert {"US", "USA", "United States", "America"} <= set(c["USA"].names())
    assert {"UK", "Britain"} <= set(c["GBR"].aliases)
    assert c["RUS"].name == "Russia" and "Russian Federation" in c["RUS"].names()
    assert "Türkiye" in c["TUR"].aliases and "Kyrgyzia" in c["KGZ"].aliases
    assert {"Tajik", "Tajikistani"} <= set(c["TJK"].adjectives)
    assert {"Belarusian", "Belarussian"} <= set(c["BLR"].adjectives)
    assert {"Kazakh", "Kazakhstani"} <= set(c["KAZ"].adjectives)
    assert "Kremlin" in c["RUS"].metonyms and "Nur-Sultan" in c["KAZ"].metonyms
    assert "Kyiv" in c["UKR"].metonyms and "Kiev" in c["UKR"].metonyms
    # Brussels stands for the EU, not Belgium
    assert all("Brussels" not in x.metonyms for x in c.values())
    assert "Brussels" in kb.orgs["EU"].metonyms
    assert all(x.adjectives for x in c.values())
    assert all(x.source for x in c.values())


def test_no_surface_form_names_two_states(kb: KnowledgeBase) -> None:
    seen: dict[str, str] = {}
    clashes = []
    for c in kb.countries.values():
        for n in set(c.names()) | set(c.metonyms):
            if n in seen and seen[n] != c.code:
                clashes.append((n, seen[n], c.code))
            seen[n] = c.code
    assert clashes == []


def test_russian_president_by_date(kb: KnowledgeBase) -> None:
    assert names(kb.people_in_role("RUS", "president", date(2011, 9, 15))) == ["Dmitry Medvedev"]
    assert names(kb.people_in_role("RUS", "president", date(2022, 6, 28))) == ["Vladimir Putin"]
    assert names(kb.people_in_role("RUS", "prime minister", date(2011, 9, 15))) == ["Vladimir Putin"]
    assert names(kb.people_in_role("RUS", "president", date(1995, 1, 1))) == ["Boris Yeltsin"]


def test_putin_and_medvedev_tenures(kb: KnowledgeBase) -> None:
    putin = kb.person("rus-vladimir-putin")
    assert [r.role for r in putin.roles_on(date(2010, 1, 1))] == ["prime minister"]
    assert [r.role for r in putin.roles_on(date(2005, 1, 1))] == ["president"]
    medvedev = kb.person("rus-dmitry-medvedev")
    pres = [r for r in medvedev.roles if r.role == "president"]
    assert (pres[0].start, pres[0].end) == (date(2008, 5, 7), date(2012, 5, 7))


def test_tajik_foreign_minister_2010(kb: KnowledgeBase) -> None:
    found = kb.people_in_role("TJK", "foreign minister", date(2010, 1, 1))
    assert names(found) == ["Khamrokhon Zarifi"]
    role = found[0].roles[0]
    assert role.start.year == 2006 and role.end.year == 2013
    assert names(kb.people_in_role("TJK", "foreign minister", date(2020, 1, 1))) == ["Sirojiddin Muhriddin"]


def test_rahmon_variants(kb: KnowledgeBase) -> None:
    rahmon = kb.person("tjk-emomali-rahmon")
    assert {"Rahmon", "Rakhmon", "Rakhmonov", "Rahmonov", "Emomalii Rahmon", "Emomali Rakhmon"} <= set(rahmon.variants)
    assert kb.people_named("rakhmonov") == [rahmon]
    assert names(kb.people_in_role("TJK", "president", date(2012, 4, 23))) == ["Emomali Rahmon"]
    assert names(kb.people_in_role("TJK", "head of state", date(1993, 6, 1))) == ["Emomali Rahmon"]


def test_surname_added_by_loader(kb: KnowledgeBase) -> None:
    assert "Lavrov" in kb.person("rus-sergei-lavrov").variants
    assert kb.person("chn-xi-jinping").surname == "Xi"
    assert {"Lukashenka", "Lukashenko"} <= set(kb.person("blr-alexander-lukashenko").variants)


def test_eaeu_and_eurasec_distinct(kb: KnowledgeBase) -> None:
    eaeu, eurasec = kb.orgs["EAEU"], kb.orgs["EURASEC"]
    assert eaeu.founded == date(2015, 1, 1)
    assert {"EEU", "Eurasian Economic Union", "Eurasian Union"} <= set(eaeu.aliases)
    assert not set(eaeu.aliases) & set(eurasec.aliases)
    assert eurasec.exists_on(date(2005, 1, 1)) and not eurasec.exists_on(date(2016, 1, 1))
    assert not eaeu.exists_on(date(2010, 1, 1))


def test_memberships_with_dates(kb: KnowledgeBase) -> None:
    eaeu, csto = kb.orgs["EAEU"], kb.orgs["CSTO"]
    for year in range(2015, 2026):
        assert not eaeu.is_member("TJK", date(year, 6, 1))
    assert kb.orgs["EURASEC"].is_member("TJK", date(2005, 6, 1))
    assert eaeu.is_member("KGZ", date(2016, 1, 1)) and not eaeu.is_member("KGZ", date(2015, 3, 1))
    assert csto.is_member("UZB", date(2010, 1, 1))
    assert not csto.is_member("UZB", date(2013, 1, 1))
    assert [m.end.year for m in csto.members if m.country == "UZB"] == [2012]
    assert kb.orgs["SCO"].members_on(date(2002, 1, 1)) == ["CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB"]
    assert kb.orgs["CIS"].is_member("GEO", date(2005, 1, 1)) and not kb.orgs["CIS"].is_member("GEO", date(2010, 1, 1))
    assert len(kb.orgs["UN"].members_on(date(2024, 1, 1))) == 193
    assert kb.orgs["NATO"].is_member("SWE", date(2024, 6, 1)) and not kb.orgs["NATO"].is_member("SWE", date(2023, 6, 1))


def test_required_orgs_present(kb: KnowledgeBase) -> None:
    wanted = {"CIS", "CSTO", "EAEU", "EURASEC", "SCO", "BRICS", "UN", "UNSC", "UNGA", "NATO", "EU", "OSCE", "ISAF",
              "UNION_STATE", "CICA", "OIC", "CAREC", "ADB", "IMF", "WB", "WTO", "EBRD", "CST", "G7", "G20", "ASEAN",
              "AU", "ARAB_LEAGUE", "GCC", "INTERPOL", "IAEA", "WHO", "UNHCR", "ICRC"}
    assert wanted <= set(kb.orgs)
    assert kb.orgs["ICRC"].kind == "ngo"
    assert all(o.source for o in kb.orgs.values())


def test_org_members_are_known_states(kb: KnowledgeBase) -> None:
    for o in kb.orgs.values():
        for m in o.members:
            assert m.country in kb.countries, (o.code, m.country)
            assert m.start is None or m.end is None or m.start <= m.end, (o.code, m)


def test_no_duplicate_ids(kb: KnowledgeBase) -> None:
    ids = [p.id for p in kb.people]
    assert len(ids) == len(set(ids))
    lines = (KB_DIR / "countries.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(lines) == len({ln.split(",", 1)[0] for ln in lines})


def test_roles_well_formed(kb: KnowledgeBase) -> None:
    for p in kb.people:
        assert p.source and p.roles, p.id
        assert p.country in kb.countries or p.country in kb.orgs, p.id
        for r in p.roles:
            assert r.role in ROLES, (p.id, r.role)
            assert r.sector in kb.sectors, (p.id, r.sector)
            assert r.country in kb.countries or r.country in kb.orgs, (p.id, r.country)
            assert r.start is not None and r.start.year >= 1982, p.id
            assert r.end is None or (r.start <= r.end and r.end.year <= 2025), p.id


def test_no_person_holds_overlapping_roles_of_one_kind(kb: KnowledgeBase) -> None:
    for p in kb.people:
        for a, b in combinations(p.roles, 2):
            if (a.role, a.country) != (b.role, b.country):
                continue
            overlap = (a.end or date.max) >= b.start and (b.end or date.max) >= a.start
            assert not overlap, (p.id, a, b)


def _parallel_office(note: str) -> bool:
    """Offices held by several at once, said so in the role's note: Bosnia's three-member presidency,
    Cambodia's co-prime ministers (1993-98), the EU's two presidents (Commission, European Council)."""
    return (note.startswith(("co-", "first prime minister")) or "member of the Presidency" in note
            or "European Commission" in note)


def test_single_holder_roles_hand_over_cleanly(kb: KnowledgeBase) -> None:
    """Two holders of one office may share only the hand-over day (when both dates are exact)."""
    spans: dict[tuple[str, str], list] = {}
    for p in kb.people:
        for r in p.roles:
            if r.role in SINGLE_HOLDER and not _parallel_office(r.note):
                spans.setdefault((r.country, r.role), []).append((p.id, r))
    bad = []
    for key, items in spans.items():
        for (pa, a), (pb, b) in combinations(items, 2):
            if pa == pb:
                continue
            exact = {a.start_precision, b.start_precision, a.end_precision, b.end_precision} <= {"day", "none"}
            lo, hi = max(a.start, b.start), min(a.end or date.max, b.end or date.max)
            if exact and hi - lo > timedelta(days=1):
                bad.append((key, pa, pb))
    assert bad == []


def test_secretaries_general(kb: KnowledgeBase) -> None:
    assert names(kb.people_in_role("UN", "secretary general", date(2010, 1, 1))) == ["Ban Ki-moon"]
    assert names(kb.people_in_role("NATO", "secretary general", date(2020, 1, 1))) == ["Jens Stoltenberg"]
    assert names(kb.people_in_role("SCO", "secretary general", date(2017, 1, 1))) == ["Rashid Alimov"]
    assert names(kb.people_in_role("CSTO", "secretary general", date(2010, 1, 1))) == ["Nikolai Bordyuzha"]
    assert names(kb.people_in_role("CIS", "secretary general", date(2010, 1, 1))) == ["Sergei Lebedev"]


def test_spokespeople(kb: KnowledgeBase) -> None:
    assert names(kb.people_in_role("RUS", "foreign ministry spokesperson", date(2020, 1, 1))) == ["Maria Zakharova"]
    assert names(kb.people_in_role("RUS", "presidential spokesperson", date(2020, 1, 1))) == ["Dmitry Peskov"]
    assert names(kb.people_in_role("TJK", "foreign ministry spokesperson", date(2023, 6, 7))) == ["Shokhin Samadi"]


def test_each_core_state_has_leaders_through_the_period(kb: KnowledgeBase) -> None:
    """Someone heads each core state on 1 July of every year 1992-2025."""
    for code in ["RUS", "TJK", "UZB", "KAZ", "KGZ", "TKM", "CHN", "BLR", "AFG", "UKR"]:
        for year in range(1992, 2026):
            on = date(year, 7, 1)
            heads = kb.people_in_role(code, "president", on) + kb.people_in_role(code, "head of state", on)
            assert heads, (code, year)


def test_sectors(kb: KnowledgeBase) -> None:
    wanted = {"GOV", "MIL", "LEG", "JUD", "BUS", "MED", "CVL", "IGO", "NGO", "COP", "SPY", "OPP", "REB", "EDU",
              "HLH", "REF", "LAB", "ELI", "REL", "PTY"}
    assert wanted == set(kb.sectors)
    assert "ministry of defence" in kb.sectors["MIL"].keywords
    assert "police" in kb.sectors["COP"].keywords and "parliament" in kb.sectors["LEG"].keywords


def test_partial_dates() -> None:
    assert parse_bound("2013-11", end=True) == (date(2013, 11, 30), "month")
    assert parse_bound("1994", end=False) == (date(1994, 1, 1), "year")
    assert parse_bound(None, end=True) == (None, "none")
    with pytest.raises(ConfigError):
        parse_bound("sometime", end=False)


def test_load_from_folder_and_missing_file(tmp_path: Path) -> None:
    for name in ["countries.csv", "orgs.yaml", "people.yaml", "sectors.yaml"]:
        (tmp_path / name).write_bytes((KB_DIR / name).read_bytes())
    assert len(load_kb(tmp_path).countries) == len(load_kb().countries)
    (tmp_path / "sectors.yaml").unlink()
    with pytest.raises(ConfigError):
        load_kb(tmp_path)


def test_countries_csv_matches_generator(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_countries", KB_DIR / "build_countries.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "countries.csv"
    mod.write_csv(mod.build_rows(), out)
    with open(out, encoding="utf-8") as a, open(KB_DIR / "countries.csv", encoding="utf-8") as b:
        assert list(csv.reader(a)) == list(csv.reader(b)), "countries.csv is stale: rerun build_countries.py"
