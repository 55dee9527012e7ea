"""Italian catalog of the benchmark report's words (narrative, cards, tables, charts, methods).

English message id → Italian text; ``(singular, plural)`` for ``ngettext``. Merged into
:data:`salesops_lib.i18n.it.MESSAGES`.
"""

from __future__ import annotations

#: True once every sentence, label, chart text and methods text of the benchmark report is wrapped
#: in ``_()`` and has an entry here (then ``language: it`` is accepted for it).
COMPLETE = False

MESSAGES: dict[str, str | tuple[str, str]] = {}
