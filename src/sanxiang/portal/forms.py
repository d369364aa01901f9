from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

# Same alphabet as org.Certificate.number; anything else cannot be a certificate number.
CERTIFICATE_NUMBER = RegexValidator(
    r"^[A-Za-z0-9\u4e00-\u9fa5-]{4,32}$",
    "执法证号由4至32位字母、数字、汉字或连字符组成，请核对后重新输入。",
)


class CertificateLookupForm(forms.Form):
    cert = forms.CharField(
        label="执法证号",
        max_length=32,
        validators=[CERTIFICATE_NUMBER],
        error_messages={"required": "请输入执法证号。", "max_length": "执法证号不超过32位。"},
        widget=forms.TextInput(
            attrs={
                "placeholder": "如：豫A00000001",
                "autocomplete": "off",
                "inputmode": "text",
                "spellcheck": "false",
            }
        ),
    )
