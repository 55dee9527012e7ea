"""The gallery (``params/examples/``): real public data through the real report runner.

Skips, with the reason, when ``../shared/datasets`` is absent (the data is never copied into the
repository). Each example is imported with its adapter, run with its params file (only the
``source`` is pointed at the temporary import) and checked against an independent computation on
the raw CSV (pandas, statsmodels). Examples are not run by ``salesops run --all``: it reads only
the top level of ``params/``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from statsmodels.stats.proportion import proportions_ztest

from salesops_lib.data.adapters import load_ab_log, load_maven_crm
from salesops_lib.report.runner import run_report

EXAMPLES = Path(__file__).resolve().parents[2] / "params" / "examples"

pytestmark = pytest.mark.slow


def _params(name: str, source: Path) -> dict:
    params = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    params["source"] = str(source)
    return params


def _visible(html: str) -> str:
    html = re.sub(r"<(style|script).*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def udacity_db(shared_datasets, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("udacity") / "udacity_ab.duckdb"
    load_ab_log(shared_datasets / "udacity_ab" / "ab_data.csv.gz").write(out)
    return out


def test_udacity_one_binary_metric_report_reproduces_the_z_test(
    udacity_db, shared_datasets, tmp_path
):
    params = _params("udacity_landing_page", udacity_db)
    res = run_report(None, params, out_dir=tmp_path, name="udacity_landing_page")
    assert res.ok, res.error
    doc = json.loads((tmp_path / "udacity_landing_page.json").read_text(encoding="utf-8"))
    r = doc["results"]

    # independent: pandas on the raw log, the usual clean-up, statsmodels' z-test
    raw = pd.read_csv(shared_datasets / "udacity_ab" / "ab_data.csv.gz")
    ok = ((raw.group == "control") & (raw.landing_page == "old_page")) | (
        (raw.group == "treatment") & (raw.landing_page == "new_page")
    )
    clean = raw[ok].drop_duplicates("user_id")
    g = clean.groupby("group")["converted"].agg(["sum", "count"])
    _z, p = proportions_ztest(
        [g.loc["treatment", "sum"], g.loc["control", "sum"]],
        [g.loc["treatment", "count"], g.loc["control", "count"]],
    )
    arms = {a["variant"]: a for a in r["arms"]}
    assert arms["control"]["n"] == g.loc["control", "count"] == 145_274
    assert arms["treatment"]["conversions"] == g.loc["treatment", "sum"]
    eff = r["effects"][0]
    assert eff["p_value"] == pytest.approx(p, rel=1e-9)
    assert eff["abs_diff"] == pytest.approx(
        g.loc["treatment", "sum"] / g.loc["treatment", "count"]
        - g.loc["control", "sum"] / g.loc["control", "count"],
        abs=1e-12,
    )
    assert r["verdict"] != "ship" and r["n_label"] == "visitors"

    text = _visible((tmp_path / "udacity_landing_page.html").read_text(encoding="utf-8"))
    assert "3,893" in text  # the import's finding: group and page disagree
    assert "Visitors in the test" in text
    for leftover in ("SQL", "leads", "CUPED", "Pre-period balance", "Time to event", "$"):
        assert leftover not in text, leftover


@pytest.fixture(scope="module")
def maven_db(shared_datasets, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("maven") / "maven_crm.duckdb"
    load_maven_crm(shared_datasets / "maven_crm").write(out)
    return out


def test_maven_crm_benchmarking_counts_won_deals_per_agent(maven_db, shared_datasets, tmp_path):
    res = run_report(None, _params("maven_crm_benchmarking", maven_db), out_dir=tmp_path)
    assert res.ok, res.error
    doc = json.loads(Path(res.json).read_text(encoding="utf-8"))
    raw = pd.read_csv(shared_datasets / "maven_crm" / "sales_pipeline.csv")
    raw["close_date"] = pd.to_datetime(raw["close_date"])
    closed = raw[raw.deal_stage.isin(["Won", "Lost"]) & (raw.close_date.dt.year == 2017)]
    company = doc["results"]["company"]
    assert company["closed"] == len(closed)
    assert company["won"] == int((closed.deal_stage == "Won").sum())
    text = _visible(Path(res.html).read_text(encoding="utf-8"))
    assert "Traceback" not in text and "nan" not in text.split()


def test_maven_crm_two_stage_funnel_has_no_leak_ranking(maven_db, shared_datasets, tmp_path):
    res = run_report(None, _params("maven_crm_funnel", maven_db), out_dir=tmp_path)
    assert res.ok, res.error
    doc = json.loads(Path(res.json).read_text(encoding="utf-8"))
    raw = pd.read_csv(shared_datasets / "maven_crm" / "sales_pipeline.csv")
    raw["engage_date"] = pd.to_datetime(raw["engage_date"])
    cohort = raw[(raw.engage_date >= "2017-01-01") & (raw.engage_date <= "2017-06-30")]
    assert doc["results"]["n"] == len(cohort)
    text = _visible(Path(res.html).read_text(encoding="utf-8"))
    assert "biggest leak" not in text  # one step: nothing to rank
    assert "Not in this report" in text
