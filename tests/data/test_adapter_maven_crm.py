"""Tests of the Maven CRM adapter (salesops_lib.data.adapters.maven_crm)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_lib.data.adapters import load_maven_crm
from salesops_lib.errors import SourceError


def write_crlf(path: Path, rows: list[str]) -> None:
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode())


@pytest.fixture
def tiny_export(tmp_path) -> Path:
    write_crlf(
        tmp_path / "sales_pipeline.csv",
        [
            "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value",
            "D1,Ann Lee,GTXPro,Acme,Won,2017-01-02,2017-02-01,4800",
            "D2,Ann Lee,MG Special,,Lost,2017-01-05,2017-01-20,0",
            "D3,Bo Chan,GTX Basic,Acme,Engaging,2017-03-01,,",
            "D4,Bo Chan,GTX Basic,Acme,Prospecting,,,",
        ],
    )
    write_crlf(
        tmp_path / "sales_teams.csv",
        [
            "sales_agent,manager,regional_office",
            "Ann Lee,Mia Fox,East",
            "Bo Chan,Mia Fox,West",
            "Cy Idle,Mia Fox,West",
        ],
    )
    write_crlf(
        tmp_path / "accounts.csv",
        [
            "account,sector,year_established,revenue,employees,office_location,subsidiary_of",
            "Acme,technolgy,1996,1100.04,2822,United States,",
        ],
    )
    write_crlf(
        tmp_path / "products.csv",
        ["product,series,sales_price", "GTX Pro,GTX,4821", "MG Special,MG,55", "GTX Basic,GTX,550"],
    )
    return tmp_path


def test_quirks_handled_on_a_tiny_export(tiny_export):
    result = load_maven_crm(tiny_export)
    opps = result.tables["opportunities"].set_index("opportunity_id")
    assert list(opps.index) == ["D1", "D2", "D3"]  # D4 (Prospecting, no engage date) dropped
    assert opps.loc["D1", "product"] == "GTX Pro"
    assert opps.loc["D1", "amount"] == 4800.0
    assert pd.isna(opps.loc["D2", "amount"])  # lost: close value 0 is not a deal size
    assert pd.isna(opps.loc["D2", "account_id"])
    assert opps.loc["D3", "close_date"] is None
    assert opps["is_closed"].tolist() == [True, True, False]
    assert opps["is_won"].tolist() == [True, False, False]
    assert opps.loc["D2", "region"] == "East"
    assert result.tables["accounts"].loc[0, "industry"] == "technology"
    assert result.tables["accounts"].loc[0, "revenue"] == pytest.approx(1_100_040_000)
    assert result.as_of == pd.Timestamp("2017-03-01")
    assert any("Prospecting" in n for n in result.notes)
    assert any("Cy Idle" in n for n in result.notes)

    src = result.open()
    assert src.as_of == pd.Timestamp("2017-03-01")
    for name in ("opportunities", "reps", "accounts"):
        src.table(name)  # validates against the canonical model


def test_missing_folder_and_file(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        load_maven_crm(tmp_path / "nope")
    with pytest.raises(SourceError, match=r"sales_pipeline\.csv"):
        load_maven_crm(tmp_path)


def test_real_maven_export(shared_datasets):
    folder = shared_datasets / "maven_crm"
    if not (folder / "sales_pipeline.csv").is_file():
        pytest.skip(f"Maven CRM export not found in {folder}")
    result = load_maven_crm(folder)
    src = result.open()
    opps = src.table("opportunities")
    assert opps.count().execute() == 8_800 - 500  # Prospecting deals have no creation time
    assert src.table("reps").count().execute() == 35
    assert src.table("accounts").count().execute() == 85
    assert "GTXPro" not in set(opps["product"].execute())
    won_deals = opps.filter(opps.is_won)
    won = won_deals.aggregate(n=won_deals.count(), low=won_deals.amount.min()).execute()
    assert won.loc[0, "n"] == 4_238 and won.loc[0, "low"] > 0
    assert src.as_of == pd.Timestamp("2017-12-31")
