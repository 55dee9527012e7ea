"""Shared fixtures: fixed seeds, closed figures, one small demo warehouse per test session."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("MPLBACKEND", "agg")

REPO = Path(__file__).resolve().parents[1]
#: The public datasets beside the checkout (``../shared/datasets``), or ``SALESOPS_SHARED_DATASETS``
#: for a checkout elsewhere (a git worktree, a CI folder).
SHARED_DATASETS = Path(
    os.environ.get("SALESOPS_SHARED_DATASETS") or REPO.parent / "shared" / "datasets"
)
DEMO_TEST_LEADS = 20_000


@pytest.fixture(autouse=True)
def _fixed_seed_and_closed_figures():
    random.seed(12345)
    np.random.seed(12345)  # noqa: NPY002 - legacy global seed for code that uses it
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A demo warehouse (DuckDB file) with 20,000 leads, seed 7, built once per test session."""
    from salesops_lib.data.demo import generate_demo

    out = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    generate_demo(out, seed=7, leads=DEMO_TEST_LEADS)
    return out


@pytest.fixture(scope="session")
def demo_truth(demo_db: Path) -> dict:
    """The planted effects of :func:`demo_db` (the generator's truth file)."""
    return json.loads(demo_db.with_suffix(".truth.json").read_text())


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    """``../shared/datasets`` beside the checkout; tests that need it skip when it is absent."""
    if not SHARED_DATASETS.is_dir():
        pytest.skip(f"public datasets folder not found at {SHARED_DATASETS} (outside the repo)")
    return SHARED_DATASETS
