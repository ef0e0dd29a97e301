"""A real `tracker serve` on loopback, and real `tracker` commands, for black-box tests."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(instance: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "TRACKER_INSTANCE_DIR": str(instance),
        "TRACKER_DATABASE_URL": "",
        "TRACKER_SECRET_KEY": "live-test-" + instance.name,
        "TRACKER_SMTP_URL": "",
        "TRACKER_REQUIRE_MFA": "false",
        **extra,
    }


def tracker(
    instance: Path, *args: str, stdin: str | None = None, check: bool = True, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run one `tracker` command in its own process."""
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=environment(instance, **extra),
        cwd=instance.parent,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(instance: Path, **extra: str) -> Server:
    """Start `tracker serve` on a free loopback port; return once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--port", str(port)],
        env=environment(instance, TRACKER_BASE_URL=f"http://127.0.0.1:{port}", **extra),
        cwd=instance.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return Server(process, f"http://127.0.0.1:{port}")
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("tracker serve exited at start-up") from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("tracker serve did not start within 60 s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """A signed-in visitor: cookies, CSRF tokens, no automatic redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(
        self,
        path: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> tuple[int, str]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        status, page = self.request(path)
        assert status == 200, (path, status)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found, path
        return found.group(1)

    def post(self, path: str, fields: dict[str, str], token_from: str) -> tuple[int, str]:
        body = urllib.parse.urlencode({"csrf_token": self.csrf(token_from), **fields}).encode()
        return self.request(
            path, body, {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base}
        )

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        status, _ = self.post("/login", {"email": email, "password": password}, "/login")
        assert status == 303, status

    def upload(self, path: str, filename: str, data: bytes, token_from: str) -> tuple[int, str]:
        boundary = "----tracker" + secrets.token_hex(8)
        token = self.csrf(token_from)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + data
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        return self.request(
            path,
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base},
        )


def _paragraph(text: str, bold_prefix: str = "") -> str:
    from xml.sax.saxutils import escape

    prefix = (
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(bold_prefix)}</w:t></w:r>'
    )
    body = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return f"<w:p>{prefix if bold_prefix else ''}{body}</w:p>"


def big_minutes(
    title: str, day: str, *, paragraphs: int, seed: int, padding_bytes: int = 0
) -> bytes:
    """Real .docx minutes of about `paragraphs` statements (and optional padding)."""
    import io
    import random
    import zipfile

    from docx_builder import build_docx

    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(3000)
    ]
    speakers = ["Kofi Mensah", "Tom Riley", "Helen Price", "Ruth Ellison"]
    xml = [
        _paragraph(title),
        _paragraph(f"Date: {day}"),
        _paragraph("Present: " + ", ".join(speakers)),
    ]
    for n in range(paragraphs):
        if n % 50 == 0:
            xml.append(_paragraph(f"{n // 50 + 1}. Item {n // 50 + 1}"))
        words = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(12, 30)))
        xml.append(_paragraph(words.capitalize() + ".", bold_prefix=rng.choice(speakers) + ": "))
    base = io.BytesIO(build_docx(["placeholder"]))
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                start = text.index("<w:body>") + len("<w:body>")
                end = text.index("<w:sectPr")
                data = (text[:start] + "".join(xml) + text[end:]).encode("utf-8")
            dst.writestr(info.filename, data)
        if padding_bytes:
            # An unreferenced, incompressible part (like a large picture).
            dst.writestr("word/media/padding.bin", rng.randbytes(padding_bytes))
    return out.getvalue()
