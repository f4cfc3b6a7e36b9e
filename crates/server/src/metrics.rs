//! `GET /metrics`: Prometheus text, computed from the job store so that
//! every serve process of a shared database reports the same numbers.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::api::{AppState, Problem};
use crate::runner::Summary;
use crate::store::JobState;

/// Upper bounds of the job duration histogram, in seconds.
const BUCKETS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0];

#[utoipa::path(
    get,
    path = "/metrics",
    responses((status = 200, description = "Prometheus text: jobs by state, queue depth, job durations, provider characters and failures", content_type = "text/plain"))
)]
pub(crate) async fn metrics(State(state): State<AppState>) -> Result<Response, Problem> {
    let counts: BTreeMap<&str, i64> =
        state.store.counts().await?.into_iter().map(|(s, n)| (s.as_str(), n)).collect();
    let finished = state.store.finished().await?;
    let mut out = String::new();
    out.push_str("# HELP diglot_jobs Jobs by state.\n# TYPE diglot_jobs gauge\n");
    for s in JobState::ALL {
        let _ = writeln!(
            out,
            "diglot_jobs{{state=\"{}\"}} {}",
            s.as_str(),
            counts.get(s.as_str()).unwrap_or(&0)
        );
    }
    out.push_str(
        "# HELP diglot_queue_depth Jobs waiting for a worker.\n# TYPE diglot_queue_depth gauge\n",
    );
    let _ = writeln!(out, "diglot_queue_depth {}", counts.get("queued").unwrap_or(&0));

    out.push_str("# HELP diglot_job_duration_seconds Time from a job's first start to its end.\n# TYPE diglot_job_duration_seconds histogram\n");
    let seconds: Vec<f64> = finished.iter().map(|(_, ms)| *ms as f64 / 1000.0).collect();
    for le in BUCKETS {
        let n = seconds.iter().filter(|s| **s <= le).count();
        let _ = writeln!(out, "diglot_job_duration_seconds_bucket{{le=\"{le}\"}} {n}");
    }
    let _ = writeln!(out, "diglot_job_duration_seconds_bucket{{le=\"+Inf\"}} {}", seconds.len());
    let _ = writeln!(out, "diglot_job_duration_seconds_sum {}", seconds.iter().sum::<f64>());
    let _ = writeln!(out, "diglot_job_duration_seconds_count {}", seconds.len());

    let mut characters: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    for (summary, _) in &finished {
        let Ok(summary) = serde_json::from_str::<Summary>(summary) else { continue };
        for p in summary.providers {
            *characters.entry(p.name.clone()).or_default() += p.characters_sent;
            *failures.entry(p.name).or_default() += p.failures;
        }
    }
    out.push_str("# HELP diglot_provider_characters_total Characters sent to each translation provider.\n# TYPE diglot_provider_characters_total counter\n");
    for (name, n) in &characters {
        let _ = writeln!(out, "diglot_provider_characters_total{{provider=\"{name}\"}} {n}");
    }
    out.push_str("# HELP diglot_provider_failures_total Failed batches of each translation provider.\n# TYPE diglot_provider_failures_total counter\n");
    for (name, n) in &failures {
        let _ = writeln!(out, "diglot_provider_failures_total{{provider=\"{name}\"}} {n}");
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}
