"""The quad classes (verbal/material cooperation/conflict) of PLOVER types.

One source of truth: the ``quad`` numbers of ``events/rules/plover.yaml`` (CAMEO's QuadClass by
root code, as GDELT uses it), named here for the Python API, the REST API and the dashboard.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .ontology import Ontology

QUAD_ORDER = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
SIDES = ("cooperation", "conflict")  # the two sides of the quad classes, by their second word


def side(quad: str | None) -> str | None:
    """Cooperation (verbal or material) or conflict (verbal or material); None for no quad class."""
    return next((s for s in SIDES if quad and quad.endswith(s)), None)


def load_quads() -> Mapping[str, str]:
    """PLOVER type → quad class name (read-only)."""
    ontology = Ontology()
    return MappingProxyType({name: QUAD_ORDER[ontology.quad(name) - 1] for name in ontology.types})
