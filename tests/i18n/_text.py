"""What a reader sees of a page or a block, for the language tests."""

from __future__ import annotations

import html as _html
import re
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def visible_text(page: str) -> list[str]:
    """Text nodes a reader sees (outside <style>, <script>, <title>), plus alt/aria labels."""
    out: list[str] = []

    class P(HTMLParser):
        skip = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("style", "script", "title"):
                self.skip += 1
            for name, value in attrs:
                if name in ("alt", "aria-label") and value:
                    out.append(value)

        def handle_endtag(self, tag):
            if tag in ("style", "script", "title"):
                self.skip -= 1

        def handle_data(self, data):
            if not self.skip and data.strip():
                out.append(data)

    P().feed(page)
    return out


def strip_markers(text: str) -> str:
    """Remove ⟦...⟧ spans, innermost first (a translated sentence holds translated fields)."""
    while True:
        out = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if out == text:
            return out
        text = out


def html_text(page: str) -> str:
    """The text of an HTML fragment, tags and styles removed, entities decoded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return _html.unescape(re.sub(r"<[^>]+>", " ", page))


def result_texts(res) -> list[str]:
    """Every text a report shows of an analysis result: headline, top blocks, tables, methods,
    what is not shown, and each section's title, intro, absence line and blocks."""
    texts = [res.headline(), html_text(res.top()._repr_html_())]
    texts.append(html_text(res.tables()._repr_html_()))
    texts.append(html_text(res.methods()._repr_html_()))
    texts.append(html_text(res.not_shown()._repr_html_()))
    for s in res.sections():
        texts += [s.title, s.intro or "", s.absent or ""]
        texts += [html_text(b._repr_html_()) for b in s.blocks]
    return texts


#: English that must not be left in a report read in Italian (outside data values).
ENGLISH_LEFT = [
    r" the ",
    r" of ",
    r" and ",
    r" with ",
    r"\bSummary\b",
    r"\bMethods\b",
    r"\binterval\b",
    r"\bper day\b",
    r"\bdays\b",
    r"\bforecast\b",
]


def italian_report_text(params: dict, out_dir: Path, name: str) -> str:
    """Run a report with ``params`` (``language: it``) through the runner and return the text a
    reader sees of its HTML, after checking the page says it is Italian and that none of
    :data:`ENGLISH_LEFT` is left in it (each leftover is shown in its context)."""
    from salesops_lib.report.runner import run_report

    result = run_report(None, params, out_dir=out_dir, name=name, notebooks_dir=REPO / "notebooks")
    assert result.ok, result.error
    page = (out_dir / f"{name}.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in page
    text = re.sub(r"\s+", " ", html_text(re.sub(r"data:image/[\w+]+;base64,[^\"']+", "", page)))
    left = {p: m.group(0) for p in ENGLISH_LEFT for m in [re.search(p, text)] if m}
    assert not left, {
        p: text[max(0, text.find(w) - 80) : text.find(w) + 80] for p, w in left.items()
    }
    return text
