"""CSV folders written the European way (``;``, ``1.234,5``, ``31/12/2026``) read as the same
data."""

from __future__ import annotations

import pandas as pd
import pytest
from test_sources import frames

from salesops_lib.data import open_source
from salesops_lib.errors import DataValidationError, ParamsError


def _european_folder(folder, *, fmt_file: str | None = None, bad_date: bool = False):
    folder.mkdir()
    data = frames()
    opps = data["opportunities"].copy()
    opps.loc[0, "amount"] = 1_234_567.25  # thousands separators twice
    data["opportunities"] = opps
    for name, df in data.items():
        out = df.copy()
        for col in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[col]):
                out[col] = out[col].dt.strftime("%d/%m/%Y %H:%M")
            elif col == "close_date":
                out[col] = [d.strftime("%d.%m.%Y") for d in out[col]]
            elif col == "amount":
                out[col] = [
                    ""
                    if pd.isna(v)
                    else f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
                    for v in out[col]
                ]
        if bad_date and name == "leads":
            out.loc[1, "created_at"] = "31/13/2024 09:30"
        out.to_csv(folder / f"{name}.csv", sep=";", index=False)
    if fmt_file is not None:
        (folder / "csv_format.yaml").write_text(fmt_file)
    return folder, data


FMT = 'delimiter: ";"\ndecimal: ","\nthousands: "."\nday_first: true\n'


def test_european_csv_reads_as_the_original_data(tmp_path):
    folder, data = _european_folder(tmp_path / "it", fmt_file=FMT)
    src = open_source(folder)
    opps = src.table("opportunities").execute().sort_values("opportunity_id")
    want = data["opportunities"].sort_values("opportunity_id")
    assert opps["amount"].tolist()[:2] == [1_234_567.25, 800.0] and pd.isna(opps["amount"].iloc[2])
    assert [d.isoformat() for d in pd.to_datetime(opps["close_date"]).dt.date] == [
        d.isoformat() for d in want["close_date"]
    ]
    leads = src.table("leads").execute().sort_values("lead_id")
    assert leads["created_at"].tolist() == data["leads"]["created_at"].tolist()
    assert leads["converted_at"].isna().tolist() == [True, False, True]
    # the same through the keyword, without the file
    (folder / "csv_format.yaml").unlink()
    src = open_source(folder, csv_format={"delimiter": ";", "decimal": ",", "thousands": ".",
                                          "day_first": True})  # fmt: skip
    assert src.table("leads").execute()["created_at"].notna().all()


def test_without_the_format_the_same_files_do_not_pass_validation(tmp_path):
    folder, _ = _european_folder(tmp_path / "it")
    with pytest.raises(DataValidationError):
        open_source(folder).table("leads")


def test_a_date_that_fits_no_format_is_named_as_unreadable(tmp_path):
    folder, _ = _european_folder(tmp_path / "it", fmt_file=FMT, bad_date=True)
    with pytest.raises(DataValidationError) as info:
        open_source(folder).table("leads")
    text = str(info.value)
    assert "created_at" in text and "31/13/2024 09:30" in text


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('decimal: ","\nthousands: ","\n', "csv_format"),
        ("decimal: ';'\n", "csv_format.decimal"),
        ("daY_first: true\n", "csv_format.daY_first"),
        ("date_formats: ['dd/mm/yyyy']\n", "csv_format"),
    ],
)
def test_bad_format_files_name_the_key_and_file(tmp_path, text, key):
    folder, _ = _european_folder(tmp_path / "it", fmt_file=text)
    with pytest.raises(ParamsError) as info:
        open_source(folder)
    assert f"`{key}`" in str(info.value) and "csv_format.yaml" in str(info.value)
