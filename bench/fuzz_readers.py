"""Fuzz the HTML and WARC readers (and, on a sample, the cleaner) with structured mutations.

    python bench/fuzz_readers.py --n 100000 [--seed 0] [--clean-every 20] [--out report.json]
    python bench/fuzz_readers.py --replay CRASH_FILE      # rerun one saved input, with its traceback

Each input is built from a seeded generator (``random.Random(seed, index)``): a real-looking news page
(charset declarations, metadata, navigation, scripts, entities, Cyrillic, deep nesting) or a WARC
file of hand-written records (wrong lengths, chunked and compressed bodies, odd headers, per-record or
whole-file gzip), then damaged by byte-level mutations (flips, cuts, splices, inserted fragments).
The reader is called directly, so an exception it lets out is seen with its traceback:
``bilat.errors.InputError`` is the documented way to refuse a file; OSError is what ``iter_inputs``
reports as an unreadable file; anything else, an output that breaks an invariant, or an input that
takes more than ``--slow`` CPU seconds, is counted as a finding and its input saved under ``--crash-dir``.
"""
from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import logging
import random
import re
import signal
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bilat.clean import clean_document
from bilat.config import Settings
from bilat.errors import InputError
from bilat.ingest.common import ReadContext
from bilat.ingest.html import read_html
from bilat.ingest.warc import read_warc
from bilat.model import RawDocument, ReadError

logger = logging.getLogger(__name__)

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
_FALLBACK_WORDS = ("Russia Tajikistan Dushanbe Moscow ministers signed agreement border migrants base "
                   "talks president said on Tuesday the of and in 2024 per cent million dollars").split()
_CYRILLIC = "Россия Таджикистан Душанбе Москва министр соглашение граница мигранты".split()
_ENCODINGS = ("utf-8", "utf-8", "utf-8", "windows-1251", "koi8-r", "iso-8859-1", "cp1252", "utf-16",
              "utf-7", "UTF8", "bogus-charset", "x-mac-cyrillic", "ascii", "shift_jis", "")
_DATES = ("2024-03-05", "2024-03-05T10:20:00+03:00", "05.03.2024", "March 5, 2024", "2024-13-45", "0000-00-00",
          "99999-01-01", "", "yesterday", "1e9", "2024-02-30", "-1")
# Fragments that reach the corners of markup, XML and HTTP parsers.
_FRAGMENTS = (b"<", b">", b"</", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<script>", b"</script>", b"<style>",
              b"<?xml version='1.0' encoding='utf-16'?>", b'<meta charset="utf-7">', b"&#0;", b"&#xD800;",
              b"&#99999999;", b"&bogus;", b"&amp", b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf",
              b"\xed\xa0\x80", b"\xc0\xaf", b"\r", b"\r\n\r\n", b"\n", b"\x1f\x8b", b"\x1f\x8b\x08\x00",
              b"WARC/1.0\r\n", b"Content-Length: 99999999\r\n", b"Content-Length: -5\r\n",
              b"Transfer-Encoding: chunked\r\n", b"Content-Encoding: gzip\r\n", b"HTTP/1.1 200 OK\r\n",
              b"<div>" * 40, b"<table><tr><td>", b"<p>", b"</p>", b"\xe2\x80\xae", b"\xf0\x9f\x98\x80",
              b"<html>", b"<body>", b"<frameset>", b"<svg><foreignObject>", b"<math><mi>", b"<template>",
              b"<base href='javascript:x'>", b"<noscript>", b"<plaintext>", b"<xmp>", b"<textarea>")


@dataclasses.dataclass(frozen=True)
class FuzzInput:
    kind: str  # html | warc
    suffix: str  # file name ending the reader is chosen by
    data: bytes


def load_words(corpus: Path = CORPUS) -> list[str]:
    """Words of the team's demo articles (not the seeds), so pages read like news."""
    words: list[str] = []
    for path in sorted(corpus.glob("*.txt"))[:8]:
        words.extend(path.read_text(encoding="utf-8").split())
    return words or list(_FALLBACK_WORDS)


class Generator:
    """Builds real-looking HTML pages and WARC files from a ``random.Random``, then damages them."""

    def __init__(self, words: list[str] | None = None) -> None:
        self.words = words or load_words()

    # -------------------------------------------------------------- text
    def sentence(self, rng: random.Random) -> str:
        n = rng.randint(3, 30)
        start = rng.randrange(max(1, len(self.words) - n))
        words = self.words[start : start + n]
        if rng.random() < 0.1:
            words = words + rng.sample(_CYRILLIC, 2)
        if rng.random() < 0.05:
            words.append(rng.choice(["&amp;", "&nbsp;", "&#8212;", "&#x1F600;", "&#99999999;", "&bogus;", "&lt;b"]))
        if rng.random() < 0.02:
            words.append("x" * rng.choice([300, 5000, 70000]))  # one endless "word"
        return " ".join(words)

    def paragraph(self, rng: random.Random) -> str:
        return " ".join(self.sentence(rng) for _ in range(rng.randint(1, 5)))

    # -------------------------------------------------------------- html
    def html_text(self, rng: random.Random) -> tuple[str, str]:
        """(markup, declared charset) of one news page."""
        charset = rng.choice(_ENCODINGS)
        title = self.sentence(rng)
        head = [f'<meta charset="{charset}">' if rng.random() < 0.6 else
                f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
                f"<title>{title}</title>"]
        if rng.random() < 0.5:
            head.append(f'<meta property="og:site_name" content="{self.sentence(rng)[:40]}">')
        if rng.random() < 0.5:
            head.append(f'<meta property="article:published_time" content="{rng.choice(_DATES)}">')
        if rng.random() < 0.3:
            body = '{"@type": "NewsArticle", "datePublished": "' + rng.choice(_DATES) + '"'
            head.append(f'<script type="application/ld+json">{body}{"}" if rng.random() < 0.7 else ""}</script>')
        if rng.random() < 0.4:
            head.append("<script>var a = '<p>not text</p>'; if (a < b) {}</script><style>p{color:red}</style>")
        parts = []
        if rng.random() < 0.7:
            links = " | ".join(f'<a href="/{w}">{w}</a>' for w in rng.sample(self.words, 5))
            parts.append(f'<nav class="main-menu">{links}</nav>')
        body = [f"<h1>{title}</h1>"]
        if rng.random() < 0.4:
            body.append(f'<time datetime="{rng.choice(_DATES)}">{rng.choice(_DATES)}</time>')
        for _ in range(rng.randint(0, 12)):
            roll = rng.random()
            if roll < 0.7:
                body.append(f"<p>{self.paragraph(rng)}</p>")
            elif roll < 0.8:
                body.append("<ul>" + "".join(f"<li>{self.sentence(rng)}</li>" for _ in range(3)) + "</ul>")
            elif roll < 0.88:
                body.append(f"<blockquote>{self.sentence(rng)}</blockquote><!-- {self.sentence(rng)} -->")
            elif roll < 0.94:
                body.append(f"<table><tr><td>{self.sentence(rng)}</td><td>12.5%</td></tr></table>")
            else:
                body.append(f"<figure><img src=x><figcaption>{self.sentence(rng)}</figcaption></figure>")
        article = "".join(body)
        if rng.random() < 0.05:  # very deep nesting
            depth = rng.choice([100, 1000, 5000])
            article = "<div>" * depth + article + "</div>" * rng.randint(0, depth)
        parts.append(f'<article class="story">{article}</article>' if rng.random() < 0.8 else article)
        if rng.random() < 0.6:
            parts.append('<div class="related-news">Read also: ' + self.sentence(rng) + "</div>")
            parts.append(f"<footer>© 2024 {self.sentence(rng)[:30]}. Subscribe to our newsletter.</footer>")
        doctype = rng.choice(["<!DOCTYPE html>", "<!doctype html>", "", '<?xml version="1.0"?>',
                              '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">'])
        markup = f"{doctype}<html><head>{''.join(head)}</head><body>{''.join(parts)}</body></html>"
        if rng.random() < 0.05:
            markup = "".join(parts)  # a fragment, no html/head/body
        return markup, charset

    def encode(self, rng: random.Random, markup: str, charset: str) -> bytes:
        codec = charset if rng.random() < 0.8 else rng.choice(_ENCODINGS)
        try:
            data = markup.encode(codec or "utf-8", errors=rng.choice(["replace", "xmlcharrefreplace", "ignore"]))
        except LookupError:
            data = markup.encode("utf-8")
        if rng.random() < 0.05:
            data = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]) + data
        return data

    def html_page(self, rng: random.Random) -> bytes:
        markup, charset = self.html_text(rng)
        return self.encode(rng, markup, charset)

    # -------------------------------------------------------------- warc
    def http_block(self, rng: random.Random, ctype: str, body: bytes, odd: float = 0.1) -> bytes:
        status = rng.choice(["404 Not Found", "301 Moved", "abc", "", "200"]) if rng.random() < odd else "200 OK"
        headers = [rng.choice(["HTTP/2", "GET"])] if rng.random() < odd / 3 else [f"HTTP/1.{rng.choice([0, 1])} {status}"]
        if ctype:
            headers.append(f"Content-Type: {ctype}")
        encoding = rng.choice(["gzip", "gzip", "deflate", "br", "x-bogus", "gzip, gzip"]) if rng.random() < odd else None
        if encoding:
            headers.append(f"Content-Encoding: {encoding}")
            if encoding.startswith("gzip") and rng.random() < 0.8:
                body = gzip.compress(body)
            elif encoding == "deflate" and rng.random() < 0.8:
                body = zlib.compress(body)
        if rng.random() < odd:
            headers.append("Transfer-Encoding: chunked")
            body = self.chunked(rng, body)
        if rng.random() < 0.3:
            headers.append(f"Content-Length: {len(body) + rng.choice([0, 0, 1, -1, 1000])}")
        for _ in range(rng.choice([1, 3]) if rng.random() < odd else 0):
            headers.append(rng.choice(["X-Odd:", ": no name", "Folded: a\r\n b", "Set-Cookie: a=b",
                                       "Content-Type: text/plain", "Date: " + rng.choice(_DATES)]))
        return ("\r\n".join(headers) + "\r\n\r\n").encode("utf-8", "replace") + body

    @staticmethod
    def chunked(rng: random.Random, body: bytes) -> bytes:
        out, i = [], 0
        while i < len(body):
            n = rng.randint(1, 4096)
            chunk = body[i : i + n]
            size = f"{len(chunk):x}" if rng.random() < 0.95 else rng.choice(["zz", "-1", "ffffffff", ""])
            out.append(size.encode() + b"\r\n" + chunk + b"\r\n")
            i += n
        if rng.random() < 0.9:
            out.append(b"0\r\n\r\n")
        return b"".join(out)

    def warc_record(self, rng: random.Random, number: int, odd: float = 0.1,
                    page: Callable[[random.Random], bytes] | None = None) -> bytes:
        """One record; ``odd`` is the chance of each unusual or broken choice; ``page`` builds its HTML."""
        page = page or self.html_page
        kind = rng.choice(["request", "warcinfo", "metadata", "resource", "revisit", "conversion", "bogus"]) \
            if rng.random() < 0.3 else "response"
        url = f"https://news{number % 5}.example/{number}/{rng.randint(0, 10**6)}"
        if rng.random() < odd:
            url = rng.choice(["", "not a url", "https://пример.рф/новости", "https://x.example/" + "a" * 3000])
        if kind == "response":
            ctype = rng.choice(["text/html; charset=utf-8", "text/html", "TEXT/HTML; charset=\"windows-1251\"",
                                "application/xhtml+xml", "text/html; charset=cp1251"])
            if rng.random() < odd:
                ctype = rng.choice(["", "image/png", "text/html; charset=bogus", "text/html; charset=utf-16"])
            body = page(rng) if not ctype.startswith("image") else b"\x89PNG\r\n\x1a\n" + bytes(64)
            block = body if rng.random() < odd / 2 else self.http_block(rng, ctype, body, odd)
            content_type = "application/http; msgtype=response"
        elif kind == "request":
            block = f"GET /{number} HTTP/1.1\r\nHost: news.example\r\n\r\n".encode()
            content_type = "application/http; msgtype=request"
        elif kind == "resource":
            block, content_type = page(rng), "text/html"
        else:
            block, content_type = b"software: fuzz\r\nformat: WARC File Format 1.0\r\n", "application/warc-fields"
        length: object = len(block)
        if rng.random() < odd:
            length = rng.choice([len(block) + 1, len(block) - 1, 0, -1, 10**12, len(block) * 2, "twelve"])
        version = rng.choice(["WARC/0.17", "WARC/2.0", "warc/1.0"]) if rng.random() < odd / 2 else \
            rng.choice(["WARC/1.0", "WARC/1.1"])
        when = rng.choice(["", "yesterday", "2024-13-99T99:99:99Z"]) if rng.random() < odd else "2024-03-05T10:00:00Z"
        headers = [version, f"WARC-Type: {kind}", f"WARC-Record-ID: <urn:uuid:{rng.getrandbits(128):032x}>",
                   f"WARC-Date: {when}", f"WARC-Target-URI: {url}", f"Content-Type: {content_type}",
                   f"Content-Length: {length}"]
        if rng.random() < odd / 2:
            del headers[rng.randrange(1, len(headers))]
        newline = "\n" if rng.random() < odd / 2 else "\r\n"
        return (newline.join(headers) + newline + newline).encode("utf-8") + block + b"\r\n\r\n"

    def warc_file(self, rng: random.Random, page: Callable[[random.Random], bytes] | None = None,
                  odd: float | None = None) -> tuple[bytes, str]:
        odd = rng.choice([0.0, 0.0, 0.03, 0.15]) if odd is None else odd
        records = [self.warc_record(rng, i, odd, page) for i in range(rng.randint(1, 6))]
        mode = rng.choice(["plain", "per-record", "per-record", "whole"])
        if mode == "plain":
            data, suffix = b"".join(records), ".warc"
        elif mode == "per-record":
            data, suffix = b"".join(gzip.compress(r) for r in records), ".warc.gz"
        else:
            data, suffix = gzip.compress(b"".join(records)), ".warc.gz"
        if rng.random() < 0.03:
            suffix = ".warc.gz" if suffix == ".warc" else ".warc"  # the name lies about compression
        return data, suffix

    # -------------------------------------------------------------- damage
    def mutate(self, rng: random.Random, data: bytes, max_ops: int = 4) -> bytes:
        buf = bytearray(data)
        for _ in range(rng.choice([0, 0, 1, 1, 2, max_ops])):
            if not buf:
                buf.extend(rng.choice(_FRAGMENTS))
                continue
            op = rng.randrange(7)
            i = rng.randrange(len(buf))
            if op == 0:
                for _ in range(rng.randint(1, 8)):
                    buf[rng.randrange(len(buf))] = rng.randrange(256)
            elif op == 1:
                del buf[i:]
            elif op == 2:
                del buf[i : i + rng.randint(1, 200)]
            elif op == 3:
                j = rng.randrange(len(buf))
                buf[i:i] = buf[j : j + rng.randint(1, 500)]
            elif op == 4:
                buf[i:i] = rng.choice(_FRAGMENTS) * rng.choice([1, 1, 2, 50, 5000])  # 5000: quadratic-time hunting
            elif op == 5:
                buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 32)))
            else:
                j = rng.randrange(len(buf))
                a, b = sorted((i, j))
                buf[a:b] = buf[a:b][::-1]
        return bytes(buf)

    def make(self, rng: random.Random) -> FuzzInput:
        if rng.random() < 0.5:
            data = self.html_page(rng)
            suffix = ".html"
            if rng.random() < 0.1:
                data, suffix = gzip.compress(data), ".html.gz"
            return FuzzInput("html", suffix, self.mutate(rng, data))
        data, suffix = self.warc_file(rng)
        if rng.random() < 0.3:  # damage the uncompressed records instead of the compressed bytes
            raw = gzip.decompress(data) if suffix == ".warc.gz" and data[:2] == b"\x1f\x8b" else data
            damaged = self.mutate(rng, raw)
            return FuzzInput("warc", suffix, gzip.compress(damaged) if suffix == ".warc.gz" else damaged)
        return FuzzInput("warc", suffix, self.mutate(rng, data))


# Vocabulary of the real-page structures (written for this tool): what a long sentence of a real
# news page strings together — states, capitals, dates in every form, figures, clauses.
_STATES = ("Russia", "Tajikistan", "Kazakhstan", "Uzbekistan", "Kyrgyzstan", "China", "India", "Iran",
           "Turkey", "Belarus", "Armenia", "Azerbaijan", "Afghanistan", "Pakistan", "Mongolia", "Georgia")
_CAPITALS = ("Moscow", "Dushanbe", "Astana", "Tashkent", "Bishkek", "Beijing", "New Delhi", "Tehran",
             "Ankara", "Minsk", "Yerevan", "Baku", "Kabul", "Islamabad", "Ulaanbaatar", "Tbilisi")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_CLAUSES = ("the foreign ministers of {a} and {b} met in {c} on {d}", "{a} and {b} signed a memorandum on {d}",
            "talks between {a} and {b} that began in {c} on {d} and went on until {e}",
            "which {a} had proposed to {b} as early as {d}", "the president of {a} said in {c} on {d}",
            "trade between {a} and {b} grew by {n} per cent to {m} million dollars in {y}",
            "after {a} closed its border with {b} from {d} to {e}", "a delegation from {a} visited {c} on {d}",
            "{a} accused {b} of breaking the agreement of {d}", "as {a} and {b} agreed in {c} on {d}",
            "with {n} thousand migrants from {b} working in {a} by {e}", "then, on {d}, {a} recalled its ambassador",
            "while {a} hosted the summit in {c} from {d} to {e}", "and the leaders of {a}, {b} and {f}")
_JOINS = (", and ", ", while ", "; ", ", but ", " — ", ", after which ", ", ", " and ")


class PageGenerator(Generator):
    """Real pages at their largest: long lists, deep and wide tables, sentences of hundreds of words
    over many lines full of dates and states, mixed with the news pages of ``Generator``."""

    def date(self, rng: random.Random) -> str:
        y, month, d = rng.randint(1991, 2025), rng.randint(1, 12), rng.randint(1, 28)
        m = _MONTHS[month - 1]
        form = rng.randrange(8)
        if form == 7:
            return rng.choice(("Tuesday", "last week", "yesterday", "the next day", "in the spring"))
        return (f"{d} {m} {y}", f"{m} {d}, {y}", f"{y}-{month:02d}-{d:02d}", f"{d:02d}.{month:02d}.{y}",
                f"{m} {y}", f"{y}", f"{m} {d}")[form]

    def clause(self, rng: random.Random) -> str:
        a, b, f = rng.sample(_STATES, 3)
        return rng.choice(_CLAUSES).format(a=a, b=b, f=f, c=rng.choice(_CAPITALS), d=self.date(rng),
                                           e=self.date(rng), n=rng.randint(1, 99), m=rng.randint(1, 9999),
                                           y=rng.randint(1991, 2025))

    def long_sentence(self, rng: random.Random) -> str:
        """One sentence of 100 to 3,000 words without a full stop, broken over many lines."""
        words, target, clauses = 0, rng.choices([100, 300, 800, 3000], [40, 35, 20, 5])[0], []
        while words < target:
            clause = self.clause(rng) if rng.random() < 0.8 else self.sentence(rng).replace(".", "")
            clauses.append(clause)
            words += clause.count(" ") + 1
        text = clauses[0][:1].upper() + clauses[0][1:]
        for clause in clauses[1:]:
            text += rng.choice(_JOINS) + clause
        end = rng.choice([".", "", "", ";", ",", " and"])
        per_line = rng.choice([3, 8, 15, 40])
        words_ = text.split(" ")
        lines = [" ".join(words_[i : i + per_line]) for i in range(0, len(words_), per_line)]
        style = rng.randrange(5)
        if style == 0:  # hard line breaks in one paragraph
            return "<p>" + "<br>\n".join(lines) + end + "</p>"
        if style == 1:  # source newlines only (whitespace to HTML, kept by some extractors)
            return "<p>" + "\n".join(lines) + end + "</p>"
        if style == 2:  # preformatted: the line breaks are text
            return "<pre>" + "\n".join(lines) + end + "</pre>"
        if style == 3:  # one paragraph a line, as a CMS that breaks on every Enter
            return "".join(f"<p>{line}</p>" for line in lines[:-1]) + f"<p>{lines[-1]}{end}</p>"
        return "<div>" + "".join(f"<span>{line}</span>\n" for line in lines) + end + "</div>"

    def long_list(self, rng: random.Random) -> str:
        n = rng.choices([100, 500, 2000, 8000], [50, 30, 15, 5])[0]
        tag = rng.choice(["ul", "ol"])
        kind = rng.randrange(4) if n <= 1000 else rng.randrange(3)
        items = []
        for i in range(n):
            if kind == 0:  # an archive or menu: links
                item = f'<a href="/news/{i}">{rng.choice(_CAPITALS)} {self.date(rng)}</a>'
            elif kind == 1:  # a timeline: date, then what happened
                item = f"<b>{self.date(rng)}</b> {self.clause(rng)}"
            elif kind == 2:  # bare items, unclosed (the parser closes each at the next <li>)
                item = rng.choice(_STATES) + (" " + rng.choice(_CAPITALS) if rng.random() < 0.5 else "")
            else:  # full sentences
                item = self.clause(rng).capitalize() + rng.choice([".", "", ";"])
            if rng.random() < 0.02:
                item += f"<{tag}>" + "".join(f"<li>{rng.choice(_STATES)}</li>" for _ in range(rng.randint(1, 30))) + f"</{tag}>"
            items.append(f"<li>{item}" if kind == 2 else f"<li>{item}</li>")
        return f"<{tag}>" + "\n".join(items) + f"</{tag}>"

    def cell(self, rng: random.Random, column: int) -> str:
        roll = rng.random()
        if column == 0 or roll < 0.1:
            return self.date(rng)
        if roll < 0.4:
            return f"{rng.random() * 100:.1f}%"
        if roll < 0.7:
            return f"{rng.randint(0, 10**6):,}"
        if roll < 0.9:
            return rng.choice(_CAPITALS)
        return self.clause(rng) if roll < 0.97 else "—"

    def table(self, rng: random.Random, rows: int, cols: int) -> str:
        head = "<tr>" + "".join(f"<th>{rng.choice(_STATES)}</th>" for _ in range(cols)) + "</tr>"
        body = []
        for _ in range(rows):
            cells = [f"<td>{self.cell(rng, c)}</td>" for c in range(cols)]
            body.append("<tr>" + "".join(cells) + ("</tr>" if rng.random() < 0.9 else ""))
        return "<table>" + head + "\n".join(body) + "</table>"

    def deep_table(self, rng: random.Random) -> str:
        """Tables in tables (layout pages), each level a row of cells, or one table of thousands of cells."""
        if rng.random() < 0.5:
            rows, cols = rng.choices([(20, 5), (50, 10), (200, 12), (1000, 6), (3000, 8), (600, 90)],
                                     [30, 30, 20, 10, 5, 5])[0]
            return self.table(rng, rows, cols)
        depth = rng.choice([5, 20, 60, 120])
        inner = self.table(rng, rng.randint(1, 20), rng.randint(1, 8))
        for level in range(depth):
            side = f"<td>{rng.choice(_CAPITALS)} {level}</td>" * rng.randint(0, 3)
            inner = f"<table><tr>{side}<td>{inner}</td>{side}</tr></table>"
        return inner

    def structure(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.35:
            return self.long_sentence(rng)
        if roll < 0.65:
            return self.long_list(rng)
        if roll < 0.95:
            return self.deep_table(rng)
        return "".join(self.structure(rng) for _ in range(rng.randint(2, 4)))

    def real_html_text(self, rng: random.Random) -> tuple[str, str]:
        """A news page of ``Generator`` with one to three real-page structures in its article or beside it."""
        markup, charset = self.html_text(rng)
        structures = "".join(self.structure(rng) for _ in range(rng.choice([1, 1, 1, 2, 3])))
        where = rng.choice(["</h1>", "</h1>", "</article>", "<footer>", "</body>"])
        at = markup.find(where)
        if at < 0:
            return markup + structures, charset
        at += len(where) if where == "</h1>" else 0
        return markup[:at] + structures + markup[at:], charset

    def real_page(self, rng: random.Random) -> bytes:
        markup, charset = self.real_html_text(rng)
        if rng.random() < 0.8:  # mostly a declared charset that fits: the page must reach the later stages
            charset = rng.choice(["utf-8", "utf-8", "windows-1251", ""])
            markup = re.sub(r'charset=("?)[^">\s]*', rf"charset=\g<1>{charset}", markup, count=1)
            return markup.encode(charset or "utf-8", errors="xmlcharrefreplace")
        return self.encode(rng, markup, charset)

    def make(self, rng: random.Random) -> FuzzInput:
        roll = rng.random()
        if roll < 0.2:  # the damaged inputs of the first run, for the mix
            return super().make(rng)
        if roll < 0.75:
            data, suffix = self.real_page(rng), ".html"
            if rng.random() < 0.1:
                data, suffix = gzip.compress(data), ".html.gz"
            return FuzzInput("html", suffix, self.mutate(rng, data, 2) if rng.random() < 0.3 else data)
        data, suffix = self.warc_file(rng, self.real_page, rng.choice([0.0, 0.0, 0.03]))
        return FuzzInput("warc", suffix, self.mutate(rng, data, 2) if rng.random() < 0.2 else data)


GENERATORS = {"mutate": Generator, "pages": PageGenerator}


def input_for(gen: Generator, seed: int, index: int) -> FuzzInput:
    return gen.make(random.Random(f"{seed}:{index}"))


# ------------------------------------------------------------------ running
@dataclasses.dataclass
class Finding:
    signature: str
    stage: str
    detail: str
    index: int
    saved: str = ""


def check_records(items: list[RawDocument | ReadError], kind: str) -> str | None:
    """The readers' output contract; returns what is wrong, or None."""
    for item in items:
        if isinstance(item, ReadError):
            if not item.reason or "\n" in item.reason or not item.origin:
                return f"bad ReadError {item!r}"[:300]
        elif isinstance(item, RawDocument):
            if item.fmt != kind or not item.doc_id or not item.html or not isinstance(item.html, str):
                return f"bad RawDocument fmt={item.fmt} id={item.doc_id!r} html={type(item.html).__name__}"
            try:
                item.html.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"markup is not storable Unicode: {exc}"
        else:
            return f"reader yielded {type(item).__name__}"
    return None


def read_one(path: Path, inp: FuzzInput, ctx: ReadContext) -> list[RawDocument | ReadError]:
    compressed = inp.suffix.endswith(".gz")
    if inp.kind == "html":
        return list(read_html(path, ctx, "fuzz", compressed))
    return list(read_warc(path, ctx, compressed))


def run_one(path: Path, inp: FuzzInput, ctx: ReadContext,
            clean: Callable[[RawDocument], Finding | None] | None) -> tuple[str, list, Finding | None]:
    """Outcome ('docs', 'input-error', 'os-error' ...), the records, and a finding if any."""
    path.write_bytes(inp.data)
    try:
        items = read_one(path, inp, ctx)
    except InputError as exc:
        return f"refused:{type(exc).__name__}", [ReadError(str(path), str(exc))], None
    except OSError as exc:
        return f"oserror:{type(exc).__name__}", [ReadError(str(path), str(exc))], None
    except Exception as exc:  # the finding this tool exists for
        tb = traceback.format_exc()
        return "crash", [], Finding(_signature(exc, tb), "reader", tb, -1)
    problem = check_records(items, inp.kind)
    if problem:
        return "invalid", items, Finding("invariant: " + problem.split(":")[0], "reader", problem, -1)
    if clean is not None:
        for item in items:
            if isinstance(item, RawDocument):
                try:
                    finding = clean(item)
                except Exception as exc:
                    tb = traceback.format_exc()
                    return "clean-crash", items, Finding(_signature(exc, tb), "clean", tb, -1)
                if finding is not None:
                    return f"{finding.stage}-finding", items, finding
    docs = sum(isinstance(i, RawDocument) for i in items)
    return ("docs" if docs else "no-docs"), items, None


STAGES = ("read", "clean", "nlp", "analysis")


class Stages:
    """Cleans documents, and analyses every ``analyse_every``-th input's, as the pipeline does
    (``Pipeline.clean``, ``Pipeline.analyse``: spaCy, actors, events, dates, places, figures), timing
    each stage of each document in CPU seconds (the machine is shared: wall time measures the load)
    against ``deadline`` (``doc_timeout_s``) and a tighter ``budget``. The pipeline's own wall-clock
    limit is raised to ``backstop`` so that it only ends a hang, which then counts as a finding."""

    def __init__(self, settings: Settings, analyse: bool, budget: float, backstop: float = 600.0) -> None:
        from bilat.pipeline import Pipeline

        self.deadline = settings.doc_timeout_s
        self.settings = dataclasses.replace(settings, doc_timeout_s=backstop)
        self.pipeline = Pipeline(self.settings) if analyse else None
        self.budget = budget
        self.index = -1
        self.analyse_now = False
        self.slowest: dict[str, dict] = {}
        self.over_budget: list[dict] = []
        self.over_deadline: list[dict] = []
        self.docs: Counter[str] = Counter()
        self.spent = 0.0  # CPU seconds of the current input's cleaning and analysis

    def note(self, stage: str, cpu: float, wall: float) -> Finding | None:
        self.docs[stage] += 1
        if cpu > self.slowest.get(stage, {}).get("cpu_s", -1.0):
            self.slowest[stage] = {"cpu_s": round(cpu, 3), "wall_s": round(wall, 3), "index": self.index}
        if cpu > self.budget:
            self.over_budget.append({"stage": stage, "cpu_s": round(cpu, 2), "index": self.index})
        if cpu > self.deadline > 0:
            self.over_deadline.append({"stage": stage, "cpu_s": round(cpu, 2), "index": self.index})
            return Finding(f"{stage} over the deadline (> {self.deadline:g} s CPU)", stage, f"{cpu:.1f} s", -1)
        return None

    def __call__(self, raw: RawDocument) -> Finding | None:
        started = c0 = time.process_time()
        w0 = time.perf_counter()
        try:
            return self._clean_and_analyse(raw, c0, w0)
        finally:
            self.spent += time.process_time() - started

    def _clean_and_analyse(self, raw: RawDocument, c0: float, w0: float) -> Finding | None:
        from bilat.errors import DocumentTimeout

        try:
            doc = self.pipeline.clean(raw) if self.pipeline else clean_document(raw, self.settings)
        except DocumentTimeout as exc:
            return Finding(f"clean stalled (> {self.settings.doc_timeout_s:g} s wall)", "clean", str(exc), -1)
        finding = self.note("clean", time.process_time() - c0, time.perf_counter() - w0)
        if finding or not self.analyse_now or self.pipeline is None or not doc.text.strip():
            return finding
        marks: dict[str, tuple[float, float]] = {}

        def progress(step: str, i: int) -> None:
            marks[step] = (time.process_time(), time.perf_counter())

        c0, w0 = time.process_time(), time.perf_counter()
        results = list(self.pipeline.analyse([doc], progress))
        c2, w2 = time.process_time(), time.perf_counter()
        c1, w1 = marks.get("analysis", (c0, w0))
        if "parse" in marks:
            finding = self.note("nlp", c1 - marks["parse"][0], w1 - marks["parse"][1])
        finding = self.note("analysis", c2 - c1, w2 - w1) or finding
        self.docs["events"] += len(doc.events)
        exc = results[0][1] if results else None
        if exc is not None:
            tb = "".join(traceback.format_exception(exc))
            stage = "analysis stalled" if isinstance(exc, DocumentTimeout) else "analysis"
            return Finding(_signature(exc, tb), stage, tb, -1)
        return finding

    def summary(self) -> dict:
        return {"deadline_cpu_s": self.deadline, "budget_cpu_s": self.budget, "documents": dict(self.docs),
                "slowest": self.slowest, "over_deadline": self.over_deadline,
                "over_budget": len(self.over_budget), "over_budget_first": self.over_budget[:20]}


def _signature(exc: BaseException, tb: str) -> str:
    """Exception type and the innermost bilat frame (or the last frame) — one line per distinct bug."""
    frames = [line.strip() for line in tb.splitlines() if line.strip().startswith("File ")]
    ours = [f for f in frames if "/bilat/" in f] or frames
    return f"{type(exc).__name__} at {ours[-1] if ours else '?'}"


def fuzz(n: int, seed: int = 0, clean_every: int = 0, slow: float = 5.0, crash_dir: Path | None = None,
         settings: Settings | None = None, progress_every: int = 5000, max_cpu: float = 0.0,
         mode: str = "mutate", analyse_every: int = 0, budget: float = 10.0, shard: tuple[int, int] = (0, 1)) -> dict:
    """Run ``n`` inputs (fewer if ``max_cpu`` CPU seconds run out first); returns the summary.

    ``mode`` "mutate" is the first run's mix (damaged pages and WARC files); "pages" adds the
    structures of real pages (``PageGenerator``). ``analyse_every`` (a multiple of ``clean_every``)
    also analyses those inputs' documents. ``shard`` (k, n) runs only the inputs whose index is k
    modulo n, so that n processes share the run; every k-th is then counted within the shard."""
    settings = settings or dataclasses.replace(Settings(), max_file_bytes=4 * 1024 * 1024,
                                               max_decompressed_bytes=2 * 1024 * 1024)
    ctx = ReadContext(settings=settings)
    gen = GENERATORS[mode]()
    stages = Stages(settings, bool(analyse_every), budget) if clean_every else None
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    findings: dict[str, Finding] = {}
    counts: Counter[str] = Counter()
    slowest = (0.0, -1)
    started = time.perf_counter()
    cpu_started = time.process_time()
    done, interrupted = 0, False
    with tempfile.TemporaryDirectory(prefix="bilat-fuzz-") as tmp:
        for position, index in enumerate(range(shard[0], n, shard[1])):
            if max_cpu and time.process_time() - cpu_started > max_cpu:
                logger.warning("CPU budget of %g s spent after %d inputs", max_cpu, index)
                break
            done = position + 1
            try:
                inp = input_for(gen, seed, index)
            except KeyboardInterrupt:
                logger.warning("stopped at input %d", index)
                done, interrupted = position, True
                break
            path = Path(tmp) / f"input{inp.suffix}"
            cleaner = stages if stages and position % clean_every == 0 else None
            if stages:
                stages.index, stages.spent = index, 0.0
                stages.analyse_now = bool(analyse_every) and position % analyse_every == 0
            t0, w0 = time.process_time(), time.perf_counter()  # CPU time: the load must not make an input look slow
            try:
                outcome, items, finding = run_one(path, inp, ctx, cleaner)
            except KeyboardInterrupt:
                logger.warning("stopped at input %d", index)
                done, interrupted = position, True
                break
            took = time.process_time() - t0
            read = took - (stages.spent if stages else 0.0)
            if stages:
                stages.note("read", read, time.perf_counter() - w0)
            outcomes[f"{inp.kind}:{outcome}"] += 1
            for item in items:
                if isinstance(item, ReadError):
                    reasons[re.sub(r"\d+", "N", item.reason.split(":")[0])[:70]] += 1
            if took > slowest[0]:
                slowest = (took, index)
            if finding is None and read > slow:
                finding = Finding(f"slow {inp.kind} input (> {slow:g} s CPU)", "reader", f"{took:.1f} s", index)
            if finding is not None:
                finding.index = index
                counts[finding.signature] += 1
                if finding.signature not in findings:
                    if crash_dir is not None:
                        crash_dir.mkdir(parents=True, exist_ok=True)
                        saved = crash_dir / f"seed{seed}-{index}{inp.suffix}"
                        saved.write_bytes(inp.data)
                        finding.saved = str(saved)
                    findings[finding.signature] = finding
                    logger.warning("finding at input %d: %s", index, finding.signature)
            if progress_every and done % progress_every == 0:
                rate = done / (time.perf_counter() - started)
                slow_part = ""
                if stages:
                    slow_part = ", slowest " + ", ".join(f"{k} {v['cpu_s']:.1f} s (#{v['index']})"
                                                          for k, v in stages.slowest.items())
                logger.warning("%d inputs (at #%d), %.1f/s, %.0f CPU s, %d findings%s", done, index, rate,
                               time.process_time() - cpu_started, sum(counts.values()), slow_part)
    seconds = time.perf_counter() - started
    summary = {
        "inputs": done, "interrupted": interrupted, "seed": seed, "mode": mode, "shard": f"{shard[0]}/{shard[1]}", "seconds": round(seconds, 1),
        "inputs_per_s": round(done / seconds, 1), "cpu_seconds": round(time.process_time() - cpu_started, 1),
        "cleaned_every": clean_every, "analysed_every": analyse_every,
        "slowest": {"seconds": round(slowest[0], 3), "index": slowest[1]},
        "outcomes": dict(sorted(outcomes.items())), "read_error_reasons": dict(reasons.most_common(25)),
        "findings": [dataclasses.asdict(f) | {"count": counts[s]} for s, f in findings.items()],
    }
    if stages:
        summary["stages"] = stages.summary()
    return summary


def replay(path: Path, clean: bool = True, analyse: bool = True) -> int:
    """Rerun one saved input and print what happens, traceback included."""
    kind = "warc" if ".warc" in path.name else "html"
    suffix = ".warc.gz" if path.name.endswith(".warc.gz") else ".warc" if kind == "warc" else \
        ".html.gz" if path.name.endswith(".gz") else ".html"
    inp = FuzzInput(kind, suffix, path.read_bytes())
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        cleaner = Stages(settings, analyse, budget=settings.doc_timeout_s) if clean else None
        if cleaner:
            cleaner.analyse_now = analyse
        outcome, items, finding = run_one(Path(tmp) / f"input{suffix}", inp, ReadContext(settings=settings), cleaner)
    print(outcome, [type(i).__name__ for i in items])
    if cleaner:
        print(json.dumps(cleaner.summary()["slowest"]))
    if finding:
        print(finding.detail)
    return 1 if finding else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10000, help="number of inputs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--clean-every", type=int, default=0, help="also clean the documents of every k-th input")
    parser.add_argument("--slow", type=float, default=5.0,
                        help="CPU seconds after which one input counts as a finding")
    parser.add_argument("--crash-dir", type=Path, default=Path("fuzz-findings"))
    parser.add_argument("--out", type=Path, help="write the JSON summary here too")
    parser.add_argument("--max-cpu", type=float, default=0.0, help="stop after this many CPU seconds (0: no limit)")
    parser.add_argument("--replay", type=Path, help="rerun one saved input (read, clean, analyse)")
    parser.add_argument("--mode", choices=sorted(GENERATORS), default="mutate",
                        help="mutate: damaged pages and WARC files; pages: with real-page structures too")
    parser.add_argument("--analyse-every", type=int, default=0,
                        help="also analyse (NLP, events, dates, figures) the documents of every k-th input; "
                             "a multiple of --clean-every")
    parser.add_argument("--budget", type=float, default=10.0,
                        help="CPU seconds of one document's stage counted (not failed) as over budget")
    parser.add_argument("--progress-every", type=int, default=5000)
    parser.add_argument("--shard", default="0/1", help="K/N: only the inputs whose index is K modulo N")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    # The readers log every refused input; only this tool's own progress is wanted here.
    logging.getLogger("bilat").setLevel(logging.CRITICAL)
    logging.getLogger("warcio").setLevel(logging.CRITICAL)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    if args.replay:
        return replay(args.replay)
    k, _, n = args.shard.partition("/")
    shard = (int(k), int(n or 1))
    if args.analyse_every and (not args.clean_every or args.analyse_every % args.clean_every):
        parser.error("--analyse-every must be a multiple of --clean-every")

    def stop(signum, frame):  # noqa: ANN001 - signal handler signature
        raise KeyboardInterrupt  # SIGTERM ends the run with the summary of what was done

    signal.signal(signal.SIGTERM, stop)
    summary = fuzz(args.n, args.seed, args.clean_every, args.slow, args.crash_dir, max_cpu=args.max_cpu,
                   mode=args.mode, analyse_every=args.analyse_every, budget=args.budget,
                   progress_every=args.progress_every, shard=shard)
    text = json.dumps(summary, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 1 if summary["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
