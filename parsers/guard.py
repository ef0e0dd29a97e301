"""Refuse an uploaded file before anything parses it.

``check_docx`` looks only at the leading bytes, the OLE directory and the zip
central directory (plus ``_rels/.rels`` and ``[Content_Types].xml``, both
size-capped), so a hostile file costs at most a few megabytes of memory here.
The XML itself is left to python-docx, whose parser does not resolve entities.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib

import olefile
from lxml import etree

from parsers.errors import UploadRejected

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# Content types of the main part, from [Content_Types].xml.
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAINS = {"application/vnd.ms-word.document.macroenabled.main+xml"}
TEMPLATE_MAINS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
}
OFFICE_DOCUMENT_REL = "/officeDocument"
DEFAULT_MAIN_PART = "word/document.xml"
XML_SUFFIXES = (".xml", ".rels", ".vml")
# Signature, then the name and extra-field lengths at offsets 26 and 28.
LOCAL_HEADER = struct.Struct("<4s22xHH")
INFLATE_STEP = 1 << 20
# The two small parts we read ourselves; real ones are a few kilobytes.
MAX_PACKAGE_PART = 1_000_000

# What zipfile, zlib and struct raise on a damaged or exotic archive (an
# encrypted zip member raises RuntimeError, a deflate error zlib.error).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    zlib.error,
)

# One message per code, so the README, the audit log and the tests agree.
MESSAGES = {
    "empty": "This file is empty (0 bytes); please choose the saved minutes file.",
    "not-docx": (
        "This is not a Word .docx file; open it in Word and Save As Word Document (.docx)."
    ),
    "legacy-doc": ("This is an old-style Word .doc file; open it in Word and Save As .docx."),
    "encrypted": (
        "This file is password-protected; open it in Word, remove the password,"
        " save it as .docx and upload it again."
    ),
    "macro": (
        "Macro-enabled Word files (.docm) are not accepted; open it in Word and"
        " Save As Word Document (.docx)."
    ),
    "template": (
        "This is a Word template (.dotx/.dotm), not a document; create a document"
        " from it and Save As .docx."
    ),
    "damaged": (
        "This file is damaged and cannot be read; open it in Word, save it again"
        " as .docx and upload the new copy."
    ),
    "zip-bomb": (
        "This file expands to far more data than any minutes need, so it was"
        " refused; open it in Word, save it again as .docx and upload the new copy."
    ),
}


def reject(code: str) -> UploadRejected:
    """Build the UploadRejected for a code with its standard message."""
    return UploadRejected(code, MESSAGES[code])


def check_docx(
    data: bytes,
    *,
    max_bytes: int = 10_000_000,
    max_entries: int = 1_000,
    max_member_bytes: int = 20_000_000,
    max_total_bytes: int = 50_000_000,
    max_xml_ratio: float = 200.0,
) -> None:
    """Raise UploadRejected unless data looks like a safe, plain Word .docx."""
    if not data:
        raise reject("empty")
    if len(data) > max_bytes:
        raise UploadRejected(
            "too-large",
            f"This file is larger than the {max_bytes / 1_000_000:g} MB limit;"
            " remove large pictures or split it, then upload again.",
        )
    if data.startswith(OLE_MAGIC):
        raise _classify_ole(data)
    if not data.startswith(ZIP_MAGIC):
        raise reject("not-docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise reject("damaged") from exc
    with archive:
        infos = archive.infolist()
        _check_members(
            infos,
            max_entries=max_entries,
            max_member_bytes=max_member_bytes,
            max_total_bytes=max_total_bytes,
            max_xml_ratio=max_xml_ratio,
        )
        _check_declared_sizes(data, infos)
        _check_content_types(archive, {info.filename.lower(): info for info in infos})


def _check_members(
    infos: list[zipfile.ZipInfo],
    *,
    max_entries: int,
    max_member_bytes: int,
    max_total_bytes: int,
    max_xml_ratio: float,
) -> None:
    """Apply the ASVS V5.2.3 zip guard using only the central directory."""
    if len(infos) > max_entries:
        raise reject("zip-bomb")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        # Part names are case-insensitive in OPC, so "A.xml" repeats "a.xml".
        key = name.lower()
        if ".." in name or name.startswith("/") or "\\" in name or key in seen:
            raise reject("damaged")
        seen.add(key)
        if info.file_size > max_member_bytes:
            raise reject("zip-bomb")
        total += info.file_size
        if total > max_total_bytes:
            raise reject("zip-bomb")
        if key.endswith(XML_SUFFIXES):
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > max_xml_ratio:
                raise reject("zip-bomb")


def _check_declared_sizes(data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate every member in bounded steps and refuse any size that lies.

    zipfile's read() inflates a whole member in one call and only then cuts it
    to the declared size, so a 200 MB part declared as 1 MB would still cost
    200 MB later.  Here nothing is kept: at most INFLATE_STEP bytes at a time.
    """
    view = memoryview(data)
    for info in infos:
        start = _member_data_offset(data, info)
        raw = view[start : start + info.compress_size]
        if len(raw) != info.compress_size or info.flag_bits & 0x1:
            raise reject("damaged")  # cut short, or zip-encrypted
        if info.compress_type == zipfile.ZIP_STORED:
            if info.file_size != info.compress_size:
                raise reject("damaged")
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            if _inflated_size(raw, limit=info.file_size) != info.file_size:
                raise reject("damaged")
        else:
            # Word writes only stored and deflated members.
            raise reject("damaged")


def _member_data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    """Return where a member's compressed bytes start, from its local header."""
    header = data[info.header_offset : info.header_offset + LOCAL_HEADER.size]
    if len(header) != LOCAL_HEADER.size:
        raise reject("damaged")
    magic, name_length, extra_length = LOCAL_HEADER.unpack(header)
    if magic != ZIP_MAGIC:
        raise reject("damaged")
    return int(info.header_offset + LOCAL_HEADER.size + name_length + extra_length)


def _inflated_size(raw: memoryview, *, limit: int) -> int:
    """Count a raw deflate stream's output, stopping just past limit."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    pending: bytes | memoryview = raw
    try:
        while pending and produced <= limit:
            produced += len(inflater.decompress(pending, INFLATE_STEP))
            pending = inflater.unconsumed_tail
        if not inflater.eof and produced <= limit:
            produced += len(inflater.flush())
    except zlib.error as exc:
        raise reject("damaged") from exc
    if not inflater.eof and produced <= limit:
        raise reject("damaged")  # the stream stops before its end marker
    return produced


def _check_content_types(archive: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo]) -> None:
    """Find the main part and refuse macro-enabled files, templates and gaps."""
    types_info = by_name.get("[content_types].xml")
    if types_info is None:
        # A zip with no Word parts at all (.odt, .zip) is not a damaged .docx.
        if not any(name.startswith("word/") for name in by_name):
            raise reject("not-docx")
        raise reject("damaged")
    types = _read_xml(archive, types_info)
    if any(name.endswith("vbaproject.bin") for name in by_name):
        raise reject("macro")
    main = _main_part_name(archive, by_name)
    content_type = _content_type_of(types, main)
    if content_type in MACRO_MAINS:
        raise reject("macro")
    if content_type in TEMPLATE_MAINS:
        raise reject("template")
    if main not in by_name:
        raise reject("damaged")
    if content_type != DOCX_MAIN.lower():
        # A spreadsheet or slides (.xlsx, .pptx) renamed, or a broken package.
        if "wordprocessingml" in content_type or not content_type:
            raise reject("damaged")
        raise reject("not-docx")


def _main_part_name(archive: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo]) -> str:
    """Return the lower-cased zip name of the officeDocument part."""
    rels_info = by_name.get("_rels/.rels")
    if rels_info is None:
        return DEFAULT_MAIN_PART
    rels = _read_xml(archive, rels_info)
    for rel in rels:
        if not isinstance(rel.tag, str) or etree.QName(rel).localname != "Relationship":
            continue
        if rel.get("Type", "").endswith(OFFICE_DOCUMENT_REL) and rel.get("Target"):
            target = rel.get("Target", "").replace("\\", "/")
            return str(posixpath.normpath(target).lstrip("/").lower())
    raise reject("damaged")


def _content_type_of(types: etree._Element, part: str) -> str:
    """Look a part up in [Content_Types].xml: Override first, then Default."""
    extension = part.rpartition(".")[2]
    default = ""
    for entry in types:
        if not isinstance(entry.tag, str):
            continue
        kind = etree.QName(entry).localname
        value = str(entry.get("ContentType", "")).strip().lower()
        if kind == "Override":
            if entry.get("PartName", "").lstrip("/").lower() == part:
                return value
        elif kind == "Default" and entry.get("Extension", "").lower() == extension:
            default = value
    return default


def _read_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> etree._Element:
    """Read one small package part with a parser that resolves nothing."""
    if info.file_size > MAX_PACKAGE_PART:
        raise reject("damaged")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(archive.read(info), parser)
    except (*ZIP_ERRORS, etree.XMLSyntaxError) as exc:
        raise reject("damaged") from exc
    # Word never writes a DOCTYPE into a package part; one here is a trick.
    if root.getroottree().docinfo.doctype:
        raise reject("damaged")
    return root


def _classify_ole(data: bytes) -> UploadRejected:
    """Tell a legacy .doc from a password-protected .docx (both OLE files)."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return reject("encrypted")
            if ole.exists("WordDocument"):
                fib = ole.openstream("WordDocument").read(12)
                return reject("encrypted" if _is_encrypted_fib(fib) else "legacy-doc")
    except (OSError, ValueError, EOFError, IndexError, struct.error) as exc:
        # olefile raises OSError for most damage; a broken .doc is still a .doc.
        rejected = reject("legacy-doc")
        rejected.__cause__ = exc
        return rejected
    # Excel, PowerPoint, Outlook and other OLE files.
    return reject("not-docx")


def _is_encrypted_fib(fib: bytes) -> bool:
    """Read fEncrypted from the Word binary FIB (MS-DOC 2.5.2)."""
    if len(fib) < 12:
        return False
    ident, flags = struct.unpack_from("<H8xH", fib)
    return ident == 0xA5EC and bool(flags & 0x0100)
