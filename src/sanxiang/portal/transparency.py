"""台账检查点公示: the platform's signing key and its signed ledger checkpoints, with how
anyone can check them. Shows only hashes and signatures, never ledger content."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanxiang.portal.pagination import paginate
from sanxiang.records import checkpoints, keys, ledger_selectors, proofs

CHECKPOINTS_PER_PAGE = 20


@require_GET
def transparency(request: HttpRequest) -> HttpResponse:
    key = keys.public_key()
    page = paginate(
        request, ledger_selectors.checkpoints_newest_first(), per_page=CHECKPOINTS_PER_PAGE
    )
    rows = [
        {
            "checkpoint": cp,
            "message": checkpoints.checkpoint_message(cp).decode("utf-8"),
        }
        for cp in page.object_list
    ]
    return render(
        request,
        "portal/transparency.html",
        {
            "page": page,
            "rows": rows,
            "key_id": keys.key_id(key) if key is not None else "",
            "public_key_pem": keys.public_key_pem(key) if key is not None else "",
            "ledger_size": proofs.ledger_size(),
            "message_header": checkpoints.MESSAGE_HEADER,
        },
    )
