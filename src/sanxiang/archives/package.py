"""The archive package (归档包) a records office takes: a BagIt bag (RFC 8493) zipped.

Layout, under one top-level folder named after the bag::

    bagit.txt                  BagIt-Version 1.0, UTF-8
    bag-info.txt               agency, case number, archive number, dates, Payload-Oxum
    manifest-sha256.txt        SHA-256 of every payload file
    tagmanifest-sha256.txt     SHA-256 of the three tag files above
    data/案卷.pdf               the assembled volume
    data/records/…pdf          each part of the volume on its own
    data/evidence/…, data/av/… the original evidence and AV files

Every payload file is a stored file (records.filestore, by SHA-256), so the manifest is
known before a byte is read, and the package is written as a stream: each file is copied
into the zip in CHUNK_SIZE pieces (ZIP_STORED — media does not compress, and a stored
entry costs no CPU), never held whole in memory. The zip is deterministic (fixed entry
times, fixed order), so the same assembly always gives the same bytes: its SHA-256 is
computed once at assembly and a download can be checked against it.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sanxiang.records.filestore import CHUNK_SIZE, FileStore, get_store

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
# Zip entries get this time (the zip format has no time zone and no earlier date).
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PayloadFile:
    path: str  # relative to the bag root, starting with data/
    sha256: str
    size: int


def encode_path(path: str) -> str:
    """A manifest path: CR, LF and % percent-encoded (RFC 8493 §2.1.3)."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def payload_oxum(files: Sequence[PayloadFile]) -> str:
    return f"{sum(f.size for f in files)}.{len(files)}"


def bag_info_text(info: Iterable[Sequence[str]]) -> str:
    lines = []
    for label, value in (tuple(pair) for pair in info):
        # a value on one line: tag files are line-oriented (RFC 8493 §2.2.2)
        lines.append(f"{label}: {' '.join(str(value).split())}")
    return "\n".join(lines) + "\n"


def manifest_text(files: Sequence[PayloadFile]) -> str:
    return "".join(f"{f.sha256}  {encode_path(f.path)}\n" for f in files)


def tag_files(
    info: Iterable[Sequence[str]], files: Sequence[PayloadFile]
) -> list[tuple[str, bytes]]:
    """bagit.txt, bag-info.txt, manifest-sha256.txt and tagmanifest-sha256.txt."""
    tags = [
        ("bagit.txt", BAGIT_TXT.encode()),
        ("bag-info.txt", bag_info_text(info).encode()),
        ("manifest-sha256.txt", manifest_text(files).encode()),
    ]
    tagmanifest = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in tags)
    return [*tags, ("tagmanifest-sha256.txt", tagmanifest.encode())]


class _Sink:
    """A write-only file for zipfile: it keeps what was written until taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> int:
        if data:
            self._parts.append(bytes(data))
            self._size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts = []
        return out


def _entry(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ENTRY_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    info.file_size = size  # lets zipfile choose ZIP64 for files over 4 GiB
    return info


def stream_package(
    bag_name: str,
    info: Iterable[Sequence[str]],
    files: Sequence[PayloadFile],
    *,
    store: FileStore | None = None,
) -> Iterator[bytes]:
    """The zipped bag as chunks of at most about CHUNK_SIZE bytes (plus zip headers)."""
    store = store or get_store()
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, data in tag_files(info, files):
            zf.writestr(_entry(f"{bag_name}/{name}", len(data)), data)
        yield sink.take()
        for f in files:
            with (
                store.open(f.sha256) as reader,
                zf.open(_entry(f"{bag_name}/{f.path}", f.size), "w") as writer,
            ):
                while chunk := reader.read(CHUNK_SIZE):
                    writer.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()


def package_digest(
    bag_name: str,
    info: Iterable[Sequence[str]],
    files: Sequence[PayloadFile],
    *,
    store: FileStore | None = None,
) -> tuple[str, int]:
    """SHA-256 and size of the package, computed by streaming it (nothing kept)."""
    h = hashlib.sha256()
    size = 0
    for chunk in stream_package(bag_name, list(info), files, store=store):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size
