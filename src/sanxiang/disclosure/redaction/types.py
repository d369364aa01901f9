"""Value types of redaction: what the case knows about a party, a redacted span, a result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

KINDS: dict[str, str] = {
    "natural_person": "自然人",
    "legal_person": "法人",
    "other": "其他组织",
}

# The Chinese name of each PartyFacts field, for messages.
FIELD_LABELS: dict[str, str] = {
    "kind": "当事人类型",
    "name": "姓名或名称",
    "id_number": "身份证号码",
    "address": "住址",
    "phone": "联系电话",
    "bank_account": "银行账号",
    "uscc": "统一社会信用代码",
    "representative": "法定代表人（负责人）",
    "representative_id_number": "法定代表人（负责人）身份证号码",
    "property_certificates": "权属证书编号",
}

# What each span type is replaced with (names are replaced with their masked form instead).
REPLACEMENTS: dict[str, str] = {
    "id_number": "[身份证号码已隐去]",
    "phone": "[联系电话已隐去]",
    "bank_account": "[银行账号已隐去]",
    "address": "[住址已隐去]",
    "property_certificate": "[权属证书编号已隐去]",
    "email": "[电子邮箱已隐去]",
    "health": "[健康状况已隐去]",
    "property_status": "[财产状况已隐去]",
}

SPAN_TYPES: frozenset[str] = frozenset({*REPLACEMENTS, "name"})
SOURCES: frozenset[str] = frozenset({"party", "detector"})


class RedactionError(ValueError):
    """Bad input to redaction (a malformed party, overlapping spans); the message is Chinese."""


@dataclass(frozen=True, kw_only=True)
class PartyFacts:
    """Everything the case knows about one party; any field may be empty.

    ``kind`` is ``natural_person``, ``legal_person`` or ``other`` (其他组织); an empty kind is
    treated as a natural person, so that nothing the case knows leaks for want of a kind.
    """

    kind: str = ""
    name: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""
    bank_account: str = ""
    uscc: str = ""
    representative: str = ""
    representative_id_number: str = ""
    property_certificates: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.property_certificates, list):
            object.__setattr__(self, "property_certificates", tuple(self.property_certificates))
        if self.kind and self.kind not in KINDS:
            raise RedactionError(
                f"当事人类型“{self.kind}”无效，应为 {'、'.join(KINDS)} 之一（或留空）。"
            )
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "property_certificates":
                if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
                    raise RedactionError("当事人的“权属证书编号”应为字符串的列表。")
            elif not isinstance(value, str):
                raise RedactionError(
                    f"当事人的“{FIELD_LABELS[item.name]}”（{item.name}）应为字符串，"
                    f"而不是 {type(value).__name__}。"
                )

    @property
    def is_organisation(self) -> bool:
        """A legal person or other organisation (000 公示办法 第十七条第（二）项)."""
        return self.kind in ("legal_person", "other")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PartyFacts:
        """From JSON-like data (the CLI, the API). Unknown keys are refused, not ignored: a
        misspelt key would leave a value the case knows unredacted."""
        if not isinstance(data, Mapping):
            raise RedactionError(f"当事人信息（party）应为对象，而不是 {type(data).__name__}。")
        unknown = sorted(str(key) for key in data if key not in FIELD_LABELS)
        if unknown:
            raise RedactionError(
                f"当事人信息含未知字段 {'、'.join(unknown)}；"
                f"允许的字段：{'、'.join(FIELD_LABELS)}。"
            )
        values: dict[str, Any] = {}
        for key, raw in data.items():
            if raw is None:
                continue
            if key == "property_certificates":
                if isinstance(raw, str) or not isinstance(raw, Sequence):
                    raise RedactionError(
                        "当事人的“权属证书编号”（property_certificates）应为列表。"
                    )
                for item in raw:
                    if not isinstance(item, str):
                        raise RedactionError(
                            "当事人的“权属证书编号”（property_certificates）的每一项应为字符串。"
                        )
                values[key] = tuple(item.strip() for item in raw if item.strip())
            else:
                if not isinstance(raw, str):
                    raise RedactionError(
                        f"当事人的“{FIELD_LABELS[key]}”（{key}）应为字符串，"
                        f"而不是 {type(raw).__name__}。"
                    )
                values[key] = raw.strip()
        return cls(**values)


@dataclass(frozen=True)
class Span:
    """One redacted stretch: offsets in the ORIGINAL text (code points, end exclusive)."""

    start: int
    end: int
    type: str
    source: str  # "party" (the case knows the value) or "detector"
    replacement: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise RedactionError(f"隐去区间 [{self.start}, {self.end}) 无效。")
        if self.type not in SPAN_TYPES:
            raise RedactionError(f"未知的隐去类型“{self.type}”。")
        if self.source not in SOURCES:
            raise RedactionError(f"未知的隐去来源“{self.source}”。")


@dataclass(frozen=True)
class Redaction:
    """The redacted text and what was replaced (sorted, non-overlapping, original offsets)."""

    text: str
    spans: tuple[Span, ...]

    def leaks(self, parties: Sequence[PartyFacts]) -> list[str]:
        """The personal values of these parties still present in ``text`` (in any of the
        formats the structured layer knows), each as a Chinese description naming the party
        and the field — never the value itself. Empty when nothing leaks. Names are not
        checked: whether they are public is the profile's choice."""
        from .structured import find_leaks

        return find_leaks(self.text, parties)
