"""Writing report files safely: a reader never sees a half-written file, nor half of a pair.

- :func:`atomic_write` writes one file through a temporary file in the same folder and
  ``os.replace`` (atomic on POSIX and Windows).
- :func:`publish` does the same for several files that belong together (a report's
  ``NAME.json`` and ``NAME.html``): every temporary is written first (a full disk fails here,
  before anything is replaced), then the files are replaced in order; if a replace fails, the
  files already replaced get their previous version back (kept as a hard link until the end),
  so the folder holds either the old set or the new set. A crash between two replaces can still
  leave a mixed pair; the runner marks both files with the same run id and the index only lists
  a pair whose ids agree.
- :func:`check_output_dir` checks the reports folder before a kernel starts (exists or can be
  created, is a folder, is writable, has room for the reports).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

from salesops_lib.errors import ParamsError

__all__ = ["MIN_FREE_BYTES", "atomic_write", "check_output_dir", "publish"]


def _write_temp(path: Path, text: str) -> Path:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    tmp = _write_temp(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def publish(files: Sequence[tuple[Path, str]]) -> None:
    """Write several files so that a reader sees all old versions or all new ones.

    Parameters
    ----------
    files
        ``(path, text)`` pairs, replaced in this order (all in one folder).

    Raises
    ------
    OSError
        Writing a temporary or replacing a file failed; every file then holds its previous
        content (or is absent if it was absent) and no temporary file is left behind.
    """
    temps: list[Path] = []
    backups: dict[Path, Path | None] = {}
    done: list[Path] = []
    try:
        for path, text in files:
            temps.append(_write_temp(path, text))
        for path, _ in files:
            backups[path] = _keep_previous(path)
        for (path, _), tmp in zip(files, temps, strict=True):
            os.replace(tmp, path)
            done.append(path)
    except BaseException:
        for path in reversed(done):  # put the previous versions back
            previous = backups.get(path)
            with contextlib.suppress(OSError):
                if previous is not None:
                    os.replace(previous, path)
                    backups[path] = None
                else:
                    path.unlink(missing_ok=True)
        raise
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        for previous in backups.values():
            if previous is not None:
                previous.unlink(missing_ok=True)


def _keep_previous(path: Path) -> Path | None:
    """A hard link to the current ``path`` under a hidden name (``None`` if there is none)."""
    if not path.exists():
        return None
    backup = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.prev")
    try:
        os.link(path, backup)
    except OSError:  # no hard links (some network or FAT file systems): copy
        backup.write_bytes(path.read_bytes())
    return backup


#: Free space asked for when a report has no previous files to measure (a typical report
#: with its charts is 0.2–1 MB).
MIN_FREE_BYTES = 2 * 1024 * 1024


def check_output_dir(
    out: Path, names: Sequence[str] = (), *, free_space: bool = True, create: bool = True
) -> None:
    """Check, before any kernel starts, that reports can be written to ``out``.

    The folder must exist or be creatable, be a folder, be writable, and have free space for
    at least the previous version of every report in ``names`` (``NAME.html`` +
    ``NAME.json``; :data:`MIN_FREE_BYTES` when there is none): an hour of notebook time must
    not end in a write error. A folder on a read-only file system is told apart from one
    without write permission: no ``chmod`` helps there.

    Parameters
    ----------
    out
        The reports folder (created here if it is missing).
    names
        The reports about to be written.
    free_space
        Also check the free space (``False``: only that the folder is usable).
    create
        Create a missing folder (``False``: only check that the nearest existing parent is a
        writable folder, and leave nothing behind).

    Raises
    ------
    ParamsError
        One sentence naming the folder, what is wrong and what to do (exit code 2).
    """
    shown = out.as_posix()
    if out.exists() and not out.is_dir():
        raise ParamsError(
            "out_dir",
            f"{shown} is a file, not a folder",
            fix="Pass --out with a folder name (it is created if missing), or move the file.",
        )
    if not out.exists() and not create:
        parent = next((p for p in out.absolute().parents if p.exists()), None)
        if parent is None or not parent.is_dir():
            raise ParamsError(
                "out_dir",
                f"the output folder {shown} cannot be created ({parent} is a file)",
                fix="Pass --out with a folder you can write to.",
            )
        if _on_read_only_fs(parent):
            raise _read_only_fs_error(shown)
        if not os.access(parent, os.W_OK | os.X_OK):
            raise ParamsError(
                "out_dir",
                f"the output folder {shown} cannot be created ({parent} is not writable)",
                fix="Pass --out with a folder you can write to.",
            )
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno == errno.EROFS:
            raise _read_only_fs_error(shown) from None
        raise ParamsError(
            "out_dir",
            f"the output folder {shown} cannot be created ({exc.strerror or exc})",
            fix="Pass --out with a folder you can write to.",
        ) from None
    writable = os.access(out, os.W_OK | os.X_OK)
    failure: OSError | None = None
    if writable:
        try:  # permissions are not all (a read-only mount, ACLs): try it
            fd, probe = tempfile.mkstemp(dir=out, prefix=".salesops-probe-")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            writable, failure = False, exc
    if not writable:
        if (failure is not None and failure.errno == errno.EROFS) or _on_read_only_fs(out):
            raise _read_only_fs_error(shown)  # no chmod helps there
        raise ParamsError(
            "out_dir",
            f"the output folder {shown} is not writable",
            fix="Pass --out with a folder you can write to, or fix its permissions "
            f"(`chmod u+w {shown}`).",
        )
    if not free_space:
        return
    previous = sum(
        (out / f"{name}{suffix}").stat().st_size
        for name in names
        for suffix in (".html", ".json")
        if (out / f"{name}{suffix}").is_file()
    )
    needed = max(previous, MIN_FREE_BYTES)
    free = shutil.disk_usage(out).free
    if free < needed:
        raise ParamsError(
            "out_dir",
            f"the disk of the output folder {shown} has {_mb(free)} free, less than the "
            f"{_mb(needed)} the reports need",
            fix="Free some space, or pass --out with a folder on another disk.",
        )


def _on_read_only_fs(path: Path) -> bool:
    """Whether ``path`` is on a file system mounted read-only (``False`` where unknown)."""
    statvfs = getattr(os, "statvfs", None)  # POSIX only
    if statvfs is None:
        return False
    try:
        return bool(statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _read_only_fs_error(shown: str) -> ParamsError:
    return ParamsError(
        "out_dir",
        f"the output folder {shown} is on a read-only file system",
        fix="Choose --out on a writable disk.",
    )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB"
