"""Benchmarks and long reliability runs (not part of the installed package)."""
