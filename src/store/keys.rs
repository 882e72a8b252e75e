//! Keys: the token signing keys (sealed), the master keys the database was sealed under,
//! the keys carried across master-key rotations, and re-sealing every sealed value.

use super::db::{fetch_records, Conn, FromRow, Row, StoreResult};
use super::sql::{INSERT_SIGNING_KEY, SELECT_SIGNING_KEYS};
use super::{SigningKeyRecord, Store};

/// A master key this database was sealed under: its id and a known text sealed under it.
#[derive(Debug, Clone)]
pub struct MasterKeyRecord {
    pub key_id: i64,
    pub check_value: Vec<u8>,
    pub created_at: i64,
}

/// A key kept across master-key rotations (token HMAC key, recovery pepper), sealed.
#[derive(Debug, Clone)]
pub struct CarriedKeyRecord {
    pub purpose: String,
    pub key_id: i64,
    pub sealed: Vec<u8>,
}

/// Where a sealed value lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedTable {
    MfaFactors,
    TotpPending,
    SigningKeys,
}

/// One sealed value of the database, for re-sealing.
#[derive(Debug, Clone)]
pub struct SealedValue {
    pub table: SealedTable,
    /// The row: the factor id, the user id (pending TOTP) or the key's `kid`.
    pub owner: String,
    /// What the value is sealed for (its associated data): the user id (TOTP secrets) or
    /// the key's `kid`.
    pub subject: String,
    pub key_id: i64,
    pub sealed: Vec<u8>,
}

/// Everything `keys rotate-master` writes, applied in one transaction.
#[derive(Debug, Clone)]
pub struct Reseal {
    /// The key id every value is sealed under now; rows under another id abort the change.
    pub from_key_id: i64,
    /// Every sealed value, re-sealed (`key_id` = the new key's).
    pub values: Vec<SealedValue>,
    pub master: MasterKeyRecord,
    pub carried: Vec<CarriedKeyRecord>,
}

impl FromRow for SigningKeyRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            kid: r.get("kid")?,
            key_id: r.get("key_id")?,
            sealed_seed: r.get("sealed_seed")?,
            created_at: r.get("created_at")?,
            alg: r.get("alg")?,
            retired_at: r.get("retired_at")?,
        })
    }
}

impl FromRow for MasterKeyRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            key_id: r.get("key_id")?,
            check_value: r.get("check_value")?,
            created_at: r.get("created_at")?,
        })
    }
}

impl FromRow for CarriedKeyRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            purpose: r.get("purpose")?,
            key_id: r.get("key_id")?,
            sealed: r.get("sealed")?,
        })
    }
}

impl FromRow for SealedValue {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        let table: String = r.at(0)?;
        Ok(Self {
            table: match table.as_str() {
                "mfa_factors" => SealedTable::MfaFactors,
                "totp_pending" => SealedTable::TotpPending,
                _ => SealedTable::SigningKeys,
            },
            owner: r.at(1)?,
            key_id: r.at(2)?,
            sealed: r.at(3)?,
            subject: r.at(4)?,
        })
    }
}

const SEALED: &str = "SELECT 'mfa_factors', id, key_id, sealed_secret, user_id FROM mfa_factors \
     WHERE type = 'totp' \
     UNION ALL SELECT 'totp_pending', user_id, key_id, sealed_secret, user_id FROM totp_pending \
     UNION ALL SELECT 'signing_keys', kid, key_id, sealed_seed, kid FROM signing_keys";

/// Every sealed value of the database.
async fn sealed(conn: &mut dyn Conn) -> StoreResult<Vec<SealedValue>> {
    fetch_records(conn, SEALED, &[]).await
}

impl Store {
    /// Stores `key` unless a key with its `id` exists; several instances may race here.
    pub async fn insert_signing_key_if_absent(&self, key: &SigningKeyRecord) -> StoreResult<()> {
        let k = key.clone();
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                conn.execute(
                    INSERT_SIGNING_KEY,
                    &[
                        &k.id,
                        &k.kid,
                        &k.key_id,
                        &k.sealed_seed,
                        &k.created_at,
                        &k.alg,
                    ],
                )
                .await?;
                Ok((true, ()))
            })
        })
        .await
    }

    /// All signing keys, newest first.
    pub async fn signing_keys(&self) -> StoreResult<Vec<SigningKeyRecord>> {
        let mut c = self.reader().await?;
        fetch_records(&mut *c, SELECT_SIGNING_KEYS, &[]).await
    }

    /// Retires the current signing keys and adds `keys` (one per algorithm) as the newest.
    pub async fn add_signing_keys(&self, keys: &[SigningKeyRecord], now: i64) -> StoreResult<()> {
        let keys = keys.to_vec();
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                conn.execute(
                    "UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL",
                    &[&now],
                )
                .await?;
                for key in &keys {
                    conn.execute(
                        "INSERT INTO signing_keys (id, kid, key_id, sealed_seed, created_at, alg) \
                         SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4, $5 FROM signing_keys",
                        &[
                            &key.kid,
                            &key.key_id,
                            &key.sealed_seed,
                            &key.created_at,
                            &key.alg,
                        ],
                    )
                    .await?;
                }
                Ok((true, ()))
            })
        })
        .await
    }

    /// Deletes the signing keys retired before `before`; how many.
    pub async fn drop_signing_keys_retired_before(&self, before: i64) -> StoreResult<u64> {
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                let n = conn
                    .execute(
                        "DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < $1",
                        &[&before],
                    )
                    .await?;
                Ok((true, n))
            })
        })
        .await
    }

    /// The master keys, newest first.
    pub async fn master_keys(&self) -> StoreResult<Vec<MasterKeyRecord>> {
        let mut c = self.reader().await?;
        let sql = "SELECT key_id, check_value, created_at FROM master_keys ORDER BY key_id DESC";
        fetch_records(&mut *c, sql, &[]).await
    }

    /// Records the first master key, unless one is recorded.
    pub async fn insert_master_key_if_absent(&self, key: &MasterKeyRecord) -> StoreResult<()> {
        let key = key.clone();
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                conn.execute(
                    "INSERT INTO master_keys (key_id, check_value, created_at) \
                     SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM master_keys) \
                     ON CONFLICT (key_id) DO NOTHING",
                    &[&key.key_id, &key.check_value, &key.created_at],
                )
                .await?;
                Ok((true, ()))
            })
        })
        .await
    }

    /// The carried keys.
    pub async fn carried_keys(&self) -> StoreResult<Vec<CarriedKeyRecord>> {
        let mut c = self.reader().await?;
        let sql = "SELECT purpose, key_id, sealed FROM carried_keys ORDER BY purpose";
        fetch_records(&mut *c, sql, &[]).await
    }

    /// Every sealed value of the database.
    pub async fn sealed_values(&self) -> StoreResult<Vec<SealedValue>> {
        let mut c = self.reader().await?;
        sealed(&mut *c).await
    }

    /// Applies `reseal` in one transaction, only if every sealed value is still the one
    /// that was re-sealed, under the old key (else false, nothing written).
    pub async fn reseal(&self, reseal: &Reseal) -> StoreResult<bool> {
        let reseal = reseal.clone();
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                let current = sealed(conn).await?;
                let unchanged = current.len() == reseal.values.len()
                    && current.iter().all(|c| {
                        c.key_id == reseal.from_key_id
                            && reseal.values.iter().any(|v| v.table == c.table && v.owner == c.owner)
                    });
                if !unchanged {
                    return Ok((false, false));
                }
                for v in &reseal.values {
                    let sql = match v.table {
                        SealedTable::MfaFactors => "UPDATE mfa_factors SET key_id = $1, sealed_secret = $2 WHERE id = $3 AND key_id = $4",
                        SealedTable::TotpPending => "UPDATE totp_pending SET key_id = $1, sealed_secret = $2 WHERE user_id = $3 AND key_id = $4",
                        SealedTable::SigningKeys => "UPDATE signing_keys SET key_id = $1, sealed_seed = $2 WHERE kid = $3 AND key_id = $4",
                    };
                    let n = conn.execute(sql, &[&v.key_id, &v.sealed, &v.owner, &reseal.from_key_id]).await?;
                    if n != 1 {
                        return Ok((false, false));
                    }
                }
                let m = &reseal.master;
                conn.execute(
                    "INSERT INTO master_keys (key_id, check_value, created_at) VALUES ($1, $2, $3)",
                    &[&m.key_id, &m.check_value, &m.created_at],
                )
                .await?;
                conn.execute("DELETE FROM carried_keys", &[]).await?;
                for c in &reseal.carried {
                    conn.execute(
                        "INSERT INTO carried_keys (purpose, key_id, sealed) VALUES ($1, $2, $3)",
                        &[&c.purpose, &c.key_id, &c.sealed],
                    )
                    .await?;
                }
                Ok((true, true))
            })
        })
        .await
    }
}
