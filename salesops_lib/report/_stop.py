"""Stopping ``run_all`` on SIGTERM, SIGINT or SIGHUP: nothing outlives it, nothing is written late.

cron, systemd and Airflow stop a job with SIGTERM, a closed terminal sends SIGHUP, a user presses
Ctrl-C (SIGINT). ``run_all`` treats the three alike:

1. while it runs, the three signals raise :class:`RunInterrupted` (a ``KeyboardInterrupt``, so
   code that handles Ctrl-C handles them too) in the parent; a second signal while stopping is
   ignored, so the cleanup is never cut short;
2. the parent writes a *stop marker* in the run's state folder, then ends the workers: SIGTERM
   (a worker that sees the marker writes no report file and starts no kernel), and SIGKILL for a
   worker still alive after :data:`WORKER_GRACE_S`;
3. every kernel a worker started is killed by its process group (kernels run in their own
   session, so a worker's death does not reach them); each kernel manager records its pid,
   connection file and IPC socket prefix in the state folder when it starts it
   (:func:`record_kernel`), and the parent removes those files too;
4. the state folder ``$TMPDIR/salesops-run-*`` (the workers' notebooks and kernel logs) is
   removed, the index rewritten, and the command prints one line and exits ``128 + signal``
   (143, 130, 129).

Workers ignore SIGINT and SIGHUP (a terminal sends them to the whole foreground group; the
parent decides) and raise :class:`WorkerStopped` on SIGTERM outside a notebook execution.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "STOP_SIGNALS",
    "WORKER_GRACE_S",
    "RunInterrupted",
    "WorkerStopped",
    "check_not_stopped",
    "end_kernels",
    "end_workers",
    "new_state_dir",
    "raise_on_stop_signals",
    "record_kernel",
    "remove_state_dir",
    "request_stop",
    "worker_signals",
]

#: The signals that stop ``run_all`` (SIGHUP does not exist on Windows).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    s for s in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", None)) if s is not None
)
#: Seconds a worker gets to end on SIGTERM before it is killed.
WORKER_GRACE_S = 5.0
_STOP_MARKER = "stop"
_KERNELS = "kernels"


class RunInterrupted(KeyboardInterrupt):
    """``run_all`` was stopped by a signal; the reports that finished are kept.

    Attributes
    ----------
    signum
        The signal (``signal.SIGTERM``, ``SIGINT`` or ``SIGHUP``).
    finished, not_run
        Reports that finished (written or failed) and reports stopped or never started.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.finished = 0
        self.not_run = 0
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        """``128 + signal number``: 143 for SIGTERM, 130 for SIGINT, 129 for SIGHUP."""
        return 128 + int(self.signum)

    @property
    def signal_name(self) -> str:
        """``"SIGTERM"``, ``"SIGINT"`` or ``"SIGHUP"``."""
        return signal.Signals(self.signum).name


class WorkerStopped(SystemExit):
    """Raised in a worker when the run is being stopped.

    A ``SystemExit``, not an ``Exception``: nothing on the way out catches it, no report or
    error file is written (a publish under way puts the previous files back), and a worker
    waiting for its next report ends quietly (exit code ``128 + SIGTERM``).
    """

    def __init__(self, reason: str = "the run is being stopped") -> None:
        super().__init__(128 + int(signal.SIGTERM))
        self.reason = reason


# ---------------------------------------------------------------------------------------------
# Parent side
# ---------------------------------------------------------------------------------------------


def new_state_dir() -> Path:
    """A fresh ``$TMPDIR/salesops-run-*`` folder for one ``run_all``."""
    path = Path(tempfile.mkdtemp(prefix="salesops-run-"))
    (path / _KERNELS).mkdir()
    return path


@contextlib.contextmanager
def raise_on_stop_signals() -> Iterator[None]:
    """Make SIGTERM, SIGINT and SIGHUP raise :class:`RunInterrupted` inside the block.

    The first signal raises; later ones are ignored until the block ends (the stop in progress
    must finish). Outside the main thread (where handlers cannot be set) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = False

    def handler(signum: int, _frame: Any) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise RunInterrupted(signum)

    previous = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h if h is not None else signal.SIG_DFL)


def request_stop(state_dir: Path) -> None:
    """Tell the workers that the run is stopping (they check the marker before any write)."""
    with contextlib.suppress(OSError):
        (state_dir / _STOP_MARKER).touch()


def end_workers(procs: Iterable[Any], state_dir: Path | None) -> None:
    """End worker processes and every kernel they started.

    SIGTERM first (nbclient shuts the kernel down, the worker sees the stop marker and writes
    nothing), SIGKILL for a worker still alive after :data:`WORKER_GRACE_S`; then every kernel
    recorded in ``state_dir`` is killed by its process group.
    """
    procs = list(procs)
    if state_dir is not None:
        request_stop(state_dir)
        end_kernels(state_dir)  # a worker blocked on a busy kernel gets its answer at once
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + WORKER_GRACE_S
    for proc in procs:
        proc.join(timeout=max(0.0, deadline - time.monotonic()))
    for proc in procs:
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5)
    if state_dir is not None:
        end_kernels(state_dir)  # kernels started while the workers were being stopped


def end_kernels(state_dir: Path) -> int:
    """Kill every kernel recorded in ``state_dir`` and remove its connection and socket files.

    Returns
    -------
    int
        How many kernel process groups were signalled.
    """
    killed = 0
    for record in sorted((state_dir / _KERNELS).glob("*.json")):
        try:
            info = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        pid, pgid = int(info.get("pid") or 0), int(info.get("pgid") or 0)
        if pid > 0 and _is_kernel(pid, info.get("connection_file")):
            with contextlib.suppress(OSError):
                if pgid > 1 and hasattr(os, "killpg") and pgid != os.getpgrp():
                    os.killpg(pgid, signal.SIGKILL)  # the kernel and anything it started
                else:  # Windows: no process groups, no SIGKILL
                    os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
                killed += 1
            _wait_gone(pid)
        _remove_kernel_files(info)
        record.unlink(missing_ok=True)
    return killed


def remove_state_dir(state_dir: Path | None) -> None:
    """Remove the run's state folder (notebooks, kernel logs, records)."""
    if state_dir is not None:
        shutil.rmtree(state_dir, ignore_errors=True)


def _is_kernel(pid: int, connection_file: str | None) -> bool:
    """Whether ``pid`` is still the kernel that was recorded (not a reused pid)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if sys.platform.startswith("linux") and Path("/proc/self").exists():
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            return False
        if not text:  # forked a moment ago and not yet the kernel program (or a zombie)
            return True
        return bool(connection_file) and str(connection_file) in text
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _wait_gone(pid: int, timeout: float = 2.0) -> None:
    """Wait until ``pid`` has ended (or is a zombie waiting for its parent to collect it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)  # our own child: collect it
        stat = Path(f"/proc/{pid}/stat")
        try:
            if stat.exists():
                if stat.read_text().rsplit(")", 1)[-1].split()[0] in ("Z", "X"):
                    return
            else:
                os.kill(pid, 0)
        except (OSError, IndexError):
            return
        time.sleep(0.05)


def _remove_kernel_files(info: dict[str, Any]) -> None:
    connection_file = info.get("connection_file")
    if connection_file:
        Path(connection_file).unlink(missing_ok=True)
    prefix = info.get("ip")
    if info.get("transport") == "ipc" and prefix:
        base = Path(prefix)
        for sock in base.parent.glob(base.name + "-*"):
            sock.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# Worker side
# ---------------------------------------------------------------------------------------------


def worker_signals() -> None:
    """Signal dispositions of a worker process (called when it starts and after each notebook,
    because nbclient resets SIGINT and SIGTERM when a notebook ends)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_sigterm)


def _worker_sigterm(signum: int, _frame: Any) -> None:
    raise WorkerStopped(signal.Signals(signum).name)


def check_not_stopped(state_dir: str | os.PathLike[str] | None) -> None:
    """Raise :class:`WorkerStopped` when the parent has asked the run to stop."""
    if state_dir is not None and (Path(state_dir) / _STOP_MARKER).exists():
        raise WorkerStopped("the run is being stopped")


def record_kernel(state_dir: str | os.PathLike[str], km: Any) -> None:
    """Write what the parent needs to end a kernel: pid, process group, its files."""
    provisioner = getattr(km, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    if not pid:
        return
    info = {
        "pid": pid,
        "pgid": getattr(provisioner, "pgid", None),
        "connection_file": getattr(km, "connection_file", None),
        "transport": getattr(km, "transport", None),
        "ip": getattr(km, "ip", None),
        "worker": os.getpid(),
    }
    folder = Path(state_dir) / _KERNELS
    tmp = folder / f".{pid}.json.tmp"
    with contextlib.suppress(OSError):
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, folder / f"{pid}.json")
