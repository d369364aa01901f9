"""The structured layer: the values the case knows, found in all the formats they are written in.

000 公示办法 第十七条 lists what a published decision hides: for a natural person (第（一）项)
the home address, ID number, means of contact, bank account, certificate numbers of movable
or immovable property, property and health status; for a legal person or other organisation
(第（二）项) its bank account, property certificate numbers, property status and trade secrets.
So an organisation's name, USCC, registered address (住所), telephone and its legal
representative's name stay public (they are what 双公示 publishes), while the
representative's own ID number is a natural person's and is hidden.

Matching runs on the normalised text (``normalize``), which keeps offsets, so every span is in
the original's offsets. Variants found:

* ID numbers: spaces or dashes between digits, a lower-case x, the 15-digit form of an
  18-digit number and the 18-digit form of a 15-digit one;
* telephones: +86 / 0086, spaces, dashes, parentheses round the area code, the local number
  without its area code;
* bank accounts: digits grouped in fours (any separators);
* addresses: the exact string, without spaces, and without the leading province, city and
  district (as long as what remains is specific: at least six characters);
* property certificates: half- or full-width brackets, 〔〕 or 【】, spaces;
* names: with a space between the characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from stdnum.cn import ric

from .names import mask_name
from .normalize import normalize
from .types import FIELD_LABELS, REPLACEMENTS, PartyFacts

_DIGIT_SEP = r"[ \t\-.]{0,2}"
_PHONE_SEP = r"[ \t\-.()]{0,3}"
_PHONE_PREFIX = r"(?:(?:\+|00)[ ]?86[ \-]?)?\(?"
_OPEN = "[(\\[〔【［]"
_CLOSE = "[)\\]〕】］]"
_ADMIN_PREFIXES = (
    re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:省|自治区|特别行政区)"),
    re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:市|自治州|地区|盟)"),
    re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:区|县|市|旗)"),
)
_MIN_ADDRESS = 6
# Values at least this long are found even inside a longer run of letters and digits.
_UNBOUNDED_LENGTH = 11


@dataclass(frozen=True)
class Finder:
    """One value of one party, as a compiled pattern."""

    party: int
    field: str  # the PartyFacts field
    type: str  # the span type
    pattern: re.Pattern[str]
    bounded: bool  # must not touch an ASCII letter or digit on either side
    replacement: str


def _alnum(value: str) -> str:
    return "".join(ch for ch in normalize(value).upper() if ch.isascii() and ch.isalnum())


def _digit_regex(chars: str, sep: str = _DIGIT_SEP) -> str:
    return sep.join("[Xx]" if ch == "X" else re.escape(ch) for ch in chars)


def id_number_variants(value: str) -> list[str]:
    """The 18- and 15-digit forms of an ID number (upper-case X), as far as they follow."""
    number = _alnum(value)
    variants = [number] if number else []
    if len(number) == 18 and number[:17].isdigit():
        variants.append(number[:6] + number[8:17])
    elif len(number) == 15 and number.isdigit():
        body = number[:6] + "19" + number[6:]
        variants.append(body + ric.calc_check_digit(body + "0"))
    return variants


def phone_variants(value: str) -> list[str]:
    """The digits of a telephone number without a country code, and a landline's local number
    without its area code."""
    digits = "".join(ch for ch in normalize(value) if ch.isdigit())
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) in (12, 13):
        digits = digits[2:]
    if not digits:
        return []
    variants = [digits]
    if digits.startswith("0") and len(digits) >= 10:
        area = 3 if digits[1] in "12" else 4
        local = digits[area:]
        if len(local) >= 7:
            variants.append(local)
    return variants


def address_variants(value: str) -> list[str]:
    """The address without spaces, then without its leading province, city and district."""
    address = re.sub(r"\s+", "", normalize(value))
    variants = [address] if address else []
    current = address
    for prefix in _ADMIN_PREFIXES:
        match = prefix.match(current)
        if match is None:
            continue
        rest = current[match.end() :]
        if len(rest) < _MIN_ADDRESS:
            break
        variants.append(rest)
        current = rest
    return variants


def _text_regex(value: str) -> str:
    parts = []
    for ch in value:
        if ch in "(（[〔【［":
            parts.append(_OPEN)
        elif ch in ")）]〕】］":
            parts.append(_CLOSE)
        else:
            parts.append(re.escape(ch))
    return r"\s*".join(parts)


def _compile(alternatives: list[str]) -> re.Pattern[str]:
    # Longest first, so that the 18-digit form wins over the 15-digit one at the same place.
    ordered = sorted(set(alternatives), key=len, reverse=True)
    return re.compile("|".join(f"(?:{alt})" for alt in ordered))


def personal_fields(party: PartyFacts) -> tuple[str, ...]:
    """The fields of this party 000 公示办法 第十七条 hides (names aside)."""
    if party.is_organisation:
        # 第十七条第（二）项; the representative's ID number is a natural person's (第（一）项).
        return ("id_number", "bank_account", "property_certificates", "representative_id_number")
    return (
        "id_number",
        "address",
        "phone",
        "bank_account",
        "property_certificates",
        "representative_id_number",
    )


def public_values(party: PartyFacts) -> list[str]:
    """What stays public about this party: an organisation's name, USCC, registered address,
    telephone and representative's name; anyone's USCC (an individual business's)."""
    values = [party.uscc]
    if party.is_organisation:
        values += [party.name, party.address, party.phone, party.representative]
    return [value for value in values if value.strip()]


def _field_finder(index: int, party: PartyFacts, field: str) -> list[Finder]:
    finders: list[Finder] = []
    if field in ("id_number", "representative_id_number"):
        variants = id_number_variants(getattr(party, field))
        if variants:
            finders.append(
                Finder(
                    index,
                    field,
                    "id_number",
                    _compile([_digit_regex(v) for v in variants]),
                    min(map(len, variants)) < _UNBOUNDED_LENGTH,
                    REPLACEMENTS["id_number"],
                )
            )
    elif field == "phone":
        variants = phone_variants(party.phone)
        if variants:
            alternatives = [_PHONE_PREFIX + _digit_regex(variants[0], _PHONE_SEP)]
            alternatives += [_digit_regex(v, _PHONE_SEP) for v in variants[1:]]
            finders.append(
                Finder(
                    index,
                    field,
                    "phone",
                    _compile(alternatives),
                    min(map(len, variants)) < _UNBOUNDED_LENGTH,
                    REPLACEMENTS["phone"],
                )
            )
    elif field == "bank_account":
        number = _alnum(party.bank_account)
        if number:
            finders.append(
                Finder(
                    index,
                    field,
                    "bank_account",
                    re.compile(_digit_regex(number)),
                    len(number) < _UNBOUNDED_LENGTH,
                    REPLACEMENTS["bank_account"],
                )
            )
    elif field == "address":
        variants = address_variants(party.address)
        if variants:
            finders.append(
                Finder(
                    index,
                    field,
                    "address",
                    _compile([_text_regex(v) for v in variants]),
                    False,
                    REPLACEMENTS["address"],
                )
            )
    elif field == "property_certificates":
        certificates = [
            re.sub(r"\s+", "", normalize(c)) for c in party.property_certificates if c.strip()
        ]
        if certificates:
            finders.append(
                Finder(
                    index,
                    field,
                    "property_certificate",
                    _compile([_text_regex(c) for c in certificates]),
                    False,
                    REPLACEMENTS["property_certificate"],
                )
            )
    return finders


def name_finder(index: int, party: PartyFacts) -> Finder | None:
    """The natural person's name, to be masked as 张某 (2 characters at least: a single
    character would mask that character everywhere)."""
    if party.is_organisation:
        return None
    name = re.sub(r"\s+", "", normalize(party.name))
    if len(name) < 2:
        return None
    masked = mask_name(name)
    if name == masked:
        return None
    pattern = re.compile("[ ]?".join(re.escape(ch) for ch in name))
    return Finder(index, "name", "name", pattern, False, masked)


def finders_for(parties: Sequence[PartyFacts], *, mask_names: bool) -> list[Finder]:
    finders: list[Finder] = []
    for index, party in enumerate(parties):
        for field in personal_fields(party):
            finders.extend(_field_finder(index, party, field))
        if mask_names:
            finder = name_finder(index, party)
            if finder is not None:
                finders.append(finder)
    return finders


def _touches_alnum(norm: str, start: int, end: int) -> bool:
    before = norm[start - 1] if start > 0 else ""
    after = norm[end] if end < len(norm) else ""
    return (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum())


def find(finder: Finder, norm: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each occurrence in the normalised text."""
    pos = 0
    search = finder.pattern.search
    while True:
        match = search(norm, pos)
        if match is None:
            return
        start, end = match.span()
        if finder.bounded and _touches_alnum(norm, start, end):
            pos = start + 1
            continue
        yield start, end
        pos = end


def _describe(index: int, party: PartyFacts, field: str) -> str:
    who = mask_name(party.name) if not party.is_organisation else party.name
    label = f"第{index + 1}个当事人" + (f"（{who}）" if who else "")
    return f"{label}的{FIELD_LABELS[field]}"


def find_leaks(text: str, parties: Sequence[PartyFacts]) -> list[str]:
    """Descriptions of the personal values of these parties still present in the text."""
    norm = normalize(text)
    leaks: list[str] = []
    for finder in finders_for(parties, mask_names=False):
        if next(find(finder, norm), None) is not None:
            description = _describe(finder.party, parties[finder.party], finder.field)
            if description not in leaks:
                leaks.append(description)
    return leaks
