"""parsers.docx_blocks: real .docx files in, blocks in document order out."""

from __future__ import annotations

import pytest

from docx_builder import build_docx
from parsers.docx_blocks import MAX_TABLE_DEPTH, read_blocks
from parsers.errors import UploadRejected


def texts(spec: list) -> list[str]:
    return [b.text for b in read_blocks(build_docx(spec))]


def test_paragraphs_and_tables_keep_document_order() -> None:
    """Are paragraphs and table cells read in the order Word shows them?"""
    spec = ["before", {"table": [["a", "b"], ["c", "d"]]}, "after"]
    assert texts(spec) == ["before", "a", "b", "c", "d", "after"]


def test_heading_style_and_bold() -> None:
    """Does a heading carry its level, and a bold opening its text?"""
    blocks = read_blocks(
        build_docx(
            [
                {"text": "Minutes", "style": "Heading 1"},
                {"text": " The check-in calls have started.", "bold_prefix": "Siobhan:"},
                {"text": "2. Access", "bold": True},
            ]
        )
    )
    assert blocks[0].heading == 1
    assert blocks[0].style == "Heading 1"
    assert blocks[1].bold_prefix == "Siobhan:"
    assert not blocks[1].all_bold
    assert blocks[2].all_bold and blocks[2].heading is None


def test_numbered_paragraphs_get_their_computed_numbers() -> None:
    """Are Word's automatic numbers computed, including sub-levels and letters?"""
    blocks = read_blocks(
        build_docx(
            [
                {"text": "Welcome", "numbered": "decimal", "level": 0},
                {"text": "Minutes", "numbered": "decimal", "level": 0},
                {"text": "Agreed", "numbered": "decimal", "level": 1},
                {"text": "Matters", "numbered": "decimal", "level": 1},
                {"text": "Finance", "numbered": "decimal", "level": 0},
                {"text": "Budget", "numbered": "letter", "level": 0},
                {"text": "Capital", "numbered": "letter", "level": 1},
            ]
        )
    )
    assert [b.list_number for b in blocks] == ["1", "2", "2.1", "2.2", "3", "1", "1a"]
    assert [b.list_level for b in blocks] == [0, 0, 1, 1, 0, 0, 1]


def test_bullets_are_list_items_without_numbers() -> None:
    """Is a List Bullet paragraph a level-0 bullet?"""
    (block,) = read_blocks(build_docx([{"text": "point", "style": "List Bullet"}]))
    assert block.bullet and block.list_level == 0 and block.list_number == ""


def test_tables_give_row_column_and_header() -> None:
    """Does each cell paragraph know its table, row, column and header row?"""
    blocks = read_blocks(
        build_docx(
            [
                {"table": [["No", "Item", "Discussion"], ["1", "Welcome", "Hello\nAgain"]]},
            ]
        )
    )
    hello = next(b for b in blocks if b.text == "Again")
    assert hello.cell is not None
    assert (hello.cell.row, hello.cell.col) == (1, 2)
    assert hello.header_row == ("No", "Item", "Discussion")


def test_nested_tables_keep_the_outer_cell() -> None:
    """Does a nested table's paragraph know the outer row it sits in?"""
    blocks = read_blocks(
        build_docx(
            [
                {
                    "table": [
                        ["No", "Action"],
                        [
                            "5",
                            [
                                "Actions agreed:",
                                {"table": [["Action", "Owner"], ["Send it", "EM"]]},
                            ],
                        ],
                    ]
                },
            ]
        )
    )
    send = next(b for b in blocks if b.text == "Send it")
    assert len(send.cells) == 2
    assert (send.cells[0].row, send.cells[0].col) == (1, 1)
    assert send.header_row == ("Action", "Owner")


def test_tracked_changes_keep_insertions_and_drop_deletions() -> None:
    """Is the text what Word shows with changes accepted?"""
    (block,) = read_blocks(
        build_docx(
            [
                {"text": "Kept ", "insert": "added", "delete": " removed"},
            ]
        )
    )
    assert block.text == "Kept added"


def test_headers_footers_and_text_boxes() -> None:
    """Are header, footer and text box paragraphs read and marked?"""
    blocks = read_blocks(
        build_docx(
            [
                {"header": "CRG | 18 March 2021"},
                {"footer": "Page 1"},
                {"text": "Body", "textbox": "In a box"},
            ]
        )
    )
    parts = {b.text: b.part for b in blocks}
    assert parts["CRG | 18 March 2021"] == "header"
    assert parts["Page 1"] == "footer"
    assert [b.text for b in blocks if b.part == "body"] == ["Body", "In a box"]
    assert next(b for b in blocks if b.text == "In a box").in_textbox


def nested(depth: int) -> list:
    spec: list = [{"table": [["deepest"]]}]
    for _ in range(depth - 1):
        spec = [{"table": [[spec]]}]
    return spec


def test_nesting_up_to_the_cap_is_read() -> None:
    """Is a table nested to the cap still read?"""
    assert "deepest" in texts(nested(MAX_TABLE_DEPTH))


def test_nesting_beyond_the_cap_is_refused() -> None:
    """Are tables nested deeper than the cap refused as too complex?"""
    with pytest.raises(UploadRejected) as err:
        read_blocks(build_docx(nested(MAX_TABLE_DEPTH + 1)))
    assert err.value.code == "too-complex"


def test_too_many_cells_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Is a document with more cells than the cap refused?"""
    import parsers.docx_blocks as module

    monkeypatch.setattr(module, "MAX_CELLS", 5)
    with pytest.raises(UploadRejected) as err:
        read_blocks(build_docx([{"table": [["a", "b"], ["c", "d"], ["e", "f"]]}]))
    assert err.value.code == "too-complex"
