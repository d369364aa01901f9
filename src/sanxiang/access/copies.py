"""Copies handed out under a grant carry the requester's name, the request number and the
time: PDFs through documents.pdftools.stamp_watermark, PNG and JPEG images with a visible
tiled text drawn by Pillow (a dependency of fpdf2). Other files (video, audio …) cannot be
watermarked and are served unchanged; their download is on the ledger all the same."""

from __future__ import annotations

import io
import math
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
    font_size = max(14, min(width, height) // 14)
    font = ImageFont.truetype(str(fonts.REGULAR_FONT_PATH), font_size)
    left, top, right, bottom = font.getbbox(text)
    tw, th = int(right - left) + font_size, int(bottom - top) + font_size
    diag = int(math.hypot(width, height))
    layer = Image.new("RGBA", (diag, diag), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for y in range(0, diag, th * 3):
        for x in range(-(y % (tw * 2)), diag, tw + font_size * 2):
            draw.text((x, y), text, font=font, fill=(200, 0, 0, 110))
    layer = layer.rotate(30, resample=Image.Resampling.BICUBIC)
    offset = ((width - diag) // 2, (height - diag) // 2)
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    overlay.paste(layer, offset)
    out = Image.alpha_composite(base, overlay)
    buffer = io.BytesIO()
    if fmt == "JPEG":
        out.convert("RGB").save(buffer, format="JPEG", quality=90)
    else:
        out.save(buffer, format="PNG")
    return buffer.getvalue()
