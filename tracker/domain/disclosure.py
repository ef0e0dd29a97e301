"""What a viewer may see of one point: one rule for every surface.

DESIGN.md ("Disclosure"): what a viewer may see of a point follows from its
consent, whether it is a personal story, and the viewer's role, by one rule
applied on every surface (pages, digests, downloads, API, export, reports).
Pure: plain values in, plain values out; no Flask, no database.

The rule, for a point said by someone:

* The person who said it sees their own words and name, always.
* Record keepers (a chair or admin working on the minutes themselves) see
  the minutes as written: they are the record.
* Everyone else (leads, other LXPs, the export, reports, the API):
  - an erased speaker is "a former LXP"; their words were already removed;
  - count-only ("Do not quote me; only count this point"): counted under
    their name, never quoted;
  - a personal story: never quoted; named unless quote-anonymous;
  - quote-anonymous: quoted, not named (nor counted by name beside the words);
  - quote-named: quoted and named.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tracker.domain import vocab
from tracker.domain.vocab import Group

CONSENTS = ("quote-named", "quote-anonymous", "count-only")
NOT_QUOTED = "(not quoted, by request)"
STORY = "(a personal story, not quoted here)"
ANONYMOUS = "an LXP (anonymous by request)"
FORMER = "a former LXP"
GROUP_WORDS = {g: w if g == Group.LXP else w.lower() for g, w in vocab.GROUP_WORDS.items()}


class Audience(StrEnum):
    """Who is looking, as far as disclosure goes."""

    SPEAKER = "speaker"  # the person who said it
    RECORD_KEEPER = "record-keeper"  # a chair or admin working on the minutes
    LEAD = "lead"  # dashboards, lost reports, lead digests, the API
    OTHER_LXP = "other-lxp"  # another LXP: their page, digest, evidence
    EXPORT = "export"  # `tracker export`: leaves the tracker


@dataclass(frozen=True)
class Point:
    """What the rule needs to know about one contribution."""

    text: str
    consent: str = "quote-named"
    is_story: bool = False
    speaker_person_id: int | None = None
    speaker_name: str | None = None  # the roster name, when resolved
    speaker_as_written: str | None = None
    speaker_group: str | None = None
    speaker_erased: bool = False


@dataclass(frozen=True)
class Shown:
    """What this audience sees of the point."""

    text: str  # the words, or a plain placeholder
    quoted: bool  # True when ``text`` is the words themselves
    who: str  # plain words for who said it
    named: bool  # True when the speaker's identity (name, as written, id) may be shown


def _who(point: Point) -> str:
    if point.speaker_erased:
        return FORMER
    if point.speaker_name:
        return point.speaker_name
    if point.speaker_group in GROUP_WORDS:
        return GROUP_WORDS[point.speaker_group]
    return point.speaker_as_written or "not recorded"


def disclose(point: Point, audience: Audience, *, viewer_person_id: int | None = None) -> Shown:
    """Apply the disclosure rule to one point for one audience."""
    if point.consent not in CONSENTS:
        raise ValueError(f"unknown consent {point.consent!r}")
    is_speaker = (
        viewer_person_id is not None and viewer_person_id == point.speaker_person_id
    ) or audience is Audience.SPEAKER
    if point.speaker_erased:
        return Shown(point.text, quoted=is_speaker, who=FORMER, named=False)
    if is_speaker or audience is Audience.RECORD_KEEPER:
        return Shown(point.text, quoted=True, who=_who(point), named=True)
    # A group ("LXPs suggested") names nobody; consent still governs quoting.
    individual = point.speaker_person_id is not None or (
        bool(point.speaker_as_written) and point.speaker_group is None
    )
    if point.consent == "count-only":
        return Shown(NOT_QUOTED, quoted=False, who=_who(point), named=True)
    named = point.consent == "quote-named" or not individual
    who = _who(point) if named else ANONYMOUS
    if point.is_story:
        return Shown(STORY, quoted=False, who=who, named=named)
    return Shown(point.text, quoted=True, who=who, named=named)
