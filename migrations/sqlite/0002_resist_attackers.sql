-- API 1.1: device tokens, per-account-key password guard, session details, disabled
-- accounts, and indexes for the background sweep. Existing rows are kept as they are.

-- Where and when a session was used (GET /sessions).
ALTER TABLE sessions ADD COLUMN last_used_at BIGINT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
UPDATE sessions SET last_used_at = created_at;
CREATE INDEX sessions_expires ON sessions(expires_at);

-- An account the operator has disabled cannot log in.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;

-- Device tokens (OWASP device cookies): only their keyed hash is stored.
CREATE TABLE device_tokens (
    token_hash  BLOB PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    -- Wrong passwords admitted under this token since its last success.
    failures    BIGINT NOT NULL DEFAULT 0,
    revoked_at  BIGINT
);
CREATE INDEX device_tokens_user ON device_tokens(user_id);
CREATE INDEX device_tokens_expires ON device_tokens(expires_at);

-- Untrusted password logins, counted per account key (a keyed hash of the normalized
-- email, whether or not the account exists). Replaces the per-user 'password' counter.
CREATE TABLE login_guards (
    account_key  BLOB PRIMARY KEY,
    failures     BIGINT NOT NULL DEFAULT 0,
    lockouts     BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL DEFAULT 0
);
DELETE FROM attempt_counters WHERE purpose = 'password';
-- verify-mfa checks the `login` lock inside the statement that spends the proof and refuses
-- when the counter row is missing; challenges create it from now on, this covers the
-- users enrolled before.
INSERT INTO attempt_counters (user_id, purpose)
    SELECT user_id, 'login' FROM totp_credentials WHERE true
    ON CONFLICT (user_id, purpose) DO NOTHING;

CREATE INDEX mfa_challenges_user ON mfa_challenges(user_id);
CREATE INDEX mfa_challenges_expires ON mfa_challenges(expires_at);
CREATE INDEX totp_pending_expires ON totp_pending(expires_at);
CREATE INDEX audit_events_at ON audit_events(at);

-- One statement starts a login: its session, first refresh token and device token, and
-- for an MFA login the consumption of its challenge (once, unexpired, the user's own; a
-- challenge that is gone aborts the statement). The hot path of login and verify-mfa.
CREATE VIEW new_logins AS SELECT
    s.id AS session_id, s.user_id, s.amr, s.created_at, s.expires_at, s.ip, s.user_agent,
    r.token_hash AS refresh_hash, d.token_hash AS device_hash, d.expires_at AS device_expires_at,
    c.token_hash AS challenge_hash
FROM sessions s, refresh_tokens r, device_tokens d, mfa_challenges c WHERE 0;
CREATE TRIGGER new_logins_insert INSTEAD OF INSERT ON new_logins BEGIN
    UPDATE mfa_challenges SET consumed_at = NEW.created_at
        WHERE NEW.challenge_hash IS NOT NULL AND token_hash = NEW.challenge_hash
          AND user_id = NEW.user_id AND consumed_at IS NULL AND expires_at > NEW.created_at;
    SELECT RAISE(ABORT, 'twofold: challenge gone')
        WHERE NEW.challenge_hash IS NOT NULL AND changes() = 0;
    INSERT INTO sessions (id, user_id, amr, created_at, expires_at, last_used_at, ip, user_agent)
        VALUES (NEW.session_id, NEW.user_id, NEW.amr, NEW.created_at, NEW.expires_at,
                NEW.created_at, NEW.ip, NEW.user_agent);
    INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at)
        VALUES (NEW.refresh_hash, NEW.session_id, NEW.created_at, NEW.expires_at);
    INSERT INTO device_tokens (token_hash, user_id, created_at, expires_at)
        VALUES (NEW.device_hash, NEW.user_id, NEW.created_at, NEW.device_expires_at);
END;
