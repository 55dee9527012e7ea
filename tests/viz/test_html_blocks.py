import pandas as pd

from salesops_lib.viz.html import (
    Banner,
    Blocks,
    Card,
    Cards,
    Definitions,
    Heading,
    Note,
    Paragraph,
    Summary,
    Table,
    inline_css,
)


def test_summary_escapes_and_keeps_sentence_order():
    s = Summary(["Conversion fell to 21.4% (20.1–22.8%).", "Paid <search> lags."])
    html = s._repr_html_()
    assert html.index("21.4%") < html.index("Paid")
    assert "&lt;search&gt;" in html and "<search>" not in html
    assert s.text == "Conversion fell to 21.4% (20.1–22.8%). Paid <search> lags."


def test_cards_colour_means_better_or_worse_not_up_or_down():
    html = Cards(
        [
            Card("Win rate", "31.0%", delta="-2.0 pp vs Q2", good=False),
            Card("Cycle", "41 days", delta="-5 days vs Q2", good=True),
            Card("Pipeline", "$1.2M", delta="+1% vs Q2", good=None),
        ]
    )._repr_html_()
    assert html.count('class="so-card"') == 3
    assert 'so-delta bad">▼ -2.0 pp' in html
    assert 'so-delta good">▲ -5 days' in html
    assert 'so-delta neutral">+1%' in html


def test_table_formats_numbers_and_right_aligns():
    df = pd.DataFrame(
        {
            "source": ["Referral", "Paid"],
            "rate": [0.25, 0.1234],
            "n": [12000, 7],
            "p": [0.00001, 0.2],
        }
    )
    html = Table(
        df,
        formats={"rate": "pct", "p": "p"},
        columns={"source": "Source", "rate": "Rate", "n": "Leads", "p": "p-value"},
    )._repr_html_()
    assert "<th>Source</th>" in html and "<th class=num>Rate</th>" in html
    assert '<td class="num">25.0%</td>' in html
    assert '<td class="num">12,000</td>' in html
    assert '<td class="num">&lt; 0.0001</td>' in html


def test_table_truncates_with_a_note():
    df = pd.DataFrame({"x": range(60)})
    html = Table(df, max_rows=10)._repr_html_()
    assert html.count("<tr>") == 11  # header + 10 rows
    assert "50 more rows not shown." in html


def test_banner_heading_note_definitions():
    assert "so-banner warning" in Banner("Sample-ratio mismatch")._repr_html_()
    multi = Banner(["a", "b"], level="error", title="Data checks failed")._repr_html_()
    assert "<li>a</li><li>b</li>" in multi and "so-banner error" in multi
    assert Heading("Paid search converts at half the rate")._repr_html_().startswith("<h2>")
    assert "so-note" in Note("n < 30")._repr_html_()
    d = Definitions(
        [("Win rate", "won / closed", "W / (W + L)"), {"term": "Cycle", "definition": "days"}]
    )._repr_html_()
    assert "<dt>Win rate</dt>" in d and "W / (W + L)" in d and "<dt>Cycle</dt>" in d


def test_styled_blocks_carry_their_stylesheet_for_jupyterlab():
    css = inline_css()
    assert css.startswith('<style data-salesops="blocks">')
    for cls in ("so-summary", "so-cards", "so-card-value", "so-delta.bad", "so-banner.warning"):
        assert f".{cls}" in css
    for block in (Summary(["a."]), Cards([Card("x", "1")]), Banner("b"), Note("n")):
        html = block._repr_html_()
        assert html.startswith(css) and html.count("<style") == 1
        assert str(block) == html[len(css) :]  # str() is the bare markup
    # plain text blocks need no styles; a group carries the sheet once
    assert "<style" not in Heading("h")._repr_html_() + Paragraph("p")._repr_html_()
    group = Blocks([Banner("b"), Summary(["a."]), Cards([Card("x", "1")])])._repr_html_()
    markup = group.removeprefix(css)
    assert group.count("<style") == 1 and markup.index("so-banner") < markup.index("so-summary")
