"""Confirmed links teach the programme's own vocabulary."""

from datetime import date, timedelta

from tracker.domain.learning import glossary_pairs, learn_glossary
from tracker.domain.matching import MatchSettings, Record, suggest_links

DAY0 = date(2021, 3, 9)


def rec(id: str, text: str, days: int, body: str = "governance") -> Record:
    return Record(
        id=id,
        kind="contribution",
        text=text,
        meeting_id=f"{body}-{days}",
        meeting_date=DAY0 + timedelta(days=days),
        body_kind=body,
        workstream="PD",
        item_id=f"{id}-item",
        speaker_group="lxp" if body == "catch-up" else None,
    )


POINT = rec("p1", "People want a menu of support after diagnosis", 0, "catch-up")
TAKEN_UP = rec("t1", "A directory of the post-diagnostic offer will be written", 10)
LATER_POINT = rec("p2", "Is the menu ready for people yet?", 40, "catch-up")
LATER_RECORD = rec("t2", "The directory is ready and goes to print", 50)
FILLER = [
    rec(f"f{n}", text, 10 + n)
    for n, text in enumerate(
        [
            "The finance report for the quarter was noted.",
            "Terms of reference were approved subject to the quorum change.",
            "Psychology vacancies remain the main driver of waits for therapy.",
            "The newsletter will move to a bi-monthly schedule.",
        ]
    )
]
POINT_2 = rec("p3", "A menu of crisis options for carers", 20, "catch-up")
TAKEN_UP_2 = rec("t3", "The carers' directory will include crisis lines", 30)
RECORDS = [POINT, TAKEN_UP, POINT_2, TAKEN_UP_2, LATER_POINT, LATER_RECORD, *FILLER]
CONFIRMED = [("p1", "t1"), ("p3", "t3")]


def test_a_confirmed_paraphrase_teaches_a_phrase_pair() -> None:
    """Does "menu" / "directory" join the glossary once two confirmed links show it?"""
    synonyms = MatchSettings().synonyms
    pairs = glossary_pairs(RECORDS, CONFIRMED, synonyms)
    assert ("menu", "directory", 2) in pairs
    # One link alone cannot tell which of its words pair up.
    assert glossary_pairs(RECORDS, CONFIRMED[:1], synonyms) == []


def test_the_learned_glossary_links_a_later_point_in_the_same_words() -> None:
    """Does a later point about the menu now meet the record about the directory?"""
    settings = MatchSettings()

    def score(s: MatchSettings) -> float:
        got = [
            x.score for x in suggest_links(RECORDS, s) if (x.source_id, x.target_id) == ("p2", "t2")
        ]
        return got[0] if got else 0.0

    taught = MatchSettings(synonyms=learn_glossary(RECORDS, CONFIRMED, settings))
    assert score(taught) > score(settings)
