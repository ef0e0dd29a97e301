"""The web process stays light: no torch, whatever the matcher's method."""

from __future__ import annotations

import subprocess
import sys


def test_web_app_never_imports_torch() -> None:
    """Does building the app (and every blueprint) leave torch unimported?"""
    code = (
        "import sys\n"
        "from tracker import create_app\n"
        "from tracker.config import load_settings\n"
        "app = create_app(load_settings('', {'TRACKER_MATCH_METHOD': 'hybrid',"
        " 'TRACKER_DATABASE_URL': 'sqlite://'}, {}))\n"
        "assert len(app.url_map._rules) > 10\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
        "sys.exit(1 if heavy else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
