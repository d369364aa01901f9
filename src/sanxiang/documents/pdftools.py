"""Operations on finished PDFs: stamping a watermark or page numbers, concatenating.

These need ``pypdf`` (imported lazily, so rendering works without it). Overlays are drawn
with fpdf2 in the embedded font and merged onto each page; page size, origin and rotation
of the source pages are respected.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fpdf import FPDF

from sanxiang.documents import fonts
from sanxiang.documents.render import PT, Fonts, Watermark, paint_watermark

if TYPE_CHECKING:
    from pypdf import PageObject

OVERLAY_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _require_pypdf() -> Any:
    try:
        import pypdf
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "处理已生成的 PDF（加水印、合并案卷）需要 pypdf：pip install pypdf"
        ) from exc
    return pypdf


def _overlay_pdf() -> tuple[FPDF, Fonts]:
    pdf = FPDF(unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(OVERLAY_DATE)
    return pdf, Fonts(pdf)


def _page_box(page: PageObject) -> tuple[float, float, float, float]:
    """(left, bottom, width, height) of the visible page in points, after rotation."""
    box = page.cropbox
    return float(box.left), float(box.bottom), float(box.width), float(box.height)


def _normalise(page: PageObject) -> PageObject:
    if page.rotation % 360:
        page.transfer_rotation_to_content()
    return page


def _merge_overlays(source: bytes, draw: Any, *, metadata: dict[str, str] | None = None) -> bytes:
    """Merge one overlay page onto each page of ``source``; ``draw(pdf, fonts, index, w, h)``
    draws the overlay for page ``index`` (0-based) of ``w`` × ``h`` mm."""
    pypdf = _require_pypdf()
    reader = pypdf.PdfReader(io.BytesIO(source))
    writer = pypdf.PdfWriter(clone_from=reader)
    pdf, fonts_ = _overlay_pdf()
    boxes = []
    for index, page in enumerate(writer.pages):
        _normalise(page)
        left, bottom, w, h = _page_box(page)
        boxes.append((left, bottom))
        pdf.add_page(format=(w * PT, h * PT))
        draw(pdf, fonts_, index, w * PT, h * PT)
    overlay = pypdf.PdfReader(io.BytesIO(bytes(pdf.output())))
    for page, over, (left, bottom) in zip(writer.pages, overlay.pages, boxes, strict=True):
        page.merge_transformed_page(over, pypdf.Transformation().translate(left, bottom))
    if metadata:
        writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_watermark(source: bytes, watermark: Watermark | str) -> bytes:
    """Return ``source`` with a diagonal light-grey watermark on every page (e.g.
    "仅供 张三 查阅 2026-11-24" on a copy handed out). Same input, same bytes."""
    mark = Watermark(text=watermark) if isinstance(watermark, str) else watermark

    def draw(pdf: FPDF, fonts_: Fonts, index: int, w: float, h: float) -> None:
        paint_watermark(pdf, fonts_, mark, w, h)

    return _merge_overlays(source, draw)


def stamp_page_numbers(
    source: bytes, *, first: int = 1, skip: int = 0, size: float = 14.0
) -> bytes:
    """Number pages in the top right corner (卷内页号), starting at ``first`` on the page after
    the first ``skip`` pages (the cover and table of contents are not numbered)."""

    def draw(pdf: FPDF, fonts_: Fonts, index: int, w: float, h: float) -> None:
        if index < skip:
            return
        text = str(first + index - skip)
        tw = fonts_.width(text, size)
        pdf.set_font(fonts.REGULAR, size=size)
        pdf.text(w - 16.0 - tw, 14.0, text)

    return _merge_overlays(source, draw)


def page_count(source: bytes) -> int:
    pypdf = _require_pypdf()
    return len(pypdf.PdfReader(io.BytesIO(source)).pages)


def concatenate(
    parts: Sequence[bytes],
    *,
    outline: Sequence[tuple[str, int]] = (),
    metadata: dict[str, str] | None = None,
) -> bytes:
    """Concatenate PDFs in order. ``outline`` adds bookmarks as (title, 0-based page)."""
    pypdf = _require_pypdf()
    writer = pypdf.PdfWriter()
    for part in parts:
        writer.append(pypdf.PdfReader(io.BytesIO(part)))
    for title, page in outline:
        writer.add_outline_item(title=title, page_number=page)
    if metadata:
        writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
