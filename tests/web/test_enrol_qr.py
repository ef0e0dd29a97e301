"""The authenticator set-up page shows a QR code of this person's own set-up link."""

from __future__ import annotations

import html
import re

import segno

from web.support import PASSWORD, csrf_token, make_user


def test_the_qr_code_encodes_the_set_up_link_shown(client, db) -> None:
    user = make_user(db, "admin", enrolled=False, email="qr.admin@example.org")
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"].endswith("/login/enrol")
    page = client.get("/login/enrol").get_data(as_text=True)
    key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    uri = html.unescape(re.search(r'class="totp-uri">([^<]+)<', page).group(1))
    assert f"secret={key}" in uri and "qr.admin%40example.org" in uri
    image = re.search(r'<img src="([^"]+)" class="totp-qr"[^>]*alt="([^"]+)"', page, re.S)
    assert image, "no QR code image with a text alternative"
    src = html.unescape(image.group(1))
    assert src.startswith("data:image/svg+xml")
    # The picture is exactly the QR code of the link written on the page.
    assert src == segno.make(uri, error="m").svg_data_uri(scale=5, border=4)
    assert src != segno.make(uri.replace(key, "A" * len(key)), error="m").svg_data_uri(
        scale=5, border=4
    )
