"""The failure battery of issue 14 (run and command-line side): each case is one named bad input
or failure that once ended in a traceback, a leak or a mixed report, and must now end in the
kit's own sentence, exit code and files.

Signals (SIGTERM/SIGINT/SIGHUP during ``run --all``) are in ``test_signals.py`` (slow).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import base64
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import duckdb
import ibis
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import write_params

from salesops_lib._redact import redact
from salesops_lib.analyses.forecast._charts import plot_fan
from salesops_lib.analyses.funnel._charts import segment_plot
from salesops_lib.cli import main
from salesops_lib.data.demo import generate_demo
from salesops_lib.errors import ParamsError
from salesops_lib.report import index as index_module
from salesops_lib.report._archive import LOCK_FILE
from salesops_lib.report._files import check_output_dir, publish
from salesops_lib.report._jobs import _Job
from salesops_lib.report._outcome import _error_info, _write_failure
from salesops_lib.report._stop import (
    RunInterrupted,
    WorkerStopped,
    check_not_stopped,
    end_kernels,
    new_state_dir,
    raise_on_stop_signals,
    record_kernel,
    remove_state_dir,
    request_stop,
)
from salesops_lib.report.index import collect_reports
from salesops_lib.report.params import read_params_file
from salesops_lib.report.runner import run_all
from salesops_lib.viz.format import fmt_money

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------------------------------------
# 5. Text in charts is literal
# ---------------------------------------------------------------------------------------------


class TestChartTextIsLiteral:
    def test_dollar_signs_in_a_lead_source_are_drawn_as_written(self):
        seg = pd.DataFrame(
            {
                "segment": ["Big $$ deals", "Referral $5 off $10"],
                "step": ["MQL→SQL"] * 2,
                "entered": [200, 300],
                "rate": [0.30, 0.10],
                "ci_low": [0.24, 0.07],
                "ci_high": [0.37, 0.14],
            }
        )
        ax = segment_plot(seg, pooled=0.2, title="Where $$ goes")
        ax.figure.canvas.draw()  # mathtext would raise "ValueError: Big $$ deals" here
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == ["Referral $5 off $10", "Big $$ deals"]
        assert all(not t.get_parse_math() for t in ax.get_yticklabels())
        assert ax.get_title(loc="left") == "Where $$ goes"

    def test_money_ticks_and_titles_carry_no_escape_backslash(self):
        sample = np.random.default_rng(7).normal(1_300_000, 150_000, 2_000)
        ax = plot_fan(
            sample,
            target=1_400_000,
            weighted=1_250_000,
            commit=1_100_000,
            best_case=1_600_000,
            money=lambda v: fmt_money(v, "USD"),
            title="Bookings $1.2M to $1.5M",
        )
        ax.figure.canvas.draw()
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert ticks and all(t.startswith("$") for t in ticks)
        texts = [*ticks, ax.get_title(loc="left"), *(t.get_text() for t in ax.texts)]
        assert "Bookings $1.2M to $1.5M" in texts
        assert not any("\\$" in t for t in texts)


# ---------------------------------------------------------------------------------------------
# 8. Params files: encoding, folders, duplicate keys
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def no_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a report notebook would be started."""
    import papermill

    monkeypatch.setattr(
        papermill, "execute_notebook", lambda *a, **k: pytest.fail("a kernel was started")
    )


class TestParamsFiles:
    def _run(self, capsys, *argv: str) -> tuple[int, str]:
        code = main(["run", *argv])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        return code, captured.err

    def test_latin1_file_names_the_file_and_line(self, project: Path, capsys, no_kernel):
        path = project / "params" / "latin.yaml"
        path.write_bytes("notebook: tiny_report\ntitle: Entrées Q3\n".encode("latin-1"))
        code, err = self._run(capsys, "--params", "params/latin.yaml")
        assert code == 2
        assert "params/latin.yaml is not UTF-8" in err
        assert "line 2, column 12" in err and "0xe9" in err

    def test_a_bom_is_accepted(self, project: Path):
        path = project / "params" / "bom.yaml"
        path.write_bytes("\ufeffnotebook: tiny_report\ntitle: Q3\n".encode())
        assert read_params_file(path) == {"notebook": "tiny_report", "title": "Q3"}

    def test_a_folder_as_params(self, project: Path, capsys, no_kernel):
        code, err = self._run(capsys, "tiny_report", "--params", "params")
        assert code == 2
        assert "params is a folder, not a params file" in err
        assert "--params-dir" in err

    def test_duplicate_top_level_key(self, project: Path, capsys, no_kernel):
        write_params(
            project / "params",
            "dup",
            "notebook: tiny_report\nn_points: 3\ntitle: T\nn_points: 9\n",
        )
        code, err = self._run(capsys, "--params", "params/dup.yaml")
        assert code == 2
        assert "`n_points`" in err and "given twice in params/dup.yaml (lines 2 and 4)" in err

    def test_duplicate_nested_key(self, project: Path):
        path = write_params(
            project / "params",
            "nested",
            "notebook: tiny_report\nfilters:\n  region: EMEA\n  region: APAC\n",
        )
        with pytest.raises(ParamsError, match=r"`region`.*lines 3 and 4"):
            read_params_file(path)

    def test_run_all_reports_a_duplicate_and_goes_on(self, project: Path, capsys, no_kernel):
        write_params(project / "params", "dup", "notebook: tiny_report\ntitle: A\ntitle: B\n")
        code, err = self._run(capsys, "--all")
        assert code == 2
        assert "`title`" in err and "given twice" in err
        doc = json.loads((project / "reports" / "dup.error.json").read_text())
        assert doc["error"]["type"] == "ParamsError"


# ---------------------------------------------------------------------------------------------
# 2. Secrets never leave the kit: messages, logs, error pages, error JSON
# ---------------------------------------------------------------------------------------------

SECRETS = ("S3cr3t", "Secr3t@Pw0rd", "Pw0rd", "P4ss", "AKIAXYZ", "deadbeef", "hunter2", "T0k3n")

HOSTILE = [
    # (text, what must stay readable)
    ("postgres://bar:Secr3t@Pw0rd@db.example.com:5432/sales", "postgres://bar:***@db.example.com"),
    ("postgres://bar:Secr3t@Pw0rd@host/db", "postgres://bar:***@host/db"),
    ("mysql://me@corp.com:Pw0rd@host/db", "mysql://me@corp.com:***@host/db"),
    ("postgres://u:hunter2@host/db?user=a@b.com", "@host/db?user=a@b.com"),
    ("duckdb:///x.duckdb?read_only=true&token=S3cr3t", "?read_only=true&token=***"),
    ("https://h/f.parquet?sv=2021&sig=S3cr3t%2B&se=2026", "?sv=2021&sig=***&se=2026"),
    ("s3://b/k?X-Amz-Credential=AKIAXYZ&X-Amz-Signature=deadbeef", "X-Amz-Signature=***"),
    ("trino://h/c?accessToken=T0k3n&Password=P4ss&pwd=P4ss", "accessToken=***&Password=***"),
    ("snowflake://u:Pw0rd@acct/db?client_secret=S3cr3t&api_key=T0k3n", "client_secret=***"),
    ("host=db port=5432 password=hunter2 user=bar", "host=db port=5432 password=*** user=bar"),
    ("connect(token='S3cr3t', read_only=True)", "token='***', read_only=True"),
    ("Authorization: Bearer T0k3nT0k3nT0k3n", "Bearer ***"),
    ("<a href='x?a=1&amp;api_key=S3cr3t'>", "&amp;api_key=***'>"),
]


class TestSecrets:
    @pytest.mark.parametrize(("text", "kept"), HOSTILE)
    def test_redact_hostile_urls(self, text: str, kept: str):
        out = redact(f"Cannot connect to {text} (from environment variable X)")
        assert not any(s in out for s in SECRETS), out
        assert kept in out
        assert out.endswith("(from environment variable X)")
        assert redact(out) == out  # idempotent

    @pytest.mark.parametrize(
        "text",
        [
            "expected `key: value` lines, lists as `[a, b]`",
            "Parameter `window_days` in params/a.yaml: got 'abc'; expected an integer.",
            "duckdb:///data/demo.duckdb",
            "postgres://user@host:5432/db",
            # placeholders of the kit's own help texts
            "Parameter `-p`: 'as_of' is not KEY=VALUE",
            "export SALESOPS_DB_URL='postgres://user:password@host:5432/db'",
            "use token=$TOKEN or api_key=<your key>",
        ],
    )
    def test_ordinary_text_is_unchanged(self, text: str):
        assert redact(text) == text

    def test_inline_images_are_unchanged(self):
        rng = np.random.default_rng(1)
        blob = base64.b64encode(rng.bytes(60_000)).decode()
        page = f'<img src="data:image/png;base64,{blob}xKEY0=" alt="chart"/>'
        assert redact(page) == page

    def test_cannot_connect_on_the_terminal(self, tmp_path, monkeypatch, capsys):
        url = "postgres://bar:Secr3t@Pw0rd@127.0.0.1:1/db?sslmode=disable&password=P4ss"
        monkeypatch.setenv("SALESOPS_HOSTILE", url)
        code = main(["validate", "--source", "env:SALESOPS_HOSTILE"])
        err = capsys.readouterr().err
        assert code == 2
        assert "Cannot connect to postgres://bar:***@127.0.0.1:1/db" in err
        assert not any(s in err for s in SECRETS), err

    def test_unknown_duckdb_option_on_the_terminal(self, tmp_path, monkeypatch, capsys):
        db = tmp_path / "w.duckdb"
        duckdb.connect(str(db)).close()
        monkeypatch.setenv(
            "SALESOPS_HOSTILE", f"duckdb:///{db}?read_only=true&s3_secret_access_key=S3cr3t"
        )
        code = main(["validate", "--source", "env:SALESOPS_HOSTILE"])
        err = capsys.readouterr().err
        assert code == 2 and "s3_secret_access_key=***" in err
        assert "S3cr3t" not in err

    def test_has_no_table_names_the_source_without_its_token(self, tmp_path, monkeypatch, capsys):
        db = tmp_path / "w.duckdb"
        con = duckdb.connect(str(db))
        con.execute("CREATE TABLE quotas (rep_id VARCHAR)")
        con.close()
        real_connect = ibis.connect  # the driver would refuse the token; the label keeps it
        monkeypatch.setattr(ibis, "connect", lambda url, **kw: real_connect(url.split("?")[0]))
        monkeypatch.setenv("SALESOPS_HOSTILE", f"duckdb:///{db}?read_only=true&token=S3cr3t")
        code = main(["validate", "--source", "env:SALESOPS_HOSTILE", "--tables", "leads"])
        err = capsys.readouterr().err
        assert code == 2 and "has no table `leads`" in err
        assert "token=***" in err and "S3cr3t" not in err

    def test_error_page_and_json_of_a_report(self, project, monkeypatch, capsys):
        url = "postgres://bar:Secr3t@Pw0rd@127.0.0.1:1/db?token=S3cr3t"
        monkeypatch.setenv("SALESOPS_HOSTILE", url)
        write_params(
            project / "params",
            "hostile",
            "notebook: funnel_analysis\ntitle: H\nsource: env:SALESOPS_HOSTILE\n",
        )
        code = main(["run", "--all", "--notebooks-dir", str(REPO / "notebooks")])
        captured = capsys.readouterr()
        assert code == 2
        written = [
            (project / "reports" / f).read_text()
            for f in ("hostile.error.html", "hostile.error.json", "index.html")
        ]
        for text in [captured.out, captured.err, *written]:
            assert not any(s in text for s in SECRETS), text[:2000]
        doc = json.loads(written[1])
        assert "postgres://bar:***@127.0.0.1:1/db?token=***" in doc["error"]["message"]

    def test_failed_notebook_output_is_redacted_on_the_error_page(self, project, capsys):
        job = _Job(
            name="leaky",
            notebook="tiny_report",
            notebook_path="",
            title="Leaky",
            params={"source": "env:X"},
            exec_params={},
            out_dir=str(project / "reports"),
            cwd=str(project),
        )
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("open_source('env:X')")
        cell.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text="using token=S3cr3t\n"),
            nbformat.v4.new_output(
                "error",
                ename="SourceError",
                evalue="Cannot connect to postgres://bar:Secr3t@Pw0rd@h/db",
                traceback=["SourceError: Cannot connect to postgres://bar:Secr3t@Pw0rd@h/db"],
            ),
        ]
        nb.cells = [cell]
        info = _error_info(None, nb)
        info.update(
            type="SourceError", message="Cannot connect to postgres://bar:Secr3t@Pw0rd@h/db"
        )
        res = _write_failure(job, nb=nb, info=info, provenance={"duration_s": 1.0})
        for path in (res.error_html, res.error_json):
            text = path.read_text()
            assert "postgres://bar:***@h/db" in text
            assert not any(s in text for s in SECRETS)
        assert "S3cr3t" not in (res.error or "")

    def test_log_lines_are_redacted(self, tmp_path):
        script = (
            "import logging, sys\n"
            "from salesops_lib.cli import main\n"
            "main(['validate', '--source', sys.argv[1]])\n"
            "logging.getLogger('ibis').warning('retrying postgres://bar:Secr3t@Pw0rd@h/db')\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "missing.duckdb")],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
        assert "retrying postgres://bar:***@h/db" in proc.stderr
        assert "Secr3t" not in proc.stderr


# ---------------------------------------------------------------------------------------------
# Command-line hardening: worker counts, a closed output pipe
# ---------------------------------------------------------------------------------------------


class TestCommandLine:
    @pytest.mark.parametrize("value", ["0", "-3", "two"])
    def test_workers_below_one_are_refused(self, project, capsys, no_kernel, value):
        with pytest.raises(SystemExit) as info:
            main(["run", "--all", "--workers", value])
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert "--workers" in err and "Traceback" not in err
        assert not (project / "reports").exists()  # refused before anything ran

    def test_run_all_refuses_zero_workers_from_python(self, project):
        with pytest.raises(ParamsError, match=r"`workers`.*1 or more"):
            run_all(project / "params", out_dir=project / "reports", workers=0)

    def test_a_closed_pipe_ends_quietly(self, tmp_path):
        generate_demo(tmp_path / "w.duckdb", seed=7, leads=300)
        proc = subprocess.Popen(
            [sys.executable, "-m", "salesops_lib.cli", "validate", "--source", "w.duckdb"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        proc.stdout.close()  # `| head -0`: the reader is gone before the first line
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) in (0, 141)
        assert "Traceback" not in err and "BrokenPipeError" not in err, err


# ---------------------------------------------------------------------------------------------
# 3. A report's HTML and JSON are published as a pair
# ---------------------------------------------------------------------------------------------


def _fail_replacing(monkeypatch, name: str):
    """Patch ``os.replace`` to fail (ENOSPC) when it moves a file onto ``name``."""
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(Path(dst).name)
        if Path(dst).name == name and not Path(src).name.endswith(".prev"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def _old_pair(reports: Path, name: str) -> None:
    reports.mkdir(exist_ok=True)
    (reports / f"{name}.json").write_text(
        json.dumps({"status": "ok", "report": name, "run_id": "01d", "params": {}, "results": {}})
    )
    (reports / f"{name}.html").write_text('<html><head><meta name="salesops-run" content="01d">')


class TestReportPairs:
    def test_publish_puts_the_first_file_back_when_the_second_fails(self, tmp_path, monkeypatch):
        _old_pair(tmp_path, "r")
        before = {p.name: p.read_text() for p in tmp_path.iterdir()}
        calls = _fail_replacing(monkeypatch, "r.html")
        with pytest.raises(OSError, match="No space"):
            publish([(tmp_path / "r.json", "new json"), (tmp_path / "r.html", "new html")])
        assert calls[:2] == ["r.json", "r.html"]  # the JSON had been replaced: rolled back
        assert {p.name: p.read_text() for p in tmp_path.iterdir()} == before  # no leftovers

    def test_publish_of_a_new_pair_leaves_nothing_on_failure(self, tmp_path, monkeypatch):
        _fail_replacing(monkeypatch, "r.html")
        with pytest.raises(OSError):
            publish([(tmp_path / "r.json", "new json"), (tmp_path / "r.html", "new html")])
        assert list(tmp_path.iterdir()) == []

    def test_publish_replaces_both(self, tmp_path):
        _old_pair(tmp_path, "r")
        publish([(tmp_path / "r.json", "new json"), (tmp_path / "r.html", "new html")])
        assert (tmp_path / "r.json").read_text() == "new json"
        assert (tmp_path / "r.html").read_text() == "new html"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json"]

    def test_index_lists_only_a_matching_pair(self, tmp_path):
        _old_pair(tmp_path, "ok")
        _old_pair(tmp_path, "mixed")
        (tmp_path / "mixed.html").write_text('<head><meta name="salesops-run" content="4e3">')
        (tmp_path / "lonely.json").write_text(
            json.dumps({"status": "ok", "report": "lonely", "run_id": "1", "params": {}})
        )
        rows = {r["name"]: r for r in collect_reports(tmp_path)}
        assert rows["ok"]["html"] == "ok.html"
        assert "mixed" not in rows and "lonely" not in rows

    @pytest.mark.slow
    def test_a_failed_publish_keeps_the_previous_pair(self, project, monkeypatch, capsys):
        write_params(project / "params", "tiny", "notebook: tiny_report\ntitle: Tiny\n")
        reports = project / "reports"
        _old_pair(reports, "tiny")
        before = {n: (reports / n).read_text() for n in ("tiny.json", "tiny.html")}
        _fail_replacing(monkeypatch, "tiny.html")
        code = main(["run", "--params", "params/tiny.yaml"])
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err
        assert "could not be written" in err and "No space left on device" in err
        assert {n: (reports / n).read_text() for n in before} == before
        doc = json.loads((reports / "tiny.error.json").read_text())
        assert doc["status"] == "failed"
        rows = {r["name"]: r for r in collect_reports(reports)}
        assert rows["tiny"]["status"] == "failed" and rows["tiny"]["html"] == "tiny.html"
        assert not [p for p in reports.iterdir() if p.name.startswith(".") and p.name != LOCK_FILE]


# ---------------------------------------------------------------------------------------------
# 4. The output folder is checked before any kernel starts
# ---------------------------------------------------------------------------------------------


class TestOutputFolder:
    @pytest.fixture
    def tiny(self, project: Path) -> Path:
        return write_params(project / "params", "tiny", "notebook: tiny_report\ntitle: Tiny\n")

    def _run(self, capsys, *argv: str) -> tuple[int, str]:
        code = main(["run", *argv])
        err = capsys.readouterr().err
        assert "Traceback" not in err
        return code, err

    @pytest.mark.parametrize("argv", [["--all"], ["--params", "params/tiny.yaml"]])
    def test_out_naming_a_file(self, project, tiny, capsys, no_kernel, argv):
        (project / "reports.txt").write_text("not a folder")
        code, err = self._run(capsys, *argv, "--out", "reports.txt")
        assert code == 2
        assert "reports.txt is a file, not a folder" in err
        assert (project / "reports.txt").read_text() == "not a folder"

    def test_folder_under_a_file_cannot_be_created(self, project, tiny, capsys, no_kernel):
        (project / "blocker").write_text("")
        code, err = self._run(capsys, "--all", "--out", "blocker/reports")
        assert code == 2 and "the output folder blocker/reports cannot be created" in err

    @pytest.mark.parametrize("argv", [["--all"], ["--params", "params/tiny.yaml"]])
    def test_read_only_folder(self, project, tiny, capsys, no_kernel, monkeypatch, argv):
        ro = project / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        real_access = os.access
        if os.geteuid() == 0:  # root writes anyway: make the folder read-only for the check
            monkeypatch.setattr(
                os,
                "access",
                lambda p, mode, **kw: Path(p).resolve() != ro and real_access(p, mode, **kw),
            )
        try:
            code, err = self._run(capsys, *argv, "--out", "ro")
        finally:
            ro.chmod(0o755)
        assert code == 2 and "the output folder ro is not writable" in err
        assert list(ro.iterdir()) == []

    @pytest.mark.parametrize("argv", [["--all"], ["--params", "params/tiny.yaml"]])
    def test_folder_on_a_read_only_mount(self, project, tiny, capsys, no_kernel, monkeypatch, argv):
        # issue 14 item 4: `chmod u+w` does not help on a read-only mount
        ro = project / "mnt"
        ro.mkdir()
        real_access, real_statvfs = os.access, os.statvfs

        def access(p, mode, **kw):  # what access(2) says on a read-only mount (EROFS)
            return not (Path(p).resolve() == ro and mode & os.W_OK) and real_access(p, mode, **kw)

        def statvfs(p):
            if Path(p).resolve() == ro:
                return SimpleNamespace(f_flag=os.ST_RDONLY | os.ST_NOSUID)
            return real_statvfs(p)

        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(os, "statvfs", statvfs)
        code, err = self._run(capsys, *argv, "--out", "mnt")
        assert code == 2
        assert "the output folder mnt is on a read-only file system" in err
        assert "Choose --out on a writable disk" in err and "chmod" not in err
        assert list(ro.iterdir()) == []

    def test_read_only_mount_seen_by_the_write_probe(self, tmp_path, monkeypatch):
        # permissions allow writing (os.access), the mount does not: the probe's EROFS says so
        real_mkstemp = tempfile.mkstemp

        def mkstemp(*args, **kw):
            if Path(kw.get("dir", "")).resolve() == tmp_path.resolve():
                raise OSError(errno.EROFS, "Read-only file system")
            return real_mkstemp(*args, **kw)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        with pytest.raises(ParamsError, match="is on a read-only file system"):
            check_output_dir(tmp_path)
        monkeypatch.setattr(
            tempfile, "mkstemp", lambda *a, **kw: (_ for _ in ()).throw(PermissionError(13, "no"))
        )
        with pytest.raises(ParamsError, match=r"(?s)is not writable.*chmod u\+w"):
            check_output_dir(tmp_path)

    def test_folder_to_create_on_a_read_only_mount(self, tmp_path, monkeypatch):
        def mkdir(self, *a, **kw):
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(Path, "mkdir", mkdir)
        with pytest.raises(ParamsError, match="is on a read-only file system") as info:
            check_output_dir(tmp_path / "reports")
        assert "writable disk" in str(info.value) and "chmod" not in str(info.value)
        monkeypatch.setattr(
            os, "statvfs", lambda p: SimpleNamespace(f_flag=os.ST_RDONLY)
        )  # --dry-run style check (create=False): the nearest existing parent's mount
        with pytest.raises(ParamsError, match="is on a read-only file system"):
            check_output_dir(tmp_path / "reports", create=False)

    @pytest.mark.parametrize("argv", [["--all"], ["--params", "params/tiny.yaml"]])
    def test_full_disk(self, project, tiny, capsys, no_kernel, monkeypatch, argv):
        _old_pair(project / "reports", "tiny")
        (project / "reports" / "tiny.html").write_bytes(b"x" * 3_000_000)  # last run: 3 MB
        usage = shutil.disk_usage(project)
        monkeypatch.setattr(shutil, "disk_usage", lambda p: usage._replace(free=1_000_000))
        code, err = self._run(capsys, *argv)
        assert code == 2
        assert "the disk of the output folder reports has 1.0 MB free" in err
        assert "less than the 2.9 MB the reports need" in err
        assert not (project / "reports" / "tiny.error.json").exists()


class TestMoreCommandLine:
    def test_params_dir_naming_a_file(self, project, capsys, no_kernel):
        code = main(["run", "--all", "--params-dir", "data/demo.duckdb"])
        err = capsys.readouterr().err
        assert code == 2 and "data/demo.duckdb is a file, not a folder" in err

    def test_an_index_that_cannot_be_written_costs_a_warning(
        self, project, capsys, no_kernel, monkeypatch, caplog
    ):
        write_params(project / "params", "bad", "notebook: tiny_report\nn_points: many\n")

        def full(*_a, **_k):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(index_module, "write_index", full)
        code = main(["run", "--all"])
        captured = capsys.readouterr()
        assert code == 2  # the params error, reported as usual
        assert "`n_points`" in captured.err and "Traceback" not in captured.err
        assert "index.html could not be rewritten (No space left on device)" in caplog.text


# ---------------------------------------------------------------------------------------------
# 1. Stopping (the fast parts; the real subprocess runs are in test_signals.py, slow)
# ---------------------------------------------------------------------------------------------


class TestStopMachinery:
    @pytest.mark.parametrize(
        ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)]
    )
    def test_stop_signals_raise_run_interrupted_once(self, signum, code):
        before = signal.getsignal(signum)
        with pytest.raises(RunInterrupted) as info, raise_on_stop_signals():
            os.kill(os.getpid(), signum)
            time.sleep(1)  # the handler runs here
        assert info.value.exit_code == code and isinstance(info.value, KeyboardInterrupt)
        assert signal.getsignal(signum) == before  # handlers restored

        with raise_on_stop_signals():  # a second signal while stopping is ignored
            with pytest.raises(RunInterrupted):
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(1)
            os.kill(os.getpid(), signum)
            time.sleep(0.2)

    def test_recorded_kernels_are_killed_with_their_files(self, tmp_path):
        state = new_state_dir()
        try:
            conn = tmp_path / "kernel-1.json"
            conn.write_text("{}")
            sockets = [tmp_path / f"salesops-abc-ipc-{i}" for i in (1, 2)]
            for sock in sockets:
                sock.write_text("")
            kernel = subprocess.Popen(  # stands in for ipykernel: its own session, -f CONN
                [sys.executable, "-c", "import time; time.sleep(60)", "-f", str(conn)],
                start_new_session=True,
            )
            km = SimpleNamespace(
                provisioner=SimpleNamespace(pid=kernel.pid, pgid=os.getpgid(kernel.pid)),
                connection_file=str(conn),
                transport="ipc",
                ip=str(tmp_path / "salesops-abc-ipc"),
            )
            record_kernel(state, km)
            assert end_kernels(state) == 1
            assert kernel.wait(timeout=10) is not None  # ended (no TimeoutExpired)
            assert not conn.exists() and not any(s.exists() for s in sockets)
            assert list((state / "kernels").iterdir()) == []
        finally:
            remove_state_dir(state)
        assert not state.exists()

    def test_a_reused_pid_is_not_killed(self, tmp_path):
        state = new_state_dir()
        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        cmdline = Path(f"/proc/{other.pid}/cmdline")
        for _ in range(100):  # until it runs its program (a fresh fork counts as a kernel)
            if not cmdline.exists() or cmdline.read_bytes():
                break
            time.sleep(0.05)
        try:
            km = SimpleNamespace(
                provisioner=SimpleNamespace(pid=other.pid, pgid=other.pid),
                connection_file=str(tmp_path / "kernel-gone.json"),
                transport="ipc",
                ip=None,
            )
            record_kernel(state, km)
            assert end_kernels(state) == 0
            assert other.poll() is None  # not our kernel: left alone
        finally:
            other.kill()
            other.wait()
            remove_state_dir(state)

    def test_a_worker_of_a_stopped_run_writes_nothing(self, tmp_path):
        state = new_state_dir()
        try:
            check_not_stopped(state)  # not stopped: no error
            request_stop(state)
            with pytest.raises(WorkerStopped):
                check_not_stopped(state)
        finally:
            remove_state_dir(state)
