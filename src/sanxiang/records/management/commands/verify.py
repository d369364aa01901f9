"""sanxiang verify: recheck the ledger's hash chain, every signed checkpoint and every
stored file; print what was checked and every break; exit non-zero on any break."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.records import keys
from sanxiang.records.verify import MAX_DETAILS, Report, verify

KIND_LABELS = {
    "gap": "序号缺失",
    "link": "链接断裂",
    "payload": "内容被改动",
    "hash": "哈希不符",
    "format": "格式无效",
    "payload_format": "内容格式无效",
    "column": "字段被改动",
    "head": "台账头不符",
    "checkpoint_key": "检查点密钥未知",
    "checkpoint_signature": "检查点签名无效",
    "checkpoint_size": "检查点超出台账",
    "checkpoint_root": "检查点根不符",
    "file_missing": "文件缺失",
    "file_digest": "文件内容被改动",
    "file_size": "文件大小不符",
    "trigger": "触发器缺失",
}


class Command(BaseCommand):
    help = (
        "核验台账哈希链、全部签名检查点（签名与默克尔根）和全部存储文件的 SHA-256；"
        "发现任何异常即以非零状态退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-files", action="store_true", help="不核验存储文件（只核验台账与检查点）"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出核验结果")
        parser.add_argument(
            "--public-key",
            action="append",
            metavar="PEM文件",
            help="用此公钥（PEM）核验检查点签名，可重复指定；默认使用本平台当前的公钥",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        public_keys = None
        if options["public_key"]:
            public_keys = []
            for name in options["public_key"]:
                try:
                    public_keys.append(keys.load_public_key(Path(name).read_bytes()))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"无法读取公钥文件 {name}：{exc}") from None
        as_json = options["json"]
        progress = None if as_json or options["verbosity"] < 1 else self._progress
        report = verify(
            public_keys=public_keys,
            check_stored_files=not options["skip_files"],
            progress=progress,
        )
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(report)
        if not report.ok:
            raise CommandError(f"核验未通过：发现 {report.break_count} 处异常。")

    def _progress(self, text: str) -> None:
        self.stderr.write(text)

    def _print(self, report: Report) -> None:
        s = report.seconds
        self.stdout.write(
            f"台账记录：{report.entries} 条，用时 {s.get('ledger', 0):.2f} 秒（哈希链、内容摘要、序号、台账头）"
        )
        self.stdout.write(
            f"签名检查点：{report.checkpoints} 个，用时 {s.get('checkpoints', 0):.2f} 秒（签名与默克尔根）"
        )
        if report.files_skipped:
            self.stdout.write("存储文件：已跳过（--skip-files）")
        else:
            self.stdout.write(
                f"存储文件：{report.files} 个，共 {report.file_bytes} 字节，用时 {s.get('files', 0):.2f} 秒"
            )
        self.stdout.write(f"防篡改触发器：{report.triggers_checked} 个")
        self.stdout.write(f"总用时：{s.get('total', 0):.2f} 秒")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("核验通过：未发现任何异常。"))
            return
        self.stdout.write(self.style.ERROR(f"发现 {report.break_count} 处异常："))
        for brk in report.breaks:
            where = []
            if brk.seq is not None:
                where.append(f"序号 {brk.seq}")
            if brk.tree_size is not None:
                where.append(f"检查点 {brk.tree_size}")
            if brk.file is not None:
                where.append(f"文件 {brk.file}")
            line = f"  [{KIND_LABELS.get(brk.kind, brk.kind)}] {' '.join(where)} {brk.message}"
            if brk.expected is not None or brk.actual is not None:
                line += f"\n      应为：{brk.expected or '—'}\n      实际：{brk.actual or '—'}"
            self.stdout.write(line)
        if report.break_count > len(report.breaks):
            self.stdout.write(
                f"  ……另有 {report.break_count - len(report.breaks)} 处异常未列出（最多列出 {MAX_DETAILS} 处）。"
            )
