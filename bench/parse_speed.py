"""Time read_blocks and parse_minutes against a raw zipfile + lxml walk.

    .venv/bin/python bench/parse_speed.py [--pages 500]

Builds a synthetic minutes document (per page: a numbered heading, three
numbered paragraphs, three bullets, a 4x4 Item/Discussion/Action/Owner table,
a Decisions heading and paragraph, as in PERFORMANCE.md section 1) and prints
the best of three runs of each walker, with the ratio to the raw walk.
"""

from __future__ import annotations

import argparse
import sys
import time
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from docx import Document
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers import parse_minutes  # noqa: E402
from parsers.docx_blocks import read_blocks  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(pages: int) -> bytes:
    """Return a lean synthetic minutes .docx of about this many pages."""
    doc = Document()
    doc.add_paragraph("Programme Board minutes", style="Title")
    doc.add_paragraph("Tuesday 9 March 2021, MS Teams")
    doc.add_paragraph("Present: Ann Lee (Chair), Bob Stone, Cara Diaz (LXP)")
    for n in range(1, pages + 1):
        doc.add_heading(f"{n}. Item number {n} – AL", level=2)
        for k in range(3):
            doc.add_paragraph(
                f"BS reported that point {k} of item {n} was discussed "
                "at some length by the members present today.",
                style="List Number",
            )
        for k in range(3):
            doc.add_paragraph(
                f"One LXP said that bullet {k} matters a great deal.", style="List Bullet"
            )
        table = doc.add_table(rows=4, cols=4)
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                cell.text = (
                    ("Item", "Discussion", "Action", "Owner")[c]
                    if r == 0
                    else (f"row {r} col {c} of item {n}")
                )
        doc.add_heading("Decisions", level=3)
        doc.add_paragraph(f"Agreed: the plan for item {n} goes ahead.")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def raw_walk(data: bytes) -> int:
    """Paragraph text, style and numbering, and cell text, with zipfile + lxml."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    count = 0
    for p in root.iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        num = p.find(f"{W}pPr/{W}numPr")
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        count += bool(text) + (style is not None) + (num is not None)
    return count


def best(fn: Callable[[], object], runs: int = 3) -> float:
    """Return the fastest of several runs, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    """Print the timings."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=500)
    args = ap.parse_args()
    data = build(args.pages)
    raw = best(lambda: raw_walk(data))
    print(f"{args.pages} pages, {len(data) // 1024} KB")
    print(f"raw zipfile+lxml   {raw * 1000:8.1f} ms   1.00x")
    for name, fn in (
        ("read_blocks", lambda: read_blocks(data)),
        ("parse_minutes", lambda: parse_minutes(data, "b.docx")),
    ):
        took = best(fn)
        print(f"{name:18} {took * 1000:8.1f} ms   {took / raw:.2f}x")


if __name__ == "__main__":
    main()
