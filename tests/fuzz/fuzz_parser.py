"""Coverage-guided fuzzing of the minutes parser with atheris (libFuzzer).

    .venv/bin/python tests/fuzz/fuzz_parser.py -runs=20000 -timeout=10
    .venv/bin/python tests/fuzz/fuzz_parser.py -max_total_time=600 CORPUS_DIR

Each input is read three ways, chosen by its first byte:
- as the raw upload (bytes straight to parse_minutes: zip, OLE and XML checks);
- as the text of a Word document: the rest of the input, split into lines,
  becomes paragraphs (some bold, some headings, some table rows) of a valid
  .docx, which exercises the line analysis (labels, dates, names, speakers);
- as document.xml itself inside an otherwise valid package (XML handling).

The only acceptable outcomes are ParsedMinutes or UploadRejected; anything
else (an exception, a hang caught by -timeout) is a finding.
"""

from __future__ import annotations

import io
import sys
import zipfile
from xml.sax.saxutils import escape

import atheris

with atheris.instrument_imports(include=["parsers"]):
    import parsers.minutes  # noqa: F401  (parse_minutes imports it lazily)
    from parsers import ParsedMinutes, UploadRejected, parse_minutes

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def package(document_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document_xml)
    return out.getvalue()


def paragraph(text: str, style: int) -> str:
    bold = "<w:rPr><w:b/></w:rPr>" if style == 1 else ""
    run = f'<w:r>{bold}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    props = '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>' if style == 2 else ""
    return f"<w:p>{props}{run}</w:p>"


def document_from_lines(lines: list[str], styles: bytes) -> bytes:
    body: list[str] = []
    row: list[str] = []
    for n, line in enumerate(lines):
        style = styles[n % len(styles)] % 4 if styles else 0
        if style == 3:  # table cells, three to a row
            row.append(f"<w:tc>{paragraph(line, 0)}</w:tc>")
            if len(row) == 3:
                body.append(f"<w:tbl><w:tr>{''.join(row)}</w:tr></w:tbl>")
                row = []
            continue
        body.append(paragraph(line, style))
    if row:
        body.append(f"<w:tbl><w:tr>{''.join(row)}</w:tr></w:tbl>")
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    return xml.encode("utf-8", "surrogatepass")


def clean(text: str) -> str:
    # XML 1.0 cannot carry control characters or lone surrogates; Word never writes them.
    return "".join(
        c
        for c in text
        if c in "\t" or (c >= " " and not "\ud800" <= c <= "\udfff" and c not in "\ufffe\uffff")
    )


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode, rest = data[0] % 3, data[1:]
    if mode == 0:
        upload = rest
    elif mode == 1:
        fdp = atheris.FuzzedDataProvider(rest)
        styles = fdp.ConsumeBytes(8)
        text = clean(fdp.ConsumeUnicodeNoSurrogates(len(rest)))
        upload = package(document_from_lines(text.split("\n")[:400], styles))
    else:
        upload = package(rest)
    try:
        result = parse_minutes(upload, "fuzz.docx")
    except UploadRejected:
        return
    assert isinstance(result, ParsedMinutes)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
