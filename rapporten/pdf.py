"""Print a report to PDF with Debian's headless chromium, as a browser prints it.

The report's own print style sheet decides the layout, so the PDF matches what a user gets from
"Afdrukken" in the browser. Chromium runs with a throw-away profile and without its background
services, so printing sends nothing to any outside address.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hvhk.base.errors import GebruikersFout

CHROMIUM = "/usr/bin/chromium"
QUIET = [
    "--headless", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
]


def to_pdf(html: Path, pdf: Path) -> None:
    """Write `pdf` from the report `html`: to a temporary file first, then renamed into place."""
    chromium = shutil.which("chromium") or CHROMIUM
    if not Path(chromium).exists():
        raise GebruikersFout("voor PDF is chromium nodig; installeer het met: sudo apt-get install chromium")
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []  # chromium refuses to run as root otherwise
    with tempfile.TemporaryDirectory(prefix="hvhk-pdf-") as profile:
        temporary = Path(profile) / "rapport.pdf"
        command = [chromium, *QUIET, *sandbox, f"--user-data-dir={profile}", f"--print-to-pdf={temporary}",
                   html.resolve().as_uri()]
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=180)
        if done.returncode or not temporary.exists():
            raise GebruikersFout(f"{html.name}: PDF maken mislukt ({done.stderr.strip().splitlines()[-1:] or 'geen uitvoer'})")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(temporary, pdf.with_name(f".{pdf.name}.tmp"))
        os.replace(pdf.with_name(f".{pdf.name}.tmp"), pdf)
