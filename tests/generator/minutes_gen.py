"""Seeded generator of Word minutes in many secretariat styles, with their truth.

``generate(seed)`` draws every choice from ``random.Random(seed)`` and writes
the document and its truth (``truth.json``'s per-meeting format, see
``../shared/contract/truth.md``) from the same choices, so the truth is what a
careful reader takes from the page.  ``write_corpus(folder, n, seed)`` writes
a corpus in the evaluator layout (roster.csv, bodies.csv, minutes/*.docx,
truth.json).

The grammar is ``VARIATIONS``: each key is one independent random choice per
document (the heading block, date format, attendance layout, item headings,
speaker notation, decision wording, action notation...).  A few choices only
make sense with others (minute-numbered paragraphs need numbered items); the
value a document really used is the one recorded in ``variations``.

Reading conventions (those of the dev corpus, ``../shared/corpus/dev/README.md``):

- Not units: the title, organisation and website lines, the date/time/venue
  block, labels ("Attendees", "0. Attendance", "Action Items:", "Decisions",
  "Next Steps"), lead-in lines ending in ":", "Recorder:"/"Meeting Opened:"
  lines, "Date of next meeting" lines and "None." under AOB.
- "Recorder: Ben" names an attendee (like "Minutes: ..."), not a speaker.
- A contribution's text leaves out the speaker notation ("Name:", "EM
  reported that", "(Amara)"); "It was noted that ..." and "The Board NOTED
  ..." are unattributed and kept whole.  Actions reviewed from the previous
  meeting are unattributed statements, not new actions.
- An action's text leaves out "ACTION:", "[NL]" and "Name:" labels but keeps
  "EM to ..."; owners come from the notation or the owner column; a due date
  from "by <date>" or the due column ("TBC" = none).
- A decision's text leaves out "Agreed:"/"RESOLVED:"; sentences that record a
  decision ("passed unanimously", "carried nem con", "ratified", "it was
  decided") are kept whole.  Bullets after a line ending in ":" that records
  an agreement are decisions.
- Only the meeting's own date counts: next-meeting dates, the previous
  meeting's date and due dates are not it.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from generator.writer import write_docx

# ---------------------------------------------------------------- people and bodies


@dataclass(frozen=True)
class Person:
    name: str
    initials: str
    role: str  # "lxp" or "staff"
    title_alias: str = ""  # "Dr Kapoor"
    job: str = ""  # for "Name (XX), Organisation, Department" lines
    org: str = ""

    @property
    def first(self) -> str:
        return self.name.split()[0]

    @property
    def pronoun(self) -> str:
        return "He" if self.first in _HE else "She"


_HE = {"Brendan", "Tomasz", "Kwame", "Ben", "Oliver", "Gareth", "Ewan", "Michael"}


_PROGRAMME = "North Thames Mental Health Programme"
ROSTER: tuple[Person, ...] = (
    Person("Amara Okafor", "AO", "lxp", job="Lived Experience Practitioner", org=_PROGRAMME),
    Person("Brendan Walsh", "BW", "lxp", job="Lived Experience Practitioner", org=_PROGRAMME),
    Person("Niamh Lynch", "NL", "lxp", job="Lived Experience Practitioner", org=_PROGRAMME),
    Person("Tomasz Nowicki", "TN", "lxp", job="Carer Representative", org=_PROGRAMME),
    Person("Precious Adjei", "PA", "lxp", job="Lived Experience Practitioner", org=_PROGRAMME),
    Person("Yasmin Haddad", "YH", "lxp", job="Lived Experience Practitioner", org=_PROGRAMME),
    Person("Kwame Boateng", "KB", "lxp", job="Peer Support Worker", org=_PROGRAMME),
    Person("Leanne Whitaker", "LW", "lxp", job="Lived Experience Practitioner", org=_PROGRAMME),
    Person("Rebecca Asante", "RA", "staff", job="Programme Director", org=_PROGRAMME),
    Person("Ben Carter", "BC", "staff", job="Programme Support Officer", org=_PROGRAMME),
    Person("Oliver Stanton", "OS", "staff", job="Programme Manager", org=_PROGRAMME),
    Person("Nadia Rahman", "NR", "staff", job="Senior Programme Manager", org=_PROGRAMME),
    Person("Gareth Lloyd", "GL", "staff", job="Commissioning Manager", org="North Thames ICB"),
    Person(
        "Sunita Kapoor",
        "SK",
        "staff",
        "Dr Kapoor",
        job="Consultant Psychiatrist",
        org="Riverside NHS Foundation Trust",
    ),
    Person(
        "Ewan McAllister",
        "EM",
        "staff",
        "Dr McAllister",
        job="Clinical Lead",
        org="Riverside NHS Foundation Trust",
    ),
    Person(
        "Michael Osei",
        "MO",
        "staff",
        "Dr Osei",
        job="Consultant Clinical Psychologist",
        org="Hillside Health NHS Trust",
    ),
    Person("Joanne Pereira", "JP", "staff", "Dr Pereira", job="GP Lead", org="North Thames ICB"),
)
# People who attend but are not on the roster; the truth keeps the name as written.
GUESTS: tuple[tuple[str, str], ...] = (
    ("Hannah Cole", "Healthwatch"),
    ("Lucy Barnes", "Mind in North Thames"),
    ("Sam Whitfield", "Local Authority"),
)


@dataclass(frozen=True)
class Body:
    name: str
    kind: str
    workstream: str
    patterns: tuple[str, ...]


BODIES: tuple[Body, ...] = (
    Body("PD LXP catch-up", "catch-up", "PD", ("PD LXP catch-up", "PD LXP catch up")),
    Body(
        "PD Clinical Reference Group", "governance", "PD", ("PD Clinical Reference Group", "PD CRG")
    ),
    Body(
        "PD Peer Support Task and Finish Group",
        "working",
        "PD",
        ("PD Peer Support Task and Finish Group", "PD Peer Support T&F"),
    ),
    Body(
        "Eating Disorders Lived Experience Forum",
        "catch-up",
        "Eating Disorders",
        ("Eating Disorders Lived Experience Forum", "ED Lived Experience Forum"),
    ),
    Body(
        "Eating Disorders Programme Board",
        "governance",
        "Eating Disorders",
        ("Eating Disorders Programme Board", "ED Programme Board"),
    ),
    Body(
        "Perinatal Steering Group",
        "governance",
        "Perinatal",
        ("Perinatal Steering Group", "Perinatal Mental Health Steering Group"),
    ),
    Body(
        "Crisis Pathway Working Group",
        "working",
        "Crisis",
        ("Crisis Pathway Working Group", "Crisis Pathway WG"),
    ),
)

# ---------------------------------------------------------------- the grammar

VARIATIONS: dict[str, tuple[str, ...]] = {
    # where and how the meeting's own date is written
    "heading": (
        "title_date_line",
        "org_body_held_on",
        "website_title",
        "location_cell",
        "date_time_venue_table",
        "time_line",
        "header_only",
        "title_with_date",
        "labelled_block",
    ),
    "date_format": (
        "d_month_y",
        "dd/mm/yyyy",
        "ordinal",
        "weekday",
        "weekday_ordinal",
        "iso",
        "short_month",
        "dotted",
        "us_month_first",
        "dd/mm/yy",
    ),
    "next_meeting": ("none", "header_block", "end", "above_date"),
    "page_header": ("none", "body_and_date", "footer_note"),
    "meta_lines": ("none", "recorder_opened", "chair_minutes"),
    # attendance
    "attendance": (
        "present_line",
        "present_caps",
        "attendees_bullets",
        "attendees_lines",
        "name_org_lines",
        "present_all",
        "attendance_table",
        "zero_attendance",
        "labelled_line",
    ),
    "apologies": ("none", "some", "sentence"),
    "in_attendance": ("none", "some"),
    "label_format": ("plain", "bold", "colon"),
    # agenda items
    "heading_style": ("word_heading", "bold", "capitals"),
    "numbering": ("n.", "n.0", "item_dash", "minute_ref", "word_auto", "none"),
    "lead_style": ("none", "dash_initials", "lead_label", "bracket_first"),
    "agenda_table": ("none", "no_item_lead"),
    "content_layout": ("paragraphs", "bullets", "minute_numbered"),
    # who said what
    "speaker_style": (
        "colon_name",
        "said_that",
        "initials_reported",
        "trailing_bracket",
        "unattributed",
    ),
    "lxp_group": ("none", "one_lxp", "suggested_list", "staff_reported"),
    "feedback_table": ("none", "topic_table", "who_said_table"),
    "noted_lines": ("none", "board_noted"),
    "previous_actions": ("none", "reviewed"),
    # decisions
    "decision_style": (
        "agreed_label",
        "passed_unanimously",
        "moved_seconded",
        "nem_con",
        "it_was_decided",
        "decision_was_made",
        "ratified",
        "resolved",
        "decisions_label",
        "colon_list",
        "decision_table",
    ),
    # actions
    "action_style": (
        "action_colon_initials",
        "action_colon_name",
        "bracket_initials",
        "action_items_label",
        "next_steps_label",
        "by_name",
        "action_table",
        "task_table",
        "action_log",
        "sec_resp_table",
    ),
    "due_dates": ("none", "some"),
    # any other business: a closing statement, or boilerplate that is no unit
    "aob": ("statement", "none", "no_other_business", "there_was_none"),
    # the uploaded file's name: with the meeting date, or without any date
    "file_name": ("dated", "plain"),
    # "She added that ...": a statement by the previous speaker
    "follow_on": ("none", "pronoun"),
    # Word's tracked changes: insertions are read, deletions are not
    "revisions": ("none", "tracked"),
    # another date above the meeting's own
    "other_dates": ("none", "papers_circulated"),
    # "Q: ...?" / "A: EM explained that ..." and "Question from Amara: ..."
    "questions": ("none", "q_and_a"),
    # "(for item 4)", "(left at 11:15)" after a name in the attendance list
    "attendee_notes": ("none", "partial"),
}

# ---------------------------------------------------------------- content parts

TOPICS = (
    "the crisis line",
    "the peer support group",
    "the discharge letter",
    "the wait for a first assessment",
    "the carers' assessment",
    "the out-of-hours service",
    "the new referral form",
    "the community mental health hub",
    "the eating disorder clinic",
    "the transitions protocol",
    "the perinatal outreach team",
    "the interpreting service",
    "the online self-referral page",
    "the medication review process",
    "the care plan template",
    "the family therapy offer",
    "the recovery college timetable",
    "the safety planning leaflet",
    "the psychology waiting list",
    "the inpatient ward round",
    "the GP liaison service",
    "the dialectical behaviour therapy group",
    "the digital therapy app",
    "the weight monitoring clinic",
    "the benefits advice session",
    "the service user survey",
    "the accessible information standard",
    "the staff training programme",
    "the complaints process",
    "the home treatment service",
    "the young people's pathway",
    "the bereavement support offer",
    "the crisis house",
    "the clinic letter template",
    "the appointment reminder service",
    "the community outreach programme",
    "the specialist midwife service",
    "the mother and baby unit",
    "the housing support pathway",
    "the early intervention service",
)
ITEM_TITLES = (
    "Crisis pathway redesign",
    "Peer support offer",
    "Lived experience update",
    "Waiting list initiatives",
    "Service user survey results",
    "Carers strategy",
    "Workforce and training plan",
    "Digital inclusion",
    "Transitions from children's services",
    "Communications and engagement",
    "Quality and outcomes dashboard",
    "Community hub progress report",
)
# {t} = a topic; texts are written in reported speech, lower case first.
LXP_SAYS = (
    "{t} felt rushed and nobody explained what would happen next",
    "{t} should be offered in the evenings for people who work",
    "people from minority communities rarely hear about {t}",
    "{t} uses jargon that families find hard to follow",
    "it took months to get a reply about {t}, which made things worse",
    "{t} could be co-designed with people who have used the service",
    "carers are often left out of conversations about {t}",
    "{t} works well when staff take time to listen",
    "nobody told her how to complain about {t} when it went wrong",
    "{t} is hard to reach without a car outside the city centre",
    "young people say {t} feels designed for adults",
    "he had to repeat his story three times before {t} helped",
    "there is no easy read version of the information about {t}",
    "the waiting room for {t} is noisy and not private enough",
)
STAFF_SAYS = (
    "{t} has seen a rise in referrals over the last quarter",
    "a review of {t} is expected to report in the spring",
    "funding for {t} has been confirmed until the end of the year",
    "staff feedback on {t} has been largely positive so far",
    "the data on {t} shows longer waits for younger people",
    "recruitment to {t} remains the main pressure on the team",
    "the pilot of {t} reached more families than expected",
    "two providers have asked to join the work on {t}",
    "the audit of {t} found gaps in how risks are recorded",
    "{t} now has a named clinical lead in every borough",
)
# (active task, passive task)
TASKS = (
    ("circulate the revised guidance on {t}", "the revised guidance on {t} to be circulated"),
    ("draft a one-page summary of {t}", "a one-page summary of {t} to be drafted"),
    ("share the latest figures on {t}", "the latest figures on {t} to be shared"),
    ("arrange a meeting with the lead for {t}", "a meeting with the lead for {t} to be arranged"),
    ("update the questions and answers page on {t}", "the questions page on {t} to be updated"),
    ("write to the provider about {t}", "a letter to the provider about {t} to be sent"),
    ("add {t} to the forward plan", "{t} to be added to the forward plan"),
    ("collect feedback from members on {t}", "feedback from members on {t} to be collected"),
)
# (base verb, past participle, object pattern)
DECIDE = (
    ("pilot", "piloted", "a new approach to {t} in two boroughs"),
    ("extend", "extended", "the opening hours of {t}"),
    ("fund", "funded", "a six-month review of {t}"),
    ("publish", "published", "a plain-language guide to {t}"),
    ("adopt", "adopted", "the revised standards for {t}"),
    ("prioritise", "prioritised", "improvements to {t} next year"),
    ("pause", "paused", "the planned changes to {t}"),
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_date(d: date, style: str, year: bool = True) -> str:
    """Write d in one of the date formats of VARIATIONS['date_format']."""
    month, wd = MONTHS[d.month - 1], WEEKDAYS[d.weekday()]
    if style == "dd/mm/yyyy":
        return f"{d:%d/%m/%Y}"
    if style == "iso":
        return d.isoformat()
    if style == "dotted":
        return f"{d:%d.%m.%y}"
    if style == "dd/mm/yy":
        return f"{d:%d/%m/%y}"
    if style == "us_month_first":
        return f"{month} {d.day}, {d.year}" if year else f"{month} {d.day}"
    y = f" {d.year}" if year else ""
    if style == "ordinal":
        return f"{_ordinal(d.day)} {month}{y}"
    if style == "weekday":
        return f"{wd} {d.day} {month}{y}"
    if style == "weekday_ordinal":
        return f"{wd} {_ordinal(d.day)} {month}{y}"
    if style == "short_month":
        return f"{d.day} {month[:3]}{y}"
    return f"{d.day} {month}{y}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- the document


@dataclass
class GeneratedMinutes:
    seed: int
    filename: str
    data: bytes
    truth: dict[str, Any]  # one meeting of truth.json
    variations: dict[str, str] = field(default_factory=dict)


class _Minutes:
    """Collects the document spec and its truth side by side."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.key = f"g{seed}"
        self.spec: list[Any] = []
        self.truth: dict[str, Any] = {
            "attendees": [],
            "agenda_items": [],
            "contributions": [],
            "actions": [],
            "decisions": [],
        }
        self.v: dict[str, str] = {}
        self.body: Body = BODIES[0]
        self.next_line = ""
        self.topics: list[str] = []
        self.templates: dict[str, list[str]] = {}

    # -- drawing helpers
    def choose(self, name: str) -> str:
        value = self.rng.choice(VARIATIONS[name])
        self.v[name] = value
        return value

    def topic(self) -> str:
        if not self.topics:
            self.topics = list(TOPICS)
            self.rng.shuffle(self.topics)
        return self.topics.pop()

    def template(self, pool: tuple[str, ...], name: str) -> str:
        if not self.templates.get(name):
            self.templates[name] = list(pool)
            self.rng.shuffle(self.templates[name])
        return self.templates[name].pop()

    # -- truth records
    def _add(self, kind: str, letter: str, record: dict[str, Any]) -> dict[str, Any]:
        records = self.truth[kind]
        record = {"key": f"{self.key}-{letter}{len(records) + 1}", **record}
        records.append(record)
        return record

    def item(self, number: str, title: str, lead: str | None) -> str:
        return self._add("agenda_items", "a", {"number": number, "title": title, "lead": lead})[
            "key"
        ]

    def said(self, item: str | None, text: str, speaker: str | None) -> None:
        self._add("contributions", "c", {"item": item, "text": text, "speaker": speaker})

    def action(self, item: str | None, text: str, owners: list[str], due: date | None) -> None:
        self._add(
            "actions",
            "x",
            {
                "item": item,
                "text": text,
                "owners": owners,
                "due": due.isoformat() if due else None,
            },
        )

    def decided(self, item: str | None, text: str) -> None:
        self._add("decisions", "d", {"item": item, "text": text})

    def attendee(self, name: str, status: str) -> None:
        if all(a["name"] != name for a in self.truth["attendees"]):
            self.truth["attendees"].append({"name": name, "status": status})


# Choices the parser of the dev corpus reads; `generate(seed, BASELINE | {name: choice})`
# isolates one variation.
BASELINE: dict[str, str] = {
    "heading": "title_date_line",
    "date_format": "d_month_y",
    "next_meeting": "none",
    "page_header": "none",
    "meta_lines": "none",
    "attendance": "present_line",
    "apologies": "some",
    "in_attendance": "some",
    "label_format": "plain",
    "heading_style": "word_heading",
    "numbering": "n.",
    "lead_style": "dash_initials",
    "agenda_table": "none",
    "content_layout": "paragraphs",
    "speaker_style": "initials_reported",
    "lxp_group": "one_lxp",
    "feedback_table": "none",
    "noted_lines": "none",
    "previous_actions": "none",
    "decision_style": "agreed_label",
    "action_style": "action_colon_initials",
    "due_dates": "some",
    "aob": "statement",
    "file_name": "plain",  # the date must come from the document
    "follow_on": "none",
    "revisions": "none",
    "other_dates": "none",
    "questions": "none",
    "attendee_notes": "none",
}


def generate(
    seed: int, overrides: dict[str, str] | None = None, when: date | None = None
) -> GeneratedMinutes:
    """One set of minutes and its truth, every choice drawn from Random(seed).

    overrides fixes some variations and when the meeting date (the draws
    still happen, so the rest of the document is the same as without them).
    """
    m = _Minutes(seed)
    rng = m.rng
    for name in VARIATIONS:  # independent draws, in a fixed order
        m.choose(name)
    for name, choice in (overrides or {}).items():
        if choice not in VARIATIONS[name]:
            raise ValueError(f"{name} has no choice {choice!r}")
        m.v[name] = choice
    v = m.v
    body = m.body = rng.choice(BODIES)
    pattern = rng.choice(body.patterns)
    start = date(2019, 1, 7)
    drawn = start + timedelta(days=rng.randrange(6 * 365))
    while drawn.weekday() > 4:
        drawn += timedelta(days=1)
    when = when or drawn
    people = _draw_people(m, body)
    fmt = v["date_format"]
    _heading_block(m, pattern, when, format_date(when, fmt))
    _attendance(m, people)
    _agenda(m, people, when)
    _closing(m, when)
    truth = {
        "file": "",
        "body": body.name,
        "date": when.isoformat(),
        **m.truth,
        "variations": dict(v),
    }
    stem = f"{seed:05d} {pattern.replace('&', 'and')}"
    if v["file_name"] == "dated":
        filename = f"minutes/{stem} {when:%d.%m.%y}.docx"
    else:
        filename = f"minutes/{stem} minutes.docx"
    truth["file"] = filename
    data = write_docx(m.spec)
    return GeneratedMinutes(seed, filename, data, truth, dict(v))


# ---------------------------------------------------------------- people


@dataclass
class _People:
    present: list[Person]
    chair: Person
    recorder: Person
    apologies: list[Person]
    in_attendance: list[Person]
    guests: list[tuple[str, str]]


def _draw_people(m: _Minutes, body: Body) -> _People:
    rng = m.rng
    lxps = [p for p in ROSTER if p.role == "lxp"]
    staff = [p for p in ROSTER if p.role == "staff"]
    if body.kind == "catch-up":
        present = rng.sample(lxps, rng.randint(3, 5)) + rng.sample(staff, 2)
    elif body.kind == "governance":
        present = rng.sample(staff, rng.randint(4, 6)) + rng.sample(lxps, rng.randint(1, 2))
    else:
        present = rng.sample(staff, rng.randint(2, 4)) + rng.sample(lxps, rng.randint(2, 3))
    rng.shuffle(present)
    chair = next(p for p in present if p.role == "staff")
    recorder = next(p for p in present if p.role == "staff" and p is not chair)
    present.remove(chair)
    present.insert(0, chair)
    others = [p for p in ROSTER if p not in present]
    rng.shuffle(others)
    apologies = others[: rng.randint(1, 2)] if m.v["apologies"] != "none" else []
    in_att = [others[3]] if m.v["in_attendance"] == "some" else []
    guests = [rng.choice(GUESTS)] if rng.random() < 0.3 else []
    return _People(present, chair, recorder, apologies, in_att, guests)


def _written(p: Person, rng: random.Random, role: str | None = None) -> str:
    """A name as an attendance list writes it, with a role in brackets at times."""
    name = p.name
    if p.title_alias and rng.random() < 0.5:
        name = "Dr " + p.name
    if role:
        return f"{name} ({role})"
    if rng.random() < 0.4:
        return f"{name} ({'LXP' if p.role == 'lxp' else p.job})"
    return name


def _reference(p: Person, rng: random.Random, form: str) -> str:
    """How the body of the minutes refers to someone: full, first, initials, title."""
    if form == "first":
        return p.first
    if form == "initials":
        return p.initials
    if form == "title" and p.title_alias:
        return p.title_alias
    return p.name


# ---------------------------------------------------------------- heading block


def _label(m: _Minutes, text: str) -> dict[str, Any]:
    """A section label alone on its line (never in the item-heading style)."""
    fmt = m.v["label_format"]
    if fmt == "bold" and m.v["heading_style"] == "bold" and m.v["numbering"] in ("none",):
        fmt = "colon"  # a bold unnumbered label would be an item heading
    if fmt == "colon" and not text.endswith(":"):
        text += ":"
    return {"text": text, "bold": fmt == "bold"}


def _heading_block(m: _Minutes, pattern: str, when: date, day: str) -> None:
    rng, v = m.rng, m.v
    title_style = {"word_heading": "Heading 1"}.get(v["heading_style"])
    title = rng.choice(("{p} minutes", "Minutes of the {p}", "{p}", "{p} – notes")).format(
        p=pattern
    )
    heading = v["heading"]
    if heading == "title_with_date":
        title = f"{title} – {day}"
    if v["heading_style"] == "capitals":
        title = title.upper()

    def title_block(text: str) -> dict[str, Any]:
        return {"text": text, "style": title_style, "bold": title_style is None}

    fmt = v["date_format"]
    next_day = format_date(when + timedelta(days=m.rng.choice((14, 21, 28, 35, 42))), fmt)
    next_line = rng.choice(("Date of next meeting: {d}", "Next meeting: {d}, 2pm – 4pm")).format(
        d=next_day
    )
    header = v["page_header"]
    if heading == "header_only" and header != "body_and_date":
        header = v["page_header"] = "body_and_date"
    if header == "body_and_date":
        m.spec.append({"header": f"{pattern} | {day}"})
    elif header == "footer_note":
        m.spec.append({"footer": "OFFICIAL – draft minutes for approval at the next meeting"})

    if heading == "org_body_held_on":
        m.spec.append(title_block("North Thames Mental Health Programme"))
        m.spec.append({"text": pattern, "bold": True})
        m.spec.append(f"Minutes of the meeting held on {day}")
    elif heading == "website_title":
        m.spec.append(
            rng.choice(
                (
                    "www.norththames.nhs.uk › Our work › Meetings and papers",
                    "North Thames Mental Health Programme | Home | Meetings",
                )
            )
        )
        m.spec.append(title_block(title))
        m.spec.append(f"Date: {day}")
    elif heading == "location_cell":
        m.spec.append(title_block(title))
        m.spec.append(
            {
                "table": [
                    ["Meeting Location, Date & Time", f"Microsoft Teams, {day}, 10:00 – 11:30"],
                    ["Chair", m_chair_placeholder],
                ]
            }
        )
    elif heading == "date_time_venue_table":
        m.spec.append(title_block(title))
        m.spec.append(
            {"table": [["Date", "Time", "Venue"], [day, "14:00 – 16:00", "Microsoft Teams"]]}
        )
    elif heading == "time_line":
        m.spec.append(title_block(title))
        m.spec.append(f"Time: 4:00PM, {day}")
        m.spec.append("Venue: Conference Room 2, Trust Headquarters")
    elif heading == "labelled_block":
        m.spec.append(title_block(rng.choice(("MINUTES", "Meeting Minutes", "Minutes"))))
        m.spec.append(f"Meeting: {pattern}")
        m.spec.append(f"Date: {day}")
        m.spec.append("Time: 14:00 – 16:00")
        m.spec.append("Location: Microsoft Teams")
    elif heading in ("header_only", "title_with_date"):
        m.spec.append(title_block(title))
    else:  # title_date_line
        m.spec.append(title_block(title))
        m.spec.append(
            rng.choice(("Date: {d}", "{d}", "Held on {d} via Microsoft Teams")).format(d=day)
        )
    if v["next_meeting"] == "header_block":
        m.spec.append(next_line)
    # Dates above the meeting's own, right under the title.
    after = 2 if heading in ("org_body_held_on", "website_title") else 1
    where = next(i for i, b in enumerate(m.spec) if not ("header" in b or "footer" in b))
    if v["other_dates"] == "papers_circulated":
        papers = format_date(when - timedelta(days=7), fmt)
        m.spec.insert(where + after, f"Papers circulated: {papers}")
    if v["next_meeting"] == "above_date":
        m.spec.insert(where + after, next_line)
    m.next_line = next_line


m_chair_placeholder = "\x00chair"  # replaced once the chair is known


def _attendance(m: _Minutes, people: _People) -> None:
    rng, v = m.rng, m.v
    for block in m.spec:
        if isinstance(block, dict) and "table" in block:
            for row in block["table"]:
                row[:] = [people.chair.name if c == m_chair_placeholder else c for c in row]
    style = v["attendance"]
    guests = [(name, org) for name, org in people.guests]
    present_written = [
        _written(p, rng, "Chair" if p is people.chair else None) for p in people.present
    ] + [f"{name} ({org})" for name, org in guests]
    if v["attendee_notes"] == "partial":
        i = rng.randrange(1, len(present_written))
        note = rng.choice(("(for item {n})", "(left at 11:15)", "(items {n}-{k} only)"))
        n = rng.randint(3, 4)
        present_written[i] += " " + note.format(n=n, k=n + 1)
    apologies = [_written(p, rng) for p in people.apologies]
    in_att = [_written(p, rng) for p in people.in_attendance]
    sep = rng.choice((", ", "; "))
    if style != "present_all":
        for p in people.present:
            m.attendee(p.name, "present")
        for name, _ in guests:
            m.attendee(name, "present")
        for p in people.in_attendance:
            m.attendee(p.name, "in-attendance")
    for p in people.apologies:
        m.attendee(p.name, "apologies")
    if v["heading"] == "location_cell":  # the Chair cell names an attendee
        m.attendee(people.chair.name, "present")

    if v["apologies"] == "sentence":
        apologies = []  # written as a sentence after the attendance block
    if style in ("present_line", "present_caps", "present_all", "labelled_line"):
        caps = style == "present_caps"
        lab = (lambda s: s.upper()) if caps else (lambda s: s)
        if style == "present_all":
            m.spec.append(rng.choice(("Present: all", "Present: All members", "present: all")))
        elif style == "labelled_line":
            label = rng.choice(("Attendees", "Members", "Those present"))
            m.spec.append(f"{label}: {sep.join(present_written)}")
        else:
            m.spec.append(f"{lab('Present')}: {sep.join(present_written)}")
        if in_att and style != "present_all":
            m.spec.append(f"{lab('In attendance')}: {sep.join(in_att)}")
        if apologies:
            m.spec.append(f"{lab('Apologies')}: {sep.join(apologies)}")
    elif style in ("attendees_bullets", "attendees_lines", "zero_attendance", "name_org_lines"):
        if style == "zero_attendance":
            zero = "0.0 " if m.v["numbering"] == "n.0" else "0. "
            m.spec.append(_item_heading_block(m, zero, "Attendance", ""))
        else:
            m.spec.append(_label(m, rng.choice(("Attendees", "Present", "Attendance"))))
        bullet = "List Bullet" if style == "attendees_bullets" else None
        if style == "name_org_lines":
            lines = [f"{p.name} ({p.initials}), {p.org}, {p.job}" for p in people.present] + [
                f"{name}, {org}" for name, org in guests
            ]
        else:
            lines = present_written
        for line in lines:
            m.spec.append({"text": line, "style": bullet})
        if in_att:
            m.spec.append(_label(m, "In attendance"))
            for line in in_att:
                m.spec.append({"text": line, "style": bullet})
        if apologies:
            m.spec.append(_label(m, "Apologies"))
            for line in apologies:
                m.spec.append({"text": line, "style": bullet})
    else:  # attendance_table
        rows = [["Name", "Role", "Attendance"]]
        for p in people.present:
            rows.append([p.name, "Chair" if p is people.chair else p.job, "Present"])
        for name, org in guests:
            rows.append([name, org, "Present"])
        for p in people.in_attendance:
            rows.append([p.name, p.job, "In attendance"])
        if v["apologies"] != "sentence":
            for p in people.apologies:
                rows.append([p.name, p.job, "Apologies"])
        m.spec.append({"table": rows})
    if v["apologies"] == "sentence" and people.apologies:
        names = [p.name for p in people.apologies]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        m.spec.append(f"Apologies were received from {listed}.")
    if v["meta_lines"] == "recorder_opened":
        m.spec.append(f"Recorder: {people.recorder.first}")
        m.spec.append(f"Meeting Opened: {rng.choice(('1002', '1318', '1403', '0931'))}")
        m.attendee(people.recorder.name, "present")
    elif v["meta_lines"] == "chair_minutes":
        m.spec.append(f"Chair: {people.chair.name}")
        m.spec.append(f"{rng.choice(('Minutes', 'Minute taker', 'Notes'))}: {people.recorder.name}")
        m.attendee(people.chair.name, "present")
        m.attendee(people.recorder.name, "in-attendance")


# ---------------------------------------------------------------- agenda items


def _number(m: _Minutes, n: int, when: date) -> tuple[str, str]:
    """(prefix written before the title, truth number) for item n."""
    style = m.v["numbering"]
    if style == "n.":
        return f"{n}. ", str(n)
    if style == "n.0":
        return f"{n}.0 ", f"{n}.0"
    if style == "item_dash":
        return f"Item {n} – ", str(n)
    if style == "minute_ref":
        ref = f"{when:%y}/{n:02d}"
        return f"{ref} ", ref
    if style == "word_auto":
        return "", str(n)
    return "", ""


def _item_heading_block(m: _Minutes, prefix: str, title: str, lead: str) -> dict[str, Any]:
    style = m.v["heading_style"]
    text = title.upper() if style == "capitals" else title
    block: dict[str, Any] = {"text": f"{prefix}{text}{lead}"}
    if style == "word_heading":
        block["style"] = "Heading 2"
    elif style == "bold":
        block["bold"] = True
    return block


def _lead(m: _Minutes, p: Person | None) -> str:
    if p is None:
        return ""
    style = m.v["lead_style"]
    if style == "dash_initials":
        return f" – {p.initials}"
    if style == "lead_label":
        return f" (Lead: {m.rng.choice((p.initials, p.name))})"
    if style == "bracket_first":
        return f" ({p.first})"
    return ""


def _agenda(m: _Minutes, people: _People, when: date) -> None:
    rng, v = m.rng, m.v
    numbered = v["numbering"] != "none"
    if v["content_layout"] == "minute_numbered" and v["numbering"] not in ("n.", "n.0"):
        v["content_layout"] = "paragraphs"
    if v["action_style"] == "sec_resp_table" and not numbered:
        v["action_style"] = "action_log"
    # The items: welcome, minutes of the last meeting, 2-4 topics, AOB.
    plan: list[tuple[str, str]] = [("welcome", "Welcome and apologies")]
    if rng.random() < 0.8 or v["previous_actions"] == "reviewed":
        plan.append(("minutes", "Minutes of the last meeting and matters arising"))
    else:
        v["previous_actions"] = "none"
    titles = rng.sample(ITEM_TITLES, rng.randint(2, 4))
    plan += [("topic", t) for t in titles]
    if v["feedback_table"] != "none":
        plan.insert(len(plan) - rng.randint(0, len(titles) - 1), ("feedback", "What we heard"))
    plan.append(("aob", "Any other business"))

    topics = [i for i, (kind, _) in enumerate(plan) if kind == "topic"]
    leads: dict[int, Person | None] = {}
    for i in topics:
        leads[i] = (
            rng.choice(people.present) if v["lead_style"] != "none" and rng.random() < 0.6 else None
        )
    heads = []
    keys = []
    for n, (_kind, title) in enumerate(plan, start=1):
        prefix, number = _number(m, n, when)
        lead = leads.get(n - 1)
        keys.append(m.item(number, title, lead.name if lead else None))
        heads.append((prefix, title, _lead(m, lead), number))

    if v["agenda_table"] == "no_item_lead":
        rows = [["No.", "Item", "Lead"] if numbered else ["Item", "Lead"]]
        for (_, title, _, number), i in zip(heads, range(len(plan)), strict=True):
            lead = leads.get(i)
            rows.append([number] * numbered + [title, lead.initials if lead else ""])
        m.spec.append(_label(m, "Agenda"))
        m.spec.append({"table": rows})

    # Actions are placed where their style puts them; end tables are collected.
    action_slots = rng.sample(topics, min(len(topics), rng.randint(1, 3)))
    decision_slots = set(rng.sample(topics, min(len(topics), rng.randint(1, 2))))
    ends: list[tuple[str, str, str, list[Person | str], date | None]] = []
    ctx = _Ctx(m, people, when)
    for i, ((prefix, title, lead, number), (kind, _)) in enumerate(zip(heads, plan, strict=True)):
        block = _item_heading_block(m, prefix, title, lead)
        if v["numbering"] == "word_auto":
            block["numbered"] = "decimal"
        m.spec.append(block)
        key = keys[i]
        ctx.number = number
        if kind == "welcome":
            _welcome(ctx, key)
        elif kind == "minutes":
            _previous(ctx, key)
        elif kind == "aob":
            _aob(ctx, key)
        elif kind == "feedback":
            _feedback_table(ctx, key)
        else:
            _topic(ctx, key, leads.get(i))
            if i in decision_slots:
                _decisions(ctx, key)
            if i in action_slots:
                ends += _actions(ctx, key)
    if ends:
        _end_action_table(ctx, ends)


@dataclass
class _Ctx:
    m: _Minutes
    people: _People
    when: date
    number: str = ""
    minute: int = 0
    asked: bool = False

    @property
    def rng(self) -> random.Random:
        return self.m.rng

    @property
    def v(self) -> dict[str, str]:
        return self.m.v

    def para(self, text: str, bold_prefix: str = "") -> None:
        """One unit paragraph in the document's content layout."""
        layout = self.v["content_layout"]
        block: dict[str, Any] = {"text": text}
        if bold_prefix:
            block["bold_prefix"] = bold_prefix
        if layout == "bullets":
            block["style"] = "List Bullet"
        elif layout == "minute_numbered":
            self.minute += 1
            base = self.number[:-2] if self.number.endswith(".0") else self.number
            block["text"] = f"{base}.{self.minute} {bold_prefix}{text}"
            block.pop("bold_prefix", None)
        if self.v["revisions"] == "tracked":
            words = block["text"].split(" ")
            if len(words) > 6 and self.rng.random() < 0.5:  # the last words were inserted
                cut = len(words) - self.rng.randint(2, 4)
                block["text"] = " ".join(words[:cut])
                block["insert"] = " " + " ".join(words[cut:])
            if self.rng.random() < 0.3:  # and a deleted remark Word hides
                block["delete"] = self.rng.choice(
                    (" (wording to be checked with the Chair)", " Not for circulation.")
                )
        self.m.spec.append(block)

    def bullet(self, text: str) -> None:
        self.m.spec.append({"text": text, "style": "List Bullet"})


def _welcome(ctx: _Ctx, key: str) -> None:
    ctx.minute = 0
    text = ctx.rng.choice(
        (
            "The Chair welcomed everyone to the meeting and introductions were made.",
            "The Chair opened the meeting and thanked members for joining online.",
        )
    )
    ctx.para(text)
    ctx.m.said(key, text, None)


def _previous(ctx: _Ctx, key: str) -> None:
    ctx.minute = 0
    m, rng = ctx.m, ctx.rng
    prev = format_date(ctx.when - timedelta(days=28), ctx.v["date_format"])
    text = rng.choice(
        (
            "The minutes of the meeting held on {d} were approved as an accurate record.",
            "The minutes of the last meeting ({d}) were agreed as a true record.",
        )
    ).format(d=prev)
    ctx.para(text)
    m.decided(key, text)
    if ctx.v["previous_actions"] == "reviewed":
        m.spec.append(
            rng.choice(
                ("Actions from the previous meeting:", "Review of actions from {d}:")
            ).format(d=prev)
        )
        for _ in range(rng.randint(1, 3)):
            owner = rng.choice(ROSTER)
            task = m.template(tuple(a for a, _ in TASKS), "task").format(t=m.topic())
            status = rng.choice(("complete", "closed", "carried forward", "in progress"))
            text = f"{owner.initials} to {task} – {status}"
            ctx.para(text)
            m.said(key, text, None)


def _aob(ctx: _Ctx, key: str) -> None:
    ctx.minute = 0
    boilerplate = {"none": "None.", "no_other_business": "No other business."}
    if ctx.v["aob"] in boilerplate or ctx.v["aob"] == "there_was_none":
        ctx.m.spec.append(boilerplate.get(ctx.v["aob"], "There was none."))
    else:
        text = "The Chair thanked everyone for their contributions and closed the meeting."
        ctx.para(text)
        ctx.m.said(key, text, None)


def _speaker_pool(ctx: _Ctx, catch_up_bias: bool) -> Person:
    present = ctx.people.present
    lxps = [p for p in present if p.role == "lxp"]
    if lxps and (catch_up_bias or ctx.rng.random() < 0.5):
        return ctx.rng.choice(lxps)
    return ctx.rng.choice(present)


def _statement(ctx: _Ctx, p: Person | None) -> str:
    pool = LXP_SAYS if p is None or p.role == "lxp" else STAFF_SAYS
    return ctx.m.template(pool, "lxp" if pool is LXP_SAYS else "staff").format(t=ctx.m.topic())


def _contribution(ctx: _Ctx, key: str, p: Person | None) -> None:
    """One statement by p (None: unattributed) in the document's speaker notation."""
    m, rng, style = ctx.m, ctx.rng, ctx.v["speaker_style"]
    text = _statement(ctx, p)
    if style == "unattributed" or p is None:
        form = rng.choice(("It was noted that {s}.", "Members noted that {s}.", "{S}."))
        written = form.format(s=text, S=_cap(text))
        ctx.para(written)
        m.said(key, written, None)
        return
    if style == "colon_name":
        ref = _reference(p, rng, rng.choice(("first", "full")))
        if rng.random() < 0.5:
            ctx.para(f" {_cap(text)}.", bold_prefix=f"{ref}:")
        else:
            ctx.para(f"{ref}: {_cap(text)}.")
    elif style == "said_that":
        ref = _reference(p, rng, rng.choice(("first", "full", "title")))
        verb = rng.choice(("said", "reported", "noted", "explained", "commented"))
        ctx.para(f"{ref} {verb} that {text}.")
    elif style == "initials_reported":
        verb = rng.choice(("reported", "said", "noted", "highlighted"))
        ctx.para(f"{p.initials} {verb} that {text}.")
    else:  # trailing_bracket
        ref = _reference(p, rng, rng.choice(("first", "initials")))
        ctx.para(f"{_cap(text)} ({ref})")
    m.said(key, _cap(text) if style in ("colon_name", "trailing_bracket") else text, p.name)
    if ctx.v["follow_on"] == "pronoun" and rng.random() < 0.5:
        more = _statement(ctx, p)
        verb = rng.choice(("added", "also said", "went on to say"))
        ctx.para(f"{p.pronoun} {verb} that {more}.")
        m.said(key, more, p.name)


def _topic(ctx: _Ctx, key: str, lead: Person | None) -> None:
    ctx.minute = 0
    m, rng, v = ctx.m, ctx.rng, ctx.v
    catch_up = m.body.kind == "catch-up"
    for _ in range(rng.randint(2, 3)):
        who = None if rng.random() < 0.2 else _speaker_pool(ctx, catch_up)
        _contribution(ctx, key, who)
    group = v["lxp_group"]
    if group == "one_lxp":
        text = _statement(ctx, None)
        ctx.para(f"{rng.choice(('One LXP', 'Another LXP'))} said that {text}.")
        m.said(key, text, "group:lxp")
    elif group == "staff_reported":
        text = m.template(STAFF_SAYS, "staff").format(t=m.topic())
        ctx.para(f"The programme team reported that {text}.")
        m.said(key, text, "group:staff")
    elif group == "suggested_list":
        m.spec.append(
            rng.choice(
                (
                    "LXPs suggested the following should be considered:",
                    "LXPs raised the following points:",
                )
            )
        )
        for _ in range(rng.randint(2, 3)):
            text = _cap(_statement(ctx, None))
            ctx.bullet(text)
            m.said(key, text, "group:lxp")
    if v["questions"] == "q_and_a" and not ctx.asked:
        ctx.asked = True
        _questions(ctx, key)
    if v["noted_lines"] == "board_noted":
        who = "The Board" if "Board" in m.body.name else rng.choice(("The group", "Members"))
        text = f"{who} NOTED the update on {m.topic()}."
        ctx.para(text)
        m.said(key, text, None)


QUESTIONS = (
    "How will {t} be promoted to younger people?",
    "When will the review of {t} be published?",
    "Who should carers contact about {t}?",
    "Is there a waiting list for {t} at the moment?",
)


def _questions(ctx: _Ctx, key: str) -> None:
    """A question and its answer, once per document: 'Q:'/'A:' or 'Question from X:'."""
    m, rng = ctx.m, ctx.rng
    topic = m.topic()
    question = rng.choice(QUESTIONS).format(t=topic)
    asker = _speaker_pool(ctx, True)
    if asker.role == "lxp" and rng.random() < 0.5:
        ctx.para(f"Question from {asker.first}: {question}")
        m.said(key, question, asker.name)
    else:
        ctx.para(f"Q: {question}")
        m.said(key, question, None)
    staff = [p for p in ctx.people.present if p.role == "staff"]
    answerer = rng.choice(staff)
    answer = m.template(STAFF_SAYS, "staff").format(t=topic)
    ctx.para(f"A: {answerer.initials} explained that {answer}.")
    m.said(key, answer, answerer.name)


def _feedback_table(ctx: _Ctx, key: str) -> None:
    """'Topic | What people told us': each line of the second column is a unit;
    'Name | Comment': the first cell says who made the comment in the second."""
    ctx.minute = 0
    m, rng = ctx.m, ctx.rng
    if ctx.v["feedback_table"] == "who_said_table":
        rows = [[rng.choice(("Name", "Who")), rng.choice(("Comment", "What was said"))]]
        for _ in range(rng.randint(2, 4)):
            p = _speaker_pool(ctx, True)
            text = _cap(_statement(ctx, p))
            rows.append([_reference(p, rng, rng.choice(("first", "full"))), text])
            m.said(key, text, p.name)
        m.spec.append({"table": rows})
        return
    rows = [[rng.choice(("Topic", "Theme")), "What people told us"]]
    for _ in range(rng.randint(2, 3)):
        lines = []
        topic_title = _cap(m.topic().removeprefix("the "))
        for _ in range(rng.randint(1, 2)):
            p = _speaker_pool(ctx, True) if rng.random() < 0.6 else None
            text = _cap(_statement(ctx, p if p and p.role == "lxp" else None))
            if p and p.role == "lxp":
                lines.append(f"{text} ({p.first})")
                m.said(key, text, p.name)
            else:
                lines.append(text)
                m.said(key, text, None)
        rows.append([topic_title, "\n".join(lines)])
    m.spec.append({"table": rows})


# ---------------------------------------------------------------- decisions


def _decision_text(ctx: _Ctx) -> tuple[str, str, str]:
    verb, done, obj = ctx.m.template(DECIDE, "decide")  # type: ignore[misc]
    return verb, done, obj.format(t=ctx.m.topic())


def _decisions(ctx: _Ctx, key: str) -> None:
    m, rng, style = ctx.m, ctx.rng, ctx.v["decision_style"]
    governing = "The Board" if "Board" in m.body.name else rng.choice(("The group", "Members"))
    n = rng.randint(1, 2) if style in ("decisions_label", "colon_list") else 1
    texts = []
    for _ in range(n):
        verb, done, obj = _decision_text(ctx)
        if style == "agreed_label":
            clause = f"{_cap(obj)} will be {done}"
            ctx.para(f"{rng.choice(('Agreed', 'AGREED', 'Decision'))}: {clause}.")
            texts.append(clause)
        elif style == "passed_unanimously":
            text = f"The proposal to {verb} {obj} was passed unanimously."
            ctx.para(text)
            texts.append(text)
        elif style == "moved_seconded":
            a, b = rng.sample(ctx.people.present, 2)
            text = (
                f"It was moved by {a.name}, seconded by {b.name} and carried that {obj} be {done}."
            )
            ctx.para(text)
            texts.append(text)
        elif style == "nem_con":
            text = f"The recommendation to {verb} {obj} was carried nem con."
            ctx.para(text)
            texts.append(text)
        elif style == "it_was_decided":
            text = f"It was decided that {obj} would be {done}."
            ctx.para(text)
            texts.append(text)
        elif style == "decision_was_made":
            text = f"The decision was made to {verb} {obj}."
            ctx.para(text)
            texts.append(text)
        elif style == "ratified":
            text = f"{governing} ratified the proposal to {verb} {obj}."
            ctx.para(text)
            texts.append(text)
        elif style == "resolved":
            clause = f"that {obj} be {done}"
            ctx.para(f"RESOLVED: {clause}.")
            texts.append(clause)
        elif style == "decision_table":
            texts.append(f"{_cap(obj)} to be {done}")
        else:
            texts.append(f"{_cap(obj)} will be {done}")
    if style == "decisions_label":
        m.spec.append(_label(m, "Decisions"))
        for text in texts:
            ctx.bullet(f"{text}.")
    elif style == "decision_table":
        agreed_by = rng.choice(("Agreed by", "Decided by"))
        rows = [["Decision", agreed_by]] + [[t, governing] for t in texts]
        m.spec.append({"table": rows})
    elif style == "colon_list":
        m.spec.append(
            rng.choice(
                (
                    "Following discussion, members agreed the following:",
                    f"{governing} agreed that:",
                    "It was agreed that:",
                )
            )
        )
        for text in texts:
            ctx.bullet(f"{text}.")
    for text in texts:
        m.decided(key, text)


# ---------------------------------------------------------------- actions


def _owners(ctx: _Ctx, allow_two: bool) -> list[Person | str]:
    rng = ctx.rng
    if rng.random() < 0.12:
        return ["all"]
    staff = [p for p in ctx.people.present if p.role == "staff"]
    pool = staff if rng.random() < 0.75 else ctx.people.present
    if allow_two and len(pool) > 1 and rng.random() < 0.2:
        return list(rng.sample(pool, 2))
    return [rng.choice(pool)]


def _owner_truth(owners: list[Person | str]) -> list[str]:
    return ["group:all" if o == "all" else o.name for o in owners]  # type: ignore[union-attr]


def _due(ctx: _Ctx) -> tuple[date | None, str]:
    """A due date (or None) and how the sentence writes it (' by ...')."""
    if ctx.v["due_dates"] == "none" or ctx.rng.random() < 0.3:
        return None, ""
    due = ctx.when + timedelta(days=ctx.rng.randint(7, 60))
    year = due.year != ctx.when.year or ctx.rng.random() < 0.6
    fmt = ctx.v["date_format"]
    if not year and fmt in ("dd/mm/yyyy", "iso", "dotted", "dd/mm/yy"):
        fmt = "d_month_y"
    return due, format_date(due, fmt, year=year)


def _actions(ctx: _Ctx, key: str) -> list[tuple[str, str, str, list[Person | str], date | None]]:
    """Write 1-2 actions of this item; return those an end table must hold."""
    m, rng, style = ctx.m, ctx.rng, ctx.v["action_style"]
    n = rng.randint(1, 2)
    rows: list[tuple[str, str, str, list[Person | str], date | None]] = []
    label_done = False
    table: list[list[str]] = []
    for _ in range(n):
        active, passive = m.template(TASKS, "tasks")  # type: ignore[misc]
        topic = m.topic()
        active, passive = active.format(t=topic), passive.format(t=topic)
        due, due_w = _due(ctx)
        by = f" by {due_w}" if due_w else ""
        owners = _owners(ctx, allow_two=style in ("action_colon_initials", "action_table"))
        truth_owners = _owner_truth(owners)

        def init(o: Person | str) -> str:
            return "ALL" if o == "all" else o.initials  # type: ignore[union-attr]

        def first(o: Person | str) -> str:
            return "All" if o == "all" else o.first  # type: ignore[union-attr]

        if style == "action_colon_initials":
            who = " and ".join(init(o) for o in owners)
            text = f"{who} to {active}{by}"
            ctx.para(f"{rng.choice(('ACTION', 'Action'))}: {text}.")
        elif style == "action_colon_name":
            text = f"{_cap(active)}{by}"
            ctx.para(f"ACTION: {first(owners[0])}: {text}.")
        elif style == "bracket_initials":
            text = f"{_cap(active)}{by}"
            ctx.para(f"[{init(owners[0])}] {text}")
        elif style in ("action_items_label", "next_steps_label"):
            if not label_done:
                m.spec.append(
                    _label(m, "Action Items:" if style == "action_items_label" else "Next Steps")
                )
                label_done = True
            if style == "action_items_label":
                text = f"{_cap(active)}{by}"
                ctx.bullet(f"{first(owners[0])}: {text}")
            else:
                text = f"{first(owners[0])} to {active}{by}"
                ctx.bullet(text)
        elif style == "by_name":
            o = owners[0]
            who = "all members" if o == "all" else o.name  # type: ignore[union-attr]
            text = f"{_cap(passive)} by {who}" + (f", due {due_w}" if due_w else "")
            ctx.para(f"Action: {text}.")
        elif style in ("action_table", "task_table"):
            who = " / ".join(init(o) if rng.random() < 0.5 else _full(o) for o in owners)
            when_w = format_date(due, ctx.v["date_format"]) if due else rng.choice(("TBC", ""))
            text = _cap(active)
            table.append([text, who, when_w])
        else:  # end tables
            text = _cap(active) + by if style == "sec_resp_table" else _cap(active)
            rows.append((key, ctx.number, text, owners, due))
        m.action(key, text, truth_owners, due)
    if table:
        head = (
            ["Action", "Owner", "Due"]
            if style == "action_table"
            else ["Task", "Who is responsible", "Deadline"]
        )
        m.spec.append({"table": [head, *table]})
    return rows


def _full(o: Person | str) -> str:
    return "All members" if o == "all" else o.name  # type: ignore[union-attr]


def _end_action_table(
    ctx: _Ctx, rows: list[tuple[str, str, str, list[Person | str], date | None]]
) -> None:
    """An action log or 'No. | Sec. | Detail | Resp.' table after the last item."""
    m, rng, style = ctx.m, ctx.rng, ctx.v["action_style"]
    m.spec.append(_label(m, rng.choice(("Action log", "Summary of actions", "Actions"))))
    if style == "sec_resp_table":
        table = [["No.", "Sec.", "Detail", "Resp."]]
        for n, (_key, number, text, owners, _due) in enumerate(rows, start=1):
            resp = ", ".join("ALL" if o == "all" else o.initials for o in owners)  # type: ignore[union-attr]
            table.append([str(n), number, text, resp])
    else:
        table = [["Ref", "Action", "Owner", "Due", "Status"]]
        counts: dict[str, int] = {}
        for _key, number, text, owners, due in rows:
            counts[number] = counts.get(number, 0) + 1
            ref = f"{number.removesuffix('.0')}.{counts[number]}" if number else str(len(table))
            owner = " / ".join(_full(o) if rng.random() < 0.5 else _init(o) for o in owners)
            due_w = format_date(due, ctx.v["date_format"]) if due else "TBC"
            table.append([ref, text, owner, due_w, rng.choice(("Open", "New"))])
    m.spec.append({"table": table})


def _init(o: Person | str) -> str:
    return "ALL" if o == "all" else o.initials  # type: ignore[union-attr]


def _closing(m: _Minutes, when: date) -> None:
    if m.v["next_meeting"] == "end":
        m.spec.append(m.next_line)
    if m.v["meta_lines"] == "recorder_opened":
        m.spec.append(f"Meeting Closed: {m.rng.choice(('1130', '1502', '1559'))}")


# ---------------------------------------------------------------- corpus on disk


def write_corpus(
    folder: Path | str, n: int = 300, seed: int = 0, overrides: dict[str, str] | None = None
) -> list[GeneratedMinutes]:
    """Write n generated meetings (seeds seed..seed+n-1) in the evaluator layout.

    overrides fixes variations in every file (BASELINE gives a corpus in the
    dev corpus's styles, which `tracker import` takes whole).
    """
    folder = Path(folder)
    (folder / "minutes").mkdir(parents=True, exist_ok=True)
    with (folder / "roster.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["name", "aliases", "role", "email"])
        for p in ROSTER:
            aliases = [p.initials, p.first] + ([p.title_alias] if p.title_alias else [])
            email = p.name.lower().replace(" ", ".") + "@example.org"
            out.writerow([p.name, ";".join(aliases), p.role, email])
    with (folder / "bodies.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["name", "kind", "workstream", "patterns"])
        for b in BODIES:
            out.writerow([b.name, b.kind, b.workstream, ";".join(b.patterns)])
    made = [generate(s, overrides) for s in range(seed, seed + n)]
    for g in made:
        (folder / g.filename).write_bytes(g.data)
    truth = {
        "corpus": f"generated-{seed}-{n}",
        "meetings": [g.truth for g in made],
        "links": [],
        "outcomes": {},
    }
    (folder / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    return made
