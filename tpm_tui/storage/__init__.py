"""Persistence: the only package that imports TinyDB."""

from tpm_tui.storage.store import Store

__all__ = ["Store"]
