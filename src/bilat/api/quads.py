"""The quad classes (verbal/material cooperation/conflict) of PLOVER types, from ``quads.yaml``."""
from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

import yaml

from ..errors import ConfigError

QUAD_ORDER = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")


def load_quads() -> Mapping[str, str]:
    """PLOVER type → quad class name (read-only)."""
    try:
        data = yaml.safe_load((resources.files("bilat.api") / "quads.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"quads.yaml: {exc}") from exc
    mapping = {t: quad for quad, types in data["quads"].items() for t in types}
    if set(data["quads"]) != set(QUAD_ORDER):
        raise ConfigError(f"quads.yaml must name exactly {QUAD_ORDER}")
    return MappingProxyType(mapping)
