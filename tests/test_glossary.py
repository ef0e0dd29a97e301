"""The glossary rewrites abbreviations and synonyms onto canonical phrases."""

import pytest

from tracker.domain.glossary import (
    Glossary,
    default_synonyms,
    merge_synonyms,
    parse_synonyms,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LXPs raised PD", "lived experience practitioner raised personality disorder"),
        ("GPs and the GP's list", "general practitioner and the general practitioner list"),
        ("the ED T&F group", "the eating disorder task and finish group"),
        ("IAPT leaflets", "talking therapies leaflets"),
        ("BAME people", "black and minority ethnic people"),
        ("someone with lived experience", "someone with lived experience practitioner"),
        # Abbreviations match only in capitals; ordinary words are left alone.
        ("edited pd gp", "edited pd gp"),
        ("PDF files", "PDF files"),
    ],
)
def test_default_glossary_rewrites(text: str, expected: str) -> None:
    """Does the shipped glossary rewrite variants, and only whole words?"""
    assert Glossary(default_synonyms()).apply(text) == expected


def test_canonical_phrase_is_not_rewritten_again() -> None:
    """Is a canonical phrase left alone when it holds another variant?"""
    g = Glossary({"lived experience practitioner": ("LXP", "lived experience")})
    assert g.apply("LXP") == "lived experience practitioner"


def test_parse_and_merge_user_synonyms() -> None:
    """Do config synonyms join the defaults, extending an existing entry?"""
    base = parse_synonyms('[synonyms]\n"talking therapies" = ["IAPT"]\n')
    merged = merge_synonyms(base, {"talking therapies": ["TT"], "crisis line": "CL"})
    assert merged["talking therapies"] == ("IAPT", "TT")
    assert merged["crisis line"] == ("CL",)
    assert Glossary(merged).apply("TT and CL") == "talking therapies and crisis line"


def test_empty_canonical_phrase_is_refused() -> None:
    """Is an empty canonical phrase a clear error?"""
    with pytest.raises(ValueError, match="empty"):
        parse_synonyms('[synonyms]\n" " = ["x"]\n')
