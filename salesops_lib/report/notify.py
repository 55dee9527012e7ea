"""E-mail after a run: each report to its readers, each failure to the maintainers.

``salesops run --all --notify notify.yaml``::

    smtp:
      host: smtp.example.com
      port: 587
      security: starttls          # starttls | ssl | none
      user_env: SALESOPS_SMTP_USER          # credentials come from the environment, never the file
      password_env: SALESOPS_SMTP_PASSWORD
    from: "Sales Ops reports <salesops@example.com>"
    maintainers: [revops-oncall@example.com]      # failures go here
    reports:                                      # report name (params file stem) -> readers
      funnel_analysis: [vp-sales@example.com, cro@example.com]
      "*": [revops@example.com]                   # every report

A reader's e-mail has the report's title and headline as subject and first line, its key numbers
(the report's cards) and warnings as text, and the HTML (and ``NAME.pdf`` when the run wrote one)
attached. A failed report sends the maintainers its error and ``NAME.error.html``. Python's
``smtplib`` and ``email`` do the work (no extra dependency).
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from salesops_lib.analyses._params_errors import validate_model
from salesops_lib.errors import ParamsError, SalesOpsError
from salesops_lib.report._jobs import RunResult

__all__ = ["NotifyConfig", "NotifyError", "load_notify_config", "messages_for", "send"]


class NotifyError(SalesOpsError):
    """The reports were written but the e-mail could not be sent."""

    exit_code = 1


def _address(value: str) -> str:
    text = value.strip()
    if "@" not in text.rsplit("<", 1)[-1]:
        raise ValueError(f"{value!r} is not an e-mail address")
    return text


class SmtpConfig(BaseModel):
    """The SMTP server; user and password are read from the named environment variables."""

    model_config = ConfigDict(extra="forbid")

    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user_env: str | None = "SALESOPS_SMTP_USER"
    password_env: str | None = "SALESOPS_SMTP_PASSWORD"
    timeout: float = Field(30.0, gt=0)


class NotifyConfig(BaseModel):
    """Who gets which report (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    smtp: SmtpConfig
    sender: str = Field(alias="from")
    maintainers: list[str] = Field(default_factory=list)
    reports: dict[str, list[str]] = Field(default_factory=dict)
    subject_prefix: str = ""

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        return _address(value)

    @field_validator("maintainers")
    @classmethod
    def _maintainers(cls, value: list[str]) -> list[str]:
        return [_address(v) for v in value]

    @field_validator("reports")
    @classmethod
    def _reports(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {k: [_address(v) for v in vs] for k, vs in value.items()}

    def readers(self, name: str) -> list[str]:
        """The readers of report ``name`` (its own list, then ``"*"``), without repeats."""
        out: list[str] = []
        for addr in [*self.reports.get(name, []), *self.reports.get("*", [])]:
            if addr not in out:
                out.append(addr)
        return out


def load_notify_config(path: str | Path) -> NotifyConfig:
    """Read and validate a notify YAML file (before any report runs).

    Raises
    ------
    ParamsError
        A missing or unreadable file, bad YAML, or invalid keys (named, with the file).
    """
    shown = Path(path).as_posix()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParamsError("--notify", f"the file {shown} does not exist") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ParamsError("--notify", f"cannot read {shown} ({exc})") from None
    if not isinstance(data, dict):
        raise ParamsError(
            "--notify", f"{shown} does not hold `key: value` pairs", expected="smtp:, from:, ..."
        )
    return validate_model(NotifyConfig, data, source=shown)


class _Cards(HTMLParser):
    """The key-number cards and the summary of a written report, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, str]] = []
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if cls == "so-card":
            self.cards.append({})
        elif self.cards and cls.startswith(("so-card-", "so-delta")):
            self._field = cls.split()[0].removeprefix("so-card-").removeprefix("so-")

    def handle_endtag(self, tag: str) -> None:
        self._field = None

    def handle_data(self, data: str) -> None:
        if self._field and self.cards:
            card = self.cards[-1]
            card[self._field] = (card.get(self._field, "") + data).strip()


def _key_numbers(html: str) -> list[str]:
    parser = _Cards()
    parser.feed(html)
    lines = []
    for c in parser.cards:
        if not c.get("label"):
            continue
        extra = "; ".join(v for v in (c.get("delta"), c.get("detail")) if v)
        lines.append(f"- {c['label']}: {c.get('value', '—')}" + (f" ({extra})" if extra else ""))
    return lines


def _attach(msg: EmailMessage, path: Path | None) -> None:
    if path is None or not path.is_file():
        return
    kinds = {".html": ("text", "html"), ".pdf": ("application", "pdf")}
    maintype, subtype = kinds.get(path.suffix, ("application", "octet-stream"))
    data = path.read_bytes()
    if maintype == "text":
        msg.add_attachment(data.decode("utf-8"), subtype=subtype, filename=path.name)
    else:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)


@dataclass
class _Mail:
    to: Sequence[str]
    msg: EmailMessage


def _new(config: NotifyConfig, to: Sequence[str], subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = config.sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = f"{config.subject_prefix}{subject}"
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=config.sender.rsplit("@", 1)[-1].strip("> "))
    msg.set_content(body)
    return msg


def _report_mail(config: NotifyConfig, res: RunResult) -> _Mail | None:
    to = config.readers(res.name)
    if not to or res.html is None:
        return None
    doc: dict[str, Any] = {}
    if res.json is not None and res.json.is_file():
        doc = json.loads(res.json.read_text(encoding="utf-8"))
    results = doc.get("results") or res.results or {}
    title = (doc.get("params") or {}).get("title") or res.name
    headline = results.get("headline") or ""
    lines = [title, "", headline] if headline else [title]
    numbers = _key_numbers(res.html.read_text(encoding="utf-8"))
    if numbers:
        lines += ["", "Key numbers", *numbers]
    warnings = results.get("warnings") or []
    if warnings:
        lines += ["", "Read with care", *(f"- {w}" for w in warnings)]
    as_of = (doc.get("provenance") or {}).get("as_of") or results.get("as_of")
    lines += [
        "",
        f"The full report is attached ({res.html.name}); it opens in any browser."
        + (f" Data as of {str(as_of)[:10]}." if as_of else ""),
    ]
    subject = f"{title}: {headline}" if headline else title
    msg = _new(config, to, subject, "\n".join(lines) + "\n")
    _attach(msg, res.html)
    _attach(msg, res.html.with_suffix(".pdf"))
    return _Mail(to, msg)


def _failure_mail(config: NotifyConfig, res: RunResult) -> _Mail | None:
    if not config.maintainers:
        return None
    kept = (
        f"The previous report ({res.html.name}) was left as it was."
        if res.html is not None
        else "There is no earlier report of this name."
    )
    body = "\n".join(
        [
            f"The report `{res.name}` ({res.notebook}) failed (exit code {res.exit_code}).",
            "",
            res.error or "No error message was recorded.",
            "",
            kept,
            "The page attached shows where it stopped."
            if res.error_html is not None and res.error_html.is_file()
            else "No error page was written (the run stopped before the notebook started).",
        ]
    )
    msg = _new(config, config.maintainers, f"FAILED: {res.name}", body + "\n")
    _attach(msg, res.error_html)
    return _Mail(config.maintainers, msg)


def messages_for(config: NotifyConfig, results: Iterable[RunResult]) -> list[_Mail]:
    """The e-mails a run's results call for: readers of each written report, maintainers of
    each failure."""
    mails = []
    for res in results:
        mail = _report_mail(config, res) if res.ok else _failure_mail(config, res)
        if mail is not None:
            mails.append(mail)
    return mails


def send(config: NotifyConfig, results: Iterable[RunResult]) -> int:
    """Send the run's e-mails over one SMTP connection; return how many were sent.

    Raises
    ------
    NotifyError
        The server cannot be reached, refuses the login or a recipient (exit code 1; the
        reports themselves were written).
    """
    mails = messages_for(config, results)
    if not mails:
        return 0
    s = config.smtp
    user = os.environ.get(s.user_env) if s.user_env else None
    password = os.environ.get(s.password_env) if s.password_env else None
    if user and not password:
        raise NotifyError(
            f"{s.user_env} is set but {s.password_env} is not; no e-mail was sent.",
            fix=f"Export {s.password_env} with the SMTP password (the reports were written).",
        )
    where = f"{s.host}:{s.port}"
    try:
        if s.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        with server:
            if s.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if user:
                server.login(user, password or "")
            for mail in mails:
                server.send_message(mail.msg, to_addrs=list(mail.to))
    except (OSError, smtplib.SMTPException) as exc:
        raise NotifyError(
            f"The e-mail could not be sent through {where}: {exc}. The reports were written.",
            fix="Check `smtp:` in the notify file and the SMTP credentials in the environment.",
        ) from None
    return len(mails)
