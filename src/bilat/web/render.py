"""Document text with its stored char spans turned into highlighted, escaped HTML."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from ..store.search import MARK_CLOSE, MARK_OPEN


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    cls: str  # CSS class: event | hl | actor | figure | date
    title: str = ""
    anchor: str | None = None  # element id for the first piece of this span


def document_marks(doc: dict[str, Any], highlight: int | None = None) -> list[Mark]:
    """Marks for events (evidence sentences), the highlighted event, actors, figures and the dateline."""
    marks: list[Mark] = []
    for e in doc.get("events", []):
        if e.get("start_char") is None:
            continue
        cls = "event hl" if highlight is not None and e.get("idx") == highlight else "event"
        who = " → ".join(x for x in (e.get("source_actor") or e.get("source"), e.get("target_actor") or e.get("target"))
                         if x)
        marks.append(Mark(e["start_char"], e["end_char"], cls, f"{e['type']} {e.get('mode') or ''} {who}".strip(),
                          f"ev-{e['idx']}"))
    for m in doc.get("mentions", []):
        marks.append(Mark(m["start_char"], m["end_char"], "actor",
                          " · ".join(str(x) for x in (m.get("name"), m.get("country"), m.get("role")) if x)))
    for q in doc.get("quantities", []):
        if q.get("start_char") is None:
            continue
        kind = q.get("kind") if q.get("kind") not in (None, "reported") else None
        length = f"({q['period_length']})" if q.get("period_length") else None
        marks.append(Mark(q["start_char"], q["end_char"], "figure",
                          " · ".join(str(x) for x in (q.get("metric"), q.get("value"), q.get("unit"), q.get("period"),
                                                      length, kind) if x is not None)))
    # No date spans are stored; the dateline text that gave the publication date is found in the text.
    evidence = (doc.get("published_evidence") or "").strip()
    text = doc.get("text") or ""
    if 3 <= len(evidence) <= 80:
        at = text.find(evidence)
        if at >= 0:
            marks.append(Mark(at, at + len(evidence), "date", f"published {doc.get('published')}"))
    return marks


def highlight_text(text: str, marks: list[Mark]) -> Markup:
    """Escaped text cut at every span boundary; each piece carries the classes of the spans over it."""
    n = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    cuts = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    anchored: set[str] = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        over = [m for m in valid if m.start <= a and m.end >= b]
        piece = escape(text[a:b])  # line breaks are kept by CSS (white-space: pre-wrap)
        if not over:
            out.append(piece)
            continue
        classes = " ".join(sorted({c for m in over for c in m.cls.split()}))
        titles = " | ".join(dict.fromkeys(m.title for m in over if m.title))
        ids = [m.anchor for m in over if m.anchor and m.anchor not in anchored and m.start == a]
        id_attr = f' id="{escape(ids[0])}"' if ids else ""
        anchored.update(ids[:1])
        out.append(f'<span class="{escape(classes)}" title="{escape(titles)}"{id_attr}>{piece}</span>')
    return Markup("".join(out))


def snippet(text: str | None) -> Markup:
    """A search snippet: escaped, with the index's match markers turned into <mark>."""
    safe = escape(text or "")
    return Markup(safe.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def evidence_html(evidence: str | None, trigger: str | None) -> Markup:
    """The evidence sentence with its trigger word marked."""
    text = evidence or ""
    if trigger and trigger in text:
        at = text.find(trigger)
        return Markup(escape(text[:at]) + "<mark>" + escape(trigger) + "</mark>" + escape(text[at + len(trigger):]))
    return Markup(escape(text))
