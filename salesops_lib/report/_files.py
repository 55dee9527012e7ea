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
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

__all__ = ["atomic_write", "publish"]


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
