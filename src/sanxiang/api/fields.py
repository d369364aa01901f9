"""Input field types that validate at the boundary with the project's identifier validators.

The validators raise django's ValidationError with a Chinese message; here it becomes a
pydantic error carrying that same message, so it reaches the error body under the field's
name (see ``errors.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from sanxiang.core.validators import normalize_id_number, normalize_phone, normalize_uscc


def _checked(normalize: Callable[[str], str], *, blank_ok: bool = False) -> Callable[[str], str]:
    def validate(value: str) -> str:
        if blank_ok and not value.strip():
            return ""
        try:
            return normalize(value)
        except DjangoValidationError as exc:
            # The message goes in the context, not the template: it quotes the user's input,
            # which may contain braces.
            raise PydanticCustomError(
                "invalid_identifier", "{reason}", {"reason": "".join(exc.messages)}
            ) from None

    return validate


Uscc = Annotated[
    str,
    Field(max_length=32, examples=["11410100MB0000000X"]),
    AfterValidator(_checked(normalize_uscc)),
]
IdNumber = Annotated[
    str,
    Field(max_length=32, description="居民身份证号码（GB 11643）"),
    AfterValidator(_checked(normalize_id_number)),
]
Phone = Annotated[
    str,
    Field(max_length=32, description="手机号码或带区号的固定电话；可留空"),
    AfterValidator(_checked(normalize_phone, blank_ok=True)),
]
