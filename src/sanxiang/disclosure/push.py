"""Pushing published decisions to the unified disclosure platform (000 公示办法 第十八条,
001 河南公示办法 第十九条: 及时、准确的将本机关行政执法信息推送至统一的执法信息公示平台).

An outbox: ``enqueue`` adds, set-based, a `PushRecord` for every published version and
every withdrawal of a licensing or penalty decision that has none yet; ``push_due`` sends
the due ones in batches as JSON (the 双公示 data items of ``exports``) and records, per
record, whether it arrived; a failure is retried later with a growing delay, and a person
can ask for an immediate retry. Each run and each retry is one ledger entry.
"""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sanxiang.org.models import Role, User
from sanxiang.records import ledger

from .exports import EXPORT_ACTION_TYPES, ExportLeak, build_row, labelled
from .models import Publication, PublicationVersion, PushRecord

BATCH = 200
MAX_DELAY = datetime.timedelta(hours=24)
SOURCE = "000 公示办法 第十八条；001 河南公示办法 第十九条"

#: Sends one batch; returns nothing on success, raises PushFailed otherwise.
Sender = Callable[[list[dict[str, object]]], None]


class PushFailed(RuntimeError):
    pass


class PushNotConfigured(RuntimeError):
    pass


def retry_delay(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes after each failure, at most a day."""
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_DELAY)


def http_sender(url: str, token: str = "", timeout: float = 30.0) -> Sender:
    def send(items: list[dict[str, object]]) -> None:
        body = json.dumps({"records": items}, ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=body, method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if not 200 <= response.status < 300:
                    raise PushFailed(f"省级平台返回 HTTP {response.status}")
        except urllib.error.HTTPError as exc:
            raise PushFailed(f"省级平台返回 HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise PushFailed(f"无法连接省级平台：{exc}") from exc

    return send


def configured_sender() -> Sender:
    url = getattr(settings, "SANXIANG_PUSH_URL", "")
    if not url:
        raise PushNotConfigured(
            "未配置统一执法信息公示平台的接收地址（环境变量 SANXIANG_PUSH_URL），不能推送。"
        )
    return http_sender(url, getattr(settings, "SANXIANG_PUSH_TOKEN", ""))


@transaction.atomic
def enqueue(*, now: datetime.datetime | None = None, limit: int = 100_000) -> int:
    """Add the missing push records, set-based (a few queries per batch at any scale)."""
    now = now or timezone.now()
    versions = PublicationVersion.objects.filter(
        publication__action_type__in=EXPORT_ACTION_TYPES
    ).exclude(
        Exists(
            PushRecord.objects.filter(
                version=OuterRef("pk"), operation=PushRecord.Operation.PUBLISH
            )
        )
    )
    new = [
        PushRecord(
            publication_id=pub_id,
            version_id=pk,
            operation=PushRecord.Operation.PUBLISH,
            next_attempt_at=now,
        )
        for pk, pub_id in versions.order_by("pk").values_list("pk", "publication_id")[:limit]
    ]
    withdrawn = Publication.objects.filter(
        action_type__in=EXPORT_ACTION_TYPES,
        status=Publication.Status.WITHDRAWN,
        current_version__isnull=False,
    ).exclude(
        Exists(
            PushRecord.objects.filter(
                publication=OuterRef("pk"), operation=PushRecord.Operation.WITHDRAW
            )
        )
    )
    new += [
        PushRecord(
            publication_id=pk,
            version_id=version_id,
            operation=PushRecord.Operation.WITHDRAW,
            next_attempt_at=now,
        )
        for pk, version_id in withdrawn.order_by("pk").values_list("pk", "current_version_id")[
            :limit
        ]
    ]
    PushRecord.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    if new:
        ledger.record(
            "disclosure.enqueue_push",
            actor=None,
            label="系统（推送任务）",
            records=len(new),
            source=SOURCE,
        )
    return len(new)


@dataclass(frozen=True)
class PushRun:
    sent: int
    failed: int
    refused: int  # rows that would have leaked a personal value: never sent


def _item(record: PushRecord) -> dict[str, object]:
    publication = record.publication
    row = labelled(publication.action_type, build_row(publication, record.version))
    return {
        "记录标识": f"{publication.agency.uscc}-{publication.pk}-{record.version.number}",
        "操作": record.get_operation_display(),
        "类别": "行政处罚" if publication.action_type == "penalty" else "行政许可",
        "数据": row,
    }


def push_due(*, sender: Sender, now: datetime.datetime | None = None, limit: int = 1000) -> PushRun:
    """Send the due records in batches; each batch's outcome is one transaction and one
    ledger entry (the records are locked so two runners never send the same one)."""
    sent = failed = refused = 0
    now = now or timezone.now()
    remaining = limit
    while remaining > 0:
        with transaction.atomic():
            due_ids = list(
                PushRecord.objects.select_for_update(skip_locked=True)
                .filter(
                    status__in=[PushRecord.Status.PENDING, PushRecord.Status.FAILED],
                    next_attempt_at__lte=now,
                )
                .order_by("next_attempt_at", "id")
                .values_list("id", flat=True)[: min(BATCH, remaining)]
            )
            if not due_ids:
                break
            remaining -= len(due_ids)
            batch = list(
                PushRecord.objects.filter(id__in=due_ids)
                .select_related(
                    "publication__agency__jurisdiction",
                    "publication__source_record",
                    "publication__case__matter",
                    "version",
                )
                .prefetch_related("publication__case__parties")
                .order_by("id")
            )
            items: list[dict[str, object]] = []
            ready: list[PushRecord] = []
            for record in batch:
                try:
                    items.append(_item(record))
                    ready.append(record)
                except ExportLeak as exc:
                    _fail(record, str(exc), now, give_up=True)
                    refused += 1
            error = ""
            if items:
                try:
                    sender(items)
                except PushFailed as exc:
                    error = str(exc)[:500]
            for record in ready:
                if error:
                    _fail(record, error, now)
                else:
                    record.status = PushRecord.Status.SENT
                    record.attempts += 1
                    record.sent_at = now
                    record.last_error = ""
                    record.save(update_fields=["status", "attempts", "sent_at", "last_error"])
            failed += len(ready) if error else 0
            sent += 0 if error else len(ready)
            ledger.record(
                "disclosure.push_batch",
                actor=None,
                label="系统（推送任务）",
                records=[r.pk for r in batch],
                sent=0 if error else len(ready),
                failed=len(ready) if error else 0,
                refused=len(batch) - len(ready),
                error=error,
                source=SOURCE,
            )
        if error:
            break  # the platform is down: the rest waits for the next run
    return PushRun(sent=sent, failed=failed, refused=refused)


def _fail(record: PushRecord, error: str, now: datetime.datetime, give_up: bool = False) -> None:
    record.status = PushRecord.Status.FAILED
    record.attempts += 1
    record.last_error = error[:500]
    # A row that would leak waits for a person (a correction creates a new version).
    record.next_attempt_at = now + (MAX_DELAY * 365 if give_up else retry_delay(record.attempts))
    record.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


RETRY_ROLES = (Role.PUBLISHER, Role.AGENCY_HEAD)


@transaction.atomic
def retry_now(*, actor: User, records: Sequence[PushRecord]) -> int:
    """A person asks for failed records of their agency to be sent at the next run."""
    if actor.agency_id is None or not any(actor.has_role(r) for r in RETRY_ROLES):
        raise PermissionDenied("只有公示审核人员或者机关负责人可以重新推送。")
    ids = [r.pk for r in records]
    qs = PushRecord.objects.filter(
        pk__in=ids,
        publication__agency_id=actor.agency_id,
        status=PushRecord.Status.FAILED,
    )
    if qs.count() != len(ids):
        raise ValidationError("只能重新推送本机关推送失败的记录。")
    changed = qs.update(next_attempt_at=timezone.now())
    ledger.record("disclosure.retry_push", actor=actor, records=ids, source=SOURCE)
    return changed
