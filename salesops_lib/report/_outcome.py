"""What a finished run leaves behind: published results, provenance, and the failure page and
JSON."""

from __future__ import annotations

import copy
import datetime as dt
import json
import platform
import re
import subprocess
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from salesops_lib._redact import redact, redact_tree
from salesops_lib._version import __version__
from salesops_lib.report._files import publish
from salesops_lib.report._jobs import RunResult, _Job
from salesops_lib.report._prepare import params_hash
from salesops_lib.report.notebook import PROVENANCE_KEY, RESULTS_MIME

__all__ = [
    "_INPUT_ERRORS",
    "_base_provenance",
    "_error_info",
    "_json_text",
    "_now",
    "_redact_notebook",
    "_tail",
    "_write_failure",
    "extract_results",
]


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


def _tail(path: Path, lines: int = 40, *, start: int = 0) -> str | None:
    """The last ``lines`` lines of a text file after byte ``start`` (where one report's part of
    a kept kernel's log begins), or ``None`` if there is nothing."""
    try:
        with path.open("rb") as fh:
            fh.seek(start)
            text = fh.read().decode("utf-8", errors="replace")
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


def _json_text(doc: Mapping[str, Any]) -> str:
    """The report JSON text; every string in it passes through :func:`redact` (no secrets)."""
    return (
        json.dumps(redact_tree(doc), indent=2, ensure_ascii=False, allow_nan=False, default=str)
        + "\n"
    )


#: Output fields that hold text (images and other binary data are left alone).
_TEXT_MIME = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json")


def _redact_notebook(nb: Any) -> Any:
    """A copy of an executed notebook with :func:`redact` applied to code and text outputs.

    Tracebacks, printed messages and reprs of a source may carry a connection URL; the report
    and error pages are rendered from this copy.
    """
    if nb is None:
        return None
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if isinstance(cell.get("source"), str):
            cell["source"] = redact(cell["source"])
        for out in cell.get("outputs", []):
            if isinstance(out.get("text"), str):
                out["text"] = redact(out["text"])
            if isinstance(out.get("evalue"), str):
                out["evalue"] = redact(out["evalue"])
            if isinstance(out.get("traceback"), list):
                out["traceback"] = [
                    redact(t) if isinstance(t, str) else t for t in out["traceback"]
                ]
            data = out.get("data") or {}
            for mime in _TEXT_MIME:
                if mime in data:
                    data[mime] = redact_tree(data[mime])
    return nb


def _base_provenance(job: _Job, started: dt.datetime) -> dict[str, Any]:
    return {
        "kit_version": __version__,
        "git_commit": _git_commit(job.cwd),
        "params_hash": params_hash(job.params),
        "params_file": job.params_file,  # the index drops a report whose params file is deleted
        "data_fingerprint": None,
        "as_of": job.params.get("as_of"),
        "rows": None,
        "started_at": started.isoformat(),
        "finished_at": None,
        "duration_s": None,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        **({"relative": job.relative} if job.relative else {}),
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
        return (
            "Run `make setup`, or `.venv/bin/python -m ipykernel install --sys-prefix --name "
            "salesops`."
        )
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
    from salesops_lib.report.render import render_error_page  # noqa: PLC0415  failure path only: the nbconvert-based render costs 1.9 s to import

    out = Path(job.out_dir)
    html_path, json_path = out / f"{job.name}.html", out / f"{job.name}.json"
    err_html, err_json = out / f"{job.name}.error.html", out / f"{job.name}.error.json"
    info = redact_tree(info)  # messages and tracebacks may carry a connection URL
    page = render_error_page(
        _redact_notebook(nb),
        name=job.name,
        title=job.title,
        notebook=job.notebook,
        params=redact_tree(job.params),
        provenance=redact_tree(provenance),
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
    doc = {
        "status": "failed",
        "report": job.name,
        "notebook": job.notebook,
        "params": job.params,
        "provenance": provenance,
        "error": {k: v for k, v in info.items() if k != "cell_id"},
    }
    not_written = None
    try:  # the error files are a courtesy: a full or read-only disk must not hide the error
        out.mkdir(parents=True, exist_ok=True)
        publish([(err_json, _json_text(doc)), (err_html, page)])
    except OSError as exc:
        not_written = f" (the error files could not be written to {out}: {exc.strerror or exc})"
    where = f" in code cell {info['cell_number']}" if info["cell_number"] else ""
    first_line = (info["message"] or "").strip().splitlines()[0] if info["message"] else ""
    message = f"Report `{job.name}` ({job.notebook}) failed{where}: {info['type']}: {first_line}"
    if info["type"] in _INPUT_ERRORS and info["message"]:
        # the kit's own input errors are written for the user: keep every line, with the fix
        message = f"Report `{job.name}` ({job.notebook}): {info['message'].strip()}"
    if not_written:
        message += not_written
    return RunResult(
        name=job.name,
        notebook=job.notebook,
        status="failed",
        html=html_path if html_path.exists() else None,
        json=json_path if json_path.exists() else None,
        error_html=None if not_written else err_html,
        error_json=None if not_written else err_json,
        duration_s=float(provenance.get("duration_s") or 0.0),
        error=message,
        exit_code=exit_code,
    )
