"""The project's own demo programme: Word minutes written by this code.

Modelled on the real case in DESIGN.md: an LXP catch-up on 9 March 2021
raised five points; the Clinical Reference Group nine days later recorded none
of them and did not say who gave the update.  Around it sit meetings where
LXP input was taken up, credited or not, so every outcome shows.  All people
are invented; addresses use example.org.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.shared import Pt

from tracker.config import Settings
from tracker.domain.vocab import PersonRole

ROSTER = """name,aliases,role,email
Jade Morgan,JM;Jade,lxp,jade.morgan@example.org
Kofi Mensah,KM;Kofi,lxp,kofi.mensah@example.org
Ruth Ellison,RE;Ruth,lxp,ruth.ellison@example.org
Sam Oduya,SO;Sam,lxp,sam.oduya@example.org
Helen Price,HP;Helen,staff,helen.price@example.org
Arun Patel,AP;Arun;Dr Patel,staff,arun.patel@example.org
Tom Riley,TR;Tom,staff,tom.riley@example.org
Grace Bell,GB;Grace,staff,grace.bell@example.org
"""

BODIES = """name,kind,workstream,patterns
PD LXP catch-up,catch-up,PD,PD LXP catch-up;PD LXP catch up;PD LXP joint catch-up
PD Clinical Reference Group,governance,PD,PD Clinical Reference Group;PD CRG
PD Workforce Task and Finish Group,working,PD,PD Workforce Task and Finish Group;PD Workforce T&F
ED LXP catch-up,catch-up,Eating Disorders,ED LXP catch-up;ED LXP catch up
ED Steering Group,governance,Eating Disorders,ED Steering Group
"""


@dataclass(frozen=True)
class DemoInfo:
    """Where the demo lives and who is in it."""

    folder: Path
    database_url: str
    minutes: tuple[Path, ...]
    lxp_names: tuple[str, ...]
    staff_names: tuple[str, ...]
    summary: tuple[str, ...] = ()  # what was found, one line per file, then matching


def _doc(title: str) -> Document:
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(title, level=1)
    return document


def _bullets(document: Document, lines: Iterable[str]) -> None:
    for line in lines:
        document.add_paragraph(line, style="List Bullet")


def _table(document: Document, rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value


def pd_catch_up_january(path: Path) -> None:
    document = _doc("PD LXP catch-up notes")
    document.add_paragraph("Tuesday 12th January 2021, 2pm, online")
    document.add_paragraph(
        "Present: Jade Morgan (LXP), Kofi Mensah (LXP), Ruth Ellison (LXP), Tom Riley (notes)"
    )
    document.add_paragraph("Apologies: Sam Oduya (LXP)")
    document.add_heading("1. Welcome and introductions (Tom)", level=2)
    _bullets(document, ["Tom welcomed everyone and explained how notes will be shared."])
    document.add_heading("2. Crisis support", level=2)
    _bullets(
        document,
        [
            "Staff in A&E should have training on how to talk to people with a "
            "personality disorder diagnosis in crisis (Jade)",
            "People wait too long for a call back from the crisis line at night (Kofi)",
        ],
    )
    document.add_heading("3. Involvement", level=2)
    _bullets(
        document,
        [
            "LXPs should be paid on time; some payments took eight weeks (Ruth)",
        ],
    )
    document.save(path)


def pd_crg_february(path: Path) -> None:
    document = _doc("PD Clinical Reference Group minutes")
    _table(
        document,
        [
            ("Date", "4 February 2021"),
            ("Time", "10:00 - 12:00"),
            ("Venue", "Microsoft Teams"),
        ],
    )
    document.add_paragraph(
        "Members: Dr Arun Patel (Chair), Helen Price, Grace Bell, Jade Morgan (LXP)"
    )
    document.add_paragraph("Apologies: Tom Riley")
    _table(
        document,
        [
            ("No", "Item", "Discussion", "Action / Responsibility"),
            ("1", "Welcome and apologies", "The chair welcomed members.", ""),
            (
                "2",
                "Workforce development - Jade Morgan (LXP)",
                "Following feedback from the LXP catch-up, Jade described why "
                "emergency department staff need training in responding to "
                "people with personality disorder in crisis.\n"
                "Agreed: a training module for emergency department staff will be "
                "co-designed with LXPs.",
                "Grace Bell to scope the emergency department training module by 31 March 2021",
            ),
            (
                "3",
                "Crisis line performance",
                "The crisis line reported that overnight call-back times are over target.\n"
                "Members noted the update.",
                "",
            ),
        ],
    )
    document.save(path)


def pd_catch_up_march(path: Path) -> None:
    document = _doc("PD LXP joint catch-up")
    document.add_paragraph("Tuesday 9th March 2021")
    document.add_paragraph(
        "Present: Jade Morgan (LXP), Kofi Mensah (LXP), Ruth Ellison (LXP), "
        "Sam Oduya (LXP), Tom Riley (Programme Manager)"
    )
    document.add_heading("1. Update from the programme (Tom)", level=2)
    _bullets(document, ["Tom gave an update on the programme plan for 2021/22."])
    document.add_heading("2. Life after diagnosis", level=2)
    document.add_paragraph("LXPs suggested the following should be considered:")
    _bullets(
        document,
        [
            "A menu of support that people can choose from after they receive a diagnosis",
            "Peer support groups that meet in the evening, for people who work in the day",
            "Reception staff at GP surgeries need to understand how stigma "
            "stops people asking for help",
            "Letters explaining the diagnosis should be written in plain "
            "language with people who have lived experience",
            "People from Black and minority ethnic communities are under-represented "
            "among those offered specialist support",
        ],
    )
    document.save(path)


def pd_crg_march(path: Path) -> None:
    document = _doc("PD Clinical Reference Group minutes")
    _table(
        document,
        [
            ("Date", "18 March 2021"),
            ("Time", "10:00 - 12:00"),
            ("Venue", "Microsoft Teams"),
        ],
    )
    document.add_paragraph("Members: Dr Arun Patel (Chair), Helen Price, Grace Bell, Tom Riley")
    _table(
        document,
        [
            ("No", "Item", "Discussion", "Action / Responsibility"),
            ("1", "Welcome and apologies", "The chair welcomed members. No apologies.", ""),
            (
                "2",
                "Minutes of the last meeting",
                "The minutes of the meeting on 4 February 2021 were agreed.",
                "",
            ),
            (
                "3",
                "Data and performance",
                "Waiting times for the community team have improved since January.\n"
                "Recording of ethnicity in the data set is incomplete in two boroughs.",
                "",
            ),
            (
                "4",
                "Task and Finish group updates",
                "The workforce group has met twice.\n"
                "A feedback session was held with LXPs.\n"
                "The budget for 2021/22 has been confirmed.",
                "",
            ),
            (
                "5",
                "Any other business",
                "None.",
                "All members to send comments on the draft strategy by 1 April 2021",
            ),
        ],
    )
    document.save(path)


def pd_workforce_april(path: Path) -> None:
    document = _doc("PD Workforce Task and Finish Group notes")
    document.add_paragraph("Thursday 15 April 2021")
    document.add_paragraph("Present: Grace Bell (Chair), Jade Morgan (LXP), Helen Price")
    document.add_heading("1. Emergency department training", level=2)
    document.add_paragraph(
        "Grace reported that the training module for emergency department staff on "
        "personality disorder in crisis has a first draft."
    )
    document.add_paragraph(
        "Jade: the module should include a session led by people with lived experience."
    )
    document.add_paragraph("ACTION: Helen to book LXP trainers for the pilot by 30 April 2021")
    document.save(path)


def ed_catch_up_february(path: Path) -> None:
    document = _doc("ED LXP catch-up notes")
    document.add_paragraph("2nd February 2021")
    document.add_paragraph("Present: Ruth Ellison (LXP), Sam Oduya (LXP), Helen Price (notes)")
    document.add_heading("1. Moving between services", level=2)
    _bullets(
        document,
        [
            "Young people moving from children's to adult eating disorder services "
            "lose their therapist overnight (Sam)",
            "One LXP said families should be told who to contact while people wait for treatment.",
        ],
    )
    document.save(path)


def ed_steering_march(path: Path) -> None:
    document = _doc("ED Steering Group minutes")
    document.add_paragraph("Tuesday 2 March 2021")
    document.add_paragraph(
        "Present: Helen Price (Chair), Dr Arun Patel, Grace Bell, Sam Oduya (LXP)"
    )
    document.add_heading("1. Transitions between services - Sam Oduya (LXP)", level=2)
    document.add_paragraph(
        "SO explained that young people moving from children's to adult eating "
        "disorder services lose their therapist at the point of transfer."
    )
    document.add_paragraph(
        "Agreed: the therapist will stay with the young person for three months "
        "after moving to adult eating disorder services."
    )
    document.add_heading("2. Waiting list support", level=2)
    document.add_paragraph(
        "AP reported that a contact point for families of people waiting for "
        "treatment will be named on every waiting list letter."
    )
    document.add_paragraph("ACTION: AP to update the waiting list letter by 31 March 2021")
    document.save(path)


def ed_catch_up_april(path: Path) -> None:
    document = _doc("ED LXP catch-up notes")
    document.add_paragraph("13 April 2021")
    document.add_paragraph("Present: Ruth Ellison (LXP), Sam Oduya (LXP), Helen Price (notes)")
    document.add_heading("1. Food and mealtimes", level=2)
    _bullets(
        document,
        [
            "Ruth: wards should offer quiet spaces to eat for people who find shared "
            "mealtimes distressing.",
        ],
    )
    document.save(path)


MEETINGS = (
    ("2021-01-12 PD LXP catch-up notes.docx", pd_catch_up_january),
    ("2021-02-04 PD CRG minutes.docx", pd_crg_february),
    ("2021-02-02 ED LXP catch-up.docx", ed_catch_up_february),
    ("2021-03-02 ED Steering Group minutes.docx", ed_steering_march),
    ("PD LXP joint catch-up 09.03.21.docx", pd_catch_up_march),
    ("PD CRG minutes 18.03.21.docx", pd_crg_march),
    ("2021-04-13 ED LXP catch-up.docx", ed_catch_up_april),
    ("2021-04-15 PD Workforce TFG notes.docx", pd_workforce_april),
)

# The real case, for tests: five points raised on 9 March, none traced after.
REAL_CASE_CATCH_UP = date(2021, 3, 9)
REAL_CASE_CRG = date(2021, 3, 18)


def write_demo_files(folder: Path) -> list[Path]:
    """Write the demo roster, bodies and Word minutes into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (folder / "bodies.csv").write_text(BODIES, encoding="utf-8")
    minutes = folder / "minutes"
    minutes.mkdir(exist_ok=True)
    paths = []
    for name, build in MEETINGS:
        path = minutes / name
        build(path)
        paths.append(path)
    return paths


def load_demo(
    database_url: str, folder: Path, settings: Settings, report: list[str] | None = None
) -> list[Path]:
    """Migrate, then import the demo roster, bodies and minutes, and match.

    One line per file and one for matching are appended to ``report``.
    """
    report = [] if report is None else report
    from tracker.db import make_engine, session_scope, upgrade_schema
    from tracker.services.ingest import import_document
    from tracker.services.linking import run_matching
    from tracker.services.people import import_bodies, import_people

    paths = write_demo_files(folder)
    upgrade_schema(database_url)
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        import_people(session=session, text=ROSTER, actor="demo")
        import_bodies(session=session, text=BODIES, actor="demo")
    for path in paths:
        with session_scope(engine) as session:
            result = import_document(
                session=session, data=path.read_bytes(), filename=path.name, actor="demo"
            )
        report.append(result.summary())
    with session_scope(engine) as session:
        report.append(run_matching(session=session, settings=settings, actor="demo").summary())
    engine.dispose()
    return paths


def prepare_demo(settings: Settings) -> DemoInfo:
    """Build a fresh embedded demo database under instance/demo/."""
    folder = Path(settings.instance_dir) / "demo"
    if folder.exists():
        shutil.rmtree(folder)
    url = f"sqlite:///{folder.resolve() / 'demo.sqlite'}"
    report: list[str] = []
    paths = load_demo(url, folder, settings, report)
    lxps, staff = [], []
    for line in ROSTER.splitlines()[1:]:
        name, _, role, _ = line.split(",")
        (lxps if role == PersonRole.LXP else staff).append(name)
    return DemoInfo(folder, url, tuple(paths), tuple(lxps), tuple(staff), tuple(report))
