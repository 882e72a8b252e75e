-- Several factors per user (FACTORS.md): TOTP authenticators and passkeys. MFA is on while
-- the user has at least one factor. Each TOTP factor has its own sealed secret and replay
-- guard (`last_step`); `users.totp_last_step` now keeps the highest step any of the
-- user's deleted factors accepted: the floor a new enrollment's code must be above.
CREATE TABLE mfa_factors (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type          TEXT NOT NULL CHECK (type IN ('totp', 'passkey')),
    name          TEXT,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    -- TOTP: the secret sealed under master key `key_id`, the last accepted step.
    key_id        BIGINT,
    sealed_secret BLOB,
    last_step     BIGINT NOT NULL DEFAULT -1,
    -- Passkey: the credential id (base64url), the verified credential (webauthn-rs JSON:
    -- public key, flags) and the signature counter last accepted.
    credential_id TEXT UNIQUE,
    credential    TEXT,
    sign_count    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mfa_factors_user ON mfa_factors(user_id);

INSERT INTO mfa_factors (id, user_id, type, name, created_at, key_id, sealed_secret, last_step)
    SELECT lower(hex(randomblob(16))), t.user_id, 'totp', t.device_name, t.enabled_at, t.key_id, t.sealed_secret,
           u.totp_last_step
    FROM totp_credentials t JOIN users u ON u.id = t.user_id;
DROP TABLE totp_credentials;

-- A pending TOTP enrollment names the factor it will become.
ALTER TABLE totp_pending ADD COLUMN factor_id TEXT;

-- WebAuthn ceremonies in progress (registration, second factor, step-up, passwordless):
-- the library's state, keyed by the hash of the token the client holds, single use and
-- spent in the transaction that accepts the answer.
CREATE TABLE webauthn_ceremonies (
    token_hash  BLOB PRIMARY KEY,
    user_id     TEXT REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    name        TEXT,
    state       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX webauthn_ceremonies_expires ON webauthn_ceremonies(expires_at);
