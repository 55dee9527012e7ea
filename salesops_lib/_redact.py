"""Hide credentials in any text the kit shows or writes: :func:`redact`.

A connection URL comes from an environment variable (``source: env:VAR``) and ends up in
messages ("Cannot connect to ...", "The source ... has no table"), in log lines, in a report's
``NAME.error.html`` / ``NAME.error.json`` and in exception texts of database drivers. Every such
text passes through :func:`redact`, which masks

- the password of a URL's user info, also when it holds ``@`` or ``:``
  (``postgres://bar:Secr3t@Pw0rd@host/db`` → ``postgres://bar:***@host/db``);
- the value of every query parameter whose name looks like a credential (``token``,
  ``password``, ``pwd``, ``secret``, ``key``, ``api_key``, ``access_key``, ``sas``, ``sig``,
  ``signature``, ``auth...``, ``credential``, ``session``), in any case and with any prefix
  (``X-Amz-Signature``, ``client_secret``, ``accessToken``);
- ``name=value`` pairs with such names outside URLs (libpq strings, reprs of keyword arguments:
  ``password='x'``) and ``Bearer`` tokens.

Masking errs on the side of hiding: a harmless value under a credential-like name is masked too.
Placeholders in help texts (``KEY=VALUE``, ``user:password@host``, ``token=$TOKEN``,
``api_key=<your key>``) are left as written.
Every quantifier is bounded, so a megabyte of text costs milliseconds, never a runaway match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["MASK", "redact", "redact_tree"]

#: What a hidden value is replaced with.
MASK = "***"

_CRED = (
    r"(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|access[_-]?key|key|sas|sig"
    r"|signature|auth\w{0,20}|credentials?|session)"
)

# scheme://user:PASSWORD@host — the password runs to the last "@" that is followed by a host
# (and an optional port) and the end of the authority; the user part may hold "@" itself
_USERINFO = re.compile(
    r"(?P<pre>\b[A-Za-z][A-Za-z0-9+.\-]{0,30}://[^:/\s@]{0,200}(?:@[^:/\s@]{1,200}){0,5}:)"
    r"(?P<pw>[^\s]{1,500}?)"
    r"@(?=[^@\s/?#:]{0,300}(?::\d{1,5})?(?:[/?#\s'\"\)\]>,;&]|$))"
)
# ?token=VALUE  &X-Amz-Signature=VALUE  ;sig=VALUE  (also "&amp;" in HTML)
_QUERY = re.compile(
    rf"(?P<pre>[?&;][^=&\s#/+,]{{0,60}}?{_CRED}[^=&\s#/+,]{{0,60}}=)"
    r"(?P<val>(?!=)[^&\s#'\"<>]{1,2000})",
    re.IGNORECASE,
)
# password=VALUE  token='VALUE'  api_key="VALUE"  outside URLs
_PAIR = re.compile(
    rf"(?P<pre>(?<![\w.\-/+])[\w.\-]{{0,40}}?{_CRED}[\w.\-]{{0,40}}\s{{0,3}}=\s{{0,3}})"
    r"(?P<val>'[^'\n]{0,2000}'|\"[^\"\n]{0,2000}\"|(?!=)[^\s&,;)'\"<>]{1,2000})",
    re.IGNORECASE,
)
_BEARER = re.compile(r"(?P<pre>\bBearer\s{1,3})(?P<val>[A-Za-z0-9._~+/\-]{8,4000}=*)")


# Placeholders in the kit's own help texts ("-p KEY=VALUE", "postgres://user:password@host",
# "token=$TOKEN", "api_key=<your key>") are not secrets: they stay readable.
_PLACEHOLDER = re.compile(
    r"[A-Z_]{0,20}(?:VALUE|TOKEN|SECRET|PASSWORD|PASS|KEY|VAR|URL|NAME)|X{3,}"
    r"|\$\{?\w{1,40}\}?|<[^<>]{0,40}>|\.\.\.|password|pass|secret",
)


def _masked(match: re.Match[str]) -> str:
    if _PLACEHOLDER.fullmatch(match.group("pw")):
        return match.group(0)
    return match.group("pre") + MASK + "@"


def _masked_value(match: re.Match[str]) -> str:
    val = match.group("val")
    if val == MASK or val in (f"'{MASK}'", f'"{MASK}"'):
        return match.group(0)
    if _PLACEHOLDER.fullmatch(val.strip("'\"")):
        return match.group(0)
    quote = val[0] if val[:1] in ("'", '"') and len(val) >= 2 and val[-1] == val[0] else ""
    return match.group("pre") + quote + MASK + quote


def redact(text: str) -> str:
    """Return ``text`` with every credential it may carry replaced by ``***``.

    Parameters
    ----------
    text
        Any message, log line, traceback or page fragment.

    Returns
    -------
    str
        The same text with URL passwords, credential-like query parameters and ``name=value``
        pairs, and bearer tokens masked; anything else unchanged.

    Examples
    --------
    >>> redact("Cannot connect to postgres://bar:Secr3t@Pw0rd@db.example.com:5432/sales")
    'Cannot connect to postgres://bar:***@db.example.com:5432/sales'
    >>> redact("duckdb:///data/x.duckdb?read_only=true&token=S3cr3t")
    'duckdb:///data/x.duckdb?read_only=true&token=***'
    """
    if not text or not isinstance(text, str):
        return text
    text = _USERINFO.sub(_masked, text)
    text = _QUERY.sub(_masked_value, text)
    text = _PAIR.sub(_masked_value, text)
    return _BEARER.sub(_masked_value, text)


def redact_tree(value: Any) -> Any:
    """:func:`redact` every string in a JSON-like tree (dicts, lists, tuples); keys are kept."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {k: redact_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_tree(v) for v in value)
    return value
