"""Email: render (templates -> parts -> EmailMessage) and send (SMTP or .eml files).

Rendering never talks to a server and sending never renders: the digest
service stores the rendered parts in the outbox row, and the outbox sender
turns a row into an ``EmailMessage`` with :func:`build_message` at send time.

Templates live in ``templates/email/<name>/{subject.txt,body.txt,body.html}``.
They use a Jinja environment of their own: autoescaping is ON for ``.html``
and OFF for ``.txt`` (plain text must not show ``&amp;``).  Headers are set
only through ``email.message.EmailMessage`` and ``Address``, which refuse
CR/LF, and subjects and display names are flattened to one line first.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

ROOT = Path(__file__).resolve().parents[1]
EMAIL_TEMPLATES = ROOT / "templates" / "email"

_env: Environment | None = None


def email_environment() -> Environment:
    """Return the Jinja environment for email: autoescape for .html only."""
    global _env
    if _env is None:
        _env = Environment(
            loader=FileSystemLoader(str(EMAIL_TEMPLATES)),
            autoescape=select_autoescape(
                enabled_extensions=("html",), default_for_string=False, default=False
            ),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    return _env


def one_line(text: str, limit: int = 200) -> str:
    """Collapse all whitespace (CR and LF included) so text is safe as a header."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class RenderedEmail:
    """The rendered parts of one email; html is empty for plain-text-only mail."""

    subject: str
    text: str
    html: str


def render_parts(name: str, ctx: dict[str, Any], *, plain_text_only: bool = False) -> RenderedEmail:
    """Render templates/email/<name>/ into subject, text and (optionally) HTML."""
    env = email_environment()
    subject = one_line(env.get_template(f"{name}/subject.txt").render(ctx))
    text = env.get_template(f"{name}/body.txt").render(ctx)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    html = "" if plain_text_only else env.get_template(f"{name}/body.html").render(ctx)
    return RenderedEmail(subject=subject, text=text, html=html)


# Lines up to RFC 5322's limit of 998 characters: with the default of 78, a
# List-Unsubscribe URL longer than a line was folded into RFC 2047 encoded
# words ("=?utf-8?q?=3Chttps...") that no mail client reads as a URL.
MAIL_POLICY = default_policy.clone(max_line_length=998)
WIRE_POLICY = MAIL_POLICY.clone(linesep="\r\n")  # what SMTP and .eml files carry


def _address(addr: str, display_name: str = "") -> Address:
    if "\r" in addr or "\n" in addr:
        raise ValueError("an email address cannot contain a line break")
    name, spec = parseaddr(addr)
    if not spec or "@" not in spec or any(c in spec for c in "\r\n <>"):
        raise ValueError(f"not an email address: {addr!r}")
    username, domain = spec.rsplit("@", 1)
    display = one_line(display_name or name, 80)
    return Address(display_name=display, username=username, domain=domain)


def build_message(
    parts: RenderedEmail,
    *,
    mail_from: str,
    to: str,
    to_name: str = "",
    message_id: str,
    unsubscribe_url: str | None = None,
    date: Any = None,
) -> EmailMessage:
    """Assemble an EmailMessage: text part, HTML alternative, fixed Message-ID."""
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = _address(mail_from)
    msg["To"] = _address(to, to_name)
    msg["Subject"] = one_line(parts.subject)
    msg["Message-ID"] = message_id
    if date is not None:
        msg["Date"] = format_datetime(date)
    if unsubscribe_url:
        # RFC 2369 and RFC 8058: mail clients show "Unsubscribe" and POST
        # "List-Unsubscribe=One-Click" to this URL.
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(parts.text)
    if parts.html:
        msg.add_alternative(parts.html, subtype="html")
    return msg


def render_email(
    name: str,
    ctx: dict[str, Any],
    *,
    mail_from: str,
    to: str,
    message_id: str,
    to_name: str = "",
    unsubscribe_url: str | None = None,
    plain_text_only: bool = False,
) -> EmailMessage:
    """Render a named email into a ready-to-send EmailMessage."""
    parts = render_parts(name, ctx, plain_text_only=plain_text_only)
    return build_message(
        parts,
        mail_from=mail_from,
        to=to,
        to_name=to_name,
        message_id=message_id,
        unsubscribe_url=unsubscribe_url,
    )


# -- sending ---------------------------------------------------------------


class DeliveryError(Exception):
    """Base class of what a sender can report, with the server's words."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class TemporaryFailure(DeliveryError):
    """4xx, server down, connection lost before DATA: try again later."""


class PermanentFailure(DeliveryError):
    """5xx: the server refused for good; do not retry."""


class UnknownOutcome(DeliveryError):
    """The connection dropped after the message was sent: the server may have it."""


class Sender(Protocol):
    """Something that delivers one EmailMessage or raises a DeliveryError."""

    def send(self, msg: EmailMessage) -> None: ...

    def close(self) -> None: ...


def _classify(code: int, text: str) -> DeliveryError:
    if 400 <= code < 500:
        return TemporaryFailure(f"{code} {text}", code)
    return PermanentFailure(f"{code} {text}", code)


def _reply_text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return one_line(text, 300)


class SmtpSender:
    """Send through smtp:// (STARTTLS when offered) or smtps:// (TLS), auth from the URL.

    One connection is kept for a batch and reopened after any failure.  The
    DATA phase is driven step by step so that a connection lost *after* the
    message went out is told apart from one lost before it: the first is
    :class:`UnknownOutcome`, the second :class:`TemporaryFailure`.
    """

    def __init__(self, url: str, *, timeout: float = 30.0, local_hostname: str | None = None):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("an smtp://host:port or smtps://user:pass@host:port URL")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self.local_hostname = local_hostname
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        conn: smtplib.SMTP
        if self.tls:
            conn = smtplib.SMTP_SSL(
                self.host,
                self.port,
                timeout=self.timeout,
                context=context,
                local_hostname=self.local_hostname,
            )
            conn.ehlo()
        else:
            conn = smtplib.SMTP(
                self.host, self.port, timeout=self.timeout, local_hostname=self.local_hostname
            )
            conn.ehlo()
            if conn.has_extn("starttls"):
                conn.starttls(context=context)
                conn.ehlo()
        if self.username:
            conn.login(self.username, self.password or "")
        return conn

    def close(self) -> None:
        """Say QUIT if we can; drop the connection either way."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def send(self, msg: EmailMessage) -> None:
        """Deliver one message or raise Temporary/Permanent failure or UnknownOutcome."""
        _, from_addr = parseaddr(str(msg["From"]))
        _, to_addr = parseaddr(str(msg["To"]))
        payload = msg.as_bytes(policy=WIRE_POLICY)
        try:
            if self._conn is None:
                self._conn = self._connect()
            conn = self._conn
            code, reply = conn.mail(from_addr)
            if code != 250:
                conn.rset()
                raise _classify(code, _reply_text(reply))
            code, reply = conn.rcpt(to_addr)
            if code not in (250, 251):
                conn.rset()
                raise _classify(code, _reply_text(reply))
            code, reply = conn.docmd("DATA")
            if code != 354:
                conn.rset()
                raise _classify(code, _reply_text(reply))
        except DeliveryError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            self._drop()
            raise PermanentFailure(f"login refused: {exc.smtp_code}", exc.smtp_code) from None
        except smtplib.SMTPResponseException as exc:
            self._drop()
            raise _classify(exc.smtp_code, _reply_text(exc.smtp_error)) from None
        except (smtplib.SMTPException, OSError) as exc:
            # Refused, timed out, or dropped before the message went out.
            self._drop()
            raise TemporaryFailure(f"cannot reach the mail server: {type(exc).__name__}") from None
        # From here the server may hold the message whatever happens next.
        body = re.sub(rb"(?m)^\.", b"..", payload)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        try:
            conn.send(body + b".\r\n")
            code, reply = conn.getreply()
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            raise UnknownOutcome(
                f"connection lost after the message was sent: {type(exc).__name__}"
            ) from None
        if code != 250:
            raise _classify(code, _reply_text(reply))


class EmlSender:
    """Write each message to <outbox>/<message id>.eml instead of sending it.

    The file name comes from the Message-ID, so sending the same outbox row
    twice rewrites one file: no duplicates, whatever the retries.
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def path_for(self, message_id: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", message_id.strip("<>"))
        return self.folder / f"{safe}.eml"

    def send(self, msg: EmailMessage) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.path_for(str(msg["Message-ID"]))
            tmp = path.with_suffix(".eml.tmp")
            tmp.write_bytes(msg.as_bytes(policy=WIRE_POLICY))
            os.replace(tmp, path)
        except OSError as exc:
            raise TemporaryFailure(f"cannot write to {self.folder}: {exc.strerror}") from None

    def close(self) -> None:
        """Nothing to close."""


def make_sender(smtp_url: str, outbox_dir: Path) -> Sender:
    """Return an SMTP sender for a URL, else one that writes .eml files."""
    return SmtpSender(smtp_url) if smtp_url else EmlSender(outbox_dir)
