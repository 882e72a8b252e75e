//! The audit trail and, in the same statements' transaction, the webhook outbox and the
//! security notices of the mail outbox.

use super::db::{fetch_records, Conn, FromRow, Param, Row, StoreResult};
use super::sql::{audit_insert_sql, INSERT_NOTICE, INSERT_OUTBOX, SELECT_AUDIT};
use super::{AuditEvent, AuditRecord, Store};

const SEARCH_AUDIT: &str =
    "SELECT id, user_id, type, at, ip, user_agent, details FROM audit_events \
     WHERE (CAST($1 AS TEXT) IS NULL OR user_id = $1) AND (CAST($2 AS TEXT) IS NULL OR type = $2) \
     AND id < $3 ORDER BY id DESC LIMIT $4";

impl FromRow for AuditRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            user_id: r.get("user_id")?,
            kind: r.get("type")?,
            at: r.get("at")?,
            ip: r.get("ip")?,
            user_agent: r.get("user_agent")?,
            details: r.get("details")?,
        })
    }
}

/// Writes one event (and its webhooks).
pub async fn insert_audit(conn: &mut dyn Conn, event: &AuditEvent) -> StoreResult<()> {
    insert_audits(conn, std::slice::from_ref(event)).await
}

/// Writes `events` in one statement, and queues their webhooks in the outbox.
pub async fn insert_audits(conn: &mut dyn Conn, events: &[AuditEvent]) -> StoreResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let sql = audit_insert_sql(events.len());
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    let details: Vec<String> = events.iter().map(|e| e.details.to_string()).collect();
    let mut args: Vec<&dyn Param> = Vec::with_capacity(events.len() * 6);
    for (i, e) in events.iter().enumerate() {
        args.extend([
            &e.user_id as &dyn Param,
            &kinds[i],
            &e.at,
            &e.ip,
            &e.user_agent,
            &details[i],
        ]);
    }
    conn.execute(&sql, &args).await?;
    for (i, e) in events.iter().enumerate() {
        for kind in &e.webhooks {
            let id = format!("msg_{}", uuid::Uuid::new_v4().simple());
            conn.execute(INSERT_OUTBOX, &[&id, &e.user_id, kind, &e.at, &details[i]])
                .await?;
        }
        if let (Some(notice), Some(user_id)) = (&e.notice, &e.user_id) {
            let id = format!("mail_{}", uuid::Uuid::new_v4().simple());
            let data = serde_json::json!({
                "at": e.at, "ip": e.ip, "userAgent": e.user_agent, "details": e.details,
            })
            .to_string();
            let optional = i64::from(notice.optional);
            conn.execute(
                INSERT_NOTICE,
                &[
                    &id,
                    user_id,
                    &notice.to,
                    &notice.kind,
                    &data,
                    &e.at,
                    &optional,
                ],
            )
            .await?;
        }
    }
    Ok(())
}

/// Writes the event of a lock that starts, with how long it lasts.
pub async fn insert_lock_audit(
    conn: &mut dyn Conn,
    mut event: AuditEvent,
    seconds: i64,
) -> StoreResult<()> {
    if let Some(details) = event.details.as_object_mut() {
        details.insert("lockedForSeconds".into(), seconds.into());
    }
    insert_audit(conn, &event).await
}

impl Store {
    /// Appends one audit event on its own.
    pub async fn append_audit(&self, event: &AuditEvent) -> StoreResult<()> {
        self.write(vec![event.clone()], |_| Box::pin(async { Ok((true, ())) }))
            .await
    }

    /// A user's events, newest first, older than `before` when given.
    pub async fn audit_events(
        &self,
        user_id: &str,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<AuditRecord>> {
        let before = before.unwrap_or(i64::MAX);
        let mut c = self.reader().await?;
        fetch_records(&mut *c, SELECT_AUDIT, &[&user_id, &before, &limit]).await
    }

    /// Events of any user (or of `user_id`), of any kind (or of `kind`), newest first.
    pub async fn search_audit(
        &self,
        user_id: Option<&str>,
        kind: Option<&str>,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<AuditRecord>> {
        let before = before.unwrap_or(i64::MAX);
        let mut c = self.reader().await?;
        fetch_records(&mut *c, SEARCH_AUDIT, &[&user_id, &kind, &before, &limit]).await
    }
}
