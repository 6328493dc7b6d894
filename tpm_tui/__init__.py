"""tpm: the morning console of a technology project manager."""

__version__ = "0.1.0"
