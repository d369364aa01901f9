"""Helpers: rasterise and extract text with poppler under an EMPTY font configuration, so
Chinese can only appear if the PDF embeds its font."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from sanxiang.documents import samples
from sanxiang.documents.layout import Document
from sanxiang.documents.render import render_pdf
from tests.documents.helpers import Poppler

POPPLER = ("pdftoppm", "pdftotext", "pdffonts")


def _require_poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if not missing:
        return
    # `make test` installs poppler-utils; without it rasterisation is unchecked, so fail.
    pytest.fail(f"{', '.join(missing)} not found: apt-get install poppler-utils")


@pytest.fixture(scope="session")
def poppler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Poppler]:
    _require_poppler()
    root = tmp_path_factory.mktemp("nofonts")
    conf = root / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><cachedir>{root / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "FONTCONFIG_FILE": str(conf),
        "FONTCONFIG_PATH": str(root),
        "LANG": "C.UTF-8",
    }
    if shutil.which("fc-list"):
        listed = subprocess.run(
            ["fc-list"], env=env, capture_output=True, check=True, timeout=60
        ).stdout.strip()
        assert listed == b"", f"the empty font configuration still lists fonts: {listed!r}"
    yield Poppler(env=env, workdir=root)


@pytest.fixture(scope="session")
def sample_docs() -> dict[str, Document]:
    return samples.all_documents()


@pytest.fixture(scope="session")
def sample_pdfs(sample_docs: dict[str, Document]) -> dict[str, bytes]:
    return {name: render_pdf(doc) for name, doc in sample_docs.items()}
