"""The system Chromium, as the browser tests drive it (through Playwright, no browser download)."""
from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium as a test browser on a machine without network: no background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]

if CHROMIUM is None and os.environ.get("COURSEKIT_REQUIRE_BROWSER"):
    raise RuntimeError("COURSEKIT_REQUIRE_BROWSER is set but Chromium is not installed (apt install chromium)")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package chromium)")
