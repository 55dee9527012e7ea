"""The pipeline forecast in Italian: every visible word goes through the catalog (pseudo
language), English stays as it was, and the real notebook renders fully in Italian."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.text
import pytest
from babel.dates import get_month_names

from salesops_lib import i18n
from salesops_lib.analyses.forecast import pipeline_forecast
from salesops_lib.i18n import PSEUDO, language
from tests.analyses.forecast.test_forecast_analysis import _tables
from tests.i18n._text import italian_report_text, result_texts
from tests.i18n._text import strip_markers as _strip_markers

REPO = Path(__file__).resolve().parents[2]

STAGES = {"Prospecting": 0.1, "Qualification": 0.2, "Proposal": 0.5, "Negotiation": 0.8}

#: Words that are data or symbols, not text: stage names, deal ids, currency codes, month
#: abbreviations (CLDR), P10/P50/P90, the formulas' symbols and the methods' references.
MONTHS = {m.lower() for m in get_month_names("abbreviated", locale="it").values()}
DATA_WORDS = {s.lower() for s in STAGES} | {"a", "b", "usd", "mln", "p", "n", "none"}
DATA_WORDS |= {"crps", "e", "x", "y", "gneiting", "raftery", "poisson", "f", "f_new", "d", "k"}
DATA_WORDS |= {"o", "o_s", "e_s", "var_indep", "s", "log", "h", "t"} | MONTHS


@pytest.fixture(autouse=True)
def _session_back_to_english():
    yield
    i18n.use_language("en", "UTC")


@pytest.fixture(scope="module")
def results(demo_db: Path):
    demo = pipeline_forecast(demo_db, as_of="2026-06-30", n_sims=2000, stage_probabilities=STAGES)
    # stages without a probability, no quotas table, a target set as a parameter
    partial = pipeline_forecast(
        demo_db, as_of="2026-06-30", n_sims=2000, stage_probabilities={"Proposal": 0.5}
    )
    tables = _tables()
    del tables["quotas"]
    no_target = pipeline_forecast(
        tables, as_of="2025-12-31", backtest_periods=1, min_cell=5, n_sims=1000
    )
    param_target = pipeline_forecast(
        _tables(),
        as_of="2025-12-31",
        target=40_000,
        backtest_periods=1,
        min_cell=5,
        n_sims=1000,
        stage_probabilities={},
    )
    return [demo, partial, no_target, param_target]


def _untranslated(text: str) -> list[str]:
    rest = _strip_markers(text)
    words = re.findall(r"(?<![\w.])[A-Za-z][A-Za-z\-]*", rest)
    return [w for w in words if w.lower() not in DATA_WORDS]


def test_pseudo_locale_leaves_no_untranslated_text_in_the_forecast_report(results):
    left = []
    with language(PSEUDO):
        for res in results:
            for text in result_texts(res):
                left += [(w, text[:120]) for w in _untranslated(text)]
    assert not left, f"untranslated in the forecast report: {left[:20]}"


def test_pseudo_locale_leaves_no_untranslated_text_on_the_forecast_charts(results):
    left = []
    with language(PSEUDO):
        for res in results:
            for s in res.sections():
                if s.absent:
                    continue
                for kind in s.plots:
                    fig = res.plot(kind).figure
                    for t in fig.findobj(matplotlib.text.Text):
                        text = t.get_text()
                        if text.strip():
                            left += [(w, text) for w in _untranslated(text)]
                    plt.close(fig)
    assert not left, f"untranslated on the forecast charts: {left[:20]}"


def test_english_words_unchanged(results):
    res = results[0]
    assert res.headline().startswith("Q3 2026 bookings forecast ")
    assert res.summary()[0].startswith("Bookings closing in Q3 2026 (2026-07-01 to 2026-09-30)")
    assert "Definitions and formulas" in res.methods()._repr_html_()
    assert "no target to compare with (no quotas table in the source)" in str(results[2].summary())


def test_italian_words(results):
    res = results[0]
    with language("it"):
        assert res.headline().startswith("Previsione dei contratti acquisiti in T3 2026: ")
        assert res.summary()[0].startswith(
            "I contratti acquisiti che si chiuderanno in T3 2026 (dal 1 lug 2026 al 30 set 2026)"
        )
        assert "Definizioni e formule" in res.methods()._repr_html_()
        assert "nessuna tabella quotas" in str(results[2].summary())
    # the JSON results keep their data values
    assert res.to_results()["target_source"] == "quotas"


@pytest.mark.slow
def test_forecast_notebook_report_in_italian(demo_db: Path, tmp_path: Path):
    params = {
        "notebook": "pipeline_forecast",
        "title": "Previsione della pipeline, T3 2026",
        "source": str(demo_db),
        "as_of": "2026-06-30",
        "n_sims": 2000,
        "language": "it",
        "timezone": "Europe/Rome",
    }
    text = italian_report_text(params, tmp_path, "forecast_it")
    assert "Sintesi" in text and "Definizioni e formule" in text and "trattative" in text
