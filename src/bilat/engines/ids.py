"""Which id a file's document is stored under.

A file's id is its name without the ending ("2024-05-rahmon-visit" for "2024-05-rahmon-visit.html"), as
the gold sets and the examples name documents. Two files may share that name ("a/index.html" and
"b/index.html" in a mirrored site, "note.txt" beside "note.html"): the second is stored under the first
of its further ids (``RawDocument.alt_ids``: the name with its ending, then with one folder, two...)
that no other file holds, so nothing is lost. The same file read again (by another relative path
too: "corpus/a.txt", "./corpus/a.txt", "/home/u/corpus/a.txt") keeps the id it was given, so
re-ingesting stays idempotent. Documents of JSON Lines, WARC and feeds carry their own ids and no
further ones: a repeated id there is the same document.
"""
from __future__ import annotations

import logging
import os
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import replace

from ..model import RawDocument

logger = logging.getLogger(__name__)


def _parts(origin: str) -> list[str]:
    return [p for p in os.path.normpath(origin.replace("\\", "/")).split(os.sep) if p not in ("", ".", "..")]


def same_file(a: str, b: str) -> bool:
    """Two origins name the same file when one path ends with the other, folder by folder."""
    pa, pb = _parts(a), _parts(b)
    n = min(len(pa), len(pb))
    return n > 0 and pa[-n:] == pb[-n:]


def candidate_ids(raw: RawDocument) -> list[str]:
    return [raw.doc_id, *raw.alt_ids]


def choose_id(raw: RawDocument, taken: Mapping[str, str]) -> str | None:
    """The id to store ``raw`` under, or None where it is stored already; ``taken`` maps ids held by
    stored or earlier documents to their origins."""
    for doc_id in candidate_ids(raw):
        origin = taken.get(doc_id)
        if origin is None:
            return doc_id
        if not raw.alt_ids or same_file(origin, raw.origin):
            return None  # the same document again (or an id its source gave it)
    return None  # every form of the name is another file's: reported as already stored


def assign_id(raw: RawDocument, seen: dict[str, str], stored: Mapping[str, str]) -> RawDocument | None:
    """``raw`` under the id it is to be stored as (:func:`choose_id`), noted in ``seen``, the ids given
    earlier in the run with their origins; None where it is stored already (``stored``) or seen."""
    doc_id = choose_id(raw, ChainMap(seen, stored))
    if doc_id is None:
        return None
    if doc_id != raw.doc_id:
        logger.info("%s: stored as %r (%r is another file's)", raw.origin, doc_id, raw.doc_id)
        raw = replace(raw, doc_id=doc_id)
    seen[doc_id] = raw.origin
    return raw
