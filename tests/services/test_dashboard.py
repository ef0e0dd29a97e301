"""Dashboard figures equal what `tracker export` says for the same data."""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from factories import (
    make_action,
    make_body,
    make_contribution,
    make_decision,
    make_item,
    make_link,
    make_meeting,
    make_outcome,
    make_person,
)
from tracker.errors import BadInput, NotFound
from tracker.models import AuditEvent, Person
from tracker.services.dashboard import (
    MIN_GROUP,
    NOT_QUOTED,
    Filters,
    build_dashboard,
    list_points,
    parse_filters,
    point_evidence,
    record_download,
)
from tracker.services.export import build_export
from tracker.services.linking import recompute_outcomes

START = date(2021, 1, 4)


def build_programme(session: Session, seed: int = 7) -> dict[str, Any]:
    """Two workstreams, catch-ups feeding governance meetings, over four months."""
    rng = random.Random(seed)
    carers = [
        make_person(session, f"Carer {i}", self_described_group="Carers") for i in range(MIN_GROUP)
    ]
    young = [
        make_person(session, f"Young {i}", self_described_group="Young adults") for i in range(2)
    ]
    quiet = [make_person(session, f"Quiet {i}") for i in range(2)]
    lxps = carers + young + quiet
    staff = [make_person(session, f"Staff {i}", role="staff") for i in range(3)]
    bodies = {
        "pd_catch": make_body(session, "PD LXP catch-up", kind="catch-up", workstream="PD"),
        "pd_crg": make_body(session, "PD CRG", kind="governance", workstream="PD"),
        "pd_tf": make_body(session, "PD task group", kind="working", workstream="PD"),
        "ed_catch": make_body(session, "ED LXP catch-up", kind="catch-up", workstream="ED"),
        "ed_board": make_body(session, "ED board", kind="governance", workstream="ED"),
    }
    meetings: dict[str, list[Any]] = defaultdict(list)
    for week in range(12):
        day = START + timedelta(days=7 * week)
        for key, body in bodies.items():
            if (week + len(key)) % 2 == 0 or key.endswith("catch"):
                meetings[key].append(
                    make_meeting(session, body, day + timedelta(days=len(key) % 3))
                )
    points = []
    targets: dict[str, list[Any]] = defaultdict(list)
    for key, rows in meetings.items():
        workstream = bodies[key].workstream
        for meeting in rows:
            items = []
            for n in range(2):
                lead = rng.choice([None, "lxp", "group", "staff", "written"])
                kw: dict[str, Any] = {}
                if lead == "lxp":
                    kw["lead_person_id"] = rng.choice(lxps).id
                elif lead == "group":
                    kw["lead_group"] = "lxp"
                elif lead == "staff":
                    kw["lead_person_id"] = rng.choice(staff).id
                elif lead == "written":
                    kw["lead_as_written"] = "Someone"
                items.append(make_item(session, meeting, f"Item {n}", number=str(n + 1), **kw))
                targets[workstream].append((meeting, items[-1]))
            for n in range(rng.randint(1, 4)):
                who = rng.choice(["lxp", "lxp", "group", "staff", "none", "written"])
                kw = {"consent": rng.choice(["quote-named", "quote-named", "count-only"])}
                speaker = group = None
                if who == "lxp":
                    speaker = rng.choice(lxps)
                elif who == "group":
                    group = "lxp"
                elif who == "staff":
                    speaker = rng.choice(staff)
                contribution = make_contribution(
                    session,
                    meeting,
                    f"Point {n} about crisis care and peer support",
                    speaker=speaker,
                    group=group,
                    item=rng.choice(items),
                    **kw,
                )
                if who == "written":
                    contribution.speaker_as_written = "Somebody unlisted"
                    session.add(contribution)
                points.append((meeting, contribution))
                targets[workstream].append((meeting, contribution))
            if bodies[key].kind != "catch-up":
                targets[workstream].append((meeting, make_action(session, meeting, "Do it")))
                targets[workstream].append((meeting, make_decision(session, meeting, "Agreed")))
    session.flush()
    # Links from catch-up points to later records of the same workstream.
    for meeting, contribution in points:
        workstream = next(b.workstream for b in bodies.values() if b.id == meeting.body_id)
        later = [
            t
            for m, t in targets[workstream]
            if m.date > meeting.date and m.body_id != meeting.body_id
        ]
        if later and rng.random() < 0.6:
            for target in rng.sample(later, k=min(len(later), rng.randint(1, 2))):
                make_link(
                    session,
                    contribution,
                    target,
                    status=rng.choice(["suggested", "confirmed", "rejected"]),
                )
    recompute_outcomes(session=session)
    session.flush()
    # A superseded meeting never counts, with whatever it holds.
    old = make_meeting(session, bodies["pd_catch"], START - timedelta(days=30), is_current=False)
    stale = make_contribution(session, old, "Superseded point", speaker=carers[0])
    make_outcome(session, stale, "lost")
    make_item(session, old, "Stale item", lead_group="lxp")
    session.commit()
    return {"bodies": bodies, "lxps": lxps, "carers": carers, "young": young}


# ---------------------------------------------------------------- reference


def _in_scope(meeting: dict[str, Any], bodies: dict[str, dict], f: Filters) -> bool:
    day = date.fromisoformat(meeting["date"])
    if (f.start and day < f.start) or (f.end and day > f.end):
        return False
    if f.body_id is not None and meeting["body_id"] != f"b{f.body_id}":
        return False
    return not (f.workstream and bodies[meeting["body_id"]]["workstream"] != f.workstream)


def reference(export: dict[str, Any], f: Filters, groups: dict[str, str | None]) -> dict[str, Any]:
    """Recompute every dashboard figure from the export's dict alone."""
    bodies = {b["id"]: b for b in export["bodies"]}
    roles = {p["id"]: p["role"] for p in export["people"]}
    meetings = [m for m in export["meetings"] if _in_scope(m, bodies, f)]
    where = {c["id"]: (m, c) for m in meetings for c in m["contributions"]}
    outcomes = [o for o in export["outcomes"] if o["contribution_id"] in where]
    ref: dict[str, Any] = {"status": Counter(o["status"] for o in outcomes)}
    ref["points"] = len(outcomes)
    ref["credited"] = sum(o["credited"] for o in outcomes)
    ref["uncredited"] = sum(
        1 for o in outcomes if not o["credited"] and o["status"] in ("acted", "heard")
    )
    days = [o["days_to_first_trace"] for o in outcomes if o["days_to_first_trace"] is not None]
    ref["median_days"] = statistics.median(days) if days else None
    by_body: dict[str, Counter] = defaultdict(Counter)
    by_month: dict[str, Counter] = defaultdict(Counter)
    voices: dict[str, Counter] = defaultdict(Counter)
    for o in outcomes:
        m, c = where[o["contribution_id"]]
        by_body[m["body_id"]][o["status"]] += 1
        by_month[m["date"][:7]][o["status"]] += 1
        pid = (c["speaker"] or {}).get("person_id")
        if pid and roles[pid] == "lxp":
            voices[pid]["points"] += 1
            voices[pid]["lost"] += o["status"] == "lost"
            voices[pid]["credited"] += o["credited"]
    ref["by_body"], ref["by_month"], ref["voices"] = by_body, by_month, voices
    attribution: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    attribution_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    led: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for m in meetings:
        for c in m["contributions"]:
            named = bool(c["speaker"] and (c["speaker"]["person_id"] or c["speaker"]["group"]))
            for bucket in (attribution[m["body_id"]], attribution_month[m["date"][:7]]):
                bucket[0] += 1
                bucket[1] += named
        for item in m["agenda_items"]:
            lead = item["lead"] or {}
            lxp_led = lead.get("group") == "lxp" or (
                lead.get("person_id") is not None and roles[lead["person_id"]] == "lxp"
            )
            led[m["body_id"]][0] += 1
            led[m["body_id"]][1] += lxp_led
    ref["attribution"], ref["attribution_month"], ref["led"] = attribution, attribution_month, led
    group_counts: dict[str, Counter] = defaultdict(Counter)
    for pid, counts in voices.items():
        group = groups[pid] or "Not stated"
        group_counts[group].update(counts)
        group_counts[group]["people"] += 1
    ref["groups"] = group_counts
    return ref


FILTERS = [
    Filters(),
    Filters(start=date(2021, 2, 1), end=date(2021, 3, 31)),
    Filters(workstream="PD"),
    Filters(workstream="ED", end=date(2021, 3, 15)),
]


@pytest.mark.parametrize("f", FILTERS, ids=["all", "feb-mar", "pd", "ed-to-mid-march"])
def test_every_figure_equals_the_export(session: Session, f: Filters) -> None:
    """Does each dashboard number equal the same number recomputed from build_export?"""
    built = build_programme(session)
    export = build_export(session=session)
    groups = {f"p{p.id}": p.self_described_group for p in session.exec(select(Person)).all()}
    ref = reference(export, f, groups)
    dash = build_dashboard(session=session, filters=f)
    head = dash.headline
    assert ref["points"] > 0
    assert head["points"] == ref["points"]
    for status in ("acted", "heard", "awaiting", "lost", "not-taken-forward"):
        assert head[status] == ref["status"][status], status
    assert head["credited"] == ref["credited"]
    assert head["uncredited"] == ref["uncredited"]
    assert head["median_days"] == ref["median_days"]

    outcomes = {r["body_id"]: r for r in dash.table("outcomes").rows if r["body_id"]}
    assert {f"b{b}" for b in outcomes} == set(ref["by_body"])
    for body_id, row in outcomes.items():
        expected = ref["by_body"][f"b{body_id}"]
        assert row["points"] == sum(expected.values())
        assert {k: row[k] for k in expected} == dict(expected)
    months = {r["month"]: r for r in dash.table("outcomes_by_month").rows}
    assert set(months) == set(ref["by_month"])
    for month, counts in ref["by_month"].items():
        assert {k: months[month][k] for k in counts} == dict(counts)

    attribution = {r["body_id"]: r for r in dash.table("attribution").rows}
    assert {f"b{b}": [r["statements"], r["attributed"]] for b, r in attribution.items()} == dict(
        ref["attribution"]
    )
    assert head["statements"] == sum(v[0] for v in ref["attribution"].values())
    assert head["attributed"] == sum(v[1] for v in ref["attribution"].values())
    by_month = {
        r["month"]: [r["statements"], r["attributed"]]
        for r in dash.table("attribution_by_month").rows
    }
    assert by_month == dict(ref["attribution_month"])
    led = {f"b{r['body_id']}": [r["items"], r["lxp_led"]] for r in dash.table("lxp_led_items").rows}
    assert led == dict(ref["led"])

    voices = {f"p{r['person_id']}": r for r in dash.table("voices_by_lxp").rows}
    assert set(voices) == set(ref["voices"])
    for pid, counts in ref["voices"].items():
        row = voices[pid]
        assert (row["points"], row["lost"], row["credited"]) == (
            counts["points"],
            counts["lost"],
            counts["credited"],
        )
        assert row["lost_rate"] == round(counts["lost"] / counts["points"], 4)
    shown = {r["group"]: r for r in dash.table("voices_by_group").rows}
    for group, counts in ref["groups"].items():
        if counts["people"] < MIN_GROUP:
            assert group not in shown
        else:
            assert (shown[group]["people"], shown[group]["points"], shown[group]["lost"]) == (
                counts["people"],
                counts["points"],
                counts["lost"],
            )
    assert built["carers"]


def test_small_groups_are_hidden(session: Session) -> None:
    """Is a self-described group of fewer than five people left out, with a note?"""
    build_programme(session)
    dash = build_dashboard(session=session, filters=Filters())
    table = dash.table("voices_by_group")
    groups = {r["group"] for r in table.rows}
    assert "Young adults" not in groups
    assert "Carers" in groups
    assert "hidden" in table.note


def test_superseded_meetings_never_count(session: Session) -> None:
    """Does a stale version's lost point stay off the dashboard and the lost list?"""
    build_programme(session)
    dash = build_dashboard(
        session=session,
        filters=Filters(start=START - timedelta(days=31), end=START - timedelta(days=1)),
    )
    lost = list_points(session=session, filters=Filters(), kind="lost")
    assert all(r["text"] != "Superseded point" for r in lost.rows)
    assert dash.headline["points"] == dash.headline["lost"] == 0
    assert dash.table("lxp_led_items").rows == []


def test_lost_list_matches_export_and_hides_count_only_text(session: Session) -> None:
    """Does the lost list hold every lost point of the export, never quoting count-only ones?"""
    build_programme(session)
    export = build_export(session=session)
    lost = {o["contribution_id"] for o in export["outcomes"] if o["status"] == "lost"}
    texts = {c["id"]: c["text"] for m in export["meetings"] for c in m["contributions"]}
    page = list_points(session=session, filters=Filters(), kind="lost", per_page=1000)
    assert page.total == len(lost) > 0
    assert {f"c{r['contribution_id']}" for r in page.rows} == lost
    from tracker.models import Contribution

    for row in page.rows:
        c = session.get(Contribution, row["contribution_id"])
        assert row["text"] == (NOT_QUOTED if c.consent == "count-only" else texts[f"c{c.id}"])
    uncredited = list_points(session=session, filters=Filters(), kind="uncredited", per_page=7)
    expected = sum(
        1 for o in export["outcomes"] if not o["credited"] and o["status"] in ("acted", "heard")
    )
    assert uncredited.total == expected
    assert uncredited.pages == -(-expected // 7)
    with pytest.raises(NotFound):
        list_points(session=session, filters=Filters(), kind="everything")


def test_evidence_shows_the_point_its_meeting_and_its_traces(session: Session) -> None:
    """Does the drill-down show the meeting, non-rejected traces and the meetings that missed it?"""
    catch = make_body(session, "Catch", kind="catch-up", workstream="W")
    crg = make_body(session, "CRG", kind="governance", workstream="W")
    lxp = make_person(session, "Ann Lee")
    m1 = make_meeting(session, catch, date(2021, 3, 9))
    m2 = make_meeting(session, crg, date(2021, 3, 18))
    point = make_contribution(session, m1, "Evening peer support groups", speaker=lxp)
    lost = make_contribution(session, m1, "Transport costs", speaker=lxp, consent="count-only")
    decision = make_decision(session, m2, "Agreed: pilot evening peer support groups")
    other = make_decision(session, m2, "Something else")
    make_link(session, point, decision, status="confirmed")
    make_link(session, point, other, status="rejected")
    recompute_outcomes(session=session)
    session.commit()
    evidence = point_evidence(session=session, contribution_id=point.id)
    assert evidence["outcome"] == "acted"
    assert evidence["meeting"]["body"] == "Catch"
    assert [t["text"] for t in evidence["traces"]] == [decision.text]
    gone = point_evidence(session=session, contribution_id=lost.id)
    assert gone["outcome"] == "lost"
    assert gone["text"] == NOT_QUOTED
    assert [m["body"] for m in gone["missed_by"]] == ["CRG"]
    with pytest.raises(NotFound):
        point_evidence(session=session, contribution_id=decision.id + 10_000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"from": "9 March"}, "YYYY-MM-DD"),
        ({"from": "2021-04-01", "to": "2021-03-01"}, "after"),
        ({"body_id": "x"}, "number"),
    ],
)
def test_bad_filters_are_explained(args: dict[str, str], message: str) -> None:
    """Are bad filter values refused with a plain message?"""
    with pytest.raises(BadInput, match=message):
        parse_filters(args)


def test_filters_round_trip() -> None:
    """Do parsed filters give back the same query arguments?"""
    args = {"from": "2021-01-01", "to": "2021-02-01", "workstream": "PD", "body_id": "3"}
    assert parse_filters(args).query_args() == args


def test_downloads_are_audited_without_text(session: Session) -> None:
    """Is a download recorded with who, which table, the filters and the row count?"""
    f = Filters(workstream="PD")
    record_download(
        session=session, actor="lead@example.org", what="outcomes", filters=f, fmt="csv", rows=4
    )
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "dashboard.download")).one()
    assert event.actor == "lead@example.org"
    assert event.detail == {"format": "csv", "filters": f.as_dict(), "rows": 4}
