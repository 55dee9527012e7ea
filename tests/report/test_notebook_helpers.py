"""In-notebook helpers: notebook_setup and publish_results (no kernel)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import json
import math
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from ipykernel.inprocess.manager import InProcessKernelManager
from matplotlib.figure import Figure
from PIL import Image

from salesops_lib.report import notebook as nbmod
from salesops_lib.report.notebook import (
    PROVENANCE_KEY,
    RESULTS_MIME,
    json_safe,
    notebook_setup,
    publish_results,
)
from salesops_lib.viz.theme import new_figure


def test_public_exports():
    import salesops_lib.report as report

    assert report.notebook_setup is notebook_setup
    assert report.publish_results is publish_results
    assert callable(report.run_report) and callable(report.run_all) and callable(report.write_index)
    assert sorted(report.__all__) == report.__all__


@dataclasses.dataclass
class _Point:
    x: float
    when: dt.date


def test_json_safe():
    value = {
        "i": np.int64(3),
        "f": np.float32(0.5),
        "nan": float("nan"),
        "npnan": np.float64("nan"),
        "inf": math.inf,
        "b": np.bool_(True),
        "ts": pd.Timestamp("2026-09-30 12:00"),
        "nat": pd.NaT,
        "na": pd.NA,
        "date": dt.date(2026, 9, 30),
        "arr": np.array([1, 2]),
        "series": pd.Series([1.5, None]),
        "frame": pd.DataFrame({"a": [1, 2], "b": ["x", None]}),
        "tuple": (1, "a"),
        "path": Path("data/demo.duckdb"),
        "point": _Point(1.0, dt.date(2026, 1, 1)),
        "td": pd.Timedelta(days=1),
        1: "int key",
    }
    out = json_safe(value)
    json.dumps(out, allow_nan=False)  # strictly JSON
    assert out["i"] == 3 and isinstance(out["i"], int)
    assert out["f"] == 0.5
    assert out["nan"] is None and out["npnan"] is None and out["inf"] is None
    assert out["b"] is True
    assert out["ts"] == "2026-09-30T12:00:00"
    assert out["nat"] is None and out["na"] is None
    assert out["date"] == "2026-09-30"
    assert out["arr"] == [1, 2]
    assert out["series"] == [1.5, None]
    assert out["frame"] == [{"a": 1, "b": "x"}, {"a": 2, "b": None}]
    assert out["tuple"] == [1, "a"]
    assert out["path"] == "data/demo.duckdb"
    assert out["point"] == {"x": 1.0, "when": "2026-01-01"}
    assert out["td"] == 86400.0
    assert out["1"] == "int key"


class _FakeSource:
    as_of = pd.Timestamp("2026-09-30 23:00")

    def fingerprint(self) -> str:
        return "abc123def456"

    def describe(self) -> pd.DataFrame:
        return pd.DataFrame({"table": ["leads", "reps"], "rows": [np.int64(5000), np.int64(25)]})


def test_publish_results_displays_bundle(monkeypatch: pytest.MonkeyPatch):
    shown = []
    monkeypatch.setattr(nbmod, "_in_ipython", lambda: object())
    # the module binds IPython.display.display at import: patch that binding
    monkeypatch.setattr(nbmod, "display", lambda obj, raw=False: shown.append((obj, raw)))
    assert (
        publish_results({"rate": np.float64(0.25), "gap": float("nan")}, source=_FakeSource())
        is None
    )
    ((bundle, raw),) = shown
    assert raw is True
    assert bundle["text/plain"] == "results recorded"
    payload = bundle[RESULTS_MIME]
    assert payload["rate"] == 0.25 and payload["gap"] is None
    assert payload[PROVENANCE_KEY] == {
        "data_fingerprint": "abc123def456",
        "as_of": "2026-09-30T23:00:00",
        "rows": {"leads": 5000, "reps": 25},
    }
    json.dumps(payload, allow_nan=False)


def test_publish_results_outside_ipython_is_silent(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(nbmod, "_in_ipython", lambda: None)
    assert publish_results({"a": 1}, provenance={"data_fingerprint": "x"}) is None


def test_notebook_setup_outside_ipython(monkeypatch: pytest.MonkeyPatch):
    import matplotlib

    monkeypatch.setattr(nbmod, "_in_ipython", lambda: None)
    with pd.option_context("display.max_rows", 10):
        notebook_setup()
        assert pd.get_option("display.max_rows") == 60
        assert pd.get_option("display.float_format")(12345.678) == "12,346"
        assert pd.get_option("display.float_format")(0.1234) == "0.123"
    assert matplotlib.get_backend().lower() == "agg"
    assert matplotlib.rcParams["savefig.dpi"] == 110


def _png_height(png: bytes) -> int:
    return Image.open(io.BytesIO(png)).height


def _savefig(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def test_a_charts_headline_becomes_html_text_above_the_picture():
    fig, ax = new_figure()
    ax.barh(["a", "b"], [1, 2])
    ax.set_title(r"Paid <search> costs \$1,200 per deal, 2.8× the referrals")
    with_title = _savefig(fig)
    html = nbmod._figure_html(fig)
    assert html is not None
    assert html.startswith('<figure class="so-chart"><p class="so-chart-title">')
    assert "Paid &lt;search&gt; costs $1,200 per deal, 2.8× the referrals</p>" in html
    assert 'alt="Chart: Paid &lt;search&gt; costs $1,200' in html
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    # the picture is drawn without its title (shorter); the figure itself keeps it
    assert _png_height(base64.b64decode(data)) < _png_height(with_title) - 10
    assert ax.get_title(loc="left").startswith("Paid") and ax._left_title.get_visible()
    plt.close("all")


def test_figures_without_one_headline_keep_the_png_display():
    fig, ax = new_figure()
    assert nbmod._figure_html(fig) is None  # no title
    ax.set_title("Win rate by team")
    fig.suptitle("Overall")
    assert nbmod._figure_html(fig) is None  # a suptitle
    fig, axes = plt.subplots(1, 2)
    axes[0].set_title("EMEA")
    axes[1].set_title("NA")
    assert nbmod._figure_html(fig) is None  # small multiples
    fig, ax = new_figure()
    ax.set_title(r"Rate $\alpha$ by team")
    assert nbmod._figure_html(fig) is None  # mathtext stays in the picture
    plt.close("all")


def test_in_ipython_a_headline_chart_is_drawn_once_as_html_and_others_as_png():
    # IPython computes every registered format of a figure: a chart with one headline must not
    # also be drawn as a PNG of its own (never shown, twice the drawing); others keep the PNG
    km = InProcessKernelManager()
    km.start_kernel()
    try:
        shell = km.kernel.shell
        nbmod.notebook_setup()
        titled, ax = plt.subplots()
        ax.plot([1, 2, 3])
        ax.set_title("Win rate by month")
        data, _ = shell.display_formatter.format(titled)
        assert "text/html" in data and "image/png" not in data
        assert '<p class="so-chart-title">Win rate by month</p>' in data["text/html"]
        plain, ax = plt.subplots()
        ax.plot([1, 2, 3])
        data, _ = shell.display_formatter.format(plain)
        assert "image/png" in data and "text/html" not in data
    finally:
        plt.close("all")
        km.shutdown_kernel()
        matplotlib.use("agg")
