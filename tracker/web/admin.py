"""Admins: people and their aliases, bodies, workstreams, sign-ins' roles, API keys, glossary."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from tracker.domain.vocab import BodyKind, PersonRole, Role
from tracker.errors import BadInput, Conflict, NotAllowed
from tracker.services import admin as svc
from tracker.services import api_tokens
from tracker.services import glossary as glossary_svc
from tracker.services.scope import list_programmes
from tracker.web import get_session
from tracker.web.auth import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
ADMIN = Role.ADMIN
FORM_ERRORS = (BadInput, Conflict)


def _see_other(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values), code=303)


@bp.get("/")
@roles_required(ADMIN)
def index() -> str:
    """The admin pages."""
    return render_template("admin/index.html")


# ------------------------------------------------------------------ people


def _person_form() -> svc.PersonForm:
    f = request.form
    return svc.PersonForm(
        name=f.get("name", ""),
        aliases=f.get("aliases", ""),
        role=f.get("role", ""),
        email=f.get("email", ""),
        self_described_group=f.get("self_described_group", ""),
    )


@bp.get("/people")
@roles_required(ADMIN)
def people() -> str:
    """Everyone on the roster."""
    return render_template("admin/people.html", people=svc.list_people(session=get_session()))


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_person() -> Any:
    """Add someone to the roster."""
    form, error = svc.PersonForm(name="", role=PersonRole.LXP), None
    if request.method == "POST":
        form = _person_form()
        try:
            person = svc.create_person(session=get_session(), form=form, actor=g.user.email)
        except FORM_ERRORS as exc:
            error = exc.message
        else:
            flash(f"{person.name} added.", "success")
            return _see_other("admin.people")
    return render_template(
        "admin/person_form.html", form=form, error=error, person_id=None, roles=svc.PERSON_ROLES
    ), (400 if error else 200)


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_person(person_id: int) -> Any:
    """Change someone's name, aliases, role or email."""
    session, error = get_session(), None
    person = svc.get_person(session=session, person_id=person_id)
    form = svc.PersonForm(
        name=person.name,
        aliases="; ".join(person.aliases),
        role=person.role,
        email=person.email or "",
        self_described_group=person.self_described_group or "",
    )
    if request.method == "POST":
        form = _person_form()
        try:
            svc.update_person(session=session, person_id=person_id, form=form, actor=g.user.email)
        except FORM_ERRORS as exc:
            error = exc.message
        else:
            flash("Saved.", "success")
            return _see_other("admin.people")
    return render_template(
        "admin/person_form.html",
        form=form,
        error=error,
        person_id=person_id,
        roles=svc.PERSON_ROLES,
    ), (400 if error else 200)


# ------------------------------------------------------------------ bodies


def _body_form() -> svc.BodyForm:
    f = request.form
    return svc.BodyForm(
        name=f.get("name", ""),
        kind=f.get("kind", ""),
        workstream=f.get("workstream", ""),
        patterns=f.get("patterns", ""),
    )


@bp.get("/bodies")
@roles_required(ADMIN)
def bodies() -> str:
    """Every body (recurring meeting)."""
    return render_template("admin/bodies.html", bodies=svc.list_bodies(session=get_session()))


@bp.route("/bodies/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_body() -> Any:
    """Add a body."""
    form, error = svc.BodyForm(name="", kind=BodyKind.GOVERNANCE, workstream=""), None
    if request.method == "POST":
        form = _body_form()
        try:
            body = svc.create_body(session=get_session(), form=form, actor=g.user.email)
        except FORM_ERRORS as exc:
            error = exc.message
        else:
            flash(f"{body.name} added.", "success")
            return _see_other("admin.bodies")
    return render_template(
        "admin/body_form.html", form=form, error=error, body_id=None, kinds=svc.BODY_KINDS
    ), (400 if error else 200)


@bp.route("/bodies/<int:body_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_body(body_id: int) -> Any:
    """Change a body's name, kind, workstream or title patterns."""
    session, error = get_session(), None
    body = svc.get_body(session=session, body_id=body_id)
    form = svc.BodyForm(
        name=body.name,
        kind=body.kind,
        workstream=body.workstream,
        patterns="\n".join(body.patterns),
    )
    if request.method == "POST":
        form = _body_form()
        try:
            svc.update_body(session=session, body_id=body_id, form=form, actor=g.user.email)
        except FORM_ERRORS as exc:
            error = exc.message
        else:
            flash("Saved.", "success")
            return _see_other("admin.bodies")
    return render_template(
        "admin/body_form.html", form=form, error=error, body_id=body_id, kinds=svc.BODY_KINDS
    ), (400 if error else 200)


@bp.get("/workstreams")
@roles_required(ADMIN)
def workstreams() -> str:
    """Each workstream with its bodies and meetings."""
    return render_template(
        "admin/workstreams.html", workstreams=svc.list_workstreams(session=get_session())
    )


# ------------------------------------------------------------------- users


@bp.get("/users")
@roles_required(ADMIN)
def users() -> str:
    """Every sign-in, with its role and whether it is active."""
    return render_template(
        "admin/users.html", users=svc.list_users(session=get_session()), roles=svc.USER_ROLES
    )


@bp.post("/users/<int:user_id>/role")
@roles_required(ADMIN)
def set_role(user_id: int) -> Response:
    """Change a sign-in's role (it is signed out everywhere)."""
    try:
        user = svc.set_user_role(
            session=get_session(),
            user_id=user_id,
            role=request.form.get("role", ""),
            actor=g.user.email,
        )
    except (*FORM_ERRORS, NotAllowed) as exc:
        flash(exc.message, "error")
    else:
        flash(f"{user.email} is now {user.role}; they will need to sign in again.", "success")
    return _see_other("admin.users")


@bp.post("/users/<int:user_id>/active")
@roles_required(ADMIN)
def set_active(user_id: int) -> Response:
    """Deactivate or reactivate a sign-in."""
    active = request.form.get("active") == "yes"
    try:
        user = svc.set_user_active(
            session=get_session(), user_id=user_id, active=active, actor=g.user.email
        )
    except NotAllowed as exc:
        flash(exc.message, "error")
    else:
        state = "reactivated" if active else "deactivated and signed out"
        flash(f"{user.email} {state}.", "success")
    return _see_other("admin.users")


# ---------------------------------------------------------------- API keys


@bp.get("/tokens")
@roles_required(ADMIN)
def tokens() -> str:
    """API keys: make one, or revoke one."""
    return render_template(
        "admin/tokens.html",
        tokens=api_tokens.list_tokens(session=get_session()),
        new_key=None,
        programmes=list_programmes(get_session()),
    )


@bp.post("/tokens")
@roles_required(ADMIN)
def create_token() -> Any:
    """Make an API key and show it once."""
    session = get_session()
    try:
        _, raw = api_tokens.create_token(
            session=session,
            name=request.form.get("name", ""),
            actor=g.user.email,
            programme=request.form.get("programme") or None,
        )
    except BadInput as exc:
        flash(exc.message, "error")
        return _see_other("admin.tokens")
    # The key is shown on this response only (never stored, never in a redirect URL).
    return render_template(
        "admin/tokens.html",
        tokens=api_tokens.list_tokens(session=session),
        new_key=raw,
        programmes=list_programmes(session),
    )


@bp.post("/tokens/<int:token_id>/revoke")
@roles_required(ADMIN)
def revoke_token(token_id: int) -> Response:
    """Stop an API key working."""
    api_tokens.revoke_token(session=get_session(), token_id=token_id, actor=g.user.email)
    flash("The key was revoked.", "success")
    return _see_other("admin.tokens")


# ---------------------------------------------------------------- glossary


@bp.get("/glossary")
@roles_required(ADMIN)
def glossary() -> str:
    """Wordings the matcher treats as the same: learned from confirmed links, or added."""
    rows = glossary_svc.programme_glossary(
        session=get_session(), settings=current_app.config["TRACKER"]
    )
    return render_template("admin/glossary.html", rows=rows, max_len=glossary_svc.MAX_PHRASE)


@bp.post("/glossary")
@roles_required(ADMIN)
def glossary_change() -> Response:
    """Add a pair, switch one off, or switch a learned one back on."""
    f = request.form
    action = {
        "add": glossary_svc.add_pair,
        "remove": glossary_svc.remove_pair,
        "restore": glossary_svc.restore_pair,
    }.get(f.get("action", ""))
    if action is None:
        flash("Choose add, remove or restore.", "error")
        return _see_other("admin.glossary")
    try:
        action(
            session=get_session(),
            phrase=f.get("phrase", ""),
            variant=f.get("variant", ""),
            actor=g.user.email,
        )
    except BadInput as exc:
        flash(exc.message, "error")
    else:
        flash("Saved. The next match uses it.", "success")
    return _see_other("admin.glossary")
