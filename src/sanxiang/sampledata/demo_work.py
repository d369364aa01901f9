"""The demo's work beyond cases, done through the real services by the demo accounts, so
that every page has something to show: decisions published after the confidentiality
review (the portal's search), a correction request waiting for an answer, case files due
for the custodian, a confidentiality mark, and a 双随机 draw with its tasks.

Each part runs once: a re-run finds its traces and does nothing again.
"""

from __future__ import annotations

import datetime
import io
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanxiang.access import services as access_services
from sanxiang.access.models import ConfidentialityMark
from sanxiang.archives.services import register_due_case_files
from sanxiang.cases.models import Evidence
from sanxiang.catalog.models import ItemStatus, RandomInspectionItem
from sanxiang.disclosure import services as disclosure_services
from sanxiang.disclosure.models import CorrectionRequest, Publication
from sanxiang.disclosure.public_requests import CorrectionInput, submit_correction_request
from sanxiang.documents.layout import Document, Paragraph
from sanxiang.documents.render import render_pdf
from sanxiang.inspections import services as inspection_services
from sanxiang.inspections.models import InspectionTarget, RandomInspection
from sanxiang.org.demo import DEMO_AGENCY, DEMO_SEED
from sanxiang.org.models import Agency, Unit, User
from sanxiang.org.seed import Writer
from sanxiang.sampledata.cases import enterprise_uscc

DEMO_PUBLISHED = 12
DEMO_TARGETS = 24


def _say(stdout: Writer | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _publish(agency: Agency, publisher: User, stdout: Writer | None) -> int:
    created = disclosure_services.create_due_publications()
    published = Publication.objects.filter(agency=agency, published_at__isnull=False)
    if published.exists():
        return created
    done = 0
    waiting = Publication.objects.filter(
        agency=agency, status=Publication.Status.AWAITING_REVIEW
    ).order_by("-decided_on", "id")
    for publication in waiting[: DEMO_PUBLISHED * 2]:
        review = publication.reviews.filter(status="open").order_by("-id").first()
        if review is None:
            continue
        try:
            disclosure_services.approve_review(
                actor=publisher,
                review=review,
                seen_digest=disclosure_services.review_digest(review),
            )
            disclosure_services.publish_publication(actor=publisher, publication=publication)
        except (ValidationError, PermissionDenied):
            continue  # left for the publisher to review by hand in the demo
        done += 1
        if done == DEMO_PUBLISHED:
            break
    _say(stdout, f"演示公示：生成 {created} 条执法决定公示，{publisher} 审查并公开 {done} 条。")
    return created + done


def _proof_pdf() -> bytes:
    return render_pdf(
        Document(
            title="营业执照（副本）复印件",
            date=timezone.localdate(),
            blocks=(Paragraph(text="演示用证明材料：当事人名称以营业执照记载为准。"),),
        )
    )


def _correction(agency: Agency, stdout: Writer | None) -> int:
    if CorrectionRequest.objects.filter(agency=agency).exists():
        return 0
    publication = (
        Publication.objects.filter(agency=agency, published_at__isnull=False).order_by("id").first()
    )
    about = publication.document_number if publication else f"{agency.name}公示的执法决定信息"
    _, code = submit_correction_request(
        data=CorrectionInput(
            agency=agency,
            information=f"{about}行政执法决定信息",
            inaccuracy="公示的行政相对人名称少了“有限”二字",
            requested_correction="按营业执照更正行政相对人名称",
            requester_kind=CorrectionRequest.RequesterKind.LEGAL_PERSON,
            requester_name="郑州演示商贸有限公司",
            contact_phone="0371-60000000",
        ),
        files=[SimpleUploadedFile("营业执照.pdf", _proof_pdf(), "application/pdf")],
    )
    _say(stdout, f"演示更正申请：已提交 1 件（查询码 {code}），待公示审核人员答复。")
    return 1


def _mark(agency: Agency, officer: User) -> int:
    if ConfidentialityMark.objects.filter(case__agency=agency).exists():
        return 0
    evidence = (
        Evidence.objects.filter(case__agency=agency, case__officers__officer=officer.officer)
        .order_by("id")
        .first()
    )
    if evidence is None:
        return 0
    try:
        access_services.set_mark(
            actor=officer,
            item=evidence,
            level="privacy",
            reason="含当事人家庭住址和身份证件影像",
        )
    except (ValidationError, PermissionDenied):
        return 0
    return 1


def _draw(agency: Agency, head: User, stdout: Writer | None) -> int:
    if RandomInspection.objects.filter(agency=agency).exists():
        return 0
    today = timezone.localdate()
    matter = (
        RandomInspectionItem.objects.filter(agency=agency, status=ItemStatus.PUBLISHED)
        .order_by("id")
        .first()
    )
    unit = Unit.objects.filter(agency=agency, kind=Unit.Kind.HANDLING, is_active=True).first()
    if matter is None or unit is None:
        return 0
    category = "食品经营"
    if not InspectionTarget.objects.filter(agency=agency).exists():
        rows = io.StringIO()
        rows.write("类型,名称,统一社会信用代码,身份证号码,法定代表人,地址,行业类别\n")
        rng = random.Random(f"{DEMO_SEED}/inspection-targets")
        for n in range(1, DEMO_TARGETS + 1):
            uscc = enterprise_uscc(rng, "91", "410105")
            rows.write(
                f"法人,郑州演示食品经营第{n}店有限公司,{uscc},,"
                f"演示{n}号,郑州市金水区演示路{n}号,{category}\n"
            )
        rows.seek(0)
        inspection_services.import_targets(actor=head, agency=agency, stream=rows)
    try:
        inspection = inspection_services.plan_inspection(
            actor=head,
            agency=agency,
            matter=matter,
            title=f"{today.year}年第四季度{matter.name}随机抽查",
            period_start=today,
            period_end=today + datetime.timedelta(days=30),
            target_category=category,
        )
        draw = inspection_services.fix_seed(actor=head, inspection=inspection)
        draw = inspection_services.run_draw(actor=head, draw=draw)
        cases = inspection_services.create_inspection_tasks(actor=head, draw=draw, unit=unit)
    except (ValidationError, PermissionDenied) as exc:
        _say(stdout, f"演示双随机抽查未完成：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
        return 0
    _say(
        stdout,
        f"演示双随机抽查：抽取并派发 {len(cases)} 项检查任务（/agencies/{agency.pk}/random-inspections/draws/）。",
    )
    return 1 + len(cases)


def seed_demo_work(stdout: Writer | None) -> int:
    """Run after the demo cases; the number of rows of work done."""
    agency = Agency.objects.filter(jurisdiction__code=DEMO_AGENCY[0], name=DEMO_AGENCY[1]).first()
    if agency is None:
        return 0
    accounts = {u.username: u for u in User.objects.filter(agency=agency)}
    done = 0
    if "publisher" in accounts:
        done += _publish(agency, accounts["publisher"], stdout)
    done += _correction(agency, stdout)
    custodian = accounts.get("custodian")
    done += register_due_case_files(actor=custodian, agency=agency)
    if "officer" in accounts:
        done += _mark(agency, accounts["officer"])
    if "head" in accounts:
        done += _draw(agency, accounts["head"], stdout)
    return done
