"""Each KPI of the sales scorecard against hand computations on small hand-built tables.

The tables (``_frames``) are small enough to compute every KPI on paper; the comments give the
arithmetic. Period: March 2026, data as of 30 April 2026.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import yaml
from statsmodels.duration.survfunc import SurvfuncRight

from salesops_lib import cli
from salesops_lib.analyses.kpis import KpiParams, default_period, sales_kpis
from salesops_lib.errors import DataValidationError, ParamsError
from salesops_lib.report import runner
from salesops_lib.stats.proportions import newcombe_diff_interval, wilson_interval

REPO = Path(__file__).resolve().parents[3]
TS = pd.Timestamp
D = dt.date
AS_OF = "2026-04-30"
MARCH = {"period_start": "2026-03-01", "period_end": "2026-03-31", "grain": "month"}


def _frames() -> dict[str, pd.DataFrame]:
    reps = pd.DataFrame(
        {
            "rep_id": ["R1", "R2", "R3"],
            "team": ["North", "South", "North"],
            "hired_at": [TS("2020-01-06"), TS("2026-03-16"), TS("2019-05-01")],
            "left_at": [pd.NaT, pd.NaT, TS("2026-02-10")],
        }
    )
    # March 2026: 22 weekdays; R2 hired 16 March: 12 weekdays; R3 left in February: 0
    acts = []

    def add(owner: str, typ: str, n: int, day: str, lead: str | None = None) -> None:
        for k in range(n):
            acts.append((owner, typ, TS(day) + pd.Timedelta(minutes=k), lead))

    add("R1", "call", 44, "2026-03-09 10:00")  # 44 calls / 22 days = 2 per day
    add("R2", "call", 12, "2026-03-17 10:00")  # 12 / 12 = 1 per day
    add("R3", "call", 9, "2026-03-18 10:00")  # R3 not employed in March: not counted
    add("R1", "email", 66, "2026-03-10 10:00")
    add("R1", "call", 10, "2026-02-10 10:00")  # February
    # first contacts of leads (lead_id)
    add("R1", "email", 1, "2026-03-02 09:30", "L1")  # 30 min after creation
    add("R1", "call", 1, "2026-03-04 10:00", "L2")  # exactly 24 h
    add("R1", "call", 1, "2026-03-10 09:00", "L3")  # 5 days = 120 h
    add("R1", "call", 1, "2026-03-19 09:00", "L5")  # the day *before* L5 was created
    activities = pd.DataFrame(acts, columns=["owner_id", "type", "occurred_at", "lead_id"])
    activities.insert(0, "activity_id", [f"T{i}" for i in range(len(activities))])
    leads = pd.DataFrame(
        {
            "lead_id": ["L1", "L2", "L3", "L4", "L5", "L0"],
            "created_at": [
                TS("2026-03-02 09:00"),
                TS("2026-03-03 10:00"),
                TS("2026-03-05 09:00"),
                TS("2026-04-29 23:00"),  # April: not in the period
                TS("2026-03-20 09:00"),  # never contacted after creation: censored at as-of
                TS("2026-02-27 09:00"),  # February
            ],
        }
    )
    lead_history = pd.DataFrame(
        [
            ("M1", "MQL", TS("2026-03-01 08:00")),
            ("M1", "SQL", TS("2026-03-10 08:00")),  # 9 days: converted
            ("M2", "MQL", TS("2026-03-02 08:00")),
            ("M2", "SQL", TS("2026-04-20 08:00")),  # 49 days: outside the 30-day window
            ("M3", "MQL", TS("2026-03-05 08:00")),
            ("M3", "Disqualified", TS("2026-03-06 08:00")),
            ("M4", "MQL", TS("2026-02-20 08:00")),  # February
            ("M4", "SQL", TS("2026-02-21 08:00")),
            ("M5", "mql", TS("2026-03-03 08:00")),  # statuses match case-insensitively
            ("M5", "MQL", TS("2026-03-04 08:00")),
        ],
        columns=["lead_id", "status", "changed_at"],
    )
    opps = pd.DataFrame(
        [
            # id, created, owner, closed, won, amount, close_date, account
            ("O1", "2026-02-01 10:00", "R1", True, True, 100.0, "2026-03-10", "A1"),
            ("O2", "2026-02-15 10:00", "R1", True, False, 50.0, "2026-03-20", "A3"),
            ("O3", "2026-03-01 10:00", "R1", True, True, 300.0, "2026-03-25", "A2"),
            ("O4", "2026-03-05 10:00", "R2", False, False, 200.0, "2026-05-30", "A4"),
            ("O5", "2026-03-08 10:00", "R2", True, False, 80.0, "2026-04-02", "A5"),
            ("O6", "2026-01-10 10:00", "R3", True, True, 120.0, "2026-02-20", "A1"),
            ("O7", "2026-03-20 10:00", "R1", True, True, 60.0, "2026-04-15", "A6"),
        ],
        columns=[
            "opportunity_id",
            "created_at",
            "owner_id",
            "is_closed",
            "is_won",
            "amount",
            "close_date",
            "account_id",
        ],
    )
    opps["created_at"] = pd.to_datetime(opps["created_at"])
    opps["close_date"] = pd.to_datetime(opps["close_date"]).dt.date
    opps["stage"] = np.where(
        opps.is_won, "Closed Won", np.where(opps.is_closed, "Closed Lost", "Open")
    )
    opps["currency"] = "usd"
    history = pd.DataFrame(
        [
            ("O1", "2026-02-01 10:00", "Prospecting", 100.0, "2026-03-15"),
            ("O2", "2026-02-15 10:00", "Prospecting", 50.0, "2026-04-10"),
            ("O3", "2026-03-01 10:00", "Prospecting", 300.0, "2026-03-31"),
            ("O4", "2026-03-05 10:00", "Prospecting", 150.0, "2026-03-28"),
            ("O4", "2026-04-05 10:00", "Proposal", 200.0, "2026-05-30"),
            ("O5", "2026-03-08 10:00", "Prospecting", 80.0, "2026-04-02"),
            ("O6", "2026-01-10 10:00", "Prospecting", 120.0, "2026-02-20"),
            ("O7", "2026-03-20 10:00", "Prospecting", 60.0, "2026-04-20"),
        ],
        columns=["opportunity_id", "changed_at", "stage", "amount", "close_date"],
    )
    history["changed_at"] = pd.to_datetime(history["changed_at"])
    history["close_date"] = pd.to_datetime(history["close_date"]).dt.date
    quotas = pd.DataFrame(
        {
            "rep_id": ["R1", "R2", "R1"],
            "period_start": [D(2026, 1, 1), D(2026, 3, 16), D(2025, 10, 1)],
            "period_end": [D(2026, 3, 31), D(2026, 3, 31), D(2025, 12, 31)],
            "amount": [900.0, 100.0, 900.0],
        }
    )
    spend = pd.DataFrame(
        {
            "period_start": [D(2026, 2, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 3, 1)],
            "period_end": [D(2026, 2, 28), D(2026, 2, 28), D(2026, 3, 31), D(2026, 3, 31)],
            "amount": [1000.0, 500.0, 1200.0, 600.0],
            "category": ["sales", "marketing", "Sales", "marketing"],
            "channel": ["Compensation", "Paid Search", "Compensation", "Paid Search"],
        }
    )
    return {
        "reps": reps,
        "activities": activities,
        "leads": leads,
        "lead_history": lead_history,
        "opportunities": opps,
        "opportunity_history": history,
        "quotas": quotas,
        "spend": spend,
    }


def _run(frames=None, **kw):
    args = {
        "as_of": AS_OF,
        **MARCH,
        "window_days": 30,
        "gross_margin": 0.8,
        "monthly_churn": 0.02,
        **kw,
    }
    return sales_kpis(frames if frames is not None else _frames(), **args)


@pytest.fixture(scope="module")
def res():
    return _run()


def _v(res, key):
    return res.table.set_index("kpi").loc[key]


def test_default_period_is_the_last_full_grain():
    assert default_period("2026-03-31", "month").label == "Mar 2026"
    assert default_period("2026-03-30", "month").label == "Feb 2026"
    # the as-of day counts as complete (the data ends then)
    assert default_period("2026-03-31 18:00", "month").label == "Mar 2026"
    assert default_period("2026-09-30", "quarter").label == "Q3 2026"
    w = default_period("2026-03-31", "week")  # Tuesday: the week of 23-29 March
    assert (w.start, w.end) == (D(2026, 3, 23), D(2026, 3, 29))


def test_activities_per_rep_day_reps_as_unit(res):
    calls = _v(res, "calls_per_rep_day")
    # R1: 44 calls + the first calls of L2, L3 and L5 = 47 over 22 days; R2: 12 over 12
    a, d = np.array([47.0, 12.0]), np.array([22.0, 12.0])
    assert calls.value == pytest.approx(59 / 34)
    assert calls.n == 2  # R3 had no selling day in March
    fit = sm.WLS(a / d, np.ones(2), weights=d).fit(cov_type="HC1", use_t=True)
    assert (calls.ci_low, calls.ci_high) == pytest.approx(tuple(fit.conf_int()[0]))
    assert _v(res, "emails_per_rep_day").value == pytest.approx(67 / 34)  # 66 + L1's email
    assert res.trend_frame().query("kpi == 'calls_per_rep_day'").value.iloc[-2] == pytest.approx(
        10 / 27  # February: R1 on 20 weekdays, R3 (left 10 Feb) on 7 weekdays, no activity
    )


def test_lead_response_time_kaplan_meier_by_hand(res):
    # minutes to first contact: L1 30, L2 1440, L3 7200 (events); L5 censored at as-of:
    # 30 Apr 23:59:59 - 20 Mar 09:00 = 41 d 14 h 59 m 59 s -> 998 whole hours = 59,880 min
    t = np.array([30, 1440, 7200, 59_880.0])
    e = np.array([1, 1, 1, 0])
    # S(30) = 3/4, S(1440) = 2/4, S(7200) = 1/4: the median is the first time with S <= 0.5
    # (R's survfit; statsmodels uses S < 0.5 and gives the next event time)
    sf = SurvfuncRight(t, e)
    med = _v(res, "response_median_hours")
    assert med.value == pytest.approx(1440 / 60)
    assert sf.quantile(0.5) == 7200
    assert med.n == 4
    # within 1 h: L1 of the 4 leads (all followed >= 1 h); within 24 h: L1, L2
    one = _v(res, "contacted_1h")
    assert one.value == pytest.approx(1 / 4)
    assert (one.ci_low, one.ci_high) == pytest.approx(wilson_interval(1, 4))
    assert _v(res, "contacted_24h").value == pytest.approx(2 / 4)
    # S never falls to 0.1: the 90th percentile is not reached, said so, never a number
    assert "90% of the period's leads" in res.not_available["response_p90_hours"]
    assert math.isnan(_v(res, "response_p90_hours").value)


def test_mql_to_sql_within_the_window(res):
    # MQLs in March: M1 (SQL after 9 days), M2 (SQL after 49 > 30 days), M3, M5 (first MQL 3
    # March): every window elapsed by 30 April, so KM at 30 days = 1 / 4
    v = _v(res, "mql_to_sql")
    assert v.value == pytest.approx(1 / 4)
    assert v.n == 4


def test_deal_kpis_by_hand(res):
    # closed in March: O1 won 100, O2 lost 50, O3 won 300
    wr = _v(res, "win_rate")
    assert wr.value == pytest.approx(2 / 3) and wr.n == 3
    assert (wr.ci_low, wr.ci_high) == pytest.approx(wilson_interval(2, 3))
    # February: O6 won -> 1 / 1; change with Newcombe's interval
    d, lo, hi = newcombe_diff_interval(2, 3, 1, 1)
    assert (wr.change, wr.change_ci_low, wr.change_ci_high) == pytest.approx((d, lo, hi))
    assert _v(res, "win_rate_value").value == pytest.approx(400 / 450)
    deal = _v(res, "avg_deal_size")
    assert deal.value == pytest.approx(200.0)
    half = 12.706204736174707 * np.std([100, 300], ddof=1) / math.sqrt(2)  # t(1), 97.5%
    assert (deal.ci_low, deal.ci_high) == pytest.approx((200 - half, 200 + half))
    assert _v(res, "acv").value == pytest.approx(200.0)
    assert "no contract term" in " ".join(res.tables()._repr_html_().split())


def test_acv_uses_the_contract_term_when_present():
    frames = _frames()
    frames["opportunities"]["contract_term_months"] = [24.0, 12.0, 36.0, 12.0, 12.0, 12.0, None]
    res = _run(frames)
    # O1: 100 * 12 / 24 = 50; O3: 300 * 12 / 36 = 100 -> mean 75
    assert _v(res, "acv").value == pytest.approx(75.0)
    assert _v(res, "avg_deal_size").value == pytest.approx(200.0)


def test_sales_cycle_kaplan_meier_lost_left_out(res):
    # created in March: O3 won after 24 days, O7 won after 26 days, O4 open (censored at
    # 30 Apr: 56 days), O5 lost (left out). S(24) = 2/3, S(26) = 1/3 -> median 26 days
    v = _v(res, "sales_cycle_days")
    sf = SurvfuncRight(np.array([24.0, 26.0, 56.0]), np.array([1, 1, 0]))
    assert v.value == pytest.approx(26.0) == pytest.approx(sf.quantile(0.5))
    assert v.n == 3


def test_pipeline_kpis_by_hand(res):
    created = _v(res, "pipeline_created")
    assert created.value == pytest.approx(300 + 200 + 80 + 60) and created.n == 4
    # open at the end of March: O4 at its amount then (150, history), O5 80, O7 60
    op = _v(res, "open_pipeline")
    assert op.value == pytest.approx(290.0) and op.n == 3
    # coverage at 1 March: open O1 (expected 15 Mar, 100) and O2 (expected 10 Apr: not in
    # March); quota of March: 900 * 31/90 + 100 = 410
    cov = _v(res, "pipeline_coverage")
    assert cov.value == pytest.approx(100 / (900 * 31 / 90 + 100))
    assert math.isnan(cov.ci_low)  # not a statistic
    # velocity: 4 created x 2/3 win rate x 200 average deal / 26 days
    assert _v(res, "sales_velocity").value == pytest.approx(4 * (2 / 3) * 200 / 26)


def test_efficiency_kpis_by_hand(res):
    # new customers in March: A2 only (A1 first won in February); spend March 1,200 + 600
    assert _v(res, "cac_blended").value == pytest.approx(1800.0)
    assert _v(res, "cac_blended").n == 1
    assert _v(res, "cac_sales").value == pytest.approx(1200.0)
    assert _v(res, "cac_marketing").value == pytest.approx(600.0)
    monthly = 300 / 12
    assert _v(res, "cac_payback_months").value == pytest.approx(1800 / (monthly * 0.8))
    assert _v(res, "ltv").value == pytest.approx(monthly * 0.8 / 0.02)
    assert _v(res, "ltv_to_cac").value == pytest.approx(monthly * 0.8 / 0.02 / 1800)
    assert bool(_v(res, "ltv").assumed)
    # new ARR in March (O1 100 + O3 300) over February's S&M spend (1,500)
    assert _v(res, "magic_number").value == pytest.approx(400 / 1500)
    # February's CAC: A1 new (O6), Feb spend 1,500
    assert _v(res, "cac_blended").previous == pytest.approx(1500.0)


def test_targets_and_results_json(res):
    r = _run(targets={"win_rate": 0.7})
    doc = r.to_results()
    wr = next(k for k in doc["kpis"] if k["kpi"] == "win_rate")
    assert wr["target"] == 0.7
    assert set(wr) >= {
        "kpi",
        "label",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "previous",
        "change",
        "change_ci_low",
        "change_ci_high",
        "last_year",
        "target",
        "unit",
        "definition",
        "formula",
        "available",
        "assumed",
    }
    assert doc["period"]["label"] == "Mar 2026" and doc["currency"] == "USD"
    assert "missed" in " ".join(r.summary())
    with pytest.raises(ParamsError, match="targets"):
        _run(targets={"win_rat": 0.7})


def test_missing_tables_are_listed_once_never_zero():
    frames = _frames()
    del frames["spend"]
    del frames["lead_history"]
    frames["activities"] = frames["activities"].drop(columns="lead_id")
    res = _run(frames)
    na = res.not_available
    assert na["cac_blended"] == "table `spend`" and na["magic_number"] == "table `spend`"
    assert na["mql_to_sql"] == "table `lead_history`"
    assert na["response_median_hours"] == "column `activities.lead_id`"
    doc = res.to_results()
    cac = next(k for k in doc["kpis"] if k["kpi"] == "cac_blended")
    assert cac["available"] is False and cac["value"] is None
    assert {d["kpi"] for d in doc["not_available"]} == set(na)
    assert all("cac" not in k for v in res.values.values() for k in v)
    html = res.tables()._repr_html_()
    assert html.count("table `spend`") == 1  # one line per missing need


def test_assumptions_missing_make_payback_and_ltv_not_available():
    res = _run(gross_margin=None, monthly_churn=None)
    assert "gross_margin" in res.not_available["cac_payback_months"]
    assert "monthly_churn" in res.not_available["ltv"] or "gross_margin" in res.not_available["ltv"]
    assert res.available("cac_blended")


def test_overlapping_spend_is_an_error():
    frames = _frames()
    extra = pd.DataFrame(
        {
            "period_start": [D(2026, 3, 15)],
            "period_end": [D(2026, 4, 15)],
            "amount": [10.0],
            "category": ["sales"],
            "channel": ["Compensation"],
        }
    )
    frames["spend"] = pd.concat([frames["spend"], extra], ignore_index=True)
    with pytest.raises(DataValidationError, match="spend") as info:
        _run(frames)
    assert "overlap" in str(info.value) and "Compensation" in str(info.value)


def test_quotas_missing_for_the_period_is_an_error():
    frames = _frames()
    frames["quotas"] = frames["quotas"].iloc[[2]]  # Q4 2025 only
    with pytest.raises(DataValidationError, match="quotas are missing for the period Mar 2026"):
        _run(frames)


def test_a_currency_mix_is_an_error():
    frames = _frames()
    frames["opportunities"].loc[2, "currency"] = "EUR"
    with pytest.raises(DataValidationError, match="one currency") as info:
        _run(frames)
    assert "EUR" in str(info.value) and "USD" in str(info.value)


def test_bad_breakdown_and_period():
    with pytest.raises(ParamsError, match="breakdown"):
        _run(breakdown="colour")
    with pytest.raises(ParamsError, match="period_start"):
        _run(period_start="2026-06-01", period_end="2026-06-30")


def test_breakdown_by_team(res):
    r = _run(breakdown="team")
    b = r.breakdown.set_index("group")
    assert b.loc["North", "win_rate"] == pytest.approx(2 / 3)  # O1, O2, O3 are R1's
    assert b.loc["South", "pipeline_created"] == pytest.approx(280.0)  # O4 + O5 (R2)
    assert b.loc["North", "calls"] == pytest.approx(47 / 22)


def _write_duckdb(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    con = ibis.duckdb.connect(str(path))
    for name, df in frames.items():
        con.create_table(name, ibis.memtable(df))
    con.disconnect()
    return path


def test_runner_exits_2_on_overlapping_spend(tmp_path, capsys, monkeypatch):
    frames = _frames()
    extra = pd.DataFrame(
        {
            "period_start": [D(2026, 3, 15)],
            "period_end": [D(2026, 4, 15)],
            "amount": [10.0],
            "category": ["marketing"],
            "channel": ["Paid Search"],
        }
    )
    frames["spend"] = pd.concat([frames["spend"], extra], ignore_index=True)
    db = _write_duckdb(frames, tmp_path / "bad.duckdb")
    params = yaml.safe_load((REPO / "params" / "sales_kpis.yaml").read_text())
    params.update(source=str(db), as_of=AS_OF, **MARCH, breakdown=None)
    path = tmp_path / "kpis_bad.yaml"
    path.write_text(yaml.safe_dump(params))
    monkeypatch.setattr(runner, "_execute", lambda job: pytest.fail("a kernel was started"))
    code = cli.main(
        [
            "run",
            "--params",
            str(path),
            "--out",
            str(tmp_path / "reports"),
            "--notebooks-dir",
            str(REPO / "notebooks"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "spend" in err and "overlap" in err and "Traceback" not in err
    assert not (tmp_path / "reports" / "kpis_bad.html").exists()


def test_params_model_checks_without_data():
    with pytest.raises(ParamsError, match="period_end"):
        KpiParams(title="x", period_start="2026-03-01")
    with pytest.raises(ParamsError, match="targets"):
        KpiParams.from_namespace({"title": "x", "targets": {"nope": 1}})
    assert duckdb  # the DuckDB file writer above uses it through ibis


def test_close_date_slip_by_hand_and_needs_expected_close_dates():
    """Slip = deals closed in the period after the close date expected at creation (first
    history row with a close_date), by hand on the small tables; without that history it is
    listed as not available, never 0."""
    frames = _frames()
    # one deal closed in the period slips: its first expected close date is moved earlier
    o = frames["opportunities"]
    per = _run(frames).period
    cd_all = pd.to_datetime(o["close_date"]).dt.date
    late_id = o.loc[o["is_closed"].astype(bool) & (cd_all >= per.start) & (cd_all <= per.end)]
    late_id = late_id["opportunity_id"].iloc[0]
    hist = frames["opportunity_history"].sort_values("changed_at").copy()
    row = hist.index[(hist["opportunity_id"] == late_id) & hist["close_date"].notna()][0]
    closes_on = cd_all[o["opportunity_id"] == late_id].iloc[0]
    hist.loc[row, "close_date"] = closes_on - dt.timedelta(days=5)
    frames["opportunity_history"] = hist
    res = _run(frames)
    h = frames["opportunity_history"].dropna(subset=["close_date"]).sort_values("changed_at")
    first = h.groupby("opportunity_id")["close_date"].first()
    o = frames["opportunities"]
    p = res.period
    closed = o[o["is_closed"].astype(bool)].copy()
    cd = pd.to_datetime(closed["close_date"]).dt.date
    closed = closed[(cd >= p.start) & (cd <= p.end)]
    exp0 = pd.to_datetime(closed["opportunity_id"].map(first)).dt.date
    have = exp0.notna()
    n = int(have.sum())
    slipped = int((pd.to_datetime(closed["close_date"]).dt.date[have] > exp0[have]).sum())
    assert n > 0 and 0 < slipped < n  # the small tables have both kinds
    v = _v(res, "close_date_slip")
    assert v.n == n and v.value == pytest.approx(slipped / n)
    del frames["opportunity_history"]
    na = _run(frames).not_available
    assert na["close_date_slip"].startswith("table `opportunity_history`")
