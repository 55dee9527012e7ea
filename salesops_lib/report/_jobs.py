"""What one report run is (a picklable job) and what it produced (``RunResult``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = ["DEFAULT_KERNEL", "DEFAULT_TIMEOUT", "START_TIMEOUT", "RunResult", "_Job"]

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
    #: What was relative in the params (``as_of: yesterday``, ``period: ...``, a title template)
    #: and the clock reading it was resolved at; empty when nothing was.
    relative: dict[str, Any] = field(default_factory=dict)
    #: ``run_all``'s state folder (``$TMPDIR/salesops-run-*``): temporary notebooks, kernel
    #: records and the stop marker; ``None`` for a single run in this process.
    state_dir: str | None = None
    params_file: str | None = None  # resolved path of the params file (None for a mapping)
    #: Run in the worker's kept kernel (``_warm.py``) instead of a new one (``run_all``).
    warm_kernel: bool = False
