"""Reference lists for the seed: what a market-regulation bureau, an urban-management (or
comprehensive enforcement) bureau and an ecology-and-environment bureau publish.

The powers, their bases and the statutory ranges are real; each basis cites an article
checked against the statute's text (《中华人民共和国食品安全法》第三十五条、第一百一十条、
第一百二十二条、第一百二十四条; 《中华人民共和国城乡规划法》第五十三条、第六十四条、
第六十八条; 《城市道路管理条例》第二十七条、第四十二条; 《城市市容和环境卫生管理条例》
第十一条; 《中华人民共和国大气污染防治法》第九十九条; 《中华人民共和国环境保护法》
第二十四条、第二十五条; 《中华人民共和国行政许可法》第四十二条、第五十八条;
《中华人民共和国行政强制法》第二十五条、第四十四条; 《中华人民共和国行政处罚法》
第三十二条、第三十三条、第三十四条、第六十条; 《中华人民共和国行政诉讼法》第四十六条).
How the discretion standards divide the statutory range into tiers is illustrative: every
tier lies inside the statutory range (减轻处罚 below its minimum, as 行政处罚法 第三十二条
allows), which the models check.

Text may contain ``{agency}`` (the agency's name) and ``{unit}`` (the handling unit's name,
or the agency's when it has none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .models import AVRequirement, Circumstance, MultipleBase, PenaltyKind, PowerCategory
from .stages import ActionType, Stage

D = Decimal


@dataclass(frozen=True)
class TierSpec:
    circumstance: str
    description: str
    kinds: tuple[str, ...]
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None


@dataclass(frozen=True)
class StandardSpec:
    key: str
    violation: str
    basis: str
    tiers: tuple[TierSpec, ...]
    multiple_base: str = MultipleBase.NONE
    base_threshold: Decimal | None = None
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    standard_basis: str = "《中华人民共和国行政处罚法》第三十四条"


@dataclass(frozen=True)
class GuideSpec:
    procedure: str
    accepting_body: str
    approving_body: str
    conditions: str
    time_limit: str
    materials: tuple[str, ...]
    place: str = "{agency}政务服务窗口"


@dataclass(frozen=True)
class PowerSpec:
    key: str  # the code's suffix: CF-0122 …
    category: str
    name: str
    basis: str
    responsibility: str
    time_limit: str
    statutory_days: int | None = None
    fees: str = "不收费"
    violation: str = ""
    unit_words: tuple[str, ...] = ()
    standards: tuple[StandardSpec, ...] = ()
    guide: GuideSpec | None = None


@dataclass(frozen=True)
class RandomSpec:
    key: str
    name: str
    basis: str
    targets: str
    ratio: Decimal
    frequency: str
    method: str
    content: str
    power_key: str = ""


@dataclass(frozen=True)
class AVSpec:
    key: str
    action_type: str
    stage: str
    activity: str
    requirement: str
    method: str = "执法记录仪录音录像"


@dataclass(frozen=True)
class DepartmentLists:
    key: str
    # An agency takes these lists when its name contains any of the words (checked in
    # DEPARTMENT_ORDER: 市场监管综合行政执法支队 is market regulation, not urban management).
    words: tuple[str, ...]
    code_prefix: str
    powers: tuple[PowerSpec, ...]
    randoms: tuple[RandomSpec, ...]
    avs: tuple[AVSpec, ...] = field(default=())


_FINE = PenaltyKind.FINE
_GAINS = PenaltyKind.CONFISCATE_GAINS
_PROPERTY = PenaltyKind.CONFISCATE_PROPERTY

_PENALTY_LIMIT = "自立案之日起九十日内作出行政处罚决定（《中华人民共和国行政处罚法》第六十条）"
_PENALTY_DUTIES = (
    "1.立案责任：对监督检查、投诉举报、移送等发现的违法线索予以审查，决定是否立案；"
    "2.调查责任：两名以上执法人员出示执法证件，全面、客观、公正地调查取证；"
    "3.审查责任：审查案件事实、证据、依据、程序和裁量，适用一般程序的进行法制审核；"
    "4.告知责任：作出决定前告知拟作出的处罚内容及事实、理由、依据和陈述、申辩、要求听证的权利；"
    "5.决定责任：依法作出处罚或者不予处罚的决定，制作行政处罚决定书；"
    "6.送达责任：依法送达行政处罚决定书；"
    "7.执行责任：监督当事人履行，依法催告和申请强制执行；"
    "8.其他法律法规规章规定应履行的责任。"
)
_LICENCE_DUTIES = (
    "1.受理责任：公示许可条件、程序、期限和申请材料目录，一次性告知需要补正的材料，依法受理或者不予受理；"
    "2.审查责任：审查申请材料，依法需要现场核查的组织核查；"
    "3.决定责任：作出准予或者不予许可的书面决定，不予许可的说明理由并告知申请行政复议、提起行政诉讼的权利；"
    "4.送达责任：准予许可的，颁发、送达许可证件；"
    "5.事后监管责任：对被许可人从事许可事项的活动实施监督检查；"
    "6.其他法律法规规章规定应履行的责任。"
)
_LICENCE_LIMIT = (
    "自受理申请之日起20个工作日内作出决定；20个工作日内不能作出决定的，经本机关负责人批准"
    "可以延长10个工作日，并告知申请人延长理由（《中华人民共和国行政许可法》第四十二条）"
)
_LICENCE_FEES = "不收费（《中华人民共和国行政许可法》第五十八条）"
_LICENCE_PROCEDURE = (
    "申请→受理（材料不全的一次性告知补正）→审查（必要时现场核查）→决定→颁发、送达许可证件"
)
_INSPECTION_DUTIES = (
    "1.检查责任：按照年度检查计划和“双随机、一公开”要求确定检查对象和检查人员，"
    "执法人员不少于两人并出示执法证件；"
    "2.处置责任：对检查中发现的违法行为依法责令改正、立案查处，涉嫌犯罪的移送司法机关；"
    "3.记录公开责任：如实记录检查情况和处理结果，依法公开抽查检查结果；"
    "4.其他法律法规规章规定应履行的责任。"
)
_COERCION_DUTIES = (
    "1.审批责任：实施前向本机关负责人报告并经批准，情况紧急当场实施的，在二十四小时内补办批准手续；"
    "2.告知责任：通知当事人到场，当场告知采取措施的理由、依据以及依法享有的权利、救济途径，听取陈述和申辩；"
    "3.实施责任：两名以上执法人员实施，出示执法证件，制作现场笔录和查封、扣押决定书及清单并当场交付；"
    "4.保管处理责任：妥善保管查封、扣押的财物，在法定期限内作出处理决定或者解除；"
    "5.其他法律法规规章规定应履行的责任。"
)
_SEIZURE_LIMIT = (
    "查封、扣押的期限不得超过三十日；情况复杂的，经本机关负责人批准可以延长，"
    "但延长期限不得超过三十日（《中华人民共和国行政强制法》第二十五条）"
)
_EXEMPT = "初次违法且危害后果轻微并及时改正的，或者违法行为轻微并及时改正、没有造成危害后果的（《中华人民共和国行政处罚法》第三十三条）"
_MITIGATED = "主动消除或者减轻违法行为危害后果，或者配合行政机关查处违法行为有立功表现等依法应当减轻处罚的（《中华人民共和国行政处罚法》第三十二条）"

# --------------------------------------------------------------------------- 市场监督管理

_FOOD_122 = StandardSpec(
    key="CF-0122-1",
    violation="未取得食品经营许可从事食品经营活动",
    basis="《中华人民共和国食品安全法》第一百二十二条第一款",
    multiple_base=MultipleBase.GOODS_VALUE,
    base_threshold=D("10000"),
    fine_min=D("50000"),
    fine_max=D("100000"),
    multiple_min=D("10"),
    multiple_max=D("20"),
    tiers=(
        TierSpec(Circumstance.EXEMPT, _EXEMPT, (PenaltyKind.NONE,)),
        TierSpec(
            Circumstance.MITIGATED,
            _MITIGATED,
            (_GAINS, _PROPERTY, _FINE),
            D("20000"),
            D("50000"),
            D("5"),
            D("10"),
        ),
        TierSpec(
            Circumstance.ORDINARY,
            "货值金额较小，经营时间较短，初次被查处，能够积极配合调查的",
            (_GAINS, _PROPERTY, _FINE),
            D("50000"),
            D("70000"),
            D("10"),
            D("13"),
        ),
        TierSpec(
            Circumstance.SERIOUS,
            "经营时间较长、经营规模较大，或者经责令停止经营后仍继续经营的",
            (_GAINS, _PROPERTY, _FINE),
            D("70000"),
            D("85000"),
            D("13"),
            D("17"),
        ),
        TierSpec(
            Circumstance.SEVERE,
            "拒不配合调查、转移隐匿违法经营的食品，或者造成食品安全事故等严重后果的",
            (_GAINS, _PROPERTY, _FINE),
            D("85000"),
            D("100000"),
            D("17"),
            D("20"),
        ),
    ),
)

_FOOD_124 = StandardSpec(
    key="CF-0124-1",
    violation=(
        "经营农药残留、兽药残留、生物毒素、重金属等污染物质以及其他危害人体健康的物质含量"
        "超过食品安全标准限量的食品，或者经营腐败变质、标注虚假生产日期、超过保质期等"
        "不符合食品安全标准的食品"
    ),
    basis="《中华人民共和国食品安全法》第一百二十四条",
    multiple_base=MultipleBase.GOODS_VALUE,
    base_threshold=D("10000"),
    fine_min=D("50000"),
    fine_max=D("100000"),
    multiple_min=D("10"),
    multiple_max=D("20"),
    tiers=(
        TierSpec(
            Circumstance.MITIGATED,
            _MITIGATED,
            (_GAINS, _PROPERTY, _FINE),
            D("25000"),
            D("50000"),
            D("5"),
            D("10"),
        ),
        TierSpec(
            Circumstance.ORDINARY,
            "货值金额较小，尚未造成危害后果，能够主动召回、下架问题食品的",
            (_GAINS, _PROPERTY, _FINE),
            D("50000"),
            D("65000"),
            D("10"),
            D("13"),
        ),
        TierSpec(
            Circumstance.SERIOUS,
            "问题食品已销售且无法召回，或者两年内因同类违法行为受过行政处罚的",
            (_GAINS, _PROPERTY, _FINE),
            D("65000"),
            D("85000"),
            D("13"),
            D("17"),
        ),
        TierSpec(
            Circumstance.SEVERE,
            "主要面向婴幼儿、学生等特定人群经营，或者造成人身伤害等严重后果的（情节严重的，吊销许可证）",
            (_GAINS, _PROPERTY, _FINE, PenaltyKind.REVOKE_LICENCE),
            D("85000"),
            D("100000"),
            D("17"),
            D("20"),
        ),
    ),
)

MARKET = DepartmentLists(
    key="market",
    words=("市场监督管理", "市场监管"),
    code_prefix="SJ",
    powers=(
        PowerSpec(
            key="XK-0035",
            category=PowerCategory.LICENSING,
            name="食品经营许可",
            basis="《中华人民共和国食品安全法》第三十五条；《中华人民共和国行政许可法》第四十二条",
            responsibility=_LICENCE_DUTIES,
            time_limit=_LICENCE_LIMIT,
            statutory_days=20,
            fees=_LICENCE_FEES,
            unit_words=("食品", "审批", "登记"),
            guide=GuideSpec(
                procedure=_LICENCE_PROCEDURE,
                accepting_body="{agency}政务服务窗口",
                approving_body="{agency}",
                conditions=(
                    "从事食品销售、餐饮服务，具有与经营的食品品种、数量相适应的经营场所和设备设施，"
                    "有食品安全管理人员和保证食品安全的规章制度，具有合理的设备布局和工艺流程；"
                    "销售食用农产品和仅销售预包装食品的，不需要取得许可（《中华人民共和国食品安全法》第三十五条）。"
                ),
                time_limit="20个工作日（经批准可延长10个工作日）",
                materials=(
                    "食品经营许可申请书",
                    "营业执照或者其他主体资格证明文件",
                    "与食品经营相适应的主要设备设施布局、操作流程等文件",
                    "食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度",
                    "委托他人办理的，提交授权委托书及代理人身份证明",
                ),
            ),
        ),
        PowerSpec(
            key="CF-0122",
            category=PowerCategory.PENALTY,
            name="对未取得食品经营许可从事食品经营活动的行政处罚",
            basis="《中华人民共和国食品安全法》第三十五条、第一百二十二条第一款",
            responsibility=_PENALTY_DUTIES,
            time_limit=_PENALTY_LIMIT,
            violation="未取得食品经营许可从事食品经营活动",
            unit_words=("稽查", "执法", "食品"),
            standards=(_FOOD_122,),
        ),
        PowerSpec(
            key="CF-0124",
            category=PowerCategory.PENALTY,
            name="对经营不符合食品安全标准的食品的行政处罚",
            basis="《中华人民共和国食品安全法》第一百二十四条",
            responsibility=_PENALTY_DUTIES,
            time_limit=_PENALTY_LIMIT,
            violation=_FOOD_124.violation,
            unit_words=("稽查", "执法", "食品"),
            standards=(_FOOD_124,),
        ),
        PowerSpec(
            key="JC-0110",
            category=PowerCategory.INSPECTION,
            name="对食品生产经营者的监督检查",
            basis="《中华人民共和国食品安全法》第一百一十条",
            responsibility=_INSPECTION_DUTIES,
            time_limit="按照年度监督检查计划实施；检查结果当场告知被检查人",
            unit_words=("食品", "执法", "稽查"),
        ),
        PowerSpec(
            key="QZ-0110",
            category=PowerCategory.COERCION,
            name="查封、扣押不符合食品安全标准或者有证据证明存在安全隐患的食品",
            basis="《中华人民共和国食品安全法》第一百一十条；《中华人民共和国行政强制法》第二十五条",
            responsibility=_COERCION_DUTIES,
            time_limit=_SEIZURE_LIMIT,
            unit_words=("稽查", "执法", "食品"),
        ),
    ),
    randoms=(
        RandomSpec(
            key="SC-01",
            name="食品销售者监督检查",
            basis="《中华人民共和国食品安全法》第一百一十条",
            targets="辖区内取得食品经营许可的食品销售者",
            ratio=D("5.00"),
            frequency="每年不少于1次",
            method="随机抽取检查对象、随机选派执法检查人员，现场检查",
            content="许可证件及公示，进货查验和记录，食品贮存条件，临近保质期和超过保质期食品的处置，从业人员健康管理",
            power_key="JC-0110",
        ),
        RandomSpec(
            key="SC-02",
            name="餐饮服务单位食品安全检查",
            basis="《中华人民共和国食品安全法》第一百一十条",
            targets="辖区内餐饮服务经营者（含单位食堂）",
            ratio=D("10.00"),
            frequency="每年2次",
            method="随机抽取检查对象、随机选派执法检查人员，现场检查并可抽样检验",
            content="原料控制，加工制作过程，餐饮具清洗消毒，食品留样，从业人员健康管理",
            power_key="JC-0110",
        ),
    ),
    avs=(
        AVSpec(
            "AV-01",
            ActionType.PENALTY,
            Stage.INVESTIGATION,
            "现场检查、询问当事人、抽样取证、先行登记保存证据",
            AVRequirement.AV,
        ),
        AVSpec(
            "AV-02", ActionType.PENALTY, Stage.HEARING, "举行听证", AVRequirement.AV, "录音录像"
        ),
        AVSpec("AV-03", ActionType.PENALTY, Stage.SERVICE, "留置送达、公告送达", AVRequirement.AV),
        AVSpec(
            "AV-04",
            ActionType.COERCION,
            Stage.SEIZURE,
            "查封、扣押食品及有关物品现场（自到达现场开始至离开现场结束）",
            AVRequirement.FULL_PROCESS,
        ),
        AVSpec(
            "AV-05",
            ActionType.INSPECTION,
            Stage.SITE_INSPECTION,
            "双随机抽查现场检查",
            AVRequirement.AV,
        ),
    ),
)

# --------------------------------------------------------------------------- 城市管理

_PLANNING_64 = StandardSpec(
    key="CF-0064-1",
    violation="未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设，尚可采取改正措施消除对规划实施的影响的",
    basis="《中华人民共和国城乡规划法》第六十四条",
    multiple_base=MultipleBase.CONSTRUCTION_COST,
    multiple_min=D("0.05"),
    multiple_max=D("0.10"),
    tiers=(
        TierSpec(
            Circumstance.ORDINARY,
            "违法建设面积较小，在责令停止建设后立即停止并在限期内改正的",
            (_FINE,),
            multiple_min=D("0.05"),
            multiple_max=D("0.07"),
        ),
        TierSpec(
            Circumstance.SERIOUS,
            "违法建设面积较大，或者经责令停止建设后仍继续建设的",
            (_FINE,),
            multiple_min=D("0.07"),
            multiple_max=D("0.085"),
        ),
        TierSpec(
            Circumstance.SEVERE,
            "拒不停止建设、逾期不改正，或者严重影响相邻权利人、公共安全的",
            (_FINE,),
            multiple_min=D("0.085"),
            multiple_max=D("0.10"),
        ),
    ),
)

_ROAD_42 = StandardSpec(
    key="CF-0042-1",
    violation="擅自占用或者挖掘城市道路",
    basis="《城市道路管理条例》第二十七条、第四十二条",
    fine_max=D("20000"),
    tiers=(
        TierSpec(Circumstance.EXEMPT, _EXEMPT, (PenaltyKind.NONE,)),
        TierSpec(
            Circumstance.ORDINARY,
            "占用面积10平方米以下或者占用时间不超过7日，在责令期限内改正的",
            (_FINE,),
            D("2000"),
            D("8000"),
        ),
        TierSpec(
            Circumstance.SERIOUS,
            "占用面积10平方米以上50平方米以下或者占用时间7日以上30日以下的",
            (_FINE,),
            D("8000"),
            D("15000"),
        ),
        TierSpec(
            Circumstance.SEVERE,
            "占用面积50平方米以上、占用时间30日以上，或者造成道路损坏、交通阻塞等后果的",
            (_FINE,),
            D("15000"),
            D("20000"),
        ),
    ),
)

URBAN = DepartmentLists(
    key="urban",
    words=("城市管理", "综合行政执法局"),
    code_prefix="CG",
    powers=(
        PowerSpec(
            key="CF-0064",
            category=PowerCategory.PENALTY,
            name="对未取得建设工程规划许可证或者未按照许可证规定进行建设的行政处罚",
            basis="《中华人民共和国城乡规划法》第六十四条",
            responsibility=_PENALTY_DUTIES,
            time_limit=_PENALTY_LIMIT,
            violation="未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设",
            unit_words=("违法建设", "执法"),
            standards=(_PLANNING_64,),
        ),
        PowerSpec(
            key="CF-0042",
            category=PowerCategory.PENALTY,
            name="对擅自占用或者挖掘城市道路的行政处罚",
            basis="《城市道路管理条例》第二十七条、第四十二条",
            responsibility=_PENALTY_DUTIES,
            time_limit=_PENALTY_LIMIT,
            violation="擅自占用或者挖掘城市道路",
            unit_words=("市政", "执法"),
            standards=(_ROAD_42,),
        ),
        PowerSpec(
            key="XK-0011",
            category=PowerCategory.LICENSING,
            name="大型户外广告设置审批",
            basis="《城市市容和环境卫生管理条例》第十一条；《中华人民共和国行政许可法》第四十二条",
            responsibility=_LICENCE_DUTIES,
            time_limit=_LICENCE_LIMIT,
            statutory_days=20,
            fees=_LICENCE_FEES,
            unit_words=("市容", "审批"),
            guide=GuideSpec(
                procedure=_LICENCE_PROCEDURE,
                accepting_body="{agency}政务服务窗口",
                approving_body="{agency}",
                conditions=(
                    "设置位置符合户外广告设置规划，内容健康、外型美观，设施结构安全，"
                    "并承诺定期维修、油饰或者到期拆除（《城市市容和环境卫生管理条例》第十一条）。"
                ),
                time_limit="20个工作日（经批准可延长10个工作日）",
                materials=(
                    "户外广告设置申请表",
                    "营业执照或者身份证明",
                    "设置场地的使用权证明或者与产权人签订的协议",
                    "广告设施设计效果图、结构图及安全性说明",
                    "设置地点现状照片和位置示意图",
                ),
            ),
        ),
        PowerSpec(
            key="QZ-0068",
            category=PowerCategory.COERCION,
            name="对违法建设查封施工现场、强制拆除",
            basis="《中华人民共和国城乡规划法》第六十八条；《中华人民共和国行政强制法》第四十四条",
            responsibility=_COERCION_DUTIES,
            time_limit=(
                "强制拆除前予以公告，限期当事人自行拆除；当事人在法定期限内不申请行政复议或者提起"
                "行政诉讼，又不拆除的，依法强制拆除（《中华人民共和国行政强制法》第四十四条）"
            ),
            unit_words=("违法建设", "执法"),
        ),
        PowerSpec(
            key="JC-0053",
            category=PowerCategory.INSPECTION,
            name="对城乡规划实施情况的监督检查",
            basis="《中华人民共和国城乡规划法》第五十三条",
            responsibility=_INSPECTION_DUTIES,
            time_limit="日常巡查和按照年度检查计划实施",
            unit_words=("违法建设", "执法", "督察"),
        ),
    ),
    randoms=(
        RandomSpec(
            key="CG-01",
            name="建设工程规划许可执行情况随机抽查",
            basis="《中华人民共和国城乡规划法》第五十三条",
            targets="辖区内取得建设工程规划许可证的在建项目",
            ratio=D("5.00"),
            frequency="每年不少于1次",
            method="随机抽取检查对象、随机选派执法检查人员，现场勘测、查阅资料",
            content="是否按照建设工程规划许可证及附图、附件的规定进行建设",
            power_key="JC-0053",
        ),
    ),
    avs=(
        AVSpec(
            "AV-01",
            ActionType.PENALTY,
            Stage.INVESTIGATION,
            "现场勘验、测量违法建设，询问当事人",
            AVRequirement.AV,
        ),
        AVSpec(
            "AV-02",
            ActionType.PENALTY,
            Stage.SERVICE,
            "留置送达、公告送达（张贴限期拆除公告）",
            AVRequirement.AV,
        ),
        AVSpec(
            "AV-03",
            ActionType.COERCION,
            Stage.SEIZURE,
            "查封施工现场（自到达现场开始至离开现场结束）",
            AVRequirement.FULL_PROCESS,
        ),
        AVSpec(
            "AV-04",
            ActionType.COERCION,
            Stage.DEMOLITION,
            "强制拆除违法建筑物、构筑物、设施（自到达现场开始至离开现场结束）",
            AVRequirement.FULL_PROCESS,
            "执法记录仪和摄像机同步录音录像",
        ),
        AVSpec(
            "AV-05",
            ActionType.INSPECTION,
            Stage.SITE_INSPECTION,
            "日常巡查和现场检查",
            AVRequirement.AV,
        ),
    ),
)

# --------------------------------------------------------------------------- 生态环境

_AIR_99 = StandardSpec(
    key="CF-0099-1",
    violation=(
        "未依法取得排污许可证排放大气污染物，超过大气污染物排放标准或者超过重点大气污染物排放"
        "总量控制指标排放大气污染物，或者通过逃避监管的方式排放大气污染物"
    ),
    basis="《中华人民共和国大气污染防治法》第九十九条",
    fine_min=D("100000"),
    fine_max=D("1000000"),
    tiers=(
        TierSpec(Circumstance.MITIGATED, _MITIGATED, (_FINE,), D("50000"), D("100000")),
        TierSpec(
            Circumstance.ORDINARY,
            "超标倍数在0.5倍以下或者超标时间较短，初次违法并及时改正的",
            (_FINE,),
            D("100000"),
            D("300000"),
        ),
        TierSpec(
            Circumstance.SERIOUS,
            "超标倍数在0.5倍以上1倍以下，或者一年内因同类违法行为受过行政处罚的",
            (_FINE,),
            D("300000"),
            D("600000"),
        ),
        TierSpec(
            Circumstance.SEVERE,
            "超标1倍以上，或者通过暗管、篡改监测数据等逃避监管的方式排放，造成严重污染的"
            "（情节严重的，报经有批准权的人民政府批准，责令停业、关闭）",
            (_FINE, PenaltyKind.CLOSE),
            D("600000"),
            D("1000000"),
        ),
    ),
)

ECOLOGY = DepartmentLists(
    key="ecology",
    words=("生态环境",),
    code_prefix="HJ",
    powers=(
        PowerSpec(
            key="CF-0099",
            category=PowerCategory.PENALTY,
            name="对超过大气污染物排放标准排放大气污染物等违法行为的行政处罚",
            basis="《中华人民共和国大气污染防治法》第九十九条",
            responsibility=_PENALTY_DUTIES,
            time_limit=_PENALTY_LIMIT,
            violation=_AIR_99.violation,
            unit_words=("环境执法", "执法", "大气"),
            standards=(_AIR_99,),
        ),
        PowerSpec(
            key="QZ-0025",
            category=PowerCategory.COERCION,
            name="查封、扣押造成污染物排放的设施、设备",
            basis="《中华人民共和国环境保护法》第二十五条；《中华人民共和国行政强制法》第二十五条",
            responsibility=_COERCION_DUTIES,
            time_limit=_SEIZURE_LIMIT,
            unit_words=("环境执法", "执法"),
        ),
        PowerSpec(
            key="JC-0024",
            category=PowerCategory.INSPECTION,
            name="对排放污染物的企业事业单位和其他生产经营者的现场检查",
            basis="《中华人民共和国环境保护法》第二十四条",
            responsibility=_INSPECTION_DUTIES,
            time_limit="按照年度执法检查计划和“双随机、一公开”要求实施",
            unit_words=("环境执法", "执法"),
        ),
    ),
    randoms=(
        RandomSpec(
            key="HJ-01",
            name="重点排污单位随机抽查",
            basis="《中华人民共和国环境保护法》第二十四条",
            targets="辖区内列入重点排污单位名录的企业事业单位",
            ratio=D("20.00"),
            frequency="每年不少于1次",
            method="随机抽取检查对象、随机选派执法检查人员，现场检查并采样监测",
            content="排污许可执行情况，污染防治设施运行情况，自动监测设备运行和数据真实性，危险废物贮存处置",
            power_key="JC-0024",
        ),
        RandomSpec(
            key="HJ-02",
            name="一般排污单位随机抽查",
            basis="《中华人民共和国环境保护法》第二十四条",
            targets="辖区内实行排污许可简化管理和登记管理的排污单位",
            ratio=D("5.00"),
            frequency="每年1次",
            method="随机抽取检查对象、随机选派执法检查人员，现场检查",
            content="排污许可或者排污登记执行情况，污染防治设施运行情况",
            power_key="JC-0024",
        ),
    ),
    avs=(
        AVSpec(
            "AV-01",
            ActionType.PENALTY,
            Stage.INVESTIGATION,
            "现场调查取证、采样监测、询问当事人",
            AVRequirement.AV,
        ),
        AVSpec(
            "AV-02", ActionType.PENALTY, Stage.HEARING, "举行听证", AVRequirement.AV, "录音录像"
        ),
        AVSpec(
            "AV-03",
            ActionType.COERCION,
            Stage.SEIZURE,
            "查封、扣押排污设施、设备现场（自到达现场开始至离开现场结束）",
            AVRequirement.FULL_PROCESS,
        ),
        AVSpec(
            "AV-04",
            ActionType.INSPECTION,
            Stage.SITE_INSPECTION,
            "现场检查、采样监测",
            AVRequirement.AV,
        ),
    ),
)

# Checked in this order: the first department whose words the agency's name contains.
DEPARTMENT_ORDER: tuple[DepartmentLists, ...] = (MARKET, ECOLOGY, URBAN)

# Zhoucun's measure also names the investigation acts to record on AV (002 第三十三条) and
# hearings (002 第三十六条); the seed cites them beside 002 第二十五条.
EXTRA_AV_BASIS: dict[tuple[str, str], str] = {
    ("zhoucun", Stage.INVESTIGATION): "002 第三十三条",
    ("zhoucun", Stage.HEARING): "002 第三十六条",
    ("zhoucun", Stage.SERVICE): "002 第三十九条",
}
