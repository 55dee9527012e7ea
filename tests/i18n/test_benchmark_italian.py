"""The benchmarking report in Italian: every word of it goes through the catalog.

Two checks. In the pseudo language (:data:`salesops_lib.i18n.PSEUDO`) every translated string
comes back as ``⟦...⟧``: the result is computed and every block the report shows (headline,
banners, summary, cards, sections, detail tables, "not in this report", methods) and every chart
is built, and nothing visible may be left outside the markers but data values (rep, team and
territory names, benchmark sources), numbers and dates. Then the real notebook runs through the
report runner with ``language: it`` and its HTML must hold no English words.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml
from babel.dates import get_month_names

from salesops_lib import i18n
from salesops_lib.analyses.benchmark import BenchmarkParams, benchmark_reps
from salesops_lib.analyses.benchmark import _definitions as D
from salesops_lib.i18n import PSEUDO, language
from salesops_lib.i18n.it import MESSAGES
from tests.i18n._text import visible_text as _visible_text

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "params" / "benchmarks" / "external.yaml"
TS = pd.Timestamp

MONTHS = {m.lower() for m in get_month_names("abbreviated", locale="it").values()}
#: Symbols and units that are not words: n (sample size), p.p., Mln, UTC, the currency codes.
SYMBOLS = {"n", "p", "mln", "mld", "utc", "usd", "eur", "x"}


@pytest.fixture(autouse=True)
def _session_back_to_english():
    yield
    i18n.use_language("en", "UTC")
    plt.close("all")


def _quiet(**kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return benchmark_reps(**kw)


def _tiny() -> dict[str, pd.DataFrame]:
    """Three reps and a missing owner (R9); only `opportunities` and `reps`, as a fresh CRM
    export: the parts that need quotas, activities and leads are left out with a note."""
    reps = pd.DataFrame(
        {
            "rep_id": ["R1", "R2", "R3"],
            "name": ["Ann", "Bob", "Cy"],
            "team": ["Nord", "Nord", "Sud"],
            "region": ["NA", "NA", "EMEA"],
            "territory": ["T1", "T1", "T2"],
            "hired_at": [TS("2020-01-01"), TS("2026-02-16"), TS("2020-01-01")],
            "left_at": [pd.NaT, pd.NaT, TS("2026-03-31")],
        }
    )
    opps = pd.DataFrame(
        {
            "opportunity_id": [f"O{i}" for i in range(1, 10)],
            "created_at": [TS("2026-01-05")] * 9,
            "owner_id": ["R1", "R1", "R1", "R1", "R2", "R3", "R3", "R9", "R3"],
            "stage": ["x"] * 9,
            "is_closed": [True, True, True, False, True, True, True, True, True],
            "is_won": [True, False, True, False, True, False, True, True, True],
            "amount": [100.0, 200.0, 300.0, 400.0, 50.0, 80.0, 120.0, 10.0, 70.0],
            "close_date": pd.to_datetime(
                [
                    "2026-01-15",
                    "2026-02-10",
                    "2026-03-03",
                    "2026-07-30",
                    "2026-05-01",
                    "2026-02-04",
                    "2026-03-22",
                    "2026-04-02",
                    "2026-05-20",  # after R3 left: not credited, a banner says so
                ]
            ).date,
        }
    )
    return {"reps": reps, "opportunities": opps}


def _results() -> list:
    """Benchmark results computed in the current language: the demo warehouse (every part, the
    previous period, external placeholders) and a bare three-rep export (parts left out, an
    unknown owner, a deal closed after its owner left)."""
    return [
        _quiet(
            source=_DEMO["db"],
            period_start="2025-10-01",
            period_end="2026-09-30",
            as_of="2026-09-30",
            quota_basis="adjusted",
            benchmarks_file=str(EXTERNAL),
            compare_previous=True,
        ),
        _quiet(
            source=_tiny(),
            period_start="2026-01-01",
            period_end="2026-06-30",
            as_of="2026-06-30 23:59:59",
            min_closed=1,
        ),
        # a real, like-for-like external benchmark: compared in the summary and the cards
        _quiet(
            source=_DEMO["db"],
            period_start="2025-10-01",
            period_end="2026-09-30",
            as_of="2026-09-30",
            benchmarks_file=[
                {
                    "metric": m,
                    "value": v,
                    "unit": "u",
                    "definition": "Their own words.",
                    "source": "Publisher: survey",
                    "year": 2025,
                    "like_for_like": True,
                }
                for m, v in (
                    ("win_rate", 0.30),
                    ("cycle_median_days", 40),
                    ("activities_per_day", 50),
                )
            ],
        ),
        # one rep: nothing to compare, the comparing sections are left out
        _quiet(
            source={
                "opportunities": _tiny()["opportunities"].iloc[:2],
                "reps": _tiny()["reps"].iloc[:1],
            },
            period_start="2026-01-01",
            period_end="2026-06-30",
            as_of="2026-06-30 23:59:59",
        ),
    ]


_DEMO: dict[str, Path] = {}


@pytest.fixture(scope="module")
def pseudo_results(demo_db):
    _DEMO["db"] = demo_db
    with language(PSEUDO):
        return _results()


def _data_phrases(res) -> list[str]:
    """Whole texts that are the data's own values: the external benchmarks' sources,
    definitions and stated differences (in the publisher's words), the benchmarks file's path."""
    b = res.benchmarks[res.benchmarks["kind"] == "external"]
    out = [str(res.benchmarks_file or "")]
    for c in ("benchmark_source", "benchmark_definition", "differences"):
        if c in b.columns:
            out += [str(v) for v in b[c].dropna() if str(v).strip()]
    return sorted({p for p in out if p.strip()}, key=len, reverse=True)


def _data_words(res) -> set[str]:
    """Words that are the data's own values: names, ids, teams, regions, territories, unknown
    owner ids, the external benchmarks' short source names."""
    words: set[str] = set()
    frames = [res.reps, res.teams, res.regions, res.territories, res.balance]
    cols = ["rep_id", "name", "team", "region", "territory"]
    texts: list[str] = []
    for f in frames:
        for c in cols:
            if c in f.columns:
                texts += [str(v) for v in f[c].dropna().unique()]
    b = res.benchmarks[res.benchmarks["kind"] == "external"]
    if "benchmark_source_short" in b.columns:
        texts += [str(v) for v in b["benchmark_source_short"].dropna()]
    texts += list(res.unknown_owners)
    for t in texts:
        words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9_\-/]*", t)}
    return words


def _strip_markers(text: str) -> str:
    """``text`` without its ⟦...⟧ spans (innermost first: a message may hold another)."""
    prev = None
    while prev != text:
        prev, text = text, re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    return text


def _leftovers(texts, allowed: set[str], phrases: list[str] = ()) -> list[tuple[str, str]]:
    left = []
    for text in texts:
        rest = _strip_markers(text)
        for phrase in phrases:
            rest = rest.replace(phrase, " ")
        for token in re.findall(r"[A-Za-z][A-Za-z0-9_\-/]*", rest):
            if token.lower() not in allowed | MONTHS | SYMBOLS:
                left.append((token, text))
    return left


def _report_blocks(res) -> list:
    """Every block the notebook displays, in order (``res.top()``, ``res.show(key)`` for each
    section, ``res.tables()``, ``res.not_shown()``, ``res.methods()``)."""
    from salesops_lib.viz.html import Heading, Paragraph

    blocks = [res.top()]
    for s in res.sections():
        if s.absent:
            continue
        blocks.append(Heading(s.title))
        if s.intro:
            blocks.append(Paragraph(s.intro))
        blocks += list(s.blocks)
    blocks += [res.tables(), res.not_shown(), res.methods()]
    return blocks


def test_pseudo_locale_leaves_no_untranslated_text_on_the_benchmark_report(pseudo_results):
    for res in pseudo_results:
        allowed = _data_words(res)
        with language(PSEUDO):
            texts = [res.headline(), *res.warnings()]
            for block in _report_blocks(res):
                texts += _visible_text(block._repr_html_())
            for s in res.sections():
                texts += [s.title, s.absent or ""]
        left = _leftovers(texts, allowed, _data_phrases(res))
        assert not left, f"untranslated on the benchmark report: {left[:20]}"
        assert any("⟦" in t for t in texts)


def test_pseudo_locale_leaves_no_untranslated_text_on_the_benchmark_charts(pseudo_results):
    import matplotlib.text

    drawn = 0
    for res in pseudo_results:
        allowed = _data_words(res)
        for s in res.sections():
            if s.absent:
                continue
            for kind in s.plots:
                with language(PSEUDO):
                    ax = res.plot(kind)
                    fig = ax.figure
                    fig.canvas.draw()  # tick labels are made at draw time
                    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
                plt.close(fig)
                texts = [t for t in texts if t.strip()]
                assert texts and any("⟦" in t for t in texts), kind
                left = _leftovers(texts, allowed, _data_phrases(res))
                assert not left, f"untranslated on the {kind} chart: {left[:20]}"
                drawn += 1
    assert drawn >= 4  # leaderboard, funnel, attainment and balance on the demo


def test_every_coded_word_of_the_benchmark_report_has_an_italian_entry():
    """The words kept as English codes and translated where shown (``_words.py``): metric names,
    definitions and formulas, the parts the data may not support."""
    texts = [t for m in D.METRICS.values() for t in (m.label, m.definition, m.formula)]
    texts += [what for what, _plural in D.PARTS.values()]
    missing = [t for t in texts if t not in MESSAGES]
    assert not missing, f"untranslated into Italian: {missing}"


def test_italian_summary_reads_in_italian(pseudo_results, demo_db):
    _DEMO["db"] = demo_db
    with language("it"):
        demo, tiny, *_others = _results()
        head = demo.headline()
        summary = " ".join(demo.summary())
        tiny_banners = " ".join(b.text for b in tiny.banners())
    assert head.startswith("Tasso di vittoria ")
    assert "trattative chiuse" in head
    assert "Il team ha vinto" in summary
    assert "dopo l'uscita del suo titolare" in tiny_banners
    assert "Cy (R3)" in tiny_banners  # names are data, not translated


# --------------------------------------------------------------------------------------------
# the real report through the runner
# --------------------------------------------------------------------------------------------

ENGLISH = [
    " the ",
    " of ",
    " and ",
    " with ",
    "Summary",
    "Methods",
    "interval",
    "win rate",
    "deals",
    "days",
    "per day",
]


@pytest.mark.slow
def test_benchmarking_report_in_italian_through_the_runner(demo_db, tmp_path):
    from salesops_lib.report.runner import run_report

    params = {
        "title": "Benchmark dei venditori: chi vince di più, chi ha bisogno di supporto",
        "source": str(demo_db),
        "as_of": "2026-09-30",
        "language": "it",
        "timezone": "Europe/Rome",
        "period_start": "2025-10-01",
        "period_end": "2026-09-30",
        "benchmarks_file": str(EXTERNAL),
        "quota_basis": "adjusted",
        "compare_previous": True,
    }
    res = run_report(
        "benchmarking",
        params,
        out_dir=tmp_path,
        notebooks_dir=ROOT / "notebooks",
        update_index=False,
    )
    assert res.ok, res.error
    html = Path(res.html).read_text(encoding="utf-8")
    assert '<html lang="it">' in html
    text = " ".join(_visible_text(html))
    text = re.sub(r"\s+", " ", text)
    # the data's own words: the external benchmarks file (sources, definitions, differences)
    # and the parameters' values and file paths shown in the parameters table
    entries = yaml.safe_load(EXTERNAL.read_text(encoding="utf-8"))["benchmarks"]
    for e in entries:
        for key in ("definition", "source", "differences"):
            if e.get(key):
                text = text.replace(re.sub(r"\s+", " ", str(e[key]).strip()), " ")
    text = text.replace(str(EXTERNAL), " ").replace(str(demo_db), " ")
    found = {
        w: re.search(
            re.escape(w) if w.startswith(" ") else rf"(?<![^\W\d_]){re.escape(w)}(?![^\W\d_])",
            text,
            0 if w.startswith(" ") else re.I,
        )
        for w in ENGLISH
    }  # whole words: "intervallo" is Italian, "interval" is not
    left = {w: text[max(0, m.start() - 80) : m.end() + 80] for w, m in found.items() if m}
    assert not left, f"English left on the Italian report: {left}"
    assert "Sintesi" in text and "Metodi e definizioni" in text
    assert "Tasso di vittoria" in text


def test_italian_is_accepted_for_the_benchmark_report():
    p = BenchmarkParams.from_namespace({"title": "t", "language": "it"})
    assert p.language == "it"
