"""The scorecard on the demo warehouse (20,000 leads) against direct SQL counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pytest

from salesops_lib.analyses.kpis import sales_kpis
from salesops_lib.stats.survival import kaplan_meier

Q3 = ("2026-07-01", "2026-09-30")


@pytest.fixture(scope="module")
def res(demo_db: Path):
    return sales_kpis(
        demo_db,
        as_of="2026-09-30",
        grain="quarter",
        trend_periods=4,
        breakdown="team",
        gross_margin=0.8,
        monthly_churn=0.01,
        window_days=30,
    )


@pytest.fixture(scope="module")
def con(demo_db: Path):
    c = duckdb.connect(str(demo_db), read_only=True)
    yield c
    c.close()


def _v(res, key):
    return res.table.set_index("kpi").loc[key]


def _one(con, sql: str):
    return con.execute(sql).fetchone()


def test_period_and_complete_trend(res):
    assert res.period.label == "Q3 2026"
    assert [p.label for p in res.trend] == ["Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026"]
    # complete periods are compared with complete periods (no cut carried across months)
    assert all(p.end_eff == p.end for p in res.trend)
    assert res.last_year.label == "Q3 2025"


def test_deal_kpis_match_sql(res, con):
    closed, won, won_amt, closed_amt = _one(
        con,
        f"""
        select count(*), count(*) filter (where is_won), sum(amount) filter (where is_won),
               sum(amount)
        from opportunities where is_closed and close_date between '{Q3[0]}' and '{Q3[1]}'""",
    )
    assert _v(res, "win_rate").n == closed
    assert _v(res, "win_rate").value == pytest.approx(won / closed)
    assert _v(res, "win_rate_value").value == pytest.approx(won_amt / closed_amt)
    assert _v(res, "avg_deal_size").value == pytest.approx(won_amt / won)
    n, amt = _one(
        con,
        f"""select count(*), sum(amount) from opportunities
                          where created_at >= '{Q3[0]}' and created_at < '2026-10-01'""",
    )
    assert _v(res, "pipeline_created").value == pytest.approx(amt)
    assert _v(res, "pipeline_created").n == n
    assert res.header().n == closed and res.header().n_label == "closed deals"


def test_activity_rate_matches_sql(res, con):
    reps = con.execute("select rep_id, hired_at, left_at from reps").fetchall()
    days = {}
    for rep, hired, left in reps:
        lo = max(dt.date(2026, 7, 1), hired) if hired else dt.date(2026, 7, 1)
        hi = min(dt.date(2026, 9, 30), left) if left else dt.date(2026, 9, 30)
        d = int(np.busday_count(lo, hi + dt.timedelta(days=1))) if hi >= lo else 0
        if d:
            days[rep] = d
    calls = dict(
        con.execute(f"""select owner_id, count(*) from activities where type = 'call'
        and occurred_at >= '{Q3[0]}' and occurred_at < '2026-10-01' group by 1""").fetchall()
    )
    expected = sum(calls.get(r, 0) for r in days) / sum(days.values())
    assert _v(res, "calls_per_rep_day").value == pytest.approx(expected)
    assert _v(res, "calls_per_rep_day").n == len(days)


def test_response_within_24h_matches_sql(res, con):
    x, n = _one(
        con,
        f"""
        with l as (select lead_id, created_at from leads
                   where created_at >= '{Q3[0]}' and created_at < '2026-10-01'),
        f as (select l.lead_id, l.created_at, min(a.occurred_at) as first
              from l left join activities a on a.lead_id = l.lead_id
                   and a.occurred_at >= l.created_at and a.occurred_at <= '2026-09-30 23:59:59'
              group by all)
        select count(*) filter (where first <= created_at + interval 24 hour),
               count(*) filter (where first <= created_at + interval 24 hour
                                or created_at + interval 24 hour <= '2026-09-30 23:59:59')
        from f""",
    )
    v = _v(res, "contacted_24h")
    assert v.value == pytest.approx(x / n)
    assert v.n == n


def test_response_time_recovers_the_planted_distribution(res, demo_truth):
    """The demo plants first contacts (90% of leads, log-normal delay, median 3 h, weekends
    moved to Monday): the scorecard's Kaplan–Meier median over all leads and its shares
    contacted within 1 h / 24 h must cover the truth file's values (every lead's true delay,
    before any cut-off)."""
    truth = demo_truth["response_time"]
    med = _v(res, "response_median_hours")
    assert med.ci_low <= truth["median_hours_all_leads"] <= med.ci_high
    assert med.value == pytest.approx(truth["median_hours_all_leads"], rel=0.15)
    for key, want in (("contacted_1h", "share_within_1h"), ("contacted_24h", "share_within_24h")):
        v = _v(res, key)
        # the interval is Wilson at 95%: allow the 2.5% of departed owners' uncontacted leads
        assert v.ci_low - 0.02 <= truth[want] <= v.ci_high + 0.02, (key, v.value, truth[want])
    # 10% are never contacted: the true curve only approaches 10% (S(t) = 1 − 0.9·F(t)), so the
    # 90th percentile's interval has no upper end
    assert np.isnan(_v(res, "response_p90_hours").ci_high)


def test_mql_to_sql_matches_sql_when_every_window_elapsed(demo_db, con):
    r = sales_kpis(
        demo_db,
        as_of="2026-09-30",
        period_start="2026-01-01",
        period_end="2026-03-31",
        window_days=30,
        trend_periods=2,
    )
    conv, n = _one(
        con,
        """
        with m as (select lead_id, min(changed_at) t from lead_history where status = 'MQL'
                   group by 1 having min(changed_at) >= '2026-01-01'
                   and min(changed_at) < '2026-04-01'),
        s as (select m.lead_id, min(h.changed_at) ts from m join lead_history h
              on h.lead_id = m.lead_id and h.status = 'SQL' and h.changed_at >= m.t group by 1)
        select count(*) filter (where s.ts <= m.t + interval 30 day), count(*)
        from m left join s using (lead_id)""",
    )
    assert _v(r, "mql_to_sql").value == pytest.approx(conv / n)
    assert _v(r, "mql_to_sql").n == n


def test_sales_cycle_matches_unit_level_kaplan_meier(res, con):
    rows = con.execute(f"""select is_won and close_date <= '2026-09-30',
            case when is_won then close_date - created_at::date
                 else date '2026-09-30' - created_at::date end
        from opportunities where created_at >= '{Q3[0]}' and created_at < '2026-10-01'
        and not (is_closed and not is_won)""").fetchall()
    ev = np.array([r[0] for r in rows], dtype=bool)
    t = np.array([max(r[1], 0) for r in rows], dtype=float)
    med = kaplan_meier(t, ev).median()
    v = _v(res, "sales_cycle_days")
    assert (v.value, v.ci_low, v.ci_high) == pytest.approx(med)


def test_cac_matches_sql(res, con):
    spend = _one(
        con,
        f"""select sum(amount) from spend
                         where period_start >= '{Q3[0]}' and period_end <= '{Q3[1]}'""",
    )[0]
    new = _one(
        con,
        f"""select count(*) from (select account_id, min(close_date) f
        from opportunities where is_won and account_id is not null group by 1)
        where f between '{Q3[0]}' and '{Q3[1]}'""",
    )[0]
    assert _v(res, "cac_blended").value == pytest.approx(spend / new)
    assert _v(res, "cac_blended").n == new


def test_breakdown_adds_up(res):
    b = res.breakdown
    assert b["closed"].sum() == _v(res, "win_rate").n
    assert b["pipeline_created"].sum() == pytest.approx(_v(res, "pipeline_created").value)
    assert set(b["group"]) == {"Team North", "Team South", "Team East", "Team West"}


def test_report_surface_reads_well(res):
    text = " ".join(res.summary())
    assert "Q2 2026" in text and "%" in text
    assert res.headline().startswith("Sales KPIs, Q3 2026")
    assert len(res.cards().cards) == 6
    keys = [s.key for s in res.sections()]
    assert keys == ["scorecard", "trends", "changes", "breakdown"]
    assert res.plot("trends").figure is not None


def test_cac_recovers_the_planted_spend_rates(res, con, demo_truth):
    """Marketing spend is planted as leads × cost per lead (monthly log-normal noise, log-sd
    0.1), sales spend as active reps × (comp + tools) + outbound leads × the SDR cost: the
    scorecard's CAC parts times its customer count must give those back for Q3 2026."""
    t = demo_truth["spend"]
    by_source = dict(
        con.execute(
            f"""select source, count(*) from leads
                where created_at >= '{Q3[0]}' and created_at < '2026-10-01' group by 1"""
        ).fetchall()
    )
    marketing = sum(n * t["marketing_cost_per_lead"].get(s, 0.0) for s, n in by_source.items())
    per_rep = t["sales_comp_per_rep_month"] + t["sales_tools_per_rep_month"]
    rep_months = sum(
        _one(
            con,
            f"""select count(*) from reps where hired_at <= date '{mid}'
                and (left_at is null or left_at > date '{mid}')""",
        )[0]
        for mid in ("2026-07-15", "2026-08-15", "2026-09-15")
    )
    sales = rep_months * per_rep + by_source.get("Outbound", 0) * t["sdr_cost_per_outbound_lead"]
    n = _v(res, "cac_marketing").n
    # 18 channel-months of noise with log-sd 0.1: about 3% on the total, so 8% is > 2.5 sd
    assert _v(res, "cac_marketing").value * n == pytest.approx(marketing, rel=0.08)
    assert _v(res, "cac_sales").value * n == pytest.approx(sales, rel=0.03)


def test_close_date_slip_matches_sql_and_recovers_the_demo_truth(res, con, demo_truth):
    """Deals closed in Q3 after the close date expected at their creation (the first
    close_date in opportunity_history): equal to a direct SQL count, and covering the slip the
    generator made (every deal closed by the as-of time, from its own expected and real close)."""
    got = _v(res, "close_date_slip")
    n, slipped = con.execute(
        """
        with f as (
            select opportunity_id, close_date as exp0,
                   row_number() over (partition by opportunity_id order by changed_at) as rn
            from opportunity_history where close_date is not null)
        select count(*), sum(case when o.close_date > f.exp0 then 1 else 0 end)
        from opportunities o join f on f.opportunity_id = o.opportunity_id and f.rn = 1
        where o.is_closed and o.close_date between ? and ?
        """,
        list(Q3),
    ).fetchone()
    assert got.n == n and got.value == pytest.approx(slipped / n)
    truth = demo_truth["close_date_slip"]
    assert truth["n_closed"] > n and 0.2 < truth["share_slipped"] < 0.8
    assert got.ci_low - 0.02 <= truth["share_slipped"] <= got.ci_high + 0.02
