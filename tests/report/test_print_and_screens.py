"""A report on paper (PDF), in JupyterLab and on a phone, checked in headless Chromium.

The page is built from hand-made notebook outputs that carry what broke before (issue 13): a
wide DataFrame whose last columns ("Cumulative from start", "Activities / day") a scrolled
table drops on paper, a 990-px chart whose headline a phone cut, a closed parameters table.

How the layout is measured: a copy of the page gets a tiny script that, on ``load``, measures
(``document.documentElement.scrollWidth``, ``innerWidth``, each image's right edge, computed
styles) and posts the numbers as JSON to an outer page that holds the copy in an iframe of the
phone's width (headless Chromium keeps its window at least 500 px wide); the outer page writes
them into a ``<pre id="so-probe">``, Chromium's ``--dump-dom`` (with a virtual-time budget, so
that ``load`` has fired and data-URI images are decoded) prints the DOM, and the test reads the
JSON back. The PDF's text comes from ``pdftotext -raw`` (content order keeps a wrapped table
header together). Tests that need Chromium or ``pdftotext`` skip, with
the reason, when the tool is missing.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from salesops_lib.cli import main
from salesops_lib.report.index import write_index
from salesops_lib.report.notebook import _figure_html
from salesops_lib.report.pdf import PdfError, find_chromium, write_pdf
from salesops_lib.report.render import render_report_page
from salesops_lib.viz.html import Banner, Blocks, Card, Cards, Summary, Table
from salesops_lib.viz.theme import new_figure

CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)

SENTENCES = [
    "Of the 671 leads created in Q1 2026, an estimated 2.8% (1.8–4.4%) will end up won, "
    "against 4.6% (3.4–6.4%) in Q4 2025; the difference of −1.8 percentage points is within "
    "chance, so we cannot tell them apart.",
    "The biggest leak is MQL → SQL: only 25.5% (21.6–29.9%) of leads that reached MQL moved "
    "on within 120 days, and the follow-up took a median of 8 days by the cut-off.",
    "By source, MQL → SQL conversion ranges from 12.0% (7.0–19.8%) for Paid Search to 34.0% "
    "(22.2–48.3%) for Social; the sources differ by more than chance (p = 0.021).",
]
WIDE_HEADERS = [
    "Step",
    "Entered",
    "Skipped this stage",
    "Too recent to judge",
    "Converted",
    "Step rate",
    "Cumulative from start",
    "Median days, converters only",
    "Closed deals",
    "Velocity/day",
    "Activities / day",
]
CHART_TITLE = "Social converts 2.8× as often as Paid Search at MQL → SQL, only 24.3% overall"


def _chart_png() -> str:
    """A house-theme chart as wide as the reports' (9 in at 110 dpi), base64 PNG."""
    fig, ax = new_figure()
    ax.barh(["Social", "Referral", "Paid Search"], [0.34, 0.33, 0.12])
    ax.set_title(CHART_TITLE)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _chart_html() -> str:
    """The same chart as the kernel displays it: headline as HTML text above the picture."""
    fig, ax = new_figure()
    ax.barh(["Social", "Referral", "Paid Search"], [0.34, 0.33, 0.12])
    ax.set_title(CHART_TITLE)
    out = _figure_html(fig)
    plt.close(fig)
    assert out is not None
    return out


def _wide_frame() -> str:
    rows = []
    for i, step in enumerate(["created → MQL", "MQL → SQL", "SQL → opportunity", "opp → won"]):
        rows.append(
            [step, 67100 - i * 9000, 14 * i, 0, 41900 - i * 9000]
            + [f"{62.4 - i:.1f}% ({58.6 - i:.1f}–{66.0 - i:.1f}%)"] * 2
            + [f"{8 + i} days ({6 + i}–{9 + i})", 281 + i, f"${1234.5 * (i + 1):,.1f}", 51.8 + i]
        )
    return pd.DataFrame(rows, columns=WIDE_HEADERS).to_html()


def _output(data: dict) -> dict:
    return new_output("display_data", data={**data, "text/plain": "x"})


def _notebook():
    top = Blocks(
        [
            Banner("Read with care: 94% of Q4 2025 leads were in an experiment.", level="warning"),
            Summary(SENTENCES),
            Cards(
                [
                    Card("Leads created", "671", delta="−13.5% vs Q4 2025", good=None),
                    Card("MQL → SQL conversion", "25.5%", delta="−13.0 pp", good=False),
                    Card("Median days MQL → SQL", "8 days", detail="95% interval 6–9 days"),
                ]
            ),
        ]
    )
    small = Table(
        pd.DataFrame(
            {"Segment": ["Social", "Paid Search"], "Leads": [47, 2231], "Rate": [0.34, 0.12]}
        ),
        formats={"Rate": "pct"},
        caption=(
            "Conversion by segment (attributed at funnel entry); small segments are not ranked."
        ),
    )
    cells = [
        new_code_cell("res.top()", outputs=[_output({"text/html": top._repr_html_()})]),
        new_markdown_cell("## For whom: conversion by source"),
        new_code_cell("res.plot()", outputs=[_output({"image/png": _chart_png()})]),
        new_code_cell("res.plot('x')", outputs=[_output({"text/html": _chart_html()})]),
        new_markdown_cell("## Detail tables"),
        new_code_cell("steps", outputs=[_output({"text/html": _wide_frame()})]),
        new_code_cell("res.tables()", outputs=[_output({"text/html": small._repr_html_()})]),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


PARAMS = {
    "title": "Lead funnel, Q1 2026 cohort: where leads are lost, how fast, and for which sources",
    "source": "data/demo.duckdb",
    "window_days": 120,
    "breakdowns": ["source"],
    "period_start": "2026-01-01",
    "compare_to": "previous_period",
}


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    page = render_report_page(
        _notebook(),
        title=PARAMS["title"],
        notebook="funnel_analysis",
        params=PARAMS,
        provenance={"kit_version": "0.1.0", "as_of": "2026-09-30T23:59:59", "duration_s": 5.7},
    )
    path = folder / "funnel.html"
    path.write_text(page, encoding="utf-8")
    return path


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _normal(text: str) -> str:
    """One space between words; a line break after a hyphen or dash joins the halves."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))
    return re.sub(r"([-–])\s+", r"\1", text).strip()


def _probe(page: Path, script: str, *, width: int, height: int = 1600) -> dict:
    """Lay ``page`` out ``width`` px wide and return what ``script`` (a JS object) measures.

    Headless Chromium keeps a window at least 500 px wide, so the page runs in an iframe of
    exactly ``width`` px (its own viewport: media queries and ``innerWidth`` follow it); on
    ``load`` the script posts its JSON to the outer page, which writes it into the DOM that
    ``--dump-dom`` prints.
    """
    probe = (
        "<script>window.addEventListener('load', () => {"
        f" parent.postMessage(JSON.stringify({script}), '*'); }});</script>"
    )
    copy = page.with_name(page.stem + f".probe{width}.html")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"))
    outer = page.with_name(page.stem + f".frame{width}.html")
    outer.write_text(
        "<!DOCTYPE html><html><body style='margin:0'>"
        f"<iframe src='{copy.name}' style='width:{width}px;height:{height}px;border:0'></iframe>"
        "<script>window.addEventListener('message', e => { const pre ="
        " document.createElement('pre'); pre.id = 'so-probe'; pre.textContent = e.data;"
        " document.body.appendChild(pre); });</script></body></html>",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={page.parent / 'chromium-profile'}",  # not shared with other runs
            f"--window-size={max(width, 800) + 40},{height + 40}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            outer.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="so-probe">(.*?)</pre>', proc.stdout, re.S)
    assert found, f"the probe did not run: {proc.stderr[-500:]}"
    return json.loads(html.unescape(found.group(1)))


# ---------------------------------------------------------------------------------------------
# paper
# ---------------------------------------------------------------------------------------------


@needs_chromium
@needs_pdftotext
def test_pdf_holds_every_table_header_and_summary_sentence(report_page: Path, tmp_path: Path):
    pdf = write_pdf(report_page, tmp_path / "funnel.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert b"/MediaBox [0 0 594.9" in pdf.read_bytes()  # A4: 595 x 842 pt
    text = _normal(
        subprocess.run(
            ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    page = report_page.read_text(encoding="utf-8")
    headers = [_normal(_text(h)) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", page, re.S)]
    summary = re.search(r'<div class="so-summary">(.*?)</div>', page, re.S).group(1)
    sentences = [_normal(_text(p)) for p in re.findall(r"<p>(.*?)</p>", summary, re.S)]
    # every wide-table column, the parameters table (printed although <details> is closed),
    # the card-less small table and the three summary sentences
    assert set(WIDE_HEADERS) <= set(headers) and "Window days" in headers
    assert len(sentences) == 3
    missing = [t for t in headers + sentences if t and t not in text]
    assert not missing, f"not in the PDF: {missing}"
    assert "Conversion by segment (attributed at funnel entry)" in text  # caption whole
    assert _normal(CHART_TITLE) in text  # a chart headline is text on paper too


@needs_chromium
def test_pdf_on_letter_paper_leaves_the_html_alone(report_page: Path, tmp_path: Path):
    before = report_page.read_bytes()
    pdf = write_pdf(report_page, tmp_path / "letter.pdf", paper="letter")
    assert b"/MediaBox [0 0 612 792]" in pdf.read_bytes()
    assert report_page.read_bytes() == before
    assert not list(report_page.parent.glob(".*print.html"))  # the temporary copy is gone


def test_no_chromium_is_a_kit_error_that_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SALESOPS_CHROMIUM", raising=False)
    with pytest.raises(PdfError, match="apt-get install chromium"):
        find_chromium()
    monkeypatch.setenv("SALESOPS_CHROMIUM", str(tmp_path / "nope"))
    with pytest.raises(PdfError, match="SALESOPS_CHROMIUM"):
        find_chromium()
    page = tmp_path / "r.html"
    page.write_text("<html></html>")
    with pytest.raises(PdfError, match="paper"):
        write_pdf(page, paper="a5")  # type: ignore[arg-type]


def test_run_pdf_without_chromium_exits_2_before_any_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("SALESOPS_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.chdir(tmp_path)
    code = main(["run", "--all", "--params-dir", "nowhere", "--out", "out", "--pdf"])
    assert code == 2
    assert "SALESOPS_CHROMIUM" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# JupyterLab
# ---------------------------------------------------------------------------------------------

_LAB_STYLES = """{
  cards: getComputedStyle(document.querySelector('.so-cards')).display,
  card: getComputedStyle(document.querySelector('.so-card')).borderTopWidth,
  value: parseFloat(getComputedStyle(document.querySelector('.so-card-value')).fontSize),
  label: parseFloat(getComputedStyle(document.querySelector('.so-card-label')).fontSize),
  summary: getComputedStyle(document.querySelector('.so-summary')).borderLeftWidth,
  banner: getComputedStyle(document.querySelector('.so-banner')).backgroundColor,
  bad: getComputedStyle(document.querySelector('.so-delta.bad')).color,
}"""


def _lab_page(folder: Path, block_html: str) -> Path:
    nb = new_notebook(
        cells=[new_code_cell("res.top()", outputs=[_output({"text/html": block_html})])]
    )
    nb.metadata["language_info"] = {"name": "python"}
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    path = folder / "lab.html"
    path.write_text(body, encoding="utf-8")
    return path


@needs_chromium
def test_blocks_are_styled_in_a_jupyterlab_rendering(tmp_path: Path):
    top = Blocks(
        [
            Banner("Sample-ratio mismatch", level="warning"),
            Summary(SENTENCES[:1]),
            Cards([Card("Win rate", "31.0%", delta="−2.0 pp", good=False)]),
        ]
    )
    styled = _probe(_lab_page(tmp_path, top._repr_html_()), _LAB_STYLES, width=1000)
    assert styled["cards"] == "grid" and styled["card"] == "1px"
    assert styled["summary"] == "4px"
    assert styled["banner"] == "rgb(255, 246, 229)"
    assert styled["bad"] == "rgb(179, 71, 0)"
    assert styled["value"] > 1.5 * styled["label"]
    # the same blocks without their stylesheet: Lab shows a flat list of lines (issue 13)
    bare = _probe(_lab_page(tmp_path, top._body()), _LAB_STYLES, width=1000)
    assert bare["cards"] == "block" and bare["card"] == "0px" and bare["summary"] == "0px"


def test_the_report_page_drops_the_blocks_own_stylesheet(report_page: Path):
    page = report_page.read_text(encoding="utf-8")
    assert 'data-salesops="blocks"' not in page
    assert page.count("<style") == 1  # the house stylesheet only


# ---------------------------------------------------------------------------------------------
# phone
# ---------------------------------------------------------------------------------------------

_LAYOUT = """{
  inner: window.innerWidth,
  scroll: document.documentElement.scrollWidth,
  images: [...document.querySelectorAll('img')].map(i => ({
    right: i.getBoundingClientRect().right, natural: i.naturalWidth, shown: i.clientWidth })),
  h1: (() => { const h = document.querySelector('h1'); return [h.scrollWidth, h.clientWidth]; })(),
  titles: [...document.querySelectorAll('.so-chart-title')].map(t => ({
    right: t.getBoundingClientRect().right, lines: Math.round(t.clientHeight /
      parseFloat(getComputedStyle(t).lineHeight)), over: t.scrollWidth - t.clientWidth })),
  rows: [...document.querySelectorAll('.so-index tbody tr')].map(
    r => getComputedStyle(r).display),
  head: (() => { const t = document.querySelector('.so-index thead');
    return t ? getComputedStyle(t).display : null; })(),
}"""


@needs_chromium
def test_phone_report_has_no_sideways_scroll_and_whole_charts(report_page: Path):
    got = _probe(report_page, _LAYOUT, width=390)
    assert got["inner"] == 390  # Chromium really laid the page out at phone width
    assert got["scroll"] <= got["inner"]
    assert len(got["images"]) == 2
    for chart in got["images"]:
        assert chart["natural"] > 800  # the chart is drawn for a laptop ...
        assert chart["right"] <= got["inner"] and chart["shown"] < 390  # ... and scaled down whole
    assert got["h1"][0] <= got["h1"][1]  # the title wraps instead of overflowing
    (title,) = got["titles"]  # the chart headline is text: it wraps, whole, at a readable size
    assert title["right"] <= got["inner"] and title["over"] <= 0 and title["lines"] >= 2


@needs_chromium
def test_phone_index_is_a_list_of_cards(tmp_path: Path):
    doc = {
        "status": "ok",
        "report": "funnel",
        "notebook": "funnel_analysis",
        "params": {"title": PARAMS["title"]},
        "provenance": {"as_of": "2026-09-30T23:59:59", "finished_at": "2026-10-02T06:00:00"},
        "results": {"headline": SENTENCES[1], "warnings": ["Read with care: an experiment."]},
    }
    for name in ("funnel", "benchmarking_with_a_long_report_name"):
        (tmp_path / f"{name}.json").write_text(json.dumps({**doc, "report": name}))
        (tmp_path / f"{name}.html").write_text("<html></html>")
    index = write_index(tmp_path)
    phone = _probe(index, _LAYOUT, width=390)
    assert phone["scroll"] <= phone["inner"] == 390
    assert phone["rows"] == ["block", "block"] and phone["head"] == "none"
    laptop = _probe(index, _LAYOUT, width=1280)
    assert laptop["rows"] == ["table-row", "table-row"] and laptop["head"] != "none"
