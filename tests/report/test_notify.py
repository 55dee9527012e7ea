"""E-mail after a run, against a local SMTP server started by the test (aiosmtpd)."""

from __future__ import annotations

import email
import json
import socket
from email import policy
from pathlib import Path

import pytest
from conftest import write_params

from salesops_lib import cli
from salesops_lib.errors import ParamsError
from salesops_lib.report import runner
from salesops_lib.report._jobs import RunResult
from salesops_lib.report.notify import load_notify_config
from salesops_lib.viz.html import Card, Cards

aiosmtpd = pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[str, list[str], email.message.EmailMessage]] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login,
            auth_data.password,
        ) == (b"reports", b"s3cret")
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)


@pytest.fixture
def smtp():
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _config(folder: Path, port: int, extra: str = "") -> Path:
    path = folder / "notify.yaml"
    path.write_text(
        f"""
smtp:
  host: 127.0.0.1
  port: {port}
  security: none
from: "Sales Ops <salesops@example.com>"
maintainers: [oncall@example.com]
reports:
  weekly: [vp@example.com]
  "*": [revops@example.com, vp@example.com]
{extra}""".lstrip()
    )
    return path


CARDS = Cards(
    [
        Card("Leads created", "6,662", detail="Q1 2026"),
        Card("Win rate", "21.4%", detail="95% interval 20.1–22.8%, n = 4,210",
             delta="−3.5 pp vs Q4 2025", good=False),
    ]
)  # fmt: skip


def _fake_execute(job):
    out = Path(job.out_dir)
    if job.name == "broken":
        err = out / "broken.error.html"
        err.write_text("<p>cell 4 failed</p>")
        return RunResult(job.name, job.notebook, "failed", error_html=err,
                         error="Report `broken` failed: ZeroDivisionError in cell 4.",
                         exit_code=1)  # fmt: skip
    html, js = out / f"{job.name}.html", out / f"{job.name}.json"
    html.write_text(f"<html><body><h1>{job.title}</h1>{CARDS._repr_html_()}</body></html>")
    js.write_text(
        json.dumps(
            {
                "params": {"title": job.title},
                "provenance": {"as_of": "2026-09-30T23:59:59"},
                "results": {
                    "headline": "3.5% of leads created in Q1 2026 end up won.",
                    "warnings": ["Q4 2025 was mostly in an experiment."],
                },
            }
        )
    )
    (out / f"{job.name}.pdf").write_bytes(b"%PDF-1.4 fake")
    return RunResult(job.name, job.notebook, "ok", html=html, json=js)


def _two_reports(project: Path) -> None:
    write_params(project / "params", "weekly", "notebook: tiny_report\ntitle: Weekly funnel\n")
    write_params(project / "params", "broken", "notebook: failing_report\ntitle: Broken\n")


def test_readers_get_the_report_and_maintainers_the_failure(project, smtp, monkeypatch, capsys):
    inbox, port = smtp
    _two_reports(project)
    monkeypatch.setattr(runner, "_execute", _fake_execute)
    monkeypatch.setenv("SALESOPS_SMTP_USER", "reports")
    monkeypatch.setenv("SALESOPS_SMTP_PASSWORD", "s3cret")
    code = cli.main(["run", "--all", "--workers", "1", "--notify", str(_config(project, port))])
    assert code == 1  # one report failed
    assert "2 messages sent" in capsys.readouterr().err
    assert inbox.logins == ["reports"]  # credentials from the environment
    by_subject = {m["Subject"]: (frm, to, m) for frm, to, m in inbox.mails}
    frm, to, msg = by_subject["Weekly funnel: 3.5% of leads created in Q1 2026 end up won."]
    assert frm == "salesops@example.com" and to == ["vp@example.com", "revops@example.com"]
    body = msg.get_body(("plain",)).get_content()
    assert "- Leads created: 6,662 (Q1 2026)" in body
    assert "- Win rate: 21.4% (▼ −3.5 pp vs Q4 2025; 95% interval 20.1–22.8%, n = 4,210)" in body
    assert "Q4 2025 was mostly in an experiment." in body and "Data as of 2026-09-30." in body
    files = {a.get_filename(): a for a in msg.iter_attachments()}
    assert set(files) == {"weekly.html", "weekly.pdf"}
    assert "<h1>Weekly funnel</h1>" in files["weekly.html"].get_content()
    assert files["weekly.pdf"].get_content() == b"%PDF-1.4 fake"
    frm, to, msg = by_subject["FAILED: broken"]
    assert to == ["oncall@example.com"]
    body = msg.get_body(("plain",)).get_content()
    assert "ZeroDivisionError in cell 4" in body and "no earlier report" in body
    assert [a.get_filename() for a in msg.iter_attachments()] == ["broken.error.html"]


def test_an_unreachable_server_exits_1_and_keeps_the_reports(project, monkeypatch, capsys):
    write_params(project / "params", "weekly", "notebook: tiny_report\ntitle: Weekly funnel\n")
    monkeypatch.setattr(runner, "_execute", _fake_execute)
    code = cli.main(
        ["run", "--all", "--workers", "1", "--notify", str(_config(project, _free_port()))]
    )
    err = capsys.readouterr().err
    assert code == 1 and "could not be sent" in err and "The reports were written" in err
    assert "Traceback" not in err
    assert (project / "reports" / "weekly.html").is_file()


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("cc: [x@example.com]\n", "cc"),
        ("", None),  # valid
    ],
)
def test_config_keys_are_checked(tmp_path, extra, key):
    path = _config(tmp_path, 25, extra)
    if key is None:
        cfg = load_notify_config(path)
        assert cfg.readers("weekly") == ["vp@example.com", "revops@example.com"]
        assert cfg.readers("other") == ["revops@example.com", "vp@example.com"]
        return
    with pytest.raises(ParamsError) as info:
        load_notify_config(path)
    assert f"`{key}`" in str(info.value)


def test_a_bad_notify_file_stops_the_run_before_any_report(project, monkeypatch, capsys):
    write_params(project / "params", "weekly", "notebook: tiny_report\ntitle: Weekly funnel\n")
    monkeypatch.setattr(runner, "_execute", lambda job: pytest.fail("a report ran"))
    bad = project / "notify.yaml"
    bad.write_text("smtp: {port: 25}\nfrom: not-an-address\n")
    code = cli.main(["run", "--all", "--notify", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and "smtp.host" in err and "from" in err and "Traceback" not in err
