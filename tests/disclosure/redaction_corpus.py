"""Generated documents with planted values, for the redaction tests and ``bench/``.

Each ``Document`` holds the text of a penalty decision (natural or legal person), an inquiry
record (询问笔录) or an inspection result (检查结果), the parties as the case knows them, the
strings of personal values as they were written into the text (in varied formats: spaces,
dashes, +86, lower-case x, full-width digits, groups of four, the address without its
province …), some of them unknown to the case (a witness's), and the public values that must
survive (organisations' names and USCCs, officers' certificate numbers, document numbers,
statutes, amounts, dates, the agency's hotline and address).

Deterministic in the seed; no database.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from faker import Faker
from stdnum import luhn
from stdnum.cn import ric, uscc

from sanxiang.disclosure.redaction import PartyFacts, mask_name

REGIONS = ("410105", "410102", "410103", "410104", "410122", "110101", "310101", "440106")
PLACES = (
    ("河南省", "郑州市", ("金水区", "二七区", "中原区", "管城回族区", "惠济区")),
    ("河南省", "洛阳市", ("西工区", "老城区", "涧西区")),
    ("山东省", "淄博市", ("周村区", "张店区")),
)
ROADS = ("花园路", "经三路", "农业路", "文化路", "丰产路", "建设路", "黄河路", "纬五路")
DISEASES = ("高血压", "糖尿病", "心脏病", "慢性肾病", "肺结核")
STATUTES = (
    "《中华人民共和国食品安全法》第一百二十四条第一款第（三）项",
    "《中华人民共和国行政处罚法》第三十二条",
    "《中华人民共和国传染病防治法》第七十三条",
    "《中华人民共和国产品质量法》第四十九条",
)
# Public body text a real document carries around its personal values (a decision runs to
# a few thousand characters); it must come through untouched. ``Generator(filler=False)``
# leaves it out, for documents dense with planted values.
DECISION_FILLER = (
    "上述事实，有以下证据证明：1.营业执照复印件一份，证明当事人的主体资格；2.现场检查笔录一份、"
    "现场照片六张，证明检查时的现场情况；3.询问笔录二份，证明当事人对违法事实的陈述；4.购销凭证"
    "复印件三张，证明涉案食品的进货来源和数量；5.检验报告一份（报告编号：W2026-03-0157），证明"
    "涉案食品不合格。",
    "本局于2026年3月12日向当事人送达了《行政处罚告知书》（郑金市监罚告〔2026〕35号），告知当事人"
    "拟作出行政处罚的事实、理由、依据及当事人依法享有的陈述、申辩和要求听证的权利。当事人在法定期限"
    "内未提出陈述、申辩，也未要求听证。",
    "本局认为，当事人的行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定，属于经营超过"
    "保质期的食品的违法行为。鉴于当事人系初次违法，违法行为持续时间较短、涉案货值金额较小，且能够积极"
    "配合调查、主动消除违法行为危害后果，根据《中华人民共和国行政处罚法》第三十二条第（一）项和"
    "《河南省市场监督管理行政处罚裁量权适用规则》第十四条的规定，可以从轻处罚。",
    "经核查，涉案食品共计120袋，货值金额人民币1800元，当事人已销售45袋，违法所得人民币675元。"
    "本局执法人员当场对剩余75袋食品予以扣押，并出具了《实施行政强制措施决定书》。",
    "本案经本局重大执法决定法制审核机构审核，审核意见为：事实清楚，证据确凿，适用依据正确，程序合法，"
    "处罚适当。本案经本局负责人集体讨论决定。",
    "当事人应自收到本处罚决定书之日起十五日内，持本决定书到指定银行缴纳罚没款。逾期不缴纳罚款的，"
    "本局可以根据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，每日按罚款数额的百分之三"
    "加处罚款，加处罚款的数额不超过罚款的数额。",
    "当事人如对本处罚决定不服，可以在收到本处罚决定书之日起六十日内向郑州市金水区人民政府申请行政复议，"
    "也可以在六个月内依法向郑州市金水区人民法院提起行政诉讼。申请行政复议或者提起行政诉讼的，行政处罚"
    "不停止执行，法律另有规定的除外。",
)
INQUIRY_FILLER = (
    "问：我们是郑州市金水区市场监督管理局的执法人员，现依法向你进行询问调查，请你如实回答，你听清楚了吗？"
    "答：听清楚了。",
    "问：你是否申请执法人员回避？答：不申请。",
    "问：你店里销售的这批食品是从哪里进的货？答：是从郑州市某食品批发市场进的货，有进货单据。",
    "问：这批食品你一共进了多少？卖了多少？答：一共进了120袋，每袋进价10元，卖了45袋，每袋卖15元。",
    "问：你知道这批食品已经过了保质期吗？答：当时没注意，是我的疏忽。",
    "问：你还有什么要补充的吗？答：没有了，我以后一定注意。",
)
INSPECTION_FILLER = (
    "抽查事项：食品经营者经营条件及食品安全管理制度落实情况的检查。抽查依据：《中华人民共和国食品安全法》"
    "第一百一十条。抽查方式：现场检查。",
    "检查内容：经营场所环境卫生、从业人员健康证明、进货查验记录、食品贮存条件。",
    "处理结果：对检查中发现的问题，已当场责令改正。本结果自公示之日起在本局网站公示，公示期限为六个月。",
)
AGENCY = "郑州市金水区市场监督管理局"
AGENCY_ADDRESS = "郑州市金水区经三路18号"
HOTLINE = "0371-67188888"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class Document:
    kind: str
    text: str
    parties: tuple[PartyFacts, ...]
    personal: list[tuple[str, str]]  # (what, as written) — must be gone
    public: list[str]  # must still be there
    keep: tuple[str, ...] = (AGENCY_ADDRESS, HOTLINE)
    mask_names: bool = True
    masked_names: list[str] = field(default_factory=list)  # must be gone when mask_names


class Generator:
    def __init__(self, seed: int = 0, *, filler: bool = True) -> None:
        self.filler = filler
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.serial = 0

    # Values ----------------------------------------------------------------------------

    def id_number(self) -> str:
        rng = self.rng
        body = (
            rng.choice(REGIONS)
            + f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            + f"{rng.randint(0, 999):03d}"
        )
        return body + ric.calc_check_digit(body + "0")

    def render_id(self, value: str) -> str:
        style = self.rng.randrange(4)
        if style == 1:
            return f"{value[:6]} {value[6:14]} {value[14:]}"
        if style == 2:
            return value.translate(FULL_WIDTH)
        if style == 3:
            return value.lower()
        return value

    def mobile(self) -> str:
        rng = self.rng
        return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))

    def render_phone(self, value: str) -> str:
        style = self.rng.randrange(4)
        if style == 1:
            return f"+86 {value[:3]} {value[3:7]} {value[7:]}"
        if style == 2:
            return f"{value[:3]}-{value[3:7]}-{value[7:]}"
        if style == 3:
            return value.translate(FULL_WIDTH)
        return value

    def landline(self) -> str:
        return "0371" + str(self.rng.randint(60000000, 69999999))

    def render_landline(self, value: str) -> str:
        return self.rng.choice((f"{value[:4]}-{value[4:]}", f"({value[:4]}){value[4:]}", value))

    def bank_card(self) -> str:
        body = "6222" + "".join(self.rng.choice("0123456789") for _ in range(14))
        return body + luhn.calc_check_digit(body)

    def render_card(self, value: str) -> str:
        if self.rng.random() < 0.5:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def address(self) -> tuple[str, str]:
        """(full address, as written: sometimes without province, or province and city)."""
        rng = self.rng
        province, city, districts = rng.choice(PLACES)
        district = rng.choice(districts)
        rest = (
            f"{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.randint(1, 30)}号楼"
            f"{rng.randint(1, 6)}单元{rng.randint(1, 33)}{rng.randint(1, 4):02d}室"
        )
        full = province + city + district + rest
        written = rng.choice((full, city + district + rest, district + rest))
        return full, written

    def certificate(self) -> tuple[str, str]:
        number = f"{self.rng.randint(1, 9999999):07d}"
        year = self.rng.randint(2016, 2025)
        known = f"豫({year})郑州市不动产权第{number}号"
        written = self.rng.choice((known, f"豫（{year}）郑州市不动产权第{number}号"))
        return known, written

    def uscc(self) -> str:
        n = self.rng.randrange(31**9)
        body = ""
        for _ in range(9):
            body = USCC_ALPHABET[n % 31] + body
            n //= 31
        stem = "91" + self.rng.choice(("410100", "410105", "370306")) + body
        return stem + uscc.calc_check_digit(stem)

    def person(self, avoid: set[str]) -> str:
        while True:
            name = self.fake.name()
            if len(name) >= 2 and not any(name in a or a in name for a in avoid):
                avoid.add(name)
                return name

    def officers(self, avoid: set[str]) -> tuple[str, list[str]]:
        names = [self.person(avoid) for _ in range(2)]
        numbers = [f"410100{self.rng.randint(20150000, 20259999)}" for _ in names]
        text = "、".join(f"{n}（执法证号：{c}）" for n, c in zip(names, numbers, strict=True))
        return text, [*names, *numbers]

    def body(self, pool: tuple[str, ...]) -> tuple[str, list[str]]:
        """The filler paragraphs (all of them, in order), and each as a public value."""
        if not self.filler:
            return "", []
        return "".join(f"{p}\n" for p in pool), list(pool)

    def doc_number(self) -> str:
        self.serial += 1
        return f"郑金市监罚〔2026〕{self.serial % 900 + 1}号"

    def amount(self) -> tuple[str, str]:
        value = self.rng.choice((5000, 10000, 20000, 50000, 80000))
        return f"罚款人民币{value}元", f"{value // 10000}万元" if value >= 10000 else f"{value}元"

    def date(self) -> str:
        return f"2026年{self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日"

    # Documents -------------------------------------------------------------------------

    def penalty_natural(self) -> Document:
        avoid: set[str] = {AGENCY}
        name = self.person(avoid)
        id_number, phone, card = self.id_number(), self.mobile(), self.bank_card()
        address, address_written = self.address()
        cert, cert_written = self.certificate()
        id_w, phone_w, card_w = self.render_id(id_number), self.render_phone(phone), None
        card_w = self.render_card(card)
        officers, officer_values = self.officers(avoid)
        doc_no, statute, date = self.doc_number(), self.rng.choice(STATUTES), self.date()
        fine, fine_short = self.amount()
        disease = self.rng.choice(DISEASES)
        mask = self.rng.random() < 0.7
        body, body_public = self.body(DECISION_FILLER)
        text = (
            f"{AGENCY}\n行政处罚决定书\n{doc_no}\n"
            f"当事人：{name}，性别：男，公民身份号码：{id_w}，住址：{address_written}，"
            f"联系电话：{phone_w}。\n"
            f"{date}，本局执法人员{officers}对当事人经营场所进行检查，发现当事人销售过期食品。"
            f"当事人通过其银行卡{card_w}收取货款。当事人所有的房屋（{cert_written}）作为仓库使用。"
            f"当事人称其患有{disease}，家庭经济困难，名下有房产一套。\n"
            f"{body}以上事实违反了{statute}的规定。本局决定：{fine}（{fine_short}）。\n"
            f"如不服本决定，可在收到本决定书之日起六十日内申请行政复议。"
            f"咨询电话：{HOTLINE}，投诉举报电话：12315。地址：{AGENCY_ADDRESS}。\n{AGENCY}\n{date}\n"
        )
        party = PartyFacts(
            kind="natural_person",
            name=name,
            id_number=id_number,
            address=address,
            phone=phone,
            bank_account=card,
            property_certificates=(cert,),
        )
        return Document(
            kind="penalty_natural",
            text=text,
            parties=(party,),
            personal=[
                ("id_number", id_w),
                ("address", address_written),
                ("phone", phone_w),
                ("bank_account", card_w),
                ("property_certificate", cert_written),
                ("health", disease),
                ("property_status", "名下有房产一套"),
                ("property_status", "家庭经济困难"),
            ],
            public=[
                AGENCY,
                doc_no,
                statute,
                fine,
                fine_short,
                date,
                HOTLINE,
                "12315",
                AGENCY_ADDRESS,
                *officer_values,
                *body_public,
            ],
            mask_names=mask,
            masked_names=[name] if mask else [],
        )

    def penalty_legal(self) -> Document:
        avoid: set[str] = {AGENCY}
        company = self.fake.company()
        avoid.add(company)
        code = self.uscc()
        representative = self.person(avoid)
        rep_id = self.id_number()
        phone = self.landline()
        phone_w = self.render_landline(phone)
        account = "".join(self.rng.choice("0123456789") for _ in range(self.rng.randint(13, 20)))
        seat = f"郑州市金水区{self.rng.choice(ROADS)}{self.rng.randint(1, 300)}号"
        cert, cert_written = self.certificate()
        officers, officer_values = self.officers(avoid)
        doc_no, statute, date = self.doc_number(), self.rng.choice(STATUTES), self.date()
        fine, fine_short = self.amount()
        body, body_public = self.body(DECISION_FILLER)
        text = (
            f"{AGENCY}\n行政处罚决定书\n{doc_no}\n"
            f"当事人：{company}\n统一社会信用代码：{code}\n住所：{seat}\n"
            f"法定代表人：{representative}，身份证号码：{self.render_id(rep_id)}\n"
            f"联系电话：{phone_w}\n基本账户：{account}\n"
            f"{date}，本局执法人员{officers}对当事人进行检查。当事人以其厂房（{cert_written}）"
            f"抵押。\n{body}以上事实违反了{statute}的规定，本局决定：{fine}（{fine_short}）。\n"
            f"咨询电话：{HOTLINE}。\n{AGENCY}\n{date}\n"
        )
        party = PartyFacts(
            kind="legal_person",
            name=company,
            uscc=code,
            address=seat,
            phone=phone,
            bank_account=account,
            representative=representative,
            representative_id_number=rep_id,
            property_certificates=(cert,),
        )
        return Document(
            kind="penalty_legal",
            text=text,
            parties=(party,),
            personal=[
                ("representative_id_number", self.render_id(rep_id)),
                ("representative_id_number", rep_id),
                ("phone", phone_w),
                ("bank_account", account),
                ("property_certificate", cert_written),
            ],
            public=[
                AGENCY,
                company,
                code,
                seat,
                representative,
                doc_no,
                statute,
                fine,
                fine_short,
                date,
                HOTLINE,
                *officer_values,
                *body_public,
            ],
        )

    def inquiry(self) -> Document:
        """An inquiry record: the party is known, a witness is not."""
        avoid: set[str] = {AGENCY}
        name, witness = self.person(avoid), self.person(avoid)
        id_number, phone = self.id_number(), self.mobile()
        witness_id, witness_phone = self.id_number(), self.mobile()
        witness_card = self.bank_card()
        address, address_written = self.address()
        _, witness_address = self.address()
        email = f"{self.fake.user_name()}{self.rng.randint(10, 99)}@example.com"
        officers, officer_values = self.officers(avoid)
        date, disease = self.date(), self.rng.choice(DISEASES)
        savings = f"存款约人民币{self.rng.randint(2, 90)}万元"
        mask = self.rng.random() < 0.7
        body, body_public = self.body(INQUIRY_FILLER)
        text = (
            f"询问笔录\n时间：{date}\n地点：{AGENCY}\n询问人：{officers}\n"
            f"被询问人：{name}，身份证号码：{self.render_id(id_number)}，"
            f"现住址：{address_written}，联系电话：{self.render_phone(phone)}，"
            f"电子邮箱：{email}。\n"
            f"问：你的身体状况如何？答：我患有{disease}，一直在吃药。\n"
            f"问：你的财产状况？答：{savings}。\n"
            f"问：还有谁知道？答：我的朋友{witness}，身份证号{self.render_id(witness_id)}，"
            f"手机{self.render_phone(witness_phone)}，家住{witness_address}，"
            f"他的银行卡{self.render_card(witness_card)}也收过货款。\n"
            f"{body}以上笔录我已看过，与我说的相符。\n"
        )
        party = PartyFacts(
            kind="natural_person", name=name, id_number=id_number, address=address, phone=phone
        )
        return Document(
            kind="inquiry",
            text=text,
            parties=(party,),
            personal=[
                ("id_number", id_number),
                ("address", address_written),
                ("phone", phone),
                ("email", email),
                ("health", disease),
                ("property_status", savings),
                ("witness id_number", witness_id),
                ("witness id_number", witness_id.lower()),
                ("witness phone", witness_phone),
                ("witness address", witness_address),
                ("witness bank_account", witness_card),
            ],
            public=[AGENCY, date, *officer_values, *body_public],
            mask_names=mask,
            masked_names=[name] if mask else [],
        )

    def inspection(self) -> Document:
        """An inspection result: an organisation and an unknown contact person."""
        avoid: set[str] = {AGENCY}
        company = self.fake.company()
        avoid.add(company)
        code = self.uscc()
        contact, contact_phone = self.person(avoid), self.mobile()
        officers, officer_values = self.officers(avoid)
        date = self.date()
        seat = f"郑州市二七区{self.rng.choice(ROADS)}{self.rng.randint(1, 300)}号"
        body, body_public = self.body(INSPECTION_FILLER)
        text = (
            f"“双随机、一公开”抽查结果\n抽查对象：{company}（统一社会信用代码：{code}）\n"
            f"住所：{seat}\n检查人员：{officers}\n检查日期：{date}\n"
            f"现场联系人：{contact}，手机：{self.render_phone(contact_phone)}\n"
            f"{body}检查结果：未发现问题。依据《中华人民共和国食品安全法》第八十七条。\n"
            f"监督电话：{HOTLINE}\n"
        )
        party = PartyFacts(kind="legal_person", name=company, uscc=code, address=seat)
        return Document(
            kind="inspection",
            text=text,
            parties=(party,),
            personal=[("contact phone", contact_phone)],
            public=[
                company,
                code,
                seat,
                date,
                HOTLINE,
                "《中华人民共和国食品安全法》第八十七条",
                *officer_values,
                *body_public,
            ],
        )

    def documents(self, count: int) -> Iterator[Document]:
        makers = (self.penalty_natural, self.penalty_legal, self.inquiry, self.inspection)
        for index in range(count):
            yield makers[index % len(makers)]()


def masked(name: str) -> str:
    return mask_name(name)
