"""FunnelParams: defaults, the checks made before a kernel starts, and the shipped params files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat
import pytest

from salesops_lib.errors import ParamsError
from salesops_lib.report.params import load_params, validate_params
from salesops_lib.report.params.funnel import FunnelParams

REPO = Path(__file__).resolve().parents[2]


def test_defaults_run_the_lead_funnel():
    p = FunnelParams()
    assert p.funnel == "lead"
    assert p.stages == ["created", "MQL", "SQL", "opportunity", "won"]
    assert p.window_days > 0 and p.period is None and p.compare_to == "previous_period"


@pytest.mark.parametrize(
    ("values", "param", "words"),
    [
        ({"window_days": 0}, "window_days", "greater than 0"),
        ({"stages": ["created"]}, "stages", "at least 2"),
        ({"stages": ["MQL", "SQL", "MQL"]}, "stages", "repeated: MQL"),
        ({"funnel": "deals"}, "funnel", "'lead'"),
        ({"period_start": "2026-04-01", "period_end": "2026-03-31"}, "period_end", "before"),
        ({"period_start": "2026-04-01"}, "period_end", "both"),
        ({"cohort_grain": "day"}, "cohort_grain", "'month'"),
        ({"within_days": [0, 30]}, "within_days", "greater than 0"),
        ({"window": 30}, "window", "did you mean `window_days`"),
    ],
)
def test_bad_values_name_the_key(values, param, words):
    with pytest.raises(ParamsError) as info:
        validate_params("funnel_analysis", values)
    assert info.value.param == param
    assert words in str(info.value)
    assert info.value.exit_code == 2


def test_period_property_and_dates():
    p = FunnelParams(period_start="2026-01-01", period_end="2026-03-31", as_of="2026-09-30")
    assert p.period == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert p.as_of == dt.datetime(2026, 9, 30, 23, 59, 59)


@pytest.mark.parametrize("name", ["funnel_analysis", "opportunity_funnel"])
def test_shipped_params_files_validate(name):
    stem, params = load_params(REPO / "params" / f"{name}.yaml")
    assert stem == "funnel_analysis"
    assert isinstance(params, FunnelParams)


def test_notebook_parameters_cell_matches_the_model_and_has_no_outputs():
    nb = nbformat.read(REPO / "notebooks" / "funnel_analysis.ipynb", as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    names: dict[str, object] = {}
    exec(cells[0].source, {}, names)  # plain assignments only
    assert set(names) == set(FunnelParams.model_fields)
    FunnelParams(**names)  # the defaults are valid
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None
