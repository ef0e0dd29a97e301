"""Write the generator's document spec as .docx bytes, quickly.

The spec is the subset of ``tests/docx_builder.py``'s format the generator
uses: plain strings; paragraphs ``{"text", "style", "bold", "bold_prefix",
"numbered", "insert", "delete"}`` (tracked insertion / deletion at the end);
``{"table": [[cell, ...], ...]}`` with "\\n"-separated cell lines; and
``{"header": ...}`` / ``{"footer": ...}``.  Styles are set by their id, which
skips python-docx's slow lookup by name (a few ms a paragraph), so hundreds
of files take seconds.  The numbering and tracked-change XML are docx_builder's.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from docx_builder import _LISTS, _add_numbering, _number, _tracked

STYLE_IDS = {"Heading 1": "Heading1", "Heading 2": "Heading2", "List Bullet": "ListBullet"}


_blank: list[DocumentObject] = []


def _fresh() -> DocumentObject:
    """One blank document, reused: its body and header/footer are emptied each time.

    Opening python-docx's template costs as much as writing a file; the
    content is rebuilt from scratch every time, so nothing carries over.
    """
    if not _blank:
        document = Document()
        _add_numbering(document)
        # Header and footer parts exist in every file, empty unless written to.
        document.sections[0].header.paragraphs[0].add_run("")
        document.sections[0].footer.paragraphs[0].add_run("")
        _blank.append(document)
    document = _blank[0]
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = document.sections[0]
    for story in (section.header, section.footer):
        for run in list(story.paragraphs[0].runs):
            run._r.getparent().remove(run._r)
    return document


def write_docx(spec: list[Any]) -> bytes:
    """The .docx bytes for spec."""
    document = _fresh()
    section = document.sections[0]
    for block in spec:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif "header" in block:
            section.header.paragraphs[0].add_run(block["header"])
        elif "footer" in block:
            section.footer.paragraphs[0].add_run(block["footer"])
        elif "table" in block:
            rows = block["table"]
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for tr, row in zip(table.rows, rows, strict=True):
                for tc, cell in zip(tr.cells, row, strict=False):
                    lines = cell.split("\n")
                    tc.paragraphs[0].add_run(lines[0])
                    for line in lines[1:]:
                        tc.add_paragraph(line)
        else:
            _paragraph(document.add_paragraph(), block)
    out = BytesIO()
    document.save(out)
    return _fixed_times(out.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same package with a fixed time on every member: same seed, same bytes."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _paragraph(paragraph: Paragraph, block: dict[str, Any]) -> None:
    if block.get("style"):
        paragraph._p.get_or_add_pPr().style = STYLE_IDS[block["style"]]
    if block.get("bold_prefix"):
        paragraph.add_run(block["bold_prefix"]).bold = True
    if block.get("text"):
        run = paragraph.add_run(block["text"])
        run.bold = block.get("bold") or None
    if block.get("insert"):
        _tracked(paragraph, "w:ins", block["insert"])
    if block.get("delete"):
        _tracked(paragraph, "w:del", block["delete"])
    if block.get("numbered"):
        _number(paragraph, _LISTS[block["numbered"]][0], block.get("level", 0))
