// @twofold/client against a real `twofold serve` (started by test/global-setup.ts).
import { readFileSync } from "node:fs";
import { describe, expect, inject, it, vi } from "vitest";
import { createClient, isMfaChallenge, memoryStorage, TwofoldError } from "../src/index.js";
// @ts-expect-error: a plain ES module without types
import { fetchDocument, renderTypes, SCHEMA_FILE } from "../../../scripts/schema.mjs";
import { Authenticator, failure, linkToken, PASSWORD, uniqueEmail } from "./helpers.js";

const baseUrl = inject("twofoldUrl");
const dataDir = inject("twofoldDataDir");

async function signedInClient() {
  const client = createClient({ baseUrl });
  const email = uniqueEmail();
  await client.register(email, PASSWORD);
  const result = await client.login(email, PASSWORD);
  expect(isMfaChallenge(result)).toBe(false);
  return { client, email };
}

describe("@twofold/client", () => {
  it("has types generated from the document the server serves (fails when stale)", async () => {
    const fresh = await renderTypes(await fetchDocument(baseUrl));
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(committed, "run `npm run generate` in clients/typescript").toBe(fresh);
  });

  it("lists and revokes the apps a person allowed (OpenID Connect grants)", async () => {
    const { client } = await signedInClient();
    expect(await client.grants.list()).toEqual({ grants: [] });
    expect(await failure(client.grants.revoke("no-such-client"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await failure(client.admin.listClients())).toMatchObject({ status: 403, code: "admin_required" });
  });

  it("proves the address and resets a forgotten password with the links it mails", async () => {
    const { client, email } = await signedInClient();
    expect((await client.me()).emailVerified).toBe(false);
    const verify = await linkToken(dataDir, email, "Confirm your email", "/email/verify");
    expect(await client.email.verify(verify)).toMatchObject({ email, emailVerified: true });
    expect((await client.me()).emailVerified).toBe(true);
    expect(await failure(client.email.resendVerification())).toMatchObject({ code: "email_already_verified" });
    expect(await client.email.notices()).toEqual({ newBrowser: true });
    expect(await client.email.setNotices({ newBrowser: false })).toEqual({ newBrowser: false });

    const stranger = createClient({ baseUrl });
    const known = await stranger.forgotPassword(email);
    expect(await stranger.forgotPassword(uniqueEmail())).toEqual(known);
    const reset = await linkToken(dataDir, email, "Reset your", "/password/reset");
    await stranger.resetPassword(reset, "a new long passphrase");
    expect(await failure(stranger.resetPassword(reset, "another passphrase"))).toMatchObject({
      status: 400,
      code: "invalid_token",
    });
    // Every session ended: the old client's tokens no longer work.
    expect(await failure(client.me())).toMatchObject({ status: 401 });
    await stranger.login(email, "a new long passphrase");
    expect((await stranger.me()).email).toBe(email);
  });

  it("registers, logs in and keeps the tokens", async () => {
    const { client, email } = await signedInClient();
    expect(client.signedIn).toBe(true);
    const me = await client.me();
    expect(me.email).toBe(email);
    expect(me.mfaEnabled).toBe(false);
    const { sessions } = await client.sessions.list();
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
  });

  it("runs the whole MFA life cycle", async () => {
    const { client, email } = await signedInClient();
    const setup = await client.mfa.setup("Laptop");
    expect(setup.otpauthUri).toContain(`secret=${setup.secret}`);
    expect(setup.qrCode.startsWith("data:image/svg+xml")).toBe(true);
    const app = new Authenticator(setup.secret);
    const { recoveryCodes } = await client.mfa.confirm(await app.code());
    expect(recoveryCodes).toHaveLength(10);
    const status = await client.mfa.status();
    expect(status).toMatchObject({ enabled: true, recoveryCodesRemaining: 10, deviceName: "Laptop" });

    await client.logout();
    expect(client.signedIn).toBe(false);
    const challenge = await client.login(email, PASSWORD);
    if (!isMfaChallenge(challenge)) throw new Error("MFA must be required");
    await client.verifyMfa(challenge.mfaChallengeToken, await app.code());
    expect((await client.me()).mfaEnabled).toBe(true);

    // A recovery code works once.
    await client.logout();
    const second = await client.login(email, PASSWORD);
    if (!isMfaChallenge(second)) throw new Error("MFA must be required");
    await client.verifyMfa(second.mfaChallengeToken, recoveryCodes[0]!);
    expect((await client.mfa.status()).recoveryCodesRemaining).toBe(9);

    const regenerated = await client.mfa.regenerateRecoveryCodes(await app.code());
    expect(regenerated.recoveryCodes).toHaveLength(10);
    await client.mfa.disable(regenerated.recoveryCodes[0]!);
    expect((await client.mfa.status()).enabled).toBe(false);
    const events = await client.audit({ limit: 50 });
    expect(events.events.map((e) => e.type)).toContain("auth.mfa.disabled");
  });

  it("manages several factors: another authenticator app, rename, delete", async () => {
    const { client, email } = await signedInClient();
    const setup = await client.mfa.setup();
    const first = new Authenticator(setup.secret);
    await client.mfa.confirm(await first.code());
    const pending = await client.factors.addTotp("Backup phone");
    const second = new Authenticator(pending.secret);
    const added = await client.factors.confirmTotp(pending.factorId, await second.code());
    expect(added).toMatchObject({ id: pending.factorId, type: "totp", name: "Backup phone" });
    const { factors } = await client.factors.list();
    expect(factors).toHaveLength(2);
    expect((await client.mfa.status()).factors).toEqual({ totp: 2, passkey: 0 });
    const renamed = await client.factors.rename(pending.factorId, "Tablet");
    expect(renamed.name).toBe("Tablet");

    // The second app signs in on its own.
    await client.logout();
    const challenge = await client.login(email, PASSWORD);
    if (!isMfaChallenge(challenge)) throw new Error("MFA must be required");
    await client.verifyMfa(challenge.mfaChallengeToken, await second.code());

    // Passkey registration options are WebAuthn's JSON form.
    const start = await client.factors.registerPasskeyStart("Laptop");
    expect(start.registrationId).toBeTruthy();
    expect((start.publicKey as { rp: { id: string } }).rp.id).toBe(new URL(baseUrl).hostname === "127.0.0.1" ? "localhost" : new URL(baseUrl).hostname);

    await client.factors.delete(pending.factorId);
    const missing = await failure(client.factors.delete(pending.factorId));
    expect(missing).toMatchObject({ status: 404, code: "not_found" });
    expect((await client.factors.list()).factors).toHaveLength(1);
  });

  it("throws typed errors, with retryAfter on a lock", async () => {
    const client = createClient({ baseUrl });
    const invalid = await client.register("not-an-email", PASSWORD).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(TwofoldError);
    expect(invalid).toMatchObject({ status: 400, code: "invalid_input" });
    expect((invalid as TwofoldError).details[0]?.field).toBe("email");

    const { client: user } = await signedInClient();
    const setup = await user.mfa.setup();
    const errors: TwofoldError[] = [];
    for (let i = 0; i < 4; i++) {
      errors.push(await failure(user.mfa.confirm("000000")));
    }
    expect(errors[0]).toMatchObject({ status: 400, code: "invalid_code" }); // API.md: 400 at setup
    const locked = errors[3]!;
    expect(locked).toBeInstanceOf(TwofoldError);
    expect(locked).toMatchObject({ status: 429, code: "too_many_attempts" });
    expect(locked.retryAfter).toBeGreaterThan(0);
    expect(setup.secret).toMatch(/^[A-Z2-7]+$/);

    const unreachable = createClient({ baseUrl: "http://127.0.0.1:9" });
    await expect(unreachable.health()).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("refreshes an expiring token once for concurrent calls", async () => {
    let offset = 0;
    const fetchSpy = vi.fn(globalThis.fetch);
    const client = createClient({ baseUrl, fetch: fetchSpy, now: () => Date.now() + offset });
    const email = uniqueEmail();
    await client.register(email, PASSWORD);
    await client.login(email, PASSWORD);
    const before = client.storage.get()!;
    offset = 2 * 3600 * 1000; // the client now sees the access token as expired
    const results = await Promise.all([client.me(), client.mfa.status(), client.sessions.list()]);
    expect(results[0].email).toBe(email);
    const refreshes = fetchSpy.mock.calls.filter(([url]) => String(url).endsWith("/auth/refresh"));
    expect(refreshes).toHaveLength(1);
    expect(client.storage.get()!.refreshToken).not.toBe(before.refreshToken);
    offset = 0;
    expect((await client.me()).email).toBe(email); // the session survived (no reuse detected)
  });

  it("retries once after a 401 with a refreshed token, and reports an ended session", async () => {
    const storage = memoryStorage();
    const expired = vi.fn();
    const client = createClient({ baseUrl, storage, onSessionExpired: expired });
    const email = uniqueEmail();
    await client.register(email, PASSWORD);
    await client.login(email, PASSWORD);
    const tokens = storage.get()!;
    storage.set({ ...tokens, accessToken: "not-a-valid-token" });
    expect((await client.me()).email).toBe(email);

    // Another client logs the session out: the next call cannot refresh.
    const other = createClient({ baseUrl, storage: memoryStorage() });
    other.storage.set(storage.get());
    await other.logout();
    const error = await client.me().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
    expect(expired).toHaveBeenCalledTimes(1);
    expect(client.signedIn).toBe(false);
  });

  it("steps up a session with the password, keeping the same session", async () => {
    const { client } = await signedInClient();
    const before = client.storage.get()!;
    const wrong = await failure(client.stepUp({ password: "not the password" }));
    expect(wrong).toMatchObject({ status: 401, code: "invalid_credentials" });
    await client.stepUp({ password: PASSWORD });
    const after = client.storage.get()!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    const sid = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).sid;
    expect(sid(after.accessToken)).toBe(sid(before.accessToken));
    expect((await client.sessions.list()).sessions).toHaveLength(1);
  });

  it("types every endpoint through request()", async () => {
    const { client } = await signedInClient();
    const health = await client.request("get", "/api/v1/healthz", { auth: false });
    expect(health).toBeTruthy();
    const { sessions } = await client.request("get", "/api/v1/sessions");
    const other = sessions.find((s) => !s.current);
    expect(other).toBeUndefined();
    const revoked = await client.request("post", "/api/v1/sessions/revoke-others", {});
    expect(revoked.revoked).toBe(0);
    const keys = await client.jwks();
    expect(keys.keys?.length).toBeGreaterThan(0);
    const denied = await failure(client.admin.listUsers());
    expect(denied).toMatchObject({ status: 403, code: "admin_required" });
  });
});
