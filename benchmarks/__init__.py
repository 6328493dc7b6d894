"""Benchmarks and long reliability runs (not part of the installed package)."""

import os
import tempfile

# The dashboard remembers its last look at each database in the user's state folder
# (tpm_tui.services.seen): the benchmarks' throwaway databases keep theirs in a folder of
# their own, inherited by the processes they start, never among the user's.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="tpm-bench-state-")
