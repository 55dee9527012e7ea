"""Tests of open_source / Source (salesops_lib.data.sources) for every kind of source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ibis
import pandas as pd
import pytest

from salesops_lib.data import Source, open_source
from salesops_lib.errors import DataValidationError, ParamsError, SourceError


def frames() -> dict[str, pd.DataFrame]:
    leads = pd.DataFrame(
        {
            "lead_id": ["L001", "L002", "L003"],
            "created_at": pd.to_datetime(
                ["2024-01-01 08:00", "2024-01-02 09:30", "2024-01-03 10:00"]
            ),
            "source": ["web", "event", "web"],
            "converted_at": pd.to_datetime([None, "2024-01-20 12:00", None]),
        }
    )
    opportunities = pd.DataFrame(
        {
            "opportunity_id": ["O1", "O2", "O3"],
            "created_at": pd.to_datetime(
                ["2024-01-20 12:00", "2024-02-01 00:00", "2024-02-03 00:00"]
            ),
            "owner_id": ["R1", "R2", "R1"],
            "stage": ["Closed Won", "Closed Lost", "Proposal"],
            "is_closed": [True, True, False],
            "is_won": [True, False, False],
            "amount": [1200.5, 800.0, None],
            "close_date": [dt.date(2024, 3, 1), dt.date(2024, 3, 15), dt.date(2024, 9, 30)],
        }
    )
    reps = pd.DataFrame({"rep_id": ["R1", "R2"], "name": ["Ana", "Bo"], "team": ["East", "West"]})
    return {"leads": leads, "opportunities": opportunities, "reps": reps}


def write_duckdb(path: Path, data: dict[str, pd.DataFrame]) -> Path:
    con = ibis.duckdb.connect(str(path))
    for name, df in data.items():
        con.create_table(name, ibis.memtable(df))
    con.disconnect()
    return path


def write_folder(path: Path, data: dict[str, pd.DataFrame], fmt: str) -> Path:
    path.mkdir()
    for name, df in data.items():
        if fmt == "parquet":
            df.to_parquet(path / f"{name}.parquet")
        elif fmt == "csv":
            df.to_csv(path / f"{name}.csv", index=False)
        else:
            df.to_csv(path / f"{name}.csv.gz", index=False, compression="gzip")
    return path


@pytest.fixture(params=["duckdb", "parquet", "csv", "csv.gz", "env", "dict", "backend"])
def any_source(request, tmp_path, monkeypatch) -> Source:
    kind = request.param
    data = frames()
    if kind == "duckdb":
        return open_source(write_duckdb(tmp_path / "w.duckdb", data))
    if kind in ("parquet", "csv", "csv.gz"):
        return open_source(str(write_folder(tmp_path / "tables", data, kind)))
    if kind == "env":
        db = write_duckdb(tmp_path / "w.duckdb", data)
        monkeypatch.setenv("SALESOPS_TEST_URL", f"duckdb://{db}")
        return open_source("env:SALESOPS_TEST_URL")
    if kind == "dict":
        return open_source(data)
    con = ibis.duckdb.connect()
    for name, df in data.items():
        con.create_table(name, ibis.memtable(df))
    return open_source(con)


class TestEverySourceKind:
    def test_same_tables_and_rows(self, any_source):
        ref = open_source(frames())
        assert any_source.tables == ["leads", "opportunities", "reps"]
        for name, key in [("leads", "lead_id"), ("opportunities", "opportunity_id")]:
            got = any_source.table(name).order_by(key).execute()
            want = ref.table(name).order_by(key).execute()
            pd.testing.assert_frame_equal(got, want, check_dtype=False)
            assert any_source.table(name).schema() == ref.table(name).schema()

    def test_same_as_of_fingerprint_and_describe(self, any_source):
        ref = open_source(frames())
        assert any_source.as_of == pd.Timestamp("2024-03-15 23:59:59")
        assert any_source.fingerprint() == ref.fingerprint()
        pd.testing.assert_frame_equal(any_source.describe(), ref.describe())

    def test_ids_are_strings_and_has_table(self, any_source):
        assert any_source.table("leads").lead_id.type().is_string()
        assert any_source.has_table("reps")
        assert not any_source.has_table("activities")


class TestSourceBehaviour:
    def test_table_is_cached(self):
        src = open_source(frames())
        assert src.table("leads") is src.table("leads")

    def test_describe_columns(self):
        desc = open_source(frames()).describe()
        assert list(desc.columns) == ["table", "rows", "first", "last"]
        row = desc.set_index("table").loc["leads"]
        assert row["rows"] == 3
        assert row["first"] == pd.Timestamp("2024-01-01 08:00")
        assert row["last"] == pd.Timestamp("2024-01-20 12:00")
        assert pd.isna(desc.set_index("table").loc["reps", "first"])

    def test_as_of_default_ignores_future_expected_close_dates(self):
        # O3's expected close date (2024-09-30) is a plan, not an event; O2 closed on 2024-03-15,
        # after the latest timestamp (2024-02-03): a deal closed in an export's last days counts
        src = open_source(frames())
        assert src.as_of == pd.Timestamp("2024-03-15 23:59:59") == src.last_record()
        data = frames()
        data["opportunities"]["is_closed"] = False
        assert open_source(data).as_of == pd.Timestamp("2024-02-03")

    def test_as_of_converts_tz_aware_timestamps(self):
        data = frames()
        data["leads"]["created_at"] = data["leads"]["created_at"].dt.tz_localize("Europe/Berlin")
        src = open_source({"leads": data["leads"]})
        assert src.as_of == pd.Timestamp("2024-01-20 12:00")  # converted_at is the latest
        first = src.table("leads").order_by("lead_id").execute()["created_at"].iloc[0]
        assert first == pd.Timestamp("2024-01-01 07:00")  # 08:00 CET = 07:00 UTC

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            # a bare date means the end of that day, as in report params ("as of 30 Jun")
            ("2024-06-30", pd.Timestamp("2024-06-30 23:59:59")),
            (dt.date(2024, 6, 30), pd.Timestamp("2024-06-30 23:59:59")),
            (dt.datetime(2024, 6, 30, 12), pd.Timestamp("2024-06-30 12:00")),
            ("2024-06-30T12:00:00+02:00", pd.Timestamp("2024-06-30 10:00")),
        ],
    )
    def test_explicit_as_of(self, value, expected):
        src = open_source(frames(), as_of=value)
        assert src.as_of == expected
        assert src.fingerprint() != open_source(frames()).fingerprint()

    @pytest.mark.parametrize("value", ["yesterday-ish", 12, "2024-13-45"])
    def test_bad_as_of(self, value):
        with pytest.raises(ParamsError, match="as_of"):
            open_source(frames(), as_of=value)

    def test_fingerprint_changes_with_rows(self):
        data = frames()
        fp = open_source(data).fingerprint()
        assert len(fp) == 12 and int(fp, 16) >= 0
        assert open_source(data).fingerprint() == fp
        data["reps"] = data["reps"].iloc[:1]
        assert open_source(data).fingerprint() != fp

    def test_repr(self):
        src = open_source(frames())
        assert "leads, opportunities, reps" in repr(src)
        html = src._repr_html_()
        assert "<table>" in html and "opportunities" in html

    def test_source_passthrough(self):
        src = open_source(frames())
        assert open_source(src) is src
        later = open_source(src, as_of="2025-01-01")
        assert later.as_of == pd.Timestamp("2025-01-01 23:59:59")
        assert later.con is src.con


class TestErrors:
    def test_missing_table_names_table_tables_and_analysis(self):
        src = open_source(frames())
        with pytest.raises(SourceError) as info:
            src.table("activities", needed_for="the activity benchmark")
        text = str(info.value)
        assert "`activities`" in text
        assert "leads, opportunities, reps" in text
        assert "the activity benchmark" in text
        assert "How to fix" in text

    def test_missing_table_default_analysis(self):
        with pytest.raises(SourceError, match="quota attainment"):
            open_source(frames()).table("quotas")

    def test_nonexistent_path(self, tmp_path):
        with pytest.raises(SourceError) as info:
            open_source(tmp_path / "nope.duckdb")
        assert "does not exist" in str(info.value)
        assert "How to fix" in str(info.value)

    def test_default_source_missing_points_to_demo_data(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        with pytest.raises(SourceError, match="salesops demo-data"):
            open_source()

    def test_not_a_duckdb_file(self, tmp_path):
        bad = tmp_path / "notes.txt"
        bad.write_text("hello")
        with pytest.raises(SourceError, match="DuckDB"):
            open_source(bad)

    def test_folder_without_table_files(self, tmp_path):
        (tmp_path / "random.csv").write_text("a\n1\n")
        with pytest.raises(SourceError, match="canonical table"):
            open_source(tmp_path)

    def test_csv_folder_missing_required_column(self, tmp_path):
        data = frames()
        data["opportunities"] = data["opportunities"].drop(columns="owner_id")
        src = open_source(write_folder(tmp_path / "t", data, "csv"))
        # opening and other tables are unaffected: validation happens on access
        assert src.table("leads").count().execute() == 3
        with pytest.raises(DataValidationError) as info:
            src.table("opportunities")
        err = info.value
        assert (err.table, err.column) == ("opportunities", "owner_id")
        assert "`opportunities`" in str(err) and "`owner_id`" in str(err)

    def test_csv_ids_keep_leading_zeros(self, tmp_path):
        data = {"reps": pd.DataFrame({"rep_id": ["007", "010"]})}
        src = open_source(write_folder(tmp_path / "t", data, "csv"))
        assert sorted(src.table("reps").execute()["rep_id"]) == ["007", "010"]

    def test_env_var_not_set(self, monkeypatch):
        monkeypatch.delenv("SALESOPS_NOT_SET", raising=False)
        with pytest.raises(SourceError, match="SALESOPS_NOT_SET"):
            open_source("env:SALESOPS_NOT_SET")

    def test_env_url_password_never_printed(self, monkeypatch):
        monkeypatch.setenv("SALESOPS_BAD_URL", "postgres://analyst:s3cr3t-pw@127.0.0.1:1/crm")
        with pytest.raises(SourceError) as info:
            open_source("env:SALESOPS_BAD_URL")
        text = str(info.value)
        assert "s3cr3t-pw" not in text
        assert "SALESOPS_BAD_URL" in text

    def test_plain_url_rejected(self):
        with pytest.raises(ParamsError, match="env:"):
            open_source("postgres://u:p@host/db")

    def test_duckdb_file_opened_read_only(self, tmp_path):
        db = write_duckdb(tmp_path / "w.duckdb", frames())
        first = open_source(db)
        second = open_source(db)  # two readers at once
        assert first.table("reps").count().execute() == second.table("reps").count().execute()
        with pytest.raises(Exception):  # noqa: B017 - the engine's own read-only error
            first.con.raw_sql("CREATE TABLE x AS SELECT 1 AS a")

    def test_bad_dict_value(self):
        with pytest.raises(ParamsError, match="leads"):
            open_source({"leads": [1, 2, 3]})


class TestUnreadableFiles:
    def test_corrupt_parquet_is_a_source_error_naming_the_table(self, tmp_path):
        folder = write_folder(tmp_path / "t", frames(), "parquet")
        (folder / "reps.parquet").write_bytes(b"not parquet")
        src = open_source(folder)  # opening reads nothing
        assert src.table("leads").count().execute() == 3
        with pytest.raises(SourceError) as info:
            src.table("reps")
        assert "`reps`" in str(info.value) and "How to fix" in str(info.value)

    def test_semicolon_csv_is_sniffed(self, tmp_path):
        folder = tmp_path / "t"
        folder.mkdir()
        (folder / "reps.csv").write_text("rep_id;name\nR1;Ana\nR2;Bo\n")
        assert open_source(folder).table("reps").count().execute() == 2

    def test_ragged_csv_gets_a_hint(self, tmp_path):
        folder = tmp_path / "t"
        folder.mkdir()
        (folder / "reps.csv").write_text('rep_id,name\nR1,Ana\nR2,Bo,extra,fields\n"open\n')
        with pytest.raises(DataValidationError, match="delimiter") as info:
            open_source(folder).table("reps")
        assert info.value.column == "rep_id"


def test_relative_path_is_found_from_a_subfolder(tmp_path, monkeypatch, demo_db):
    """A notebook in notebooks/ finds data/demo.duckdb of the kit's root (as git finds .git)."""
    import shutil

    (tmp_path / "data").mkdir()
    shutil.copy(demo_db, tmp_path / "data" / "demo.duckdb")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    src = open_source("data/demo.duckdb")
    assert src.has_table("leads")
    with pytest.raises(SourceError, match="does not exist"):
        open_source("data/missing.duckdb")


def test_a_misnamed_file_gets_a_did_you_mean(tmp_path):
    (tmp_path / "leads.csv").write_text("lead_id,created_at\nL1,2025-01-01\n")
    (tmp_path / "opportunity.csv").write_text("opportunity_id,created_at\nO1,2025-01-01\n")
    with pytest.raises(
        SourceError, match=r"Did you mean `opportunity`\? Rename it to `opportunities`"
    ):
        open_source(tmp_path).table("opportunities")


def test_nanosecond_timestamps_open_at_microsecond_precision():
    """pandas makes nanosecond timestamps; DuckDB keeps microseconds (Arrow refused the cut)."""
    data = frames()
    data["leads"]["created_at"] = data["leads"]["created_at"] + pd.Timedelta(nanoseconds=1_789)
    src = open_source(data)
    got = src.table("leads").order_by("lead_id").execute()["created_at"]
    want = frames()["leads"].sort_values("lead_id")["created_at"] + pd.Timedelta(microseconds=1)
    assert list(got) == list(want)
