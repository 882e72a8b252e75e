-- twofold as an OpenID Provider (OIDC.md): an RSA signing key beside the Ed25519 one,
-- registered clients, authorization requests waiting for a sign-in, single-use codes,
-- remembered consent, and back-channel logout messages.

-- `EdDSA` (seed of an Ed25519 key) or `RS256` (PKCS#8 DER of an RSA key), both sealed.
ALTER TABLE signing_keys ADD COLUMN alg TEXT NOT NULL DEFAULT 'EdDSA';

-- A session a client holds (the tokens of one authorization) is the child of the browser
-- session that signed in: ending that one ends its children (trigger below).
ALTER TABLE sessions ADD COLUMN client_id TEXT;
ALTER TABLE sessions ADD COLUMN parent_id TEXT;
-- The scopes the client was granted (space-separated).
ALTER TABLE sessions ADD COLUMN scope TEXT;
CREATE INDEX sessions_parent ON sessions(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX sessions_client ON sessions(client_id, user_id) WHERE client_id IS NOT NULL;

CREATE TABLE oauth_clients (
    id                        TEXT PRIMARY KEY,
    name                      TEXT NOT NULL,
    -- Keyed hash (the tokens' HMAC key) of the secret; NULL for a public client.
    secret_hash               BLOB,
    -- JSON arrays of exact URIs.
    redirect_uris             TEXT NOT NULL,
    post_logout_redirect_uris TEXT NOT NULL,
    backchannel_logout_uri    TEXT,
    first_party               BIGINT NOT NULL DEFAULT 0,
    require_mfa               BIGINT NOT NULL DEFAULT 0,
    -- Space-separated scopes the client may ask for.
    scopes                    TEXT NOT NULL,
    id_token_alg              TEXT NOT NULL,
    created_at                BIGINT NOT NULL,
    secret_rotated_at         BIGINT
);

-- A validated authorization request while the person signs in (JSON in `data`).
CREATE TABLE oauth_requests (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
    data        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX oauth_requests_expires ON oauth_requests(expires_at);

-- Authorization codes: only their keyed hash; `session_id` is the session their exchange
-- started (revoked when the code comes back a second time).
CREATE TABLE oauth_codes (
    code_hash   BLOB PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    data        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    spent_at    BIGINT,
    session_id  TEXT
);
CREATE INDEX oauth_codes_expires ON oauth_codes(expires_at);

-- Consent: what a person allowed a client to see.
CREATE TABLE oauth_grants (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id   TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
    scopes      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

-- Back-channel logout tokens to POST, written by the trigger below in the transaction that
-- ended the session, whatever ended it.
CREATE TABLE logout_outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id       TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    session_id      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX logout_outbox_due ON logout_outbox(next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE TRIGGER sessions_end_children AFTER UPDATE OF revoked_at ON sessions
WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
BEGIN
    UPDATE sessions SET revoked_at = NEW.revoked_at
     WHERE parent_id = NEW.id AND revoked_at IS NULL;
END;

CREATE TRIGGER sessions_backchannel_logout AFTER UPDATE OF revoked_at ON sessions
WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL AND NEW.client_id IS NOT NULL
BEGIN
    INSERT INTO logout_outbox (client_id, user_id, session_id, created_at, next_attempt_at)
    SELECT c.id, NEW.user_id, NEW.id, NEW.revoked_at, NEW.revoked_at
      FROM oauth_clients c WHERE c.id = NEW.client_id AND c.backchannel_logout_uri IS NOT NULL;
END;
