"""Copies handed out under a grant carry the requester's name, the request number and the
time: PDFs through documents.pdftools.stamp_watermark, PNG and JPEG images with a visible
tiled text drawn by Pillow (a dependency of fpdf2). Other files (video, audio …) cannot be
watermarked and are served unchanged; their download is on the ledger all the same."""

from __future__ import annotations

import io
from typing import IO

from sanxiang.documents import fonts
from sanxiang.documents.pdftools import stamp_watermark

from . import selectors as sel

IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}


class CannotWatermark(ValueError):
    """The file is an image too large to be watermarked in memory."""


def watermark_pdf(source: bytes, text: str) -> bytes:
    return stamp_watermark(source, text) if text else source


def is_image(media_type: str) -> bool:
    return media_type.lower() in IMAGE_TYPES


def watermark_image(stream: IO[bytes], size: int, media_type: str, text: str) -> bytes:
    """The image with ``text`` tiled diagonally across it, semi-transparent."""
    from PIL import Image, ImageDraw, ImageFont

    limit = sel.watermark_max_bytes()
    if size > limit:
        raise CannotWatermark(
            f"图片超过{limit // (1024 * 1024)} MB，无法加注申请人水印，不能提供复制件；"
            "请联系档案管理员另行处理。"
        )
    fmt = IMAGE_TYPES[media_type.lower()]
    with Image.open(stream) as opened:
        base = opened.convert("RGBA")
    width, height = base.size
    # the text runs across about half the width; one rotated tile, pasted on a grid
    font_size = max(12, min(height // 8, int(width * 0.5 / max(len(text), 1))))
    font = ImageFont.truetype(str(fonts.REGULAR_FONT_PATH), font_size)
    left, top, right, bottom = font.getbbox(text)
    pad = font_size // 2
    tile = Image.new("RGBA", (int(right - left) + 2 * pad, int(bottom - top) + 2 * pad))
    ImageDraw.Draw(tile).text((pad - left, pad - top), text, font=font, fill=(200, 0, 0, 110))
    tile = tile.rotate(30, expand=True, resample=Image.Resampling.BICUBIC)
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    step_x, step_y = tile.width + font_size, tile.height + font_size
    for row, y in enumerate(range(-tile.height // 2, height, step_y)):
        for x in range(-((row % 2) * step_x) // 2, width, step_x):
            overlay.alpha_composite(tile, (max(x, 0), max(y, 0)), (max(-x, 0), max(-y, 0)))
    out = Image.alpha_composite(base, overlay)
    buffer = io.BytesIO()
    if fmt == "JPEG":
        out.convert("RGB").save(buffer, format="JPEG", quality=90)
    else:
        out.save(buffer, format="PNG")
    return buffer.getvalue()
