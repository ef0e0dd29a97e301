"""Single sign-on by OpenID Connect (Authlib), e.g. Microsoft Entra ID.

Authlib reads the provider's discovery document, sends the person there with
a state, a nonce and a PKCE challenge, swaps the code for tokens and checks
the id_token (signature against the provider's JWKS, issuer, audience,
expiry, nonce).  tracker.services.sso then decides who that is here.

A sign-in by single sign-on counts as two-step: the identity provider is
responsible for the second factor (Entra ID: a Conditional Access policy).
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, render_template, request, session
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from tracker.services import sso
from tracker.web import get_session

bp = Blueprint("oidc", __name__)
log = logging.getLogger("tracker.web.oidc")
CLIENT = "sso"


def _client() -> Any:
    oauth: OAuth | None = current_app.extensions.get("authlib.integrations.flask_client")
    if oauth is None:
        abort(404)
    return oauth.create_client(CLIENT)


def _callback_url() -> str:
    return current_app.config["TRACKER"].base_url.rstrip("/") + "/login/sso/callback"


@bp.get("/login/sso")
def start() -> Any:
    """Send the person to the identity provider."""
    from tracker.web.auth import _safe_next

    target = _safe_next(request.args.get("next"))
    client = _client()
    try:
        response: Response = client.authorize_redirect(_callback_url())
    except Exception as exc:  # discovery failed: the provider is down or misconfigured
        log.error("single sign-on unavailable: %s", type(exc).__name__)
        return _refused(
            "Single sign-on is not answering just now. Please try again in a few minutes.", 503
        )
    session["sso_next"] = target
    return response


@bp.get("/login/sso/callback")
def callback() -> Any:
    """Back from the identity provider: check the tokens, then sign in."""
    from tracker.web.auth import _start_session

    if request.args.get("error"):
        # The person cancelled, or the provider refused; its text is not shown.
        return _refused("Sign-in was cancelled or refused. Please try again.", 400)
    client = _client()
    try:
        token = client.authorize_access_token()
    except (requests.RequestException, OSError) as exc:  # the provider did not answer
        log.error("single sign-on failed: %s", type(exc).__name__)
        return _refused(
            "Single sign-on is not answering just now. Please try again in a few minutes.", 503
        )
    except Exception as exc:  # bad state, code, signature, issuer, audience, nonce...
        log.warning("single sign-on refused: %s", type(exc).__name__)
        return _refused("We could not confirm that sign-in. Please start again.", 400)
    claims = token.get("userinfo")
    if not claims:
        log.warning("single sign-on refused: no id_token")
        return _refused("We could not confirm that sign-in. Please start again.", 400)
    settings = current_app.config["TRACKER"]
    outcome = sso.sign_in_with_claims(
        session=get_session(),
        claims=claims,
        groups_claim=settings.oidc_groups_claim,
        role_groups=settings.oidc_roles,
        ip=get_remote_address(),
    )
    if outcome.user is None:
        return _refused(outcome.refusal, 403)
    return _start_session(outcome.user, session.get("sso_next"), mfa=True)


def _refused(message: str, status: int) -> tuple[str, int]:
    session.pop("sso_next", None)
    return (
        render_template(
            "errors/error.html", status=status, title="Sign-in did not work", message=message
        ),
        status,
    )


def _init(app: Flask) -> None:
    settings = app.config["TRACKER"]
    if not settings.oidc_issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        CLIENT,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_issuer + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )


bp.record_once(lambda state: _init(state.app))
