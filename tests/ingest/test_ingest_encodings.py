"""Bytes in the encodings met in practice decode to the right characters."""
from __future__ import annotations

import codecs
import gzip

from ingest_helpers import html_page, read_all, warc_bytes

from bilat.ingest.common import Sniffer, decode_bytes

RUSSIAN_TITLE = "Переговоры в Душанбе"
RUSSIAN_BODY = ("Министры иностранных дел двух стран обсудили в четверг строительство новых школ, "
                "поставки топлива и правила для трудовых мигрантов. Следующая встреча пройдёт осенью.")
FRENCH_TITLE = "Accord économique signé à Genève"
FRENCH_BODY = ("Les délégués ont déjà prévu une réunion où l'on parlera des élèves étrangers, "
               "du café exporté et d'une façade rénovée près du lac. Très bien, a-t-il dit.")
GERMAN = "Die Außenminister trafen sich in Köln; über Grüße und Zölle wurde gesprochen."


def test_windows_1251_text(tmp_path, settings):
    path = tmp_path / "ru.txt"
    path.write_bytes(f"{RUSSIAN_TITLE}\n\n{RUSSIAN_BODY}\n".encode("cp1251"))
    (doc,) = read_all([path], settings)
    assert doc.title == RUSSIAN_TITLE and doc.text == RUSSIAN_BODY


def test_latin_1_text(tmp_path, settings):
    path = tmp_path / "fr.txt"
    path.write_bytes(f"{FRENCH_TITLE}\n\n{FRENCH_BODY}\n".encode("latin-1"))
    (doc,) = read_all([path], settings)
    assert doc.title == FRENCH_TITLE and doc.text == FRENCH_BODY


def test_short_latin_1_and_koi8(settings):
    sniffer = Sniffer.packaged()
    assert decode_bytes(GERMAN.encode("latin-1"), sniffer) == GERMAN
    assert decode_bytes(RUSSIAN_BODY.encode("koi8-r"), sniffer) == RUSSIAN_BODY


def test_utf8_with_bom_and_utf16(tmp_path, settings):
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + f"{RUSSIAN_TITLE}\n\n{RUSSIAN_BODY}".encode())
    (tmp_path / "wide.txt").write_bytes(f"{FRENCH_TITLE}\n\n{FRENCH_BODY}".encode("utf-16"))
    bom, wide = read_all([tmp_path / "bom.txt", tmp_path / "wide.txt"], settings)
    assert bom.title == RUSSIAN_TITLE and not bom.title.startswith("\ufeff")
    assert wide.title == FRENCH_TITLE and wide.text == FRENCH_BODY


def test_html_meta_charset_is_honoured(tmp_path, settings):
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
            f"<title>{RUSSIAN_TITLE}</title></head><body><p>{RUSSIAN_BODY}</p></body></html>")
    path = tmp_path / "ru.html"
    path.write_bytes(page.encode("cp1251"))
    (doc,) = read_all([path], settings)
    assert RUSSIAN_BODY in doc.html


def test_html_without_declaration_is_detected(tmp_path, settings):
    path = tmp_path / "fr.htm"
    path.write_bytes(f"<p>{FRENCH_BODY}</p>".encode("latin-1"))
    (doc,) = read_all([path], settings)
    assert FRENCH_BODY in doc.html


def test_feed_in_windows_1251(tmp_path, settings):
    rss = (f'<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Лента</title>'
           f"<item><title>{RUSSIAN_TITLE}</title><link>https://ru.example/1</link>"
           f"<description>{RUSSIAN_BODY}</description></item></channel></rss>")
    undeclared = rss.replace(' encoding="windows-1251"', "")
    (tmp_path / "a.rss").write_bytes(rss.encode("cp1251"))
    (tmp_path / "b.rss").write_bytes(undeclared.encode("cp1251"))
    for doc in read_all([tmp_path], settings):
        assert doc.title == RUSSIAN_TITLE and doc.outlet == "Лента"
        assert RUSSIAN_BODY in (doc.html or doc.text)


def test_jsonl_line_in_legacy_encoding(tmp_path, settings):
    path = tmp_path / "old.jsonl"
    path.write_bytes(('{"id": "x", "text": "' + RUSSIAN_BODY + '"}\n').encode("cp1251"))
    (doc,) = read_all([path], settings)
    assert doc.text == RUSSIAN_BODY


def test_warc_charset_from_http_header(tmp_path, settings):
    body = f"<html><body><p>{RUSSIAN_BODY}</p></body></html>".encode("cp1251")
    pages = [("https://ru.example/a", "text/html; charset=windows-1251", body),
             ("https://fr.example/b", "text/html", html_page("x", FRENCH_BODY).decode().encode("latin-1"))]
    path = tmp_path / "mixed.warc.gz"
    path.write_bytes(warc_bytes(pages))
    ru, fr = read_all([path], settings)
    assert RUSSIAN_BODY in ru.html and FRENCH_BODY in fr.html


def test_gzipped_cp1251_text(tmp_path, settings):
    path = tmp_path / "ru.txt.gz"
    path.write_bytes(gzip.compress(f"{RUSSIAN_TITLE}\n\n{RUSSIAN_BODY}".encode("cp1251")))
    (doc,) = read_all([path], settings)
    assert doc.text == RUSSIAN_BODY


def test_feed_declared_utf8_but_written_in_1251(tmp_path, settings):
    rss = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Лента</title>'
           f"<item><title>{RUSSIAN_TITLE}</title><description>{RUSSIAN_BODY}</description></item>"
           "</channel></rss>")
    path = tmp_path / "wrong.xml"
    path.write_bytes(rss.encode("cp1251"))
    (doc,) = read_all([path], settings)
    assert doc.title == RUSSIAN_TITLE and RUSSIAN_BODY in (doc.html or doc.text)


def test_feed_in_utf16(tmp_path, settings):
    atom = ('<?xml version="1.0" encoding="UTF-16"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            f'<entry><title>{FRENCH_TITLE}</title><content type="text">{FRENCH_BODY}</content></entry></feed>')
    path = tmp_path / "wide.atom"
    path.write_bytes(atom.encode("utf-16"))
    (doc,) = read_all([path], settings)
    assert doc.title == FRENCH_TITLE and doc.text == FRENCH_BODY
