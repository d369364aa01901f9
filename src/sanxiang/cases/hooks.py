"""Explicit hooks through which higher apps act on what happens to a case, inside the same
transaction (data flows one way: cases cannot import them, and Django signals are not used
for business flow).

- ``register_after_transition(fn)``: ``fn(case, transition)`` runs at the end of
  ``services.fire_transition``, with the case as it now stands and the new
  ``StageTransition``; e.g. disclosure creates the publication of a decision just issued
  (000 公示办法 第二十条).
- ``register_after_signature(fn)``: ``fn(record, signature)`` runs at the end of
  ``services.sign_record`` and ``services.record_refusal``; e.g. disclosure creates the
  publication of an inspection result once it is signed (002 第十八条).

A hook that raises aborts the whole action: it runs inside the action's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Case, Record, Signature, StageTransition

AfterTransition = Callable[["Case", "StageTransition"], None]
AfterSignature = Callable[["Record", "Signature"], None]

_after_transition: list[AfterTransition] = []
_after_signature: list[AfterSignature] = []


def register_after_transition(fn: AfterTransition) -> None:
    if fn not in _after_transition:
        _after_transition.append(fn)


def register_after_signature(fn: AfterSignature) -> None:
    if fn not in _after_signature:
        _after_signature.append(fn)


def after_transition(case: Case, transition: StageTransition) -> None:
    for fn in list(_after_transition):
        fn(case, transition)


def after_signature(record: Record, signature: Signature) -> None:
    for fn in list(_after_signature):
        fn(record, signature)
