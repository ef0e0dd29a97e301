"""Time parse_minutes against a raw zipfile + lxml walk of the same XML.

    .venv/bin/python bench/parse.py [--runs 5] [--profile] [--shared DIR]

Generates 5-, 50- and 500-page minutes (lean python-docx XML and a Word-like
variant with several formatted runs per paragraph) in a temp dir, then times
``parsers.parse_minutes`` and the raw walk side by side in the same run, and
the same over every .docx in corpus/real-minutes.  Prints a markdown table and
writes bench/results/parse.md.  Targets (PERFORMANCE.md 5.1): at most 1.5x raw
on the 500-page files, 3.5x raw over the real corpus.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import platform
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from parsers import UploadRejected, parse_minutes  # noqa: E402
from parsers.guard import check_docx  # noqa: E402

SHARED = Path(os.environ.get("TRACKER_SHARED_DIR") or REPO.parent / "shared")
RESULTS = REPO / "bench" / "results" / "parse.md"
PAGES = (5, 50, 500)
SMALL_PAGES = (5,)
REAL_LIMIT: int | None = None  # every real file
TARGET_500, TARGET_REAL = 1.5, 3.5

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"

WORDS = (
    "peer", "support", "evening", "groups", "carers", "leaflet", "referral",
    "pathway", "waiting", "list", "service", "users", "feedback", "survey",
    "community", "hub", "outreach", "funding", "review", "clinic", "appointment",
    "access", "interpreter", "training", "recovery", "college", "wellbeing",
    "budget", "discharge", "crisis", "line", "volunteers", "co-production",
    "lived", "experience", "partners",
)  # fmt: skip
NAMES = ("Jane Smith", "Sam Lee", "Priya Shah", "Alex Doe", "Tom Brown", "LXPs")


# --- generating minutes -----------------------------------------------------


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def build_minutes(pages: int, seed: int = 7) -> bytes:
    """About 340 words a page: heading, numbered points, bullets, table, decision."""
    rng = random.Random(seed)
    document = docx.Document()
    document.add_paragraph("Co-production Steering Group: minutes", style="Title")
    document.add_paragraph("Date: 9 March 2021")
    document.add_paragraph("Present: Jane Smith (Chair), Sam Lee (LXP), Priya Shah (LXP)")
    document.add_paragraph("Apologies: Alex Doe")
    for page in range(1, pages + 1):
        document.add_heading(f"{page}. {sentence(rng, 4)[:-1]}", level=1)
        for _ in range(3):
            speaker = rng.choice(NAMES)
            document.add_paragraph(f"{speaker} said {sentence(rng, 33)}", style="List Number")
        for _ in range(3):
            document.add_paragraph(sentence(rng, 25), style="List Bullet")
        table = document.add_table(rows=4, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("Item", "Discussion", "Action", "Owner"), strict=True
        ):
            cell.text = text
        for row_number, row in enumerate(table.rows[1:], 1):
            texts = (
                f"{page}.{row_number}",
                sentence(rng, 22),
                sentence(rng, 14),
                rng.choice(NAMES),
            )
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
        document.add_heading("Decisions", level=2)
        document.add_paragraph(f"Agreed: {sentence(rng, 25)}")
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


RPR = (
    '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/>'
    '<w:lang w:val="en-GB" w:eastAsia="en-GB"/></w:rPr>'
)
RUN_RE = re.compile(r"<w:r>(?:<w:rPr>.*?</w:rPr>)?<w:t(?: [^>]*)?>([^<]*)</w:t></w:r>")


def word_like(data: bytes) -> bytes:
    """Rewrite the body as Word writes it: rsids, ~4 runs each with rPr, proofErr."""
    rng = random.Random(11)

    def split_run(match: re.Match[str]) -> str:
        words = match.group(1).split(" ")
        step = max(1, len(words) // 4)
        pieces = [" ".join(words[i : i + step]) for i in range(0, len(words), step)]
        runs = []
        for number, piece in enumerate(pieces):
            text = piece + (" " if number < len(pieces) - 1 else "")
            rsid = f"{rng.randrange(16**8):08X}"
            runs.append(f'<w:r w:rsidR="{rsid}">{RPR}<w:t xml:space="preserve">{text}</w:t></w:r>')
            if number == 1:
                runs.append('<w:proofErr w:type="spellStart"/>')
            if number == 2:
                runs.append('<w:proofErr w:type="spellEnd"/>')
        return "".join(runs)

    def rsid_paragraph(_match: re.Match[str]) -> str:
        rsids = " ".join(
            f'w:{name}="{rng.randrange(16**8):08X}"'
            for name in ("rsidR", "rsidRPr", "rsidRDefault", "rsidP")
        )
        return f"<w:p {rsids}>"

    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            parts[info.filename] = archive.read(info)
    xml = parts["word/document.xml"].decode()
    xml = RUN_RE.sub(split_run, xml)
    xml = re.sub(r"<w:p>", rsid_paragraph, xml)
    xml = xml.replace("<w:tcPr>", '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="auto"/>')
    parts["word/document.xml"] = xml.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    return out.getvalue()


# --- the raw lower bound ----------------------------------------------------


def raw_walk(data: bytes) -> int:
    """Zipfile + lxml: paragraph text, style name, numbering, table-cell text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body_xml = archive.read("word/document.xml")
        styles_xml = archive.read("word/styles.xml")
    styles = {}
    for style in etree.fromstring(styles_xml).iter(W + "style"):
        name = style.find(W + "name")
        styles[style.get(W + "styleId")] = name.get(W + "val") if name is not None else ""
    body = etree.fromstring(body_xml).find(W + "body")
    blocks: list[tuple[str, str, str]] = []

    def paragraph(p: etree._Element) -> None:
        # Single-tag find() stays in C; a "a/b" path goes through ElementPath.
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        style, number = "", ""
        properties = p.find(W + "pPr")
        if properties is not None:
            style_el = properties.find(W + "pStyle")
            if style_el is not None:
                style = styles.get(style_el.get(W + "val"), "")
            numbering = properties.find(W + "numPr")
            if numbering is not None:
                num_id = numbering.find(W + "numId")
                number = num_id.get(W + "val", "") if num_id is not None else ""
        blocks.append((text, style, number))

    for child in body:
        if child.tag == W + "p":
            paragraph(child)
        elif child.tag == W + "tbl":
            for cell in child.iter(W + "tc"):
                for p in cell.iter(W + "p"):
                    paragraph(p)
    return len(blocks)


# --- timing -----------------------------------------------------------------


@dataclass
class Timing:
    parse_ms: float
    raw_ms: float
    guard_ms: float


def median_ms(func: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def parse_or_refuse(data: bytes, name: str) -> None:
    with contextlib.suppress(UploadRejected):
        parse_minutes(data, name)


def time_file(data: bytes, name: str, runs: int) -> Timing:
    """Median of interleaved runs, so noise hits both sides alike."""
    parse_samples, raw_samples, guard_samples = [], [], []
    for _ in range(runs):
        raw_samples.append(median_ms(lambda: raw_walk(data), 1))
        parse_samples.append(median_ms(lambda: parse_or_refuse(data, name), 1))
        guard_samples.append(median_ms(lambda: check_docx(data), 1))
    return Timing(
        statistics.median(parse_samples),
        statistics.median(raw_samples),
        statistics.median(guard_samples),
    )


def xml_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.getinfo("word/document.xml").file_size


def page_count(data: bytes) -> int | None:
    """Pages from docProps/app.xml, as Word last saved it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            app = archive.read("docProps/app.xml")
    except (KeyError, zipfile.BadZipFile):
        return None
    found = re.search(rb"<(?:\w+:)?Pages>(\d+)</", app)
    return int(found.group(1)) if found else None


def bench_synthetic(runs: int) -> list[list[str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pages in PAGES:
            lean = build_minutes(pages)
            for form, data in (("lean", lean), ("Word-like", word_like(lean))):
                path = Path(tmp) / f"minutes-{pages}-{form}.docx"
                path.write_bytes(data)
                data = path.read_bytes()
                parse_minutes(data, path.name)  # warm up, and fail loudly
                timing = time_file(data, path.name, runs)
                ratio = timing.parse_ms / timing.raw_ms
                target = f" (target ≤{TARGET_500}x)" if pages == 500 else ""
                rows.append(
                    [
                        f"{pages} p {form}",
                        f"{xml_size(data) / pages / 1024:.1f} KB",
                        f"{timing.raw_ms / pages:.3f}",
                        f"{timing.parse_ms / pages:.3f}",
                        f"{ratio:.2f}x{target}",
                        f"{timing.guard_ms / pages:.3f}",
                    ]
                )
                print(" | ".join(rows[-1]), file=sys.stderr)
    return rows


def bench_real(runs: int) -> tuple[list[list[str]], list[str]]:
    root = SHARED / "corpus" / "real-minutes"
    files = sorted(root.rglob("*.docx")) if root.is_dir() else []
    files = files[:REAL_LIMIT]
    if not files:
        return [], [f"No real corpus at {root}; skipped."]
    parse_total = raw_total = guard_total = 0.0
    per_file, pages_total, timed, refused = [], 0, 0, []
    for path in files:
        data = path.read_bytes()
        try:
            parse_minutes(data, path.name)
        except UploadRejected as error:
            # Still timed: the parser read the whole file before refusing it.
            refused.append(f"{path.relative_to(root)}: {error.code}")
        try:
            raw_walk(data)
        except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
            refused.append(f"{path.relative_to(root)}: raw walk failed, not timed")
            continue
        timing = time_file(data, path.name, runs)
        parse_total += timing.parse_ms
        raw_total += timing.raw_ms
        guard_total += timing.guard_ms
        per_file.append(timing.parse_ms)
        pages_total += page_count(data) or 0
        timed += 1
    ratio = parse_total / raw_total
    row = [
        f"real {timed} files ({pages_total} p)",
        "",
        f"{raw_total / timed:.2f} per file",
        f"{parse_total / timed:.2f} per file (median {statistics.median(per_file):.2f})",
        f"{ratio:.2f}x (target ≤{TARGET_REAL}x)",
        f"{guard_total / timed:.2f} per file",
    ]
    notes = (
        [
            f"Refused by parse_minutes (timed all the same): {len(refused)}: "
            f"{', '.join(sorted(refused))}."
        ]
        if refused
        else []
    )
    if pages_total:
        notes.append(
            f"Real corpus per page: parse {parse_total / pages_total:.3f} ms,"
            f" raw {raw_total / pages_total:.3f} ms (pages from docProps/app.xml)."
        )
    return [row], notes


def profile(runs: int) -> str:
    """cProfile parse_minutes on the 500-page Word-like file and the real files."""
    big = word_like(build_minutes(500))
    root = SHARED / "corpus" / "real-minutes"
    real = [p.read_bytes() for p in sorted(root.rglob("*.docx"))] if root.is_dir() else []
    out = io.StringIO()
    for label, datas in (("500-page Word-like", [big]), ("real corpus", real)):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            for data in datas:
                with contextlib.suppress(UploadRejected):
                    parse_minutes(data, "minutes.docx")
        profiler.disable()
        out.write(f"\n## {label} (x{runs})\n\n```\n")
        stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
        stats.print_stats(25)
        out.write("```\n")
    return out.getvalue()


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--runs", type=int, default=7)
    arguments.add_argument("--profile", action="store_true")
    arguments.add_argument(
        "--small", action="store_true", help="5 pages and 5 real files only (the smoke test)"
    )
    arguments.add_argument("--out", type=Path, default=RESULTS, help="where to write the table")
    options = arguments.parse_args()
    if options.small:
        global PAGES, REAL_LIMIT
        PAGES, REAL_LIMIT = SMALL_PAGES, 5

    header = ["input", "XML/page", "raw ms/page", "parse ms/page", "parse/raw", "guard ms/page"]
    rows = bench_synthetic(options.runs)
    real_rows, notes = bench_real(options.runs)
    rows += real_rows
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    versions = (
        f"Python {platform.python_version()}, python-docx {docx.__version__},"
        f" lxml {etree.__version__}, libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))}"
    )
    report = "\n".join(
        [
            "# Parser benchmark",
            "",
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores,"
            f" load {os.getloadavg()[0]:.2f}; {versions}.",
            f"Median of {options.runs} interleaved runs. parse = parsers.parse_minutes"
            " (includes check_docx); raw = zipfile + lxml walk of document.xml and"
            " styles.xml; guard = check_docx alone.",
            "",
            *lines,
            "",
            *notes,
            "",
        ]
    )
    if options.profile:
        report += profile(3)
    print(report)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(report)


if __name__ == "__main__":
    main()
