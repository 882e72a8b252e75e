//! Prometheus metrics (`metrics` + `metrics-exporter-prometheus`): the recorder, the
//! per-request middleware, and the separate `/metrics` listener of `metrics_listen`.
//! Labels carry route templates, methods, statuses and outcomes: never a user id, an
//! email or a secret. Every label has a fixed, small set of values (a client cannot mint
//! new series): the matched route template or `unmatched`, one of the standard methods or
//! `other`, a status code, and the `&'static str` outcomes of the services.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Latency buckets, seconds.
const SECONDS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Group-commit batch sizes.
const BATCH: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

/// Installs the process-wide recorder (once; later calls reuse it).
pub fn install() -> anyhow::Result<()> {
    if HANDLE.get().is_some() {
        return Ok(());
    }
    let recorder = PrometheusBuilder::new()
        .set_buckets(SECONDS)?
        .set_buckets_for_metric(Matcher::Full("twofold_db_write_batch_size".into()), BATCH)?
        .build_recorder();
    let handle = recorder.handle();
    if metrics::set_global_recorder(recorder).is_ok() {
        let _ = HANDLE.set(handle);
        describe();
    }
    Ok(())
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!("twofold_http_requests_total", "HTTP requests answered");
    describe_histogram!(
        "twofold_http_request_duration_seconds",
        Unit::Seconds,
        "time to answer an HTTP request"
    );
    describe_counter!("twofold_logins_total", "password logins by outcome");
    describe_counter!("twofold_mfa_verifications_total", "second-factor checks");
    describe_counter!("twofold_lockouts_total", "locks started");
    describe_gauge!("twofold_argon2_queue_depth", "Argon2 jobs waiting");
    describe_histogram!(
        "twofold_argon2_duration_seconds",
        Unit::Seconds,
        "time of one Argon2id hash"
    );
    describe_histogram!("twofold_db_write_batch_size", "writes per SQLite commit");
    describe_histogram!(
        "twofold_db_commit_duration_seconds",
        Unit::Seconds,
        "time of one commit"
    );
    describe_counter!(
        "twofold_webhook_deliveries_total",
        "webhook tries by outcome"
    );
    describe_gauge!(
        "twofold_webhook_backlog",
        "webhook events not delivered yet"
    );
    describe_counter!("twofold_mail_total", "mail sending tries by outcome");
    describe_gauge!("twofold_mail_backlog", "messages not sent yet");
}

/// The `method` label: a standard method, or `other` for any other token (each new
/// value would be a new series kept until the process ends).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts and times every request by route template, method and status.
pub async fn track(request: Request, next: Next) -> Response {
    // The route's template (a fixed set, from the router), never the path itself.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(
        "twofold_http_request_duration_seconds",
        "route" => route.clone(), "method" => method
    )
    .record(started.elapsed());
    metrics::counter!(
        "twofold_http_requests_total",
        "route" => route, "method" => method, "status" => status
    )
    .increment(1);
    response
}

/// Serves `GET /metrics` on `listener` until the task is aborted.
pub async fn serve(listener: TcpListener) {
    let app = Router::new().route("/metrics", get(render));
    if let Err(error) = axum::serve(listener, app).await {
        tracing::error!(%error, "metrics listener stopped");
    }
}

async fn render() -> Response {
    let body = HANDLE
        .get()
        .map(PrometheusHandle::render)
        .unwrap_or_default();
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::DELETE), "DELETE");
        for token in ["FOO", "get", "PROPFIND", "CONNECT", "TRACE"] {
            let method = Method::from_bytes(token.as_bytes()).unwrap();
            assert_eq!(method_label(&method), "other", "{token}");
        }
    }
}
