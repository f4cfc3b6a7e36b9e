//! The HTTP API under `/v1`: its wire types, handlers and errors (RFC 9457
//! problem details). Only this module knows JSON wire types.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::auth::{self, Caller, Scope};
use crate::runner::{
    ArticleFormat, JobSpec, LocaleProgress, LocaleSummary, PROVIDER_KINDS, ProviderSummary, Step,
    Summary,
};
use crate::store::{JobRecord, JobState, JobStore, StoreError};
use crate::webhook::Delivery;

/// Limits and policies of the API.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// The project folder (pipeline jobs name its pipelines).
    pub root: PathBuf,
    /// Largest request body, in bytes (413 above).
    pub max_body_bytes: usize,
    /// Largest article text, in bytes.
    pub max_article_bytes: usize,
    /// Most sentences an article job may have.
    pub max_segments: usize,
    /// Most target locales of one job.
    pub max_locales: usize,
    /// Requests per minute per token (429 with Retry-After above).
    pub rate_per_minute: u32,
    /// Queued and running jobs per token.
    pub max_active_jobs: i64,
    /// Time a request may take (SSE streams excepted).
    pub request_timeout: Duration,
    /// Callback URL prefixes allowed; none by default.
    pub callback_allow: Vec<String>,
    /// Attempts before a job whose worker keeps dying is failed.
    pub max_attempts: i32,
}

impl ApiSettings {
    pub fn new(root: PathBuf) -> ApiSettings {
        ApiSettings {
            root,
            max_body_bytes: 2 * 1024 * 1024,
            max_article_bytes: 1024 * 1024,
            max_segments: 5000,
            max_locales: 20,
            rate_per_minute: 600,
            max_active_jobs: 100,
            request_timeout: Duration::from_secs(30),
            callback_allow: Vec::new(),
            max_attempts: 3,
        }
    }
}

/// What handlers share.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    pub store: Arc<dyn JobStore>,
    pub settings: Arc<ApiSettings>,
    /// Wakes this process's idle workers when a job is submitted.
    pub wake: Arc<Notify>,
    rates: Arc<Mutex<HashMap<String, Bucket>>>,
}

impl AppState {
    pub fn new(store: Arc<dyn JobStore>, settings: ApiSettings, wake: Arc<Notify>) -> AppState {
        AppState { store, settings: Arc::new(settings), wake, rates: Default::default() }
    }
}

/// A token bucket: `rate_per_minute` requests, refilled continuously.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The API's router, with its limits as tower layers.
pub(crate) fn router(state: AppState) -> Router {
    let timed = Router::new()
        .route("/v1/jobs", post(submit).get(list))
        .route("/v1/jobs/{id}", get(show))
        .route("/v1/jobs/{id}/cancel", post(cancel))
        .route("/v1/jobs/{id}/{*path}", get(result_file))
        .route("/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(crate::metrics::metrics))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            state.settings.request_timeout,
        ));
    Router::new()
        .route("/v1/jobs/{id}/events", get(events))
        .merge(timed)
        .fallback(|| async { Problem::new(StatusCode::NOT_FOUND, "no such resource") })
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(state.settings.max_body_bytes))
        .layer(axum::middleware::map_response(problem_for_bare_errors))
        .with_state(state)
}

/// Errors that layers answer (413 body too large, 405, a timeout) become
/// problem details like the handlers' own.
async fn problem_for_bare_errors(response: Response) -> Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let detail = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than the server accepts",
        StatusCode::METHOD_NOT_ALLOWED => "this route does not take that method",
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => {
            "the request took longer than the server allows"
        }
        _ => status.canonical_reason().unwrap_or("error"),
    };
    let mut problem = Problem::new(status, detail).into_response();
    if let Some(allow) = response.headers().get(header::ALLOW) {
        problem.headers_mut().insert(header::ALLOW, allow.clone());
    }
    problem
}

// ---------------------------------------------------------------- errors

/// An RFC 9457 problem: `application/problem+json`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Validation errors, each with the field's path in the request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(skip)]
    retry_after: Option<u64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct FieldError {
    /// `article.format`, `target_locales[1]`.
    pub field: String,
    pub detail: String,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    fn invalid(errors: Vec<FieldError>) -> Problem {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.detail))
            .collect::<Vec<_>>()
            .join("; ");
        Problem { errors, ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail) }
    }

    fn field(field: &str, detail: impl Into<String>) -> Problem {
        Problem::invalid(vec![FieldError { field: field.into(), detail: detail.into() }])
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response =
            (status, serde_json::to_string(&self).unwrap_or_default()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        eprintln!("{e}");
        Problem::new(StatusCode::SERVICE_UNAVAILABLE, "the job database is not available")
    }
}

type ApiResult<T> = Result<T, Problem>;

// ---------------------------------------------------------------- auth

/// Checks the bearer token, its scope and its rate.
async fn authorize(state: &AppState, headers: &HeaderMap, scope: Scope) -> ApiResult<Caller> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "send an API token as `Authorization: Bearer <token>` (create one with `diglot token create`)",
        ));
    };
    let Some(caller) = auth::verify(&*state.store, token).await? else {
        return Err(Problem::new(StatusCode::UNAUTHORIZED, "the API token is unknown or revoked"));
    };
    if !caller.has(scope) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            format!("this token lacks the `{}` scope", scope.as_str()),
        ));
    }
    rate_limit(state, &caller.token_id).await?;
    Ok(caller)
}

fn too_many_requests(settings: &ApiSettings, retry_after: u64) -> Problem {
    let mut p = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("more than {} requests a minute with this token", settings.rate_per_minute),
    );
    p.retry_after = Some(retry_after.max(1));
    p
}

/// A token's requests a minute. A store shared by several processes
/// (PostgreSQL) counts them for all together, in fixed one-minute windows;
/// otherwise this process keeps a token bucket.
async fn rate_limit(state: &AppState, token_id: &str) -> ApiResult<()> {
    let limit = i64::from(state.settings.rate_per_minute.max(1));
    if let Some((count, left)) = state.store.count_request(token_id, 60).await? {
        if count > limit {
            return Err(too_many_requests(&state.settings, left.max(1) as u64));
        }
        return Ok(());
    }
    let rate = f64::from(state.settings.rate_per_minute.max(1)) / 60.0;
    let capacity = f64::from(state.settings.rate_per_minute.max(1));
    let mut rates = state.rates.lock().unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    let bucket = rates.entry(token_id.to_string()).or_insert(Bucket { tokens: capacity, at: now });
    bucket.tokens =
        (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * rate).min(capacity);
    bucket.at = now;
    if bucket.tokens < 1.0 {
        let wait = ((1.0 - bucket.tokens) / rate).ceil() as u64;
        return Err(too_many_requests(&state.settings, wait));
    }
    bucket.tokens -= 1.0;
    Ok(())
}

// ---------------------------------------------------------------- submit

/// `POST /v1/jobs`: an article, or a pipeline of the project.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubmitJob {
    pub article: Option<ArticleInput>,
    pub target_locales: Option<Vec<String>>,
    /// Provider kinds, tried in order; their settings come from the
    /// project's pipeline files.
    pub providers: Option<Vec<String>>,
    pub callback_url: Option<String>,
    pub pipeline: Option<String>,
    pub steps: Option<Vec<Step>>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArticleInput {
    pub format: ArticleFormat,
    pub text: String,
    pub lang: Option<String>,
}

/// A locale tag as the API accepts it: BCP 47 language, script and region,
/// written canonically (`es-ES`, `zh-Hant-TW`, `es-419`).
pub const LOCALE_PATTERN: &str = "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$";

/// The document's shape of `POST /v1/jobs`: an article job or a pipeline
/// job (one [`SubmitJob`] on the wire, told apart by their fields).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum JobRequest {
    Article(ArticleJob),
    Pipeline(PipelineJob),
}

/// Translate an article into the target locales.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ArticleJob {
    article: ArticleDoc,
    /// Locale tags (see `lang`).
    #[schema(min_items = 1)]
    target_locales: Vec<String>,
    /// Provider kinds, tried in order; their settings come from the
    /// project's pipeline files. The project's providers when absent.
    #[schema(nullable = false, inline)]
    providers: Option<Vec<ProviderKind>>,
    /// Where to POST the job's summary when it ends: only URLs under the
    /// server's `--callback-allow` prefixes (none by default).
    #[schema(nullable = false)]
    callback_url: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum ProviderKind {
    Apertium,
    Deepl,
    Google,
    Libretranslate,
    Openai,
    Pseudo,
}

/// The article of an article job.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ArticleDoc {
    format: ArticleFormat,
    /// The article; at most `--max-article-bytes` bytes and
    /// `--max-segments` sentences. Not only white space.
    #[schema(pattern = "\\S")]
    text: String,
    /// The article's language; the project's source locale when absent.
    #[schema(nullable = false, pattern = "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")]
    lang: Option<String>,
}

/// Run one of the project's pipelines in place, as `diglot translate` and
/// `diglot build` do; its locales and providers come from its file.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PipelineJob {
    /// A pipeline of the project (`pipelines/<name>.toml`).
    pipeline: String,
    /// In this order, whatever order given; `["build"]` when absent.
    #[schema(nullable = false, min_items = 1)]
    steps: Option<Vec<Step>>,
    #[schema(nullable = false)]
    callback_url: Option<String>,
}

/// A locale tag: valid BCP 47, written canonically (so it is also a safe
/// folder name).
fn check_locale(tag: &str) -> Result<(), String> {
    let parsed = diglot_core::parse_locale(tag)?;
    if parsed.to_string() != tag {
        return Err(format!("write it as `{parsed}`"));
    }
    Ok(())
}

fn validate(req: SubmitJob, settings: &ApiSettings) -> ApiResult<(JobSpec, Option<String>)> {
    let mut errors = Vec::new();
    let mut err = |field: &str, detail: String| {
        errors.push(FieldError { field: field.into(), detail });
    };
    if let Some(url) = &req.callback_url {
        if !crate::webhook::allowed(url, &settings.callback_allow) {
            err(
                "callback_url",
                "not on the server's callback allow-list (`diglot serve --callback-allow URL_PREFIX`)"
                    .into(),
            );
        }
    }
    let spec = match (req.article, req.pipeline) {
        (Some(_), Some(_)) => {
            err("pipeline", "give either `article` or `pipeline`, not both".into());
            None
        }
        (None, None) => {
            err("article", "give an `article` to translate, or a project `pipeline` to run".into());
            None
        }
        (Some(article), None) => {
            if req.steps.is_some() {
                err("steps", "only pipeline jobs take steps".into());
            }
            if article.text.len() > settings.max_article_bytes {
                err(
                    "article.text",
                    format!(
                        "{} bytes; at most {} are accepted",
                        article.text.len(),
                        settings.max_article_bytes
                    ),
                );
            } else if article.text.trim().is_empty() {
                err("article.text", "is empty".into());
            } else {
                let segments = diglot_pipeline::segment_text(&article.text, None)
                    .map(|s| s.segments().count())
                    .unwrap_or(0);
                if segments > settings.max_segments {
                    err(
                        "article.text",
                        format!("{segments} sentences; at most {} per job", settings.max_segments),
                    );
                }
            }
            if let Some(lang) = &article.lang {
                if let Err(e) = check_locale(lang) {
                    err("article.lang", e);
                }
            }
            let targets = req.target_locales.unwrap_or_default();
            if targets.is_empty() {
                err("target_locales", "name at least one locale, such as `es-ES`".into());
            }
            if targets.len() > settings.max_locales {
                err("target_locales", format!("at most {} locales per job", settings.max_locales));
            }
            // The article's language, as the run will take it: an article
            // that cannot be read, or a target that is its own language or
            // listed twice, could only fail.
            let format = match article.format {
                ArticleFormat::Markdown => "markdown",
                ArticleFormat::Html => "html",
                ArticleFormat::Text => "text",
            };
            let readable =
                article.text.len() <= settings.max_article_bytes && !article.text.trim().is_empty();
            let detected = if readable {
                match diglot_pipeline::article_language(&article.text, format) {
                    Ok(found) => found,
                    Err(e) => {
                        err("article.text", e);
                        None
                    }
                }
            } else {
                None
            };
            let source = match &article.lang {
                Some(lang) => diglot_core::parse_locale(lang).ok(),
                None => detected,
            };
            for (i, t) in targets.iter().enumerate() {
                if let Err(e) = check_locale(t) {
                    err(&format!("target_locales[{i}]"), e);
                } else if targets[..i].contains(t) {
                    err(&format!("target_locales[{i}]"), format!("{t} is listed twice"));
                } else if source.as_ref().is_some_and(|s| s.to_string() == *t) {
                    err(
                        &format!("target_locales[{i}]"),
                        format!(
                            "{t} is the article's own language: list only the languages to \
                             translate into"
                        ),
                    );
                }
            }
            if let Some(providers) = &req.providers {
                for (i, p) in providers.iter().enumerate() {
                    if !PROVIDER_KINDS.contains(&p.as_str()) {
                        err(
                            &format!("providers[{i}]"),
                            format!(
                                "unknown provider `{p}`: use one of {}",
                                PROVIDER_KINDS.join(", ")
                            ),
                        );
                    }
                }
            }
            Some(JobSpec::Article {
                format: article.format,
                text: article.text,
                lang: article.lang,
                target_locales: targets,
                providers: req.providers,
            })
        }
        (None, Some(pipeline)) => {
            if req.target_locales.is_some() || req.providers.is_some() {
                err(
                    "pipeline",
                    "a pipeline job takes its locales and providers from its pipeline file".into(),
                );
            }
            let safe = !pipeline.is_empty()
                && pipeline.len() <= 100
                && pipeline.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !safe {
                err("pipeline", "a pipeline name is ASCII letters, digits, `-` and `_`".into());
            } else if !settings.root.join("pipelines").join(format!("{pipeline}.toml")).is_file() {
                err("pipeline", format!("the project has no pipelines/{pipeline}.toml"));
            }
            let mut steps = req.steps.unwrap_or_else(|| vec![Step::Build]);
            if steps.is_empty() {
                err("steps", "name at least one of extract, translate, build".into());
            }
            steps.sort();
            steps.dedup();
            Some(JobSpec::Pipeline { pipeline, steps })
        }
    };
    if !errors.is_empty() {
        return Err(Problem::invalid(errors));
    }
    Ok((spec.expect("valid when no errors"), req.callback_url))
}

/// Parses a JSON body, naming the field of the first error.
fn parse_json<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> ApiResult<T> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the job as JSON, with `Content-Type: application/json`",
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "(body)".to_string() } else { path };
        let inner = e.into_inner();
        let detail = strip_position(&inner.to_string());
        if inner.is_syntax() || inner.is_eof() {
            Problem::new(StatusCode::BAD_REQUEST, format!("the body is not valid JSON: {detail}"))
        } else {
            Problem::field(&field, detail)
        }
    })
}

/// serde_json appends `at line 1 column 42`; the field path says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A job ID: 12 hex digits of milliseconds, 4 of a sequence within the
/// millisecond, 6 random. IDs this process makes increase strictly, so jobs
/// submitted within one millisecond are still listed in the order they came.
fn new_job_id() -> String {
    static LAST: std::sync::Mutex<(i64, u32)> = std::sync::Mutex::new((0, 0));
    let now = crate::store::now_ms();
    let (ms, seq) = {
        let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
        *last = if now > last.0 {
            (now, 0)
        } else if last.1 < 0xffff {
            (last.0, last.1 + 1)
        } else {
            (last.0 + 1, 0)
        };
        *last
    };
    let random: [u8; 3] = auth::random_bytes();
    let r: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("{ms:012x}{seq:04x}{r}")
}

#[utoipa::path(
    post,
    path = "/v1/jobs",
    request_body = JobRequest,
    params(("Idempotency-Key" = Option<String>, Header, nullable = false, max_length = 200, pattern = "^[!-~]([ -~]*[!-~])?$", description = "A retried submit with the same key and request returns the same job; 1 to 200 visible ASCII characters")),
    responses(
        (status = 202, description = "Accepted; `Location` is the job's URL", body = JobView, headers(("Location" = String))),
        (status = 200, description = "The job submitted before with this Idempotency-Key", body = JobView),
        (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named; or an `Idempotency-Key` reused with a different request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["jobs:write"]))
)]
async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Response> {
    let caller = authorize(&state, &headers, Scope::JobsWrite).await?;
    let body = body.map_err(|e| {
        Problem::new(e.status(), format!("the request body could not be read: {}", e.body_text()))
    })?;
    let request: SubmitJob = parse_json(&headers, &body)?;
    let (spec, callback_url) = validate(request, &state.settings)?;
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => match v.to_str() {
            Ok(k) if !k.is_empty() && k.len() <= 200 => Some(k.to_string()),
            _ => {
                return Err(Problem::field("Idempotency-Key", "1 to 200 visible ASCII characters"));
            }
        },
    };
    // A retry of a job already accepted is answered even when the token is
    // at its limit of active jobs: it adds none.
    let retry = match &key {
        Some(k) => state.store.job_with_key(&caller.token_id, k).await?.is_some(),
        None => false,
    };
    if !retry
        && state.store.active_jobs_of(&caller.token_id).await? >= state.settings.max_active_jobs
    {
        let mut p = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "this token already has {} jobs queued or running; wait for some to finish",
                state.settings.max_active_jobs
            ),
        );
        p.retry_after = Some(5);
        return Err(p);
    }
    let spec_json = serde_json::to_string(&spec).expect("a job spec serializes");
    let mut job = JobRecord::new(
        new_job_id(),
        spec_json.clone(),
        caller.token_id.clone(),
        state.settings.max_attempts,
    );
    job.idempotency_key = key;
    if let JobSpec::Pipeline { pipeline, .. } = &spec {
        job.lock_key = Some(format!("pipeline:{pipeline}"));
    }
    job.callback_url = callback_url.clone();
    let (job, created) = state.store.insert_job(&job).await?;
    if !created && (job.spec != spec_json || job.callback_url != callback_url) {
        let key = job.idempotency_key.as_deref().unwrap_or_default();
        return Err(Problem::field(
            "Idempotency-Key",
            format!(
                "`{key}` was used for job {} with a different request; send a new key for a new job",
                job.id
            ),
        ));
    }
    if created {
        state.wake.notify_one();
    }
    let view = job_view(&*state.store, &job, false).await?;
    let location = format!("/v1/jobs/{}", job.id);
    let status = if created { StatusCode::ACCEPTED } else { StatusCode::OK };
    let mut response = (status, axum::Json(view)).into_response();
    response.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(&location).expect("job IDs are header-safe"),
    );
    Ok(response)
}

// ---------------------------------------------------------------- views

fn rfc3339(ms: i64) -> String {
    // Days to civil date (Howard Hinnant's algorithm), UTC.
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

/// A job as the API shows it (also the webhook's body).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobView {
    pub id: String,
    /// `article` or `pipeline`.
    pub kind: String,
    pub state: JobState,
    /// Times a worker started it (more than one when a worker died).
    pub attempts: i32,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Per target locale: segments done of total.
    pub progress: BTreeMap<String, LocaleProgress>,
    /// Coverage per target locale, once the job ran.
    pub locales: Vec<LocaleSummary>,
    /// Characters sent, cache hits and failures per provider.
    pub providers: Vec<ProviderSummary>,
    pub errors: Vec<String>,
    pub cancel_requested: bool,
    pub callback_url: Option<String>,
    /// Webhook delivery attempts.
    pub deliveries: Vec<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_locales: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
    /// URLs of the result files (editions, report.json, locale files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<String>>,
}

/// A page of jobs, newest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct JobList {
    pub jobs: Vec<JobView>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Builds a job's view; `with_results` lists its result files.
pub(crate) async fn job_view(
    store: &dyn JobStore,
    job: &JobRecord,
    with_results: bool,
) -> crate::store::Result<JobView> {
    let spec: Option<JobSpec> = serde_json::from_str(&job.spec).ok();
    let summary: Summary = serde_json::from_str(&job.summary).unwrap_or_default();
    let mut errors = summary.errors;
    if let Some(e) = &job.error {
        errors.insert(0, e.clone());
    }
    let mut view = JobView {
        id: job.id.clone(),
        kind: String::new(),
        state: job.state,
        attempts: job.attempts,
        created_at: rfc3339(job.created_at),
        started_at: job.started_at.map(rfc3339),
        finished_at: job.finished_at.map(rfc3339),
        progress: serde_json::from_str(&job.progress).unwrap_or_default(),
        locales: summary.locales,
        providers: summary.providers,
        errors,
        cancel_requested: job.cancel_requested,
        callback_url: job.callback_url.clone(),
        deliveries: serde_json::from_str(&job.deliveries).unwrap_or_default(),
        target_locales: None,
        pipeline: None,
        steps: None,
        results: None,
    };
    match spec {
        Some(JobSpec::Article { target_locales, .. }) => {
            view.kind = "article".into();
            view.target_locales = Some(target_locales);
        }
        Some(JobSpec::Pipeline { pipeline, steps }) => {
            view.kind = "pipeline".into();
            view.pipeline = Some(pipeline);
            view.steps = Some(steps);
        }
        None => view.kind = "unknown".into(),
    }
    if with_results {
        let names = store.file_names(&job.id).await?;
        view.results = Some(names.iter().map(|n| format!("/v1/jobs/{}/{n}", job.id)).collect());
    }
    Ok(view)
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_hexdigit())
}

async fn load(state: &AppState, id: &str) -> ApiResult<JobRecord> {
    if !valid_id(id) {
        return Err(Problem::new(StatusCode::NOT_FOUND, format!("no job `{id}`")));
    }
    state
        .store
        .job(id)
        .await?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, format!("no job `{id}`")))
}

#[utoipa::path(
    get,
    path = "/v1/jobs/{id}",
    params(("id" = String, Path, description = "The job's ID")),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["jobs:read"]))
)]
async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<JobView>> {
    authorize(&state, &headers, Scope::JobsRead).await?;
    let job = load(&state, &id).await?;
    Ok(axum::Json(job_view(&*state.store, &job, true).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// Only jobs in this state.
    #[param(value_type = Option<JobState>, nullable = false)]
    pub state: Option<String>,
    /// 1 to 200; 50 when omitted.
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub limit: Option<i64>,
    /// The previous page's `next_cursor`.
    #[param(pattern = "^[0-9a-fA-F]{1,40}$", nullable = false)]
    pub cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/v1/jobs",
    params(ListQuery),
    responses(
        (status = 200, description = "Jobs, newest first", body = JobList),
        (status = 422, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["jobs:read"]))
)]
async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<JobList>> {
    authorize(&state, &headers, Scope::JobsRead).await?;
    let Query(q) = query.map_err(|e| Problem::field("(query)", e.body_text()))?;
    let job_state = match q.state.as_deref() {
        None => None,
        Some(s) => Some(JobState::parse(s).ok_or_else(|| {
            Problem::field("state", "one of queued, running, succeeded, failed, canceled")
        })?),
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(Problem::field("limit", "between 1 and 200"));
    }
    if let Some(c) = &q.cursor {
        if !valid_id(c) {
            return Err(Problem::field("cursor", "use the `next_cursor` of the previous page"));
        }
    }
    let jobs = state.store.jobs(job_state, limit + 1, q.cursor.as_deref()).await?;
    let more = jobs.len() as i64 > limit;
    let mut items = Vec::new();
    for job in jobs.iter().take(limit as usize) {
        items.push(job_view(&*state.store, job, false).await?);
    }
    let next = if more { jobs.get(limit as usize - 1).map(|j| j.id.clone()) } else { None };
    Ok(axum::Json(JobList { jobs: items, next_cursor: next }))
}

#[utoipa::path(
    post,
    path = "/v1/jobs/{id}/cancel",
    params(("id" = String, Path, description = "The job's ID")),
    responses(
        (status = 202, description = "Canceled, or flagged for its worker, which stops before its next batch of sentences", body = JobView),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job already ended", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["jobs:write"]))
)]
async fn cancel(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    authorize(&state, &headers, Scope::JobsWrite).await?;
    load(&state, &id).await?;
    let job = state
        .store
        .cancel(&id)
        .await?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, format!("no job `{id}`")))?;
    if job.state.is_final() && job.state != JobState::Canceled {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            format!("job `{id}` already ended: {}", job.state.as_str()),
        ));
    }
    Ok((StatusCode::ACCEPTED, axum::Json(job_view(&*state.store, &job, false).await?))
        .into_response())
}

#[utoipa::path(
    get,
    path = "/v1/jobs/{id}/{path}",
    params(
        ("id" = String, Path, description = "The job's ID"),
        ("path" = String, Path, description = "A result: `editions/<locale>/index.html|index.md|index.json`, `report.json`, `locales/<locale>/<slug>.ftl`"),
    ),
    responses(
        (status = 200, description = "The file", content(
            (String = "text/html"), (String = "text/markdown"), (String = "application/json"), (String = "text/plain")
        )),
        (status = 404, description = "No such job or result", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["jobs:read"]))
)]
async fn result_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, path)): Path<(String, String)>,
) -> ApiResult<Response> {
    authorize(&state, &headers, Scope::JobsRead).await?;
    let job = load(&state, &id).await?;
    // Only names the job stored are looked up: nothing here reaches the
    // file system.
    let Some(bytes) = state.store.file(&id, &path).await? else {
        let detail = if job.state.is_final() {
            format!("job `{id}` has no result `{path}`")
        } else {
            format!("job `{id}` is {}; its results appear when it succeeds", job.state.as_str())
        };
        return Err(Problem::new(StatusCode::NOT_FOUND, detail));
    };
    let content_type = match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("json") => "application/json",
        Some("ftl") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/jobs/{id}/events",
    params(("id" = String, Path, description = "The job's ID")),
    responses(
        (status = 200, description = "Server-sent events: `progress` with the job whenever it changes, then `end` with its final state", content_type = "text/event-stream"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["jobs:read"]))
)]
async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>>> {
    authorize(&state, &headers, Scope::JobsRead).await?;
    load(&state, &id).await?;
    let store = state.store.clone();
    let stream = futures_util::stream::unfold(
        (store, id, String::new(), false),
        |(store, id, last, done)| async move {
            if done {
                return None;
            }
            loop {
                let job = match store.job(&id).await {
                    Ok(Some(job)) => job,
                    _ => return None,
                };
                let final_state = job.state.is_final();
                let view = job_view(&*store, &job, final_state).await.ok()?;
                let text = serde_json::to_string(&view).ok()?;
                if text != last {
                    let event = Event::default()
                        .event(if final_state { "end" } else { "progress" })
                        .data(text.clone());
                    return Some((Ok(event), (store, id, text, final_state)));
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "The process serves")))]
async fn healthz() -> &'static str {
    "ok\n"
}

#[utoipa::path(
    get,
    path = "/readyz",
    responses(
        (status = 200, description = "The job database answers"),
        (status = 503, description = "It does not", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn readyz(State(state): State<AppState>) -> Response {
    // A database that accepts connections but never answers is not ready
    // either; a load balancer should hear so before its own timeout.
    match tokio::time::timeout(Duration::from_secs(5), state.store.ping()).await {
        Ok(Ok(())) => "ready\n".into_response(),
        Ok(Err(e)) => Problem::new(StatusCode::SERVICE_UNAVAILABLE, format!("{e}")).into_response(),
        Err(_) => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the job database did not answer within 5 seconds",
        )
        .into_response(),
    }
}

#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "This document")))]
async fn openapi(State(state): State<AppState>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], ApiDoc::json_for(&state.settings))
        .into_response()
}

/// The OpenAPI 3.1 document, generated from the handlers and wire types.
#[derive(Debug, utoipa::OpenApi)]
#[openapi(
    info(title = "diglot job API", description = "Submit articles or pipelines, follow the jobs, fetch the editions."),
    paths(submit, list, show, cancel, events, result_file, healthz, readyz, openapi, crate::metrics::metrics),
    components(schemas(JobRequest, ArticleJob, ArticleDoc, PipelineJob, JobView, JobList, Problem, FieldError)),
    modifiers(&BearerAuth)
)]
pub(crate) struct ApiDoc;

impl ApiDoc {
    pub fn json() -> String {
        use utoipa::OpenApi as _;
        ApiDoc::openapi().to_pretty_json().expect("the document serializes")
    }

    /// The document as this server applies it: the project's pipelines are
    /// the names a pipeline job may give, and a `callback_url` must start
    /// with one of the allowed prefixes (without any, none is accepted).
    pub(crate) fn json_for(settings: &ApiSettings) -> String {
        let mut doc: serde_json::Value =
            serde_json::from_str(&ApiDoc::json()).expect("the document is JSON");
        let schemas = &mut doc["components"]["schemas"];
        schemas["ArticleJob"]["properties"]["target_locales"]["items"]["pattern"] =
            LOCALE_PATTERN.into();
        schemas["ArticleJob"]["properties"]["target_locales"]["maxItems"] =
            settings.max_locales.into();
        let mut pipelines: Vec<String> = std::fs::read_dir(settings.root.join("pipelines"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let stem = name.strip_suffix(".toml")?.to_string();
                let safe = !stem.is_empty()
                    && stem.len() <= 100
                    && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                safe.then_some(stem)
            })
            .collect();
        pipelines.sort();
        schemas["PipelineJob"]["properties"]["pipeline"]["enum"] = pipelines.into();
        let prefixes: Vec<String> = settings
            .callback_allow
            .iter()
            .filter_map(|p| reqwest::Url::parse(p).ok())
            .map(|u| regex_escape(u.as_str()))
            .collect();
        for job in ["ArticleJob", "PipelineJob"] {
            let properties = &mut schemas[job]["properties"];
            if prefixes.is_empty() {
                if let Some(map) = properties.as_object_mut() {
                    map.remove("callback_url");
                }
            } else {
                properties["callback_url"]["pattern"] =
                    format!("^({})[^\\s#]*$", prefixes.join("|")).into();
            }
        }
        serde_json::to_string_pretty(&doc).expect("the document serializes")
    }
}

/// `text` as a regular expression that matches only itself.
fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(Debug)]
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn job_ids_increase_strictly_within_a_millisecond() {
        let ids: Vec<String> = (0..5000).map(|_| super::new_job_id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "not increasing");
        assert!(ids.iter().all(|id| id.len() == 22 && id.chars().all(|c| c.is_ascii_hexdigit())));
    }

    #[test]
    fn rfc3339_dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(super::rfc3339(1_764_000_000_123), "2025-11-24T16:00:00.123Z");
        assert_eq!(super::rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
