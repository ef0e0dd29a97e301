"""The product's vocabulary, defined once (DESIGN.md, "Vocabulary").

Every module imports these names instead of writing the strings again: the
enums are ``str`` subclasses, so they compare equal to, hash like and store as
the plain strings the database and the export already hold; the tuples of
all values (``ROLES``...) hold plain strings, for messages and forms. Labels here are
the ones staff read; words written for LXPs (digests, their pages) live with
the text that uses them.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user account may do."""

    CHAIR = "chair"
    LXP = "lxp"
    LEAD = "lead"
    ADMIN = "admin"


ROLES = tuple(member.value for member in Role)
ROLE_LABELS = {
    Role.CHAIR: "Chair",
    Role.LXP: "LXP",
    Role.LEAD: "Programme lead",
    Role.ADMIN: "Admin",
}
#: Roles that see everyone's data, so sign in with a second factor (ASVS V6.3.3).
MFA_ROLES = (Role.LEAD, Role.ADMIN)


class PersonRole(StrEnum):
    """A person on the roster: an LXP or a member of staff."""

    LXP = "lxp"
    STAFF = "staff"


PERSON_ROLES = tuple(member.value for member in PersonRole)
PERSON_ROLE_LABELS = {PersonRole.LXP: "LXP", PersonRole.STAFF: "Staff"}


class Group(StrEnum):
    """A speaker or owner that is a group, not one person."""

    LXP = "lxp"
    STAFF = "staff"
    ALL = "all"


GROUPS = tuple(member.value for member in Group)
#: A group as a choice in the editor, and as a name in a list.
GROUP_LABELS = {
    Group.LXP: "LXPs (as a group)",
    Group.STAFF: "Programme team",
    Group.ALL: "All members",
}
GROUP_WORDS = {Group.LXP: "LXPs", Group.STAFF: "Programme team", Group.ALL: "All members"}


class BodyKind(StrEnum):
    CATCH_UP = "catch-up"
    GOVERNANCE = "governance"
    WORKING = "working"


BODY_KINDS = tuple(member.value for member in BodyKind)
BODY_KIND_LABELS = {
    BodyKind.GOVERNANCE: "Governance (decides things: a board, a reference group)",
    BodyKind.WORKING: "Working group (task and finish)",
    BodyKind.CATCH_UP: "LXP catch-up (where LXP input is gathered)",
}


class RecordKind(StrEnum):
    AGENDA_ITEM = "agenda_item"
    CONTRIBUTION = "contribution"
    ACTION = "action"
    DECISION = "decision"


RECORD_KINDS = tuple(member.value for member in RecordKind)
#: A record kind as staff read it ("Discussion": a contribution traced to).
RECORD_LABELS = {
    RecordKind.AGENDA_ITEM: "Agenda item",
    RecordKind.CONTRIBUTION: "Discussion",
    RecordKind.ACTION: "Action",
    RecordKind.DECISION: "Decision",
}


def record_words(kind: str) -> str:
    """A record kind inside a sentence: "agenda item"."""
    return RECORD_LABELS[RecordKind(kind)].lower()


def a_record(kind: str) -> str:
    """A record kind with its article: "An agenda item", "A decision"."""
    words = record_words(kind)
    return ("An " if words[0] in "aeiou" else "A ") + words


class LinkStatus(StrEnum):
    SUGGESTED = "suggested"
    CANDIDATE = "candidate"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


LINK_STATUSES = tuple(member.value for member in LinkStatus)
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


OUTCOMES = tuple(member.value for member in Outcome)
#: Outcomes as the programme lead reads them, in the dashboard's order.
OUTCOME_LABELS = {
    Outcome.ACTED: "Acted on",
    Outcome.HEARD: "Heard",
    Outcome.AWAITING: "Awaiting",
    Outcome.LOST: "Lost",
    Outcome.NOT_TAKEN_FORWARD: "Not taken forward",
}


class Frequency(StrEnum):
    """How often an LXP gets the "you said, we did" digest."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    NEVER = "never"


FREQUENCIES = tuple(member.value for member in Frequency)
