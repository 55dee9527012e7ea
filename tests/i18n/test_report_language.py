"""The ``language`` and ``timezone`` params and the report page in Italian (no kernel)."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from salesops_lib import i18n
from salesops_lib.analyses.funnel import FunnelParams
from salesops_lib.errors import ParamsError
from salesops_lib.i18n import current_language, current_timezone
from salesops_lib.report.render import format_timestamp, render_report_page
from tests.i18n._text import visible_text as _visible_text

PROV = {
    "kit_version": "0.1.0",
    "params_hash": "abcdef123456",
    "as_of": "2026-09-30T23:59:59",
    "finished_at": "2026-10-02T06:00:00+00:00",
    "duration_s": 3.21,
    "rows": {"leads": 50000, "opportunities": 4000},
}


@pytest.fixture(autouse=True)
def _session_back_to_english():
    yield
    i18n.use_language("en", "UTC")


def _nb():
    return new_notebook(
        cells=[
            new_markdown_cell("## Methods and definitions"),
            new_code_cell("x = 1"),
        ]
    )


def test_defaults_are_english_and_utc_and_not_passed_to_the_analysis():
    p = FunnelParams(title="t")
    assert (p.language, p.timezone) == ("en", "UTC")
    assert "language" not in p.to_kwargs() and "timezone" not in p.to_kwargs()


def test_an_untranslated_analysis_refuses_italian_and_names_the_translated_ones(monkeypatch):
    monkeypatch.setitem(i18n.TRANSLATED_ANALYSES, "it", ("experiment",))
    with pytest.raises(ParamsError) as err:
        FunnelParams.from_namespace({"title": "t", "language": "it"})
    assert err.value.param == "language"
    assert "funnel report is not translated" in str(err.value)
    assert "experiment" in str(err.value)


def test_unknown_language_and_timezone_are_params_errors():
    with pytest.raises(ParamsError, match="language"):
        FunnelParams.from_namespace({"title": "t", "language": "fr"})
    with pytest.raises(ParamsError, match="timezone"):
        FunnelParams.from_namespace({"title": "t", "timezone": "Europe/Atlantis"})


def test_from_namespace_sets_the_session_language_for_later_cells(monkeypatch):
    monkeypatch.setitem(i18n.TRANSLATED_ANALYSES, "it", ("funnel",))
    FunnelParams.from_namespace({"title": "t", "language": "it", "timezone": "Europe/Rome"})
    assert (current_language(), current_timezone()) == ("it", "Europe/Rome")
    assert i18n._("Summary") == "Sintesi"


def test_timestamps_in_italian_and_the_readers_time_zone():
    assert format_timestamp("2026-09-30T23:59:59") == "30 Sep 2026 23:59 UTC"
    with i18n.language("it", timezone="Europe/Rome"):
        assert format_timestamp("2026-09-30T23:59:59") == "1 ott 2026 01:59 CEST"
        assert format_timestamp("2026-12-31") == "31 dic 2026"
    with i18n.language("en", timezone="America/New_York"):
        assert format_timestamp("2026-09-30T23:59:59") == "30 Sep 2026 19:59 EDT"


def test_report_page_in_italian():
    page = render_report_page(
        _nb(),
        title="Funnel dei lead",
        notebook="funnel_analysis",
        params={"title": "Funnel dei lead", "language": "it", "timezone": "Europe/Rome"},
        provenance=PROV,
    )
    assert '<html lang="it">' in page
    assert "Dati al 1 ott 2026 01:59 CEST" in page
    assert "generato il 2 ott 2026 08:00 CEST" in page
    assert "Parametri del report" in page
    assert "Metodi e definizioni" in page and "Methods and definitions" not in page
    assert "54.000 in 2 tabelle" in page and "3,2 s" in page
    assert current_language() == "en"  # rendering left the session as it was


def test_report_page_in_english_is_unchanged():
    page = render_report_page(
        _nb(), title="t", notebook="funnel_analysis", params={"title": "t"}, provenance=PROV
    )
    assert '<html lang="en">' in page
    assert "Data as of 30 Sep 2026 23:59 UTC" in page and "Report parameters" in page
    assert "Methods and definitions" in page
    assert "54,000 in 2 tables" in page


def test_pseudo_locale_leaves_no_untranslated_text_on_the_report_page():
    """Every fixed word of the page (header, contents, parameters, provenance, notebook
    headings) goes through the catalog: rendered in the pseudo language, nothing visible is
    left outside ⟦ ⟧ but the data's own values (title, parameter keys and values, hashes),
    numbers, dates and time zone abbreviations."""
    import re

    from babel.dates import get_month_names

    params = {"title": "Funnel", "window_days": 90, "filters": {}, "as_of": None}
    page = render_report_page(
        new_notebook(
            cells=[
                new_markdown_cell("## Detail tables"),
                new_markdown_cell("## Methods and definitions"),
                new_code_cell("x = 1"),
            ]
        ),
        title="Funnel",
        notebook="funnel_analysis",
        params={**params, "language": i18n.PSEUDO, "timezone": "Europe/Rome"},
        provenance={**PROV, "git_commit": None, "data_fingerprint": None},
    )
    months = {m.lower() for m in get_month_names("abbreviated", locale="it").values()}
    data_words = {"funnel", "funnel_analysis", "title", "window_days", "filters", "as_of"}
    data_words |= {"language", "timezone", "x-pseudo", "europe/rome", "salesops", "abcdef123456"}
    data_words |= {"cest", "cet", "utc", "s"} | months
    left = []
    for text in _visible_text(page):
        rest = re.sub(r"⟦[^⟧]*⟧", " ", text)
        for token in re.findall(r"[A-Za-z][A-Za-z0-9_\-/]*", rest):
            if token.lower() not in data_words:
                left.append((token, text))
    assert not left, f"untranslated on the page: {left}"
    assert "⟦Report parameters⟧" in page and "⟦Methods and definitions⟧" in page


def test_shared_scope_banners_in_english_and_italian():
    """The two banners every analysis shares (analyses/_base.py) read the same in English as
    before and fully in Italian."""
    import datetime as dt
    from types import SimpleNamespace

    import pandas as pd

    from salesops_lib.analyses._base import ResultBase
    from salesops_lib.data.period import Period

    src = SimpleNamespace(
        as_of=pd.Timestamp("2026-12-31 23:59:59"),
        as_of_explicit=True,
        last_record=lambda: pd.Timestamp("2026-09-05 10:00"),
    )
    res = SimpleNamespace(
        source=src, LOOKS_AHEAD=False, period=Period(dt.date(2026, 10, 1), dt.date(2027, 1, 31))
    )
    en = ResultBase.scope_banners(res)
    assert en[0].title == "The data ends before the as-of time."
    assert en[0].text.startswith(
        "The as-of time, 31 Dec 2026, is 117 days after the last record in the data "
        "(05 Sep 2026): nothing after 05 Sep 2026 is observed"
    )
    assert en[1].text.startswith("The period asked for ends on 31 Jan 2027, after the as-of")
    assert "its last 31 days are not in the data" in en[1].text
    with i18n.language("it"):
        it = ResultBase.scope_banners(res)
    assert it[0].title == "I dati finiscono prima della data di riferimento."
    assert it[0].text.startswith(
        "La data di riferimento (31 dic 2026) cade 117 giorni dopo l'ultimo record dei dati "
        "(5 set 2026)"
    )
    assert it[1].title == "Periodo parziale."
    assert "termina il 31 gen 2027" in it[1].text and "ultimi 31 giorni" in it[1].text
