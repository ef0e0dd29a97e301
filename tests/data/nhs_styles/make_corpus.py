#!/usr/bin/env python3
# ruff: noqa: E501, E743  (a data file: long sentences, and C/X/D/R/I/A record constructors)
"""Build the "nhs_styles" corpus: a held-out measuring stick in five NHS house styles.

One fictional programme, the Calder and Wealdmoor Mental Health Collaborative
(September 2021 to March 2022), with three workstreams: perinatal mental
health, community mental health transformation, and children and young
people's (CYP) eating disorders.  Each workstream has a lived-experience
catch-up, a governance body and a task and finish group.  The minutes are
written in five house styles that the dev corpus does not use:

1. trust board: organisation name first, committee name second, minute
   references (PMH/21/034), "The Committee NOTED", "RESOLVED:", a closing
   action log that also carries actions over from earlier meetings;
2. ICS partnership notes: Word heading styles, "Attendees" bullets
   "Name (Role), Organisation", "Name said that ...", trailing initials,
   "Action:" and "Decision:" lines;
3. task and finish group notes: one table "Item | Discussion | Action |
   Owner | By when", one statement per line, owners as initials;
4. lived-experience forum notes: informal, a "What people told us" table,
   "You said ... We did ..." lines, "Experts by experience raised:" bullets,
   "Name: ..." lines, the next meeting's date at the end;
5. steering group label lines: "Meeting:", "Date:", "Chair:", "Minute
   taker:", "Attendees:" one per line, "Discussion Summary:", "Decisions:",
   "Action Items:" ("[GR] do X by 30/11/21", "Name: task"), "Next Steps:".

The documents and truth.json are written from the same model below, so they
cannot disagree.  Nothing is random: running the script again rewrites
byte-identical files (zip timestamps and document properties are fixed).

    python make_corpus.py            # writes next to this script, then verifies
    python make_corpus.py OUTDIR     # writes somewhere else (the test does this)

Written independently of ../shared/corpus/dev: other people, places,
topics, layouts and phrasing.  Needs python-docx.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

CORPUS = "nhs_styles"
LXP, STAFF, ALL = "group:lxp", "group:staff", "group:all"

# ---------------------------------------------------------------- people
RD, BP, SM = "Rosa Delgado", "Bethan Pryce", "Shazia Mahmood"
KD, LB, TH = "Kieran Doyle", "Lorraine Beckett", "Tariq Hussain"
IH, DF, CR = "Imogen Hale", "Deborah Finch", "Callum Reid"
HM, JA, CW = "Helen Marsh", "Jonathan Adeyemi", "Claire Whitmore"
AM, ST, MB = "Anjali Menon", "Sarah Tolland", "Mark Brennan"
NE, RL, FG = "Nkechi Eze", "Robert Lyle", "Fiona Gault"
PS, GR, OP = "Priti Shah", "Gemma Rowe", "Owen Pritchard"
LF, SA = "Lucy Ferreira", "Simon Achebe"

# name, aliases, role, email
PEOPLE = [
    (RD, "RD;Rosa", "lxp", "rosa.delgado@example.com"),
    (BP, "BP;Bethan", "lxp", "bethan.pryce@example.com"),
    (SM, "SM;Shazia", "lxp", "shazia.mahmood@example.com"),
    (KD, "KD;Kieran", "lxp", "kieran.doyle@example.com"),
    (LB, "LB;Lorraine", "lxp", "lorraine.beckett@example.com"),
    (TH, "TH;Tariq", "lxp", "tariq.hussain@example.com"),
    (IH, "IH;Imogen", "lxp", "imogen.hale@example.com"),
    (DF, "DF;Deborah;Debbie", "lxp", "deborah.finch@example.com"),
    (CR, "CR;Callum", "lxp", "callum.reid@example.com"),
    (HM, "HM;Helen;Dr Marsh", "staff", "helen.marsh@cvp.example.nhs.uk"),
    (JA, "JA;Jonathan", "staff", "jonathan.adeyemi@cvp.example.nhs.uk"),
    (CW, "CW;Claire", "staff", "claire.whitmore@cvp.example.nhs.uk"),
    (AM, "AM;Anjali;Dr Menon", "staff", "anjali.menon@cvp.example.nhs.uk"),
    (ST, "ST;Sarah", "staff", "sarah.tolland@cvp.example.nhs.uk"),
    (MB, "MB;Mark", "staff", "mark.brennan@cvp.example.nhs.uk"),
    (NE, "NE;Nkechi", "staff", "nkechi.eze@cvp.example.nhs.uk"),
    (RL, "RL;Robert;Rob;Dr Lyle", "staff", "robert.lyle@cvp.example.nhs.uk"),
    (FG, "FG;Fiona", "staff", "fiona.gault@caldermind.example.org"),
    (PS, "PS;Priti;Dr Shah", "staff", "priti.shah@cvp.example.nhs.uk"),
    (GR, "GR;Gemma", "staff", "gemma.rowe@cvp.example.nhs.uk"),
    (OP, "OP;Owen", "staff", "owen.pritchard@cvp.example.nhs.uk"),
    (LF, "LF;Lucy", "staff", "lucy.ferreira@cvp.example.nhs.uk"),
    (SA, "SA;Simon;Dr Achebe", "staff", "simon.achebe@cwics.example.nhs.uk"),
]
ROLE = {p[0]: p[2] for p in PEOPLE}

# ---------------------------------------------------------------- bodies
PMH, CMH, CYP = (
    "Perinatal mental health",
    "Community mental health transformation",
    "CYP eating disorders",
)
PF = "Perinatal Lived Experience Forum"
PG = "Perinatal Mental Health Oversight Committee"
PW = "Perinatal Digital Access Task and Finish Group"
CF = "Community Mental Health Co-production Catch-up"
CG = "Community Mental Health Transformation Partnership Board"
CWK = "Care Planning and DIALOG+ Task and Finish Group"
EF = "CYP Eating Disorders Experts by Experience Group"
EG = "CYP Eating Disorders Steering Group"
EW = "CYP to Adult Eating Disorders Transition Task and Finish Group"

# name, kind, workstream, title patterns (found in the documents' heading blocks)
BODIES = [
    (PF, "catch-up", PMH, ["Perinatal Lived Experience Forum", "Perinatal LE Forum"]),
    (PG, "governance", PMH, ["Perinatal Mental Health Oversight Committee", "PMHOC"]),
    (
        PW,
        "working",
        PMH,
        ["Perinatal Digital Access Task and Finish Group", "Perinatal Digital Access T&F"],
    ),
    (
        CF,
        "catch-up",
        CMH,
        ["Community Mental Health Co-production Catch-up", "CMH co-production catch up"],
    ),
    (
        CG,
        "governance",
        CMH,
        ["Community Mental Health Transformation Partnership Board", "CMHT Partnership Board"],
    ),
    (CWK, "working", CMH, ["Care Planning and DIALOG+ Task and Finish Group", "Care Planning T&F"]),
    (EF, "catch-up", CYP, ["Experts by Experience Group", "EbE Group"]),
    (EG, "governance", CYP, ["CYP Eating Disorders Steering Group", "CYP ED Steering Group"]),
    (EW, "working", CYP, ["Transition Task and Finish Group", "Transition T&F"]),
]
BODY = {b[0]: {"kind": b[1], "workstream": b[2], "patterns": b[3]} for b in BODIES}

ORG = "Calder Valley Partnership NHS Foundation Trust"
ICS = "Calder and Wealdmoor Integrated Care System"


# ---------------------------------------------------------------- model
def C(key, text, sp=None, form="{t}", exp=None, cr=False, bullet=None):
    """A contribution; `form` is how the secretariat wrote it ({t} = the truth text).
    `exp` is the outcome intended for LXP input ("acted", "heard/c" = heard and
    credited, ...), checked against the outcome computed from the links.  `cr`
    marks a record that names LXPs as the source of what it says."""
    return {
        "t": "c",
        "key": key,
        "text": text,
        "speaker": sp,
        "form": form,
        "exp": exp,
        "cr": cr,
        "bullet": bullet,
    }


def X(key, text, owners, due=None, form="{t}", owner_w="", due_w="", cr=False):
    """An action; owner_w / due_w are the Owner and Due cells of tables and logs."""
    return {
        "t": "x",
        "key": key,
        "text": text,
        "owners": owners,
        "due": due,
        "form": form,
        "owner_w": owner_w,
        "due_w": due_w,
        "cr": cr,
    }


def D(key, text, form="{t}", cr=False):
    """A decision."""
    return {"t": "d", "key": key, "text": text, "form": form, "cr": cr}


def R(line, bullet=False):
    """Written in the minutes but not a unit of the truth (lead-ins, boilerplate)."""
    return {"t": "r", "form": line, "bullet": bullet}


def I(key, num, title, units=(), lead=None, lead_w=None):
    """An agenda item; `lead_w` is how the lead is written next to the title."""
    return {
        "key": key,
        "num": num,
        "title": title,
        "units": list(units),
        "lead": lead,
        "lead_w": lead_w,
    }


def A(name, written=None, status="present", title=""):
    """An attendee: `name` is the truth (a roster name, or a guest's name as written)."""
    return {"name": name, "written": written or name, "status": status, "title": title}


def line_of(u):
    return u["form"].replace("{t}", u.get("text", ""))


MEETINGS: list[dict] = []


def M(**kw):
    MEETINGS.append(kw)


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def long_date(iso, weekday=True, ordinal=False, year=True):
    d = dt.date.fromisoformat(iso)
    day = str(d.day)
    if ordinal:
        day += "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    s = f"{day} {d.strftime('%B')}" + (f" {d.year}" if year else "")
    return (WEEKDAYS[d.weekday()] + " " + s) if weekday else s


def slash(iso, short=False):
    d = dt.date.fromisoformat(iso)
    return d.strftime("%d/%m/%y" if short else "%d/%m/%Y")


def PR(name, written, title=""):
    return A(name, written, "present", title)


def IA(name, written, title=""):
    return A(name, written, "in-attendance", title)


def AP(name, written, title=""):
    return A(name, written, "apologies", title)


# The meetings, links and hard negatives, one record a line where it fits.
# fmt: off
# ======================================================================
# Perinatal mental health
# ======================================================================
M(
    id="pf1",
    file="Perinatal LE Forum notes Sept 2021.docx",
    body=PF,
    date="2021-09-08",
    style="forum",
    variant="table",
    author=NE,
    head=[PF, "Notes from our session on " + long_date("2021-09-08") + ", 10:30 to 12:00, on Zoom"],
    date_text=long_date("2021-09-08"),
    att=[
        PR(RD, "Rosa"),
        PR(BP, "Bethan"),
        PR(SM, "Shazia"),
        PR(NE, "Nkechi (facilitator)"),
        PR(CW, "Claire (Perinatal Programme Manager)"),
        AP(AM, "Dr Anjali Menon"),
    ],
    att_labels=("Who came", "Sorry we missed"),
    intro=[
        "Thank you to everyone who joined us, and to the little ones who joined too. Nkechi writes these notes "
        "up and Claire takes them to the Oversight Committee."
    ],
    items=[
        I(
            "pf1-a1",
            "",
            "Getting referred",
            [
                C(
                    "pf1-c1",
                    "Health visitors did not seem to know the perinatal team existed, so I was only referred after seeing my GP three times",
                    exp="acted",
                ),
                C("pf1-c2", "The referral form asks about risk to the baby before it asks how you are, which made me scared to be honest", exp="acted/c"),
                C("pf1-c3", "Nobody told me what would happen after the referral or how long I would have to wait", exp="acted"),
            ],
        ),
        I(
            "pf1-a2",
            "",
            "Appointments",
            [
                C("pf1-c4", "Video calls are fine for a check-in but not when you are at your lowest, it should be your choice", exp="acted"),
                C("pf1-c5", "Two buses with a newborn to get to Hollins Park is not realistic", exp="lost"),
                C("pf1-c6", "There was nowhere to feed or change the baby in the waiting room", exp="heard"),
            ],
        ),
        I(
            "pf1-a3",
            "",
            "Partners and families",
            [
                C("pf1-c7", "Dads and partners are never asked how they are coping", exp="acted/c"),
                C("pf1-c8", "My mum wanted to help but had no idea what postpartum psychosis was", exp="lost"),
            ],
        ),
        I("pf1-a4", "", "Actions", [X("pf1-x1", "Nkechi to share these notes with Claire before the Oversight Committee on 23 September", [NE], "2021-09-23")]),
    ],
    after=["Next forum: Wednesday 13 October, 10:30 at the Willow Centre (creche available)"],
)

M(
    id="pg1",
    file="PMHOC minutes 23.09.21 APPROVED.docx",
    body=PG,
    date="2021-09-23",
    style="board",
    author=OP,
    date_text=long_date("2021-09-23"),
    held="Minutes of the meeting held on " + long_date("2021-09-23") + " at 2pm via MS Teams",
    att=[
        PR(HM, "Dr Helen Marsh", "Associate Medical Director (Chair)"),
        PR(JA, "Jonathan Adeyemi", "Programme Director, Mental Health Collaborative"),
        PR(CW, "Claire Whitmore", "Perinatal Programme Manager"),
        PR(AM, "Dr Anjali Menon", "Consultant Perinatal Psychiatrist"),
        PR(ST, "Sarah Tolland", "Perinatal Mental Health Midwife"),
        PR(RD, "Rosa Delgado", "Lived Experience Representative, Perinatal Lived Experience Forum"),
        IA(OP, "Owen Pritchard", "Programme Support Officer (minutes)"),
        AP(NE, "Nkechi Eze", "Co-production Lead"),
        AP(BP, "Bethan Pryce", "Lived Experience Representative"),
    ],
    items=[
        I("pg1-a1", "PMH/21/031", "Welcome and apologies", [C("pg1-c1", "The Chair welcomed members to the meeting and apologies were noted as above.")]),
        I("pg1-a2", "PMH/21/032", "Declarations of interest", [R("None declared.")]),
        I(
            "pg1-a3",
            "PMH/21/033",
            "Minutes of the previous meeting and matters arising",
            [
                D("pg1-d1", "The minutes of the meeting held on 22 July 2021 were APPROVED as an accurate record."),
                C("pg1-c2", "There were no matters arising that were not covered by the action log or the agenda."),
            ],
        ),
        I(
            "pg1-a4",
            "PMH/21/034",
            "Access and referral performance",
            lead=CW,
            lead_w="Claire Whitmore",
            units=[
                C("pg1-c3", "referrals had risen by 18% in the quarter but only 41% of women were seen within 28 days", CW, form="CW reported that {t}."),
                C("pg1-c4", "Referrals from health visitors remain low compared with midwives and GPs, at 6% of the total."),
                C("pg1-c5", "the next report to show waiting times by locality", HM, form="The Chair asked for {t}."),
                C("pg1-c6", "The Committee NOTED the report."),
                X(
                    "pg1-x1",
                    "Arrange briefings on the perinatal referral criteria for health visitor team leaders in each locality",
                    [CW],
                    "2021-11-30",
                    owner_w="CW",
                    due_w="30/11/2021",
                ),
                X("pg1-x2", "Add waiting times by locality to the quarterly access report", [CW], "2021-11-18", owner_w="CW", due_w="18/11/2021"),
            ],
        ),
        I(
            "pg1-a5",
            "PMH/21/035",
            "Estates: Hollins Park outpatient suite",
            lead=JA,
            lead_w="Jonathan Adeyemi",
            units=[
                C(
                    "pg1-c7",
                    "the refurbishment of the outpatient suite at Hollins Park would be finished in December, adding two clinic rooms",
                    JA,
                    form="JA updated the Committee that {t}.",
                ),
                C("pg1-c8", "the new rooms would also be suitable for group work", AM, form="Dr Menon noted that {t}."),
                C("pg1-c13", "the refurbished waiting area should include space to feed and change babies", ST, form="Sarah Tolland asked that {t}."),
                C("pg1-c9", "The Committee NOTED the update."),
            ],
        ),
        I(
            "pg1-a6",
            "PMH/21/036",
            "Feedback from the Lived Experience Forum",
            lead=RD,
            lead_w="Rosa Delgado",
            units=[
                C(
                    "pg1-c10",
                    "women at the forum had found the referral form frightening because it asks about risk to the baby before asking how the mother is",
                    RD,
                    form="Rosa Delgado fed back that {t}.",
                    exp="acted/c",
                ),
                C("pg1-c11", "partners were rarely asked how they were coping", RD, form="She added that {t}.", exp="acted/c"),
                C("pg1-c12", "midwives could ask partners at the postnatal visit if there was a simple prompt", ST, form="Sarah Tolland suggested that {t}."),
                D("pg1-d2", "that the referral form be redesigned with forum members and brought back to the next meeting.", form="RESOLVED: {t}"),
                D("pg1-d3", "Feedback from the Lived Experience Forum will be a standing item on the agenda.", form="AGREED: {t}"),
                X(
                    "pg1-x3",
                    "Set up a small group of forum members to redesign the referral form",
                    [CW, NE],
                    "2021-10-31",
                    owner_w="CW / NE",
                    due_w="31/10/2021",
                ),
            ],
        ),
        I("pg1-a7", "PMH/21/037", "Any other business", [R("There was no other business.")]),
    ],
    after=["Date of next meeting: Thursday 18 November 2021, 2pm, MS Teams"],
    carried=[
        ("PMH/21/019", "Circulate the draft perinatal service specification to members", "JA", "30/09/2021", "In progress"),
        ("PMH/21/024", "Confirm funding for the peer support worker posts", "JA", "31/08/2021", "Complete"),
    ],
)

M(
    id="pf2",
    file="Perinatal LE Forum 13 Oct notes.docx",
    body=PF,
    date="2021-10-13",
    style="forum",
    variant="table",
    author=NE,
    head=[PF, "Wednesday 13th October 2021 – Willow Centre and Zoom"],
    date_text="Wednesday 13th October 2021",
    att=[PR(RD, "Rosa"), PR(BP, "Bethan"), PR(SM, "Shazia"), PR(NE, "Nkechi"), PR(ST, "Sarah (perinatal midwife)")],
    att_labels=("Who came", "Sorry we missed"),
    intro=["We talked about apps and texts, peer support, and interpreters."],
    items=[
        I(
            "pf2-a1",
            "",
            "Digital tools",
            [
                C("pf2-c1", "I would have used an app to track my mood if someone had shown me how", exp="acted"),
                C("pf2-c2", "Text reminders would help, the letters arrive after the appointment date", exp="acted/c"),
                C("pf2-c3", "The website still has the old phone number for the perinatal team", exp="acted"),
            ],
        ),
        I(
            "pf2-a2",
            "",
            "Peer support",
            [
                C("pf2-c4", "Talking to another mum who had been through it helped more than anything else", exp="heard"),
                C("pf2-c5", "Peer support should start while you are still pregnant, not only after the birth", exp="lost"),
            ],
        ),
        I(
            "pf2-a3",
            "",
            "Interpreters and culture",
            [
                C("pf2-c6", "My interpreter was booked by phone and I had to talk about my feelings through a stranger on speakerphone", exp="acted/c"),
                C("pf2-c7", "Some women in my community would never say they are struggling because of the stigma", exp="lost"),
            ],
        ),
        I(
            "pf2-a4",
            "",
            "Actions",
            [X("pf2-x1", "Nkechi and Claire to take the digital ideas to the Digital Access Task and Finish Group on 27 October", [NE, CW], "2021-10-27")],
        ),
    ],
    after=["Next forum: 8 December, same time. Please let Nkechi know if you need the creche."],
)

M(
    id="pw1",
    file="Digital Access TFG notes 27-10-21.docx",
    body=PW,
    date="2021-10-27",
    style="tf",
    author=OP,
    head=[PW, "Notes of meeting held 27/10/2021, 14:00–15:30, Teams"],
    date_text="27/10/2021",
    att=[
        PR(CW, "Claire Whitmore (chair)"),
        PR(OP, "Owen Pritchard"),
        PR(ST, "Sarah Tolland"),
        PR(BP, "Bethan Pryce (LXP)"),
        PR(SM, "Shazia Mahmood (LXP)"),
        PR("Mike Dunn", "Mike Dunn (Digital Services)"),
    ],
    items=[
        I(
            "pw1-a1",
            "1",
            "Purpose and terms of reference",
            [
                C("pw1-c1", "Draft terms of reference circulated; the group will run until March 2022."),
                D("pw1-d1", "terms of reference approved.", form="Agreed: {t}"),
            ],
        ),
        I(
            "pw1-a2",
            "2",
            "Appointment reminders and booking",
            [
                C("pw1-c2", "Letters are often arriving after appointment dates, particularly in the east locality."),
                C("pw1-c3", "the trust's text messaging system can send reminders seven days and one day before, at no extra cost.", OP, form="OP: {t}"),
                D("pw1-d2", "women to be offered a choice of video, telephone or face-to-face appointment at booking.", form="Agreed: {t}"),
                C("pw1-c4", "choice matters most at the first appointment, when people are most anxious.", BP, form="BP: {t}", exp="heard"),
                X("pw1-x1", "Set up text reminders seven days and one day before each appointment", [OP], "2021-11-30", owner_w="OP", due_w="30/11/21"),
                X("pw1-x2", "Record each woman's preferred appointment type in the booking template", [OP], "2021-12-31", owner_w="OP", due_w="Dec-21"),
            ],
        ),
        I(
            "pw1-a3",
            "3",
            "Information before and after referral",
            [
                C("pw1-c5", "Women are not told what happens after referral or how long the wait is likely to be."),
                C("pw1-c6", "a short text confirming the referral, saying who will call and when, would stop people chasing.", SM, form="SM: {t}", exp="heard"),
                C("pw1-c7", "The perinatal page on the trust website still gives the old switchboard number."),
                X("pw1-x3", "Draft a referral acknowledgement text that gives the expected wait", [CW], "2021-12-17", owner_w="CW", due_w="17/12/21"),
                X("pw1-x4", "Correct the phone number on the perinatal web page", [OP], None, owner_w="OP", due_w="ASAP"),
            ],
        ),
        I(
            "pw1-a4",
            "4",
            "Mood tracking apps",
            [
                C("pw1-c8", "A mood-tracking app could be offered at first contact; digital services to check which apps are approved."),
                X("pw1-x5", "Bring a list of approved mood apps to the next meeting", [OP], None, owner_w="OP", due_w="TBC"),
            ],
        ),
    ],
    after=["Next meeting: Wednesday 12 January 2022, 14:00 (Teams)"],
)

M(
    id="pg2",
    file="PMHOC minutes 18 Nov 2021.docx",
    body=PG,
    date="2021-11-18",
    style="board",
    author=OP,
    date_text=long_date("2021-11-18"),
    held="Minutes of the meeting held on " + long_date("2021-11-18") + " at 2pm via MS Teams",
    att=[
        PR(HM, "Dr Helen Marsh", "Associate Medical Director (Chair)"),
        PR(JA, "Jonathan Adeyemi", "Programme Director, Mental Health Collaborative"),
        PR(CW, "Claire Whitmore", "Perinatal Programme Manager"),
        PR(AM, "Dr Anjali Menon", "Consultant Perinatal Psychiatrist"),
        PR(ST, "Sarah Tolland", "Perinatal Mental Health Midwife"),
        PR(RD, "Rosa Delgado", "Lived Experience Representative"),
        PR(BP, "Bethan Pryce", "Lived Experience Representative"),
        IA(OP, "Owen Pritchard", "Programme Support Officer (minutes)"),
        IA(NE, "Nkechi Eze", "Co-production Lead"),
        IA("Janet Oduya", "Janet Oduya", "Healthwatch Calder (observer)"),
    ],
    items=[
        I(
            "pg2-a1",
            "PMH/21/045",
            "Welcome and apologies",
            [C("pg2-c1", "The Chair welcomed Janet Oduya from Healthwatch Calder, attending as an observer."), R("No apologies were received.")],
        ),
        I(
            "pg2-a2",
            "PMH/21/046",
            "Minutes of the previous meeting, matters arising and action log",
            [
                D("pg2-d1", "The minutes of the meeting held on 23 September 2021 were APPROVED."),
                C("pg2-c2", "All actions due were complete or are covered on today's agenda."),
            ],
        ),
        I(
            "pg2-a3",
            "PMH/21/047",
            "Feedback from the Lived Experience Forum",
            lead=BP,
            lead_w="Bethan Pryce",
            units=[
                C(
                    "pg2-c3",
                    "letters were arriving after appointments and women wanted text reminders",
                    BP,
                    form="Bethan Pryce reported that {t}.",
                    exp="heard",
                ),
                C("pg2-c4", "interpreters booked by telephone made it very hard to talk openly at assessment", BP, form="She said that {t}.", exp="heard"),
                C(
                    "pg2-c5",
                    "telephone interpreting had been a pandemic measure and face-to-face interpreting could now resume",
                    AM,
                    form="Dr Menon responded that {t}.",
                ),
                D(
                    "pg2-d2",
                    "The referral form, revised in response to concerns from the Lived Experience Forum, was APPROVED for use from 1 December 2021.",
                    form="RESOLVED: {t}",
                    cr=True,
                ),
                X(
                    "pg2-x1",
                    "Make face-to-face interpreting the default for assessments, following feedback from forum members",
                    [CW],
                    "2022-01-31",
                    owner_w="CW",
                    due_w="31/01/2022",
                    cr=True,
                ),
            ],
        ),
        I(
            "pg2-a4",
            "PMH/21/048",
            "Access and referral performance",
            lead=CW,
            lead_w="Claire Whitmore",
            units=[
                C(
                    "pg2-c6",
                    "waiting times by locality were now in the report, with the east locality longest at nine weeks",
                    CW,
                    form="CW presented the report and highlighted that {t}.",
                ),
                C("pg2-c7", "briefings had been held with health visitor team leaders in three of the four localities", CW, form="She confirmed that {t}."),
                C("pg2-c8", "First appointments will now be offered face to face unless the woman chooses otherwise."),
                C("pg2-c9", "The Committee NOTED the report and the rise in referrals from health visitors."),
            ],
        ),
        I(
            "pg2-a5",
            "PMH/21/049",
            "Support for partners and families",
            lead=AM,
            lead_w="Dr Anjali Menon",
            units=[
                C(
                    "pg2-c10",
                    "there is no routine offer for partners, although national guidance now expects partners to be assessed and signposted",
                    AM,
                    form="Dr Menon introduced the paper, noting that {t}.",
                ),
                X(
                    "pg2-x2",
                    "Scope a support session for partners, as raised by the Lived Experience Forum",
                    [AM],
                    "2022-01-27",
                    owner_w="AM",
                    due_w="27/01/2022",
                    cr=True,
                ),
            ],
        ),
        I(
            "pg2-a6",
            "PMH/21/050",
            "Equality and inclusion: ethnicity data",
            lead=JA,
            lead_w="Jonathan Adeyemi",
            units=[
                C(
                    "pg2-c11",
                    "ethnicity was not recorded for 23% of referrals, which limits any analysis of access by community",
                    JA,
                    form="JA reported that {t}.",
                ),
                D("pg2-d3", "The Committee RESOLVED that ethnicity be added to the referral form as a mandatory field."),
            ],
        ),
        I(
            "pg2-a7",
            "PMH/21/051",
            "Peer support worker recruitment",
            lead=JA,
            lead_w="Jonathan Adeyemi",
            units=[
                C(
                    "pg2-c12",
                    "two peer support workers had been appointed and would start in January, working with women after the birth",
                    JA,
                    form="JA advised that {t}.",
                )
            ],
        ),
        I("pg2-a8", "PMH/21/052", "Any other business", [C("pg2-c13", "Janet Oduya offered Healthwatch's help with the next patient experience survey.")]),
    ],
    after=["Date of next meeting: Thursday 27 January 2022"],
    carried=[
        ("PMH/21/019", "Circulate the draft perinatal service specification to members", "JA", "30/09/2021", "Complete"),
        (
            "PMH/21/034",
            "Arrange briefings on the perinatal referral criteria for health visitor team leaders in each locality",
            "CW",
            "30/11/2021",
            "In progress",
        ),
        ("PMH/21/034", "Add waiting times by locality to the quarterly access report", "CW", "18/11/2021", "Complete"),
        ("PMH/21/036", "Set up a small group of forum members to redesign the referral form", "CW / NE", "31/10/2021", "Complete"),
    ],
)

M(
    id="pf3",
    file="Perinatal LE Forum notes 8.12.21.docx",
    body=PF,
    date="2021-12-08",
    style="forum",
    variant="table",
    author=NE,
    head=[PF, "8th December 2021, Willow Centre"],
    date_text="8th December 2021",
    att=[PR(RD, "Rosa"), PR(SM, "Shazia"), PR(BP, "Bethan"), PR(NE, "Nkechi"), PR(AM, "Dr Anjali Menon (for the medication topic)")],
    att_labels=("Who came", "Sorry we missed"),
    intro=[],
    items=[
        I(
            "pf3-a1",
            "",
            "What we want from the new peer support workers",
            [
                C("pf3-c1", "Peer support workers should have their own experience of perinatal mental illness, not just be parents", exp="acted"),
                C("pf3-c2", "It would help to meet the peer worker before you are discharged from the mother and baby unit", exp="lost"),
            ],
        ),
        I(
            "pf3-a2",
            "",
            "Medication in pregnancy and breastfeeding",
            [
                C("pf3-c3", "I stopped my medication when I found out I was pregnant because no one talked me through the risks", exp="acted/c"),
                C("pf3-c4", "GPs and pharmacists give different advice about breastfeeding on antidepressants", exp="heard/c"),
            ],
        ),
        I(
            "pf3-a3",
            "",
            "Discharge and after",
            [
                C("pf3-c5", "Being discharged at one year felt like a cliff edge, especially with a toddler", exp="heard"),
                C("pf3-c6", "My discharge letter was full of jargon and I could not understand my own plan", exp="acted/c"),
            ],
        ),
        I("pf3-a4", "", "Actions", [X("pf3-x1", "Nkechi to ask Dr Menon to bring a draft medication leaflet to the February forum", [NE])]),
    ],
    after=["Next forum: 16 February 2022. Merry Christmas everyone!"],
)

M(
    id="pw2",
    file="Digital Access TFG notes 12-01-22.docx",
    body=PW,
    date="2022-01-12",
    style="tf",
    author=OP,
    head=[PW, "Notes of meeting held 12/01/2022, 14:00–15:30, Teams"],
    date_text="12/01/2022",
    att=[
        PR(CW, "Claire Whitmore (chair)"),
        PR(OP, "Owen Pritchard"),
        PR(ST, "Sarah Tolland"),
        PR(BP, "Bethan Pryce (LXP)"),
        PR(SM, "Shazia Mahmood (LXP)"),
        PR("Mike Dunn", "Mike Dunn (Digital Services)"),
    ],
    items=[
        I(
            "pw2-a1",
            "1",
            "Notes and actions from 27 October",
            [C("pw2-c1", "All actions complete except the list of approved apps, which is on today's agenda.")],
        ),
        I(
            "pw2-a2",
            "2",
            "Text reminders and referral acknowledgement",
            [
                C("pw2-c2", "text reminders went live on 6 December; early figures show missed appointments down from 14% to 9%.", OP, form="OP: {t}"),
                C("pw2-c3", "Referral acknowledgement texts now give the expected waiting time and the name of the duty worker."),
                C("pw2-c4", "the text should also say what to do if things get worse while you wait.", SM, form="SM: {t}", exp="lost"),
            ],
        ),
        I(
            "pw2-a3",
            "3",
            "Letters and plain English",
            [
                C(
                    "pw2-c5",
                    "clinic and discharge letters are full of jargon; forum members said they could not understand their own care plans.",
                    BP,
                    form="BP: {t}",
                    exp="acted/c",
                ),
                X(
                    "pw2-x1",
                    "Review the perinatal letter templates for plain English with two forum members",
                    [CW],
                    "2022-02-28",
                    owner_w="CW",
                    due_w="28/02/22",
                    cr=True,
                ),
            ],
        ),
        I(
            "pw2-a4",
            "4",
            "Mood apps",
            [
                C("pw2-c6", "three mood apps are approved by the trust's digital team and will be listed in the welcome pack.", OP, form="OP: {t}"),
                X("pw2-x2", "Add the approved apps to the welcome pack", [ST], "2022-02-28", owner_w="ST", due_w="Feb-22"),
            ],
        ),
    ],
    after=["Date of next meeting: TBC – the group will report to the Oversight Committee in March."],
)

M(
    id="pg3",
    file="PMHOC mins 27.01.22 v2.docx",
    body=PG,
    date="2022-01-27",
    style="board",
    author=OP,
    date_text=long_date("2022-01-27"),
    held="Minutes of the meeting held on " + long_date("2022-01-27") + " at 2pm via MS Teams",
    att=[
        PR(HM, "Dr Helen Marsh", "Associate Medical Director (Chair)"),
        PR(JA, "Jonathan Adeyemi", "Programme Director, Mental Health Collaborative"),
        PR(CW, "Claire Whitmore", "Perinatal Programme Manager"),
        PR(AM, "Dr Anjali Menon", "Consultant Perinatal Psychiatrist"),
        PR(ST, "Sarah Tolland", "Perinatal Mental Health Midwife"),
        PR(RD, "Rosa Delgado", "Lived Experience Representative"),
        PR(BP, "Bethan Pryce", "Lived Experience Representative"),
        IA(OP, "Owen Pritchard", "Programme Support Officer (minutes)"),
        IA(NE, "Nkechi Eze", "Co-production Lead"),
        AP("Janet Oduya", "Janet Oduya", "Healthwatch Calder"),
    ],
    items=[
        I("pg3-a1", "PMH/22/003", "Welcome and apologies", [C("pg3-c1", "The Chair welcomed members; apologies were received from Janet Oduya.")]),
        I(
            "pg3-a2",
            "PMH/22/004",
            "Minutes of the previous meeting and action log",
            [
                D("pg3-d1", "The minutes of the meeting held on 18 November 2021 were APPROVED as an accurate record."),
                C("pg3-c2", "On action PMH/21/047, face-to-face interpreters are now the default for all assessments."),
            ],
        ),
        I(
            "pg3-a3",
            "PMH/22/005",
            "Feedback from the Lived Experience Forum",
            lead=RD,
            lead_w="Rosa Delgado",
            units=[
                C(
                    "pg3-c3",
                    "some women had stopped their medication in pregnancy because nobody had talked them through the risks",
                    RD,
                    form="Rosa Delgado reported that {t}.",
                    exp="acted/c",
                ),
                C(
                    "pg3-c4",
                    "GPs and pharmacists were giving conflicting advice on breastfeeding and antidepressants",
                    RD,
                    form="She added that {t}.",
                    exp="lost",
                ),
                C(
                    "pg3-c5",
                    "a joint statement with the medicines optimisation team on prescribing while breastfeeding would help",
                    AM,
                    form="Dr Menon agreed and suggested that {t}.",
                ),
                X(
                    "pg3-x1",
                    "Produce a plain-English leaflet on medication in pregnancy and breastfeeding, following the discussion at the Lived Experience Forum",
                    [AM],
                    "2022-03-31",
                    owner_w="AM",
                    due_w="31/03/2022",
                    cr=True,
                ),
            ],
        ),
        I(
            "pg3-a4",
            "PMH/22/006",
            "Peer support workers",
            lead=JA,
            lead_w="Jonathan Adeyemi",
            units=[
                C("pg3-c6", "both peer support workers were now in post", JA, form="JA confirmed that {t}."),
                D("pg3-d2", "The Committee APPROVED the amended role description, which now requires personal experience of perinatal mental illness."),
            ],
        ),
        I(
            "pg3-a5",
            "PMH/22/007",
            "Quality and safety report",
            lead=AM,
            lead_w="Dr Anjali Menon",
            units=[
                C("pg3-c7", "discharge summaries had reached GPs within seven days in 88% of cases", AM, form="Dr Menon reported that {t}."),
                C("pg3-c8", "One serious incident is under review and will be reported to the next meeting."),
                C("pg3-c9", "The Committee NOTED the quality and safety report."),
            ],
        ),
        I(
            "pg3-a6",
            "PMH/22/008",
            "Digital Access Task and Finish Group update",
            lead=CW,
            lead_w="Claire Whitmore",
            units=[
                C("pg3-c10", "text reminders had reduced missed appointments", CW, form="CW reported that {t}."),
                C(
                    "pg3-c11",
                    "letter templates were being rewritten after forum members said they could not understand their own plans",
                    CW,
                    form="She added that {t}.",
                    cr=True,
                ),
                D("pg3-d3", "that all perinatal letters to patients follow the trust's plain English standard from April 2022.", form="RESOLVED: {t}"),
            ],
        ),
        I("pg3-a7", "PMH/22/009", "Any other business", [R("None.")]),
    ],
    after=["Date of next meeting: Thursday 24 March 2022"],
    carried=[
        ("PMH/21/047", "Make face-to-face interpreting the default for assessments, following feedback from forum members", "CW", "31/01/2022", "Complete"),
        ("PMH/21/049", "Scope a support session for partners, as raised by the Lived Experience Forum", "AM", "27/01/2022", "In progress"),
        ("PMH/21/034", "Arrange briefings on the perinatal referral criteria for health visitor team leaders in each locality", "CW", "30/11/2021", "Complete"),
    ],
)

M(
    id="pf4",
    file="Perinatal LE Forum Feb 22.docx",
    body=PF,
    date="2022-02-16",
    style="forum",
    variant="table",
    author=NE,
    head=[PF, "Notes – " + long_date("2022-02-16")],
    date_text=long_date("2022-02-16"),
    att=[PR(RD, "Rosa"), PR(BP, "Bethan"), PR(SM, "Shazia"), PR(NE, "Nkechi"), PR(CW, "Claire")],
    att_labels=("Who came", "Sorry we missed"),
    intro=["Dr Menon sent her draft leaflet on medication in pregnancy for us to look at."],
    items=[
        I(
            "pf4-a1",
            "",
            "The draft medication leaflet",
            [
                C("pf4-c1", "The leaflet is clear, but it should say it is fine to ask for a second opinion", exp="acted/c"),
                C("pf4-c2", "It needs to be available in Urdu and Polish", exp="lost"),
            ],
        ),
        I("pf4-a2", "", "Partners' session", [C("pf4-c3", "Hold the partners' session in the evening so working dads can come", exp="heard")]),
        I(
            "pf4-a3",
            "",
            "Anything else",
            [
                C("pf4-c4", "Women who miscarry or lose a baby are not offered anything by the perinatal team", exp="lost"),
                C("pf4-c5", "The forum would like a say in choosing the next peer support worker", exp="acted"),
            ],
        ),
        I("pf4-a4", "", "Actions", [X("pf4-x1", "Claire to take our comments on the leaflet to the Oversight Committee on 24 March", [CW], "2022-03-24")]),
    ],
    after=["Next forum: 13 April 2022"],
)

M(
    id="pg4",
    file="PMHOC minutes 24 March 2022 DRAFT.docx",
    body=PG,
    date="2022-03-24",
    style="board",
    author=OP,
    date_text=long_date("2022-03-24"),
    held="Minutes of the meeting held on " + long_date("2022-03-24") + " at 2pm, Boardroom, Hollins Park",
    att=[
        PR(HM, "Dr Helen Marsh", "Associate Medical Director (Chair)"),
        PR(JA, "Jonathan Adeyemi", "Programme Director, Mental Health Collaborative"),
        PR(CW, "Claire Whitmore", "Perinatal Programme Manager"),
        PR(AM, "Dr Anjali Menon", "Consultant Perinatal Psychiatrist"),
        PR(ST, "Sarah Tolland", "Perinatal Mental Health Midwife"),
        PR(RD, "Rosa Delgado", "Lived Experience Representative"),
        PR(BP, "Bethan Pryce", "Lived Experience Representative"),
        PR(SM, "Shazia Mahmood", "Lived Experience Representative"),
        IA(OP, "Owen Pritchard", "Programme Support Officer (minutes)"),
        AP(NE, "Nkechi Eze", "Co-production Lead"),
    ],
    items=[
        I("pg4-a1", "PMH/22/015", "Welcome and apologies", [C("pg4-c1", "The Chair welcomed Shazia Mahmood to her first meeting as a forum representative.")]),
        I(
            "pg4-a2",
            "PMH/22/016",
            "Minutes of the previous meeting and action log",
            [
                D("pg4-d1", "The minutes of 27 January 2022 were APPROVED."),
                C("pg4-c2", "The partners' session has been scoped and the first one will run on a weekday evening in April."),
            ],
        ),
        I(
            "pg4-a3",
            "PMH/22/017",
            "Leaflet: medication in pregnancy and breastfeeding",
            lead=AM,
            lead_w="Dr Anjali Menon",
            units=[
                C("pg4-c3", "the leaflet had been reviewed by the forum and by the medicines optimisation team", AM, form="Dr Menon explained that {t}."),
                D(
                    "pg4-d2",
                    "The leaflet was APPROVED, amended to include the right to ask for a second opinion as suggested by forum members.",
                    form="RESOLVED: {t}",
                    cr=True,
                ),
            ],
        ),
        I(
            "pg4-a4",
            "PMH/22/018",
            "Peer support worker recruitment: second round",
            lead=JA,
            lead_w="Jonathan Adeyemi",
            units=[
                C("pg4-c4", "a third post had been funded from April", JA, form="JA reported that {t}."),
                X("pg4-x1", "Add a service user representative to the interview panel", [JA], "2022-04-30", owner_w="JA", due_w="30/04/2022"),
            ],
        ),
        I(
            "pg4-a5",
            "PMH/22/019",
            "Annual report and priorities for 2022/23",
            lead=JA,
            lead_w="Jonathan Adeyemi",
            units=[
                C(
                    "pg4-c5",
                    "the proposed priorities were access for minority ethnic women, care up to 24 months after birth, and digital access",
                    JA,
                    form="JA presented the annual report; he noted that {t}.",
                ),
                C(
                    "pg4-c6",
                    "the annual report should include quotes from women about what made a difference",
                    SM,
                    form="Shazia Mahmood suggested that {t}.",
                    exp="awaiting",
                ),
                D("pg4-d3", "The Committee APPROVED the priorities for 2022/23."),
            ],
        ),
        I(
            "pg4-a6",
            "PMH/22/020",
            "Any other business",
            [C("pg4-c7", "Rosa Delgado is stepping down as forum representative in May; the Chair thanked her for her contribution.")],
        ),
    ],
    after=["Date of next meeting: Thursday 26 May 2022"],
    carried=[
        (
            "PMH/22/005",
            "Produce a plain-English leaflet on medication in pregnancy and breastfeeding, following the discussion at the Lived Experience Forum",
            "AM",
            "31/03/2022",
            "Complete",
        ),
        ("PMH/21/049", "Scope a support session for partners, as raised by the Lived Experience Forum", "AM", "27/01/2022", "Complete"),
    ],
)

# ======================================================================
# Community mental health transformation
# ======================================================================
M(
    id="cf1",
    file="CMH co-pro catch up 15th Sept.docx",
    body=CF,
    date="2021-09-15",
    style="forum",
    variant="numbered",
    author=NE,
    head=["CMH co-production catch up", "Wednesday 15th September, 6pm – 7.30pm, Zoom"],
    date_text="Wednesday 15th September",
    att=[
        PR(KD, "Kieran Doyle"),
        PR(LB, "Lorraine Beckett (carer)"),
        PR(TH, "Tariq Hussain"),
        PR(NE, "Nkechi Eze (Co-production Lead)"),
        PR(MB, "Mark Brennan"),
        AP(FG, "Fiona Gault"),
    ],
    att_labels=("Attendees", "Apologies"),
    items=[
        I("cf1-a1", "1", "Check in"),
        I(
            "cf1-a2",
            "2",
            "Care plans",
            [
                C(
                    "cf1-c1",
                    "I have had four care coordinators in two years and I've never seen my care plan",
                    KD,
                    form="Kieran: {t}",
                    exp="acted/c",
                    bullet=True,
                ),
                C(
                    "cf1-c2",
                    "Carers are not asked to contribute to care plans, even when we are the ones holding things together",
                    LB,
                    form="Lorraine: {t}",
                    exp="acted/c",
                    bullet=True,
                ),
                C("cf1-c3", "care plans are written in a language nobody actually uses", None, form="One member said that {t}.", exp="heard", bullet=True),
            ],
        ),
        I(
            "cf1-a3",
            "3",
            "Getting help between appointments",
            [
                C("cf1-c4", "the duty line rings out after 5pm and there is nothing until the morning", TH, form="Tariq said {t}.", exp="heard", bullet=True),
                C(
                    "cf1-c5",
                    "the crisis café is good but too far for people in the north of the borough",
                    None,
                    form="Another member said {t}.",
                    exp="lost",
                    bullet=True,
                ),
            ],
        ),
        I(
            "cf1-a4",
            "4",
            "You said, we did",
            [
                C(
                    "cf1-c6",
                    "You said: the first appointment letter was confusing. We did: it has been rewritten with "
                    "two members of this group and goes out from October.",
                    exp="heard/c",
                )
            ],
        ),
        I("cf1-a5", "5", "Actions", [X("cf1-x1", "Mark to take the care plan points to the Partnership Board on 5 October", [MB], "2021-10-05")]),
    ],
    after=["Next catch-up: Wednesday 3 November 2021, 6pm"],
)

M(
    id="cg1",
    file="CMHT Partnership Board notes 05.10.2021.docx",
    body=CG,
    date="2021-10-05",
    style="ics",
    author=OP,
    head=[CG, "Meeting notes – " + long_date("2021-10-05") + ", 10:00–12:00, Microsoft Teams"],
    date_text=long_date("2021-10-05"),
    att=[
        PR(MB, "Mark Brennan (Chair), " + ORG),
        PR(RL, "Dr Robert Lyle (Clinical Director, Community Services), " + ORG),
        PR(SA, "Dr Simon Achebe (GP Clinical Lead), " + ICS),
        PR(FG, "Fiona Gault (Partnership Manager), Calder Mind"),
        PR(JA, "Jonathan Adeyemi (Programme Director), Mental Health Collaborative"),
        PR(KD, "Kieran Doyle (Expert by Experience)"),
        PR(LB, "Lorraine Beckett (Carer Representative)"),
        PR(OP, "Owen Pritchard (notes)"),
        AP(NE, "Nkechi Eze (Co-production Lead)"),
        AP(TH, "Tariq Hussain (Expert by Experience)"),
    ],
    items=[
        I("cg1-a1", "1", "Welcome and introductions", [C("cg1-c1", "Introductions were made and apologies noted.")]),
        I(
            "cg1-a2",
            "2",
            "Notes and actions from the last meeting",
            [
                D("cg1-d1", "notes of the meeting on 7 September 2021 agreed as accurate.", form="Decision: {t}"),
                C(
                    "cg1-c10",
                    "the first appointment letter, which the co-production group had found confusing, has been rewritten and goes out from 1 October",
                    OP,
                    form="Owen confirmed that {t}.",
                    cr=True,
                ),
            ],
        ),
        I(
            "cg1-a3",
            "3",
            "Care planning and DIALOG+",
            lead=RL,
            lead_w="RL",
            units=[
                C("cg1-c2", "the new approach replaces the CPA care plan with a DIALOG+ conversation every three months", RL, form="Dr Lyle said that {t}."),
                C(
                    "cg1-c3",
                    "people at the co-production catch-up had seen several care coordinators and never seen their own care plan",
                    KD,
                    form="Kieran Doyle said that {t}.",
                    exp="acted",
                ),
                C("cg1-c4", "carers be invited to contribute to care plans where the person agrees", LB, form="Lorraine Beckett asked that {t}.", exp="acted"),
                C("cg1-c5", "The plan should be written in the person's own words, not in service language", SA, form="{t} (SA)."),
                X(
                    "cg1-x1",
                    "RL to set up a care planning task and finish group, including two experts by experience, by 20 October",
                    [RL],
                    "2021-10-20",
                    form="Action: {t}.",
                ),
            ],
        ),
        I(
            "cg1-a4",
            "4",
            "Out-of-hours support",
            lead=JA,
            lead_w="JA",
            units=[
                C(
                    "cg1-c6",
                    "the duty line is staffed until 5pm and the crisis line takes calls after that, but callers are not told this",
                    JA,
                    form="Jonathan noted that {t}.",
                ),
                C("cg1-c7", "whether the Calder Mind helpline could take overflow calls in the evening", FG, form="Fiona Gault asked {t}."),
                C("cg1-c8", "The crisis café in Halton town centre had 140 visits in its first quarter."),
            ],
        ),
        I(
            "cg1-a5",
            "5",
            "Primary care mental health practitioners",
            lead=SA,
            lead_w="SA",
            units=[
                C("cg1-c9", "11 of 16 practices now have a mental health practitioner in post", SA, form="Dr Achebe reported that {t}."),
                D("cg1-d2", "the Board supported recruitment to the remaining five posts.", form="Decision: {t}"),
            ],
        ),
        I("cg1-a6", "6", "Any other business", [R("None.")]),
    ],
    after=["Next meeting: Tuesday 30 November 2021"],
)

M(
    id="cw1",
    file="Care planning TFG 20.10.21.docx",
    body=CWK,
    date="2021-10-20",
    style="tf",
    author=OP,
    head=[ORG, CWK, "Notes of meeting held 20.10.21"],
    date_text="20.10.21",
    att=[
        PR(RL, "Dr Robert Lyle (chair)"),
        PR(MB, "Mark Brennan"),
        PR(FG, "Fiona Gault"),
        PR(KD, "Kieran Doyle (EbE)"),
        PR(TH, "Tariq Hussain (EbE)"),
        PR(OP, "Owen Pritchard (notes)"),
        AP(LB, "Lorraine Beckett"),
    ],
    items=[
        I(
            "cw1-a1",
            "1",
            "Purpose of the group",
            [C("cw1-c1", "To agree how DIALOG+ replaces CPA care plans in the community teams by April 2022."), D("cw1-d1", "Terms of reference agreed.")],
        ),
        I(
            "cw1-a2",
            "2",
            "What a good care plan looks like",
            [
                C("cw1-c2", "people should get a copy of their plan in writing after every review, not just on request", KD, form="KD – {t}", exp="acted"),
                C("cw1-c3", "plans should say who to call out of hours, by name", TH, form="TH – {t}", exp="heard"),
                C("cw1-c4", "Carers to be asked for their view at each review where the person consents."),
                C("cw1-c5", "Each person to have a named worker who stays with them for at least 12 months where possible."),
                X("cw1-x1", "Draft a DIALOG+ guide for staff that includes asking carers for their views", [RL], "2021-11-30", owner_w="RL", due_w="30/11/21"),
                X("cw1-x2", "Check caseload data on how often people change care coordinator", [MB], "2021-12-31", owner_w="MB", due_w="Dec-21"),
            ],
        ),
        I(
            "cw1-a3",
            "3",
            "Training",
            [
                C("cw1-c6", "Training for 120 staff is being booked for January."),
                X("cw1-x3", "Book venues for the DIALOG+ training", [OP], None, owner_w="OP", due_w="TBC"),
            ],
        ),
    ],
    after=["Next meeting: 15 December 2021"],
)

M(
    id="cf2",
    file="CMH co-production catch-up notes 3.11.21.docx",
    body=CF,
    date="2021-11-03",
    style="forum",
    variant="numbered",
    author=NE,
    head=["Community Mental Health Co-production Catch-up", "Notes, 3rd November 2021"],
    date_text="3rd November 2021",
    att=[PR(KD, "Kieran Doyle"), PR(LB, "Lorraine Beckett"), PR(TH, "Tariq Hussain"), PR(NE, "Nkechi Eze"), PR(FG, "Fiona Gault (Calder Mind)")],
    att_labels=("Attendees", "Apologies"),
    items=[
        I(
            "cf2-a1",
            "1",
            "Housing and money worries",
            [
                C(
                    "cf2-c1",
                    "benefit assessments make people unwell all over again and no one from the team helps with the forms",
                    LB,
                    form="Lorraine said that {t}.",
                    exp="acted",
                    bullet=True,
                ),
                C("cf2-c2", "Being housed in a hostel made it impossible to keep well", TH, form="Tariq: {t}", exp="heard/c", bullet=True),
            ],
        ),
        I(
            "cf2-a2",
            "2",
            "Physical health",
            [
                C("cf2-c3", "his annual physical health check was a tick-box exercise", KD, form="Kieran said {t}.", exp="heard/c", bullet=True),
                C("cf2-c4", "they would like exercise groups run by peers", None, form="Several members said {t}.", exp="lost", bullet=True),
            ],
        ),
        I(
            "cf2-a3",
            "3",
            "You said, we did",
            [C("cf2-c5", "You said: there was nothing out of hours. We did: the duty line message now gives the crisis line number after 5pm.", exp="heard")],
        ),
        I("cf2-a4", "4", "Actions", [X("cf2-x1", "Nkechi to send the notes to Mark for the Board on 30 November", [NE], "2021-11-30")]),
    ],
    after=["Next catch-up: 19 January 2022"],
)

M(
    id="cg2",
    file="CMHT Partnership Board notes 30.11.2021.docx",
    body=CG,
    date="2021-11-30",
    style="ics",
    author=OP,
    head=[CG, "Meeting notes – " + long_date("2021-11-30") + ", 10:00–12:00, Microsoft Teams"],
    date_text=long_date("2021-11-30"),
    att=[
        PR(MB, "Mark Brennan (Chair), " + ORG),
        PR(RL, "Dr Robert Lyle (Clinical Director, Community Services), " + ORG),
        PR(SA, "Dr Simon Achebe (GP Clinical Lead), " + ICS),
        PR(FG, "Fiona Gault (Partnership Manager), Calder Mind"),
        PR(JA, "Jonathan Adeyemi (Programme Director), Mental Health Collaborative"),
        PR(KD, "Kieran Doyle (Expert by Experience)"),
        PR(TH, "Tariq Hussain (Expert by Experience)"),
        PR(OP, "Owen Pritchard (notes)"),
        AP(LB, "Lorraine Beckett (Carer Representative)"),
    ],
    items=[
        I("cg2-a1", "1", "Welcome and apologies", [C("cg2-c1", "Apologies were noted and the meeting was quorate.")]),
        I(
            "cg2-a2",
            "2",
            "Notes and actions from the last meeting",
            [
                D("cg2-d1", "notes of 5 October 2021 agreed.", form="Decision: {t}"),
                C("cg2-c2", "the care planning task and finish group met on 20 October and is drafting a staff guide", RL, form="RL noted that {t}."),
            ],
        ),
        I(
            "cg2-a3",
            "3",
            "Care planning task and finish group report",
            lead=RL,
            lead_w="RL",
            units=[
                C("cg2-c3", "caseload data show people changed care coordinator on average 2.3 times in two years", RL, form="Dr Lyle reported that {t}."),
                D("cg2-d2", "everyone will be offered a written copy of their plan after every review.", form="Decision: {t}"),
                C(
                    "cg2-c4",
                    "people should also be able to add their own words to the plan",
                    KD,
                    form="Kieran Doyle welcomed this and said that {t}.",
                    exp="heard",
                ),
            ],
        ),
        I(
            "cg2-a4",
            "4",
            "Welfare rights and money advice",
            lead=FG,
            lead_w="FG",
            units=[
                C("cg2-c5", "Calder Mind's welfare rights service has a six-week wait", FG, form="Fiona reported that {t}."),
                X(
                    "cg2-x1",
                    "FG to scope welfare rights advice sessions in the three community hubs by the end of January",
                    [FG],
                    "2022-01-31",
                    form="Action: {t}.",
                ),
                C(
                    "cg2-c6",
                    "housing officers attend the community hub meetings, as hostel placements make it very hard to stay well",
                    TH,
                    form="Tariq Hussain asked that {t}.",
                    exp="lost",
                ),
            ],
        ),
        I(
            "cg2-a5",
            "5",
            "Physical health checks",
            lead=SA,
            lead_w="SA",
            units=[
                C("cg2-c7", "52% of people on the SMI register had a full physical health check last year", SA, form="Dr Achebe said that {t}."),
                C(
                    "cg2-c8",
                    "Following feedback from the co-production catch-up, the health check template will be reviewed so that it covers what matters to people.",
                    cr=True,
                ),
                C("cg2-c9", "A weight management referral route for people taking antipsychotics is being piloted", SA, form="{t} (SA)."),
            ],
        ),
        I(
            "cg2-a6",
            "6",
            "Out of hours",
            [C("cg2-c10", "the duty line message was changed in October to give the crisis line number after 5pm", JA, form="Jonathan confirmed that {t}.")],
        ),
    ],
    after=["Next meeting: Tuesday 8 February 2022"],
)

M(
    id="cw2",
    file="Care planning TFG 15.12.21.docx",
    body=CWK,
    date="2021-12-15",
    style="tf",
    author=OP,
    head=[ORG, CWK, "Notes of meeting held 15.12.21"],
    date_text="15.12.21",
    att=[
        PR(RL, "Dr Robert Lyle (chair)"),
        PR(MB, "Mark Brennan"),
        PR(KD, "Kieran Doyle (EbE)"),
        PR(TH, "Tariq Hussain (EbE)"),
        PR(LB, "Lorraine Beckett (carer)"),
        PR(OP, "Owen Pritchard (notes)"),
        AP(FG, "Fiona Gault"),
    ],
    items=[
        I(
            "cw2-a1",
            "1",
            "Staff guide",
            [
                C("cw2-c1", "Draft staff guide circulated; comments by 7 January."),
                C("cw2-c2", "the guide should tell staff to ask the person first before contacting carers", LB, form="LB – {t}", exp="lost"),
                C("cw2-c3", "A 'my words' section has been added to the plan template so people can write their own goals."),
                X("cw2-x1", "Finalise the staff guide", [RL], "2022-01-14", owner_w="RL", due_w="14/01/22"),
            ],
        ),
        I(
            "cw2-a2",
            "2",
            "Out-of-hours contacts in plans",
            [C("cw2-c4", "Plans will name the out-of-hours service rather than a person, because named staff change.")],
        ),
        I(
            "cw2-a3",
            "3",
            "Training",
            [
                C("cw2-c5", "120 staff booked; two experts by experience will co-deliver every session."),
                X(
                    "cw2-x2",
                    "Arrange payment and a briefing for the experts by experience co-delivering training",
                    [MB],
                    "2022-01-31",
                    owner_w="MB",
                    due_w="Jan-22",
                ),
            ],
        ),
    ],
    after=["Next meeting: 23 February 2022"],
)

M(
    id="cf3",
    file="CMH co-pro catch up 19 Jan 22.docx",
    body=CF,
    date="2022-01-19",
    style="forum",
    variant="numbered",
    author=NE,
    head=["CMH co-production catch up", "Wednesday 19 January 2022, 6pm, Zoom"],
    date_text="Wednesday 19 January 2022",
    att=[PR(KD, "Kieran Doyle"), PR(LB, "Lorraine Beckett"), PR(TH, "Tariq Hussain"), PR(NE, "Nkechi Eze"), PR(MB, "Mark Brennan")],
    att_labels=("Attendees", "Apologies"),
    items=[
        I(
            "cf3-a1",
            "1",
            "DIALOG+ training",
            [
                C(
                    "cf3-c1",
                    "the people co-delivering the training should be paid the same as any other trainer",
                    KD,
                    form="Kieran: {t}",
                    exp="acted",
                    bullet=True,
                ),
                C(
                    "cf3-c2",
                    "a short film of a DIALOG+ conversation, so people know what to expect",
                    None,
                    form="Members asked for {t}.",
                    exp="acted/c",
                    bullet=True,
                ),
            ],
        ),
        I(
            "cf3-a2",
            "2",
            "Community hubs",
            [
                C("cf3-c3", "the hubs should open on Saturdays", TH, form="Tariq: {t}", exp="lost", bullet=True),
                C("cf3-c4", "there is no space in the hubs for carers to talk privately", LB, form="Lorraine said {t}.", exp="heard", bullet=True),
            ],
        ),
        I(
            "cf3-a3",
            "3",
            "You said, we did",
            [C("cf3-c5", "You said: carers were left out of care plans. We did: reviews now ask carers for their views when the person agrees.", exp="lost")],
        ),
        I("cf3-a4", "4", "Actions", [X("cf3-x1", "Mark to raise payment for training co-delivery at the Board", [MB])]),
    ],
    after=["Next catch-up: Wednesday 16 March 2022"],
)

M(
    id="cg3",
    file="CMHT Partnership Board notes 08.02.2022.docx",
    body=CG,
    date="2022-02-08",
    style="ics",
    author=OP,
    head=[CG, "Meeting notes – " + long_date("2022-02-08") + ", 10:00–12:00, Microsoft Teams"],
    date_text=long_date("2022-02-08"),
    att=[
        PR(MB, "Mark Brennan (Chair), " + ORG),
        PR(RL, "Dr Robert Lyle (Clinical Director, Community Services), " + ORG),
        PR(SA, "Dr Simon Achebe (GP Clinical Lead), " + ICS),
        PR(FG, "Fiona Gault (Partnership Manager), Calder Mind"),
        PR(KD, "Kieran Doyle (Expert by Experience)"),
        PR(LB, "Lorraine Beckett (Carer Representative)"),
        PR(OP, "Owen Pritchard (notes)"),
        AP(JA, "Jonathan Adeyemi (Programme Director), Mental Health Collaborative"),
        AP(TH, "Tariq Hussain (Expert by Experience)"),
    ],
    items=[
        I("cg3-a1", "1", "Welcome and apologies", [C("cg3-c1", "The meeting was quorate.")]),
        I(
            "cg3-a2",
            "2",
            "Notes and actions from the last meeting",
            [D("cg3-d1", "notes of 30 November 2021 agreed with one correction.", form="Decision: {t}")],
        ),
        I(
            "cg3-a3",
            "3",
            "DIALOG+ roll-out",
            lead=RL,
            lead_w="RL",
            units=[
                C("cg3-c2", "96 of 120 staff have been trained, with experts by experience co-delivering every session", RL, form="Dr Lyle reported that {t}."),
                D("cg3-d2", "experts by experience who co-deliver training will be paid at the trust's standard trainer rate.", form="Decision: {t}"),
                C(
                    "cg3-c3",
                    "people at the catch-up wanted to see what a DIALOG+ conversation looks like before their first one",
                    KD,
                    form="Kieran Doyle said that {t}.",
                    exp="acted/c",
                ),
            ],
        ),
        I(
            "cg3-a4",
            "4",
            "Community hubs",
            lead=FG,
            lead_w="FG",
            units=[
                C("cg3-c4", "welfare rights sessions started in two hubs in January", FG, form="Fiona reported that {t}."),
                C("cg3-c5", "Carers' groups have asked for a private room at each hub; estates are checking the options."),
                C("cg3-c6", "Hub opening hours will be extended to 8pm on Thursdays from March."),
            ],
        ),
        I(
            "cg3-a5",
            "5",
            "Any other business",
            [C("cg3-c7", "payments to carers for attending meetings be made within 30 days", LB, form="Lorraine Beckett asked that {t}.", exp="awaiting")],
        ),
    ],
    after=["Next meeting: Tuesday 5 April 2022"],
)

M(
    id="cw3",
    file="Care planning TFG 23.02.22.docx",
    body=CWK,
    date="2022-02-23",
    style="tf",
    author=OP,
    head=[ORG, CWK, "Notes of meeting held 23.02.22"],
    date_text="23.02.22",
    att=[
        PR(RL, "Dr Robert Lyle (chair)"),
        PR(MB, "Mark Brennan"),
        PR(KD, "Kieran Doyle (EbE)"),
        PR(LB, "Lorraine Beckett (carer)"),
        PR(OP, "Owen Pritchard (notes)"),
        AP(TH, "Tariq Hussain"),
    ],
    items=[
        I("cw3-a1", "1", "Roll-out", [C("cw3-c1", "DIALOG+ went live in the north team on 1 February; the other teams follow in March.")]),
        I(
            "cw3-a2",
            "2",
            "Information for patients",
            [
                C("cw3-c2", "the film should show a real conversation, not actors", KD, form="KD – {t}", exp="awaiting"),
                X(
                    "cw3-x1",
                    "Make a short film of a DIALOG+ conversation, as suggested by the co-production catch-up",
                    [MB],
                    "2022-03-31",
                    owner_w="MB",
                    due_w="31/03/22",
                    cr=True,
                ),
            ],
        ),
        I(
            "cw3-a3",
            "3",
            "Evaluation",
            [
                C("cw3-c3", "Outcome measures will be compared at six and twelve months."),
                X("cw3-x2", "Agree the evaluation measures with the business intelligence team", [RL, MB], "2022-03-31", owner_w="RL/MB", due_w="Mar-22"),
            ],
        ),
    ],
    after=["Next meeting: TBC"],
)

M(
    id="cf4",
    file="CMH co-pro catch up 16.3.22.docx",
    body=CF,
    date="2022-03-16",
    style="forum",
    variant="numbered",
    author=NE,
    head=["CMH co-production catch up", "Wednesday 16 March 2022"],
    date_text="Wednesday 16 March 2022",
    att=[PR(KD, "Kieran Doyle"), PR(LB, "Lorraine Beckett"), PR(TH, "Tariq Hussain"), PR(NE, "Nkechi Eze")],
    att_labels=("Attendees", "Apologies"),
    items=[
        I(
            "cf4-a1",
            "1",
            "DIALOG+ so far",
            [
                C("cf4-c1", "his first DIALOG+ review was the first time he felt listened to", KD, form="Kieran said {t}.", exp="awaiting", bullet=True),
                C("cf4-c2", "staff still read from the screen during the conversation", TH, form="Tariq: {t}", exp="awaiting", bullet=True),
            ],
        ),
        I(
            "cf4-a2",
            "2",
            "Priorities for next year",
            [C("cf4-c3", "the hubs should be the priority for 2022/23", LXP, form="The experts by experience felt that {t}.", exp="awaiting", bullet=True)],
        ),
    ],
    after=["Next catch-up: 11 May 2022"],
)


# ======================================================================
# Children and young people's eating disorders
# ======================================================================
def SEC(key, title, units):
    """A closing section of label-line minutes ("Decisions:", "Action Items:", "Next Steps:")."""
    return I(key, "", title, units) | {"section": True}


M(
    id="ef1",
    file="EbE group notes 21.09.21.docx",
    body=EF,
    date="2021-09-21",
    style="forum",
    variant="ebe",
    author=NE,
    head=["Experts by Experience Group – CYP Eating Disorders", "Meeting notes, 21/09/2021"],
    date_text="21/09/2021",
    att=[PR(IH, "Imogen"), PR(DF, "Deborah"), PR(CR, "Callum"), PR(GR, "Gemma (service manager)"), PR(NE, "Nkechi")],
    att_labels=("Present", "Apologies"),
    items=[
        I(
            "ef1-a1",
            "",
            "Waiting for assessment",
            [
                R("Experts by experience raised:"),
                C("ef1-c1", "Families are told to go to A&E if things get worse, but there is nothing in between", LXP, exp="acted/c", bullet=True),
                C("ef1-c2", "The waiting list letter should tell you where you are in the queue", LXP, exp="lost", bullet=True),
                C("ef1-c3", "as a parent I was given no advice on meals while we waited", DF, form="Deborah: {t}", exp="acted/c"),
            ],
        ),
        I(
            "ef1-a2",
            "",
            "Being weighed",
            [
                C("ef1-c4", "being weighed at every appointment made everything about the number", IH, form="Imogen felt that {t}.", exp="acted/c"),
                C(
                    "ef1-c5",
                    "staff should ask before talking about weight in front of brothers and sisters",
                    LXP,
                    form="One expert by experience said that {t}.",
                    exp="lost",
                ),
            ],
        ),
        I(
            "ef1-a3",
            "",
            "Moving to adult services",
            [
                C("ef1-c6", "I turned 18 in the middle of treatment and had to start again with a new team", CR, form="Callum: {t}", exp="acted/c"),
                C("ef1-c7", "transition should start at 17, not a month before the 18th birthday", None, form="Members said that {t}.", exp="acted/c"),
            ],
        ),
    ],
    after=["Next meeting: 9 November 2021, 5pm"],
)

M(
    id="eg1",
    file="CYP ED SG minutes 12-10-21.docx",
    body=EG,
    date="2021-10-12",
    style="labels",
    author=OP,
    date_text="12/10/2021",
    time="16:00 – 17:30",
    place="Microsoft Teams",
    chair="Dr Priti Shah",
    taker="Owen Pritchard",
    att=[
        PR(PS, "Dr Priti Shah – Consultant Child and Adolescent Psychiatrist"),
        PR(GR, "Gemma Rowe – Service Manager, CYP Eating Disorders"),
        PR(LF, "Lucy Ferreira – Specialist Dietitian"),
        PR(JA, "Jonathan Adeyemi – Programme Director"),
        PR(DF, "Deborah Finch – Parent carer, Experts by Experience Group"),
        PR(OP, "Owen Pritchard – Programme Support Officer"),
        AP(IH, "Imogen Hale"),
        AP(NE, "Nkechi Eze"),
    ],
    items=[
        I(
            "eg1-a1",
            "1",
            "Waiting list and access standard",
            lead=GR,
            lead_w="GR",
            units=[
                C("eg1-c1", "47 young people are waiting for assessment; 62% were seen within four weeks against a standard of 95%.", GR, form="GR: {t}"),
                C(
                    "eg1-c2",
                    "families are sent to A&E while they wait and get no advice on eating in the meantime",
                    DF,
                    form="Deborah raised that {t}.",
                    exp="heard",
                ),
                C("eg1-c3", "a holding offer was needed for families on the waiting list", PS, form="Dr Shah agreed that {t}."),
            ],
        ),
        I(
            "eg1-a2",
            "2",
            "Dietetic support",
            lead=LF,
            lead_w="LF",
            units=[C("eg1-c4", "a dietitian-led group for parents could run monthly.", LF, form="LF: {t}")],
        ),
        I(
            "eg1-a3",
            "3",
            "Transition to adult services",
            lead=JA,
            lead_w="JA",
            units=[C("eg1-c5", "the ICS has asked for a joint CAMHS and adult services protocol by March 2022.", JA, form="JA: {t}")],
        ),
        SEC(
            "eg1-a4",
            "Decisions",
            [
                D(
                    "eg1-d1",
                    "A monthly meal support group for parents on the waiting list will start in November, "
                    "following feedback from the Experts by Experience Group.",
                    cr=True,
                ),
                D("eg1-d2", "Performance against the access standard will be reported to the ICS monthly."),
            ],
        ),
        SEC(
            "eg1-a5",
            "Action Items",
            [
                X("eg1-x1", "set up a duty clinician advice line for families on the waiting list by 30/11/21", [GR], "2021-11-30", form="[GR] {t}"),
                X("eg1-x2", "set up a transition task and finish group with adult eating disorder services", [JA], form="Jonathan Adeyemi: {t}"),
                X("eg1-x3", "plan the parents' meal support group by 05/11/21", [LF], "2021-11-05", form="[LF] {t}"),
            ],
        ),
        SEC("eg1-a6", "Next Steps", [C("eg1-c6", "The transition group will report back to the December meeting.")]),
    ],
    after=["Next meeting: 14/12/2021"],
)

M(
    id="ef2",
    file="EbE group notes 09.11.21.docx",
    body=EF,
    date="2021-11-09",
    style="forum",
    variant="ebe",
    author=NE,
    head=["Experts by Experience Group – CYP Eating Disorders", "Meeting notes, 09/11/2021"],
    date_text="09/11/2021",
    att=[PR(IH, "Imogen"), PR(DF, "Deborah"), PR(CR, "Callum"), PR(GR, "Gemma"), PR(NE, "Nkechi"), PR(LF, "Lucy (dietitian)")],
    att_labels=("Present", "Apologies"),
    items=[
        I(
            "ef2-a1",
            "",
            "The new parents' group",
            [
                C(
                    "ef2-c1",
                    "the group should also be open to grandparents and anyone else who cooks for the young person",
                    DF,
                    form="Deborah: {t}",
                    exp="acted",
                ),
                R("Experts by experience raised:"),
                C("ef2-c2", "The group should run in the evening so working parents can come", LXP, exp="lost", bullet=True),
            ],
        ),
        I("ef2-a2", "", "Weighing", [C("ef2-c3", "blind weighing should be offered to everyone, not only if you ask", IH, form="Imogen: {t}", exp="acted/c")]),
        I(
            "ef2-a3",
            "",
            "Transition",
            [
                C(
                    "ef2-c4",
                    "young people should be able to keep their CAMHS therapist for a few months after moving",
                    CR,
                    form="Callum said {t}.",
                    exp="acted",
                ),
                C(
                    "ef2-c5",
                    "adult services feel much less friendly and nobody explains what is different",
                    LXP,
                    form="Another expert by experience said that {t}.",
                    exp="acted/c",
                ),
            ],
        ),
    ],
    after=["Next meeting: 25 January 2022"],
)

M(
    id="ew1",
    file="CYP-adult ED transition TFG 23.11.21.docx",
    body=EW,
    date="2021-11-23",
    style="ics",
    author=OP,
    head=[EW, long_date("2021-11-23") + ", 13:00–14:30, Teams"],
    date_text=long_date("2021-11-23"),
    att=[
        PR(JA, "Jonathan Adeyemi (Chair), Mental Health Collaborative"),
        PR(PS, "Dr Priti Shah (Consultant Psychiatrist), CAMHS"),
        PR(GR, "Gemma Rowe (Service Manager), CAMHS Eating Disorders"),
        PR("Ruth Castellano", "Dr Ruth Castellano (Consultant Psychiatrist), Adult Eating Disorders Service"),
        PR(CR, "Callum Reid (Expert by Experience)"),
        PR(IH, "Imogen Hale (Expert by Experience)"),
        AP(LF, "Lucy Ferreira (Specialist Dietitian), CAMHS Eating Disorders"),
    ],
    items=[
        I("ew1-a1", "1", "Welcome and purpose", [C("ew1-c1", "The group will produce a joint transition protocol for the Steering Group by March 2022.")]),
        I(
            "ew1-a2",
            "2",
            "Timing of transition",
            lead=PS,
            lead_w="PS",
            units=[
                C("ew1-c2", "planning currently starts about a month before the 18th birthday", PS, form="Dr Shah said that {t}."),
                C(
                    "ew1-c3",
                    "starting again with a new team in the middle of treatment had set his recovery back",
                    CR,
                    form="Callum Reid said that {t}.",
                    exp="acted",
                ),
                D("ew1-d1", "transition planning will start at 17, as the experts by experience group asked.", form="Decision: {t}", cr=True),
                D("ew1-d2", "young people can keep their CAMHS therapist for up to six months after moving to adult services.", form="Decision: {t}"),
            ],
        ),
        I(
            "ew1-a3",
            "3",
            "Information for young people",
            lead=IH,
            lead_w="IH",
            units=[
                C("ew1-c4", "Imogen presented a draft 'what changes at 18' guide written by young people", IH, form="{t} (IH).", exp="acted/c"),
                C("ew1-c5", "The guide will explain how adult services differ, who the new team are and what stays the same."),
                X("ew1-x1", "GR to add adult service contacts to the guide by 10 December", [GR], "2021-12-10", form="Action: {t}."),
            ],
        ),
        I("ew1-a4", "4", "Next steps", [C("ew1-c6", "The draft protocol goes to the Steering Group on 14 December.")]),
    ],
)

M(
    id="eg2",
    file="CYP ED SG minutes 14-12-21.docx",
    body=EG,
    date="2021-12-14",
    style="labels",
    author=OP,
    date_text="14/12/2021",
    time="16:00 – 17:30",
    place="Microsoft Teams",
    chair="Dr Priti Shah",
    taker="Owen Pritchard",
    att=[
        PR(PS, "Dr Priti Shah – Consultant Child and Adolescent Psychiatrist"),
        PR(GR, "Gemma Rowe – Service Manager, CYP Eating Disorders"),
        PR(LF, "Lucy Ferreira – Specialist Dietitian"),
        PR(JA, "Jonathan Adeyemi – Programme Director"),
        PR(DF, "Deborah Finch – Parent carer, Experts by Experience Group"),
        PR(IH, "Imogen Hale – Expert by experience"),
        PR(OP, "Owen Pritchard – Programme Support Officer"),
        AP(CR, "Callum Reid"),
    ],
    items=[
        I(
            "eg2-a1",
            "1",
            "Access and the family advice line",
            lead=GR,
            lead_w="GR",
            units=[
                C("eg2-c1", "the advice line for families on the waiting list took 38 calls in its first month.", GR, form="GR: {t}"),
                C("eg2-c2", "blind weighing be offered to everyone as standard", IH, form="Imogen asked that {t}.", exp="heard"),
                C(
                    "eg2-c3",
                    "the parents' meal support group started in November with nine families, and grandparents have asked to join",
                    LF,
                    form="Lucy reported that {t}.",
                ),
            ],
        ),
        I(
            "eg2-a2",
            "2",
            "Transition protocol",
            lead=JA,
            lead_w="JA",
            units=[
                C(
                    "eg2-c4",
                    "the task and finish group agreed that transition planning will start at 17 and that CAMHS therapists can stay involved for six months.",
                    JA,
                    form="JA: {t}",
                ),
                C(
                    "eg2-c5",
                    "parents also need to know what changes for them when their child turns 18, especially around confidentiality",
                    DF,
                    form="Deborah Finch said {t}.",
                    exp="heard",
                ),
            ],
        ),
        I(
            "eg2-a3",
            "3",
            "Physical risk monitoring",
            lead=PS,
            lead_w="PS",
            units=[C("eg2-c6", "the MEED guidance on physical risk monitoring has been adopted in all clinics", PS, form="Dr Shah said that {t}.")],
        ),
        SEC(
            "eg2-a4",
            "Decisions",
            [
                D(
                    "eg2-d1",
                    "Blind weighing will be offered to all young people as the default, following a request from the Experts by Experience Group.",
                    cr=True,
                ),
                D("eg2-d2", "The Steering Group endorsed the 'what changes at 18' guide written by members of the Experts by Experience Group.", cr=True),
            ],
        ),
        SEC(
            "eg2-a5",
            "Action Items",
            [
                X(
                    "eg2-x1",
                    "open the parents' meal support group to grandparents and other family members who cook, by 31/01/22",
                    [LF],
                    "2022-01-31",
                    form="[LF] {t}",
                ),
                X("eg2-x2", "report waiting list figures to the ICS every month", [GR], form="Gemma Rowe: {t}"),
            ],
        ),
        SEC("eg2-a6", "Next Steps", [C("eg2-c7", "Protocol to be signed off by both trusts in March.")]),
    ],
    after=["Next meeting: 08/03/2022"],
)

M(
    id="ef3",
    file="EbE group notes 25.01.22.docx",
    body=EF,
    date="2022-01-25",
    style="forum",
    variant="ebe",
    author=NE,
    head=["Experts by Experience Group – CYP Eating Disorders", "Meeting notes, 25/01/2022"],
    date_text="25/01/2022",
    att=[PR(IH, "Imogen"), PR(DF, "Deborah"), PR(CR, "Callum"), PR(NE, "Nkechi"), PR(GR, "Gemma")],
    att_labels=("Present", "Apologies"),
    items=[
        I(
            "ef3-a1",
            "",
            "Blind weighing",
            [C("ef3-c1", "blind weighing is happening in clinic but not on the children's ward", IH, form="Imogen said {t}.", exp="lost")],
        ),
        I(
            "ef3-a2",
            "",
            "School",
            [
                R("Experts by experience raised:"),
                C("ef3-c2", "Teachers do not know how to respond when a young person is not eating at lunch", LXP, exp="heard", bullet=True),
                C("ef3-c3", "school nurses should get training on eating disorders", DF, form="Deborah: {t}", exp="acted"),
            ],
        ),
        I(
            "ef3-a3",
            "",
            "Transition",
            [C("ef3-c4", "the 'what changes at 18' guide should be online, not just a leaflet", CR, form="Callum: {t}", exp="acted/c")],
        ),
    ],
    after=["Next meeting: 22 March 2022"],
)

M(
    id="ew2",
    file="CYP-adult ED transition TFG 15.02.22.docx",
    body=EW,
    date="2022-02-15",
    style="ics",
    author=OP,
    head=[EW, long_date("2022-02-15") + ", 13:00–14:30, Teams"],
    date_text=long_date("2022-02-15"),
    att=[
        PR(JA, "Jonathan Adeyemi (Chair), Mental Health Collaborative"),
        PR(PS, "Dr Priti Shah (Consultant Psychiatrist), CAMHS"),
        PR(GR, "Gemma Rowe (Service Manager), CAMHS Eating Disorders"),
        PR(LF, "Lucy Ferreira (Specialist Dietitian), CAMHS Eating Disorders"),
        PR("Ruth Castellano", "Dr Ruth Castellano (Consultant Psychiatrist), Adult Eating Disorders Service"),
        PR(CR, "Callum Reid (Expert by Experience)"),
        PR(IH, "Imogen Hale (Expert by Experience)"),
    ],
    items=[
        I("ew2-a1", "1", "Notes of the last meeting", [D("ew2-d1", "notes of 23 November 2021 agreed.", form="Decision: {t}")]),
        I(
            "ew2-a2",
            "2",
            "Transition protocol",
            lead=JA,
            lead_w="JA",
            units=[
                C("ew2-c1", "the protocol has been agreed by both clinical teams and goes to the Steering Group in March", JA, form="Jonathan said that {t}."),
                C("ew2-c2", "the guide for young people should be online as well as on paper", CR, form="Callum Reid said that {t}.", exp="heard"),
                X("ew2-x1", "GR to publish the 'what changes at 18' guide on the CAMHS website by 31 March", [GR], "2022-03-31", form="Action: {t}."),
            ],
        ),
        I(
            "ew2-a3",
            "3",
            "Confidentiality and parents",
            lead=PS,
            lead_w="PS",
            units=[
                C(
                    "ew2-c3",
                    "once a young person is 18, parents can only be involved with their consent, and families need to hear this early",
                    PS,
                    form="Dr Shah noted that {t}.",
                ),
                C("ew2-c4", "a joint session for young people and parents a few months before transition", IH, form="Imogen Hale suggested {t}.", exp="lost"),
            ],
        ),
    ],
)

M(
    id="eg3",
    file="CYP ED SG minutes 08-03-22 final.docx",
    body=EG,
    date="2022-03-08",
    style="labels",
    author=OP,
    date_text="08/03/2022",
    time="16:00 – 17:30",
    place="Room 4, Calder House",
    chair="Dr Priti Shah",
    taker="Owen Pritchard",
    att=[
        PR(PS, "Dr Priti Shah – Consultant Child and Adolescent Psychiatrist"),
        PR(GR, "Gemma Rowe – Service Manager, CYP Eating Disorders"),
        PR(LF, "Lucy Ferreira – Specialist Dietitian"),
        PR(JA, "Jonathan Adeyemi – Programme Director"),
        PR(DF, "Deborah Finch – Parent carer, Experts by Experience Group"),
        PR(CR, "Callum Reid – Expert by experience"),
        PR(OP, "Owen Pritchard – Programme Support Officer"),
        AP(IH, "Imogen Hale"),
    ],
    items=[
        I(
            "eg3-a1",
            "1",
            "Access",
            lead=GR,
            lead_w="GR",
            units=[
                C("eg3-c1", "71% of young people were seen within four weeks, up from 62% in October.", GR, form="GR: {t}"),
                C("eg3-c5", "blind weighing has been the default in all clinics since January", GR, form="She added that {t}."),
            ],
        ),
        I(
            "eg3-a2",
            "2",
            "Schools",
            lead=LF,
            lead_w="LF",
            units=[C("eg3-c2", "the team will offer teachers a short session on responding to restrictive eating at lunchtime", LF, form="Lucy said {t}.")],
        ),
        I(
            "eg3-a3",
            "3",
            "Transition protocol",
            lead=JA,
            lead_w="JA",
            units=[C("eg3-c3", "the final protocol is ready and includes an online version of the guide for young people.", JA, form="JA: {t}")],
        ),
        SEC("eg3-a4", "Decisions", [D("eg3-d1", "The joint transition protocol was approved.")]),
        SEC(
            "eg3-a5",
            "Action Items",
            [
                X("eg3-x1", "arrange eating disorder training for school nurses by 30/04/22", [LF], "2022-04-30", form="[LF] {t}"),
                X("eg3-x2", "write to the ICS about funding for the paediatric ward pathway", [PS], form="Dr Priti Shah: {t}"),
            ],
        ),
        SEC(
            "eg3-a6",
            "Next Steps",
            [C("eg3-c4", "next year's work plan should include support for siblings", DF, form="Deborah Finch asked that {t}.", exp="awaiting")],
        ),
    ],
    after=["Next meeting: 07/06/2022"],
)

M(
    id="ef4",
    file="EbE group notes 22.03.22.docx",
    body=EF,
    date="2022-03-22",
    style="forum",
    variant="ebe",
    author=NE,
    head=["Experts by Experience Group – CYP Eating Disorders", "Meeting notes, 22/03/2022"],
    date_text="22/03/2022",
    att=[PR(IH, "Imogen"), PR(DF, "Deborah"), PR(CR, "Callum"), PR(NE, "Nkechi")],
    att_labels=("Present", "Apologies"),
    items=[
        I(
            "ef4-a1",
            "",
            "Looking back on the year",
            [
                R("Experts by experience raised:"),
                C("ef4-c1", "Being listened to about blind weighing made a real difference", LXP, exp="awaiting", bullet=True),
                C("ef4-c2", "young people should help to interview new staff", CR, form="Callum: {t}", exp="awaiting"),
            ],
        )
    ],
    after=["Next meeting: 17 May 2022"],
)

# ======================================================================
# Links: LXP point -> the later record that takes it up
# ======================================================================
LINKS = [
    # perinatal
    ("pf1-c1", "pg1-x1"), ("pf1-c1", "pg2-c7"),
    ("pf1-c2", "pg1-c10"), ("pf1-c2", "pg1-d2"), ("pf1-c2", "pg1-x3"), ("pf1-c2", "pg2-d2"),
    ("pf1-c3", "pw1-c5"), ("pf1-c3", "pw1-x3"), ("pf1-c3", "pw2-c3"),
    ("pf1-c4", "pw1-d2"), ("pf1-c4", "pw1-x2"), ("pf1-c4", "pg2-c8"),
    ("pf1-c6", "pg1-c13"),
    ("pf1-c7", "pg1-c11"), ("pf1-c7", "pg1-c12"), ("pf1-c7", "pg2-x2"),
    ("pg1-c10", "pg2-d2"),
    ("pg1-c11", "pg2-x2"),
    ("pf2-c1", "pw1-c8"), ("pf2-c1", "pw1-x5"), ("pf2-c1", "pw2-c6"),
    ("pf2-c2", "pw1-c2"), ("pf2-c2", "pw1-x1"), ("pf2-c2", "pg2-c3"),
    ("pf2-c3", "pw1-c7"), ("pf2-c3", "pw1-x4"),
    ("pf2-c4", "pg2-c12"),
    ("pf2-c6", "pg2-c4"), ("pf2-c6", "pg2-c5"), ("pf2-c6", "pg2-x1"), ("pf2-c6", "pg3-c2"),
    ("pw1-c4", "pg2-c8"),
    ("pw1-c6", "pw2-c3"),
    ("pg2-c3", "pw2-c2"),
    ("pg2-c4", "pg3-c2"),
    ("pf3-c1", "pg3-d2"),
    ("pf3-c3", "pg3-c3"), ("pf3-c3", "pg3-x1"), ("pf3-c3", "pg4-d2"),
    ("pf3-c4", "pg3-c4"), ("pf3-c4", "pg3-c5"),
    ("pf3-c5", "pg4-c5"),
    ("pf3-c6", "pw2-c5"), ("pf3-c6", "pw2-x1"), ("pf3-c6", "pg3-d3"),
    ("pw2-c5", "pg3-c11"),
    ("pg2-c3", "pg3-c10"),
    ("pw2-c5", "pg3-d3"),
    ("pg3-c3", "pg4-c3"), ("pg3-c3", "pg4-d2"),
    ("pf4-c1", "pg4-d2"),
    ("pf4-c3", "pg4-c2"),
    ("pf4-c5", "pg4-x1"),
    # community mental health
    ("cf1-c1", "cg1-c3"), ("cf1-c1", "cg1-x1"), ("cf1-c1", "cw1-c5"), ("cf1-c1", "cw1-x2"),
    ("cf1-c2", "cg1-c4"), ("cf1-c2", "cw1-c4"), ("cf1-c2", "cw1-x1"),
    ("cf1-c3", "cg1-c5"), ("cf1-c3", "cw2-c3"),
    ("cf1-c4", "cg1-c6"), ("cf1-c4", "cg2-c10"),
    ("cf1-c6", "cg1-c10"),
    ("cg1-c3", "cw1-c5"), ("cg1-c3", "cw1-x2"), ("cg1-c3", "cg2-c3"),
    ("cg1-c4", "cw1-c4"), ("cg1-c4", "cw1-x1"),
    ("cw1-c2", "cg2-d2"),
    ("cw1-c3", "cw2-c4"),
    ("cf2-c1", "cg2-x1"), ("cf2-c1", "cg3-c4"),
    ("cf2-c2", "cg2-c6"),
    ("cf2-c3", "cg2-c8"),
    ("cf2-c5", "cg2-c10"),
    ("cg2-c4", "cw2-c3"),
    ("cf3-c1", "cg3-d2"),
    ("cf3-c2", "cg3-c3"), ("cf3-c2", "cw3-x1"),
    ("cf3-c4", "cg3-c5"),
    ("cg3-c3", "cw3-x1"),
    # CYP eating disorders
    ("ef1-c1", "eg1-c2"), ("ef1-c1", "eg1-c3"), ("ef1-c1", "eg1-x1"), ("ef1-c1", "eg2-c1"),
    ("ef1-c3", "eg1-c2"), ("ef1-c3", "eg1-c4"), ("ef1-c3", "eg1-d1"), ("ef1-c3", "eg2-c3"),
    ("ef1-c4", "eg2-d1"),
    ("ef1-c6", "eg1-x2"), ("ef1-c6", "ew1-c3"),
    ("ef1-c7", "eg1-x2"), ("ef1-c7", "ew1-d1"), ("ef1-c7", "eg2-c4"),
    ("eg1-c2", "eg2-c1"),
    ("ef2-c1", "eg2-c3"), ("ef2-c1", "eg2-x1"),
    ("ef2-c3", "eg2-c2"), ("ef2-c3", "eg2-d1"),
    ("ef2-c4", "ew1-d2"), ("ef2-c4", "eg2-c4"),
    ("ef2-c5", "ew1-c5"), ("ef2-c5", "ew1-x1"),
    ("ew1-c3", "eg2-c4"), ("ew1-c3", "eg3-d1"),
    ("ew1-c4", "eg2-d2"),
    ("eg2-c2", "eg3-c5"),
    ("eg2-c5", "ew2-c3"),
    ("ef3-c2", "eg3-c2"),
    ("ef3-c3", "eg3-x1"),
    ("ef3-c4", "ew2-c2"), ("ef3-c4", "ew2-x1"),
    ("ew2-c2", "eg3-c3"),
]

# Later records close in topic to an LXP point that do NOT take it up.
HARD_NEGATIVES = [
    ("pf1-c5", "pg1-c7"), ("pf1-c2", "pg2-d3"), ("pf2-c7", "pg2-c11"), ("pf2-c5", "pg2-c12"), ("pf3-c2", "pg3-c6"),
    ("pf3-c5", "pg3-c7"), ("pf3-c6", "pg3-c7"), ("pf4-c4", "pg4-c5"), ("cf1-c5", "cg1-c8"), ("cf1-c5", "cg1-c7"),
    ("cf2-c4", "cg2-c9"), ("cf3-c3", "cg3-c6"), ("cf3-c5", "cg3-c5"), ("cw2-c2", "cw3-c1"), ("ef1-c4", "eg2-c6"),
    ("ef3-c1", "eg3-c5"), ("ef3-c1", "eg3-x2"), ("ef2-c2", "eg2-c3"), ("ew2-c4", "eg3-c3"),
]
# fmt: on


# ======================================================================
# Rendering
# ======================================================================
FONTS = {
    "board": ("Arial", 11),
    "ics": ("Calibri", 11),
    "tf": ("Arial", 10),
    "forum": ("Verdana", 10),
    "labels": ("Calibri", 11),
}


def new_doc(font):
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = font[0], Pt(font[1])
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin = section.bottom_margin = Cm(1.8)
    return doc


def para(container, text, bold=False, size=None, style=None, label=None):
    p = container.add_paragraph(style=style) if style else container.add_paragraph()
    if label and text.startswith(label):
        p.add_run(label).bold = True
        text = text[len(label) :]
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return p


def fill(cell, lines, bold=False, doc=None, bullets=False):
    for n, text in enumerate(lines or [""]):
        p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        if bullets and text:
            p.style = doc.styles["List Bullet"]
        p.add_run(text).bold = bold


def table(doc, header, rows, widths=None):
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for i, h in enumerate(header):
        fill(t.rows[0].cells[i], [h], bold=True)
    for row in rows:
        cells = t.add_row().cells
        for i, lines in enumerate(row):
            fill(cells[i], lines if isinstance(lines, list) else [lines])
    if widths:
        for row in t.rows:
            for i, w in enumerate(widths):
                row.cells[i].width = Cm(w)
    return t


def units(item, kinds):
    return [u for u in item["units"] if u["t"] in kinds]


def people(m, status):
    return [a for a in m["att"] if a["status"] == status]


def render_board(doc, m):
    """1. Trust board: organisation, committee, 'Minutes of the meeting held on ...', Present table."""
    para(doc, ORG, bold=True, size=12)
    para(doc, m["body"], bold=True, size=14)
    para(doc, m["held"])
    for label, status in (("Present:", "present"), ("In attendance:", "in-attendance")):
        if people(m, status):
            para(doc, label, bold=True)
            table(
                doc,
                ["Name", "Title"],
                [[a["written"], a["title"]] for a in people(m, status)],
                widths=[5, 11],
            )
    if people(m, "apologies"):
        para(
            doc,
            "Apologies: "
            + "; ".join(f"{a['written']} ({a['title']})" for a in people(m, "apologies")),
            label="Apologies:",
        )
    log = []
    for it in m["items"]:
        para(doc, f"{it['num']}\t{it['title'].upper()}", bold=True)
        if it["lead_w"]:
            para(doc, f"Presented by: {it['lead_w']}")
        for u in it["units"]:
            if u["t"] == "x":
                log.append((it["num"], u))
            else:
                para(doc, line_of(u))
    for line in m.get("after", []):
        para(doc, line)
    para(doc, "ACTION LOG", bold=True)
    rows = [list(r) for r in m.get("carried", [])]
    rows += [[ref, u["text"], u["owner_w"], u["due_w"], "New"] for ref, u in log]
    table(
        doc, ["Ref", "Action", "Lead", "Due date", "Status"], rows, widths=[2.6, 7.4, 2, 2.4, 2.2]
    )


def render_ics(doc, m):
    """2. ICS partnership notes: Word heading styles, bullets, 'Action:' and 'Decision:' lines."""
    doc.add_heading(m["head"][0], level=0)
    for line in m["head"][1:]:
        para(doc, line)
    doc.add_heading("Attendees", level=1)
    for a in people(m, "present"):
        para(doc, a["written"], style="List Bullet")
    if people(m, "apologies"):
        doc.add_heading("Apologies", level=1)
        for a in people(m, "apologies"):
            para(doc, a["written"], style="List Bullet")
    for it in m["items"]:
        head = f"{it['num']}. {it['title']}" + (f" ({it['lead_w']})" if it["lead_w"] else "")
        doc.add_heading(head, level=2)
        for u in it["units"]:
            line = line_of(u)
            label = next((lab for lab in ("Action:", "Decision:") if line.startswith(lab)), None)
            para(doc, line, label=label)
    for line in m.get("after", []):
        para(doc, line)


def render_tf(doc, m):
    """3. Task and finish notes: Item | Discussion | Action | Owner | By when."""
    para(doc, m["head"][0], bold=True, size=13 if len(m["head"]) == 2 else 11)
    for n, line in enumerate(m["head"][1:]):
        para(
            doc,
            line,
            bold=(n == 0 and len(m["head"]) == 3),
            size=13 if n == 0 and len(m["head"]) == 3 else None,
        )
    para(doc, "Present: " + ", ".join(a["written"] for a in people(m, "present")), label="Present:")
    if people(m, "apologies"):
        para(
            doc,
            "Apologies: " + ", ".join(a["written"] for a in people(m, "apologies")),
            label="Apologies:",
        )
    rows = []
    for it in m["items"]:
        acts = units(it, "x")
        rows.append(
            [
                f"{it['num']}. {it['title']}",
                [line_of(u) for u in units(it, "cdr")],
                [u["text"] for u in acts],
                [u["owner_w"] for u in acts],
                [u["due_w"] for u in acts],
            ]
        )
    table(
        doc, ["Item", "Discussion", "Action", "Owner", "By when"], rows, widths=[3, 6.5, 4, 1.5, 2]
    )
    for line in m.get("after", []):
        para(doc, line)


def render_forum(doc, m):
    """4. Lived-experience forum notes, in three variants of one informal style."""
    para(doc, m["head"][0], bold=True, size=14)
    for line in m["head"][1:]:
        para(doc, line)
    came, sorry = m["att_labels"]
    para(doc, f"{came}: " + ", ".join(a["written"] for a in people(m, "present")), label=f"{came}:")
    if people(m, "apologies"):
        para(
            doc,
            f"{sorry}: " + ", ".join(a["written"] for a in people(m, "apologies")),
            label=f"{sorry}:",
        )
    for line in m.get("intro", []):
        para(doc, line)
    if m["variant"] == "table":
        talk = [it for it in m["items"] if units(it, "c")]
        para(doc, "What people told us", bold=True, size=12)
        table(
            doc,
            ["Topic", "What people told us"],
            [[it["title"], [line_of(u) for u in it["units"]]] for it in talk],
            widths=[4, 12.5],
        )
        rest = [it for it in m["items"] if it not in talk]
    else:
        rest = m["items"]
    for it in rest:
        head = f"{it['num']}. {it['title']}" if it["num"] else it["title"]
        para(doc, head, bold=True)
        for u in it["units"]:
            bullet = u.get("bullet")
            if bullet is None:
                bullet = u["t"] == "x" or m["variant"] == "table"
            para(doc, line_of(u), style="List Bullet" if bullet else None)
    for line in m.get("after", []):
        para(doc, line)


def render_labels(doc, m):
    """5. Steering group label lines."""
    for label, value in (
        ("Meeting:", m["body"]),
        ("Date:", m["date_text"]),
        ("Time:", m["time"]),
        ("Location:", m["place"]),
        ("Chair:", m["chair"]),
        ("Minute taker:", m["taker"]),
    ):
        para(doc, f"{label} {value}", label=label)
    para(doc, "Attendees:", bold=True)
    for a in people(m, "present"):
        para(doc, a["written"])
    if people(m, "apologies"):
        para(doc, "Apologies:", bold=True)
        for a in people(m, "apologies"):
            para(doc, a["written"])
    para(doc, "Discussion Summary:", bold=True)
    for it in m["items"]:
        if it.get("section"):
            para(doc, f"{it['title']}:", bold=True)
        else:
            para(
                doc,
                f"{it['num']}) {it['title']} ({it['lead_w']})"
                if it["lead_w"]
                else f"{it['num']}) {it['title']}",
                bold=True,
            )
        for u in it["units"]:
            para(doc, line_of(u), style="List Bullet")
    for line in m.get("after", []):
        para(doc, line)


RENDER = {
    "board": render_board,
    "ics": render_ics,
    "tf": render_tf,
    "forum": render_forum,
    "labels": render_labels,
}


def set_properties(doc, m):
    d = dt.date.fromisoformat(m["date"])
    saved = dt.datetime(d.year, d.month, d.day, 17, 5, tzinfo=dt.UTC) + dt.timedelta(days=2)
    props = doc.core_properties
    props.author = props.last_modified_by = m["author"]
    props.created, props.modified = saved, saved + dt.timedelta(hours=3)
    props.revision = 2
    props.title = props.subject = props.keywords = props.comments = ""


def docx_bytes(m):
    doc = new_doc(FONTS[m["style"]])
    RENDER[m["style"]](doc, m)
    set_properties(doc, m)
    raw = io.BytesIO()
    doc.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():  # fixed timestamps: the same bytes on every run
            fixed = zipfile.ZipInfo(info.filename, date_time=(2022, 4, 1, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# ======================================================================
# Truth
# ======================================================================
def all_units(m):
    for it in m["items"]:
        for u in it["units"]:
            if u["t"] != "r":
                yield it, u


def index():
    """key -> (meeting, item, unit or None, kind)."""
    where = {}
    for m in MEETINGS:
        for it in m["items"]:
            where[it["key"]] = (m, it, None, "agenda_item")
        for it, u in all_units(m):
            where[u["key"]] = (
                m,
                it,
                u,
                {"c": "contribution", "x": "action", "d": "decision"}[u["t"]],
            )
    return where


def is_lxp(who):
    return who == LXP or ROLE.get(who) == "lxp"


def is_lxp_input(m, u):
    return u["t"] == "c" and (BODY[m["body"]]["kind"] == "catch-up" or is_lxp(u["speaker"]))


def credits(target):
    """A record credits LXPs when an LXP says it, it names them as its source, or an LXP leads its item."""
    _m, it, u, _kind = target
    if is_lxp(it["lead"]):
        return True
    return u is not None and (u.get("cr") or is_lxp(u.get("speaker")))


def outcomes():
    where = index()
    result = {}
    for m in sorted(MEETINGS, key=lambda m: m["date"]):
        ws = BODY[m["body"]]["workstream"]
        for _it, u in all_units(m):
            if not is_lxp_input(m, u):
                continue
            targets = [where[t] for f, t in LINKS if f == u["key"]]
            if any(kind in ("action", "decision") for *_, kind in targets):
                status = "acted"
            elif targets:
                status = "heard"
            elif any(
                BODY[o["body"]]["workstream"] == ws
                and BODY[o["body"]]["kind"] == "governance"
                and o["date"] > m["date"]
                for o in MEETINGS
            ):
                status = "lost"
            else:
                status = "awaiting"
            result[u["key"]] = {"status": status, "credited": any(credits(t) for t in targets)}
    return result


def truth():
    meetings = []
    for m in sorted(MEETINGS, key=lambda m: (m["date"], m["id"])):
        tm = {
            "file": f"minutes/{m['file']}",
            "body": m["body"],
            "date": m["date"],
            "attendees": [{"name": a["name"], "status": a["status"]} for a in m["att"]],
            "agenda_items": [
                {"key": it["key"], "number": it["num"], "title": it["title"], "lead": it["lead"]}
                for it in m["items"]
            ],
            "contributions": [],
            "actions": [],
            "decisions": [],
        }
        for it, u in all_units(m):
            if u["t"] == "c":
                tm["contributions"].append(
                    {"key": u["key"], "item": it["key"], "text": u["text"], "speaker": u["speaker"]}
                )
            elif u["t"] == "x":
                tm["actions"].append(
                    {
                        "key": u["key"],
                        "item": it["key"],
                        "text": u["text"],
                        "owners": u["owners"],
                        "due": u["due"],
                    }
                )
            else:
                tm["decisions"].append({"key": u["key"], "item": it["key"], "text": u["text"]})
        meetings.append(tm)
    return {
        "corpus": CORPUS,
        "meetings": meetings,
        "links": [{"from": f, "to": t} for f, t in LINKS],
        "outcomes": outcomes(),
    }


# ======================================================================
# Checks: the documents say what the truth says
# ======================================================================
def texts_of(data):
    from docx import Document as Open

    doc = Open(io.BytesIO(data))
    out = [p.text for p in doc.paragraphs]

    def walk(tables):
        for t in tables:
            for row in t.rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
                    walk(cell.tables)

    walk(doc.tables)
    return [" ".join(t.split()) for t in out if t.strip()]


def check(blobs):
    problems = []
    where = index()
    keys = [
        k
        for m in MEETINGS
        for k in [it["key"] for it in m["items"]] + [u["key"] for _, u in all_units(m)]
    ]
    if len(keys) != len(set(keys)):
        problems.append("duplicate keys")
    if len({m["file"] for m in MEETINGS}) != len(MEETINGS):
        problems.append("duplicate file names")
    roster = set(ROLE)
    for m in MEETINGS:
        lines = texts_of(blobs[m["file"]])
        low = [ln.lower() for ln in lines]

        def present(s, m=m, lines=lines):
            s = " ".join(s.split())
            return any(s in ln for ln in lines)

        if not present(m["date_text"]):
            problems.append(f"{m['file']}: date {m['date_text']!r} not written")
        heading = " | ".join(low[:4])
        own = [p for p in BODY[m["body"]]["patterns"] if p.lower() in heading]
        longest = max((len(p) for p in own), default=0)
        rivals = [
            p
            for b, spec in BODY.items()
            if b != m["body"]
            for p in spec["patterns"]
            if re.search(rf"(?<!\w){re.escape(p.lower())}(?!\w)", heading) and len(p) >= longest
        ]
        if not own or rivals:
            problems.append(f"{m['file']}: heading block fits {own} and rivals {rivals}")
        for a in m["att"]:
            if not present(a["written"]):
                problems.append(f"{m['file']}: attendee {a['written']!r} not written")
        for it in m["items"]:
            if not any(it["title"].lower() in ln for ln in low):
                problems.append(f"{it['key']}: title not written")
            if it["lead"] and it["lead"] not in roster and not it["lead"].startswith("group:"):
                problems.append(f"{it['key']}: lead not on the roster")
        for _it, u in all_units(m):
            if not present(u["text"]):
                problems.append(f"{u['key']}: text not written: {u['text'][:50]!r}")
            for who in [u.get("speaker")] if u["t"] == "c" else u.get("owners", []):
                if who and who not in roster and not who.startswith("group:"):
                    problems.append(f"{u['key']}: {who!r} not on the roster")
    for f, t in LINKS:
        if f not in where or t not in where:
            problems.append(f"link {f}->{t}: unknown key")
            continue
        (fm, _fi, fu, fk), (tm, *_rest) = where[f], where[t]
        if fk != "contribution" or not is_lxp_input(fm, fu):
            problems.append(f"link {f}->{t}: not from LXP input")
        if BODY[fm["body"]]["workstream"] != BODY[tm["body"]]["workstream"]:
            problems.append(f"link {f}->{t}: crosses workstreams")
        if BODY[tm["body"]]["kind"] == "catch-up" or not tm["date"] > fm["date"]:
            problems.append(f"link {f}->{t}: not a later governance or working meeting")
        elif (dt.date.fromisoformat(tm["date"]) - dt.date.fromisoformat(fm["date"])).days > 140:
            problems.append(f"link {f}->{t}: more than 140 days")
    if len(set(LINKS)) != len(LINKS):
        problems.append("duplicate links")
    for f, t in HARD_NEGATIVES:
        if (f, t) in LINKS or f not in where or t not in where:
            problems.append(f"hard negative {f}->{t} is a link or unknown")
    got = outcomes()
    for m in MEETINGS:
        for _it, u in all_units(m):
            if is_lxp_input(m, u):
                o = got[u["key"]]
                want = o["status"] + ("/c" if o["credited"] else "")
                if u.get("exp") != want:
                    problems.append(f"{u['key']}: outcome {want}, intended {u.get('exp')}")
            elif u.get("exp"):
                problems.append(f"{u['key']}: has an intended outcome but is not LXP input")
    return problems


# ======================================================================
# Output
# ======================================================================
def write_all(outdir: Path) -> dict:
    (outdir / "minutes").mkdir(parents=True, exist_ok=True)
    blobs = {m["file"]: docx_bytes(m) for m in MEETINGS}
    for old in (outdir / "minutes").glob("*.docx"):
        if old.name not in blobs:
            old.unlink()
    for name, data in blobs.items():
        (outdir / "minutes" / name).write_bytes(data)
    with open(outdir / "roster.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "aliases", "role", "email"])
        w.writerows(PEOPLE)
    with open(outdir / "bodies.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "kind", "workstream", "patterns"])
        w.writerows([name, kind, ws, ";".join(patterns)] for name, kind, ws, patterns in BODIES)
    t = truth()
    (outdir / "truth.json").write_text(
        json.dumps(t, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    problems = check(blobs)
    if problems:
        raise SystemExit("corpus check failed:\n  " + "\n  ".join(problems))
    return t


def summary(t: dict) -> str:
    ms = t["meetings"]
    counts = {
        k: sum(len(m[k]) for m in ms)
        for k in ("attendees", "agenda_items", "contributions", "actions", "decisions")
    }
    status = {
        s: sum(o["status"] == s for o in t["outcomes"].values())
        for s in ("acted", "heard", "lost", "awaiting")
    }
    styles = {s: sum(m["style"] == s for m in MEETINGS) for s in RENDER}
    return (
        f"meetings {len(ms)} ({', '.join(f'{k} {v}' for k, v in styles.items())}); "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; links {len(t['links'])}; "
        f"LXP contributions {len(t['outcomes'])}: "
        + ", ".join(f"{k} {v}" for k, v in status.items())
        + f"; credited {sum(o['credited'] for o in t['outcomes'].values())}"
    )


def main():
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    print(summary(write_all(outdir)))  # noqa: T201


if __name__ == "__main__":
    main()
