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
4. writes ``reports/NAME.json`` and ``reports/NAME.html`` (self-contained, code hidden) as a
   pair (``_files.publish``: both temporaries first, then the replaces, the previous JSON put
   back if the HTML cannot be replaced; both carry the same ``run_id``) and removes a stale
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
import contextlib
import gc
import json
import logging
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from salesops_lib._redact import redact, redact_tree
from salesops_lib.errors import ParamsError, ReportExecutionError, SalesOpsError
from salesops_lib.report._archive import archive_report, run_stamp
from salesops_lib.report._files import check_output_dir, publish
from salesops_lib.report._jobs import (
    DEFAULT_KERNEL,
    DEFAULT_TIMEOUT,
    START_TIMEOUT,
    RunResult,
    _Job,
)
from salesops_lib.report._outcome import (
    _INPUT_ERRORS,
    _base_provenance,
    _error_info,
    _json_text,
    _now,
    _redact_notebook,
    _tail,
    _write_failure,
    extract_results,
)
from salesops_lib.report._prepare import _prepare, params_hash
from salesops_lib.report._stop import (
    RunInterrupted,
    check_not_stopped,
    end_workers,
    new_state_dir,
    raise_on_stop_signals,
    remove_state_dir,
    request_stop,
    worker_signals,
)
from salesops_lib.report.params import (
    read_params_file,
)

__all__ = [
    "DEFAULT_KERNEL",
    "DEFAULT_TIMEOUT",
    "RunInterrupted",
    "RunResult",
    "extract_results",
    "params_hash",
    "run_all",
    "run_report",
]

log = logging.getLogger("salesops.report")

# ---------------------------------------------------------------------------------------------
# Execution (in this process or a worker)
# ---------------------------------------------------------------------------------------------


def _execute(job: _Job) -> RunResult:
    """Run one prepared report; never raises for a notebook failure (returns a failed result)."""
    import nbformat  # noqa: PLC0415  papermill 1.3 s, nbformat 1.0 s, render 1.9 s: _preload() loads them once per run; a params or source error exits 2 without them
    import papermill  # noqa: PLC0415  papermill 1.3 s, nbformat 1.0 s, render 1.9 s: _preload() loads them once per run; a params or source error exits 2 without them

    from salesops_lib.report._kernel import kernel_manager_class  # noqa: PLC0415  jupyter_client + zmq, 0.03-0.09 s measured: only where a kernel starts
    from salesops_lib.report._warm import warm_kernel  # noqa: PLC0415  jupyter_client + zmq, 0.03-0.09 s measured: only where a kernel starts
    from salesops_lib.report.render import render_report_page  # noqa: PLC0415  papermill 1.3 s, nbformat 1.0 s, render 1.9 s: _preload() loads them once per run; a params or source error exits 2 without them

    check_not_stopped(job.state_dir)  # a queued report of a stopped run starts no kernel
    started = _now()
    t0 = time.perf_counter()
    provenance = _base_provenance(job, started)
    nb = None
    exc: BaseException | None = None
    with tempfile.TemporaryDirectory(prefix="salesops-run-", dir=job.state_dir) as tmp:
        out_nb = Path(tmp) / f"{job.name}.ipynb"
        warm = warm_kernel() if job.warm_kernel else None
        if warm is not None:  # the worker's kept kernel (see _warm.py)
            km, kernel_log, log_start = warm.acquire(job)
            kernel: dict[str, Any] = {"km": km}
        else:
            kernel_log, log_start = Path(tmp) / "kernel.log", 0
            kernel = {
                "kernel_manager_class": kernel_manager_class(kernel_log, state_dir=job.state_dir)
            }
        ran = False
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
                **kernel,
            )
            ran = True
        except Exception as err:  # PapermillExecutionError, CellTimeoutError, DeadKernelError, ...
            exc = err
            if out_nb.exists():
                try:
                    nb = nbformat.read(str(out_nb), as_version=4)
                except Exception:  # pragma: no cover - a half-written file
                    nb = None
        finally:
            log_tail = None if ran else _tail(kernel_log, start=log_start)
            if warm is not None:  # kept for the next report only if this one ran to the end
                warm.release(ok=ran)
            if job.state_dir is not None:  # a worker: nbclient reset its signal handlers
                worker_signals()
        check_not_stopped(job.state_dir)  # stopped while the notebook ran: write nothing
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
        check_not_stopped(job.state_dir)
        info = _error_info(exc, nb)
        if log_tail and not info["traceback"]:
            info["traceback"] = f"Kernel log (last lines):\n{log_tail}"
        # a kit error raised inside the notebook (bad params or data) keeps its exit code 2
        code = 2 if info["type"] in _INPUT_ERRORS else 1
        return _write_failure(job, nb=nb, info=info, provenance=provenance, exit_code=code)

    out = Path(job.out_dir)
    html_path, json_path = out / f"{job.name}.html", out / f"{job.name}.json"
    run_id = uuid.uuid4().hex[:16]  # in both files: the index lists only a matching pair
    try:
        page = render_report_page(
            _redact_notebook(nb),
            title=job.title,
            notebook=job.notebook,
            params=redact_tree(job.params),
            provenance=redact_tree(provenance),
            run_id=run_id,
        )
        doc = {
            "status": "ok",
            "report": job.name,
            "run_id": run_id,
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
    try:
        check_not_stopped(job.state_dir)
        out.mkdir(parents=True, exist_ok=True)
        # both or neither: JSON first, then HTML; a failure puts the previous JSON back
        publish([(json_path, text), (html_path, page)])
    except OSError as err:  # a full disk, a folder made read-only during the run
        info = _error_info(err, nb)
        info["message"] = (
            f"the notebook ran but {json_path.name} and {html_path.name} could not be written "
            f"to {out}: {err.strerror or err}; the previous report was left unchanged"
        )
        return _write_failure(job, nb=nb, info=info, provenance=provenance)
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
    import nbformat  # noqa: F401, PLC0415
    import papermill  # noqa: F401, PLC0415

    from salesops_lib.report import render  # noqa: F401, PLC0415


def _execute_safely(job: _Job) -> RunResult:
    """Worker entry point: a bug in the runner becomes a failed result, not a dead pool."""
    try:
        return _execute(job)
    except Exception as err:
        return RunResult(
            name=job.name,
            notebook=job.notebook,
            status="failed",
            error=redact(f"Report `{job.name}` could not be run: {type(err).__name__}: {err}"),
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
    overrides: Iterable[str] | Mapping[str, Any] | None = None,
    archive_keep: int | None = None,
    isolated: bool = False,
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
    overrides
        ``KEY=VALUE`` items (``salesops run -p``) or a mapping, applied on top of the params
        (values read as YAML), before relative dates are resolved.
    archive_keep
        Also copy the report to ``out_dir/archive/NAME/STAMP.{html,json}`` (the stamp is the
        run's start, UTC) and keep the newest ``archive_keep`` runs; ``None``: no archive.
    isolated
        Run the notebook in a worker process and stop cleanly on SIGTERM, SIGINT or SIGHUP as
        :func:`run_all` does (what ``salesops run`` does); ``False`` runs it in this process.

    Returns
    -------
    RunResult
        ``status == "ok"``, with the paths written and the published results.

    Raises
    ------
    ParamsError
        Invalid params or unknown notebook, or ``out_dir`` is not a writable folder with room
        for the report (exit code 2); no kernel is started, nothing written.
    SourceError
        The data source path does not exist (exit code 2).
    ReportExecutionError
        The notebook failed (exit code 1); ``NAME.error.html``/``.json`` were written and the
        previous ``NAME.html``/``NAME.json`` left untouched.
    RunInterrupted
        ``isolated`` and stopped by a signal: the worker and its kernel were ended, nothing
        written but the index.
    """
    job = _prepare(
        notebook,
        params,
        out_dir=out_dir,
        name=name,
        notebooks_dir=notebooks_dir,
        kernel_name=kernel_name,
        timeout=timeout,
        overrides=overrides,
    )
    check_output_dir(Path(out_dir), [job.name])  # a kernel's hour must not end in a write error
    stamp = run_stamp()
    if isolated:
        result = _execute_isolated(job, out_dir, update_index=update_index)
    else:
        result = _execute(job)
    if archive_keep and result.ok:
        archive_report(out_dir, result.name, stamp, keep=archive_keep)
    if update_index:
        _write_index(out_dir)
    if not result.ok:
        shown = _shown(result.error_html)
        kept = "; the previous report was left unchanged." if result.html else "."
        # exit 2: bad params or data found inside the notebook; the message carries its fix
        if result.exit_code == 2:
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


def _execute_isolated(job: _Job, out_dir: str | Path, *, update_index: bool = True) -> RunResult:
    """:func:`_execute` in one worker process, stopped as ``run_all`` stops its workers (the
    index is rewritten here when stopped; otherwise the caller writes it)."""
    _preload()
    state = new_state_dir()
    job.state_dir = str(state)
    try:
        with raise_on_stop_signals():
            try:
                pool = cf.ProcessPoolExecutor(max_workers=1, initializer=_worker_init)
                try:
                    with _fork_safely():
                        future = pool.submit(_execute_safely, job)
                    result = future.result()
                except KeyboardInterrupt:  # RunInterrupted: SIGTERM, SIGINT, SIGHUP
                    _stop_pool(pool, state)
                    raise
                except Exception as err:  # the worker died (killed from outside, out of memory)
                    result = RunResult(
                        job.name,
                        job.notebook,
                        "failed",
                        error=redact(f"Report `{job.name}`: the worker process died ({err})"),
                        exit_code=1,
                    )
                pool.shutdown(wait=True)
            except RunInterrupted:
                if update_index:
                    _write_index(out_dir)  # a second signal is ignored from here on
                raise
    except RunInterrupted as stop:
        stop.finished, stop.not_run = 0, 1
        raise
    finally:
        remove_state_dir(state)
    return result


def _write_index(out: str | Path) -> None:
    """Rewrite ``out/index.html``; a full or read-only disk costs the index, not the run."""
    from salesops_lib.report.index import write_index  # noqa: PLC0415  index imports render (nbconvert, 1.9 s measured): a params or source error exits 2 without it

    try:
        write_index(out)
    except OSError as err:
        log.warning(
            "The index %s could not be rewritten (%s); the reports themselves are in place.",
            Path(out, "index.html").as_posix(),
            err.strerror or err,
        )


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
        params_file=str(path.resolve()),
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
    overrides: Iterable[str] | Mapping[str, Any] | None = None,
    archive_keep: int | None = None,
    warm_kernels: bool = True,
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
        Worker processes (papermill is process-safe, not thread-safe), 1 or more; notebooks
        always run in workers, so that this process keeps its signal handlers.
    progress
        ``True``: a tqdm bar on stderr; ``False``: one plain line per report on stderr;
        ``None``: the bar when stderr is a terminal.
    notebooks_dir, kernel_name, timeout
        As for :func:`run_report`.
    on_result
        Called with each :class:`RunResult` as it finishes.
    overrides
        As for :func:`run_report`, applied to every params file.
    archive_keep
        As for :func:`run_report`; every report of the run shares one stamp.
    warm_kernels
        ``True``: each worker keeps its kernel between the reports it runs, reset before each
        (the IPython session, figures, options, language), which saves starting a kernel and
        importing the kit for every report (see ``salesops_lib/report/_warm.py``); a failed
        report's kernel is not reused. ``False``: a new kernel for every report.

    Returns
    -------
    list[RunResult]
        One per params file, in file-name order. A file with invalid params gives a failed
        result with ``exit_code == 2`` (and ``NAME.error.json``) without stopping the others.

    Raises
    ------
    ParamsError
        If ``params_dir`` does not exist, ``workers`` is below 1, or ``out_dir`` is not a
        writable folder with room for the reports (nothing is run then).
    RunInterrupted
        On SIGTERM, SIGINT or SIGHUP (a ``KeyboardInterrupt``): queued reports are cancelled,
        running workers and their kernels ended, the temporary folder removed and the index
        rewritten before it is raised; ``finished`` and ``not_run`` count the reports, and
        ``exit_code`` is 143, 130 or 129. Reports that finished keep their files; a stopped
        report keeps its previous files.
    """
    pdir, out = Path(params_dir), Path(out_dir)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ParamsError(
            "workers",
            f"got {workers!r}",
            expected="a whole number of 1 or more (1: one report at a time)",
        )
    stamp = run_stamp()
    if not pdir.is_dir():
        raise ParamsError(
            "params_dir",
            f"{pdir.as_posix()} is a file, not a folder"
            if pdir.exists()
            else f"the folder {pdir.as_posix()} does not exist",
            fix="Pass --params-dir with the folder of params files, or run from the kit's "
            "root folder.",
        )
    # the reports folder is usable (before any params file is read or kernel started)
    files = _params_files(pdir)
    check_output_dir(out, [p.stem for p in files])
    results: dict[Path, RunResult] = {}
    skipped: list[Path] = []
    state = new_state_dir()  # $TMPDIR/salesops-run-*: removed however the run ends
    try:
        with raise_on_stop_signals():  # SIGTERM, SIGINT, SIGHUP: stop everything, keep the rest
            try:
                _run_jobs(
                    files,
                    results,
                    skipped,
                    state=state,
                    out=out,
                    workers=workers,
                    progress=progress,
                    notebooks_dir=notebooks_dir,
                    kernel_name=kernel_name,
                    timeout=timeout,
                    on_result=on_result,
                    overrides=overrides,
                    archive_keep=archive_keep,
                    stamp=stamp,
                    warm_kernels=warm_kernels,
                )
            finally:  # also when stopped: the index lists what finished
                try:
                    _write_index(out)
                except RunInterrupted:  # the signal came while writing it: write it again
                    _write_index(out)
                    raise
    except RunInterrupted as stop:
        stop.finished = len(results)
        stop.not_run = len(files) - len(skipped) - len(results)
        raise
    finally:
        remove_state_dir(state)
    return [results[p] for p in sorted(results)]


def _run_jobs(
    files: list[Path],
    results: dict[Path, RunResult],
    skipped: list[Path],
    *,
    state: Path,
    out: Path,
    workers: int,
    progress: bool | None,
    notebooks_dir: str | Path,
    kernel_name: str,
    timeout: int,
    on_result: Callable[[RunResult], None] | None,
    overrides: Iterable[str] | Mapping[str, Any] | None,
    archive_keep: int | None,
    stamp: str,
    warm_kernels: bool = True,
) -> None:
    """Prepare every params file, then run the valid ones in worker processes (``results`` and
    ``skipped`` are filled in place, so a stopped run still knows what finished)."""
    jobs: dict[Path, _Job] = {}
    for path in files:
        notebook = None
        try:
            data = read_params_file(path)
            notebook = data.get("notebook")
            if not notebook:
                log.warning("Skipping %s: it has no `notebook:` key.", path.as_posix())
                skipped.append(path)
                continue
            jobs[path] = _prepare(
                None,
                path,
                out_dir=out,
                name=None,
                notebooks_dir=notebooks_dir,
                kernel_name=kernel_name,
                timeout=timeout,
                overrides=overrides,
            )
            jobs[path].state_dir = str(state)
            jobs[path].warm_kernel = warm_kernels
        except SalesOpsError as err:  # params, source (or data) problems found before a kernel
            results[path] = _invalid_result(
                path, err, out, notebook if isinstance(notebook, str) else None
            )
    for res in results.values():
        if on_result:
            on_result(res)

    total = len(jobs)
    if not total:
        return
    use_bar = sys.stderr.isatty() if progress is None else progress
    bar = None
    done = 0

    def finished(path: Path, res: RunResult) -> None:
        nonlocal done
        done += 1
        results[path] = res
        if archive_keep and res.ok:
            archive_report(out, res.name, stamp, keep=archive_keep)
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

    _preload()
    # Always worker processes, also for one: nbclient replaces the SIGINT/SIGTERM handlers of
    # the process that runs a notebook (and resets them to the default afterwards), so the
    # parent, which must stop everything on a signal, never runs a notebook itself.
    pool = cf.ProcessPoolExecutor(max_workers=min(workers, total), initializer=_worker_init)
    try:
        order = _longest_first(jobs, out)
        with _fork_safely():  # the first submit forks every worker
            futures = {pool.submit(_execute_safely, jobs[path]): path for path in order}
        if use_bar:
            bar = tqdm(total=total, desc="reports", unit="report", file=sys.stderr)
        for fut in cf.as_completed(futures):
            path = futures[fut]
            try:
                res = fut.result()
            except Exception as err:  # a worker died
                job = jobs[path]
                res = RunResult(
                    job.name,
                    job.notebook,
                    "failed",
                    error=redact(f"worker failed: {err}"),
                    exit_code=1,
                )
            finished(path, res)
    except KeyboardInterrupt:  # Ctrl-C, or RunInterrupted (SIGTERM, SIGINT, SIGHUP)
        _stop_pool(pool, state)
        raise
    finally:
        if bar is not None:
            bar.close()
    pool.shutdown(wait=True)


@contextlib.contextmanager
def _fork_safely() -> Iterator[None]:
    """Fork worker processes inside this block without handing them the parent's garbage.

    A forked worker has one thread; objects it inherits may own threads that stayed in the
    parent. DuckDB connections (and pyarrow tables) left in reference cycles by earlier work in
    the same process (an import, a data check, a test) were then finalized by the *worker's*
    garbage collector, which crashed it (a segfault inside papermill's JSON writing, seen in CI
    and reproduced: 20 of 20 forks crash when such a cycle is collected in the child, none when
    the parent collects it first). So the parent collects its garbage first and freezes what is
    left (:func:`gc.freeze`: the children never scan it), as the ``gc`` docs advise before
    ``os.fork()``; the parent unfreezes once the workers exist.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _longest_first(jobs: Mapping[Path, _Job], out: Path) -> list[Path]:
    """The params files by the last run's time, longest first, so that the last report to start
    is a short one and the workers finish together (longest-processing-time-first); reports not
    run before keep their name order, after those that were."""
    return sorted(jobs, key=lambda path: -_last_duration(out, jobs[path].name))


def _last_duration(out: Path, name: str) -> float:
    """Seconds the last good run of report ``name`` took (``out/NAME.json``; 0 if unknown)."""
    try:
        doc = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        return float(doc["provenance"]["duration_s"])
    except (OSError, ValueError, TypeError, KeyError):
        return 0.0


def _worker_init() -> None:
    """Worker processes leave SIGINT and SIGHUP to the parent, which stops them (and their
    kernels); SIGTERM from the parent ends a worker without writing a report file."""
    worker_signals()
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


def _stop_pool(pool: cf.ProcessPoolExecutor, state: Path | None = None) -> None:
    """Cancel queued reports, end running workers and every kernel they started.

    nbclient catches SIGTERM in a worker to shut its kernel down and may then finish the cell;
    so the parent first marks the run as stopping (a worker then writes nothing and starts no
    kernel), kills the recorded kernels, sends SIGTERM, and escalates to SIGKILL for a worker
    still alive after ``_stop.WORKER_GRACE_S`` (see :func:`salesops_lib.report._stop.end_workers`).
    """
    procs = list((getattr(pool, "_processes", None) or {}).values())  # shutdown() forgets them
    if state is not None:
        request_stop(state)
    pool.shutdown(wait=False, cancel_futures=True)
    end_workers(procs, state)
