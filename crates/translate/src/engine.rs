//! The chain that fills missing and stale segments.
//!
//! For each segment, in order: translation memory exact match, memory fuzzy
//! match at or above the threshold, then each machine-translation provider
//! in turn. A draft whose markup, link targets or numbers differ from the
//! source is rejected and the next source is tried; what no source can fill
//! stays missing (the edition then shows the source text, marked).
//!
//! Providers see protected text only ([`crate::protect`]). Every answer is
//! cached by provider, settings, pair, glossary version and text, so the same
//! text is never paid for twice. Requests are split to each provider's
//! limits and run with its concurrency; 429, 5xx and timeouts are retried
//! with exponential backoff and jitter (honouring `Retry-After`);
//! authentication and quota errors are not, and stop the provider. A
//! provider that fails several batches in a row is switched off for the rest
//! of the run (its circuit breaker opens), and the report says so.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use diglot_core::SegmentId;
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::glossary::Glossary;
use crate::memory::{CacheKey, Memory};
use crate::protect::{self, Protected};
use crate::{Batch, Pair, ProviderError, TextKind, Translator};

/// How the engine behaves; the defaults suit the public services.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Minimum fuzzy-match score (0..=1) for a memory draft.
    pub fuzzy_threshold: f64,
    /// Retries of one batch after a retryable error.
    pub max_retries: u32,
    /// The first backoff; doubled each retry, with ±50% jitter.
    pub backoff_base: Duration,
    /// The longest wait between two attempts, `Retry-After` included.
    pub backoff_max: Duration,
    /// Consecutive failed batches that switch a provider off.
    pub breaker_threshold: u32,
    /// Whether translation memory matches are used; off when a provider
    /// is being evaluated on its own (its MT cache still applies).
    pub memory_matches: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fuzzy_threshold: 0.75,
            max_retries: 4,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            breaker_threshold: 3,
            memory_matches: true,
        }
    }
}

/// One segment to translate.
#[derive(Debug, Clone)]
pub struct Request {
    pub id: SegmentId,
    /// The source sentence (Markdown inline).
    pub source: String,
    pub kind: TextKind,
}

/// Where a draft came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Origin {
    MemoryExact,
    MemoryFuzzy { score: f64 },
    Provider { name: String },
}

impl Origin {
    /// The label a translator reads after `# unreviewed:`.
    pub fn label(&self) -> String {
        match self {
            Origin::MemoryExact => "memory 100%".to_string(),
            Origin::MemoryFuzzy { score } => format!("memory {:.0}%", (score * 100.0).floor()),
            Origin::Provider { name } => name.clone(),
        }
    }
}

/// A translation proposed for a segment, awaiting review.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub id: SegmentId,
    /// Markdown inline, restored from the provider's answer.
    pub text: String,
    pub origin: Origin,
    /// Problems a translator should look at (glossary terms not respected).
    pub checks: Vec<String>,
}

/// The state of a provider's circuit breaker at the end of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Breaker {
    Closed,
    /// Switched off for the rest of the run, and why.
    Open {
        reason: String,
    },
}

/// What one provider did during a run.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderStats {
    pub name: String,
    /// Requests made, retries included.
    pub requests: usize,
    pub retries: usize,
    /// Segments and characters that reached the provider (each attempt
    /// counts; a refused connection or a missing program does not).
    pub segments_sent: usize,
    pub characters_sent: usize,
    /// Segments answered from the MT cache, at no cost.
    pub cache_hits: usize,
    /// Drafts accepted from this provider.
    pub drafts: usize,
    /// Drafts refused because their markup, links or numbers differ.
    pub rejected: usize,
    /// Failed batches (after retries).
    pub failures: usize,
    pub breaker: Breaker,
    /// The last error, for the report.
    pub last_error: Option<String>,
}

impl ProviderStats {
    fn new(name: &str) -> ProviderStats {
        ProviderStats {
            name: name.to_string(),
            requests: 0,
            retries: 0,
            segments_sent: 0,
            characters_sent: 0,
            cache_hits: 0,
            drafts: 0,
            rejected: 0,
            failures: 0,
            breaker: Breaker::Closed,
            last_error: None,
        }
    }
}

/// The outcome of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Fill {
    /// The drafts themselves go to the locale files, not to reports.
    #[serde(skip)]
    pub drafts: Vec<Draft>,
    /// Segments no source could fill.
    pub unfilled: Vec<SegmentId>,
    pub memory_exact: usize,
    pub memory_fuzzy: usize,
    /// Memory drafts refused by the checks.
    pub memory_rejected: usize,
    pub providers: Vec<ProviderStats>,
    /// Whether the run was stopped (Ctrl-C) before it finished.
    pub interrupted: bool,
}

impl Fill {
    /// One line per provider that failed (`deepl: quota exhausted: …`),
    /// when segments were left unfilled: the run did not do its job.
    pub fn errors(&self) -> Vec<String> {
        if self.unfilled.is_empty() { Vec::new() } else { self.provider_problems() }
    }

    /// The same lines when the next sources made up for every failure.
    pub fn warnings(&self) -> Vec<String> {
        if self.unfilled.is_empty() { self.provider_problems() } else { Vec::new() }
    }

    fn provider_problems(&self) -> Vec<String> {
        self.providers
            .iter()
            .filter_map(|p| match (&p.breaker, &p.last_error) {
                (Breaker::Open { reason }, _) => Some(format!("{}: {reason}", p.name)),
                (Breaker::Closed, Some(last)) if p.failures > 0 => {
                    Some(format!("{}: {} failed requests; last: {last}", p.name, p.failures))
                }
                _ => None,
            })
            .collect()
    }
}

/// What a run would send, without sending anything.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub memory_exact: usize,
    pub memory_fuzzy: usize,
    /// The provider that would be asked first, and what it would get.
    pub provider: Option<String>,
    pub cache_hits: usize,
    /// Segments that would be sent, with their character counts.
    pub to_send: Vec<(SegmentId, usize)>,
    pub characters: usize,
}

/// Told a provider's name, the segments it has answered and the segments
/// it was asked for.
pub type ProgressFn<'a> = dyn Fn(&str, usize, usize) + Send + Sync + 'a;

/// The chain: a memory, a glossary and providers, in order.
pub struct Engine<'a> {
    pub memory: Option<&'a Memory>,
    pub glossary: Option<&'a Glossary>,
    pub providers: Vec<Arc<dyn Translator>>,
    pub settings: Settings,
    /// Told after each answered batch: provider, segments done, segments
    /// it was asked for. For progress on a terminal.
    pub progress: Option<&'a ProgressFn<'a>>,
}

impl std::fmt::Debug for Engine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.providers.iter().map(|p| p.name()).collect();
        f.debug_struct("Engine")
            .field("providers", &names)
            .field("settings", &self.settings)
            .finish()
    }
}

/// A batch after its retries.
struct Sent {
    /// The segment indices.
    batch: Vec<usize>,
    result: Result<Vec<String>, ProviderError>,
    /// Requests made, and how many of them got to the provider.
    attempts: usize,
    reached: usize,
}

/// A segment still looking for a draft.
struct Pending {
    index: usize,
    protected: Protected,
}

impl Engine<'_> {
    fn glossary_version(&self) -> String {
        self.glossary.map(Glossary::version).unwrap_or_default()
    }

    fn cache_key(&self, provider: &dyn Translator, pair: &Pair, text: &str) -> CacheKey {
        CacheKey {
            provider: provider.name().to_string(),
            fingerprint: provider.fingerprint(),
            pair: pair.clone(),
            glossary_version: self.glossary_version(),
            text: text.to_string(),
        }
    }

    /// Memory lookups: exact, then fuzzy; drafts that fail the checks are
    /// dropped. Returns the drafts and the indices still to translate.
    fn lookup_memory(
        &self,
        pair: &Pair,
        requests: &[Request],
        fill: &mut Fill,
    ) -> (Vec<Option<Draft>>, Vec<usize>) {
        let mut drafts: Vec<Option<Draft>> = vec![None; requests.len()];
        let mut rest = Vec::new();
        for (i, req) in requests.iter().enumerate() {
            let found = self.memory.filter(|_| self.settings.memory_matches).and_then(|m| {
                if let Ok(Some(hit)) = m.exact(pair, &req.source) {
                    return Some((hit.target, Origin::MemoryExact));
                }
                match m.fuzzy(pair, &req.source, self.settings.fuzzy_threshold) {
                    Ok(Some(hit)) => Some((hit.target, Origin::MemoryFuzzy { score: hit.score })),
                    _ => None,
                }
            });
            match found {
                Some((text, origin)) if protect::check(&req.source, &text).is_ok() => {
                    match origin {
                        Origin::MemoryExact => fill.memory_exact += 1,
                        _ => fill.memory_fuzzy += 1,
                    }
                    drafts[i] = Some(self.draft(req, text, origin));
                }
                Some(_) => {
                    fill.memory_rejected += 1;
                    rest.push(i);
                }
                None => rest.push(i),
            }
        }
        (drafts, rest)
    }

    fn draft(&self, req: &Request, text: String, origin: Origin) -> Draft {
        let checks = self
            .glossary
            .map(|g| g.check(&req.source, &text).iter().map(|v| format!("glossary: {v}")).collect())
            .unwrap_or_default();
        Draft { id: req.id.clone(), text, origin, checks }
    }

    /// Says what [`Engine::fill`] would do, sending nothing.
    pub fn plan(&self, pair: &Pair, requests: &[Request]) -> Plan {
        let mut fill = empty_fill(&self.providers);
        let (_, rest) = self.lookup_memory(pair, requests, &mut fill);
        let mut plan = Plan {
            memory_exact: fill.memory_exact,
            memory_fuzzy: fill.memory_fuzzy,
            provider: None,
            cache_hits: 0,
            to_send: Vec::new(),
            characters: 0,
        };
        let Some(provider) = self.providers.first() else {
            return plan;
        };
        plan.provider = Some(provider.name().to_string());
        for i in rest {
            let protected = protect::protect(&requests[i].source);
            let key = self.cache_key(provider.as_ref(), pair, &protected.text);
            if self.memory.is_some_and(|m| matches!(m.cached(&key), Ok(Some(_)))) {
                plan.cache_hits += 1;
            } else {
                let chars = protected.text.chars().count();
                plan.characters += chars;
                plan.to_send.push((requests[i].id.clone(), chars));
            }
        }
        plan
    }

    /// Fills `requests` through the chain. Runs its own single-threaded
    /// runtime; when `stop_on_ctrl_c` is set, Ctrl-C ends the run early and
    /// returns the drafts made so far (`interrupted` is then true).
    pub fn fill(&self, pair: &Pair, requests: &[Request], stop_on_ctrl_c: bool) -> Fill {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        let Ok(runtime) = runtime else {
            let mut fill = empty_fill(&self.providers);
            fill.unfilled = requests.iter().map(|r| r.id.clone()).collect();
            return fill;
        };
        runtime.block_on(self.fill_async(pair, requests, stop_on_ctrl_c))
    }

    async fn fill_async(&self, pair: &Pair, requests: &[Request], stop_on_ctrl_c: bool) -> Fill {
        let mut fill = empty_fill(&self.providers);
        let (mut drafts, mut rest) = self.lookup_memory(pair, requests, &mut fill);
        let ctrl_c = async {
            if stop_on_ctrl_c {
                let _ = tokio::signal::ctrl_c().await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::pin!(ctrl_c);
        for (p, provider) in self.providers.iter().enumerate() {
            if rest.is_empty() || fill.interrupted {
                break;
            }
            let outcome = tokio::select! {
                out = self.run_provider(provider.clone(), pair, requests, &rest, &mut drafts, &mut fill.providers[p]) => out,
                _ = &mut ctrl_c => { fill.interrupted = true; break; }
            };
            rest = outcome;
        }
        // Drafts made before an interruption are kept (run_provider writes
        // them as they arrive); what is left stays missing.
        fill.unfilled = requests
            .iter()
            .zip(&drafts)
            .filter(|(_, d)| d.is_none())
            .map(|(r, _)| r.id.clone())
            .collect();
        fill.drafts = drafts.into_iter().flatten().collect();
        fill
    }

    /// Sends `indices` to one provider. Returns the indices it could not fill.
    async fn run_provider(
        &self,
        provider: Arc<dyn Translator>,
        pair: &Pair,
        requests: &[Request],
        indices: &[usize],
        drafts: &mut [Option<Draft>],
        stats: &mut ProviderStats,
    ) -> Vec<usize> {
        let mut failed: Vec<usize> = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        for &i in indices {
            let protected = protect::protect(&requests[i].source);
            let key = self.cache_key(provider.as_ref(), pair, &protected.text);
            match self.memory.map(|m| m.cached(&key)) {
                Some(Ok(Some(answer))) => {
                    stats.cache_hits += 1;
                    if !self.accept(&provider, &requests[i], &protected, &answer, drafts, i, stats)
                    {
                        failed.push(i);
                    }
                }
                _ => pending.push(Pending { index: i, protected }),
            }
        }

        let limits = provider.limits();
        let batches =
            split_batches(&pending, requests, limits.max_texts.max(1), limits.max_bytes.max(1));
        let semaphore = Arc::new(Semaphore::new(limits.concurrency.max(1)));
        let mut tasks: JoinSet<Sent> = JoinSet::new();
        let mut queue = batches.into_iter();
        let mut consecutive_failures = 0;
        let by_index: HashMap<usize, &Pending> = pending.iter().map(|p| (p.index, p)).collect();
        let mut done = 0;

        loop {
            // Keep up to `concurrency` batches in flight.
            while tasks.len() < limits.concurrency.max(1) && stats.breaker == Breaker::Closed {
                let Some(batch) = queue.next() else { break };
                let texts: Vec<String> =
                    batch.iter().map(|i| by_index[i].protected.text.clone()).collect();
                let kind = requests[batch[0]].kind;
                let terms = self
                    .glossary
                    .map(|g| {
                        let mut terms = Vec::new();
                        for i in &batch {
                            for t in g.terms_in(&requests[*i].source) {
                                if !terms.contains(&t) {
                                    terms.push(t);
                                }
                            }
                        }
                        terms
                    })
                    .unwrap_or_default();
                let provider = provider.clone();
                let pair = pair.clone();
                let settings = self.settings.clone();
                let semaphore = semaphore.clone();
                tasks.spawn(async move {
                    let _permit = semaphore.acquire_owned().await;
                    let (result, attempts, reached) = send_with_retries(
                        provider.as_ref(),
                        &texts,
                        &pair,
                        kind,
                        &terms,
                        &settings,
                    )
                    .await;
                    Sent { batch, result, attempts, reached }
                });
            }
            let Some(joined) = tasks.join_next().await else { break };
            let Ok(Sent { batch, result, attempts, reached }) = joined else { continue };
            let chars: usize =
                batch.iter().map(|i| by_index[i].protected.text.chars().count()).sum();
            done += batch.len();
            if let Some(progress) = self.progress {
                progress(provider.name(), done, pending.len());
            }
            stats.requests += attempts;
            stats.retries += attempts - 1;
            stats.segments_sent += batch.len() * reached;
            stats.characters_sent += chars * reached;
            match result {
                Ok(answers) if answers.len() == batch.len() => {
                    consecutive_failures = 0;
                    for (i, answer) in batch.iter().zip(answers) {
                        let p = by_index[i];
                        let key = self.cache_key(provider.as_ref(), pair, &p.protected.text);
                        if let Some(m) = self.memory {
                            let _ = m.store(&key, &answer);
                        }
                        if !self.accept(
                            &provider,
                            &requests[*i],
                            &p.protected,
                            &answer,
                            drafts,
                            *i,
                            stats,
                        ) {
                            failed.push(*i);
                        }
                    }
                }
                Ok(answers) => {
                    let err = ProviderError::WrongCount { sent: batch.len(), got: answers.len() };
                    consecutive_failures += 1;
                    self.record_failure(stats, &err, consecutive_failures);
                    failed.extend(batch);
                }
                Err(err) => {
                    consecutive_failures += 1;
                    self.record_failure(stats, &err, consecutive_failures);
                    failed.extend(batch);
                }
            }
        }
        // Batches never sent because the breaker opened.
        for batch in queue {
            failed.extend(batch);
        }
        failed.sort_unstable();
        failed
    }

    fn record_failure(&self, stats: &mut ProviderStats, err: &ProviderError, consecutive: u32) {
        stats.failures += 1;
        stats.last_error = Some(err.to_string());
        if err.stops_provider() {
            stats.breaker = Breaker::Open { reason: err.to_string() };
        } else if consecutive >= self.settings.breaker_threshold {
            stats.breaker = Breaker::Open {
                reason: format!("{consecutive} failed requests in a row; last: {err}"),
            };
        }
    }

    /// Restores and checks an answer; stores the draft when it passes.
    #[allow(clippy::too_many_arguments)]
    fn accept(
        &self,
        provider: &Arc<dyn Translator>,
        req: &Request,
        protected: &Protected,
        answer: &str,
        drafts: &mut [Option<Draft>],
        i: usize,
        stats: &mut ProviderStats,
    ) -> bool {
        let restored = protect::restore(protected, answer).and_then(|text| {
            protect::check(&req.source, &text)?;
            Ok(text)
        });
        match restored {
            Ok(text) => {
                stats.drafts += 1;
                drafts[i] = Some(self.draft(
                    req,
                    text,
                    Origin::Provider { name: provider.name().to_string() },
                ));
                true
            }
            Err(_) => {
                stats.rejected += 1;
                false
            }
        }
    }
}

fn empty_fill(providers: &[Arc<dyn Translator>]) -> Fill {
    Fill {
        drafts: Vec::new(),
        unfilled: Vec::new(),
        memory_exact: 0,
        memory_fuzzy: 0,
        memory_rejected: 0,
        providers: providers.iter().map(|p| ProviderStats::new(p.name())).collect(),
        interrupted: false,
    }
}

/// Groups pending segments into batches of one text kind that fit the limits.
fn split_batches(
    pending: &[Pending],
    requests: &[Request],
    max_texts: usize,
    max_bytes: usize,
) -> Vec<Vec<usize>> {
    let mut by_kind: BTreeMap<u8, Vec<&Pending>> = BTreeMap::new();
    for p in pending {
        let kind = match requests[p.index].kind {
            TextKind::Headline => 0,
            TextKind::Body => 1,
        };
        by_kind.entry(kind).or_default().push(p);
    }
    let mut batches = Vec::new();
    for group in by_kind.into_values() {
        let mut batch: Vec<usize> = Vec::new();
        let mut bytes = 0;
        for p in group {
            let len = p.protected.text.len();
            if !batch.is_empty() && (batch.len() >= max_texts || bytes + len > max_bytes) {
                batches.push(std::mem::take(&mut batch));
                bytes = 0;
            }
            batch.push(p.index);
            bytes += len;
        }
        if !batch.is_empty() {
            batches.push(batch);
        }
    }
    batches
}

/// One batch, retried on 429, 5xx and timeouts. Returns the result, the
/// number of attempts and how many of them reached the provider.
async fn send_with_retries(
    provider: &dyn Translator,
    texts: &[String],
    pair: &Pair,
    kind: TextKind,
    glossary: &[crate::GlossaryTerm],
    settings: &Settings,
) -> (Result<Vec<String>, ProviderError>, usize, usize) {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = provider.translate(Batch { texts, pair, kind, glossary }).await;
        match result {
            Err(err) if err.is_retryable() && attempt <= settings.max_retries as usize => {
                let wait = backoff(settings, attempt, &err);
                tokio::time::sleep(wait).await;
            }
            other => {
                let unreached = other.as_ref().is_err_and(|e| !e.reached_provider());
                return (other, attempt, attempt - usize::from(unreached));
            }
        }
    }
}

/// Exponential backoff with ±50% jitter, or the server's `Retry-After`,
/// capped at `backoff_max`.
pub(crate) fn backoff(settings: &Settings, attempt: usize, err: &ProviderError) -> Duration {
    if let ProviderError::RateLimited { retry_after: Some(after) } = err {
        return (*after).min(settings.backoff_max);
    }
    let exp = settings.backoff_base.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(16));
    let jitter = 0.5 + fastrand::f64();
    exp.mul_f64(jitter).min(settings.backoff_max)
}

#[cfg(test)]
mod tests;
