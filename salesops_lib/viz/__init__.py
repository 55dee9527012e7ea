"""Charts, number formatting and HTML blocks in one house style (see ``theme``)."""

from salesops_lib.viz.format import (
    fmt_days,
    fmt_int,
    fmt_money,
    fmt_num,
    fmt_p,
    fmt_pct,
    fmt_pct_ci,
    fmt_pp,
)
from salesops_lib.viz.html import Banner, Card, Cards, Definitions, Heading, Note, Summary, Table
from salesops_lib.viz.theme import (
    ACCENT,
    BAD,
    GOOD,
    GREY,
    LIGHT_GREY,
    new_figure,
    palette,
    set_theme,
)

__all__ = [
    "ACCENT",
    "BAD",
    "GOOD",
    "GREY",
    "LIGHT_GREY",
    "Banner",
    "Card",
    "Cards",
    "Definitions",
    "Heading",
    "Note",
    "Summary",
    "Table",
    "fmt_days",
    "fmt_int",
    "fmt_money",
    "fmt_num",
    "fmt_p",
    "fmt_pct",
    "fmt_pct_ci",
    "fmt_pp",
    "new_figure",
    "palette",
    "set_theme",
]
