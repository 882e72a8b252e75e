-- Operations: admin roles, signing-key rotation, versioned master keys, webhook outbox.

-- Space-separated roles granted by the CLI (`twofold admin grant`): today only `admin`.
ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '';

-- A signing key stops signing when a newer one becomes current (`keys rotate-signing`);
-- it stays in the JWKS until every token it signed has expired.
ALTER TABLE signing_keys ADD COLUMN retired_at BIGINT;

-- One row per master key this database has been sealed under; `check_value` is a known
-- text sealed under it, so a wrong key is told apart from a damaged row. The newest is
-- current. Databases made before this migration were sealed under key id 1.
CREATE TABLE master_keys (
    key_id      BIGINT PRIMARY KEY,
    check_value BYTEA NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Keys of the first master key that are kept across master-key rotations (the token HMAC
-- key and the recovery-code pepper), sealed under the current master key.
CREATE TABLE carried_keys (
    purpose  TEXT PRIMARY KEY,
    key_id   BIGINT NOT NULL,
    sealed   BYTEA NOT NULL
);

-- Security events waiting to be POSTed to `webhook_url`, written in the transaction of the
-- change that caused them; delivered in `seq` order per user.
CREATE TABLE webhook_outbox (
    seq             BIGSERIAL PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    user_id         TEXT,
    email           TEXT,
    type            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    data            TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX webhook_outbox_pending ON webhook_outbox(user_id, seq)
    WHERE delivered_at IS NULL AND failed_at IS NULL;

CREATE INDEX audit_events_type ON audit_events(type, id);
CREATE INDEX users_email_prefix ON users(email text_pattern_ops);
