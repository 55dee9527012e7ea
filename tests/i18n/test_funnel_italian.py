"""The funnel report in Italian: every fixed word goes through the catalog (pseudo language), the
real report reads in Italian, and English stays as it was (the funnel tests, untouched)."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
import yaml
from babel.dates import get_month_names

from salesops_lib import i18n
from salesops_lib.analyses.funnel import funnel_analysis
from salesops_lib.i18n import PSEUDO, language
from tests.i18n._text import visible_text as _visible_text

REPO = Path(__file__).resolve().parents[2]

#: Runs that reach every block: the demo's comparison and experiment banner; campaign members
#: left out (exclusion note, flagged nothing); a two-stage filtered funnel with no comparison and
#: no breakdowns (sections listed as not shown); a recent quarter (too-recent notes) with weekly
#: cohorts.
CONFIGS = [
    dict(
        stages=["created", "MQL", "SQL", "opportunity", "won"],
        window_days=120,
        breakdowns=["source"],
        period_start="2026-01-01",
        period_end="2026-03-31",
    ),
    dict(
        stages=["created", "MQL", "SQL", "opportunity", "won"],
        window_days=120,
        breakdowns=["source", "region"],
        period_start="2025-10-01",
        period_end="2025-12-31",
        exclude_campaign_members=["C_AB_MQL_SLA"],
    ),
    dict(
        stages=["created", "won"], window_days=90, filters={"region": ["EMEA"]}, compare_to="none"
    ),
    dict(
        stages=["created", "MQL", "SQL"],
        window_days=30,
        breakdowns=["source"],
        period_start="2026-07-01",
        period_end="2026-09-30",
        cohort_grain="week",
        cohort_periods=8,
    ),
]


@pytest.fixture(autouse=True)
def _session_back_to_english():
    yield
    i18n.use_language("en", "UTC")


def _outside_markers(text: str) -> str:
    """``text`` without its ⟦...⟧ parts (nested ones too: a message inside another's field)."""
    while True:
        new = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if new == text:
            return new
        text = new


def _data_words(res) -> set[str]:
    """The data's own words a report shows as they are: stages, columns, segment values,
    campaign ids, period and cohort labels, table names, Italian month abbreviations."""
    words = set(res.meta.stages) | {"n", "p", "utc", "q1", "q2", "q3", "q4"}
    words |= {m.lower() for m in get_month_names("abbreviated", locale="it").values()}
    words |= {"leads", "lead_history", "opportunities", "opportunity_history"}  # table names
    found = [str(res.meta.period), str(res.previous or "")]
    if res.segments is not None:
        found += list(res.segments.table["segment_column"]) + list(res.segments.table["segment"])
    if res.campaigns is not None and len(res.campaigns):
        found += list(res.campaigns["campaign_id"])
    found += [f"{c}={' '.join(v)}" for c, v in res.meta.filters]
    for text in found:
        words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9_\-/]*", text)}
    return {w.lower() for w in words}


def _left_in_english(texts, allowed: set[str]) -> list[tuple[str, str]]:
    left = []
    for text in texts:
        for token in re.findall(r"[A-Za-z][A-Za-z0-9_\-/]*", _outside_markers(text)):
            if token.lower() not in allowed:
                left.append((token, text))
    return left


@pytest.fixture(scope="module")
def pseudo_results(demo_db: Path):
    """The funnel results computed in the pseudo language (notes are written at run time)."""
    with language(PSEUDO, timezone="Europe/Rome"):
        return [funnel_analysis(str(demo_db), as_of="2026-09-30", **cfg) for cfg in CONFIGS]


def test_pseudo_locale_leaves_no_untranslated_text_in_the_report_blocks(pseudo_results):
    """Banners, summary, cards, sections (titles, intros, notes), detail tables, methods and
    "not in this report": nothing visible outside ⟦ ⟧ but the data's values and numbers."""
    from salesops_lib.viz.html import Heading, Paragraph

    for res in pseudo_results:
        with language(PSEUDO, timezone="Europe/Rome"):
            blocks = [res.top(), res.tables(), res.methods(), res.not_shown()]
            for s in res.sections():
                blocks.append(Heading(s.title))
                blocks += [Paragraph(s.intro)] if s.intro else []
                blocks += list(s.blocks)
            pages = [b._repr_html_() for b in blocks]
            heads = [res.headline(), *res.headlines().values(), *res.warnings()]
            for part in ("steps", "segments", "time_to_convert", "cohorts", "comparison"):
                if getattr(res, part) is not None:
                    pages.append(getattr(res, part)._repr_html_())
        # formulas are notation ("C_k = p_1 × … × p_k"), not words
        pages = [re.sub(r'<div class="so-formula">.*?</div>', "", p, flags=re.S) for p in pages]
        texts = [t for page in pages for t in _visible_text(page)] + heads
        left = _left_in_english(texts, _data_words(res))
        assert not left, f"untranslated in the funnel report: {left[:20]}"
        assert any("⟦" in t for t in texts)


def test_pseudo_locale_leaves_no_untranslated_text_on_the_charts(pseudo_results):
    """Titles, axis labels, tick labels, legends and annotations of every chart the report
    shows are translated words, data values or numbers."""
    drawn = 0
    for res in pseudo_results:
        allowed = _data_words(res)
        with language(PSEUDO, timezone="Europe/Rome"):
            kinds = [k for s in res.sections() if not s.absent for k in s.plots]
            for kind in kinds:
                fig = res.plot(kind).figure
                try:
                    texts = [
                        t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()
                    ]
                    left = _left_in_english(texts, allowed)
                    assert not left, f"untranslated on the {kind} chart: {left[:20]}"
                    assert any("⟦" in t for t in texts), kind
                    drawn += 1
                finally:
                    plt.close(fig)
    assert drawn >= 12


def test_english_charts_and_words_are_unchanged(demo_db: Path):
    """A few fixed English strings as before (the funnel tests check the rest, untouched)."""
    res = funnel_analysis(str(demo_db), as_of="2026-09-30", **CONFIGS[0])
    summary = list(res.summary())
    assert summary[0].startswith("Of the 2,606 leads created in Q1 2026, an estimated 3.8%")
    assert "Read with care:" in res.top()._repr_html_()
    ax = res.plot("comparison")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "created → won (overall)" in labels
    assert ax.get_xlabel().startswith("Change in conversion rate vs previous period")
    plt.close(ax.figure)


def test_italian_articles_before_numbers():
    from salesops_lib.analyses.funnel._narrative import articles

    assert articles("contro il 0% nel Q1 2026") == "contro il 0% nel Q1 2026"  # English: as is
    with language("it"):
        assert articles("contro il 0% nel Q1 2026") == "contro lo 0% nel Q1 2026"
        assert articles("Il 80% e il 18%") == "L'80% e il 18%"
        assert articles("dal 1 gen al 31 mar, dei 11 e dei 1.651") == (
            "dall'1 gen al 31 mar, degli 11 e dei 1.651"
        )
        # sentences are written for "lead"; "opportunità" is feminine
        assert articles("Dei 298 opportunità creati, il 5% dei lead creati") == (
            "Delle 298 opportunità create, il 5% dei lead creati"
        )
        assert articles("tra i opportunità convertiti; I opportunità ancora aperti") == (
            "tra le opportunità convertite; Le opportunità ancora aperte"
        )


def test_opportunity_funnel_agrees_in_italian(demo_db: Path):
    with language("it"):
        res = funnel_analysis(str(demo_db), funnel="opportunity", as_of="2026-09-30")
        text = " ".join([*res.summary(), res.headline(), *res.warnings()])
        text += res.cards()._repr_html_() + res.methods()._repr_html_()
    assert "Delle " in text and "opportunità create" in text
    assert not re.search(r"\b(dei|degli|i) opportunità|opportunità (creati|convertiti)\b", text)


# --------------------------------------------------------------------------- the real report

ENGLISH = [" the ", " of ", " and ", " with ", " from ", " leads ", " rate ", " stage "]
ENGLISH_WORDS = ["Summary", "Methods", "interval", "conversion", "days", "Read", "care", "Chart"]


@pytest.mark.slow
def test_funnel_report_in_italian(tmp_path: Path, demo_db: Path):
    """The funnel notebook run by the report runner with ``language: it``: ``<html lang="it">``
    and no English words left in what a reader sees (data values excepted)."""
    from salesops_lib.report.runner import run_report

    params = yaml.safe_load((REPO / "params" / "funnel_analysis.yaml").read_text())
    params.update(
        source=str(demo_db),
        title="Funnel dei lead, coorte Q1 2026",
        language="it",
        timezone="Europe/Rome",
    )
    params.pop("notebook", None)
    run = run_report(
        "funnel_analysis",
        params,
        out_dir=tmp_path,
        name="funnel_it",
        notebooks_dir=REPO / "notebooks",
        update_index=False,
    )
    assert run.status == "ok", run
    page = Path(run.html).read_text()
    assert '<html lang="it">' in page
    text = " ".join(_visible_text(re.sub(r'src="data:[^"]*"', "", page)))
    text = re.sub(r"\s+", " ", text)
    assert "Sintesi" in text and "Metodi e definizioni" in text
    assert "Dove il funnel perde" in text
    left = [w for w in ENGLISH if w in text]
    left += [w for w in ENGLISH_WORDS if re.search(rf"\b{w}\b", text)]
    assert not left, f"English left in the Italian funnel report: {left}"
