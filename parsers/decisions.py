"""Decisions: what a meeting agreed, resolved or approved.

"Agreed: ...", "DECISION: ...", "RESOLVED that ...", "The Board APPROVED
...", "It was agreed that ...", "The group agreed the terms of reference",
"Terms of reference approved ...", "The minutes of the last meeting were
agreed".  Reports of someone else's approval ("The Trust's committee has
approved ...") and "The Board NOTED ..." are not decisions.
"""

from __future__ import annotations

import re

_LABEL = re.compile(
    r"^\s*(?:agreed|decisions?(?:\s+(?:made|taken|agreed))?|decided|resolved|approved"
    r"|agreement|ratified|endorsed)\s*(?:[:\-–—]|that\b)\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_CAPS = re.compile(r"\b(?:AGREED|RESOLVED|APPROVED|DECIDED|RATIFIED|ENDORSED)\b")
_IT_WAS = re.compile(
    r"^\s*it\s+was\s+(?:(?:unanimously|formally|also|therefore|then)\s+)?"
    r"(?:agreed|resolved|decided|approved)\b",
    re.IGNORECASE,
)
_COLLECTIVE = re.compile(
    r"^\s*(?:the\s+)?(?:group|committee|board|meeting|members|panel|forum|crg"
    r"|steering\s+group|partnership|council|sub-?committee|task\s+and\s+finish\s+group"
    r"|reference\s+group|executive|trustees|all\s+members)\s+"
    r"(?:(?:formally|unanimously|also|then|therefore|duly)\s+)?"
    r"(?:agreed|approved|resolved|decided|endorsed|ratified|signed\s+off|adopted"
    r"|accepted|supported)\b",
    re.IGNORECASE,
)
_PASSIVE = re.compile(
    r"^\s*(?P<subj>(?:[^.;:!?]|(?<=\d)[.:](?=\d)){3,100}?)\s+(?P<aux>(?:was|were|has\s+been|have\s+been|is|are"
    r"|had\s+been)\s+)?(?:(?:formally|duly|unanimously|now|all|also)\s+)?"
    r"(?P<verb>agreed|approved|ratified|endorsed|adopted|signed\s+off|accepted)\b"
    r"(?!\s+to\b)",
    re.IGNORECASE,
)
_VERBISH = re.compile(
    r"\b(?:has|have|had|will|would|should|could|may|might|said|says|reported|noted"
    r"|asked|explained|suggested|confirmed|stated|told|that|who|which|if|whether"
    r"|not|no|never|yet|be|being)\b",
    re.IGNORECASE,
)
_MONTH_MAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+May\b|\bMay\s+\d", re.IGNORECASE)
_ANY_APPROVAL = re.compile(
    r"agree|approv|resolv|decid|ratif|endors|adopt|signed\s+off|accept|support",
    re.IGNORECASE,
)
# The same stems, case-sensitive, for a quick pre-check on lower-cased text.
_APPROVAL_STEMS = re.compile(
    r"agree|approv|resolv|decid|ratif|endors|adopt|signed|accept"
    r"|support"
)
_NOT_DECIDED = re.compile(
    r"\b(?:no\s+decision|not\s+(?:yet\s+)?(?:agreed|approved))\b", re.IGNORECASE
)


# Wording of formal and informal decisions beyond "agreed": "Decided that
# ...", "the decision was made to ...", "the motion was carried", "passed
# unanimously", "carried nem con", "moved by X, seconded by Y, carried".
_DECIDED = re.compile(
    r"(?:^|[.;!?]\s+)\s*(?:(?:we|it\s+was|(?:the\s+)?(?:group|team|committee|board|meeting"
    r"|members|panel|council))\s+(?:(?:then|also|unanimously|jointly|collectively|finally)\s+)?)?"
    r"decided\b(?!\s+on\b)"
    r"|\b(?:the|a)\s+decision\s+(?:was|has\s+been)\s+(?:made|taken|reached)\b"
    r"|\b(?:motion|proposal|resolution|recommendation)s?\b[^.]{0,120}\b(?:was|were)\s+"
    r"(?:duly\s+|unanimously\s+)?(?:carried|passed|adopted)\b"
    r"|\b(?:carried|passed|approved|agreed)\s+(?:unanimously|nem\.?\s*con\.?)"
    r"|\bseconded\b[^.]{0,80}\bcarried\b"
    r"|\bratified\b",
    re.IGNORECASE,
)
_UNDECIDED = re.compile(
    r"\b(?:not\s+(?:yet\s+)?(?:been\s+)?decided|to\s+be\s+decided|will\s+be\s+decided"
    r"|yet\s+to\s+be\s+decided|undecided|if\s+(?:we|it)\s+decided|not\s+carried"
    r"|was\s+defeated|was\s+not\s+passed)\b",
    re.IGNORECASE,
)


def label_decision(text: str) -> str | None:
    """Return the text after "Agreed:" / "DECISION:" / "RESOLVED that", else None."""
    m = _LABEL.match(text)
    return m["rest"].strip() if m else None


def is_decision(text: str) -> bool:
    """Tell whether a sentence records something this meeting decided."""
    lowered = text.lower()
    if (
        "decid" in lowered
        or "decision" in lowered
        or "carried" in lowered
        or "passed" in lowered
        or "ratified" in lowered
    ) and _DECIDED.search(text):
        return not _UNDECIDED.search(text)
    if not _APPROVAL_STEMS.search(lowered):
        return False  # cheap pre-check for the case-blind search below
    if not _ANY_APPROVAL.search(text) or _NOT_DECIDED.search(text):
        return False
    if _CAPS.search(text) or _IT_WAS.match(text) or _COLLECTIVE.match(text):
        return True
    m = _PASSIVE.match(text)
    if m is None:
        return False
    subject = _MONTH_MAY.sub(" ", m["subj"])  # "held on 2 May 2019": a month, not a modal
    if _VERBISH.search(subject):
        return False
    limit = 16 if m["aux"] else 5
    return len(subject.split()) <= limit
