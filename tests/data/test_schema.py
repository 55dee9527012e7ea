"""Tests of the canonical table specs and of validate_table (salesops_lib.data.schema)."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pytest

from salesops_lib.data import TABLES, validate_table
from salesops_lib.data.schema import ACTIVITY_TYPES, coerce_table
from salesops_lib.errors import DataValidationError, ParamsError

TRACEBACK_MARKERS = ("Traceback", "ibis.expr", "IbisError", "duckdb", "r0 :=", "DatabaseTable")


def as_table(df: pd.DataFrame) -> ibis.Table:
    con = ibis.duckdb.connect()
    return con.create_table("t", ibis.memtable(df))


def opportunities(n: int = 4) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "opportunity_id": [f"O{i}" for i in range(1, n + 1)],
            "created_at": pd.to_datetime(["2024-01-10 09:00"] * n),
            "owner_id": ["R1", "R2"] * (n // 2),
            "stage": ["Closed Won", "Closed Lost"] * (n // 2),
            "is_closed": [True] * n,
            "is_won": [True, False] * (n // 2),
            "amount": [1000.0, 2500.0] * (n // 2),
            "close_date": [dt.date(2024, 2, 1)] * n,
        }
    )


def leads() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": ["L1", "L2", "L3"],
            "created_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
            "converted_at": pd.to_datetime([None, "2024-01-05", None]),
        }
    )


def broken(name: str, df: pd.DataFrame) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        validate_table(name, as_table(df))
    err = info.value
    text = str(err)
    assert f"table `{name}`" in text
    assert "How to fix:" in text
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, f"engine internals leaked into the message: {marker}"
    return err


class TestSpecs:
    def test_all_canonical_tables_described(self):
        assert set(TABLES) == {
            "leads",
            "lead_history",
            "opportunities",
            "opportunity_history",
            "activities",
            "reps",
            "quotas",
            "accounts",
            "campaigns",
            "campaign_members",
            "spend",
        }

    def test_required_columns_follow_data_model(self):
        assert TABLES["opportunities"].required_columns == [
            "opportunity_id",
            "created_at",
            "owner_id",
            "stage",
            "is_closed",
            "is_won",
        ]
        assert TABLES["quotas"].required_columns == [
            "rep_id",
            "period_start",
            "period_end",
            "amount",
        ]
        assert TABLES["leads"].unique == "lead_id"
        assert TABLES["lead_history"].unique is None

    def test_pandera_schema_built_from_spec(self):
        schema = TABLES["leads"].to_pandera()
        assert schema.columns["lead_id"].nullable is False
        assert schema.columns["converted_at"].nullable is True
        assert schema.columns["converted_at"].required is False

    def test_unknown_table_name(self):
        with pytest.raises(ParamsError, match="opportunity"):
            validate_table("opportunity", as_table(opportunities()))


class TestValidTables:
    def test_valid_table_passes_and_keeps_extra_columns(self):
        df = opportunities().assign(my_extra=[1, 2, 3, 4])
        out = validate_table("opportunities", as_table(df))
        assert "my_extra" in out.columns
        assert out.count().execute() == 4

    def test_coercion_to_canonical_types(self):
        df = pd.DataFrame(
            {
                "opportunity_id": [101, 102],
                "created_at": pd.to_datetime(
                    ["2024-03-01T10:00:00+02:00", "2024-03-02T00:30:00+00:00"], utc=True
                ),
                "owner_id": [7, 8],
                "stage": ["Won", "Open"],
                "is_closed": ["TRUE", "no"],
                "is_won": [1, 0],
                "amount": ["1,5".replace(",", "."), " 20 "],
                "close_date": ["2024-04-01", "2024-05-01"],
            }
        )
        out = validate_table("opportunities", as_table(df))
        schema = out.schema()
        assert schema["opportunity_id"].is_string()
        assert schema["created_at"].is_timestamp() and schema["created_at"].timezone is None
        assert schema["close_date"].is_date()
        assert schema["is_closed"].is_boolean()
        assert schema["amount"].is_floating()
        rows = out.order_by("opportunity_id").execute()
        assert rows["opportunity_id"].tolist() == ["101", "102"]
        # 10:00 at UTC+2 is 08:00 UTC
        assert rows["created_at"].tolist() == [
            pd.Timestamp("2024-03-01 08:00"),
            pd.Timestamp("2024-03-02 00:30"),
        ]
        assert rows["is_closed"].tolist() == [True, False]
        assert rows["is_won"].tolist() == [True, False]
        assert rows["amount"].tolist() == [1.5, 20.0]

    def test_float_ids_become_integer_strings(self):
        df = leads().assign(owner_id=[1.0, None, 3.0])
        out = validate_table("leads", as_table(df)).order_by("lead_id").execute()
        assert out["owner_id"].tolist()[0] == "1"
        assert pd.isna(out["owner_id"].tolist()[1])

    def test_activity_type_normalised_to_lower_case(self):
        df = pd.DataFrame(
            {
                "activity_id": ["A1", "A2", "A3"],
                "owner_id": ["R1"] * 3,
                "type": ["Call", " EMAIL", "meeting"],
                "occurred_at": pd.to_datetime(["2024-01-01"] * 3),
            }
        )
        out = validate_table("activities", as_table(df)).order_by("activity_id").execute()
        assert out["type"].tolist() == ["call", "email", "meeting"]
        assert set(out["type"]) <= set(ACTIVITY_TYPES)

    def test_coerce_table_is_lenient(self):
        df = opportunities().assign(amount=["1", "abc", "3", None])
        out = coerce_table("opportunities", as_table(df)).execute()
        assert out["amount"].isna().sum() == 2


class TestRules:
    def test_missing_required_column(self):
        err = broken("opportunities", opportunities().drop(columns="owner_id"))
        assert err.column == "owner_id"
        assert "missing" in err.rule
        assert "owner_id" in str(err)

    def test_wrong_type_names_the_values(self):
        df = opportunities().assign(amount=["10", "abc", "30", "x1"])
        err = broken("opportunities", df)
        assert err.column == "amount"
        assert err.n_failing == 2
        assert err.examples == ["O2", "O4"]
        assert "'abc'" in str(err) and "'x1'" in str(err)

    def test_unreadable_timestamp(self):
        df = leads().assign(created_at=["2024-01-01", "not a date", "2024-01-03"])
        err = broken("leads", df)
        assert (err.column, err.n_failing, err.examples) == ("created_at", 1, ["L2"])
        assert "'not a date'" in str(err)

    def test_null_in_required_column(self):
        df = opportunities().assign(owner_id=["R1", None, "R3", None])
        err = broken("opportunities", df)
        assert (err.column, err.n_failing, err.examples) == ("owner_id", 2, ["O2", "O4"])
        assert "2 rows fail" in str(err)

    @pytest.mark.parametrize(
        ("table", "id_col", "df"),
        [
            ("leads", "lead_id", leads().assign(lead_id=["L1", "L1", "L3"])),
            (
                "opportunities",
                "opportunity_id",
                opportunities().assign(opportunity_id=["O1", "O2", "O2", "O4"]),
            ),
            (
                "reps",
                "rep_id",
                pd.DataFrame({"rep_id": ["R1", "R2", "R1"], "name": ["a", "b", "c"]}),
            ),
            ("accounts", "account_id", pd.DataFrame({"account_id": [5, 5]})),
            ("campaigns", "campaign_id", pd.DataFrame({"campaign_id": ["C1", "C1", "C2"]})),
            (
                "activities",
                "activity_id",
                pd.DataFrame(
                    {
                        "activity_id": ["A1", "A1"],
                        "owner_id": ["R1", "R1"],
                        "type": ["call", "email"],
                        "occurred_at": pd.to_datetime(["2024-01-01", "2024-01-02"]),
                    }
                ),
            ),
        ],
    )
    def test_duplicated_ids(self, table, id_col, df):
        err = broken(table, df)
        assert err.column == id_col
        assert "unique" in err.rule
        assert err.n_failing == 2
        assert len(err.examples) == 1
        assert err.examples[0] in str(err)

    def test_close_date_before_created_at_for_closed_deals(self):
        df = opportunities().assign(
            close_date=[dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 1, 5), None],
            is_closed=[True, True, False, False],
            is_won=[True, False, False, False],
        )
        err = broken("opportunities", df)
        # O3 is open: an expected close date in the past is not this rule's business
        assert (err.column, err.n_failing, err.examples) == ("close_date", 1, ["O1"])
        assert "before created_at" in err.rule

    def test_converted_at_before_created_at(self):
        df = leads().assign(converted_at=pd.to_datetime([None, "2023-12-31", None]))
        err = broken("leads", df)
        assert (err.column, err.n_failing, err.examples) == ("converted_at", 1, ["L2"])

    @pytest.mark.parametrize(
        ("table", "column", "df"),
        [
            ("opportunities", "amount", opportunities().assign(amount=[1.0, -5.0, 3.0, 4.0])),
            (
                "quotas",
                "amount",
                pd.DataFrame(
                    {
                        "rep_id": ["R1", "R2"],
                        "period_start": [dt.date(2024, 1, 1)] * 2,
                        "period_end": [dt.date(2024, 3, 31)] * 2,
                        "amount": [100.0, -1.0],
                    }
                ),
            ),
            (
                "spend",
                "amount",
                pd.DataFrame(
                    {
                        "period_start": [dt.date(2024, 1, 1), dt.date(2024, 2, 1)],
                        "period_end": [dt.date(2024, 1, 31), dt.date(2024, 2, 29)],
                        "amount": [-10.0, 10.0],
                        "channel": ["ads", "events"],
                    }
                ),
            ),
            ("campaigns", "cost", pd.DataFrame({"campaign_id": ["C1", "C2"], "cost": [5.0, -2.0]})),
        ],
    )
    def test_negative_amounts(self, table, column, df):
        err = broken(table, df)
        assert (err.column, err.n_failing) == (column, 1)
        assert "negative" in err.rule
        assert len(err.examples) == 1

    def test_won_but_not_closed(self):
        df = opportunities().assign(is_closed=[False, True, True, True], close_date=pd.NaT)
        err = broken("opportunities", df)
        assert (err.column, err.n_failing, err.examples) == ("is_won", 1, ["O1"])
        assert "is_closed is false" in err.rule

    @pytest.mark.parametrize("table", ["quotas", "spend"])
    def test_period_end_before_period_start(self, table):
        df = pd.DataFrame(
            {
                "rep_id": ["R1", "R2"],
                "period_start": [dt.date(2024, 1, 1), dt.date(2024, 4, 1)],
                "period_end": [dt.date(2024, 3, 31), dt.date(2024, 3, 1)],
                "amount": [1.0, 2.0],
            }
        )
        err = broken(table, df)
        assert (err.column, err.n_failing) == ("period_end", 1)
        assert "2024-04-01" in err.examples[0]

    def test_activity_type_outside_vocabulary(self):
        df = pd.DataFrame(
            {
                "activity_id": ["A1", "A2", "A3"],
                "owner_id": ["R1"] * 3,
                "type": ["Call", "webinar", "sms"],
                "occurred_at": pd.to_datetime(["2024-01-01"] * 3),
            }
        )
        err = broken("activities", df)
        assert (err.column, err.n_failing, err.examples) == ("type", 2, ["A2", "A3"])
        assert "'webinar'" in str(err)

    def test_empty_table(self):
        err = broken("leads", leads().iloc[0:0])
        assert err.column is None
        assert "empty" in err.rule

    def test_all_problems_in_one_error(self):
        df = opportunities().assign(owner_id=["R1", None, "R3", "R4"], amount=[1.0, 2.0, -3.0, 4.0])
        err = broken("opportunities", df)
        assert err.column == "owner_id"  # nulls come before value rules
        assert [p.column for p in err.problems] == ["amount"]
        assert "also:" in str(err) and "O3" in str(err)

    def test_examples_limited_to_five(self):
        df = opportunities(n=10).assign(amount=-1.0)
        err = broken("opportunities", df)
        assert err.n_failing == 10
        assert len(err.examples) == 5
        assert err.examples == ["O1", "O10", "O2", "O3", "O4"]

    def test_campaign_members_need_a_unit_column(self):
        df = pd.DataFrame({"campaign_id": ["C1"], "variant": ["A"]})
        err = broken("campaign_members", df)
        assert err.column == "lead_id"
        assert "account_id" in err.rule


def test_null_ids_are_shown_by_their_other_values():
    """A null id cannot identify its row: the message describes the row instead of 'null'."""
    import pandas as pd

    from salesops_lib import DataValidationError, open_source

    df = pd.DataFrame(
        {
            "lead_id": ["L1", None, None],
            "created_at": ["2025-01-01", "2025-02-03", "2025-03-04"],
            "source": ["Referral", "Organic", None],
        }
    )
    with pytest.raises(DataValidationError) as info:
        open_source({"leads": df}).table("leads")
    msg = str(info.value)
    assert "`lead_id`" in msg and "2 rows fail" in msg
    assert "row with created_at=2025-02-03" in msg and "source=Organic" in msg
    assert "'null'" not in msg
