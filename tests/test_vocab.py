"""One vocabulary: each term and its labels are defined once, in tracker/domain/vocab.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parsers.model import GROUPS as PARSER_GROUPS
from tracker import config
from tracker.domain import vocab
from tracker.models import RECORD_MODELS

ROOT = Path(__file__).resolve().parents[1]


def test_every_term_has_a_label_and_the_parsers_speak_the_same_groups():
    assert set(vocab.ROLE_LABELS) == set(vocab.ROLES)
    assert set(vocab.PERSON_ROLE_LABELS) == set(vocab.PERSON_ROLES)
    assert set(vocab.GROUP_LABELS) == set(vocab.GROUP_WORDS) == set(vocab.GROUPS)
    assert set(vocab.BODY_KIND_LABELS) == set(vocab.BODY_KINDS)
    assert set(vocab.RECORD_LABELS) == set(vocab.RECORD_KINDS) == set(RECORD_MODELS)
    assert set(vocab.OUTCOME_LABELS) == set(vocab.OUTCOMES)
    # parsers/ stands alone (no tracker import), so it keeps its own copy: kept equal here.
    assert tuple(PARSER_GROUPS) == vocab.GROUPS
    assert config.ROLES == vocab.ROLES


def test_values_are_the_plain_strings_the_database_holds():
    assert vocab.Role.LXP == "lxp" and f"{vocab.Group.LXP}" == "lxp"
    assert vocab.a_record("agenda_item") == "An agenda item"
    assert vocab.a_record("decision") == "A decision"
    assert vocab.record_words("contribution") == "discussion"
    assert all(type(v) is str for v in vocab.ROLES + vocab.FREQUENCIES + vocab.BODY_KINDS)


# Copies that used to be written out in several modules; none may come back.
COPIES = [
    (r"\(\s*\"chair\",\s*\"lxp\",\s*\"lead\",\s*\"admin\"\s*\)", "the user roles"),
    (r"\(\s*\"lxp\",\s*\"staff\"\s*\)", "the person roles"),
    (r"\(\s*\"catch-up\",\s*\"governance\",\s*\"working\"\s*\)", "the body kinds"),
    (r"\"weekly\",\s*\"fortnightly\",\s*\"monthly\"", "the digest frequencies"),
    (r"\"agenda_item\":\s*AgendaItem", "record kind -> model"),
    (r"\"agenda_item\":\s*\"[Aa]n? ?[Aa]genda item\"", "record kind -> label"),
    (r"\"lxp\":\s*\"LXPs", "group labels"),
    (r"==\s*[\"']lxp[\"']", "a comparison with the literal 'lxp'"),
    (
        r"[!=]=\s*[\"'](catch-up|governance|working|weekly|fortnightly|monthly|never"
        r"|chair|lead|admin)[\"']",
        "a comparison with a body kind, frequency or role literal",
    ),
    (
        r"status\s*[!=]=\s*\"(acted|heard|lost|awaiting|not-taken-forward|candidate|rejected)\"",
        "a comparison with an outcome or link status literal",
    ),
]


@pytest.mark.parametrize(("pattern", "what"), COPIES)
def test_no_module_copies_the_vocabulary(pattern, what):
    found = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tracker").rglob("*.py"))
        if path.name != "vocab.py" and re.search(pattern, path.read_text(encoding="utf-8"))
    ]
    assert found == [], f"{what} written out again in {found}; import it from tracker.domain.vocab"
