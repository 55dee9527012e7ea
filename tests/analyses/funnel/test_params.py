"""FunnelParams: defaults, the checks made before a kernel starts, and the shipped params files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat
import pytest

from salesops_lib.analyses.funnel import FunnelParams
from salesops_lib.errors import ParamsError
from salesops_lib.report.params import load_params, validate_params

REPO = Path(__file__).resolve().parents[3]


def test_defaults_run_the_lead_funnel():
    p = FunnelParams()
    assert p.funnel == "lead"
    assert p.stages is None  # the funnel's default stages (DEFAULT_LEAD_STAGES)
    assert p.window_days > 0 and p.period_start is None and p.compare_to == "previous_period"
    assert p.to_kwargs()["source"] == p.source and "title" not in p.to_kwargs()


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
        ({"filters": {"region": []}}, "filters", "at least one value"),
        ({"filters": {"region": [""]}}, "filters", "must not be empty"),
        ({"filters": "EMEA"}, "filters", "mapping"),
        ({"filters": {"region": [None]}}, "filters.region.0", "text"),
        ({"filters": {"region": {"EMEA": 1}}}, "filters.region", "list"),
        ({"filter": {"region": "EMEA"}}, "filter", "did you mean `filters`"),
        ({"exclude_campaign_members": [" "]}, "exclude_campaign_members", "must not be empty"),
    ],
)
def test_bad_values_name_the_key(values, param, words):
    with pytest.raises(ParamsError) as info:
        validate_params("funnel_analysis", values)
    assert info.value.param == param
    assert words in str(info.value)
    assert info.value.exit_code == 2


def test_exclude_campaign_members_accepts_an_id_or_a_list():
    assert FunnelParams().exclude_campaign_members == ()
    assert FunnelParams(exclude_campaign_members="C_AB_MQL_SLA").exclude_campaign_members == (
        "C_AB_MQL_SLA",
    )
    assert FunnelParams(exclude_campaign_members=["A", "B", "A"]).exclude_campaign_members == (
        "A",
        "B",
    )


def test_period_property_and_dates():
    p = FunnelParams(period_start="2026-01-01", period_end="2026-03-31", as_of="2026-09-30")
    assert (p.period_start, p.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert p.as_of == dt.datetime(2026, 9, 30, 23, 59, 59)


@pytest.mark.parametrize("name", ["funnel_analysis", "opportunity_funnel", "funnel_emea"])
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


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, None),
        ({}, {}),
        ({"region": "EMEA"}, {"region": ["EMEA"]}),
        ({"region": ["EMEA", "APAC", "EMEA"]}, {"region": ["EMEA", "APAC"]}),
        ({"region": "EMEA", "team": ["Team East"]}, {"region": ["EMEA"], "team": ["Team East"]}),
        ({"tier": 1}, {"tier": ["1"]}),  # YAML numbers are read as text
    ],
)
def test_filters_accept_a_value_or_a_list(given, expected):
    assert validate_params("funnel_analysis", {"filters": given}).filters == expected
    assert FunnelParams().filters is None


def test_emea_params_file_restricts_to_emea_with_the_lead_funnel_period():
    _, emea = load_params(REPO / "params" / "funnel_emea.yaml")
    _, base = load_params(REPO / "params" / "funnel_analysis.yaml")
    assert emea.filters == {"region": ["EMEA"]}
    assert "EMEA" in emea.title
    same = (
        "funnel",
        "stages",
        "window_days",
        "period_start",
        "period_end",
        "compare_to",
        "as_of",
        "source",
    )
    assert {k: getattr(emea, k) for k in same} == {k: getattr(base, k) for k in same}


@pytest.mark.slow
def test_filtered_report_end_to_end_and_a_bad_filter_value_exits_2(
    demo_db, tmp_path, monkeypatch, capsys
):
    import json

    from salesops_lib.cli import main

    monkeypatch.chdir(REPO)
    common = (
        f"notebook: funnel_analysis\nsource: {demo_db}\nas_of: 2026-09-30\n"
        "period_start: 2026-01-01\nperiod_end: 2026-03-31\nbreakdowns: [source]\n"
    )
    good = tmp_path / "emea.yaml"
    good.write_text(common + "title: Lead funnel, EMEA\nfilters: {region: EMEA}\n")
    assert (
        main(["run", "funnel_analysis", "--params", str(good), "--out", str(tmp_path / "out")]) == 0
    )
    data = json.loads((tmp_path / "out" / "emea.json").read_text())
    assert data["params"]["filters"] == {"region": ["EMEA"]}
    assert data["results"]["filters"] == {"region": ["EMEA"]}
    assert data["results"]["summary"].startswith(
        f"Of the {data['results']['n_entities']:,} EMEA leads"
    )
    html = (tmp_path / "out" / "emea.html").read_text()
    assert "with region = EMEA" in html
    # the demo's MQL experiment covers most of Q4 2025: flagged once at the top (the summary's
    # change sentence names it briefly; the comparison section does not repeat the banner)
    warn = data["results"]["campaign_warnings"]
    assert len(warn) == 1 and "C_AB_MQL_SLA (1 Dec 2024 – 31 Dec 2025)" in warn[0]
    assert html.count("C_AB_MQL_SLA (1 Dec 2024 – 31 Dec 2025)") == 1
    assert "Experiment or campaign in the compared cohorts" not in html
    assert "Skipped this stage" in html and "Converted by the cut-off" in html

    bad = tmp_path / "emae.yaml"
    bad.write_text(common + "title: Lead funnel, EMAE\nfilters: {region: EMAE}\n")
    capsys.readouterr()
    assert (
        main(["run", "funnel_analysis", "--params", str(bad), "--out", str(tmp_path / "out")]) == 2
    )
    err = capsys.readouterr().err
    assert "filters" in err and "region 'EMAE' not found" in err and "APAC, EMEA, NA" in err


def _demo_params(demo_db: Path, name: str = "funnel_analysis", **changes) -> FunnelParams:
    import yaml

    raw = yaml.safe_load((REPO / "params" / f"{name}.yaml").read_text())
    raw.pop("notebook", None)
    raw["source"] = str(demo_db)
    raw.update(changes)
    return FunnelParams.model_validate(raw)


@pytest.mark.parametrize("name", ["funnel_analysis", "funnel_emea", "opportunity_funnel"])
def test_check_data_accepts_the_shipped_params(demo_db, name):
    _demo_params(demo_db, name).check_data()  # no error


@pytest.mark.parametrize(
    ("changes", "param", "words"),
    [
        ({"stages": ["created", "MQLL", "SQL"]}, "stages", "'MQLL'"),
        ({"breakdowns": ["sorce"]}, "breakdowns", "'sorce'"),
        ({"filters": {"region": "Atlantis"}}, "filters", "Atlantis"),
        ({"period_start": "2030-01-01", "period_end": "2030-03-31"}, "period_start", "no leads"),
    ],
)
def test_check_data_raises_the_analysis_error_without_a_kernel(
    demo_db, monkeypatch, changes, param, words
):
    from salesops_lib.analyses.funnel import _analysis as funnel_mod

    params = _demo_params(demo_db, **changes)
    # the same error as the analysis itself raises (same parameter, same message)
    with pytest.raises(ParamsError) as from_analysis:
        funnel_mod.funnel_analysis(
            params.source,
            stages=params.stages,
            funnel=params.funnel,
            window_days=params.window_days,
            breakdowns=params.breakdowns,
            period_start=params.period_start,
            period_end=params.period_end,
            as_of=params.as_of,
            filters=params.filters,
        )
    # check_data runs no analysis (and so no notebook)
    monkeypatch.setattr(
        funnel_mod, "funnel_analysis", lambda *a, **k: pytest.fail("analysis was run")
    )
    with pytest.raises(ParamsError) as info:
        params.check_data()
    assert str(info.value) == str(from_analysis.value)
    assert f"`{param}`" in str(info.value) or param in str(info.value)
    assert words in str(info.value)


def test_runner_stops_on_a_stage_typo_before_any_kernel(demo_db, tmp_path, monkeypatch):
    import yaml

    from salesops_lib.report import runner

    raw = yaml.safe_load((REPO / "params" / "funnel_analysis.yaml").read_text())
    raw["source"] = str(demo_db)
    raw["stages"] = ["created", "MQL", "SQLL", "opportunity", "won"]
    monkeypatch.setattr(runner, "_execute", lambda job: pytest.fail("a kernel was started"))
    with pytest.raises(ParamsError) as info:
        runner.run_report(
            None,
            raw,
            out_dir=tmp_path / "reports",
            notebooks_dir=REPO / "notebooks",
            update_index=False,
        )
    assert "stages" in str(info.value) and "'SQLL'" in str(info.value)
