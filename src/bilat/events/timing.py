"""Which event a relative time expression dates, read off the parse.

"The visit took place three days after he met X": the parser hangs "three days" on "met" (the clause
that "after" introduces), but the words place the *main* clause three days after the meeting. The
resolver counts "three days after" forward from the story's current date; that is right for the main
clause only when the clause under "after" is the event already told ("troops moved two days after the
summit ended"). When instead the main clause restates an event already dated ("the visit"), that date
is the anchor and the event under "after" lies N days *before* it.

Some expressions the parse puts near a trigger do not date its event at all (``reanchor`` returns
None for them, and the event takes the story's date instead): a period an object covers ("signed the
plan for 2025-2026", relation ``for``); a bound rather than a date ("his first visit since June 2022",
"complained about expulsions after March", "keeps its base until 2042"); a date inside a clause of its
own ("the visit since he took over in November 1992", "... before he left on Monday"). Relative clauses
keep their date: "the ministers, who discussed it by phone on Monday" often retells the event itself.

``StoryClock`` keeps the story's current date across sentences: what an undated sentence is dated
by, what anaphora count from, and what a weekday is counted from when only the year of publication
is known.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from spacy.tokens import Token

_ANAPHORIC = ("anaphoric-after", "anaphoric-before")
_MARKS = ("after", "before")
# clauses whose time is their own, not the main event's ("when" and "while" clauses share it)
_OWN_TIME_MARKS = ("since", "until", "till", "before", "after", "because", "although", "though", "once")
# "since June 2022", "after March", "until 2042": the event lies after or lasts until that date, which is
# not its own ("from October 8" and "by 2025" may be: a visit's first day, a deadline)
_BOUNDS = ("since", "after", "until", "till")
_NOT_EVENT_DATES = ("document-date", "previous-event")
_DURING = ("during", "at", "amid", "throughout")
# methods of dates counted from the publication day ("on Tuesday", "yesterday", "last week"): with only the
# year of publication known, and no day named before, they give that year and no day
COUNTED_FROM_TODAY = frozenset({"weekday", "weekend", "relative-day", "relative-week"})


def relative_clause(root: Token) -> tuple[Token, Token] | None:
    """(subordinate verb, main verb) when the expression's token sits in an after/before clause."""
    clause = root.head
    if clause.dep_ != "advcl" or clause.head.i == clause.i:
        return None
    if not any(c.dep_ in ("mark", "prep") and c.lower_ in _MARKS for c in clause.children):
        return None
    return clause, clause.head


def reanchor(texp: Any, root: Token | None, anchor_tok: Token, known: Callable[[Token], str | None]) -> Any:
    """The expression as it applies to the event at ``anchor_tok`` (its trigger or clause verb).

    ``known(main_verb)`` gives the day already coded for an event restated by the main clause, or None.
    """
    if texp is None or root is None:
        return texp
    relation = str(getattr(texp, "relation", "at"))
    if relation == "for" or (relation in ("since", "until") and _bound_word(root) in _BOUNDS):
        return None
    if getattr(texp, "method", None) not in _ANAPHORIC:
        return None if dates_other_event(root, anchor_tok, relation) else texp
    origin_s = getattr(texp, "counted_from", None)
    value = str(getattr(texp, "value", ""))
    found = relative_clause(root)
    if found is None or not origin_s or len(value) != 10:
        return texp
    sub, main = found
    in_sub = anchor_tok.i in {t.i for t in sub.subtree} or _follows_as_relative(anchor_tok, sub)
    restated = known(main)
    shift = date.fromisoformat(value) - date.fromisoformat(origin_s)
    if restated is None:
        # the main clause is the new event: the resolver's count stands for it; the clause under
        # "after" is the reference point the count started from
        if in_sub:
            return dataclasses.replace(texp, value=origin_s, method="anaphoric-reference")
        return texp
    base = date.fromisoformat(restated)
    if in_sub:
        return dataclasses.replace(texp, value=(base - shift).isoformat(), method="anaphoric-reflected",
                                   counted_from=restated)
    return dataclasses.replace(texp, value=restated, method="anaphoric-reference")


def _follows_as_relative(tok: Token, clause: Token, limit: int = 8) -> bool:
    """"... after he met X in Moscow, during which he told X that ...": a "during which" clause right
    after a clause speaks of that clause's event, wherever the parser hung it."""
    end = max(t.i for t in clause.subtree)
    cur = tok
    for _ in range(limit):
        if cur.dep_ == "relcl" and any(c.dep_ == "prep" and c.lower_ in _DURING + ("in", "after")
                                       and any(w.lower_ == "which" for w in c.children) for c in cur.children):
            first = min(t.i for t in cur.subtree)
            between = tok.doc[end + 1:first]
            return all(t.is_punct for t in between)
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _bound_word(root: Token) -> str:
    """The preposition that introduces the expression hanging on ``root``."""
    if root.pos_ in ("ADP", "SCONJ"):
        return root.lower_
    if root.i > root.sent.start:
        return root.doc[root.i - 1].lower_
    return ""


def dates_other_event(root: Token, anchor_tok: Token, relation: str = "at") -> bool:
    """True when the expression hanging on ``root`` dates something else than the event at ``anchor_tok``:
    a clause of its own between them (relative clause, "since/after/before ..." clause), or, for a
    since/until date, a noun it modifies ("expulsions after March")."""
    cur = root
    for _ in range(30):
        if cur.i == anchor_tok.i or cur.head.i == cur.i:
            return False
        up = cur.head
        if up.i == anchor_tok.i:
            return False
        if up.pos_ in ("VERB", "AUX"):
            if up.dep_ == "advcl" and any(c.dep_ in ("mark", "prep") and c.lower_ in _OWN_TIME_MARKS
                                          for c in up.children if c.i < up.i):
                return True
            if up.dep_ == "pcomp" and up.head.lower_ in _OWN_TIME_MARKS:
                return True  # "since taking over in 1992"
            return False  # the first verb above is the expression's clause: it is the event's own
        if relation in ("since", "until") and up.pos_ in ("NOUN", "PROPN") and cur.dep_ == "prep":
            return True
        cur = up
    return False


def inherited(tok: Token, chosen: dict[int, Any], limit: int = 12) -> Any:
    """A trigger without its own time takes the one of an event it is placed in: one named in its
    "during ..." phrase ("during Medvedev's visit last September the presidents noted ..."), else the
    nearest event above it in the parse ("met X ..., during which he promised Y": the promise has the
    meeting's date)."""
    cur = tok
    for _ in range(limit):
        found = _during(cur, chosen)
        if found is not None:
            return found
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if chosen.get(cur.i) is not None:
            return chosen[cur.i]
    return None


def _during(tok: Token, chosen: dict[int, Any]) -> Any:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in _DURING:
            for obj in c.children:
                if obj.dep_ == "pobj" and chosen.get(obj.i) is not None:
                    return chosen[obj.i]
    return None


class StoryClock:
    """The story's current date, told sentence by sentence.

    A news story opens on its occasion (the dateline, "on Sunday") and then adds background: "since
    November 1992", "in 2013", "the day before". Only day-precise point dates move the clock:
    background years and months never do. A day earlier than the story's main day (a flashback: "he
    arrived on Thursday" after "the ceremony on Friday") holds to the end of its paragraph ("The two
    leaders adopted a joint statement" is still Thursday's), and the next paragraph returns to the
    main day ("Speaking at the dam, ..."). A later day moves the main day on ("the next day they
    signed"). A dateline's filing day gives way to any day the story names ("DUSHANBE, March 25 - ...
    spoke on Sunday"). ``previous`` is the last day named at all, what "the day before" and "two days
    later" count from.

    Use: ``at_sentence`` before each sentence, ``carried`` for an event without its own date,
    ``observe`` with each event date coded, ``observe_times`` for a dated sentence that codes no event.
    """

    def __init__(self, anchor: date | None, published_precision: str | None = "day") -> None:
        self.anchor = anchor
        self.anchor_is_day = published_precision == "day"
        self.main: date | None = None  # the story's main day
        self.day: date | None = None  # the current day: the main one, or a flashback's in its paragraph
        self.previous: date | None = None  # the last day named
        self._filed = False  # the main day is the dateline's: the lead's own day replaces it
        self._end: int | None = None  # where the last sentence ended

    @property
    def carried(self) -> tuple[str, str] | None:
        """(date, precision) for an undated event; None: use the publication date."""
        return (self.day.isoformat(), "day") if self.day is not None else None

    def resolver_anchor(self) -> date | None:
        """What relative words ("on Friday", "yesterday") count from: the publication day; with only
        its year or month known, the story's day once the text has named one."""
        if not self.anchor_is_day and self.day is not None:
            return self.day
        return self.anchor

    def at_sentence(self, text: str, start: int, end: int) -> None:
        """The next sentence is ``text[start:end]``; a paragraph break before it ends a flashback."""
        if self._end is not None and "\n" in text[self._end:start]:
            self.day = self.main
        self._end = start + len(text[start:end].rstrip())  # a sentence may end with the break itself

    def observe(self, value: str | None, precision: str | None, method: str | None = None,
                relation: str | None = "at") -> None:
        """A date the text gave to an event (or a dated sentence without one)."""
        if not value or method in _NOT_EVENT_DATES or relation not in ("at", "range", None) or precision != "day":
            return
        try:
            d = date.fromisoformat(value[:10])
        except ValueError:
            return
        self.previous = self.day = d
        if self.main is None or self._filed or d >= self.main:
            self.main = d
            self._filed = method == "dateline"

    def observe_times(self, times: Iterable[Any]) -> None:
        """A sentence that codes no event still moves the clock by its best point date ("On 10 October a
        summit takes place." then "Putin invited ..."): the most precise, the dateline last."""
        point = [t for t in times if getattr(t, "relation", "at") in ("at", "range")
                 and getattr(t, "precision", None) == "day"]
        if point:
            best = min(point, key=lambda t: (t.method == "dateline", t.method.startswith("anaphoric")))
            self.observe(best.value, best.precision, best.method, best.relation)
