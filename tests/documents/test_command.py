from __future__ import annotations

from django.core.management import call_command


def test_render_document_samples(tmp_path):
    call_command("render_document_samples", str(tmp_path))
    names = {p.name for p in tmp_path.iterdir()}
    assert {"penalty_decision.pdf", "service_receipt.pdf", "case_file.pdf"} <= names
    for path in tmp_path.iterdir():
        assert path.read_bytes().startswith(b"%PDF")
