"""Domain exceptions. Each carries a one-line message fit for a user."""

from __future__ import annotations


class TrackerError(Exception):
    """Base class: a problem we explain to the user in one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(TrackerError):
    """A setting has a value we cannot use."""


class BadInput(TrackerError):
    """A file or argument we cannot accept; nothing was written."""


class NotFound(TrackerError):
    """The thing asked for does not exist (or the asker may not see it)."""


class NotAllowed(TrackerError):
    """The signed-in person may not do this."""


class Conflict(TrackerError):
    """The request clashes with what is stored (for example a duplicate)."""
