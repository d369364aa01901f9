"""Writes for organisations and people. One function per business action, each atomic,
each checking that the acting user may act on that agency, and each appending its ledger
entry in the same transaction (DESIGN.md: every business action writes its ledger entry)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.core.validators import mask_identifier
from sanxiang.records import ledger

from . import selectors
from .models import (
    Agency,
    Certificate,
    Entrustment,
    Jurisdiction,
    Officer,
    Role,
    RoleGrant,
    Unit,
    User,
)


def _deny_outside(user: User, agency: Agency) -> None:
    if not selectors.can_manage_agency(user, agency):
        raise PermissionDenied(
            f"您无权管理“{agency.name}”的数据：账号只能管理本执法主体的数据，"
            "跨主体管理需由机关负责人或辖区执法监督人员办理。"
        )


def _save(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _officer_snapshot(officer: Officer) -> dict[str, Any]:
    """The ledger is permanent and cannot be erased, so personal identifiers go in masked
    (the officer row itself keeps the full values)."""
    values = ledger.snapshot(officer)
    for key in ("id_number", "phone"):
        if values.get(key):
            values[key] = mask_identifier(values[key], 4, 4 if key == "id_number" else 2)
    return values


# Never in the ledger: the password hash and login bookkeeping.
_ACCOUNT_EXCLUDE = ("password", "last_login")


@transaction.atomic
def create_jurisdiction(
    *,
    actor: User,
    code: str,
    name: str,
    level: str,
    government_name: str,
    parent: Jurisdiction | None = None,
    rule_profile: str = "",
) -> Jurisdiction:
    if not actor.is_superuser and not (
        parent is not None and selectors.can_register_agency_in(actor, parent)
    ):
        raise PermissionDenied("只有平台管理员或上级辖区的执法监督人员可以新增辖区。")
    jurisdiction = _save(
        Jurisdiction(
            code=code,
            name=name,
            level=level,
            government_name=government_name,
            parent=parent,
            rule_profile=rule_profile,
        )
    )
    ledger.record(
        "org.create_jurisdiction",
        actor=actor,
        obj=jurisdiction,
        jurisdiction=ledger.snapshot(jurisdiction),
    )
    return jurisdiction


@transaction.atomic
def register_agency(*, actor: User, jurisdiction: Jurisdiction, **fields: Any) -> Agency:
    if not selectors.can_register_agency_in(actor, jurisdiction):
        raise PermissionDenied(
            f"您无权在“{jurisdiction.name}”登记执法主体：执法主体资格由本级政府确认，"
            "由该辖区执法监督机构（司法行政部门）登记。"
        )
    agency = _save(Agency(jurisdiction=jurisdiction, **fields))
    ledger.record("org.register_agency", actor=actor, obj=agency, agency=ledger.snapshot(agency))
    return agency


@transaction.atomic
def abolish_agency(*, actor: User, agency: Agency, on: datetime.date) -> Agency:
    if not selectors.can_register_agency_in(actor, agency.jurisdiction):
        raise PermissionDenied("只有辖区执法监督人员可以撤销执法主体。")
    if agency.status == Agency.Status.ABOLISHED:
        raise ValidationError(f"执法主体“{agency.name}”已于{agency.abolished_on}撤销。")
    before = ledger.snapshot(agency)
    agency.status = Agency.Status.ABOLISHED
    agency.abolished_on = on
    _save(agency)
    ledger.record(
        "org.abolish_agency",
        actor=actor,
        obj=agency,
        agency={"id": agency.pk, "name": agency.name, "uscc": agency.uscc},
        on=on,
        changes=ledger.changes(before, ledger.snapshot(agency)),
    )
    return agency


@transaction.atomic
def create_unit(*, actor: User, agency: Agency, name: str, kind: str) -> Unit:
    _deny_outside(actor, agency)
    unit = _save(Unit(agency=agency, name=name, kind=kind))
    ledger.record("org.create_unit", actor=actor, obj=unit, unit=ledger.snapshot(unit))
    return unit


@transaction.atomic
def register_officer(
    *, actor: User, agency: Agency, unit: Unit | None = None, **fields: Any
) -> Officer:
    _deny_outside(actor, agency)
    officer = _save(Officer(agency=agency, unit=unit, **fields))
    ledger.record(
        "org.register_officer", actor=actor, obj=officer, officer=_officer_snapshot(officer)
    )
    return officer


@transaction.atomic
def record_officer_departure(
    *, actor: User, officer: Officer, on: datetime.date, reason: str
) -> Officer:
    _deny_outside(actor, officer.agency)
    if officer.left_on is not None:
        raise ValidationError(f"{officer.name}已于{officer.left_on}离岗。")
    if not reason.strip():
        raise ValidationError({"left_reason": "请填写离岗原因。"})
    before = _officer_snapshot(officer)
    officer.left_on = on
    officer.left_reason = reason
    _save(officer)
    ledger.record(
        "org.record_officer_departure",
        actor=actor,
        obj=officer,
        officer={"id": officer.pk, "name": officer.name, "agency_id": officer.agency_id},
        on=on,
        reason=reason,
        changes=ledger.changes(before, _officer_snapshot(officer)),
    )
    return officer


@transaction.atomic
def issue_certificate(*, actor: User, officer: Officer, **fields: Any) -> Certificate:
    _deny_outside(actor, officer.agency)
    if officer.left_on is not None:
        raise ValidationError(f"{officer.name}已离岗，不能为其登记执法证。")
    expires_on = fields.get("expires_on")
    if isinstance(expires_on, datetime.date) and expires_on < timezone.localdate():
        raise ValidationError(
            {
                "expires_on": f"该执法证有效期至{expires_on:%Y年%m月%d日}，已过期，不能登记为在用执法证。"
            }
        )
    certificate = _save(Certificate(officer=officer, **fields))
    ledger.record(
        "org.issue_certificate",
        actor=actor,
        obj=certificate,
        certificate=ledger.snapshot(certificate),
    )
    return certificate


@transaction.atomic
def change_certificate_status(
    *, actor: User, certificate: Certificate, status: str, on: datetime.date, reason: str
) -> Certificate:
    """Suspend, revoke or reinstate a certificate; a revocation is final."""
    _deny_outside(actor, certificate.officer.agency)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError(
            f"执法证{certificate.number}已注销/吊销，不能再变更状态，如需执法应重新申领。"
        )
    if status == certificate.status:
        raise ValidationError(
            f"执法证{certificate.number}已是“{certificate.get_status_display()}”状态。"
        )
    if not reason.strip():
        raise ValidationError({"status_reason": "变更执法证状态须写明原因。"})
    before = ledger.snapshot(certificate)
    old_status = certificate.status
    certificate.status = status
    certificate.status_changed_on = on
    certificate.status_reason = reason
    _save(certificate)
    ledger.record(
        "org.change_certificate_status",
        actor=actor,
        obj=certificate,
        certificate={
            "id": certificate.pk,
            "number": certificate.number,
            "officer_id": certificate.officer_id,
        },
        old_status=old_status,
        new_status=certificate.status,
        on=on,
        reason=reason,
        changes=ledger.changes(before, ledger.snapshot(certificate)),
    )
    return certificate


@transaction.atomic
def create_entrustment(*, actor: User, agency: Agency, **fields: Any) -> Entrustment:
    _deny_outside(actor, agency)
    # Lock the agency row so that two overlapping entrustments cannot both pass the check.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    entrustment = _save(Entrustment(agency=agency, **fields))
    ledger.record(
        "org.create_entrustment",
        actor=actor,
        obj=entrustment,
        entrustment=ledger.snapshot(entrustment),
    )
    return entrustment


@transaction.atomic
def terminate_entrustment(
    *, actor: User, entrustment: Entrustment, on: datetime.date, reason: str
) -> Entrustment:
    _deny_outside(actor, entrustment.agency)
    if entrustment.status == Entrustment.Status.TERMINATED:
        raise ValidationError("该委托已终止。")
    if not reason.strip():
        raise ValidationError({"termination_reason": "终止委托须写明原因。"})
    before = ledger.snapshot(entrustment)
    entrustment.status = Entrustment.Status.TERMINATED
    entrustment.terminated_on = on
    entrustment.termination_reason = reason
    _save(entrustment)
    ledger.record(
        "org.terminate_entrustment",
        actor=actor,
        obj=entrustment,
        entrustment={
            "id": entrustment.pk,
            "agency_id": entrustment.agency_id,
            "entrusted_body": entrustment.entrusted_body,
        },
        on=on,
        reason=reason,
        changes=ledger.changes(before, ledger.snapshot(entrustment)),
    )
    return entrustment


@transaction.atomic
def create_account(
    *,
    actor: User,
    agency: Agency,
    username: str,
    password: str,
    full_name: str,
    roles: list[str],
    officer: Officer | None = None,
) -> User:
    _deny_outside(actor, agency)
    if Role.SUPERVISOR in roles and not actor.is_superuser and not actor.has_role(Role.SUPERVISOR):
        raise PermissionDenied("只有执法监督人员或平台管理员可以授予执法监督角色。")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(f"未知角色：{'、'.join(sorted(unknown))}。")
    user = User(username=username, full_name=full_name, agency=agency, officer=officer)
    validate_password(password, user)
    user.set_password(password)
    _save(user)
    for role in roles:
        _save(RoleGrant(user=user, role=role))
    ledger.record(
        "org.create_account",
        actor=actor,
        obj=user,
        user=ledger.snapshot(user, exclude=_ACCOUNT_EXCLUDE),
        roles=sorted(set(roles)),
    )
    return user
