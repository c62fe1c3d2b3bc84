"""Main text and metadata from HTML with trafilatura, keeping what it dropped.

Offline: trafilatura works on the markup it is given and fetches nothing.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

from ..model import RemovedParagraph
from .text import normalise

logger = logging.getLogger(__name__)

# Control characters (all but tab, line feed, carriage return) are not text; lxml rejects some of them
# in places (next to a <script>, found by fuzzing) and drops the whole page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _without_controls(html: str) -> str:
    """The page with control characters, raw or written as character references, turned into spaces."""
    def ref(m: re.Match) -> str:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return " " if code < 0x110000 and _CONTROL.match(chr(code)) else m.group(0)

    return _CHAR_REF.sub(ref, _CONTROL.sub(" ", html))


_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas")
_BLOCKS = frozenset("""p div section article main header footer nav aside form ul ol li dl dt dd table tr td th
    thead tbody tfoot h1 h2 h3 h4 h5 h6 blockquote pre figure figcaption address hr menu details summary
    caption fieldset legend option select button""".split())
_KIND_TAGS = {"nav": "navigation", "menu": "navigation", "header": "header", "footer": "footer", "aside": "aside",
              "form": "form", "button": "form", "select": "form", "figcaption": "caption"}
# class/id fragments that say what a container is (trafilatura uses similar lists in its xpaths)
_KIND_ATTRS = (("navigation", re.compile(r"\b\w*(nav|menu|breadcrumb|topbar)\w*\b", re.I)),
               ("footer", re.compile(r"\b\w*(footer|copyright)\w*\b", re.I)),
               ("sidebar", re.compile(r"\b\w*(sidebar|widget|aside)\w*\b", re.I)),
               ("comments", re.compile(r"\b\w*comment\w*\b", re.I)),
               ("share", re.compile(r"\b\w*(share|social)\w*\b", re.I)),
               ("related", re.compile(r"\b\w*(related|recommend|more-news|readmore|read-also)\w*\b", re.I)),
               ("cookie", re.compile(r"\b\w*(cookie|consent|gdpr)\w*\b", re.I)),
               ("subscription", re.compile(r"\b\w*(subscri|newsletter|donat|paywall)\w*\b", re.I)),
               ("advert", re.compile(r"\b(ad|ads|advert\w*|banner\w*|promo\w*)\b", re.I)))


@dataclass
class Extracted:
    text: str
    title: str | None = None
    date: str | None = None
    sitename: str | None = None
    removed: list[RemovedParagraph] = field(default_factory=list)
    fallback: bool = False
    blocks: list[str] = field(default_factory=list)  # normalised visible blocks, in page order

    def page_order(self, removed: list[RemovedParagraph]) -> list[RemovedParagraph]:
        """`removed` sorted by where each text stands on the page (unplaced ones last)."""
        def position(r: RemovedParagraph) -> int:
            n = normalise(r.text)
            return next((i for i, b in enumerate(self.blocks) if n in b or (len(b) > 20 and b in n)), len(self.blocks))
        return sorted(removed, key=position)


def _kind(el: etree._Element) -> str:
    """What kind of page furniture holds `el`: the element itself or its nearest telling ancestor."""
    for anc in [el, *el.iterancestors()]:
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in _KIND_TAGS:
            return _KIND_TAGS[tag]
        attrs = " ".join(filter(None, (anc.get("class"), anc.get("id"), anc.get("role"))))
        if attrs:
            for kind, rx in _KIND_ATTRS:
                if rx.search(attrs):
                    return kind
    return "other"


def visible_blocks(html: str) -> list[tuple[str, str]]:
    """The page's visible text as (block text, kind) in document order."""
    try:
        # Bytes, because lxml refuses a str that carries an XML encoding declaration.
        page = _without_controls(html).encode("utf-8")
        root = lxml.html.fromstring(page, parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as exc:
        logger.warning("unparseable html: %s", exc)
        return []
    for bad in root.xpath("//" + " | //".join(_INVISIBLE)):
        bad.drop_tree()
    blocks: list[tuple[str, str]] = []
    parts: list[str] = []
    kind = "other"

    def flush() -> None:
        text = " ".join(" ".join(parts).split())
        if text:
            blocks.append((text, kind))
        parts.clear()

    body = root.find("body")
    top = body if body is not None else root
    # iterwalk rather than recursion: deeply nested pages must not hit the recursion limit.
    for action, el in etree.iterwalk(top, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        is_block = tag in _BLOCKS or tag == "br"
        if action == "start":
            if is_block:
                flush()
                kind = _KIND_TAGS.get(tag) or _kind(el)
            if el.text and tag:
                parts.append(el.text)
            continue
        if is_block:
            flush()
            parent = el.getparent()
            kind = _kind(parent) if parent is not None else "other"
        if el.tail and el is not top:
            parts.append(el.tail)
    flush()
    return blocks


def extract_html(html: str, url: str | None = None) -> Extracted:
    """trafilatura's main text (paragraphs separated by blank lines) plus what it left out."""
    result = None
    try:
        result = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True,
                                             include_tables=True, deduplicate=False,
                                             # only dates the page states in markup or URL: htmldate's
                                             # text search turns a "© 2021" footer into 2021-01-01
                                             date_extraction_params={"extensive_search": False,
                                                                     "original_date": True})
    except (ValueError, TypeError, etree.LxmlError) as exc:
        logger.warning("trafilatura failed on %s: %s", url, exc)
    blocks = visible_blocks(html)
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    title = getattr(result, "title", None) if result is not None else None
    if not text:
        # Guard: trafilatura found no main text, so keep every visible block and let the
        # paragraph rules do the cleaning.
        return Extracted("\n\n".join(b for b, _ in blocks), title,
                         getattr(result, "date", None) if result is not None else None,
                         getattr(result, "sitename", None) if result is not None else None, [], True,
                         [normalise(b) for b, _ in blocks])
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    kept_norm = normalise(" ".join(paragraphs))
    title_norm = normalise(title) if title else None
    removed = []
    for block, kind in blocks:
        n = normalise(block)
        if n in kept_norm or n == title_norm:
            continue
        removed.append(RemovedParagraph(block, f"extractor:{kind}"))
    return Extracted("\n\n".join(paragraphs), title, getattr(result, "date", None),
                     getattr(result, "sitename", None), removed, blocks=[normalise(b) for b, _ in blocks])
