// openid-client (panva, v6) as the relying party of a public, first-party client, against a
// running twofold. Driven by tests/oidc/run.py, which owns the browser: this process speaks
// line-delimited JSON.
//
//   node rp_openid_client.mjs ISSUER CLIENT_ID REDIRECT_URI POST_LOGOUT_REDIRECT_URI
//
// stdout, one JSON object a line:
//   {"log": "..."}                   progress, printed by run.py
//   {"authorize": "<url>"}           run.py opens it in the browser and signs the person in
//   {"result": {...}}                everything run.py asserts; then this process exits 0
//   {"error": {...}}                 something failed; then this process exits 1
// stdin, one JSON object a line:
//   {"callback": "<the full callback URL the browser landed on, with its query>"}
import * as client from "openid-client";
import { createInterface } from "node:readline";

const [issuer, clientId, redirectUri, postLogoutRedirectUri] = process.argv.slice(2);
if (!postLogoutRedirectUri) {
  console.error("usage: node rp_openid_client.mjs ISSUER CLIENT_ID REDIRECT_URI POST_LOGOUT_REDIRECT_URI");
  process.exit(2);
}

const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const log = (text) => send({ log: text });
const incoming = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function receive(key) {
  const { value, done } = await incoming.next();
  if (done) throw new Error(`standard input closed while waiting for "${key}"`);
  const message = JSON.parse(value);
  if (!(key in message)) throw new Error(`expected "${key}", got ${value}`);
  return message[key];
}

/** What an error of openid-client / oauth4webapi says, as plain JSON. */
function describe(error) {
  return {
    name: error?.name,
    code: error?.code,
    error: error?.error ?? error?.cause?.error,
    status: error?.status ?? error?.response?.status ?? error?.cause?.status,
    message: String(error?.message ?? error),
  };
}

/** null when `action` succeeds, else what its error says (for the refusals run.py checks). */
async function refusal(action) {
  try {
    await action();
    return null;
  } catch (error) {
    return describe(error);
  }
}

function header(jwt) {
  return JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString("utf8"));
}

async function main() {
  // Discovery; http is allowed for the loopback issuer; ID token signatures are verified
  // against the JWKS (openid-client skips that by default for TLS-protected token responses).
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
  });
  const metadata = config.serverMetadata();
  log(`discovered ${metadata.issuer}`);

  const codeVerifier = client.randomPKCECodeVerifier();
  const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorize = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid email profile offline_access",
    code_challenge: codeChallenge,
    code_challenge_method: "S256",
    state,
    nonce,
  });
  send({ authorize: authorize.href });

  const callback = await receive("callback");
  // Checks state, the `iss` response parameter (RFC 9207), exchanges the code with the
  // verifier, verifies the ID token (signature, iss, aud, exp, nonce).
  const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  log(`code exchanged: sub ${claims.sub}, acr ${claims.acr}, amr ${JSON.stringify(claims.amr)}`);

  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  log("userinfo fetched");

  if (!tokens.refresh_token) throw new Error("no refresh token with scope offline_access");
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  const refreshedUserinfo = await client.fetchUserInfo(config, refreshed.access_token, claims.sub);
  log("refreshed");

  // Revocation (RFC 7009) of the refreshed tokens: the access token stops at once, and so
  // does the refresh token.
  await client.tokenRevocation(config, refreshed.access_token, { token_type_hint: "access_token" });
  const userinfoAfterRevoke = await refusal(() =>
    client.fetchUserInfo(config, refreshed.access_token, claims.sub),
  );
  await client.tokenRevocation(config, refreshed.refresh_token, { token_type_hint: "refresh_token" });
  const refreshAfterRevoke = await refusal(() => client.refreshTokenGrant(config, refreshed.refresh_token));
  log("revoked");

  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: postLogoutRedirectUri,
    state: "openid-client-bye",
  });

  send({
    result: {
      issuer: metadata.issuer,
      claims,
      idTokenHeader: header(tokens.id_token),
      accessTokenHeader: header(tokens.access_token),
      tokenType: tokens.token_type,
      scope: tokens.scope ?? null,
      userinfo,
      refreshed: Boolean(refreshed.access_token),
      refreshRotated: Boolean(refreshed.refresh_token) && refreshed.refresh_token !== tokens.refresh_token,
      refreshedIdTokenSub: refreshed.id_token ? refreshed.claims().sub : null,
      refreshedUserinfoSub: refreshedUserinfo.sub,
      userinfoAfterRevoke,
      refreshAfterRevoke,
      endSession: endSession.href,
    },
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    send({ error: { ...describe(error), stack: error?.stack } });
    process.exit(1);
  },
);
