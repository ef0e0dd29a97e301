"""Bad files, RELIABILITY.md cases 1-29: the guard and parse_minutes refuse them.

Every bad file is built here at test time. Big members are written as
precompressed deflate segments repeated in place, so a "400 MB" part costs a
few hundred kilobytes and no time to build.
"""

from __future__ import annotations

import io
import socket
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import docx
import pytest

from parsers import ParsedMinutes, UploadRejected, parse_minutes
from parsers.guard import check_docx

MB = 1 << 20
PLACEHOLDER = "PLACEHOLDER-PARAGRAPH"
# Words from the document that must never appear in a rejection message.
CONTENT_MARKER = "Zebra-7731"
DOC = "word/document.xml"
TYPES = "[Content_Types].xml"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- building files ---------------------------------------------------------


@dataclass(frozen=True)
class Repeated:
    """A member holding prefix + chunk * count + suffix, never materialised."""

    prefix: bytes
    chunk: bytes
    count: int
    suffix: bytes = b""

    @property
    def size(self) -> int:
        return len(self.prefix) + len(self.chunk) * self.count + len(self.suffix)


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """Return the CRC-32 of A + B from crc(A), crc(B) and len(B) (zlib's method)."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = [_gf2_times(odd, odd[n]) for n in range(32)]
    odd = [_gf2_times(even, even[n]) for n in range(32)]
    while True:
        even = [_gf2_times(odd, odd[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = [_gf2_times(even, even[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _deflate_segment(data: bytes, mode: int) -> bytes:
    # A fresh compressor ending in a full flush refers to nothing before it,
    # so its output can be repeated or concatenated into one valid stream.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(mode)


def deflate(content: bytes | Repeated) -> tuple[bytes, int, int]:
    """Return (raw deflate stream, CRC-32, uncompressed size)."""
    if isinstance(content, bytes):
        return _deflate_segment(content, zlib.Z_FINISH), zlib.crc32(content), len(content)
    chunk_crc, chunk_len = zlib.crc32(content.chunk), len(content.chunk)
    crc = zlib.crc32(content.prefix)
    # Square-and-multiply: the CRC of chunk * count without reading it.
    block_crc, block_len, count = chunk_crc, chunk_len, content.count
    repeated_crc, repeated_len = 0, 0
    while count:
        if count & 1:
            repeated_crc = crc32_combine(repeated_crc, block_crc, block_len)
            repeated_len += block_len
        block_crc = crc32_combine(block_crc, block_crc, block_len)
        block_len *= 2
        count >>= 1
    crc = crc32_combine(crc, repeated_crc, repeated_len)
    crc = crc32_combine(crc, zlib.crc32(content.suffix), len(content.suffix))
    stream = (
        _deflate_segment(content.prefix, zlib.Z_FULL_FLUSH)
        + _deflate_segment(content.chunk, zlib.Z_FULL_FLUSH) * content.count
        + _deflate_segment(content.suffix, zlib.Z_FINISH)
    )
    return stream, crc, content.size


Entries = list[tuple[str, "bytes | Repeated"]]


def write_zip(
    entries: Entries,
    *,
    declared_size: dict[str, int] | None = None,
    bad_crc: frozenset[str] = frozenset(),
) -> bytes:
    """Write a deflated zip by hand, so sizes, CRCs and names can lie."""
    declared_size = declared_size or {}
    out = io.BytesIO()
    central = []
    for name, content in entries:
        raw_name = name.encode()
        stream, crc, size = deflate(content)
        crc = crc ^ 0xFFFF if name in bad_crc else crc
        size = declared_size.get(name, size)
        offset = out.tell()
        fields = (20, 0x800, 8, 0, 0x21, crc, len(stream), size, len(raw_name))
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0))
        out.write(raw_name + stream)
        central.append(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset)
            + raw_name
        )
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    count = len(central)
    out.write(
        struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    )
    return out.getvalue()


@cache
def base_parts() -> tuple[tuple[str, bytes], ...]:
    """The parts of a small, valid set of minutes written by python-docx."""
    document = docx.Document()
    document.add_paragraph("Co-production Steering Group: minutes", style="Title")
    document.add_paragraph("Date: 9 March 2021")
    document.add_paragraph("Present: Jane Smith (Chair), Sam Lee (LXP), Priya Shah (LXP)")
    document.add_paragraph("Apologies: Alex Doe")
    document.add_heading("1. Welcome and introductions", level=1)
    document.add_paragraph("Sam said the café at the hub felt welcoming. (Sam Lee)")
    document.add_paragraph(PLACEHOLDER)
    document.add_heading("2. Peer support groups", level=1)
    document.add_paragraph(f"Priya asked about the {CONTENT_MARKER} budget line.")
    document.add_paragraph("LXPs suggested evening peer support groups.")
    document.add_paragraph("Action: Jane Smith to circulate the leaflet by 16 March 2021.")
    document.add_heading("Decisions", level=1)
    document.add_paragraph("Agreed: pilot evening peer support groups.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return tuple((info.filename, archive.read(info)) for info in archive.infolist())


def part(name: str) -> bytes:
    return dict(base_parts())[name]


def minutes(
    replace: dict[str, bytes | Repeated | None] | None = None,
    add: Entries | None = None,
    **tamper: object,
) -> bytes:
    """Build the base minutes with parts replaced (None drops one) or added."""
    replace = replace or {}
    entries: Entries = []
    for name, content in base_parts():
        new = replace.get(name, content)
        if new is not None:
            entries.append((name, new))
    return write_zip(entries + list(add or []), **tamper)  # type: ignore[arg-type]


def split_at_placeholder() -> tuple[bytes, bytes]:
    """Split document.xml around the placeholder paragraph."""
    xml = part(DOC)
    marker = xml.index(PLACEHOLDER.encode())
    start = xml.rindex(b"<w:p>", 0, marker)
    end = xml.index(b"</w:p>", marker) + len(b"</w:p>")
    return xml[:start], xml[end:]


def with_body(fragment: str, *, doctype: str = "") -> bytes:
    """The base minutes with the placeholder paragraph replaced by XML."""
    head, tail = split_at_placeholder()
    if doctype:
        declaration_end = head.index(b"?>") + 2
        head = head[:declaration_end] + b"\n" + doctype.encode() + head[declaration_end:]
    return minutes({DOC: head + fragment.encode() + tail})


def with_content_type(main_type: str) -> bytes:
    types = part(TYPES).replace(f"{DOCX_TYPE}.main+xml".encode(), main_type.encode())
    return minutes({TYPES: types})


def table_xml(rows: int, cols: int, *, grid: bool = True) -> str:
    grid_xml = "<w:tblGrid>" + '<w:gridCol w:w="900"/>' * cols + "</w:tblGrid>"
    body = "".join(
        "<w:tr>"
        + "".join(f"<w:tc><w:p><w:r><w:t>r{r} c{c}</w:t></w:r></w:p></w:tc>" for c in range(cols))
        + "</w:tr>"
        for r in range(rows)
    )
    return f"<w:tbl><w:tblPr/>{grid_xml if grid else ''}{body}</w:tbl><w:p/>"


def nested_tables(depth: int) -> str:
    inner = "<w:p><w:r><w:t>innermost</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = (
            '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="900"/></w:tblGrid>'
            f"<w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
        )
    return inner + "<w:p/>"


ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def build_cfb(streams: dict[str, bytes]) -> bytes:
    """Write a minimal version-3 OLE compound file holding up to 3 streams."""
    sector = 512
    # Streams of 4096 bytes or more live in ordinary sectors: no mini stream.
    datas = [data.ljust(4096, b"\0") for data in streams.values()]
    fat, starts = [FATSECT, ENDOFCHAIN], []
    for data in datas:
        starts.append(len(fat))
        fat.extend(range(len(fat) + 1, len(fat) + len(data) // sector))
        fat.append(ENDOFCHAIN)
    fat_sector = struct.pack("<128I", *fat, *[FREESECT] * (128 - len(fat)))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            raw,
            len(raw),
            kind,
            1,
            NOSTREAM,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            start,
            size,
        )

    entries = [entry("Root Entry", 5, 1, NOSTREAM, ENDOFCHAIN, 0)]
    for number, (name, data, start) in enumerate(zip(streams, datas, starts, strict=True), 1):
        right = number + 1 if number < len(datas) else NOSTREAM
        entries.append(entry(name, 2, NOSTREAM, right, start, len(data)))
    entries += [entry("", 0, NOSTREAM, NOSTREAM, 0, 0)] * (4 - len(entries))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        0x1000,
        ENDOFCHAIN,
        0,
        ENDOFCHAIN,
        0,
        0,
        *[FREESECT] * 108,
    )
    return header + fat_sector + b"".join(entries) + b"".join(datas)


def word_fib(*, encrypted: bool = False) -> bytes:
    """The start of a Word binary FIB: wIdent, nFib, then flags at offset 10."""
    return struct.pack("<HH6xH", 0xA5EC, 0xC1, 0x0100 if encrypted else 0)


# --- assertions -------------------------------------------------------------


def parse(data: bytes) -> ParsedMinutes:
    return parse_minutes(data, "minutes.docx")


def assert_rejected(
    data: bytes, code: str, via: Callable[[bytes], object] = check_docx
) -> UploadRejected:
    """Assert the exact code and a one-line, content-free message."""
    with pytest.raises(UploadRejected) as caught:
        via(data)
    error = caught.value
    assert error.code == code, error.message
    assert_plain_message(error.message)
    return error


def assert_plain_message(message: str) -> None:
    assert message.strip()
    assert "\n" not in message
    assert "\r" not in message
    assert len(message) <= 200
    assert CONTENT_MARKER not in message
    assert PLACEHOLDER not in message


# --- cases the guard itself refuses (1-7, 10, 19-24) ---------------------------


def bomb_text_node() -> bytes:
    head, tail = split_at_placeholder()
    node = Repeated(head + b"<w:p><w:r><w:t>", b"a" * MB, 200, b"</w:t></w:r></w:p>" + tail)
    return minutes({DOC: node})


def bomb_paragraphs() -> bytes:
    head, tail = split_at_placeholder()
    paragraph = b"<w:p><w:r><w:t>We agreed.</w:t></w:r></w:p>"
    chunk = paragraph * (MB // len(paragraph))
    return minutes({DOC: Repeated(head, chunk, 150, tail)})


def bomb_image(*, referenced: bool) -> bytes:
    image = Repeated(b"\x89PNG\r\n\x1a\n", b"\0" * MB, 400)
    if not referenced:
        return minutes(add=[("word/media/unused.bin", image)])
    rels_name = "word/_rels/document.xml.rels"
    rels = part(rels_name).replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/image" Target="media/image1.png"/>'
        b"</Relationships>",
    )
    types = part(TYPES).replace(
        b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1
    )
    return minutes({rels_name: rels, TYPES: types}, add=[("word/media/image1.png", image)])


def many_entries() -> bytes:
    return minutes(add=[(f"customXml/item{n}.xml", b"<a/>") for n in range(20_000)])


GUARD_CASES = {
    "case01-empty": (lambda: b"", "empty"),
    "case02-text": (lambda: b"Minutes of 9 March\r\n" * 20, "not-docx"),
    "case02-pdf": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not-docx"),
    "case03-legacy-doc": (
        lambda: build_cfb({"WordDocument": word_fib(), "1Table": b"\0" * 64}),
        "legacy-doc",
    ),
    "case04-encrypted-docx": (
        lambda: build_cfb(
            {
                "EncryptionInfo": b"\x04\0\x04\0\x40\0\0\0",
                "EncryptedPackage": b"\x80\x13" + b"\x5a" * 4000,
            }
        ),
        "encrypted",
    ),
    "case04-encrypted-doc": (
        lambda: build_cfb({"WordDocument": word_fib(encrypted=True), "1Table": b""}),
        "encrypted",
    ),
    "case05-docm": (
        lambda: with_content_type("application/vnd.ms-word.document.macroEnabled.main+xml"),
        "macro",
    ),
    "case05-vba-part": (lambda: minutes(add=[("word/vbaProject.bin", b"\0" * 64)]), "macro"),
    "case06-dotx": (
        lambda: with_content_type(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
        ),
        "template",
    ),
    "case06-dotm": (
        lambda: with_content_type("application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
        "template",
    ),
    "case07-truncated": (lambda: minutes()[: len(minutes()) * 2 // 3], "damaged"),
    "case10-no-document-xml": (lambda: minutes({DOC: None}), "damaged"),
    "case19-200mb-text-node": (bomb_text_node, "zip-bomb"),
    "case20-150mb-paragraphs": (bomb_paragraphs, "zip-bomb"),
    "case21-400mb-referenced-part": (lambda: bomb_image(referenced=True), "zip-bomb"),
    "case22-400mb-unreferenced-part": (lambda: bomb_image(referenced=False), "zip-bomb"),
    "case23-20000-entries": (many_entries, "zip-bomb"),
    "case24-dot-dot": (lambda: minutes(add=[("../evil.xml", b"<a/>")]), "damaged"),
    "case24-absolute": (lambda: minutes(add=[("/etc/evil.xml", b"<a/>")]), "damaged"),
    "case24-backslash": (lambda: minutes(add=[("word\\evil.xml", b"<a/>")]), "damaged"),
    "case24-duplicate": (lambda: minutes(add=[(DOC, part(DOC))]), "damaged"),
    "case24-duplicate-case": (lambda: minutes(add=[("Word/Document.xml", b"<a/>")]), "damaged"),
}


@cache
def build_case(case: str) -> bytes:
    return GUARD_CASES[case][0]()


@pytest.mark.parametrize("case", GUARD_CASES)
def test_guard_refuses_bad_file(case: str) -> None:
    """Does check_docx give the exact code and a one-line message?"""
    assert_rejected(build_case(case), GUARD_CASES[case][1])


@pytest.mark.parametrize("case", GUARD_CASES)
def test_parse_minutes_runs_guard_first(case: str) -> None:
    """Does parse_minutes refuse the same file with the same code?"""
    assert_rejected(build_case(case), GUARD_CASES[case][1], via=parse)


@pytest.mark.parametrize(
    "case",
    [
        "case19-200mb-text-node",
        "case20-150mb-paragraphs",
        "case21-400mb-referenced-part",
        "case22-400mb-unreferenced-part",
    ],
)
def test_bombs_rejected_before_parsing_in_bounded_memory(case: str) -> None:
    """Is a huge part refused fast, without decompressing it?"""
    data = build_case(case)
    assert len(data) < 2 * MB
    tracemalloc.start()
    started = time.perf_counter()
    try:
        assert_rejected(data, "zip-bomb", via=parse)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * MB
    assert time.perf_counter() - started < 1.0


# --- damage only the reader sees (8, 9, 11-14) --------------------------------


def test_case08_bad_crc_is_damaged() -> None:
    """Is a member whose CRC does not match refused as damaged?"""
    assert_rejected(minutes(bad_crc=frozenset({DOC})), "damaged", via=parse)


def false_size_bomb() -> bytes:
    """A 200 MB document.xml whose headers say 1 MB."""
    head, tail = split_at_placeholder()
    node = Repeated(head + b"<w:p><w:r><w:t>", b"a" * MB, 200, b"</w:t></w:r></w:p>" + tail)
    return minutes({DOC: node}, declared_size={DOC: MB})


def test_case09_false_declared_size_is_damaged() -> None:
    """Does a 200 MB member declared as 1 MB give "damaged", memory bounded?"""
    data = false_size_bomb()
    # zipfile.read() would inflate all 200 MB in one call before cutting it
    # to the declared size, so the guard must inflate in bounded steps.
    assert_rejected(data, "damaged")
    tracemalloc.start()
    try:
        assert_rejected(data, "damaged", via=parse)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * MB


def test_case09_size_declared_too_large_is_damaged() -> None:
    """Is a member declaring 3x its real size refused as damaged?"""
    assert_rejected(minutes(declared_size={DOC: len(part(DOC)) * 3}), "damaged")


def test_case08_bad_crc_passes_guard_but_not_parse() -> None:
    """Is a bad CRC left to zipfile, which checks it on read?"""
    check_docx(minutes(bad_crc=frozenset({DOC})))


def test_case09_huge_declared_size_is_refused_by_guard() -> None:
    """Is a member declaring gigabytes refused from the directory alone?"""
    data = minutes(declared_size={DOC: 3_000_000_000})
    assert_rejected(data, "zip-bomb")


def test_case11_malformed_xml_is_damaged() -> None:
    """Is a document.xml cut off mid-element refused as damaged?"""
    xml = part(DOC)
    assert_rejected(minutes({DOC: xml[: len(xml) * 3 // 5]}), "damaged", via=parse)


def test_case12_invalid_utf8_is_damaged() -> None:
    """Are bytes that are not UTF-8 refused as damaged?"""
    xml = part(DOC).replace(b"Welcome", b"Wel\xff\xfecome")
    assert_rejected(minutes({DOC: xml}), "damaged", via=parse)


def test_case13_wrong_declared_encoding_is_damaged() -> None:
    """Is UTF-16 declared on UTF-8 bytes refused as damaged?"""
    xml = part(DOC)
    assert b"encoding='UTF-8'" in xml
    xml = xml.replace(b"encoding='UTF-8'", b"encoding='UTF-16'")
    assert_rejected(minutes({DOC: xml}), "damaged", via=parse)


def test_case14_nul_character_reference_is_damaged() -> None:
    """Is &#0; in text refused as damaged?"""
    assert_rejected(with_body("<w:p><w:r><w:t>a&#0;b</w:t></w:r></w:p>"), "damaged", via=parse)


# --- accepted, or refused safely (15-18) ---------------------------------------


def test_case15_windows_1252_is_accepted() -> None:
    """Is a document declared as windows-1252 read, keeping "café"?"""
    text = part(DOC).decode("utf-8")
    text = text.replace("encoding='UTF-8'", "encoding='windows-1252'")
    data = minutes({DOC: text.encode("cp1252")})
    check_docx(data)
    result = parse(data)
    assert isinstance(result, ParsedMinutes)
    assert "café" in result.text


def test_case16_xxe_to_a_file_expands_nothing(tmp_path: Path) -> None:
    """Does an external entity naming a local file stay unexpanded?"""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-XXE-4242")
    doctype = (
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
        f'<!ENTITY % pe SYSTEM "{secret.as_uri()}"> %pe;]>'
    )
    data = with_body("<w:p><w:r><w:t>Note: &xxe; end</w:t></w:r></w:p>", doctype=doctype)
    check_docx(data)
    try:
        result = parse(data)
    except UploadRejected as error:
        assert_plain_message(error.message)
        assert "TOPSECRET" not in error.message
    else:
        assert isinstance(result, ParsedMinutes)
        assert "TOPSECRET" not in repr(result)


def test_case17_xxe_to_a_url_makes_no_network_call() -> None:
    """Do an external DTD, entity and parameter entity stay offline?"""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/x"
        doctype = (
            f'<!DOCTYPE w:document SYSTEM "{url}/dtd" [<!ENTITY xxe SYSTEM "{url}/e">'
            f'<!ENTITY % pe SYSTEM "{url}/pe"> %pe;]>'
        )
        data = with_body("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", doctype=doctype)
        try:
            result = parse(data)
        except UploadRejected as error:
            assert_plain_message(error.message)
        else:
            assert isinstance(result, ParsedMinutes)
        with pytest.raises(BlockingIOError):
            server.accept()


def test_case18_billion_laughs_is_rejected_fast() -> None:
    """Is an exponential entity expansion refused in under a second?"""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    doctype = "<!DOCTYPE w:document [" + "".join(entities) + "]>"
    data = with_body("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", doctype=doctype)
    check_docx(data)
    started = time.perf_counter()
    assert_rejected(data, "damaged", via=parse)
    assert time.perf_counter() - started < 1.0


# --- tables (25-29) ---------------------------------------------------------


def test_case25_tables_nested_12_deep_are_too_complex() -> None:
    """Are tables nested past the depth cap of 10 refused as too complex?"""
    assert_rejected(with_body(nested_tables(12)), "too-complex", via=parse)


def test_case26_nesting_past_256_xml_levels_is_rejected() -> None:
    """Does libxml2's depth limit give UploadRejected, not a crash?"""
    data = with_body(nested_tables(100))
    check_docx(data)
    assert_rejected(data, "damaged", via=parse)


def test_case27_table_of_3000_rows_parses_in_under_2s() -> None:
    """Is a 3,000 x 10 table read in linear time?"""
    data = with_body(table_xml(3_000, 10))
    started = time.perf_counter()
    result = parse(data)
    assert time.perf_counter() - started < 2.0
    assert isinstance(result, ParsedMinutes)


def test_case28_50000_cells_are_too_complex() -> None:
    """Is a table over the cell cap refused as too complex?"""
    assert_rejected(with_body(table_xml(5_000, 10)), "too-complex", via=parse)


def test_case29_table_without_grid_parses_or_is_refused_clearly() -> None:
    """Is a table with no w:tblGrid read, or refused with a plain message?"""
    data = with_body(table_xml(3, 4, grid=False))
    try:
        result = parse(data)
    except UploadRejected as error:
        assert_plain_message(error.message)
    else:
        assert isinstance(result, ParsedMinutes)


# --- the guard's own rules ----------------------------------------------------


def test_valid_minutes_pass_the_guard() -> None:
    """Does a plain python-docx file pass?"""
    check_docx(minutes())
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    check_docx(buffer.getvalue())


def test_too_large_names_the_limit_in_mb() -> None:
    """Does an oversized upload get "too-large" with the limit in MB?"""
    error = assert_rejected(
        b"PK\x03\x04" + b"\0" * 2_000_000,
        "too-large",
        via=lambda data: check_docx(data, max_bytes=1_500_000),
    )
    assert "1.5 MB" in error.message
    assert_rejected(b"\0" * 10_000_001, "too-large")


def test_limits_are_keyword_arguments() -> None:
    """Can each zip limit be tightened per call?"""
    data = minutes()
    entries = len(base_parts())
    check_docx(data, max_entries=entries)
    assert_rejected(data, "zip-bomb", via=lambda d: check_docx(d, max_entries=entries - 1))
    assert_rejected(data, "zip-bomb", via=lambda d: check_docx(d, max_member_bytes=1000))
    assert_rejected(data, "zip-bomb", via=lambda d: check_docx(d, max_total_bytes=10_000))
    assert_rejected(data, "zip-bomb", via=lambda d: check_docx(d, max_xml_ratio=1.5))


def test_1000_entries_pass_and_1001_do_not() -> None:
    """Is the entry limit exactly 1,000?"""
    extra = 1_000 - len(base_parts())
    check_docx(minutes(add=[(f"customXml/i{n}.xml", b"<a/>") for n in range(extra)]))
    data = minutes(add=[(f"customXml/i{n}.xml", b"<a/>") for n in range(extra + 1)])
    assert_rejected(data, "zip-bomb")


def test_total_over_50mb_is_refused_though_each_member_is_small() -> None:
    """Are three 19 MB members (57 MB in all) refused?"""
    member = Repeated(b"", b"\x01\x02\x03\x04" * (MB // 4), 19)
    data = minutes(add=[(f"word/media/image{n}.bin", member) for n in range(3)])
    assert_rejected(data, "zip-bomb")


def test_xml_over_200_to_1_is_refused_though_small() -> None:
    """Is a 5 MB XML part that compresses 1000:1 refused?"""
    head, tail = split_at_placeholder()
    data = minutes({DOC: Repeated(head, b" " * MB, 5, tail)})
    assert_rejected(data, "zip-bomb")


def test_repeated_chunk_crc_matches_zlib() -> None:
    """Is the square-and-multiply CRC the CRC of the bytes?"""
    member = Repeated(b"head", b"0123456789", 1_000, b"tail")
    stream, crc, size = deflate(member)
    expected = b"head" + b"0123456789" * 1_000 + b"tail"
    assert (crc, size) == (zlib.crc32(expected), len(expected))
    assert zlib.decompress(stream, -15) == expected


def test_odt_is_not_docx() -> None:
    """Is an .odt (a zip with no Word parts) "not-docx", not "damaged"?"""
    data = write_zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
        ]
    )
    assert_rejected(data, "not-docx")


def test_spreadsheet_renamed_is_not_docx() -> None:
    """Is an .xlsx main part "not-docx"?"""
    types = part(TYPES).replace(
        f"{DOCX_TYPE}.main+xml".encode(),
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    )
    assert_rejected(minutes({TYPES: types}), "not-docx")


def test_missing_content_types_is_damaged() -> None:
    """Is a Word package without [Content_Types].xml damaged?"""
    assert_rejected(minutes({TYPES: None}), "damaged")


def test_content_types_with_entities_are_not_expanded() -> None:
    """Does the guard's own XML read refuse entity tricks safely?"""
    entities = ['<!ENTITY a0 "aaaaaaaaaa">'] + [
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    ]
    types = (
        part(TYPES)
        .replace(b"<Types", ("<!DOCTYPE Types [" + "".join(entities) + "]><Types").encode(), 1)
        .replace(b"<Default ", b'<Default Extension="x&a9;" ContentType="x"/><Default ', 1)
    )
    started = time.perf_counter()
    assert_rejected(minutes({TYPES: types}), "damaged")
    assert time.perf_counter() - started < 1.0


def test_damaged_ole_is_legacy_doc() -> None:
    """Is an OLE file olefile cannot read still told to Save As .docx?"""
    data = build_cfb({"WordDocument": word_fib()})[:1024]
    assert_rejected(data, "legacy-doc")


def test_other_ole_file_is_not_docx() -> None:
    """Is an old Excel .xls (OLE, no WordDocument) "not-docx"?"""
    assert_rejected(build_cfb({"Workbook": b"\x09\x08"}), "not-docx")
