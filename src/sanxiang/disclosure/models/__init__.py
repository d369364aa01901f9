"""Disclosure models, one module per part so that they can grow apart: publications and
their confidentiality reviews (``publications``), the portal's search index (``search``),
and what the public asks through the portal (``requests``: progress codes and correction
requests)."""

from .publications import *  # noqa: F403
from .requests import *  # noqa: F403
from .search import *  # noqa: F403
