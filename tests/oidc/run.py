#!/usr/bin/env python3
"""OIDC.md end to end: certified relying-party libraries against a real `twofold serve`,
through the hosted pages in headless Chromium (the helpers of tests/browser/pages.py).

- authlib (PyPI) with a confidential, third-party client: discovery, the authorization with
  PKCE, state and nonce, sign-in with a password and a code, the consent page, the code
  exchanged, the ID token verified against the JWKS (by authlib and by PyJWT), userinfo,
  the JWT access token, a silent second authorization, consent denied, introspection,
  revocation, refresh rotation with reuse detection, RP-initiated logout and the back-channel
  logout token; and the refusals, each with its RFC error.
- openid-client (npm, v6) with a public, first-party client: a Node child process speaking
  line-delimited JSON (tests/oidc/rp_openid_client.mjs) while this script drives the browser.
- A passkey sign-in (Chromium's virtual authenticator) with `acr_values=mfa`, on a second
  server whose public URL is http://localhost:PORT (WebAuthn refuses IP-address origins).

Usage: python3 tests/oidc/run.py path/to/twofold
"""

import base64
import hashlib
import http.server
import json
import os
import queue
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
    print("usage: python3 tests/oidc/run.py path/to/twofold", file=sys.stderr)
    sys.exit(2)
BIN = Path(sys.argv[1]).resolve()

sys.path.insert(0, str(ROOT / "tests/browser"))
import pages  # noqa: E402  (its main() runs only when it is the script)

pages.BIN = BIN

import jwt as pyjwt  # noqa: E402
import requests  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

import authlib.deprecate  # noqa: E402,F401  (it sets its warnings to "always" when imported)

with warnings.catch_warnings():
    # authlib.jose still works (until authlib 2.0) but warns that joserfc replaces it.
    warnings.simplefilter("ignore")
    from authlib.common.security import generate_token
    from authlib.integrations.requests_client import OAuth2Session, OAuthError
    from authlib.jose import JsonWebKey
    from authlib.jose import jwt as authlib_jwt
    from authlib.oidc.core import CodeIDToken

HERE = ROOT / "tests/oidc"
PASSWORD = pages.PASSWORD
CONFIDENTIAL_SCOPES = "openid email profile groups offline_access"
PUBLIC_SCOPES = "openid email profile offline_access"
APP_NAME = "Authlib app"
PAPE_MFA = "http://schemas.openid.net/pape/policies/2007/06/multi-factor"
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
BACKCHANNEL_WAIT_SECONDS = 15


class Failure(Exception):
    """A check that did not hold."""


def expect(condition, message):
    if not condition:
        raise Failure(message)


def step(message):
    print(f"== {message}", flush=True)


def note(message):
    print(f"   {message}", flush=True)


def query_of(url):
    """The query parameters of `url` (first value of each)."""
    query = urllib.parse.urlsplit(url).query
    return {k: v[0] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def half_hash(value):
    """OpenID Core 3.1.3.6: at_hash for RS256."""
    return base64.urlsafe_b64encode(hashlib.sha256(value.encode()).digest()[:16]).rstrip(b"=").decode()


def audience(claims):
    aud = claims.get("aud")
    return aud if isinstance(aud, list) else [aud]


# ---------------------------------------------------------------------------------------
# The server, its command line, the relying party's own HTTP side


class Server(pages.Server):
    """`twofold serve` as pages.Server starts it (same environment), plus `public_url`: the
    OIDC issuer, exactly `http://HOST:PORT`. Requests of the test itself go to 127.0.0.1."""

    def __init__(self, host="127.0.0.1"):
        self.dir = tempfile.mkdtemp(prefix="twofold-oidc-")
        self.port = pages.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.issuer = f"http://{host}:{self.port}"
        key = subprocess.run([str(BIN), "gen-key"], capture_output=True, text=True, check=True).stdout.strip()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TWOFOLD_")}
        env.update(
            TWOFOLD_DATA_DIR=self.dir,
            TWOFOLD_MASTER_KEY=key,
            TWOFOLD_ARGON2_MEMORY_KIB="1024",
            TWOFOLD_ARGON2_ITERATIONS="1",
            TWOFOLD_RATE_LIMIT_BURST="0",
            TWOFOLD_ISSUER="Acme ID",
            TWOFOLD_REMEMBER_DEVICE_DAYS="30",
            TWOFOLD_LOG="warn",
            TWOFOLD_PUBLIC_URL=self.issuer,
        )
        self.env = env
        self.log_path = Path(self.dir) / "server.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(BIN), "serve", "--listen", f"127.0.0.1:{self.port}"], env=env, stdout=self.log, stderr=self.log
        )
        for _ in range(300):
            if self.proc.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise Failure(f"twofold did not start (public_url {self.issuer}):\n{self.log_text()}")

    def log_text(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"

    def cli(self, *args):
        """Runs `twofold ARGS` on this server's database and settings; its standard output."""
        out = subprocess.run([str(BIN), *args], env=self.env, capture_output=True, text=True, timeout=120)
        expect(
            out.returncode == 0,
            f"`twofold {shlex.join(args)}` exited {out.returncode}:\n{out.stdout}{out.stderr}",
        )
        return out.stdout

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Client:
    def __init__(self, name, client_id, secret, redirect_uri, post_logout_redirect_uri):
        self.name, self.id, self.secret = name, client_id, secret
        self.redirect_uri, self.post_logout_redirect_uri = redirect_uri, post_logout_redirect_uri


def add_client(server, name, rp, scopes, public=False, first_party=False, backchannel=False):
    """`twofold clients add ...`: its `client_id: ...` and `client_secret: ...` lines."""
    args = [
        "clients", "add", "--name", name,
        "--redirect-uri", rp.base + "/callback",
        "--post-logout-redirect-uri", rp.base + "/bye",
        "--scopes", scopes,
    ]
    if backchannel:
        args += ["--backchannel-logout-uri", rp.base + "/backchannel"]
    if public:
        args.append("--public")
    if first_party:
        args.append("--first-party")
    out = server.cli(*args)
    client_id = re.search(r"^\s*client_id:\s*(\S+)\s*$", out, re.M)
    secret = re.search(r"^\s*client_secret:\s*(\S+)\s*$", out, re.M)
    expect(client_id, f"no `client_id: ...` line from `clients add`:\n{out}")
    if public:
        expect(not secret, f"a public client got a secret:\n{out}")
    else:
        expect(secret, f"no `client_secret: ...` line for a confidential client:\n{out}")
        # At least 256 random bits in URL-safe characters (43 base64url characters).
        expect(
            re.fullmatch(r"[A-Za-z0-9._~-]{43,}", secret.group(1)),
            f"the client secret is not 256 bits of URL-safe characters: {len(secret.group(1))} characters",
        )
    return Client(name, client_id.group(1), secret.group(1) if secret else None, rp.base + "/callback", rp.base + "/bye")


class RelyingParty:
    """A relying party's own HTTP side on a loopback port: GET /callback and GET /bye answer
    200 "ok" and record their URL; POST /backchannel records the form's `logout_token`."""

    def __init__(self):
        self.port = pages.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.hits = []  # (path, full URL)
        self.logout_tokens = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with outer.lock:
                    outer.hits.append((urllib.parse.urlsplit(self.path).path, outer.base + self.path))
                self.answer(200, b"ok")

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length).decode()
                if urllib.parse.urlsplit(self.path).path == "/backchannel":
                    form = urllib.parse.parse_qs(body)
                    with outer.lock:
                        outer.logout_tokens.append(
                            {
                                "content_type": self.headers.get("content-type", ""),
                                "token": (form.get("logout_token") or [None])[0],
                            }
                        )
                    self.answer(200, b"")
                else:
                    self.answer(404, b"not here")

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("content-type", "text/plain")
                self.send_header("cache-control", "no-store")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def visited(self, path):
        with self.lock:
            return [url for p, url in self.hits if p == path]

    def saw(self, path, url):
        """Whether `path` was requested with the query of `url` (the browser's view of it)."""
        return any(query_of(seen) == query_of(url) for seen in self.visited(path))

    def stop(self):
        self.httpd.shutdown()


class User:
    def __init__(self, email, user_id, totp):
        self.email, self.id, self.totp = email, user_id, totp


def api_user(server, email):
    """A user made through the native API: registered, address confirmed from its message,
    an authenticator app enrolled (codes from oathtool)."""
    status, body = server.api("POST", "/auth/register", {"email": email, "password": PASSWORD})
    expect(status == 201, f"register: {status} {body}")
    user_id = body["id"]
    token = pages.mail_link(server, email, "Confirm your email", "/email/verify")
    status, body = server.api("POST", "/auth/email/verify", {"token": token})
    expect(status in (200, 204), f"email verify: {status} {body}")
    status, login = server.api("POST", "/auth/login", {"email": email, "password": PASSWORD})
    expect(status == 200 and login.get("mfaRequired") is False, f"login: {status} {login}")
    access = login["accessToken"]
    status, setup = server.api("POST", "/mfa/setup", {"deviceName": "Phone"}, token=access)
    expect(status == 200 and setup.get("secret"), f"mfa setup: {status} {setup}")
    totp = pages.Totp(setup["secret"])
    status, confirm = server.api("POST", "/mfa/setup/confirm", {"code": totp.code()}, token=access)
    expect(status == 200 and len(confirm.get("recoveryCodes", [])) == 10, f"mfa confirm: {status} {confirm}")
    status, me = server.api("GET", "/me", token=access)
    expect(status == 200 and me["id"] == user_id, f"/me: {status} {me}")
    expect(me.get("mfaEnabled") is True and me.get("emailVerified") is True, f"/me after setup: {me}")
    return User(email, user_id, totp)


# ---------------------------------------------------------------------------------------
# The browser


def drive(person, url, user=None, decision="allow", passkey=False, app_name=APP_NAME):
    """Opens `url` and does what a person does on each twofold page until the browser leaves
    twofold's origin (for the client's redirect URI): signs in (password then code, or the
    passkey button), answers the consent page. Returns (the pages seen, the URL landed on)."""
    seen = []
    person.d.get(url)
    for _ in range(8):
        current = person.d.current_url
        if not current.startswith(person.base + "/"):
            return seen, current
        path = person.path()
        if path.startswith("/login/mfa"):
            kind = "mfa"
        elif path.startswith("/login"):
            kind = "login"
        elif person.d.find_elements(By.CSS_SELECTOR, "[data-testid='consent']"):
            kind = "consent"
        else:
            return seen, current
        expect(kind not in seen, f"the {kind} page again ({current}): {person.text()[:500]}")
        seen.append(kind)
        if kind == "login":
            expect(user, f"a sign-in page where none was expected: {current}")
            if passkey:
                person.click(person.testid("passkey-button"))
            else:
                person.fill("email", user.email)
                person.fill("password", PASSWORD)
                person.submit()
        elif kind == "mfa":
            expect(user and user.totp, f"a code page where none was expected: {current}")
            person.fill("code", user.totp.code())
            person.submit()
        else:
            consent = person.testid("consent")
            expect(app_name in consent.text or app_name in person.text(), f"the consent page does not name {app_name!r}")
            allow = person.d.find_elements(By.CSS_SELECTOR, "button[name='decision'][value='allow']")
            deny = person.d.find_elements(By.CSS_SELECTOR, "button[name='decision'][value='deny']")
            expect(len(allow) == 1 and len(deny) == 1, "the consent page has one Allow and one Deny button")
            expect("Allow" in allow[0].text and "Deny" in deny[0].text, f"buttons: {allow[0].text!r}, {deny[0].text!r}")
            person.click(allow[0] if decision == "allow" else deny[0])
    raise Failure(f"still on twofold's pages after {seen}: {person.d.current_url}")


def signed_out(person):
    """Whether opening /account asks to sign in."""
    person.go("/account")
    return person.path().startswith("/login")


# ---------------------------------------------------------------------------------------
# authlib


class Attempt:
    def __init__(self, session, url, state, nonce, verifier):
        self.session, self.url, self.state, self.nonce, self.verifier = session, url, state, nonce, verifier


class AuthlibRP:
    """The authlib relying party of one confidential client."""

    def __init__(self, issuer, metadata, client, side):
        self.issuer, self.meta, self.client, self.side = issuer, metadata, client, side
        response = requests.get(metadata["jwks_uri"], timeout=10)
        expect(response.status_code == 200, f"JWKS: {response.status_code}")
        self.jwks = response.json()
        self.jwk_client = pyjwt.PyJWKClient(metadata["jwks_uri"], cache_keys=False, cache_jwk_set=False)

    def session(self):
        return OAuth2Session(
            self.client.id, self.client.secret, scope=CONFIDENTIAL_SCOPES,
            redirect_uri=self.client.redirect_uri, code_challenge_method="S256",
        )

    def start(self, **params):
        """An authorization URL with state, nonce and a PKCE S256 challenge."""
        session = self.session()
        verifier = generate_token(64)
        nonce = generate_token(24)
        url, state = session.create_authorization_url(
            self.meta["authorization_endpoint"], state=generate_token(24), code_verifier=verifier, nonce=nonce,
            **params,
        )
        expect("code_challenge_method=S256" in url and "nonce=" in url, f"authlib's URL: {url}")
        return Attempt(session, url, state, nonce, verifier)

    def code(self, attempt, landed):
        """The code of the callback the browser landed on, after checking state and iss."""
        expect(landed.startswith(self.client.redirect_uri + "?"), f"landed on {landed}, not the callback")
        expect(self.side.saw("/callback", landed), "the relying party's server did not see that callback")
        query = query_of(landed)
        expect("error" not in query, f"the authorization failed: {query}")
        expect(query.get("state") == attempt.state, f"state {query.get('state')!r} is not {attempt.state!r}")
        expect(query.get("iss") == self.issuer, f"iss {query.get('iss')!r} is not {self.issuer!r} (RFC 9207)")
        expect(query.get("code"), f"no code: {query}")
        return query["code"]

    def exchange(self, attempt, landed):
        """The code exchanged by authlib (client_secret_basic); the ID token verified twice."""
        code = self.code(attempt, landed)
        token = attempt.session.fetch_token(
            self.meta["token_endpoint"], grant_type="authorization_code", code=code, code_verifier=attempt.verifier
        )
        for field in ("access_token", "id_token", "expires_in", "token_type"):
            expect(field in token, f"no {field} in the token response: {sorted(token)}")
        expect(token["token_type"].lower() == "bearer", f"token_type {token['token_type']}")
        claims = self.verify_id_token(token["id_token"], attempt.nonce, token["access_token"])
        return token, claims

    def verify_id_token(self, id_token, nonce, access_token):
        """authlib (JsonWebKey key set, CodeIDToken rules: iss, aud, nonce, exp, at_hash) and
        PyJWT (PyJWKClient) independently; both must agree."""
        keys = JsonWebKey.import_key_set(self.jwks)
        claims = authlib_jwt.decode(
            id_token, keys, claims_cls=CodeIDToken,
            claims_options={
                "iss": {"essential": True, "value": self.issuer},
                "aud": {"essential": True, "value": self.client.id},
                "nonce": {"essential": True, "value": nonce},
            },
            claims_params={"nonce": nonce, "client_id": self.client.id, "access_token": access_token},
        )
        claims.validate(leeway=5)
        header = dict(claims.header)
        expect(header.get("alg") == "RS256", f"ID token alg {header.get('alg')} (RS256 by default)")
        expect(header.get("kid") in [k.get("kid") for k in self.jwks["keys"]], f"ID token kid {header.get('kid')}")

        key = self.jwk_client.get_signing_key_from_jwt(id_token)
        independent = pyjwt.decode(
            id_token, key.key, algorithms=["RS256"], audience=self.client.id, issuer=self.issuer, leeway=5,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
        expect(independent == dict(claims), "authlib and PyJWT read different claims")
        expect(independent.get("nonce") == nonce, "nonce")
        expect(independent.get("at_hash") == half_hash(access_token), "at_hash is not the access token's")
        return independent

    def check_access_token(self, access_token, user):
        """RFC 9068: a JWT typed at+jwt, signed by a key of the JWKS, for this client and user."""
        header = pyjwt.get_unverified_header(access_token)
        expect(
            str(header.get("typ", "")).lower() in ("at+jwt", "application/at+jwt"),
            f"access token typ {header.get('typ')!r}, not at+jwt",
        )
        key = self.jwk_client.get_signing_key_from_jwt(access_token)
        claims = pyjwt.decode(
            access_token, key.key, algorithms=["RS256", "EdDSA"], issuer=self.issuer, leeway=5,
            options={"verify_aud": False, "require": ["iss", "sub", "aud", "exp", "iat", "jti"]},
        )
        expect(claims["sub"] == user.id, f"access token sub {claims['sub']}")
        expect(claims.get("client_id") == self.client.id, f"access token client_id {claims.get('client_id')}")
        expect("openid" in str(claims.get("scope", "")).split(), f"access token scope {claims.get('scope')!r}")
        expect(claims["exp"] - claims["iat"] <= 15 * 60, f"access token lives {claims['exp'] - claims['iat']} s")
        return claims

    def userinfo(self, access_token):
        return requests.get(
            self.meta["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"}, timeout=10
        )

    def token_request(self, data, auth="basic"):
        """A raw token request (for the refusals, where the status matters)."""
        if auth == "basic":
            return requests.post(self.meta["token_endpoint"], data=data, auth=(self.client.id, self.client.secret), timeout=10)
        return requests.post(self.meta["token_endpoint"], data=data, auth=auth, timeout=10)

    def introspect(self, session, token, hint):
        response = session.introspect_token(self.meta["introspection_endpoint"], token=token, token_type_hint=hint)
        expect(response.status_code == 200, f"introspection: {response.status_code} {response.text}")
        return response.json()


def oauth_error(response):
    try:
        return response.json().get("error")
    except ValueError:
        return None


def expect_refused(response, status, error, what):
    expect(
        response.status_code == status and oauth_error(response) == error,
        f"{what}: expected {status} {error}, got {response.status_code} {response.text[:300]}",
    )


def expect_invalid_grant(action, what):
    try:
        action()
    except OAuthError as e:
        expect(e.error == "invalid_grant", f"{what}: expected invalid_grant, got {e.error} ({e.description})")
        return
    raise Failure(f"{what}: accepted")


def unverified_sid(token):
    try:
        return pyjwt.decode(token, options={"verify_signature": False}).get("sid")
    except pyjwt.PyJWTError:
        return None


def verify_logout_token(rp, token, user):
    """Back-Channel Logout 1.0 section 2.4, checked against the JWKS."""
    header = pyjwt.get_unverified_header(token)
    expect(
        str(header.get("typ", "")).lower() in ("logout+jwt", "application/logout+jwt"),
        f"logout token typ {header.get('typ')!r}",
    )
    key = rp.jwk_client.get_signing_key_from_jwt(token)
    claims = pyjwt.decode(
        token, key.key, algorithms=["RS256", "EdDSA"], audience=rp.client.id, issuer=rp.issuer, leeway=5,
        options={"require": ["iss", "aud", "iat", "exp", "jti"]},
    )
    expect(rp.client.id in audience(claims), f"logout token aud {claims.get('aud')}")
    expect(isinstance(claims.get("events"), dict) and BACKCHANNEL_EVENT in claims["events"], f"events {claims.get('events')}")
    expect(isinstance(claims["events"][BACKCHANNEL_EVENT], dict), "the event's value is a JSON object")
    expect("nonce" not in claims, "a logout token carries no nonce")
    expect(claims.get("sub") == user.id, f"logout token sub {claims.get('sub')}")
    expect(claims.get("sid"), "logout token without sid")
    return claims


def discover(server, public_rp):
    step("discovery and JWKS")
    issuer = server.issuer
    response = requests.get(issuer + "/.well-known/openid-configuration", timeout=10)
    expect(response.status_code == 200, f"discovery: {response.status_code}")
    meta = response.json()
    expect(meta.get("issuer") == issuer, f"issuer {meta.get('issuer')!r} is not {issuer!r}")
    endpoints = {
        "authorization_endpoint": "/oauth2/authorize",
        "token_endpoint": "/oauth2/token",
        "userinfo_endpoint": "/oauth2/userinfo",
        "revocation_endpoint": "/oauth2/revoke",
        "introspection_endpoint": "/oauth2/introspect",
        "end_session_endpoint": "/oauth2/logout",
        "jwks_uri": "/.well-known/jwks.json",
    }
    for field, path in endpoints.items():
        expect(meta.get(field) == issuer + path, f"{field} {meta.get(field)!r}, expected {issuer + path}")
    expect(meta.get("code_challenge_methods_supported") == ["S256"], f"code_challenge_methods_supported {meta.get('code_challenge_methods_supported')}")
    expect(meta.get("authorization_response_iss_parameter_supported") is True, "authorization_response_iss_parameter_supported")
    expect(meta.get("response_types_supported") == ["code"], f"response_types_supported {meta.get('response_types_supported')}")
    expect("RS256" in meta.get("id_token_signing_alg_values_supported", []), "RS256 in id_token_signing_alg_values_supported")
    expect(meta.get("subject_types_supported"), "subject_types_supported")
    for method in ("client_secret_basic", "client_secret_post", "none"):
        expect(method in meta.get("token_endpoint_auth_methods_supported", []), f"{method} in token_endpoint_auth_methods_supported")
    for grant in ("authorization_code", "refresh_token"):
        expect(grant in meta.get("grant_types_supported", ["authorization_code"]), f"{grant} in grant_types_supported")
    for scope in CONFIDENTIAL_SCOPES.split():
        expect(scope in meta.get("scopes_supported", []), f"{scope} in scopes_supported")
    claims = meta.get("claims_supported", [])
    for claim in ("sub", "iss", "email", "email_verified", "acr", "amr", "auth_time", "sid", "groups"):
        expect(claim in claims, f"{claim} in claims_supported {claims}")
    acr = meta.get("acr_values_supported", [])
    expect({"pwd", "mfa", PAPE_MFA} <= set(acr), f"acr_values_supported {acr}")
    expect(meta.get("backchannel_logout_supported") is True, "backchannel_logout_supported")
    expect(meta.get("backchannel_logout_session_supported") is True, "backchannel_logout_session_supported")
    expect("form_post" in meta.get("response_modes_supported", ["query", "fragment"]), "form_post in response_modes_supported")

    rfc8414 = requests.get(issuer + "/.well-known/oauth-authorization-server", timeout=10)
    expect(rfc8414.status_code == 200 and rfc8414.json().get("issuer") == issuer, "RFC 8414 metadata")

    jwks = requests.get(meta["jwks_uri"], timeout=10).json()
    keys = jwks.get("keys", [])
    rsa = [k for k in keys if k.get("kty") == "RSA"]
    okp = [k for k in keys if k.get("kty") == "OKP"]
    expect(rsa and okp, f"an RSA and an Ed25519 key in the JWKS: {[k.get('kty') for k in keys]}")
    for k in keys:
        expect(k.get("kid") and k.get("use") == "sig" and k.get("alg"), f"a key without kid/use/alg: {k}")
        expect("d" not in k and "p" not in k, "a private key part is published")
    expect(any(k["alg"] == "RS256" for k in rsa), "an RS256 key")
    expect(all(len(base64.urlsafe_b64decode(k["n"] + "==")) * 8 >= 2048 for k in rsa), "RSA keys of 2048 bits or more")

    # CORS for the origins of the public clients' redirect URIs, nothing else.
    origin = public_rp.base
    for url in (issuer + "/.well-known/openid-configuration", meta["jwks_uri"]):
        answer = requests.get(url, headers={"Origin": origin}, timeout=10)
        expect(answer.headers.get("access-control-allow-origin") == origin, f"no CORS for {origin} on {url}")
    preflight = requests.options(
        meta["token_endpoint"],
        headers={"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
        timeout=10,
    )
    expect(preflight.headers.get("access-control-allow-origin") == origin, f"CORS preflight on the token endpoint for {origin}")
    evil = requests.get(meta["jwks_uri"], headers={"Origin": "https://evil.example"}, timeout=10)
    expect(evil.headers.get("access-control-allow-origin") is None, "the JWKS answers CORS for https://evil.example")
    evil = requests.options(
        meta["token_endpoint"],
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    expect(evil.headers.get("access-control-allow-origin") is None, "the token endpoint allows https://evil.example")
    note(f"issuer {issuer}; keys {[(k['kty'], k['alg']) for k in keys]}")
    return meta


# ---------------------------------------------------------------------------------------
# Flow A: authlib, confidential third-party client


def flow_authlib(server, meta, person, user, rp, public):
    issuer = server.issuer

    step("authlib: authorization through /login, /login/mfa and the consent page")
    first = rp.start()
    seen, landed = drive(person, first.url, user)
    expect(seen == ["login", "mfa", "consent"], f"pages seen: {seen}")
    tokens, claims = rp.exchange(first, landed)

    step("authlib: the ID token")
    expect(claims["sub"] == user.id, f"sub {claims['sub']} is not the user id {user.id}")
    expect(claims.get("email") == user.email and claims.get("email_verified") is True, f"email claims: {claims}")
    expect(claims.get("acr") == "mfa", f"acr {claims.get('acr')}")
    expect("otp" in claims.get("amr", []), f"amr {claims.get('amr')}")
    expect(claims.get("azp") in (None, rp.client.id), f"azp {claims.get('azp')}")
    for field in ("sid", "auth_time", "at_hash"):
        expect(claims.get(field), f"no {field} in the ID token")
    expect(abs(claims["auth_time"] - time.time()) < 300, f"auth_time {claims['auth_time']}")
    expect("admin" in claims.get("groups", []), f"groups {claims.get('groups')} (the user is an admin)")
    expect(claims.get("preferred_username") or claims.get("name"), "name or preferred_username with scope profile")
    note(f"amr {claims['amr']}, sid {claims['sid']}")

    step("authlib: the access token is an RFC 9068 JWT; userinfo")
    rp.check_access_token(tokens["access_token"], user)
    info = rp.userinfo(tokens["access_token"])
    expect(info.status_code == 200, f"userinfo: {info.status_code} {info.text}")
    info = info.json()
    expect(info.get("sub") == user.id and info.get("email") == user.email, f"userinfo {info}")
    expect(info.get("email_verified") is True and "admin" in info.get("groups", []), f"userinfo {info}")
    expect(rp.userinfo("not-a-token").status_code == 401, "userinfo with a bad token")
    expect(requests.get(meta["userinfo_endpoint"], timeout=10).status_code == 401, "userinfo without a token")

    step("authlib: a second authorization in the same browser: no sign-in, consent remembered")
    second = rp.start()
    seen, landed = drive(person, second.url)
    expect(seen == [], f"pages seen on a signed-in, consented second authorization: {seen}")
    tokens2, claims2 = rp.exchange(second, landed)
    # The same sign-in (sid may differ: Front-Channel Logout 1.0 lets it name the session at the RP).
    expect(claims2["auth_time"] == claims["auth_time"], "a different auth_time without a new sign-in")
    expect(claims2["sid"], "no sid in the second ID token")
    expect(tokens2["access_token"] != tokens["access_token"], "a new access token")

    step("authlib: prompt=consent asks again; Deny answers access_denied")
    denied = rp.start(prompt="consent")
    seen, landed = drive(person, denied.url, user, decision="deny")
    expect(seen == ["consent"], f"pages seen with prompt=consent: {seen}")
    query = query_of(landed)
    expect(landed.startswith(rp.client.redirect_uri + "?"), f"landed on {landed}")
    expect(query.get("error") == "access_denied" and "code" not in query, f"after Deny: {query}")
    expect(query.get("state") == denied.state and query.get("iss") == issuer, f"after Deny: {query}")

    step("authlib: introspection and revocation")
    session = second.session
    live = rp.introspect(session, tokens2["access_token"], "access_token")
    expect(live.get("active") is True, f"introspection of a live token: {live}")
    expect(live.get("client_id") == rp.client.id and live.get("sub") == user.id, f"introspection: {live}")
    expect("openid" in str(live.get("scope", "")).split(), f"introspection scope: {live}")
    response = session.revoke_token(rp.meta["revocation_endpoint"], token=tokens2["access_token"], token_type_hint="access_token")
    expect(response.status_code == 200, f"revocation: {response.status_code} {response.text}")
    expect(rp.userinfo(tokens2["access_token"]).status_code == 401, "userinfo with a revoked access token")
    dead = rp.introspect(session, tokens2["access_token"], "access_token")
    expect(dead.get("active") is False, f"introspection of a revoked token: {dead}")
    expect(rp.introspect(session, "not-a-token", "access_token").get("active") is False, "introspection of garbage")
    if tokens2.get("refresh_token"):
        response = session.revoke_token(rp.meta["revocation_endpoint"], token=tokens2["refresh_token"], token_type_hint="refresh_token")
        expect(response.status_code == 200, f"revocation of a refresh token: {response.status_code}")
        expect_invalid_grant(lambda: rp.session().refresh_token(rp.meta["token_endpoint"], refresh_token=tokens2["refresh_token"]),
                             "a revoked refresh token")
    response = session.revoke_token(rp.meta["revocation_endpoint"], token="not-a-token")
    expect(response.status_code == 200, f"revocation of an unknown token: {response.status_code} (RFC 7009: 200)")
    response = requests.post(rp.meta["introspection_endpoint"], data={"token": tokens["access_token"]}, timeout=10)
    expect(response.status_code == 401, f"introspection without client authentication: {response.status_code}")

    refusals(server, meta, person, user, rp, public, tokens["id_token"])

    step("authlib: refresh rotation; a reused refresh token ends the grant")
    attempt = rp.start()
    _, landed = drive(person, attempt.url, user)
    tokens3, _ = rp.exchange(attempt, landed)
    old_refresh = tokens3.get("refresh_token")
    expect(old_refresh, "no refresh token with scope offline_access")
    refreshed = attempt.session.refresh_token(rp.meta["token_endpoint"], refresh_token=old_refresh)
    new_refresh = refreshed.get("refresh_token")
    expect(new_refresh and new_refresh != old_refresh, "the refresh token was not rotated")
    expect(refreshed["access_token"] != tokens3["access_token"], "no new access token")
    rp.check_access_token(refreshed["access_token"], user)
    expect(rp.userinfo(refreshed["access_token"]).status_code == 200, "userinfo with the refreshed access token")
    if refreshed.get("id_token"):
        renewed = pyjwt.decode(
            refreshed["id_token"], rp.jwk_client.get_signing_key_from_jwt(refreshed["id_token"]).key,
            algorithms=["RS256"], audience=rp.client.id, issuer=issuer, leeway=5,
        )
        expect(renewed["sub"] == user.id, "the refreshed ID token's sub")
    expect_invalid_grant(lambda: rp.session().refresh_token(rp.meta["token_endpoint"], refresh_token=old_refresh),
                         "the old refresh token reused")
    expect_invalid_grant(lambda: rp.session().refresh_token(rp.meta["token_endpoint"], refresh_token=new_refresh),
                         "the newest refresh token after a reuse")

    step("authlib: RP-initiated logout and the back-channel logout token")
    attempt = rp.start()
    _, landed = drive(person, attempt.url, user)
    tokens4, claims4 = rp.exchange(attempt, landed)
    sid = claims4["sid"]
    logout = rp.meta["end_session_endpoint"] + "?" + urllib.parse.urlencode(
        {"id_token_hint": tokens4["id_token"], "post_logout_redirect_uri": rp.client.post_logout_redirect_uri, "state": "xyz"}
    )
    person.d.get(logout)
    landed = person.d.current_url
    expect(landed.startswith(rp.client.post_logout_redirect_uri + "?"), f"after logout the browser is on {landed}")
    expect(query_of(landed).get("state") == "xyz", f"logout state: {landed}")
    expect(rp.side.saw("/bye", landed), "the relying party's server did not see /bye")
    expect(signed_out(person), f"still signed in after logout: {person.d.current_url}")
    expect(rp.userinfo(tokens4["access_token"]).status_code == 401, "userinfo after logout")

    deadline = time.time() + BACKCHANNEL_WAIT_SECONDS
    received = []
    while time.time() < deadline:
        with rp.side.lock:
            received = list(rp.side.logout_tokens)
        if any(r["token"] and unverified_sid(r["token"]) == sid for r in received):
            break
        time.sleep(0.1)
    expect(received, f"no back-channel logout within {BACKCHANNEL_WAIT_SECONDS} s")
    for r in received:
        expect(r["content_type"].startswith("application/x-www-form-urlencoded"), f"back-channel content-type {r['content_type']}")
        expect(r["token"], "a back-channel POST without logout_token")
        verify_logout_token(rp, r["token"], user)
    sids = [unverified_sid(r["token"]) for r in received]
    expect(sid in sids, f"no logout token for sid {sid} (got {sids})")
    note(f"{len(received)} logout token(s), sids {sids}")

    step("authlib: prompt=none after logout answers login_required")
    attempt = rp.start(prompt="none")
    seen, landed = drive(person, attempt.url)
    query = query_of(landed)
    expect(seen == [] and landed.startswith(rp.client.redirect_uri + "?"), f"prompt=none: {seen} {landed}")
    expect(query.get("error") == "login_required" and query.get("state") == attempt.state, f"prompt=none: {query}")


def refusals(server, meta, person, user, rp, public, id_token_hint):
    issuer = server.issuer

    def fresh_code():
        attempt = rp.start()
        _, landed = drive(person, attempt.url, user)
        return attempt, rp.code(attempt, landed)

    step("refused: a wrong and a missing code_verifier")
    attempt, code = fresh_code()
    response = rp.token_request({"grant_type": "authorization_code", "code": code, "redirect_uri": rp.client.redirect_uri,
                                 "code_verifier": generate_token(64)})
    expect_refused(response, 400, "invalid_grant", "a wrong code_verifier")
    attempt, code = fresh_code()
    response = rp.token_request({"grant_type": "authorization_code", "code": code, "redirect_uri": rp.client.redirect_uri})
    expect_refused(response, 400, "invalid_grant", "a missing code_verifier")

    step("refused: a code presented twice; the tokens issued from it stop")
    attempt, code = fresh_code()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": rp.client.redirect_uri,
            "code_verifier": attempt.verifier}
    response = rp.token_request(data)
    expect(response.status_code == 200, f"the first exchange: {response.status_code} {response.text}")
    expect("no-store" in response.headers.get("cache-control", ""), "Cache-Control: no-store on the token response")
    spent = response.json()
    expect(rp.userinfo(spent["access_token"]).status_code == 200, "userinfo before the reuse")
    expect_refused(rp.token_request(data), 400, "invalid_grant", "a reused code")
    expect(rp.userinfo(spent["access_token"]).status_code == 401, "userinfo with a token of a reused code")
    if spent.get("refresh_token"):
        expect_invalid_grant(lambda: rp.session().refresh_token(rp.meta["token_endpoint"], refresh_token=spent["refresh_token"]),
                             "the refresh token of a reused code")

    step("refused: a code for another redirect URI, and for another client")
    attempt, code = fresh_code()
    response = rp.token_request({"grant_type": "authorization_code", "code": code, "redirect_uri": rp.side.base + "/other",
                                 "code_verifier": attempt.verifier})
    expect_refused(response, 400, "invalid_grant", "a code with another redirect_uri")
    attempt, code = fresh_code()
    response = requests.post(meta["token_endpoint"], timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": rp.client.redirect_uri,
        "code_verifier": attempt.verifier, "client_id": public.id,
    })
    expect_refused(response, 400, "invalid_grant", "a code spent by another client")

    step("refused: a wrong client secret")
    response = rp.token_request({"grant_type": "authorization_code", "code": "whatever", "redirect_uri": rp.client.redirect_uri},
                                auth=(rp.client.id, rp.client.secret[:-4] + "AAAA"))
    expect_refused(response, 401, "invalid_client", "a wrong client secret")
    expect(response.headers.get("www-authenticate"), "a 401 invalid_client without WWW-Authenticate (RFC 6749 5.2)")
    response = requests.post(meta["token_endpoint"], timeout=10, data={
        "grant_type": "authorization_code", "code": "whatever", "redirect_uri": rp.client.redirect_uri,
        "client_id": rp.client.id, "client_secret": "wrong",
    })
    expect(response.status_code in (400, 401) and oauth_error(response) == "invalid_client",
           f"a wrong client_secret_post: {response.status_code} {response.text[:300]}")

    step("refused: an unregistered redirect_uri and an unknown client_id get an error page, no redirect")
    verifier = generate_token(64)
    params = {"response_type": "code", "client_id": rp.client.id, "redirect_uri": rp.side.base + "/elsewhere",
              "scope": "openid", "state": "s1", "nonce": "n1", "code_challenge": s256(verifier), "code_challenge_method": "S256"}
    person.d.get(meta["authorization_endpoint"] + "?" + urllib.parse.urlencode(params))
    expect(person.d.current_url.startswith(issuer + "/"), f"redirected to {person.d.current_url}")
    expect(person.status_of_last_page() == 400, f"status {person.status_of_last_page()} for an unregistered redirect_uri")
    expect(not rp.side.visited("/elsewhere"), "the unregistered redirect_uri was visited")
    params.update(client_id="no-such-client", redirect_uri=rp.client.redirect_uri)
    before = len(rp.side.visited("/callback"))
    person.d.get(meta["authorization_endpoint"] + "?" + urllib.parse.urlencode(params))
    expect(person.d.current_url.startswith(issuer + "/"), f"redirected to {person.d.current_url}")
    status = person.status_of_last_page()
    expect(status in (400, 404), f"status {status} for an unknown client_id")
    expect(len(rp.side.visited("/callback")) == before, "an unknown client_id redirected")

    step("refused: code_challenge_method=plain on the public client → invalid_request at its redirect URI")
    params = {"response_type": "code", "client_id": public.id, "redirect_uri": public.redirect_uri, "scope": "openid",
              "state": "plain-state", "nonce": "n2", "code_challenge": verifier, "code_challenge_method": "plain"}
    seen, landed = drive(person, meta["authorization_endpoint"] + "?" + urllib.parse.urlencode(params), user)
    query = query_of(landed)
    expect(landed.startswith(public.redirect_uri + "?"), f"plain PKCE: landed on {landed} after {seen}")
    expect(query.get("error") == "invalid_request" and "code" not in query, f"plain PKCE: {query}")
    expect(query.get("state") == "plain-state" and query.get("iss") == issuer, f"plain PKCE: {query}")
    params.pop("code_challenge")
    params.pop("code_challenge_method")
    params["state"] = "no-pkce"
    seen, landed = drive(person, meta["authorization_endpoint"] + "?" + urllib.parse.urlencode(params), user)
    query = query_of(landed)
    expect(landed.startswith(public.redirect_uri + "?") and query.get("error") == "invalid_request",
           f"a public client without PKCE: landed on {landed}")

    step("refused: logout with an unregistered post_logout_redirect_uri: error page, no redirect")
    person.d.get(meta["end_session_endpoint"] + "?" + urllib.parse.urlencode(
        {"id_token_hint": id_token_hint, "post_logout_redirect_uri": rp.side.base + "/evil", "state": "s3"}
    ))
    expect(person.d.current_url.startswith(issuer + "/"), f"logout redirected to {person.d.current_url}")
    status = person.status_of_last_page()
    expect(status == 400, f"status {status} for an unregistered post_logout_redirect_uri")
    expect(not rp.side.visited("/evil"), "the unregistered post_logout_redirect_uri was visited")


# ---------------------------------------------------------------------------------------
# Flow B: openid-client (Node), public first-party client


class NodeRP:
    """tests/oidc/rp_openid_client.mjs as a child process: JSON lines both ways."""

    def __init__(self, issuer, client):
        script = HERE / "rp_openid_client.mjs"
        expect((HERE / "node_modules/openid-client").is_dir(),
               "tests/oidc/node_modules is missing: run `npm ci` in tests/oidc (scripts/oidc does)")
        self.proc = subprocess.Popen(
            ["node", str(script), issuer, client.id, client.redirect_uri, client.post_logout_redirect_uri],
            cwd=HERE, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr, text=True, bufsize=1,
        )
        self.lines = queue.Queue()

        def read():
            for line in self.proc.stdout:
                self.lines.put(line)
            self.lines.put(None)

        threading.Thread(target=read, daemon=True).start()

    def receive(self, timeout=60):
        """The next message that is not a log line."""
        deadline = time.time() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                raise Failure(f"openid-client said nothing for {timeout} s") from None
            if line is None:
                raise Failure(f"openid-client exited ({self.proc.wait()}) without an answer")
            try:
                message = json.loads(line)
            except ValueError:
                raise Failure(f"openid-client printed a line that is not JSON: {line!r}") from None
            if "log" in message:
                note(f"openid-client: {message['log']}")
            elif "error" in message:
                error = message["error"]
                raise Failure(f"openid-client failed: {error.get('name')} {error.get('code')} {error.get('error')} "
                              f"{error.get('status')}: {error.get('message')}\n{error.get('stack')}")
            else:
                return message

    def send(self, message):
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


def flow_openid_client(server, person, user, public, public_side):
    step("openid-client: discovery, authorization with PKCE S256, sign-in with a code, no consent (first party)")
    node = NodeRP(server.issuer, public)
    try:
        url = node.receive()["authorize"]
        expect(url.startswith(server.issuer + "/oauth2/authorize?"), f"openid-client's URL: {url}")
        expect(query_of(url).get("code_challenge_method") == "S256", f"openid-client's URL: {url}")
        seen, landed = drive(person, url, user)
        expect(seen == ["login", "mfa"], f"pages seen for a first-party client: {seen}")
        expect(landed.startswith(public.redirect_uri + "?"), f"landed on {landed}")
        expect(public_side.saw("/callback", landed), "the callback server did not see the callback")
        node.send({"callback": landed})

        step("openid-client: code exchange, ID token, userinfo, refresh, revocation")
        result = node.receive(timeout=120)["result"]
        expect(node.proc.wait(30) == 0, "openid-client exited non-zero")
    finally:
        node.stop()
    claims = result["claims"]
    expect(result["issuer"] == server.issuer, f"issuer {result['issuer']}")
    expect(result["idTokenHeader"].get("alg") == "RS256", f"ID token header {result['idTokenHeader']}")
    expect(str(result["accessTokenHeader"].get("typ", "")).lower() in ("at+jwt", "application/at+jwt"),
           f"access token header {result['accessTokenHeader']}")
    expect(claims.get("sub") == user.id and claims.get("email") == user.email, f"claims {claims}")
    expect(public.id in audience(claims), f"aud {claims.get('aud')}")
    expect(claims.get("acr") == "mfa" and "otp" in claims.get("amr", []), f"acr/amr {claims.get('acr')} {claims.get('amr')}")
    expect(claims.get("sid") and claims.get("auth_time"), "sid and auth_time")
    expect("groups" not in claims, f"groups without the groups scope: {claims.get('groups')}")
    userinfo = result["userinfo"]
    expect(userinfo.get("sub") == user.id and userinfo.get("email") == user.email, f"userinfo {userinfo}")
    expect("groups" not in userinfo, "userinfo gives groups without the groups scope")
    expect(result["refreshed"] and result["refreshRotated"], "refresh: no new, rotated refresh token")
    expect(result["refreshedUserinfoSub"] == user.id, "userinfo with the refreshed access token")
    expect(result["refreshedIdTokenSub"] in (None, user.id), "the refreshed ID token's sub")
    after = result["userinfoAfterRevoke"]
    expect(after and after.get("status") == 401, f"userinfo after revoking the access token: {after}")
    after = result["refreshAfterRevoke"]
    expect(after and after.get("error") == "invalid_grant", f"refresh after revoking the refresh token: {after}")

    step("openid-client: the end-session URL in the browser")
    end_session = result["endSession"]
    expect(end_session.startswith(server.issuer + "/oauth2/logout?"), f"end-session URL {end_session}")
    person.d.get(end_session)
    landed = person.d.current_url
    expect(landed.startswith(public.post_logout_redirect_uri + "?"), f"after logout the browser is on {landed}")
    expect(query_of(landed).get("state") == "openid-client-bye", f"logout state: {landed}")
    expect(signed_out(person), "still signed in after the openid-client logout")


# ---------------------------------------------------------------------------------------
# Flow C: a passkey, on a server whose public URL is http://localhost:PORT


def flow_passkey(rp_side):
    step("passkey: a second server at http://localhost (WebAuthn needs a domain), a passkey on /account")
    server = Server(host="localhost")
    driver = None
    try:
        client = add_client(server, APP_NAME, rp_side, CONFIDENTIAL_SCOPES)
        meta = requests.get(server.base + "/.well-known/openid-configuration", timeout=10).json()
        expect(meta.get("issuer") == server.issuer, f"issuer {meta.get('issuer')} is not {server.issuer}")
        rp = AuthlibRP(server.issuer, meta, client, rp_side)
        driver = pages.browser(javascript=True)
        person = pages.Person(server, driver, base=server.issuer)
        driver.execute_cdp_cmd("WebAuthn.enable", {"enableUI": False})
        driver.execute_cdp_cmd("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
            "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
        }})
        email = "kim@example.com"
        pages.register(person, email)
        person.click(person.testid("add-passkey"))
        expect(person.path() == "/account/passkeys/add", person.path())
        person.fill("name", "Laptop")
        person.click(person.testid("passkey-button"))
        codes = person.testid("recovery-codes").text.split("\n")
        expect(len(codes) == 10, f"recovery codes after the first passkey: {codes}")
        person.click(driver.find_element(By.LINK_TEXT, "I saved my codes"))
        expect(person.testid("mfa-status").text == "on", "MFA on after the passkey")
        status, me = server.api("GET", "/me", cookie=person.cookie_header())
        expect(status == 200, f"/me with the page's cookies: {status} {me}")
        user = User(email, me["id"], None)
        pages.sign_out(person)

        step("passkey: authorization with acr_values=mfa, signed in with the passkey alone")
        attempt = rp.start(acr_values="mfa")
        seen, landed = drive(person, attempt.url, user, passkey=True)
        expect(seen == ["login", "consent"], f"pages seen: {seen}")
        tokens, claims = rp.exchange(attempt, landed)
        expect(claims["sub"] == user.id, f"sub {claims['sub']}")
        expect(claims.get("acr") == "mfa", f"acr {claims.get('acr')} after a passkey sign-in with acr_values=mfa")
        note(f"amr {claims.get('amr')}")
        info = rp.userinfo(tokens["access_token"])
        expect(info.status_code == 200 and info.json().get("sub") == user.id, f"userinfo: {info.status_code}")
    except BaseException:
        print(f"--- log of the localhost server ---\n{server.log_text()}", file=sys.stderr)
        raise
    finally:
        if driver:
            driver.quit()
        server.stop()


# ---------------------------------------------------------------------------------------


def main():
    if not BIN.is_file():
        print(f"oidc: no twofold binary at {BIN}", file=sys.stderr)
        sys.exit(1)
    server = driver = None
    sides = []
    failed = True
    try:
        step(f"starting {BIN} with public_url http://127.0.0.1:PORT")
        server = Server()
        rp_side = RelyingParty()
        public_side = RelyingParty()
        sides = [rp_side, public_side]

        step("clients registered with `twofold clients add`; a user through the API with an authenticator app")
        confidential = add_client(server, APP_NAME, rp_side, CONFIDENTIAL_SCOPES, backchannel=True)
        public = add_client(server, "openid-client app", public_side, PUBLIC_SCOPES, public=True, first_party=True)
        listed = server.cli("clients", "list")
        expect(confidential.id in listed and public.id in listed, f"`clients list`:\n{listed}")
        expect(confidential.secret not in listed, "`clients list` shows a secret")
        user = api_user(server, "ada@example.com")
        server.cli("admin", "grant", user.email)
        note(f"user {user.id}; clients {confidential.id} (confidential), {public.id} (public)")

        meta = discover(server, public_side)
        rp = AuthlibRP(server.issuer, meta, confidential, rp_side)

        driver = pages.browser(javascript=True)
        person = pages.Person(server, driver, base=server.issuer)
        flow_authlib(server, meta, person, user, rp, public)
        flow_openid_client(server, person, user, public, public_side)
        flow_passkey(rp_side)
        failed = False
    except BaseException as error:  # noqa: BLE001  (report anything, then exit non-zero)
        print(f"\noidc: FAILED: {error}", file=sys.stderr)
        traceback.print_exc()
        if driver is not None:
            try:
                print(f"--- browser at {driver.current_url} ---\n{driver.find_element(By.TAG_NAME, 'body').text[:2000]}",
                      file=sys.stderr)
            except Exception:  # noqa: BLE001
                pass
        if server is not None:
            print(f"--- twofold log ---\n{server.log_text()}", file=sys.stderr)
    finally:
        if driver is not None:
            driver.quit()
        for side in sides:
            side.stop()
        if server is not None:
            server.stop()
    if failed:
        sys.exit(1)
    print("oidc: authlib, openid-client and the passkey flow passed against twofold")


if __name__ == "__main__":
    main()
