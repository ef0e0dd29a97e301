"""The one exception parsing raises for bad input."""

from __future__ import annotations


class UploadRejected(Exception):
    """A file we will not read, with a short code and a one-line message.

    ``code`` is stable for tests and audit ("empty", "not-docx", "legacy-doc",
    "encrypted", "macro", "template", "damaged", "too-large", "zip-bomb",
    "too-complex", "no-date", "empty-document" ...).  ``message`` is plain
    words for the person who uploaded the file; it never quotes the content.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
