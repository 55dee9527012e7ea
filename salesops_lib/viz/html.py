"""HTML building blocks for notebooks and reports.

Each block has ``_repr_html_``, so the last expression of a notebook cell displays it in
JupyterLab and in the exported report alike. The report template styles the ``so-*`` classes
(``salesops_lib/report/templates``); in JupyterLab (no house CSS) every styled block output
carries a small ``<style data-salesops="blocks">`` sheet of its own (:func:`inline_css`), which
the report page removes again.

Blocks follow the order of a leadership report (REPORT_DESIGN.md): :class:`Banner` (data-quality
problems, before anything else), :class:`Summary` (the answer first), :class:`Cards` (key
numbers), :class:`Heading` (a section whose title states the finding), :class:`Table` (detail),
:class:`Definitions` (methods), :class:`Note`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any, Literal

import pandas as pd

from salesops_lib.i18n import _
from salesops_lib.viz import format as F

__all__ = [
    "Banner",
    "Blocks",
    "Card",
    "Cards",
    "Definitions",
    "Heading",
    "Note",
    "Paragraph",
    "Summary",
    "Table",
    "inline_css",
]

_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "pct": F.fmt_pct,
    "pp": F.fmt_pp,
    "int": F.fmt_int,
    "num": F.fmt_num,
    "num2": lambda x: F.fmt_num(x, 2),
    "money": F.fmt_money,
    "p": lambda p: F.fmt_p(p, prefix=False),
    "days": lambda x: F.fmt_num(x, 0),
    "text": lambda x: F.MISSING if F.is_missing(x) else str(x),
}

#: Marks the blocks' own stylesheet; the report page removes it (its house CSS styles the blocks).
_STYLE_MARKER = 'data-salesops="blocks"'

# The blocks' look inside JupyterLab, VS Code and classic Jupyter, where the report's house CSS is
# absent: every styled block output carries this sheet (a few hundred bytes; identical copies are
# harmless). Only ``so-*`` classes are styled, so nothing else in the notebook changes. Colours
# are set explicitly (text and background together) so that a dark Lab theme stays readable.
_CSS = f"""<style {_STYLE_MARKER}>
.so-summary{{border-left:4px solid #0173b2;padding:.6em 1em;background:#eef5fb;color:#1f2328;
margin:.8em 0;border-radius:0 6px 6px 0}}
.so-summary p{{margin:.35em 0;line-height:1.45;max-width:none}}
.so-cards{{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.8em;
margin:.8em 0}}
.so-card{{border:1px solid #d8dee4;border-radius:8px;padding:.6em .8em;background:#fff;
color:#1f2328}}
.so-card-label{{font-size:.85em;color:#59636e;line-height:1.3}}
.so-card-value{{font-size:1.75em;font-weight:700;line-height:1.2;margin:.15em 0 .1em;
font-variant-numeric:tabular-nums}}
.so-card-detail{{font-size:.8em;color:#59636e;line-height:1.35}}
.so-delta{{font-size:.9em;font-weight:600}}
.so-delta.good{{color:#027a5a}}.so-delta.bad{{color:#b34700}}
.so-delta.neutral{{color:#59636e;font-weight:500}}
.so-banner{{padding:.6em 1em;border-radius:6px;margin:.8em 0;border:1px solid;border-left-width:5px;
color:#1f2328}}
.so-banner p{{margin:.25em 0}}.so-banner ul{{margin:.25em 0;padding-left:1.3em}}
.so-banner.warning{{background:#fff6e5;border-color:#de8f05}}
.so-banner.error{{background:#fdece6;border-color:#d55e00}}
.so-banner.info{{background:#eef5fb;border-color:#0173b2}}
.so-table{{border-collapse:collapse;margin:.6em 0;table-layout:auto;
font-variant-numeric:tabular-nums}}
.so-table caption{{caption-side:top;text-align:left;padding-bottom:.4em;opacity:.8}}
.so-table th,.so-table td{{text-align:left;padding:.35em .8em;border-bottom:1px solid #d8dee4;
vertical-align:top}}
.so-table thead th{{border-bottom:2px solid currentColor;font-weight:600}}
.so-table td.num,.so-table th.num{{text-align:right;white-space:nowrap}}
.so-note{{font-size:.9em;opacity:.8;margin:.3em 0 .8em}}
.so-chart{{margin:.8em 0}}.so-chart-title{{font-weight:700;font-size:1.1em;margin:0 0 .3em}}
.so-chart img{{display:block;max-width:100%;height:auto}}
.so-defs{{display:grid;grid-template-columns:minmax(140px,220px) 1fr;margin:.6em 0}}
.so-defs dt{{font-weight:600;padding:.4em .8em .4em 0;border-top:1px solid #d8dee4}}
.so-defs dd{{margin:0;padding:.4em 0;border-top:1px solid #d8dee4}}
</style>"""


def inline_css() -> str:
    """The blocks' own stylesheet, carried by every styled block's ``_repr_html_``.

    JupyterLab has no house CSS, so ``Summary``, ``Cards``, ``Banner``, ``Table``, ``Note`` and
    ``Definitions`` bring this ``<style data-salesops="blocks">`` element with them. The report
    page removes it again (``report.render``), where the house stylesheet applies instead.
    """
    return _CSS


class _Block:
    #: Whether the block's HTML uses ``so-*`` classes (and so carries :func:`inline_css`).
    _styled = True

    def _body(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return inline_css() + self._body() if self._styled else self._body()

    def __str__(self) -> str:
        return self._body()


@dataclass
class Heading(_Block):
    """A section heading whose text states the finding (``level`` 2 feeds the report's TOC)."""

    text: str
    level: int = 2
    _styled = False

    def _body(self) -> str:
        lvl = min(max(int(self.level), 1), 6)
        return f"<h{lvl}>{escape(self.text)}</h{lvl}>"


@dataclass
class Summary(_Block):
    """The answer first: 3–5 plain sentences, each number with its interval and comparison."""

    sentences: Sequence[str]
    title: str | None = "Summary"

    def _body(self) -> str:
        head = f"<h2>{escape(_(self.title))}</h2>" if self.title else ""  # "Summary" translated
        paras = "".join(f"<p>{escape(s)}</p>" for s in self.sentences if s)
        return f'{head}<div class="so-summary">{paras}</div>'

    @property
    def text(self) -> str:
        return " ".join(s for s in self.sentences if s)

    # A summary reads like the list of its sentences (``" ".join(res.summary())``).
    def __iter__(self) -> Iterator[str]:
        return iter([s for s in self.sentences if s])

    def __len__(self) -> int:
        return len([s for s in self.sentences if s])

    def __getitem__(self, i: int) -> str:
        return [s for s in self.sentences if s][i]


@dataclass
class Card:
    """One key number.

    Parameters
    ----------
    label
        What the number is ("MQL→SQL conversion").
    value
        The formatted number with its unit ("21.4%").
    detail
        Interval and sample size ("95% interval 20.1–22.8%, n = 4,210").
    delta
        Change against the comparison ("−3.5 pp vs Q2").
    good
        ``True`` if the change is better, ``False`` if worse, ``None`` if neutral or noise.
    """

    label: str
    value: str
    detail: str | None = None
    delta: str | None = None
    good: bool | None = None

    def html(self) -> str:
        parts = [
            f'<div class="so-card-label">{escape(self.label)}</div>',
            f'<div class="so-card-value">{escape(self.value)}</div>',
        ]
        if self.delta:
            cls = {True: "good", False: "bad"}.get(self.good, "neutral")  # type: ignore[arg-type]
            arrow = ""
            if self.good is not None:
                arrow = "▲ " if self.good else "▼ "
            parts.append(f'<div class="so-delta {cls}">{arrow}{escape(self.delta)}</div>')
        if self.detail:
            parts.append(f'<div class="so-card-detail">{escape(self.detail)}</div>')
        return '<div class="so-card">' + "".join(parts) + "</div>"


@dataclass
class Cards(_Block):
    """A row of four to six key-number cards."""

    cards: Sequence[Card]

    def _body(self) -> str:
        return '<div class="so-cards">' + "".join(c.html() for c in self.cards) + "</div>"


@dataclass
class Banner(_Block):
    """A visible message; data-quality failures go first in a report (``level="warning"``)."""

    text: str | Sequence[str]
    level: Literal["warning", "error", "info"] = "warning"
    title: str | None = None

    def _body(self) -> str:
        items = [self.text] if isinstance(self.text, str) else list(self.text)
        title = f"<strong>{escape(self.title)}</strong> " if self.title else ""
        if len(items) == 1:
            body = f"<p>{title}{escape(items[0])}</p>"
        else:
            lis = "".join(f"<li>{escape(t)}</li>" for t in items)
            body = f"<p>{title}</p><ul>{lis}</ul>" if title else f"<ul>{lis}</ul>"
        return f'<div class="so-banner {self.level}" role="note">{body}</div>'


@dataclass
class Note(_Block):
    """A small note under a chart or table (e.g. "Hollow markers: fewer than 30 leads")."""

    text: str

    def _body(self) -> str:
        return f'<p class="so-note">{escape(self.text)}</p>'


@dataclass
class Paragraph(_Block):
    """A paragraph of plain words: a section's opening sentence, or the one line that says why a
    section is not shown. Also renders as Markdown (``_repr_markdown_``)."""

    text: str
    _styled = False

    def _body(self) -> str:
        return f"<p>{escape(self.text)}</p>"

    def _repr_markdown_(self) -> str:
        return self.text


class Blocks(_Block):
    """Several blocks displayed as one output (``None`` entries are skipped)."""

    def __init__(self, blocks: Iterable[Any] = ()) -> None:
        self.blocks = [b for b in blocks if b is not None]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.blocks)

    def __len__(self) -> int:
        return len(self.blocks)

    def _body(self) -> str:
        # the inner blocks' bodies: the stylesheet comes once, from this block's _repr_html_
        return "".join(b._body() if isinstance(b, _Block) else b._repr_html_() for b in self.blocks)


@dataclass
class Table(_Block):
    """A formatted detail table.

    Parameters
    ----------
    data
        A tidy DataFrame.
    formats
        Column → formatter: a name (``"pct"``, ``"pp"``, ``"int"``, ``"num"``, ``"num2"``,
        ``"money"``, ``"p"``, ``"days"``, ``"text"``) or a callable. Unlisted numeric columns get
        thousands separators; numeric columns are right-aligned.
    columns
        Column → display header (also selects and orders the columns when given).
    caption
        A sentence above the table.
    max_rows
        Show at most this many rows (a note says how many were left out).
    """

    data: pd.DataFrame
    formats: Mapping[str, str | Callable[[Any], str]] = field(default_factory=dict)
    columns: Mapping[str, str] | None = None
    caption: str | None = None
    max_rows: int = 50

    def _body(self) -> str:
        df = self.data
        if self.columns:
            df = df[[c for c in self.columns if c in df.columns]]
        headers = [(c, (self.columns or {}).get(c, str(c))) for c in df.columns]
        shown = df.head(self.max_rows)
        numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c].dtype)}
        numeric |= {c for c, f in self.formats.items() if isinstance(f, str) and f != "text"}

        def cell(col: str, value: Any) -> str:
            fmt = self.formats.get(col)
            if fmt is None:
                if col in numeric and not isinstance(value, bool):
                    if F.is_missing(value):
                        text = F.MISSING
                    elif float(value).is_integer():
                        text = F.fmt_int(value)
                    else:
                        text = F.fmt_num(value, 2)
                else:
                    text = F.MISSING if F.is_missing(value) else str(value)
            elif callable(fmt):
                text = fmt(value)
            else:
                text = _FORMATTERS[fmt](value)
            cls = ' class="num"' if col in numeric else ""
            return f"<td{cls}>{escape(text)}</td>"

        thead = "".join(
            f"<th{' class=num' if c in numeric else ''}>{escape(h)}</th>" for c, h in headers
        )
        rows = "".join(
            "<tr>" + "".join(cell(c, v) for c, v in zip(df.columns, row, strict=True)) + "</tr>"
            for row in shown.itertuples(index=False, name=None)
        )
        cap = f"<caption>{escape(self.caption)}</caption>" if self.caption else ""
        more = ""
        if len(df) > len(shown):
            hidden = _("{n} more rows not shown.").format(n=F.fmt_int(len(df) - len(shown)))
            more = f'<p class="so-note">{escape(hidden)}</p>'
        return (
            f'<table class="so-table">{cap}<thead><tr>{thead}</tr></thead>'
            f"<tbody>{rows}</tbody></table>{more}"
        )


@dataclass
class Definitions(_Block):
    """Methods and definitions: one row per metric or test.

    ``rows`` is an iterable of mappings with keys ``term``, ``definition`` and optionally
    ``formula`` (plain text) — or of ``(term, definition[, formula])`` tuples.
    """

    rows: Iterable[Mapping[str, str] | Sequence[str]]
    title: str | None = None

    def _body(self) -> str:
        items = []
        for row in self.rows:
            if isinstance(row, Mapping):
                term, definition, formula = row["term"], row["definition"], row.get("formula")
            else:
                term, definition, *rest = row
                formula = rest[0] if rest else None
            f_html = (
                f'<div class="so-formula"><code>{escape(formula)}</code></div>' if formula else ""
            )
            items.append(f"<dt>{escape(term)}</dt><dd>{escape(definition)}{f_html}</dd>")
        head = f"<h3>{escape(self.title)}</h3>" if self.title else ""
        return f'{head}<dl class="so-defs">{"".join(items)}</dl>'
