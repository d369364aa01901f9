"""执法人员公示卡: a printable ID-1 card (85.6 × 54 mm) with the officer's public particulars
and a QR code leading to the public certificate check page.

Name, post, certificate number and area are public information (000 公示办法 第十二条);
the card shows nothing else about the person. Output is deterministic: fixed creation date,
the embedded fonts subset the same way, and the QR code drawn as vector rectangles.
"""

from __future__ import annotations

import datetime

import fpdf
import segno
from fpdf import FPDF

from sanxiang.documents.render import PT, Fonts
from sanxiang.documents.text import cn_date

CARD_WIDTH = 85.6
CARD_HEIGHT = 54.0
MARGIN = 3.5
TITLE = "行政执法人员公示卡"
CHECK_NOTE = "扫码核验执法证是否有效"
QR_SIZE = 23.0
#: white space right of the QR code, inside the border (quiet zone)
QR_RIGHT = 5.0
CREATION_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
ASCENT = 0.88

LABEL_SIZE = 6.5
VALUE_SIZE = 7.5
MIN_SIZE = 4.5
WRAP_SIZE = 6.0
RED = (178, 34, 34)


def _fit(fonts_: Fonts, text: str, size: float, width: float, bold: bool = False) -> float:
    """The largest size not above ``size`` (and not below MIN_SIZE) at which ``text`` fits."""
    while size > MIN_SIZE and fonts_.width(text, size, bold) > width:
        size = round(size - 0.25, 2)
    return size


def _wrap(fonts_: Fonts, text: str, size: float, width: float, bold: bool) -> list[str]:
    """``text`` broken by character into at most two lines; the second ends in "…" if cut."""
    lines = [""]
    for ch in text:
        if lines[-1] and fonts_.width(lines[-1] + ch, size, bold) > width:
            if len(lines) == 2:
                while lines[-1] and fonts_.width(lines[-1] + "…", size, bold) > width:
                    lines[-1] = lines[-1][:-1]
                lines[-1] += "…"
                return lines
            lines.append("")
        lines[-1] += ch
    return lines


def _text(
    pdf: FPDF, fonts_: Fonts, x: float, top: float, text: str, size: float, bold: bool = False
) -> None:
    """Draw ``text`` with its em box's top edge at ``top``."""
    baseline = top + ASCENT * size * PT
    for face, run in fonts_.runs(text, bold):
        pdf.set_font(face, size=size)
        pdf.text(x, baseline, run)
        x += fonts_.width(run, size, bold)


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code for ``url`` as filled rectangles (one per horizontal run of dark modules)."""
    qr = segno.make(url, error="m")
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=0)]
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                # a hair of overlap hides the seams some viewers show between modules
                pdf.rect(
                    x + start * module,
                    y + r * module,
                    (c - start) * module + 0.01,
                    module + 0.01,
                    style="F",
                )
            else:
                c += 1


def build_officer_card_pdf(
    *,
    name: str,
    agency: str,
    post: str,
    certificate_number: str,
    category: str,
    area: str,
    valid_until: datetime.date,
    url: str,
    basis: str,
) -> bytes:
    """The card as PDF bytes; the same arguments always give the same bytes."""
    pdf = FPDF(orientation="L", unit="mm", format=(CARD_HEIGHT, CARD_WIDTH))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creation_date(CREATION_DATE)
    pdf.set_producer(f"sanxiang documents (fpdf2 {fpdf.__version__})")
    pdf.set_creator("sanxiang")
    pdf.set_title(f"{TITLE}（{name}，{certificate_number}）")
    pdf.set_author(agency)
    pdf.set_subject(certificate_number)
    pdf.set_lang("zh-CN")
    fonts_ = Fonts(pdf)
    pdf.add_page()

    # border and title band
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.4)
    pdf.rect(1.2, 1.2, CARD_WIDTH - 2.4, CARD_HEIGHT - 2.4)
    band_h = 8.0
    pdf.set_fill_color(*RED)
    pdf.rect(1.2, 1.2, CARD_WIDTH - 2.4, band_h, style="F")
    title_size = 11.0
    pdf.set_text_color(255, 255, 255)
    tw = fonts_.width(TITLE, title_size, bold=True)
    _text(
        pdf,
        fonts_,
        (CARD_WIDTH - tw) / 2,
        1.2 + (band_h - title_size * PT) / 2,
        TITLE,
        title_size,
        bold=True,
    )
    pdf.set_text_color(0, 0, 0)

    # fields on the left
    qr_x = CARD_WIDTH - QR_RIGHT - QR_SIZE
    label_w = fonts_.width("执法证号：", LABEL_SIZE)
    value_x = MARGIN + label_w
    value_w = qr_x - 2.0 - value_x
    fields = [
        ("姓　　名：", name),
        ("执法主体：", agency),
        ("职　　务：", post),
        ("执法证号：", certificate_number),
        ("执法类别：", category),
        ("执法区域：", area),
        ("有效期至：", cn_date(valid_until)),
    ]
    top = 12.0
    row_h = 4.4
    for label, value in fields:
        bold = label.startswith("姓")
        size = _fit(fonts_, value, 9.0 if bold else VALUE_SIZE, value_w, bold=bold)
        lines = [value]
        if size < WRAP_SIZE or fonts_.width(value, size, bold) > value_w:
            size = WRAP_SIZE
            lines = _wrap(fonts_, value, size, value_w, bold)
        # label and value share a baseline
        baseline = top + VALUE_SIZE * PT * ASCENT + (0.6 if bold else 0.0)
        pdf.set_text_color(90, 90, 90)
        _text(pdf, fonts_, MARGIN, baseline - LABEL_SIZE * PT * ASCENT, label, LABEL_SIZE)
        pdf.set_text_color(0, 0, 0)
        for i, line in enumerate(lines):
            line_top = baseline - size * PT * ASCENT + i * size * PT * 1.25
            _text(pdf, fonts_, value_x, line_top, line, size, bold=bold)
        top += row_h + (0.6 if bold else 0.0) + (len(lines) - 1) * size * PT * 1.25

    # QR code and its caption on the right
    qr_y = 12.0
    _qr(pdf, url, qr_x, qr_y, QR_SIZE)
    note_size = _fit(fonts_, CHECK_NOTE, 5.5, QR_SIZE + 2)
    nw = fonts_.width(CHECK_NOTE, note_size)
    _text(pdf, fonts_, qr_x + (QR_SIZE - nw) / 2, qr_y + QR_SIZE + 1.2, CHECK_NOTE, note_size)

    # basis line at the foot
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.2)
    foot_y = CARD_HEIGHT - 7.0
    pdf.line(MARGIN, foot_y, CARD_WIDTH - MARGIN, foot_y)
    # The article that makes these fields public, from the agency's rule profile, e.g.
    # "依据《郑州市行政执法公示办法》第十二条".
    basis_line = f"依据{basis}"
    basis_size = _fit(fonts_, basis_line, 5.5, CARD_WIDTH - 2 * MARGIN)
    bw = fonts_.width(basis_line, basis_size)
    pdf.set_text_color(90, 90, 90)
    _text(pdf, fonts_, (CARD_WIDTH - bw) / 2, foot_y + 1.3, basis_line, basis_size)
    return bytes(pdf.output())
