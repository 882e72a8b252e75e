#!/usr/bin/env python3
"""The hosted pages in a real browser: headless Chromium (Debian's `chromium` and
`chromium-driver`) driven by Selenium against a `twofold serve` started here.

Every flow of PAGES.md, as a person does it, with JavaScript OFF (the pages must work
without it): register, enroll (the QR code decoded from the page's image by zbarimg, codes
from oathtool), save the recovery codes, sign out, sign in with a code and with a
recovery code, end another session, make new codes, change the password, turn MFA off;
then `return_to`, the cross-site form post and the missing anti-CSRF token (both refused,
nothing changed), the 429 page, 320 px without horizontal scrolling, and the copy button
with JavaScript on. Then FACTORS.md with Chromium's virtual authenticator: a passkey
registered, signing in with it alone and as the second step, an authenticator app added,
the passkey removed. Screenshots of every page, desktop and phone, light and dark, go to
TWOFOLD_SCREENSHOTS (docs/screenshots/ when that is set to it).

Usage: tests/browser/pages.py [path/to/twofold]
"""

import base64
import email as email_lib
import email.policy
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target/debug/twofold"
SHOTS = Path(os.environ.get("TWOFOLD_SCREENSHOTS") or tempfile.mkdtemp(prefix="twofold-shots-"))
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "another long passphrase"
RESET_PASSWORD = "a passphrase set by link"
LONG_EMAIL = "margaret.hamilton.apollo.guidance.computer@software-engineering.example.com"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`twofold serve` on a fresh SQLite database and a free loopback port."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="twofold-browser-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
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
        )
        self.log = open(Path(self.dir) / "server.log", "w")
        self.proc = subprocess.Popen(
            [str(BIN), "serve", "--listen", f"127.0.0.1:{self.port}"], env=env, stdout=self.log, stderr=self.log
        )
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("twofold did not start: " + (Path(self.dir) / "server.log").read_text())

    def api(self, method, path, body=None, token=None, cookie=None):
        """(status, json body) of an API call."""
        req = urllib.request.Request(self.base + "/api/v1" + path, method=method)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            req.add_header("content-type", "application/json")
        if token:
            req.add_header("authorization", f"Bearer {token}")
        if cookie:
            req.add_header("cookie", cookie)
        try:
            with urllib.request.urlopen(req, data, timeout=10) as r:
                raw = r.read()
                return r.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, json.loads(raw) if raw else None

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


class Totp:
    """Codes from oathtool, one fresh time step per use (the server refuses a replayed step)."""

    def __init__(self, secret):
        self.secret = secret
        self.last = None

    def code(self):
        # Never the previous step: the clock may cross into the next one before the server
        # checks the code, and then the previous step is two steps old.
        now = int(time.time()) // 30
        step = now if self.last is None else max(self.last + 1, now)
        if step > now + 1:  # all steps the server accepts now are spent: wait for the next
            time.sleep((now + 1) * 30 - time.time() + 0.2)
            return self.code()
        self.last = step
        out = subprocess.run(
            ["oathtool", "--totp", "-b", self.secret, "-N", f"@{step * 30 + 1}"],
            capture_output=True, text=True, check=True,
        )
        return out.stdout.strip()


def browser(javascript=True):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,900", f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


def detached(element):
    """Whether `element` left the document (the next page replaced it). During a navigation
    Chromium may answer "Node ... does not belong to the document" instead of Selenium's
    stale-element error: both mean gone."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


class Person:
    """A person at a browser."""

    def __init__(self, server, driver, base=None):
        self.s, self.d = server, driver
        self.base = base or server.base

    def go(self, path):
        self.d.get(self.base + path)

    def path(self):
        return self.d.current_url.removeprefix(self.base)

    def fill(self, name, value):
        field = self.d.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)

    def submit(self, text=None):
        buttons = self.d.find_elements(By.CSS_SELECTOR, "main button[type=submit]")
        button = next(b for b in buttons if text is None or text in b.text)
        self.click(button)

    def click(self, element):
        """Clicks and waits for the next page to load (a form post, a link)."""
        old = self.d.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.d, 10).until(lambda _: detached(old))
        WebDriverWait(self.d, 10).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def text(self):
        return self.d.find_element(By.TAG_NAME, "body").text

    def testid(self, name):
        return self.d.find_element(By.CSS_SELECTOR, f"[data-testid='{name}']")

    def cookie_header(self):
        return "; ".join(f"{c['name']}={c['value']}" for c in self.d.get_cookies())

    def status_of_last_page(self):
        """The HTTP status of the page shown, from the browser's own navigation record."""
        return self.d.execute_script(
            "const e = performance.getEntriesByType('navigation')[0]; return e ? e.responseStatus : null;"
        )

    def shot(self, name, dark=False):
        """Full-page screenshots at desktop and phone width."""
        d = self.d
        d.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]},
        )
        suffix = "-dark" if dark else ""
        for label, width, mobile in (("desktop", 1280, False), ("phone", 390, True)):
            d.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1 if not mobile else 2, "mobile": mobile},
            )
            height = d.execute_script("return document.documentElement.scrollHeight")
            d.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": max(height, 600), "deviceScaleFactor": 1 if not mobile else 2,
                 "mobile": mobile},
            )
            png = d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
            (SHOTS / f"{name}-{label}{suffix}.png").write_bytes(base64.b64decode(png))
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})

    def fits(self, width=320):
        """No horizontal scrolling at `width` CSS pixels."""
        d = self.d
        d.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": width, "height": 640, "deviceScaleFactor": 1, "mobile": True}
        )
        scroll = d.execute_script("return document.documentElement.scrollWidth")
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        assert scroll <= width, f"{self.path()} scrolls sideways at {width}px ({scroll}px wide)"


def qr_secret(person):
    """The otpauth URI of the QR code image on the page, decoded by zbarimg."""
    image = person.d.find_element(By.CSS_SELECTOR, "img[alt*='QR code']")
    png = Path(tempfile.mkdtemp()) / "qr.png"
    png.write_bytes(image.screenshot_as_png)
    out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, check=True)
    uri = out.stdout.strip()
    assert uri.startswith("otpauth://totp/"), uri
    assert "issuer=Acme%20ID" in uri or "issuer=Acme+ID" in uri, uri
    return re.search(r"secret=([A-Z2-7]+)", uri).group(1)


def register(person, email):
    person.go("/register")
    assert person.d.find_element(By.NAME, "password").get_attribute("autocomplete") == "new-password"
    person.fill("email", email)
    person.fill("password", PASSWORD)
    person.submit()
    assert person.path().startswith("/account"), person.path()
    assert person.testid("mfa-status").text == "off"


def sign_in_password(person, email, password=PASSWORD, return_to=None):
    person.go("/login" + (f"?return_to={urllib.request.quote(return_to, safe='')}" if return_to else ""))
    assert person.d.find_element(By.NAME, "email").get_attribute("autocomplete") == "username"
    assert person.d.find_element(By.NAME, "password").get_attribute("autocomplete") == "current-password"
    person.fill("email", email)
    person.fill("password", password)
    person.submit()


def sign_out(person):
    person.click(person.d.find_element(By.CSS_SELECTOR, "header form[action='/logout'] button"))
    assert person.path().startswith("/login"), person.path()


def enroll(person):
    person.go("/account")
    person.click(person.d.find_element(By.LINK_TEXT, "Turn on two-factor authentication"))
    assert person.path() == "/account/mfa/setup"
    secret = qr_secret(person)
    shown = person.testid("totp-secret").text
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", shown), shown
    assert shown.replace(" ", "") == secret, "the key shown is the QR code's"
    person.d.refresh()  # reloading keeps the same secret (the app already scanned it)
    assert qr_secret(person) == secret
    person.shot("mfa-setup")
    person.shot("mfa-setup", dark=True)
    totp = Totp(secret)
    # A wrong code first: the error is beside the field, announced, and nothing is enabled.
    person.fill("code", "000000" if totp.code() != "000000" else "111111")
    person.submit()
    error = person.d.find_element(By.ID, "code-error")
    assert "not right" in error.text and error.get_attribute("role") == "alert", error.text
    assert person.d.find_element(By.NAME, "code").get_attribute("aria-invalid") == "true"
    assert person.status_of_last_page() == 401
    person.shot("mfa-setup-error")
    totp.last = None
    code_field = person.d.find_element(By.NAME, "code")
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    assert code_field.get_attribute("inputmode") == "numeric"
    person.fill("device_name", "Work phone")
    person.fill("code", totp.code())
    person.submit()
    codes = person.testid("recovery-codes").text.split("\n")
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    assert "shown only now" in person.text()
    link = person.testid("download-codes")
    assert link.get_attribute("download") == "twofold-recovery-codes.txt"
    href = link.get_attribute("href")
    assert href.startswith("data:text/plain"), href
    assert base64.b64decode(href.split(",", 1)[1]).decode().split() == codes
    person.shot("recovery-codes")
    person.shot("recovery-codes", dark=True)
    person.click(person.d.find_element(By.LINK_TEXT, "I saved my codes"))
    assert person.testid("mfa-status").text == "on"
    assert "Two-factor authentication turned on (Work phone)" in person.text()
    return totp, codes


def wait_for_message(server, to, subject):
    """The newest message to `to` about `subject` (waits up to 10 s: mail is sent by a
    background task after the change that caused it)."""
    folder = Path(server.dir) / "mail"
    for _ in range(200):
        for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.exists() else []:
            msg = email_lib.message_from_bytes(path.read_bytes(), policy=email_lib.policy.default)
            if to in str(msg["To"]) and subject in str(msg["Subject"]):
                return msg
        time.sleep(0.05)
    raise AssertionError(f"no message to {to} about {subject!r}")


def mail_link(server, to, subject, page):
    """The token of the `page` link in the newest message to `to` about `subject`."""
    text = wait_for_message(server, to, subject).get_body(preferencelist=("plain",)).get_content()
    token = re.search(re.escape(page) + r"\?token=([A-Za-z0-9_-]+)", text)
    assert token, f"no {page} link in the message to {to} about {subject!r}"
    return token.group(1)


def email_flows(server, person, email, totp):
    """EMAIL.md in the browser: confirming the address from the page its link opens (a
    button that POSTs: opening the link spends nothing), then "Forgot your password?" from
    the sign-in page, the link of the message, a new password, and the code still asked."""
    person.go("/account")
    assert person.testid("email-status").text == "not confirmed"
    token = mail_link(server, email, "Confirm your email", "/email/verify")
    person.go(f"/email/verify?token={token}")
    person.shot("email-verify")
    person.go(f"/email/verify?token={token}")  # opened twice (a mail scanner): still unspent
    person.submit("Confirm my address")
    assert person.testid("email-verified").text.endswith("is confirmed. Thank you."), person.text()
    person.go("/account")
    assert person.testid("email-status").text == "confirmed"

    sign_out(person)
    person.go("/login")
    person.click(person.d.find_element(By.LINK_TEXT, "Forgot your password?"))
    assert person.path() == "/password/forgot", person.path()
    person.shot("password-forgot")
    person.fill("email", email)
    person.submit()
    assert "Check your email" in person.text()
    token = mail_link(server, email, "Reset your", "/password/reset")
    person.go(f"/password/reset?token={token}")
    person.shot("password-reset")
    person.fill("new_password", RESET_PASSWORD)
    person.submit()
    assert person.path().startswith("/login"), person.path()
    assert "Your password is set" in person.text()
    # The link works once.
    person.go(f"/password/reset?token={token}")
    person.fill("new_password", "one more passphrase")
    person.submit()
    assert "This link does not work" in person.text()
    assert person.status_of_last_page() == 400
    # A reset signs nobody in and skips no factor: the password, then the code.
    sign_in_password(person, email, RESET_PASSWORD)
    assert person.path() == "/login/mfa", person.path()
    person.fill("code", totp.code())
    person.submit()
    assert person.path() == "/account", person.path()


def change_address_and_header(server, person):
    """A long address keeps "Sign out" on one line at desktop width; changing the address
    from the account page (a link to the new address, confirmed on its page)."""
    register(person, LONG_EMAIL)
    person.go("/account/mfa/setup")
    secret = qr_secret(person)
    person.fill("code", Totp(secret).code())
    person.submit()  # the recovery codes page, with the signed-in header
    person.shot("recovery-codes-long-email")
    d = person.d
    d.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    )
    lines = d.execute_script(
        "const lines = (e) => { const r = document.createRange(); r.selectNodeContents(e);"
        " return new Set([...r.getClientRects()].map((c) => Math.round(c.top))).size; };"
        "return [lines(document.querySelector(\"header form[action='/logout'] button\")),"
        " lines(document.querySelector('header .brand-name'))];"
    )
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert lines == [1, 1], f"Sign out / the brand wrap beside a long address: {lines} lines"

    new = "margaret@example.com"
    person.go("/account")
    person.click(person.d.find_element(By.LINK_TEXT, "Change email address"))
    assert person.path() == "/account/email", person.path()
    person.shot("email-change")
    person.fill("new_email", new)
    person.submit()
    assert "A link is on its way to the new address" in person.text()
    token = mail_link(server, new, "Confirm your new email", "/email/verify")
    person.go(f"/email/verify?token={token}")
    person.submit("Confirm my address")
    assert "Your account now uses" in person.text() and new in person.text()
    person.go("/account")
    assert new in person.text() and person.testid("email-status").text == "confirmed"
    notice = wait_for_message(server, LONG_EMAIL, "email address was changed")
    assert new in notice.get_body(preferencelist=("plain",)).get_content(), "the old address is told"


def check_cross_site_post(server, person):
    """A form on another site posting to the pages is refused, and changes nothing."""
    evil_port = free_port()
    page = f"""<!doctype html><form id=f method=post action="{server.base}/account/password">
      <input name=csrf_token value=guess><input name=current_password value="{PASSWORD}">
      <input name=new_password value="attacker chosen password">
      <button id=go>Win a prize</button></form>"""

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            self.wfile.write(page.encode())

        def log_message(self, *args):
            pass

    evil = http.server.HTTPServer(("127.0.0.1", evil_port), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        person.d.get(f"http://127.0.0.1:{evil_port}/")
        person.click(person.d.find_element(By.ID, "go"))
        assert person.path() == "/account/password", person.d.current_url
        assert "refused" in person.text(), person.text()
        assert person.status_of_last_page() == 403
        person.shot("refused")
    finally:
        evil.shutdown()


def check_missing_token(person):
    """A same-site post without the anti-CSRF token is refused: still signed in after."""
    person.go("/account")
    person.d.execute_script(
        "const f = document.createElement('form'); f.method = 'post'; f.action = '/logout';"
        "document.body.appendChild(f); f.submit();"
    )
    for _ in range(100):
        if person.path() == "/logout":
            break
        time.sleep(0.05)
    assert "refused" in person.text()
    assert person.status_of_last_page() == 403
    person.go("/account")
    assert person.path() == "/account", "a post without the token must not sign out"


def passkeys(server):
    """FACTORS.md as a new user does it, in Chromium with a virtual authenticator (DevTools
    `WebAuthn` domain: CTAP2, internal transport, resident keys, user verification): register
    a passkey, sign out, sign in with the passkey alone, add an authenticator app, use the
    passkey as the second step after a password, remove the passkey. WebAuthn needs the
    origin the server names (`public_url`, by default http://localhost:<port>)."""
    driver = browser(javascript=True)
    person = Person(server, driver, base=f"http://localhost:{server.port}")
    try:
        driver.execute_cdp_cmd("WebAuthn.enable", {"enableUI": False})
        authenticator = driver.execute_cdp_cmd("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
            "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
        }})["authenticatorId"]
        register(person, "kim@example.com")
        person.click(person.testid("add-passkey"))
        assert person.path() == "/account/passkeys/add", person.path()
        person.fill("name", "Laptop")
        person.shot("passkey-add")
        person.click(person.testid("passkey-button"))
        # The first factor: MFA is on, and the recovery codes are shown once.
        codes = person.testid("recovery-codes").text.split("\n")
        assert len(codes) == 10, codes
        person.click(person.d.find_element(By.LINK_TEXT, "I saved my codes"))
        assert person.testid("mfa-status").text == "on"
        factors = person.d.find_elements(By.CSS_SELECTOR, "[data-testid='factor']")
        assert [f.get_attribute("data-factor-type") for f in factors] == ["passkey"]
        assert "Laptop" in factors[0].text
        stored = driver.execute_cdp_cmd("WebAuthn.getCredentials", {"authenticatorId": authenticator})
        assert len(stored["credentials"]) == 1 and stored["credentials"][0]["isResidentCredential"], stored

        # Sign out, then in with the passkey alone.
        sign_out(person)
        person.shot("login-passkey")
        person.click(person.testid("passkey-button"))
        assert person.path().startswith("/account"), (person.path(), person.text())
        assert person.testid("mfa-status").text == "on"

        # Add an authenticator app (the passkey sign-in was just now: no step-up asked).
        person.click(person.testid("add-authenticator"))
        assert person.path() == "/account/factors/totp", person.path()
        totp = Totp(qr_secret(person))
        person.shot("factor-totp-add")
        person.fill("name", "Phone")
        person.fill("code", totp.code())
        person.submit()
        assert person.path() == "/account?done=factor_added", person.path()
        types = [f.get_attribute("data-factor-type")
                 for f in person.d.find_elements(By.CSS_SELECTOR, "[data-testid='factor']")]
        assert sorted(types) == ["passkey", "totp"], types
        person.shot("account-factors")

        # A password sign-in offers the passkey as the second step.
        sign_out(person)
        sign_in_password(person, "kim@example.com")
        assert person.path().startswith("/login/mfa"), person.path()
        person.shot("login-mfa-passkey")
        person.click(person.testid("passkey-button"))
        assert person.path().startswith("/account"), (person.path(), person.text())

        # Remove the passkey (the first factor): the authenticator app remains, MFA stays on.
        passkey = next(f for f in person.d.find_elements(By.CSS_SELECTOR, "[data-testid='factor']")
                       if f.get_attribute("data-factor-type") == "passkey")
        person.click(passkey.find_element(By.CSS_SELECTOR, "[data-testid='remove-factor']"))
        assert person.path() == "/account?done=factor_removed", person.path()
        types = [f.get_attribute("data-factor-type")
                 for f in person.d.find_elements(By.CSS_SELECTOR, "[data-testid='factor']")]
        assert types == ["totp"], types
        assert person.testid("mfa-status").text == "on"
        sign_out(person)
        sign_in_password(person, "kim@example.com")
        assert not person.d.find_elements(By.CSS_SELECTOR, "[data-testid='passkey-button']"), \
            "no passkey is offered once it is removed"
        person.fill("code", totp.code())
        person.submit()
        assert person.path().startswith("/account"), person.path()
        person.fits()
    finally:
        driver.quit()


def main():
    SHOTS.mkdir(parents=True, exist_ok=True)
    server = Server()
    driver = browser(javascript=False)
    person = Person(server, driver)
    email = "ada@example.com"
    try:
        # Sign in and register pages, with a field error.
        person.go("/login")
        person.shot("login")
        person.shot("login", dark=True)
        person.fits()
        person.go("/register")
        person.fill("email", "not-an-email")
        person.fill("password", "short")
        person.submit()
        assert person.d.find_element(By.ID, "email-error").text, "the email error is beside the field"
        assert "8 characters" in person.d.find_element(By.ID, "password-error").text, "and the password's"
        assert person.status_of_last_page() == 400
        person.shot("register-error")
        register(person, email)
        person.shot("account-mfa-off")
        person.fits()

        totp, codes = enroll(person)
        person.shot("account")
        person.shot("account", dark=True)
        person.fits()

        # Sign out: nothing of the old session works, pages or API.
        old_cookies = person.cookie_header()
        assert server.api("GET", "/me", cookie=old_cookies)[0] == 200
        sign_out(person)
        assert "You are signed out" in person.text()
        assert server.api("GET", "/me", cookie=old_cookies)[0] == 401
        person.go("/account")
        assert person.path().startswith("/login"), "signed out: the account page asks to sign in"

        # Sign in with a code from the app (a wrong one first).
        sign_in_password(person, email)
        assert person.path() == "/login/mfa", person.path()
        person.shot("login-mfa")
        person.fill("code", "12345")
        person.submit()
        assert "6-digit" in person.d.find_element(By.ID, "code-error").text
        person.fill("code", totp.code())
        person.d.find_element(By.NAME, "remember_device").click()  # "Trust this browser"
        person.submit()
        assert person.path() == "/account", person.path()
        assert "Signed in with your password and a code from your app" in person.text()

        # The trusted browser skips the code until it is no longer trusted.
        sign_out(person)
        sign_in_password(person, email)
        assert person.path() == "/account", "a trusted browser skips the code"
        assert "Signed in with your password on a trusted browser" in person.text()
        person.shot("account-trusted")
        # Untrusting a browser needs a recent proof, and a session the trusted browser let
        # through has proven no factor itself: "Confirm it's you" first, then back.
        person.click(person.testid("untrust-device"))
        assert person.path().startswith("/account/step-up"), person.path()
        person.fill("code", totp.code())
        person.submit()
        assert person.path() == "/account", person.path()
        person.click(person.testid("untrust-device"))
        assert "asked for a code at its next sign-in" in person.text()
        assert not person.d.find_elements(By.CSS_SELECTOR, "[data-testid='untrust-device']")

        # Another session (through the API, with a recovery code), ended from the page.
        status, login = server.api("POST", "/auth/login", {"email": email, "password": PASSWORD})
        status, other = server.api(
            "POST", "/auth/verify-mfa", {"mfaChallengeToken": login["mfaChallengeToken"], "code": codes[0]}
        )
        assert status == 200, other
        person.go("/account")
        revoke = person.d.find_elements(By.CSS_SELECTOR, "[data-testid='revoke-session']")
        assert len(revoke) == 1, "one other session"
        assert "This browser" in person.text()
        person.click(revoke[0])
        assert "That session was signed out" in person.text()
        assert not person.d.find_elements(By.CSS_SELECTOR, "[data-testid='revoke-session']")
        assert server.api("POST", "/auth/refresh", {"refreshToken": other["refreshToken"]})[0] == 401
        assert server.api("GET", "/me", token=other["accessToken"])[0] == 401

        # Sign in with a recovery code (the link mentions it; the field is also `code`).
        sign_out(person)
        sign_in_password(person, email)
        link = person.d.find_element(By.PARTIAL_LINK_TEXT, "recovery code")
        person.click(link)
        assert person.path() == "/login/recovery"
        person.shot("login-recovery")
        person.fill("code", codes[1])
        person.submit()
        assert person.path() == "/account", person.path()
        assert "Signed in with a recovery code" in person.text()
        assert "8 of 10 recovery codes left" in person.text()

        # New recovery codes: the old ones stop working.
        person.click(person.d.find_element(By.LINK_TEXT, "Make new recovery codes"))
        person.shot("recovery-codes-regenerate")
        person.fill("code", totp.code())
        person.submit()
        new_codes = person.testid("recovery-codes").text.split("\n")
        assert len(new_codes) == 10 and not set(new_codes) & set(codes)
        status, login = server.api("POST", "/auth/login", {"email": email, "password": PASSWORD})
        assert server.api(
            "POST", "/auth/verify-mfa", {"mfaChallengeToken": login["mfaChallengeToken"], "code": codes[2]}
        )[0] == 401, "an old recovery code must not work after regeneration"

        # Change the password (a wrong current one first: the error is beside that field).
        person.go("/account/password")
        person.fill("current_password", "not my password")
        person.fill("new_password", NEW_PASSWORD)
        person.submit()
        assert "not right" in person.d.find_element(By.ID, "current_password-error").text
        assert person.status_of_last_page() == 401
        person.shot("password-error")
        person.fill("current_password", PASSWORD)
        person.fill("new_password", NEW_PASSWORD)
        person.submit()
        assert "Your password was changed" in person.text()
        assert server.api("POST", "/auth/login", {"email": email, "password": NEW_PASSWORD})[0] == 200

        # The cross-site rules.
        check_cross_site_post(server, person)
        assert server.api("POST", "/auth/login", {"email": email, "password": "attacker chosen password"})[0] == 401
        person.go("/account")
        assert person.path() == "/account", "still signed in after the refused post"

        email_flows(server, person, email, totp)

        # Turn MFA off (with a code from the app).
        person.click(person.d.find_element(By.LINK_TEXT, "Turn off"))
        person.shot("mfa-disable")
        person.fill("code", totp.code())
        person.submit()
        assert person.testid("mfa-status").text == "off"
        assert "Two-factor authentication turned off" in person.text()

        # return_to: home or an allowed origin only.
        sign_out(person)
        sign_in_password(person, email, RESET_PASSWORD, return_to="https://evil.example/steal")
        assert person.d.current_url.startswith(server.base + "/account"), person.d.current_url
        sign_out(person)
        sign_in_password(person, email, RESET_PASSWORD, return_to="/account/password")
        assert person.path() == "/account/password", person.path()

        # Locked after wrong codes: the 429 page says when to try again.
        sign_out(person)
        register(person, "grace@example.com")
        grace_totp, _ = enroll(person)
        sign_out(person)
        sign_in_password(person, "grace@example.com")
        wrong = "000000"
        for _ in range(4):
            person.fill("code", wrong)
            person.submit()
        assert person.status_of_last_page() == 429, person.status_of_last_page()
        assert re.search(r"Try again in \d+ (second|minute)", person.text()), person.text()
        person.shot("locked")
        person.go("/login")  # start over as someone else
        change_address_and_header(server, person)
    finally:
        driver.quit()

    # With JavaScript on: the copy button appears and the pages still fit at 320 px.
    driver = browser(javascript=True)
    person = Person(server, driver)
    try:
        register(person, "lin@example.com")
        check_missing_token(person)
        person.go("/account/mfa/setup")
        secret = qr_secret(person)
        person.fill("code", Totp(secret).code())
        person.submit()
        button = person.d.find_element(By.CSS_SELECTOR, "[data-copy='recovery-codes']")
        assert button.is_displayed() and button.text == "Copy codes"
        person.fits()
        passkeys(server)
    finally:
        driver.quit()
        server.stop()
    print(f"browser: every flow passed; screenshots in {SHOTS}")


if __name__ == "__main__":
    main()
