"""The KPI scorecard in Italian: every visible word goes through the catalog (pseudo language),
English stays as it was, and the real notebook renders fully in Italian."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.text
import pytest
from babel.dates import get_month_names

from salesops_lib import i18n
from salesops_lib.analyses.kpis import sales_kpis
from salesops_lib.i18n import PSEUDO, language
from tests.i18n._text import italian_report_text, result_texts
from tests.i18n._text import strip_markers as _strip_markers

REPO = Path(__file__).resolve().parents[2]

TARGETS = {"win_rate": 0.38, "pipeline_coverage": 3.0, "response_median_hours": 48}

#: Words that are data or units, not text: team names, currency codes, unit symbols, month
#: abbreviations (CLDR), the formula's symbols, status names from the params.
MONTHS = {m.lower() for m in get_month_names("abbreviated", locale="it").values()}
DATA_WORDS = {"team", "east", "north", "south", "west", "usd", "mln", "h", "p", "n", "mql"}
DATA_WORDS |= {"sql", "d", "z", "se", "none"} | MONTHS


@pytest.fixture(autouse=True)
def _session_back_to_english():
    yield
    i18n.use_language("en", "UTC")


@pytest.fixture(scope="module")
def results(demo_db: Path):
    full = sales_kpis(
        demo_db,
        as_of="2026-09-30",
        grain="quarter",
        trend_periods=4,
        breakdown="team",
        gross_margin=0.8,
        monthly_churn=0.01,
        window_days=30,
        targets=TARGETS,
    )
    # a month still running, without churn: the "still running" banner, other wordings
    running = sales_kpis(
        demo_db,
        as_of="2026-09-20",
        period_start="2026-09-01",
        period_end="2026-09-30",
        trend_periods=3,
        gross_margin=0.8,
    )
    return [full, running]


def _untranslated(text: str) -> list[str]:
    rest = _strip_markers(text)
    words = re.findall(r"(?<![\w.])[A-Za-z][A-Za-z\-]*", rest)
    return [w for w in words if w.lower() not in DATA_WORDS]


def test_pseudo_locale_leaves_no_untranslated_text_in_the_kpi_report(results):
    left = []
    with language(PSEUDO):
        for res in results:
            for text in result_texts(res):
                left += [(w, text[:120]) for w in _untranslated(text)]
    assert not left, f"untranslated in the kpis report: {left[:20]}"


def test_pseudo_locale_leaves_no_untranslated_text_on_the_kpi_charts(results):
    left = []
    with language(PSEUDO):
        for res in results:
            for kind in res.PLOT_KINDS:
                ax = res.plot(kind)
                fig = ax.figure
                for t in fig.findobj(matplotlib.text.Text):
                    text = t.get_text()
                    if text.strip():
                        left += [(w, text) for w in _untranslated(text)]
                plt.close(fig)
    assert not left, f"untranslated on the kpis charts: {left[:20]}"


def test_english_words_unchanged(results):
    res = results[0]
    assert res.headline().startswith("Sales KPIs, Q3 2026: win rate (deals) ")
    assert res.summary()[0].startswith("Win rate (deals) was ")
    assert "Definitions and formulas" in res.methods()._repr_html_()
    assert res.to_results()["kpis"][0]["label"] == "Calls per rep per selling day"


def test_italian_words(results):
    res = results[0]
    with language("it"):
        assert res.headline().startswith("KPI commerciali, T3 2026: tasso di vittoria (trattative)")
        assert res.summary()[0].startswith("Tasso di vittoria (trattative): ")
        assert "rispetto a T2 2026" in res.summary()[0]
        assert "Definizioni e formule" in res.methods()._repr_html_()
        # the JSON results keep the English labels (data, not text)
        assert res.to_results()["kpis"][0]["label"] == "Calls per rep per selling day"


@pytest.mark.slow
def test_kpi_notebook_report_in_italian(demo_db: Path, tmp_path: Path):
    params = {
        "notebook": "sales_kpis",
        "title": "Scorecard dei KPI commerciali, T3 2026",
        "source": str(demo_db),
        "as_of": "2026-09-30",
        "language": "it",
        "timezone": "Europe/Rome",
    }
    text = italian_report_text(params, tmp_path, "kpis_it")
    assert "Sintesi" in text and "Definizioni e formule" in text and "Tasso di vittoria" in text
