"""The structured layer: the values the case knows, found in all the formats they are written in.

000 公示办法 第十七条 lists what a published decision hides: for a natural person (第（一）项)
the home address, ID number, means of contact, bank account, certificate numbers of movable
or immovable property, property and health status; for a legal person or other organisation
(第（二）项) its bank account, property certificate numbers, property status and trade secrets.
So an organisation's name, USCC, registered address (住所) and its legal representative's
name stay public (they are what 双公示 and the enterprise credit register publish), while the
representative's own ID number is a natural person's and is hidden. An organisation's
telephone is hidden too: it is most often a person's mobile (通讯方式, 第（一）项; 第五条 calls
for personal privacy to be handled before publication).

Matching runs on a skeleton of the normalised text (``normalize``, which keeps offsets): the
text without spaces, dashes, dots and brackets, upper-cased, with a map back to the original
offsets. Each value is reduced the same way and found with ``str.find`` — no pattern is
compiled per document, so the layer costs little more than a scan. Variants found:

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

import bisect
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from stdnum.cn import ric

from .names import mask_name
from .normalize import normalize
from .types import FIELD_LABELS, REPLACEMENTS, PartyFacts

# What the skeleton leaves out: whitespace and the separators and brackets written inside
# numbers, addresses and certificate numbers.
_SEPARATOR = re.compile(r"[\s\-._()（）\[\]〔〕【】]")
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_PHONE_PREFIX = re.compile(r"(?:(?:\+|00)\s?86[\s\-]?)?[(（]?$")
_ADMIN_PREFIXES = (
    re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:省|自治区|特别行政区)"),
    re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:市|自治州|地区|盟)"),
    re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:区|县|市|旗)"),
)
_MIN_ADDRESS = 6
# Numbers at least this long are found even inside a longer run of letters and digits.
_UNBOUNDED_LENGTH = 11


def skeleton_of(value: str) -> str:
    """A value as the skeleton writes it."""
    text = _SEPARATOR.sub("", normalize(value))
    upper = text.upper()
    return upper if len(upper) == len(text) else text.translate(_UPPER)


class Skeleton:
    """The normalised text without separators, upper-cased, and the way back to its
    offsets."""

    def __init__(self, norm: str) -> None:
        # For the j-th removed character at offset r_j, q_j = r_j - j; the skeleton's
        # character i stands at offset i + #{j : q_j <= i} of the normalised text.
        self._shifts = [m.start() - j for j, m in enumerate(_SEPARATOR.finditer(norm))]
        text = _SEPARATOR.sub("", norm) if self._shifts else norm
        upper = text.upper()
        self.text = upper if len(upper) == len(text) else text.translate(_UPPER)

    def offset(self, index: int) -> int:
        """The normalised-text offset of skeleton character ``index``."""
        return index + bisect.bisect_right(self._shifts, index)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offset(start), self.offset(end - 1) + 1


class Finder(NamedTuple):
    """One value of one party, in all its variants (skeleton forms, longest first)."""

    party: int
    field: str  # the PartyFacts field
    type: str  # the span type
    needles: tuple[str, ...]
    replacement: str
    phone: bool = False  # take a +86 / 0086 prefix and an opening bracket along


_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_NOT_DIGIT = re.compile(r"[^0-9]")


def _alnum(value: str) -> str:
    return _NOT_ALNUM.sub("", normalize(value)).upper()


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
    digits = _NOT_DIGIT.sub("", normalize(value))
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


def personal_fields(party: PartyFacts) -> tuple[str, ...]:
    """The fields of this party 000 公示办法 第十七条 hides (names aside)."""
    if party.is_organisation:
        # 第十七条第（二）项; the representative's ID number is a natural person's (第（一）项).
        return (
            "id_number",
            "phone",
            "bank_account",
            "property_certificates",
            "representative_id_number",
        )
    return (
        "id_number",
        "address",
        "phone",
        "bank_account",
        "property_certificates",
        "representative_id_number",
    )


def public_values(party: PartyFacts) -> list[str]:
    """What stays public about this party: an organisation's name, USCC, registered address
    and representative's name; anyone's USCC (an individual business's)."""
    values = [party.uscc]
    if party.is_organisation:
        values += [party.name, party.address, party.representative]
    return [value for value in values if value.strip()]


def _variants(party: PartyFacts, field: str) -> list[str]:
    if field in ("id_number", "representative_id_number"):
        return id_number_variants(getattr(party, field))
    if field == "phone":
        return phone_variants(party.phone)
    if field == "bank_account":
        return [_alnum(party.bank_account)]
    if field == "address":
        return address_variants(party.address)
    if field == "property_certificates":
        return list(party.property_certificates)
    raise ValueError(field)


_SPAN_TYPE = {
    "id_number": "id_number",
    "representative_id_number": "id_number",
    "phone": "phone",
    "bank_account": "bank_account",
    "address": "address",
    "property_certificates": "property_certificate",
}


def _field_finder(index: int, party: PartyFacts, field: str) -> Finder | None:
    needles = {skeleton_of(v) for v in _variants(party, field)} - {""}
    if not needles:
        return None
    kind = _SPAN_TYPE[field]
    return Finder(
        index,
        field,
        kind,
        tuple(sorted(needles, key=len, reverse=True)),
        REPLACEMENTS[kind],
        phone=field == "phone",
    )


def name_finder(index: int, party: PartyFacts) -> Finder | None:
    """The natural person's name, to be masked as 张某 (2 characters at least: a single
    character would mask that character everywhere)."""
    if party.is_organisation:
        return None
    name = skeleton_of(party.name)
    if len(name) < 2:
        return None
    masked = mask_name(name)
    if name == masked:
        return None
    return Finder(index, "name", "name", (name,), masked)


def finders_for(parties: Sequence[PartyFacts], *, mask_names: bool) -> list[Finder]:
    finders: list[Finder] = []
    for index, party in enumerate(parties):
        for field in personal_fields(party):
            finder = _field_finder(index, party, field)
            if finder is not None:
                finders.append(finder)
        if mask_names:
            finder = name_finder(index, party)
            if finder is not None:
                finders.append(finder)
    return finders


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def find(finder: Finder, norm: str, skeleton: Skeleton) -> Iterator[tuple[int, int]]:
    """The (start, end) in the normalised text of each occurrence of each variant. A short
    number (fewer than 11 characters) must not touch an ASCII letter or digit."""
    text = skeleton.text
    for needle in finder.needles:
        bounded = len(needle) < _UNBOUNDED_LENGTH and needle.isascii()
        pos = text.find(needle)
        while pos != -1:
            start, end = skeleton.span(pos, pos + len(needle))
            pos = text.find(needle, pos + 1)
            if finder.phone:
                prefix = _PHONE_PREFIX.search(norm, max(0, start - 8), start)
                if prefix is not None:
                    start = prefix.start()
            if bounded and (
                (start > 0 and _ascii_alnum(norm[start - 1]))
                or (end < len(norm) and _ascii_alnum(norm[end]))
            ):
                continue
            yield start, end


def _describe(index: int, party: PartyFacts, field: str) -> str:
    who = mask_name(party.name) if not party.is_organisation else party.name
    label = f"第{index + 1}个当事人" + (f"（{who}）" if who else "")
    return f"{label}的{FIELD_LABELS[field]}"


def find_leaks(text: str, parties: Sequence[PartyFacts]) -> list[str]:
    """Descriptions of the personal values of these parties still present in the text."""
    finders = finders_for(parties, mask_names=False)
    if not finders:
        return []
    norm = normalize(text)
    skeleton = Skeleton(norm)
    leaks: list[str] = []
    for finder in finders:
        if next(find(finder, norm, skeleton), None) is not None:
            description = _describe(finder.party, parties[finder.party], finder.field)
            if description not in leaks:
                leaks.append(description)
    return leaks
