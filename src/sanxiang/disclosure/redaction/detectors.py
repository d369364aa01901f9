"""Detectors: personal values the case does not know (000 公示办法 第十七条第（一）项), found
by their form.

Each detector scans the normalised text (``normalize``: same offsets as the original) and
yields ``(start, end, type)``. Numbers are checked, not guessed: an 18-digit ID number must
carry its GB 11643 check digit (``stdnum.cn.ric``), a bank card its Luhn digit, unless a label
says what the number is (身份证号码：…, 账号：…) — a mistyped number after such a label is
still personal. What must stay public is never taken for a personal value: a string that
validates as a 统一社会信用代码 (``stdnum.cn.uscc``), a number after 执法证号 / 注册号 / 文号 /
案号, service numbers (12345, 400/800), and anything inside 《》 (statute titles) — the caller
drops spans that overlap the keep list and the parties' public values.

The patterns are compiled once and mostly begin with a literal, so that a scan is linear;
detectors whose keyword is absent from the text are skipped by a substring test.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from stdnum.cn import ric

Hit = tuple[int, int, str]

_CJK = "\u4e00-\u9fff"
_STOP = "，。；;,、\n"
_PHRASE_STOP = _STOP + "？?！!《"
_NOT_QUESTION = "(?![？?]|如何|怎么样|怎样|是否)"

# A run of digits with the separators people type inside numbers; classified in Python.
_NUMBER = re.compile(r"[0-9(（+][0-9 \-()（）]{5,200}[0-9Xx]")
_USCC = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_ANY_DIGIT = re.compile(r"\d")
_CLOSING = re.compile(r"[)）]")
_LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}")
_LANDLINE_EXTENSION = re.compile(r"[ ]?(?:转|-|ext\.?|分机)[ ]?\d{1,5}")
_MOBILE = re.compile(r"1[3-9]\d{9}")

# A number after a label saying what it is: the labels in one scan, then the kind's value
# pattern where the label ends.
_LABEL_KINDS: dict[str, str] = {
    **dict.fromkeys(
        ("身份证件号码", "身份证号码", "身份证号", "身份证", "公民身份号码", "证件号码"),
        "id_number",
    ),
    **dict.fromkeys(
        (
            "银行卡号",
            "银行账号",
            "银行帐号",
            "银行账户",
            "银行帐户",
            "卡号",
            "账号",
            "帐号",
            "账户",
            "帐户",
        ),
        "bank_account",
    ),
    **dict.fromkeys(
        (
            "联系电话",
            "联系方式",
            "电话号码",
            "移动电话",
            "固定电话",
            "手机号码",
            "手机号",
            "手机",
            "电话",
            "座机",
            "传真",
            "Tel",
            "TEL",
            "tel",
            "QQ号码",
            "QQ号",
            "QQ",
        ),
        "phone",
    ),
}
# A plain alternation of literals, longest first: several times faster to scan for than one
# with a group per kind.
_LABELS = re.compile("|".join(sorted(_LABEL_KINDS, key=len, reverse=True)))
_LABELLED_VALUES: dict[str, re.Pattern[str]] = {
    "id_number": re.compile(r"[^0-9A-Za-z\n]{0,6}?(\d[\d \-]{12,20}[\dXx])"),
    "bank_account": re.compile(r"[^0-9\n]{0,8}?(\d[\d \-]{6,32}\d)"),
    "phone": re.compile(r"[^0-9\n]{0,6}?((?:\+?86[ \-]?)?[(（]?\d[\d \-()（）]{3,20}\d)"),
}
_PUBLIC_LABEL = re.compile(
    r"(?:执法证件编号|执法证件号码?|执法证编号|执法证号码?|执法证|工作证号|注册号|信用代码|"
    r"文号|案号|编号)[^" + _STOP + r"]{0,8}$"
)
_PERSONAL_LABEL_IN = ("身份证", "电话", "手机", "账号", "帐号", "卡号", "证书编号", "权证")

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

_OPEN = "[(（\\[〔【]"
_CLOSE = "[)）\\]〕】]"
# Anchored on a literal, then extended back over the issuing place (see detect_certificates).
_CERT_REAL_ESTATE = re.compile(r"不动产(?:权|证明)\s*第?\s*[0-9A-Za-z]+\s*号")
_CERT_REAL_ESTATE_HEAD = re.compile(rf"[{_CJK}]{_OPEN}\s*\d{{4}}\s*{_CLOSE}\s*[{_CJK}]{{0,12}}$")
_CERT_HOUSE = re.compile(rf"房权证[{_CJK}0-9A-Za-z]{{0,12}}?字\s*第?\s*[0-9A-Za-z\-]+\s*号")
_CERT_LAND = re.compile(
    rf"(?:国用|集用|集建)\s*{_OPEN}\s*\d{{4}}\s*{_CLOSE}\s*第?\s*[0-9A-Za-z\-]+\s*号"
)
_CERT_LABEL = re.compile(
    r"(?:不动产权证书编号|不动产权证书号|不动产权证号|房屋所有权证号|房产证号|房权证号|"
    r"土地使用权证号|土地证号|产权证号|权属证书编号|机动车登记证书编号|登记证书编号)"
    rf"[^0-9A-Za-z{_CJK}\n]{{0,4}}([0-9A-Za-z{_CJK}()（）\[\]〔〕【】\-]{{4,40}}?)"
    r"(?=[，。；;,\s)）]|$)"
)
_CERT_LABEL_KEYWORDS = ("证号", "证书号", "证书编号")

_ADDRESS_LABEL = re.compile(
    r"(家庭住址|家庭地址|现住址|现住(?!院)|住址|住所地|住所|家住|居住于|居住在|居住地|"
    r"现居住于|现居住地|现居于|户籍地址|户籍所在地|户籍地|联系地址|通讯地址|送达地址|经常居住地)"
    r"(?:为|是|在|于)?[:： \t\u3000]*([^，。；;,\n(（《:： \t\u3000][^，。；;,\n(（《]{1,59})"
)
# Labels an organisation's registered address also goes by (public for organisations).
_ORG_ADDRESS_LABELS = frozenset({"住所", "住所地", "送达地址", "联系地址", "通讯地址"})
_RESIDENCE = re.compile(
    r"(?:路|街|道|巷|胡同|弄|村)[0-9\-]{1,6}号(?:院)?"
    r"(?:[0-9A-Za-z\-]{1,5}(?:号楼|栋|幢|单元|层|楼|号))*[0-9A-Za-z\-]{1,5}(?:单元|室|户)"
)
_ADDRESS_STOP = re.compile(rf"[^{_CJK}0-9]|[在于住至到的和与是为]")

_GRADES = ("一级", "二级", "三级", "四级", "")
_DISABILITIES = [
    f"{before}{kind}残疾{person}{after}"
    for kind in ("智力", "肢体", "视力", "听力", "言语", "精神", "多重", "")
    for person in ("人", "")
    for before in _GRADES
    for after in _GRADES
    if not (before and after)
]
# Spelt out: a plain alternation of literals is scanned for many times faster than one with
# optional parts.
_HEALTH_TERMS = (
    *_DISABILITIES,
    *("精神疾病", "精神病", "精神障碍", "智力障碍", "艾滋病", "病史", "传染病", "癌症", "抑郁症"),
    *("住院治疗", "怀孕", "哺乳期"),
)
# (keywords, pattern): the pattern runs only when one of its keywords is in the text.
_HEALTH: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("患有",), re.compile(r"患有" + _NOT_QUESTION + r"[^" + _PHRASE_STOP + r"]{1,15}")),
    (
        ("精神", "智力", "残疾", "艾滋", "病史", "传染病", "癌症", "抑郁", "住院", "怀孕", "哺乳"),
        re.compile("|".join(sorted(_HEALTH_TERMS, key=len, reverse=True))),
    ),
    (
        ("身体状况", "健康状况"),
        re.compile(r"(?:身体状况|健康状况)" + _NOT_QUESTION + r"[^" + _PHRASE_STOP + r"]{0,20}"),
    ),
    (("病情",), re.compile(r"病情" + _NOT_QUESTION + r"[^" + _PHRASE_STOP + r"]{0,20}")),
)
_PROPERTY: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (
        ("存款",),
        re.compile(
            r"(?:银行存款|存款)(?:余额)?(?:共计|合计|约|为|有)?(?:人民币)?\s*[0-9.,]+\s*(?:万|亿)?元"
        ),
    ),
    (("名下",), re.compile(r"名下" + _NOT_QUESTION + r"[^" + _PHRASE_STOP + r"]{1,30}")),
    (
        ("财产", "资产", "收入状况", "经济状况", "负债"),
        re.compile(
            r"(?:财产状况|家庭财产|个人财产|资产状况|收入状况|经济状况|负债)"
            + _NOT_QUESTION
            + r"[^"
            + _PHRASE_STOP
            + r"]{0,40}"
        ),
    ),
    (("收入",), re.compile(r"[月年]收入(?:为|约|共)?(?:人民币)?\s*[0-9.,]+\s*(?:万)?元")),
    (
        ("经济困难", "低保", "最低生活保障", "贫困户", "特困"),
        re.compile(r"家庭经济困难|经济困难|最低生活保障|低保户|低保|贫困户|特困人员"),
    ),
)


def _touches_alnum(norm: str, start: int, end: int) -> bool:
    before = norm[start - 1] if start > 0 else ""
    after = norm[end] if end < len(norm) else ""
    return (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum())


def _bounded(pattern: re.Pattern[str], norm: str) -> Iterator[tuple[int, int]]:
    """Matches that do not touch an ASCII letter or digit on either side."""
    pos = 0
    search = pattern.search
    while True:
        match = search(norm, pos)
        if match is None:
            return
        start, end = match.span()
        if _touches_alnum(norm, start, end):
            pos = start + 1
            continue
        yield start, end
        pos = end


_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def _compact(value: str) -> str:
    return _NOT_ALNUM.sub("", value).upper()


def _publicly_labelled(norm: str, start: int) -> bool:
    """The number follows 执法证号 / 注册号 / 文号 … in the same clause (and no personal label
    comes between)."""
    window = norm[max(0, start - 16) : start]
    match = _PUBLIC_LABEL.search(window)
    if match is None:
        return False
    after = window[match.start() :]
    return not any(label in after for label in _PERSONAL_LABEL_IN) and "身份" not in window


def _service_number(digits: str) -> bool:
    """12345, 12315, 95588, 400/800 numbers: public service lines."""
    return len(digits) <= 6 or (len(digits) == 10 and digits[:3] in ("400", "800"))


_PROVINCE_CODES = (
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91"
)
_PROVINCES = frozenset(_PROVINCE_CODES.split())


def is_id_number(value: str) -> bool:
    """An 18-digit 公民身份号码 (GB 11643): a province code, a real birth date and the check
    digit. Unlike ``stdnum.cn.ric.validate`` the county code is not checked against the year
    of birth: the code is the one in force when the number was issued, often years later."""
    number = value if len(value) == 18 else _compact(value)
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in _PROVINCES:
        return False
    if number[-1] != ric.calc_check_digit(number):
        return False
    year = int(number[6:10])
    if not 1880 <= year <= datetime.date.today().year:
        return False
    try:
        datetime.date(year, int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return True


def _is_old_id(value: str) -> bool:
    """A 15-digit ID number of the 1980s and 90s: a region code and a plausible yymmdd."""
    month, day = int(value[8:10]), int(value[10:12])
    return value[0] in "12345678" and 1 <= month <= 12 and 1 <= day <= 31


_USCC_VALUES = {ch: i for i, ch in enumerate("0123456789ABCDEFGHJKLMNPQRTUWXY")}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def is_uscc(value: str) -> bool:
    """A 统一社会信用代码 (GB 32100) by its check character — ``stdnum.cn.uscc``'s rule,
    without its per-call clean-up (this runs on every 18-character token)."""
    if len(value) != 18 or not value[:8].isdigit():
        return False
    try:
        total = sum(_USCC_VALUES[ch] * w for ch, w in zip(value, _USCC_WEIGHTS, strict=False))
        return _USCC_VALUES[value[17]] == (31 - total % 31) % 31
    except KeyError:
        return False


def uscc_regions(norm: str) -> list[tuple[int, int]]:
    """Where a valid 统一社会信用代码 stands: never an ID number or a bank card."""
    return [(s, e) for s, e in _bounded(_USCC, norm) if is_uscc(norm[s:e])]


def _overlaps(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in regions)


def classify_number(compact: str) -> str:
    """What a number (digits, maybe a final X; a leading + kept) is by its form alone:
    ``id_number``, ``uscc`` (public), ``bank_account``, ``phone`` or ""."""
    if compact.startswith("+"):
        compact = compact[1:]
        if not (compact.startswith("86") and _MOBILE.fullmatch(compact[2:])):
            return ""
        return "phone"
    length = len(compact)
    if length == 18:
        if is_id_number(compact):
            return "id_number"
        if is_uscc(compact):
            return "uscc"
    if not compact.isdigit():
        return ""
    if length == 15 and _is_old_id(compact):
        return "id_number"
    if length == 11 and _MOBILE.fullmatch(compact):
        return "phone"
    if length == 13 and compact.startswith("86") and _MOBILE.fullmatch(compact[2:]):
        return "phone"
    if length == 15 and compact.startswith("0086") and _MOBILE.fullmatch(compact[4:]):
        return "phone"
    if 16 <= length <= 19 and compact[0] != "0" and luhn_valid(compact):
        return "bank_account"
    if 10 <= length <= 12 and _LANDLINE.fullmatch(compact):
        return "phone"
    return ""


def _number_pieces(norm: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """The token as a whole if its form says what it is, else each space-separated piece."""
    token = norm[start:end]
    kind = classify_number(_compact_number(token))
    if kind or " " not in token:
        if kind:
            yield start, end, kind
        return
    for piece in re.finditer(r"[^ ]+", token):
        value = piece.group().strip("()（）-")
        kind = classify_number(_compact_number(value))
        if kind:
            offset = start + piece.start() + piece.group().index(value)
            yield offset, offset + len(value), kind


_NOT_NUMBER_CHAR = re.compile(r"[^0-9Xx]")
_NOT_DIGIT = re.compile(r"[^0-9]")


def luhn_valid(digits: str) -> bool:
    """The Luhn check (ISO/IEC 7812) of a string of digits."""
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = ord(ch) - 48
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _compact_number(value: str) -> str:
    compact = _NOT_NUMBER_CHAR.sub("", value).upper()
    return "+" + compact if value.startswith("+") else compact


def detect_numbers(norm: str) -> list[Hit]:
    if _ANY_DIGIT.search(norm) is None:
        return []
    hits: list[Hit] = []
    # A USCC is never taken for anything: an all-digit one is classified "uscc" (or, when it
    # also passes as an ID number, follows 统一社会信用代码 — a public label); the digit runs
    # inside one with letters touch those letters and are skipped.
    for match in _NUMBER.finditer(norm):
        start, end = match.span()
        while norm[start] in "(（" and not _CLOSING.search(norm, start, end):
            start += 1
        for s, e, kind in _number_pieces(norm, start, end):
            if kind == "uscc" or _touches_alnum(norm, s, e):
                continue
            if _publicly_labelled(norm, s):
                continue
            if kind == "phone":
                extension = _LANDLINE_EXTENSION.match(norm, e)
                if extension is not None and norm[s] == "0":
                    e = extension.end()
            hits.append((s, e, kind))
    for label in _LABELS.finditer(norm):
        kind = _LABEL_KINDS[label.group()]
        value = _LABELLED_VALUES[kind].match(norm, label.end())
        if value is None:
            continue
        start, end = value.span(1)
        digits = _NOT_DIGIT.sub("", value.group(1))
        if kind == "phone" and (_service_number(digits) or len(digits) > 13):
            continue
        if kind == "bank_account" and not 8 <= len(digits) <= 30:
            continue
        if _touches_alnum(norm, start, end):
            continue
        # The label says what it is: it wins over a number that happens to validate as a
        # USCC (one 18-digit string in 31 does).
        hits.append((start, end, kind))
    return hits


def detect_email(norm: str) -> list[Hit]:
    if "@" not in norm:
        return []
    return [(m.start(), m.end(), "email") for m in _EMAIL.finditer(norm)]


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def detect_certificates(norm: str) -> list[Hit]:
    """不动产权 (豫(2023)郑州市不动产权第0123456号), 房权证 (郑房权证金字第…号), 国用 / 集用
    (郑国用(2010)第…号), and any number after a certificate label (房产证号：…)."""
    hits: list[Hit] = []
    if "不动产" in norm:
        for match in _CERT_REAL_ESTATE.finditer(norm):
            start = match.start()
            head = _CERT_REAL_ESTATE_HEAD.search(norm, max(0, start - 24), start)
            hits.append((head.start() if head else start, match.end(), "property_certificate"))
    for keywords, pattern in ((("房权证",), _CERT_HOUSE), (("国用", "集用", "集建"), _CERT_LAND)):
        if not any(keyword in norm for keyword in keywords):
            continue
        for match in pattern.finditer(norm):
            start = match.start()
            if start > 0 and _cjk(norm[start - 1]):
                start -= 1  # the issuing place's one-character name: 郑房权证, 郑国用
            hits.append((start, match.end(), "property_certificate"))
    if any(keyword in norm for keyword in _CERT_LABEL_KEYWORDS):
        hits.extend(
            (m.start(1), m.end(1), "property_certificate") for m in _CERT_LABEL.finditer(norm)
        )
    return hits


def _residence_start(norm: str, road: int) -> int:
    """Where an unlabelled address that reaches its road at ``road`` begins: back over
    characters and digits, to the last punctuation or 在/于/住 … at most 20 characters."""
    floor = max(0, road - 20)
    start = road
    while start > floor and not _ADDRESS_STOP.match(norm[start - 1]):
        start -= 1
    return start


def detect_addresses(norm: str, *, organisations_only: bool) -> list[Hit]:
    """Addresses after a label (住址：…) up to the clause's end, and unlabelled residences
    (…路88号3号楼2单元501室). When the parties are all organisations, 住所 and the other
    labels an organisation's registered address goes by are not redacted (000 公示办法
    第十七条第（二）项 does not list it)."""
    hits: list[Hit] = []
    for match in _ADDRESS_LABEL.finditer(norm):
        if organisations_only and match.group(1) in _ORG_ADDRESS_LABELS:
            continue
        start, end = match.span(2)
        while end > start and norm[end - 1] in " ）)":
            end -= 1
        if end - start >= 2:
            hits.append((start, end, "address"))
    if "号" in norm:
        for match in _RESIDENCE.finditer(norm):
            hits.append((_residence_start(norm, match.start()), match.end(), "address"))
    return hits


def _phrases(
    norm: str, table: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...], kind: str
) -> list[Hit]:
    hits: list[Hit] = []
    for keywords, pattern in table:
        if not any(keyword in norm for keyword in keywords):
            continue
        hits.extend((m.start(), m.end(), kind) for m in pattern.finditer(norm))
    return hits


def detect_health(norm: str) -> list[Hit]:
    return _phrases(norm, _HEALTH, "health")


def detect_property_status(norm: str) -> list[Hit]:
    return _phrases(norm, _PROPERTY, "property_status")


_TITLE = re.compile(r"《[^《》\n]{1,80}》")


def title_regions(norm: str) -> list[tuple[int, int]]:
    """Statute and document titles in 《》: public, whatever words they contain."""
    if "《" not in norm:
        return []
    return [m.span() for m in _TITLE.finditer(norm)]


def detect(norm: str, *, organisations_only: bool = False) -> list[Hit]:
    """Every detector's hits (they may overlap; the caller merges)."""
    return [
        *detect_numbers(norm),
        *detect_email(norm),
        *detect_certificates(norm),
        *detect_addresses(norm, organisations_only=organisations_only),
        *detect_health(norm),
        *detect_property_status(norm),
    ]
