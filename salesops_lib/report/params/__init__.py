"""Report parameters: the registry of params models and reading params files.

A params file ``params/NAME.yaml`` names its notebook and sets that notebook's parameters::

    notebook: funnel_analysis
    title: Lead funnel, EMEA, Q3 2026
    source: data/demo.duckdb
    as_of: 2026-09-30
    window_days: 90

:func:`load_params` reads it and validates it with the notebook's model from
:data:`NOTEBOOK_PARAMS` *before* any kernel starts. Every problem found is reported in one
:class:`~salesops_lib.errors.ParamsError` that names the key, what is wrong and what is expected.
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from salesops_lib.analyses._params_errors import (
    _short,
    validate_model,
)
from salesops_lib.data.sources import open_source
from salesops_lib.errors import ParamsError
from salesops_lib.report.params._relative import apply_overrides, resolve_relative
from salesops_lib.report.params.base import ReportParams, to_naive_utc

__all__ = [
    "NOTEBOOK_PARAMS",
    "ReportParams",
    "get_params_model",
    "load_params",
    "prepare_values",
    "read_params_file",
    "read_params_for",
    "to_naive_utc",
    "validate_params",
]

#: Notebook stem → its params model, as ``"module:Class"`` (imported on first use, so a module
#: that is missing or broken only affects its own notebook) or as the class itself.
NOTEBOOK_PARAMS: dict[str, str | type[ReportParams]] = {
    "funnel_analysis": "salesops_lib.analyses.funnel.params:FunnelParams",
    "ab_campaign_evaluation": "salesops_lib.analyses.experiment.params:ExperimentParams",
    "benchmarking": "salesops_lib.analyses.benchmark.params:BenchmarkParams",
    "sales_kpis": "salesops_lib.analyses.kpis.params:KpiParams",
    "pipeline_forecast": "salesops_lib.analyses.forecast.params:ForecastParams",
}


def _display_path(path: str | Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def get_params_model(notebook: str) -> type[ReportParams]:
    """Return the params model registered for a notebook.

    Parameters
    ----------
    notebook
        The notebook's stem, e.g. ``"funnel_analysis"``.

    Returns
    -------
    type[ReportParams]
        The pydantic model class.

    Raises
    ------
    ParamsError
        If no model is registered for ``notebook`` or its module cannot be imported.
    """
    entry = NOTEBOOK_PARAMS.get(notebook)
    if entry is None:
        known = ", ".join(f"`{k}`" for k in sorted(NOTEBOOK_PARAMS))
        close = difflib.get_close_matches(notebook, list(NOTEBOOK_PARAMS), n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise ParamsError(
            "notebook",
            f"no report notebook is called `{notebook}`{hint}",
            expected=f"one of {known}",
        )
    if isinstance(entry, type):
        return entry
    module_name, _, class_name = entry.partition(":")
    try:
        module = importlib.import_module(module_name)
        model = getattr(module, class_name)
    except (ImportError, AttributeError) as exc:
        raise ParamsError(
            "notebook",
            f"the parameters of `{notebook}` cannot be loaded ({entry}: {exc})",
            fix="Reinstall the kit (`make setup`) or check that the module exists.",
        ) from None
    return model


# --------------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------------

_KEY_LINE = re.compile(r"^\s*-?\s*([A-Za-z_][\w-]*)\s*:")


class _DuplicateKeyError(yaml.constructor.ConstructorError):
    """A key given twice in one mapping of a params file (PyYAML would keep the last silently)."""

    def __init__(self, key: str, first_line: int, node: yaml.Node) -> None:
        super().__init__(None, None, f"`{key}` is given twice", node.start_mark)
        self.key = key
        self.first_line = first_line


class _ParamsLoader(yaml.SafeLoader):
    """``SafeLoader`` that keeps dates and times as text and rejects duplicate keys.

    PyYAML turns ``2026-09-30`` into a ``date`` itself and raises a bare ``ValueError`` for an
    impossible date such as ``2026-13-40``; leaving them as strings lets the params model parse
    them and report a bad one by key. PyYAML also keeps the last of two equal keys without a
    word; a params file with ``window_days`` twice is almost always an edit gone wrong, so it is
    an error that names both lines.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: SafeLoader says so itself
                continue
            if first is not None:
                raise _DuplicateKeyError(str(key), first, key_node)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_ParamsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_text(path: Path, shown: str) -> str:
    """The params file's text as UTF-8; a missing file, a folder, an unreadable file or another
    encoding is a :class:`ParamsError` naming the file (and the line of the first bad byte)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ParamsError(
            "params",
            f"the params file {shown} does not exist",
            fix="Check the path; params files live in `params/`.",
        ) from None
    except IsADirectoryError:
        raise ParamsError(
            "params",
            f"{shown} is a folder, not a params file",
            expected="a `.yaml` file such as params/funnel.yaml",
            fix="Name one file with --params, or run every file of a folder with "
            "`salesops run --all --params-dir FOLDER`.",
        ) from None
    except OSError as exc:  # permissions, a broken link, an I/O error
        raise ParamsError(
            "params",
            f"the params file {shown} cannot be read ({exc.strerror or exc})",
            fix="Check that the file exists and that you may read it.",
        ) from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")  # a BOM from Windows editors is fine
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParamsError(
            "params",
            f"{shown} is not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line}, "
            f"column {col} cannot be decoded",
            expected="a UTF-8 file",
            fix=f"Save {shown} as UTF-8 in your editor, or convert it with "
            f"`iconv -f latin1 -t utf-8 {shown} -o {shown}.utf8` and rename the result.",
        ) from None


def read_params_file(path: str | Path) -> dict[str, Any]:
    """Read a params YAML file into a dict, with readable errors.

    Parameters
    ----------
    path
        The ``.yaml`` file.

    Returns
    -------
    dict
        The mapping in the file (empty for an empty file).

    Raises
    ------
    ParamsError
        If the file is missing, a folder, unreadable or not UTF-8, is not valid YAML (the
        message gives the line and column), gives a key twice, or does not hold ``key: value``
        pairs at the top level.
    """
    shown = _display_path(path)
    text = _read_text(Path(path), shown)
    try:
        data = yaml.load(text, Loader=_ParamsLoader)  # a SafeLoader subclass
    except _DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise ParamsError(
            exc.key,
            f"the key is given twice in {shown} (lines {exc.first_line} and {line})",
            expected="each key once per mapping",
            fix="Delete the line that is not meant; YAML would otherwise keep only the last.",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context_mark = getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        if context and context_mark is not None:
            problem += f", {context} started at line {context_mark.line + 1}"
        line = mark.line + 1 if mark is not None else None
        key = None
        key_mark = context_mark or mark
        if key_mark is not None:
            lines = text.splitlines()
            for i in range(min(key_mark.line, len(lines) - 1), -1, -1):
                found = _KEY_LINE.match(lines[i])
                if found:
                    key = found.group(1)
                    break
        where = f"line {line}, column {mark.column + 1}" if mark is not None else "unknown line"
        raise ParamsError(
            key or f"line {line}",
            f"the file is not valid YAML at {where} ({problem})",
            expected="`key: value` lines, lists as `[a, b]` or `- item` lines, consistent "
            "indentation",
            source=shown,
            fix="Quote values that contain `: ` or `#`, and indent nested items by two spaces.",
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamsError(
            "params",
            f"{shown} holds a {type(data).__name__}, not `key: value` pairs",
            expected="a mapping such as `notebook: funnel_analysis` and `title: ...`",
        )
    return data


def validate_params(
    notebook: str,
    values: Mapping[str, Any],
    *,
    source: str | None = None,
) -> ReportParams:
    """Validate a mapping of parameters with the notebook's params model.

    Parameters
    ----------
    notebook
        Notebook stem (key of :data:`NOTEBOOK_PARAMS`).
    values
        The parameters; a ``notebook`` key, if present, is ignored.
    source
        Where the values came from, for the error message.

    Returns
    -------
    ReportParams
        The validated model instance (a subclass of :class:`ReportParams`).

    Raises
    ------
    ParamsError
        One error naming every offending key.
    """
    model = get_params_model(notebook)
    data = {k: v for k, v in values.items() if k != "notebook"}
    return validate_model(model, data, source=source)


def _default_last_record(source: Any) -> Callable[[], pd.Timestamp]:
    def last_record() -> pd.Timestamp:
        return open_source(source).last_record()

    return last_record


def prepare_values(
    notebook: str,
    values: Mapping[str, Any],
    *,
    overrides: Iterable[str] | Mapping[str, Any] | None = None,
    last_record: Callable[[], pd.Timestamp] | None = None,
    source: str | None = None,
) -> tuple[ReportParams, dict[str, Any]]:
    """Overrides, relative dates and title templates applied, then validated.

    Parameters
    ----------
    notebook
        Notebook stem.
    values
        The params as read (a ``notebook`` key is ignored).
    overrides
        ``-p KEY=VALUE`` items or a mapping, applied on top of ``values``.
    last_record
        Returns the data's last record (default: open ``values["source"]``); called only when a
        relative rule needs it.
    source
        Where the values came from, for error messages.

    Returns
    -------
    tuple[ReportParams, dict]
        The validated params and the record of what was relative (see
        :func:`~salesops_lib.report.params._relative.resolve_relative`).
    """
    data = apply_overrides(values, overrides, loader=_ParamsLoader)
    model = get_params_model(notebook)
    if last_record is None:
        last_record = _default_last_record(data.get("source", model.model_fields["source"].default))
    rule = getattr(model, "default_period", None)
    data, record = resolve_relative(
        data,
        fields=model.model_fields,
        last_record=last_record,
        default_period=None if rule is None else lambda at: rule(at, data),
    )
    return validate_params(notebook, data, source=source), record


def load_params(
    path: str | Path,
    *,
    notebook: str | None = None,
    overrides: Iterable[str] | Mapping[str, Any] | None = None,
) -> tuple[str, ReportParams]:
    """Read and validate a params file.

    Parameters
    ----------
    path
        The params YAML file.
    notebook
        The notebook to validate for. Needed when the file has no ``notebook:`` key; when both
        are given they must agree.
    overrides
        ``-p KEY=VALUE`` items (or a mapping) applied on top of the file.

    Returns
    -------
    tuple[str, ReportParams]
        The notebook stem and the validated params (relative dates resolved).

    Raises
    ------
    ParamsError
        Bad YAML (with line number), no notebook named, an unknown notebook, or invalid values.
    """
    stem, data, shown = read_params_for(path, notebook=notebook)
    model, _ = prepare_values(stem, data, overrides=overrides, source=shown)
    return stem, model


def read_params_for(
    path: str | Path, *, notebook: str | None = None
) -> tuple[str, dict[str, Any], str]:
    """Read a params file and settle its notebook: ``(stem, values, shown path)``."""
    shown = _display_path(path)
    data = read_params_file(path)
    named = data.get("notebook")
    if named is not None and not isinstance(named, str):
        raise ParamsError(
            "notebook", f"got {_short(named)}", expected="a notebook name", source=shown
        )
    if notebook is not None and named is not None and named != notebook:
        raise ParamsError(
            "notebook",
            f"the file is for `{named}` but the notebook `{notebook}` was asked for",
            source=shown,
            fix=f"Run `salesops run {named} --params {shown}`, or change `notebook:` in the file.",
        )
    stem = notebook or named
    if not stem:
        known = ", ".join(f"`{k}`" for k in sorted(NOTEBOOK_PARAMS))
        raise ParamsError(
            "notebook",
            "missing value",
            expected=f"the notebook to run, one of {known}",
            source=shown,
        )
    return stem, data, shown
