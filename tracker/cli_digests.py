"""Command-line commands for digests: digests preview/send/drain, scheduler."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

import click

from tracker.errors import BadInput


def _as_of(settings: Any, value: str | None) -> datetime | None:
    """Turn --as-of YYYY-MM-DD into that day's round time (digest time, local)."""
    if value is None:
        return None
    from tracker.services.digests import as_of_for_date

    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"--as-of {value!r}: expected a date such as 2021-03-22") from None
    return as_of_for_date(settings, day)


def _where(settings: Any) -> str:
    if settings.smtp_url:
        from urllib.parse import urlsplit

        parts = urlsplit(settings.smtp_url)
        return f"via {parts.scheme}://{parts.hostname}:{parts.port or ''}".rstrip(":")
    return f"as .eml files in {settings.resolved_outbox_dir}"


def register(cli: click.Group) -> None:
    """Add the digest commands to the `tracker` group."""

    @cli.group()
    def digests() -> None:
        """'You said, we did' emails to LXPs and summaries for leads."""

    @digests.command("preview")
    @click.argument("email")
    @click.option("--as-of", "as_of", help="Pretend the round runs on this date (YYYY-MM-DD).")
    @click.option("--html", is_flag=True, help="Print the HTML part instead of the text.")
    @click.pass_obj
    def preview(obj: Any, email: str, as_of: str | None, html: bool) -> None:
        """Print one LXP's next digest; send and record nothing."""
        from tracker.services.digests import preview_digest

        with obj.session() as session:
            digest, parts = preview_digest(
                session=session,
                settings=obj.settings,
                email=email,
                as_of=_as_of(obj.settings, as_of),
            )
            session.rollback()
        if parts is None:
            click.echo(f"Nothing new for {email}: no digest would be sent.")
            return
        click.echo(f"Subject: {parts.subject}")
        click.echo("")
        if html and parts.html:
            click.echo(parts.html, nl=False)
        else:
            click.echo(parts.text, nl=False)
        del digest

    @digests.command("send")
    @click.option("--as-of", "as_of", help="Run the round as if on this date (YYYY-MM-DD).")
    @click.pass_obj
    def send(obj: Any, as_of: str | None) -> None:
        """Queue this week's digests now and send them through the outbox."""
        from tracker.services.digests import now_utc, queue_round
        from tracker.services.outbox import drain

        when = _as_of(obj.settings, as_of) or now_utc()
        with obj.session() as session:
            queued = queue_round(session=session, settings=obj.settings, as_of=when)
        click.echo(queued.summary())
        result = drain(engine=obj.engine, settings=obj.settings)
        click.echo(f"{result.summary()} ({_where(obj.settings)})")

    @digests.command("drain")
    @click.pass_obj
    def drain_cmd(obj: Any) -> None:
        """Send what the outbox holds that is due (retries included); queue nothing."""
        from tracker.services.outbox import drain

        result = drain(engine=obj.engine, settings=obj.settings)
        click.echo(f"{result.summary()} ({_where(obj.settings)})")

    @digests.command("status")
    @click.pass_obj
    def status(obj: Any) -> None:
        """Count outbox rows by status."""
        from tracker.services.outbox import outbox_counts

        with obj.session() as session:
            counts = outbox_counts(session)
        if not counts:
            click.echo("The outbox is empty.")
            return
        click.echo(", ".join(f"{n} {s}" for s, n in sorted(counts.items())))

    @cli.command("scheduler")
    @click.pass_obj
    def scheduler(obj: Any) -> None:
        """Run the digest schedule and the queued jobs in the foreground (as `tracker worker`)."""
        from tracker.observability import configure_logging
        from tracker.scheduler import run_scheduler

        s = obj.settings
        configure_logging(s.log_format)  # [log] format: text, or one JSON object a line
        log = logging.getLogger("tracker.scheduler")
        log.info(
            "digests every %s at %s %s, sent %s; Ctrl+C to stop",
            s.digest_weekday,
            s.digest_time,
            s.timezone,
            _where(s),
        )
        try:
            run_scheduler(s, obj.engine)
        except (KeyboardInterrupt, SystemExit):
            log.info("scheduler stopped")
