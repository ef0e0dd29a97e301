"""Helpers for digest tests: a real SMTP server on loopback and a small programme.

The SMTP server is aiosmtpd on 127.0.0.1 with a free port.  Its handler can be
told, per recipient, what to do on each delivery attempt:

- ``"451"`` / ``"550"``: refuse at RCPT with that code;
- ``"452"``: refuse at DATA (end of data) with 452;
- ``"drop"``: take the message, then close the connection before replying;
- ``"block"``: take the message and wait until released before replying
  (a message counts as delivered only if the connection is still there to
  hear the 250, like a server that commits when it replies).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from sqlmodel import Session

from factories import (
    make_body,
    make_contribution,
    make_decision,
    make_item,
    make_meeting,
    make_person,
)
from tracker.config import Settings
from tracker.models import Link, Meeting, Person
from tracker.services.linking import recompute_outcomes
from tracker.services.refresh import recompute_points


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Recorder:
    """Handler for aiosmtpd that records what it accepted."""

    script: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    delivered: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    blocked: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    _action: dict[int, str] = field(default_factory=dict)

    def plan(self, rcpt: str, *actions: str) -> None:
        self.script[rcpt.lower()].extend(actions)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        actions = self.script.get(address.lower())
        action = actions.pop(0) if actions else "ok"
        if action in ("451", "550"):
            return f"{action} {'try later' if action == '451' else 'no such user'}"
        self._action[id(envelope)] = action
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        action = self._action.pop(id(envelope), "ok")
        msg = message_from_bytes(envelope.content, policy=policy.default)
        if action == "452":
            return "452 insufficient storage"
        if action == "drop":
            self.delivered.append(msg)  # the server has it...
            server.transport.close()  # ...but the client never hears so
            return "250 OK"
        if action == "block":
            self.blocked.set()
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self.release.wait, 20)
            if server.transport is None or server.transport.is_closing():
                return "421 gone"
        self.delivered.append(msg)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"

    def count_by_message_id(self) -> Counter[str]:
        return Counter(str(m["Message-ID"]) for m in self.delivered)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.delivered if address.lower() in str(m["To"]).lower()]


class SmtpServer:
    """A started aiosmtpd Controller with a Recorder; stop() when done."""

    def __init__(self, port: int | None = None) -> None:
        self.recorder = Recorder()
        self.port = port or free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.recorder.release.set()
        self.controller.stop()


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def confirmed(session: Session, contribution: Any, target: Any, kind: str) -> Link:
    link = Link(
        contribution_id=contribution.id,
        target_type=kind,
        target_id=target.id,
        target_text=getattr(target, "text", getattr(target, "title", "")),
        score=0.9,
        method="test",
        status="confirmed",
    )
    session.add(link)
    session.flush()
    # What confirming a link in the app does: its point's outcome follows.
    recompute_points(session, [contribution.id])
    return link


def meeting(session: Session, body: Any, day: date, imported: datetime | None = None) -> Meeting:
    return make_meeting(session, body, day, imported_at=imported or at(2021, 1, 1))


@dataclass
class Programme:
    """PD workstream: a catch-up on 9 March 2021 and a CRG on 18 March 2021."""

    ann: Person
    ben: Person
    cara: Person
    catch_up: Any
    crg: Any
    m_catch: Meeting
    m_crg: Meeting
    ann_point: Any
    ann_hidden: Any
    ben_point: Any
    ben_story: Any


def seed_programme(session: Session) -> Programme:
    """Ann's point is acted on, credited; Ben's points are lost; Cara said nothing."""
    ann = make_person(session, "Ann Example", aliases=["AE"], email="ann@example.org")
    ben = make_person(session, "Ben Example", email="ben@example.org")
    cara = make_person(session, "Cara Example", email="cara@example.org")
    make_person(session, "Sam Staff", role="staff", email="sam@example.org")
    catch_up = make_body(session, "PD LXP joint catch-up", kind="catch-up")
    crg = make_body(session, "PD Clinical Reference Group", kind="governance")
    m_catch = meeting(session, catch_up, date(2021, 3, 9))
    m_crg = meeting(session, crg, date(2021, 3, 18))
    ann_point = make_contribution(
        session, m_catch, "Run peer support groups in the evening, after work.", speaker=ann
    )
    ann_hidden = make_contribution(
        session,
        m_catch,
        "My private worry about the waiting list.",
        speaker=ann,
        consent="count-only",
    )
    ben_point = make_contribution(
        session,
        m_catch,
        "Crisis line waits are too long at night.",
        speaker=ben,
        consent="quote-anonymous",
    )
    ben_story = make_contribution(
        session,
        m_catch,
        "When I was in hospital in 2019 nobody called my family.",
        speaker=ben,
        is_story=True,
    )
    item = make_item(session, m_crg, "Peer support evaluation", lead_person_id=ann.id)
    decision = make_decision(
        session, m_crg, "Agreed: pilot evening peer support groups, as raised by LXPs.", item=item
    )
    confirmed(session, ann_point, decision, "decision")
    recompute_outcomes(session=session)
    session.commit()
    return Programme(
        ann, ben, cara, catch_up, crg, m_catch, m_crg, ann_point, ann_hidden, ben_point, ben_story
    )


def make_settings(tmp_path: Any, db_url: str, smtp_url: str = "", **kw: Any) -> Settings:
    return Settings(
        database_url=db_url,
        instance_dir=str(tmp_path / "instance"),
        smtp_url=smtp_url,
        mail_from="tracker@example.org",
        secret_key="digest-test-secret",
        base_url="https://tracker.example",
        **kw,
    )


def text_part(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def html_part(msg: EmailMessage) -> str | None:
    part = msg.get_body(preferencelist=("html",))
    return None if part is None else str(part.get_content())
