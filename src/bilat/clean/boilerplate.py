"""Paragraph-level removal of page furniture, appeals and spam, recording everything removed.

The rules are conservative: a sentence that reads like news on the article's topic survives a
weak cue, and an appeal glued to content is cut out sentence by sentence.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..model import RemovedParagraph
from .dates import default_inferrer
from .text import ends_like_sentence, normalise, split_sentences, words

logger = logging.getLogger(__name__)

DateParse = Callable[[str], "tuple[str, str] | None"]
_MENU_SEPARATORS = re.compile(r"\||•|·|»|›|/|\u2022|\s-\s|\s–\s")  # items are stripped where used
_DATE_LABEL = re.compile(r"^\W*(last\s+)?(modified|updated|update|published|posted|created|dated?)(\s+(on|at))?\s*[:\-–—]?\s*",
                         re.IGNORECASE)
_ADDRESS = re.compile(r"\b(we|our|us|you|your)\b", re.IGNORECASE)
_REPORTED = re.compile(r"\b(said|says|told|stated|added|noted|stressed|announced|according to)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“”«»]")
_LIST_ITEM = re.compile(r"^[-*•–]\s+[^|•·»›]+$")  # one bulleted item; "• Home • News" is a menu
_TABLE_ROW = re.compile(r"^\|.*\|$")
_TABLE_RULE = re.compile(r"^\|[\s:|-]*-[\s:|-]*\|$")
_ELLIPSIS = re.compile(r"(…|\.\.\.)\s*$")


@dataclass(frozen=True)
class Cue:
    reason: str
    pattern: re.Pattern[str]
    scope: str  # line | sentence
    strength: str  # strong | weak
    max_words: int = 0
    needs_date: bool = False
    note: str = ""
    then: re.Pattern[str] | None = None  # must match after `pattern`, on the same line

    def search(self, text: str) -> bool:
        """Whether the cue matches `text`; with `then`, linear where a regex `A.*B` is quadratic."""
        if self.then is None:
            return self.pattern.search(text) is not None
        # The first A on a line ends earliest, so a B after any A on that line is also after it.
        for line in text.split("\n"):
            m = self.pattern.search(line)
            if m and self.then.search(line, m.end()):
                return True
        return False


# A leading `^\W*` or `\s*` (sentence anchors): unanchored, it would rescan every run of
# punctuation or spaces from each of its characters, quadratic on a long run.
_LEADING_RUN = re.compile(r"^\^?(?:\\[Ws][*+?]?(?![{]))*")


@lru_cache(maxsize=8)
def _combined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One regex matching wherever any of `patterns` would: a prefilter, so the sentence anchors
    '^' and '$' (and the optional runs they allow at the start) are dropped to make it match at
    least as often, in linear time."""
    parts = []
    for p in patterns:
        alternatives = []
        for alt in _top_level_alternatives(p.pattern):
            alternatives.append(_LEADING_RUN.sub("", alt[:-1] if alt.endswith("$") and not alt.endswith("\\$") else alt))
        parts.append(f"(?:{'|'.join(alternatives)})")
    return re.compile("|".join(parts), re.IGNORECASE | re.MULTILINE)


def _top_level_alternatives(pattern: str) -> list[str]:
    """`pattern` split at the `|` outside groups and classes (each may carry its own anchor)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1  # a ']' first in a class is a literal
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


@lru_cache(maxsize=8)
def _phrase_index(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Multi-word keywords by their first word, longest first (a pure function of the rules)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for ph in phrases:
        index.setdefault(ph[0], []).append(ph)
    return {k: tuple(v) for k, v in index.items()}


@dataclass(frozen=True)
class SpamRules:
    keywords: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    min_hits: int
    min_density: float
    strong_density: float
    max_topic_overlap: float

    @property
    def phrases_by_first(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        return _phrase_index(self.phrases)


@dataclass(frozen=True)
class BoilerplateRules:
    version: str
    cues: tuple[Cue, ...]
    spam: SpamRules
    menu_words: frozenset[str]
    function_words: frozenset[str]
    masthead_words: frozenset[str] = frozenset()
    masthead_max_words: int = 5

    @property
    def any_sentence_cue(self) -> re.Pattern[str]:
        return _combined(tuple(c.pattern for c in self.cues if c.scope == "sentence"))

    @classmethod
    def load(cls, path: str | Path | None = None) -> BoilerplateRules:
        if path is None:
            text = resources.files("bilat.clean").joinpath("boilerplate.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls.from_dict(yaml.safe_load(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BoilerplateRules:
        cues = []
        for reason, entries in data["cues"].items():
            for e in entries:
                flags = 0 if e.get("case") else re.IGNORECASE
                then = re.compile(e["then"], flags) if e.get("then") else None
                cues.append(Cue(reason, re.compile(e["pattern"], flags), e["scope"], e.get("strength", "strong"),
                                int(e.get("max_words", 0)), bool(e.get("needs_date")), e.get("note", ""), then))
        s = data["spam"]
        kws = [k.lower() for k in s["keywords"]]
        spam = SpamRules(frozenset(k for k in kws if " " not in k),
                         tuple(sorted((tuple(k.split()) for k in kws if " " in k), key=len, reverse=True)),
                         int(s["min_hits"]), float(s["min_density"]), float(s["strong_density"]),
                         float(s["max_topic_overlap"]))
        return cls(str(data.get("version", "boilerplate")), tuple(cues), spam,
                   frozenset(w.lower() for w in data["menu_words"]["words"]),
                   frozenset(w.lower() for w in data["function_words"]["words"]),
                   frozenset(w.lower() for w in data.get("masthead_words", {}).get("words", [])),
                   int(data.get("masthead_words", {}).get("max_words", 5)))


@dataclass
class CleanedParagraphs:
    kept: list[str]
    removed: list[RemovedParagraph]
    dates: list[tuple[str, str, str]] = field(default_factory=list)  # (value, precision, evidence line)


class _Others:
    """Word counts of the article's other paragraphs (all minus this one), without copying them."""

    def __init__(self, total: Counter[str], own: Counter[str]) -> None:
        self.total, self.own = total, own
        # No other paragraph reads like news: nothing to compare with (a one-paragraph article).
        self.empty = total.total() == own.total()

    def __getitem__(self, word: str) -> int:
        return self.total[word] - self.own[word]


@dataclass
class _Par:
    text: str
    removed_reason: str | None = None
    removed_parts: list[RemovedParagraph] = field(default_factory=list)


class ParagraphCleaner:
    """Applies BoilerplateRules to the paragraphs of one article."""

    def __init__(self, rules: BoilerplateRules, parse_date: DateParse) -> None:
        self.rules = rules
        self.parse_date = parse_date

    # -- vocabulary -------------------------------------------------------------------------
    def content_words(self, text: str) -> list[str]:
        return [w for w in (t.lower() for t in words(text)) if len(w) > 3 and w not in self.rules.function_words
                and not w.isdigit()]

    def looks_like_content(self, text: str) -> bool:
        """Long enough and sentence-shaped: what a news paragraph looks like."""
        return len(words(text)) >= 12 and ends_like_sentence(text)

    # -- main -------------------------------------------------------------------------------
    def clean(self, paragraphs: list[str]) -> CleanedParagraphs:
        pars = [_Par(p) for p in paragraphs]
        vocab: Counter[str] = Counter()
        own: list[Counter[str]] = []
        for p in pars:
            c = Counter(set(self.content_words(p.text))) if self.looks_like_content(p.text) else Counter()
            own.append(c)
            vocab.update(c)
        dates: list[tuple[str, str, str]] = []
        for i, p in enumerate(pars):
            others = _Others(vocab, own[i])
            self._classify(p, others, dates, near_edge=i < 5 or i >= len(pars) - 5)
        self._strip_menu_runs(pars)
        self._strip_head_labels(pars)
        self._strip_twin_lines(pars)
        self._strip_dated_headlines(pars, dates)
        self._strip_tail(pars)
        self._strip_repeats(pars)
        kept: list[str] = []
        removed: list[RemovedParagraph] = []
        for p in pars:
            removed.extend(p.removed_parts)
            if p.removed_reason:
                removed.append(RemovedParagraph(p.text, p.removed_reason))
            elif p.text:
                kept.append(p.text)
        return CleanedParagraphs(kept, removed, dates)

    def _classify(self, p: _Par, vocab: _Others, dates: list[tuple[str, str, str]], near_edge: bool) -> None:
        n_words = len(words(p.text))
        # Line cues are for page furniture; a line shaped like a news paragraph is left to the
        # sentence cues, which cut only what they match.
        prose = self.looks_like_content(p.text)
        for cue in self.rules.cues:
            if cue.scope != "line" or n_words > cue.max_words or prose or not cue.search(p.text):
                continue
            if cue.needs_date:
                parsed = self._line_date(p.text)
                if parsed is None:
                    continue
                dates.append((parsed[0], parsed[1], p.text))
            p.removed_reason = cue.reason
            return
        for cue in self.rules.cues:
            # A picture's credit is cut out of its caption, which reads like a sentence and may hold names.
            if cue.scope == "credit" and n_words <= cue.max_words:
                m = cue.pattern.search(p.text)
                if m and m.group(0).strip():
                    p.removed_parts.append(RemovedParagraph(m.group(0).strip(), cue.reason))
                    p.text = (p.text[: m.start()] + p.text[m.end() :]).strip()
                    if not p.text:
                        p.removed_reason, p.removed_parts = cue.reason, []
                        return
        if _TABLE_RULE.match(p.text):
            p.removed_reason = "formatting"  # the |---|---| line under a table header
            return
        if _TABLE_ROW.match(p.text):
            return  # a table row (as trafilatura writes tables) holds data, not furniture
        if near_edge and self.masthead(p.text):
            p.removed_reason = "masthead"
            return
        if self._is_menu(p.text):
            p.removed_reason = "navigation"
            return
        if self._is_spam(p.text, vocab):
            p.removed_reason = "spam"
            return
        self._cut_sentences(p, vocab)

    def _line_date(self, line: str) -> tuple[str, str] | None:
        rest = _DATE_LABEL.sub("", line)
        if not re.search(r"\d", rest):
            return None
        # A stamp among other furniture ("By X Published: <date> Last updated: <date>") is found by
        # the stamp patterns; a line that is only a date goes to the parser.
        stamp = default_inferrer().stamp(line)
        if stamp is not None:
            return stamp.value, stamp.precision
        return self.parse_date(rest)

    def masthead(self, text: str) -> str | None:
        """The site name if `text` is a masthead line ("Oxus Weekly | Energy"), else None."""
        if ends_like_sentence(text):
            return None
        name = _MENU_SEPARATORS.split(text)[0].strip()
        toks = words(name)
        if not toks or len(toks) > self.rules.masthead_max_words or len(words(text)) > self.rules.masthead_max_words + 3:
            return None
        if not all(t[0].isupper() or t[0].isdigit() for t in toks) or toks[-1].lower() not in self.rules.masthead_words:
            return None
        return name

    def _is_menu(self, text: str) -> bool:
        if ends_like_sentence(text) and not text.rstrip().endswith(("»", ")")):
            return False
        items = [i for i in _MENU_SEPARATORS.split(text) if i.strip()]
        if len(items) >= 3 and all(len(words(i)) <= 3 for i in items):
            return True
        toks = [t.lower() for t in words(text)]
        # Mostly section names ("World Politics Economy Culture"); a title-case headline has verbs
        # and names that are not section names, so it falls below the share.
        return len(toks) >= 3 and sum(t in self.rules.menu_words for t in toks) / len(toks) >= 0.75

    def _is_spam(self, text: str, vocab: _Others) -> bool:
        s = self.rules.spam
        toks = [t.lower() for t in words(text)]
        if len(toks) < 3:
            return False
        covered = 0
        i = 0
        while i < len(toks):
            step = next((len(ph) for ph in s.phrases_by_first.get(toks[i], ()) if tuple(toks[i : i + len(ph)]) == ph), 0)
            if not step and toks[i] in s.keywords:
                step = 1
            if step:
                covered += step
                i += step
            else:
                i += 1
        density = covered / len(toks)
        if covered < s.min_hits or density < s.min_density:
            return False
        if density >= s.strong_density:
            return True
        mine = set(self.content_words(text))
        overlap = len([w for w in mine if vocab[w]]) / len(mine) if mine else 0.0
        return overlap <= s.max_topic_overlap

    def _newsy(self, sentence: str, vocab: _Others) -> bool:
        """A sentence on the article's topic: shares at least two content words with the rest of it."""
        if len(words(sentence)) < 6:
            return False
        if vocab.empty:
            # Without context, a long sentence-shaped text is given the benefit of the doubt.
            return len(words(sentence)) >= 10 and ends_like_sentence(sentence)
        return len({w for w in self.content_words(sentence) if vocab[w]}) >= 2

    def _appeal_voice(self, sentence: str, vocab: _Others) -> bool:
        """Off-topic and either addressing the reader (we/our/you) or a slogan of four words or fewer."""
        if self._newsy(sentence, vocab):
            return False
        toks = words(sentence)
        if _REPORTED.search(sentence):
            return False  # someone's words, reported: content even when it says "we"
        if _ADDRESS.search(sentence) and not _QUOTED.search(sentence):
            return True
        return len(toks) <= 4 and not any(t[0].isupper() for t in toks[1:])

    def _cut_sentences(self, p: _Par, vocab: _Others) -> None:
        if not self.rules.any_sentence_cue.search(p.text):
            return  # one combined scan rules out most paragraphs
        spans = split_sentences(p.text)
        reasons: list[str | None] = []
        strong = False
        for a, b in spans:
            sent = p.text[a:b]
            reason = None
            for cue in self.rules.cues:
                if cue.scope != "sentence" or not cue.search(sent):
                    continue
                if cue.strength == "weak" and (self._newsy(sent, vocab) or _REPORTED.search(sent)
                                               or _QUOTED.search(sent)):
                    continue
                reason, strong = cue.reason, strong or cue.strength == "strong"
                break
            reasons.append(reason)
        flagged = [r for r in reasons if r]
        if not flagged:
            return
        rest = [p.text[a:b] for (a, b), r in zip(spans, reasons, strict=True) if not r]
        if strong and all(self._appeal_voice(s, vocab) for s in rest):
            # An appeal paragraph: its unflagged sentences are part of the same appeal.
            p.removed_reason = flagged[0]
            return
        p.removed_parts += [RemovedParagraph(p.text[a:b], r) for (a, b), r in zip(spans, reasons, strict=True) if r]
        p.text = " ".join(rest)

    # -- whole-document passes --------------------------------------------------------------
    def _short_unpunctuated(self, text: str, max_words: int) -> bool:
        # List items ("- ...", "• ...") and table rows ("| ... |") are content, not menus.
        return (len(words(text)) <= max_words and not ends_like_sentence(text) and not _TABLE_ROW.match(text)
                and not _LIST_ITEM.match(text))

    def _first_content(self, pars: list[_Par]) -> int | None:
        return next((i for i, p in enumerate(pars) if not p.removed_reason and self.looks_like_content(p.text)), None)

    def _strip_menu_runs(self, pars: list[_Par]) -> None:
        """Four or more consecutive very short unpunctuated lines form a menu block."""
        run: list[int] = []
        for i, p in enumerate(pars + [_Par("A full stop ends this sentinel.")]):
            if not p.removed_reason and p.text and self._short_unpunctuated(p.text, 4):
                run.append(i)
                continue
            if len(run) >= 4:
                for j in run:
                    pars[j].removed_reason = "navigation"
            run = []

    def _strip_tail(self, pars: list[_Par]) -> None:
        """Short unpunctuated lines after the last paragraph of prose are sidebar links; so are tag
        lists ("• Energy") and the headlines of other stories ("Leaders Discuss New Road Links.")."""
        first = self._first_content(pars)
        if first is None:
            return
        last = True
        for p in reversed(pars[first + 1 :]):
            if p.removed_reason or not p.text:
                continue
            if last and self._cut_off_sentence(p.text):
                break  # the page store's cut in mid-sentence, not a link
            last = False
            if self._short_unpunctuated(p.text, 15) or (_LIST_ITEM.match(p.text) and len(words(p.text)) <= 3):
                p.removed_reason = "navigation"
            elif self._headline(p.text):
                p.removed_reason = "related"
            else:
                break

    def _cut_off_sentence(self, text: str) -> bool:
        """Eight words or more, a quarter of them function words: prose cut short, as crawls are."""
        toks = [t.lower() for t in words(text)]
        return not ends_like_sentence(text) and len(toks) >= 8 and sum(t in self.rules.function_words for t in toks) / len(toks) >= 0.25

    def _headline(self, text: str) -> bool:
        """Title Case and short: every word but the function words capitalised, as headlines are."""
        toks = words(text)
        if not 3 <= len(toks) <= 14 or text.rstrip()[-1:] not in ".!?":
            return False
        content = [t for t in toks if t.lower() not in self.rules.function_words]
        return len(content) >= 3 and all(t[0].isupper() or t[0].isdigit() for t in content)

    def _strip_head_labels(self, pars: list[_Par]) -> None:
        """Above the first paragraph of prose, a line of three words or fewer ending in a colon is a
        label of the page ("Editor's pick:"), not text that introduces a quotation."""
        first = self._first_content(pars)
        for p in pars[: first if first is not None else len(pars)]:
            if not p.removed_reason and p.text.rstrip().endswith(":") and len(words(p.text)) <= 3:
                p.removed_reason = "navigation"

    def _strip_twin_lines(self, pars: list[_Par]) -> None:
        """The same short line twice in a row is a picture's alternative text and its caption."""
        live = [p for p in pars if not p.removed_reason and p.text]
        for a, b in zip(live, live[1:], strict=False):
            if (normalise(a.text) == normalise(b.text) and len(words(a.text)) <= 12
                    and not ends_like_sentence(a.text)):
                a.removed_reason = b.removed_reason = "caption"

    def _strip_dated_headlines(self, pars: list[_Par], dates: list[tuple[str, str, str]]) -> None:
        """Inside the article, a headline directly above a bare date line is a link to another story."""
        first = self._first_content(pars)
        if first is None:
            return
        stamped = {evidence for _, _, evidence in dates}
        for i in range(first + 2, len(pars)):
            p, above = pars[i], pars[i - 1]
            if (p.removed_reason == "modified" and p.text in stamped and len(words(p.text)) <= 6
                    and not above.removed_reason and self._short_unpunctuated(above.text, 14)):
                above.removed_reason = "related"

    def _strip_repeats(self, pars: list[_Par]) -> None:
        """A truncated teaser ("…") or a repeated paragraph is dropped when its text survives later."""
        live = [i for i, p in enumerate(pars) if not p.removed_reason and p.text]
        seen: set[str] = set()
        for k, i in enumerate(live):
            p = pars[i]
            key = normalise(p.text)
            if key in seen and len(words(p.text)) >= 5:
                p.removed_reason = "duplicate"
                continue
            seen.add(key)
            m = _ELLIPSIS.search(p.text)
            if not m or len(words(p.text)) < 8:
                continue
            later = "".join(normalise(pars[j].text).replace(" ", "") for j in live[k + 1 :])
            stem = normalise(p.text[: m.start()]).replace(" ", "")
            if len(stem) > 30 and stem[:-15] in later:
                p.removed_reason = "teaser"
