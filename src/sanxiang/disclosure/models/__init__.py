"""Disclosure models, one module per part so that they can grow apart: publications and
their confidentiality reviews (``publications``), the portal's search index (``search``),
what the public asks through the portal (``requests``: progress codes and correction
requests), and the push to the provincial platform (``exports``)."""

from .exports import *  # noqa: F403
from .publications import *  # noqa: F403
from .requests import *  # noqa: F403
from .search import *  # noqa: F403
