"""Who said something: names, initials, groups, and the speaker-free text.

Minutes name speakers in a handful of ways, all read here by pattern (the
roster and the attendee list, when known, only make the patterns surer):

- "Siobhan: ...", "Communications (OS): ..."       a name before a colon
- "EM reported that ...", "Dr Joanne Pereira said"   a name, then a reporting verb
- "One LXP said", "The programme team reported"      groups (lxp, staff, all)
- "... (Amara)", "... – EM"                          a name after the point
- a bold name opening the paragraph
- "He added that ..."                                the previous speaker
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parsers.model import ParsedSpeaker
from parsers.names import TITLES, RosterName, initials, normalise

_VERBS = (
    "said|says|reported|reports|noted|notes|asked|asks|explained|explains|suggested"
    "|suggests|added|adds|confirmed|confirms|stated|states|commented|comments"
    "|highlighted|highlights|raised|raises|mentioned|mentions|described|describes"
    "|felt|feels|thought|thinks|queried|queries|advised|advises|informed|updated"
    "|proposed|proposes|recommended|recommends|emphasi[sz]ed|stressed|pointed out"
    "|shared|presented|responded|replied|argued|wondered|expressed|acknowledged"
    "|observed|questioned|requested|clarified|summari[sz]ed|outlined|told|warned"
    "|believes|believed|considered|spoke|talked|offered|volunteered|indicated"
    "|recalled|remarked|reflected|challenged|cautioned|urged|insisted|identified"
    "|agreed|welcomed|gave an update|provided an update|gave feedback|fed back"
    "|went on to say|would like|wanted|wants|felt strongly|was concerned"
    "|expressed concern|requested that"
)
_VERB_AT = re.compile(
    r"\s+(?:(?:also|further|then|again|briefly|later|strongly)\s+)*"
    rf"(?P<verb>{_VERBS})\b"
)
_WHO = re.compile(r"^[^,;:()]{1,60}(?:\([^()]{1,40}\))?$")


# Verbs that may follow a name without framing a report ("Tom welcomed
# everyone", "EM gave an update on ...", "All members agreed to ..."): the
# sentence stays whole (speaker still set) unless a report follows the verb
# ("LXPs shared that ...", "EM agreed: ...").
_NOT_REPORTING = frozenset({
    "welcomed", "gave an update", "provided an update", "gave feedback", "presented",
    "shared", "agreed", "offered", "volunteered", "spoke", "talked", "challenged",
    "identified", "would like", "wanted", "wants", "considered", "outlined",
    "requested", "expressed",
})  # fmt: skip
_REPORT_FOLLOWS = re.compile(
    r"^\s*(?:,\s*)?(?:(?:to|with)\s+(?:the\s+)?(?:group|meeting|committee|board"
    r"|members|everyone)\s*)?(?::|[-–]\s|that\b|whether\b|how\b|if\b)",
    re.IGNORECASE,
)


def reports(verb: str, rest: str) -> bool:
    """Tell whether "<who> <verb> <rest>" frames a report whose prefix can go."""
    return verb not in _NOT_REPORTING or bool(_REPORT_FOLLOWS.match(rest))


@dataclass(frozen=True)
class _Reported:
    who: str
    verb: str
    rest: str


def _reporting(text: str) -> _Reported | None:
    """Split "EM reported that X" at its first reporting verb, if any."""
    m = _VERB_AT.search(text, 0, 120)
    if m is None or not _WHO.match(text[: m.start()]):
        return None
    return _Reported(text[: m.start()], m["verb"], text[m.end() :])


_CONNECTOR = re.compile(
    r"^\s*(?:,\s*)?(?:(?:to|with)\s+(?:the\s+)?(?:group|meeting|committee|board|members"
    r"|everyone)\s*)?(?:[:,\-–]\s*)?(?:that\b\s*)?",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    rf"^(?P<who>he|she|they)\s+(?:(?:also|further|then|again)\s+)*(?:{_VERBS})\b",
    re.IGNORECASE,
)
# Question-and-answer labels name no speaker: "Q:", "A:", "Question:",
# "Comment from a member of the public:"; "from X" may name one.
_QA_LABEL = re.compile(
    r"^\s*(?:(?-i:[QA])\.(?=\s)|(?:q|a|question|answer|response|reply|comments?|questions?)"
    r"(?:\s+(?:from|by)\s+(?P<who>[^:]{1,50}?))?\s*:)\s*(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# Lead-ins such as "Feedback from experts by experience:" name their source.
_FROM_LEAD_IN = re.compile(
    r"^\s*(?:feedback|comments?|views|points?|questions?|suggestions?|issues?)"
    r"(?:\s+(?:raised|received|given))?\s+(?:from|by)\s+(?:the\s+)?(?P<who>.+?)\s*:?\s*$",
    re.IGNORECASE,
)
_COLON = re.compile(r"^(?P<who>[^:\n]{1,50}?)\s*:\s*(?P<rest>\S.*)$", re.DOTALL)
_TRAILING_NAME = re.compile(r"\s*\((?P<who>[^()]{1,40})\)\s*[.!]?\s*$")
_TRAILING_DASH = re.compile(r"\s+[-–—]\s*(?P<who>[^-–—]{1,40}?)\s*\.?\s*$")
_INITIALS = re.compile(r"^[A-Z]{2,3}$")
_LEAD_DASH = re.compile(
    r"^(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})\s*[-–—]\s+(?P<rest>\S.*)$", re.DOTALL
)
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?|(?:Mc|Mac|O'|O’)[A-Z][a-z]+)$")
_ACRONYMS = {
    "nhs", "gp", "gps", "ccg", "ics", "icb", "cqc", "aob", "lxp", "tbc", "rag", "hr",
    "it", "uk", "eu", "pcn", "dbt", "ed", "pd", "ltc", "crg", "tfg", "ok", "am", "pm",
}  # fmt: skip
# Capitalised words that open topic labels, never names ("Workforce: ...").
_NOT_NAMES = {
    "the", "this", "that", "these", "those", "our", "their", "all", "any", "some",
    "members", "member", "group", "groups", "team", "teams", "action", "actions",
    "update", "updates", "next", "steps", "date", "time", "venue", "present",
    "apologies", "attendees", "item", "items", "minutes", "notes", "agenda",
    "other", "business", "primary", "care", "mental", "health", "service",
    "services", "trust", "board", "committee", "council", "university",
    "communications", "workforce", "pathways", "pathway", "finance", "training",
    "summary", "discussion", "decision", "decisions", "agreed", "welcome",
    "introductions", "matters", "arising", "feedback", "report", "reports",
    "programme", "project", "clinical", "lead", "chair", "task", "finish",
    "reference", "steering", "note", "question", "questions", "answer", "response",
    "issue", "issues", "risk", "risks", "outcome", "purpose", "background",
    "comments", "comment", "status", "owner", "due", "progress",
    "resolved", "approved", "noted", "recommendation", "recommendations", "key",
    "points", "point", "general", "overview", "introduction", "conclusion", "new",
    "old", "draft", "final", "total", "we", "it", "there", "people", "patients",
    "carers", "families", "staff", "everyone", "nobody", "one", "another", "each",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "lived", "experience", "data",
    "digital", "local", "national", "regional", "community", "hospital", "social",
    "public", "private", "secondary", "acute", "children", "adult",
    "adults", "young", "older", "family", "women", "men", "policy", "strategy",
    "budget", "funding", "quality", "safety", "performance", "access", "waiting",
    "recovery", "support", "information", "research", "evaluation", "design",
    "development", "engagement", "involvement", "partnership", "governance",
    "operations", "estates", "recruitment", "equality", "diversity", "inclusion",
    "whether", "how", "what", "where", "when", "why", "who", "which", "he", "she",
    "they", "you", "i", "if", "once", "further", "following", "after", "before",
}  # fmt: skip
_LXP = re.compile(
    r"^(?:(?:the|one|another|an|a|some|several|two|three|many|most|other|all(?:\s+the)?)"
    r"\s+)?(?:lxps?|lxp\s+(?:members?|representatives?|colleagues?)|lived\s+experience"
    r"\s+(?:practitioners?|members?|representatives?|partners?|advis[eo]rs?|experts?"
    r"|colleagues?)|experts?\s+by\s+experience|ebes?|peer\s+(?:reviewers?|"
    r"representatives?|members?)|service\s+user\s+(?:representatives?|members?)"
    r"|service\s+users|patient\s+representatives?|people\s+with\s+lived\s+experience"
    r"|carer\s+representatives?)(?:\s+(?:members?|present|representatives?))?$",
    re.IGNORECASE,
)
_STAFF = re.compile(
    r"^(?:the\s+)?(?:(?:programme|project|core|delivery|management|transformation"
    r"|central)\s+(?:team|office|staff)|staff|secretariat|pmo|programme)$",
    re.IGNORECASE,
)
_ALL = re.compile(
    r"^(?:all|everyone|all\s+(?:members|attendees|present|participants|group\s+members"
    r"|of\s+us|members\s+present|team\s+members)|(?:the\s+)?whole\s+(?:group|team)"
    r"|team\s+members|everybody)$",
    re.IGNORECASE,
)
# Collective subjects that say nobody in particular: the text stays whole.
_NOBODY = re.compile(
    r"^(?:the\s+)?(?:members|group|committee|board|meeting|panel|forum|attendees"
    r"|participants|discussion|team|it|there|we|chair\s+and\s+members)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cast:
    """The names one meeting may use: roster readings plus its attendee list."""

    known: frozenset[str] = frozenset()  # normalised names, first names, initials
    people: tuple[str, ...] = ()  # attendee names as written, for resolving
    roster: tuple[RosterName, ...] = ()

    @property
    def has_initials(self) -> bool:
        """Tell whether any initials are known, so unknown ones can be doubted."""
        return any(len(k) in (2, 3) and " " not in k for k in self.known)


def build_cast(
    roster: Sequence[RosterName] = (), attendees: Iterable[str] = (), aliases: Iterable[str] = ()
) -> Cast:
    """Collect every reading of the roster and attendee names for one meeting."""
    known: set[str] = set()
    names = list(attendees)
    for name in [p.name for p in roster] + names:
        full = normalise(name)
        words = full.split()
        if not words:
            continue
        known.add(full)
        known.add(words[0])
        if len(words) >= 2:
            known.update({words[-1], initials(name), f"{words[0]} {words[-1][0]}"})
    for person in roster:
        known.update(normalise(a) for a in person.aliases)
    known.update(normalise(a) for a in aliases)
    known.discard("")
    return Cast(frozenset(known), tuple(names), tuple(roster))


def group_of(text: str) -> str | None:
    """Return "lxp", "staff" or "all" when text names a collective, else None."""
    words = " ".join(re.sub(r"[^\w\s'&/-]", " ", text).split())
    if _LXP.match(words):
        return "lxp"
    if _STAFF.match(words):
        return "staff"
    if _ALL.match(words):
        return "all"
    return None


def is_nobody(text: str) -> bool:
    """Tell whether text is a collective that names nobody ("Members")."""
    return bool(_NOBODY.match(" ".join(text.split())))


def is_person(text: str, cast: Cast, *, loose: bool = False) -> bool:
    """Tell whether text reads as one person's name, initials or first name."""
    bare = re.sub(r"\s*\([^()]*\)\s*", " ", text).strip(" .,;:-–—\t")
    if not bare or len(bare) > 40:
        return False
    if normalise(bare) in cast.known:
        return True
    words = bare.split()
    has_title = words[0].lower().rstrip(".") in TITLES and len(words) > 1
    if has_title:
        words = words[1:]
    if len(words) == 1 and _INITIALS.match(words[0]):
        if words[0].lower() in _ACRONYMS:
            return False
        return loose or not cast.has_initials or (len(words[0]) == 2 and not cast.known)
    if not 1 <= len(words) <= 3:
        return False
    if not all(
        _NAME_WORD.match(w)
        or (i and w.lower() in ("van", "de", "der", "von"))
        or (i == len(words) - 1 and re.match(r"^[A-Z]\.?$", w))
        for i, w in enumerate(words)
    ):
        return False
    if any(w.lower() in _NOT_NAMES for w in words):
        return False
    if has_title:
        return True
    # A lone capitalised word is a name only where nothing else is known.
    return len(words) >= 2 or loose or not cast.known


def read_who(text: str, cast: Cast, *, loose: bool = False) -> ParsedSpeaker | None:
    """Read a lead or owner ("EM", "All members", "Yasmin Haddad (LXP)")."""
    text = re.sub(
        r"^\s*(?:lead|owner|by|presented\s+by|led\s+by)\s*[:\-–]?\s*",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    ).strip(" .,;:")
    if not text:
        return None
    group = group_of(text)
    if group:
        return ParsedSpeaker(as_written=" ".join(text.split()), group=group)
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip(" ,-–")
    if is_person(bare, cast, loose=loose):
        return ParsedSpeaker(as_written=_without_title(bare))
    return None


def _without_title(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Attribution:
    """A statement with its speaker prefix or suffix taken off."""

    text: str
    speaker: ParsedSpeaker | None
    pronoun: bool = False  # "He added that ...": the previous speaker


def attribute(text: str, cast: Cast, *, bold_prefix: str = "") -> Attribution:
    """Split a statement into who said it (if the minutes say) and what."""
    text = text.strip()
    qa = _QA_LABEL.match(text) if ":" in text[:70] or text[1:2] == "." else None
    if qa:
        said = attribute(qa["rest"], cast)
        who = read_who(qa["who"], cast, loose=True) if qa["who"] else None
        return Attribution(said.text, said.speaker or who, said.pronoun)
    bold = bold_prefix.strip(" :-–—")
    if bold and text.startswith(bold_prefix.strip()) and len(bold) < len(text):
        rest = text[len(bold_prefix.strip()) :]
        who = read_who(bold, cast, loose=True)
        if who is not None and not _reporting(text):
            return Attribution(_clean(rest.lstrip(" :-–—")), who)
    m = _COLON.match(text) if ":" in text[:52] else None
    if m:
        who_text = m["who"]
        inner = re.search(r"\(([^()]{1,40})\)\s*$", who_text)
        if inner and is_person(inner.group(1), cast, loose=True):
            return Attribution(m["rest"].strip(), ParsedSpeaker(inner.group(1).strip()))
        who = read_who(who_text, cast)
        if who is not None and not who_text.lower().startswith(("lead", "owner")):
            return Attribution(m["rest"].strip(), who)
    m = _LEAD_DASH.match(text) if text[:1].isupper() else None
    if m and normalise(m["who"]) in cast.known:
        # "Kyle Bodin – Created the style guide": a known name, a dash, the point.
        return Attribution(m["rest"].strip(), ParsedSpeaker(m["who"].strip()))
    m = _PRONOUN.match(text)
    if m:
        reported = _reporting(text)
        body = (
            _strip_connector(reported.rest, reported.verb)
            if reported and reports(reported.verb, reported.rest)
            else text
        )
        return Attribution(body, None, pronoun=True)
    r = _reporting(text)
    if r:
        who_text = r.who.strip()
        # "Tom welcomed everyone ...": Tom's, but nothing to strip.
        body = _strip_connector(r.rest, r.verb) if reports(r.verb, r.rest) else text
        group = group_of(who_text)
        if group is not None:
            speaker = ParsedSpeaker(" ".join(who_text.split()), group)
            return Attribution(body, speaker)
        if not is_nobody(who_text) and is_person(who_text, cast, loose=True):
            speaker = ParsedSpeaker(_without_title(re.sub(r"\s*\(.*\)$", "", who_text)))
            return Attribution(body, speaker)
    m = _TRAILING_NAME.search(text) if ")" in text[-4:] else None
    if m and len(text) > len(m.group(0)) + 3:
        who_text = m["who"].strip()
        group = group_of(who_text)
        if group is not None and group != "lxp":
            return Attribution(text[: m.start()].rstrip(), ParsedSpeaker(who_text, group))
        person = is_person(who_text, cast) and not _INITIALS.match(who_text)
        known_initials = _INITIALS.match(who_text) and normalise(who_text) in cast.known
        if group is None and (person or known_initials):
            return Attribution(text[: m.start()].rstrip(), ParsedSpeaker(who_text))
    tail = text[-200:]
    m = _TRAILING_DASH.search(text) if "-" in tail or "–" in tail or "—" in tail else None
    if m and normalise(m["who"]) in cast.known and len(text) > len(m.group(0)) + 3:
        return Attribution(text[: m.start()].rstrip(), ParsedSpeaker(m["who"].strip()))
    return Attribution(text, None)


def lead_in_source(text: str, cast: Cast) -> ParsedSpeaker | None:
    """Return who "Feedback from experts by experience:" says spoke, or None."""
    m = _FROM_LEAD_IN.match(text)
    return read_who(m["who"], cast, loose=True) if m else None


def _strip_connector(rest: str, verb: str) -> str:
    rest = _CONNECTOR.sub("", rest, count=1)
    if verb in ("described", "explained", "describes", "explains"):
        rest = re.sub(r"^how\s+", "", rest)
    return _clean(rest)


def _clean(text: str) -> str:
    return text.strip(" \t:,-–—")
