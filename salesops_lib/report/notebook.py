"""Helpers called from inside a report notebook.

A report notebook starts (after its ``parameters`` cell) with::

    from salesops_lib.report import notebook_setup, publish_results
    notebook_setup()

and ends by handing its machine-readable results to the runner::

    publish_results({"conversion": 0.214, "n_leads": 4210}, source=src)

``publish_results`` displays one output of MIME type
``application/vnd.salesops.results+json`` (:data:`RESULTS_MIME`). The runner reads it from the
executed notebook, writes it to ``reports/NAME.json`` and strips it from the HTML.

The provenance contract
-----------------------
The payload may carry one reserved key, ``"_provenance"`` (:data:`PROVENANCE_KEY`), a mapping
with any of:

``data_fingerprint``
    ``Source.fingerprint()``: a short hash of table names, row counts and max timestamps.
``as_of``
    The cut-off actually used (ISO 8601, naive UTC), i.e. ``Source.as_of``.
``rows``
    Rows per table in the source, ``{"leads": 50000, ...}``.

Pass ``source=src`` (the object returned by ``salesops_lib.data.sources.open_source``) and
``publish_results`` fills all three itself; or pass ``provenance={...}``. The runner moves
``_provenance`` out of ``results`` into the ``provenance`` block of ``NAME.json`` and the report
footer. When a notebook publishes several times, the runner merges the payloads in order (later
keys win).
"""

from __future__ import annotations

import base64
import gc
import html
import io
import math
import os
import re
import warnings
from collections.abc import Mapping
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from IPython import get_ipython
from IPython.display import display
from matplotlib.figure import Figure

from salesops_lib._jsonsafe import json_safe
from salesops_lib.i18n import _, _reset_session
from salesops_lib.viz.theme import set_theme

__all__ = [
    "PROVENANCE_KEY",
    "RESULTS_MIME",
    "json_safe",
    "notebook_setup",
    "publish_results",
]

#: MIME type of the display output that carries a notebook's results to the runner.
RESULTS_MIME = "application/vnd.salesops.results+json"
#: Reserved key of the results payload that carries provenance (see the module docstring).
PROVENANCE_KEY = "_provenance"

FIGURE_DPI = 110


#: The warnings filters of the kernel before a report changed them (``notebook_setup``
#: silences warnings); a kernel kept for the next report gets them back.
_KERNEL_WARNING_FILTERS = list(warnings.filters)


def _in_ipython() -> Any:
    return get_ipython()


def _reset_kernel(cwd: str) -> None:
    """Make a kernel that ran a report like a freshly started one for the next report.

    ``run_all`` keeps one kernel per worker process between reports (starting a kernel and
    importing the kit costs about as much CPU as a small report's analysis, see
    ``salesops_lib.report._warm``). Before each later report the worker runs this in the
    kernel: the IPython session is reset (every name the last notebook defined, its output
    history, and the execution count back to 1, as in a new kernel), figures are closed,
    matplotlib's and pandas' options and the warnings filters go back to their defaults, the
    report language and time zone back to English and UTC, the working folder is ``cwd``, and
    the garbage (the last report's data frames, engine connections) is collected. Imported
    modules stay loaded: that is the saving.
    """
    plt.close("all")
    ip = _in_ipython()
    if ip is not None:
        ip.reset(new_session=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcdefaults()  # the backend (``%matplotlib inline``) is kept
        pd.reset_option("all")
    warnings.resetwarnings()  # also invalidates the per-module "already warned" caches
    warnings.filters.extend(_KERNEL_WARNING_FILTERS)
    _reset_session()
    os.chdir(cwd)
    gc.collect()


_MATHTEXT = re.compile(r"(?<!\\)\$")  # an unescaped "$" starts matplotlib mathtext


def _figure_headline(fig: Figure) -> tuple[Any, str] | None:
    """The one visible title of a one-chart figure (its Text artist and plain text), or ``None``.

    Figures with a suptitle, several titles (small multiples) or mathtext keep their titles.
    """
    if fig.get_suptitle().strip():
        return None
    found = []
    for ax in fig.get_axes():
        # matplotlib keeps the left, centre and right titles as three Text artists
        for text in (getattr(ax, "_left_title", None), ax.title, getattr(ax, "_right_title", None)):
            if text is not None and text.get_visible() and text.get_text().strip():
                found.append(text)
    if len(found) != 1 or _MATHTEXT.search(found[0].get_text()):
        return None
    plain = " ".join(found[0].get_text().replace("\\$", "$").split())
    return found[0], plain


def _figure_html(fig: Figure, *, dpi: int = FIGURE_DPI) -> str | None:
    """A chart as HTML: its headline as text above the PNG drawn without it.

    Registered by :func:`notebook_setup` as the ``text/html`` display of a matplotlib figure, so
    that a headline wraps on a phone (where the picture itself is scaled to the screen width),
    reads at full size, and is text in a PDF. ``None`` (the plain PNG display) for figures whose
    titles are not one headline.
    """
    found = _figure_headline(fig)
    if found is None:
        return None
    title, text = found
    buf = io.BytesIO()
    title.set_visible(False)
    try:
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor=fig.get_facecolor())
    finally:
        title.set_visible(True)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    safe = html.escape(text)
    return (
        f'<figure class="so-chart"><p class="so-chart-title">{safe}</p>'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(_("Chart"))}: {safe}"></figure>'
    )


def notebook_setup(*, dpi: int = FIGURE_DPI) -> None:
    """Prepare a notebook kernel for a report: figures, theme, quiet output, pandas display.

    - matplotlib draws inline as PNG at ``dpi`` (``agg`` outside IPython), with a tight box; a
      figure with one headline title also displays as HTML, the headline as text above the
      picture, so that it wraps on a phone and prints as text;
    - the house theme (``salesops_lib.viz.theme.set_theme``) when available;
    - warnings are silenced so that no stderr noise reaches the report, and tqdm progress bars
      are switched off;
    - pandas shows up to 60 rows and 30 columns, floats with thousands separators.

    Parameters
    ----------
    dpi
        Resolution of inline PNG figures (110 fits a laptop screen and keeps reports small).
    """
    warnings.filterwarnings("ignore")
    os.environ.setdefault("TQDM_DISABLE", "1")
    ip = _in_ipython()
    if ip is None:
        matplotlib.use("agg")
    set_theme()
    matplotlib.rcParams["figure.dpi"] = dpi
    matplotlib.rcParams["savefig.dpi"] = dpi
    if ip is not None:
        try:
            ip.run_line_magic("matplotlib", "inline")
            # after `%matplotlib inline` has selected the inline backend
            from matplotlib_inline.backend_inline import (  # noqa: PLC0415  only after %matplotlib inline
                set_matplotlib_formats,
            )

            set_matplotlib_formats("png", dpi=dpi, bbox_inches="tight")
            # the headline of a one-chart figure as HTML text above the picture (see _figure_html)
            ip.display_formatter.formatters["text/html"].for_type(
                Figure, lambda fig: _figure_html(fig, dpi=dpi)
            )
            # ... and then not also as a PNG of its own: IPython computes every registered
            # format of a figure, so each chart would be drawn twice (once here, once for the
            # HTML), and the second picture is never shown (HTML comes first)
            png = ip.display_formatter.formatters["image/png"]
            png.for_type(Figure, _png_unless_headline(png.lookup_by_type(Figure)))
        except Exception:  # pragma: no cover - inline backend missing: agg still works
            matplotlib.use("agg")
    _pandas_display()


def _png_unless_headline(draw: Any) -> Any:
    """The inline backend's PNG formatter ``draw`` for figures without one headline title;
    ``None`` (no PNG output) for the others, which :func:`_figure_html` draws.

    A kernel kept for the next report runs :func:`notebook_setup` again: ``draw`` is then this
    function's own wrapper, whose original is reused instead of wrapping it twice.
    """
    draw = getattr(draw, "_salesops_draw", draw)

    def png(fig: Figure) -> Any:
        return None if _figure_headline(fig) is not None else draw(fig)

    png._salesops_draw = draw  # type: ignore[attr-defined]
    return png


def _format_float(x: float) -> str:
    if math.isnan(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.2f}"
    return f"{x:.3g}"


def _pandas_display() -> None:
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.min_rows", 20)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)
    pd.set_option("display.float_format", _format_float)
    pd.set_option("styler.format.thousands", ",")
    pd.set_option("styler.format.precision", 2)


def _source_provenance(source: Any) -> dict[str, Any]:
    """Fingerprint, as-of and row counts of a ``Source`` (each left out if unavailable)."""
    out: dict[str, Any] = {}
    fingerprint = getattr(source, "fingerprint", None)
    if callable(fingerprint):
        out["data_fingerprint"] = fingerprint()
    as_of = getattr(source, "as_of", None)
    if as_of is not None:
        out["as_of"] = as_of
    describe = getattr(source, "describe", None)
    if callable(describe):
        frame = describe()
        if "table" in frame and "rows" in frame:
            out["rows"] = dict(zip(frame["table"], frame["rows"], strict=True))
    return out


def publish_results(
    results: Mapping[str, Any],
    *,
    source: Any = None,
    provenance: Mapping[str, Any] | None = None,
) -> None:
    """Hand a notebook's machine-readable results to the report runner.

    Displays one output of MIME type :data:`RESULTS_MIME` (plus ``text/plain`` "results
    recorded"); the runner copies it into ``reports/NAME.json`` and removes it from the HTML.

    Parameters
    ----------
    results
        The headline numbers, small tables (DataFrames become lists of records) and flags a
        downstream consumer needs. Values are converted with :func:`json_safe`.
    source
        The data source (``open_source(...)``); its ``fingerprint()``, ``as_of`` and row counts
        go into the ``_provenance`` key (see the module docstring).
    provenance
        Extra or overriding provenance fields (``data_fingerprint``, ``as_of``, ``rows``).

    Notes
    -----
    Returns nothing, so that a call as a cell's last line leaves no echo in the report. Outside
    IPython (a plain script or a test) nothing is displayed; use :func:`json_safe` to see the
    payload.
    """
    payload = dict(results)
    prov: dict[str, Any] = dict(payload.pop(PROVENANCE_KEY, None) or {})
    if source is not None:
        prov.update(_source_provenance(source))
    if provenance:
        prov.update(provenance)
    if prov:
        payload[PROVENANCE_KEY] = prov
    safe = json_safe(payload)
    if _in_ipython() is not None:
        display({RESULTS_MIME: safe, "text/plain": "results recorded"}, raw=True)
