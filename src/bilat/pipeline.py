"""The stages in order: clean → near-duplicates → NLP → actors → events, quantities.

``Pipeline.clean`` turns what a reader found into a cleaned ``Document``;
``Pipeline.analyse`` runs the language stages over a batch (spaCy's ``nlp.pipe``) and fills
sentences, actor mentions, events and quantities. Failures of one document are raised per
document by ``analyse_one`` so that the engine can record them and go on.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from .actors import ActorLinker, tenure_day_range
from .actors.kb_loader import KnowledgeBase, load_kb
from .clean import clean_document, infer_published
from .clean.dates import default_inferrer
from .config import Settings
from .errors import DocumentTimeout
from .events import EventExtractor
from .events.classify import CoderPass
from .events.coder import EventCoder
from .events.ontology import Ontology
from .events.venue import place_events
from .events.when import TimeResolver
from .events.where import Gazetteer
from .model import DatedValue, Document, RawDocument, Sentence
from .nlp import LanguagePipeline, ParseSelector, SelectivePipeline, load_pipeline, parse_stats
from .quantities import QuantityExtractor

logger = logging.getLogger(__name__)


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise DocumentTimeout after ``seconds`` of wall time (main thread on POSIX; elsewhere no limit)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):  # noqa: ANN001 - signal handler signature
        raise DocumentTimeout(f"{what}: took longer than {seconds:g} s (doc_timeout_s)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def anchor_date(doc: Document) -> date | None:
    """The publication date as a calendar day (first of the month/year when less precise)."""
    if doc.published is None:
        return None
    parts = [int(p) for p in doc.published.value.split("-")] + [1, 1]
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


class Pipeline:
    def __init__(self, settings: Settings | None = None, nlp: LanguagePipeline | None = None):
        self.settings = settings or Settings()
        self.nlp = nlp or load_pipeline("en", model=self.settings.model, batch_size=self.settings.nlp_batch_size,
                                        # one process: parallelism is the engine's (worker processes)
                                        n_process=1, parse=self.settings.parse,
                                        max_sentence_tokens=self.settings.max_sentence_tokens)
        self.kb = load_kb()
        self.linker = ActorLinker(self.kb)
        self.events = EventExtractor(convention=self.settings.convention)
        self.coder = (CoderPass(EventCoder(), self.events.ontology, self.events.rules,
                                convention=self.settings.convention,
                                max_pairs=self.settings.max_coded_pairs) if self.settings.coder == "model" else None)
        self.time = TimeResolver()
        self.places = Gazetteer()
        self.quantities = QuantityExtractor()
        self.seconds: Counter[str] = Counter()  # time spent per stage, for the benchmark
        self._russian: RussianStages | None = None

    def clean(self, raw: RawDocument, settings: Settings | None = None) -> Document:
        settings = settings or self.settings
        started = time.perf_counter()
        try:
            with time_limit(settings.doc_timeout_s, raw.doc_id or raw.origin):
                return clean_document(raw, settings)
        finally:
            self.seconds["clean"] += time.perf_counter() - started

    def timed(self, stage: str, items: Iterable) -> Iterator:
        it = iter(items)
        while True:
            started = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                self.seconds[stage] += time.perf_counter() - started
            yield item

    def analyse(self, docs: Sequence[Document], progress: Callable[[str, int], None] | None = None
                ) -> Iterator[tuple[Document, Exception | None]]:
        """Fill each document's analyses; yields (doc, error) so one bad document stops nothing.

        ``progress(step, i)`` is told when document ``i`` enters a step ("parse": spaCy, which parses
        a batch of documents at once; "analysis": what follows), so that a watchdog outside this
        process can tell a document that stalls the process (``engines.workers``).
        """
        def step(name: str, i: int) -> None:
            if progress is not None:
                progress(name, i)

        if isinstance(self.nlp, SelectivePipeline) and not self.nlp.has_selector:
            # parse only sentences with an actor cue and an event cue (the linker's and extractor's own words)
            self.nlp.set_selector(ParseSelector(self.events.has_event_cue,
                                                self.linker.gaz.first_words | self.linker.vocab.first_words))
        english = iter(self.timed("spacy", self.nlp.pipe(d.text for d in docs if d.lang != "ru")))
        for i, doc in enumerate(docs):
            if doc.lang == "ru":
                step("analysis", i)
                yield doc, self._analyse_russian(doc)
                continue
            step("parse", i)
            sdoc = next(english)
            step("analysis", i)
            stats = parse_stats(sdoc)
            if stats.get("too_long"):
                logger.info("%s: %d of %d sentences longer than %d tokens left unparsed", doc.doc_id,
                            stats["too_long"], stats["sentences"], self.settings.max_sentence_tokens)
            try:
                self.analyse_one(doc, sdoc)
            except Exception as exc:  # recorded per document by the engine
                logger.exception("analysis failed for %s", doc.doc_id)
                yield doc, exc
            else:
                yield doc, None

    def _analyse_russian(self, doc: Document) -> Exception | None:
        started = time.perf_counter()
        try:
            with time_limit(self.settings.doc_timeout_s, doc.doc_id):
                self.russian().analyse(doc)
        except Exception as exc:  # recorded per document by the engine
            logger.exception("analysis failed for %s", doc.doc_id)
            return exc
        finally:
            self.seconds["russian"] += time.perf_counter() - started
        return None

    def russian(self) -> RussianStages:
        """The Russian stages, loaded at the first Russian document (natasha, names, coder: about 5 s)."""
        if self._russian is None:
            self._russian = RussianStages(self.kb, self.events.ontology, self.quantities, self.places,
                                          max_pairs=self.settings.max_coded_pairs)
        return self._russian

    def analyse_one(self, doc: Document, sdoc) -> Document:
        with time_limit(self.settings.doc_timeout_s, doc.doc_id):
            return self._analyse_one(doc, sdoc)

    def _analyse_one(self, doc: Document, sdoc) -> Document:
        clock = time.perf_counter
        t0 = clock()
        doc.sentences = [Sentence(s.start_char, s.end_char, s.text) for s in sdoc.sents]
        doc.mentions = self.linker.link(doc, sdoc)
        if doc.published is None or doc.published.precision == "year":
            refine_date(doc, self.kb)
        t1 = clock()
        doc.events = self.events.extract(doc, sdoc, doc.mentions, self.time, self.places)
        if self.coder is not None:
            sents = list(sdoc.sents)

            def tokens(i: int) -> list[tuple[str, str, str]]:
                return [(t.text, t.lemma_, t.pos_) for t in sents[i]] if 0 <= i < len(sents) else []

            doc.events = self.coder.run(doc, doc.mentions, doc.events, self.time, anchor_date(doc), tokens)
        place_events(doc, sdoc, doc.events, self.places)
        t2 = clock()
        countries = [(m.span[0], m.span[1], m.country) for m in doc.mentions if m.country]
        doc.quantities = self.quantities.extract(doc, countries)
        self._leave_out_long_sentences(doc, sdoc)
        t3 = clock()
        self.seconds["actors"] += t1 - t0
        self.seconds["events"] += t2 - t1
        self.seconds["quantities"] += t3 - t2
        return doc

    def _leave_out_long_sentences(self, doc: Document, sdoc) -> None:
        """No event or figure from a sentence over max_sentence_tokens (run-on text, tables, lists):
        the parse of such a sentence is not to be trusted, and it is reported rather than coded."""
        limit = self.settings.max_sentence_tokens
        long = [(s.start_char, s.end_char) for s in sdoc.sents if len(s) > limit]
        if not long:
            return

        def inside(span) -> bool:
            return any(start <= span[0] < end for start, end in long)

        doc.events = [e for e in doc.events if not inside(e.span)]
        doc.quantities = [q for q in doc.quantities if not inside(q.span)]
        doc.limits.append(f"limit:max_sentence_tokens ({len(long)} sentences over {limit} tokens not coded)")



def refine_date(doc: Document, kb: KnowledgeBase) -> None:
    """Use the tenures of the office-holders the text names to pin an undated article's year."""
    days = tenure_day_range(doc.mentions, kb)
    if days is None:
        return
    years = (days[0].year if days[0] != date.min else 1900, days[1].year)
    inferred = infer_published(doc.text, doc.url, None, year_range=years)
    day = _day_in_tenures(doc, days) if inferred is None or inferred.precision == "year" else None
    if day is not None:
        doc.published = day
    elif inferred is not None and (doc.published is None or inferred.precision != "year"):
        doc.published = inferred
    elif doc.published is None and years[0] == years[1]:
        doc.published = DatedValue(str(years[0]), "year", "roles", f"tenures {years[0]}-{years[1]}")


def _day_in_tenures(doc: Document, days: tuple[date, date]) -> DatedValue | None:
    """A story that names its day but not the year ("15 January ... President X arrived") and office
    holders whose common tenure (``days``) holds that day in at most two years: the first of them (a
    text is read soon after it is written more often than a year later). Wider windows stay undated."""
    lead = default_inferrer().lead_day(doc.text)
    if lead is None or days[0] == date.min:
        return None
    month, day, words = lead
    last = min(days[1], date.today())
    fits = []
    for year in range(days[0].year, last.year + 1):
        try:
            when = date(year, month, day)
        except ValueError:
            continue
        if days[0] <= when <= last:
            fits.append(when)
    if not fits or len(fits) > 2:
        return None
    return DatedValue(fits[0].isoformat(), "day", "roles+lead",
                      f"{words} | in office together {days[0].isoformat()} to {last.isoformat()}")


class RussianStages:
    """NLP, actors, events and figures of a Russian document (``nlp.russian``, ``actors.russian``,
    ``events.russian``): the same Mention, Event and Quantity objects as English, codes in English,
    evidence in the original."""

    def __init__(self, kb: KnowledgeBase, ontology: Ontology, quantities: QuantityExtractor, places: Gazetteer,
                 max_pairs: int | None = None):
        from .actors.russian import RussianLinker
        from .events.multilingual import MultilingualCoder
        from .events.russian import RussianEventPass
        from .nlp.russian import RussianPipeline
        from .quantities.russian import RussianFigures

        self.kb = kb
        self.nlp = RussianPipeline()
        self.linker = RussianLinker(kb, self.nlp.lemmatizer)
        self.events = RussianEventPass(MultilingualCoder(), ontology, places, max_pairs=max_pairs)
        self.figures = RussianFigures(rates=quantities.rates)

    def analyse(self, doc: Document) -> Document:
        sentences = self.nlp(doc.text)
        doc.sentences = [Sentence(s.start, s.end, s.text) for s in sentences]
        on = anchor_date(doc)
        doc.mentions = self.linker.link(sentences, on)
        if doc.published is None or doc.published.precision == "year":
            refine_date(doc, self.kb)
            on = anchor_date(doc)
        doc.events = self.events.run(doc, sentences, doc.mentions, on)
        countries = [(m.span[0], m.span[1], m.country) for m in doc.mentions if m.country]
        doc.quantities = self.figures.extract(doc, countries)
        return doc
