"""The structured layer: what the case knows about its parties, removed in every format it is
written in (000 公示办法 第十七条), with offsets in the original text."""

from __future__ import annotations

import pytest

from sanxiang.disclosure.redaction import PartyFacts, Redaction, redact

ID = "410105199001011233"
PERSON = PartyFacts(
    kind="natural_person",
    name="张三丰",
    id_number=ID,
    address="河南省郑州市金水区花园路88号3号楼2单元501室",
    phone="13800138000",
    bank_account="6222021234567890123",  # not Luhn-valid: only the case knows it is an account
    property_certificates=("豫(2023)郑州市不动产权第0123456号",),
)


def removed(text: str, party: PartyFacts = PERSON, **kwargs: object) -> Redaction:
    result = redact(text, [party], **kwargs)  # type: ignore[arg-type]
    assert result.leaks([party]) == []
    return result


@pytest.mark.parametrize(
    "written",
    [
        ID,
        "410105 19900101 1233",
        "4101 0519 9001 0112 33",
        "410105-19900101-1233",
        "４１０１０５１９９００１０１１２３３",
        "410105900101123",  # the 15-digit form of the same number
    ],
)
def test_id_number_variants(written: str) -> None:
    text = f"编号{written}的人"
    result = removed(text)
    assert result.text == "编号[身份证号码已隐去]的人"
    assert result.spans[0].source == "party"


def test_lower_case_x() -> None:
    party = PartyFacts(id_number="11010519491231002X")
    assert removed("号码11010519491231002x。", party).text == "号码[身份证号码已隐去]。"


@pytest.mark.parametrize(
    "written",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+86-13800138000",
        "0086 13800138000",
        "(138)00138000",
        "１３８００１３８０００",
    ],
)
def test_phone_variants(written: str) -> None:
    assert removed(f"联系{written}。").text == "联系[联系电话已隐去]。"


@pytest.mark.parametrize(
    "written", ["0371-65432100", "(0371)65432100", "（0371）6543 2100", "65432100"]
)
def test_landline_variants_including_the_local_number(written: str) -> None:
    party = PartyFacts(phone="0371-65432100")
    assert removed(f"电{written}。", party).text == "电[联系电话已隐去]。"


def test_a_short_known_number_inside_a_longer_one_is_left() -> None:
    party = PartyFacts(phone="65432100")
    assert redact("流水号1265432100990。", [party]).text == "流水号1265432100990。"


@pytest.mark.parametrize(
    "written", ["6222021234567890123", "6222 0212 3456 7890 123", "6222-0212-3456-7890-123"]
)
def test_bank_account_variants(written: str) -> None:
    assert removed(f"账{written}。").text == "账[银行账号已隐去]。"


@pytest.mark.parametrize(
    "written",
    [
        "河南省郑州市金水区花园路88号3号楼2单元501室",
        "郑州市金水区花园路88号3号楼2单元501室",
        "金水区花园路88号3号楼2单元501室",
        "花园路88号3号楼2单元501室",
        "郑州市 金水区 花园路８８号３号楼２单元５０１室",
    ],
)
def test_address_variants(written: str) -> None:
    assert removed(f"其在{written}居住。").text == "其在[住址已隐去]居住。"


def test_an_address_is_not_stripped_to_something_unspecific() -> None:
    party = PartyFacts(address="河南省郑州市金水区1号")
    # "1号" would be far too short to look for alone.
    assert redact("门牌1号。", [party]).text == "门牌1号。"


@pytest.mark.parametrize(
    "written",
    [
        "豫(2023)郑州市不动产权第0123456号",
        "豫（2023）郑州市不动产权第0123456号",
        "豫〔2023〕郑州市不动产权第0123456号",
        "豫 (2023) 郑州市不动产权第 0123456 号",
    ],
)
def test_property_certificate_variants(written: str) -> None:
    assert removed(f"证书{written}。").text == "证书[权属证书编号已隐去]。"


def test_names_are_masked_when_the_profile_says_so() -> None:
    text = "当事人张三丰于某日……张 三丰签字。"
    assert removed(text).text == "当事人张某于某日……张某签字。"
    assert removed(text, mask_names=False).text == text


def test_compound_surname() -> None:
    party = PartyFacts(kind="natural_person", name="欧阳娜娜")
    assert redact("当事人欧阳娜娜", [party]).text == "当事人欧阳某"


def test_a_legal_persons_name_uscc_address_and_representative_stay() -> None:
    company = PartyFacts(
        kind="legal_person",
        name="郑州张三食品有限公司",
        uscc="91410100MA44XXXX3X",
        address="郑州市金水区农业路1号",
        phone="0371-61234567",
        representative="李四",
        representative_id_number=ID,
        bank_account="41050100123456",
        property_certificates=("郑房权证金字第1234567号",),
    )
    text = (
        "当事人：郑州张三食品有限公司，统一社会信用代码：91410100MA44XXXX3X，"
        "住所：郑州市金水区农业路1号，法定代表人：李四（身份证号码：410105199001011233），"
        "电话0371-61234567，账户41050100123456，厂房郑房权证金字第1234567号。"
    )
    result = removed(text, company)
    assert result.text == (
        "当事人：郑州张三食品有限公司，统一社会信用代码：91410100MA44XXXX3X，"
        "住所：郑州市金水区农业路1号，法定代表人：李四（身份证号码：[身份证号码已隐去]），"
        "电话[联系电话已隐去]，账户[银行账号已隐去]，厂房[权属证书编号已隐去]。"
    )


def test_a_natural_persons_name_inside_an_organisations_name_is_left() -> None:
    person = PartyFacts(kind="natural_person", name="张三")
    company = PartyFacts(kind="other", name="郑州市张三食品店")
    result = redact("郑州市张三食品店经营者张三。", [person, company])
    assert result.text == "郑州市张三食品店经营者张某。"


def test_party_values_win_over_keep() -> None:
    # A kept string never shields what the case knows is personal.
    result = redact("电话13800138000", [PERSON], keep=["13800138000"])
    assert result.text == "电话[联系电话已隐去]"


def test_empty_kind_is_treated_as_a_natural_person() -> None:
    party = PartyFacts(name="王五", address="郑州市金水区花园路1号2单元3室")
    assert redact("王五住郑州市金水区花园路1号2单元3室", [party]).text == "王某住[住址已隐去]"


def test_spans_are_in_original_offsets_and_sorted() -> None:
    text = "　　当事人张三丰（身份证号码：４１０１０５ １９９００１０１ １２３３），电话+86 138-0013-8000。"
    result = redact(text, [PERSON])
    assert [(s.type, text[s.start : s.end]) for s in result.spans] == [
        ("name", "张三丰"),
        ("id_number", "４１０１０５ １９９００１０１ １２３３"),
        ("phone", "+86 138-0013-8000"),
    ]
    starts = [s.start for s in result.spans]
    assert starts == sorted(starts)


def test_leaks_names_the_field_not_the_value() -> None:
    leaks = Redaction(text="身份证 410105-19900101-1233", spans=()).leaks([PERSON])
    assert leaks == ["第1个当事人（张某）的身份证号码"]
    assert ID not in "".join(leaks)


def test_leaks_finds_each_field() -> None:
    text = (
        "4101 0519 9001 0112 33；金水区花园路88号3号楼2单元501室；+86 13800138000；"
        "6222 0212 3456 7890 123；豫（2023）郑州市不动产权第0123456号"
    )
    leaks = Redaction(text=text, spans=()).leaks([PERSON])
    assert leaks == [
        "第1个当事人（张某）的身份证号码",
        "第1个当事人（张某）的住址",
        "第1个当事人（张某）的联系电话",
        "第1个当事人（张某）的银行账号",
        "第1个当事人（张某）的权属证书编号",
    ]
