"""Synthetic but realistic master data: jurisdictions, agencies, units, officers with their
certificates, and entrustments, deterministic for a seed and written in bulk.

    result = seed(seed=7, agencies=100, officers=1000)

What is real and what is made up
--------------------------------
Jurisdictions are real: their 行政区划代码 (GB/T 2260), names, governments and the rule
profile each one takes. Agency names follow the real pattern of the reformed departments
(郑州市金水区市场监督管理局, 郑州市生态环境局金水分局, 巩义市综合行政执法局 …); everything
identifying is synthetic but well-formed: 统一社会信用代码 with both GB 32100 and the embedded
GB 11714 check characters, 身份证号码 with the GB 11643 check digit and a sequence digit that
matches the gender, dialable landlines with the city's area code, mobiles in live ranges,
certificate numbers in the provincial style (豫A…, 鲁C…). People's names are drawn from Faker's
zh_CN data (surname frequencies included).

Determinism
-----------
Every draw comes from ``random.Random(seed)`` (names from the seeded Faker instance's own
generator), in a fixed order that never depends on what the database already holds or on
the day it runs; only dates are laid relative to today (so that most certificates are in
force whenever the data is seeded), and the draws that place them are the same on any day.
A clash with the database (or a repeat within the run) is resolved by a retry generator
seeded from (seed, kind, index, attempt), so it never shifts the main stream.

Re-running (idempotency)
------------------------
Rows are matched on their natural keys, and what is already there is skipped, not written
again and not changed:

* a jurisdiction by its code (get-or-create);
* an agency by (jurisdiction, name) — there is one 郑州市市场监督管理局, whatever the seed;
  a new agency's USCC that is taken by another row is redrawn;
* a unit by (agency, name);
* an officer by (身份证号码, 姓名): the same seed draws the same person again, who is then
  skipped with their certificates; a number held by a different person is redrawn;
* a certificate number held by another certificate is redrawn;
* an entrustment by (agency, entrusted body).

So ``seed`` twice with the same arguments writes nothing the second time, and another seed
adds people to the same agencies. Everything runs in one transaction.

Scale
-----
Rows are built in memory per batch (``BATCH_SIZE``) and written with ``bulk_create``; the
database is asked a bounded number of questions per batch (existing identity numbers and
certificate numbers), never one per row. ``save()`` and ``full_clean()`` are not called for
the bulk rows, so the generator itself keeps every field within the models' validators
(the tests check all of them).
"""

from __future__ import annotations

import datetime
import itertools
import math
import random
import time
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from django.db import transaction
from django.utils import timezone
from faker import Faker
from faker.providers.person.zh_CN import Provider as ZhPersonProvider
from stdnum.cn import ric
from stdnum.cn import uscc as uscc_mod

from .models import Agency, Certificate, Entrustment, Jurisdiction, Officer, Unit

BATCH_SIZE = 5000

_T = TypeVar("_T")

# --------------------------------------------------------------------------- reference data

_Level = Jurisdiction.Level


@dataclass(frozen=True)
class JurisdictionSpec:
    code: str
    name: str
    level: str
    parent: str | None
    government: str
    profile: str
    # What agency names start with: 郑州市金水区…, 巩义市…, 河南省….
    prefix: str
    area_code: str
    # Certificate numbers: 豫A (Zhengzhou, as on its licence plates), 鲁C (Zibo) …
    cert_prefix: str
    # Whether agencies are placed here (see the note on Shandong below).
    hosts_agencies: bool
    weight: float
    roads: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()
    # Development zones where a city department keeps a 分局.
    zones: tuple[str, ...] = ()

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def short(self) -> str:
        """金水区 → 金水, 管城回族区 → 管城, 巩义市 → 巩义; 濮阳县 stays (its city is 濮阳)."""
        if self.name.endswith("回族区"):
            return self.name[:-3]
        return self.name[:-1] if self.name[-1] in "区市" else self.name


# Shandong: the only Shandong rules shipped are Zhoucun's own measures (002, profile
# "zhoucun"); there is no Shandong or Zibo profile, so those two name none and no agency can
# be registered there (Agency.clean()). Agencies are placed in Shandong only in 周村区.
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _j(
    code: str,
    name: str,
    level: str,
    parent: str | None,
    government: str,
    profile: str,
    prefix: str,
    phone_area: str,
    cert_prefix: str,
    weight: float,
    roads: str = "",
    streets: str = "",
    zones: str = "",
) -> JurisdictionSpec:
    return JurisdictionSpec(
        code,
        name,
        level,
        parent,
        government,
        profile,
        prefix,
        phone_area,
        cert_prefix,
        weight > 0,
        weight,
        _words(roads),
        _words(streets),
        _words(zones),
    )


_P, _C, _X = _Level.PROVINCE, _Level.CITY, _Level.COUNTY

# fmt: off
JURISDICTIONS: tuple[JurisdictionSpec, ...] = (
    # code, name, level, parent, government, profile, agency-name prefix, phone area code,
    # certificate prefix, weight in the agency spread (0: hosts no agencies)
    _j("410000", "河南省", _P, None, "河南省人民政府", "henan", "河南省", "0371",
       "豫SZ", 4,  # SZ (省直): synthetic prefix for province-level officers
       roads="金水路 经三路 纬五路 农业东路 中州大道 黄河路 商务外环路"),
    _j("410100", "郑州市", _C, "410000", "郑州市人民政府", "zhengzhou", "郑州市", "0371", "豫A", 6,
       roads="中原中路 嵩山北路 金水东路 商务外环路 农业东路 淮河西路",
       zones="郑东新区 经济技术开发区 高新技术产业开发区 航空港经济综合实验区"),
    _j("410102", "中原区", _X, "410100", "郑州市中原区人民政府", "", "郑州市中原区", "0371",
       "豫A", 2, roads="中原中路 建设西路 桐柏路 秦岭路 伏牛路 棉纺路",
       streets="林山寨街道 建设路街道 棉纺路街道 秦岭路街道 桐柏路街道 三官庙街道"),
    _j("410103", "二七区", _X, "410100", "郑州市二七区人民政府", "", "郑州市二七区", "0371",
       "豫A", 2, roads="大学路 航海中路 长江路 兴华街 京广中路 嵩山南路",
       streets="淮河路街道 解放路街道 铭功路街道 一马路街道 五里堡街道 德化街街道"),
    _j("410104", "管城回族区", _X, "410100", "郑州市管城回族区人民政府", "", "郑州市管城回族区",
       "0371", "豫A", 2, roads="城东路 紫荆山路 商都路 航海东路 东明路",
       streets="北下街街道 西大街街道 南关街道 城东路街道 东大街街道 二里岗街道"),
    _j("410105", "金水区", _X, "410100", "郑州市金水区人民政府", "", "郑州市金水区", "0371",
       "豫A", 2.5, roads="花园路 经三路 农业路 文化路 东风路 纬五路 红专路",
       streets="经八路街道 花园路街道 人民路街道 杜岭街道 大石桥街道 南阳路街道 文化路街道"),
    _j("410106", "上街区", _X, "410100", "郑州市上街区人民政府", "", "郑州市上街区", "0371",
       "豫A", 1, roads="济源路 中心路 新安路 工业路",
       streets="济源路街道 中心路街道 新安路街道 工业路街道 矿山街道"),
    _j("410108", "惠济区", _X, "410100", "郑州市惠济区人民政府", "", "郑州市惠济区", "0371",
       "豫A", 1.5, roads="长兴路 天河路 开元路 英才街 江山路",
       streets="新城街道 刘寨街道 老鸦陈街道 长兴路街道 迎宾路街道 大河路街道"),
    _j("410122", "中牟县", _X, "410100", "中牟县人民政府", "", "中牟县", "0371", "豫A", 1.5,
       roads="青年路 建设路 商都大道 官渡大道", streets="青年路街道 东风路街道 广惠街街道"),
    _j("410181", "巩义市", _X, "410100", "巩义市人民政府", "", "巩义市", "0371", "豫A", 1.5,
       roads="新兴路 杜甫路 嵩山路 永安路", streets="新华路街道 杜甫路街道 永安路街道 孝义街道"),
    _j("410182", "荥阳市", _X, "410100", "荥阳市人民政府", "", "荥阳市", "0371", "豫A", 1.5,
       roads="索河路 京城路 郑上路 科技路", streets="索河街道 京城路街道"),
    _j("410183", "新密市", _X, "410100", "新密市人民政府", "", "新密市", "0371", "豫A", 1.5,
       roads="青屏大街 开阳路 西大街 平安路", streets="青屏街街道 新华路街道 西大街街道"),
    _j("410184", "新郑市", _X, "410100", "新郑市人民政府", "", "新郑市", "0371", "豫A", 1.5,
       roads="金城路 中华北路 轩辕路 新建路", streets="新建路街道 新华路街道 新烟街道"),
    _j("410185", "登封市", _X, "410100", "登封市人民政府", "", "登封市", "0371", "豫A", 1.5,
       roads="中岳大街 少林大道 嵩阳路 书院河路", streets="少林街道 嵩阳街道 中岳街道"),
    _j("410400", "平顶山市", _C, "410000", "平顶山市人民政府", "", "平顶山市", "0375", "豫D", 2.5,
       roads="建设路 中兴路 矿工路 光明路 开源路", zones="高新技术产业开发区 城乡一体化示范区"),
    _j("410402", "新华区", _X, "410400", "平顶山市新华区人民政府", "", "平顶山市新华区", "0375",
       "豫D", 1, roads="曙光街 体育路 建设路 中兴路",
       streets="曙光街街道 光明路街道 中兴路街道 矿工路街道"),
    _j("410403", "卫东区", _X, "410400", "平顶山市卫东区人民政府", "", "平顶山市卫东区", "0375",
       "豫D", 1, roads="东环路 建设路 五一路 优越路",
       streets="东安路街道 优越路街道 五一路街道 建设路街道"),
    _j("410900", "濮阳市", _C, "410000", "濮阳市人民政府", "", "濮阳市", "0393", "豫J", 2.5,
       roads="开州路 人民路 京开大道 中原路 黄河路 长庆路",
       zones="经济技术开发区 工业园区 城乡一体化示范区"),
    _j("410902", "华龙区", _X, "410900", "濮阳市华龙区人民政府", "", "濮阳市华龙区", "0393",
       "豫J", 1, roads="胜利路 人民路 建设路 大庆路",
       streets="人民路街道 胜利路街道 大庆路街道 中原路街道 长庆路街道"),
    _j("410928", "濮阳县", _X, "410900", "濮阳县人民政府", "", "濮阳县", "0393", "豫J", 1,
       roads="濮上路 谷堆路 文化路 振兴路", streets="城关镇 子岸镇 文留镇"),
    _j("370000", "山东省", _P, None, "山东省人民政府", "", "山东省", "0531", "鲁", 0),
    _j("370300", "淄博市", _C, "370000", "淄博市人民政府", "", "淄博市", "0533", "鲁C", 0),
    _j("370306", "周村区", _X, "370300", "淄博市周村区人民政府", "zhoucun", "淄博市周村区",
       "0533", "鲁C", 3, roads="正阳路 新建路 丝绸路 青年路 周隆路 东门路",
       streets="丝绸路街道 大街街道 青年路街道 永安街道 城北路街道"),
)
# fmt: on
_BY_CODE = {j.code: j for j in JURISDICTIONS}

# Provincial governments issue the certificates (河南：《河南省行政执法证件管理办法》).
_ISSUERS = {"410000": "河南省人民政府", "370000": "山东省人民政府"}

_LOCAL_LINES = {"0371": ("6", 8), "0375": ("2", 7), "0393": ("8", 7), "0533": ("6", 7)}


@dataclass(frozen=True)
class Department:
    key: str
    city_name: str  # at city and district level: 市场监督管理局
    province_name: str | None  # at province level, None if the province has no such organ
    field: str  # Agency.enforcement_fields
    category: str  # Certificate.category
    laws: str
    handling_units: tuple[str, ...]
    officer_weight: float
    # 综合行政执法支队/大队 for fields under 行政处罚法 第十八条 comprehensive enforcement.
    squad_field: str = ""
    # The county-level office is a 分局 of the city bureau (生态环境, 自然资源和规划).
    county_branch: bool = False
    at_county: bool = True
    authorised: bool = False
    entrustable: str = ""  # what a 街道 body may be entrusted with


_ENTRUST_URBAN = "对占道经营、乱堆乱放、违规设置户外广告、违规倾倒建筑垃圾等违反市容环境卫生管理规定行为的行政处罚"
_ENTRUST_MARKET = "对无照经营、销售过期食品等违法行为的行政检查和简易程序行政处罚"
_ENTRUST_SAFETY = "对辖区内小微企业安全生产违法行为的行政检查和简易程序行政处罚"
_ENTRUST_CULTURE = "对辖区内网吧、歌舞娱乐场所违反经营管理规定行为的行政检查和简易程序行政处罚"
_ENTRUST_FARM = "对农药、兽药、种子经营违法行为的行政检查和简易程序行政处罚"
_ENTRUST_BUILD = "对施工现场扬尘污染防治、文明施工违法行为的行政检查和简易程序行政处罚"

# fmt: off
DEPARTMENTS: tuple[Department, ...] = (
    # key, name (city/county), name at province (None: no such organ), enforcement fields,
    # certificate category, the laws it enforces, handling units, officer weight
    Department("justice", "司法局", "司法厅", "司法行政（律师、公证、法律援助、人民调解）",
               "司法行政", "《中华人民共和国律师法》第四条；《中华人民共和国公证法》",
               ("律师工作", "公证工作", "法律援助", "行政执法协调监督"), 0.6),
    Department("market", "市场监督管理局", "市场监督管理局",
               "市场监管（食品、药品、特种设备、价格、广告、登记）", "市场监管",
               "《中华人民共和国食品安全法》第六条；《中华人民共和国产品质量法》",
               ("执法稽查", "食品安全监督管理", "特种设备安全监察", "价格监督检查和反不正当竞争"),
               2.5, squad_field="市场监管", entrustable=_ENTRUST_MARKET),
    Department("urban", "城市管理局", None, "城市管理（市容环境卫生、市政设施、户外广告、违法建设）",
               "城市管理", "《城市市容和环境卫生管理条例》；《中华人民共和国城乡规划法》",
               ("市容环境卫生管理", "市政设施管理", "违法建设治理", "执法督察"), 3.0,
               squad_field="城市管理", entrustable=_ENTRUST_URBAN),
    Department("ecology", "生态环境局", "生态环境厅", "生态环境保护", "生态环境",
               "《中华人民共和国环境保护法》第十条；《中华人民共和国大气污染防治法》",
               ("环境执法", "大气环境管理", "水生态环境", "固体废物与化学品"), 1.2,
               squad_field="生态环境保护", county_branch=True),
    Department("transport", "交通运输局", "交通运输厅", "交通运输（道路运输、公路路政、水路运输）",
               "交通运输", "《中华人民共和国道路运输条例》第七条；《中华人民共和国公路法》",
               ("道路运输管理", "公路管理", "执法监督"), 1.5, squad_field="交通运输"),
    Department("emergency", "应急管理局", "应急管理厅", "应急管理（安全生产、危险化学品、烟花爆竹）",
               "应急管理", "《中华人民共和国安全生产法》第十条",
               ("安全生产执法", "危险化学品安全监督管理", "工贸行业安全监督管理"), 1.2,
               squad_field="应急管理", entrustable=_ENTRUST_SAFETY),
    Department("resources", "自然资源和规划局", "自然资源厅", "自然资源（土地、矿产、测绘、规划）",
               "自然资源", "《中华人民共和国土地管理法》第五条；《中华人民共和国矿产资源法》",
               ("执法监察", "耕地保护监督", "矿产资源管理"), 1.0, county_branch=True),
    Department("housing", "住房和城乡建设局", "住房和城乡建设厅",
               "住房城乡建设（建筑市场、工程质量安全、房地产市场）", "住房城乡建设",
               "《中华人民共和国建筑法》第六条；《建设工程质量管理条例》",
               ("建筑市场监管", "工程质量安全监管", "房地产市场监管"), 1.2,
               entrustable=_ENTRUST_BUILD),
    Department("culture", "文化广电和旅游局", "文化和旅游厅",
               "文化市场（文化、文物、出版、广播电视、旅游）", "文化市场",
               "《中华人民共和国旅游法》；《营业性演出管理条例》",
               ("文化市场执法", "旅游市场管理", "广播电视管理"), 0.8, squad_field="文化市场",
               entrustable=_ENTRUST_CULTURE),
    Department("agriculture", "农业农村局", "农业农村厅",
               "农业（农产品质量安全、种子、农药、兽药、渔业）", "农业农村",
               "《中华人民共和国种子法》第三条；《中华人民共和国农产品质量安全法》",
               ("农产品质量安全监管", "种业管理", "畜牧兽医"), 1.0, squad_field="农业",
               entrustable=_ENTRUST_FARM),
    Department("health", "卫生健康委员会", "卫生健康委员会", "卫生健康（医疗机构、公共卫生、职业卫生）",
               "卫生健康", "《中华人民共和国基本医疗卫生与健康促进法》；《中华人民共和国传染病防治法》",
               ("卫生监督", "医政医管", "疾病预防控制"), 1.0),
    Department("water", "水利局", "水利厅", "水利（水资源、河道、水土保持）", "水政监察",
               "《中华人民共和国水法》第十二条", ("水政监察", "水资源管理", "河湖管理"), 0.7),
    Department("labour", "人力资源和社会保障局", "人力资源和社会保障厅", "劳动保障监察",
               "劳动保障监察", "《劳动保障监察条例》第三条",
               ("劳动保障监察", "劳动关系", "职业能力建设"), 0.8),
    Department("education", "教育局", "教育厅", "教育（民办教育、校外培训）", "教育",
               "《中华人民共和国教育法》；《中华人民共和国民办教育促进法》",
               ("民办教育管理", "校外培训监管", "教育督导"), 0.5),
    Department("commerce", "商务局", "商务厅", "商务（市场秩序、成品油、单用途预付卡）", "商务",
               "《单用途商业预付卡管理办法（试行）》；《成品油市场管理办法》",
               ("市场秩序", "流通业发展", "对外贸易"), 0.4),
    Department("civil", "民政局", "民政厅", "民政（社会组织、养老服务、殡葬）", "民政",
               "《社会团体登记管理条例》；《殡葬管理条例》", ("社会组织管理", "养老服务", "殡葬管理"),
               0.4),
    Department("statistics", "统计局", "统计局", "统计执法", "统计", "《中华人民共和国统计法》",
               ("统计执法监督", "综合统计"), 0.3),
    Department("medicare", "医疗保障局", "医疗保障局", "医疗保障基金监管", "医疗保障",
               "《医疗保障基金使用监督管理条例》", ("基金监管", "医药服务管理"), 0.4),
    # An organisation authorised by law (《住房公积金管理条例》), at city level only.
    Department("fund", "住房公积金管理中心", None, "住房公积金", "住房公积金", "《住房公积金管理条例》",
               ("归集管理", "稽核", "贷款管理"), 0.4, at_county=False, authorised=True),
)
# fmt: on

_UNIT_SUFFIX = {_Level.PROVINCE: "处", _Level.CITY: "科", _Level.COUNTY: "股"}
_SQUAD_SUFFIX = {_Level.PROVINCE: "总队", _Level.CITY: "支队", _Level.COUNTY: "大队"}

_POSTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # unit suffix: (head, deputy, staff posts)
    "处": ("处长", "副处长", ("一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员")),
    "科": ("科长", "副科长", ("科员", "一级科员", "四级主任科员", "三级主任科员")),
    "股": ("股长", "副股长", ("科员", "一级科员", "四级主任科员")),
    "总队": ("总队长", "副总队长", ("队员", "大队长", "副大队长")),
    "支队": ("支队长", "副支队长", ("队员", "中队长", "副中队长")),
    "大队": ("大队长", "副大队长", ("队员", "中队长")),
    "队": ("队长", "副队长", ("队员",)),
    "组": ("组长", "副组长", ("组员",)),
}

_MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 176 177 178 180 181 182 183 185 186 187 188 189 198 199"
)

_BIRTH_REGIONS = {
    "41": _words(
        "410102 410103 410104 410105 410122 410181 410182 410183 410184 410185 410202 "
        "410302 410305 410402 410403 410502 410602 410702 410802 410902 410922 410928 "
        "411002 411102 411202 411302 411323 411402 411502 411602 411702 411721"
    ),
    "37": _words(
        "370102 370203 370302 370303 370304 370305 370306 370321 370322 370402 370502 "
        "370602 370702 370811 370902 371002 371102 371302 371402 371502 371602 371702"
    ),
    "other": _words("110105 120101 130102 140105 320102 340102 420102 430102 510104 610102"),
}

_GIVEN_MALE = "建国志明永海文俊晓宏伟刚勇军涛斌鹏飞浩宇振华新东亮辉峰磊超"
_GIVEN_FEMALE = "丽静秀婷雪慧佳欣玉梅红霞燕芳敏娟琳颖晶洁莉萍"

_SUSPEND_REASONS = (
    "涉嫌违纪正在接受调查，暂扣执法证件",
    "年度考核不合格，暂扣执法证件待复训",
    "未按规定参加公共法律知识年度培训考试，暂扣执法证件",
)
_REVOKE_REASONS = (
    "因违法违纪被依法吊销执法证件",
    "受到开除处分，吊销执法证件",
    "调离行政执法岗位，注销执法证件",
)
_LEFT_REASONS = ("调离行政执法岗位", "退休", "辞职", "调往其他单位")

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# --------------------------------------------------------------------------- result


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


@dataclass
class SeedResult:
    seed: int
    jurisdictions_created: int = 0
    agencies_created: int = 0
    agencies_existing: int = 0
    units_created: int = 0
    officers_created: int = 0
    officers_existing: int = 0
    certificates_created: int = 0
    entrustments_created: int = 0
    elapsed: float = 0.0

    @property
    def rows_created(self) -> int:
        return (
            self.jurisdictions_created
            + self.agencies_created
            + self.units_created
            + self.officers_created
            + self.certificates_created
            + self.entrustments_created
        )

    @property
    def rows_per_second(self) -> float:
        return self.rows_created / self.elapsed if self.elapsed > 0 else 0.0

    def summary(self) -> list[str]:
        return [
            f"种子数据（seed={self.seed}）：",
            f"  辖区：新建 {self.jurisdictions_created}",
            f"  执法主体：新建 {self.agencies_created}，已存在 {self.agencies_existing}",
            f"  内设机构：新建 {self.units_created}",
            f"  执法人员：新建 {self.officers_created}，已存在（跳过）{self.officers_existing}",
            f"  执法证：新建 {self.certificates_created}",
            f"  委托执法：新建 {self.entrustments_created}",
            f"  用时 {self.elapsed:.2f} 秒，写入 {self.rows_created} 行，"
            f"约 {self.rows_per_second:,.0f} 行/秒。",
        ]


# --------------------------------------------------------------------------- helpers


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (up to 9999)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (n // value) % 10
        if d:
            if zero and out:
                out += "零"
            out += digits[d] + unit
            zero = False
        else:
            zero = True
    return out


def _org_code(body: str) -> str:
    """A GB 11714 organisation code: 8 characters and their check character."""
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def _uscc(rng: random.Random, kind: str, region: str) -> str:
    """统一社会信用代码 of an organ (kind "11") or a public institution ("12")."""
    if rng.random() < 0.5:  # codes issued since 2015 to new or reorganised bodies
        body = "MB" + "".join(rng.choice(_USCC_ALPHABET) for _ in range(6))
    else:
        body = "00" + "".join(rng.choice("0123456789") for _ in range(6))
    stem = f"{kind}{region}{_org_code(body)}"
    return stem + uscc_mod.calc_check_digit(stem)


def _landline(rng: random.Random, area_code: str) -> str:
    first, length = _LOCAL_LINES.get(area_code, ("6", 8))
    rest = "".join(rng.choice("0123456789") for _ in range(length - 1))
    return f"{area_code}-{first}{rest}"


def _mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _retry_rng(seed: int, kind: str, index: int, attempt: int) -> random.Random:
    # A str seed is hashed with SHA-512, so this is stable across processes.
    return random.Random(f"{seed}/{kind}/{index}/{attempt}")


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------- jurisdictions


def _ensure_jurisdictions() -> tuple[dict[str, Jurisdiction], int]:
    """Get-or-create every jurisdiction by code; parents first, so paths can be set."""
    existing = {j.code: j for j in Jurisdiction.objects.filter(code__in=list(_BY_CODE))}
    created = 0
    for spec in JURISDICTIONS:  # ordered parent-first
        if spec.code in existing:
            continue
        parent = existing[spec.parent] if spec.parent else None
        obj = Jurisdiction(
            code=spec.code,
            name=spec.name,
            level=spec.level,
            parent=parent,
            government_name=spec.government,
            rule_profile=spec.profile,
        )
        obj.path = f"{parent.path if parent else '/'}{spec.code}/"
        obj.full_clean()
        obj.save()
        existing[spec.code] = obj
        created += 1
    return existing, created


# --------------------------------------------------------------------------- agencies


@dataclass
class _AgencyPlan:
    index: int
    spec: JurisdictionSpec
    dept: Department
    name: str
    authorised: bool
    confirmed_by: str
    basis: str
    uscc: str = ""
    units: list[tuple[str, str]] = field(default_factory=list)  # (name, kind)
    extra: dict[str, object] = field(default_factory=dict)  # address, phones, confirmed_on
    weight: float = 1.0
    pk: int | None = None

    @property
    def id(self) -> int:
        assert self.pk is not None, "agency not written yet"
        return self.pk


def _city_of(spec: JurisdictionSpec) -> JurisdictionSpec:
    return _BY_CODE[spec.parent] if spec.level == _Level.COUNTY and spec.parent else spec


def _dept_name(spec: JurisdictionSpec, dept: Department) -> tuple[str, str] | None:
    """(agency name, confirming government) of a department in a jurisdiction, or None."""
    if spec.level == _Level.PROVINCE:
        if dept.province_name is None:
            return None
        return spec.prefix + dept.province_name, spec.government
    if spec.level == _Level.COUNTY:
        if not dept.at_county:
            return None
        city = _city_of(spec)
        if dept.county_branch:
            # Since the vertical reform the county office is a branch of the city bureau.
            return f"{city.prefix}{dept.city_name}{spec.short}分局", city.government
        if dept.key == "urban" and (not spec.name.endswith("区") or spec.code == "370306"):
            # Counties, county-level cities and Zhoucun merged urban management into one
            # comprehensive enforcement bureau (行政处罚法 第十八条).
            return spec.prefix + "综合行政执法局", spec.government
    return spec.prefix + dept.city_name, spec.government


_LAW = "《中华人民共和国行政处罚法》"


def _agency_names(spec: JurisdictionSpec) -> Iterator[tuple[Department, str, bool, str, str]]:
    """(department, name, authorised, confirming government, basis) of a jurisdiction's
    agencies in a fixed order: its departments (司法 first), then the city bureaus' branches
    in development zones, then the comprehensive-enforcement squads, then numbered squads
    (only reached when asked for more agencies than there are real names)."""
    suffix = _SQUAD_SUFFIX[_Level(spec.level)]
    depts: list[tuple[Department, str, str]] = []
    for dept in DEPARTMENTS:
        resolved = _dept_name(spec, dept)
        if resolved is not None:
            depts.append((dept, *resolved))
    for dept, name, gov in depts:
        if dept.authorised:
            basis = f"{_LAW}第十九条；{dept.laws}；{gov}关于{name}承担行政执法职能的决定"
        else:
            basis = (
                f"{_LAW}第十七条；{dept.laws}；{gov}确定的{name}职能配置、内设机构和人员编制规定"
            )
        yield dept, name, dept.authorised, gov, basis
    for zone in spec.zones:
        for dept, base, gov in depts:
            if dept.key in ("market", "resources", "ecology", "urban"):
                name = f"{base}{zone}分局"
                yield (
                    dept,
                    name,
                    False,
                    gov,
                    f"{_LAW}第十七条；{dept.laws}；{gov}关于设立{name}的批复",
                )
    for dept, _base, _gov in depts:
        if dept.squad_field:
            name = f"{spec.prefix}{dept.squad_field}综合行政执法{suffix}"
            basis = (
                f"{_LAW}第十八条、第十九条；{dept.laws}；"
                f"{spec.government}关于推进{dept.squad_field}综合行政执法改革的实施意见"
            )
            yield dept, name, True, spec.government, basis
    for n in itertools.count(1):
        for dept, base, gov in depts:
            name = f"{base}第{_cn_number(n)}执法{suffix}"
            yield dept, name, False, gov, f"{_LAW}第十七条；{dept.laws}；{gov}关于设立{name}的批复"


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` over weights: at least one each when possible, the rest by largest
    remainder (deterministic; earlier entries win ties)."""
    n = len(weights)
    if total < n:
        order = sorted(range(n), key=lambda i: -weights[i])
        counts = [0] * n
        for i in order[:total]:
            counts[i] = 1
        return counts
    rest = total - n
    wsum = sum(weights)
    exact = [rest * w / wsum for w in weights]
    counts = [1 + math.floor(x) for x in exact]
    left = total - sum(counts)
    order = sorted(range(n), key=lambda i: -(exact[i] - math.floor(exact[i])))
    for i in order[:left]:
        counts[i] += 1
    return counts


_LEVEL_FACTOR = {_Level.PROVINCE: 1.5, _Level.CITY: 2.0, _Level.COUNTY: 1.0}


def _plan_agencies(rng: random.Random, count: int, today: datetime.date) -> list[_AgencyPlan]:
    hosts = [j for j in JURISDICTIONS if j.hosts_agencies]
    per = _allocate(count, [j.weight for j in hosts])
    plans: list[_AgencyPlan] = []
    for spec, n in zip(hosts, per, strict=True):
        level = _Level(spec.level)
        for dept, name, authorised, gov, basis in itertools.islice(_agency_names(spec), n):
            plan = _AgencyPlan(len(plans), spec, dept, name, authorised, gov, basis)
            plan.uscc = _uscc(rng, "12" if authorised else "11", spec.code)
            plan.units = _units_of(spec, dept, name)
            plan.weight = _LEVEL_FACTOR[level] * dept.officer_weight * rng.uniform(0.6, 1.4)
            plan.extra = _agency_extra(rng, spec, today)
            plans.append(plan)
    return plans


def _units_of(spec: JurisdictionSpec, dept: Department, name: str) -> list[tuple[str, str]]:
    """An agency's internal units: two to four handling units, the legal unit and an office.
    They belong to the agency, not to the seed (a per-agency generator), so that seeding
    again with another seed finds the same structure."""
    urng = random.Random(f"units/{spec.code}/{name}")
    level = _Level(spec.level)
    if name.endswith(("支队", "大队", "总队")):
        handling = [f"执法{_cn_number(i)}队" for i in range(1, 5)]
        legal = "法制审核组"
    else:
        handling = [f"{u}{_UNIT_SUFFIX[level]}" for u in dept.handling_units]
        if dept.squad_field and "分局" not in name:
            handling.insert(0, f"{dept.squad_field}综合行政执法{_SQUAD_SUFFIX[level]}")
        legal = {
            _Level.PROVINCE: "政策法规处",
            _Level.CITY: urng.choice(("法制科", "政策法规科")),
            _Level.COUNTY: "法制股",
        }[level]
    k = urng.randint(2, min(4, len(handling)))
    units = [(u, str(Unit.Kind.HANDLING)) for u in handling[:k]]
    return [*units, (legal, str(Unit.Kind.LEGAL)), ("办公室", str(Unit.Kind.OTHER))]


def _agency_extra(
    rng: random.Random, spec: JurisdictionSpec, today: datetime.date
) -> dict[str, object]:
    city = _city_of(spec)
    road = rng.choice(spec.roads or city.roads)
    place = {_Level.PROVINCE: "郑州市", _Level.CITY: city.prefix}.get(
        _Level(spec.level), spec.prefix
    )
    confirmed = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(5 * 365))
    return {
        "address": f"{place}{road}{rng.randint(1, 299)}号",
        "phone": _landline(rng, spec.area_code),
        "complaint_phone": _landline(rng, spec.area_code),
        "confirmed_on": min(confirmed, today),
    }


def _insert_agencies(
    plans: list[_AgencyPlan],
    jurisdictions: dict[str, Jurisdiction],
    seed: int,
    result: SeedResult,
) -> None:
    existing = {
        (jid, name): pk
        for jid, name, pk in Agency.objects.filter(
            jurisdiction_id__in={jurisdictions[p.spec.code].pk for p in plans}
        ).values_list("jurisdiction_id", "name", "pk")
    }
    new: list[_AgencyPlan] = []
    for plan in plans:
        plan.pk = existing.get((jurisdictions[plan.spec.code].pk, plan.name))
        if plan.pk is None:
            new.append(plan)
        else:
            result.agencies_existing += 1
    # A new agency's USCC that is already taken (by another seed, or entered by hand) is
    # redrawn from its own retry generator.
    seen: set[str] = set()
    attempts: dict[int, int] = {}
    for chunk in _chunks(new, BATCH_SIZE):
        todo = list(chunk)
        while todo:
            taken = set(
                Agency.objects.filter(uscc__in=[p.uscc for p in todo]).values_list(
                    "uscc", flat=True
                )
            )
            retry = []
            for plan in todo:
                if plan.uscc in taken or plan.uscc in seen:
                    attempts[plan.index] = attempts.get(plan.index, 0) + 1
                    rr = _retry_rng(seed, "uscc", plan.index, attempts[plan.index])
                    plan.uscc = _uscc(rr, "12" if plan.authorised else "11", plan.spec.code)
                    retry.append(plan)
                else:
                    seen.add(plan.uscc)
            todo = retry
    objs = [
        Agency(
            name=plan.name,
            uscc=plan.uscc,
            jurisdiction=jurisdictions[plan.spec.code],
            legal_status=(
                Agency.LegalStatus.AUTHORISED if plan.authorised else Agency.LegalStatus.ORGAN
            ),
            qualification_basis=plan.basis,
            confirmed_by=plan.confirmed_by,
            enforcement_fields=plan.dept.field,
            **plan.extra,
        )
        for plan in new
    ]
    Agency.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    if any(o.pk is None for o in objs):  # backends that cannot return ids from bulk inserts
        ids: dict[str, int] = {}
        for usccs in _chunks([o.uscc for o in objs], BATCH_SIZE):
            ids.update(Agency.objects.filter(uscc__in=usccs).values_list("uscc", "pk"))
        for o in objs:
            o.pk = ids[o.uscc]
    for plan, obj in zip(new, objs, strict=True):
        plan.pk = obj.pk
    result.agencies_created += len(objs)


def _insert_units(plans: list[_AgencyPlan], result: SeedResult) -> dict[tuple[int, str], int]:
    agency_ids = [p.id for p in plans]
    existing: dict[tuple[int, str], int] = {}
    for chunk in _chunks(agency_ids, BATCH_SIZE):
        existing.update(
            ((aid, name), pk)
            for aid, name, pk in Unit.objects.filter(agency_id__in=chunk).values_list(
                "agency_id", "name", "pk"
            )
        )
    objs = [
        Unit(agency_id=plan.id, name=name, kind=kind)
        for plan in plans
        for name, kind in plan.units
        if (plan.id, name) not in existing
    ]
    Unit.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    result.units_created += len(objs)
    if any(o.pk is None for o in objs):
        for chunk in _chunks(agency_ids, BATCH_SIZE):
            existing.update(
                ((aid, name), pk)
                for aid, name, pk in Unit.objects.filter(agency_id__in=chunk).values_list(
                    "agency_id", "name", "pk"
                )
            )
    else:
        existing.update(((o.agency_id, o.name), o.pk) for o in objs)
    return existing


# --------------------------------------------------------------------------- officers


@dataclass
class _CertPlan:
    index: int  # for the retry generators
    key: int  # the number as an int, for the in-run uniqueness set
    number: str
    issued_on: datetime.date
    expires_on: datetime.date
    status: str = Certificate.Status.ACTIVE
    status_changed_on: datetime.date | None = None
    status_reason: str = ""
    db_attempts: int = 0


@dataclass
class _OfficerPlan:
    index: int
    agency: _AgencyPlan
    unit_name: str
    name: str
    gender: str
    region: str
    birth: datetime.date
    seq: int
    id_number: str
    post: str
    phone: str
    joined_on: datetime.date
    left_on: datetime.date | None
    left_reason: str
    certs: list[_CertPlan]
    db_attempts: int = 0


class _Names:
    """Chinese names from Faker's zh_CN person data, drawn by the seeded Faker generator."""

    def __init__(self, seed: int) -> None:
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        self.rng: random.Random = fake.random
        surnames = ZhPersonProvider.last_names
        self.surnames = list(surnames)
        self.cum = list(itertools.accumulate(float(w) for w in surnames.values()))
        self.male = list(ZhPersonProvider.first_names_male)
        self.female = list(ZhPersonProvider.first_names_female)

    def name(self, male: bool) -> str:
        rng = self.rng
        surname = self.surnames[bisect(self.cum, rng.random() * self.cum[-1])]
        if rng.random() < 0.55:
            return surname + rng.choice(self.male if male else self.female)
        chars = _GIVEN_MALE if male else _GIVEN_FEMALE
        return surname + rng.choice(chars) + rng.choice(chars)


def _id_number(region: str, birth: datetime.date, seq: int) -> str:
    stem = f"{region}{birth:%Y%m%d}{seq:03d}"
    # stdnum's calc_check_digit takes the whole number and ignores its last character.
    return stem + ric.calc_check_digit(stem + "?")


def _cert_number(prefix: str, digits: int) -> str:
    return f"{prefix}{digits:08d}"


class _OfficerFactory:
    def __init__(self, seed: int, rng: random.Random, names: _Names, today: datetime.date):
        self.seed = seed
        self.rng = rng
        self.names = names
        self.today = today
        self.id_keys: set[int] = set()
        self.cert_keys: set[int] = set()
        self.cert_prefixes: dict[str, int] = {}

    # Identity numbers and certificate numbers are kept as ints in the uniqueness sets (a
    # million strings would cost several times the memory).

    def _cert_key(self, prefix: str, digits: int) -> int:
        slot = self.cert_prefixes.setdefault(prefix, len(self.cert_prefixes))
        return slot * 10**8 + digits

    def new_cert_number(self, prefix: str, index: int, rng: random.Random) -> tuple[int, str]:
        digits = rng.randrange(10**8)
        attempt = 0
        while self._cert_key(prefix, digits) in self.cert_keys:
            attempt += 1
            digits = _retry_rng(self.seed, "cert", index, attempt).randrange(10**8)
        key = self._cert_key(prefix, digits)
        self.cert_keys.add(key)
        return key, _cert_number(prefix, digits)

    def new_seq(self, plan: _OfficerPlan, first: int, attempt_base: int = 0) -> int:
        male = plan.gender == Officer.Gender.MALE
        seq, attempt = first, attempt_base
        while int(f"{plan.region}{plan.birth:%Y%m%d}{seq:03d}") in self.id_keys:
            attempt += 1
            rr = _retry_rng(self.seed, "id", plan.index, attempt)
            if attempt % 50 == 0:  # that birthday is crowded: move a day
                plan.birth += datetime.timedelta(days=1)
            seq = rr.randrange(500) * 2 + (1 if male else 0)
        self.id_keys.add(int(f"{plan.region}{plan.birth:%Y%m%d}{seq:03d}"))
        return seq

    def make(self, index: int, agency: _AgencyPlan, unit_name: str, post: str) -> _OfficerPlan:
        rng, today = self.rng, self.today
        male = rng.random() < 0.68
        name = self.names.name(male)
        province = agency.spec.code[:2]
        pool = _BIRTH_REGIONS[province] if rng.random() < 0.85 else _BIRTH_REGIONS["other"]
        region = rng.choice(pool)
        # Absolute birth years keep identity numbers the same whatever day the seed runs.
        birth = datetime.date(rng.randint(1965, 1998), 1, 1) + datetime.timedelta(
            days=rng.randrange(365)
        )
        seq = rng.randrange(500) * 2 + (1 if male else 0)
        phone = _mobile(rng)
        join_age = rng.randint(22, 28)
        r_left, left_days, left_reason = (
            rng.random(),
            rng.randint(15, 500),
            rng.choice(_LEFT_REASONS),
        )
        r_status, issued_days, status_days = rng.random(), rng.randrange(1780), rng.randint(5, 700)
        r_old, r_revoke_on_leave = rng.random(), rng.random()
        suspend_reason, revoke_reason = rng.choice(_SUSPEND_REASONS), rng.choice(_REVOKE_REASONS)
        expired_days = rng.randint(1, 900)

        plan = _OfficerPlan(
            index=index,
            agency=agency,
            unit_name=unit_name,
            name=name,
            gender=Officer.Gender.MALE if male else Officer.Gender.FEMALE,
            region=region,
            birth=birth,
            seq=seq,
            id_number="",
            post=post,
            phone=phone,
            joined_on=today,
            left_on=None,
            left_reason="",
            certs=[],
        )
        plan.seq = self.new_seq(plan, seq)
        plan.id_number = _id_number(plan.region, plan.birth, plan.seq)

        joined = min(_add_years(plan.birth, join_age), today - datetime.timedelta(days=60))
        plan.joined_on = joined
        if r_left < 0.03:
            plan.left_on = max(
                today - datetime.timedelta(days=left_days), joined + datetime.timedelta(days=1)
            )
            plan.left_reason = left_reason

        five_years = 5
        if 0.03 <= r_status < 0.08:  # expired
            issued = _add_years(today, -five_years) - datetime.timedelta(days=expired_days)
        else:
            issued = today - datetime.timedelta(days=issued_days)
        issued = min(max(issued, joined + datetime.timedelta(days=30)), today)
        cert_index = index * 2
        key, number = self.new_cert_number(agency.spec.cert_prefix, cert_index, rng)
        cert = _CertPlan(
            cert_index,
            key,
            number,
            issued,
            _add_years(issued, five_years) - datetime.timedelta(days=1),
        )
        changed = min(max(today - datetime.timedelta(days=status_days), issued), today)
        if plan.left_on is not None and r_revoke_on_leave < 0.5:
            cert.status = Certificate.Status.REVOKED
            cert.status_changed_on = max(plan.left_on, issued)
            cert.status_reason = f"持证人{plan.left_reason}，注销执法证件"
        elif r_status < 0.01:
            cert.status = Certificate.Status.REVOKED
            cert.status_changed_on = changed
            cert.status_reason = revoke_reason
        elif r_status < 0.03:
            cert.status = Certificate.Status.SUSPENDED
            cert.status_changed_on = min(changed, today - datetime.timedelta(days=1))
            cert.status_changed_on = max(cert.status_changed_on, issued)
            cert.status_reason = suspend_reason
        plan.certs.append(cert)

        # About one in twelve renewed an earlier certificate, which has expired since.
        old_key, old_number = self.new_cert_number(agency.spec.cert_prefix, cert_index + 1, rng)
        old_expires = issued - datetime.timedelta(days=1)
        old_issued = _add_years(old_expires, -five_years) + datetime.timedelta(days=1)
        if r_old < 0.08 and old_issued >= joined:
            plan.certs.append(
                _CertPlan(cert_index + 1, old_key, old_number, old_issued, old_expires)
            )
        else:
            self.cert_keys.discard(old_key)
        return plan


def _post_for(unit_name: str, nth: int, rng: random.Random) -> str:
    """The unit's first officer heads it, the second is deputy, the rest are staff."""
    head, deputy, staff = next(
        (posts for suffix, posts in _POSTS.items() if unit_name.endswith(suffix)), _POSTS["科"]
    )
    if nth == 0:
        return head
    if nth == 1:
        return deputy
    return rng.choice(staff)


def _plan_officer_counts(rng: random.Random, plans: list[_AgencyPlan], officers: int) -> list[int]:
    counts = [1] * len(plans)
    extra = officers - len(plans)
    if extra > 0:
        cum = list(itertools.accumulate(p.weight for p in plans))
        for i in rng.choices(range(len(plans)), cum_weights=cum, k=extra):
            counts[i] += 1
    return counts


def _flush_officers(
    batch: list[_OfficerPlan],
    factory: _OfficerFactory,
    units: dict[tuple[int, str], int],
    result: SeedResult,
) -> None:
    if not batch:
        return
    seed = factory.seed
    # Officers already in the database: the same person (same number and name) is skipped,
    # a number held by someone else is redrawn.
    new: list[_OfficerPlan] = []
    todo = batch
    while todo:
        held = dict(
            Officer.objects.filter(id_number__in=[p.id_number for p in todo]).values_list(
                "id_number", "name"
            )
        )
        retry: list[_OfficerPlan] = []
        for plan in todo:
            holder = held.get(plan.id_number)
            if holder is None:
                new.append(plan)
            elif holder == plan.name:
                result.officers_existing += 1
            else:
                male = plan.gender == Officer.Gender.MALE
                plan.db_attempts += 1
                rr = _retry_rng(seed, "id-db", plan.index, plan.db_attempts)
                first = rr.randrange(500) * 2 + (1 if male else 0)
                plan.seq = factory.new_seq(plan, first, attempt_base=1000 * plan.db_attempts)
                plan.id_number = _id_number(plan.region, plan.birth, plan.seq)
                retry.append(plan)
        todo = retry
    if not new:
        return
    # Certificate numbers already taken: redraw.
    certs = [c for p in new for c in p.certs]
    todo_certs = certs
    while todo_certs:
        taken = set(
            Certificate.objects.filter(number__in=[c.number for c in todo_certs]).values_list(
                "number", flat=True
            )
        )
        retry_certs = []
        for cert in todo_certs:
            if cert.number in taken:
                cert.db_attempts += 1
                rr = _retry_rng(seed, "cert-db", cert.index, cert.db_attempts)
                cert.key, cert.number = factory.new_cert_number(cert.number[:-8], cert.index, rr)
                retry_certs.append(cert)
        todo_certs = retry_certs

    officers = [
        Officer(
            agency_id=p.agency.id,
            unit_id=units.get((p.agency.id, p.unit_name)),
            name=p.name,
            gender=p.gender,
            id_number=p.id_number,
            post=p.post,
            phone=p.phone,
            joined_on=p.joined_on,
            left_on=p.left_on,
            left_reason=p.left_reason,
        )
        for p in new
    ]
    Officer.objects.bulk_create(officers, batch_size=BATCH_SIZE)
    if any(o.pk is None for o in officers):
        ids = dict(
            Officer.objects.filter(id_number__in=[o.id_number for o in officers]).values_list(
                "id_number", "pk"
            )
        )
        for o in officers:
            o.pk = ids[o.id_number]
    cert_objs = [
        Certificate(
            officer_id=o.pk,
            number=c.number,
            category=p.agency.dept.category,
            area=p.agency.spec.prefix,
            issued_by=_ISSUERS[p.agency.spec.province_code],
            issued_on=c.issued_on,
            expires_on=c.expires_on,
            status=c.status,
            status_changed_on=c.status_changed_on,
            status_reason=c.status_reason,
        )
        for p, o in zip(new, officers, strict=True)
        for c in p.certs
    ]
    Certificate.objects.bulk_create(cert_objs, batch_size=BATCH_SIZE)
    result.officers_created += len(officers)
    result.certificates_created += len(cert_objs)


def _seed_officers(
    seed: int,
    rng: random.Random,
    plans: list[_AgencyPlan],
    officers: int,
    units: dict[tuple[int, str], int],
    today: datetime.date,
    result: SeedResult,
) -> None:
    counts = _plan_officer_counts(rng, plans, officers)
    factory = _OfficerFactory(seed, rng, _Names(seed), today)
    batch: list[_OfficerPlan] = []
    index = 0
    for plan, count in zip(plans, counts, strict=True):
        handling = [name for name, kind in plan.units if kind == Unit.Kind.HANDLING]
        legal = next(name for name, kind in plan.units if kind == Unit.Kind.LEGAL)
        staffed: dict[str, int] = {}
        for j in range(count):
            if j < len(handling):
                unit = handling[j]
            elif j == len(handling):
                unit = legal
            else:
                unit = legal if rng.random() < 0.12 else rng.choice(handling)
            nth = staffed.get(unit, 0)
            staffed[unit] = nth + 1
            post = _post_for(unit, nth, rng)
            batch.append(factory.make(index, plan, unit, post))
            index += 1
            if len(batch) >= BATCH_SIZE:
                _flush_officers(batch, factory, units, result)
                batch = []
    _flush_officers(batch, factory, units, result)


# --------------------------------------------------------------------------- entrustments


def _seed_entrustments(
    rng: random.Random, plans: list[_AgencyPlan], today: datetime.date, result: SeedResult
) -> None:
    """About one agency in ten entrusts a 街道 (or 镇) comprehensive enforcement team
    (行政处罚法 第二十条、第二十一条); terms never overlap for the same body."""
    target = round(len(plans) * 0.1)
    eligible = [
        p for p in plans if p.spec.level == _Level.COUNTY and p.spec.streets and p.dept.entrustable
    ]
    # Urban management (and the comprehensive bureaus) first, then the main bureaus, then
    # their squads; stable within each group.
    eligible.sort(key=lambda p: (p.dept.key != "urban", p.name.endswith("大队")))
    chosen = eligible[:target]
    existing = set(
        Entrustment.objects.filter(agency_id__in=[p.pk for p in chosen]).values_list(
            "agency_id", "entrusted_body"
        )
    )
    body_usccs: dict[str, str] = {}
    street_turn: dict[str, int] = {}
    objs: list[Entrustment] = []
    for plan in chosen:
        spec = plan.spec
        turn = street_turn.get(spec.code, 0)
        street_turn[spec.code] = turn + 1
        street = spec.streets[turn % len(spec.streets)]
        body = f"{spec.prefix}{street}综合行政执法队"
        uscc = body_usccs.setdefault(body, _uscc(rng, "12", spec.code))
        start = today - datetime.timedelta(days=rng.randint(30, 900))
        end = _add_years(start, 3) - datetime.timedelta(days=1)
        r_prev, r_term, term_days = rng.random(), rng.random(), rng.randint(1, 20)
        if (plan.id, body) in existing:
            continue
        common = {
            "agency_id": plan.id,
            "entrusted_body": body,
            "entrusted_body_uscc": uscc,
            "basis": (
                "《中华人民共和国行政处罚法》第二十条、第二十一条；"
                f"{plan.confirmed_by}关于{street}综合行政执法工作的批复"
            ),
            "matters": plan.dept.entrustable,
            "powers": (
                f"在委托范围内以{plan.name}名义实施行政检查，作出警告、通报批评和"
                "三千元以下罚款的行政处罚；不得再委托其他组织或者个人实施"
            ),
            "liability": (
                f"{plan.name}对受委托组织在委托范围内实施行政处罚的行为负责监督，"
                "并对该行为的后果承担法律责任（《中华人民共和国行政处罚法》第二十条）"
            ),
        }
        if r_prev < 0.3:  # an earlier term that ran out the day before this one began
            prev_end = start - datetime.timedelta(days=1)
            objs.append(Entrustment(**common, starts_on=_add_years(start, -3), ends_on=prev_end))
        current = Entrustment(**common, starts_on=start, ends_on=end)
        if r_term < 0.1:
            current.status = Entrustment.Status.TERMINATED
            current.terminated_on = today - datetime.timedelta(days=term_days)
            current.termination_reason = "委托机关调整委托事项，提前终止委托"
        objs.append(current)
    Entrustment.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    result.entrustments_created += len(objs)


# --------------------------------------------------------------------------- entry point


def seed(
    *,
    seed: int,
    agencies: int,
    officers: int,
    stdout: Writer | None = None,
    today: datetime.date | None = None,
) -> SeedResult:
    """Seed jurisdictions, `agencies` agencies and `officers` officers, deterministically for
    `seed`; `today` (default: the local date) anchors certificate terms and other dates."""
    if seed < 0:
        raise ValueError("种子（seed）不能为负数。")
    if agencies < 1:
        raise ValueError("执法主体数量必须为正整数。")
    if officers < agencies:
        raise ValueError(
            f"执法人员数量（{officers}）不能少于执法主体数量（{agencies}）：每个执法主体至少需要一名执法人员。"
        )
    started = time.perf_counter()
    today = today or timezone.localdate()
    result = SeedResult(seed=seed)
    rng = random.Random(seed)
    with transaction.atomic():
        jurisdictions, result.jurisdictions_created = _ensure_jurisdictions()
        plans = _plan_agencies(rng, agencies, today)
        _insert_agencies(plans, jurisdictions, seed, result)
        units = _insert_units(plans, result)
        _seed_officers(seed, rng, plans, officers, units, today, result)
        _seed_entrustments(rng, plans, today, result)
    result.elapsed = time.perf_counter() - started
    if stdout is not None:
        for line in result.summary():
            stdout.write(line + "\n")
    return result
