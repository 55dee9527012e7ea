"""Rules on time across tables (salesops_lib.data.timeline): future events, history before birth."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from salesops_lib.data.sources import open_source
from salesops_lib.data.timeline import FUTURE_TOLERANCE, HISTORY_TOLERANCE, future_cutoff
from salesops_lib.errors import DataValidationError
from salesops_lib.report import runner

REPO = Path(__file__).resolve().parents[2]


def _leads(*created: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(1, len(created) + 1)],
            "created_at": pd.to_datetime(list(created), format="ISO8601"),
        }
    )


def _history(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": [r[0] for r in rows],
            "status": [r[1] for r in rows],
            "changed_at": pd.to_datetime([r[2] for r in rows], format="ISO8601"),
        }
    )


def _opportunities(created: list[str]) -> pd.DataFrame:
    n = len(created)
    return pd.DataFrame(
        {
            "opportunity_id": [f"O{i}" for i in range(1, n + 1)],
            "created_at": pd.to_datetime(created),
            "owner_id": ["R1"] * n,
            "stage": ["Discovery"] * n,
            "is_closed": [False] * n,
            "is_won": [False] * n,
        }
    )


class TestHistoryBeforeCreation:
    def test_status_400_days_before_the_lead_is_an_error_naming_rows(self):
        src = open_source(
            {
                "leads": _leads("2025-03-01 10:00", "2025-03-02 10:00"),
                "lead_history": _history(
                    [
                        ("L1", "MQL", "2025-03-01 12:00"),
                        ("L2", "MQL", "2024-01-26 09:00"),  # 400 days before L2
                        ("L2", "SQL", "2025-03-05 09:00"),
                    ]
                ),
            }
        )
        src.table("leads")  # the entity table itself is fine
        with pytest.raises(DataValidationError) as info:
            src.table("lead_history")
        err = info.value
        assert (err.table, err.column, err.n_failing) == ("lead_history", "changed_at", 1)
        text = str(err)
        assert "L2" in text and "2024-01-26" in text and "leads.created_at" in text
        assert "How to fix:" in text and "time zones" in text
        # not cached as valid: asking again raises again
        with pytest.raises(DataValidationError):
            src.table("lead_history")

    def test_within_the_tolerance_is_accepted(self):
        early = pd.Timestamp("2025-03-01 10:00") - HISTORY_TOLERANCE + pd.Timedelta(minutes=5)
        src = open_source(
            {
                "leads": _leads("2025-03-01 10:00"),
                "lead_history": _history([("L1", "MQL", str(early))]),
            }
        )
        assert src.table("lead_history").count().execute() == 1

    def test_stage_change_before_the_deal_is_an_error(self):
        hist = pd.DataFrame(
            {
                "opportunity_id": ["O1", "O2"],
                "changed_at": pd.to_datetime(["2025-05-01", "2025-01-01"]),
                "stage": ["Discovery", "Discovery"],
            }
        )
        src = open_source(
            {
                "opportunities": _opportunities(["2025-05-01", "2025-05-01"]),
                "opportunity_history": hist,
            }
        )
        with pytest.raises(DataValidationError) as info:
            src.table("opportunity_history")
        assert info.value.table == "opportunity_history"
        assert info.value.column == "changed_at"
        assert "O2" in str(info.value) and "opportunities.created_at" in str(info.value)

    def test_history_without_its_entity_table_is_not_checked(self):
        src = open_source({"lead_history": _history([("L1", "MQL", "2025-01-01")])})
        assert src.table("lead_history").count().execute() == 1


class TestFutureEvents:
    def test_a_lead_created_in_2099_is_an_error_naming_leads_created_at(self):
        src = open_source({"leads": _leads("2025-01-01", "2025-02-01", "2099-01-01")})
        with pytest.raises(DataValidationError) as info:
            src.table("leads")
        err = info.value
        assert (err.table, err.column, err.n_failing) == ("leads", "created_at", 1)
        assert "L3" in str(err) and "2099-01-01" in str(err) and "future" in str(err)

    def test_the_default_as_of_ignores_and_reports_future_rows(self, caplog):
        src = open_source({"leads": _leads("2025-01-01", "2025-02-01 08:00", "2099-01-01")})
        with caplog.at_level("WARNING", logger="salesops.data"):
            assert src.as_of == pd.Timestamp("2025-02-01 08:00")
        assert src.future_rows == {"leads.created_at": 1}
        assert "leads.created_at" in caplog.text

    def test_a_closed_deal_closing_in_2099_does_not_move_as_of(self):
        opps = _opportunities(["2025-01-01", "2025-01-02"])
        opps["is_closed"] = True
        opps["close_date"] = [pd.Timestamp("2025-02-01").date(), pd.Timestamp("2099-01-01").date()]
        src = open_source({"opportunities": opps})
        assert src.last_record() == pd.Timestamp("2025-02-01 23:59:59")

    def test_within_the_tolerance_and_planned_rep_dates_are_accepted(self):
        soon = future_cutoff() - pd.Timedelta(minutes=5)
        assert FUTURE_TOLERANCE >= pd.Timedelta(hours=1)
        reps = pd.DataFrame(
            {"rep_id": ["R1"], "hired_at": pd.to_datetime(["2099-01-01"]), "left_at": [soon]}
        )
        src = open_source({"leads": _leads("2025-01-01", str(soon)), "reps": reps})
        assert src.table("leads").count().execute() == 2
        assert src.table("reps").count().execute() == 1

    def test_report_default_period_is_not_moved_and_error_names_leads(
        self, demo_db, tmp_path, monkeypatch
    ):
        db = tmp_path / "future.duckdb"
        shutil.copy(demo_db, db)
        with duckdb.connect(str(db)) as con:
            con.execute(
                "INSERT INTO leads (lead_id, created_at) VALUES ('L_2099', TIMESTAMP '2099-01-01')"
            )
        params = yaml.safe_load((REPO / "params" / "funnel_analysis.yaml").read_text())
        for key in ("as_of", "period_start", "period_end"):
            params.pop(key, None)  # the defaults come from the data's last record
        params["source"] = str(db)
        monkeypatch.setattr(runner, "_execute", lambda job: pytest.fail("a kernel was started"))
        with pytest.raises(DataValidationError) as info:
            runner.run_report(
                None,
                params,
                out_dir=tmp_path / "reports",
                notebooks_dir=REPO / "notebooks",
                update_index=False,
            )
        text = str(info.value)
        assert "table `leads`, column `created_at`" in text and "L_2099" in text
        assert "period_start" not in text
        assert open_source(db).as_of.year < 2099
