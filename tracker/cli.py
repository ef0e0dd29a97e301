"""The `tracker` command line (contract in ../shared/DESIGN.md)."""

from __future__ import annotations

import getpass
import json
import logging
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError

from tracker.config import Settings, read_settings
from tracker.errors import BadInput, TrackerError
from tracker.numbers import is_number

log = logging.getLogger("tracker")


class Context:
    """Settings and a lazily built engine, shared by every command."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None
        from tracker.services.refresh import configure

        configure(settings)

    @property
    def url(self) -> str:
        return self.settings.resolved_database_url

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from tracker.db import make_engine

            self._engine = make_engine(self.url)
        return self._engine

    def session(self) -> Any:
        from tracker.db import session_scope

        return session_scope(self.engine)


def _log_unexpected(settings: Settings | None) -> str:
    """Write the traceback to instance/tracker.log; return where it went."""
    folder = Path(settings.instance_dir if settings else "instance")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "tracker.log").open("a", encoding="utf-8") as fh:
            # Frames and exception types only: messages may quote minutes text.
            exc_type, _, tb = sys.exc_info()
            fh.write(f"unexpected {exc_type.__name__ if exc_type else 'error'}\n")
            fh.write("".join(traceback.format_tb(tb)))
        return str(folder / "tracker.log")
    except OSError:
        return "nowhere (the instance folder is not writable)"


class TrackerGroup(click.Group):
    """A click group that turns every failure into one line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            raise click.ClickException(exc.message) from None
        except OperationalError as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig else "cannot reach it"
            if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
                reason += "; run `tracker init` first"
            raise click.ClickException(f"database problem{_where(ctx)}: {reason}") from None
        except DataError:
            # PostgreSQL: a number too large for its column (ids are 32-bit there).
            raise click.ClickException(
                "not found: a number given is out of range for the database"
            ) from None
        except SQLAlchemyError as exc:
            first = str(exc.orig).splitlines()[0] if getattr(exc, "orig", None) else ""
            if "does not exist" in first or "no such table" in first:
                raise click.ClickException(
                    f"database problem{_where(ctx)}: {first}; run `tracker init` first"
                ) from None
            raise click.ClickException(f"database problem: {type(exc).__name__}") from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception:
            obj = ctx.obj if isinstance(ctx.obj, Context) else None
            where = _log_unexpected(obj.settings if obj else None)
            raise click.ClickException(f"unexpected error; details written to {where}") from None


def _where(ctx: click.Context) -> str:
    """ " at <database>" (password hidden), for messages about the database."""
    obj = ctx.obj if isinstance(ctx.obj, Context) else None
    if obj is None:
        return ""
    try:
        return f" at {_safe_url(obj.url)}"
    except Exception:  # a URL we cannot even parse is reported elsewhere
        return ""


def actor() -> str:
    """Name the person behind a command-line change, for the audit trail."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.group(cls=TrackerGroup)
@click.option("--config", "config_path", help="TOML config file (default ./config.toml).")
@click.option("--db", "database_url", help="Database URL (overrides TRACKER_DATABASE_URL).")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, database_url: str | None) -> None:
    """Trace what Lived Experience Practitioners said into later governance minutes."""
    try:
        settings = read_settings(config_path, overrides={"database_url": database_url})
    except TrackerError as exc:
        raise click.ClickException(exc.message) from None
    ctx.obj = Context(settings)


@cli.command()
@click.pass_obj
def init(obj: Context) -> None:
    """Create or upgrade the database schema."""
    from tracker.db import upgrade_schema

    logging.getLogger("alembic").setLevel(logging.WARNING)
    upgrade_schema(obj.url)
    click.echo(f"database ready: {_safe_url(obj.url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not a UTF-8 text file; save it as CSV UTF-8") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot read it ({exc.strerror})") from None


@cli.group()
def people() -> None:
    """The roster of LXPs and staff."""


@people.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.pass_obj
def people_import(obj: Context, csv_file: str) -> None:
    """Add or update people from a name,aliases,role,email CSV."""
    from tracker.services.people import import_people

    text = _read_text(csv_file)
    with obj.session() as session:
        count = import_people(session=session, text=text, actor=actor())
    click.echo(f"people: {count.added} added, {count.updated} updated")


@people.command("erase")
@click.argument("person_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def people_erase(obj: Context, person_id: str, yes: bool) -> None:
    """Erase a person's name, contact details and words everywhere; keep the counts."""
    number = _number(person_id, "p")
    if not yes:
        click.confirm(f"Erase person p{number}? This cannot be undone", abort=True)
    from tracker.services.erasure import erase_person

    with obj.session() as session:
        report = erase_person(
            session=session, person_id=number, actor=actor(), settings=obj.settings
        )
    click.echo(report.summary())


@cli.group()
def retention() -> None:
    """How long the tracker keeps what it does not need."""


@retention.command("apply")
@click.pass_obj
def retention_apply(obj: Context) -> None:
    """Remove stored original Word files older than uploads.keep_original_days."""
    from tracker.services.erasure import purge_originals

    days = obj.settings.keep_original_days
    with obj.session() as session:
        removed = purge_originals(session=session, keep_days=days, actor=actor())
    click.echo(f"{removed} stored originals older than {days} days removed")


@cli.group()
def bodies() -> None:
    """The recurring meetings (catch-ups, governance, working groups)."""


@bodies.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.pass_obj
def bodies_import(obj: Context, csv_file: str) -> None:
    """Add or update bodies from a name,kind,workstream,patterns CSV."""
    from tracker.services.people import import_bodies

    text = _read_text(csv_file)
    with obj.session() as session:
        count = import_bodies(session=session, text=text, actor=actor())
    click.echo(f"bodies: {count.added} added, {count.updated} updated")


def _documents(paths: tuple[str, ...]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.docx") if not p.name.startswith("~$"))
        elif path.exists():
            yield path
        else:
            raise BadInput(f"{raw}: no such file or folder")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--body", "body_name", help="Body name, when the title does not say.")
@click.pass_obj
def import_(obj: Context, paths: tuple[str, ...], body_name: str | None) -> None:
    """Parse Word minutes and store them, one transaction per file."""
    from tracker.services.ingest import check_size, import_file
    from tracker.services.parsing import ParseWorker

    files = list(_documents(paths))
    if not files:
        raise BadInput("no .docx files found")
    failed = 0
    with ParseWorker() as worker:  # one limited child for the batch, as the web's limits
        for path in files:
            try:
                check_size(path.name, path.stat().st_size, obj.settings)
                with obj.session() as session:
                    result, checks = import_file(
                        session=session,
                        settings=obj.settings,
                        data=path.read_bytes(),
                        filename=path.name,
                        body_name=body_name,
                        actor=actor(),
                        worker=worker,
                    )
                click.echo(result.summary())
                for check in checks if result.created else ():
                    click.echo(f"  check: {check.message}")
            except TrackerError as exc:
                failed += 1
                click.echo(f"error: {exc.message}", err=True)
    # Outcomes are current when the command returns.
    from tracker.services.refresh import run_pending

    run_pending(obj.engine, obj.settings, wait=True)  # after a worker's refresh, if one runs
    if failed:
        raise click.ClickException(
            f"{failed} of {len(files)} files were not imported (nothing written for them)"
        )


@cli.command()
@click.pass_obj
def match(obj: Context) -> None:
    """Propose links from LXP input to later records; recompute outcomes."""
    from tracker.services.linking import run_matching

    with obj.session() as session:
        summary = run_matching(session=session, settings=obj.settings, actor=actor())
    click.echo(summary.summary())


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@click.pass_obj
def export(obj: Context, fmt: str, output: str | None) -> None:  # noqa: ARG001
    """Export everything as JSON (contract/export.schema.json)."""
    from tracker.services.export import build_export

    with obj.session() as session:
        data = build_export(session=session, actor=actor())
    text = json.dumps(data, indent=1, ensure_ascii=False)
    if output:
        try:
            Path(output).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise BadInput(f"{output}: cannot write it ({exc.strerror})") from None
        click.echo(f"exported {len(data['meetings'])} meetings to {output}", err=True)
    else:
        click.echo(text)


@cli.group()
def report() -> None:
    """Reports for programme leads."""


@report.command("lost")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
@click.pass_obj
def report_lost(obj: Context, fmt: str) -> None:
    """List LXP points that left no trace in later governance minutes."""
    from tracker.services.reports import LOST_COLUMNS, lost_points

    with obj.session() as session:
        rows = lost_points(session=session)
    if fmt == "csv":
        from tracker.csv_safe import csv_text

        text = csv_text(LOST_COLUMNS, ([row[c] for c in LOST_COLUMNS] for row in rows))
        click.echo(text, nl=False)
        return
    if not rows:
        click.echo("No lost LXP points.")
        return
    for row in rows:
        click.echo(
            f"[{row['contribution_id']}] {row['date']} {row['body']} "
            f"({row['said_by']}), {row['days_since']} days ago:"
        )
        click.echo(f"    {row['text']}")
        click.echo(f"    no trace at: {row['missed_by']}")
        checked = "checked by the chair" if row["basis"] == "confirmed" else "not checked yet"
        click.echo(f"    {checked}")
    click.echo(f"{len(rows)} lost points.")


@cli.group()
def links() -> None:
    """Review suggested links."""


@links.command("confirm")
@click.argument("link_id")
@click.pass_obj
def links_confirm(obj: Context, link_id: str) -> None:
    """Confirm a suggested link (ID as in the export, e.g. l12 or 12)."""
    from tracker.services.linking import confirm_link

    with obj.session() as session:
        link = confirm_link(session=session, link_id=_number(link_id, "l"), actor=actor())
    click.echo(f"link l{link.id} confirmed")


@links.command("reject")
@click.argument("link_id")
@click.option("--reason", required=True, help="Why this is not the same point.")
@click.pass_obj
def links_reject(obj: Context, link_id: str, reason: str) -> None:
    """Reject a suggested link, saying why."""
    from tracker.services.linking import reject_link

    with obj.session() as session:
        link = reject_link(
            session=session, link_id=_number(link_id, "l"), reason=reason, actor=actor()
        )
    click.echo(f"link l{link.id} rejected")


@cli.group()
def outcomes() -> None:
    """Record outcomes that only a person can know."""


@outcomes.command("set")
@click.argument("contribution_id")
@click.argument("status", type=click.Choice(["not-taken-forward"]))
@click.option("--reason", required=True, help="Why; this is fed back to the LXP.")
@click.pass_obj
def outcomes_set(obj: Context, contribution_id: str, status: str, reason: str) -> None:  # noqa: ARG001
    """Mark an LXP point as not taken forward, with the reason."""
    from tracker.services.linking import set_not_taken_forward

    with obj.session() as session:
        set_not_taken_forward(
            session=session,
            contribution_id=_number(contribution_id, "c"),
            reason=reason,
            actor=actor(),
        )
    click.echo(f"contribution {contribution_id} marked not taken forward")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def backup(obj: Context, file: str) -> None:
    """Write every table to FILE as one consistent snapshot (a new file)."""
    from tracker.services.backup import backup_to_file

    summary = backup_to_file(obj.url, file)
    click.echo(
        f"backed up {summary.total} rows in {len(summary.rows)} tables "
        f"(schema {summary.schema}) to {file}"
    )


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def restore(obj: Context, file: str) -> None:
    """Load a backup FILE into an empty database, then upgrade its schema."""
    from tracker.services.backup import restore_from_file

    logging.getLogger("alembic").setLevel(logging.WARNING)
    summary = restore_from_file(obj.url, file)
    click.echo(
        f"restored {summary.total} rows in {len(summary.rows)} tables from {file} "
        f"(schema {summary.schema}; now {summary.upgraded_to}) into {_safe_url(obj.url)}"
    )


@outcomes.command("withdraw")
@click.argument("contribution_id")
@click.pass_obj
def outcomes_withdraw(obj: Context, contribution_id: str) -> None:
    """Withdraw a recorded not-taken-forward; the links decide the outcome again."""
    from tracker.services.linking import withdraw_not_taken_forward

    with obj.session() as session:
        row = withdraw_not_taken_forward(
            session=session, contribution_id=_number(contribution_id, "c"), actor=actor()
        )
    click.echo(f"contribution {contribution_id}: not taken forward withdrawn, now {row.status}")


def _number(value: str, prefix: str) -> int:
    text = value.strip().lower()
    if text.startswith(prefix):
        text = text[len(prefix) :]
    if not is_number(text):
        raise BadInput(f"{value!r} is not an id such as {prefix}12")
    return int(text)


def main() -> None:  # pragma: no cover - console entry point
    cli()


def _register_extensions() -> None:
    # Web and digest commands live in their own modules, next to what they run.
    from tracker import cli_digests, cli_web

    cli_web.register(cli)
    cli_digests.register(cli)


_register_extensions()
