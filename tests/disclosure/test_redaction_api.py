"""The public API of ``sanxiang.disclosure.redaction``: value types, their validation, spans
and their re-application, and properties that hold for any text."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.disclosure.redaction import (
    PartyFacts,
    Redaction,
    RedactionError,
    Span,
    apply_spans,
    mask_name,
    redact,
)

ID = "410105199001011233"


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张某"), ("张三丰", "张某"), ("欧阳娜娜", "欧阳某"), ("司马光", "司马某"), ("", "")],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_from_mapping_takes_every_field() -> None:
    party = PartyFacts.from_mapping(
        {
            "kind": "legal_person",
            "name": " 某公司 ",
            "id_number": None,
            "uscc": "91410100MA44XXXX3X",
            "representative": "李四",
            "representative_id_number": ID,
            "property_certificates": ["郑房权证金字第1号", " "],
        }
    )
    assert party == PartyFacts(
        kind="legal_person",
        name="某公司",
        uscc="91410100MA44XXXX3X",
        representative="李四",
        representative_id_number=ID,
        property_certificates=("郑房权证金字第1号",),
    )
    assert PartyFacts.from_mapping({}) == PartyFacts()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id_no": ID}, "未知字段 id_no"),
        ({"phone": 13800138000}, "“联系电话”（phone）应为字符串"),
        ({"property_certificates": "郑房权证金字第1号"}, "应为列表"),
        ({"property_certificates": [1]}, "每一项应为字符串"),
        ({"kind": "person"}, "当事人类型“person”无效"),
    ],
)
def test_from_mapping_refuses_bad_input_with_a_chinese_message(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(RedactionError, match=message):
        PartyFacts.from_mapping(data)


def test_from_mapping_refuses_a_non_mapping() -> None:
    with pytest.raises(RedactionError, match="应为对象"):
        PartyFacts.from_mapping(["张三"])  # type: ignore[arg-type]


def test_party_facts_are_frozen_and_keyword_only() -> None:
    party = PartyFacts(name="张三")
    with pytest.raises(dataclasses.FrozenInstanceError):
        party.name = "李四"  # type: ignore[misc]
    with pytest.raises(TypeError):
        PartyFacts("natural_person")  # type: ignore[misc]


def test_a_list_of_certificates_becomes_a_tuple_and_parties_may_be_any_iterable() -> None:
    party = PartyFacts(property_certificates=["郑房权证金字第1234567号"])  # type: ignore[arg-type]
    assert party.property_certificates == ("郑房权证金字第1234567号",)
    result = redact("房屋郑房权证金字第1234567号。", (p for p in [party]))
    assert result.text == "房屋[权属证书编号已隐去]。"


def test_redact_refuses_what_is_not_a_party_or_a_list_of_strings() -> None:
    with pytest.raises(RedactionError, match="PartyFacts"):
        redact("张三", [{"name": "张三"}])  # type: ignore[list-item]
    with pytest.raises(RedactionError, match="keep 应为字符串的列表"):
        redact("张三", keep="0371-67188888")


def test_span_validation() -> None:
    with pytest.raises(RedactionError):
        Span(3, 3, "phone", "detector", "x")
    with pytest.raises(RedactionError, match="未知的隐去类型"):
        Span(0, 1, "secret", "detector", "x")
    with pytest.raises(RedactionError, match="未知的隐去来源"):
        Span(0, 1, "phone", "publisher", "x")


def test_apply_spans_after_a_publisher_adjusts_them() -> None:
    text = "当事人张三，电话13800138000，住所郑州市金水区农业路1号。"
    result = redact(text, [PartyFacts(kind="natural_person", name="张三")])
    assert result.text == "当事人张某，电话[联系电话已隐去]，住所[住址已隐去]。"
    # The publisher decides the address is an office, public: drop that span.
    spans = [s for s in result.spans if s.type != "address"]
    assert (
        apply_spans(text, spans) == "当事人张某，电话[联系电话已隐去]，住所郑州市金水区农业路1号。"
    )


def test_apply_spans_refuses_overlapping_unsorted_or_out_of_range_spans() -> None:
    a = Span(0, 4, "phone", "detector", "[x]")
    b = Span(2, 6, "phone", "detector", "[y]")
    with pytest.raises(RedactionError, match="重叠或未按顺序"):
        apply_spans("0123456789", [a, b])
    with pytest.raises(RedactionError, match="重叠或未按顺序"):
        apply_spans("0123456789", [b, Span(0, 1, "phone", "detector", "")])
    with pytest.raises(RedactionError, match="超出正文长度"):
        apply_spans("012", [a])


def test_overlapping_findings_become_one_span() -> None:
    # The party's phone sits inside an address a detector found: one span covers both.
    party = PartyFacts(phone="13800138000")
    text = "住址：郑州市金水区花园路1号（电话13800138000）院内，"
    result = redact(text, [party])
    assert len(result.spans) == 1 or all(
        a.end <= b.start for a, b in zip(result.spans, result.spans[1:], strict=False)
    )
    assert "13800138000" not in result.text


def test_redaction_is_a_plain_value() -> None:
    result = redact("无个人信息。")
    assert result == Redaction(text="无个人信息。", spans=())


# Properties -----------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "当事人",
        "张三",
        "，",
        "。",
        "（",
        "）",
        "：",
        " ",
        "\n",
        "身份证号码",
        ID,
        "4101 0519 9001 0112 33",
        "13800138000",
        "+86 138-0013-8000",
        "0371-65432100",
        "6222021234567890128",
        "住址",
        "郑州市金水区花园路88号3号楼2单元501室",
        "豫(2023)郑州市不动产权第0123456号",
        "a@b.cn",
        "患有糖尿病",
        "名下有房产",
        "存款5万元",
        "罚款人民币50000元",
        "《中华人民共和国传染病防治法》",
        "91410100MA44XXXX3X",
        "０１２３４５６７８９",
        "12345",
        "2026年3月5日",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=30).map("".join)
# Pieces apart: two numbers written together are one number, which redacting the first
# (known to the case) would split.
SEPARATED = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=30).map(" ".join)
PARTY = PartyFacts(
    kind="natural_person",
    name="张三",
    id_number=ID,
    phone="13800138000",
    address="河南省郑州市金水区花园路88号3号楼2单元501室",
    bank_account="6222021234567890128",
)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.booleans())
def test_spans_are_sorted_disjoint_within_the_text_and_reapply_to_the_result(
    text: str, with_party: bool
) -> None:
    parties = [PARTY] if with_party else []
    result = redact(text, parties)
    previous_end = 0
    for span in result.spans:
        assert previous_end <= span.start < span.end <= len(text)
        previous_end = span.end
    assert apply_spans(text, result.spans) == result.text
    if with_party:
        assert result.leaks(parties) == []


@settings(max_examples=200, deadline=None)
@given(SEPARATED)
def test_redacting_twice_changes_nothing_more(text: str) -> None:
    once = redact(text, [PARTY]).text
    assert redact(once, [PARTY]).text == once


def test_names_masked_reads_the_profile_rule() -> None:
    from sanxiang.core.rules import RuleProfile, get_profile
    from sanxiang.disclosure.redaction import names_masked
    from sanxiang.disclosure.redaction.profile import NAME_RULE

    for code in ("henan", "zhengzhou", "zhoucun"):
        assert names_masked(get_profile(code)) is True
    rule = get_profile("zhengzhou").rule(NAME_RULE)

    def profile(value: str) -> RuleProfile:
        return RuleProfile(
            "x", "某地", None, own_rules={NAME_RULE: dataclasses.replace(rule, value=value)}
        )

    assert names_masked(profile("full")) is False
    with pytest.raises(RedactionError, match="应为 masked 或 full"):
        names_masked(profile("partly"))
