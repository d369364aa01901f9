"""Publication services: from an issued decision to the public portal and, when the decision
falls, off it again (事后公开, 000 公示办法 第十六条、第二十条、第二十一条; 001 河南公示办法
第十七条、第二十一条、第二十二条; 002 第十八条、第二十条).

One function per business action, each in one transaction with one ledger entry:

- ``create_publication`` (run by the cases hooks when a decision is issued or an inspection
  result signed, and by ``sanxiang publications_due``): the publication with its due date and
  the first draft — the decision information of 第十六条 and the full text, redacted;
- ``add_redaction`` / ``reinstate_detection``: the publisher adjusts the draft; reinstating
  a value the case knows is personal is refused (000 公示办法 第十七条);
- ``approve_review``: the confidentiality review (000 公示办法 第五条), refused unless the
  publisher approves exactly what was shown and no known personal value remains;
- ``publish_publication``: a new append-only version, indexed for the portal search;
- ``record_decision_revoked`` → ``withdraw_publication`` (000 公示办法 第二十一条);
- ``start_correction`` → review → ``publish_publication`` again (version 2, history kept).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sanxiang.cases.models import Case, CaseOfficer, Party, Record, Signature, StageTransition
from sanxiang.core.rules import UnknownRule, get_profile, parse_citation
from sanxiang.org.models import Agency, Role, User
from sanxiang.procedures import registry
from sanxiang.procedures.model import ACTION_TYPES, RECORD_DATA_KEYS
from sanxiang.records import ledger

from . import deadlines
from . import search as portal_search
from .models import ConfidentialityReview, Publication, PublicationVersion
from .redaction import PartyFacts, Redaction, mask_name, names_masked, redact

# ------------------------------------------------------------------ citations

# The same duty under each measure; the agency's profile picks those of its lineage.
CITATIONS: dict[str, tuple[str, ...]] = {
    # 保密审查 before anything is published
    "review": ("000 公示办法 第五条", "001 河南公示办法 第五条", "002 第十九条"),
    # what must be hidden
    "redaction": ("000 公示办法 第十七条", "001 河南公示办法 第十八条", "002 第十九条"),
    # what is published after the decision
    "contents": ("000 公示办法 第十六条", "001 河南公示办法 第十七条", "002 第十八条"),
    # withdrawal and correction (动态调整)
    "adjust": ("000 公示办法 第二十一条", "001 河南公示办法 第二十二条", "002 第二十条"),
}


def cite(profile_code: str, concept: str) -> str:
    """The citations of ``concept`` that bind the agency's jurisdiction, joined by "；"."""
    candidates = CITATIONS[concept]
    try:
        profile = get_profile(profile_code)
    except Exception:  # an unknown profile: cite every measure
        return "；".join(candidates)
    prefixes = [doc.citation_prefix for doc in profile.all_documents()]
    chosen = []
    for prefix in prefixes:
        for candidate in candidates:
            parsed = parse_citation(candidate)
            if f"{parsed.file} {parsed.measure}".rstrip() == prefix:
                chosen.append(candidate)
    return "；".join(dict.fromkeys(chosen)) if chosen else "；".join(candidates)


# ------------------------------------------------------------------ the decision information

# The decision information of 000 公示办法 第十六条 (001 河南公示办法 第十七条), in order.
FIELD_LABELS: dict[str, str] = {
    "agency": "执法主体",
    "officers": "执法人员",
    "party": "行政相对人",
    "category": "执法类别",
    "facts": "事实",
    "basis": "依据",
    "decision": "决定",
    "remedy": "救济途径",
}
# Fields redacted like the full text (the others are built from public data).
REDACTED_FIELDS = ("facts", "basis", "decision", "remedy")

# Which part of the decision information each record field feeds (by field name).
_FIELD_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("remedy", ("remedy",)),
    ("facts", ("fact", "reason", "result", "violations", "object")),
    ("basis", ("basis",)),
    (
        "decision",
        (
            "decision",
            "penalty",
            "matter",
            "objects",
            "term",
            "return",
            "compensation",
            "performance",
            "handling",
            "change",
            "amount",
        ),
    ),
)
_SKIPPED_FIELDS = frozenset(
    {"party", "applicant", "agency", "agency_seal_date", "officer_signature", "signatures"}
)

# The types a publisher may add, and what replaces them (000 公示办法 第十七条).
ADDED_TYPES: dict[str, str] = {
    "name": "[姓名已隐去]",
    "id_number": "[身份证号码已隐去]",
    "phone": "[联系电话已隐去]",
    "address": "[住址已隐去]",
    "bank_account": "[银行账号已隐去]",
    "property_certificate": "[权属证书编号已隐去]",
    "property_status": "[财产状况已隐去]",
    "health": "[健康状况已隐去]",
    "trade_secret": "[商业秘密已隐去]",
    "other": "[依法隐去]",
}
ADDED_TYPE_LABELS: dict[str, str] = {
    "name": "姓名",
    "id_number": "身份证号码",
    "phone": "通讯方式",
    "address": "家庭住址",
    "bank_account": "银行账号",
    "property_certificate": "动产或者不动产权属证书编号",
    "property_status": "财产状况",
    "health": "健康状况",
    "trade_secret": "商业秘密",
    "other": "其他依法应当隐去的信息",
    "email": "电子邮箱",
}

REVIEW_ACTORS = (Role.PUBLISHER,)
REVOCATION_ACTORS = (Role.PUBLISHER, Role.AGENCY_HEAD)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(_text(v) for v in value)
    return str(value).strip()


def _profile_code(agency: Agency) -> str:
    return agency.rule_profile_code


def masks_names(agency: Agency) -> bool:
    """Natural persons' names as 张某 or in full: the profile rule
    ``disclosure.natural_person_name`` (000 公示办法 第十七条; masking is local policy under
    第五条); a profile without the rule masks them."""
    try:
        return names_masked(get_profile(_profile_code(agency)))
    except UnknownRule:
        return True


def party_facts(parties: Iterable[Party]) -> list[PartyFacts]:
    """What the case knows about its parties, for redaction and the leak check."""
    kinds: dict[str, str] = {
        Party.Kind.NATURAL_PERSON.value: "natural_person",
        Party.Kind.LEGAL_PERSON.value: "legal_person",
        Party.Kind.OTHER.value: "other",
    }
    facts = []
    for p in parties:
        certificates = tuple(
            line.strip()
            for line in p.property_certificates.replace("；", "\n").replace(";", "\n").splitlines()
            if line.strip()
        )
        facts.append(
            PartyFacts(
                kind=kinds.get(p.kind, ""),
                name=p.name,
                id_number=p.id_number,
                address=p.address,
                phone=p.phone,
                bank_account=p.bank_account,
                uscc=p.uscc,
                representative=p.representative,
                representative_id_number=p.representative_id_number,
                property_certificates=certificates,
            )
        )
    return facts


def _keep_values(agency: Agency, officers: Sequence[CaseOfficer]) -> list[str]:
    """Public values the redaction must not touch: the agency's address and phones, the
    officers' certificate numbers (000 公示办法 第九条)."""
    values = [agency.address, agency.phone, agency.complaint_phone]
    values += [o.certificate_number for o in officers]
    return [v for v in values if v]


def _party_text(parties: Sequence[Party], mask: bool) -> str:
    out = []
    for p in parties:
        if p.kind == Party.Kind.NATURAL_PERSON:
            out.append(mask_name(p.name) if mask else p.name)
        else:
            out.append(f"{p.name}（统一社会信用代码：{p.uscc}）" if p.uscc else p.name)
    return "、".join(out)


def _officers(case: Case, stage: str) -> list[CaseOfficer]:
    rows = list(CaseOfficer.objects.filter(case=case).select_related("officer").order_by("id")[:50])
    staged = [r for r in rows if r.stage == stage]
    chosen = staged or rows
    seen: set[int] = set()
    unique = []
    for row in chosen:
        if row.officer_id not in seen:
            seen.add(row.officer_id)
            unique.append(row)
    return unique


def document_number(record: Record) -> str:
    """文书号: the number the rendered document carries (cases.documents)."""
    return _text(record.data.get("document_number")) or f"{record.case.number}-R{record.pk}"


@dataclass(frozen=True)
class Draft:
    original_fields: dict[str, str]
    original_text: str
    fields: dict[str, str]
    final_text: str
    spans: list[dict[str, Any]]


def source_material(record: Record) -> tuple[dict[str, str], str, list[Party], list[str]]:
    """The decision information (unredacted) and the full text of the decision document,
    with the parties and the values to keep public."""
    case = record.case
    agency = case.agency
    kind = registry().kind(record.kind)
    parties = list(case.parties.all().order_by("id")[:100])
    officers = _officers(case, record.stage)
    parts: dict[str, list[str]] = {key: [] for key in FIELD_LABELS}
    lines = [kind.name, f"文书号：{document_number(record)}", f"执法主体：{agency.name}"]
    for f in kind.fields:
        value = _text(record.data.get(f.name))
        if not value or f.name in kind.data:
            continue
        lines.append(f"{f.label}：{value}")
        if f.name in _SKIPPED_FIELDS:
            continue
        for part, needles in _FIELD_PARTS:
            if any(n in f.name for n in needles):
                parts[part].append(value)
                break
        else:
            parts["decision"].append(value)
    if record.amount is not None:
        amount = f"{RECORD_DATA_KEYS['amount']}：{record.amount:,.2f}元"
        lines.append(amount)
        parts["decision"].append(amount)
    lines.append(f"{agency.name}")
    lines.append(f"{record.made_on:%Y年%m月%d日}")
    mask = masks_names(agency)
    fields = {
        "agency": agency.name,
        "officers": "、".join(
            f"{o.officer.name}（执法证号：{o.certificate_number}）"
            if o.certificate_number
            else o.officer.name
            for o in officers
        ),
        "party": _party_text(parties, mask),
        "category": f"{ACTION_TYPES.get(case.action_type, case.action_type)}（{kind.name}）",
        "facts": "\n".join(parts["facts"]),
        "basis": "\n".join(parts["basis"]),
        "decision": "\n".join(parts["decision"]),
        "remedy": "\n".join(parts["remedy"]),
    }
    return fields, "\n".join(lines), parties, _keep_values(agency, officers)


def span_dict(span: Any) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "type": span.type,
        "source": span.source,
        "replacement": span.replacement,
    }


def apply_span_dicts(text: str, spans: Sequence[Mapping[str, Any]]) -> str:
    """``text`` with each span replaced (spans sorted, non-overlapping, original offsets)."""
    out = []
    at = 0
    for span in sorted(spans, key=lambda s: int(s["start"])):
        start, end = int(span["start"]), int(span["end"])
        if start < at:
            continue  # overlapping: the earlier span already covers it
        out.append(text[at:start])
        out.append(str(span["replacement"]))
        at = end
    out.append(text[at:])
    return "".join(out)


def _redact_fields(
    original: Mapping[str, str],
    parties: Sequence[PartyFacts],
    *,
    mask: bool,
    keep: Sequence[str],
    added: Sequence[tuple[str, str]],
) -> dict[str, str]:
    fields = dict(original)
    for key in REDACTED_FIELDS:
        value = fields.get(key, "")
        if value:
            value = redact(value, parties, mask_names=mask, keep=keep).text
            for needle, replacement in added:
                value = value.replace(needle, replacement)
        fields[key] = value
    return fields


def build_draft(record: Record) -> tuple[Draft, list[PartyFacts]]:
    fields, text, parties, keep = source_material(record)
    facts = party_facts(parties)
    mask = masks_names(record.case.agency)
    redaction = redact(text, facts, mask_names=mask, keep=keep)
    spans = [span_dict(s) for s in redaction.spans]
    draft = Draft(
        original_fields=fields,
        original_text=text,
        fields=_redact_fields(fields, facts, mask=mask, keep=keep, added=()),
        final_text=apply_span_dicts(text, spans),
        spans=spans,
    )
    return draft, facts


def review_digest(review: ConfidentialityReview) -> str:
    """A digest of what the review page shows: approving needs the digest of what the
    publisher saw, so that nobody approves a draft unseen, or one that changed since."""
    payload = json.dumps(
        [review.pk, review.final_text, review.fields, review.spans, len(review.adjustments)],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# ------------------------------------------------------------------ permissions


def _require(actor: User, agency: Agency, roles: Sequence[str], what: str, profile: str) -> None:
    if (
        actor.agency_id != agency.pk
        or not actor.is_active
        or not any(actor.has_role(role) for role in roles)
    ):
        names = "、".join(Role(role).label for role in roles)
        raise PermissionDenied(
            f"只有“{agency.name}”的{names}可以{what}（{cite(profile, 'review')}：保密审查机制，"
            "明确审查的程序和责任）。"
        )


def _locked(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update(of=("self",))
        .select_related("agency__jurisdiction", "case", "source_record", "current_version")
        .get(pk=publication.pk)
    )


# ------------------------------------------------------------------ creation


def issued_decision_kinds() -> frozenset[str]:
    return frozenset(code for code, kind in registry().kinds.items() if kind.decision)


INSPECTION_RESULT_KINDS = frozenset({"inspection_result"})


def _is_current(record: Record) -> bool:
    return not Record.objects.filter(supersedes=record).exists()


@transaction.atomic
def create_publication(*, record: Record, actor: User | None = None) -> Publication:
    """The publication of an issued decision (or signed inspection result), with its due
    date from the profile and the first redacted draft for review. Idempotent: a record
    already published returns its publication."""
    existing = Publication.objects.filter(source_record=record).first()
    if existing is not None:
        return existing
    case = Case.objects.select_related("agency__jurisdiction").get(pk=record.case_id)
    kind = (
        Publication.Kind.INSPECTION_RESULT
        if record.kind in INSPECTION_RESULT_KINDS
        else Publication.Kind.DECISION
    )
    if kind == Publication.Kind.DECISION and record.kind not in issued_decision_kinds():
        raise ValidationError(
            f"“{registry().kind_name(record.kind)}”不是执法决定文书，"
            f"不生成执法决定公示（{cite(_profile_code(case.agency), 'contents')}）。"
        )
    record.case = case
    due = deadlines.publication_due(_profile_code(case.agency), case.action_type, record.made_on)
    draft, _facts = build_draft(record)
    publication = Publication.objects.create(
        case=case,
        agency=case.agency,
        action_type=case.action_type,
        kind=kind,
        source_record=record,
        document_number=document_number(record)[:64],
        decided_on=record.made_on,
        due_on=due.on,
        due_rule=due.source[:128],
        next_due_on=due.on,
    )
    review = ConfidentialityReview.objects.create(
        publication=publication,
        original_fields=draft.original_fields,
        original_text=draft.original_text,
        detected_spans=draft.spans,
        spans=draft.spans,
        fields=draft.fields,
        final_text=draft.final_text,
        created_by=actor,
    )
    ledger.record(
        "disclosure.create_publication",
        actor=actor,
        obj=publication,
        case=case.number,
        record=record.pk,
        kind=kind,
        decided_on=record.made_on,
        due_on=due.on,
        due_state=due.state,
        due_rule=due.source,
        review=review.pk,
        detections=len(draft.spans),
    )
    return publication


def after_transition(case: Case, transition: StageTransition) -> None:
    """cases hook: a transition out of the stage holding a signed decision issues it
    (e.g. 作出决定，送达: decision → service); its publication is created in the same
    transaction (000 公示办法 第二十条)."""
    if transition.from_stage == transition.to_stage:
        return
    kinds = issued_decision_kinds()
    records = (
        Record.objects.filter(
            case=case, stage=transition.from_stage, kind__in=kinds, publication__isnull=True
        )
        .filter(superseded_by__isnull=True)
        .filter(signatures__refused=False)
        .distinct()
        .order_by("id")[:20]
    )
    for record in records:
        create_publication(record=record, actor=transition.fired_by)


def after_signature(record: Record, signature: Signature) -> None:
    """cases hook: an inspection result is published once every signature it needs is on
    it (002 第十八条: 检查结果依法向社会公示)."""
    if record.kind not in INSPECTION_RESULT_KINDS:
        return
    if Publication.objects.filter(source_record=record).exists() or not _is_current(record):
        return
    kind = registry().kind(record.kind)
    rows = list(record.signatures.values_list("role", "refused"))
    signed = frozenset(role for role, refused in rows if not refused)
    refused = frozenset(role for role, refused in rows if refused)
    if all(spec.satisfied_by(signed, refused) for spec in kind.signatures):
        create_publication(record=record, actor=signature.entered_by)


# ------------------------------------------------------------------ review


def _known_values(review: ConfidentialityReview, facts: Sequence[PartyFacts]) -> list[str]:
    """The leak descriptions of ``review``'s final text and fields, and the natural persons'
    full names where the profile masks them (000 公示办法 第十七条)."""
    texts = [review.final_text, *(str(v) for v in review.fields.values())]
    problems: list[str] = []
    for text in texts:
        problems += Redaction(text=text, spans=()).leaks(facts)
    if masks_names(review.publication.agency):
        for party in facts:
            named = party.kind in ("natural_person", "") and len(party.name) >= 2
            if named and any(party.name in text for text in texts):
                problems.append(f"自然人当事人“{mask_name(party.name)}”的姓名")
    return list(dict.fromkeys(problems))


def _facts_for(review: ConfidentialityReview) -> list[PartyFacts]:
    return party_facts(review.publication.case.parties.all().order_by("id")[:100])


def _refresh_draft(review: ConfidentialityReview) -> None:
    """Recompute the final text and fields from the original and the spans in force."""
    publication = review.publication
    facts = _facts_for(review)
    record = publication.source_record
    keep = _keep_values(publication.agency, _officers(publication.case, record.stage))
    added = [
        (review.original_text[int(s["start"]) : int(s["end"])], str(s["replacement"]))
        for s in review.spans
        if s.get("source") == "publisher"
    ]
    review.final_text = apply_span_dicts(review.original_text, review.spans)
    review.fields = _redact_fields(
        review.original_fields,
        facts,
        mask=masks_names(publication.agency),
        keep=keep,
        added=added,
    )


def _check_open(review: ConfidentialityReview) -> None:
    if review.status != ConfidentialityReview.Status.OPEN:
        raise ValidationError(
            f"该保密审查已{review.get_status_display()}，不能再调整；如需修改，应发起更正。"
        )


@transaction.atomic
def add_redaction(
    *, actor: User, review: ConfidentialityReview, start: int, end: int, type: str
) -> ConfidentialityReview:
    """The publisher hides a stretch the detection missed (every occurrence of it in the
    full text and the decision information)."""
    review = ConfidentialityReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
    publication = _locked(review.publication)
    review.publication = publication
    profile = _profile_code(publication.agency)
    _require(actor, publication.agency, REVIEW_ACTORS, "调整拟公开内容", profile)
    _check_open(review)
    if type not in ADDED_TYPES:
        raise ValidationError(f"未知的隐去类型“{type}”。")
    text = review.original_text
    if not (0 <= start < end <= len(text)):
        raise ValidationError("所选隐去区间无效，请在原文中重新选择要隐去的文字。")
    needle = text[start:end]
    if not needle.strip():
        raise ValidationError("所选文字为空白，无需隐去。")
    replacement = ADDED_TYPES[type]
    new: list[dict[str, Any]] = []
    at = text.find(needle)
    while at != -1:
        new.append(
            {
                "start": at,
                "end": at + len(needle),
                "type": type,
                "source": "publisher",
                "replacement": replacement,
            }
        )
        at = text.find(needle, at + len(needle))
    kept = [
        s
        for s in review.spans
        if not any(int(s["start"]) >= n["start"] and int(s["end"]) <= n["end"] for n in new)
    ]
    overlapping = [
        n
        for n in new
        if any(int(s["start"]) < n["end"] and n["start"] < int(s["end"]) for s in kept)
    ]
    if overlapping and len(overlapping) == len(new):
        raise ValidationError(
            "所选文字与已隐去的内容部分重叠，请扩大选择范围以包含整段已隐去内容。"
        )
    new = [n for n in new if n not in overlapping]
    review.spans = sorted([*kept, *new], key=lambda s: int(s["start"]))
    now = timezone.now()
    review.adjustments = [
        *review.adjustments,
        {
            "action": "add",
            "type": type,
            "start": start,
            "end": end,
            "occurrences": len(new),
            "by": actor.pk,
            "by_name": str(actor),
            "at": now.isoformat(),
        },
    ]
    _refresh_draft(review)
    review.reviewer = actor
    review.reviewed_at = now
    review.save()
    ledger.record(
        "disclosure.add_redaction",
        actor=actor,
        obj=review,
        publication=publication.pk,
        type=type,
        start=start,
        end=end,
        occurrences=len(new),
    )
    return review


@transaction.atomic
def reinstate_detection(
    *, actor: User, review: ConfidentialityReview, index: int, reason: str
) -> ConfidentialityReview:
    """The publisher puts back a stretch the detection hid wrongly (with the reason);
    refused for a value the case knows is personal (000 公示办法 第十七条)."""
    review = ConfidentialityReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
    publication = _locked(review.publication)
    review.publication = publication
    profile = _profile_code(publication.agency)
    _require(actor, publication.agency, REVIEW_ACTORS, "调整拟公开内容", profile)
    _check_open(review)
    reason = reason.strip()
    if not reason:
        raise ValidationError("恢复显示已隐去的内容，应当说明理由。")
    if not 0 <= index < len(review.spans):
        raise ValidationError("所选的隐去内容不存在，请刷新页面后重试。")
    span = review.spans[index]
    label = ADDED_TYPE_LABELS.get(str(span["type"]), str(span["type"]))
    refusal = (
        f"该处为案件登记的当事人{label}，属于应当隐去的信息，不得恢复显示"
        f"（{cite(profile, 'redaction')}）。"
    )
    if span.get("source") == "party":
        raise ValidationError(refusal)
    remaining = [s for i, s in enumerate(review.spans) if i != index]
    trial = apply_span_dicts(review.original_text, remaining)
    if Redaction(text=trial, spans=()).leaks(_facts_for(review)):
        raise ValidationError(refusal)
    review.spans = remaining
    now = timezone.now()
    review.adjustments = [
        *review.adjustments,
        {
            "action": "reinstate",
            "type": span["type"],
            "start": span["start"],
            "end": span["end"],
            "reason": reason,
            "by": actor.pk,
            "by_name": str(actor),
            "at": now.isoformat(),
        },
    ]
    _refresh_draft(review)
    review.reviewer = actor
    review.reviewed_at = now
    review.save()
    ledger.record(
        "disclosure.reinstate_detection",
        actor=actor,
        obj=review,
        publication=publication.pk,
        type=span["type"],
        start=span["start"],
        end=span["end"],
        reason=reason,
    )
    return review


@transaction.atomic
def approve_review(
    *, actor: User, review: ConfidentialityReview, seen_digest: str
) -> ConfidentialityReview:
    """The confidentiality review passes (000 公示办法 第五条): only what the publisher saw
    (``seen_digest`` of the review page), and only if no value the case knows is personal
    remains (000 公示办法 第十七条)."""
    review = ConfidentialityReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
    publication = _locked(review.publication)
    review.publication = publication
    profile = _profile_code(publication.agency)
    _require(actor, publication.agency, REVIEW_ACTORS, "作出保密审查结论", profile)
    _check_open(review)
    if publication.status in (Publication.Status.WITHDRAWAL_DUE, Publication.Status.WITHDRAWN):
        raise ValidationError(
            f"执法决定已{publication.get_revocation_kind_display()}，不得再审查公开"
            f"（{cite(profile, 'adjust')}）。"
        )
    if not seen_digest:
        raise ValidationError(
            f"未经保密审查不得公开：请在审查页面查看已隐去的全文和每一处隐去内容后再审查通过"
            f"（{cite(profile, 'review')}）。"
        )
    if seen_digest != review_digest(review):
        raise ValidationError(
            "拟公开内容在您查看之后已有变化，请重新查看审查页面后再审查通过"
            f"（{cite(profile, 'review')}）。"
        )
    leaks = _known_values(review, _facts_for(review))
    if leaks:
        raise ValidationError(
            f"拟公开内容仍含有应当隐去的信息：{'；'.join(leaks)}。请隐去后再审查通过"
            f"（{cite(profile, 'redaction')}）。"
        )
    now = timezone.now()
    review.status = ConfidentialityReview.Status.APPROVED
    review.reviewer = actor
    review.reviewed_at = review.reviewed_at or now
    review.approved_at = now
    review.save()
    if publication.status == Publication.Status.AWAITING_REVIEW:
        publication.status = Publication.Status.APPROVED
        publication.save(update_fields=["status"])
    ledger.record(
        "disclosure.approve_review",
        actor=actor,
        obj=review,
        publication=publication.pk,
        purpose=review.purpose,
        spans=len(review.spans),
        adjustments=len(review.adjustments),
        text_sha256=hashlib.sha256(review.final_text.encode()).hexdigest(),
    )
    return review


# ------------------------------------------------------------------ publish, withdraw, correct


@transaction.atomic
def publish_publication(*, actor: User, publication: Publication) -> PublicationVersion:
    """Publish the text the confidentiality review approved, as a new version (the first,
    or a correction), and list it on the portal (000 公示办法 第五条、第二十条、第二十一条)."""
    publication = _locked(publication)
    profile = _profile_code(publication.agency)
    _require(actor, publication.agency, REVIEW_ACTORS, "公开执法决定信息", profile)
    if publication.status in (Publication.Status.WITHDRAWAL_DUE, Publication.Status.WITHDRAWN):
        raise ValidationError(
            f"执法决定已{publication.get_revocation_kind_display()}，不得公开"
            f"（{cite(profile, 'adjust')}）。"
        )
    review = (
        ConfidentialityReview.objects.select_for_update(of=("self",))
        .filter(publication=publication, status=ConfidentialityReview.Status.APPROVED)
        .filter(version__isnull=True)
        .order_by("-id")
        .first()
    )
    newer_open = (
        review is not None
        and ConfidentialityReview.objects.filter(
            publication=publication, status=ConfidentialityReview.Status.OPEN, pk__gt=review.pk
        ).exists()
    )
    if review is None or newer_open:
        raise ValidationError(
            f"拟公开内容尚未通过保密审查，不得公开（{cite(profile, 'review')}）。"
        )
    # The leak check once more, against the case as it stands now.
    leaks = _known_values(review, _facts_for(review))
    if leaks:
        raise ValidationError(
            f"拟公开内容含有应当隐去的信息：{'；'.join(leaks)}，不得公开"
            f"（{cite(profile, 'redaction')}）。"
        )
    last = publication.versions.aggregate(n=Max("number"))["n"] or 0
    now = timezone.now()
    version = PublicationVersion.objects.create(
        publication=publication,
        number=last + 1,
        fields=review.fields,
        full_text=review.final_text,
        spans=review.spans,
        review=review,
        reason=review.reason,
        made_by=actor,
        made_at=now,
    )
    publication.current_version = version
    publication.status = Publication.Status.PUBLISHED
    publication.published_at = publication.published_at or now
    publication.next_due_on = None
    publication.save(update_fields=["current_version", "status", "published_at", "next_due_on"])
    portal_search.index_publication(publication)
    today = timezone.localdate()
    ledger.record(
        "disclosure.publish",
        actor=actor,
        obj=publication,
        version=version.number,
        review=review.pk,
        reason=review.reason,
        due_on=publication.due_on if version.number == 1 else publication.correction_due_on,
        late=bool(
            version.number == 1 and publication.due_on is not None and today > publication.due_on
        ),
        text_sha256=hashlib.sha256(version.full_text.encode()).hexdigest(),
    )
    return version


@transaction.atomic
def record_decision_revoked(
    *,
    actor: User,
    publication: Publication,
    kind: str,
    on: datetime.date,
    note: str = "",
) -> Publication:
    """The decision was revoked, confirmed unlawful or is to be remade: a published one must
    be taken down within the profile's period from ``on`` (000 公示办法 第二十一条); one not
    yet published will not be."""
    publication = _locked(publication)
    profile = _profile_code(publication.agency)
    _require(actor, publication.agency, REVOCATION_ACTORS, "登记执法决定被撤销等情况", profile)
    if kind not in Publication.RevocationKind.values:
        raise ValidationError("请选择撤下原因：被依法撤销、被确认违法或者被要求重新作出。")
    if publication.status in (Publication.Status.WITHDRAWAL_DUE, Publication.Status.WITHDRAWN):
        raise ValidationError(f"该公示已{publication.get_status_display()}，无需重复登记。")
    today = timezone.localdate()
    if on > today:
        raise ValidationError("知悉决定被撤销等情况的日期不能晚于今天。")
    if on < publication.decided_on:
        raise ValidationError("知悉决定被撤销等情况的日期不能早于决定日期。")
    publication.revocation_kind = kind
    publication.revoked_on = on
    publication.revocation_note = note.strip()
    was_public = publication.is_public
    due = deadlines.withdrawal_due(profile, on)
    if was_public:
        publication.status = Publication.Status.WITHDRAWAL_DUE
        publication.withdrawal_due_on = due.on
        publication.next_due_on = due.on
    else:  # never published: it never will be; nothing to take down
        publication.status = Publication.Status.WITHDRAWN
        publication.next_due_on = None
        ConfidentialityReview.objects.filter(
            publication=publication, status=ConfidentialityReview.Status.OPEN
        ).update(status=ConfidentialityReview.Status.SUPERSEDED)
    publication.save()
    ledger.record(
        "disclosure.record_revocation",
        actor=actor,
        obj=publication,
        kind=kind,
        on=on,
        note=publication.revocation_note,
        was_public=was_public,
        withdrawal_due_on=publication.withdrawal_due_on,
        due_state=due.state,
        due_rule=due.source,
    )
    return publication


@transaction.atomic
def withdraw_publication(*, actor: User, publication: Publication) -> Publication:
    """Take the decision off the portal; a notice says when and why (000 公示办法
    第二十一条). The versions stay, as history."""
    publication = _locked(publication)
    profile = _profile_code(publication.agency)
    _require(actor, publication.agency, REVIEW_ACTORS, "撤下执法决定信息", profile)
    if publication.status != Publication.Status.WITHDRAWAL_DUE:
        raise ValidationError(
            "只有已登记被撤销、确认违法或者要求重新作出的执法决定才能撤下，"
            f"请先登记撤下原因（{cite(profile, 'adjust')}）。"
        )
    now = timezone.now()
    publication.status = Publication.Status.WITHDRAWN
    publication.withdrawn_at = now
    publication.next_due_on = None
    publication.save(update_fields=["status", "withdrawn_at", "next_due_on"])
    ConfidentialityReview.objects.filter(
        publication=publication, status=ConfidentialityReview.Status.OPEN
    ).update(status=ConfidentialityReview.Status.SUPERSEDED)
    portal_search.unindex_publication(publication)
    today = timezone.localdate()
    due = publication.withdrawal_due_on
    ledger.record(
        "disclosure.withdraw",
        actor=actor,
        obj=publication,
        kind=publication.revocation_kind,
        withdrawal_due_on=due,
        late=bool(due is not None and today > due),
        notice=publication.withdrawal_notice,
    )
    return publication


@transaction.atomic
def start_correction(
    *,
    actor: User,
    publication: Publication,
    reason: str,
    found_on: datetime.date,
    text: str,
    fields: Mapping[str, str] | None = None,
) -> ConfidentialityReview:
    """Published information is inaccurate: a corrected draft (the unredacted text as it
    should read), redacted again and put to a new confidentiality review; due within the
    profile's period from ``found_on`` (000 公示办法 第二十一条). Publishing it makes the
    next version; the earlier ones stay visible."""
    publication = _locked(publication)
    profile = _profile_code(publication.agency)
    _require(actor, publication.agency, REVIEW_ACTORS, "更正执法决定信息", profile)
    if publication.status not in (
        Publication.Status.PUBLISHED,
        Publication.Status.CORRECTION_DUE,
    ):
        raise ValidationError(
            f"只有已公开（未撤下）的执法决定信息才能更正；当前状态：{publication.get_status_display()}。"
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(f"更正已公开的信息应当说明理由（{cite(profile, 'adjust')}）。")
    text = text.strip()
    if not text:
        raise ValidationError("更正后的全文不能为空。")
    today = timezone.localdate()
    if found_on > today or found_on < publication.decided_on:
        raise ValidationError("发现信息不准确的日期应在决定日期与今天之间。")
    ConfidentialityReview.objects.filter(
        publication=publication, status=ConfidentialityReview.Status.OPEN
    ).update(status=ConfidentialityReview.Status.SUPERSEDED)
    previous = (
        publication.reviews.filter(status=ConfidentialityReview.Status.APPROVED)
        .order_by("-id")
        .first()
    )
    original_fields = dict(previous.original_fields) if previous else {}
    for key, value in (fields or {}).items():
        if key in FIELD_LABELS and key not in ("agency", "party", "officers"):
            original_fields[key] = value.strip()
    record = publication.source_record
    case = publication.case
    parties = list(case.parties.all().order_by("id")[:100])
    facts = party_facts(parties)
    keep = _keep_values(publication.agency, _officers(case, record.stage))
    mask = masks_names(publication.agency)
    redaction = redact(text, facts, mask_names=mask, keep=keep)
    spans = [span_dict(s) for s in redaction.spans]
    review = ConfidentialityReview.objects.create(
        publication=publication,
        purpose=ConfidentialityReview.Purpose.CORRECTION,
        reason=reason,
        original_fields=original_fields,
        original_text=text,
        detected_spans=spans,
        spans=spans,
        fields=_redact_fields(original_fields, facts, mask=mask, keep=keep, added=()),
        final_text=apply_span_dicts(text, spans),
        created_by=actor,
    )
    due = deadlines.correction_due(profile, found_on)
    publication.status = Publication.Status.CORRECTION_DUE
    publication.correction_found_on = found_on
    publication.correction_due_on = due.on
    publication.correction_reason = reason
    publication.next_due_on = due.on
    publication.save()
    ledger.record(
        "disclosure.start_correction",
        actor=actor,
        obj=publication,
        review=review.pk,
        reason=reason,
        found_on=found_on,
        correction_due_on=due.on,
        due_state=due.state,
        due_rule=due.source,
    )
    return review


# ------------------------------------------------------------------ bulk


def issued_records_without_publication(after_id: int, limit: int) -> list[int]:
    """Ids of signed, current decision records (and fully signed inspection results) of
    cases that have left the stage they were made in, with no publication yet — one
    indexed, bounded query (ids ascending from ``after_id``)."""
    from django.db.models import Exists, OuterRef

    moved_on = StageTransition.objects.filter(
        case=OuterRef("case"), from_stage=OuterRef("stage")
    ).exclude(to_stage=OuterRef("stage"))
    signed = Signature.objects.filter(record=OuterRef("pk"), refused=False)
    decisions = (
        Record.objects.filter(pk__gt=after_id, kind__in=issued_decision_kinds())
        .filter(Exists(moved_on), Exists(signed))
        .filter(publication__isnull=True, superseded_by__isnull=True)
    )
    inspections = Record.objects.filter(
        pk__gt=after_id, kind__in=INSPECTION_RESULT_KINDS, publication__isnull=True
    ).filter(Exists(signed), superseded_by__isnull=True)
    ids = sorted(
        {
            *decisions.order_by("pk").values_list("pk", flat=True)[:limit],
            *inspections.order_by("pk").values_list("pk", flat=True)[:limit],
        }
    )
    return ids[:limit]


def create_due_publications(*, batch_size: int = 200, limit: int | None = None) -> int:
    """``sanxiang publications_due``: create the publications of decisions already issued
    (seeded or loaded data), in batches of one transaction each; resumable (idempotent)."""
    created = 0
    last = 0
    while limit is None or created < limit:
        size = batch_size if limit is None else min(batch_size, limit - created)
        ids = issued_records_without_publication(last, size)
        if not ids:
            break
        with transaction.atomic():
            records = Record.objects.filter(pk__in=ids).select_related("case__agency")
            for record in records.order_by("pk"):
                if record.kind in INSPECTION_RESULT_KINDS:
                    kind = registry().kind(record.kind)
                    rows = list(record.signatures.values_list("role", "refused"))
                    signed = frozenset(r for r, refused in rows if not refused)
                    refused = frozenset(r for r, f in rows if f)
                    if not all(s.satisfied_by(signed, refused) for s in kind.signatures):
                        continue
                create_publication(record=record)
                created += 1
        last = ids[-1]
    return created
