"""Where tpm keeps its data. No folder is created here: only when writing."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tpm-tui"


def default_db_path() -> Path:
    """``$TPM_DB`` if set, else the platform's user data folder ``tpm-tui/tpm.json``."""
    env = os.environ.get("TPM_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "tpm.json"


def resolve_db_path(cli_value: str | None) -> tuple[Path, str]:
    """The database path and where it came from (``--db``, ``$TPM_DB`` or ``default``)."""
    if cli_value:
        return Path(cli_value).expanduser(), "--db"
    if os.environ.get("TPM_DB"):
        return default_db_path(), "$TPM_DB"
    return default_db_path(), "default"
