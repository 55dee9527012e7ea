"""Shared parameter docs, reused in every analysis's docstring (seaborn's docstring components).

Use with ``str.format`` or by pasting ``{source}`` placeholders through :func:`fill`::

    @fill
    def funnel_analysis(source, *, as_of=None, ...):
        '''...

        Parameters
        ----------
        {source}
        {as_of}
        '''
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["DOCS", "fill"]

DOCS: dict[str, str] = {
    "source": """source
        The data: an open :class:`~salesops_lib.data.sources.Source`, or anything
        :func:`~salesops_lib.data.sources.open_source` takes (a ``.duckdb`` path, a folder of
        ``<table>.parquet``/``.csv`` files, ``"env:VAR"``, a dict of DataFrames, an Ibis
        backend, a SparkSession).""",
    "as_of": """as_of
        Cut-off time (naive UTC): nothing after it is counted. A bare date means the end of
        that day (``"2025-12-31"`` → 23:59:59). ``None``: the source's own as-of (the latest
        timestamp in the data, unless the source was opened with one).""",
    "period": """period_start, period_end
        The analysis period, calendar dates, both inclusive (cut at ``as_of``).""",
    "filters": """filters
        Population filters ``{column: value or [values]}`` applied in the engine to every
        figure; ``"(missing)"`` selects rows without a value.""",
    "alpha": """alpha
        Two-sided significance level; intervals are ``1 − alpha`` (default 95%).""",
    "seed": """seed
        Seed of every random draw (bootstrap, Monte Carlo), so that a report is reproducible.""",
}

F = TypeVar("F", bound=Callable[..., Any])


def fill(func: F) -> F:
    """Replace ``{name}`` placeholders of ``func``'s docstring by the shared docs (indented)."""
    if func.__doc__:
        func.__doc__ = func.__doc__.format(
            **{k: v.replace("\n", "\n    ") for k, v in DOCS.items()}
        )
    return func
