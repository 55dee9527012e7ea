"""HTML rendering and the index, on hand-built notebooks (no kernel)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from salesops_lib.report.index import collect_reports, write_index
from salesops_lib.report.notebook import RESULTS_MIME
from salesops_lib.report.render import (
    _format_number,
    add_toc,
    format_timestamp,
    house_css,
    notebook_body,
    params_rows,
    render_error_page,
    render_report_page,
)

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()


def _executed_notebook() -> nbformat.NotebookNode:
    cells = [
        new_code_cell("title = 'x'", metadata={"tags": ["parameters"]}),
        new_code_cell("title = 'Injected title'", metadata={"tags": ["injected-parameters"]}),
        new_markdown_cell("## Win rate fell\n\nSome text."),
        new_code_cell(
            "make_chart()",
            outputs=[
                new_output("stream", name="stderr", text="UserWarning: noisy\n"),
                new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
                new_output(
                    "execute_result",
                    data={"text/plain": "<Axes: title={'center': 'x'}>"},
                    execution_count=1,
                ),
            ],
        ),
        new_code_cell(
            "Heading('Dynamic section')",
            outputs=[
                new_output(
                    "display_data",
                    data={"text/html": "<h2>Dynamic section</h2>", "text/plain": "H"},
                )
            ],
        ),
        new_code_cell(
            "df",
            outputs=[
                new_output(
                    "execute_result",
                    execution_count=2,
                    data={
                        "text/html": (
                            "<div><style scoped>.dataframe tbody tr th {vertical-align: "
                            "top;}</style>"
                            '<table border="1" class="dataframe"><thead><tr style="text-align: '
                            'right;">'
                            "<th></th><th>rep</th><th>deals</th><th>year</th></tr></thead><tbody>"
                            "<tr><th>0</th><td>Ann</td><td>123456</td><td>2026</td></tr>"
                            "<tr><th>1</th><td>Bo</td><td>NaN</td><td>2025</td></tr>"
                            "</tbody></table></div>"
                        ),
                        "text/plain": "df",
                    },
                )
            ],
        ),
        new_code_cell(
            "publish_results(...)",
            outputs=[
                new_output(
                    "display_data", data={RESULTS_MIME: {"a": 1}, "text/plain": "results recorded"}
                )
            ],
        ),
        new_code_cell("x = 1"),  # no output: dropped
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


PROV = {
    "kit_version": "0.1.0",
    "git_commit": "0123456789abcdef0123456789abcdef01234567",
    "params_hash": "abcdef123456",
    "data_fingerprint": "fp0001",
    "as_of": "2026-09-30T23:59:59",
    "finished_at": "2026-10-02T06:00:00+00:00",
    "duration_s": 3.21,
    "rows": {"leads": 50000, "opportunities": 4000},
}


@pytest.fixture(scope="module")
def page() -> str:
    return render_report_page(
        _executed_notebook(),
        title="Lead funnel, EMEA, Q3 2026",
        notebook="funnel_analysis",
        params={
            "title": "Lead funnel",
            "stages": ["lead", "mql", "sql"],
            "as_of": None,
            "window_days": 90,
        },
        provenance=PROV,
    )


class TestReportPage:
    def test_no_code_no_parameters_no_noise(self, page: str):
        assert "title = " not in page and "Injected title" not in page
        assert "make_chart()" not in page and "publish_results" not in page
        assert "UserWarning" not in page
        assert "<Axes" not in page and "&lt;Axes" not in page
        assert "results recorded" not in page
        assert "<script" not in page.lower() and "<link" not in page.lower()
        assert "https://" not in page and "http://" not in page
        assert "style scoped" not in page

    def test_frame(self, page: str):
        assert page.startswith("<!DOCTYPE html>")
        assert "<h1>Lead funnel, EMEA, Q3 2026</h1>" in page
        assert "Data as of 30 Sep 2026 23:59 UTC" in page
        assert "generated 2 Oct 2026 06:00 UTC" in page
        assert '<a href="#Win-rate-fell">Win rate fell</a>' in page
        assert '<a href="#dynamic-section">Dynamic section</a>' in page
        assert "lead, mql, sql" in page and "latest in the data" in page
        for text in (
            "salesops 0.1.0",
            "0123456789ab",
            "abcdef123456",
            "fp0001",
            "3.2 s",
            "54,000 in 2 tables",
        ):
            assert text in page
        assert 'alt="Chart: Win rate fell"' in page

    def test_tables(self, page: str):
        assert '<td class="num">123,456</td>' in page
        assert '<td class="num">2026</td>' in page  # years keep no separator
        assert '<th class="num">deals</th>' in page
        assert "<td>Ann</td>" in page
        assert 'border="1"' not in page
        assert '<div class="so-table-wrap"><table' in page

    def test_css_is_embedded_and_small(self, page: str):
        css = house_css()
        assert len(css.encode()) < 40_000
        assert ".so-card-value" in page and "&#34;" not in page.split("</style>")[0]
        for cls in (
            "so-summary",
            "so-cards",
            "so-card-label",
            "so-card-detail",
            "so-delta.good",
            "so-delta.bad",
            "so-delta.neutral",
            "so-banner.warning",
            "so-banner.error",
            "so-banner.info",
            "so-table",
            "so-defs",
            "so-note",
        ):
            assert f".{cls}" in css
        assert "@media print" in css and "@media (max-width" in css


def test_error_page_shows_code_and_error():
    nb = _executed_notebook()
    failing = new_code_cell(
        "raise ValueError('boom')",
        outputs=[
            new_output(
                "error",
                ename="ValueError",
                evalue="boom",
                traceback=["\x1b[31mValueError\x1b[0m: boom"],
            )
        ],
    )
    nb.cells.append(failing)
    page = render_error_page(
        nb,
        name="weekly",
        title="Weekly",
        notebook="funnel_analysis",
        params={"title": "Weekly"},
        provenance=PROV,
        error={
            "ename": "ValueError",
            "evalue": "boom",
            "cell_number": 7,
            "cell_id": failing.id,
            "cell_source": "raise ValueError('boom')",
            "traceback": "ValueError: boom",
        },
        has_previous=True,
    )
    assert "ValueError" in page and "raise ValueError(&#39;boom&#39;)" in page
    assert "so-failed" in page and f'href="#cell-id={failing.id}"' in page
    assert 'href="weekly.html"' in page
    assert "<script" not in page.lower()


def test_notebook_body_without_notebook_outputs_is_empty():
    assert notebook_body(new_notebook(cells=[new_code_cell("x = 1")])).strip() == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234567", "1,234,567"),
        ("12345.67", "12,345.67"),
        ("999", "999"),
        ("2026", "2026"),
        ("4567", "4,567"),
        ("-12000", "-12,000"),
        ("12.5%", "12.5%"),
        ("1,234", "1,234"),
        ("abc", None),
        ("0.125", "0.125"),
    ],
)
def test_format_number(text, expected):
    assert _format_number(text) == expected


def test_add_toc_unique_ids():
    body, toc = add_toc(
        '<h2>Same</h2><h2 id="x">Other<a class="anchor-link" href="#x">¶</a></h2><h2>Same</h2>'
    )
    assert [t for _, t in toc] == ["Same", "Other", "Same"]
    assert [i for i, _ in toc] == ["same", "x", "same-2"]
    assert 'id="same-2"' in body


def test_format_timestamp():
    assert format_timestamp("2026-09-30T23:59:59") == "30 Sep 2026 23:59 UTC"
    assert format_timestamp("2026-10-02T08:00:00+02:00") == "2 Oct 2026 06:00 UTC"
    assert format_timestamp(dt.date(2026, 9, 3)) == "3 Sep 2026"
    assert format_timestamp(None) == ""
    assert format_timestamp("not a date") == "not a date"


def test_params_rows():
    rows = dict(
        params_rows(
            {
                "title": "T",
                "stages": ["a", "b"],
                "as_of": "2026-09-30T23:59:59",
                "segments": {"region": "EMEA"},
                "flag": True,
                "n": 50000,
            },
            notebook="nb",
        )
    )
    assert rows["Notebook"] == "nb"
    assert rows["Stages"] == "a, b"
    assert rows["As of"] == "30 Sep 2026 23:59 UTC"
    assert dict(params_rows({"filters": {}}))["Filters"] == "none"
    assert rows["Segments"] == "region: EMEA"
    assert rows["Flag"] == "yes" and rows["N"] == "50,000"


class TestIndex:
    def _write(self, folder: Path, name: str, doc: dict) -> None:
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")

    def test_lists_ok_and_failed(self, tmp_path: Path):
        ok = {
            "status": "ok",
            "report": "a",
            "notebook": "funnel_analysis",
            "params": {"title": "Funnel A"},
            "provenance": PROV,
            "results": {},
        }
        self._write(tmp_path, "a.json", ok)
        (tmp_path / "a.html").write_text("<html></html>")
        self._write(tmp_path, "b.json", {**ok, "report": "b", "params": {"title": "Bench B"}})
        (tmp_path / "b.html").write_text("<html></html>")
        failed = {
            "status": "failed",
            "report": "b",
            "notebook": "benchmarking",
            "params": {"title": "Bench B"},
            "provenance": PROV,
            "error": {"type": "SourceError", "message": "table `quotas` is missing\nmore"},
        }
        self._write(tmp_path, "b.error.json", failed)
        (tmp_path / "b.error.html").write_text("<html></html>")
        (tmp_path / "index.json").write_text("[1, 2]")  # not a report: ignored

        rows = {r["name"]: r for r in collect_reports(tmp_path)}
        assert rows["a"]["status"] == "ok" and rows["a"]["html"] == "a.html"
        assert rows["b"]["status"] == "failed"
        assert rows["b"]["reason"] == "SourceError: table `quotas` is missing"
        assert rows["b"]["html"] == "b.html" and rows["b"]["error_html"] == "b.error.html"

        page = write_index(tmp_path).read_text(encoding="utf-8")
        assert "Funnel A" in page and "Bench B" in page
        assert "last good report" in page and 'href="b.error.html"' in page
        assert "1 ok" in page and "1 failed" in page
        assert "<script" not in page.lower() and "https://" not in page

    def test_shows_each_reports_headline(self, tmp_path: Path):
        doc = {
            "status": "ok",
            "report": "a",
            "notebook": "ab_campaign_evaluation",
            "params": {"title": "Test A"},
            "provenance": PROV,
            "results": {
                "analysis": "experiment",
                "headline": "Ship B: +5.1 pp <SQL> (+3.1 to +7.2)",
            },
        }
        self._write(tmp_path, "a.json", doc)
        (tmp_path / "a.html").write_text("<html></html>")
        self._write(tmp_path, "c.json", {**doc, "report": "c", "results": {}})
        (tmp_path / "c.html").write_text("<html></html>")
        rows = {r["name"]: r for r in collect_reports(tmp_path)}
        assert rows["a"]["headline"] == "Ship B: +5.1 pp <SQL> (+3.1 to +7.2)"
        assert rows["c"]["headline"] is None
        page = write_index(tmp_path).read_text(encoding="utf-8")
        assert "Ship B: +5.1 pp &lt;SQL&gt; (+3.1 to +7.2)" in page  # escaped, shown once
        assert page.count('so-headline"') == 1

    def test_leaders_line_period_population_and_caution(self, tmp_path: Path):
        doc = {
            "status": "ok",
            "report": "f",
            "notebook": "funnel_analysis",
            "params": {"title": "Funnel"},
            "provenance": PROV,
            "results": {
                "headline": "2.8% of leads end up won.",
                "period": {"start": "2026-01-01", "end": "2026-03-31", "label": "Q1 2026"},
                "n": 12671,
                "n_label": "leads",
                "warnings": ["Read with care: " + "x" * 300, "Second caution."],
            },
        }
        self._write(tmp_path, "f.json", doc)
        (tmp_path / "f.html").write_text("<html></html>")
        (row,) = collect_reports(tmp_path)
        assert row["period"] == "Q1 2026" and row["population"] == "12,671 leads"
        assert len(row["warnings"]) == 2 and len(row["warnings"][0]) <= 160
        assert row["warnings"][0].endswith("…")
        page = write_index(tmp_path).read_text(encoding="utf-8")
        assert "Q1 2026 · 12,671 leads" in page
        assert "2 cautions" in page and "(+1 more in the report)" in page
        assert 'data-label="Status"' in page  # the phone layout's card captions

    def test_deleted_params_file_drops_out(self, tmp_path: Path):
        params = tmp_path / "params"
        params.mkdir()
        out = tmp_path / "reports"
        out.mkdir()
        for name in ("kept", "gone", "old"):
            prov = {**PROV, "params_file": str(params / f"{name}.yaml")}
            if name == "old":  # a run by an older kit: no params_file recorded, stays
                prov = PROV
            doc = {
                "status": "ok",
                "report": name,
                "notebook": "funnel_analysis",
                "params": {"title": name.upper()},
                "provenance": prov,
                "results": {},
            }
            self._write(out, f"{name}.json", doc)
            (out / f"{name}.html").write_text("<html></html>")
        (params / "kept.yaml").write_text("notebook: funnel_analysis\n")
        (params / "gone.yaml").write_text("notebook: funnel_analysis\n")
        assert [r["name"] for r in collect_reports(out)] == ["gone", "kept", "old"]
        (params / "gone.yaml").unlink()
        assert [r["name"] for r in collect_reports(out)] == ["kept", "old"]
        # a failed latest run of a deleted params file drops out too
        failed = {
            "status": "failed",
            "report": "kept",
            "notebook": "funnel_analysis",
            "params": {},
            "provenance": {**PROV, "params_file": str(params / "kept.yaml")},
            "error": {"type": "SourceError", "message": "no table"},
        }
        self._write(out, "kept.error.json", failed)
        (params / "kept.yaml").unlink()
        assert [r["name"] for r in collect_reports(out)] == ["old"]
        page = write_index(out).read_text(encoding="utf-8")
        assert "OLD" in page and "GONE" not in page and "KEPT" not in page
        assert (out / "gone.html").exists()  # the files stay; only the index forgets them

    def test_links_to_the_archive(self, tmp_path: Path):
        doc = {
            "status": "ok",
            "report": "a",
            "notebook": "funnel_analysis",
            "params": {"title": "A"},
            "provenance": PROV,
            "results": {},
        }
        for name in ("a", "b", "c"):
            self._write(tmp_path, f"{name}.json", {**doc, "report": name})
            (tmp_path / f"{name}.html").write_text("<html></html>")
        runs = tmp_path / "archive" / "a"
        runs.mkdir(parents=True)
        for stamp in ("2026-11-01T0600Z", "2026-12-01T0600Z"):
            (runs / f"{stamp}.html").write_text("<html></html>")
            (runs / f"{stamp}.json").write_text("{}")
        (tmp_path / "archive" / "b").mkdir()  # an empty archive folder: no link
        listed = tmp_path / "archive" / "c"
        listed.mkdir()
        (listed / "2026-12-01T0600Z.html").write_text("<html></html>")
        (listed / "index.html").write_text("<html></html>")
        rows = {r["name"]: r for r in collect_reports(tmp_path)}
        assert (rows["a"]["archive"], rows["a"]["n_archived"]) == ("archive/a/", 2)
        assert rows["b"]["archive"] is None
        assert (rows["c"]["archive"], rows["c"]["n_archived"]) == ("archive/c/index.html", 1)
        page = write_index(tmp_path).read_text(encoding="utf-8")
        assert '<a href="archive/a/">archive (2)</a>' in page
        assert '<a href="archive/c/index.html">archive (1)</a>' in page

    def test_empty_folder(self, tmp_path: Path):
        page = write_index(tmp_path / "new").read_text(encoding="utf-8")
        assert "No reports yet" in page


def test_calendar_dates_have_no_time_of_day():
    """A period end of 31 Mar is the whole day, not midnight at its start."""
    from salesops_lib.report.render import format_timestamp, params_rows

    assert format_timestamp("2026-03-31") == "31 Mar 2026"
    rows = dict(params_rows({"period_end": "2026-03-31", "as_of": "2026-09-30T23:59:59"}))
    assert rows["Period end"] == "31 Mar 2026"
    assert rows["As of"] == "30 Sep 2026 23:59 UTC"
    assert dict(params_rows({"filters": {}}))["Filters"] == "none"
