"""One Jupyter kernel per ``run_all`` worker, kept between the reports the worker runs.

Starting a kernel and importing what a report needs (pandas, scipy, seaborn, Ibis, DuckDB and
the kit) costs about 2.5 s of CPU, as much as a small report's whole analysis: on the
50,000-lead demo it was a third of the suite's CPU (``benchmarks/bench_floor.py``). So a
worker starts one kernel and runs its later reports in it, each after
:func:`salesops_lib.report.notebook._reset_kernel` has made the kernel look new: the IPython
session reset (the last notebook's names, its output history, the execution count), figures
closed, matplotlib, pandas, warnings, language and time zone back to their defaults, the
working folder set, garbage collected. Imported modules stay loaded; they hold no report's
data (``tests/report/test_warm_kernels.py`` compares each report of a suite run in one kept
kernel with the same report run alone in a new one).

A kernel is not kept when a report fails (a cell error, a timeout that may have left it busy,
a dead kernel) or when the reset fails: the next report starts a new one. A report with
another kernel name or working folder starts its own. The worker shuts its kernel down when it
exits (a :class:`multiprocessing.util.Finalize` callback); the kernel is recorded in the run's
state folder like any other (``_kernel.py``), so a stopped run ends it too.
``run_all(..., warm_kernels=False)`` (``salesops run --all --fresh-kernels``) starts a new
kernel for every report.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from multiprocessing import util as mp_util
from pathlib import Path
from typing import Any

from jupyter_core.utils import ensure_async, run_sync

from salesops_lib.report._jobs import _Job
from salesops_lib.report._kernel import kernel_manager_class

__all__ = ["WarmKernel", "warm_kernel"]

#: Seconds the reset between two reports may take before the kernel is replaced.
RESET_TIMEOUT = 60

#: Run in the kept kernel before each later report; binds no name in the user namespace.
_RESET_CODE = (
    "__import__('salesops_lib.report.notebook', fromlist=['_reset_kernel'])._reset_kernel({cwd!r})"
)


class WarmKernel:
    """The kernel a worker keeps between reports (see the module docstring).

    ``acquire(job)`` before a report gives the kernel manager to hand to papermill (its kernel
    is started by papermill for the first report, reset for each later one), the kernel's log
    file and where this report's part of the log begins; ``release(ok=...)`` after the report
    closes the notebook's kernel clients and keeps the kernel only if the report ran to the
    end.
    """

    def __init__(self) -> None:
        self.km: Any | None = None
        self.log: Path | None = None
        #: Reports finished in the current kernel.
        self.reports = 0
        self._key: tuple[str, str, str | None] | None = None
        self._dir: Path | None = None

    def acquire(self, job: _Job) -> tuple[Any, Path, int]:
        """The kernel manager for ``job``, its log file and the log's current size."""
        key = (job.kernel_name, job.cwd, job.state_dir)
        if self.km is not None and (key != self._key or not self._reset(job.cwd)):
            self.close(now=True)
        if self.km is None:
            self._dir = Path(tempfile.mkdtemp(prefix="salesops-kernel-", dir=job.state_dir))
            self.log = self._dir / "kernel.log"
            cls = kernel_manager_class(self.log, state_dir=job.state_dir)
            self.km = cls(kernel_name=job.kernel_name)
            self._key = key
            self.reports = 0
        assert self.log is not None
        offset = self.log.stat().st_size if self.log.exists() else 0
        return self.km, self.log, offset

    def release(self, *, ok: bool) -> None:
        """After a report: close its kernel clients; keep the kernel only if ``ok``."""
        if self.km is None:
            return
        _stop_clients(self.km)
        if ok and self.km.has_kernel:
            self.reports += 1
        else:
            self.close(now=True)

    def close(self, *, now: bool = False) -> None:
        """Shut the kernel down (``now``: kill it) and remove its log folder."""
        km, self.km = self.km, None
        if km is not None:
            _stop_clients(km)
            with contextlib.suppress(Exception):  # already dead, or never started
                if km.has_kernel:
                    run_sync(km.shutdown_kernel)(now=now)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
        self.log = None
        self._key = None
        self.reports = 0

    def _reset(self, cwd: str) -> bool:
        """Run the reset in the kernel; ``False`` if it is dead, busy or the reset failed."""
        try:
            return bool(run_sync(_run_code)(self.km, _RESET_CODE.format(cwd=cwd)))
        except Exception:  # a dead kernel, a timeout: start a new one
            return False


async def _run_code(km: Any, code: str) -> bool:
    if not await ensure_async(km.is_alive()):
        return False
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=RESET_TIMEOUT)
        reply = await kc.execute_interactive(
            code,
            store_history=False,
            allow_stdin=False,
            timeout=RESET_TIMEOUT,
            output_hook=lambda _msg: None,
        )
    finally:
        kc.stop_channels()
    return reply.get("content", {}).get("status") == "ok"


def _stop_clients(km: Any) -> None:
    """Close the kernel clients nbclient opened on a kernel it does not own (it leaves them
    open then: their sockets and heartbeat thread would pile up report after report)."""
    for kc in getattr(km, "clients", ()):
        with contextlib.suppress(Exception):
            kc.stop_channels()
    if hasattr(km, "clients"):
        km.clients.clear()


_WARM: WarmKernel | None = None


def warm_kernel() -> WarmKernel:
    """This process's kept kernel (shut down when the process exits)."""
    global _WARM
    if _WARM is None:
        _WARM = WarmKernel()
        # run by multiprocessing when a pool worker exits (atexit handlers are not)
        mp_util.Finalize(None, _WARM.close, exitpriority=10)
    return _WARM
