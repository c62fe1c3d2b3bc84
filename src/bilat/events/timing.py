"""Which event a relative time expression dates, read off the parse.

"The visit took place three days after he met X": the parser hangs "three days" on "met" (the clause
that "after" introduces), but the words place the *main* clause three days after the meeting. The
resolver counts "three days after" forward from the story's current date; that is right for the main
clause only when the clause under "after" is the event already told ("troops moved two days after the
summit ended"). When instead the main clause restates an event already dated ("the visit"), that date
is the anchor and the event under "after" lies N days *before* it.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

from spacy.tokens import Token

_ANAPHORIC = ("anaphoric-after", "anaphoric-before")
_MARKS = ("after", "before")


def relative_clause(root: Token) -> tuple[Token, Token] | None:
    """(subordinate verb, main verb) when the expression's token sits in an after/before clause."""
    clause = root.head
    if clause.dep_ != "advcl" or clause.head is clause:
        return None
    if not any(c.dep_ in ("mark", "prep") and c.lower_ in _MARKS for c in clause.children):
        return None
    return clause, clause.head


def reanchor(texp: Any, root: Token | None, anchor_tok: Token, known: Callable[[Token], str | None]) -> Any:
    """The expression as it applies to the event at ``anchor_tok`` (its trigger or clause verb).

    ``known(main_verb)`` gives the day already coded for an event restated by the main clause, or None.
    """
    if texp is None or root is None or getattr(texp, "method", None) not in _ANAPHORIC:
        return texp
    origin_s = getattr(texp, "counted_from", None)
    value = str(getattr(texp, "value", ""))
    found = relative_clause(root)
    if found is None or not origin_s or len(value) != 10:
        return texp
    sub, main = found
    in_sub = anchor_tok.i in {t.i for t in sub.subtree}
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


def inherited(tok: Token, chosen: dict[int, Any], limit: int = 12) -> Any:
    """A trigger without its own time takes the one of the nearest event above it in the parse
    ("met X ..., during which he promised Y": the promise has the meeting's date)."""
    cur = tok
    for _ in range(limit):
        if cur.head is cur:
            return None
        cur = cur.head
        if chosen.get(cur.i) is not None:
            return chosen[cur.i]
    return None
