"""A crawler walks every public page of a seeded portal — following links from the home
page, same host, GET only, bounded — the PDFs it links to, and every public API response,
and finds no party's ID number, phone, address or bank account that 000 公示办法 第十七条
requires hidden (read from the parties in the database, with the spellings a page might
use: see ``personal_values``).

This guards the design invariant "nothing reaches the public portal without passing
redaction and the confidentiality review" (000 公示办法 第五条、第十七条). The second test
shows the crawler can fail: a version carrying an unredacted value is caught.
"""

from __future__ import annotations

import io
import json
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from sanxiang.disclosure.models import ConfidentialityReview, PublicationVersion
from sanxiang.disclosure.search import index_publication
from sanxiang.org.models import Certificate
from tests.portal.decisions_seed import (
    company,
    person,
    personal_values,
    portal_world,
    publish,
    withdraw,
)

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
# Staff pages and machinery, not the public portal.
SKIPPED_PREFIXES = ("/workbench/", "/accounts/", "/admin/", "/static/", "/api/docs")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    leaks: list[tuple[str, str]] = field(default_factory=list)


def _text_of(url: str, response) -> str:
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(response.content))
        text = "".join(page.extract_text() or "" for page in reader.pages).replace("\x00", "")
        return text + "\n" + "".join(text.split())  # with and without the layout's spaces
    body = response.content.decode()
    if content_type.startswith("application/json"):
        return json.dumps(json.loads(body), ensure_ascii=False)  # no \\uXXXX
    return body


def _check(crawl: Crawl, url: str, text: str, values: list[str]) -> None:
    crawl.visited.append(url)
    for value in values:
        if value in text:
            crawl.leaks.append((url, value))


def crawl_portal(client: Client, values: list[str]) -> Crawl:
    crawl = Crawl()
    queue: deque[str] = deque(["/"])
    seen = {"/"}
    while queue and len(crawl.visited) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in (301, 302):
            target = urljoin(url, response["Location"])
            if target not in seen and not urlsplit(target).netloc:
                seen.add(target)
                queue.append(target)
            continue
        assert response.status_code in (200, 404, 410), (url, response.status_code)
        text = _text_of(url, response)
        _check(crawl, url, text, values)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(text)
        for href in parser.links:
            link, _fragment = urldefrag(urljoin(url, href))
            parts = urlsplit(link)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue  # another site: not ours to walk
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(SKIPPED_PREFIXES) or path in seen:
                continue
            seen.add(path)
            queue.append(path)
    # Every public API response (the schema itself is no data).
    api_urls = ["/api/public/decisions?limit=100"]
    listing = client.get(api_urls[0]).json()
    api_urls += [f"/api/public/decisions/{item['id']}" for item in listing["items"]]
    api_urls += [f"/api/public/decisions?q={q}" for q in ("罚款", "奶粉", "当事人")]
    api_urls += [
        f"/api/public/certificates/{number}"
        for number in Certificate.objects.values_list("number", flat=True)[:50]
    ]
    for url in api_urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        _check(crawl, url, _text_of(url, response), values)
    return crawl


@pytest.fixture
def seeded():
    cache.clear()
    portal = portal_world()
    publish(
        portal, party=person(0), facts="当事人销售超过保质期的奶粉，货值金额八百元", made_ago=40
    )
    publish(portal, party=company(1), facts="当事人占用人行道摆放桌椅经营烧烤", made_ago=30)
    publish(
        portal, party=person(2), facts="当事人未取得食品经营许可，在家中制作销售糕点", made_ago=20
    )
    publish(portal, party=company(3), facts="当事人发布含有虚假内容的广告", made_ago=10)
    withdrawn = publish(portal, party=person(1), facts="当事人超范围经营", made_ago=5)
    withdraw(portal, withdrawn)
    yield portal
    cache.clear()


def test_no_public_page_or_api_response_holds_a_partys_personal_values(client, seeded) -> None:
    values = personal_values()
    assert "410105198003071235" in values and "13912345678" in values
    assert "郑州市金水区花园路88号院3号楼" in values and "6222021702001234567" in values
    assert "411060100100012345" in values  # a company's bank account
    assert "410105197706150031" in values  # its legal representative's ID number
    crawl = crawl_portal(client, values)
    # it did walk the decisions: the search, each page and each PDF
    for publication in seeded.publications[:4]:
        assert f"/decisions/{publication.pk}/" in crawl.visited
        assert f"/decisions/{publication.pk}/pdf/" in crawl.visited
        assert f"/api/public/decisions/{publication.pk}" in crawl.visited
    assert "/decisions/" in crawl.visited
    assert crawl.leaks == []


def test_the_crawler_catches_an_unredacted_value(client, seeded) -> None:
    publication = seeded.publications[0]
    current = publication.current_version
    assert current is not None
    # A version that bypassed the redaction (versions are append-only: a new one).
    review = ConfidentialityReview.objects.create(
        publication=publication,
        purpose=ConfidentialityReview.Purpose.CORRECTION,
        status=ConfidentialityReview.Status.APPROVED,
        original_fields=current.fields,
        original_text=current.full_text,
        fields=current.fields,
        final_text=current.full_text,
    )
    leaked = PublicationVersion.objects.create(
        publication=publication,
        number=current.number + 1,
        fields=current.fields,
        full_text=current.full_text.replace("[身份证号码已隐去]", "410105198003071235"),
        review=review,
        reason="更正",
        made_by=seeded.publisher,
        made_at=timezone.now(),
    )
    publication.current_version = leaked
    publication.save(update_fields=["current_version"])
    index_publication(publication)
    crawl = crawl_portal(client, personal_values())
    leaked_urls = {url for url, value in crawl.leaks if value == "410105198003071235"}
    assert f"/decisions/{publication.pk}/" in leaked_urls
    assert f"/decisions/{publication.pk}/pdf/" in leaked_urls
    assert f"/api/public/decisions/{publication.pk}" in leaked_urls
