"""What produced a run: its settings, bilat's version, the convention and parse mode, the event coders'
and the rule set's versions. Each engine records them in the run's ``runs`` row (``store.writer.RunInfo``)
and every document it stores names the run (``documents.run_id``), so a store that mixes conventions,
parse modes, models or rule versions tells, per document, which produced it (``store.queries.document_run``).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..events.coder import MODEL_DIR as CODER_DIR
from ..events.multilingual import MODEL_DIR as ML_CODER_DIR
from ..events.ontology import RULES_DIR
from ..store.writer import RunInfo

if TYPE_CHECKING:
    from ..pipeline import Pipeline

logger = logging.getLogger(__name__)

# The settings a Pipeline reads when it loads (pipeline.py): an engine handed a loaded pipeline analyses
# with these values of the pipeline's settings, whatever its own settings say.
PIPELINE_FIELDS = ("model", "parse", "nlp_batch_size", "max_sentence_tokens", "convention", "coder",
                   "max_coded_pairs")
# Each rule file carries its version in a top-level ``version:`` line.
_VERSION_LINE = re.compile(r"^version:[ \t]*(\d+)", re.MULTILINE)


def bilat_version() -> str | None:
    """The installed distribution's version (``bilat.__version__`` sits on a higher floor)."""
    try:
        return metadata.version("bilat")
    except metadata.PackageNotFoundError:  # a source tree on sys.path, never installed
        return None


def packaged_version(model_dir: Path) -> str | None:
    """The version a model folder's ``meta.json`` names, or None when it cannot be read."""
    try:
        return str(json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError) as exc:
        logger.warning("%s: no model version (%s)", model_dir, exc)
        return None


def rule_versions(rules_dir: Path = RULES_DIR) -> dict[str, Any]:
    """The version of each rule file (``verbs``: 1, ...) and ``digest``, a hash of all their bytes: a rule
    edited without a new version still gives another digest."""
    versions: dict[str, Any] = {}
    digest = hashlib.sha256()
    for path in sorted(rules_dir.glob("*.yaml")):
        data = path.read_bytes()
        found = _VERSION_LINE.search(data.decode("utf-8", errors="replace"))
        versions[path.stem] = int(found.group(1)) if found else None
        digest.update(path.name.encode() + b"\0" + data + b"\0")
    versions["digest"] = digest.hexdigest()[:16]
    return versions


def run_info(settings: Settings, pipeline: Pipeline | None = None) -> RunInfo:
    """What a run with ``settings`` records; with ``pipeline``, the versions of the models it holds.

    Without a pipeline (the Dask client, whose workers load theirs from ``settings``) the versions are
    those of the packaged models, which is what a pipeline loads. The multilingual coder is loaded at the
    first Russian document, always from its packaged folder (``pipeline.RussianStages``): its packaged
    version is the one that codes Russian documents."""
    if pipeline is not None:
        settings = dataclasses.replace(settings, **{f: getattr(pipeline.settings, f) for f in PIPELINE_FIELDS})
        convention = pipeline.events.convention
        coder = pipeline.coder.coder.version if pipeline.coder is not None else None
    else:
        convention = settings.convention
        coder = packaged_version(CODER_DIR) if settings.coder == "model" else None
    return RunInfo(settings=dataclasses.asdict(settings), bilat_version=bilat_version(), convention=convention,
                   parse=settings.parse, coder_model=coder, ml_coder_model=packaged_version(ML_CODER_DIR),
                   rule_versions=rule_versions())
