"""The A/B experiment report in Italian: every word of it goes through the catalog (pseudo
language), the real Italian report has no English left, and English is unchanged."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.text
from babel.dates import get_month_names

from salesops_lib import i18n
from salesops_lib.analyses import experiment as E
from salesops_lib.i18n import PSEUDO, language

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analyses" / "experiment"))
import test_analysis as T

REPO = Path(__file__).resolve().parents[2]

#: The test metrics with one-word names, so that no English word hides in a metric name.
METRICS = [
    {**T.METRICS[0], "name": "SQL30"},
    T.METRICS[1],
    T.METRICS[2],
    {**T.METRICS[3], "name": "TTS"},
]
GUARDRAIL = {
    "name": "DQ",
    "kind": "binary",
    "stage": "Disqualified",
    "window_days": 30,
    "higher_is_better": False,
    "margin": 0.15,
}

#: Words of the data and of the formulas: arm, metric, stage and activity names, ids, column
#: names quoted in the methods, currency codes, unit abbreviations left by the number formatters
#: ("p.p.", "g" for days, "n = ...", "p = ..."), and the Italian month abbreviations of dates.
DATA_WORDS = {"control", "fast", "slow", "sql", "sql30", "meetings", "won", "tts", "dq"}
DATA_WORDS |= {"disqualified", "meeting", "c1", "l0000002", "usd", "eur"}
DATA_WORDS |= {"campaign_members", "variant", "pre_period_value", "n", "p", "g", "x", "y", "z"}
DATA_WORDS |= {"diff", "p_t", "p_c", "n_t", "n_c", "lift", "sqrt", "y_cuped", "mean", "cov", "var"}
DATA_WORDS |= {m.lower() for m in get_month_names("abbreviated", locale="it").values()}


@pytest.fixture(autouse=True)
def _back_to_english():
    yield
    i18n.use_language("en", "UTC")
    plt.close("all")


def _outside_markers(text: str) -> list[str]:
    """Words of ``text`` outside ⟦ ⟧ (markers nest: a message's field holds another message)."""
    rest = text
    while True:
        new = re.sub(r"⟦[^⟦⟧]*⟧", " ", rest)
        if new == rest:
            break
        rest = new
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_\-]*", rest) if w.lower() not in DATA_WORDS]


def _html_text(html: str) -> list[str]:
    import html as h

    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return [h.unescape(t) for t in re.split(r"<[^>]+>", html) if t.strip()]


def _report_texts(res) -> list[str]:
    """Every piece of text the report shows: headline, banners, summary, cards, sections
    (titles, intros, tables), not-shown list, per-arm tables, methods."""
    out = [res.headline(), res.chart_title()]
    out += _html_text(res.top()._repr_html_())
    for s in res.sections():
        out += [s.title, s.intro or "", s.absent or ""]
        out += [t for b in s.blocks if b is not None for t in _html_text(b._repr_html_())]
    out += _html_text(res.not_shown()._repr_html_())
    out += _html_text(res.tables()._repr_html_())
    out += _html_text(res.methods()._repr_html_())
    out += res.warnings()
    return out


def _chart_texts(res) -> list[str]:
    """The visible text of every chart the report draws (and the other plot kinds)."""
    kinds = [k for s in res.sections() if not s.absent for k in s.plots]
    kinds += ["split", "forest:all"] + [
        f"km:{m.name}" for m in res.metrics if m.kind == "time_to_event"
    ]
    out = []
    for kind in kinds:
        ax = res.plot(kind)
        out += [t.get_text() for t in ax.figure.findobj(matplotlib.text.Text) if t.get_text()]
        plt.close(ax.figure)
    return out


def _evaluate(**kwargs):
    return E.evaluate_experiment(
        T.synthetic(), campaign_id="C1", control="control", as_of=T.AS_OF, n_boot=200, **kwargs
    )


CASES = {
    # three arms, every metric kind, a guardrail, a time-to-event metric without a median
    "multi_arm_all_kinds": {"metrics": METRICS, "guardrails": [GUARDRAIL]},
    # one metric, with the always-valid weekly read-out
    "one_metric_sequential": {
        "metrics": [METRICS[0]],
        "sequential": True,
        "baseline_rate": 0.25,
        "planned_n_per_arm": 300,
    },
    # a broken split (sample ratio mismatch): error banner, inconclusive verdict
    "srm_failed": {
        "metrics": [METRICS[0]],
        "planned_split": {"control": 0.6, "fast": 0.2, "slow": 0.2},
    },
    # a capped value metric, clustered units
    "capped_value_clustered": {
        "metrics": [METRICS[0], {**METRICS[2], "winsorize_pct": 99}],
        "cluster_by": "account_id",
    },
}


@pytest.mark.parametrize("case", list(CASES))
def test_pseudo_locale_leaves_no_untranslated_text_on_the_experiment_report(case):
    with language(PSEUDO):
        res = _evaluate(**CASES[case])
        texts = _report_texts(res)
        charts = _chart_texts(res)
    left = [(w, t) for t in texts for w in _outside_markers(t)]
    assert not left, f"untranslated on the report: {left[:20]}"
    left = [(w, t) for t in charts for w in _outside_markers(t)]
    assert not left, f"untranslated on the charts: {left[:20]}"
    assert any("⟦" in t for t in charts)


def test_italian_sentences_read_in_italian_and_english_is_unchanged():
    kwargs = CASES["multi_arm_all_kinds"]
    en = _evaluate(**kwargs)
    with language("it"):
        it = _evaluate(**kwargs)
        head, summary, methods = it.headline(), " ".join(it.summary()), it.methods()._repr_html_()
    assert head.startswith("Adottare fast: +") and "\u00a0p.p. su SQL30 (da +" in head
    assert "punti percentuali" in summary and "percentage points" not in summary
    assert "Raccomandazione: adottare fast." in summary
    assert "Intervalli" in methods and "metrica principale" in methods
    assert en.headline().startswith("Ship fast: +") and " pp SQL30 (+" in en.headline()
    assert "percentage points" in " ".join(en.summary())
    # the Italian article before a percentage, and English's a/an
    from salesops_lib.analyses.experiment._format import _a_pct

    assert (_a_pct(80), _a_pct(90), _a_pct(11)) == ("an 80%", "a 90%", "an 11%")
    with language("it"):
        assert (_a_pct(80), _a_pct(90), _a_pct(11)) == ("l'80%", "il 90%", "l'11%")


ENGLISH_LEFT = [
    " the ",
    " of ",
    " and ",
    " with ",
    "Summary",
    "Methods",
    "interval",
    "variant",
    "Ship",
    "days",
    "percentage points",
    "Chart",
]


@pytest.mark.slow
def test_italian_ab_report_through_the_runner(demo_db: Path, tmp_path: Path):
    """The A/B notebook run by the report runner with ``language: it``: an Italian page with no
    English words left but the data's own (arm names, metric names, the campaign's title)."""
    from salesops_lib.report.params import read_params_file
    from salesops_lib.report.runner import run_report

    params = read_params_file(REPO / "params" / "ab_campaign_evaluation.yaml")
    # the metric names are data; the params file's are English, so the test names them in Italian
    names = {
        "SQL within 30 days": "SQL entro 30 giorni",
        "Days to SQL": "Giorni fino a SQL",
        "Meetings per lead within 30 days": "Riunioni per lead entro 30 giorni",
        "Won revenue per lead within 180 days": "Ricavi vinti per lead entro 180 giorni",
        "Disqualified within 30 days": "Squalificati entro 30 giorni",
    }
    for m in [*params["metrics"], *params["guardrails"]]:
        m["name"] = names[m["name"]]
    params.update(
        source=str(demo_db),
        title="Test sul follow-up degli MQL",
        language="it",
        timezone="Europe/Rome",
        currency="EUR",
        n_boot=300,
    )
    params.pop("notebook", None)
    result = run_report(
        "ab_campaign_evaluation",
        params,
        out_dir=tmp_path / "reports",
        name="ab_it",
        notebooks_dir=REPO / "notebooks",
        update_index=False,
    )
    assert result.ok, result
    page = result.html.read_text(encoding="utf-8")
    assert '<html lang="it">' in page
    from test_report_language import _visible_text

    text = " ".join(_visible_text(re.sub(r"data:image/[\w+]+;base64,[^\"']+", "", page)))
    for name in names.values():
        text = text.replace(name, "")
    text = re.sub(r"\b(fast_followup|sequence_b|control|C_AB_MQL_SLA)\b", "", text)
    text = text.replace("= variant.", "")  # the methods name the data's column (arm = variant)
    (tmp_path / "visible.txt").write_text(text, encoding="utf-8")
    left = [
        (w, text[max(0, m.start() - 60) : m.end() + 60])
        for w in ENGLISH_LEFT
        for m in re.finditer(rf"(?<![\wÀ-ÿ]){re.escape(w)}(?![\wÀ-ÿ])", text)
    ]
    assert not left, f"English left on the Italian page: {left}"
    assert "Sintesi" in text and "Metodi e definizioni" in text and "Raccomandazione" in text
