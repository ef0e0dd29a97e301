"""The outbox sender: claim DigestPeriod rows, send them, record what happened.

Exactly once, as far as SMTP allows:

1. Claim one row in its own transaction.  PostgreSQL: ``SELECT ... FOR UPDATE
   SKIP LOCKED``, so racing senders take different rows.  SQLite: the
   conditional ``UPDATE ... WHERE status = <what we read>`` runs under the
   write lock (tracker/db.py); either way the update must touch exactly one
   row, or the claim is dropped.
2. Commit ``sending``, a lease and one more attempt *before* talking to SMTP.
   The Message-ID was fixed when the row was queued and never changes.
3. On 250, mark ``sent``.  Every update after SMTP is fenced on the attempt
   number we claimed, so a sender whose lease ran out cannot overwrite a newer
   claim.
4. 4xx, a refused connection or a drop *before* the message went out: retry
   after 1 min, 5 min, 30 min, 2 h and 12 h (each +-20 % jitter); after that,
   ``failed``.  5xx: ``failed`` at once, never retried; an admin alert is
   logged and audited.
5. A connection lost *after* the message went out: ``unknown``.  Policy: the
   server probably has it, but a lost digest is worse for an LXP than a second
   copy, so the row is resent ONCE, with the SAME Message-ID (mail clients
   fold copies with one Message-ID), after a hold of one hour.  If that resend
   ends unknown too, the row stays ``unknown`` with no next attempt: held for
   review, and an alert is raised.
6. A lease that expires (the sender was killed) makes the row claimable again;
   the resend uses the same Message-ID.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, or_, update
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.domain.vocab import Frequency
from tracker.mail import (
    PermanentFailure,
    RenderedEmail,
    Sender,
    TemporaryFailure,
    UnknownOutcome,
    build_message,
    make_sender,
)
from tracker.models import DigestPeriod, Person
from tracker.services.audit import record_event
from tracker.services.digests import LXP_DIGEST, aware, link_urls, now_utc
from tracker.signing import resolve_secret_key

log = logging.getLogger("tracker.outbox")

BACKOFF_SECONDS = (60, 300, 1800, 7200, 43200)
JITTER = 0.2
LEASE = timedelta(minutes=10)
UNKNOWN_HOLD = timedelta(hours=1)
RESENT_TAG = "[resent after unknown] "


@dataclass
class DrainSummary:
    """What one pass over the outbox did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unknown: int = 0
    skipped: int = 0
    message_ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"outbox: {self.sent} sent, {self.retrying} to retry, {self.failed} failed, "
            f"{self.unknown} unknown, {self.skipped} not sent (digests stopped or no address)"
        )


@dataclass(frozen=True)
class Claim:
    """A row this sender holds, as it was when claimed."""

    id: int
    person_id: int
    kind: str
    period: str
    attempts: int  # after this claim: the fencing token
    message_id: str
    subject: str
    body_text: str
    body_html: str
    was_resent_after_unknown: bool
    prior_error: str


def _claimable(now: datetime) -> Any:
    return or_(
        and_(
            DigestPeriod.status == "pending",
            or_(DigestPeriod.next_attempt_at == None, DigestPeriod.next_attempt_at <= now),  # noqa: E711
        ),
        and_(DigestPeriod.status == "sending", DigestPeriod.lease_until < now),
        and_(
            DigestPeriod.status == "unknown",
            DigestPeriod.next_attempt_at != None,  # noqa: E711
            DigestPeriod.next_attempt_at <= now,
        ),
    )


def claim_one(session: Session, *, now: datetime, lease: timedelta = LEASE) -> Claim | None:
    """Claim the oldest due row, committing `sending` and a lease; None if none is due."""
    row = session.exec(
        select(DigestPeriod)
        .where(_claimable(now))
        .order_by(DigestPeriod.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if row is None:
        session.rollback()
        return None
    was_unknown = row.status == "unknown"
    if row.status == "sending":
        log.warning("digest row %s: lease expired; sending again (same Message-ID)", row.id)
    prior = row.last_error or ""
    if was_unknown and not prior.startswith(RESENT_TAG):
        prior = RESENT_TAG + prior
    result = session.execute(
        update(DigestPeriod)
        .where(
            DigestPeriod.id == row.id,
            DigestPeriod.status == row.status,
            DigestPeriod.attempts == row.attempts,
        )
        .values(
            status="sending",
            lease_until=now + lease,
            attempts=row.attempts + 1,
            last_error=prior or None,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        # Someone else took it between our read and our write.
        session.rollback()
        return None
    claim = Claim(
        id=row.id or 0,
        person_id=row.person_id,
        kind=row.kind,
        period=row.period,
        attempts=row.attempts + 1,
        message_id=row.message_id,
        subject=row.subject,
        body_text=row.body_text,
        body_html=row.body_html,
        was_resent_after_unknown=prior.startswith(RESENT_TAG),
        prior_error=prior,
    )
    session.commit()
    return claim


def _finish(session: Session, claim: Claim, **values: Any) -> bool:
    """Record the result of a claim, fenced on our attempt number."""
    result = session.execute(
        update(DigestPeriod)
        .where(
            DigestPeriod.id == claim.id,
            DigestPeriod.status == "sending",
            DigestPeriod.attempts == claim.attempts,
        )
        .values(lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if result.rowcount != 1:  # type: ignore[attr-defined]
        log.warning("digest row %s was taken over by another sender; result not recorded", claim.id)
        return False
    return True


def _alert(session: Session, claim: Claim, action: str, error: str, now: datetime) -> None:
    # Admin alert: the log line is the page, the audit row is the record.
    # Server replies only; never digest text.
    log.error(
        "ALERT digest row %s (%s %s): %s: %s", claim.id, claim.kind, claim.period, action, error
    )
    record_event(
        session,
        at=now,
        actor="outbox",
        action=action,
        object_type="digestperiod",
        object_id=claim.id,
        kind=claim.kind,
        period=claim.period,
        error=error[:300],
    )
    session.commit()


def retry_delay(attempts: int, rng: random.Random) -> timedelta | None:
    """Return the wait before the next try after `attempts` tries, or None to give up."""
    if attempts > len(BACKOFF_SECONDS):
        return None
    base = BACKOFF_SECONDS[attempts - 1]
    return timedelta(seconds=base * rng.uniform(1 - JITTER, 1 + JITTER))


def _keep_tag(claim: Claim, message: str) -> str:
    return (RESENT_TAG if claim.was_resent_after_unknown else "") + message


def send_claim(
    session: Session,
    claim: Claim,
    *,
    sender: Sender,
    settings: Settings,
    now: datetime,
    rng: random.Random,
    summary: DrainSummary,
) -> None:
    """Send one claimed row and record the outcome."""
    person = session.get(Person, claim.person_id)
    stop_reason = None
    if person is None or person.erased_at is not None or not person.email:
        stop_reason = "not sent: no address for this person"
    elif claim.kind == LXP_DIGEST and person.digest_frequency == Frequency.NEVER:
        stop_reason = "not sent: digests were stopped after this one was queued"
    unsubscribe_url = None
    if stop_reason is None and person is not None and claim.kind == LXP_DIGEST:
        unsubscribe_url = link_urls(settings, person, resolve_secret_key(settings))[
            "unsubscribe_url"
        ]
    msg = None
    if stop_reason is None and person is not None:
        try:
            msg = build_message(
                RenderedEmail(claim.subject, claim.body_text, claim.body_html),
                mail_from=settings.mail_from,
                to=person.email or "",
                to_name=person.name,
                message_id=claim.message_id,
                unsubscribe_url=unsubscribe_url,
                date=now,
            )
        except ValueError as exc:
            stop_reason = f"not sent: {exc}"
    session.rollback()  # end the read transaction before the network call
    if msg is None:
        _finish(session, claim, status="empty", last_error=stop_reason)
        summary.skipped += 1
        return
    try:
        sender.send(msg)
    except PermanentFailure as exc:
        if _finish(session, claim, status="failed", last_error=_keep_tag(claim, exc.message)):
            summary.failed += 1
            _alert(session, claim, "digest.failed", exc.message, now)
        return
    except TemporaryFailure as exc:
        delay = retry_delay(claim.attempts, rng)
        if delay is None:
            error = f"gave up after {claim.attempts} tries: {exc.message}"
            if _finish(session, claim, status="failed", last_error=_keep_tag(claim, error)):
                summary.failed += 1
                _alert(session, claim, "digest.failed", error, now)
            return
        if _finish(
            session,
            claim,
            status="pending",
            next_attempt_at=now + delay,
            last_error=_keep_tag(claim, exc.message),
        ):
            summary.retrying += 1
        return
    except UnknownOutcome as exc:
        if claim.was_resent_after_unknown:
            error = RESENT_TAG + f"unknown again, held for review: {exc.message}"
            if _finish(session, claim, status="unknown", next_attempt_at=None, last_error=error):
                summary.unknown += 1
                _alert(session, claim, "digest.unknown", error, now)
            return
        error = f"unknown: {exc.message}; resending once at {now + UNKNOWN_HOLD:%Y-%m-%d %H:%M} UTC"
        if _finish(
            session, claim, status="unknown", next_attempt_at=now + UNKNOWN_HOLD, last_error=error
        ):
            summary.unknown += 1
            log.warning("digest row %s: %s", claim.id, error)
        return
    if _finish(session, claim, status="sent", sent_at=now, next_attempt_at=None):
        summary.sent += 1
        summary.message_ids.append(claim.message_id)


def drain(
    *,
    engine: Engine,
    settings: Settings,
    sender: Sender | None = None,
    clock: Callable[[], datetime] = now_utc,
    limit: int | None = None,
    rng: random.Random | None = None,
) -> DrainSummary:
    """Send every due row once (retries that are not yet due wait for a later pass)."""
    own_sender = sender is None
    sender = sender or make_sender(settings.smtp_url, settings.resolved_outbox_dir)
    rng = rng or random.Random()
    summary = DrainSummary()
    try:
        with Session(engine, expire_on_commit=False) as session:
            while limit is None or summary.sent + summary.failed + summary.retrying < limit:
                now = aware(clock()) or clock()
                claim = claim_one(session, now=now)
                if claim is None:
                    break
                send_claim(
                    session,
                    claim,
                    sender=sender,
                    settings=settings,
                    now=now,
                    rng=rng,
                    summary=summary,
                )
    finally:
        if own_sender:
            sender.close()
    return summary


def outbox_counts(session: Session) -> dict[str, int]:
    """Count outbox rows by status (for the command line and the scheduler log)."""
    counts: dict[str, int] = {}
    for status in session.exec(select(DigestPeriod.status)).all():
        counts[status] = counts.get(status, 0) + 1
    return counts
