"""Enforcement procedures as data, and the pure engine that applies them to a case.

One TOML file per procedure (``definitions/CODE.toml``) names its stages, the records each
stage must hold and who signs them, the transitions between stages with their guards and the
roles allowed to fire them, the closing guards of a final stage (checked before the act is
over whichever transition led there, e.g. the case source told the outcome — 002 第三十条),
and the deadlines — each with its article. ``kinds.toml`` is the
registry of record kinds (文书种类). Loading validates everything and fails loudly::

    procedure = get_procedure("penalty_general")
    procedures_for("penalty")          # [行政处罚一般程序, 行政处罚简易程序]
    engine.available_transitions(state)

Nothing here touches the database; the cases app builds a ``CaseState`` and writes back.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .loader import load_registry
from .model import (
    ACTION_TYPES,
    DefinitionError,
    Procedure,
    RecordKind,
    Registry,
    UnknownProcedure,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DEFINITIONS_DIR = PACKAGE_DIR / "definitions"
KINDS_FILE = PACKAGE_DIR / "kinds.toml"

__all__ = [
    "DEFINITIONS_DIR",
    "KINDS_FILE",
    "DefinitionError",
    "Procedure",
    "RecordKind",
    "Registry",
    "UnknownProcedure",
    "all_procedures",
    "get_kind",
    "get_procedure",
    "load_registry",
    "procedures_for",
    "registry",
]


@functools.cache
def registry() -> Registry:
    """The shipped definitions, loaded and validated once."""
    return load_registry(DEFINITIONS_DIR, KINDS_FILE)


def all_procedures() -> list[Procedure]:
    """Every shipped procedure, in the order of the action types, then by code."""
    order = list(ACTION_TYPES)
    return sorted(registry(), key=lambda p: (order.index(p.action_type), p.code))


def get_procedure(code: str) -> Procedure:
    """The procedure with this code; UnknownProcedure if there is none."""
    procedures = registry().procedures
    try:
        return procedures[code]
    except KeyError:
        known = "、".join(f"{p.code}（{p.name}）" for p in all_procedures())
        raise UnknownProcedure(f"未知的执法程序“{code}”；可用的执法程序：{known}。") from None


def procedures_for(action_type: str) -> list[Procedure]:
    """The procedures of an action type (行政处罚 has the general and the simple one)."""
    return [p for p in all_procedures() if p.action_type == action_type]


def get_kind(code: str) -> RecordKind:
    try:
        return registry().kinds[code]
    except KeyError:
        raise KeyError(f"未登记的文书种类“{code}”。") from None
