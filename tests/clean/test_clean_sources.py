"""Outlet and cited sources."""
from __future__ import annotations

import pytest

from bilat.clean import Cleaner
from bilat.config import Settings
from bilat.model import RawDocument

BODY = "The ministers of the two countries met in Dushanbe on Monday and discussed trade and border security."


@pytest.mark.parametrize(("text", "url", "outlet"), [
    (BODY, "https://www.steppeherald.kz/news/1", "steppeherald.kz"),
    (BODY + "\n\nBecome a Pamir Daily subscriber for two dollars a month.", None, "Pamir Daily"),
    (BODY + "\n\n© 2019 Some Outlet", None, "Some Outlet"),
    # wire copy with nothing else to go on: the agency of its dateline published it
    ("MOSCOW, May 2 (Itar-Tass) -- " + BODY, None, "Itar-Tass"),
    (BODY + "\n\nIf you like our stories, become a member of Khujand Times.", None, "Khujand Times"),
    ("Tajikistan would become a member of Eurasian Union. " + BODY, None, None),
])
def test_outlet(clean_text, text, url, outlet):
    assert clean_text(text, url=url).outlet == outlet


def test_metadata_outlet_wins(cleaner: Cleaner):
    raw = RawDocument("x", "t", "txt", text=BODY + "\n\n© 2019 Some Outlet", outlet="Khovar", url="https://a.tj/")
    assert cleaner.clean(raw, Settings()).outlet == "Khovar"


@pytest.mark.parametrize(("sentence", "names"), [
    ("The talks ended without a deal, as reported by Asia-Plus.", ["Asia-Plus"]),
    ("According to Interfax, the talks ended without a deal.", ["Interfax"]),
    ("MOSCOW, May 2 (TASS) -- The talks ended without a deal.", ["TASS"]),
    ("DUSHANBE, 2 May (Itar-Tass) — The talks ended without a deal.", ["Itar-Tass"]),
    ("MOSCOW, May 2. /TASS/. The talks ended without a deal.", ["TASS"]),
    ("The talks ended without a deal, Kabar reports.", ["Kabar"]),
    ("The talks ended without a deal, the minister told RIA Novosti on Monday.", ["RIA Novosti"]),
    ("The talks ended without a deal.\nSource: Khovar", ["Khovar"]),
    ("The talks ended without a deal, according to them.", []),
    ("Remittances fell by a fifth, according to new World Bank estimates.", ["World Bank"]),
    ("The talks ended without a deal.\nBased on reports from TASS and Interfax", ["TASS", "Interfax"]),
    ("The figure was confirmed, according to the Tajik labour ministry.", []),
])
def test_cited_sources(clean_text, sentence, names):
    assert clean_text(sentence).cited_sources == names


def test_source_note_outside_the_article_markup(cleaner: Cleaner):
    html = ("<html><body><article><p>" + BODY + " " + BODY + "</p></article>"
            "<div class='source-note'>Source: Pamir Wire</div></body></html>")
    doc = cleaner.clean(RawDocument("x", "t", "html", html=html), Settings())
    assert doc.cited_sources == ["Pamir Wire"]


def test_site_name_section_suffix_dropped(cleaner: Cleaner):
    raw = RawDocument("x", "t", "txt", text=BODY, outlet="Khujand Morning Herald - Business and Markets")
    assert cleaner.clean(raw, Settings()).outlet == "Khujand Morning Herald"
