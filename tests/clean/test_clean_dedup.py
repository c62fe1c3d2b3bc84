"""Near-duplicate index."""
from __future__ import annotations

from bilat.clean import NearDuplicateIndex
from bilat.model import Document

BASE = ("Russian and Tajik officials met in Dushanbe on Monday to discuss labour migration, border security and "
        "the construction of a new hydroelectric plant on the Vakhsh river, which both sides called a priority. "
        "The talks lasted four hours and ended with a joint statement on energy and transport cooperation.")


def doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, "t", "txt", text)


def test_exact_and_near_copies_point_to_the_first():
    index = NearDuplicateIndex()
    assert index.add(doc("a", BASE)) is None
    assert index.add(doc("b", BASE)) == "a"
    assert index.add(doc("c", BASE.replace("four hours", "five hours") + " Reuters")) == "a"
    assert "b" not in index and len(index) == 1


def test_different_article_is_new():
    index = NearDuplicateIndex()
    index.add(doc("a", BASE))
    other = ("Kyrgyzstan's parliament approved the budget for next year after a long debate about spending on "
             "schools, roads and hospitals in the southern regions, where protests were held last month.")
    assert index.add(doc("b", other)) is None
    assert len(index) == 2


def test_add_does_not_mark_the_document():
    index = NearDuplicateIndex()
    index.add(doc("a", BASE))
    d = doc("b", BASE)
    assert index.add(d) == "a" and d.duplicate_of is None


def test_warm_start_from_stored_texts():
    index = NearDuplicateIndex(threshold=0.8, num_perm=64)
    assert index.add_text("stored-1", BASE) is None
    assert index.add(doc("new", " ".join(BASE.split()).upper())) == "stored-1"


def test_short_and_empty_texts():
    index = NearDuplicateIndex()
    assert index.add(doc("a", "")) is None
    assert index.add(doc("b", "Talks held.")) is None
    assert index.add(doc("c", "Talks held.")) == "b"


# --- The compact index answers exactly as datasketch's MinHashLSH-based index it replaced ---

import math  # noqa: E402
import random  # noqa: E402
import tracemalloc  # noqa: E402

import pytest  # noqa: E402
from datasketch import MinHash, MinHashLSH  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bilat.clean import dedup  # noqa: E402
from bilat.clean.text import content_hash  # noqa: E402


class OracleIndex:
    """The straightforward index: a MinHash object per document in datasketch's MinHashLSH."""

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=max(0.05, threshold - 0.15), num_perm=num_perm)
        self.hashes: dict[str, MinHash] = {}
        self.confirm = threshold - math.sqrt(threshold * (1 - threshold) / num_perm)
        self.by_hash: dict[str, str] = {}
        self.order: dict[str, int] = {}

    def lookup(self, text: str) -> tuple[str | None, str, MinHash | None]:
        h = content_hash(text)
        if h in self.by_hash:
            return self.by_hash[h], h, None
        grams = dedup.shingles(text)
        if not grams:
            return None, h, None
        mh = MinHash(num_perm=self.num_perm)
        mh.update_batch([g.encode("utf-8") for g in grams])
        hits = [i for i in self.lsh.query(mh) if self.hashes[i].jaccard(mh) >= self.confirm]
        return (min(hits, key=self.order.__getitem__) if hits else None), h, mh

    def add_text(self, doc_id: str, text: str) -> str | None:
        if doc_id in self.order:
            return None
        dup, h, mh = self.lookup(text)
        if dup is not None:
            return dup
        self.by_hash[h] = doc_id
        if mh is not None:
            self.lsh.insert(doc_id, mh)
            self.hashes[doc_id] = mh
        self.order[doc_id] = len(self.order)
        return None


VOCAB = [f"w{i}" for i in range(150)] + ["Dushanbe", "Moscow", "gas", "border", "talks", "labour"]


def variant(rng: random.Random, base: list[str], rate: float) -> list[str]:
    """A near-copy: each word replaced, dropped or followed by a new one with probability `rate`."""
    out: list[str] = []
    for word in base:
        roll = rng.random()
        if roll < rate / 3:
            out.append(rng.choice(VOCAB))
        elif roll < 2 * rate / 3:
            continue
        else:
            out.append(word)
            if roll > 1 - rate / 3:
                out.append(rng.choice(VOCAB))
    return out


def corpus(seed: int, groups: int, size: int) -> list[tuple[str, str]]:
    """(doc_id, text): groups of near-copies at various edit rates, exact and re-cased copies, shuffled."""
    rng = random.Random(seed)
    docs = []
    for g in range(groups):
        base = [rng.choice(VOCAB) for _ in range(rng.choice([0, 2, 5, 20, 40, 80]))]
        for v in range(rng.randint(1, size)):
            kind = rng.random()
            words_ = base if kind < 0.15 else variant(rng, base, rng.choice([0.0, 0.02, 0.05, 0.1, 0.2, 0.4]))
            text = " ".join(words_)
            docs.append((f"d{g}-{v}", text.upper() if kind > 0.9 else text))
    rng.shuffle(docs)
    if docs and rng.random() < 0.3:
        docs.append(docs[0])  # the same doc_id again
    return docs


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), groups=st.integers(1, 12), size=st.integers(1, 8),
       threshold=st.sampled_from([0.5, 0.7, 0.8, 0.9]), num_perm=st.sampled_from([16, 64, 128]),
       block=st.sampled_from([1, 3, 4096]), pending=st.sampled_from([1, 2, 5, 2048]))
def test_compact_index_answers_as_minhash_lsh(seed, groups, size, threshold, num_perm, block, pending):
    with pytest.MonkeyPatch.context() as mp:  # small blocks and merges, so growth and merging are exercised
        mp.setattr(dedup, "BLOCK", block)
        mp.setattr(dedup, "PENDING", pending)
        index, oracle = dedup.NearDuplicateIndex(threshold, num_perm), OracleIndex(threshold, num_perm)
        docs = corpus(seed, groups, size)
        for doc_id, text in docs:
            assert index.find(text) == oracle.lookup(text)[0]
            assert index.add_text(doc_id, text) == oracle.add_text(doc_id, text)
        assert len(index) == len(oracle.order)
        assert all((doc_id in index) == (doc_id in oracle.order) for doc_id, _ in docs)


def test_near_copies_found_across_merged_and_pending_keys(monkeypatch):
    monkeypatch.setattr(dedup, "PENDING", 7)
    monkeypatch.setattr(dedup, "BLOCK", 10)
    rng = random.Random(3)
    index = dedup.NearDuplicateIndex()
    bases = [[rng.choice(VOCAB) for _ in range(60)] for _ in range(40)]
    for i, base in enumerate(bases):
        assert index.add_text(f"b{i}", " ".join(base)) is None
    assert len(index) == 40
    for i, base in enumerate(bases):  # the first ones are in the sorted arrays, the last in the dict
        assert index.find(" ".join(base[:30] + ["changed"] + base[31:])) == f"b{i}"


def test_index_memory_per_document_is_small():
    rng = random.Random(0)
    texts = [" ".join(rng.choice(VOCAB) + str(rng.randrange(1000)) for _ in range(40)) for _ in range(3000)]
    index = dedup.NearDuplicateIndex()
    index.add_text("warm", "a first text, so that what is allocated once is not counted")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i, text in enumerate(texts):
            index.add_text(f"doc-{i:07d}", text)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(index) == 3001
    # 128 uint32 values (512 B), 17 keys of 12 B, the id and its dict entry; datasketch's objects: ~10 KB
    assert grown / 3000 < 1500
