"""Near-duplicate detection over cleaned texts (MinHash LSH on word shingles)."""
from __future__ import annotations

import logging
import math

from datasketch import MinHash, MinHashLSH

from ..model import Document
from .text import content_hash, normalise, words

logger = logging.getLogger(__name__)

SHINGLE = 3  # words per shingle: short enough for reworded copies, long enough to ignore common phrases


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    toks = words(normalise(text))
    if len(toks) < size:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1)}


class NearDuplicateIndex:
    """Remembers documents; `add` says which earlier document a new one repeats.

    The first document of a group is its canonical copy; later near-copies are reported and not
    indexed, so they never become canonical themselves. Rebuild from storage with `add_text`.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        # Candidates come from a looser LSH band and are confirmed on the estimated Jaccard
        # similarity, so that pairs just above the threshold are not missed by banding.
        self._lsh = MinHashLSH(threshold=max(0.05, threshold - 0.15), num_perm=num_perm)
        self._hashes: dict[str, MinHash] = {}
        template = MinHash(num_perm=num_perm)
        self._permutations, self._scheme = template.permutations, template.scheme
        # The MinHash estimate has a standard error of sqrt(t(1-t)/num_perm) (0.035 at 0.8/128):
        # confirming one standard error below the threshold keeps true pairs near it.
        self._confirm = threshold - math.sqrt(threshold * (1 - threshold) / num_perm)
        self._by_hash: dict[str, str] = {}
        self._ids: dict[str, int] = {}  # doc_id -> order of indexing

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._ids

    def _minhash(self, grams: set[str]) -> MinHash:
        # Reusing the permutations saves generating them for every document (most of the cost).
        mh = MinHash(num_perm=self.num_perm, permutations=self._permutations, scheme=self._scheme)
        mh.update_batch([g.encode("utf-8") for g in grams])
        return mh

    def _lookup(self, text: str) -> tuple[str | None, str, MinHash | None]:
        h = content_hash(text)
        if h in self._by_hash:
            return self._by_hash[h], h, None
        grams = shingles(text)
        if not grams:
            return None, h, None
        mh = self._minhash(grams)
        hits = [i for i in self._lsh.query(mh) if self._hashes[i].jaccard(mh) >= self._confirm]
        return (min(hits, key=lambda i: self._ids.get(i, 0)) if hits else None), h, mh  # the earliest copy

    def find(self, text: str) -> str | None:
        """The canonical doc_id that `text` nearly repeats, without indexing it."""
        return self._lookup(text)[0]

    def add_text(self, doc_id: str, text: str) -> str | None:
        """Index `text` under `doc_id` unless it repeats an indexed document; return that one's id."""
        if doc_id in self._ids:
            return None
        dup, h, mh = self._lookup(text)
        if dup is not None:
            return dup
        self._by_hash[h] = doc_id
        if mh is not None:
            self._lsh.insert(doc_id, mh)
            self._hashes[doc_id] = mh
        self._ids[doc_id] = len(self._ids)
        return None

    def add(self, doc: Document) -> str | None:
        """The canonical doc_id `doc` duplicates (the document is left unchanged), or None after indexing it."""
        return self.add_text(doc.doc_id, doc.text)
