"""执法人员公示卡: embedded font, extractable particulars, a QR code for the URL, determinism."""

from __future__ import annotations

import datetime
import io

import pypdf
import segno

from sanxiang.documents import officer_card
from sanxiang.documents.officer_card import build_officer_card_pdf
from tests.documents.helpers import dark_pixels, mm, squash

URL = "https://sanxiang.example.gov.cn/officers/%E8%B1%ABA00012345/"
FIELDS = {
    "name": "张三丰",
    "agency": "郑州市金水区城市管理局",
    "post": "执法中队长",
    "certificate_number": "豫A00012345",
    "category": "城市管理",
    "area": "郑州市金水区",
    "valid_until": datetime.date(2029, 12, 31),
    "url": URL,
    "basis": "《郑州市行政执法公示办法》第十二条",
}


def card(**overrides) -> bytes:
    return build_officer_card_pdf(**(FIELDS | overrides))


def test_card_is_one_id1_page_with_the_embedded_font(poppler):
    pdf = card()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 85.6 / 25.4 * 72) < 0.1
    assert abs(float(box.height) - 54 / 25.4 * 72) < 0.1
    assert b"/FontFile3" in pdf
    rows = poppler.fonts(pdf).splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5:-2] == ["yes", "yes", "yes"], row
    assert len(pdf) < 100_000


def test_particulars_title_and_basis_are_extractable_text(poppler):
    pdf = card()
    # pypdf reads fpdf2's two-byte ToUnicode entries with a NUL before each character
    text = squash(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()).replace("\x00", "")
    for snippet in ["豫A00012345", "张三丰"]:
        assert snippet in text
    text = squash(poppler.text(pdf))  # without any system font
    for snippet in [
        "行政执法人员公示卡",
        "张三丰",
        "郑州市金水区城市管理局",
        "执法中队长",
        "豫A00012345",
        "城市管理",
        "郑州市金水区",
        "2029年12月31日",
        "扫码核验执法证是否有效",
        "依据《郑州市行政执法公示办法》第十二条",
    ]:
        assert snippet in text, snippet
    assert "000公示办法" not in text  # the measure's title, not the internal file code


def test_qr_code_is_drawn_and_matches_the_url(poppler):
    """No QR decoder is installed: sample the rasterised modules against segno's matrix."""
    dpi = 600
    image = poppler.image(card(), dpi=dpi)
    matrix = [list(row) for row in segno.make(URL, error="m").matrix_iter(scale=1, border=0)]
    n = len(matrix)
    module = officer_card.QR_SIZE / n
    x0 = 85.6 - officer_card.QR_RIGHT - officer_card.QR_SIZE
    y0 = 12.0
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            px = mm(x0 + (c + 0.5) * module, dpi)
            py = mm(y0 + (r + 0.5) * module, dpi)
            assert (image.getpixel((px, py)) < 110) == bool(dark), (r, c)
    # quiet zone: blank around the symbol
    qx0, qy0 = mm(x0, dpi), mm(y0, dpi)
    qx1, qy1 = mm(x0 + officer_card.QR_SIZE, dpi), mm(y0 + officer_card.QR_SIZE, dpi)
    gap = mm(2 * module, dpi)
    assert dark_pixels(image, (qx1 + 2, qy0, qx1 + gap, qy1)) == 0
    assert dark_pixels(image, (qx0, qy0 - gap, qx1, qy0 - 2)) == 0


def test_same_input_gives_same_bytes_and_different_input_differs():
    assert card() == card()
    assert card(certificate_number="豫A00099999") != card()


def test_long_agency_name_wraps_inside_the_card(poppler):
    long_name = "郑州市金水区城市管理综合行政执法局（郑州市金水区城市管理局）"
    pdf = card(agency=long_name)
    text = squash(poppler.text(pdf))
    assert "郑州市金水区城市管理综合行政执法局" in text
    assert "扫码核验执法证是否有效" in text
    # nothing is drawn between the field column and the QR code
    dpi = 300
    image = poppler.image(pdf, dpi=dpi)
    x_qr = 85.6 - officer_card.QR_RIGHT - officer_card.QR_SIZE
    assert (
        dark_pixels(image, (mm(x_qr - 1.5, dpi), mm(12, dpi), mm(x_qr - 0.3, dpi), mm(35, dpi)))
        == 0
    )
