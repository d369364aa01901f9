"""``sanxiang render_document_samples DIR``: write every sample 文书 and a sample case file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sanxiang.documents import samples
from sanxiang.documents.render import render_pdf


class Command(BaseCommand):
    help = "生成各类文书样例 PDF（用于检查版式）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--watermark", default="", help="水印文字，如“仅供 张三 查阅”")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["directory"]
        out.mkdir(parents=True, exist_ok=True)
        mark = options["watermark"] or None
        rendered: list[tuple[str, bytes]] = []
        for name, doc in samples.all_documents().items():
            data = render_pdf(doc, watermark=mark)
            (out / f"{name}.pdf").write_bytes(data)
            rendered.append((doc.title, data))
            self.stdout.write(f"{name}.pdf  {len(data):,} 字节")
        try:
            from sanxiang.documents.casefile import CaseFilePart, assemble_case_file

            parts = [CaseFilePart(title=title, pdf=data) for title, data in rendered]
            data = assemble_case_file(samples.case_file_cover(), parts)
        except RuntimeError as exc:  # pypdf missing
            self.stdout.write(f"跳过案卷合并：{exc}")
            return
        (out / "case_file.pdf").write_bytes(data)
        self.stdout.write(f"case_file.pdf  {len(data):,} 字节")
