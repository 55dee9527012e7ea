"""The index page and the error page in the reports' language (issue 13, item 3).

Rendered in the pseudo language, every fixed word comes back inside ⟦ ⟧; what is left outside
is the data's own text (titles, names, the error message), numbers and dates.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel.dates import get_month_names

from salesops_lib import i18n
from salesops_lib.report.index import write_index
from salesops_lib.report.render import render_error_page
from tests.i18n.test_report_language import PROV, _visible_text

MONTHS = {m.lower() for m in get_month_names("abbreviated", locale="it").values()}


def _left_outside(page: str, data_words: set[str]) -> list[str]:
    allowed = {w.lower() for w in data_words} | MONTHS | {"cest", "cet", "utc", "s"}
    # one string: a message holding markup (<strong>, a link) spans several text nodes
    rest = re.sub(r"⟦[^⟧]*⟧", " ", " ".join(_visible_text(page)))
    tokens = re.findall(r"[A-Za-z][A-Za-z0-9_\-/.]*", rest)
    return [t for t in tokens if t.lower().rstrip(".") not in allowed]


def _report_folder(tmp_path: Path, lang: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    params = {"title": "Funnel A", "language": lang, "timezone": "Europe/Rome"}
    ok = {
        "status": "ok",
        "report": "a",
        "notebook": "funnel_analysis",
        "params": params,
        "provenance": PROV,
        "results": {
            "period": {"start": "2025-10-01", "end": "2026-09-30", "label": "Oct 2025 – Sep 2026"}
        },
    }
    (tmp_path / "a.json").write_text(json.dumps(ok), encoding="utf-8")
    (tmp_path / "a.html").write_text("<html></html>")
    failed = {
        **ok,
        "status": "failed",
        "report": "b",
        "params": {**params, "title": "Bench B"},
        "error": {"type": "SourceError", "message": "quotas missing"},
    }
    (tmp_path / "b.error.json").write_text(json.dumps(failed), encoding="utf-8")
    (tmp_path / "b.error.html").write_text("<html></html>")
    return tmp_path


def test_index_in_the_reports_language_leaves_no_fixed_word_untranslated(tmp_path):
    page = write_index(_report_folder(tmp_path, i18n.PSEUDO)).read_text(encoding="utf-8")
    assert '<html lang="x-pseudo">' in page
    data = {"Funnel", "A", "Bench", "B", "SourceError", "quotas", "missing", "salesops"}
    data |= {"run", "all", "funnel_analysis", "a", "b", "JSON", "salesops.", tmp_path.name}
    assert not _left_outside(page, data)


def test_index_in_italian_and_in_english(tmp_path):
    it = write_index(_report_folder(tmp_path / "it", "it")).read_text(encoding="utf-8")
    assert '<html lang="it">' in it and "Report commerciali" in it
    assert "1 riusciti" in it and "1 falliti" in it and "Ultima esecuzione" in it
    assert "2 ott 2026" in it  # the run's time in the reports' language and time zone
    assert "3,2 s" in it  # Italian decimal comma
    assert "ott 2025 – set 2026" in it and "Oct 2025" not in it  # the period in Italian
    en = write_index(_report_folder(tmp_path / "en", "en")).read_text(encoding="utf-8")
    assert '<html lang="en">' in en and "Sales operations reports" in en
    assert "1 ok" in en and "Last run" in en and "3.2 s" in en
    assert "Oct 2025 – Sep 2026" in en


def test_index_of_reports_in_several_languages_is_english(tmp_path):
    folder = _report_folder(tmp_path, "it")
    doc = json.loads((folder / "a.json").read_text(encoding="utf-8"))
    doc["params"]["language"] = "en"
    (folder / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    page = write_index(folder).read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Last run" in page


def test_error_page_in_the_reports_language(tmp_path):
    def page(lang: str) -> str:
        return render_error_page(
            None,
            name="weekly",
            title="Weekly",
            notebook="funnel_analysis",
            params={"title": "Weekly", "language": lang, "timezone": "Europe/Rome"},
            provenance=PROV,
            error={
                "ename": "ValueError",
                "evalue": "boom",
                "cell_number": 7,
                "cell_id": None,
                "cell_source": "raise ValueError('boom')",
                "traceback": "ValueError: boom",
            },
            has_previous=True,
        )

    pseudo = page(i18n.PSEUDO)
    data = {"Weekly", "weekly", "weekly.html", "funnel_analysis", "ValueError", "boom", "raise"}
    data |= {"salesops", "title", "language", "timezone", "x-pseudo", "Europe/Rome"}
    data |= {"abcdef123456", "notebook"}
    assert not _left_outside(pseudo, data)
    it = page("it")
    assert "Cella con l'errore" in it or "Cella con l&#39;errore" in it
    assert '<a href="weekly.html">weekly.html</a>' in it  # the link survives translation
    assert "<strong>weekly</strong>" in it
    en = page("en")
    assert 'The last good report, <a href="weekly.html">weekly.html</a>, was left as it was.' in en
    assert "Report <strong>weekly</strong> from notebook <strong>funnel_analysis</strong>" in en
