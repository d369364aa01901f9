"""岗位信息公示牌: the sign a service window shows (000 公示办法 第十五条: 明示工作人员岗位
职责、申请材料示范文本、办理进度查询、咨询服务、投诉举报等信息; 001 河南公示办法 第十五条;
002 第十六条: 工作人员单位、姓名、职务、执法种类和服务事项), one A4 portrait sheet (more pages
if the matters do not fit), with the officers on duty and a QR code per officer leading to the
public certificate check page.

Plain data in (:class:`Signage`), PDF bytes out, so the workbench builds it from its models
without this app importing theirs. It draws with the same embedded fonts, the same line
breaking (``render.wrap``) and the same vector QR code as the officer card; the output is
deterministic (the creation date is the sheet's date).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import fpdf
from fpdf import FPDF

from sanxiang.documents.officer_card import _qr, _text
from sanxiang.documents.render import CHINA_TZ, PT, Fonts, wrap
from sanxiang.documents.text import cn_date

TITLE = "岗位信息公示牌"
PAGE_W = 210.0
PAGE_H = 297.0
MARGIN = 16.0
WIDTH = PAGE_W - 2 * MARGIN
BOTTOM = PAGE_H - 18.0
RED = (178, 34, 34)
GREY = (90, 90, 90)

BODY = 11.0
SMALL = 9.0
HEAD = 13.0
LEADING = 1.45
QR_SIZE = 24.0


@dataclass(frozen=True, kw_only=True)
class SignageOfficer:
    """An officer on duty at the window: the public particulars only (000 公示办法 第十二条)."""

    name: str
    post: str
    certificate_number: str
    category: str
    url: str  # the certificate check page the QR code encodes


@dataclass(frozen=True, kw_only=True)
class SignageMatter:
    """A matter handled at the window, from its 服务指南."""

    name: str
    time_limit: str
    materials: Sequence[str]
    guide_url: str  # where the sample forms and the full guide are published


@dataclass(frozen=True, kw_only=True)
class Signage:
    agency: str
    unit: str
    post: str
    duties: Sequence[str]
    matters: Sequence[SignageMatter]
    progress_url: str
    consultation_phone: str
    complaint_phone: str
    supervision: Sequence[str]
    officers: Sequence[SignageOfficer]
    basis: str  # "《郑州市行政执法公示办法》第十五条"
    date: datetime.date
    lists_url: str = ""  # the agency's published lists (权责清单 …)


def qr_payloads(sheet: Signage) -> list[str]:
    """What the sheet's QR codes encode, in order: each officer's certificate check page."""
    return [officer.url for officer in sheet.officers]


class _Sheet:
    def __init__(self, sheet: Signage) -> None:
        self.sheet = sheet
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_creation_date(
            datetime.datetime.combine(sheet.date, datetime.time(0, 0), tzinfo=CHINA_TZ)
        )
        pdf.set_producer(f"sanxiang documents (fpdf2 {fpdf.__version__})")
        pdf.set_creator("sanxiang")
        pdf.set_title(f"{TITLE}（{sheet.agency}{sheet.unit}{sheet.post}）")
        pdf.set_author(sheet.agency)
        pdf.set_lang("zh-CN")
        self.pdf = pdf
        self.fonts = Fonts(pdf)
        self.y = 0.0
        self.new_page()

    # --------------------------------------------------------------- primitives

    def new_page(self) -> None:
        self.pdf.add_page()
        self.pdf.set_draw_color(*RED)
        self.pdf.set_line_width(0.8)
        self.pdf.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
        self.y = MARGIN
        self._footer()

    def _footer(self) -> None:
        line = f"依据{self.sheet.basis}设置 · {self.sheet.agency} · {cn_date(self.sheet.date)}"
        self.pdf.set_text_color(*GREY)
        w = self.fonts.width(line, SMALL)
        _text(self.pdf, self.fonts, (PAGE_W - w) / 2, PAGE_H - 15, line, SMALL)
        self.pdf.set_text_color(0, 0, 0)

    def ensure(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.new_page()

    def text(
        self,
        text: str,
        *,
        size: float = BODY,
        bold: bool = False,
        indent: float = 0.0,
        color: tuple[int, int, int] = (0, 0, 0),
        width: float | None = None,
    ) -> None:
        line_h = size * PT * LEADING
        self.pdf.set_text_color(*color)
        for line in wrap(text, self.fonts, size, (width or WIDTH) - indent, bold=bold):
            self.ensure(line_h)
            _text(self.pdf, self.fonts, MARGIN + indent, self.y, line.text, size, bold=bold)
            self.y += line_h
        self.pdf.set_text_color(0, 0, 0)

    def heading(self, text: str) -> None:
        self.y += 2.5
        self.ensure(HEAD * PT * LEADING + 2 * BODY * PT * LEADING)
        self.pdf.set_fill_color(*RED)
        self.pdf.rect(MARGIN, self.y + 0.6, 1.6, HEAD * PT)
        _text(self.pdf, self.fonts, MARGIN + 3.5, self.y, text, HEAD, bold=True)
        self.y += HEAD * PT * LEADING + 0.8

    # --------------------------------------------------------------- the sheet

    def draw(self) -> bytes:
        s = self.sheet
        band_h = 20.0
        self.pdf.set_fill_color(*RED)
        self.pdf.rect(MARGIN, self.y, WIDTH, band_h, style="F")
        self.pdf.set_text_color(255, 255, 255)
        title_size = 26.0
        tw = self.fonts.width(TITLE, title_size, bold=True)
        _text(
            self.pdf,
            self.fonts,
            (PAGE_W - tw) / 2,
            self.y + (band_h - title_size * PT) / 2,
            TITLE,
            title_size,
            bold=True,
        )
        self.pdf.set_text_color(0, 0, 0)
        self.y += band_h + 4
        post_line = f"{s.agency} · {s.unit} · {s.post}"
        size = 15.0
        while size > 10 and self.fonts.width(post_line, size, bold=True) > WIDTH:
            size -= 0.5
        self.text(post_line, size=size, bold=True)

        self.heading("一、岗位职责")
        for i, duty in enumerate(s.duties, start=1):
            self.text(f"{i}. {duty}", indent=3)
        if not s.duties:
            self.text("本岗位办理本机构权责清单所列事项。", indent=3)
        if s.lists_url:
            self.text(f"权责清单全文：{s.lists_url}", size=SMALL, indent=3, color=GREY)

        self.heading("二、办理事项及申请材料示范文本")
        for i, matter in enumerate(s.matters, start=1):
            self.text(f"{i}. {matter.name}（办理时限：{matter.time_limit}）", indent=3, bold=True)
            for material in matter.materials:
                self.text(f"· {material}", indent=7)
            self.text(
                f"申请材料示范文本可在本窗口领取，或在公示平台查阅：{matter.guide_url}",
                size=SMALL,
                indent=7,
                color=GREY,
            )
        if not s.matters:
            self.text("本岗位暂无公示的服务指南事项。", indent=3)

        self.heading("三、办理进度查询")
        self.text(f"登录行政执法信息公示平台查询：{s.progress_url}", indent=3)

        self.heading("四、咨询服务")
        self.text(f"咨询电话：{s.consultation_phone or '请向窗口工作人员咨询'}", indent=3)

        self.heading("五、投诉举报")
        self.text(f"投诉举报电话：{s.complaint_phone or '见下列监督方式'}", indent=3)
        for channel in s.supervision:
            self.text(f"· {channel}", indent=7)

        self._officers()
        return bytes(self.pdf.output())

    def _officers(self) -> None:
        s = self.sheet
        self.heading("六、在岗工作人员")
        if not s.officers:
            self.text("（未指定在岗工作人员）", indent=3)
            return
        row_h = QR_SIZE + 9  # the QR code keeps a quiet zone of 4 modules or more
        col_w = WIDTH / 2
        for i, officer in enumerate(s.officers):
            col = i % 2
            if col == 0:
                self.ensure(row_h)
            x = MARGIN + col * col_w
            top = self.y
            _qr(self.pdf, officer.url, x + 3.5, top + 3.5, QR_SIZE)
            tx = x + QR_SIZE + 7.5
            tw = col_w - QR_SIZE - 9.5
            lines = [
                (officer.name, 14.0, True),
                (f"职务：{officer.post}", SMALL + 1, False),
                (f"执法证号：{officer.certificate_number}", SMALL + 1, False),
                (f"执法类别：{officer.category}", SMALL + 1, False),
                ("扫码核验执法证是否有效", SMALL, False),
            ]
            ly = top + 2
            for text, size, bold in lines:
                for line in wrap(text, self.fonts, size, tw, bold=bold)[:2]:
                    _text(self.pdf, self.fonts, tx, ly, line.text, size, bold=bold)
                    ly += size * PT * 1.35
            if col == 1 or i == len(s.officers) - 1:
                self.y = top + row_h


def build_signage_pdf(sheet: Signage) -> bytes:
    """The sheet as PDF bytes; the same sheet always gives the same bytes."""
    return _Sheet(sheet).draw()
