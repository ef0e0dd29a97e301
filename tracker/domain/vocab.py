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
    CANDIDATE = "candidate"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


#: Link statuses set by the matcher (replaced at each match) and those that
#: count toward outcomes, digests and pages.
MACHINE_STATUSES = (LinkStatus.SUGGESTED, LinkStatus.CANDIDATE)
COUNTING_STATUSES = (LinkStatus.SUGGESTED, LinkStatus.CONFIRMED)


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
