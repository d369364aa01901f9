"""Redaction of what a published enforcement decision must not show (000 公示办法 第十七条).

Two layers: the values the case knows about its parties (``PartyFacts``), removed in every
format they are written in, then detectors for what the case does not know (ID numbers with
their check digit, telephones, bank cards with their Luhn digit, property certificates,
e-mail, addresses, health and property status). What must stay public stays: organisations'
names and USCCs, officers' certificate numbers and the agency's hotline (``keep``),
document numbers, statutes, amounts and dates. Natural persons' names follow the profile
rule ``disclosure.natural_person_name`` (``mask_names``)::

    result = redact(text, [PartyFacts(kind="natural_person", name="张三", id_number=…)],
                    mask_names=names_masked(profile),   # disclosure.natural_person_name
                    keep=[agency_hotline])
    result.text, result.spans
    result.leaks(parties)      # [] — else refuse to publish

This package has no models and touches no database.
"""

from .engine import apply_spans, redact
from .names import mask_name
from .profile import names_masked
from .types import PartyFacts, Redaction, RedactionError, Span

__all__ = [
    "PartyFacts",
    "Redaction",
    "RedactionError",
    "Span",
    "apply_spans",
    "mask_name",
    "names_masked",
    "redact",
]
