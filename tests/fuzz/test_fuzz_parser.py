"""Run the atheris parser fuzzer for a bounded number of inputs in every test run.

Longer campaigns: `.venv/bin/python tests/fuzz/fuzz_parser.py -max_total_time=600 DIR`.
A finding (any exception other than UploadRejected, or an input slower than
10 s) makes libFuzzer exit non-zero and write the input as crash-* / timeout-*.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.mark.parametrize("runs", [6000])
def test_parser_survives_fuzzing(tmp_path: Path, runs: int) -> None:
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    shutil.copytree(HERE / "seeds", corpus)
    proc = subprocess.run(
        [
            sys.executable,
            str(HERE / "fuzz_parser.py"),
            f"-runs={runs}",
            "-timeout=10",
            "-max_len=4096",
            "-seed=1",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    findings = sorted(p.name for p in tmp_path.glob("*-*") if p.is_file())
    assert proc.returncode == 0, (findings, proc.stderr[-3000:])
    assert "DONE" in proc.stderr
    assert len(list(corpus.iterdir())) > 3  # the fuzzer found new paths: it really ran
