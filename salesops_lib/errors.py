"""One exception hierarchy for the salesops kit.

::

    SalesOpsError                  base: every error the kit raises on purpose
    ├── DataValidationError        an input table breaks the canonical data model
    ├── ParamsError                a report / analysis parameter is wrong
    ├── SourceError                a data source cannot be opened or lacks a table
    └── ReportExecutionError       a notebook failed while a report was being run

Every message says *what* is wrong, *where* (table / column / parameter), shows a few offending
values when there are any, and *how to fix it*. The command line turns any ``SalesOpsError``
into that message and exit code 2 (1 for ``ReportExecutionError``), never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "DataValidationError",
    "ParamsError",
    "ReportExecutionError",
    "SalesOpsError",
    "SourceError",
]


class SalesOpsError(Exception):
    """Base class of every error the kit raises on purpose.

    Parameters
    ----------
    message
        What is wrong, in one sentence.
    fix
        What the user should do about it (appended as "How to fix: ...").
    """

    exit_code: int = 2

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(self._render())

    def _render(self) -> str:
        text = self.message
        if self.fix:
            fix = self.fix.strip()
            fix = fix[:1].upper() + fix[1:]
            if not fix.endswith((".", "!", "?", "`", ")")):
                fix += "."
            text += f"\nHow to fix: {fix}"
        return text

    def __reduce__(self) -> tuple[Any, ...]:  # picklable across process pools
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[SalesOpsError], state: dict[str, Any]) -> SalesOpsError:
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    Exception.__init__(obj, obj._render())
    return obj


def _examples(values: Iterable[Any], limit: int = 5) -> str:
    vals = list(values)
    shown = ", ".join(repr(v) for v in vals[:limit])
    return shown + (", ..." if len(vals) > limit else "")


class DataValidationError(SalesOpsError):
    """An input table breaks the canonical data model (``shared/DATA_MODEL.md``).

    Parameters
    ----------
    table, column
        Where the problem is (``column`` may be ``None`` for table-level rules).
    rule
        The rule that failed, in words ("is unique", "close_date >= created_at").
    n_failing
        How many rows break the rule.
    examples
        A few offending ids or values (at most five are shown).
    fix
        How to fix it.
    """

    def __init__(
        self,
        *,
        table: str,
        column: str | None,
        rule: str,
        n_failing: int | None = None,
        examples: Sequence[Any] = (),
        fix: str | None = None,
        problems: Sequence[DataValidationError] = (),
    ) -> None:
        self.table = table
        self.column = column
        self.rule = rule
        self.n_failing = n_failing
        self.examples = list(examples)[:5]
        self.problems = list(problems)
        where = f"table `{table}`" + (f", column `{column}`" if column else "")
        msg = f"Data problem in {where}: {rule}"
        if n_failing is not None:
            msg += f" ({n_failing:,} {'row fails' if n_failing == 1 else 'rows fail'})"
        if self.examples:
            msg += f"; first offending: {_examples(self.examples)}"
        msg += "."
        for extra in self.problems:
            msg += f"\n  also: {extra.message}"
            if extra.fix:
                msg += f" ({extra.fix})"
        super().__init__(msg, fix=fix)


class ParamsError(SalesOpsError):
    """A parameter (from a params YAML file, the CLI or a function call) is wrong.

    Parameters
    ----------
    param
        The parameter's name (dotted for nested keys), e.g. ``"stages"`` or
        ``"metrics.0.window_days"``.
    problem
        What is wrong with it.
    expected
        What would be accepted.
    """

    def __init__(
        self,
        param: str,
        problem: str,
        *,
        expected: str | None = None,
        fix: str | None = None,
        source: str | None = None,
    ) -> None:
        self.param = param
        self.problem = problem
        self.expected = expected
        self.source = source
        where = f" in {source}" if source else ""
        msg = f"Parameter `{param}`{where}: {problem}"
        if expected:
            msg += f"; expected {expected}"
        msg += "."
        super().__init__(msg, fix=fix)


class SourceError(SalesOpsError):
    """A data source cannot be opened, or lacks a table an analysis needs."""


class ReportExecutionError(SalesOpsError):
    """A report notebook failed while running; the partial notebook is kept as
    ``NAME.error.html``."""

    exit_code = 1
