"""Pydantic validation errors as one :class:`~salesops_lib.errors.ParamsError` naming every key.

Used by every params model (:meth:`AnalysisParams.from_namespace`) and by the report runner's
params-file loader, so a wrong value reads the same from a notebook and from a YAML file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from salesops_lib.errors import ParamsError

__all__ = ["params_error_from_validation", "validate_model"]

_FIX = (
    "Correct the value in the params file and run again; see the notebook's params model for "
    "every key."
)

# --------------------------------------------------------------------------------------------
# Validation errors → one ParamsError
# --------------------------------------------------------------------------------------------

_EXPECTED_BY_TYPE = {
    "int_parsing": "an integer",
    "int_type": "an integer",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "decimal_parsing": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list, e.g. `[a, b]`",
    "tuple_type": "a list, e.g. `[a, b]`",
    "set_type": "a list, e.g. `[a, b]`",
    "dict_type": "a mapping of `key: value` pairs",
    "model_type": "a mapping of `key: value` pairs",
    "model_attributes_type": "a mapping of `key: value` pairs",
    "date_parsing": "a date like 2026-09-30",
    "date_type": "a date like 2026-09-30",
    "date_from_datetime_parsing": "a date like 2026-09-30",
    "datetime_parsing": "a date like 2026-09-30 or a date-time like 2026-09-30T18:00:00Z",
    "datetime_type": "a date like 2026-09-30 or a date-time like 2026-09-30T18:00:00Z",
    "datetime_from_date_parsing": "a date like 2026-09-30 or a date-time like 2026-09-30T18:00:00Z",
}

_TYPE_TAG = re.compile(r"^[a-z_]+(\[.*\])?$")


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the union-member tags pydantic adds to a location (``'int'``, ``'list[str]'``)."""
    out: list[Any] = []
    for part in loc:
        if isinstance(part, str) and (
            "[" in part
            or part
            in {
                "int",
                "str",
                "float",
                "bool",
                "none",
                "list",
                "dict",
                "date",
                "datetime",
                "literal",
                "tuple",
                "set",
            }
        ):
            continue
        out.append(part)
    return tuple(out)


def _describe_type(ann: Any) -> str:
    """Words for a type annotation: ``list[str]`` → "a list, e.g. `[a, b]`"."""

    origin = typing.get_origin(ann)
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe_type(a) for a in args)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(ann))
    if origin in (list, tuple, set, frozenset) or ann in (list, tuple, set):
        return "a list, e.g. `[a, b]`"
    if origin is dict or ann is dict:
        return "a mapping of `key: value` pairs"
    words = {
        str: "text",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        dt.date: "a date like 2026-09-30",
        dt.datetime: "a date like 2026-09-30 or a date-time like 2026-09-30T18:00:00Z",
    }
    if ann in words:
        return words[ann]
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return "a mapping of `key: value` pairs"
    return f"a value of type `{getattr(ann, '__name__', ann)}`"


def _describe_annotation(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """What a (top-level) field accepts, for 'missing value' errors."""
    if not loc or not isinstance(loc[0], str) or loc[0] not in model.model_fields:
        return None
    return _describe_type(model.model_fields[loc[0]].annotation)


def _expected(err: Mapping[str, Any]) -> str | None:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _EXPECTED_BY_TYPE:
        return _EXPECTED_BY_TYPE[kind]
    if kind in {"literal_error", "enum"}:
        return f"one of {ctx.get('expected', '')}".strip()
    bounds = {
        "greater_than": ("a number greater than", "gt"),
        "greater_than_equal": ("a number of at least", "ge"),
        "less_than": ("a number less than", "lt"),
        "less_than_equal": ("a number of at most", "le"),
        "multiple_of": ("a multiple of", "multiple_of"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"{words} {ctx.get(key)}"
    if kind == "too_short":
        return f"at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} item(s)"
    if kind == "string_too_short":
        return f"text of at least {ctx.get('min_length')} character(s)"
    if kind == "string_pattern_mismatch":
        return f"text matching `{ctx.get('pattern')}`"
    return None


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _problem(
    err: Mapping[str, Any], model: type[BaseModel], loc: tuple[Any, ...]
) -> tuple[str, str | None]:
    kind = err["type"]
    if kind == "missing":
        return "missing value", _describe_annotation(model, loc)
    if kind == "extra_forbidden":
        parent = model
        fields = list(parent.model_fields) if len(loc) == 1 else []
        close = difflib.get_close_matches(str(loc[-1]), fields, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        known = ", ".join(f"`{f}`" for f in fields)
        return f"unknown key{hint}", (f"one of the known keys: {known}" if known else None)
    if kind == "value_error":
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        return f"got {_short(err.get('input'))}: {msg}", None
    expected = _expected(err)
    if expected is None:
        return f"got {_short(err.get('input'))}: {err.get('msg', 'invalid value')}", None
    return f"got {_short(err.get('input'))}", expected


def params_error_from_validation(
    exc: ValidationError,
    model: type[BaseModel],
    *,
    source: str | None = None,
) -> ParamsError:
    """Turn a pydantic ``ValidationError`` into one :class:`ParamsError` listing every problem.

    Parameters
    ----------
    exc
        The validation error.
    model
        The model that was validated (used for the known keys and the expected types).
    source
        Where the params came from (a file path shown in the message).

    Returns
    -------
    ParamsError
        ``param`` is the first offending key (dotted for nested keys); the message lists the
        other problems on following lines (also kept in ``.problems``).
    """
    grouped: dict[str, tuple[str, list[str]]] = {}
    for err in exc.errors():
        loc = _clean_loc(tuple(err["loc"]))
        key = ".".join(str(p) for p in loc) or "params"
        problem, expected = _problem(err, model, loc)
        if key in grouped:
            # several union members failed: keep the first problem, collect what would do
            if expected and expected not in grouped[key][1]:
                grouped[key][1].append(expected)
        else:
            grouped[key] = (problem, [expected] if expected else [])
    items = [
        ParamsError(key, problem, expected=" or ".join(exp) or None, source=source)
        for key, (problem, exp) in grouped.items()
    ]
    first = items[0]
    err = ParamsError(first.param, first.problem, expected=first.expected, source=source, fix=_FIX)
    if len(items) > 1:
        err.problems = items[1:]  # type: ignore[attr-defined]
        err.message += "".join(f"\n  also: {p.message}" for p in items[1:])
        Exception.__init__(err, err._render())
    else:
        err.problems = []  # type: ignore[attr-defined]
    return err


def validate_model(
    model: type[BaseModel], values: Mapping[str, Any], *, source: str | None = None
) -> Any:
    """Validate ``values`` with ``model``; any problem becomes one :class:`ParamsError`."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        raise params_error_from_validation(exc, model, source=source) from None
