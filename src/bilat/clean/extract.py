"""Main text and metadata from HTML with trafilatura, keeping what it dropped.

Offline: trafilatura works on the markup it is given and fetches nothing.

Before any parser sees a page, two cheap checks in linear time (``check_markup``) guard against pages
a parser handles badly: a page of more than ``max_html_elements`` elements is read by a linear
fallback instead of trafilatura, whose XPath searches take quadratic time in one C call that no
timer can stop (100,000 tiny paragraphs: about 20 s; 1,000,000: hours); a page nested deeper than
``max_html_depth`` is flattened there, because libxml2 stops building the tree at 256 levels and
the text below would be lost.
"""
from __future__ import annotations

import html as html_entities
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

from ..config import Settings
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


PAGE_ORDER_SCAN_BUDGET = 2_000_000  # block comparisons of Extracted.page_order, about a second


@dataclass
class Extracted:
    text: str
    title: str | None = None
    date: str | None = None
    sitename: str | None = None
    removed: list[RemovedParagraph] = field(default_factory=list)
    fallback: bool = False
    blocks: list[str] = field(default_factory=list)  # normalised visible blocks, in page order
    limits: list[str] = field(default_factory=list)  # limits the page hit, for the ingest log

    def page_order(self, removed: list[RemovedParagraph]) -> list[RemovedParagraph]:
        """`removed` sorted by where each text stands on the page (unplaced ones last)."""
        first: dict[str, int] = {}
        for i, b in enumerate(self.blocks):
            first.setdefault(b, i)
        # Comparing every removed paragraph with every block is quadratic: a page of 10,000 list items
        # took 90 s. Most are a whole block (trafilatura writes a list item "- item"), found at once;
        # the scan for the others stops after PAGE_ORDER_SCAN_BUDGET comparisons, leaving the rest unplaced.
        budget = [PAGE_ORDER_SCAN_BUDGET]

        def position(r: RemovedParagraph) -> int:
            n = normalise(r.text)
            whole = first.get(n, first.get(n.lstrip("-*• ")))
            if whole is not None:
                return whole
            if budget[0] <= 0:
                return len(self.blocks)
            budget[0] -= len(self.blocks)
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


# A tag, or the start of a comment. `[^<>]*` stops at the next "<", so a "<" that never closes costs one
# step rather than a scan to the end of the page (which would make the whole scan quadratic).
_TOKEN = re.compile(r"<!--|<(/?)([A-Za-z][\w:.-]*)[^<>]*(>?)")
_RAW_TEXT = frozenset(("script", "style"))  # their content is text to the parser: no tags inside
_HIDDEN = _RAW_TEXT | frozenset(_INVISIBLE)
_CLOSER = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _HIDDEN}
_VOID = frozenset("area base basefont bgsound br col embed frame hr img input keygen link meta param source "
                  "track wbr".split())
# What an opening tag closes when it is the current element (the parser's implied end tags), so that
# `<p>a<p>b` and `<li>a<li>b` count as siblings, as in the parsed tree, not as two levels.
_IMPLIED = {"li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
            "td": ("td", "th"), "th": ("td", "th"), "option": ("option",),
            **{part: ("thead", "tbody", "tfoot", "tr", "td", "th") for part in ("thead", "tbody", "tfoot")}}
_CLOSES = {name: frozenset(_IMPLIED.get(name, ())) | ({"p"} if name in _BLOCKS else set())
           for name in _BLOCKS | set(_IMPLIED)}
_TITLE = re.compile(r"<title\b[^<>]*>([^<]*)", re.IGNORECASE)


def _tags(markup: str, skip: frozenset[str]) -> Iterator[tuple[str, bool, int, int]]:
    """(name, closing, start, end) of every tag in page order, in linear time. A comment, and the content
    of an element in ``skip``, comes as one span named "": the "tags" inside are not tags."""
    missing: set[str] = set()  # elements whose closer is known to be absent: never searched for again
    pos = 0
    while match := _TOKEN.search(markup, pos):
        start, pos = match.span()
        if match.group(0) == "<!--":
            end = markup.find("-->", pos)
            pos = len(markup) if end < 0 else end + 3
            yield "", False, start, pos
            continue
        if not match.group(3):  # no ">" before the next "<": not a tag
            continue
        name, closing = match.group(2).lower(), bool(match.group(1))
        yield name, closing, start, pos
        if name in skip and not closing and name not in missing:
            closer = _CLOSER[name].search(markup, pos)
            if closer is None:
                missing.add(name)
            else:
                yield "", False, pos, closer.start()
                pos = closer.start()


# Above this many elements trafilatura runs without its fallbacks: justext's neighbour search walks
# a run of short paragraphs from each of them (quadratic: 10,000 short list items took 35 s to clean,
# 100 one-line paragraphs of a normal page nothing). The 24 pages of bench/pages have at most 2,352.
FALLBACK_MAX_ELEMENTS = 5_000


def rough_elements(markup: str) -> int:
    """The page's elements, counted at C speed: every "<" that does not start an end tag."""
    return markup.count("<") - markup.count("</")


@dataclass
class Shape:
    """What ``flatten`` found: elements, the deepest nesting as the parser would build it, and the
    markup with every tag below ``max_depth`` taken out (the same markup when none was)."""

    elements: int
    depth: int
    markup: str


def flatten(markup: str, max_depth: int) -> Shape:
    """Measure the nesting and take out the tags nested deeper than ``max_depth``, keeping their text.

    A block tag taken out becomes a ``<br>``, so its text stays a block of its own; an inline tag
    leaves nothing. Linear: each tag is pushed and popped once; end tags are matched to the open
    elements by name, closing the ones left open on the way, as the parser does.
    """
    stack: list[tuple[str, bool]] = []  # open elements: (name, taken out)
    open_names: Counter[str] = Counter()
    cuts: list[tuple[int, int, str]] = []
    elements = deepest = 0
    for name, closing, start, end in _tags(markup, _RAW_TEXT):
        if not name or name in _VOID:
            continue
        if closing:
            if not open_names[name]:
                continue  # a stray end tag: the parser ignores it
            while True:
                top, cut = stack.pop()
                open_names[top] -= 1
                if top == name:
                    break
            if cut:
                cuts.append((start, end, "<br>" if name in _BLOCKS else ""))
            continue
        elements += 1
        closes = _CLOSES.get(name, ())
        while stack and stack[-1][0] in closes:
            open_names[stack.pop()[0]] -= 1
        cut = len(stack) >= max_depth
        stack.append((name, cut))
        open_names[name] += 1
        deepest = max(deepest, len(stack))
        if cut:
            cuts.append((start, end, "<br>" if name in _BLOCKS else ""))
    if not cuts:
        return Shape(elements, deepest, markup)
    pieces, pos = [], 0
    for start, end, replacement in cuts:
        pieces += [markup[pos:start], replacement]
        pos = end
    pieces.append(markup[pos:])
    return Shape(elements, deepest, "".join(pieces))


def linear_extract(markup: str) -> Extracted:
    """Every visible block of the page, read in one pass without a parser: for pages too large for
    trafilatura. Blocks end at block tags and ``<br>``; scripts, styles, the head and other invisible
    elements are skipped; character references are decoded."""
    blocks: list[str] = []
    parts: list[str] = []
    last = 0

    def flush() -> None:
        text = " ".join(html_entities.unescape("".join(parts)).split())
        if text:
            blocks.append(text)
        parts.clear()

    for name, _, start, end in _tags(markup, _HIDDEN):
        parts.append(markup[last:start])
        last = end
        if not name or name in _BLOCKS or name == "br":
            flush()
    parts.append(markup[last:])
    flush()
    title = _TITLE.search(markup)
    title_text = " ".join(html_entities.unescape(title.group(1)).split()) if title else ""
    # No block list for page_order: it compares every removed paragraph with every block.
    return Extracted("\n\n".join(blocks), title_text or None, fallback=True)


def extract_html(html: str, url: str | None = None, settings: Settings | None = None) -> Extracted:
    """trafilatura's main text (paragraphs separated by blank lines) plus what it left out.

    Pages over ``max_html_elements`` are read by ``linear_extract``; pages nested deeper than
    ``max_html_depth`` are flattened first. Either is noted in ``Extracted.limits``.
    """
    settings = settings or Settings()
    rough = rough_elements(html)
    # the rough count first (C speed); flatten's exact one where the rough one was short (stray end tags)
    shape = flatten(html, settings.max_html_depth) if rough <= settings.max_html_elements else None
    if shape is None or shape.elements > settings.max_html_elements:
        count = f"about {rough:,}" if shape is None else f"{shape.elements:,}"
        ex = linear_extract(html)
        ex.limits.append(f"limit:max_html_elements ({count} elements: text read without the extractor)")
        return ex
    fast = shape.elements > FALLBACK_MAX_ELEMENTS
    ex = _extract(shape.markup, url, fast)
    if fast:
        ex.limits.append(f"limit:fallback_max_elements ({shape.elements:,} elements: trafilatura without "
                         f"its justext and readability fallbacks)")
    if shape.markup is not html:
        ex.limits.append(f"limit:max_html_depth (nested {shape.depth} levels deep: flattened to "
                         f"{settings.max_html_depth})")
    return ex


def _extract(html: str, url: str | None, fast: bool = False) -> Extracted:
    result = None
    try:
        result = trafilatura.bare_extraction(html, url=url, fast=fast, include_comments=False, with_metadata=True,
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
    # A block that is a kept paragraph is found without searching the whole kept text for it
    # (quadratic on a page of thousands of kept list items or table rows).
    kept_set = {normalise(p) for p in paragraphs}
    title_norm = normalise(title) if title else None
    removed = []
    for block, kind in blocks:
        n = normalise(block)
        if n in kept_set or n == title_norm or n in kept_norm:
            continue
        removed.append(RemovedParagraph(block, f"extractor:{kind}"))
    return Extracted("\n\n".join(paragraphs), title, getattr(result, "date", None),
                     getattr(result, "sitename", None), removed, blocks=[normalise(b) for b, _ in blocks])
