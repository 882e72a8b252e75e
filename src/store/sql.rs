//! The SQL of the store, written once for both backends: SQLite accepts PostgreSQL's `$N`
//! placeholders, `ON CONFLICT` and `RETURNING`, so each statement is one `const`.

pub(super) const USER_COLUMNS: &str = "SELECT u.id, u.email, u.password_hash, u.created_at, \
     u.disabled_at, u.roles, u.email_verified_at, u.notify_new_browser, \
     (SELECT MIN(f.created_at) FROM mfa_factors f WHERE f.user_id = u.id) AS mfa_enabled_at, \
     (SELECT COUNT(*) FROM mfa_factors f WHERE f.user_id = u.id AND f.type = 'passkey') AS passkeys \
     FROM users u";
pub(super) const INSERT_USER: &str =
    "INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)";
/// `INSERT INTO audit_events ... VALUES (...), (...)` for `rows` events.
pub(super) fn audit_insert_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let b = r * 6;
            format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            )
        })
        .collect();
    format!(
        "INSERT INTO audit_events (user_id, type, at, ip, user_agent, details) VALUES {}",
        values.join(", ")
    )
}
/// A webhook event in the outbox, with the user's email as it is now; due at once.
pub(super) const INSERT_OUTBOX: &str = "INSERT INTO webhook_outbox \
     (id, user_id, email, type, created_at, data, next_attempt_at) \
     VALUES ($1, $2, (SELECT email FROM users WHERE id = $2), $3, $4, $5, $4)";
/// Queues the notice of an audit event for the user `$2` (at `$3`, else the user's
/// address), unless it is optional (`$7` = 1) and the user switched it off.
pub(super) const INSERT_NOTICE: &str = "INSERT INTO mail_outbox \
     (id, user_id, to_address, kind, data, created_at, next_attempt_at) \
     SELECT $1, u.id, COALESCE(CAST($3 AS TEXT), u.email), $4, $5, $6, $6 FROM users u \
     WHERE u.id = $2 AND (CAST($7 AS BIGINT) = 0 OR u.notify_new_browser = 1)";
pub(super) const SELECT_AUDIT: &str =
    "SELECT id, user_id, type, at, ip, user_agent, details FROM audit_events \
     WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
pub(super) const INSERT_SIGNING_KEY: &str =
    "INSERT INTO signing_keys (id, kid, key_id, sealed_seed, created_at, alg) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING";
pub(super) const SELECT_SIGNING_KEYS: &str =
    "SELECT id, kid, key_id, sealed_seed, created_at, alg, retired_at FROM signing_keys ORDER BY id DESC";
pub(super) const INSERT_SESSION: &str =
    "INSERT INTO sessions (id, user_id, amr, created_at, expires_at, last_used_at, ip, user_agent, auth_time) \
     VALUES ($1, $2, $3, $4, $5, $4, $6, $7, $4)";
pub(super) const SELECT_SESSION: &str = concat!(
    "SELECT ",
    "s.id, s.user_id, s.amr, s.created_at, s.expires_at, s.revoked_at, s.last_used_at, s.ip, s.user_agent, \
         COALESCE(s.auth_time, s.created_at) AS auth_time",
    " FROM sessions s WHERE s.id = $1"
);
/// The live sessions of a user, newest first.
pub(super) const SELECT_USER_SESSIONS: &str = concat!(
    "SELECT ",
    "s.id, s.user_id, s.amr, s.created_at, s.expires_at, s.revoked_at, s.last_used_at, s.ip, s.user_agent, \
         COALESCE(s.auth_time, s.created_at) AS auth_time",
    " FROM sessions s WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 \
     ORDER BY s.created_at DESC, s.id DESC"
);
pub(super) const REVOKE_USER_SESSION: &str = "UPDATE sessions SET revoked_at = $3 \
     WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3";
/// Every live session of a user but `$2` (which may name none).
pub(super) const REVOKE_OTHER_SESSIONS: &str = "UPDATE sessions SET revoked_at = $3 \
     WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL AND expires_at > $3";
/// Every live session of a user.
pub(super) const REVOKE_ALL: &str = "UPDATE sessions SET revoked_at = $2 \
     WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2";
pub(super) const TOUCH_SESSION: &str =
    "UPDATE sessions SET last_used_at = $2, ip = $3, user_agent = $4 WHERE id = $1";
pub(super) const UPDATE_PASSWORD: &str = "UPDATE users SET password_hash = $2 WHERE id = $1";
pub(super) const INSERT_REFRESH: &str =
    "INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) \
     VALUES ($1, $2, $3, $4)";
pub(super) const USE_REFRESH: &str = "UPDATE refresh_tokens SET used_at = $2 \
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
pub(super) const SESSION_OF_REFRESH: &str = concat!(
    "SELECT ",
    "s.id, s.user_id, s.amr, s.created_at, s.expires_at, s.revoked_at, s.last_used_at, s.ip, s.user_agent, \
         COALESCE(s.auth_time, s.created_at) AS auth_time",
    ", (SELECT u.roles FROM users u WHERE u.id = s.user_id) AS roles",
    ", (SELECT u.email_verified_at FROM users u WHERE u.id = s.user_id) AS email_verified_at",
    " FROM sessions s JOIN refresh_tokens r ON r.session_id = s.id WHERE r.token_hash = $1"
);
pub(super) const USED_REFRESH: &str = "SELECT s.id, s.user_id FROM refresh_tokens r \
     JOIN sessions s ON s.id = r.session_id WHERE r.token_hash = $1 AND r.used_at IS NOT NULL";
/// Trusts device token `$1` for MFA as `$2` until `$3`.
pub(super) const TRUST_DEVICE: &str =
    "UPDATE device_tokens SET id = $2, mfa_trusted_until = $3 WHERE token_hash = $1";
/// Takes the user's row lock while the user `$1` is not disabled (no row: disabled); a
/// disable's `UPDATE users` and this one run one after the other.
pub(super) const LOCK_ACTIVE_USER: &str =
    "UPDATE users SET disabled_at = disabled_at WHERE id = $1 AND disabled_at IS NULL";
/// Takes the live trust of device token `$1` at `$2` to move it to a newer token: of two
/// logins presenting it at once, one takes it.
pub(super) const TAKE_TRUST: &str = "UPDATE device_tokens SET mfa_trusted_until = NULL \
     WHERE token_hash = $1 AND mfa_trusted_until > $2 AND revoked_at IS NULL";
/// Ends the trust of device token `$1` (its trust moved to a newer token).
pub(super) const UNTRUST_DEVICE: &str =
    "UPDATE device_tokens SET mfa_trusted_until = NULL WHERE token_hash = $1";
/// Ends the trust of every browser of user `$1` (MFA off or reset, password changed).
pub(super) const UNTRUST_USER_DEVICES: &str = "UPDATE device_tokens SET mfa_trusted_until = NULL \
     WHERE user_id = $1 AND mfa_trusted_until IS NOT NULL";
/// Ends the trust of the user `$1`'s browser `$2`.
pub(super) const UNTRUST_DEVICE_ID: &str = "UPDATE device_tokens SET mfa_trusted_until = NULL \
     WHERE user_id = $1 AND id = $2 AND mfa_trusted_until IS NOT NULL";
pub(super) const SELECT_DEVICE_TRUST: &str = "SELECT id, mfa_trusted_until FROM device_tokens \
     WHERE token_hash = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3 \
     AND mfa_trusted_until > $3 AND id IS NOT NULL";
pub(super) const SELECT_TRUSTED_DEVICES: &str =
    "SELECT id, created_at, mfa_trusted_until AS trusted_until \
     FROM device_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 \
     AND mfa_trusted_until > $2 AND id IS NOT NULL ORDER BY created_at DESC";
/// A step-up: the live session `$1` of user `$2` proved itself again at `$3` with `$4`.
pub(super) const STEP_UP_SESSION: &str = "UPDATE sessions SET auth_time = $3, amr = $4 \
     WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3";
/// Spends every unused refresh token of session `$1` (a step-up hands out a new one).
pub(super) const RETIRE_REFRESH: &str =
    "UPDATE refresh_tokens SET used_at = $2 WHERE session_id = $1 AND used_at IS NULL";
pub(super) const REVOKE_SESSION: &str =
    "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
pub(super) const SELECT_LOCK: &str =
    "SELECT locked_until FROM attempt_counters WHERE user_id = $1 AND purpose = $2";
/// Creates the counter row if needed and takes its row lock (PostgreSQL) or the write
/// lock (SQLite), returning the current state: the read of a read-modify-write that no
/// concurrent failure can interleave with.
pub(super) const LOCK_COUNTER: &str =
    "INSERT INTO attempt_counters (user_id, purpose) VALUES ($1, $2) \
     ON CONFLICT (user_id, purpose) DO UPDATE SET failures = attempt_counters.failures \
     RETURNING failures, lockouts, locked_until";
/// Admits one code attempt of purpose `$2`, counting it before any hashing: no row comes
/// back while the purpose is locked at `$3` or `$4` failures are already counted.
pub(super) const ADMIT_CODE: &str = "INSERT INTO attempt_counters (user_id, purpose, failures) \
     VALUES ($1, $2, 1) ON CONFLICT (user_id, purpose) DO UPDATE \
     SET failures = attempt_counters.failures + 1 \
     WHERE attempt_counters.locked_until <= $3 AND attempt_counters.failures < $4 \
     RETURNING failures";
pub(super) const UPDATE_COUNTER: &str =
    "UPDATE attempt_counters SET failures = $3, lockouts = $4, locked_until = $5 \
     WHERE user_id = $1 AND purpose = $2";
pub(super) const RESET_COUNTER: &str =
    "UPDATE attempt_counters SET failures = 0, lockouts = 0, locked_until = 0 \
     WHERE user_id = $1 AND purpose = $2 AND (failures <> 0 OR lockouts <> 0 OR locked_until <> 0)";

/// Takes the user's row lock (PostgreSQL) before the pending setup is written, so that a
/// setup and a confirm of the same user run one after the other.
pub(super) const LOCK_USER: &str = "UPDATE users SET totp_last_step = totp_last_step WHERE id = $1";
/// Creates or replaces the pending TOTP enrollment, only while it is sealed under the
/// newest master key (a rotation may have committed since it was sealed) and the user has
/// between `$8` and `$9` factors (0 and 0 for the first, `/mfa/setup`; 1 and `max_factors - 1` for
/// another): one statement.
pub(super) const UPSERT_PENDING: &str = "INSERT INTO totp_pending \
     (user_id, key_id, sealed_secret, device_name, created_at, expires_at, factor_id) \
     SELECT $1, $2, $3, $4, $5, $6, $7 \
     WHERE (SELECT COUNT(*) FROM mfa_factors WHERE user_id = $1) BETWEEN $8 AND $9 \
     AND $2 >= (SELECT COALESCE(MAX(key_id), 0) FROM master_keys) \
     ON CONFLICT (user_id) DO UPDATE SET key_id = excluded.key_id, sealed_secret = excluded.sealed_secret, \
     device_name = excluded.device_name, created_at = excluded.created_at, expires_at = excluded.expires_at, \
     factor_id = excluded.factor_id";
pub(super) const SELECT_PENDING: &str =
    "SELECT COALESCE(factor_id, '') AS factor_id, user_id, key_id, sealed_secret, device_name, \
     created_at, expires_at FROM totp_pending WHERE user_id = $1";
pub(super) const SELECT_TOTP_FACTORS: &str =
    "SELECT id AS factor_id, user_id, key_id, sealed_secret, \
     name AS device_name, created_at, 9223372036854775807 AS expires_at FROM mfa_factors \
     WHERE user_id = $1 AND type = 'totp' ORDER BY created_at, id";
pub(super) const SELECT_FACTORS: &str = concat!(
    "SELECT id, type AS kind, name, created_at, last_used_at, credential, sign_count FROM mfa_factors",
    " WHERE user_id = $1 ORDER BY created_at, id"
);
pub(super) const SELECT_FACTOR: &str =
    concat!("SELECT id, type AS kind, name, created_at, last_used_at, credential, sign_count FROM mfa_factors", " WHERE user_id = $1 AND id = $2");
pub(super) const SELECT_PASSKEY_BY_CREDENTIAL: &str = "SELECT user_id, id, type AS kind, name, \
     created_at, last_used_at, credential, sign_count FROM mfa_factors \
     WHERE credential_id = $1 AND type = 'passkey'";
pub(super) const RENAME_FACTOR: &str =
    "UPDATE mfa_factors SET name = $3 WHERE user_id = $1 AND id = $2";
pub(super) const COUNT_FACTORS: &str = "SELECT COUNT(*) FROM mfa_factors WHERE user_id = $1";
/// Keeps the highest step of the user's factors (about to be deleted: `$2`, or all with
/// `$2` NULL) in `users.totp_last_step`, the floor any later factor starts above.
pub(super) const ABSORB_STEPS: &str = "UPDATE users SET totp_last_step = (SELECT MAX(s) FROM \
     (SELECT totp_last_step AS s FROM users WHERE id = $1 UNION ALL SELECT last_step FROM mfa_factors \
      WHERE user_id = $1 AND (CAST($2 AS TEXT) IS NULL OR id = $2)) x) WHERE id = $1";
pub(super) const DELETE_FACTOR: &str = "DELETE FROM mfa_factors WHERE user_id = $1 AND id = $2";
pub(super) const DELETE_FACTORS: &str = "DELETE FROM mfa_factors WHERE user_id = $1";
pub(super) const INSERT_TOTP_FACTOR: &str = "INSERT INTO mfa_factors \
     (id, user_id, type, name, created_at, key_id, sealed_secret, last_step) \
     VALUES ($1, $2, 'totp', $3, $4, $5, $6, $7)";
pub(super) const INSERT_PASSKEY_FACTOR: &str = "INSERT INTO mfa_factors \
     (id, user_id, type, name, created_at, credential_id, credential, sign_count) \
     VALUES ($1, $2, 'passkey', $3, $4, $5, $6, $7)";
/// A passkey's counter (and credential) after an accepted assertion: only forward, or
/// both zero for an authenticator that keeps no counter. No row: a clone, or a race.
pub(super) const ADVANCE_PASSKEY: &str = "UPDATE mfa_factors SET sign_count = $3, credential = $4, \
     last_used_at = $5 WHERE id = $1 AND user_id = $2 AND (sign_count < $3 OR (sign_count = 0 AND $3 = 0))";
/// Spends a WebAuthn ceremony (single use, unexpired, of this purpose, and of user `$4`
/// unless it was bound to no one: a passwordless login's).
pub(super) const TAKE_CEREMONY: &str = "DELETE FROM webauthn_ceremonies WHERE token_hash = $1 \
     AND purpose = $2 AND expires_at > $3 AND (user_id IS NULL OR user_id = $4)";
/// A registration ceremony claimed by the one request that goes on to finish it.
pub(super) const CLAIMED_REGISTRATION: &str = "register-claimed";
pub(super) const CLAIM_REGISTRATION: &str = "UPDATE webauthn_ceremonies SET purpose = $4 \
     WHERE token_hash = $1 AND purpose = 'register' AND expires_at > $3 AND user_id = $2";
pub(super) const INSERT_CEREMONY: &str = "INSERT INTO webauthn_ceremonies \
     (token_hash, user_id, purpose, name, state, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, purpose = excluded.purpose, \
     name = excluded.name, state = excluded.state, created_at = excluded.created_at, expires_at = excluded.expires_at";
pub(super) const SELECT_CEREMONY: &str = "SELECT user_id, purpose, name, state, expires_at \
     FROM webauthn_ceremonies WHERE token_hash = $1";
pub(super) const SELECT_MFA_STATUS: &str = "SELECT \
     (SELECT MIN(f.created_at) FROM mfa_factors f WHERE f.user_id = q.uid) AS enabled_at, \
     (SELECT f.name FROM mfa_factors f WHERE f.user_id = q.uid AND f.type = 'totp' \
      ORDER BY f.created_at, f.id LIMIT 1) AS device_name, \
     (SELECT COUNT(*) FROM mfa_factors f WHERE f.user_id = q.uid AND f.type = 'totp') AS totp_factors, \
     (SELECT COUNT(*) FROM mfa_factors f WHERE f.user_id = q.uid AND f.type = 'passkey') AS passkey_factors, \
     (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = q.uid AND r.used_at IS NULL) \
     AS recovery_codes_remaining, \
     (SELECT p.expires_at FROM totp_pending p WHERE p.user_id = q.uid) AS pending_expires_at \
     FROM (SELECT CAST($1 AS TEXT) AS uid) q";
/// The unused codes a typed code may be: those with its tag `$2`, and untagged ones.
pub(super) const SELECT_UNUSED_CODES: &str = "SELECT id, code_hash, \
     (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = $1 AND r.used_at IS NULL) AS unused \
     FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL AND (lookup = $2 OR lookup IS NULL) \
     ORDER BY id";
pub(super) const INSERT_CHALLENGE: &str =
    "INSERT INTO mfa_challenges (token_hash, user_id, created_at, expires_at, new_browser) \
     VALUES ($1, $2, $3, $4, $5)";
pub(super) const SELECT_CHALLENGE: &str =
    "SELECT c.user_id, c.expires_at, c.consumed_at, a.locked_until, \
     a.failures + a.lockouts + a.locked_until AS counter_dirty, \
     (SELECT COUNT(*) FROM mfa_factors n WHERE n.user_id = c.user_id) AS factor_count, \
     f.id AS factor_id, f.key_id, f.sealed_secret, u.roles, u.email_verified_at, c.new_browser \
     FROM mfa_challenges c \
     LEFT JOIN users u ON u.id = c.user_id \
     LEFT JOIN attempt_counters a ON a.user_id = c.user_id AND a.purpose = 'login' \
     LEFT JOIN mfa_factors f ON f.user_id = c.user_id AND f.type = 'totp' \
     WHERE c.token_hash = $1 ORDER BY f.created_at, f.id";
/// A login's session, first refresh token and device token in one statement, consuming
/// the MFA challenge `$11` when given (the view's trigger; see migration 0002). A challenge
/// that is consumed, expired or another user's aborts it with [`CHALLENGE_GONE`].
pub(super) const INSERT_NEW_LOGIN: &str = "INSERT INTO new_logins (session_id, user_id, amr, \
     created_at, expires_at, ip, user_agent, refresh_hash, device_hash, device_expires_at, \
     challenge_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// The message of the trigger's refusal.
pub(super) const CHALLENGE_GONE: &str = "twofold: challenge gone";
/// Makes sure the counter row of `$2` exists (a challenge creates the `login` one, so that
/// verify-mfa can check the lock inside the statement that spends the proof).
pub(super) const ENSURE_COUNTER: &str = "INSERT INTO attempt_counters (user_id, purpose) \
     VALUES ($1, $2) ON CONFLICT (user_id, purpose) DO NOTHING";
/// The replay guard of factor `$1` of user `$5`, only while `$3` is not locked at `$4`. A
/// missing counter row makes the comparison NULL: refused (closed), never "unlocked".
pub(super) const ADVANCE_STEP_IF_OPEN: &str =
    "UPDATE mfa_factors SET last_step = $2, last_used_at = $4 \
     WHERE id = $1 AND user_id = $5 AND last_step < $2 AND \
     (SELECT locked_until FROM attempt_counters WHERE user_id = $5 AND purpose = $3) <= $4";
/// A recovery code is spent once, only while `$4` is not locked at `$3` (as above).
pub(super) const USE_RECOVERY_CODE_IF_OPEN: &str = "UPDATE recovery_codes SET used_at = $3 \
     WHERE id = $1 AND user_id = $2 AND used_at IS NULL AND \
     (SELECT locked_until FROM attempt_counters WHERE user_id = $2 AND purpose = $4) <= $3";
/// The replay guard of factor `$1` of user `$4`: a step is accepted only if it is above
/// every step the factor accepted before.
pub(super) const ADVANCE_STEP: &str = "UPDATE mfa_factors SET last_step = $2, last_used_at = $3 \
     WHERE id = $1 AND user_id = $4 AND last_step < $2";
/// An enrollment's first code must be above the user's floor (the highest step any of
/// their deleted factors accepted); the user's row is locked already. 1 when it is.
pub(super) const ABOVE_USER_FLOOR: &str =
    "SELECT COUNT(*) FROM users WHERE id = $1 AND totp_last_step < $2";
pub(super) const USE_RECOVERY_CODE: &str =
    "UPDATE recovery_codes SET used_at = $3 WHERE id = $1 AND user_id = $2 AND used_at IS NULL";
/// Takes the pending setup whose secret the code was checked against (a setup that
/// replaced it meanwhile is not taken).
pub(super) const TAKE_PENDING: &str =
    "DELETE FROM totp_pending WHERE user_id = $1 AND expires_at > $2 AND sealed_secret = $3";
pub(super) const DELETE_CHALLENGES: &str = "DELETE FROM mfa_challenges WHERE user_id = $1";
pub(super) const DELETE_CEREMONIES: &str = "DELETE FROM webauthn_ceremonies WHERE user_id = $1";
pub(super) const DELETE_PENDING: &str = "DELETE FROM totp_pending WHERE user_id = $1";
pub(super) const DELETE_CODES: &str = "DELETE FROM recovery_codes WHERE user_id = $1";
pub(super) const INSERT_CODE: &str =
    "INSERT INTO recovery_codes (id, user_id, code_hash, lookup) VALUES ($1, $2, $3, $4)";

/// Admits one untrusted password attempt for an account key, counting it before any
/// hashing: no row comes back when the key is locked or its budget (`$3`) is spent.
pub(super) const ADMIT_ACCOUNT: &str =
    "INSERT INTO login_guards (account_key, failures, updated_at) VALUES ($1, 1, $2) \
     ON CONFLICT (account_key) DO UPDATE SET failures = login_guards.failures + 1, updated_at = $2 \
     WHERE login_guards.locked_until <= $2 AND login_guards.failures < $3 \
     RETURNING failures";
pub(super) const SELECT_GUARD: &str =
    "SELECT failures, lockouts, locked_until FROM login_guards WHERE account_key = $1";
/// The read of the read-modify-write that starts a lock (row lock taken, as LOCK_COUNTER).
pub(super) const LOCK_GUARD: &str =
    "INSERT INTO login_guards (account_key, updated_at) VALUES ($1, $2) \
     ON CONFLICT (account_key) DO UPDATE SET updated_at = $2 \
     RETURNING failures, lockouts, locked_until";
pub(super) const UPDATE_GUARD: &str =
    "UPDATE login_guards SET failures = $2, lockouts = $3, locked_until = $4 WHERE account_key = $1";
/// A correct password gives the budget back, but never ends a lock that has started.
pub(super) const RESET_GUARD: &str =
    "UPDATE login_guards SET failures = 0, lockouts = 0, updated_at = $2 \
     WHERE account_key = $1 AND locked_until <= $2 AND (failures <> 0 OR lockouts <> 0)";
/// Admits one password attempt under a device token: only a live token of this user
/// whose budget (`$4`) is not spent.
pub(super) const ADMIT_DEVICE: &str = "UPDATE device_tokens SET failures = failures + 1 \
     WHERE token_hash = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3 AND failures < $4";
pub(super) const REVOKE_SPENT_DEVICE: &str = "UPDATE device_tokens SET revoked_at = $2 \
     WHERE token_hash = $1 AND revoked_at IS NULL AND failures >= $3";
pub(super) const RESET_DEVICE: &str =
    "UPDATE device_tokens SET failures = 0 WHERE token_hash = $1 AND failures <> 0";

/// The sweep: each statement deletes at most `$2` rows that ended before `$1`.
pub(super) const SWEEP: &[(&str, &str)] = &[
    (
        "mfa_challenges",
        "DELETE FROM mfa_challenges WHERE token_hash IN \
        (SELECT token_hash FROM mfa_challenges WHERE expires_at <= $1 LIMIT $2)",
    ),
    (
        "webauthn_ceremonies",
        "DELETE FROM webauthn_ceremonies WHERE token_hash IN \
        (SELECT token_hash FROM webauthn_ceremonies WHERE expires_at <= $1 LIMIT $2)",
    ),
    (
        "totp_pending",
        "DELETE FROM totp_pending WHERE user_id IN \
        (SELECT user_id FROM totp_pending WHERE expires_at <= $1 LIMIT $2)",
    ),
    (
        "sessions",
        "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions \
        WHERE expires_at <= $1 OR revoked_at <= $1 LIMIT $2)",
    ),
    (
        "refresh_tokens",
        "DELETE FROM refresh_tokens WHERE token_hash IN \
        (SELECT token_hash FROM refresh_tokens WHERE expires_at <= $1 LIMIT $2)",
    ),
    (
        "device_tokens",
        "DELETE FROM device_tokens WHERE token_hash IN (SELECT token_hash \
        FROM device_tokens WHERE expires_at <= $1 OR revoked_at <= $1 LIMIT $2)",
    ),
    (
        "login_guards",
        "DELETE FROM login_guards WHERE account_key IN (SELECT account_key \
        FROM login_guards WHERE locked_until <= $1 AND updated_at <= $1 - 86400 LIMIT $2)",
    ),
    (
        "email_tokens",
        "DELETE FROM email_tokens WHERE token_hash IN \
        (SELECT token_hash FROM email_tokens WHERE expires_at <= $1 AND created_at <= $1 - 86400 \
        LIMIT $2)",
    ),
    (
        "oauth_requests",
        "DELETE FROM oauth_requests WHERE id IN \
        (SELECT id FROM oauth_requests WHERE expires_at <= $1 LIMIT $2)",
    ),
    // A spent code is kept a day, so that presenting it again still revokes what it issued.
    (
        "oauth_codes",
        "DELETE FROM oauth_codes WHERE code_hash IN \
        (SELECT code_hash FROM oauth_codes WHERE expires_at <= $1 - 86400 LIMIT $2)",
    ),
    (
        "logout_outbox",
        "DELETE FROM logout_outbox WHERE seq IN (SELECT seq FROM logout_outbox \
        WHERE created_at <= $1 - 604800 ORDER BY seq LIMIT $2)",
    ),
];
/// Messages made before `$1` (a week ago: sent, given up on, or both), `$2` at a time.
pub(super) const SWEEP_MAIL: &str = "DELETE FROM mail_outbox WHERE seq IN \
    (SELECT seq FROM mail_outbox WHERE created_at < $1 ORDER BY seq LIMIT $2)";
/// How long the mail outbox keeps a message, seconds (EMAIL.md: 7 days).
pub(super) const MAIL_KEPT_SECONDS: i64 = 7 * 24 * 3600;
/// Audit events older than `$1`, at most `$2` at a time.
pub(super) const SWEEP_AUDIT: &str = "DELETE FROM audit_events WHERE id IN \
    (SELECT id FROM audit_events WHERE at < $1 ORDER BY id LIMIT $2)";
/// Webhook events older than `$1` (the audit retention; given up on long before), and the
/// delivered or given-up events of deleted users (their pending ones are still delivered
/// first), at most `$2` at a time: the outbox keeps no email longer than the audit trail.
pub(super) const SWEEP_OUTBOX: &str = "DELETE FROM webhook_outbox WHERE seq IN \
    (SELECT seq FROM webhook_outbox o WHERE o.created_at < $1 \
     OR ((o.delivered_at IS NOT NULL OR o.failed_at IS NOT NULL) AND o.user_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id)) \
     ORDER BY seq LIMIT $2)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_insert_has_six_placeholders_a_row() {
        let sql = audit_insert_sql(2);
        assert!(
            sql.ends_with("VALUES ($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12)"),
            "{sql}"
        );
    }
}
