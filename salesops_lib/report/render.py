"""Turn an executed notebook into a self-contained leadership HTML page.

nbconvert's ``basic`` template renders the notebook body only (no scripts, no CSS); code inputs
and prompts are excluded, the papermill ``injected-parameters`` cell and the ``parameters`` cell
are removed with ``TagRemovePreprocessor``, and :class:`ReportOutputFilter` drops stderr streams,
the results output (``application/vnd.salesops.results+json``) and bare object reprs such as
``<Axes: ...>``. The body is then wrapped in the house page (``templates/report.html.j2``): the
title line, a table of contents built from the ``<h2>`` headings, a collapsible parameters table
and a provenance footer, with the house CSS embedded. Figures are inline base64 PNG, so the page
opens offline, e.g. as an e-mail attachment.

The error page (``NAME.error.html``) is for the analyst: it shows code, the failing cell and the
traceback.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import re
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from pygments.formatters import HtmlFormatter  # ships with nbconvert
from traitlets import Bool
from traitlets.config import Config

from salesops_lib._version import __version__
from salesops_lib.i18n import (
    _,
    babel_locale,
    current_language,
    current_timezone,
    language,
    ngettext,
)
from salesops_lib.viz.format import fmt_int

__all__ = [
    "REMOVED_CELL_TAGS",
    "ReportOutputFilter",
    "add_toc",
    "format_timestamp",
    "house_css",
    "notebook_body",
    "params_rows",
    "provenance_rows",
    "render_error_page",
    "render_page",
    "render_report_page",
]

TEMPLATES = Path(__file__).parent / "templates"
RESULTS_MIME = "application/vnd.salesops.results+json"

#: Cells with these tags never reach a report.
REMOVED_CELL_TAGS = frozenset(
    {
        "injected-parameters",
        "parameters",
        "papermill-error-cell-tag",
        "remove_cell",
        "remove-cell",
        "hide",
    }
)
# the error page shows code, but only the parameters that ran (papermill's injected cell)
_ERROR_PAGE_REMOVED_TAGS = frozenset({"papermill-error-cell-tag", "parameters"})

# text/plain-only results that are object reprs, not findings: "<Axes: ...>", "[<matplotlib...>]",
# "Text(0.5, 1.0, 'title')", "<Figure size 990x462 with 1 Axes>"
_NOISE_REPR = re.compile(
    r"^\s*(\[?<[\w.]+[ :].*>\]?|\[?<[\w.]+ at 0x[0-9a-f]+>\]?|Text\(.*\)|\(.*<Axes.*\))\s*$",
    re.S,
)


def _filter_outputs(outputs: Iterable[Any], *, keep_errors: bool) -> list[Any]:
    kept = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream" and out.get("name") == "stderr":
            continue
        if kind == "error" and not keep_errors:
            continue
        if kind in {"display_data", "execute_result"}:
            data = out.get("data", {})
            if RESULTS_MIME in data:
                continue
            if set(data) <= {"text/plain"} and _NOISE_REPR.match(str(data.get("text/plain", ""))):
                continue
        kept.append(out)
    return kept


_MD_HEADING = re.compile(r"^#{1,3}\s+(.+?)\s*#*\s*$", re.M)
_HTML_HEADING = re.compile(r"<h[23][^>]*>(.*?)</h[23]>", re.S | re.I)


def _add_alt_text(nb: Any) -> None:
    """Images without alt text get "Chart: <the section heading above it>"."""
    heading = None
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            found = _MD_HEADING.findall(cell.get("source", ""))
            if found:
                heading = found[-1]
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            found = _HTML_HEADING.findall(str(data.get("text/html", "")))
            if found:
                heading = html.unescape(re.sub(r"<[^>]+>", "", found[-1])).strip()
            for mime in ("image/png", "image/jpeg"):
                if mime not in data:
                    continue
                meta = out.setdefault("metadata", {})
                if meta.get("alt") or (meta.get(mime) or {}).get("alt"):
                    continue
                meta["alt"] = f"{_('Chart')}: {heading}" if heading else _("Chart")


class ReportOutputFilter(Preprocessor):
    """Drop stderr streams, the results output and bare object reprs from code cells.

    With ``keep_errors`` (the error page) error outputs stay; otherwise they go too.
    """

    keep_errors = Bool(False).tag(config=True)
    drop_empty = Bool(True, help="Drop code cells left without outputs.").tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Filter every cell's outputs, give images alt text, then drop code cells left empty."""
        nb, resources = super().preprocess(nb, resources)
        _add_alt_text(nb)
        if self.drop_empty:
            nb.cells = [c for c in nb.cells if c.get("cell_type") != "code" or c.get("outputs")]
        return nb, resources

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        """Filter one cell's outputs."""
        if cell.get("cell_type") == "code":
            cell.outputs = _filter_outputs(cell.get("outputs", []), keep_errors=self.keep_errors)
        return cell, resources


def notebook_body(nb: Any, *, include_code: bool = False) -> str:
    """Render a notebook's cells to an HTML fragment with nbconvert's ``basic`` template.

    Parameters
    ----------
    nb
        An executed ``nbformat`` notebook (not modified).
    include_code
        Show code inputs and error outputs (the analyst's error page); otherwise inputs,
        prompts, parameters cells and errors are left out.

    Returns
    -------
    str
        The body HTML, with scripts and external stylesheets removed.
    """
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(
        _ERROR_PAGE_REMOVED_TAGS if include_code else REMOVED_CELL_TAGS
    )
    c.TagRemovePreprocessor.remove_input_tags = set()
    exporter = HTMLExporter(
        config=c,
        template_name="basic",
        exclude_input=not include_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    exporter.register_preprocessor(
        ReportOutputFilter(keep_errors=include_code, drop_empty=not include_code), enabled=True
    )
    body, _ = exporter.from_notebook_node(copy.deepcopy(nb))
    return _sanitize(body)


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
_LINK = re.compile(r"<link\b[^>]*>", re.I)
_IMPORT = re.compile(r"@import\s+url\([^)]*\)\s*;?", re.I)
# pandas' DataFrame repr carries a <style scoped> block that browsers apply page-wide
_PANDAS_STYLE = re.compile(r'<style scoped="?"?>\s*\.dataframe.*?</style>', re.S)
# the viz blocks' own stylesheet for JupyterLab (viz.html.inline_css): the house CSS replaces it
_BLOCKS_STYLE = re.compile(r'<style data-salesops="blocks">.*?</style>', re.S)


def _sanitize(body: str) -> str:
    """Remove scripts, ``<link>`` tags and CSS imports: the page must work offline."""
    body = _SCRIPT.sub("", body)
    body = _LINK.sub("", body)
    body = _IMPORT.sub("", body)
    body = _PANDAS_STYLE.sub("", body)
    body = _BLOCKS_STYLE.sub("", body)
    return _tidy_tables(body)


# ---------------------------------------------------------------------------------------------
# Tables: right-aligned numbers with thousands separators
# ---------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*([-+−]?)(\d[\d,]*)(\.\d+)?(%)?\s*$")
_EMPTY = {"", "nan", "NaN", "<NA>", "NaT", "None", "–", "—", "-"}
_DF_TABLE = re.compile(r'<table\b[^>]*class="dataframe"[^>]*>.*?</table>', re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th)(\b[^>]*)>(.*?)</\1>", re.S)


def _format_number(text: str) -> str | None:
    """``"12345.5"`` → ``"12,345.5"``; ``None`` if ``text`` is not a plain number.

    Integers of four digits between 1900 and 2100 are read as years and left alone.
    """
    m = _NUMBER.match(html.unescape(text))
    if not m:
        return None
    sign, whole, frac, pct = m.groups()
    digits = whole.replace(",", "")
    if "," not in whole and len(digits) >= 4:
        is_year = len(digits) == 4 and not frac and not pct and 1900 <= int(digits) <= 2100
        if not is_year:
            whole = f"{int(digits):,}"
    return f"{sign}{whole}{frac or ''}{pct or ''}"


def _tidy_dataframe(table: str) -> str:
    head_end = table.find("</thead>")
    head, rest = (table[:head_end], table[head_end:]) if head_end >= 0 else ("", table)
    body_rows = [_CELL.findall(r) for r in _ROW.findall(rest)]
    width = max((len(r) for r in body_rows), default=0)
    numeric = []
    for col in range(width):
        values = [r[col][2].strip() for r in body_rows if len(r) == width and r[col][0] == "td"]
        present = [v for v in values if v not in _EMPTY]
        numeric.append(bool(present) and all(_format_number(v) is not None for v in present))

    def fix_row(match: re.Match[str]) -> str:
        row = match.group(0)
        cells = _CELL.findall(row)
        if len(cells) != width:
            return row
        out = []
        for i, (tag, attrs, content) in enumerate(cells):
            if numeric[i]:
                if tag == "td":
                    content = _format_number(content) or content
                attrs = f'{attrs} class="num"' if "class=" not in attrs else attrs
            out.append(f"<{tag}{attrs}>{content}</{tag}>")
        opening = row[: row.index(">") + 1]
        return opening + "".join(out) + "</tr>"

    if head:
        head_rows = list(_ROW.finditer(head))
        if head_rows:
            last = head_rows[-1]
            head = head[: last.start()] + fix_row(last) + head[last.end() :]
    rest = _ROW.sub(fix_row, rest)
    table = head + rest
    table = re.sub(
        r'^<table\b[^>]*?\sborder="1"', lambda m: m.group(0).replace(' border="1"', ""), table
    )
    return f'<div class="so-table-wrap">{table}</div>'


_SO_TABLE = re.compile(r'<table\b[^>]*class="so-table[^"]*"[^>]*>.*?</table>', re.S)


def _tidy_tables(body: str) -> str:
    """Format DataFrame tables and wrap every table so that it scrolls sideways on a phone."""
    body = _DF_TABLE.sub(lambda m: _tidy_dataframe(m.group(0)), body)
    return _SO_TABLE.sub(lambda m: f'<div class="so-table-wrap">{m.group(0)}</div>', body)


# ---------------------------------------------------------------------------------------------
# Headings and table of contents
# ---------------------------------------------------------------------------------------------

_H2 = re.compile(r"<h2(\s[^>]*)?>(.*?)</h2>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-")
    return slug or "section"


def add_toc(body: str) -> tuple[str, list[tuple[str, str]]]:
    """Give every ``<h2>`` an id and collect ``(id, text)`` pairs for the table of contents.

    Parameters
    ----------
    body
        HTML fragment.

    Returns
    -------
    tuple[str, list[tuple[str, str]]]
        The fragment with ids added, and the headings in order.
    """
    toc: list[tuple[str, str]] = []
    seen: set[str] = set()

    def repl(m: re.Match[str]) -> str:
        attrs = m.group(1) or ""
        inner = m.group(2)
        text = html.unescape(_TAG.sub("", inner)).replace("¶", "").strip()
        found = re.search(r'\sid="([^"]+)"', attrs)
        anchor = found.group(1) if found else _slug(text)
        base, n = anchor, 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        if found:
            attrs = attrs.replace(found.group(0), f' id="{anchor}"')
        else:
            attrs = f' id="{anchor}"{attrs}'
        if text:
            toc.append((anchor, text))
        return f"<h2{attrs}>{inner}</h2>"

    return _H2.sub(repl, body), toc


# ---------------------------------------------------------------------------------------------
# Params, provenance, page
# ---------------------------------------------------------------------------------------------

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?([+-]\d{2}:\d{2}|Z)?$")


def format_timestamp(value: Any, *, seconds: bool = False) -> str:
    """``"2026-09-30T23:59:59"`` → ``"30 Sep 2026 23:59 UTC"`` (naive values are UTC).

    Parameters
    ----------
    value
        A ``datetime``, ``date``, ISO string or ``None``.
    seconds
        Keep the seconds.

    Returns
    -------
    str
        The readable form; ``""`` for ``None``; other values unchanged as text.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if not _ISO.match(value.strip()):
            return value
        if len(value.strip()) == 10:  # a calendar date (e.g. period_end): no time of day
            return format_timestamp(dt.date.fromisoformat(value.strip()))
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        if current_language() != "en" or current_timezone() != "UTC":
            return _local_timestamp(value, seconds=seconds)
        fmt = "%b %Y %H:%M:%S" if seconds else "%b %Y %H:%M"
        return f"{value.day} {value.strftime(fmt)} UTC"
    if isinstance(value, dt.date):
        if current_language() != "en":
            return format_date(value, "d MMM y", locale=babel_locale())
        return f"{value.day} {value.strftime('%b %Y')}"
    return str(value)


def _local_timestamp(value: dt.datetime, *, seconds: bool) -> str:
    """A naive-UTC time in the current time zone and language: ``"1 ott 2026 01:59 CEST"``."""
    tz = current_timezone()
    local = value.replace(tzinfo=dt.UTC).astimezone(zoneinfo.ZoneInfo(tz))
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    day = format_date(local.date(), "d MMM y", locale=babel_locale())
    zone = "UTC" if tz == "UTC" else (local.strftime("%Z") or tz)
    return f"{day} {clock} {zone}"


def _label(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


#: What an unset parameter means, where "—" would hide it.
_NONE_WORDS = {
    "as_of": "latest in the data",
    "filters": "none",
    "stages": "the default stages",
    "period_start": "default",
    "period_end": "default",
}


def _param_value(key: str, value: Any) -> str:
    if value is None:
        return _(_NONE_WORDS[key]) if key in _NONE_WORDS else "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return f"{value:,}" if isinstance(value, int) and abs(value) >= 10_000 else str(value)
    if isinstance(value, str):
        return format_timestamp(value) if _ISO.match(value) else value
    if isinstance(value, Mapping | list | tuple) and not value:
        return _("none")
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_param_value(str(k), v)}" for k, v in value.items())
    if isinstance(value, Sequence):
        return ", ".join(_param_value(key, v) for v in value)
    return str(value)


def params_rows(params: Mapping[str, Any], *, notebook: str | None = None) -> list[tuple[str, str]]:
    """Readable ``(label, value)`` rows of the report parameters (lists joined).

    Parameters
    ----------
    params
        JSON-mode params (``model.model_dump(mode="json")``).
    notebook
        The notebook stem, shown first.

    Returns
    -------
    list[tuple[str, str]]
    """
    # in another language than English a parameter shows under its key, as written in the
    # params file (the keys are the file's words, not the report's)
    label = _label if current_language() == "en" else str
    rows = [(_("Notebook"), notebook)] if notebook else []
    rows += [(label(k), _param_value(k, v)) for k, v in params.items()]
    return rows


def provenance_rows(provenance: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Readable ``(label, value)`` rows for the provenance footer.

    Parameters
    ----------
    provenance
        The ``provenance`` block of ``NAME.json``.

    Returns
    -------
    list[tuple[str, str]]
    """
    p = provenance
    rows = [
        (_("kit"), f"salesops {p.get('kit_version') or __version__}"),
        (_("commit"), (p.get("git_commit") or _("not in git"))[:12]),
        (_("params"), p.get("params_hash") or "—"),
        (_("data"), p.get("data_fingerprint") or _("not recorded")),
        (_("as of"), format_timestamp(p.get("as_of")) or _("latest in the data")),
        (_("run"), format_timestamp(p.get("finished_at") or p.get("started_at")) or "—"),
    ]
    rel = p.get("relative") or {}
    said = [f"{k} {rel[k]}" for k in ("as_of", "period") if isinstance(rel.get(k), str)]
    if isinstance(rel.get("period"), dict):
        said += [f"period {k} {v}" for k, v in rel["period"].items()]
    if said:
        dates = rel.get("period_dates") or {}
        span = f"; period {dates['start']} to {dates['end']}" if dates else ""
        clock = format_timestamp(rel.get("clock")) or "—"
        rows.append((_("relative"), f"{', '.join(said)} ({_('read at')} {clock}{span})"))
    if p.get("duration_s") is not None:
        took = f"{float(p['duration_s']):.1f} s"
        rows.append((_("took"), took if current_language() == "en" else took.replace(".", ",")))
    if p.get("rows"):
        total = sum(v for v in p["rows"].values() if isinstance(v, int | float))
        if current_language() == "en":
            rows.append(("rows", f"{int(total):,} in {len(p['rows'])} tables"))
        else:
            n_tab = len(p["rows"])
            rows.append(
                (
                    _("rows"),
                    f"{fmt_int(total)} {_('in')} {n_tab} {ngettext('table', 'tables', n_tab)}",
                )
            )
    return rows


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["_"] = _
    env.globals["ngettext"] = ngettext
    return env


@cache
def house_css() -> str:
    """The embedded house stylesheet (``templates/report.css``)."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


@cache
def _pygments_css() -> str:
    return HtmlFormatter(style="default").get_style_defs(".highlight")


def render_page(template: str, **context: Any) -> str:
    """Render one of the house templates with the CSS embedded.

    Parameters
    ----------
    template
        Template file name in ``templates/`` (``"report.html.j2"``, ``"error.html.j2"``,
        ``"index.html.j2"``).
    **context
        Template variables; ``css``, ``kit_version``, ``page_title`` and ``run_id`` get defaults.

    Returns
    -------
    str
        A complete HTML document.
    """
    context.setdefault("css", house_css())
    context.setdefault("kit_version", __version__)
    context.setdefault("run_id", None)
    context.setdefault("lang", current_language())
    context.setdefault("page_title", context.get("title", "salesops report"))
    return _environment().get_template(template).render(**context)


_MD_HEADING_LINE = re.compile(r"^(#{1,6}\s+)(.+?)\s*$")


def translate_headings(nb: Any) -> Any:
    """The notebook with its markdown headings (``## Methods and definitions``) in the current
    language: a copy when anything changes, ``nb`` itself in English.

    The notebooks' markdown cells hold headings only; each heading's text is a message id of
    the catalog (``tests/i18n`` checks every notebook heading has its Italian entry).
    """
    if current_language() == "en":
        return nb
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.split("\n") if isinstance(cell.source, str) else list(cell.source)
        new = []
        for line in lines:
            m = _MD_HEADING_LINE.match(line)
            new.append(f"{m.group(1)}{_(m.group(2))}" if m else line)
        cell.source = "\n".join(new)
    return out


def render_report_page(
    nb: Any,
    *,
    title: str,
    notebook: str,
    params: Mapping[str, Any],
    provenance: Mapping[str, Any],
    run_id: str | None = None,
) -> str:
    """Render the leadership HTML page of an executed notebook.

    Parameters
    ----------
    nb
        The executed notebook.
    title
        The title line (the params ``title``).
    notebook
        Notebook stem (shown in the parameters table).
    params
        JSON-mode params as given by the analyst.
    provenance
        The provenance block (kit version, commit, params hash, data fingerprint, as-of, times).
    run_id
        The run's id, also written to ``NAME.json``: ``<meta name="salesops-run">`` lets the
        index tell that the HTML and the JSON come from the same run.

    Returns
    -------
    str
        A self-contained HTML document.
    """
    as_of = provenance.get("as_of") or params.get("as_of")
    with language(params.get("language") or "en", params.get("timezone") or "UTC"):
        body, toc = add_toc(notebook_body(translate_headings(nb)))
        return render_page(
            "report.html.j2",
            title=title,
            kicker=None,
            as_of_text=format_timestamp(as_of) or _("the latest data"),
            generated_text=format_timestamp(provenance.get("finished_at")) or "—",
            toc=toc,
            body=body,
            params_rows=params_rows(params, notebook=notebook),
            provenance_rows=provenance_rows(provenance),
            run_id=run_id,
        )


def render_error_page(
    nb: Any | None,
    *,
    name: str,
    title: str,
    notebook: str,
    params: Mapping[str, Any],
    provenance: Mapping[str, Any],
    error: Mapping[str, Any],
    has_previous: bool,
) -> str:
    """Render ``NAME.error.html``: the failing cell, the error and the partial notebook with code.

    Parameters
    ----------
    nb
        The partially executed notebook, or ``None`` if the run failed before it existed.
    name, title, notebook
        Report name, title line and notebook stem.
    params, provenance
        As for :func:`render_report_page`.
    error
        ``ename``, ``evalue``, ``cell_source``, ``cell_number``, ``cell_id``, ``traceback``.
    has_previous
        Whether an earlier good ``NAME.html`` exists (the page links to it).

    Returns
    -------
    str
        A self-contained HTML document.
    """
    body = ""
    anchor = None
    if nb is not None:
        body = notebook_body(nb, include_code=True)
        cell_id = error.get("cell_id")
        if cell_id:
            anchor = f"cell-id={cell_id}"
            body = re.sub(
                rf'class="cell ([^"]*)" id="{re.escape(anchor)}"',
                rf'class="cell \1 so-failed" id="{anchor}"',
                body,
            )
    css = house_css() + "\n" + _pygments_css()
    with language(params.get("language") or "en", params.get("timezone") or "UTC"):
        return render_page(
            "error.html.j2",
            css=css,
            page_title=_("FAILED: {title}").format(title=title),
            title=title,
            name=name,
            notebook=notebook,
            generated_text=format_timestamp(provenance.get("finished_at")) or "—",
            error=error,
            failing_anchor=anchor,
            has_previous=has_previous,
            body=body,
            params_rows=params_rows(params, notebook=notebook),
            provenance_rows=provenance_rows(provenance),
        )
