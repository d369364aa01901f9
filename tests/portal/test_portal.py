"""The public portal: lists, look-ups, certificate checks, and nothing private."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from sanxiang.org.models import Agency
from tests.factories import AgencyFactory, CertificateFactory, OfficerFactory, jinshui

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# ----------------------------------------------------------------- home


def test_home_says_what_the_site_is_and_links_the_lists(client, sample):
    response = client.get("/")
    page = text(response)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in page
    assert "行政执法公示平台" in page
    assert reverse("portal:agencies") in page and reverse("portal:officers") in page
    assert 'name="cert"' in page  # the certificate look-up form
    assert "/api/docs" in page and reverse("workbench:home") in page


def test_home_counts_agencies_and_certified_officers(client, sample):
    figures = client.get("/").context["figures"]
    assert figures.agencies == 3
    # valid (city) + 周鲁东 (Zhoucun); expired, suspended, revoked and left do not count.
    assert figures.certified_officers == 2


# ----------------------------------------------------------------- agencies


def test_agency_list_shows_the_published_fields(client, sample):
    page = text(client.get("/agencies/"))
    for agency in (sample.city, sample.district, sample.shandong):
        assert agency.name in page and agency.uscc in page
    assert "行政机关" in page and "法律法规授权的组织" in page
    assert "郑州市金水区人民政府" in page  # 确认机关
    assert "《中华人民共和国行政处罚法》第十七条" in page  # 资格依据
    assert f"{sample.city.confirmed_on.year}年" in page


def test_agency_list_filters_by_jurisdiction_including_lower_levels(client, sample):
    page = text(client.get("/agencies/", {"jurisdiction": "410100"}))
    assert sample.city.name in page and sample.district.name in page
    assert sample.shandong.name not in page
    page = text(client.get("/agencies/", {"jurisdiction": "410105"}))
    assert sample.district.name in page and sample.city.name not in page


def test_agency_list_searches_by_name(client, sample):
    page = text(client.get("/agencies/", {"q": "城市管理"}))
    assert sample.district.name in page
    assert sample.city.name not in page and sample.shandong.name not in page
    assert "没有符合条件的执法主体" in text(client.get("/agencies/", {"q": "不存在的局"}))


def test_agency_list_hides_abolished_agencies(client, sample):
    gone = AgencyFactory(
        name="郑州市已撤销执法局",
        status=Agency.Status.ABOLISHED,
        abolished_on=datetime.date(2024, 6, 1),
    )
    assert gone.name not in text(client.get("/agencies/"))
    detail = text(client.get(f"/agencies/{gone.pk}/"))
    assert "已于 2024年6月1日 撤销" in detail


def test_agency_list_paginates(client, db):
    for n in range(45):
        AgencyFactory(name=f"郑州市测试局{n:02d}")
    first = client.get("/agencies/")
    assert first.context["page"].paginator.num_pages == 3
    assert len(first.context["page"].object_list) == 20
    third = client.get("/agencies/", {"page": 3})
    assert len(third.context["page"].object_list) == 5
    assert "共 45 条" in text(third)
    # Out-of-range or malformed page numbers land on a real page instead of an error.
    assert client.get("/agencies/", {"page": 99}).context["page"].number == 3
    assert client.get("/agencies/", {"page": "abc"}).context["page"].number == 1


def test_agency_detail_shows_units_entrustments_in_force_and_certified_officers(client, sample):
    page = text(client.get(f"/agencies/{sample.city.pk}/"))
    assert sample.city.name in page and "执法稽查科" in page
    # 委托执法 (002 第十条): body, basis, matters, powers, term, liability.
    assert "郑州市某街道综合执法队" in page
    assert "《中华人民共和国行政处罚法》第二十条" in page
    assert "占道经营的行政处罚" in page
    assert "以委托机关名义实施警告和罚款" in page
    assert "委托机关对受委托组织实施行政处罚的后果承担法律责任" in page
    assert "已到期的委托组织" not in page
    # Officers: only those whose certificate is valid today.
    assert "王建国" in page and sample.valid.number in page
    assert "李过期" not in page and "赵暂扣" not in page
    assert "0371-12315000" in page  # the agency's complaint line is public


def test_agency_detail_unknown_is_404_in_chinese(client, db):
    response = client.get("/agencies/999999/")
    assert response.status_code == 404
    assert "页面不存在" in text(response)


# ----------------------------------------------------------------- officers


def test_officer_list_shows_public_fields_of_valid_certificates_only(client, sample):
    page = text(client.get("/officers/"))
    assert "王建国" in page and "郑州市市场监督管理局" in page and "科长" in page
    assert sample.valid.number in page and "市场监管" in page and "郑州市" in page
    assert "周鲁东" in page and "鲁C20000001" in page
    for invalid in ("李过期", "赵暂扣", "钱注销", "孙离岗"):
        assert invalid not in page


def test_officer_pages_never_show_id_numbers_or_phones(client, sample):
    officers = [sample.officer, sample.expired.officer, sample.suspended.officer]
    pages = [
        text(client.get("/officers/")),
        text(client.get("/officers/", {"q": "王建国"})),
        text(client.get(f"/agencies/{sample.city.pk}/")),
        text(client.get(f"/officers/{sample.valid.number}/")),
        text(client.get(f"/officers/{sample.expired.number}/")),
    ]
    for page in pages:
        for officer in officers:
            assert officer.id_number not in page
        assert "13800138000" not in page
        assert "身份证" not in page


def test_officer_search_by_name_and_by_certificate_number(client, sample):
    page = text(client.get("/officers/", {"q": "王建"}))
    assert "王建国" in page and "周鲁东" not in page
    page = text(client.get("/officers/", {"q": "鲁C2000"}))
    assert "周鲁东" in page and "王建国" not in page
    page = text(client.get("/officers/", {"q": "李过期"}))  # invalid certificates are not listed
    assert "没有找到" in page


def test_officer_list_paginates_with_a_bounded_number_of_queries(
    client, db, django_assert_max_num_queries
):
    agency = AgencyFactory(name="郑州市大型执法局")
    today = datetime.date.today()
    for n in range(45):
        CertificateFactory(
            officer=OfficerFactory(agency=agency, name=f"执法员{n:02d}"),
            number=f"豫B{n:08d}",
            issued_on=today - datetime.timedelta(days=10),
            expires_on=today + datetime.timedelta(days=500),
        )
    with django_assert_max_num_queries(4):
        response = client.get("/officers/", {"page": 3})
    page = response.context["page"]
    assert page.paginator.count == 45 and page.paginator.num_pages == 3
    assert len(page.object_list) == 5
    assert "执法员44" in text(response) and "执法员00" not in text(response)


def test_lookup_form_redirects_to_the_certificate_page(client, sample):
    response = client.get("/officers/", {"cert": f"  {sample.valid.number} "})
    assert response.status_code == 302
    assert response["Location"] == f"/officers/{quote(sample.valid.number)}/"


def test_lookup_form_rejects_what_cannot_be_a_number(client, sample):
    response = client.get("/officers/", {"cert": "a/b<script>"})
    assert response.status_code == 200
    assert "执法证号由4至32位字母、数字、汉字或连字符组成" in text(response)
    assert "<script>" not in text(response)
    assert "请输入执法证号" in text(client.get("/officers/", {"cert": ""}))


# ----------------------------------------------------------------- certificate check


def test_valid_certificate_says_valid_today(client, sample):
    response = client.get(f"/officers/{sample.valid.number}/")
    page = text(response)
    assert response.status_code == 200
    assert response.context["check"].valid is True
    assert 'data-testid="verdict">有效<' in page
    for shown in (
        "王建国",
        "郑州市市场监督管理局",
        "科长",
        "市场监管",
        "郑州市",
        sample.valid.number,
    ):
        assert shown in page
    expires = sample.valid.expires_on
    assert f"{expires.year}年{expires.month}月{expires.day}日" in page
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_expired_certificate_says_invalid_with_the_date(client, sample):
    page = text(client.get(f"/officers/{sample.expired.number}/"))
    expired = sample.expired.expires_on
    assert 'data-testid="verdict">无效<' in page
    assert f"执法证已于{expired:%Y年%m月%d日}过期" in page
    assert "李过期" in page


def test_suspended_certificate_says_invalid(client, sample):
    page = text(client.get(f"/officers/{sample.suspended.number}/"))
    assert 'data-testid="verdict">无效<' in page and "执法证已被暂扣" in page
    assert "内部调查" not in page  # the internal reason is not published


def test_revoked_certificate_says_invalid(client, sample):
    page = text(client.get(f"/officers/{sample.revoked.number}/"))
    assert 'data-testid="verdict">无效<' in page and "执法证已被注销或吊销" in page


def test_certificate_of_an_officer_who_left_says_invalid(client, sample):
    page = text(client.get(f"/officers/{sample.left.number}/"))
    assert 'data-testid="verdict">无效<' in page and "持证人已离岗" in page


def test_unknown_certificate_is_a_chinese_404(client, sample):
    response = client.get("/officers/豫A99999999/")
    assert response.status_code == 404
    page = text(response)
    assert "未查询到执法证号为" in page and "豫A99999999" in page
    assert "请核对证号" in page and "12345" in page


def test_certificate_number_typed_in_lower_case_is_found(client, sample):
    CertificateFactory(officer=OfficerFactory(agency=sample.district), number="ZZJS0001")
    response = client.get("/officers/zzjs0001/")
    assert response.status_code == 200 and "ZZJS0001" in text(response)


def test_certificate_page_is_reachable_for_district_certificates(client, db):
    agency = AgencyFactory(name="郑州市金水区市场监督管理局", jurisdiction=jinshui())
    cert = CertificateFactory(officer=OfficerFactory(agency=agency, name="吴金水"))
    page = text(client.get(reverse("portal:certificate", args=[cert.number])))
    assert "吴金水" in page and agency.name in page


# ----------------------------------------------------------------- error pages


def test_unknown_page_is_a_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = text(response)
    assert "页面不存在" in page and '<html lang="zh-CN">' in page


def test_500_page_stands_alone_in_chinese():
    page = render_to_string("500.html")
    assert "系统暂时无法处理您的请求" in page and 'lang="zh-CN"' in page
