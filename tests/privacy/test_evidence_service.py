"""The one "evidence of a point" service: batched, and the rule applied to later records."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event
from sqlmodel import Session

from factories import (
    make_body,
    make_contribution,
    make_decision,
    make_link,
    make_meeting,
    make_person,
)
from tracker.domain.disclosure import NOT_QUOTED, STORY, Audience
from tracker.services.evidence import evidence_of


def arrange(session: Session, points: int, links_each: int) -> list[int]:
    catch_up = make_body(session, kind="catch-up")
    first = make_meeting(session, catch_up, date(2021, 3, 2))
    ids = []
    for p in range(points):
        lxp = make_person(session, f"LXP {p}")
        point = make_contribution(session, first, f"Point {p}", speaker=lxp)
        ids.append(point.id or 0)
        crg = make_body(session, kind="governance")
        for n in range(links_each):
            later = make_meeting(session, crg, date(2021, 4, 1 + n % 27))
            other = make_person(session, f"Other {p}-{n}")
            target = (
                make_contribution(
                    session,
                    later,
                    f"Said later {p}-{n}",
                    speaker=other,
                    consent=("count-only", "quote-named")[n % 2],
                    is_story=n % 3 == 0,
                )
                if n % 2 == 0
                else make_decision(session, later, f"Decided {p}-{n}")
            )
            make_link(session, point, target, status="confirmed")
    session.commit()
    return ids


def count_queries(session: Session, run) -> int:
    seen: list[str] = []

    def hook(*args) -> None:
        seen.append(args[2])

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", hook)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    return len(seen)


def test_evidence_takes_the_same_few_queries_for_one_link_or_a_hundred(session: Session) -> None:
    """Is the evidence of many points batched (a handful of queries, whatever the size)?"""
    small = arrange(session, 1, 2)
    large = arrange(session, 10, 10)
    few = count_queries(
        session,
        lambda: evidence_of(session=session, contribution_ids=small, audience=Audience.LEAD),
    )
    many = count_queries(
        session,
        lambda: evidence_of(session=session, contribution_ids=large, audience=Audience.LEAD),
    )
    assert many == few <= 7, (few, many)
    found = evidence_of(session=session, contribution_ids=large, audience=Audience.LEAD)
    assert sum(len(v) for v in found.values()) == 100


def test_a_later_record_that_is_someone_elses_private_words_is_not_quoted(
    session: Session,
) -> None:
    """Is a later contribution (another LXP's count-only words or story) shown as a placeholder?"""
    [point] = arrange(session, 1, 6)
    traces = evidence_of(session=session, contribution_ids=[point], audience=Audience.LEAD)[point]
    said = {t.text for t in traces if t.kind == "Discussion"}
    # n = 0 (count-only, story), 2 (count-only), 4 (count-only): none quoted.
    assert said == {NOT_QUOTED}
    assert {t.text for t in traces if t.kind == "Decision"} == {
        "Decided 0-1",
        "Decided 0-3",
        "Decided 0-5",
    }
    assert all(not t.quoted for t in traces if t.kind == "Discussion")
    assert STORY not in said  # count-only wins: not quoted, counted
