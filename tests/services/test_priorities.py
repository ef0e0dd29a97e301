"""The LXP group's priorities: the rules, the matcher, and what moved under each."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, select

from factories import (
    make_body,
    make_contribution,
    make_decision,
    make_link,
    make_meeting,
    make_person,
)
from tracker.errors import BadInput, Conflict
from tracker.models import AuditEvent, PriorityTag
from tracker.services.dashboard import Filters, build_dashboard
from tracker.services.export import build_export
from tracker.services.linking import recompute_outcomes
from tracker.services.priorities import (
    PriorityEntry,
    add_priority,
    check_priorities,
    decide_tag,
    list_priorities,
    priorities_for_person,
    remove_priority,
    suggest_tags,
    tag_point,
    tag_queue,
    update_priority,
)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([PriorityEntry(f"P{i}") for i in range(6)], "at most 5"),
        ([PriorityEntry(f"P{i}", overarching=True) for i in range(4)], "at most 3"),
        ([PriorityEntry("Crisis care"), PriorityEntry("crisis  care")], "already"),
        ([PriorityEntry("   ")], "needs a title"),
    ],
)
def test_rules_are_enforced_with_clear_errors(entries: list[PriorityEntry], message: str) -> None:
    """Are six priorities, four overarching, repeats and blanks refused in words?"""
    with pytest.raises(BadInput, match=message):
        check_priorities(entries)


def test_five_priorities_three_overarching_fit() -> None:
    """Is the largest allowed set accepted?"""
    check_priorities([PriorityEntry(f"P{i}", overarching=i < 3) for i in range(5)])


def test_service_refuses_a_sixth_and_a_fourth_overarching(session: Session) -> None:
    """Does the service apply the rules per year, on add and on update?"""
    for i in range(5):
        add_priority(session=session, year=2021, title=f"Area {i}", overarching=i < 3, actor="lead")
    with pytest.raises(BadInput, match="at most 5"):
        add_priority(session=session, year=2021, title="One more", actor="lead")
    # Another year has its own five.
    add_priority(session=session, year=2022, title="Area 0", actor="lead")
    fourth = list_priorities(session=session, year=2021)[-1]
    assert not fourth.overarching
    with pytest.raises(BadInput, match="at most 3"):
        update_priority(
            session=session, priority_id=fourth.id, title=fourth.title, overarching=True, actor="x"
        )
    update_priority(
        session=session, priority_id=fourth.id, title="Renamed", overarching=False, actor="x"
    )
    remove_priority(session=session, priority_id=fourth.id, actor="x")
    assert len(list_priorities(session=session, year=2021)) == 4
    actions = Counter(e.action for e in session.exec(select(AuditEvent)).all())
    assert actions["priority.add"] == 6
    assert actions["priority.update"] == 1
    assert actions["priority.remove"] == 1


def _programme(session: Session) -> dict:
    catch = make_body(session, "Catch-up", kind="catch-up", workstream="PD")
    crg = make_body(session, "CRG", kind="governance", workstream="PD")
    ann, bob = make_person(session, "Ann"), make_person(session, "Bob")
    m1 = make_meeting(session, catch, date(2021, 3, 9))
    m2 = make_meeting(session, crg, date(2021, 3, 18))
    peer = make_contribution(session, m1, "We need evening peer support groups", speaker=ann)
    peer2 = make_contribution(session, m1, "More peer support for carers please", speaker=bob)
    transport = make_contribution(
        session, m1, "Travel costs for meetings are too high", speaker=ann
    )
    hidden = make_contribution(
        session, m1, "Peer support saved my life", speaker=bob, consent="count-only"
    )
    short = make_contribution(session, m1, "Peer support", speaker=ann)
    decision = make_decision(session, m2, "Agreed: pilot evening peer support groups")
    make_link(session, peer, decision, status="confirmed")
    recompute_outcomes(session=session)
    session.commit()
    support = add_priority(session=session, year=2021, title="Peer support", actor="lead")
    crisis = add_priority(
        session=session, year=2021, title="Crisis care", overarching=True, actor="lead"
    )
    return {
        "ann": ann,
        "bob": bob,
        "peer": peer,
        "peer2": peer2,
        "transport": transport,
        "hidden": hidden,
        "short": short,
        "support": support,
        "crisis": crisis,
    }


def test_matcher_suggests_and_people_decide(session: Session) -> None:
    """Are matching points suggested (not count-only or tiny ones), and only confirmed counted?"""
    p = _programme(session)
    assert suggest_tags(session=session, year=2021, actor="lead") == 2
    # Running again keeps what is there.
    assert suggest_tags(session=session, year=2021, actor="lead") == 0
    queue = tag_queue(session=session, year=2021)
    assert {q["contribution_id"] for q in queue} == {p["peer"].id, p["peer2"].id}
    assert all(q["priority"] == "Peer support" for q in queue)
    tags = {q["contribution_id"]: q["tag_id"] for q in queue}
    decide_tag(session=session, tag_id=tags[p["peer"].id], status="confirmed", actor="lead")
    decide_tag(session=session, tag_id=tags[p["peer2"].id], status="rejected", actor="lead")
    tag_point(
        session=session, priority_id=p["crisis"].id, contribution_id=p["hidden"].id, actor="lead"
    )
    with pytest.raises(Conflict):
        tag_point(
            session=session,
            priority_id=p["crisis"].id,
            contribution_id=p["hidden"].id,
            actor="lead",
        )
    with pytest.raises(BadInput):
        decide_tag(session=session, tag_id=tags[p["peer"].id], status="maybe", actor="lead")
    assert tag_queue(session=session, year=2021) == []

    rows = {
        r["priority"]: r
        for r in build_dashboard(session=session, filters=Filters()).table("priorities").rows
    }
    # Recompute from the export: outcomes of confirmed tags.
    export = build_export(session=session)
    status = {o["contribution_id"]: o["status"] for o in export["outcomes"]}
    confirmed = session.exec(select(PriorityTag).where(PriorityTag.status == "confirmed")).all()
    expected: dict[int, Counter] = {p["support"].id: Counter(), p["crisis"].id: Counter()}
    for tag in confirmed:
        expected[tag.priority_id][status[f"c{tag.contribution_id}"]] += 1
    assert rows["Peer support"]["points"] == 1
    assert rows["Peer support"]["acted"] == expected[p["support"].id]["acted"] == 1
    assert rows["Crisis care"]["points"] == 1
    assert rows["Crisis care"]["lost"] == expected[p["crisis"].id]["lost"] == 1
    assert rows["Crisis care"]["overarching"] == "Yes"
    # The period filter applies: nothing moved in 2020.
    before = build_dashboard(session=session, filters=Filters(end=date(2020, 12, 31)))
    assert before.table("priorities").rows == []


def test_priorities_for_person_counts_only_their_points(session: Session) -> None:
    """Does an LXP's page get the year's priorities with only their own confirmed points?"""
    p = _programme(session)
    tag_point(session=session, priority_id=p["support"].id, contribution_id=p["peer"].id, actor="x")
    tag_point(
        session=session, priority_id=p["support"].id, contribution_id=p["peer2"].id, actor="x"
    )
    ann = {v.title: v for v in priorities_for_person(session=session, person_id=p["ann"].id)}
    bob = {v.title: v for v in priorities_for_person(session=session, person_id=p["bob"].id)}
    assert set(ann) == {"Peer support", "Crisis care"}
    assert ann["Peer support"].points == 1
    assert ann["Peer support"].outcomes == {"acted": 1}
    assert bob["Peer support"].outcomes == {"lost": 1}
    assert ann["Crisis care"].points == 0
    assert priorities_for_person(session=session, person_id=p["ann"].id, year=2019) == []
