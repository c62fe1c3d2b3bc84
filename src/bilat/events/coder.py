"""The trained event coder: PLOVER type, direction and modality of one actor pair in one sentence.

The network (all-MiniLM-L6-v2 fine-tuned by ``training/train_coder.py``, int8 ONNX) ships in ``model/``
with its tokenizer and card (``meta.json``, ``MODEL_CARD.md``); it runs on onnxruntime, so ``bilat``
needs no torch. Input is the sentence with the two actors marked (``featurize.mark``); output is a
probability for each of the 16 types and NONE, the probability that the earlier-named actor is the
source, and the probabilities of the flags negated, planned, hypothetical and reported.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from ..model import Span
from .featurize import Marked, mark
from .ontology import PLOVER_TYPES

logger = logging.getLogger(__name__)

LABELS: tuple[str, ...] = (*PLOVER_TYPES, "NONE")
FLAGS = ("negated", "planned", "hypothetical", "reported")
MAX_TOKENS = 128
MODEL_DIR = Path(__file__).parent / "model"


@dataclass(frozen=True)
class Coding:
    """What the coder says of one pair: ``type`` is the most probable label (NONE for no event)."""

    type: str
    confidence: float
    probabilities: dict[str, float]
    first_is_source: float  # P(the actor named first acts on the other)
    flags: dict[str, float]

    @property
    def best_event(self) -> tuple[str, float]:
        """The most probable event type other than NONE, with its probability."""
        t = max((x for x in self.probabilities if x != "NONE"), key=self.probabilities.__getitem__)
        return t, self.probabilities[t]


def marker_positions(offsets: Sequence[tuple[int, int]], a_start: int, b_start: int) -> tuple[int, int] | None:
    """Token indexes of the opening marks (the tokens starting at their characters)."""
    a = b = None
    for i, (s, e) in enumerate(offsets):
        if e <= s:
            continue  # special tokens
        if s == a_start and a is None:
            a = i
        elif s == b_start and b is None:
            b = i
    return (a, b) if a is not None and b is not None else None


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class EventCoder:
    """Loads the packaged model once; ``code_pairs`` scores candidate pairs.

    One pair a run by default: the int8 model quantises activations over the whole batch, so in a
    batch a pair's probabilities would depend on its neighbours (seen: 0.50 alone, 0.59 and 0.75 in
    batches of 32 and 8); alone it always gets the same answer, and without padding it is as fast."""

    def __init__(self, model_dir: str | Path | None = None, threads: int = 1, batch_size: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(model_dir) if model_dir else MODEL_DIR
        try:
            self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # OSError, ValueError, or the tokenizers library's own Exception
            raise ConfigError(f"event coder model not found or unreadable in {folder}: {exc}") from exc
        if tuple(self.meta.get("labels", ())) != LABELS:
            raise ConfigError(f"{folder}: model labels {self.meta.get('labels')} do not match {LABELS}")
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / "coder.onnx"), options, providers=["CPUExecutionProvider"])
        self.version: str = self.meta["version"]
        self.batch_size = batch_size

    def code_marked(self, items: Sequence[Marked]) -> list[Coding | None]:
        """Codings of marked sentences, in order; None where truncation cut a mark off."""
        out: list[Coding | None] = [None] * len(items)
        order = sorted(range(len(items)), key=lambda i: len(items[i].text))  # similar lengths share a batch
        for k in range(0, len(order), self.batch_size):
            chunk = order[k:k + self.batch_size]
            encs = self.tokenizer.encode_batch([items[i].text for i in chunk])
            rows, keep = [], []
            for i, enc in zip(chunk, encs, strict=True):
                pos = marker_positions(enc.offsets, items[i].a_start, items[i].b_start)
                if pos is not None:
                    rows.append((enc.ids, pos))
                    keep.append(i)
            if not rows:
                continue
            width = max(len(ids) for ids, _ in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, (tok, _) in enumerate(rows):
                ids[r, :len(tok)] = tok
                mask[r, :len(tok)] = 1
            a = np.array([p[0] for _, p in rows], dtype=np.int64)
            b = np.array([p[1] for _, p in rows], dtype=np.int64)
            tl, dl, fl = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "a_pos": a, "b_pos": b})
            tp, dp, fp = _softmax(tl), _softmax(dl), _sigmoid(fl)
            for r, i in enumerate(keep):
                probs = {lab: float(p) for lab, p in zip(LABELS, tp[r], strict=True)}
                best = max(probs, key=probs.__getitem__)
                out[i] = Coding(best, probs[best], probs, float(dp[r, 0]),
                                {f: float(p) for f, p in zip(FLAGS, fp[r], strict=True)})
        return out

    def code_pairs(self, items: Sequence[tuple[str, Span, Span]]) -> list[Coding | None]:
        """Codings of (sentence, first actor span, second actor span), spans in text order."""
        return self.code_marked([mark(text, a, b) for text, a, b in items])
