"""Tests of the YAML-mapping adapter on the documented example (docs/examples/mapping_export)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

import salesops_lib
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
    assert t["quotas"]["period_end"].astype(str).tolist() == ["2024-03-31"] * 2
    assert t["reps"]["name"].tolist() == ["Ann Lee", "Bo Chan"]
    assert set(t) == {
        "leads",
        "lead_history",
        "opportunities",
        "opportunity_history",
        "reps",
        "quotas",
    }
    leads = t["leads"].set_index("lead_id")
    assert leads["status"].to_dict() == {
        "L-1": "Converted",
        "L-2": "Converted",
        "L-3": "MQL",
        "L-4": "Open",
        "L-5": "Converted",
        "L-6": "Disqualified",
    }
    assert leads["opportunity_id"].dropna().to_dict() == {"L-1": "D-1", "L-2": "D-2", "L-5": "D-3"}
    assert leads.loc["L-5", "converted_at"] == pd.Timestamp("2024-02-12")
    lh = t["lead_history"]
    assert lh["status"].value_counts().to_dict() == {"MQL": 5, "SQL": 3, "Disqualified": 1}
    assert lh["changed_at"].iloc[3] == pd.Timestamp("2024-01-10 09:00")


def test_docs_show_the_example_mapping_unchanged():
    """docs/adapters.md shows the example mapping in full; it must be the file the tests load."""
    text = (EXAMPLE.parents[1] / "adapters.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    example = (EXAMPLE / "mapping.yaml").read_text(encoding="utf-8")
    assert example in blocks
    assert (
        yaml.safe_load(example)["tables"]["lead_history"]["values"]["status"]["Vertrieb"] == "SQL"
    )


def test_the_example_runs_a_lead_funnel_from_the_mapping(export):
    src = load_mapping(export, mapping=export / "mapping.yaml").open()
    f = salesops_lib.funnel_analysis(
        src,
        stages=["MQL", "SQL"],
        funnel="lead",
        window_days=7,
        period_start="2024-01-01",
        period_end="2024-02-29",
    ).to_results()
    # MQL: L-1, L-2, L-3, L-5, L-6 (5); SQL within 7 days: L-1 (1 day), L-2 (1 day); L-5 took
    # 8 days (late); L-3 and L-6 never
    step = f["steps"][0]
    assert (step["entered"], step["converted"], step["late"]) == (5, 2, 1)


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


def _edit(path: Path, line: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in one line (0 = the header) of a CSV file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines[line], lines[line]
    lines[line] = lines[line].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _currency_column(d: Path) -> None:
    """Map a currency column that mixes EUR and USD (no `currency_rates`)."""
    lines = (d / "deals.csv").read_text(encoding="utf-8").splitlines()
    codes = ["EUR", "EUR", "USD", "EUR"]
    lines = [lines[0] + ",Währung"] + [f"{ln},{c}" for ln, c in zip(lines[1:], codes, strict=True)]
    (d / "deals.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    m = d / "mapping.yaml"
    m.write_text(
        m.read_text(encoding="utf-8")
        .replace(
            "    constants:                 # canonical column: the same value on every row\n"
            "      currency: EUR\n",
            "",
        )
        .replace(
            "      close_date: Abschluss\n",
            "      close_date: Abschluss\n      currency: Währung\n",
        ),
        encoding="utf-8",
    )


# Each bad input of the issue, through `salesops import mapping`: exit 2, the message names
# the file, the column and the first offending rows (the header is row 1), nothing is written.
BAD = {
    "not a CSV": (
        lambda d: (d / "sellers.csv").write_bytes(b"PK\x03\x04binary-xlsx\x00\x00"),
        r"sellers.csv is not a CSV file \(it looks binary",
    ),
    "missing file": (
        lambda d: (d / "quotas.csv").unlink(),
        r"quotas.csv \(for table quotas\) does not exist",
    ),
    "missing column": (
        lambda d: _edit(d / "deals.csv", 0, ",Wert,", ",Value,"),
        r"deals.csv lacks required column\(s\) Wert \(it has: Deal Ref, Angelegt",
    ),
    "unknown stage": (
        lambda d: _edit(d / "deal_stages.csv", 7, "Angebot", "Warten"),
        r"deal_stages.csv, column Phase: value\(s\) Warten not in the mapping's value map for "
        r"opportunity_history.stage \(row 8: 'Warten'\)",
    ),
    "mixed date formats": (
        lambda d: _edit(d / "leads.csv", 3, "15.01.2024", "2024-01-15"),
        r"leads.csv, column Erstellt: 1 value\(s\) do not match .*'%d.%m.%Y'.*row 4: '2024-01-15'",
    ),
    "currency mix without rates": (
        _currency_column,
        r"deals.csv, column Währung: amounts in EUR, USD without conversion rates for EUR, USD "
        r"\(row 4: 'USD'\)",
    ),
    "duplicated id": (
        lambda d: _edit(d / "leads.csv", 4, "L-4,", "L-3,"),
        r"leads.csv, column Lead-Nr: 2 rows share an id \(row 4: 'L-3', row 5: 'L-3'\)",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_through_the_cli_names_file_column_rows_and_writes_nothing(
    case, export, rejected
):
    spoil, pattern = BAD[case]
    spoil(export)
    rejected(["mapping", str(export), "--mapping", str(export / "mapping.yaml")], pattern)


def test_currency_rates_convert_a_mixed_currency_column(export):
    _currency_column(export)
    m = export / "mapping.yaml"
    m.write_text(
        m.read_text(encoding="utf-8").replace(
            "# currency_rates: {EUR: 1.0, USD: 0.92}", "currency_rates: {EUR: 1.0, USD: 0.5}"
        ),
        encoding="utf-8",
    )
    opps = load_mapping(export, mapping=m).tables["opportunities"].set_index("opportunity_id")
    assert opps["amount"].to_dict() == {"D-1": 1200.5, "D-2": 800.0, "D-3": 1000.0, "D-4": 500.0}
    assert set(opps["currency"]) == {"EUR"}


def test_documented_commands_import_and_validate(export, tmp_path, capsys):
    out = tmp_path / "example"
    args = ["import", "mapping", str(export), "--mapping", str(export / "mapping.yaml")]
    assert main([*args, "--out", str(out)]) == 0
    assert "leads" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == [
        "ADAPTER_NOTES.txt",
        "lead_history.parquet",
        "leads.parquet",
        "opportunities.parquet",
        "opportunity_history.parquet",
        "quotas.parquet",
        "reps.parquet",
    ]
    assert main(["validate", "--source", str(out)]) == 0
