"""Test helpers: poppler-utils under an empty font configuration, pixel counting."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image


@dataclass
class Poppler:
    """poppler-utils run with a fontconfig that lists no font directories at all."""

    env: dict[str, str]
    workdir: Path
    counter: int = 0

    def _file(self, pdf: bytes) -> Path:
        self.counter += 1
        path = self.workdir / f"doc{self.counter}.pdf"
        path.write_bytes(pdf)
        return path

    def run(self, *args: str) -> str:
        done = subprocess.run(args, env=self.env, capture_output=True, check=True, timeout=120)
        return done.stdout.decode("utf-8")

    def text(self, pdf: bytes, *, first: int | None = None, last: int | None = None) -> str:
        args = ["pdftotext", "-enc", "UTF-8", "-layout"]
        if first:
            args += ["-f", str(first)]
        if last:
            args += ["-l", str(last)]
        return self.run(*args, str(self._file(pdf)), "-")

    def fonts(self, pdf: bytes) -> str:
        return self.run("pdffonts", str(self._file(pdf)))

    def image(self, pdf: bytes, page: int = 1, dpi: int = 50) -> Image.Image:
        src = self._file(pdf)
        out = self.workdir / f"{src.stem}-p{page}"
        self.run(
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-gray",
            "-png",
            "-singlefile",
            str(src),
            str(out),
        )
        return Image.open(f"{out}.png").convert("L")


def squash(text: str) -> str:
    """Text without any whitespace (pdftotext inserts spaces and line breaks freely)."""
    return "".join(text.split())


def dark_pixels(image: Image.Image, box: tuple[int, int, int, int], threshold: int = 110) -> int:
    region = image.crop(box)
    return sum(1 for value in region.get_flattened_data() if value < threshold)


def grey_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    region = image.crop(box)
    return sum(1 for value in region.get_flattened_data() if 150 <= value <= 245)


def mm(value: float, dpi: int) -> int:
    return round(value / 25.4 * dpi)
