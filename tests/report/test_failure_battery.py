"""The failure battery of issue 14 (run and command-line side): each case is one named bad input
or failure that once ended in a traceback, a leak or a mixed report, and must now end in the
kit's own sentence, exit code and files.

Signals (SIGTERM/SIGINT/SIGHUP during ``run --all``) are in ``test_signals.py`` (slow).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import write_params

from salesops_lib.analyses.forecast._charts import plot_fan
from salesops_lib.analyses.funnel._charts import segment_plot
from salesops_lib.cli import main
from salesops_lib.errors import ParamsError
from salesops_lib.report.params import read_params_file
from salesops_lib.viz.format import fmt_money


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------------------------------------
# 5. Text in charts is literal
# ---------------------------------------------------------------------------------------------


class TestChartTextIsLiteral:
    def test_dollar_signs_in_a_lead_source_are_drawn_as_written(self):
        seg = pd.DataFrame(
            {
                "segment": ["Big $$ deals", "Referral $5 off $10"],
                "step": ["MQL→SQL"] * 2,
                "entered": [200, 300],
                "rate": [0.30, 0.10],
                "ci_low": [0.24, 0.07],
                "ci_high": [0.37, 0.14],
            }
        )
        ax = segment_plot(seg, pooled=0.2, title="Where $$ goes")
        ax.figure.canvas.draw()  # mathtext would raise "ValueError: Big $$ deals" here
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == ["Referral $5 off $10", "Big $$ deals"]
        assert all(not t.get_parse_math() for t in ax.get_yticklabels())
        assert ax.get_title(loc="left") == "Where $$ goes"

    def test_money_ticks_and_titles_carry_no_escape_backslash(self):
        sample = np.random.default_rng(7).normal(1_300_000, 150_000, 2_000)
        ax = plot_fan(
            sample,
            target=1_400_000,
            weighted=1_250_000,
            commit=1_100_000,
            best_case=1_600_000,
            money=lambda v: fmt_money(v, "USD"),
            title="Bookings $1.2M to $1.5M",
        )
        ax.figure.canvas.draw()
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert ticks and all(t.startswith("$") for t in ticks)
        texts = [*ticks, ax.get_title(loc="left"), *(t.get_text() for t in ax.texts)]
        assert "Bookings $1.2M to $1.5M" in texts
        assert not any("\\$" in t for t in texts)


# ---------------------------------------------------------------------------------------------
# 8. Params files: encoding, folders, duplicate keys
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def no_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a report notebook would be started."""
    import papermill

    monkeypatch.setattr(
        papermill, "execute_notebook", lambda *a, **k: pytest.fail("a kernel was started")
    )


class TestParamsFiles:
    def _run(self, capsys, *argv: str) -> tuple[int, str]:
        code = main(["run", *argv])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        return code, captured.err

    def test_latin1_file_names_the_file_and_line(self, project: Path, capsys, no_kernel):
        path = project / "params" / "latin.yaml"
        path.write_bytes("notebook: tiny_report\ntitle: Entrées Q3\n".encode("latin-1"))
        code, err = self._run(capsys, "--params", "params/latin.yaml")
        assert code == 2
        assert "params/latin.yaml is not UTF-8" in err
        assert "line 2, column 12" in err and "0xe9" in err

    def test_a_bom_is_accepted(self, project: Path):
        path = project / "params" / "bom.yaml"
        path.write_bytes("\ufeffnotebook: tiny_report\ntitle: Q3\n".encode())
        assert read_params_file(path) == {"notebook": "tiny_report", "title": "Q3"}

    def test_a_folder_as_params(self, project: Path, capsys, no_kernel):
        code, err = self._run(capsys, "tiny_report", "--params", "params")
        assert code == 2
        assert "params is a folder, not a params file" in err
        assert "--params-dir" in err

    def test_duplicate_top_level_key(self, project: Path, capsys, no_kernel):
        write_params(
            project / "params",
            "dup",
            "notebook: tiny_report\nn_points: 3\ntitle: T\nn_points: 9\n",
        )
        code, err = self._run(capsys, "--params", "params/dup.yaml")
        assert code == 2
        assert "`n_points`" in err and "given twice in params/dup.yaml (lines 2 and 4)" in err

    def test_duplicate_nested_key(self, project: Path):
        path = write_params(
            project / "params",
            "nested",
            "notebook: tiny_report\nfilters:\n  region: EMEA\n  region: APAC\n",
        )
        with pytest.raises(ParamsError, match=r"`region`.*lines 3 and 4"):
            read_params_file(path)

    def test_run_all_reports_a_duplicate_and_goes_on(self, project: Path, capsys, no_kernel):
        write_params(project / "params", "dup", "notebook: tiny_report\ntitle: A\ntitle: B\n")
        code, err = self._run(capsys, "--all")
        assert code == 2
        assert "`title`" in err and "given twice" in err
        doc = json.loads((project / "reports" / "dup.error.json").read_text())
        assert doc["error"]["type"] == "ParamsError"
