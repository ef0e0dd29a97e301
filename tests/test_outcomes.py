"""Outcome rules (DESIGN.md): acted, heard, lost, awaiting, not-taken-forward."""

from datetime import date, timedelta

import pytest

from tracker.domain.matching import Record
from tracker.domain.outcomes import classify_outcome, credits, names_lxps_as_source

DAY0 = date(2021, 3, 9)


def rec(id: str, kind: str = "contribution", days: int = 9, text: str = "x", **kw) -> Record:
    kw.setdefault("body_kind", "governance")
    return Record(
        id=id,
        kind=kind,
        text=text,
        meeting_id=kw.pop("meeting_id", f"m{days}"),
        meeting_date=DAY0 + timedelta(days=days),
        workstream="PD",
        **kw,
    )


SOURCE = rec(
    "s",
    days=0,
    body_kind="catch-up",
    speaker_person_id="kb",
    speaker_is_lxp=True,
    speaker_names=("Kwame Boateng", "KB", "Kwame"),
)
LATER_CRG = [DAY0 + timedelta(days=9)]


@pytest.mark.parametrize(
    ("traces", "gov_dates", "reason", "status", "days"),
    [
        ([rec("a", "action", 9)], LATER_CRG, None, "acted", 9),
        ([rec("c", "contribution", 30), rec("d", "decision", 9)], LATER_CRG, None, "acted", 9),
        ([rec("c", "contribution", 9), rec("i", "agenda_item", 20)], LATER_CRG, None, "heard", 9),
        ([], LATER_CRG, None, "lost", None),
        ([], [], None, "awaiting", None),
        # Only earlier governance meetings have sat: still awaiting.
        ([], [DAY0 - timedelta(days=5), DAY0], None, "awaiting", None),
        # A working group trace counts even before any governance meeting.
        ([rec("c", "contribution", 5, body_kind="working")], [], None, "heard", 5),
        # A recorded reason is a person's decision and wins.
        ([], LATER_CRG, "Out of scope for this programme", "not-taken-forward", None),
        ([rec("c", "contribution", 9)], LATER_CRG, "Funding ended", "not-taken-forward", 9),
        # A blank reason is no reason.
        ([], LATER_CRG, "  ", "lost", None),
        # Records of the point's own meeting or earlier never count.
        ([rec("a", "action", 0, meeting_id=SOURCE.meeting_id)], LATER_CRG, None, "lost", None),
        ([rec("a", "action", -3)], LATER_CRG, None, "lost", None),
    ],
)
def test_status_and_days_to_first_trace(traces, gov_dates, reason, status, days) -> None:
    """Does each outcome follow the rules, with days to the first trace?"""
    got = classify_outcome(SOURCE, traces, gov_dates, reason)
    assert (got.status, got.days_to_first_trace) == (status, days)


@pytest.mark.parametrize(
    ("trace", "credited"),
    [
        (rec("t", text="Following feedback from the LXP catch-up, the CRG will act."), True),
        (rec("t", text="Papers go out early, in response to a request from LXP members."), True),
        (rec("t", text="A breathlessness module, as raised by LXPs, will be added."), True),
        (rec("t", text="Members heard LXP feedback that patients are not told."), True),
        (rec("t", text="Co-delivered with experts by experience, as proposed at catch-up."), True),
        (rec("t", kind="action", text="MO to invite KB to join the design group"), True),
        (rec("t", text="Kwame's suggestion will be piloted."), True),
        (rec("t", speaker_person_id="mf", speaker_is_lxp=True), True),
        (rec("t", speaker_group="lxp"), True),
        # In an agenda item led by the LXP who made the point.
        (rec("t", item_lead_person_id="kb", item_lead_is_lxp=True), True),
        # Uncredited: staff restate it, or LXPs are only mentioned.
        (rec("t", text="Crisis plans will be shared with A&E."), False),
        (rec("t", text="LXP payments will cover preparation time."), False),
        (rec("t", speaker_person_id="gl", speaker_group=None), False),
        (rec("t", item_lead_person_id="yh", item_lead_is_lxp=True), False),
        # Initials must be written in capitals to name someone.
        (rec("t", text="Send the kb of data to the team."), False),
    ],
)
def test_credited(trace: Record, credited: bool) -> None:
    """Is a trace credited only when it attributes the point to LXPs?"""
    assert credits(SOURCE, trace) is credited
    got = classify_outcome(SOURCE, [trace], LATER_CRG)
    assert got.credited is credited


def test_group_point_credited_by_lxp_led_item() -> None:
    """Is a group point credited by an item the LXP group leads?"""
    group_point = rec("g", days=0, body_kind="catch-up", speaker_group="lxp", speaker_is_lxp=True)
    trace = rec("t", days=9, item_lead_is_lxp=True)
    assert credits(group_point, trace)


def test_no_traces_no_credit() -> None:
    """Is a lost point never credited?"""
    assert classify_outcome(SOURCE, [], LATER_CRG).credited is False


@pytest.mark.parametrize(
    "text",
    [
        "LXPs raised concerns about waits",
        "as suggested by lived experience practitioners",
        "following LXP feedback",
        "in response to LXP requests",
    ],
)
def test_credit_cues(text: str) -> None:
    """Are the usual ways minutes name LXPs as the source recognised?"""
    assert names_lxps_as_source(text)
