"""Cleaning stage: main text, boilerplate and spam removal, outlet, cited sources, publication date.

    clean_document(raw, settings) -> Document
    NearDuplicateIndex(threshold, num_perm).add(doc) / .add_text(doc_id, text)
    infer_published(text, url, meta_date, year_range=None) -> DatedValue | None

Everything removed from an article is kept in Document.removed with the reason.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from ..config import Settings
from ..model import Document, RawDocument, RemovedParagraph
from .boilerplate import BoilerplateRules, ParagraphCleaner
from .dates import DateInferrer, DateParser, DateRules, infer_published
from .dedup import NearDuplicateIndex
from .extract import extract_html
from .language import detect_language
from .sources import SourceFinder, SourceRules
from .text import content_hash, split_paragraphs

logger = logging.getLogger(__name__)

__all__ = ["Cleaner", "NearDuplicateIndex", "clean_document", "infer_published"]


class Cleaner:
    """Holds the loaded rule sets; `clean` turns one RawDocument into a Document."""

    def __init__(self, boilerplate: BoilerplateRules | None = None, dates: DateRules | None = None,
                 sources: SourceRules | None = None) -> None:
        parser = DateParser()
        self.paragraphs = ParagraphCleaner(boilerplate or BoilerplateRules.load(), parser)
        self.dates = DateInferrer(dates or DateRules.load(), parser)
        self.sources = SourceFinder(sources or SourceRules.load())

    def _outlet(self, raw: RawDocument, sitename: str | None, all_text: str,
                removed: list[RemovedParagraph]) -> str | None:
        """Metadata, site name, URL host, text cues, then a masthead line; a site name's section
        suffix is dropped ("Silk Road Daily - Markets" -> "Silk Road Daily")."""
        outlet = self.sources.outlet(raw.outlet, sitename, raw.url, all_text)
        if outlet:
            return self.paragraphs.masthead(outlet) or outlet
        masthead = next((self.paragraphs.masthead(r.text) for r in removed if r.reason == "masthead"), None)
        # Wire copy with nothing else to go on: the agency in its own dateline published it.
        return masthead or _dateline_agency(all_text)

    def clean(self, raw: RawDocument, settings: Settings) -> Document:
        title, meta_date, sitename, ex = raw.title, raw.published, None, None
        removed = []
        if raw.html:
            ex = extract_html(raw.html, raw.url, settings)
            body = ex.text
            title = title or ex.title
            meta_date = meta_date or ex.date
            sitename = ex.sitename
            removed.extend(ex.removed)
        else:
            body = raw.text or ""
        overflow = None
        if len(body) > settings.max_doc_chars:
            cut = body.rfind("\n", 0, settings.max_doc_chars)
            cut = cut if cut > 0 else settings.max_doc_chars
            # The tail is kept as a removed paragraph, so nothing is lost and the limit hit is on record.
            body, overflow = body[:cut], RemovedParagraph(body[cut:].strip(), LIMIT_REASON)
            logger.info("%s: truncated to %d chars", raw.doc_id, len(body))
        cleaned = self.paragraphs.clean(split_paragraphs(body))
        removed.extend(cleaned.removed)
        if overflow is not None:
            removed.append(overflow)
        if ex is not None:
            removed = ex.page_order(removed)
        text = "\n\n".join(cleaned.kept)
        all_text = "\n\n".join([body] + [r.text for r in removed])
        # Date lines were removed from the text but still say when it was published.
        date_text = "\n".join([text] + [evidence for _, _, evidence in cleaned.dates])
        published = self.dates.infer(date_text, raw.url, meta_date)
        logger.debug("%s: kept %d paragraphs, removed %d; published %s", raw.doc_id, len(cleaned.kept),
                     len(removed), published)
        return Document(
            doc_id=raw.doc_id,
            origin=raw.origin,
            fmt=raw.fmt,
            text=text,
            title=title,
            outlet=self._outlet(raw, sitename, all_text, removed),
            url=raw.url,
            published=published,
            cited_sources=self.sources.cited_sources(_attribution_text(body, removed)),
            removed=removed,
            content_hash=content_hash(text),
            lang=detect_language(text),
            limits=list(ex.limits) if ex is not None else [],
        )


LIMIT_REASON = "limit:max_doc_chars"

_DATELINE_AGENCY = re.compile(
    r"^[A-Z][A-Z .'-]{2,30},\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})\s*\(([A-Za-z][\w .&-]{1,30})\)",
    re.MULTILINE)


def _dateline_agency(text: str) -> str | None:
    match = _DATELINE_AGENCY.search(text[:2000])
    return match.group(1).strip() if match else None


def _attribution_text(body: str, removed: list[RemovedParagraph]) -> str:
    """The article plus short lines the extractor dropped: pages put "Source: X" notes outside the
    article's markup, while long dropped blocks are other stories whose sources are not this one's."""
    notes = [r.text for r in removed if r.reason.startswith("extractor:") and len(r.text.split()) <= 12]
    return "\n".join([body, *notes])


@lru_cache(maxsize=1)
def default_cleaner() -> Cleaner:
    """The packaged rules, loaded once per process; the rule objects are immutable."""
    return Cleaner()


def clean_document(raw: RawDocument, settings: Settings) -> Document:
    """Clean one article: main text, removed paragraphs with reasons, outlet, sources, date, hash."""
    return default_cleaner().clean(raw, settings)
