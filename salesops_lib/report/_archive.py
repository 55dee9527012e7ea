"""For scheduled runs: a dated archive of each report, and one run at a time per output folder.

Archive
    ``reports/archive/NAME/2026-12-01T0600Z.html`` and ``.json`` beside the latest
    ``reports/NAME.html``; the stamp is the run's start on the kit's clock (``SALESOPS_NOW``
    freezes it), the same for every report of one ``run --all``; the oldest beyond ``keep`` are
    deleted.
Lock
    ``reports/.salesops-run.lock`` held (``fcntl.flock``) for the whole run: a second run on the
    same folder waits up to ``wait`` seconds, then stops with :class:`RunLockedError` (exit 75,
    ``EX_TEMPFAIL``: "try again later") naming the run that holds it. The operating system
    releases the lock when the holder exits, however it exits, so a killed run never leaves a
    stale lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from salesops_lib.data.period import clock_now
from salesops_lib.errors import ParamsError, SalesOpsError

try:  # POSIX; on Windows runs are not locked (the archive still works)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "ARCHIVE_DIR",
    "EXIT_LOCKED",
    "LOCK_FILE",
    "RunLockedError",
    "archive_report",
    "archived_runs",
    "run_lock",
    "run_stamp",
]

ARCHIVE_DIR = "archive"
LOCK_FILE = ".salesops-run.lock"
#: sysexits.h EX_TEMPFAIL: a scheduler may retry later.
EXIT_LOCKED = 75


class RunLockedError(SalesOpsError):
    """Another ``salesops run`` is writing to the same output folder."""

    exit_code = EXIT_LOCKED


def run_stamp(now: pd.Timestamp | None = None) -> str:
    """``2026-12-01T0600Z``: the archive name of a run started at ``now`` (UTC)."""
    t = now if now is not None else clock_now()
    return f"{t:%Y-%m-%dT%H%M}Z"


def archive_report(
    out_dir: str | Path, name: str, stamp: str, *, keep: int
) -> tuple[Path, Path] | None:
    """Copy ``NAME.html``/``NAME.json`` into ``archive/NAME/STAMP.*`` and prune to ``keep`` runs.

    Parameters
    ----------
    out_dir
        The reports folder.
    name
        Report name.
    stamp
        The run's stamp (:func:`run_stamp`); a second run in the same minute gets ``-2``, ``-3``.
    keep
        How many archived runs of this report to keep (the newest); at least 1.

    Returns
    -------
    tuple[Path, Path] or None
        The archived HTML and JSON, or ``None`` when the report has no complete pair.
    """
    out = Path(out_dir)
    html, js = out / f"{name}.html", out / f"{name}.json"
    if not (html.is_file() and js.is_file()):
        return None
    folder = out / ARCHIVE_DIR / name
    folder.mkdir(parents=True, exist_ok=True)
    base, n = stamp, 1
    while (folder / f"{stamp}.html").exists() or (folder / f"{stamp}.json").exists():
        n += 1
        stamp = f"{base}-{n}"
    targets = (folder / f"{stamp}.html", folder / f"{stamp}.json")
    for src, dst in zip((html, js), targets, strict=True):
        tmp = dst.with_name(f".{dst.name}.tmp")
        shutil.copy2(src, tmp)
        os.replace(tmp, dst)
    runs = sorted({p.stem for p in folder.glob("*.json")} | {p.stem for p in folder.glob("*.html")})
    for old in runs[: max(0, len(runs) - max(1, keep))]:
        for suffix in (".html", ".json"):
            with contextlib.suppress(FileNotFoundError):
                (folder / f"{old}{suffix}").unlink()
    return targets


def archived_runs(out_dir: str | Path, name: str) -> list[Path]:
    """The archived HTML files of a report, newest first."""
    folder = Path(out_dir) / ARCHIVE_DIR / name
    return sorted(folder.glob("*.html"), reverse=True) if folder.is_dir() else []


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another salesops run"
    return f"salesops run (pid {info.get('pid', '?')}, started {info.get('started', '?')} UTC)"


@contextlib.contextmanager
def run_lock(out_dir: str | Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the output folder's run lock for the duration of the ``with`` block.

    Parameters
    ----------
    out_dir
        The reports folder (created if needed).
    wait
        Seconds to wait for a running run to finish; 0 stops at once.

    Raises
    ------
    RunLockedError
        When another run still holds the lock after ``wait`` seconds (exit code 75).
    """
    out = Path(out_dir)
    path = out / LOCK_FILE
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = None if fcntl is None else os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ParamsError(
            "--out",
            f"cannot write to {out.as_posix()} ({exc.strerror or exc})",
            expected="a folder this user can create and write to",
            fix="Pass another --out folder, or fix its permissions.",
        ) from None
    if fd is None:  # pragma: no cover - Windows
        yield
        return
    try:
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunLockedError(
                        f"{_holder(path)} is writing to {out.as_posix()}/; this run did not "
                        f"start{f' after waiting {wait:g} s' if wait else ''}.",
                        fix="Let it finish, or pass `--wait SECONDS` so that this run waits "
                        "for it; runs to different --out folders do not wait for each other.",
                    ) from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.write(
            fd,
            json.dumps({"pid": os.getpid(), "started": f"{clock_now():%Y-%m-%d %H:%M}"}).encode(),
        )
        yield
    finally:
        os.close(fd)  # releases the lock
        if created and [p.name for p in out.iterdir()] == [LOCK_FILE]:
            # a run that wrote nothing (bad params) leaves no folder behind
            with contextlib.suppress(OSError):
                path.unlink()
                out.rmdir()
