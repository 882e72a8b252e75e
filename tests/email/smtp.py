#!/usr/bin/env python3
"""twofold against a real SMTP server: aiosmtpd (PyPI) with a test certificate made here.

1. STARTTLS required and AUTH (only offered after STARTTLS): `twofold serve` with
   `smtp_url=smtp://USER:PASS@127.0.0.1:PORT` and `smtp_ca_file`; register, take the
   verification link from the received message and follow it; forgot password, take the
   reset link, set a new password; the notice of the reset arrives. Every message went over
   TLS and is multipart text + HTML with `Auto-Submitted: auto-generated`.
2. `twofold mail test ADDRESS` over STARTTLS, then over implicit TLS (`smtps://`): it says
   what the server answered (250), and the message arrives.
3. Without the CA file the certificate is refused: `mail test` fails and says why.

Usage: tests/email/smtp.py [path/to/twofold]
"""

import datetime
import email
import email.policy
import ipaddress
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target/debug/twofold"
USER, PASS = "twofold", "p@ss word/1"
PASSWORD = "correct horse battery staple"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(folder):
    """A test CA and a server certificate it signed for 127.0.0.1 and localhost:
    (CA certificate path, server certificate path, server key path)."""
    now = datetime.datetime.now(datetime.timezone.utc)

    def build(subject, issuer, public_key, signing_key, ca):
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
        return builder.sign(signing_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "twofold test CA")])
    ca = build(ca_name, ca_name, ca_key.public_key(), ca_key, True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "twofold test SMTP")])
    cert = build(name, ca_name, key.public_key(), ca_key, False)
    ca_path, cert_path, key_path = (Path(folder) / n for n in ("ca.pem", "smtp.pem", "smtp.key"))
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return ca_path, cert_path, key_path


class Inbox:
    """aiosmtpd's handler: keeps each message with whether it came over TLS."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((msg, session.ssl is not None, list(envelope.rcpt_tos)))
        return "250 OK message accepted for delivery"

    def wait(self, to, subject, timeout=15):
        end = time.time() + timeout
        while time.time() < end:
            for msg, tls, rcpts in self.messages:
                if to in rcpts and subject in str(msg["Subject"]):
                    return msg, tls
            time.sleep(0.05)
        raise AssertionError(f"no message to {to} about {subject!r}: {[str(m['Subject']) for m, _, _ in self.messages]}")


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASS.encode()
    return AuthResult(success=ok)


def start_smtp(cert, key, implicit=False):
    inbox = Inbox()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    port = free_port()
    options = dict(hostname="127.0.0.1", port=port, authenticator=authenticator, auth_required=True)
    if implicit:
        # aiosmtpd offers AUTH only after its own STARTTLS; on an implicit-TLS socket the
        # whole session is encrypted already.
        controller = Controller(inbox, ssl_context=context, auth_require_tls=False, **options)
    else:
        controller = Controller(inbox, tls_context=context, require_starttls=True, **options)
    controller.start()
    return controller, inbox, port


def env_for(data_dir, key, smtp_url, ca=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWOFOLD_")}
    env.update(
        TWOFOLD_DATA_DIR=str(data_dir),
        TWOFOLD_MASTER_KEY=key,
        TWOFOLD_ARGON2_MEMORY_KIB="1024",
        TWOFOLD_ARGON2_ITERATIONS="1",
        TWOFOLD_RATE_LIMIT_BURST="0",
        TWOFOLD_ISSUER="Acme ID",
        TWOFOLD_MAIL_FROM="Acme ID <id@example.com>",
        TWOFOLD_SMTP_URL=smtp_url,
        TWOFOLD_LOG="info",
    )
    if ca:
        env["TWOFOLD_SMTP_CA_FILE"] = str(ca)
    return env


def api(base, method, path, body=None):
    req = urllib.request.Request(base + "/api/v1" + path, method=method)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(req, data, timeout=10) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, json.loads(raw) if raw else None


def link_token(msg, page):
    assert msg["Auto-Submitted"] == "auto-generated", msg["Auto-Submitted"]
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    found = re.search(re.escape(page) + r"\?token=([A-Za-z0-9_-]{43})", text)
    assert found, text
    assert found.group(1) in html, "the HTML part carries the same link"
    assert PASSWORD not in text and PASSWORD not in html
    return found.group(1)


def main():
    folder = Path(tempfile.mkdtemp(prefix="twofold-smtp-"))
    ca, cert, key_file = make_certificate(folder)
    key = subprocess.run([str(BIN), "gen-key"], capture_output=True, text=True, check=True).stdout.strip()
    quoted = urllib.parse.quote(PASS, safe="")
    controller, inbox, port = start_smtp(cert, key_file)
    smtp_url = f"smtp://{USER}:{quoted}@127.0.0.1:{port}"
    server = None
    try:
        # 1. The flows, through STARTTLS and AUTH.
        data_dir = folder / "data"
        http_port = free_port()
        base = f"http://127.0.0.1:{http_port}"
        log = open(folder / "server.log", "w")
        server = subprocess.Popen(
            [str(BIN), "serve", "--listen", f"127.0.0.1:{http_port}"],
            env=env_for(data_dir, key, smtp_url, ca),
            stdout=log,
            stderr=log,
        )
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        address = "smtp-user@example.com"
        status, _ = api(base, "POST", "/auth/register", {"email": address, "password": PASSWORD})
        assert status == 201, status
        msg, tls = inbox.wait(address, "Confirm your email")
        assert tls, "the message came over STARTTLS"
        assert "id@example.com" in str(msg["From"]), msg["From"]
        status, body = api(base, "POST", "/auth/email/verify", {"token": link_token(msg, "/email/verify")})
        assert status == 200 and body["emailVerified"] is True, (status, body)
        print("ok: verification link over STARTTLS + AUTH")

        status, body = api(base, "POST", "/auth/password/forgot", {"email": address})
        assert status == 202, status
        msg, tls = inbox.wait(address, "Reset your")
        assert tls
        token = link_token(msg, "/password/reset")
        status, _ = api(base, "POST", "/auth/password/reset", {"token": token, "newPassword": "new long passphrase"})
        assert status == 204, status
        inbox.wait(address, "Your password was reset")
        status, body = api(base, "POST", "/auth/login", {"email": address, "password": "new long passphrase"})
        assert status == 200, (status, body)
        print("ok: password reset link and its notice")
        server.terminate()
        server.wait(10)
        server = None

        # 2. `mail test`, STARTTLS then implicit TLS.
        out = subprocess.run(
            [str(BIN), "mail", "test", "ops@example.com"],
            env=env_for(data_dir, key, smtp_url, ca),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        assert "250" in out.stdout, out.stdout
        msg, tls = inbox.wait("ops@example.com", "a test message")
        assert tls
        print("ok: mail test over STARTTLS:", out.stdout.strip())

        implicit, inbox2, port2 = start_smtp(cert, key_file, implicit=True)
        try:
            out = subprocess.run(
                [str(BIN), "mail", "test", "ops2@example.com"],
                env=env_for(data_dir, key, f"smtps://{USER}:{quoted}@127.0.0.1:{port2}", ca),
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert out.returncode == 0, out.stderr
            inbox2.wait("ops2@example.com", "a test message")
            print("ok: mail test over implicit TLS:", out.stdout.strip())
        finally:
            implicit.stop()

        # The system's trust store counts too: SSL_CERT_FILE instead of smtp_ca_file.
        env = env_for(data_dir, key, smtp_url)
        env["SSL_CERT_FILE"] = str(ca)
        out = subprocess.run(
            [str(BIN), "mail", "test", "ops4@example.com"], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stderr
        inbox.wait("ops4@example.com", "a test message")
        print("ok: a CA of the system's store (SSL_CERT_FILE) is trusted")

        # 3. An unknown certificate is refused.
        out = subprocess.run(
            [str(BIN), "mail", "test", "ops3@example.com"],
            env={k: v for k, v in env_for(data_dir, key, smtp_url).items() if not k.startswith("SSL_CERT")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 1, (out.returncode, out.stdout)
        assert "certificate" in out.stderr.lower() or "tls" in out.stderr.lower(), out.stderr
        print("ok: a certificate nobody vouches for is refused:", out.stderr.strip().splitlines()[-1])
    finally:
        if server:
            server.terminate()
        controller.stop()
    shutil.rmtree(folder, ignore_errors=True)
    print("== SMTP: all passed")


if __name__ == "__main__":
    import urllib.parse

    main()
