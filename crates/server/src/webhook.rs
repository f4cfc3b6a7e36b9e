//! Webhooks: when a job ends, its summary is POSTed to the job's
//! `callback_url`, signed as the Standard Webhooks spec says, so receivers
//! can check it with that spec's libraries: `webhook-id`,
//! `webhook-timestamp` and `webhook-signature` = `v1,` + base64 of
//! HMAC-SHA256 over `id.timestamp.body`. Failed deliveries are retried with
//! exponential backoff; every attempt is recorded on the job. What is due
//! lives in the job store, so deliveries survive a crash.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::store::{JobRecord, JobStore, now_ms};

/// Sends webhooks with one secret.
#[derive(Clone)]
pub struct Webhooks {
    key: Option<Arc<Vec<u8>>>,
    client: reqwest::Client,
    attempts: u32,
    backoff: Duration,
}

impl std::fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhooks").field("signed", &self.key.is_some()).finish_non_exhaustive()
    }
}

/// One delivery attempt, as shown on the job.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Delivery {
    pub attempt: u32,
    /// Milliseconds since the epoch.
    pub at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub delivered: bool,
}

impl Webhooks {
    /// `secret` as the Standard Webhooks spec writes it (`whsec_` and
    /// base64), or any other string, used as it is.
    pub fn new(secret: Option<&str>, attempts: u32, backoff: Duration) -> Webhooks {
        let key = secret.map(|s| {
            let decoded = s
                .strip_prefix("whsec_")
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok());
            Arc::new(decoded.unwrap_or_else(|| s.as_bytes().to_vec()))
        });
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client with default settings");
        Webhooks { key, client, attempts: attempts.max(1), backoff }
    }

    /// The service's schedule: 15 attempts, the waits between them
    /// doubling from 5 seconds, so the last is about 23 hours after the
    /// first (a receiver may be down for most of a day).
    pub fn standard(secret: Option<&str>) -> Webhooks {
        Webhooks::new(secret, 15, Duration::from_secs(5))
    }

    /// The wait after failed attempt `attempt` (1-based) before the next.
    pub fn delay(&self, attempt: u32) -> Duration {
        self.backoff.saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
    }

    /// Attempts made before a delivery is given up.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The signature header's value for a message.
    pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
        mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
        let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        format!("v1,{sig}")
    }

    /// Delivers due webhooks until `stop` turns true. A job that ends is
    /// marked due in the store, so a delivery survives the process that
    /// ran the job, and any worker process may send it.
    pub async fn run(
        &self,
        store: Arc<dyn JobStore>,
        poll: Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if *stop.borrow() {
                return;
            }
            match store.claim_webhook(60_000).await {
                Ok(Some(job)) => {
                    self.attempt(&*store, &job).await;
                    continue;
                }
                Ok(None) => {}
                Err(e) => eprintln!("webhooks: {e}"),
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                changed = stop.changed() => if changed.is_err() { return },
            }
        }
    }

    /// One delivery attempt; records it and when the next one is due.
    async fn attempt(&self, store: &dyn JobStore, job: &JobRecord) {
        let Some(url) = &job.callback_url else {
            let _ = store.webhook_attempted(&job.id, &job.deliveries, None).await;
            return;
        };
        let mut deliveries: Vec<Delivery> =
            serde_json::from_str(&job.deliveries).unwrap_or_default();
        let attempt = deliveries.len() as u32 + 1;
        let Some(key) = &self.key else {
            // Receivers must be able to trust what they get: nothing goes
            // out unsigned. Another worker, with the secret, may send it.
            let error = "not sent: this worker has no DIGLOT_WEBHOOK_SECRET to sign it with";
            let at = now_ms();
            deliveries.push(Delivery {
                attempt,
                at,
                status: None,
                error: Some(error.into()),
                delivered: false,
            });
            self.record(store, job, &deliveries, false, attempt).await;
            return;
        };
        let body = match crate::api::job_view(store, job, true).await {
            Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
            Err(e) => {
                eprintln!("webhooks: job {}: {e}", job.id);
                return;
            }
        };
        let msg_id = format!("msg_{}", job.id);
        let timestamp = now_ms() / 1000;
        let request = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &msg_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", Webhooks::sign(key, &msg_id, timestamp, &body));
        let (status, error) = match request.body(body).send().await {
            Ok(r) => (Some(r.status().as_u16()), None),
            Err(e) => (None, Some(e.without_url().to_string())),
        };
        let delivered = status.is_some_and(|s| (200..300).contains(&s));
        deliveries.push(Delivery { attempt, at: now_ms(), status, error, delivered });
        self.record(store, job, &deliveries, delivered, attempt).await;
    }

    /// Saves the deliveries and when the next attempt is due.
    async fn record(
        &self,
        store: &dyn JobStore,
        job: &JobRecord,
        deliveries: &[Delivery],
        delivered: bool,
        attempt: u32,
    ) {
        let next_due = if delivered || attempt >= self.attempts {
            None
        } else {
            Some(now_ms() + self.delay(attempt).as_millis() as i64)
        };
        let json = serde_json::to_string(deliveries).unwrap_or_else(|_| "[]".into());
        if let Err(e) = store.webhook_attempted(&job.id, &json, next_due).await {
            eprintln!("webhooks: job {}: {e}", job.id);
        }
    }
}

/// Whether a callback URL is allowed: it must start with one of the
/// allow-list's entries (scheme, host, port and path prefix).
pub fn allowed(url: &str, allow: &[String]) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else { return false };
    if !matches!(parsed.scheme(), "http" | "https") || parsed.username() != "" {
        return false;
    }
    // Parsed, an origin gains its `/`: `http://a.example` must not admit
    // `http://a.example.evil.test`.
    allow
        .iter()
        .filter_map(|p| reqwest::Url::parse(p).ok())
        .any(|p| parsed.as_str().starts_with(p.as_str()))
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::*;

    #[test]
    fn deliveries_are_retried_for_up_to_a_day() {
        let hooks = Webhooks::standard(None);
        let waits: Vec<Duration> = (1..hooks.attempts()).map(|a| hooks.delay(a)).collect();
        assert_eq!(waits[0], Duration::from_secs(5));
        assert!(waits.windows(2).all(|w| w[1] == w[0] * 2), "{waits:?}");
        let total: Duration = waits.iter().sum();
        let hours = total.as_secs_f64() / 3600.0;
        assert!((20.0..=24.0).contains(&hours), "last attempt {hours:.1} h after the first");
    }

    #[test]
    fn signature_matches_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification.
        let key = base64::engine::general_purpose::STANDARD
            .decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap();
        assert_eq!(
            Webhooks::sign(
                &key,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                r#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn callback_urls_must_be_on_the_allow_list() {
        let allow = vec!["http://hooks.example".to_string(), "https://cms.example/diglot/".into()];
        assert!(allowed("http://hooks.example/any", &allow));
        assert!(allowed("https://cms.example/diglot/done", &allow));
        assert!(!allowed("https://cms.example/other", &allow));
        assert!(!allowed("http://hooks.example.evil.test/", &allow));
        assert!(!allowed("http://user@hooks.example/", &allow));
        assert!(!allowed("file:///etc/passwd", &allow));
        assert!(!allowed("http://hooks.example/", &[]));
    }
}
