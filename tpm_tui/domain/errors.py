"""User-facing errors: each carries one line that says what is wrong and where."""

from __future__ import annotations


class TpmError(Exception):
    """An error the user can act on. ``str(err)`` is the one line shown to them."""

    exit_code = 1


class StoreError(TpmError):
    """The database file cannot be used (corrupt, not ours, unwritable, locked)."""


class SchemaTooNewError(StoreError):
    """The file was written by a newer tpm."""


class InputError(TpmError):
    """A value given on the command line or in a form is invalid."""

    exit_code = 2


class NotFoundError(TpmError):
    """A task, person or project that was named does not exist."""


class ImportFailed(TpmError):
    """A calendar file could not be imported at all."""
