"""Tables already validated, remembered by the identity of the files they come from.

A report is checked before its kernel starts (``check_tables``, ``check_data``) and the
notebook reads the same tables again; ``salesops run --all`` runs seven reports on one
warehouse. Validating ``leads`` (10M rows) takes seconds each time, so a table that passed is
remembered here under a key made of the source's files (path, size, modification time in
nanoseconds), the table's name and the day of the "no events in the future" cut-off. Any write
to the files changes the key, so changed data is validated again. Sources that are not files
(database URLs, Spark, DataFrames, open connections) have no key and are always validated.

The keys travel to the report's worker and kernel processes in the environment variable
:data:`ENV` (the runner exports them before it forks the workers).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__: list[str] = []

#: Environment variable holding the keys of tables validated by a parent process.
ENV = "SALESOPS_VALIDATED"

_SEEN: set[str] = set()


def file_identity(paths: Iterable[Path], extra: str = "") -> str | None:
    """A hash of the files' resolved paths, sizes and modification times (``None`` if any is
    unreadable: then nothing is remembered)."""
    parts = [extra]
    try:
        for p in sorted(Path(p).resolve() for p in paths):
            st = p.stat()
            parts.append(f"{p}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return None
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def key(identity: str | None, table: str, cutoff: Any) -> str | None:
    """The key of ``table`` of the source with ``identity`` checked against the future
    ``cutoff`` (a timestamp: :func:`~salesops_lib.data.timeline.future_cutoff`; its day counts)."""
    if identity is None:
        return None
    return f"{identity}:{table}:{cutoff:%Y%m%d}"


def known(k: str | None) -> bool:
    """Whether the table of key ``k`` passed validation in this process or a parent."""
    if k is None:
        return False
    return k in _SEEN or k in os.environ.get(ENV, "").split()


def remember(k: str | None) -> None:
    """Record that the table of key ``k`` passed validation."""
    if k is not None:
        _SEEN.add(k)


def export() -> None:
    """Put the keys validated here into :data:`ENV` for child processes (workers, kernels)."""
    keys = set(os.environ.get(ENV, "").split()) | _SEEN
    if keys:
        os.environ[ENV] = " ".join(sorted(keys))


def forget() -> None:
    """Forget every key (this process's and the inherited ones); for tests."""
    _SEEN.clear()
    os.environ.pop(ENV, None)
