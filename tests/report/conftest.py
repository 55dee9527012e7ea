"""Fixtures for the report tests: a tiny params model and a scratch project folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import Field

from salesops_lib.report.params import NOTEBOOK_PARAMS, ReportParams

FILES = Path(__file__).parent / "files"


class TinyParams(ReportParams):
    """Params of the golden notebooks in ``files/``."""

    n_points: int = 5
    label: str = "demo"
    stages: list[str] = Field(default_factory=lambda: ["lead", "mql"])


@pytest.fixture
def tiny_model(monkeypatch: pytest.MonkeyPatch) -> type[TinyParams]:
    """Register :class:`TinyParams` for the golden notebooks in ``files/``."""
    monkeypatch.setitem(NOTEBOOK_PARAMS, "tiny_report", TinyParams)
    monkeypatch.setitem(NOTEBOOK_PARAMS, "failing_report", TinyParams)
    monkeypatch.setitem(NOTEBOOK_PARAMS, "slow_report", TinyParams)
    return TinyParams


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_model: type) -> Path:
    """A scratch kit folder (the cwd): ``notebooks/`` with the golden notebooks, ``params/``,
    and an (empty) ``data/demo.duckdb`` so that the default source exists."""
    (tmp_path / "notebooks").mkdir()
    for nb in FILES.glob("*.ipynb"):
        shutil.copy(nb, tmp_path / "notebooks" / nb.name)
    (tmp_path / "params").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "demo.duckdb").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_params(folder: Path, name: str, text: str) -> Path:
    """Write ``folder/name.yaml`` and return its path."""
    path = folder / f"{name}.yaml"
    path.write_text(text.lstrip(), encoding="utf-8")
    return path
