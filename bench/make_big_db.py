"""Synthetic bilat stores: a small one with real text and spans (tests), a big one for latency.

    python bench/make_big_db.py OUT.duckdb [--events 1000000] [--docs 100000] [--seed 7]

The big store is generated inside DuckDB (``range()`` and ``hash()``), so a million events take
seconds; the schema comes from the real migrations through ``bilat.store.writer.connect``.
The small one (:func:`sample_documents`) goes through ``StoreWriter`` like a real ingest.
"""
from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from bilat.model import DatedValue, Document, Event, Mention, Quantity, RemovedParagraph, Sentence
from bilat.store.writer import StoreWriter, connect

logger = logging.getLogger(__name__)

STATES = [("Russia", "RUS"), ("Tajikistan", "TJK"), ("Uzbekistan", "UZB"), ("Kazakhstan", "KAZ"),
          ("China", "CHN"), ("Kyrgyzstan", "KGZ")]
PEOPLE = [("Vladimir Putin", "RUS", "president"), ("Emomali Rahmon", "TJK", "president"),
          ("Sergei Lavrov", "RUS", "foreign minister"), ("Sirojiddin Muhriddin", "TJK", "foreign minister")]
OUTLETS = ["Oxus Daily", "Steppe Monitor", "Frontier Review", "Capital Ledger", "Pamir Post"]
# (type, mode, intensity, sentence pattern); the patterns are this file's own wording.
PATTERNS = [
    ("AGREE", "sign", 8.0, "{a} and {b} signed a treaty on border cooperation."),
    ("CONSULT", "meet", 1.0, "{a} met {b} to discuss regional security."),
    ("CONSULT", "phone", 1.0, "{a} held a phone call with {b} about migration."),
    ("COOPERATE", None, 6.0, "{a} and {b} agreed to run joint military exercises."),
    ("AID", None, 7.4, "{a} sent humanitarian aid to {b} after the floods."),
    ("ACCUSE", None, -2.0, "{a} accused {b} of mistreating labour migrants."),
    ("REJECT", None, -4.0, "{a} rejected the proposal from {b} on customs duties."),
    ("SANCTION", None, -4.5, "{a} imposed new entry restrictions on citizens of {b}."),
]
FIGURE = "Trade between {a} and {b} reached {v} billion dollars in {y}."


def _event_type(i: int) -> tuple[str, str | None, float, str]:
    return PATTERNS[i % len(PATTERNS)]


def sample_documents(n: int = 12) -> list[Document]:
    """``n`` small documents with sentences, actor mentions, events, figures and boilerplate.

    Every second document reports the same event as the one before (shared ``event_id``),
    and the trade figures of one year differ between outlets, so claims disagree.
    """
    docs = []
    for i in range(n):
        (a, ca), (b, cb) = STATES[0], STATES[1 + (i % 3 == 2)]
        person = PEOPLE[i % len(PEOPLE)]
        etype, mode, intensity, pattern = _event_type(i // 2)
        year = 2019 + (i // 4)
        day = f"{year}-{1 + i % 12:02d}-{1 + (3 * i) % 27:02d}"
        first = pattern.format(a=a, b=b)
        second = f"{person[0]} commented on the talks in the capital."
        value = 1.0 + 0.1 * (i % 3)
        third = FIGURE.format(a=a, b=b, v=f"{value:.1f}", y=year - 1)
        text = f"DUSHANBE, {day}\n\n{first} {second}\n\n{third}"
        s1 = text.index(first)
        s2 = text.index(second)
        s3 = text.index(third)
        doc = Document(doc_id=f"doc{i:03d}", origin=f"sample/{i}.txt", fmt="txt", text=text,
                       title=f"{a} and {b}: report {i}", outlet=OUTLETS[i % len(OUTLETS)],
                       published=DatedValue(day, "day", "dateline", f"DUSHANBE, {day}"),
                       removed=[RemovedParagraph("Subscribe to our newsletter for more news.", "subscription"),
                                RemovedParagraph("Read also: other stories from the region", "related")],
                       content_hash=f"h{i}")
        doc.sentences = [Sentence(0, len(f"DUSHANBE, {day}"), f"DUSHANBE, {day}"),
                         Sentence(s1, s1 + len(first), first), Sentence(s2, s2 + len(second), second),
                         Sentence(s3, s3 + len(third), third)]
        doc.mentions = [Mention(a, (s1 + first.index(a), s1 + first.index(a) + len(a)), 1, a, ca),
                        Mention(b, (s1 + first.index(b), s1 + first.index(b) + len(b)), 1, b, cb),
                        Mention(person[0], (s2, s2 + len(person[0])), 2, person[0], person[1], "GOV", person[2],
                                kind="person")]
        trigger = next(w for w in first.split() if w.islower() and w != "and")
        doc.events = [Event(type=etype, mode=mode, source=ca, target=cb, span=(s1, s1 + len(first)), evidence=first,
                            sentence=1, trigger=trigger, source_actor=a, target_actor=b, cameo="0",
                            intensity=intensity, date=day, date_precision="day", rule=f"sample.{etype}.v1",
                            event_id=f"ev{i // 2:03d}")]
        fig_text = f"{value:.1f} billion dollars"
        at = s3 + third.index(fig_text)
        doc.quantities = [Quantity(fig_text, (at, at + len(fig_text)), 3, value * 1e9, "USD", third,
                                   value_usd=value * 1e9, metric="bilateral_trade", countries=[ca, cb],
                                   period=str(year - 1))]
        docs.append(doc)
    return docs


def write_sample(path: str | Path, n: int = 12) -> Path:
    with StoreWriter(path) as writer:
        writer.write(sample_documents(n))
    return Path(path)


def make_big_db(path: str | Path, n_events: int = 1_000_000, n_docs: int = 100_000, seed: int = 7) -> dict:
    """A store of ``n_docs`` documents and ``n_events`` events spread over 2000–2025 and 6 states."""
    path = Path(path)
    path.unlink(missing_ok=True)
    con = connect(path)
    started = time.perf_counter()
    states = "[" + ", ".join(f"'{c}'" for _, c in STATES) + "]"
    types = "[" + ", ".join(f"'{t}'" for t, *_ in PATTERNS) + "]"
    modes = "[" + ", ".join(f"'{m}'" if m else "NULL" for _, m, *_ in PATTERNS) + "]"
    scores = "[" + ", ".join(str(x) for _, _, x, _ in PATTERNS) + "]"
    outlets = "[" + ", ".join(f"'{o}'" for o in OUTLETS) + "]"
    names = "[" + ", ".join(f"'{p[0]}'" for p in PEOPLE) + ", NULL, NULL]"
    # h(i, salt, n): a stable pseudo-random integer in [0, n) per row
    con.execute("CREATE TEMP MACRO h(i, salt, n) AS CAST(hash(i, salt) % n AS BIGINT)")
    con.execute("BEGIN TRANSACTION")
    con.execute(f"""
        INSERT INTO documents (doc_id, origin, fmt, title, outlet, published, published_precision, text,
                               content_hash, n_words)
        SELECT 'd' || i, 'big/' || i, 'txt', 'Synthetic report ' || i, {outlets}[1 + h(i, {seed}, 5)],
               strftime(DATE '2000-01-01' + CAST(h(i, {seed} + 1, 9490) AS INTEGER), '%Y-%m-%d'), 'day',
               'Synthetic text of report ' || i, 'h' || i, 5
        FROM range(?) t(i)""", [n_docs])
    con.execute(f"""
        INSERT INTO events (doc_id, idx, event_id, type, mode, source, target, source_actor, target_actor,
                            intensity, date, date_precision, sentence, start_char, end_char, evidence, trigger, rule)
        SELECT 'd' || (i % ?), i // ?, 'e' || (i // 3), {types}[1 + k], {modes}[1 + k], s, t,
               {names}[1 + h(i, {seed} + 4, 6)], NULL, {scores}[1 + k],
               strftime(DATE '2000-01-01' + CAST(h(i, {seed} + 5, 9490) AS INTEGER), '%Y-%m-%d'), 'day',
               0, 0, 20, 'Synthetic evidence ' || i, 'met', 'bench.v1'
        FROM (SELECT i, h(i, {seed} + 2, 8) AS k,
                     {states}[1 + h(i, {seed} + 3, 6)] AS s,
                     {states}[1 + (h(i, {seed} + 3, 6) + 1 + h(i, {seed} + 6, 5)) % 6] AS t
              FROM range(?) r(i))""", [n_docs, n_docs, n_events])
    con.execute("COMMIT")
    counts = {"documents": con.execute("SELECT count(*) FROM documents").fetchone()[0],
              "events": con.execute("SELECT count(*) FROM events").fetchone()[0],
              "seconds": round(time.perf_counter() - started, 1)}
    con.execute("CHECKPOINT")
    con.close()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", action="store_true", help="write the small sample store instead")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.sample:
        write_sample(args.out)
        logger.info("wrote %s", args.out)
    else:
        logger.info("%s", make_big_db(args.out, args.events, args.docs, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
