"""Tests of the demo warehouse generator (salesops_lib.data.demo)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from salesops_lib.data.demo import DEMO_TABLES, DemoSummary, generate_demo

N_LEADS = 4_000

# the canonical columns of ../shared/DATA_MODEL.md, in order
EXPECTED_COLUMNS = {
    "leads": [
        "lead_id", "created_at", "owner_id", "source", "segment", "region", "territory",
        "status", "converted_at", "opportunity_id", "account_id",
    ],
    "lead_history": ["lead_id", "status", "changed_at"],
    "opportunities": [
        "opportunity_id", "created_at", "owner_id", "stage", "is_closed", "is_won", "amount",
        "close_date", "account_id", "lead_id", "product", "segment", "region", "territory",
        "source", "campaign_id", "forecast_category",
    ],
    "opportunity_history": ["opportunity_id", "changed_at", "stage", "amount", "close_date"],
    "activities": [
        "activity_id", "owner_id", "type", "occurred_at", "lead_id", "opportunity_id",
        "account_id", "duration_s", "outcome",
    ],
    "reps": [
        "rep_id", "name", "team", "manager", "region", "territory", "role", "hired_at", "left_at",
    ],
    "quotas": ["rep_id", "period_start", "period_end", "amount"],
    "accounts": ["account_id", "name", "industry", "employees", "revenue", "region", "territory"],
    "campaigns": ["campaign_id", "name", "type", "start_date", "end_date", "cost"],
    "campaign_members": [
        "campaign_id", "lead_id", "variant", "assigned_at", "pre_period_value", "responded_at",
    ],
    "spend": ["period_start", "period_end", "amount", "category", "channel"],
}  # fmt: skip

TRUTH_KEYS = {
    "seed", "n_leads", "start", "as_of", "lead_funnel", "opportunity_funnel", "experiment",
    "reps", "top_reps", "bottom_reps", "territories", "seasonality", "stage_days",
}  # fmt: skip


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, DemoSummary]:
    out = tmp_path_factory.mktemp("demo_small") / "warehouse" / "demo.duckdb"
    return out, generate_demo(out, seed=11, leads=N_LEADS)


@pytest.fixture(scope="module")
def con(small):
    c = duckdb.connect(str(small[0]), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def truth(small) -> dict:
    return json.loads(small[1].truth_path.read_text())


@pytest.fixture(scope="module")
def big(demo_db, demo_truth) -> tuple[duckdb.DuckDBPyConnection, dict]:
    """The session's 20,000-lead warehouse (seed 7): the size the planted effects must show at."""
    c = duckdb.connect(str(demo_db), read_only=True)
    yield c, demo_truth
    c.close()


def scalar(con, sql: str):
    return con.execute(sql).fetchone()[0]


# ---------------------------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------------------------


class TestStructure:
    def test_summary_and_files(self, small):
        out, summary = small
        assert summary.path == out and out.is_file()
        assert summary.truth_path == out.with_suffix(".truth.json")
        assert summary.truth_path.is_file()
        assert not out.with_name(out.name + ".tmp").exists()
        assert summary.rows["leads"] == N_LEADS
        assert summary.as_of == pd.Timestamp("2026-09-30 23:59:59")
        assert set(summary.rows) == set(DEMO_TABLES)
        assert all(n > 0 for n in summary.rows.values())
        assert list(summary.to_frame().columns) == ["table", "rows"]

    def test_every_table_has_the_canonical_columns(self, con):
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        assert tables == set(EXPECTED_COLUMNS)
        for table, cols in EXPECTED_COLUMNS.items():
            got = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            assert got == cols, table

    def test_types(self, con):
        types = {
            (t, c): ty
            for t, c, ty in con.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns"
            ).fetchall()
        }
        assert types[("leads", "created_at")] == "TIMESTAMP"
        assert types[("leads", "lead_id")] == "VARCHAR"
        assert types[("opportunities", "close_date")] == "DATE"
        assert types[("opportunities", "is_won")] == "BOOLEAN"
        assert types[("opportunities", "amount")] == "DOUBLE"
        assert types[("quotas", "period_start")] == "DATE"
        assert types[("campaign_members", "pre_period_value")] == "DOUBLE"

    @pytest.mark.parametrize(
        ("table", "col", "pattern"),
        [
            ("leads", "lead_id", r"^L\d{7}$"),
            ("opportunities", "opportunity_id", r"^O\d{7}$"),
            ("reps", "rep_id", r"^R\d{3}$"),
            ("accounts", "account_id", r"^A\d{5}$"),
            ("activities", "activity_id", r"^[TF]\d{8}$"),  # F: the planted first contacts
        ],
    )
    def test_ids_unique_and_prefixed(self, con, table, col, pattern):
        n, n_distinct, n_bad = con.execute(
            f"SELECT count(*), count(DISTINCT {col}), "
            f"count(*) FILTER (WHERE NOT regexp_matches({col}, '{pattern}')) FROM {table}"
        ).fetchone()
        assert n == n_distinct and n_bad == 0

    def test_campaign_ids(self, con):
        ids = {r[0] for r in con.execute("SELECT campaign_id FROM campaigns").fetchall()}
        assert "C_AB_MQL_SLA" in ids
        assert {i for i in ids if i != "C_AB_MQL_SLA"} == {f"C{i:03d}" for i in range(1, 9)}

    def test_vocabularies(self, con):
        def values(sql):
            return {r[0] for r in con.execute(sql).fetchall()}

        assert values("SELECT DISTINCT status FROM lead_history") == {
            "MQL", "SQL", "Disqualified", "Nurture"
        }  # fmt: skip
        assert values("SELECT DISTINCT source FROM leads") == {
            "Paid Search", "Organic", "Referral", "Events", "Outbound", "Partner", "Social"
        }  # fmt: skip
        assert values("SELECT DISTINCT segment FROM leads") == {"SMB", "Mid-Market", "Enterprise"}
        assert values("SELECT DISTINCT stage FROM opportunity_history") == {
            "Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"
        }  # fmt: skip
        assert values("SELECT DISTINCT team FROM reps") == {
            "Team North", "Team South", "Team East", "Team West"
        }  # fmt: skip
        assert values("SELECT DISTINCT region FROM reps") == {"NA", "EMEA", "APAC"}
        assert values("SELECT DISTINCT forecast_category FROM opportunities") <= {
            "Pipeline", "Best Case", "Commit", "Closed", "Omitted"
        }  # fmt: skip
        assert values("SELECT DISTINCT type FROM activities") == {"call", "email", "meeting"}
        assert values("SELECT DISTINCT category FROM spend") == {"sales", "marketing"}
        assert values(
            "SELECT DISTINCT variant FROM campaign_members WHERE campaign_id = 'C_AB_MQL_SLA'"
        ) == {"control", "fast_followup", "sequence_b"}

    def test_reps_shape(self, con):
        n, n_mgr, n_left, n_hired_in = con.execute(
            "SELECT count(*), count(DISTINCT manager), count(left_at), "
            "count(*) FILTER (WHERE hired_at >= DATE '2024-10-01') FROM reps"
        ).fetchone()
        assert n == 25 and n_mgr == 4
        assert n_left == 2 and n_hired_in == 3
        # territories look like NA-East and match the region
        bad = scalar(
            con, "SELECT count(*) FROM reps WHERE NOT starts_with(territory, region || '-')"
        )
        assert bad == 0


# ---------------------------------------------------------------------------------------------
# Internal consistency
# ---------------------------------------------------------------------------------------------


AS_OF = "TIMESTAMP '2026-09-30 23:59:59'"

NO_VIOLATIONS = {
    "won implies closed": "SELECT count(*) FROM opportunities WHERE is_won AND NOT is_closed",
    "close_date >= created_at": (
        "SELECT count(*) FROM opportunities WHERE close_date < CAST(created_at AS DATE)"
    ),
    "converted_at >= created_at": "SELECT count(*) FROM leads WHERE converted_at < created_at",
    "lead owners exist": "SELECT count(*) FROM leads WHERE owner_id NOT IN (SELECT rep_id FROM "
    "reps)",
    "opp owners exist": (
        "SELECT count(*) FROM opportunities WHERE owner_id NOT IN (SELECT rep_id FROM reps)"
    ),
    "activity owners exist": (
        "SELECT count(*) FROM activities WHERE owner_id NOT IN (SELECT rep_id FROM reps)"
    ),
    "quota reps exist": "SELECT count(*) FROM quotas WHERE rep_id NOT IN (SELECT rep_id FROM reps)",
    "lead accounts exist": (
        "SELECT count(*) FROM leads WHERE account_id NOT IN (SELECT account_id FROM accounts)"
    ),
    "converted lead has its opportunity": (
        "SELECT count(*) FROM leads l LEFT JOIN opportunities o USING (opportunity_id) "
        "WHERE l.converted_at IS NOT NULL AND (o.lead_id IS DISTINCT FROM l.lead_id "
        "OR o.created_at <> l.converted_at)"
    ),
    "opportunity has a converted lead": (
        "SELECT count(*) FROM opportunities o LEFT JOIN leads l USING (lead_id) "
        "WHERE l.opportunity_id IS DISTINCT FROM o.opportunity_id"
    ),
    "converted leads have status Converted": (
        "SELECT count(*) FROM leads WHERE (converted_at IS NOT NULL) <> (status = 'Converted')"
    ),
    "history rows belong to leads": (
        "SELECT count(*) FROM lead_history WHERE lead_id NOT IN (SELECT lead_id FROM leads)"
    ),
    "lead history after creation": (
        "SELECT count(*) FROM lead_history h JOIN leads l USING (lead_id) WHERE h.changed_at < "
        "l.created_at"
    ),
    "SQL before conversion": (
        "SELECT count(*) FROM leads l JOIN lead_history h USING (lead_id) "
        "WHERE h.status = 'SQL' AND h.changed_at > l.converted_at"
    ),
    "every converted lead reached SQL": (
        "SELECT count(*) FROM leads l WHERE converted_at IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM lead_history h WHERE h.lead_id = l.lead_id AND h.status = 'SQL')"
    ),
    "opp history starts at creation in Prospecting": (
        "SELECT count(*) FROM opportunities o JOIN (SELECT opportunity_id, "
        "arg_min(stage, changed_at) AS s, min(changed_at) AS t FROM opportunity_history "
        "GROUP BY ALL) h USING (opportunity_id) WHERE h.s <> 'Prospecting' OR h.t <> o.created_at"
    ),
    "opp current stage is the last history row": (
        "SELECT count(*) FROM opportunities o JOIN (SELECT opportunity_id, "
        "arg_max(stage, changed_at) AS s, arg_max(amount, changed_at) AS a FROM "
        "opportunity_history "
        "GROUP BY ALL) h USING (opportunity_id) WHERE h.s <> o.stage OR h.a <> o.amount"
    ),
    "closed flags match stage": (
        "SELECT count(*) FROM opportunities WHERE is_closed <> (stage IN ('Closed Won', 'Closed "
        "Lost')) "
        "OR is_won <> (stage = 'Closed Won')"
    ),
    "closed deals closed by as_of, open deals expected later": (
        f"SELECT count(*) FROM opportunities WHERE (is_closed AND close_date > CAST({AS_OF} AS "
        "DATE)) "
        f"OR (NOT is_closed AND close_date <= CAST({AS_OF} AS DATE))"
    ),
    "positive amounts": "SELECT count(*) FROM opportunities WHERE amount <= 0 OR amount IS NULL",
    "no activities at weekends": "SELECT count(*) FROM activities WHERE dayofweek(occurred_at) IN "
    "(0, 6)",
    "no activities outside employment": (
        "SELECT count(*) FROM activities a JOIN reps r ON a.owner_id = r.rep_id "
        "WHERE CAST(a.occurred_at AS DATE) < r.hired_at OR CAST(a.occurred_at AS DATE) >= r.left_at"
    ),
    "activity lead owned by the rep": (
        "SELECT count(*) FROM activities a JOIN leads l USING (lead_id) "
        "WHERE a.opportunity_id IS NULL AND (l.owner_id <> a.owner_id OR l.created_at > "
        "a.occurred_at)"
    ),
    "meetings only on open deals": (
        "SELECT count(*) FROM activities a JOIN opportunities o USING (opportunity_id) "
        "WHERE a.occurred_at < o.created_at OR (o.is_closed AND a.occurred_at > CAST(o.close_date "
        "AS TIMESTAMP) + INTERVAL 1 DAY)"
    ),
    "leads created in the period": (
        "SELECT count(*) FROM leads WHERE created_at < TIMESTAMP '2024-10-01'"
    ),
    "quota periods ordered": "SELECT count(*) FROM quotas WHERE period_end < period_start OR "
    "amount <= 0",
    "spend periods ordered": "SELECT count(*) FROM spend WHERE period_end < period_start OR amount "
    "< 0",
    "campaign members exist": (
        "SELECT count(*) FROM campaign_members WHERE lead_id NOT IN (SELECT lead_id FROM leads) "
        "OR campaign_id NOT IN (SELECT campaign_id FROM campaigns)"
    ),
    "responded after assignment": (
        "SELECT count(*) FROM campaign_members WHERE responded_at < assigned_at"
    ),
}


@pytest.mark.parametrize("rule", sorted(NO_VIOLATIONS))
def test_consistency(con, rule):
    assert scalar(con, NO_VIOLATIONS[rule]) == 0, rule


def test_nothing_after_as_of(con):
    checks = [
        ("leads", "created_at"), ("leads", "converted_at"), ("lead_history", "changed_at"),
        ("opportunities", "created_at"), ("opportunity_history", "changed_at"),
        ("activities", "occurred_at"), ("campaign_members", "assigned_at"),
        ("campaign_members", "responded_at"),
    ]  # fmt: skip
    for table, col in checks:
        assert scalar(con, f"SELECT count(*) FROM {table} WHERE {col} > {AS_OF}") == 0, (table, col)
    for table, col in [
        ("quotas", "period_end"),
        ("spend", "period_end"),
        ("campaigns", "end_date"),
    ]:
        assert scalar(con, f"SELECT count(*) FROM {table} WHERE {col} > DATE '2026-09-30'") == 0


def test_histories_strictly_ordered(con):
    for table, key in [("lead_history", "lead_id"), ("opportunity_history", "opportunity_id")]:
        bad = scalar(
            con,
            f"SELECT count(*) FROM (SELECT changed_at - lag(changed_at) OVER "
            f"(PARTITION BY {key} ORDER BY changed_at) AS d FROM {table}) WHERE d <= INTERVAL 0 "
            "SECOND",
        )
        assert bad == 0, table
    # opportunity stages only move forward, in the canonical order
    bad = scalar(
        con,
        "WITH h AS (SELECT opportunity_id, changed_at, list_position(['Prospecting', "
        "'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'], stage) AS k "
        "FROM opportunity_history) SELECT count(*) FROM (SELECT k - lag(k) OVER "
        "(PARTITION BY opportunity_id ORDER BY changed_at) AS d, k FROM h) "
        "WHERE d <> 1 AND NOT (k = 6 AND d >= 1)",
    )
    assert bad == 0


def test_lead_history_has_skips_and_backward_moves(con):
    skipped = scalar(
        con,
        "SELECT count(*) FROM lead_history s WHERE s.status = 'SQL' AND NOT EXISTS (SELECT 1 "
        "FROM lead_history m WHERE m.lead_id = s.lead_id AND m.status = 'MQL' AND m.changed_at < "
        "s.changed_at)",
    )
    backward = scalar(
        con,
        "SELECT count(*) FROM lead_history m JOIN lead_history s USING (lead_id) "
        "WHERE m.status = 'MQL' AND s.status = 'SQL' AND m.changed_at > s.changed_at",
    )
    assert skipped > 0 and backward > 0


def test_open_and_closed_deals(con):
    n_open, n_won, n_lost = con.execute(
        "SELECT count(*) FILTER (WHERE NOT is_closed), count(*) FILTER (WHERE is_won), "
        "count(*) FILTER (WHERE is_closed AND NOT is_won) FROM opportunities"
    ).fetchone()
    assert n_open > 0 and n_won > 0 and n_lost > n_won


# ---------------------------------------------------------------------------------------------
# Determinism and chunking
# ---------------------------------------------------------------------------------------------


def _dump(path: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(path), read_only=True) as c:
        return {t: c.execute(f"SELECT * FROM {t}").df() for t in DEMO_TABLES}


def test_same_seed_same_output_different_seed_different(tmp_path):
    a = generate_demo(tmp_path / "a.duckdb", seed=3, leads=600, chunk_size=250)
    b = generate_demo(tmp_path / "b.duckdb", seed=3, leads=600, chunk_size=250)
    c = generate_demo(tmp_path / "c.duckdb", seed=4, leads=600, chunk_size=250)
    da, db, dc = _dump(a.path), _dump(b.path), _dump(c.path)
    for t in DEMO_TABLES:
        pd.testing.assert_frame_equal(da[t], db[t])
    assert a.truth_path.read_text() == b.truth_path.read_text()
    assert not da["leads"].equals(dc["leads"])
    assert a.truth_path.read_text() != c.truth_path.read_text()


def test_overwrites_existing_file(tmp_path):
    out = tmp_path / "demo.duckdb"
    out.write_text("not a database")
    summary = generate_demo(out, seed=1, leads=300)
    with duckdb.connect(str(out), read_only=True) as c:
        assert c.execute("SELECT count(*) FROM leads").fetchone()[0] == 300
    assert summary.rows["leads"] == 300


def test_small_chunks_give_valid_data(tmp_path):
    out = tmp_path / "chunked.duckdb"
    summary = generate_demo(out, seed=5, leads=1_500, chunk_size=200)
    assert summary.rows["leads"] == 1_500
    with duckdb.connect(str(out), read_only=True) as c:
        for rule, sql in NO_VIOLATIONS.items():
            assert scalar(c, sql) == 0, rule
        for t, k in [("leads", "lead_id"), ("opportunities", "opportunity_id"),
                     ("activities", "activity_id")]:  # fmt: skip
            assert scalar(c, f"SELECT count(*) - count(DISTINCT {k}) FROM {t}") == 0
        # chunks are whole days: lead ids follow creation time across chunks
        assert (
            scalar(
                c,
                "SELECT count(*) FROM (SELECT created_at < lag(created_at) OVER (ORDER BY lead_id) "
                "AS back FROM leads) WHERE back",
            )
            == 0
        )
        # activities are linked to leads across chunk boundaries too
        assert scalar(c, "SELECT count(lead_id) FROM activities") > 0


@pytest.mark.parametrize("kwargs", [{"leads": 10}, {"reps": 5}, {"months": 6}, {"chunk_size": 10}])
def test_rejects_bad_inputs(tmp_path, kwargs):
    with pytest.raises(ValueError):
        generate_demo(tmp_path / "x.duckdb", **kwargs)


# ---------------------------------------------------------------------------------------------
# Truth file
# ---------------------------------------------------------------------------------------------


class TestTruth:
    def test_keys(self, truth):
        assert TRUTH_KEYS <= set(truth)
        assert truth["seed"] == 11 and truth["n_leads"] == N_LEADS
        assert truth["start"] == "2024-10-01" and truth["as_of"] == "2026-09-30T23:59:59"
        lf = truth["lead_funnel"]
        assert lf["stages"] == ["created", "MQL", "SQL", "opportunity", "won"]
        assert set(lf["source_step_rates"]) == {
            "Paid Search", "Organic", "Referral", "Events", "Outbound", "Partner", "Social"
        }  # fmt: skip
        for rates in lf["source_step_rates"].values():
            assert list(rates) == [
                "created->MQL",
                "MQL->SQL",
                "SQL->opportunity",
                "opportunity->won",
            ]
            assert all(0 < v < 1 for v in rates.values())
        assert lf["bottleneck_step"] == "MQL->SQL"
        assert lf["best_source"] == "Referral" and lf["worst_source"] == "Paid Search"
        of = truth["opportunity_funnel"]
        assert of["stages"] == ["Prospecting", "Qualification", "Proposal", "Negotiation", "won"]
        assert list(of["step_rates"]) == [
            "Prospecting->Qualification", "Qualification->Proposal", "Proposal->Negotiation",
            "Negotiation->won",
        ]  # fmt: skip
        assert of["bottleneck_step"] == "Proposal->Negotiation"
        assert min(of["step_rates"], key=of["step_rates"].get) == "Proposal->Negotiation"
        ex = truth["experiment"]
        assert ex["campaign_id"] == "C_AB_MQL_SLA" and ex["control"] == "control"
        assert ex["window_days"] == 30 and ex["outcome_stage"] == "SQL"
        assert ex["planned_split"] == {
            "control": 0.3333,
            "fast_followup": 0.3333,
            "sequence_b": 0.3334,
        }
        assert ex["true_rates"] == {"control": 0.3, "fast_followup": 0.36, "sequence_b": 0.3}
        assert ex["true_abs_lift"] == {"fast_followup": 0.06, "sequence_b": 0.0}
        assert isinstance(ex["n_multi_assigned"], int)
        assert len(truth["reps"]) == 25
        for rep in truth["reps"].values():
            assert {"team", "territory", "skill", "true_win_rate", "hired_at"} <= set(rep)
        assert len(truth["top_reps"]) == 2 and len(truth["bottom_reps"]) == 2
        assert truth["territories"]["overloaded"] == "EMEA-South"
        assert truth["territories"]["lead_weight"]["EMEA-South"] == 2.5
        assert truth["territories"]["lead_weight"]["NA-East"] == 1.0
        assert set(truth["seasonality"]["month_multiplier"]) == {str(m) for m in range(1, 13)}
        assert {"median_days_MQL_to_SQL", "median_days_created_to_won"} <= set(truth["stage_days"])
        assert 5 <= truth["stage_days"]["median_days_MQL_to_SQL"] <= 14

    def test_top_and_bottom_reps_are_the_extremes(self, truth):
        skill = {r: v["skill"] for r, v in truth["reps"].items()}
        ranked = sorted(skill, key=skill.get)
        assert set(truth["bottom_reps"]) == set(ranked[:2])
        assert set(truth["top_reps"]) == set(ranked[-2:])
        win = {r: v["true_win_rate"] for r, v in truth["reps"].items()}
        assert min(win[r] for r in truth["top_reps"]) > 0.4
        assert max(win[r] for r in truth["bottom_reps"]) < 0.2

    def test_reps_in_truth_match_table(self, con, truth):
        reps = con.execute(
            "SELECT rep_id, team, territory, CAST(hired_at AS VARCHAR) FROM reps"
        ).fetchall()
        for rep_id, team, terr, hired in reps:
            t = truth["reps"][rep_id]
            assert (t["team"], t["territory"], t["hired_at"]) == (team, terr, hired)


# ---------------------------------------------------------------------------------------------
# Planted effects are visible in the raw data (20,000 leads)
# ---------------------------------------------------------------------------------------------


def _reached(con, stage: str) -> str:
    """SQL for the set of leads that reached ``stage`` (or any later stage)."""
    conv = "SELECT lead_id FROM leads WHERE converted_at IS NOT NULL"
    if stage == "SQL":
        return f"SELECT lead_id FROM lead_history WHERE status = 'SQL' UNION {conv}"
    return f"SELECT lead_id FROM lead_history WHERE status IN ('MQL', 'SQL') UNION {conv}"


class TestPlantedEffects:
    def test_source_mql_to_sql_and_truth_agree(self, big):
        con, truth = big
        # all leads but the last month's (truth rates average over the whole period, whose
        # MQL -> SQL rate is higher inside the experiment window)
        df = (
            con.execute(
                f"""
            WITH l AS (SELECT * FROM leads WHERE created_at < TIMESTAMP '2026-09-01'),
                 m AS ({_reached(con, "MQL")}), s AS ({_reached(con, "SQL")})
            SELECT source, count(*) FILTER (WHERE lead_id IN (SELECT lead_id FROM s)) AS sql,
                   count(*) AS mql
            FROM l WHERE lead_id IN (SELECT lead_id FROM m) GROUP BY source
            """
            )
            .df()
            .set_index("source")
        )
        rate = df["sql"] / df["mql"]
        assert rate["Referral"] > 1.6 * rate["Paid Search"]
        true = truth["lead_funnel"]["source_step_rates"]
        for src, r in rate.items():
            se = (true[src]["MQL->SQL"] * (1 - true[src]["MQL->SQL"]) / df.loc[src, "mql"]) ** 0.5
            assert abs(r - true[src]["MQL->SQL"]) < 4 * se + 0.01, src

    def test_created_to_mql_matches_truth(self, big):
        con, truth = big
        df = (
            con.execute(
                f"SELECT source, avg((lead_id IN ({_reached(con, 'MQL')}))::INT) AS r, count(*) AS "
                "n "
                "FROM leads WHERE created_at < TIMESTAMP '2026-09-01' GROUP BY source"
            )
            .df()
            .set_index("source")
        )
        for src, row in df.iterrows():
            p = truth["lead_funnel"]["source_step_rates"][src]["created->MQL"]
            assert abs(row["r"] - p) < 4 * (p * (1 - p) / row["n"]) ** 0.5 + 0.005, src

    def test_top_reps_win_more(self, big):
        con, truth = big
        win = (
            con.execute(
                "SELECT owner_id, avg(is_won::INT) AS w, count(*) AS n FROM opportunities "
                "WHERE is_closed GROUP BY owner_id"
            )
            .df()
            .set_index("owner_id")
        )
        top = win.loc[truth["top_reps"]]
        bottom = win.loc[truth["bottom_reps"]]
        pooled = lambda d: (d["w"] * d["n"]).sum() / d["n"].sum()  # noqa: E731
        assert pooled(top) > pooled(bottom) + 0.15
        overall = con.execute(
            "SELECT avg(is_won::INT) FROM opportunities WHERE is_closed"
        ).fetchone()[0]
        assert pooled(top) > overall > pooled(bottom)

    def test_overloaded_territory_gets_more_leads_per_rep(self, big):
        con, truth = big
        # reps present for the whole period, so leads per rep compare like with like
        df = (
            con.execute(
                "SELECT r.territory = 'EMEA-South' AS over, count(*) / count(DISTINCT l.owner_id) "
                "AS per_rep "
                "FROM leads l JOIN reps r ON l.owner_id = r.rep_id "
                "WHERE r.hired_at < DATE '2024-10-01' AND r.left_at IS NULL "
                "AND r.territory NOT IN (SELECT territory FROM reps WHERE hired_at >= DATE "
                "'2024-10-01' "
                "OR left_at IS NOT NULL) GROUP BY ALL"
            )
            .df()
            .set_index("over")["per_rep"]
        )
        ratio = df[True] / df[False]
        assert 2.1 < ratio < 2.9
        assert truth["territories"]["lead_weight"]["EMEA-South"] == 2.5

    def test_overloaded_territory_converts_less(self, big):
        con, _ = big
        df = (
            con.execute(
                f"""
            WITH m AS ({_reached(con, "MQL")}), s AS ({_reached(con, "SQL")})
            SELECT territory = 'EMEA-South' AS over,
                   avg((lead_id IN (SELECT lead_id FROM s))::INT) AS r
            FROM leads WHERE lead_id IN (SELECT lead_id FROM m)
              AND created_at < TIMESTAMP '2026-06-01' GROUP BY ALL
            """
            )
            .df()
            .set_index("over")["r"]
        )
        assert df[True] < df[False] - 0.03

    def test_experiment_split_outcome_and_multi_assignment(self, big):
        con, truth = big
        ex = truth["experiment"]
        arms = (
            con.execute(
                "SELECT variant, count(DISTINCT lead_id) AS n FROM campaign_members "
                "WHERE campaign_id = 'C_AB_MQL_SLA' GROUP BY variant"
            )
            .df()
            .set_index("variant")["n"]
        )
        share = arms / arms.sum()
        for arm, planned in ex["planned_split"].items():
            assert abs(share[arm] - planned) < 0.03, arm
        multi = scalar(
            con,
            "SELECT count(*) FROM (SELECT lead_id FROM campaign_members WHERE campaign_id = "
            "'C_AB_MQL_SLA' GROUP BY lead_id HAVING count(DISTINCT variant) > 1)",
        )
        assert multi == ex["n_multi_assigned"] > 0
        # assigned at the MQL time, outcome = SQL within 30 days
        df = con.execute(
            """
            WITH u AS (SELECT lead_id, arg_min(variant, assigned_at) AS variant,
                              min(assigned_at) AS assigned_at, any_value(pre_period_value) AS pre
                       FROM campaign_members WHERE campaign_id = 'C_AB_MQL_SLA' GROUP BY lead_id)
            SELECT u.*, EXISTS (SELECT 1 FROM lead_history h WHERE h.lead_id = u.lead_id
                                AND h.status = 'SQL' AND h.changed_at >= u.assigned_at
                                AND h.changed_at <= u.assigned_at + INTERVAL 30 DAY) AS y,
                   EXISTS (SELECT 1 FROM lead_history h WHERE h.lead_id = u.lead_id
                           AND h.status = 'MQL' AND h.changed_at = u.assigned_at) AS at_mql
            FROM u
            """
        ).df()
        assert df["at_mql"].all()
        rates = df.groupby("variant")["y"].mean()
        n = df.groupby("variant").size()
        for arm, p in ex["true_rates"].items():
            assert abs(rates[arm] - p) < 4 * (p * (1 - p) / n[arm]) ** 0.5, arm
        # the covariate predicts the outcome (CUPED has something to work with)
        assert df["pre"].corr(df["y"].astype(float)) > 0.25

    def test_seasonality_q4_high_summer_dip(self, big):
        con, _ = big
        by_month = (
            con.execute("SELECT month(created_at) AS m, count(*) AS n FROM leads GROUP BY m")
            .df()
            .set_index("m")["n"]
        )
        assert by_month[[10, 11]].mean() > 1.25 * by_month[[7, 8]].mean()

    def test_opportunity_bottleneck_is_proposal(self, big):
        con, truth = big
        reached = con.execute(
            "SELECT stage, count(DISTINCT opportunity_id) FROM opportunity_history GROUP BY stage"
        ).fetchall()
        c = dict(reached)
        # among deals created in the first year (resolved by as_of)
        steps = con.execute(
            """
            WITH o AS (SELECT opportunity_id FROM opportunities WHERE created_at < TIMESTAMP
            '2025-12-01'),
            h AS (SELECT stage, count(DISTINCT opportunity_id) AS n FROM opportunity_history
                  WHERE opportunity_id IN (SELECT opportunity_id FROM o) GROUP BY stage)
            SELECT stage, n FROM h
            """
        ).fetchall()
        n = dict(steps)
        rates = {
            "Prospecting->Qualification": n["Qualification"] / n["Prospecting"],
            "Qualification->Proposal": n["Proposal"] / n["Qualification"],
            "Proposal->Negotiation": n["Negotiation"] / n["Proposal"],
            "Negotiation->won": n["Closed Won"] / n["Negotiation"],
        }
        assert min(rates, key=rates.get) == truth["opportunity_funnel"]["bottleneck_step"]
        for step, r in rates.items():
            assert abs(r - truth["opportunity_funnel"]["step_rates"][step]) < 0.06, step
        assert c["Prospecting"] >= c["Qualification"] >= c["Proposal"] >= c["Negotiation"]

    def test_enterprise_cycles_are_longer(self, big):
        con, _ = big
        med = (
            con.execute(
                "SELECT segment, median(date_diff('day', created_at, close_date)) AS d FROM "
                "opportunities "
                "WHERE is_won GROUP BY segment"
            )
            .df()
            .set_index("segment")["d"]
        )
        assert med["Enterprise"] > 1.5 * med["SMB"]


# ---------------------------------------------------------------------------------------------
# The experiment's design: long enough to show the planted lift
# ---------------------------------------------------------------------------------------------

UNITS_SQL = """
    WITH m AS (SELECT * FROM campaign_members WHERE campaign_id = 'C_AB_MQL_SLA'),
         multi AS (SELECT lead_id FROM m GROUP BY lead_id HAVING count(DISTINCT variant) > 1),
         u AS (SELECT * FROM m WHERE lead_id NOT IN (SELECT lead_id FROM multi))
    SELECT variant, count(*) AS n,
           sum(EXISTS (SELECT 1 FROM lead_history h WHERE h.lead_id = u.lead_id
                       AND h.status = 'SQL' AND h.changed_at >= u.assigned_at
                       AND h.changed_at <= u.assigned_at + INTERVAL 30 DAY)::INT) AS x
    FROM u GROUP BY variant
"""


def _arms(con) -> pd.DataFrame:
    """Units per arm (multi-assigned leads dropped) and SQL-within-30-days conversions."""
    df = con.execute(UNITS_SQL).df().set_index("variant")
    df["rate"] = df["x"] / df["n"]
    return df


def _wald(df: pd.DataFrame, arm: str) -> tuple[float, float]:
    """Difference arm - control and its 95% Wald half-width, by hand."""
    a, c = df.loc[arm], df.loc["control"]
    diff = a["rate"] - c["rate"]
    half = (
        1.959964
        * (a["rate"] * (1 - a["rate"]) / a["n"] + c["rate"] * (1 - c["rate"]) / c["n"]) ** 0.5
    )
    return diff, half


class TestExperimentDesign:
    def test_window_matches_campaign_and_assignments(self, big):
        con, truth = big
        ex = truth["experiment"]
        assert (ex["start"], ex["end"]) == ("2024-12-01", "2025-12-31")
        start, end = con.execute(
            "SELECT CAST(start_date AS VARCHAR), CAST(end_date AS VARCHAR) FROM campaigns "
            "WHERE campaign_id = 'C_AB_MQL_SLA'"
        ).fetchone()
        assert (start, end) == (ex["start"], ex["end"])
        lo, hi = con.execute(
            "SELECT min(assigned_at), max(assigned_at) FROM campaign_members "
            "WHERE campaign_id = 'C_AB_MQL_SLA'"
        ).fetchone()
        assert pd.Timestamp(ex["start"]) <= lo < pd.Timestamp(ex["start"]) + pd.Timedelta(days=2)
        assert pd.Timestamp(ex["end"]) + pd.Timedelta(days=1) > hi > pd.Timestamp(ex["end"])
        # every outcome window closes before as_of
        assert hi + pd.Timedelta(days=30) <= pd.Timestamp(truth["as_of"])

    def test_units_in_truth_match_data_at_20k(self, big):
        con, truth = big
        first = (
            con.execute(
                "SELECT variant, count(*) AS n FROM (SELECT arg_min(variant, assigned_at) AS "
                "variant FROM campaign_members WHERE campaign_id = 'C_AB_MQL_SLA' GROUP BY "
                "lead_id) "
                "GROUP BY variant"
            )
            .df()
            .set_index("variant")["n"]
        )
        assert first.to_dict() == truth["experiment"]["n_units"]
        # about half of the MQLs of the period; ~2,000 per arm at 20,000 leads
        assert all(1_800 <= n <= 2_500 for n in first)
        n_mql = scalar(con, f"SELECT count(*) FROM ({_reached(con, 'MQL')})")
        assert 0.4 < first.sum() / n_mql < 0.6

    def test_funnel_bottleneck_survives_the_experiment(self, big):
        _, truth = big
        lf = truth["lead_funnel"]
        rates = lf["step_rates"]
        assert min(rates, key=rates.get) == lf["bottleneck_step"] == "MQL->SQL"
        assert rates["MQL->SQL"] < rates["opportunity->won"] - 0.04
        # outside the experiment MQL -> SQL is lower than the control arm, Referral ~2x Paid Search
        out = lf["mql_to_sql_outside_experiment"]
        assert max(out.values()) < 0.40 and min(out.values()) > 0.12
        assert 1.8 < out["Referral"] / out["Paid Search"] < 2.5

    def test_lift_is_clear_at_50k(self, tmp_path):
        s = generate_demo(tmp_path / "d50.duckdb", seed=7, leads=50_000)
        truth = json.loads(s.truth_path.read_text())["experiment"]
        with duckdb.connect(str(s.path), read_only=True) as c:
            df = _arms(c)
        assert (df["n"] >= 5_000).all()
        diff, half = _wald(df, "fast_followup")
        assert half < 0.02
        lift = truth["true_abs_lift"]["fast_followup"]
        assert diff - half > 0 and diff - half <= lift <= diff + half
        diff_b, half_b = _wald(df, "sequence_b")
        assert diff_b - half_b <= 0 <= diff_b + half_b
        for arm, p in truth["true_rates"].items():
            se = (p * (1 - p) / df.loc[arm, "n"]) ** 0.5
            assert abs(df.loc[arm, "rate"] - p) < 4 * se, arm

    def test_arm_means_are_exact_not_diluted(self, tmp_path):
        # with ~65,000 units the realised mean true probability per arm is within ~0.002 of the
        # planted rate (sd of a unit's probability ~0.17): heterogeneity (source, overloaded
        # territory, ramping owner, pre-period score) does not dilute the lift
        s = generate_demo(tmp_path / "d200.duckdb", seed=2, leads=200_000)
        ex = json.loads(s.truth_path.read_text())["experiment"]
        mean, true = ex["mean_true_prob_of_units"], ex["true_rates"]
        assert min(ex["n_units"].values()) > 18_000
        for arm in true:
            assert mean[arm] == pytest.approx(true[arm], abs=0.005), arm
        got_lift = mean["fast_followup"] - mean["control"]
        assert got_lift == pytest.approx(ex["true_abs_lift"]["fast_followup"], abs=0.006)


def test_demo_file_is_readable_by_duckdb_1_1_and_newer(demo_db):
    """conda-forge's DuckDB 1.5 cannot read DuckDB 2.0's default storage format (69)."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        (tags,) = con.execute(
            "SELECT tags FROM duckdb_databases() WHERE path = ?", [str(demo_db)]
        ).fetchone()
    finally:
        con.close()
    assert tags["storage_version"].startswith("v1.")


def test_a_file_from_a_newer_duckdb_says_which_and_what_to_do(tmp_path, monkeypatch):
    import ibis

    from salesops_lib.data.sources import open_source
    from salesops_lib.errors import SourceError

    path = tmp_path / "new.duckdb"
    path.write_bytes(b"")

    def too_new(*args, **kwargs):
        raise OSError(
            "IO Error: Trying to read a database file with version number 70, but we can only "
            "read versions between 64 and 69."
        )

    monkeypatch.setattr(ibis.duckdb, "connect", too_new)
    with pytest.raises(SourceError) as info:
        open_source(path)
    text = str(info.value)
    assert "newer DuckDB" in text and "pip install -U duckdb" in text and "1.1.0" in text
