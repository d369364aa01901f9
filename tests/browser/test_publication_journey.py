"""事后公开 in headless Chromium, each person in their own browser: the agency head issues a
penalty decision → the publisher reviews the redacted draft (every detection highlighted,
the original beside it), adds one redaction, approves and publishes → the public finds it in
the portal search and reads it → the head records that it was revoked → the publisher
withdraws it → the public page shows the withdrawal notice and the search no longer lists
it (000 公示办法 第五条、第十七条、第二十条、第二十一条).

The case is walked to "ready to issue" through the services (tests.disclosure.
publication_helpers); issuing and everything after is done in the browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from sanxiang.core.calendar_seed import seed_years
from sanxiang.disclosure.models import Publication
from tests.browser.case_steps import _ok, fire, goto_case, login
from tests.browser.test_journeys import shot
from tests.cases.factories import World, make_world
from tests.disclosure.publication_helpers import PARTY_ADDRESS, publisher, ready_to_issue
from tests.review.helpers import make_reviewers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HIDDEN = "现场照片"  # the stretch the publisher hides by hand


@pytest.fixture
def world() -> World:
    # Transactional tests start from flushed tables: re-seed the working-day calendar.
    today = timezone.localdate()
    seed_years(2024, today.year)
    return make_world()


@pytest.fixture
def pages(browser: Any) -> Iterator[list[Any]]:
    opened: list[Any] = []
    yield opened
    for page in opened:
        page.context.close()


def _open(browser: Any, pages: list[Any], base: str, username: str | None) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    pages.append(page)
    if username:
        login(page, base, username)
    return page


def test_issue_review_publish_search_revoke_withdraw(
    live_server: Any, browser: Any, pages: list[Any], world: World
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    case, _decision = ready_to_issue(world, make_reviewers(world))
    p = publisher(world)
    head = _open(browser, pages, base, world.head.username)
    pub = _open(browser, pages, base, p.username)
    public = _open(browser, pages, base, None)

    # The head issues the decision: its publication appears in the publisher's queue.
    goto_case(head, base, case.pk)
    fire(head, "issue")
    publication = Publication.objects.get()
    pub.goto(f"{base}/staff/")
    expect(pub.get_by_test_id("publication-counts")).to_contain_text("1")
    pub.get_by_test_id("nav-publications").click()
    pub.get_by_test_id("publications").get_by_role("link", name=publication.document_number).click()

    # The review page: the redacted text with every detection marked, the original beside it.
    redacted = pub.get_by_test_id("redacted-text")
    marks = redacted.locator("mark")
    spans = publication.reviews.get().spans
    assert spans
    expect(marks).to_have_count(len(spans))  # waits for the page, unlike count()
    detected = len(spans)
    expect(redacted).not_to_contain_text(PARTY_ADDRESS)
    expect(pub.get_by_test_id("original-text")).to_contain_text(PARTY_ADDRESS)
    shot(pub, "publication-review")

    # Approving before looking again after a change is not possible: add one redaction.
    # Selecting the words in the original fills in the form (offsets in the original).
    pub.evaluate(
        """(needle) => {
            const pre = document.getElementById("original-text");
            const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(needle);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + needle.length);
                    const sel = window.getSelection();
                    sel.removeAllRanges();
                    sel.addRange(range);
                    return;
                }
            }
        }""",
        HIDDEN,
    )
    form = pub.get_by_test_id("add-redaction")
    expect(form.get_by_label("要隐去的文字")).to_have_value(HIDDEN)
    assert form.locator('input[name="start"]').input_value() != ""
    form.get_by_label("隐去类型").select_option("other")
    form.get_by_role("button", name="隐去").click()
    _ok(pub)
    expect(pub.get_by_test_id("redacted-text")).not_to_contain_text(HIDDEN)
    assert pub.get_by_test_id("redacted-text").locator("mark").count() > detected

    approve = pub.get_by_test_id("approve")
    approve.get_by_role("checkbox").check()
    approve.get_by_role("button", name="保密审查通过").click()
    _ok(pub)
    pub.get_by_test_id("publish").click()
    _ok(pub)
    expect(pub.get_by_test_id("status")).to_have_text("已公开")
    expect(pub.get_by_test_id("versions")).to_contain_text("第1版")

    # The public finds it in the portal search and reads the redacted decision.
    public.goto(f"{base}/decisions/?q=食品经营许可")
    listing = public.locator("ol.decision-list")
    expect(listing).to_contain_text(publication.document_number)
    listing.get_by_role("link").first.click()
    expect(public.locator("main")).to_contain_text("赵某")
    expect(public.locator("main")).not_to_contain_text(PARTY_ADDRESS)
    expect(public.locator("main")).not_to_contain_text(HIDDEN)
    shot(public, "publication-public")

    # The decision is revoked on administrative reconsideration: the head records it …
    head.goto(f"{base}/staff/publications/{publication.pk}/")
    revoke = head.get_by_test_id("revoke-form")
    revoke.get_by_label("撤下原因").select_option("revoked")
    revoke.get_by_label("情况说明").fill("经行政复议决定撤销")
    revoke.get_by_role("button", name="登记").click()
    _ok(head)
    expect(head.get_by_test_id("status")).to_have_text("待撤下")

    # … and the publisher takes it down.
    pub.goto(f"{base}/staff/publications/{publication.pk}/")
    pub.get_by_test_id("withdraw").click()
    _ok(pub)
    expect(pub.get_by_test_id("withdrawal-notice")).to_contain_text("撤下")

    public.goto(f"{base}/decisions/{publication.pk}/")
    expect(public.locator("main")).to_contain_text("已于")
    expect(public.locator("main")).to_contain_text("经行政复议决定撤销")
    expect(public.locator("main")).not_to_contain_text("食品经营许可")
    shot(public, "publication-withdrawn")
    public.goto(f"{base}/decisions/?q=食品经营许可")
    expect(public.locator("ol.decision-list")).not_to_contain_text(publication.document_number)
