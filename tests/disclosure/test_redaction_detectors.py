"""The detectors: what the case does not know, found by its form (000 公示办法 第十七条);
what must stay public, kept."""

from __future__ import annotations

import pytest
from stdnum import luhn
from stdnum.cn import ric

from sanxiang.disclosure.redaction import redact
from sanxiang.disclosure.redaction.detectors import is_id_number, is_uscc, luhn_valid

from .redaction_corpus import Generator

ID = "410105199001011233"  # valid: region 410105, born 1990-01-01, check digit 3
ID_X = "11010519491231002X"
USCC = Generator(0).uscc()
CARD = "6222021234567890128"  # Luhn-valid, 19 digits


def types(text: str, **kwargs: object) -> list[tuple[str, str]]:
    result = redact(text, **kwargs)  # type: ignore[arg-type]
    return [(span.type, text[span.start : span.end]) for span in result.spans]


def kept(text: str, value: str, **kwargs: object) -> bool:
    return value in redact(text, **kwargs).text  # type: ignore[arg-type]


def test_fixtures_are_what_they_claim() -> None:
    assert ric.is_valid(ID) and is_id_number(ID)
    assert is_id_number(ID_X)
    assert luhn.is_valid(CARD) and luhn_valid(CARD)
    assert is_uscc(USCC)


# ID numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        ID,
        ID_X,
        ID_X.lower(),
        "410105 19900101 1233",
        "410105-19900101-1233",
        "４１０１０５１９９００１０１１２３３",
    ],
)
def test_id_numbers_with_a_valid_check_digit_are_found(written: str) -> None:
    text = f"证人王某（{written}）到场。"
    assert types(text) == [("id_number", written)]
    assert "到场" in redact(text).text


def test_an_id_number_whose_county_code_postdates_the_birth_year_is_still_an_id() -> None:
    # stdnum rejects 410105 for 1969 (金水区 was created later); the number is real all the
    # same — the code is the one in force when it was issued.
    number = "410105196902222288"
    assert not ric.is_valid(number) and is_id_number(number)
    assert types(f"其身份证号{number}。") == [("id_number", number)]


def test_old_15_digit_id_number() -> None:
    assert types("证人身份证410105900101123。") == [("id_number", "410105900101123")]


def test_an_18_digit_number_with_a_wrong_check_digit_and_no_label_is_kept() -> None:
    number = "410105199001011234"  # check digit should be 3; not Luhn-valid either
    assert not luhn.is_valid(number)
    assert kept(f"流水号{number}。", number)


def test_a_labelled_id_number_is_removed_even_with_a_wrong_check_digit() -> None:
    number = "410105199001011234"
    assert types(f"身份证号码：{number}，") == [("id_number", number)]


# Telephones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "0371-65432100",
        "(0371)65432100",
        "（0371）65432100",
        "037165432100",
        "010-87654321",
    ],
)
def test_mobiles_and_landlines_are_found(written: str) -> None:
    text = f"有人称可拨打{written}联系。"
    result = redact(text)
    assert [s.type for s in result.spans] == ["phone"]
    assert result.text == "有人称可拨打[联系电话已隐去]联系。"


def test_a_landline_extension_goes_with_it() -> None:
    assert types("座机0371-65432100转801。") == [("phone", "0371-65432100转801")]


def test_a_local_number_needs_a_label() -> None:
    assert kept("编码65432100。", "65432100")
    assert types("联系电话：65432100。") == [("phone", "65432100")]


@pytest.mark.parametrize("number", ["12345", "12315", "110", "400-810-8888"])
def test_service_numbers_stay(number: str) -> None:
    assert kept(f"投诉举报电话：{number}。", number)


def test_the_agencys_hotline_stays_when_kept() -> None:
    text = "咨询电话：0371-67188888。当事人电话0371-65432100。"
    result = redact(text, keep=["0371-67188888"])
    assert "0371-67188888" in result.text and "65432100" not in result.text


# Bank cards and accounts ------------------------------------------------------------


@pytest.mark.parametrize("written", [CARD, "6222 0212 3456 7890 128", "6222-0212-3456-7890-128"])
def test_bank_cards_with_a_luhn_digit_are_found(written: str) -> None:
    assert types(f"货款转入{written}。") == [("bank_account", written)]


def test_a_16_digit_number_failing_luhn_without_a_label_is_kept() -> None:
    number = "6222021234567891"
    assert not luhn.is_valid(number)
    assert kept(f"编码{number}。", number)


def test_a_labelled_account_is_removed_whatever_its_check_digit() -> None:
    # Corporate accounts (对公账户) carry no Luhn digit.
    assert types("开户银行：中国银行，账号：41050100123456。") == [
        ("bank_account", "41050100123456")
    ]


# Public values --------------------------------------------------------------------------


def test_a_uscc_is_never_taken_for_an_id_or_a_card() -> None:
    text = f"统一社会信用代码：{USCC}。"
    assert redact(text).text == text


def test_an_all_digit_uscc_that_also_passes_as_an_id_is_public_after_its_label() -> None:
    # One 18-digit ID in 31 also carries a valid USCC check character.
    gen = Generator(5)
    number = next(n for n in (gen.id_number() for _ in range(10_000)) if is_uscc(n))
    assert is_id_number(number)
    assert kept(f"统一社会信用代码{number}。", number)
    assert types(f"身份证号码{number}。") == [("id_number", number)]


@pytest.mark.parametrize(
    "text",
    [
        "执法人员：李四（执法证号：41010020230001）、王五（执法证号：13800138000）。",
        "本局作出郑市监罚〔2026〕12号行政处罚决定。",
        "依据《中华人民共和国食品安全法》第一百二十四条第一款第（三）项。",
        "依据《中华人民共和国传染病防治法》第七十三条、《中华人民共和国残疾人保障法》第六十六条。",
        "罚款人民币50000元，没收违法所得5万元，罚没款合计1234567元。",
        "2026年3月5日，20260305。",
        "当事人：郑州某某食品有限公司，统一社会信用代码：91410100MA44XXXX3X。",
        "注册号：410105000012345。",
        "案号：郑金市监立〔2026〕0001234567号。",
    ],
)
def test_public_values_are_kept(text: str) -> None:
    assert redact(text).text == text


def test_officers_certificate_numbers_passed_in_keep_stay() -> None:
    text = "检查人员持证13912345678到场。"
    assert kept(text, "13912345678", keep=["13912345678"])
    assert not kept(text, "13912345678")


# Property certificates, e-mail --------------------------------------------------------


@pytest.mark.parametrize(
    "certificate",
    [
        "豫(2023)郑州市不动产权第0123456号",
        "豫（2023）郑州市不动产权第0123456号",
        "豫〔2023〕郑州市不动产权第0123456号",
        "郑房权证金字第1234567号",
        "郑国用（2010）第123号",
    ],
)
def test_property_certificates_are_found(certificate: str) -> None:
    assert types(f"房屋（{certificate}）一处。") == [("property_certificate", certificate)]


def test_a_labelled_certificate_number_is_found() -> None:
    assert types("房产证号：A1234567，") == [("property_certificate", "A1234567")]


def test_email_addresses_are_found() -> None:
    assert types("邮箱 zhang.san+x@mail.example.com。") == [
        ("email", "zhang.san+x@mail.example.com")
    ]


# Addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["住址：", "家住", "现住", "居住于", "现住址为", "户籍所在地："])
def test_labelled_addresses_are_found_up_to_the_clause_end(label: str) -> None:
    text = f"证人{label}郑州市金水区花园路88号院3号楼，其称……"
    assert types(text) == [("address", "郑州市金水区花园路88号院3号楼")]


def test_an_unlabelled_residence_is_found() -> None:
    text = "当事人在郑州市金水区花园路88号3号楼2单元501室内存放货物。"
    assert types(text) == [("address", "郑州市金水区花园路88号3号楼2单元501室")]


def test_the_agencys_own_address_stays_when_kept() -> None:
    text = "本局住所：郑州市金水区经三路18号2单元101室。"
    assert kept(text, "郑州市金水区经三路18号2单元101室", keep=["郑州市金水区经三路18号2单元101室"])


def test_an_organisations_registered_address_stays_when_all_parties_are_organisations() -> None:
    from sanxiang.disclosure.redaction import PartyFacts

    text = "当事人：某某公司，住所：郑州市金水区农业路1号。"
    company = PartyFacts(kind="legal_person", name="某某公司")
    assert redact(text, [company]).text == text
    assert "农业路1号" not in redact(text).text  # not knowing who it is, hide it


def test_现住院_is_health_not_an_address() -> None:
    assert types("其现住院治疗。") == [("health", "住院治疗")]


# Health and property status -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("当事人患有高血压，", "患有高血压"),
        ("其系肢体残疾二级，", "肢体残疾二级"),
        ("其患有精神疾病。", "患有精神疾病"),
        ("健康状况：良好。", "健康状况：良好"),
        ("证人怀孕七个月。", "怀孕"),
    ],
)
def test_health_phrases(text: str, phrase: str) -> None:
    assert types(text) == [("health", phrase)]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("其名下有房产两套，", "名下有房产两套"),
        ("银行存款人民币30万元，", "银行存款人民币30万元"),
        ("其财产状况：无房无车。", "财产状况：无房无车"),
        ("月收入3000元。", "月收入3000元"),
        ("其家庭经济困难。", "家庭经济困难"),
    ],
)
def test_property_status_phrases(text: str, phrase: str) -> None:
    assert types(text) == [("property_status", phrase)]


def test_questions_about_health_or_property_are_not_redacted() -> None:
    text = "问：你的身体状况如何？答：我患有糖尿病。问：你名下是否有房产？"
    assert (
        redact(text).text == "问：你的身体状况如何？答：我[健康状况已隐去]。问：你名下是否有房产？"
    )


def test_a_fine_is_not_a_property_status() -> None:
    text = "决定罚款人民币30万元，没收违法所得人民币5000元。"
    assert redact(text).text == text
