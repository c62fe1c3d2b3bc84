"""Near-duplicate detection over cleaned texts (MinHash LSH on word shingles).

The index must hold every canonical document of a run (100,000 and more) in the ingest's main
process, so it keeps no object per document: MinHash values are rows of uint32 blocks, LSH band
keys and content hashes are 64-bit integers in sorted numpy arrays (``_KeyRows``). About 1.1 KB
a document (512 bytes of them MinHash values), against 6.4 KB with a datasketch ``MinHash`` object
per document in a ``MinHashLSH`` (bench/memory_parts.py dedup --distinct).
"""
from __future__ import annotations

import hashlib
import logging
import math

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..model import Document
from .text import content_hash, normalise, words

logger = logging.getLogger(__name__)

SHINGLE = 3  # words per shingle: short enough for reworded copies, long enough to ignore common phrases
BLOCK = 4096  # MinHash rows per block: grows without copying, wastes at most one block
PENDING = 2048  # documents whose keys wait in a dict before being merged into the sorted arrays


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    toks = words(normalise(text))
    if len(toks) < size:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1)}


class _KeyRows:
    """A multimap from 64-bit keys to row numbers, compact: 12 bytes an entry once merged.

    New entries wait in a small dict; every ``PENDING`` rows they are merged into two sorted arrays
    (keys, rows), which are searched with ``np.searchsorted``.
    """

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.int64)
        self._rows = np.empty(0, dtype=np.int32)
        self._pending: dict[int, list[int]] = {}
        self._pending_rows = 0

    def add(self, keys: list[int], row: int) -> None:
        for key in keys:
            self._pending.setdefault(key, []).append(row)
        self._pending_rows += 1
        if self._pending_rows >= PENDING:
            self._merge()

    def get(self, keys: list[int]) -> set[int]:
        found: set[int] = set()
        for key in keys:
            found.update(self._pending.get(key, ()))
        if len(self._keys):
            wanted = np.array(keys, dtype=np.int64)
            lo = np.searchsorted(self._keys, wanted, side="left")
            hi = np.searchsorted(self._keys, wanted, side="right")
            for start, end in zip(lo[hi > lo].tolist(), hi[hi > lo].tolist(), strict=True):
                found.update(self._rows[start:end].tolist())
        return found

    def _merge(self) -> None:
        pairs = sorted((key, row) for key, rows in self._pending.items() for row in rows)
        new_keys = np.array([k for k, _ in pairs], dtype=np.int64)
        at = np.searchsorted(self._keys, new_keys)
        self._keys = np.insert(self._keys, at, new_keys)
        self._rows = np.insert(self._rows, at, np.array([r for _, r in pairs], dtype=np.int32))
        self._pending.clear()
        self._pending_rows = 0


def _key(data: bytes) -> int:
    """A signed 64-bit key, the same in every process (``hash`` of bytes is salted per process)."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True)


class NearDuplicateIndex:
    """Remembers documents; `add` says which earlier document a new one repeats.

    The first document of a group is its canonical copy; later near-copies are reported and not
    indexed, so they never become canonical themselves. Rebuild from storage with `add_text`.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        # Candidates come from a looser LSH band and are confirmed on the estimated Jaccard
        # similarity, so that pairs just above the threshold are not missed by banding. The bands
        # are the ones datasketch's MinHashLSH chooses for that threshold; its tables are not used.
        lsh = MinHashLSH(threshold=max(0.05, threshold - 0.15), num_perm=num_perm)
        self._bands = [(i * lsh.r, (i + 1) * lsh.r) for i in range(lsh.b)]
        template = MinHash(num_perm=num_perm)
        self._permutations, self._scheme = template.permutations, template.scheme
        self._empty = template.hashvalues.copy()  # the row of a text without shingles (never compared)
        # The MinHash estimate has a standard error of sqrt(t(1-t)/num_perm) (0.035 at 0.8/128):
        # confirming one standard error below the threshold keeps true pairs near it.
        self._confirm = threshold - math.sqrt(threshold * (1 - threshold) / num_perm)
        self._blocks: list[np.ndarray] = []  # MinHash values, one row per indexed document
        self._doc_ids: list[str] = []  # row -> doc_id; rows are in order of indexing
        self._rows: dict[str, int] = {}  # doc_id -> row
        self._band_keys = _KeyRows()
        self._content_keys = _KeyRows()  # exact copies (normalised text) are found without MinHash

    def __len__(self) -> int:
        return len(self._doc_ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._rows

    def _minhash(self, grams: set[str]) -> MinHash:
        # Reusing the permutations saves generating them for every document (most of the cost).
        mh = MinHash(num_perm=self.num_perm, permutations=self._permutations, scheme=self._scheme)
        mh.update_batch([g.encode("utf-8") for g in grams])
        return mh

    def _row_values(self, row: int) -> np.ndarray:
        return self._blocks[row // BLOCK][row % BLOCK]

    def _band_keys_of(self, values: np.ndarray) -> list[int]:
        # the band's number is part of the key: equal values in different bands are no match
        return [_key(i.to_bytes(2, "little") + values[start:end].tobytes())
                for i, (start, end) in enumerate(self._bands)]

    def _lookup(self, text: str) -> tuple[int | None, int, np.ndarray | None]:
        """(earliest row `text` repeats or None, its content key, its MinHash values if computed)."""
        key = int.from_bytes(bytes.fromhex(content_hash(text)[:16]), "little", signed=True)  # a SHA-1 prefix
        same = self._content_keys.get([key])
        if same:
            return min(same), key, None
        grams = shingles(text)
        if not grams:
            return None, key, None
        values = self._minhash(grams).hashvalues
        hits = [row for row in self._band_keys.get(self._band_keys_of(values))
                if float(np.count_nonzero(self._row_values(row) == values)) / self.num_perm >= self._confirm]
        return (min(hits) if hits else None), key, values  # the earliest copy

    def find(self, text: str) -> str | None:
        """The canonical doc_id that `text` nearly repeats, without indexing it."""
        row = self._lookup(text)[0]
        return None if row is None else self._doc_ids[row]

    def add_text(self, doc_id: str, text: str) -> str | None:
        """Index `text` under `doc_id` unless it repeats an indexed document; return that one's id."""
        if doc_id in self._rows:
            return None
        dup, key, values = self._lookup(text)
        if dup is not None:
            return self._doc_ids[dup]
        row = len(self._doc_ids)
        if row % BLOCK == 0:
            self._blocks.append(np.empty((BLOCK, self.num_perm), dtype=self._empty.dtype))
        self._blocks[-1][row % BLOCK] = self._empty if values is None else values
        self._content_keys.add([key], row)
        if values is not None:
            self._band_keys.add(self._band_keys_of(values), row)
        self._doc_ids.append(doc_id)
        self._rows[doc_id] = row
        return None

    def add(self, doc: Document) -> str | None:
        """The canonical doc_id `doc` duplicates (the document is left unchanged), or None after indexing it."""
        return self.add_text(doc.doc_id, doc.text)
