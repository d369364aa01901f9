"""Disclosure models, one module per part so that they can grow apart: publications and
their confidentiality reviews (``publications``), the portal's search index (``search``)."""

from .publications import *  # noqa: F403
from .search import *  # noqa: F403
