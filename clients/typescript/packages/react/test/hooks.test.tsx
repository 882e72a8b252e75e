// @vitest-environment jsdom
// @twofold/react in jsdom with Testing Library, against the real server of the run.
import { act, cleanup, fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import { createClient, type TwofoldClient } from "@twofold/client";
import { useState, type ReactNode } from "react";
import { afterEach, describe, expect, inject, it } from "vitest";
import {
  TwofoldError,
  TwofoldProvider,
  useDisableMfa,
  useLogin,
  useLogout,
  useMfaEnable,
  useMfaSetup,
  useMfaStatus,
  useRegenerateRecoveryCodes,
  useSessions,
  useSignedIn,
  useVerifyMfa,
} from "../src/index.js";
import { Authenticator, PASSWORD, uniqueEmail } from "../../client/test/helpers.js";

const baseUrl = inject("twofoldUrl");

afterEach(cleanup);

function wrapperFor(client: TwofoldClient) {
  return ({ children }: { children?: ReactNode }) => <TwofoldProvider client={client}>{children}</TwofoldProvider>;
}

function useEverything() {
  return {
    signedIn: useSignedIn(),
    login: useLogin(),
    verify: useVerifyMfa(),
    logout: useLogout(),
    setup: useMfaSetup(),
    enable: useMfaEnable(),
    regenerate: useRegenerateRecoveryCodes(),
    disable: useDisableMfa(),
  };
}

describe("@twofold/react hooks", () => {
  it("run the whole MFA life cycle", async () => {
    const client = createClient({ baseUrl });
    const email = uniqueEmail();
    await client.register(email, PASSWORD);
    const { result } = renderHook(useEverything, { wrapper: wrapperFor(client) });
    expect(result.current.signedIn).toBe(false);

    await act(() => result.current.login.login(email, PASSWORD));
    expect(result.current.signedIn).toBe(true);
    expect(result.current.login.mfaRequired).toBe(false);

    const setup = await act(() => result.current.setup.setup("Phone"));
    expect(result.current.setup.data?.secret).toBe(setup.secret);
    const app = new Authenticator(setup.secret);

    // A wrong code: a typed error in the hook's state.
    await act(() => result.current.enable.confirm("000000").catch(() => undefined));
    expect(result.current.enable.error).toBeInstanceOf(TwofoldError);
    expect(result.current.enable.error?.code).toBe("invalid_code");

    const code = await app.code();
    await act(() => result.current.enable.confirm(code));
    expect(result.current.enable.error).toBeUndefined();
    expect(result.current.enable.recoveryCodes).toHaveLength(10);
    const recoveryCodes = result.current.enable.recoveryCodes!;

    await act(() => result.current.logout.logout());
    expect(result.current.signedIn).toBe(false);
    await act(() => result.current.login.login(email, PASSWORD));
    expect(result.current.login.mfaRequired).toBe(true);
    expect(result.current.signedIn).toBe(false);
    const challenge = result.current.login.challenge!.mfaChallengeToken;
    const loginCode = await app.code();
    await act(() => result.current.verify.verify(challenge, loginCode));
    expect(result.current.signedIn).toBe(true);

    const regenCode = await app.code();
    await act(() => result.current.regenerate.regenerate(regenCode));
    expect(result.current.regenerate.recoveryCodes).toHaveLength(10);
    expect(result.current.regenerate.recoveryCodes).not.toContain(recoveryCodes[0]);

    await act(() => result.current.disable.disable(result.current.regenerate.recoveryCodes![0]!));
    expect(result.current.disable.error).toBeUndefined();
    expect((await client.mfa.status()).enabled).toBe(false);
  });

  it("load the MFA status and the sessions, and revoke one", async () => {
    const client = createClient({ baseUrl });
    const email = uniqueEmail();
    await client.register(email, PASSWORD);
    await client.login(email, PASSWORD);
    const elsewhere = createClient({ baseUrl });
    await elsewhere.login(email, PASSWORD);

    const { result } = renderHook(() => ({ status: useMfaStatus(), sessions: useSessions() }), {
      wrapper: wrapperFor(client),
    });
    await waitFor(() => expect(result.current.status.loading).toBe(false));
    expect(result.current.status.data).toMatchObject({ enabled: false, pendingSetup: false });
    await waitFor(() => expect(result.current.sessions.sessions).toHaveLength(2));
    const other = result.current.sessions.sessions!.find((s) => !s.current)!;
    await act(() => result.current.sessions.revoke(other.id));
    expect(result.current.sessions.sessions).toHaveLength(1);
    await expect(elsewhere.me()).rejects.toMatchObject({ status: 401 });
  });

  it("show a lock's retryAfter", async () => {
    const client = createClient({ baseUrl });
    const email = uniqueEmail();
    await client.register(email, PASSWORD);
    await client.login(email, PASSWORD);
    const { secret } = await client.mfa.setup();
    await client.mfa.confirm(await new Authenticator(secret).code());
    await client.logout();

    const { result } = renderHook(() => ({ login: useLogin(), verify: useVerifyMfa() }), {
      wrapper: wrapperFor(client),
    });
    await act(() => result.current.login.login(email, PASSWORD));
    const challenge = result.current.login.challenge!.mfaChallengeToken;
    for (let i = 0; i < 4; i++) {
      await act(() => result.current.verify.verify(challenge, "000000").catch(() => undefined));
    }
    expect(result.current.verify.error).toMatchObject({ status: 429, code: "too_many_attempts" });
    expect(result.current.verify.error?.retryAfter).toBeGreaterThan(0);
  });
});

// The README's example, as a component a person clicks through.
function Enroll() {
  const { setup, data } = useMfaSetup();
  const { confirm, recoveryCodes, error } = useMfaEnable();
  const [code, setCode] = useState("");
  if (recoveryCodes) return <pre aria-label="recovery codes">{recoveryCodes.join("\n")}</pre>;
  if (!data) return <button onClick={() => setup()}>Set up two-factor</button>;
  return (
    <form onSubmit={(e) => { e.preventDefault(); void confirm(code).catch(() => {}); }}>
      <img src={data.qrCode} alt="QR code" />
      <code>{data.secret}</code>
      <input aria-label="code" value={code} onChange={(e) => setCode(e.target.value)} />
      {error && <p role="alert">{error.message}</p>}
      <button type="submit">Turn on</button>
    </form>
  );
}

describe("the README example", () => {
  it("enrolls through the rendered component", async () => {
    const client = createClient({ baseUrl });
    const email = uniqueEmail();
    await client.register(email, PASSWORD);
    await client.login(email, PASSWORD);
    render(<TwofoldProvider client={client}><Enroll /></TwofoldProvider>);
    fireEvent.click(screen.getByText("Set up two-factor"));
    const secret = (await screen.findByText(/^[A-Z2-7]{16,}$/)).textContent!;
    expect(screen.getByAltText("QR code").getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    fireEvent.change(screen.getByLabelText("code"), { target: { value: "000000" } });
    fireEvent.click(screen.getByText("Turn on"));
    expect(await screen.findByRole("alert")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("code"), { target: { value: await new Authenticator(secret).code() } });
    fireEvent.click(screen.getByText("Turn on"));
    const codes = await screen.findByLabelText("recovery codes");
    expect(codes.textContent!.split("\n")).toHaveLength(10);
  });
});
