"""Forms of the archives pages: assembling (保管期限) and exporting (用途)."""

from __future__ import annotations

from django import forms

from sanxiang.archives.models import RETENTION_CHOICES
from sanxiang.archives.services import PURPOSES


class AssembleForm(forms.Form):
    retention = forms.ChoiceField(label="保管期限", choices=RETENTION_CHOICES, initial="定期30年")


class ExportForm(forms.Form):
    purpose = forms.ChoiceField(label="导出用途", choices=list(PURPOSES.items()), initial="archive")
