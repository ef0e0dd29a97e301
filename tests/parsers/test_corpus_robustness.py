"""Every file in the shared corpora parses or is refused with UploadRejected.

The corpora live beside the repository (``../shared/corpus``), or wherever
TRACKER_SHARED_DIR points.  Where they are absent the tests skip and say why.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

import pytest
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from lxml import etree

from parsers import ParsedMinutes, UploadRejected, parse_minutes

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TRACKER_SHARED_DIR") or REPO.parent / "shared")
FOLDERS = ("robustness", "real-minutes")
# What a damaged file may make the libraries raise.  Anything else behind
# "damaged" (AttributeError, TypeError ...) is a bug of ours wearing a mask.
DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    etree.LxmlError,
    OpcError,
    PythonDocxError,
    RecursionError,
)


def corpus_files(folder: str) -> list[Path]:
    """Every file under corpus/<folder>, any extension, in a stable order."""
    root = SHARED / "corpus" / folder
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def corpus_params() -> list[object]:
    params: list[object] = []
    for folder in FOLDERS:
        files = corpus_files(folder)
        if not files:
            reason = f"no corpus at {SHARED / 'corpus' / folder} (set TRACKER_SHARED_DIR)"
            params.append(
                pytest.param(None, id=f"{folder}-absent", marks=pytest.mark.skip(reason=reason))
            )
        root = SHARED / "corpus" / folder
        params += [pytest.param(path, id=f"{folder}/{path.relative_to(root)}") for path in files]
    return params


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file_parses_or_is_refused(path: Path) -> None:
    """Does parse_minutes return ParsedMinutes or raise only UploadRejected?"""
    try:
        result = parse_minutes(path.read_bytes(), path.name)
    except UploadRejected as error:
        assert error.code
        assert error.message.strip()
        assert "\n" not in error.message
        cause = error.__cause__
        # "unreadable" is parse_minutes' catch-all for its own bugs.
        assert error.code != "unreadable", f"parser bug: {cause!r}"
        if error.code == "damaged" and cause is not None:
            assert isinstance(cause, DAMAGE), f"parser bug behind 'damaged': {cause!r}"
    else:
        assert isinstance(result, ParsedMinutes)
