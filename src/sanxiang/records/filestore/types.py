"""Which kinds of file the store accepts, decided from the content, never from the name.

The allow-list is data (ALLOWED_TYPES): evidence photos, audio/video recordings (body
cameras, recorders), PDFs, Word/Excel documents and plain text. The real type is sniffed
from the first bytes with `filetype` (plus two signatures it lacks: generic ISO-BMFF and
MPEG-TS); a declared media type that contradicts it is refused, so an .exe renamed to
.mp4 does not get in.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError

# filetype looks at no more than this many leading bytes.
SNIFF_BYTES = 8192

# Declared types that say nothing about the content: never a contradiction.
GENERIC_MEDIA_TYPES = frozenset(
    {"", "application/octet-stream", "binary/octet-stream", "application/unknown"}
)


@dataclass(frozen=True)
class AllowedType:
    mime: str  # canonical: what StoredFile.media_type records
    label: str  # for messages
    category: str  # image / video / audio / document / text
    extensions: tuple[str, ...]
    # Declared media types consistent with this content (browsers and devices disagree:
    # an audio-only MP4 may be declared audio/mp4, audio/x-m4a or video/mp4).
    declared_as: frozenset[str]


def _t(
    mime: str, label: str, category: str, extensions: tuple[str, ...], *declared: str
) -> AllowedType:
    return AllowedType(mime, label, category, extensions, frozenset({mime, *declared}))


_ISO_BMFF = ("video/mp4", "audio/mp4", "audio/x-m4a", "audio/m4a", "video/x-m4v", "video/quicktime")

ALLOWED_TYPES: dict[str, AllowedType] = {
    t.mime: t
    for t in (
        # Photos taken at the scene, scans.
        _t("image/jpeg", "JPEG 图片", "image", ("jpg", "jpeg"), "image/jpg", "image/pjpeg"),
        _t("image/png", "PNG 图片", "image", ("png",)),
        _t("image/heic", "HEIC 图片", "image", ("heic", "heif"), "image/heif"),
        _t("image/tiff", "TIFF 图片", "image", ("tif", "tiff")),
        _t("image/webp", "WebP 图片", "image", ("webp",)),
        # Body cameras, phones, recorders.
        _t("video/mp4", "MP4 视频", "video", ("mp4", "m4v", "3gp"), *_ISO_BMFF, "video/3gpp"),
        _t("video/quicktime", "MOV 视频", "video", ("mov",), *_ISO_BMFF),
        _t("video/x-m4v", "M4V 视频", "video", ("m4v",), *_ISO_BMFF),
        _t("video/3gpp", "3GP 视频", "video", ("3gp",), "video/mp4", "audio/3gpp"),
        _t("video/x-msvideo", "AVI 视频", "video", ("avi",), "video/avi", "video/msvideo"),
        _t("video/x-matroska", "MKV 视频", "video", ("mkv",), "video/matroska", "video/webm"),
        _t("video/webm", "WebM 视频", "video", ("webm",), "audio/webm", "video/x-matroska"),
        _t("video/mp2t", "MPEG-TS 视频", "video", ("ts", "mts", "m2ts"), "video/vnd.dlna.mpeg-tts"),
        _t("video/mpeg", "MPEG 视频", "video", ("mpg", "mpeg")),
        _t("audio/mpeg", "MP3 音频", "audio", ("mp3",), "audio/mp3", "audio/x-mpeg"),
        _t("audio/mp4", "M4A 音频", "audio", ("m4a",), *_ISO_BMFF),
        _t(
            "audio/x-wav",
            "WAV 音频",
            "audio",
            ("wav",),
            "audio/wav",
            "audio/wave",
            "audio/vnd.wave",
        ),
        _t("audio/amr", "AMR 音频", "audio", ("amr",), "audio/x-amr"),
        _t("audio/aac", "AAC 音频", "audio", ("aac",), "audio/x-aac"),
        _t("audio/ogg", "Ogg 音频", "audio", ("ogg", "oga", "opus"), "audio/opus"),
        _t("audio/x-flac", "FLAC 音频", "audio", ("flac",), "audio/flac"),
        # Documents: PDF and Office Open XML (Word, Excel). Legacy binary Office files
        # (.doc/.xls) carry macros undetectably and are refused; save them as .docx/.xlsx.
        _t("application/pdf", "PDF 文档", "document", ("pdf",)),
        _t(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word 文档（docx）",
            "document",
            ("docx",),
        ),
        _t(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel 表格（xlsx）",
            "document",
            ("xlsx",),
        ),
        # Plain text only: no markup, no scripts (see _sniff_text).
        _t("text/plain", "纯文本", "text", ("txt",), "text/csv"),
    )
}

# What a refused type is called in the message, for the common cases.
_REFUSED_LABELS = {
    "application/x-msdownload": "Windows 可执行程序（exe/dll）",
    "application/x-executable": "可执行程序（ELF）",
    "application/zip": "ZIP 压缩包",
    "application/x-rar-compressed": "RAR 压缩包",
    "application/x-7z-compressed": "7z 压缩包",
    "application/msword": "旧版 Word 文档（doc）",
    "application/vnd.ms-excel": "旧版 Excel 表格（xls）",
    "text/html": "HTML 网页",
    "text/x-script": "脚本",
    "image/svg+xml": "SVG（可含脚本）",
}


def allowed_summary() -> str:
    """The allowed extensions, for messages and the uploader's accept attribute."""
    seen: dict[str, None] = {}
    for t in ALLOWED_TYPES.values():
        for ext in t.extensions:
            seen.setdefault(ext, None)
    return "、".join(seen)


def accept_attribute() -> str:
    return ",".join(
        sorted({f".{e}" for t in ALLOWED_TYPES.values() for e in t.extensions} | set(ALLOWED_TYPES))
    )


class FileTypeRefused(ValidationError):
    """The content is of a kind the store does not take, or not what was declared."""

    def __init__(self, message: str, *, detected: str | None) -> None:
        self.detected = detected
        super().__init__({"media_type": [message]}, code="file_type")


def _iso_bmff(head: bytes) -> str | None:
    """An ISO base media file whose brand filetype does not know (e.g. 'avc1', 'iso5')."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "video/quicktime"
        if brand.startswith(b"3g"):
            return "video/3gpp"
        if brand in (b"M4A ", b"M4B "):
            return "audio/mp4"
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis", b"hevc"):
            return "image/heic"
        return "video/mp4"
    return None


def _mpeg_ts(head: bytes) -> bool:
    """MPEG transport stream: a 0x47 sync byte every 188 bytes."""
    packets = min(len(head) // 188, 5)
    return packets >= 2 and all(head[i * 188] == 0x47 for i in range(packets))


def _looks_like_text(head: bytes, complete: bool) -> tuple[bool, str | None]:
    """(is text, refused kind): UTF-8/GB18030 text without NULs, markup or a shebang."""
    if not head or b"\x00" in head:
        return False, None
    sample = head
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        stripped = text.lstrip("\ufeff \t\r\n").lower()
        if stripped.startswith("#!"):
            return False, "text/x-script"
        if stripped.startswith("<"):
            if "<svg" in stripped[:2048]:
                return False, "image/svg+xml"
            return False, "text/html"
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        return controls == 0, None
    return False, None


def sniff(head: bytes, *, complete: bool = False) -> str | None:
    """The media type the leading bytes show, or None when nothing is recognised.
    `complete` says `head` is the whole file (a short text file may end mid-sequence
    otherwise)."""
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return str(kind.mime)
    fallback = _iso_bmff(head)
    if fallback:
        return fallback
    if _mpeg_ts(head):
        return "video/mp2t"
    is_text, refused = _looks_like_text(head, complete)
    if refused:
        return refused
    return "text/plain" if is_text else None


def _label(mime: str) -> str:
    allowed = ALLOWED_TYPES.get(mime)
    if allowed:
        return f"{allowed.label}（{mime}）"
    name = _REFUSED_LABELS.get(mime)
    return f"{name}（{mime}）" if name else mime


def check_media_type(declared: str) -> str:
    """Early check of a declared type, before any bytes: normalised, or FileTypeRefused."""
    normalised = declared.split(";", 1)[0].strip().lower()
    if normalised in GENERIC_MEDIA_TYPES:
        return normalised
    if any(normalised in t.declared_as for t in ALLOWED_TYPES.values()):
        return normalised
    raise FileTypeRefused(
        f"不允许上传该类型的文件：声明的文件类型为“{_label(normalised)}”。"
        f"允许的类型：{allowed_summary()}。",
        detected=None,
    )


def check_content(head: bytes, *, declared: str, complete: bool = False) -> str:
    """The canonical media type of content starting with `head`, if it is allowed and
    agrees with `declared`; otherwise FileTypeRefused naming what was detected."""
    detected = sniff(head, complete=complete)
    if detected is None:
        raise FileTypeRefused(
            f"无法识别文件内容的类型，不予入库。允许的类型：{allowed_summary()}。",
            detected=None,
        )
    allowed = ALLOWED_TYPES.get(detected)
    if allowed is None:
        raise FileTypeRefused(
            f"不允许上传该类型的文件：文件内容实际为“{_label(detected)}”。"
            f"允许的类型：{allowed_summary()}。",
            detected=detected,
        )
    normalised = declared.split(";", 1)[0].strip().lower()
    if normalised not in GENERIC_MEDIA_TYPES and normalised not in allowed.declared_as:
        raise FileTypeRefused(
            f"文件类型不符：声明为“{_label(normalised)}”，"
            f"但文件内容实际为“{_label(detected)}”，不予入库。",
            detected=detected,
        )
    return allowed.mime
