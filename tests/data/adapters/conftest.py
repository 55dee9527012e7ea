"""Shared check of the adapters' bad-input contract through the ``salesops import`` CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from salesops_lib.cli import main


@pytest.fixture
def rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., str]:
    """``rejected(args, pattern)``: the import exits 2 naming what ``pattern`` says, and writes
    nothing: a new ``--out`` is not created, an earlier import at ``--out`` is left as it was,
    and no temporary file is left beside it. Returns the error message."""

    def check(args: list[str], pattern: str, *, earlier: Path | None = None) -> str:
        out = earlier if earlier is not None else tmp_path / "never"
        before = {p.name: p.read_bytes() for p in out.iterdir()} if earlier is not None else None
        capsys.readouterr()
        assert main(["import", *args, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert re.search(pattern, err, flags=re.S), err
        assert "Traceback" not in err and "How to fix" in err
        if before is None:
            assert not out.exists()
        else:
            assert {p.name: p.read_bytes() for p in out.iterdir()} == before
        assert [p.name for p in out.parent.glob(f".{out.name}*")] == []
        return err

    return check
