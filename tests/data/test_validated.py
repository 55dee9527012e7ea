"""A table validated once is not validated again while its files are unchanged
(:mod:`salesops_lib.data._validated`), in this process or in a child given the keys."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from salesops_lib.data import _validated, sources
from salesops_lib.data.sources import open_source
from salesops_lib.errors import DataValidationError

LEADS = pd.DataFrame(
    {
        "lead_id": ["L1", "L2", "L3"],
        "created_at": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-04"]),
        "source": ["web", "web", "event"],
    }
)


@pytest.fixture
def calls(monkeypatch):
    """Count validate_table calls by table; start and end with nothing remembered."""
    _validated.forget()
    seen: list[str] = []
    real = sources.validate_table

    def counting(name, table):
        seen.append(name)
        return real(name, table)

    monkeypatch.setattr(sources, "validate_table", counting)
    yield seen
    _validated.forget()


def _folder(tmp_path, leads: pd.DataFrame):
    folder = tmp_path / "crm"
    folder.mkdir(exist_ok=True)
    leads.to_csv(folder / "leads.csv", index=False)
    return folder


def _read(source) -> pd.DataFrame:
    src = open_source(source)
    try:
        return src.table("leads").execute()
    finally:
        src.close()


def test_a_second_open_of_unchanged_files_does_not_validate_again(tmp_path, calls):
    folder = _folder(tmp_path, LEADS)
    first = _read(folder)
    second = _read(folder)
    assert calls == ["leads"]
    # the same canonical table either way (types coerced without the checks)
    pd.testing.assert_frame_equal(first, second)
    assert str(second["created_at"].dtype).startswith("datetime64")


def test_changed_files_are_validated_again_and_their_errors_raised(tmp_path, calls):
    folder = _folder(tmp_path, LEADS)
    _read(folder)
    bad = pd.concat([LEADS, LEADS.iloc[[0]]])  # a duplicate id
    bad.to_csv(folder / "leads.csv", index=False)
    os.utime(folder / "leads.csv", ns=(1, 1))  # even a file with an old time is new to the key
    with pytest.raises(DataValidationError, match="unique"):
        _read(folder)
    assert calls == ["leads", "leads"]


def test_a_child_process_given_the_keys_skips_validation(tmp_path, calls, monkeypatch):
    folder = _folder(tmp_path, LEADS)
    _read(folder)
    _validated.export()
    assert os.environ[_validated.ENV]
    _validated._SEEN.clear()  # a child: nothing of its own, the parent's keys in the environment
    _read(folder)
    assert calls == ["leads"]
    monkeypatch.delenv(_validated.ENV)
    _read(folder)
    assert calls == ["leads", "leads"]


def test_sources_that_are_not_files_are_always_validated(calls):
    _read({"leads": LEADS})
    _read({"leads": LEADS})
    assert calls == ["leads", "leads"]
