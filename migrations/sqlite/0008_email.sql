-- Email (EMAIL.md): proven addresses, link tokens, the mail outbox and the one notice a
-- person may switch off. Existing accounts start unverified, with every notice on.

-- When the current address was proven (a verification or address-change link followed).
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
-- 1: tell the person about a sign-in from a browser the account never had; 0: don't.
ALTER TABLE users ADD COLUMN notify_new_browser BIGINT NOT NULL DEFAULT 1;
-- A login's password step remembers whether it came from a browser the account never had,
-- so that the sign-in it completes can say so.
ALTER TABLE mfa_challenges ADD COLUMN new_browser BIGINT NOT NULL DEFAULT 0;

-- Single-use links: only the keyed hash of the token is kept, bound to one user, one
-- purpose (verify, reset, change) and the address it was sent to.
CREATE TABLE email_tokens (
    token_hash  BLOB PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    email       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    spent_at    BIGINT,
    -- 0 for the link a registration sends: the limits are on links asked for afterwards.
    counted     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX email_tokens_user ON email_tokens(user_id, purpose, created_at);
CREATE INDEX email_tokens_expires ON email_tokens(expires_at);

-- Messages waiting to be sent, written in the transaction of the change that caused them.
-- `data` holds what the message says (never a token: a link is rebuilt from `link_id` and
-- a server key at sending time).
CREATE TABLE mail_outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    user_id         TEXT,
    to_address      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    data            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_created ON mail_outbox(created_at);
