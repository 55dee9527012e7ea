"""Tests of the YAML-mapping adapter on the documented example (docs/examples/mapping_export)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from salesops_lib.cli import main
from salesops_lib.data.adapters.mapping import load_mapping
from salesops_lib.errors import SourceError

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "mapping_export"


@pytest.fixture
def export(tmp_path) -> Path:
    d = tmp_path / "export"
    shutil.copytree(EXAMPLE, d)
    return d


def test_documented_example_maps_every_table_by_hand(export):
    res = load_mapping(export, mapping=export / "mapping.yaml")
    t = res.tables
    opps = t["opportunities"].set_index("opportunity_id")
    assert opps["stage"].tolist() == ["Closed Won", "Closed Lost", "Closed Won", "Proposal"]
    assert opps["is_won"].tolist() == [True, False, True, False]
    assert opps["is_closed"].tolist() == [True, True, True, False]
    assert opps.loc["D-1", "amount"] == 1200.5  # decimal comma, thousands point
    assert opps.loc["D-1", "created_at"] == pd.Timestamp("2024-01-05")
    assert str(opps.loc["D-1", "close_date"]) == "2024-02-20"
    assert set(opps["currency"]) == {"EUR"}  # constant column
    h = t["opportunity_history"]
    assert len(h) == 10 and h["stage"].value_counts()["Proposal"] == 3
    assert h["changed_at"].max() == pd.Timestamp("2024-03-25 17:00")
    assert t["quotas"]["amount"].tolist() == [2000.0, 2000.0]
    assert t["reps"]["name"].tolist() == ["Ann Lee", "Bo Chan"]


def test_unmapped_value_and_mixed_dates_are_named(export, tmp_path):
    deals = export / "deals.csv"
    deals.write_text(deals.read_text().replace("Angebot", "Warten"))
    with pytest.raises(SourceError, match=r"deals.csv, column Phase.*Warten.*row 5"):
        load_mapping(export, mapping=export / "mapping.yaml")
    deals.write_text(
        deals.read_text().replace("Warten", "Angebot").replace("10.01.2024", "2024-01-10")
    )
    with pytest.raises(SourceError, match=r"deals.csv, column Angelegt.*row 3: '2024-01-10'"):
        load_mapping(export, mapping=export / "mapping.yaml")
    out = tmp_path / "out"
    args = ["import", "mapping", str(export), "--mapping", str(export / "mapping.yaml")]
    assert main([*args, "--out", str(out)]) == 2
    assert not out.exists()


def test_not_a_csv_is_named(export):
    (export / "sellers.csv").write_bytes(b"PK\x03\x04binary-xlsx\x00\x00")
    with pytest.raises(SourceError, match=r"sellers.csv is not a CSV"):
        load_mapping(export, mapping=export / "mapping.yaml")
