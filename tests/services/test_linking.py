"""Links survive re-matching and corrected minutes; outcomes follow them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from factories import make_body, make_person
from parsers.model import (
    ParsedContribution,
    ParsedDecision,
    ParsedItem,
    ParsedMinutes,
    ParsedSpeaker,
)
from tracker.config import Settings
from tracker.errors import BadInput, NotFound
from tracker.models import (
    AuditEvent,
    Contribution,
    Decision,
    GlossaryPair,
    Link,
    Meeting,
    Outcome,
)
from tracker.services.glossary import add_pair, programme_glossary, remove_pair, restore_pair
from tracker.services.linking import (
    confirm_link,
    learned_glossary,
    recompute_outcomes,
    reject_link,
    run_matching,
    set_not_taken_forward,
)
from tracker.services.meetings import store_minutes

CATCH_UP = ParsedMinutes(
    title="PD LXP catch-up",
    date=date(2021, 3, 9),
    items=(ParsedItem("1", "Life after diagnosis"),),
    contributions=(
        ParsedContribution(
            "A menu of support people can choose from after a personality disorder diagnosis",
            ParsedSpeaker("LXPs", group="lxp"),
            item=0,
        ),
        ParsedContribution(
            "Evening peer support groups for people who work during the day",
            ParsedSpeaker("LXPs", group="lxp"),
            item=0,
        ),
    ),
)


def crg(decision: str, extra: str = "") -> ParsedMinutes:
    contributions = (ParsedContribution(extra, None, item=0),) if extra else ()
    return ParsedMinutes(
        title="PD CRG minutes",
        date=date(2021, 5, 20),
        items=(ParsedItem("3", "Post-diagnostic support offer"),),
        contributions=contributions,
        decisions=(ParsedDecision(decision, item=0),),
    )


@pytest.fixture
def programme(session: Session) -> Session:
    make_body(session, "PD LXP catch-up", kind="catch-up", workstream="PD")
    make_body(session, "PD CRG", kind="governance", workstream="PD")
    make_person(session, "Jade Morgan", role="lxp", aliases=["JM"])
    session.commit()
    store_minutes(session=session, parsed=CATCH_UP, data=b"catch-up v1", filename="c.docx")
    return session


def _links(session: Session) -> list[Link]:
    session.expire_all()
    return list(session.exec(select(Link)).all())


def test_confirmed_and_rejected_links_follow_corrected_minutes(programme: Session) -> None:
    """Does a new version of the minutes keep people's decisions on links?"""
    session = programme
    decision_text = (
        "Agreed: a menu of support after a personality disorder diagnosis will be published"
    )
    store_minutes(session=session, parsed=crg(decision_text), data=b"crg v1", filename="crg.docx")
    run_matching(session=session, settings=Settings())
    links = [k for k in _links(session) if k.target_type == "decision"]
    assert links, "the matcher should suggest the menu-of-support decision"
    confirmed = links[0]
    confirm_link(session=session, link_id=confirmed.id or 0, actor="chair@example.org")
    old_target = confirmed.target_id

    corrected = decision_text.replace("will be published", "will be published by June")
    result = store_minutes(
        session=session,
        parsed=crg(corrected, "Members welcomed the idea."),
        data=b"crg v2",
        filename="crg v2.docx",
    )
    assert result.version == 2
    meetings = session.exec(select(Meeting).where(Meeting.title == "PD CRG minutes")).all()
    assert sorted((m.version, m.is_current) for m in meetings) == [(1, False), (2, True)]

    link = session.get(Link, confirmed.id)
    assert link is not None and link.status == "confirmed"
    assert link.target_id != old_target
    new_decision = session.get(Decision, link.target_id)
    assert new_decision is not None and new_decision.meeting_id == result.meeting_id
    assert not link.needs_reconfirmation

    # Re-matching keeps the confirmed link and the outcome it gives.
    run_matching(session=session, settings=Settings())
    session.expire_all()
    assert session.get(Link, confirmed.id).status == "confirmed"  # type: ignore[union-attr]
    assert session.get(Outcome, link.contribution_id).status == "acted"  # type: ignore[union-attr]


def test_link_whose_record_vanished_is_kept_for_reconfirmation(programme: Session) -> None:
    """When the corrected minutes drop the record, is the confirmed link kept and flagged?"""
    session = programme
    text = "Agreed: a menu of support after a personality disorder diagnosis will be published"
    store_minutes(session=session, parsed=crg(text), data=b"crg v1", filename="crg.docx")
    run_matching(session=session, settings=Settings())
    link = next(k for k in _links(session) if k.target_type == "decision")
    confirm_link(session=session, link_id=link.id or 0)
    store_minutes(
        session=session,
        parsed=crg("Agreed: the budget for 2021/22 was approved"),
        data=b"crg v2",
        filename="crg v2.docx",
    )
    kept = session.get(Link, link.id)
    assert kept is not None and kept.status == "confirmed" and kept.needs_reconfirmation


def test_rematch_drops_stale_suggestions_but_not_decisions(programme: Session) -> None:
    """Does `match` replace its own suggestions while leaving people's decisions alone?"""
    session = programme
    text = "Agreed: a menu of support after a personality disorder diagnosis will be published"
    store_minutes(session=session, parsed=crg(text), data=b"crg v1", filename="crg.docx")
    run_matching(session=session, settings=Settings())
    link = _links(session)[0]
    for other in _links(session):
        if other.contribution_id == link.contribution_id:
            reject_link(session=session, link_id=other.id or 0, reason="Different service")
    run_matching(session=session, settings=Settings())
    again = session.get(Link, link.id)
    assert again is not None and again.status == "rejected" and again.reason == "Different service"
    session.expire_all()
    outcome = session.get(Outcome, link.contribution_id)
    assert outcome is not None and outcome.status == "lost"
    actions = {e.action for e in session.exec(select(AuditEvent)).all()}
    assert {"link.rejected", "links.match", "meeting.import"} <= actions


def test_not_taken_forward_needs_a_reason_and_survives_recompute(programme: Session) -> None:
    """Is a not-taken-forward reason required, audited, and kept by recomputing?"""
    session = programme
    store_minutes(
        session=session, parsed=crg("Agreed: the budget was approved"), data=b"crg", filename="c"
    )
    run_matching(session=session, settings=Settings())
    point = session.exec(select(Outcome)).first()
    assert point is not None
    with pytest.raises(BadInput):
        set_not_taken_forward(session=session, contribution_id=point.contribution_id, reason=" ")
    with pytest.raises(NotFound):
        set_not_taken_forward(session=session, contribution_id=10**9, reason="x")
    set_not_taken_forward(
        session=session, contribution_id=point.contribution_id, reason="No funding this year"
    )
    recompute_outcomes(session=session)
    session.commit()
    session.expire_all()
    row = session.get(Outcome, point.contribution_id)
    assert row is not None and row.status == "not-taken-forward"
    assert row.reason == "No funding this year"


def test_awaiting_until_a_governance_meeting_sits(programme: Session) -> None:
    """Is LXP input awaiting while no later governance meeting has sat?"""
    session = programme
    run_matching(session=session, settings=Settings())
    statuses = {o.status for o in session.exec(select(Outcome)).all()}
    assert statuses == {"awaiting"}


def test_an_empty_governance_meeting_still_counts_as_having_sat(programme: Session) -> None:
    """Are points lost once a governance meeting sat, even if its minutes recorded nothing?"""
    session = programme
    store_minutes(
        session=session,
        parsed=ParsedMinutes(title="PD CRG minutes", date=date(2021, 4, 1)),
        data=b"empty crg",
        filename="empty.docx",
    )
    run_matching(session=session, settings=Settings())
    assert {o.status for o in session.exec(select(Outcome)).all()} == {"lost"}


def test_candidates_are_stored_with_confidence_and_count_toward_nothing(
    programme: Session,
) -> None:
    """Is a plausible but uncertain link kept for the chair's check without tracing the point?"""
    session = programme
    text = "Agreed: a menu of support after a personality disorder diagnosis will be published"
    store_minutes(session=session, parsed=crg(text), data=b"crg v1", filename="crg.docx")
    summary = run_matching(session=session, settings=Settings())
    links = _links(session)
    assert {k.status for k in links} == {"suggested", "candidate"}
    assert summary.candidates == sum(k.status == "candidate" for k in links) > 0
    assert all(k.confidence is not None and 0 <= k.confidence <= 1 for k in links)
    for k in links:
        if k.status == "suggested":
            assert k.confidence >= max(x.confidence for x in links if x.status == "candidate")
    outcomes = {o.contribution_id: o.status for o in session.exec(select(Outcome)).all()}
    only_candidates = {
        k.contribution_id
        for k in links
        if all(x.status == "candidate" for x in links if x.contribution_id == k.contribution_id)
    }
    assert only_candidates and {outcomes[c] for c in only_candidates} == {"lost"}
    traced = {k.contribution_id for k in links if k.status == "suggested"}
    assert traced and {outcomes[c] for c in traced} <= {"acted", "heard"}

    # Rejecting a candidate keeps it rejected and out of later matches.
    candidate = next(k for k in links if k.status == "candidate")
    reject_link(session=session, link_id=candidate.id or 0, reason="Not this point")
    run_matching(session=session, settings=Settings())
    again = [k for k in _links(session) if k.contribution_id == candidate.contribution_id]
    assert [(k.id, k.status) for k in again if k.target_type == candidate.target_type] == [
        (candidate.id, "rejected")
    ]


def test_confirmed_links_teach_the_programme_glossary(programme: Session) -> None:
    """Do two confirmed menu/directory links teach that pair, for the next match too?"""
    session = programme
    decision = "Agreed: a directory of support after a personality disorder diagnosis is published"
    store_minutes(session=session, parsed=crg(decision), data=b"crg v1", filename="crg.docx")
    carers = ParsedMinutes(
        title="PD LXP catch-up",
        date=date(2021, 6, 1),
        items=(ParsedItem("1", "Carers"),),
        contributions=(
            ParsedContribution(
                "A menu of crisis options for carers", ParsedSpeaker("LXPs", group="lxp"), item=0
            ),
        ),
    )
    store_minutes(session=session, parsed=carers, data=b"catch-up 2", filename="c2.docx")
    later = ParsedMinutes(
        title="PD CRG minutes",
        date=date(2021, 7, 1),
        items=(ParsedItem("2", "Carers"),),
        decisions=(ParsedDecision("Agreed: the carers' directory will list crisis options"),),
    )
    store_minutes(session=session, parsed=later, data=b"crg 2", filename="crg2.docx")
    run_matching(session=session, settings=Settings())
    assert learned_glossary(session=session, settings=Settings()) == []
    for link in _links(session):
        if link.target_type == "decision" and "directory" in link.target_text:
            text = session.get(Contribution, link.contribution_id).text  # type: ignore[union-attr]
            if "menu" in text:
                confirm_link(session=session, link_id=link.id or 0)
    assert ("menu", "directory", 2) in learned_glossary(session=session, settings=Settings())
    run_matching(session=session, settings=Settings())  # the learned pair in force: no error


def test_an_admin_adds_glossary_pairs_and_switches_learned_ones_off(programme: Session) -> None:
    """Do an admin's glossary edits show, take effect at the next match, and refuse bad input?"""
    session = programme
    decision = "Agreed: a directory of post-diagnostic services is published"
    store_minutes(session=session, parsed=crg(decision), data=b"crg v1", filename="crg.docx")
    run_matching(session=session, settings=Settings())

    def menu_to_directory() -> list[Link]:
        return [
            k
            for k in _links(session)
            if k.target_type == "decision"
            and "menu" in session.get(Contribution, k.contribution_id).text  # type: ignore[union-attr]
        ]

    before = {k.id: k.score for k in menu_to_directory()}
    add_pair(session=session, phrase="menu", variant="directory", actor="admin@example.org")
    rows = programme_glossary(session=session, settings=Settings())
    assert [(r.phrase, r.variant, r.source, r.active) for r in rows] == [
        ("menu", "directory", "added", True)
    ]
    run_matching(session=session, settings=Settings())
    after = menu_to_directory()
    assert after and all(k.score > before.get(k.id, 0.0) for k in after)

    remove_pair(session=session, phrase="menu", variant="directory", actor="admin@example.org")
    assert programme_glossary(session=session, settings=Settings()) == []
    # Switching a learned pair off is kept until restored.
    remove_pair(session=session, phrase="menu", variant="guide", actor="admin@example.org")
    assert session.exec(select(GlossaryPair)).one().status == "removed"
    restore_pair(session=session, phrase="menu", variant="guide", actor="admin@example.org")
    assert session.exec(select(GlossaryPair)).all() == []
    actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert {"glossary.added", "glossary.removed", "glossary.restore"} <= set(actions)

    for phrase, variant in (("", "x"), ("menu", "MENU"), ("menu", "<script>"), ("a" * 61, "b")):
        with pytest.raises(BadInput):
            add_pair(session=session, phrase=phrase, variant=variant, actor="admin@example.org")
    assert session.exec(select(GlossaryPair)).all() == []
