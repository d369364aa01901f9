"""The allow-list: the real type from the content, refusals that name what was found."""

from __future__ import annotations

import pytest

from sanxiang.records.filestore.types import (
    ALLOWED_TYPES,
    FileTypeRefused,
    accept_attribute,
    check_content,
    check_media_type,
    sniff,
)
from tests.records.samples import sample

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(
    ("kind", "declared", "stored_as"),
    [
        ("jpeg", "image/jpeg", "image/jpeg"),
        ("jpeg", "image/jpg", "image/jpeg"),
        ("png", "image/png", "image/png"),
        ("mp4", "video/mp4", "video/mp4"),
        ("avc1-mp4", "video/mp4", "video/mp4"),
        ("mov", "video/quicktime", "video/quicktime"),
        ("mov", "video/mp4", "video/quicktime"),
        ("m4a", "audio/x-m4a", "audio/mp4"),
        ("mp4", "audio/mp4", "video/mp4"),  # an audio-only MP4 recorded with brand isom
        ("avi", "video/x-msvideo", "video/x-msvideo"),
        ("avi", "video/avi", "video/x-msvideo"),
        ("ts", "video/mp2t", "video/mp2t"),
        ("mp3", "audio/mpeg", "audio/mpeg"),
        ("wav", "audio/wav", "audio/x-wav"),
        ("amr", "audio/amr", "audio/amr"),
        ("pdf", "application/pdf", "application/pdf"),
        ("docx", DOCX, DOCX),
        ("xlsx", XLSX, XLSX),
        ("text", "text/plain", "text/plain"),
        ("mp4", "", "video/mp4"),
        ("pdf", "application/octet-stream", "application/pdf"),
    ],
)
def test_allowed_content(kind: str, declared: str, stored_as: str) -> None:
    data = sample(kind, 20_000)
    assert check_content(data[:8192], declared=declared) == stored_as
    assert stored_as in ALLOWED_TYPES


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (sample("exe"), "application/x-msdownload"),
        (sample("elf"), "application/x-executable"),
        (sample("zip"), "application/zip"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
        (b"#!/bin/sh\nrm -rf /\n", "text/x-script"),
        (b"\x00\x01\x02\x03garbage" * 100, "无法识别"),
    ],
)
def test_refused_content_names_what_was_detected(content: bytes, named: str) -> None:
    with pytest.raises(FileTypeRefused) as caught:
        check_content(content, declared="", complete=True)
    message = caught.value.message_dict["media_type"][0]
    assert named in message
    assert "允许的类型" in message or "不予入库" in message


@pytest.mark.parametrize(
    ("kind", "declared"),
    [("pdf", "video/mp4"), ("jpeg", "application/pdf"), ("mp4", "image/png"), ("docx", XLSX)],
)
def test_declared_type_contradicting_content_is_refused(kind: str, declared: str) -> None:
    with pytest.raises(FileTypeRefused) as caught:
        check_content(sample(kind, 20_000)[:8192], declared=declared)
    assert "文件类型不符" in caught.value.messages[0]
    assert declared in caught.value.messages[0]


def test_declared_types_are_checked_before_any_bytes() -> None:
    assert check_media_type("Video/MP4; codecs=avc1") == "video/mp4"
    assert check_media_type("") == ""
    for bad in ("application/x-msdownload", "text/html", "application/javascript"):
        with pytest.raises(FileTypeRefused) as caught:
            check_media_type(bad)
        assert bad in caught.value.messages[0]


def test_text_sniffing() -> None:
    assert sniff("调查询问笔录\n".encode("gb18030"), complete=True) == "text/plain"
    assert sniff("﻿执法记录".encode(), complete=True) == "text/plain"
    # A multi-byte character cut at the sniffing window is still text.
    assert sniff("执法".encode()[:-1], complete=False) == "text/plain"
    assert sniff(b"", complete=True) is None


def test_accept_attribute_lists_extensions_and_types() -> None:
    accept = accept_attribute()
    for item in (".mp4", ".jpg", ".pdf", "video/quicktime", ".docx"):
        assert item in accept.split(",")
    assert ".exe" not in accept
