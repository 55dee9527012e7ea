"""Run report notebooks with papermill and write leadership HTML + machine-readable JSON.

One run, ``run_report("funnel_analysis", "params/funnel_emea.yaml")``:

1. reads and validates the params with the notebook's model (a :class:`ParamsError`, exit code
   2, *before* any kernel starts; nothing is written), resolves a relative ``source`` against the
   current folder and checks that it exists (:class:`SourceError`, exit code 2);
2. executes ``notebooks/<stem>.ipynb`` with papermill on the ``salesops`` kernel (over IPC, see
   ``_kernel.py``), in the notebook's folder, parameters injected as JSON values (dates as ISO
   strings);
3. reads the results the notebook published with ``publish_results`` (MIME type
   ``application/vnd.salesops.results+json``; the reserved ``_provenance`` key carries the data
   fingerprint, as-of and row counts, see :mod:`salesops_lib.report.notebook`);
4. writes ``reports/NAME.html`` (self-contained, code hidden) and ``reports/NAME.json``
   atomically (temporary file in the same folder + ``os.replace``) and removes a stale
   ``NAME.error.*``; then regenerates ``reports/index.html``.

If the notebook fails, ``NAME.html``/``NAME.json`` are left exactly as they were (the last good
report), ``NAME.error.html`` (the partial notebook with code, the failing cell and the traceback)
and ``NAME.error.json`` are written, and :class:`ReportExecutionError` (exit code 1) is raised.

``NAME.json``::

    {"status": "ok", "report": NAME, "notebook": stem,
     "params": {...},                       # as validated, JSON values, source as given
     "provenance": {"kit_version", "git_commit", "params_hash", "data_fingerprint", "as_of",
                    "rows", "started_at", "finished_at", "duration_s", "python", "platform"},
     "results": {...}}                      # what the notebook published

``NAME.error.json`` has ``"status": "failed"`` and an ``"error"`` block (``type``, ``message``,
``cell_number``, ``cell_source``, ``traceback``) instead of ``results``.

:func:`run_all` runs every ``params/*.yaml`` that names a notebook (files in subfolders are not
read) in a process pool (papermill is process-safe, not thread-safe); one failing report does
not stop the others.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from salesops_lib._version import __version__
from salesops_lib.errors import ParamsError, ReportExecutionError, SalesOpsError, SourceError
from salesops_lib.report.notebook import PROVENANCE_KEY, RESULTS_MIME
from salesops_lib.report.params import (
    ReportParams,
    load_params,
    read_params_file,
    validate_params,
)

__all__ = [
    "DEFAULT_KERNEL",
    "DEFAULT_TIMEOUT",
    "RunResult",
    "extract_results",
    "params_hash",
    "run_all",
    "run_report",
]

log = logging.getLogger("salesops.report")

DEFAULT_KERNEL = "salesops"
#: Seconds one cell may run before the report is stopped as failed.
DEFAULT_TIMEOUT = 900
START_TIMEOUT = 60


@dataclass
class RunResult:
    """What one report run produced.

    Attributes
    ----------
    name
        Report name (the params file's stem): ``reports/NAME.html``.
    notebook
        Notebook stem.
    status
        ``"ok"`` or ``"failed"``.
    html, json
        ``NAME.html`` and ``NAME.json`` (after a failure: the previous good files, or ``None``).
    error_html, error_json
        ``NAME.error.html`` / ``NAME.error.json`` after a failure, else ``None``.
    duration_s
        Wall time of the run, in seconds.
    error
        The error message after a failure.
    exit_code
        0, 1 (the notebook failed) or 2 (bad params or data source).
    results
        What the notebook published (without ``_provenance``).
    """

    name: str
    notebook: str
    status: Literal["ok", "failed"]
    html: Path | None = None
    json: Path | None = None
    error_html: Path | None = None
    error_json: Path | None = None
    duration_s: float = 0.0
    error: str | None = None
    exit_code: int = 0
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """``True`` if the report was written."""
        return self.status == "ok"


@dataclass
class _Job:
    """Everything a worker process needs to run one report (picklable, no registry lookups)."""

    name: str
    notebook: str
    notebook_path: str
    title: str
    params: dict[str, Any]  # as given (display, hash)
    exec_params: dict[str, Any]  # injected into the notebook (source resolved)
    out_dir: str
    cwd: str
    kernel_name: str = DEFAULT_KERNEL
    timeout: int = DEFAULT_TIMEOUT


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
                f"The data source `{source}` names the environment variable {var}, which is not set.",
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
        from papermill.inspection import inspect_notebook

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
) -> _Job:
    """Validate everything that can be checked without a kernel; raise ParamsError/SourceError."""
    stem_arg = None if notebook is None else Path(notebook).stem
    if isinstance(params, Mapping):
        stem = stem_arg or params.get("notebook")
        if not stem:
            raise ParamsError("notebook", "missing value", expected="the notebook to run")
        model: ReportParams = validate_params(str(stem), params)
        default_name = str(stem)
    else:
        stem, model = load_params(params, notebook=stem_arg)
        default_name = Path(params).stem
    # relative paths may also be found from the params file's folder (run from anywhere)
    anchors = [] if isinstance(params, Mapping) else [Path(params).resolve().parent]
    stem, nb_path = _find_notebook(
        notebook if notebook is not None else stem, notebooks_dir, anchors=anchors
    )
    _check_parameters_cell(stem, nb_path, model)
    display = model.model_dump(mode="json")
    exec_params = dict(display)
    if isinstance(exec_params.get("source"), str):
        exec_params["source"] = _resolve_source(exec_params["source"], anchors=anchors)
    check_data = getattr(model, "check_data", None)
    if callable(check_data):  # params that need the data (e.g. the control arm exists): no kernel yet
        model.model_copy(update={"source": exec_params.get("source", model.source)}).check_data()  # type: ignore[attr-defined]
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
    )


# ---------------------------------------------------------------------------------------------
# Execution (in this process or a worker)
# ---------------------------------------------------------------------------------------------


@cache
def _git_commit(folder: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and re.fullmatch(r"[0-9a-f]{40,64}", commit) else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def extract_results(nb: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Collect what a notebook published with ``publish_results``.

    Parameters
    ----------
    nb
        An executed notebook.

    Returns
    -------
    tuple[dict, dict]
        ``(results, provenance)``: the merged payloads (in cell order, later keys win) without
        the ``_provenance`` key, and the merged ``_provenance`` mappings.
    """
    results: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            payload = data.get(RESULTS_MIME)
            if isinstance(payload, str):  # some writers store JSON as text
                try:
                    payload = json.loads(payload)
                except ValueError:
                    payload = None
            if isinstance(payload, Mapping):
                payload = dict(payload)
                provenance.update(payload.pop(PROVENANCE_KEY, None) or {})
                results.update(payload)
    return results, provenance


def _tail(path: Path, lines: int = 40) -> str | None:
    """The last ``lines`` lines of a text file, or ``None`` if it is missing or empty."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    kept = [ln for ln in text.splitlines() if ln.strip()][-lines:]
    return _strip_ansi("\n".join(kept)) or None


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _failing_cell(nb: Any) -> Any | None:
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return cell
        if cell.get("metadata", {}).get("papermill", {}).get("exception"):
            return cell
    # a dead kernel or a timeout: the last code cell that started
    started = [
        c
        for c in nb.cells
        if c.get("cell_type") == "code"
        and c.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    return started[-1] if started else None


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _json_text(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"


def _base_provenance(job: _Job, started: dt.datetime) -> dict[str, Any]:
    return {
        "kit_version": __version__,
        "git_commit": _git_commit(job.cwd),
        "params_hash": params_hash(job.params),
        "data_fingerprint": None,
        "as_of": job.params.get("as_of"),
        "rows": None,
        "started_at": started.isoformat(),
        "finished_at": None,
        "duration_s": None,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


_INPUT_ERRORS = frozenset({"ParamsError", "DataValidationError", "SourceError"})


def _error_info(exc: BaseException | None, nb: Any | None) -> dict[str, Any]:
    """Error block for NAME.error.json from the exception and/or the partial notebook."""
    info: dict[str, Any] = {
        "type": type(exc).__name__ if exc is not None else "Error",
        "message": str(exc) if exc is not None else "",
        "cell_number": None,
        "cell_id": None,
        "cell_source": None,
        "traceback": None,
    }
    ename = getattr(exc, "ename", None)
    if ename:
        info["type"] = ename
        info["message"] = _strip_ansi(str(getattr(exc, "evalue", "")))
        info["traceback"] = _strip_ansi("\n".join(getattr(exc, "traceback", []) or []))
        info["cell_source"] = getattr(exc, "source", None)
        info["cell_number"] = getattr(exc, "exec_count", None)
    cell = _failing_cell(nb) if nb is not None else None
    if cell is not None:
        info["cell_id"] = cell.get("id")
        info["cell_source"] = info["cell_source"] or cell.get("source")
        info["cell_number"] = info["cell_number"] or cell.get("execution_count")
    if info["type"] == "CellTimeoutError":
        info["message"] = _strip_ansi(info["message"]).split("\n")[0]
    if type(exc).__name__ == "NoSuchKernel":
        info["message"] = f"the Jupyter kernel `{getattr(exc, 'name', '?')}` is not installed"
    return info


def _error_fix(info: Mapping[str, Any]) -> str | None:
    if info["type"] == "NoSuchKernel":
        return "Run `make setup`, or `.venv/bin/python -m ipykernel install --sys-prefix --name salesops`."
    if info["type"] == "CellTimeoutError":
        return "A cell ran longer than the time limit; narrow the analysis or raise the timeout."
    return None


def _write_failure(
    job: _Job,
    *,
    nb: Any | None,
    info: dict[str, Any],
    provenance: dict[str, Any],
    exit_code: int = 1,
) -> RunResult:
    from salesops_lib.report.render import render_error_page

    out = Path(job.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, json_path = out / f"{job.name}.html", out / f"{job.name}.json"
    err_html, err_json = out / f"{job.name}.error.html", out / f"{job.name}.error.json"
    page = render_error_page(
        nb,
        name=job.name,
        title=job.title,
        notebook=job.notebook,
        params=job.params,
        provenance=provenance,
        error={
            "ename": info["type"],
            "evalue": info["message"],
            "cell_number": info["cell_number"],
            "cell_source": info["cell_source"],
            "cell_id": info["cell_id"],
            "traceback": info["traceback"],
        },
        has_previous=html_path.exists(),
    )
    _atomic_write(err_html, page)
    doc = {
        "status": "failed",
        "report": job.name,
        "notebook": job.notebook,
        "params": job.params,
        "provenance": provenance,
        "error": {k: v for k, v in info.items() if k != "cell_id"},
    }
    _atomic_write(err_json, _json_text(doc))
    where = f" in code cell {info['cell_number']}" if info["cell_number"] else ""
    first_line = (info["message"] or "").strip().splitlines()[0] if info["message"] else ""
    message = f"Report `{job.name}` ({job.notebook}) failed{where}: {info['type']}: {first_line}"
    if info["type"] in _INPUT_ERRORS and info["message"]:
        # the kit's own input errors are written for the user: keep every line, with the fix
        message = f"Report `{job.name}` ({job.notebook}): {info['message'].strip()}"
    return RunResult(
        name=job.name,
        notebook=job.notebook,
        status="failed",
        html=html_path if html_path.exists() else None,
        json=json_path if json_path.exists() else None,
        error_html=err_html,
        error_json=err_json,
        duration_s=float(provenance.get("duration_s") or 0.0),
        error=message,
        exit_code=exit_code,
    )


def _execute(job: _Job) -> RunResult:
    """Run one prepared report; never raises for a notebook failure (returns a failed result)."""
    import nbformat
    import papermill

    from salesops_lib.report._kernel import kernel_manager_class
    from salesops_lib.report.render import render_report_page

    started = _now()
    t0 = time.perf_counter()
    provenance = _base_provenance(job, started)
    nb = None
    exc: BaseException | None = None
    with tempfile.TemporaryDirectory(prefix="salesops-run-") as tmp:
        out_nb = Path(tmp) / f"{job.name}.ipynb"
        kernel_log = Path(tmp) / "kernel.log"
        try:
            nb = papermill.execute_notebook(
                job.notebook_path,
                str(out_nb),
                parameters=job.exec_params,
                kernel_name=job.kernel_name,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=True,
                start_timeout=START_TIMEOUT,
                execution_timeout=job.timeout,
                cwd=job.cwd,
                kernel_manager_class=kernel_manager_class(kernel_log),
            )
        except Exception as err:  # PapermillExecutionError, CellTimeoutError, DeadKernelError, ...
            exc = err
            if out_nb.exists():
                try:
                    nb = nbformat.read(str(out_nb), as_version=4)
                except Exception:  # pragma: no cover - a half-written file
                    nb = None
        log_tail = _tail(kernel_log)
    finished = _now()
    provenance["finished_at"] = finished.isoformat()
    provenance["duration_s"] = round(time.perf_counter() - t0, 2)

    if nb is not None:
        results, nb_prov = extract_results(nb)
        for key in ("data_fingerprint", "as_of", "rows"):
            if nb_prov.get(key) is not None:
                provenance[key] = nb_prov[key]
        extra = {k: v for k, v in nb_prov.items() if k not in provenance}
        provenance.update(extra)
    else:
        results = {}

    if exc is not None or nb is None:
        info = _error_info(exc, nb)
        if log_tail and not info["traceback"]:
            info["traceback"] = f"Kernel log (last lines):\n{log_tail}"
        # a kit error raised inside the notebook (bad params or data) keeps its exit code 2
        code = 2 if info["type"] in _INPUT_ERRORS else 1
        return _write_failure(job, nb=nb, info=info, provenance=provenance, exit_code=code)

    out = Path(job.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, json_path = out / f"{job.name}.html", out / f"{job.name}.json"
    try:
        page = render_report_page(
            nb, title=job.title, notebook=job.notebook, params=job.params, provenance=provenance
        )
        doc = {
            "status": "ok",
            "report": job.name,
            "notebook": job.notebook,
            "params": job.params,
            "provenance": provenance,
            "results": results,
        }
        text = _json_text(doc)
    except Exception as err:  # rendering failed: keep the previous report, say why
        info = _error_info(err, nb)
        info["message"] = f"the notebook ran but the report could not be rendered: {err}"
        return _write_failure(job, nb=nb, info=info, provenance=provenance)
    _atomic_write(html_path, page)
    _atomic_write(json_path, text)
    for stale in (out / f"{job.name}.error.html", out / f"{job.name}.error.json"):
        stale.unlink(missing_ok=True)
    return RunResult(
        name=job.name,
        notebook=job.notebook,
        status="ok",
        html=html_path,
        json=json_path,
        duration_s=float(provenance["duration_s"]),
        results=results,
    )


def _preload() -> None:
    """Import papermill, nbformat and nbconvert once in the parent.

    Forked workers inherit the loaded modules instead of importing them again (about 1.5 s
    each: ``nbformat`` pulls in ``jsonschema``'s format checkers).
    """
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from salesops_lib.report import render  # noqa: F401


def _execute_safely(job: _Job) -> RunResult:
    """Worker entry point: a bug in the runner becomes a failed result, not a dead pool."""
    try:
        return _execute(job)
    except Exception as err:
        return RunResult(
            name=job.name,
            notebook=job.notebook,
            status="failed",
            error=f"Report `{job.name}` could not be run: {type(err).__name__}: {err}",
            exit_code=1,
        )


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def run_report(
    notebook: str | Path | None,
    params: str | Path | Mapping[str, Any],
    *,
    out_dir: str | Path = "reports",
    name: str | None = None,
    notebooks_dir: str | Path = "notebooks",
    kernel_name: str = DEFAULT_KERNEL,
    timeout: int = DEFAULT_TIMEOUT,
    update_index: bool = True,
) -> RunResult:
    """Run one report notebook and write ``NAME.html`` and ``NAME.json``.

    Parameters
    ----------
    notebook
        Notebook stem (``"funnel_analysis"``, looked up in ``notebooks_dir``) or a path to an
        ``.ipynb``; ``None`` to take it from the params file's ``notebook:`` key.
    params
        A params YAML file, or a mapping of parameter values.
    out_dir
        Folder for the report files (created if needed).
    name
        Report name; default: the params file's stem (the notebook stem for a mapping).
    notebooks_dir
        Where notebooks are looked up by stem.
    kernel_name
        Jupyter kernel to run on.
    timeout
        Seconds a single cell may run.
    update_index
        Regenerate ``out_dir/index.html`` afterwards.

    Returns
    -------
    RunResult
        ``status == "ok"``, with the paths written and the published results.

    Raises
    ------
    ParamsError
        Invalid params or unknown notebook (exit code 2); no kernel is started, nothing written.
    SourceError
        The data source path does not exist (exit code 2).
    ReportExecutionError
        The notebook failed (exit code 1); ``NAME.error.html``/``.json`` were written and the
        previous ``NAME.html``/``NAME.json`` left untouched.
    """
    job = _prepare(
        notebook,
        params,
        out_dir=out_dir,
        name=name,
        notebooks_dir=notebooks_dir,
        kernel_name=kernel_name,
        timeout=timeout,
    )
    result = _execute(job)
    if update_index:
        from salesops_lib.report.index import write_index

        write_index(out_dir)
    if not result.ok:
        shown = _shown(result.error_html)
        kept = "; the previous report was left unchanged." if result.html else "."
        if result.exit_code == 2:  # bad params or data found inside the notebook: message has its fix
            err = ReportExecutionError(
                f"{result.error or f'Report `{job.name}` failed.'}\nDetails: {shown}{kept}"
            )
        else:
            err = ReportExecutionError(
                result.error or f"Report `{job.name}` failed.",
                fix=f"Open {shown} for the failing cell and the traceback{kept}",
            )
        err.result = result  # type: ignore[attr-defined]
        err.exit_code = result.exit_code or 1
        raise err
    return result


def _shown(path: Path | None) -> str:
    if path is None:
        return "the error report"
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _params_files(params_dir: Path) -> list[Path]:
    files = {*params_dir.glob("*.yaml"), *params_dir.glob("*.yml")}
    return sorted(p for p in files if p.is_file())


def _invalid_result(
    path: Path, err: SalesOpsError, out_dir: Path, notebook: str | None
) -> RunResult:
    """Record params/source errors of one file found by ``run_all`` (no kernel was started)."""
    job = _Job(
        name=path.stem,
        notebook=notebook or "?",
        notebook_path="",
        title=path.stem,
        params={},
        exec_params={},
        out_dir=str(out_dir.resolve()),
        cwd=str(Path.cwd()),
    )
    started = _now()
    provenance = _base_provenance(job, started)
    provenance["finished_at"] = started.isoformat()
    provenance["duration_s"] = 0.0
    provenance["params_hash"] = None
    info = {
        "type": type(err).__name__,
        "message": str(err),
        "cell_number": None,
        "cell_id": None,
        "cell_source": None,
        "traceback": None,
    }
    return _write_failure(job, nb=None, info=info, provenance=provenance, exit_code=err.exit_code)


def run_all(
    params_dir: str | Path = "params",
    *,
    out_dir: str | Path = "reports",
    workers: int = 2,
    progress: bool | None = None,
    notebooks_dir: str | Path = "notebooks",
    kernel_name: str = DEFAULT_KERNEL,
    timeout: int = DEFAULT_TIMEOUT,
    on_result: Callable[[RunResult], None] | None = None,
) -> list[RunResult]:
    """Run every report in ``params_dir`` and regenerate ``out_dir/index.html``.

    Parameters
    ----------
    params_dir
        Folder of ``*.yaml`` params files; files without a ``notebook:`` key are skipped with a
        warning, subfolders (e.g. ``params/benchmarks/``) are not read.
    out_dir
        Folder for the reports.
    workers
        Worker processes (papermill is process-safe, not thread-safe); 1 runs in this process.
    progress
        ``True``: a tqdm bar on stderr; ``False``: one plain line per report on stderr;
        ``None``: the bar when stderr is a terminal.
    notebooks_dir, kernel_name, timeout
        As for :func:`run_report`.
    on_result
        Called with each :class:`RunResult` as it finishes.

    Returns
    -------
    list[RunResult]
        One per params file, in file-name order. A file with invalid params gives a failed
        result with ``exit_code == 2`` (and ``NAME.error.json``) without stopping the others.

    Raises
    ------
    ParamsError
        If ``params_dir`` does not exist.
    """
    pdir, out = Path(params_dir), Path(out_dir)
    if not pdir.is_dir():
        raise ParamsError(
            "params_dir",
            f"the folder {pdir.as_posix()} does not exist",
            fix="Pass --params-dir, or run from the kit's root folder.",
        )
    out.mkdir(parents=True, exist_ok=True)
    results: dict[Path, RunResult] = {}
    jobs: dict[Path, _Job] = {}
    for path in _params_files(pdir):
        notebook = None
        try:
            data = read_params_file(path)
            notebook = data.get("notebook")
            if not notebook:
                log.warning("Skipping %s: it has no `notebook:` key.", path.as_posix())
                continue
            jobs[path] = _prepare(
                None,
                path,
                out_dir=out,
                name=None,
                notebooks_dir=notebooks_dir,
                kernel_name=kernel_name,
                timeout=timeout,
            )
        except SalesOpsError as err:  # params, source (or data) problems found before a kernel
            results[path] = _invalid_result(
                path, err, out, notebook if isinstance(notebook, str) else None
            )
    for res in results.values():
        if on_result:
            on_result(res)

    total = len(jobs)
    use_bar = sys.stderr.isatty() if progress is None else progress
    bar = None
    done = 0

    def finished(path: Path, res: RunResult) -> None:
        nonlocal done
        done += 1
        results[path] = res
        if bar is not None:
            bar.set_postfix_str(f"{res.name}: {res.status}")
            bar.update(1)
        else:
            tail = f" ({res.error})" if res.error else ""
            print(
                f"[{done}/{total}] {res.name}: {res.status} in {res.duration_s:.1f} s{tail}",
                file=sys.stderr,
            )
        if on_result:
            on_result(res)

    n_workers = max(1, min(int(workers), total))
    if total:
        _preload()
    from salesops_lib.report.index import write_index

    try:
        if total and n_workers > 1:
            pool = cf.ProcessPoolExecutor(max_workers=n_workers, initializer=_worker_init)
            try:
                futures = {pool.submit(_execute_safely, job): path for path, job in jobs.items()}
                if use_bar:
                    from tqdm.auto import tqdm

                    bar = tqdm(total=total, desc="reports", unit="report", file=sys.stderr)
                for fut in cf.as_completed(futures):
                    path = futures[fut]
                    try:
                        res = fut.result()
                    except Exception as err:  # a worker died
                        job = jobs[path]
                        res = RunResult(
                            job.name, job.notebook, "failed", error=f"worker failed: {err}",
                            exit_code=1,
                        )
                    finished(path, res)
            except KeyboardInterrupt:
                _stop_pool(pool)
                raise
            pool.shutdown(wait=True)
        elif total:
            if use_bar:
                from tqdm.auto import tqdm

                bar = tqdm(total=total, desc="reports", unit="report", file=sys.stderr)
            for path, job in jobs.items():
                finished(path, _execute_safely(job))
    finally:  # also on Ctrl-C: the index lists what finished; earlier reports stay as they were
        if bar is not None:
            bar.close()
        write_index(out)
    return [results[p] for p in sorted(results)]


def _worker_init() -> None:
    """Worker processes leave Ctrl-C to the parent, which stops them (and so their kernels)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


def _stop_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Cancel queued reports and end running workers at once (their kernels exit with them)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())  # shutdown() forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(timeout=10)
