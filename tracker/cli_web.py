"""Command-line commands for the web app: users add, serve, demo."""

from __future__ import annotations

import errno
import logging
import secrets
import socket
import sys
from dataclasses import replace
from typing import Any

import click

from tracker.domain import vocab
from tracker.errors import BadInput

ROLES = vocab.ROLES


def _read_password() -> str:
    """Read the password from stdin (one line), or prompt twice on a terminal."""
    stream = sys.stdin
    if stream.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = stream.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise BadInput("give the password on standard input, for example: echo PASSWORD | ...")
    return password


def check_port_free(host: str, port: int) -> None:
    """Refuse, in one line, a port that is already taken (before any work)."""
    if not 0 < port < 65536:
        raise BadInput(f"--port must be between 1 and 65535, got {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BadInput(f"cannot listen on {host!r}: unknown address") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except PermissionError as exc:
            raise BadInput(f"{host}:{port} needs special permission; try --port 5000") from exc
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise BadInput(f"{host}:{port} is in use; try --port {port + 1}") from exc
            raise BadInput(f"cannot listen on {host}:{port} ({exc.strerror})") from exc


def _serve(app: Any, host: str, port: int) -> None:
    """Serve one process with waitress and its background refresh (the demo)."""
    from tracker import server
    from tracker.services.refresh import BackgroundWorker

    check_port_free(host, port)
    # Links and outcomes follow every change in the background, never in a request;
    # the same thread reads uploads and does other queued jobs.
    BackgroundWorker(app.extensions["engine"], app.config["TRACKER"]).start()
    app.config["TRACKER_PARSE_JOBS"] = True
    click.echo(f"serving on http://{host}:{port}/  (press Ctrl+C to stop)", err=True)
    sys.stderr.flush()
    server.serve_waitress(app, host, port, threads=8)


def register(cli: click.Group) -> None:
    """Add the web commands to the `tracker` group."""

    @cli.group()
    def users() -> None:
        """Sign-ins for the web app."""

    @users.command("add")
    @click.argument("email")
    @click.option("--role", type=click.Choice(ROLES), required=True, help="What they may do.")
    @click.option("--person", "person_name", help="Roster name (needed for an lxp sign-in).")
    @click.option(
        "--totp",
        is_flag=True,
        help="Lead or admin: make the authenticator key now and print it "
        "(otherwise they set it up at their first sign-in).",
    )
    @click.option(
        "--programme",
        "programmes",
        multiple=True,
        help="A programme they may see (repeatable; default: the only or default one).",
    )
    @click.pass_obj
    def users_add(
        obj: Any,
        email: str,
        role: str,
        person_name: str | None,
        totp: bool,
        programmes: tuple[str, ...],
    ) -> None:
        """Add a sign-in; the password (8+ characters) is read from stdin."""
        from tracker.services.accounts import (
            MFA_ROLES,
            create_user,
            grouped,
            set_totp_secret,
            totp_uri,
        )

        if totp and role not in MFA_ROLES:
            raise BadInput("--totp is only for lead and admin sign-ins")
        password = _read_password()
        with obj.session() as session:
            user = create_user(
                session=session,
                email=email,
                password=password,
                role=role,
                person_name=person_name,
                actor="cli",
                programmes=programmes,
            )
            secret = set_totp_secret(session=session, user=user) if totp else None
        click.echo(f"user {user.email} added with role {user.role}")
        if secret:
            click.echo(f"authenticator key: {grouped(secret)}")
            click.echo(f"setup link: {totp_uri(secret, user.email)}")
            click.echo("Give the key to them privately; it is not shown again.")

    @cli.group()
    def programmes() -> None:
        """Programmes: bodies, people and sign-ins are kept apart by programme."""

    @programmes.command("add")
    @click.argument("name")
    @click.pass_obj
    def programmes_add(obj: Any, name: str) -> None:
        """Add a programme."""
        from tracker.services.scope import add_programme

        with obj.session() as session:
            programme = add_programme(session=session, name=name)
        click.echo(f"programme {programme.name!r} added")

    @users.command("reset-mfa")
    @click.argument("email")
    @click.pass_obj
    def users_reset_mfa(obj: Any, email: str) -> None:
        """Forget a lead's or admin's lost authenticator; they set up a new one."""
        from tracker.services.accounts import reset_totp

        with obj.session() as session:
            user = reset_totp(session=session, email=email)
        click.echo(
            f"{user.email}: authenticator forgotten and signed out everywhere; "
            "they will set up a new one at their next sign-in"
        )

    @cli.command()
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
    @click.option(
        "--proxy-hops",
        default=0,
        show_default=True,
        type=int,
        help="How many reverse proxies in front to trust for the client address.",
    )
    @click.option(
        "--workers",
        default=1,
        show_default=True,
        type=click.IntRange(1, 64),
        help="Worker processes; over 1 runs gunicorn (needs the [server] extra).",
    )
    @click.option(
        "--threads",
        default=8,
        show_default=True,
        type=click.IntRange(1, 64),
        help="Threads per worker process.",
    )
    @click.option(
        "--refresh/--no-refresh",
        default=None,
        help="Keep links and outcomes current in a background thread of this process "
        "(default: yes with one worker; with several, run `tracker worker` instead).",
    )
    @click.pass_obj
    def serve(
        obj: Any,
        host: str,
        port: int,
        proxy_hops: int,
        workers: int,
        threads: int,
        refresh: bool | None,
    ) -> None:
        """Run the web app: waitress, or gunicorn with several workers."""
        from tracker import server

        check_port_free(host, port)
        if workers > 1:
            server.prepare_metrics_dir(obj.settings, port)
        from tracker import create_app
        from tracker.observability import configure_logging

        configure_logging(obj.settings.log_format)
        server.warn_if_not_shared(obj.settings, workers)
        app = create_app(obj.settings, proxy_hops=proxy_hops)
        # Uploads are read by a job: this process's thread, or `tracker worker`.
        app.config["TRACKER_PARSE_JOBS"] = True
        if refresh is None:
            refresh = workers == 1
        if refresh and workers == 1:
            from tracker.services.refresh import BackgroundWorker

            # Links and outcomes follow every change in the background, never in a
            # request; the same thread does queued jobs (reading uploads, ...).
            BackgroundWorker(app.extensions["engine"], app.config["TRACKER"]).start()
        elif refresh:
            raise BadInput("--refresh needs one worker; with several, run `tracker worker`")
        else:
            logging.getLogger("tracker.server").info(
                "background work is off here: run `tracker worker` for this database"
            )
        if workers > 1:
            server.serve_gunicorn(app, host, port, workers, threads)
        else:
            server.serve_waitress(app, host, port, threads)

    @cli.command()
    @click.pass_obj
    def worker(obj: Any) -> None:
        """Background work: outcome refreshes, queued jobs and the digest schedule.

        Run one or more (on several hosts): each job is done by one of them.
        """
        from tracker.observability import configure_logging
        from tracker.scheduler import run_scheduler

        configure_logging(obj.settings.log_format)
        log = logging.getLogger("tracker.worker")
        log.info("worker: refreshing outcomes, doing queued jobs, running the digest schedule")
        try:
            run_scheduler(obj.settings, obj.engine)  # with the job and refresh thread
        except (KeyboardInterrupt, SystemExit):
            log.info("worker stopped")

    @cli.group()
    def jobs() -> None:
        """Background jobs: what waits, and what failed."""

    @jobs.command("status")
    @click.pass_obj
    def jobs_status(obj: Any) -> None:
        """Count the jobs by status and list the failed ones."""
        from tracker.services import jobs as queue
        from tracker.services.refresh import pending_count

        with obj.session() as session:
            counts = queue.counts(session)
            waiting = pending_count(session)
            gave_up = queue.failed(session)
        click.echo(", ".join(f"{n} {status}" for status, n in counts.items()))
        click.echo(f"{waiting} outcome refreshes waiting")
        for job in gave_up:
            click.echo(
                f"failed: {job.kind} {job.key} after {job.attempts} tries ({job.last_error})"
            )

    @jobs.command("retry")
    @click.pass_obj
    def jobs_retry(obj: Any) -> None:
        """Queue the failed jobs again (after fixing what made them fail)."""
        from tracker.services import jobs as queue

        with obj.session() as session:
            n = queue.retry_failed(session)
        click.echo(f"{n} failed jobs queued again")

    @cli.command()
    @click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
    @click.pass_obj
    def demo(obj: Any, port: int) -> None:
        """Build a fresh demo database, make one sign-in per role, and serve it."""
        from tracker import create_app
        from tracker.db import make_engine, session_scope
        from tracker.demo import prepare_demo
        from tracker.services.accounts import create_user

        check_port_free("127.0.0.1", port)
        info = prepare_demo(obj.settings)
        settings = replace(
            obj.settings,
            database_url=info.database_url,
            base_url=f"http://127.0.0.1:{port}",
            require_mfa=False,
        )
        engine = make_engine(info.database_url)
        lines = []
        with session_scope(engine) as session:
            for role in ROLES:
                password = secrets.token_urlsafe(12)
                person = info.lxp_names[0] if role == vocab.Role.LXP and info.lxp_names else None
                user = create_user(
                    session=session,
                    email=f"{role}@demo.example.org",
                    password=password,
                    role=role,
                    person_name=person,
                    actor="demo",
                )
                who = f" (signs in as {person})" if person else ""
                lines.append(f"  {role:<6} {user.email:<26} {password}{who}")
        engine.dispose()
        click.echo(f"Demo minutes written to {info.folder / 'minutes'}; what was found:")
        for line in info.summary:
            click.echo(f"  {line}")
        click.echo(f"Demo database: {info.database_url}")
        click.echo("Sign in with one of these demo accounts (new passwords each run):")
        for line in lines:
            click.echo(line)
        click.echo(
            "Two-step sign-in is off in the demo: leads and admins sign in with the "
            "password alone (it is on by default; see [web] require_mfa)."
        )
        _serve(create_app(settings), "127.0.0.1", port)
