"""``sanxiang redact``: redact text for publication (000 公示办法 第十七条), to check it in bulk.

sanxiang redact < decision.txt                     # redacted text on stdout
sanxiang redact --jsonl < cases.jsonl              # {"text": …, "party": {…}} per line
sanxiang redact --names full --keep 0371-67188888  # names in full, the hotline kept
sanxiang redact --jurisdiction zhoucun             # names as that profile says

With ``--jsonl`` each input line is ``{"text": "...", "party": {...}}`` (``party`` optional,
its keys those of ``PartyFacts``) and each output line ``{"text": redacted, "spans":
[{"start", "end", "type"}]}``, in the same order, offsets in code points of the input text.
Lines are read and written one at a time. The first bad line stops the run: a Chinese message
on stderr naming the line, exit status 2 (the lines before it are already written).
Without ``--jsonl`` the text is read in blocks of whole lines and written as it comes.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.core.rules import UnknownProfile, UnknownRule, get_profile
from sanxiang.disclosure.redaction import PartyFacts, RedactionError, names_masked, redact
from sanxiang.disclosure.redaction.profile import NAME_RULE

BLOCK_CHARS = 1 << 20  # plain mode: redact about 1 MB of whole lines at a time
TOP_LEVEL_KEYS = frozenset({"text", "party"})


def _utf8(stream: IO[str]) -> IO[str]:
    """The process's own stdin or stdout as UTF-8, whatever the locale says."""
    if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() not in ("utf-8", "utf8"):
        stream.reconfigure(encoding="utf-8")
    return stream


def _blocks(stream: IO[str]) -> Iterator[str]:
    block: list[str] = []
    size = 0
    for line in stream:
        block.append(line)
        size += len(line)
        if size >= BLOCK_CHARS:
            yield "".join(block)
            block, size = [], 0
    if block:
        yield "".join(block)


class Command(BaseCommand):
    help = "隐去公开文本中的个人信息（000 公示办法 第十七条）：从标准输入读入，写到标准输出。"
    stealth_options = ("stdin",)
    requires_system_checks: list[str] = []  # pure text processing: no database, no URLs

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jsonl",
            action="store_true",
            help='逐行读入 {"text": …, "party": {…}}，逐行写出 {"text": …, "spans": […]}',
        )
        parser.add_argument(
            "--names",
            choices=("full", "masked"),
            help="自然人姓名：full 公开全名，masked 隐为“张某”；默认取规则配置",
        )
        parser.add_argument(
            "--jurisdiction",
            "-j",
            default="zhengzhou",
            help=f"规则配置代码（默认 zhengzhou），姓名处理取其规则 {NAME_RULE}",
        )
        parser.add_argument(
            "--keep",
            action="append",
            default=[],
            metavar="TEXT",
            help="须保持公开的字符串（本机关电话、执法证号等），可重复",
        )

    def _mask_names(self, options: dict[str, Any]) -> bool:
        if options["names"]:
            return bool(options["names"] == "masked")
        try:
            return names_masked(get_profile(options["jurisdiction"]))
        except (UnknownProfile, UnknownRule, RedactionError) as exc:
            raise CommandError(str(exc), returncode=2) from None

    def handle(self, *args: Any, **options: Any) -> None:
        mask_names = self._mask_names(options)
        keep: list[str] = [k for k in options["keep"] if k.strip()]
        stdin = options.get("stdin") or _utf8(sys.stdin)
        _utf8(sys.stdout)  # the process's own stdout, which OutputWrapper writes through
        try:
            if options["jsonl"]:
                self._jsonl(stdin, mask_names=mask_names, keep=keep)
            else:
                for block in _blocks(stdin):
                    result = redact(block, mask_names=mask_names, keep=keep)
                    self.stdout.write(result.text, ending="")
                    self.stdout.flush()
        except BrokenPipeError:  # the reader (… | head) has gone: stop quietly
            sys.stderr.close()

    def _jsonl(self, stdin: IO[str], *, mask_names: bool, keep: list[str]) -> None:
        for number, line in enumerate(stdin, start=1):
            try:
                text, parties = self._parse(line)
            except (ValueError, RedactionError) as exc:
                raise CommandError(f"第 {number} 行：{exc}", returncode=2) from None
            result = redact(text, parties, mask_names=mask_names, keep=keep)
            spans = [{"start": s.start, "end": s.end, "type": s.type} for s in result.spans]
            self.stdout.write(json.dumps({"text": result.text, "spans": spans}, ensure_ascii=False))
            self.stdout.flush()

    @staticmethod
    def _parse(line: str) -> tuple[str, list[PartyFacts]]:
        if not line.strip():
            raise ValueError("空行；每行应为一个 JSON 对象。")
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"不是有效的 JSON（第 {exc.colno} 列：{exc.msg}）。") from None
        if not isinstance(data, dict):
            raise ValueError('应为 JSON 对象，如 {"text": "…", "party": {…}}。')
        unknown = sorted(set(data) - TOP_LEVEL_KEYS)
        if unknown:
            raise ValueError(f"未知字段 {'、'.join(unknown)}；允许的字段：text、party。")
        text = data.get("text")
        if not isinstance(text, str):
            raise ValueError("缺少“text”，或其不是字符串。")
        party = data.get("party")
        if party is None:
            return text, []
        return text, [PartyFacts.from_mapping(party)]
