"""Print a report page to PDF with headless Chromium: ``salesops run ... --pdf``.

The page's own print stylesheet (``templates/report.css``, ``@media print``) does the layout:
A4 paper, tables wrapped to the page width instead of scrolling, charts and tables kept whole
on one page, the parameters table expanded. US Letter is chosen with ``paper="letter"``: the page
is printed from a temporary copy (in the same folder, so relative links still resolve) whose
extra ``@page { size: letter }`` rule comes after the house one.

Chromium is looked for as ``$SALESOPS_CHROMIUM``, then ``chromium``, ``chromium-browser``,
``google-chrome``, ``google-chrome-stable`` on the ``PATH``. Printing never changes the HTML.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

from salesops_lib.errors import SalesOpsError

__all__ = ["CHROMIUM_NAMES", "PAPER_SIZES", "PdfError", "find_chromium", "write_pdf"]

#: Executable names tried in order on the ``PATH``.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: ``paper`` value → CSS ``@page`` size.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
Paper = Literal["a4", "letter"]


class PdfError(SalesOpsError):
    """A report page could not be printed to PDF (no Chromium, or Chromium failed)."""


def find_chromium(explicit: str | os.PathLike[str] | None = None) -> str:
    """Find a headless-capable Chromium or Chrome executable.

    Parameters
    ----------
    explicit
        A path or command name to use instead of the search (``$SALESOPS_CHROMIUM`` otherwise).

    Returns
    -------
    str
        The executable's path.

    Raises
    ------
    PdfError
        When none is installed, saying how to install one or point the kit at it.
    """
    wanted = explicit or os.environ.get("SALESOPS_CHROMIUM")
    if wanted:
        found = shutil.which(str(wanted))
        if found is None:
            raise PdfError(
                f"Chromium for PDF printing was given as {str(wanted)!r}, which is not an "
                "executable.",
                fix="Point SALESOPS_CHROMIUM at chromium or google-chrome, or unset it to search "
                "the PATH.",
            )
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "PDF printing needs headless Chromium, and none of "
        + ", ".join(f"`{n}`" for n in CHROMIUM_NAMES)
        + " is on the PATH.",
        fix="Install it (Debian/Ubuntu: `apt-get install chromium`), or set SALESOPS_CHROMIUM "
        "to its path; or leave out --pdf (the HTML report is written either way).",
    )


def _paper(paper: str) -> str:
    key = str(paper).strip().lower()
    if key not in PAPER_SIZES:
        raise PdfError(
            f"Unknown paper size {paper!r}.",
            fix="Use " + " or ".join(f"`{k}`" for k in PAPER_SIZES) + " (A4 is the default).",
        )
    return key


def _with_page_size(html_text: str, size: str) -> str:
    rule = f"<style>@page {{ size: {size}; }}</style>"
    if "</head>" in html_text:
        return html_text.replace("</head>", rule + "</head>", 1)
    return rule + html_text


def write_pdf(
    html_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str] | None = None,
    *,
    paper: Paper = "a4",
    chromium: str | os.PathLike[str] | None = None,
    timeout: float = 120.0,
) -> Path:
    """Print a report page (``NAME.html``) to ``NAME.pdf`` beside it.

    Parameters
    ----------
    html_path
        The report page.
    pdf_path
        Where to write the PDF (default: ``html_path`` with the suffix ``.pdf``). Written to a
        temporary file first and moved into place, so a reader never sees half a PDF.
    paper
        ``"a4"`` (default) or ``"letter"``.
    chromium
        The Chromium executable (default: :func:`find_chromium`).
    timeout
        Seconds Chromium may take.

    Returns
    -------
    Path
        The PDF file.

    Raises
    ------
    PdfError
        No Chromium, an unknown paper size, a missing page, or Chromium failed or timed out.
    """
    src = Path(html_path).resolve()
    if not src.is_file():
        raise PdfError(
            f"There is no report page {src} to print.",
            fix="Run the report first (`salesops run ... --pdf` prints what it writes).",
        )
    key = _paper(paper)
    exe = find_chromium(chromium)
    out = Path(pdf_path).resolve() if pdf_path is not None else src.with_suffix(".pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    page = src
    copy: Path | None = None
    if key != "a4":  # the house stylesheet says A4; a later rule overrides it
        fd, name = tempfile.mkstemp(dir=src.parent, prefix=f".{src.stem}.", suffix=".print.html")
        copy = page = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_with_page_size(src.read_text(encoding="utf-8"), PAPER_SIZES[key]))
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tempfile.TemporaryDirectory(prefix="salesops-chromium-") as profile:
            cmd = [
                exe,
                "--headless",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={tmp}",
            ]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                cmd.insert(1, "--no-sandbox")  # Chromium refuses to start as root otherwise
            cmd.append(page.as_uri())
            try:
                proc = subprocess.run(
                    cmd, capture_output=True, text=True, timeout=timeout, check=False
                )
            except subprocess.TimeoutExpired as err:
                raise PdfError(
                    f"Chromium took more than {timeout:g} s to print {src.name}.",
                    fix="Retry, or print a smaller report; pass a longer timeout to write_pdf.",
                ) from err
        head = tmp.read_bytes()[:5] if tmp.exists() else b""
        if proc.returncode != 0 or head != b"%PDF-":
            detail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
            raise PdfError(
                f"Chromium ({exe}) did not print {src.name} (exit code {proc.returncode}): "
                + (" | ".join(detail) or "no output"),
                fix="Open the HTML report in a browser and print it from there; check that "
                f"`{exe} --headless --print-to-pdf=x.pdf about:blank` works on this machine.",
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
        if copy is not None:
            copy.unlink(missing_ok=True)
    return out
