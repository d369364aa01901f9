"""Small files of each kind, recognisable by their leading bytes like the real thing."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile

HEADERS: dict[str, bytes] = {
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "mp4": b"\x00\x00\x00\x1cftypisom\x00\x00\x02\x00isomiso2avc1mp41",
    "mov": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ",
    "avc1-mp4": b"\x00\x00\x00\x14ftypavc1\x00\x00\x00\x00avc1",
    "m4a": b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A isommp42",
    "avi": b"RIFF\x00\x00\x00\x00AVI LIST",
    "wav": b"RIFF\x00\x00\x00\x00WAVEfmt ",
    "mp3": b"ID3\x03\x00\x00\x00\x00\x00\x00",
    "amr": b"#!AMR\n",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00",
    "elf": b"\x7fELF\x02\x01\x01\x00",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
}


def filler(size: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(size)


def sample(kind: str, size: int = 64 * 1024, seed: int = 0) -> bytes:
    """`size` bytes starting with `kind`'s signature, the rest pseudo-random."""
    if kind == "text":
        line = "2026年1月31日 现场检查笔录：执法人员出示执法证件。\n".encode()
        return (line * (size // len(line) + 1))[:size]
    if kind == "ts":
        packet = b"\x47" + filler(187, seed)
        return (packet * (size // 188 + 1))[:size]
    if kind in ("docx", "xlsx"):
        return office(kind, seed)
    header = HEADERS[kind]
    return header + filler(size - len(header), seed)


def office(kind: str, seed: int = 0) -> bytes:
    folder = {"docx": "word", "xlsx": "xl"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr(f"{folder}/document.xml", f"<doc>{filler(64, seed).hex()}</doc>")
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
