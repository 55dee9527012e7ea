"""The sections of the benchmarking report, decided from the data (narrative + tables).

Private; used by :class:`salesops_lib.analyses.benchmark._result.BenchmarkResult`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salesops_lib.analyses._base import Section
from salesops_lib.analyses.benchmark import _narrative_tables as NT
from salesops_lib.analyses.benchmark._narrative import intro, missing_note
from salesops_lib.i18n import _
from salesops_lib.viz.html import Heading, Paragraph

if TYPE_CHECKING:  # pragma: no cover
    from salesops_lib.analyses.benchmark._result import BenchmarkResult

__all__: list[str] = []  # private module


def _list_blocks(res: BenchmarkResult) -> list[Any]:
    return [
        Heading(_("Top performers to recognise"), level=3),
        NT.list_table(res, "recognition"),
        Heading(_("Reps who need support"), level=3),
        NT.list_table(res, "coaching"),
        Heading(_("Watch list: probably above or below"), level=3),
        Paragraph(
            _(
                "Reps whose win rate is probably, but not clearly, different from the company "
                "rate. Not a verdict: check again next period."
            )
        ),
        NT.list_table(res, "watch"),
    ]


def sections(res: BenchmarkResult) -> list[Section]:
    """The body of the report, in order; a section the data cannot support says why."""
    m = res.n_compared
    board = intro(res, "leaderboard").text
    funnel = intro(res, "funnel").text
    out = [
        Section(
            "leaderboard",
            _("Who wins more: the leaderboard with intervals"),
            # one rep is the company: its line and the company line coincide (the intro says so)
            intro=board if m > 1 else None,
            plots=("leaderboard",) if m > 1 else (),
            absent=None if m > 1 else _("Not shown: {reason}").format(reason=board),
        ),
        Section(
            "funnel",
            _("Outliers or noise: the funnel plot"),
            intro=funnel if m > 1 else None,
            plots=("funnel",) if m > 1 else (),
            absent=None if m > 1 else _("Not shown: {reason}").format(reason=funnel),
        ),
        Section(
            "recognition",
            _("Recognition and coaching"),
            intro=intro(res, "recognition").text,
            blocks=_list_blocks(res),
        )
        if m > 1 or res.available("attainment")
        else Section(
            "recognition",
            _("Recognition and coaching"),
            absent=_("Not shown: {reason}").format(reason=intro(res, "recognition").text),
        ),
    ]
    for key, part, title, kind in (
        ("attainment", "attainment", _("Quota attainment: the whole distribution"), "attainment"),
        ("balance", "territory_balance", _("Territory balance: is the workload fair?"), "balance"),
    ):
        if res.available(part):
            table = NT.attainment_table(res) if key == "attainment" else NT.balance_table(res)
            out.append(
                Section(key, title, intro=intro(res, key).text, plots=(kind,), blocks=[table])
            )
        else:
            out.append(Section(key, title, absent=missing_note(res, part).text))
    out.append(
        Section(
            "groups",
            _("Teams and regions"),
            blocks=[NT.group_table(res, "team"), NT.group_table(res, "region")],
        )
    )
    out.append(
        Section(
            "benchmarks",
            _("Benchmarks: internal and external"),
            intro=_(
                "Our figure next to the median and top-quartile rep (per full-time-equivalent rep "
                "for counts and amounts) and to external benchmarks. Read the two definitions "
                "side by side: an external figure measured differently is not a like-for-like "
                "comparison, and a placeholder is no benchmark at all."
            ),
            blocks=[NT.benchmarks_block(res), NT.external_table(res)],
        )
    )
    return out
