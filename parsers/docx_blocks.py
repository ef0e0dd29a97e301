"""Read a .docx into a flat list of text blocks, in document order.

The package is opened with zipfile and only the parts this needs (document,
styles, numbering, headers, footers) are parsed, with a plain lxml parser
that resolves no entities; everything after that is a plain lxml walk of the
XML.  python-docx's ``Document()`` parsed every part into its own element
classes, whose proxies cost about 1.5x plain ones in the walk; its
``paragraph.style.name`` and ``Table.cell()`` cost 3-200x more (PERFORMANCE.md
section 1).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import NamedTuple
from urllib.parse import unquote

from lxml import etree

from parsers.errors import UploadRejected

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = f"{{{W_NS}}}"
MC = f"{{{MC_NS}}}"

MAX_TABLE_DEPTH = 10
MAX_CELLS = 50_000
TOO_COMPLEX = "This Word file is too complex to read (tables nested too deep or too many)."

# Block-level wrappers whose children are read as if they stood in the body.
_TRANSPARENT = {
    W + "sdt",
    W + "sdtContent",
    W + "customXml",
    W + "smartTag",
    W + "ins",
    W + "moveTo",
    W + "hyperlink",
    W + "fldSimple",
    W + "dir",
    W + "bdo",
    MC + "AlternateContent",
    MC + "Choice",
}
# Subtrees that hold no visible text of the current paragraph.
_SKIP = {
    W + "del",
    W + "moveFrom",
    W + "pPr",
    W + "rPr",
    W + "instrText",
    W + "delText",
    W + "sdtPr",
    W + "sdtEndPr",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "commentReference",
    MC + "Fallback",
}
_FALSE = {"0", "false", "off", "none"}
_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


class CellRef(NamedTuple):
    """Where a paragraph sits in one (possibly nested) table."""

    table: int  # table id, unique in the document, in document order
    row: int
    col: int  # grid column (merged cells count their span)


@dataclass(slots=True)
class Block:
    """One paragraph of visible text and what Word says about it."""

    text: str
    style: str = ""  # style name ("Heading 2", "List Bullet"), "" for Normal
    part: str = "body"  # "body", "header" or "footer"
    heading: int | None = None  # outline level 1-9 from the style or paragraph
    list_level: int | None = None  # None unless Word numbers or bullets it
    list_number: str = ""  # computed number ("1", "1.1", "4a"); "" for bullets
    bullet: bool = False  # a bulleted (not numbered) list item
    bold_prefix: str = ""  # text of the bold runs that open the paragraph
    all_bold: bool = False  # every visible character is bold
    cells: tuple[CellRef, ...] = ()  # table path, outermost first; () = not in one
    header_row: tuple[str, ...] = ()  # first-row texts of the innermost table
    in_textbox: bool = False

    @property
    def cell(self) -> CellRef | None:
        """Return the innermost table cell holding this paragraph, if any."""
        return self.cells[-1] if self.cells else None


@dataclass
class _Style:
    name: str
    based_on: str | None = None
    bold: bool | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    heading: int | None = None  # 1-9 for "Heading N", 0 for "Title"
    bullet_name: bool = False  # "List Bullet" and friends


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """numId -> levels, plus running counters, as Word would number them."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    abstract_of: dict[str, str] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    def next_number(self, num_id: str, ilvl: int) -> tuple[str, bool] | None:
        """Advance the counter and return (number, is_bullet), None if unnumbered."""
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return None
        level = levels.get(ilvl) or _Level()
        if level.fmt == "bullet":
            return "", True
        if level.fmt == "none":
            return "", False
        # Lists that share an abstract definition continue one another in Word.
        key = self.abstract_of.get(num_id, num_id)
        counts = self.counters.setdefault(key, [])
        while len(counts) <= ilvl:
            counts.append(0)
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        if counts[ilvl] == 0:
            counts[ilvl] = levels.get(ilvl, level).start
        else:
            counts[ilvl] += 1

        def render(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            lvl_def = levels.get(lvl) or _Level()
            value = counts[lvl] if lvl < len(counts) and counts[lvl] else lvl_def.start
            return _format_number(value, lvl_def.fmt)

        shown = re.sub(r"%(\d)", render, level.text)
        return shown.strip().strip(".)(:").strip(), False


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        n = max(value, 1)
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(97 + rem) + letters
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for unit, sign in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while value >= unit:
            out += sign
            value -= unit
    return out or str(value)


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    if el is None:
        return default
    got = el.get(W + "val", default)
    return None if got is None else str(got)


def _is_on(el: etree._Element | None) -> bool | None:
    if el is None:
        return None
    return (el.get(W + "val") or "true").lower() not in _FALSE


def _read_styles(root: etree._Element | None) -> dict[str, _Style]:
    """Map style id -> resolved style facts, one pass over styles.xml."""
    styles: dict[str, _Style] = {}
    if root is None:
        return styles
    for st in root.iterchildren(W + "style"):
        style_id = st.get(W + "styleId")
        if not style_id:
            continue
        kids = {c.tag: c for c in st}
        ppr, rpr = kids.get(W + "pPr"), kids.get(W + "rPr")
        facts = _ParagraphFacts()
        if ppr is not None:
            _read_ppr(ppr, facts)
        bold = None
        if rpr is not None:
            b = next((c for c in rpr if c.tag == _B), None)
            bold = _is_on(b)
        name = _val(kids.get(W + "name"), style_id) or style_id
        styles[style_id] = _Style(
            # Word stores built-in names in lower case ("heading 1") and shows
            # them capitalised, as python-docx's BabelFish does.
            name=name.title() if name.islower() else name,
            based_on=_val(kids.get(W + "basedOn")),
            bold=bold,
            num_id=facts.num_id,
            ilvl=facts.ilvl if facts.num_id is not None else None,
            outline=facts.outline,
        )
    for style in styles.values():  # inherit along basedOn, guarding cycles
        seen: set[str] = set()
        parent = style.based_on
        while parent and parent in styles and parent not in seen:
            seen.add(parent)
            base = styles[parent]
            if style.bold is None:
                style.bold = base.bold
            if style.num_id is None and base.num_id is not None:
                style.num_id, style.ilvl = base.num_id, base.ilvl
            if style.outline is None:
                style.outline = base.outline
            parent = base.based_on
    for style in styles.values():
        found = _HEADING_NAME.match(style.name)
        if found:
            style.heading = int(found.group(1))
        elif style.name.lower() == "title":
            style.heading = 0
        style.bullet_name = "list bullet" in style.name.lower()
    return styles


def _read_numbering(root: etree._Element | None) -> _Numbering:
    numbering = _Numbering()
    if root is None:
        return numbering
    abstracts: dict[str, dict[int, _Level]] = {}
    for ab in root.iterchildren(W + "abstractNum"):
        levels: dict[int, _Level] = {}
        for lvl in ab.iterchildren(W + "lvl"):
            ilvl = lvl.get(W + "ilvl", "0")
            if not ilvl.isdigit():
                continue
            start = _val(lvl.find(W + "start"), "1") or "1"
            levels[int(ilvl)] = _Level(
                fmt=_val(lvl.find(W + "numFmt"), "decimal") or "decimal",
                text=_val(lvl.find(W + "lvlText"), "") or "",
                start=int(start) if start.isdigit() else 1,
            )
        abstracts[ab.get(W + "abstractNumId", "")] = levels
    for num in root.iterchildren(W + "num"):
        num_id = num.get(W + "numId", "")
        abstract_id = _val(num.find(W + "abstractNumId"), "") or ""
        levels = dict(abstracts.get(abstract_id, {}))
        overridden = False
        for override in num.iterchildren(W + "lvlOverride"):
            ilvl = override.get(W + "ilvl", "0")
            start_at = _val(override.find(W + "startOverride"))
            if ilvl.isdigit() and start_at and start_at.isdigit():
                base = levels.get(int(ilvl)) or _Level()
                levels[int(ilvl)] = _Level(base.fmt, base.text, int(start))
                overridden = True
        numbering.levels[num_id] = levels
        # A restart override makes a fresh list; otherwise share the counters.
        numbering.abstract_of[num_id] = num_id if overridden else "a" + abstract_id
    return numbering


_P, _TBL, _TR, _TC, _R, _T = (W + t for t in ("p", "tbl", "tr", "tc", "r", "t"))
_PPR, _RPR, _TCPR, _B, _RSTYLE = (W + t for t in ("pPr", "rPr", "tcPr", "b", "rStyle"))
_PSTYLE, _NUMPR, _ILVL, _NUMID, _OUTLINE = (
    W + t for t in ("pStyle", "numPr", "ilvl", "numId", "outlineLvl")
)
_TAB, _PTAB, _BR, _CR, _NBH = (W + t for t in ("tab", "ptab", "br", "cr", "noBreakHyphen"))
_WRAPPERS = (W + "sdt", W + "sdtContent", W + "customXml")
_VAL = W + "val"
_TYPE = W + "type"
_GRIDSPAN = W + "gridSpan"
_TABS = W + "tabs"
# Text-bearing elements a plain paragraph is read from.
_TEXTISH = (_T, _TAB, _PTAB, _BR, _CR, _NBH)
# Anything that makes p.iter() unsafe: hidden text, copies, shapes, controls.
_COMPLEX = (
    W + "del", W + "moveFrom", W + "drawing", W + "pict", W + "object",
    W + "txbxContent", W + "sdtPr", W + "sdtEndPr", W + "ruby", MC + "AlternateContent",
    MC + "Fallback",
)  # fmt: skip
_COMPLEX_SET = frozenset(_COMPLEX)
_PRESCAN = (*_COMPLEX, _B, _RSTYLE, _TAB, _PTAB, _BR, _CR, _NBH)


class _Walker:
    """Collect blocks from one story (body, header or footer)."""

    def __init__(self, styles: dict[str, _Style], numbering: _Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.table_count = 0
        self.cell_count = 0
        # Paragraphs that need the run-by-run reading, and those that hold
        # tabs or breaks; every other paragraph is just its w:t texts.
        self.slow: set[etree._Element] = set()
        self.special: set[etree._Element] = set()

    def prescan(self, root: etree._Element) -> None:
        """Mark, in one C-level pass, the paragraphs a plain read would get wrong."""
        slow, special = self.slow, self.special
        for el in root.iter(_PRESCAN):
            tag = el.tag
            if tag in (_B, _RSTYLE):
                rpr = el.getparent()
                owner = rpr.getparent() if rpr is not None else None
                if owner is None or owner.tag == _PPR:
                    continue  # the paragraph mark's own formatting
                marks = slow
            elif tag in _COMPLEX_SET:
                marks = slow
            else:
                marks = special
            for p in el.iterancestors(_P):
                marks.add(p)

    def walk(
        self,
        parent: etree._Element,
        part: str,
        cells: tuple[CellRef, ...],
        header_row: tuple[str, ...],
        in_textbox: bool = False,
    ) -> None:
        """Read the block-level children of a body, cell or text box."""
        for child in parent:
            tag = child.tag
            if tag == _P:
                self._paragraph(child, part, cells, header_row, in_textbox)
            elif tag == _TBL:
                self._table(child, part, cells, in_textbox)
            elif tag in _TRANSPARENT:
                self.walk(child, part, cells, header_row, in_textbox)

    def _table(
        self, tbl: etree._Element, part: str, cells: tuple[CellRef, ...], in_textbox: bool
    ) -> None:
        if len(cells) >= MAX_TABLE_DEPTH:
            raise UploadRejected("too-complex", TOO_COMPLEX)
        table_id = self.table_count
        self.table_count += 1
        rows = list(_children(tbl, _TR))
        header: list[str] = []
        for tc in _children(rows[0], _TC) if rows else ():
            header.extend([" ".join(_cell_text(tc).split())] * _span(tc))
        header_row = tuple(header)
        paragraph = self._paragraph
        for r, tr in enumerate(rows):
            col = 0
            for tc in _children(tr, _TC):
                self.cell_count += 1
                if self.cell_count >= MAX_CELLS:
                    raise UploadRejected("too-complex", TOO_COMPLEX)
                here = (*cells, CellRef(table_id, r, col))
                span, first = 1, True
                for child in tc:  # walk(), inlined: tables are most of the cost
                    tag = child.tag
                    if tag == _P:
                        paragraph(child, part, here, header_row, in_textbox)
                    elif tag == _TCPR:
                        if first:
                            span = _grid_span(child)
                    elif tag == _TBL:
                        self._table(child, part, here, in_textbox)
                    elif tag in _TRANSPARENT:
                        self.walk(child, part, here, header_row, in_textbox)
                    first = False
                col += span

    def _paragraph(
        self,
        p: etree._Element,
        part: str,
        cells: tuple[CellRef, ...],
        header_row: tuple[str, ...],
        in_textbox: bool,
    ) -> None:
        facts = None
        style_bold = False
        styles = self.styles
        ppr = p.find(_PPR)
        if ppr is not None:
            facts = _ParagraphFacts()
            _read_ppr(ppr, facts)
            style = styles.get(facts.style_id) if facts.style_id else None
            facts.style = style
            style_bold = bool(style and style.bold)
        pieces: list[str]
        flags: list[bool] = []
        boxes: list[etree._Element] = []
        if p not in self.slow:
            # Plain runs only (no deletions, shapes or bold): collect the text
            # the way a raw walker does, in C-level iteration.
            if p not in self.special:
                pieces = [t.text for t in p.iter(_T) if t.text]
            else:
                pieces = _plain_pieces(p)
            if style_bold:
                flags = [True] * len(pieces)
        else:
            pieces = []
            for child in p:
                tag = child.tag
                if tag == _R:
                    _run(child, style_bold, pieces, flags, boxes, styles)
                elif tag in _SKIP or not isinstance(tag, str):
                    continue
                else:
                    _collect(child, style_bold, pieces, flags, boxes, styles)
        text = "".join(pieces)
        if text and not text.isspace():
            if "\xa0" in text:
                text = text.replace("\xa0", " ")
            self.blocks.append(
                self._block(facts, text, pieces, flags, part, cells, header_row, in_textbox)
            )
        for box in boxes:
            self.walk(box, part, cells, header_row, in_textbox=True)

    def _block(
        self,
        facts: _ParagraphFacts | None,
        text: str,
        pieces: list[str],
        flags: list[bool],
        part: str,
        cells: tuple[CellRef, ...],
        header_row: tuple[str, ...],
        in_textbox: bool,
    ) -> Block:
        name, heading, list_level, list_number, bullet = "", None, None, "", False
        if facts is not None:
            style = facts.style
            num_id, ilvl, outline = facts.num_id, facts.ilvl, facts.outline
            if style is not None:
                if num_id is None and style.num_id is not None:
                    num_id = style.num_id
                    ilvl = style.ilvl if ilvl is None else ilvl
                if outline is None:
                    outline = style.outline
                name, heading = style.name, style.heading
            if heading is None and outline is not None and outline < 9:
                heading = outline + 1
            if num_id is not None:
                numbered = self.numbering.next_number(num_id, min(ilvl or 0, 8))
                if numbered is not None:
                    list_level = ilvl or 0
                    list_number, bullet = numbered
            elif style is not None and style.bullet_name:
                list_level, bullet = 0, True
        prefix, all_bold = "", False
        if True in flags:
            parts: list[str] = []
            all_bold, seen, opening = True, False, True
            for piece, bold in zip(pieces, flags, strict=True):
                visible = not piece.isspace()
                if visible:
                    seen = True
                    all_bold = all_bold and bold
                    if not bold:
                        opening = False
                if opening:
                    parts.append(piece)
            prefix, all_bold = "".join(parts).strip(), seen and all_bold
        return Block(
            text,
            "" if name == "Normal" else name,
            part,
            heading,
            list_level,
            list_number,
            bullet,
            prefix,
            all_bold,
            cells,
            header_row,
            in_textbox,
        )


@dataclass(slots=True)
class _ParagraphFacts:
    style_id: str | None = None
    style: _Style | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None


def _read_ppr(ppr: etree._Element, facts: _ParagraphFacts) -> None:
    for child in ppr:
        tag = child.tag
        if tag == _PSTYLE:
            facts.style_id = child.get(_VAL)
        elif tag == _NUMPR:
            facts.ilvl = 0
            for sub in child:
                if sub.tag == _NUMID:
                    facts.num_id = sub.get(_VAL)
                elif sub.tag == _ILVL:
                    lvl = sub.get(_VAL) or ""
                    facts.ilvl = int(lvl) if lvl.isdigit() else 0
        elif tag == _OUTLINE:
            level = child.get(_VAL) or ""
            facts.outline = int(level) if level.isdigit() else None


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Yield children with this tag, looking through content controls."""
    for child in parent.iterchildren(tag, *_WRAPPERS):
        if child.tag == tag:
            yield child
        else:
            yield from _children(child, tag)


def _collect(
    el: etree._Element,
    style_bold: bool,
    pieces: list[str],
    flags: list[bool],
    boxes: list[etree._Element],
    styles: dict[str, _Style],
) -> None:
    """Append the visible text of a paragraph's runs, with their boldness."""
    for child in el:
        tag = child.tag
        if tag == _R:
            _run(child, style_bold, pieces, flags, boxes, styles)
        elif tag in _SKIP or not isinstance(tag, str):
            continue
        else:
            _collect(child, style_bold, pieces, flags, boxes, styles)


def _run(
    r: etree._Element,
    style_bold: bool,
    pieces: list[str],
    flags: list[bool],
    boxes: list[etree._Element],
    styles: dict[str, _Style],
) -> None:
    bold = style_bold
    for child in r:
        tag = child.tag
        if tag == _T:
            if child.text:
                pieces.append(child.text)
                flags.append(bold)
        elif tag == _RPR:
            bold = _run_bold(child, style_bold, styles)
        elif tag in (_TAB, _PTAB):
            pieces.append("\t")
            flags.append(bold)
        elif tag in (_BR, _CR):
            if child.get(W + "type") not in ("page", "column"):
                pieces.append("\n")
                flags.append(bold)
        elif tag == _NBH:
            pieces.append("-")
            flags.append(bold)
        elif tag in _SKIP or not isinstance(tag, str):
            continue
        else:
            # Drawings and VML shapes may carry text boxes: read them as blocks.
            boxes.extend(_textboxes(child))


def _run_bold(rpr: etree._Element, bold: bool, styles: dict[str, _Style]) -> bool:
    b = rpr.find(_B)
    if b is not None:
        return (b.get(_VAL) or "true").lower() not in _FALSE
    rstyle = rpr.find(_RSTYLE)
    if rstyle is not None:
        style = styles.get(rstyle.get(_VAL) or "")
        if style is not None and style.bold is not None:
            return style.bold
    return bold


def _plain_pieces(p: etree._Element) -> list[str]:
    """Text, tabs and breaks of a paragraph of plain runs, in order."""
    pieces = []
    for el in p.iter(_TEXTISH):
        tag = el.tag
        if tag == _T:
            if el.text:
                pieces.append(el.text)
        elif tag in (_BR, _CR):
            if el.get(_TYPE) not in ("page", "column"):
                pieces.append("\n")
        elif tag == _NBH:
            pieces.append("-")
        elif el.getparent().tag != _TABS:  # tab stops live in pPr
            pieces.append("\t")
    return pieces


def _textboxes(el: etree._Element) -> Iterator[etree._Element]:
    """Yield the outermost w:txbxContent under el, skipping mc:Fallback copies."""
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag == MC + "Fallback":
            continue
        if tag == W + "txbxContent":
            yield child
        else:
            yield from _textboxes(child)


def _span(tc: etree._Element) -> int:
    first = tc[0] if len(tc) else None
    return _grid_span(first) if first is not None and first.tag == _TCPR else 1


def _grid_span(tcpr: etree._Element) -> int:
    found = tcpr.find(_GRIDSPAN)
    if found is None:
        return 1
    span = found.get(_VAL) or "1"
    return int(span) if span.isdigit() and 0 < int(span) < 64 else 1


def _cell_text(tc: etree._Element) -> str:
    parts = []
    for p in tc.iter(W + "p"):
        pieces: list[str] = []
        _collect(p, False, pieces, [], [], {})
        parts.append("".join(pieces))
    return " ".join(parts)


_COUNT_CELLS = etree.XPath("count(.//w:tc)", namespaces={"w": W_NS})
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class _Package:
    """The parts of one .docx, read on demand with an entity-free parser."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(BytesIO(data))
        self.names = set(self.zip.namelist())
        self.parser = etree.XMLParser(
            remove_blank_text=True, resolve_entities=False, no_network=True, load_dtd=False
        )

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name), self.parser)

    def rels(self, part: str) -> list[tuple[str, str]]:
        """Return (type, target part) for the internal relationships of part."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return []
        out = []
        for rel in self.xml(rels_name).iter(_REL):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            target = unquote(target)
            if target.startswith("/"):
                name = posixpath.normpath(target).lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out.append((rel.get("Type") or "", name))
        return out


def _related(rels: list[tuple[str, str]], kind: str) -> list[str]:
    return [name for reltype, name in rels if reltype.endswith("/" + kind)]


def read_blocks(data: bytes) -> list[Block]:
    """Return the paragraphs of headers, body and footers as blocks."""
    package = _Package(data)
    main = next(iter(_related(package.rels(""), "officeDocument")), "word/document.xml")
    root = package.xml(main)
    body = root.find(W + "body")
    if body is None:
        raise ValueError("the document part has no body")
    rels = package.rels(main)
    styles_part = next(iter(_related(rels, "styles")), None)
    numbering_part = next(iter(_related(rels, "numbering")), None)
    styles = _read_styles(package.xml(styles_part) if styles_part else None)
    numbering = _read_numbering(package.xml(numbering_part) if numbering_part else None)
    walker = _Walker(styles, numbering)
    stories: list[tuple[str, etree._Element]] = []
    seen: set[str] = set()
    for reltype, name in rels:
        kind = reltype.rpartition("/")[2]
        if kind not in ("header", "footer") or name in seen:
            continue
        seen.add(name)
        stories.append((kind, package.xml(name)))
    stories.sort(key=lambda s: s[0] != "header")
    # Refuse a huge table at once, before walking it (counted in C).
    cells = sum(int(_COUNT_CELLS(root)) for root in (body, *(e for _k, e in stories)))
    if cells >= MAX_CELLS:
        raise UploadRejected("too-complex", TOO_COMPLEX)
    for _kind, element in stories:
        walker.prescan(element)
    walker.prescan(body)
    for kind, element in stories:
        if kind == "header":
            walker.walk(element, "header", (), ())
    walker.walk(body, "body", (), ())
    for kind, element in stories:
        if kind == "footer":
            walker.walk(element, "footer", (), ())
    return walker.blocks
