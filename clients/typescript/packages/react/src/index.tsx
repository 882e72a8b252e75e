/**
 * `@twofold/react`: hooks over `@twofold/client` for the whole MFA life cycle.
 *
 * Wrap the app in `<TwofoldProvider client={createClient({ baseUrl })}>`. Action hooks
 * (`useLogin`, `useVerifyMfa`, `useMfaSetup`, `useMfaConfirm`/`useMfaEnable`,
 * `useRegenerateRecoveryCodes`, `useDisableMfa`...) return `{ run, data, error, loading,
 * reset }` plus a named alias of `run`; `error` is a typed `TwofoldError` (with
 * `retryAfter` on a lock). Query hooks (`useMfaStatus`, `useSessions`, `useMe`) load on
 * mount and return `{ data, error, loading, refetch }`.
 */
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import {
  TwofoldError,
  type AuthResponse,
  type LoginResult,
  type Me,
  type MfaSetup,
  type MfaStatus,
  type Session,
  type TwofoldClient,
} from "@twofold/client";

export { TwofoldError } from "@twofold/client";

const ClientContext = createContext<TwofoldClient | null>(null);

/** Makes `client` available to the hooks below it. */
export function TwofoldProvider(props: { client: TwofoldClient; children?: ReactNode }) {
  return createElement(ClientContext.Provider, { value: props.client }, props.children);
}

/** The client of the nearest {@link TwofoldProvider}. */
export function useTwofold(): TwofoldClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useTwofold: wrap your app in <TwofoldProvider client={...}>");
  return client;
}

/** Whether someone is signed in; re-renders on login, logout and an ended session. */
export function useSignedIn(): boolean {
  const client = useTwofold();
  return useSyncExternalStore(
    (onChange) => client.onTokensChange(onChange),
    () => client.signedIn,
    () => false,
  );
}

function asTwofoldError(e: unknown): TwofoldError {
  return e instanceof TwofoldError
    ? e
    : new TwofoldError({ status: 0, code: "client_error", message: e instanceof Error ? e.message : String(e) });
}

/** The state of an action hook. */
export interface Action<A extends unknown[], R> {
  /** Runs the action; resolves with its result, or rejects with a `TwofoldError`. */
  run: (...args: A) => Promise<R>;
  data: R | undefined;
  error: TwofoldError | undefined;
  loading: boolean;
  reset: () => void;
}

/** An action over the client: the building block of the hooks below. */
export function useAction<A extends unknown[], R>(
  action: (client: TwofoldClient, ...args: A) => Promise<R>,
): Action<A, R> {
  const client = useTwofold();
  const [state, setState] = useState<{ data?: R; error?: TwofoldError; loading: boolean }>({ loading: false });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const actionRef = useRef(action);
  actionRef.current = action;
  const run = useCallback(
    async (...args: A) => {
      setState((s) => ({ ...s, loading: true, error: undefined }));
      try {
        const data = await actionRef.current(client, ...args);
        if (mounted.current) setState({ data, loading: false });
        return data;
      } catch (e) {
        const error = asTwofoldError(e);
        if (mounted.current) setState({ error, loading: false });
        throw error;
      }
    },
    [client],
  );
  const reset = useCallback(() => setState({ loading: false }), []);
  return { run, data: state.data, error: state.error, loading: state.loading, reset };
}

/** The state of a query hook. */
export interface Query<R> {
  data: R | undefined;
  error: TwofoldError | undefined;
  loading: boolean;
  refetch: () => Promise<R | undefined>;
}

/** Loads `load` on mount (and on `refetch`). */
export function useQuery<R>(load: (client: TwofoldClient) => Promise<R>): Query<R> {
  const action = useAction(load);
  const { run } = action;
  const refetch = useCallback(() => run().catch(() => undefined), [run]);
  useEffect(() => {
    void refetch();
  }, [refetch]);
  return { data: action.data, error: action.error, loading: action.loading || (!action.data && !action.error), refetch };
}

/** Password login: `mfaRequired` and `challenge` when a second factor is needed. */
export function useLogin() {
  const action = useAction((client, email: string, password: string): Promise<LoginResult> =>
    client.login(email, password),
  );
  const challenge = action.data && "mfaChallengeToken" in action.data ? action.data : undefined;
  return { ...action, login: action.run, mfaRequired: challenge !== undefined, challenge };
}

/** The second step of a login: a code from the app or a recovery code. */
export function useVerifyMfa() {
  const action = useAction(
    (client, mfaChallengeToken: string, code: string, options?: { rememberDevice?: boolean }): Promise<AuthResponse> =>
      client.verifyMfa(mfaChallengeToken, code, options),
  );
  return { ...action, verify: action.run };
}

/** Proves the session again after a `step_up_required` error (`error.methods` says how). */
export function useStepUp() {
  const action = useAction((client, proof: { code: string } | { password: string }) => client.stepUp(proof));
  return { ...action, stepUp: action.run };
}

/** Creates an account. */
export function useRegister() {
  const action = useAction((client, email: string, password: string) => client.register(email, password));
  return { ...action, register: action.run };
}

/** Ends the session. */
export function useLogout() {
  const action = useAction((client) => client.logout());
  return { ...action, logout: action.run };
}

/** Starts enrollment: the secret, its `otpauth://` URI and a QR code (`data:` SVG). */
export function useMfaSetup() {
  const action = useAction((client, deviceName?: string): Promise<MfaSetup> => client.mfa.setup(deviceName));
  return { ...action, setup: action.run };
}

/** Confirms enrollment with a first code; resolves with the 10 recovery codes. */
export function useMfaConfirm() {
  const action = useAction((client, code: string, options?: { secret?: string; deviceName?: string }) =>
    client.mfa.confirm(code, options),
  );
  return { ...action, confirm: action.run, recoveryCodes: action.data?.recoveryCodes };
}

/** IdentSphere's name for {@link useMfaConfirm}. */
export const useMfaEnable = useMfaConfirm;

/** The MFA state of the signed-in person. */
export function useMfaStatus(): Query<MfaStatus> {
  return useQuery((client) => client.mfa.status());
}

/** Replaces the recovery codes (needs a current app code). */
export function useRegenerateRecoveryCodes() {
  const action = useAction((client, code: string) => client.mfa.regenerateRecoveryCodes(code));
  return { ...action, regenerate: action.run, recoveryCodes: action.data?.recoveryCodes };
}

/** Turns MFA off (an app code or a recovery code). */
export function useDisableMfa() {
  const action = useAction((client, code: string) => client.mfa.disable(code));
  return { ...action, disable: action.run };
}

/** The signed-in account. */
export function useMe(): Query<Me> {
  return useQuery((client) => client.me());
}

/** The person's sessions, with `revoke(id)` and `revokeOthers()` (both refetch). */
export function useSessions() {
  const query = useQuery(async (client): Promise<Session[]> => (await client.sessions.list()).sessions);
  const client = useTwofold();
  const { refetch } = query;
  const revoke = useCallback(
    async (id: string) => {
      await client.sessions.revoke(id);
      await refetch();
    },
    [client, refetch],
  );
  const revokeOthers = useCallback(async () => {
    const { revoked } = await client.sessions.revokeOthers();
    await refetch();
    return revoked;
  }, [client, refetch]);
  return { ...query, sessions: query.data, revoke, revokeOthers };
}
