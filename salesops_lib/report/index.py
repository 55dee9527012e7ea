"""``reports/index.html``: one row per report, from the ``NAME.json`` / ``NAME.error.json`` files.

A report's latest run failed when ``NAME.error.json`` exists (the runner removes it after a
later success); the row then shows the failure reason and links both the error page and the last
good ``NAME.html`` if there is one. A good report is listed only for a complete pair: both
files present and, when the JSON carries a ``run_id``, the HTML's ``<meta name="salesops-run">``
naming the same run (a crash between the two replaces must not show a mixed pair).

For a leader, each row leads with the report's one-sentence answer (``headline`` of the common
results header), its period and population (``period.label``, ``n`` ``n_label``) and its first
caution (``warnings``). A report whose params file is gone (the runner records its path as
``provenance.params_file``) drops out of the index; its files stay in the folder. When the
folder holds an archive of earlier runs (``archive/NAME/``), the row links to it (to
``archive/NAME/index.html`` when there is one).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from salesops_lib.analyses._period_text import period_label
from salesops_lib.data.period import Period
from salesops_lib.i18n import _, current_language, language
from salesops_lib.report._files import atomic_write
from salesops_lib.report.render import format_timestamp, render_page
from salesops_lib.viz.format import fmt_int, fmt_num

__all__ = ["collect_reports", "write_index"]

INDEX_NAME = "index.html"


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or "status" not in doc or "report" not in doc:
        return None  # not a report file
    return doc


_RUN_META = re.compile(rb'<meta name="salesops-run" content="([0-9a-f]+)">')


def _complete_pair(html: Path, good: dict[str, Any] | None) -> bool:
    """Whether ``html`` and the good JSON ``good`` are one run's pair."""
    if good is None or not html.is_file():
        return False
    run_id = good.get("run_id")
    if not run_id:  # written before run ids: both files present is all that can be checked
        return True
    try:
        with html.open("rb") as fh:
            head = fh.read(4096)  # the meta tag is in the <head>, before the CSS
    except OSError:
        return False
    found = _RUN_META.search(head)
    return found is not None and found.group(1).decode() == run_id


def _params_file_gone(*docs: dict[str, Any] | None) -> bool:
    """Whether the latest run that recorded its params file names a file that no longer exists.

    Runs from older kits (no ``params_file``) and runs of a params mapping always stay.
    """
    for doc in docs:
        recorded = ((doc or {}).get("provenance") or {}).get("params_file")
        if isinstance(recorded, str) and recorded:
            return not Path(recorded).exists()
    return False


def _archive(out: Path, name: str) -> tuple[str | None, int]:
    """Link to ``archive/NAME/`` (its ``index.html`` if present) and the number of archived runs."""
    folder = out / "archive" / name
    if not folder.is_dir():
        return None, 0
    runs = {p.stem for p in folder.glob("*.html") if p.name != INDEX_NAME}
    if not runs:
        return None, 0
    target = (
        f"archive/{name}/{INDEX_NAME}" if (folder / INDEX_NAME).exists() else f"archive/{name}/"
    )
    return target, len(runs)


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _count(n: Any, label: Any) -> str | None:
    if isinstance(n, bool) or not isinstance(n, int | float) or not isinstance(label, str):
        return None
    return f"{fmt_int(int(n))} {label}".strip()


def _period_label(period: dict[str, Any]) -> str | None:
    """The report's period as the index reader reads it: the JSON's (English) label, or in
    another language the same period named in it (``T3 2026``, ``ott 2025 – set 2026``)."""
    label = period.get("label") or None
    if label is None or current_language() == "en":
        return label
    try:
        p = Period(dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"]))
    except (KeyError, TypeError, ValueError):
        return label
    return period_label(p)


def collect_reports(out_dir: str | Path) -> list[dict[str, Any]]:
    """Describe the latest run of every report in ``out_dir``.

    Parameters
    ----------
    out_dir
        The reports folder.

    Returns
    -------
    list[dict]
        One dict per report name, sorted by name, with ``name``, ``title``, ``notebook``,
        ``status`` (``"ok"``/``"failed"``), ``reason``, ``headline`` (the last good report's
        one-sentence answer, from the common header of its ``results``), ``as_of``, ``run_at``,
        ``duration``, the file names ``html``, ``error_html``, ``json`` (``None`` when absent),
        ``period`` (label) and ``population`` ("671 leads") of the last good report, its
        ``warnings`` (shortened), and ``archive`` (link) with ``n_archived``. Reports whose
        recorded params file was deleted are left out.
    """
    out = Path(out_dir)
    names: set[str] = set()
    for path in out.glob("*.json"):
        if path.name.startswith("."):
            continue
        names.add(path.name.removesuffix(".json").removesuffix(".error"))
    rows = []
    for name in sorted(names):
        good = _read_json(out / f"{name}.json")
        failed = _read_json(out / f"{name}.error.json")
        html = out / f"{name}.html"
        if good is not None and not _complete_pair(html, good):
            good = None  # half of a pair: not a report to link
        latest = failed or good
        if latest is None or _params_file_gone(failed, good):
            continue
        params = latest.get("params") or {}
        prov = latest.get("provenance") or {}
        reason = None
        if failed is not None:
            err = failed.get("error") or {}
            message = str(err.get("message") or "").strip().splitlines()
            reason = f"{err.get('type', 'Error')}: {message[0] if message else ''}".strip(": ")
            if len(reason) > 160:
                reason = reason[:157] + "..."
        duration = prov.get("duration_s")
        results = (good or {}).get("results") or {}
        headline = results.get("headline")
        period = results.get("period") if isinstance(results.get("period"), dict) else {}
        warnings = [
            _shorten(w) for w in results.get("warnings") or [] if isinstance(w, str) and w.strip()
        ]
        archive, n_archived = _archive(out, name)
        html = out / f"{name}.html"
        rows.append(
            {
                "name": name,
                "title": params.get("title") or (good or {}).get("params", {}).get("title") or name,
                "notebook": latest.get("notebook") or "",
                "status": "failed" if failed is not None else "ok",
                "status_text": _("failed") if failed is not None else _("ok"),
                "reason": reason,
                "headline": headline if isinstance(headline, str) and headline else None,
                "as_of": format_timestamp(prov.get("as_of")) or _("latest"),
                "run_at": format_timestamp(prov.get("finished_at")) or "—",
                "duration": f"{fmt_num(float(duration), 1)} s" if duration is not None else "—",
                "html": html.name if good is not None else None,
                "error_html": f"{name}.error.html"
                if (out / f"{name}.error.html").exists()
                else None,
                "json": f"{name}.json" if good is not None else None,
                "period": _period_label(period),
                "population": _count(results.get("n"), results.get("n_label")),
                "warnings": warnings,
                "archive": archive,
                "n_archived": n_archived,
            }
        )
    return rows


def _language_of(out: Path) -> tuple[str, str]:
    """The reports' language and time zone when they all share one (else English, UTC)."""
    seen = set()
    for path in out.glob("*.json"):
        doc = _read_json(path)
        if doc is not None:
            params = doc.get("params") or {}
            seen.add((params.get("language") or "en", params.get("timezone") or "UTC"))
    return seen.pop() if len(seen) == 1 else ("en", "UTC")


def write_index(out_dir: str | Path, *, title: str | None = None) -> Path:
    """Write ``out_dir/index.html`` (self-contained, same house style as the reports).

    The page is in the reports' language (and time zone) when they all share one, else in
    English.

    Parameters
    ----------
    out_dir
        The reports folder (created if needed).
    title
        Page heading (default: "Sales operations reports", translated).

    Returns
    -------
    Path
        The index file.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lang, tz = _language_of(out)
    with language(lang, tz):
        rows = collect_reports(out)
        title = title or _("Sales operations reports")
        page = render_page(
            "index.html.j2",
            title=title,
            page_title=f"salesops · {title}",
            rows=rows,
            n_ok=sum(r["status"] == "ok" for r in rows),
            n_failed=sum(r["status"] == "failed" for r in rows),
            generated_text=format_timestamp(dt.datetime.now(dt.UTC).replace(microsecond=0)),
            out_dir_name=out.resolve().name,
        )
    path = out / INDEX_NAME
    atomic_write(path, page)
    return path
