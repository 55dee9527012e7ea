"""End to end, as a scheduled job would run it: real notebooks, real kernel, a data folder.

The spine's promise: a data folder with a missing required column gives one clear error (table,
column, what to do), exit code 2, and the earlier good report stays byte-identical.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from salesops_lib import cli

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kit(tmp_path_factory, demo_db: Path) -> Path:
    """A working folder with params and a CSV/Parquet data folder exported from the demo."""
    root = tmp_path_factory.mktemp("kit")
    data = root / "exports"
    data.mkdir()
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        for table in ("leads", "lead_history", "opportunities", "opportunity_history"):
            if table == "leads":  # one table as CSV, the rest as Parquet: both are read
                con.execute(f"COPY {table} TO '{data / 'leads.csv'}' (HEADER, DELIMITER ',')")
            else:
                con.execute(f"COPY {table} TO '{data / (table + '.parquet')}' (FORMAT PARQUET)")
    finally:
        con.close()
    params = yaml.safe_load((REPO / "params" / "funnel_analysis.yaml").read_text())
    params["source"] = str(data)
    (root / "funnel.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    return root


def _run(kit: Path, capsys) -> tuple[int, str]:
    code = cli.main(
        [
            "run",
            "funnel_analysis",
            "--params",
            str(kit / "funnel.yaml"),
            "--out",
            str(kit / "reports"),
            "--notebooks-dir",
            str(REPO / "notebooks"),
        ]
    )
    return code, capsys.readouterr().err


def test_funnel_report_from_a_data_folder_then_a_broken_column(kit: Path, capsys):
    code, err = _run(kit, capsys)
    assert code == 0, err
    html_path, json_path = kit / "reports" / "funnel.html", kit / "reports" / "funnel.json"
    html = html_path.read_text()
    doc = json.loads(json_path.read_text())

    # a leadership document: no code, no tracebacks, nothing loaded from the network, small
    assert "Traceback" not in html and "<script src" not in html
    assert not re.search(r"""(?:src|href)=["']https?://""", html)
    assert "injected-parameters" not in html and "import salesops_lib" not in html
    assert len(html.encode()) < 2_000_000
    assert "Summary" in html and "Methods" in html

    # the machine-readable results carry the funnel's figures
    assert doc["status"] == "ok"
    steps = doc["results"]["steps"]
    assert [s["stage"] for s in steps][:2] == ["created", "MQL"]
    for s in steps[1:]:
        assert 0 <= s["ci_low"] <= s["rate"] <= s["ci_high"] <= 1
    assert doc["results"]["summary"]
    assert doc["provenance"]["data_fingerprint"]

    # now break the data: leads without created_at
    before_html, before_json = html_path.read_bytes(), json_path.read_bytes()
    leads = (kit / "exports" / "leads.csv").read_text().splitlines()
    header = leads[0].split(",")
    col = header.index("created_at")
    shutil.copy(kit / "exports" / "leads.csv", kit / "leads.bak")
    (kit / "exports" / "leads.csv").write_text(
        "\n".join(",".join(v for i, v in enumerate(line.split(",")) if i != col) for line in leads)
        + "\n"
    )
    code, err = _run(kit, capsys)
    assert code == 2
    assert "`leads`" in err and "`created_at`" in err
    assert "How to fix" in err
    assert "Traceback" not in err
    assert html_path.read_bytes() == before_html
    assert json_path.read_bytes() == before_json
    # found before or inside the notebook: either way nothing good was overwritten; when the
    # kernel ran, its error page is beside the report
    error_page = kit / "reports" / "funnel.error.html"
    assert not error_page.exists() or "created_at" in error_page.read_text()
