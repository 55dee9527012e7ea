"""Shape fuzz test and sentence sweep (issue 9): any valid shape renders or fails with a kit error.

``SHAPES`` random small canonical datasets (fixed seeds; 2–6 stages, 2–4 arms, 0–400 leads, one
or several metrics of each kind, optional tables and columns missing, empty and partial periods,
three currencies) go through every analysis in-process: the function, then every part of the
result a report shows (headline, summary, banners, cards, tables, sections, not-shown list,
methods, JSON results, each plot kind). Each run must either succeed with clean sentences or
raise a :class:`~salesops_lib.errors.SalesOpsError` with a message; any other exception, or a
leftover string in a generated sentence, fails the test with the seed to reproduce it.

``SHAPES`` datasets (default 200; ``SALESOPS_FUZZ_SHAPES`` for more) each go through two of the
five analyses in turn (400 runs), so every analysis sees 80 shapes. A sample is also rendered
through the real report runner (kernels, papermill, nbconvert): it gives a report or exits 2.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import warnings
from collections import Counter
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest

from salesops_lib.analyses.benchmark import benchmark_reps
from salesops_lib.analyses.experiment import evaluate_experiment
from salesops_lib.analyses.forecast import pipeline_forecast
from salesops_lib.analyses.funnel import funnel_analysis
from salesops_lib.analyses.kpis import sales_kpis
from salesops_lib.data.sources import open_source
from salesops_lib.errors import SalesOpsError
from tests.analyses._shapes import Shape, make_shape, params_for

SHAPES = int(os.environ.get("SALESOPS_FUZZ_SHAPES", "200"))
FUNCTIONS = {
    "funnel": funnel_analysis,
    "experiment": evaluate_experiment,
    "benchmark": benchmark_reps,
    "kpis": sales_kpis,
    "forecast": pipeline_forecast,
}
#: Strings that must never reach a reader (issue 9, point 3).
LEFTOVERS = [
    (re.compile(r"\bnan\b", re.I), "nan"),
    (re.compile(r"\bNone\b"), "None"),
    (re.compile(r"\bNaT\b"), "NaT"),
    (re.compile(r"(?<![\d.,])1 days\b"), "1 days"),
    (re.compile(r"\b0 of 0\b"), "0 of 0"),
    (re.compile(r"(?<![A-Za-z])-?inf\b"), "inf"),
    # a template's braces: "{name}", "{x:.1f}", "{r['n']}", "{}" (set notation in a formula,
    # "{d: S(d) > q}", has spaces; unbalanced braces are checked apart)
    (re.compile(r"\{[^\s{}]*\}"), "template brace"),
    (re.compile(r"<class |Timestamp\(|dtype"), "repr"),
]
#: Names that exist only in the demo warehouse.
DEMO_NAMES = (
    "C_AB_MQL_SLA",
    "fast_followup",
    "sequence_b",
    "Team North",
    "EMEA-South",
    "Dana Whitfield",
    "Paid Search",
    "Disqualified",
    "Closed Won",
    "Prospecting",
    "Negotiation",
    "Team West",
    "SaaStr",
)
#: The unit noun of a run must be the only one: "leads" never names visitors or deals (the
#: table's name in "Source tables: leads: 400 rows" is a name, not a noun).
_LEAD_WORD = re.compile(r"\bleads?\b(?!`| table| id| history|_|\.\w|: [\d,]+ rows)", re.I)


def _text(block: Any) -> str:
    """The visible text of a displayable block (tags and CSS stripped)."""
    raw = block._repr_html_() if hasattr(block, "_repr_html_") else str(block)
    raw = re.sub(r"<style.*?</style>", " ", raw, flags=re.S)
    raw = re.sub(r"<[^>]+>", " ", raw)
    return html_lib.unescape(raw)


def _axes_texts(ax: Any) -> list[str]:
    fig = ax.figure
    out = []
    for a in fig.axes:
        out += [a.get_title(), a.get_xlabel(), a.get_ylabel()]
        out += [t.get_text() for t in a.texts]
        out += [t.get_text() for t in a.get_yticklabels()]
        legend = a.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    out += [t.get_text() for t in fig.texts]
    return out


def _report_texts(res: Any) -> list[str]:
    """Everything a report shows in words, with plots drawn (their titles and labels kept).

    Every plot kind is drawn, not only those the sections list: a kind that has nothing to show
    for this shape must say so with a kit error, never crash.
    """
    texts = [res.headline(), _text(res.top()), _text(res.tables()), _text(res.methods())]
    texts.append(_text(res.not_shown()))
    drawn = set()
    for s in res.sections():
        if s.absent:
            continue
        texts += [s.title, s.intro or ""] + [_text(b) for b in s.blocks]
        for kind in s.plots:
            ax = res.plot(kind)
            texts += _axes_texts(ax)
            plt.close(ax.figure)
            drawn.add(kind.partition(":")[0])
    for kind in set(res.PLOT_KINDS) - drawn:
        try:
            ax = res.plot(kind)
        except SalesOpsError as err:
            texts.append(str(err))
            continue
        finally:
            plt.close("all")
        texts += _axes_texts(ax)
        plt.close(ax.figure)
    json.dumps(res.to_results(), allow_nan=False)
    return texts


def _problems(texts: list[str], shape: Shape, unit: str = "lead") -> list[str]:
    found = []
    names = {
        str(x)
        for t in shape.tables.values()
        for c in t.columns
        if t[c].dtype == object
        for x in t[c].dropna().unique()[:50]
    }
    for text in texts:
        for pat, label in LEFTOVERS:
            m = pat.search(text)
            if m:
                found.append(f"{label}: …{text[max(0, m.start() - 60) : m.end() + 40]}…")
        if text.count("{") != text.count("}"):
            found.append(f"unbalanced brace: …{text[:120]}…")
        for name in DEMO_NAMES:
            if name in text and name not in names:
                found.append(f"demo name {name!r}: …{text[:120]}…")
        if shape.currency != "USD" and "$" in text:
            i = text.index("$")
            found.append(f"'$' on a {shape.currency} source: …{text[max(0, i - 60) : i + 40]}…")
        if unit != "lead":
            m = _LEAD_WORD.search(text)
            if m:
                found.append(f"'lead' for {unit}s: …{text[max(0, m.start() - 60) : m.end() + 40]}…")
    return found


def _unit(analysis: str, kwargs: dict[str, Any]) -> str:
    """The unit noun a run's sentences must use ("lead" when leads may be named)."""
    if analysis == "experiment":
        return str(kwargs.get("unit_label", "lead"))
    if analysis == "funnel" and kwargs.get("unit_label"):
        return str(kwargs["unit_label"])
    if analysis == "funnel" and kwargs.get("funnel") == "opportunity":
        return "opportunity"
    return "lead"


def _run(analysis: str, seed: int) -> tuple[str, str]:
    shape = make_shape(seed)
    rng = np.random.default_rng(10_000 + seed)
    kwargs = params_for(analysis, shape, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            src = open_source(shape.tables)
            res = FUNCTIONS[analysis](src, **kwargs)
            texts = _report_texts(res)
        except SalesOpsError as err:
            msg = str(err)
            assert len(msg) > 20 and "Traceback" not in msg, (seed, analysis, msg)
            return "kit error", f"{type(err).__name__}: {msg[:160]}"
        except Exception as err:  # the test's point: report it with the seed
            raise AssertionError(
                f"{analysis}, shape seed {seed} ({shape.description}), params {kwargs}: "
                f"{type(err).__name__}: {err}"
            ) from err
        finally:
            plt.close("all")
    bad = _problems(texts, shape, _unit(analysis, kwargs))
    assert not bad, (
        f"{analysis}, shape seed {seed} ({shape.description}), params {kwargs}:\n"
        + "\n".join(bad[:8])
    )
    return "ok", ""


@pytest.mark.parametrize("analysis", sorted(FUNCTIONS))
def test_every_shape_renders_or_fails_with_a_kit_error(analysis):
    order = sorted(FUNCTIONS)
    k, n = order.index(analysis), len(order)
    seeds = [s for s in range(SHAPES) if k in (s % n, (s + 1) % n)]
    outcomes: Counter[str] = Counter()
    failures = []
    for seed in seeds:
        try:
            outcome, why = _run(analysis, seed)
            if outcome == "kit error" and "has no table" in why:
                outcome = "required table absent"  # a right answer, but not a test of the report
            outcomes[outcome] += 1
            if why:
                print(f"  seed {seed}: {why}")
        except AssertionError as err:
            failures.append(str(err)[:1500])
    print(f"{analysis}: {dict(outcomes)}, {len(failures)} failures")
    assert not failures, f"{len(failures)} of {len(seeds)} shapes failed:\n\n" + "\n\n".join(
        failures[:6]
    )
    # the fuzz is not vacuous: a good part of the shapes that hold the analysis's tables give
    # a report, not an error
    eligible = len(seeds) - outcomes["required table absent"]
    assert eligible >= len(seeds) // 4 and outcomes["ok"] >= eligible // 3, dict(outcomes)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("analysis", "seed"),
    # a count-only test on accounts (EUR), a one-step funnel with segments, a one-rep benchmark
    [("experiment", 6), ("funnel", 0), ("benchmark", 0)],
)
def test_a_fuzz_shape_renders_through_the_report_runner(analysis, seed, tmp_path):
    """The real path (params model, kernel, papermill, nbconvert) on a shape the demo is not:
    a report, or exit 2 with the kit's message (never exit 1, never a traceback)."""
    import duckdb

    from salesops_lib.analyses import REGISTRY
    from salesops_lib.errors import ReportExecutionError
    from salesops_lib.report.runner import run_report

    shape = make_shape(seed)
    db = tmp_path / "shape.duckdb"
    con = duckdb.connect(str(db))
    for name, frame in shape.tables.items():
        con.register("_f", frame)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _f')
        con.unregister("_f")
    con.close()
    kwargs = params_for(analysis, shape, np.random.default_rng(10_000 + seed))
    params = {
        "title": f"Shape {seed}: {analysis}",
        "source": str(db),
        **json.loads(json.dumps(kwargs, default=str)),
    }
    params.pop("n_boot", None)
    try:
        res = run_report(REGISTRY[analysis].notebook, params, out_dir=tmp_path / "out")
    except ReportExecutionError as err:
        assert err.exit_code == 2, str(err)
        assert "Traceback" not in str(err), str(err)
        return
    assert res.ok, res.error
    html = (tmp_path / "out" / f"{res.name}.html").read_text(encoding="utf-8")
    assert "Traceback" not in html
    visible = _text(type("H", (), {"_repr_html_": lambda self: html})())
    bad = _problems([visible], shape, _unit(analysis, kwargs))
    assert not bad, bad[:5]
