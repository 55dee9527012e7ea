"""Params validation: one readable ParamsError naming the key, before any kernel starts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import write_params

from salesops_lib.errors import ParamsError, SourceError
from salesops_lib.report.params import (
    NOTEBOOK_PARAMS,
    ReportParams,
    get_params_model,
    load_params,
    validate_params,
)


class TestReportParams:
    def test_defaults(self):
        p = ReportParams(title="T")
        assert p.source == "data/demo.duckdb"
        assert p.as_of is None

    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            ("2026-09-30", dt.datetime(2026, 9, 30, 23, 59, 59)),
            (dt.date(2026, 9, 30), dt.datetime(2026, 9, 30, 23, 59, 59)),
            ("2026-09-30T18:00:00", dt.datetime(2026, 9, 30, 18, 0)),
            ("2026-09-30T18:00:00Z", dt.datetime(2026, 9, 30, 18, 0)),
            ("2026-09-30T20:00:00+02:00", dt.datetime(2026, 9, 30, 18, 0)),
            (
                dt.datetime(2026, 9, 30, 20, tzinfo=dt.timezone(dt.timedelta(hours=2))),
                dt.datetime(2026, 9, 30, 18),
            ),
        ],
    )
    def test_as_of_is_naive_utc(self, given, expected):
        value = ReportParams(title="T", as_of=given).as_of
        assert value == expected
        assert value.tzinfo is None

    @pytest.mark.parametrize("bad", ["2026-13-40", "tomorrow", 5])  # "yesterday" is a relative date
    def test_bad_as_of(self, bad, monkeypatch: pytest.MonkeyPatch):
        monkeypatch.setitem(NOTEBOOK_PARAMS, "base", ReportParams)
        with pytest.raises(ParamsError) as info:
            validate_params("base", {"title": "T", "as_of": bad})
        assert info.value.param == "as_of"
        assert "date" in str(info.value)

    def test_extra_forbidden(self):
        assert ReportParams.model_config["extra"] == "forbid"


class TestLoadParams:
    def test_valid_file(self, tmp_path: Path, tiny_model):
        path = write_params(
            tmp_path,
            "ok",
            """
notebook: tiny_report
title: Tiny
as_of: 2026-09-30
n_points: 7
stages: [a, b]
""",
        )
        stem, params = load_params(path)
        assert stem == "tiny_report"
        assert isinstance(params, tiny_model)
        assert params.n_points == 7
        assert params.stages == ["a", "b"]
        assert params.as_of == dt.datetime(2026, 9, 30, 23, 59, 59)

    def test_unknown_key(self, tmp_path: Path, tiny_model):
        path = write_params(tmp_path, "p", "notebook: tiny_report\ntitle: T\nstagez: [a]\n")
        with pytest.raises(ParamsError) as info:
            load_params(path)
        err = info.value
        assert err.param == "stagez"
        text = str(err)
        assert "unknown key" in text
        assert "did you mean `stages`" in text
        assert "`n_points`" in text  # lists the known keys
        assert "p.yaml" in text
        assert err.exit_code == 2

    def test_wrong_type(self, tmp_path: Path, tiny_model):
        path = write_params(tmp_path, "p", "notebook: tiny_report\ntitle: T\nn_points: abc\n")
        with pytest.raises(ParamsError) as info:
            load_params(path)
        assert info.value.param == "n_points"
        assert "got 'abc'" in str(info.value)
        assert "expected an integer" in str(info.value)

    def test_bad_date(self, tmp_path: Path, tiny_model):
        path = write_params(tmp_path, "p", "notebook: tiny_report\ntitle: T\nas_of: 2026-02-30\n")
        with pytest.raises(ParamsError) as info:
            load_params(path)
        assert info.value.param == "as_of"
        assert "2026-02-30" in str(info.value)
        assert "a date like" in str(info.value)

    def test_missing_value(self, tmp_path: Path, tiny_model):
        path = write_params(tmp_path, "p", "notebook: tiny_report\nn_points: 3\n")
        with pytest.raises(ParamsError) as info:
            load_params(path)
        assert info.value.param == "title"
        assert "missing value" in str(info.value)
        assert "text" in str(info.value)

    def test_all_problems_in_one_error(self, tmp_path: Path, tiny_model):
        path = write_params(
            tmp_path, "p", "notebook: tiny_report\nn_points: abc\nstagez: 1\nas_of: nope\n"
        )
        with pytest.raises(ParamsError) as info:
            load_params(path)
        text = str(info.value)
        for key in ("title", "n_points", "stagez", "as_of"):
            assert f"`{key}`" in text
        assert len(info.value.problems) == 3

    def test_nested_key_is_dotted(self, tmp_path: Path, tiny_model):
        path = write_params(tmp_path, "p", "notebook: tiny_report\ntitle: T\nstages: [a, [b]]\n")
        with pytest.raises(ParamsError) as info:
            load_params(path)
        assert info.value.param == "stages.1"

    def test_bad_yaml_gives_line(self, tmp_path: Path, tiny_model):
        path = write_params(
            tmp_path, "p", "notebook: tiny_report\ntitle: T\nstages: [a, b\nn_points: 3\n"
        )
        with pytest.raises(ParamsError) as info:
            load_params(path)
        assert info.value.param == "stages"
        assert "line 4" in str(info.value)
        assert "line 3" in str(info.value)

    def test_bad_indentation(self, tmp_path: Path, tiny_model):
        path = write_params(tmp_path, "p", "notebook: tiny_report\ntitle: T\n  n_points: 3\n")
        with pytest.raises(ParamsError) as info:
            load_params(path)
        assert "not valid YAML" in str(info.value)
        assert "line 3" in str(info.value)

    def test_not_a_mapping(self, tmp_path: Path):
        path = write_params(tmp_path, "p", "- a\n- b\n")
        with pytest.raises(ParamsError, match="key: value"):
            load_params(path)

    def test_missing_notebook_key(self, tmp_path: Path, tiny_model):
        path = write_params(tmp_path, "p", "title: T\n")
        with pytest.raises(ParamsError) as info:
            load_params(path)
        assert info.value.param == "notebook"
        assert load_params(path, notebook="tiny_report")[0] == "tiny_report"

    def test_notebook_mismatch(self, tmp_path: Path, tiny_model):
        path = write_params(tmp_path, "p", "notebook: tiny_report\ntitle: T\n")
        with pytest.raises(ParamsError, match="failing_report"):
            load_params(path, notebook="failing_report")

    def test_unknown_notebook(self, tmp_path: Path, tiny_model):
        path = write_params(tmp_path, "p", "notebook: tiny_reprt\ntitle: T\n")
        with pytest.raises(ParamsError, match="did you mean `tiny_report`"):
            load_params(path)

    def test_missing_file(self, tmp_path: Path):
        with pytest.raises(ParamsError, match="does not exist"):
            load_params(tmp_path / "nope.yaml")


class TestRegistry:
    def test_registered_notebooks(self):
        assert set(NOTEBOOK_PARAMS) >= {"funnel_analysis", "ab_campaign_evaluation", "benchmarking"}

    def test_broken_entry_does_not_break_others(self, monkeypatch: pytest.MonkeyPatch, tiny_model):
        monkeypatch.setitem(
            NOTEBOOK_PARAMS, "ghost", "salesops_lib.report.params.no_such_module:Ghost"
        )
        with pytest.raises(ParamsError, match="cannot be loaded"):
            get_params_model("ghost")
        assert get_params_model("tiny_report") is tiny_model

    def test_string_entry_is_imported(self, monkeypatch: pytest.MonkeyPatch):
        monkeypatch.setitem(NOTEBOOK_PARAMS, "base", "salesops_lib.report.params.base:ReportParams")
        assert get_params_model("base") is ReportParams


class TestNoKernelOnBadInput:
    """Invalid params or a missing source stop the run before papermill is called."""

    @pytest.fixture(autouse=True)
    def _no_papermill(self, monkeypatch: pytest.MonkeyPatch):
        import papermill

        def boom(*args, **kwargs):
            raise AssertionError("a kernel was started")

        monkeypatch.setattr(papermill, "execute_notebook", boom)

    def test_bad_params(self, project: Path):
        from salesops_lib.report.runner import run_report

        path = write_params(
            project / "params", "bad", "notebook: tiny_report\ntitle: T\nn_points: x\n"
        )
        with pytest.raises(ParamsError):
            run_report("tiny_report", path)
        assert not (project / "reports").exists()

    def test_missing_source(self, project: Path):
        from salesops_lib.report.runner import run_report

        path = write_params(
            project / "params",
            "nosrc",
            "notebook: tiny_report\ntitle: T\nsource: data/none.duckdb\n",
        )
        with pytest.raises(SourceError) as info:
            run_report(None, path)
        assert info.value.exit_code == 2
        assert "data/none.duckdb" in str(info.value)
        assert not (project / "reports").exists()

    def test_missing_notebook(self, project: Path):
        from salesops_lib.report.runner import run_report

        with pytest.raises(ParamsError, match="tiny_report"):
            run_report("nope", {"title": "T"})
