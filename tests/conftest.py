"""Session-wide test settings."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# The parser and rule-spec caches go to a throw-away directory, never to the user's
# ~/.cache/cablelint; subprocesses started by tests inherit it.
_CACHE_HOME = tempfile.mkdtemp(prefix="cablelint-test-cache-")
os.environ["CABLELINT_CACHE_HOME"] = _CACHE_HOME
atexit.register(shutil.rmtree, _CACHE_HOME, ignore_errors=True)
