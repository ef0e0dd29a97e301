"""Sign-in, sign-out, sessions and roles."""

from __future__ import annotations

from web.support import PASSWORD, csrf_token, make_user, post


def test_home_sends_visitors_to_sign_in(client):
    """Does a visitor who is not signed in land on the sign-in page?"""
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_sign_in_and_out(client, db):
    """Can a chair sign in, see their pages, and sign out again?"""
    user = make_user(db, "chair")
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303
    assert client.get("/meetings/").status_code == 200
    assert post(client, "/logout", token_from="/meetings/").status_code == 303
    assert client.get("/meetings/").status_code == 302


def test_wrong_password_is_refused(client, db):
    """Does a wrong password leave the visitor signed out, with a plain message?"""
    user = make_user(db, "chair")
    response = post(client, "/login", {"email": user.email, "password": "wrong password"})
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/meetings/").status_code == 302


def test_lxp_lands_on_my_contributions(login, client):
    """Does an LXP land on their own contributions after signing in?"""
    login("lxp")
    response = client.get("/")
    assert response.headers["Location"].endswith("/me/")
