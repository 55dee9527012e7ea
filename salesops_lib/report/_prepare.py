"""Preparing a report run before any kernel starts: params, source, notebook and its parameters
cell."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from salesops_lib.data._validated import export as export_validated
from salesops_lib.data.sources import open_source
from salesops_lib.errors import ParamsError, SourceError
from salesops_lib.report._jobs import _Job
from salesops_lib.report.params import (
    ReportParams,
    _ParamsLoader,
    get_params_model,
    prepare_values,
    read_params_for,
)
from salesops_lib.report.params._relative import apply_overrides

__all__ = ["_find_notebook", "_prepare", "_resolve_source", "params_hash"]
log = logging.getLogger("salesops.report")


# ---------------------------------------------------------------------------------------------
# Preparation (no kernel)
# ---------------------------------------------------------------------------------------------


def params_hash(params: Mapping[str, Any]) -> str:
    """First 12 hex digits of the SHA-256 of the params' canonical JSON.

    Parameters
    ----------
    params
        JSON-mode params.

    Returns
    -------
    str
    """
    canonical = json.dumps(
        params, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _lookup(relative: Path, anchors: list[Path]) -> Path | None:
    """``relative`` under the first anchor folder, or one of its parents, that has it."""
    for anchor in anchors:
        for folder in (anchor, *anchor.parents):
            if (folder / relative).exists():
                return folder / relative
    return None


def _resolve_source(source: str, *, anchors: list[Path] | None = None) -> str:
    """Absolute path for a relative file/folder source; env:/URL sources unchanged.

    A relative path is looked up in the current folder and its parents, then beside the params
    file (and its parents), so reports run from any folder of the kit, or from elsewhere with
    ``--params-dir``. ``env:VAR`` must name a variable that is set.
    """
    if source.startswith("env:"):
        var = source[4:]
        if not os.environ.get(var):
            raise SourceError(
                f"The data source `{source}` names the environment variable {var}, which is not "
                "set.",
                fix=f"Export the connection URL first, e.g. `export {var}=postgres://user:pass@host/db`.",
            )
        return source
    if "://" in source or source.startswith("spark:"):  # spark: resolves its own folder
        return source
    path = Path(source).expanduser()
    if not path.is_absolute():
        found = _lookup(path, [Path.cwd(), *(anchors or [])])
        path = found if found is not None else Path.cwd() / path
    if not path.exists():
        raise SourceError(
            f"The data source `{source}` does not exist (looked for {path}).",
            fix="Build the demo warehouse with `salesops demo-data --out data/demo.duckdb`, "
            "or point `source:` in the params file at your data.",
        )
    return str(path.resolve())


def _find_files(
    model_cls: type[ReportParams],
    values: Mapping[str, Any],
    anchors: list[Path],
    *,
    source: str | None = None,
) -> dict[str, str]:
    """Absolute paths of the relative file parameters (``FILE_PARAMS``), found as ``source:`` is.

    A relative path is looked up in the working folder and its parents, then beside the params
    file and its parents (``anchors``); an absolute path is left as given. Run before the params
    are validated, so a params file run from another folder finds its own files.

    Raises
    ------
    ParamsError
        Naming the parameter and the folders looked in, when the file is in none of them.
    """
    found: dict[str, str] = {}
    for field in model_cls.FILE_PARAMS:
        value = values.get(field)
        if not isinstance(value, str) or not value.strip():
            continue
        given = Path(value).expanduser()
        if given.is_absolute():
            continue
        places = [Path.cwd(), *anchors]
        path = _lookup(given, places)
        if path is None or not path.is_file():
            looked = ", then ".join(f"{p.as_posix()} and its parent folders" for p in places)
            raise ParamsError(
                field,
                f"file `{value}` not found (looked in {looked})",
                expected="a path relative to the working folder or to the params file, "
                "or an absolute path",
                fix=f"Correct `{field}` in the params file; a path beside the params file is "
                "found from any working folder.",
                source=source,
            )
        found[field] = str(path.resolve())
    return found


def _kernel_files(
    written: Mapping[str, Any], found: Mapping[str, str], kernel_dir: Path
) -> dict[str, str]:
    """The file parameters the kernel must get as absolute paths: those it would not find, as
    written, from its own folder (``--notebooks-dir`` elsewhere, a params file run from another
    folder), so the check before the kernel and the notebook read one file."""
    absolute: dict[str, str] = {}
    for field, path in found.items():
        from_kernel = _lookup(Path(str(written[field])).expanduser(), [kernel_dir])
        if from_kernel is None or str(from_kernel.resolve()) != path:
            absolute[field] = path
    return absolute


def _find_notebook(
    notebook: str | Path, notebooks_dir: str | Path, *, anchors: list[Path] | None = None
) -> tuple[str, Path]:
    given = Path(notebook)
    if given.suffix == ".ipynb":
        path = given
    else:
        path = Path(notebooks_dir) / f"{given.name}.ipynb"
        if not path.is_file() and not Path(notebooks_dir).is_absolute():
            # the default `notebooks/` of the kit, from any folder inside it (as git finds .git)
            found = _lookup(path, [Path.cwd(), *(anchors or [])])
            path = found if found is not None else path
    if not path.is_file():
        available = sorted(p.stem for p in Path(notebooks_dir).glob("*.ipynb"))
        raise ParamsError(
            "notebook",
            f"there is no notebook {path.as_posix()}",
            expected="one of " + ", ".join(f"`{a}`" for a in available) if available else None,
            fix="Check the notebook name, or pass --notebooks-dir.",
        )
    return path.stem, path.resolve()


def _check_parameters_cell(stem: str, nb_path: Path, model: ReportParams) -> None:
    """Warn when the params model has fields the notebook's ``parameters`` cell does not declare.

    papermill injects them anyway; the warning points at a notebook that drifted from its model.
    """
    try:
        from papermill.inspection import inspect_notebook  # noqa: PLC0415  papermill costs 1.3 s to import; bad params exit 2 before it

        declared = set(inspect_notebook(str(nb_path)))
    except Exception:  # no parameters cell, unreadable notebook: the run itself will say so
        return
    missing = [f for f in type(model).model_fields if f not in declared]
    if declared and missing:
        log.warning(
            "notebooks/%s.ipynb does not declare %s in its `parameters` cell; the value is "
            "injected anyway. Add it to the cell so the notebook runs the same by hand.",
            stem,
            ", ".join(f"`{m}`" for m in missing),
        )


def _prepare(
    notebook: str | Path | None,
    params: str | Path | Mapping[str, Any],
    *,
    out_dir: str | Path,
    name: str | None,
    notebooks_dir: str | Path,
    kernel_name: str,
    timeout: int,
    overrides: Iterable[str] | Mapping[str, Any] | None = None,
) -> _Job:
    """Validate everything that can be checked without a kernel; raise ParamsError/SourceError."""
    stem_arg = None if notebook is None else Path(notebook).stem
    # relative paths may also be found from the params file's folder (run from anywhere)
    anchors = [] if isinstance(params, Mapping) else [Path(params).resolve().parent]
    if isinstance(params, Mapping):
        stem = stem_arg or params.get("notebook")
        if not stem:
            raise ParamsError("notebook", "missing value", expected="the notebook to run")
        stem, values, shown = str(stem), dict(params), None
        default_name = stem
    else:
        stem, values, shown = read_params_for(params, notebook=stem_arg)
        default_name = Path(params).stem

    values = apply_overrides(values, overrides, loader=_ParamsLoader)

    def last_record() -> Any:  # only when `as_of: latest` (or none) meets a period rule
        given = values.get("source") or get_params_model(stem).model_fields["source"].default
        return open_source(_resolve_source(str(given), anchors=anchors)).last_record()

    # relative file parameters are found as `source:` is, before their validators read them
    files = _find_files(get_params_model(stem), values, anchors, source=shown)
    model: ReportParams
    model, relative = prepare_values(
        stem, {**values, **files}, last_record=last_record, source=shown
    )
    stem, nb_path = _find_notebook(
        notebook if notebook is not None else stem, notebooks_dir, anchors=anchors
    )
    _check_parameters_cell(stem, nb_path, model)
    # the JSON keeps the file parameters as written; the kernel gets them absolute if need be
    display = {**model.model_dump(mode="json"), **{f: values[f] for f in files}}
    exec_params = {**display, **_kernel_files(values, files, nb_path.parent)}
    if isinstance(exec_params.get("source"), str):
        exec_params["source"] = _resolve_source(exec_params["source"], anchors=anchors)
    # every table the analysis reads is validated (check_tables), then the params that need the
    # data (e.g. the control arm exists) are checked (check_data): no kernel yet
    checked = model.model_copy(update={"source": exec_params.get("source", model.source), **files})
    for step in ("check_tables", "check_data"):
        check = getattr(checked, step, None)
        if callable(check):
            check()
    export_validated()  # the kernel (a child process) does not validate those tables again
    return _Job(
        name=name or default_name,
        notebook=stem,
        notebook_path=str(nb_path),
        title=str(display.get("title") or default_name),
        params=display,
        exec_params=exec_params,
        out_dir=str(Path(out_dir).resolve()),
        cwd=str(nb_path.parent),
        kernel_name=kernel_name,
        timeout=timeout,
        relative=relative,
        params_file=None if isinstance(params, Mapping) else str(Path(params).resolve()),
    )
