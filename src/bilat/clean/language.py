"""The language of a text, from its script: bilat reads English and Russian."""
from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str, sample: int = 4000) -> str:
    """'ru' when Cyrillic letters outnumber Latin ones in the text's head, else 'en'."""
    head = text[:sample]
    return "ru" if len(_CYRILLIC.findall(head)) > len(_LATIN.findall(head)) else "en"
