"""Where the toolkit keeps its data and writes its output, relative to the working folder.

A user runs `hvhk` from the folder of their project; data and output land next to it, so one
folder holds one workshop series. Environment variables override the defaults for tests and for
the app servers, JupyterLab kernels and papermill kernels that start in other folders.
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = PROJECT_ROOT / "notebooks"


def database_path() -> Path:
    return Path(os.environ.get("HVHK_DATABASE", "data/hvhk.sqlite")).absolute()


def output_dir() -> Path:
    return Path(os.environ.get("HVHK_UITVOER", "uitvoer")).absolute()


PARTNER_ADDRESS = "HVHK_PARTNER_ADRES"  # set by `hvhk workshop --netwerk` for the coordinator's app


def partner_address() -> str | None:
    """Where partners open their screen in a networked workshop; None when the workshop is local."""
    return os.environ.get(PARTNER_ADDRESS)
