"""The heading block: the lines that name the meeting, wherever they stand.

Minutes name their body in different places: one title line ("PD CRG
minutes"), an organisation line and then the body ("Northshire NHS Trust" /
"Clinical Reference Group" / "Minutes of the meeting held on ..."), a
website-style line before the real title, the first cell of a front-matter
table ("Meeting Title | Governance Committee"), or the page header.  The app
tries its body patterns against every one of these lines (and the file name),
so none of them needs to be the first.
"""

from __future__ import annotations

from collections.abc import Sequence

from parsers.docx_blocks import Block

MAX_LINES = 12  # opening paragraphs read outside tables
MAX_CELLS = 24  # cells of the first table read, when it opens the document
MAX_STORY = 8  # header and footer lines read
MAX_CHARS = 200


def _clean(text: str) -> str:
    return " ".join(text.split())[:MAX_CHARS]


def heading_lines(
    body: Sequence[Block], start: int, every: Sequence[Block] = ()
) -> tuple[str, ...]:
    """Return the heading-block lines: opening lines, first table cells, header and footer.

    ``body`` are the body blocks, ``start`` the first block of the record
    proper (after the title and front matter); ``every`` all blocks, for the
    page header and footer.
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        line = _clean(text)
        if line and line.lower() not in seen:
            seen.add(line.lower())
            out.append(line)

    first_table = next((b.cells[0].table for b in body[:10] if b.cells), None)
    lines = cells = 0
    for i, block in enumerate(body[:80]):
        if block.cells:
            if (
                block.cells[0].table == first_table
                and block.cells[0].row < 8
                and cells < MAX_CELLS
                and len(block.text.split()) <= 15  # a name or a label, not a record
            ):
                add(block.text)
                cells += 1
            continue
        if lines >= MAX_LINES or (i >= start and lines >= 3):
            continue
        for part in block.text.split("\n"):
            add(part)
        lines += 1
    stories = [b for b in every if b.part != "body"]
    for block in stories[:MAX_STORY]:
        for part in block.text.split("\t"):
            add(part)
    return tuple(out)
