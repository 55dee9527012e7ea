"""End to end: a Salesforce-style and a HubSpot-style export through ``salesops import``, then
``salesops run`` of the funnel (with stage history) and benchmarking (with quotas) reports on the
imported folder, as a user would (slow: starts Jupyter kernels).

The exports are the hand-built ones of ``test_salesforce.py`` and ``test_hubspot.py``; every
expected number is counted by hand there and in the comments below.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from salesops_lib.cli import main

from .test_hubspot import hs_export  # noqa: F401  fixture
from .test_salesforce import U1, id18, sf_export  # noqa: F401  fixture

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"


def _visible(html: str) -> str:
    html = re.sub(r"<(style|script).*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _run(tmp_path: Path, name: str, params: dict) -> tuple[dict, str, str]:
    """``salesops run --params FILE --out DIR``: the JSON results, the visible text, the HTML."""
    pfile = tmp_path / "params" / f"{name}.yaml"
    pfile.parent.mkdir(exist_ok=True)
    pfile.write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    out = tmp_path / "reports"
    args = ["run", "--params", str(pfile), "--out", str(out), "--notebooks-dir", str(NOTEBOOKS)]
    assert main(args) == 0
    doc = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    assert doc["status"] == "ok"
    html = (out / f"{name}.html").read_text(encoding="utf-8")
    text = _visible(html)
    for leftover in ("Traceback", "Error", " nan ", "NaN", "None"):
        assert leftover not in text, leftover
    return doc["results"], text, html


def test_salesforce_export_to_funnel_and_benchmarking_reports(sf_export, tmp_path):  # noqa: F811
    data = tmp_path / "imported"
    assert main(["import", "salesforce", str(sf_export), "--out", str(data)]) == 0
    funnel, text, _html = _run(
        tmp_path,
        "sf_funnel",
        {
            "notebook": "funnel_analysis",
            "title": "Salesforce lead funnel, Q4 2023 cohort",
            "source": str(data),
            "as_of": "2024-04-02",
            "funnel": "lead",
            "stages": ["MQL", "SQL", "opportunity", "won"],
            "window_days": 105,
            "period_start": "2023-10-01",
            "period_end": "2023-12-31",
        },
    )
    # the 20 November leads: MQL on creation; SQL 92 days later for the even ones (10), and the
    # 5 converted ones (20, 24, .., 36: opportunity on 2023-12-10) count as SQL then; their SQL
    # window (to 2024-03-24) has elapsed, the other 5 SQLs (Feb 2024) are too recent; won:
    # leads 24 and 32, on 2024-03-20 (101 days after the opportunity)
    got = [(s["step"], s["entered"], s["converted"]) for s in funnel["steps"]]
    assert got == [("MQL→SQL", 20, 10), ("SQL→opportunity", 5, 5), ("opportunity→won", 5, 2)]
    assert funnel["n"] == 20
    assert "MQL→SQL" in text and "Q4 2023" in text
    # words fixed for such a small CRM: no "?–?" interval, no "0.0% (0.0–0.0%)"
    assert "the median was 101 days, and none had done so within 30 days" in text
    assert "too few conversions for an interval" in text and "?–?" not in text

    bench, text, _html = _run(
        tmp_path,
        "sf_benchmarking",
        {
            "notebook": "benchmarking",
            "title": "Salesforce rep benchmarking",
            "source": str(data),
            "as_of": "2024-04-02",
            "min_closed": 5,
        },
    )
    reps = {r["rep_id"]: r for r in bench["reps"]}
    ann = reps[id18(U1)]  # all 10 deals, 5 won (1000 + i for i = 0, 8, 16, 24, 32); quota 5000
    assert (ann["closed"], ann["won"], ann["won_amount"]) == (10, 5, 5080.0)
    assert ann["quota_attainment"] == pytest.approx(5080 / 5000)
    assert "Ann Lee" in text and "quota" in text.lower()


def test_hubspot_export_to_funnel_and_benchmarking_reports(hs_export, tmp_path):  # noqa: F811
    data = tmp_path / "hs.duckdb"
    assert main(["import", "hubspot", str(hs_export), "--out", str(data)]) == 0
    funnel, text, _html = _run(
        tmp_path,
        "hs_funnel",
        {
            "notebook": "funnel_analysis",
            "title": "HubSpot deal funnel, Q4 2023 cohort",
            "source": str(data),
            "as_of": "2024-04-02",
            "funnel": "opportunity",
            "stages": ["Appointment Scheduled", "Contract Sent", "won"],
        },
    )
    # default period: Q4 2023 (the last quarter whose 90-day window has elapsed): deals 900-903,
    # all entered Appointment Scheduled ("Date entered"), 900, 902, 903 Contract Sent 5 days
    # later; 900 and 903 won 15 days after that (902 still open, 901 lost before a contract)
    got = [(s["step"], s["entered"], s["converted"]) for s in funnel["steps"]]
    assert got == [("Appointment Scheduled→Contract Sent", 4, 3), ("Contract Sent→won", 3, 2)]
    assert funnel["period"]["label"] == "Q4 2023"

    bench, text, _html = _run(
        tmp_path,
        "hs_benchmarking",
        {
            "notebook": "benchmarking",
            "title": "HubSpot rep benchmarking",
            "source": str(data),
            "as_of": "2024-04-02",
            "min_closed": 2,
        },
    )
    reps = {r["rep_id"]: r for r in bench["reps"]}
    # owner 1 won 900 and 904 (1000.5 + 5000.5), owner 2 won 903 and 907 (4000.5 + 8000.5)
    # and lost 901 and 905; goal targets: Q4 2023 + Q1 2024 = 12,000 and 20,000
    assert (reps["1"]["closed"], reps["1"]["won"]) == (2, 2)
    assert (reps["2"]["closed"], reps["2"]["won"]) == (4, 2)
    assert reps["1"]["quota_attainment"] == pytest.approx(6001 / 12000)
    assert reps["2"]["quota_attainment"] == pytest.approx(12001 / 20000)
    assert "Bo Chan" in text and "quota" in text.lower()
    # 2 won of 2 is no outlier (it happens 44% of the time at the 67% company rate)
    assert {r["funnel_status"] for r in reps.values()} == {"within limits"}
    # 2 calls and meetings in nine months: not "0.0" a day
    assert re.search(r"Activities per rep per selling day 0\.00\d [^ ]", text), text[:3000]
