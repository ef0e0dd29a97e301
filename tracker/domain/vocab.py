"""The product's vocabulary as string enums (DESIGN.md, "Vocabulary")."""

from __future__ import annotations

from enum import StrEnum


class BodyKind(StrEnum):
    CATCH_UP = "catch-up"
    GOVERNANCE = "governance"
    WORKING = "working"


class RecordKind(StrEnum):
    AGENDA_ITEM = "agenda_item"
    CONTRIBUTION = "contribution"
    ACTION = "action"
    DECISION = "decision"


class LinkStatus(StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Outcome(StrEnum):
    ACTED = "acted"
    HEARD = "heard"
    LOST = "lost"
    AWAITING = "awaiting"
    NOT_TAKEN_FORWARD = "not-taken-forward"


class Group(StrEnum):
    LXP = "lxp"
    STAFF = "staff"
    ALL = "all"
