"""Build real .docx files from a small spec, for tests (python-docx).

A spec is a list of blocks, written in document order.  Each block is one of:

- ``"plain text"``: a Normal paragraph.
- ``{"text": "...", ...}``: a paragraph with options:
  ``style`` ("Heading 2", "List Bullet", ...), ``bold`` (whole paragraph),
  ``bold_prefix`` (bold run before ``text``, e.g. "Siobhan:"), ``underline``,
  ``numbered`` ("decimal": 1. / 1.1 / 1.1.1, or "letter": 1. / 1a) with
  ``level`` (0-based) and ``restart`` (start a fresh list),
  ``insert`` (tracked insertion appended after ``text``),
  ``delete`` (tracked deletion appended after ``text``; Word hides it),
  ``textbox`` (a text box anchored in the paragraph, holding this text),
  ``breaks`` (a list of further lines joined with soft line breaks).
- ``{"table": [[cell, ...], ...]}``: a table; a cell is a string (lines
  separated by "\\n" become paragraphs) or a list of blocks (which may hold
  another ``{"table": ...}``, so tables nest).
- ``{"header": "text"}`` / ``{"footer": "text"}``: the page header or footer
  of the (single) section.

``build_docx(spec, path=None) -> bytes`` returns the file's bytes and, when
``path`` is given, also writes it there.  Example::

    data = build_docx([
        {"text": "PD CRG minutes", "style": "Heading 1"},
        "Date: 18/03/2021",
        {"text": "1. Welcome", "bold": True},
        {"text": "Use of medication", "style": "List Bullet"},
        {"table": [["Action", "Owner"], ["Send notes", "EM"]]},
    ])
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

Spec = list[Any]
VML = "{urn:schemas-microsoft-com:vml}"

# numId values we add to the numbering part for "decimal" and "letter" lists.
_LISTS = {
    "decimal": (901, ["%1.", "%1.%2", "%1.%2.%3"], ["decimal"] * 3),
    "letter": (902, ["%1.", "%1%2", "%1%2.%3"], ["decimal", "lowerLetter", "decimal"]),
}


def build_docx(spec: Spec, path: Path | str | None = None) -> bytes:
    """Return the bytes of a .docx built from spec (and write it to path)."""
    document = Document()
    _add_numbering(document)
    body_spec = []
    for block in spec:
        if isinstance(block, dict) and "header" in block:
            _story_text(document.sections[0].header.paragraphs[0], block["header"])
        elif isinstance(block, dict) and "footer" in block:
            _story_text(document.sections[0].footer.paragraphs[0], block["footer"])
        else:
            body_spec.append(block)
    _add_blocks(document, body_spec)
    out = BytesIO()
    document.save(out)
    data = out.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def _story_text(paragraph: Paragraph, text: str) -> None:
    paragraph.add_run(text)


def _add_blocks(container: DocumentObject | _Cell, spec: Spec) -> None:
    restarts = {"n": 0}
    for block in spec:
        if isinstance(block, str):
            container.add_paragraph(block)
        elif "table" in block:
            _add_table(container, block["table"])
        else:
            _add_paragraph(container, block, restarts)


def _add_table(container: DocumentObject | _Cell, rows: list[list[Any]]) -> None:
    width = max(len(r) for r in rows)
    table = container.add_table(rows=len(rows), cols=width)
    for tr, row in zip(table.rows, rows, strict=True):
        for tc, cell in zip(tr.cells, row, strict=False):
            first = tc.paragraphs[0]
            blocks = cell.split("\n") if isinstance(cell, str) else cell
            if blocks and isinstance(blocks[0], str):
                first.add_run(blocks[0])
                blocks = blocks[1:]
            elif blocks and isinstance(blocks[0], dict) and "text" in blocks[0]:
                _fill_paragraph(first, blocks[0], {"n": 0})
                blocks = blocks[1:]
            _add_blocks(tc, blocks)
    if isinstance(container, _Cell):
        # A cell must end with a paragraph; python-docx adds the table after it.
        container.add_paragraph("")


def _add_paragraph(
    container: DocumentObject | _Cell, block: dict[str, Any], restarts: dict[str, int]
) -> None:
    paragraph = container.add_paragraph(style=block.get("style"))
    _fill_paragraph(paragraph, block, restarts)


def _fill_paragraph(paragraph: Paragraph, block: dict[str, Any], restarts: dict[str, int]) -> None:
    if block.get("style"):
        paragraph.style = block["style"]
    if block.get("bold_prefix"):
        paragraph.add_run(block["bold_prefix"]).bold = True
    if block.get("text"):
        run = paragraph.add_run(block["text"])
        run.bold = block.get("bold") or None
        run.underline = block.get("underline") or None
    for line in block.get("breaks", ()):
        paragraph.runs[-1].add_break()
        paragraph.add_run(line)
    if block.get("insert"):
        _tracked(paragraph, "w:ins", block["insert"])
    if block.get("delete"):
        _tracked(paragraph, "w:del", block["delete"])
    if block.get("textbox"):
        _textbox(paragraph, block["textbox"])
    if block.get("numbered"):
        num_id = _LISTS[block["numbered"]][0]
        if block.get("restart"):
            restarts["n"] += 1
            num_id = _restart(paragraph, num_id, restarts["n"])
        _number(paragraph, num_id, block.get("level", 0))


def _tracked(paragraph: Paragraph, tag: str, text: str) -> None:
    wrapper = OxmlElement(tag)
    wrapper.set(qn("w:id"), "1")
    wrapper.set(qn("w:author"), "Tester")
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if tag == "w:del" else "w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    wrapper.append(run)
    paragraph._p.append(wrapper)


def _textbox(paragraph: Paragraph, text: str) -> None:
    # A VML text box, the simplest shape Word itself writes for one.
    run = etree.SubElement(paragraph._p, qn("w:r"))
    pict = etree.SubElement(run, qn("w:pict"))
    shape = etree.SubElement(pict, VML + "shape")
    box = etree.SubElement(shape, VML + "textbox")
    content = etree.SubElement(box, qn("w:txbxContent"))
    t = etree.SubElement(
        etree.SubElement(etree.SubElement(content, qn("w:p")), qn("w:r")), qn("w:t")
    )
    t.text = text


def _number(paragraph: Paragraph, num_id: int, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    ppr.append(num_pr)


def _add_numbering(document: DocumentObject) -> None:
    numbering = document.part.numbering_part.element
    for num_id, texts, fmts in _LISTS.values():
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(num_id))
        for ilvl, (text, fmt) in enumerate(zip(texts, fmts, strict=True)):
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), str(ilvl))
            for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
                el = OxmlElement(tag)
                el.set(qn("w:val"), val)
                lvl.append(el)
            abstract.append(lvl)
        # abstractNum elements must precede num elements.
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(num_id))
        num.append(ref)
        numbering.append(num)


def _restart(paragraph: Paragraph, num_id: int, n: int) -> int:
    """Add a num that restarts the list at 1, and return its id."""
    numbering = paragraph.part.numbering_part.element
    new_id = num_id * 100 + n
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(new_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(num_id))
    num.append(ref)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return new_id
