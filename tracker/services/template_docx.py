"""A Word minutes template designed for attribution, built by code (python-docx).

Every line says who: statements start with the speaker's name and a colon,
agenda items name their lead, actions name an owner and a date. The parser
reads a filled-in copy of this template with no warnings (a test checks it).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.shared import Pt

GUIDANCE = (
    "How to use this template: keep one statement per line and start it with the "
    "name of the person who spoke and a colon, for example 'Jade Morgan: ...'. "
    "When LXPs speak as a group, write 'LXPs: ...'. Write actions as 'ACTION: what "
    "– who, by date' and decisions as 'DECISION: what was agreed'. Name the lead of "
    "each agenda item in brackets. Replace the example lines with your own."
)

EXAMPLE = {
    "title": "PD Clinical Reference Group – minutes",
    "date": "18 March 2021",
    "present": ["Helen Price (Chair)", "Jade Morgan (LXP)", "Arun Patel"],
    "apologies": ["Kofi Mensah (LXP)"],
    "items": [
        {
            "title": "Welcome and apologies",
            "lead": "Helen Price",
            "lines": ["Helen Price: Welcomed everyone to the meeting."],
        },
        {
            "title": "Peer support groups",
            "lead": "Jade Morgan",
            "lines": [
                "Jade Morgan: Evening peer support groups would help people who work.",
                "Arun Patel: The service will look at evening sessions.",
                "DECISION: Agreed to pilot evening peer support groups.",
                "ACTION: Draft a plan for evening peer support groups – Arun Patel, "
                "by 15 April 2021",
            ],
        },
    ],
}


def build_template(*, bodies: Sequence[str] = (), example: dict | None = None) -> bytes:
    """Return the bytes of the attribution-friendly minutes template."""
    spec = example or EXAMPLE
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)
    document.core_properties.title = "Minutes template"
    document.core_properties.author = "You said, we did tracker"

    heading = document.add_paragraph()
    run = heading.add_run(spec["title"])
    run.bold = True
    run.font.size = Pt(16)
    _labelled(document, "Date: ", spec["date"])
    _labelled(document, "Present: ", ", ".join(spec["present"]))
    if spec.get("apologies"):
        _labelled(document, "Apologies: ", ", ".join(spec["apologies"]))
    for number, item in enumerate(spec["items"], start=1):
        title = f"{number}. {item['title']}"
        if item.get("lead"):
            title += f" (Lead: {item['lead']})"
        document.add_heading(title, level=2)
        for line in item["lines"]:
            label, sep, rest = line.partition(": ")
            paragraph = document.add_paragraph()
            if sep and label.isupper():
                paragraph.add_run(label + sep).bold = True
                paragraph.add_run(rest)
            else:
                paragraph.add_run(line)
    # Guidance goes in Word comments, not in the text, so it is never read as minutes.
    guidance = GUIDANCE
    if bodies:
        guidance += " Start the title with the meeting's name, one of: " + "; ".join(bodies) + "."
    document.add_comment(run, text=guidance, author="Tracker", initials="T")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _labelled(document: object, label: str, value: str) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    paragraph.add_run(label).bold = True
    paragraph.add_run(value)
