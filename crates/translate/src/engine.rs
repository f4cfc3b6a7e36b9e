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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diglot_core::SegmentId;
use serde::Serialize;
use tokio::task::JoinSet;

use crate::glossary::Glossary;
use crate::memory::{CacheKey, Memory};
use crate::protect::{self, Protected, Reason, Rejection};
use crate::provider::printable;
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
    /// Set from another thread to end a fill early, as Ctrl-C does: the
    /// batches in flight are dropped and the drafts made so far kept.
    pub stop: Option<Arc<AtomicBool>>,
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
            stop: None,
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

/// A draft that did not pass the checks.
#[derive(Debug, Clone, Serialize)]
pub struct RejectedDraft {
    pub id: SegmentId,
    /// Where it came from ([`Origin::label`]).
    pub origin: String,
    pub reason: Reason,
    /// What exactly differs.
    pub message: String,
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
    /// Of those, drafts kept but flagged for the translator because they do
    /// not render a glossary term as the glossary says (`# check:` lines).
    pub glossary_flagged: usize,
    /// Drafts refused because their markup, links or numbers differ, or
    /// because their batch came back with the wrong number of texts.
    pub rejected: usize,
    /// `rejected`, by reason.
    pub rejections: BTreeMap<Reason, usize>,
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
            glossary_flagged: 0,
            rejected: 0,
            rejections: BTreeMap::new(),
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
    /// Every draft refused, and why.
    pub rejected: Vec<RejectedDraft>,
    /// What went wrong in the engine itself, once per kind: the memory or
    /// MT cache could not be read or written, a batch panicked (its
    /// segments went on to the next provider), the runtime did not start.
    pub problems: Vec<String>,
    pub providers: Vec<ProviderStats>,
    /// Whether the run was stopped (Ctrl-C, or [`Settings::stop`]) before it
    /// finished.
    pub interrupted: bool,
}

impl Fill {
    /// The engine's [`problems`](Fill::problems), and one line per provider
    /// that failed (`deepl: quota exhausted: …`) when segments were left
    /// unfilled: the run did not do its job.
    pub fn errors(&self) -> Vec<String> {
        let mut errors = self.problems.clone();
        if !self.unfilled.is_empty() {
            errors.extend(self.provider_problems());
        }
        errors
    }

    fn problem(&mut self, message: String) {
        let message = printable(&message);
        if !self.problems.contains(&message) {
            self.problems.push(message);
        }
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
    /// The memory or MT cache could not be read (see [`Fill::problems`]).
    pub problems: Vec<String>,
}

/// Told a provider's name, the segments it has answered and the segments
/// it was asked for.
pub type ProgressFn<'a> = dyn Fn(&str, usize, usize) + Send + Sync + 'a;

/// The circuit breakers of one command's providers, shared by every
/// [`Engine`] the command runs (one per locale and pipeline): a provider
/// switched off, for failing too often or for a reason that stops it (a
/// refused key, a spent quota), stays off until the command ends. Keyed by
/// provider name and fingerprint, so two services of one kind are apart.
#[derive(Debug, Clone, Default)]
pub struct Breakers(Arc<Mutex<HashMap<(String, String), BreakerState>>>);

#[derive(Debug, Default)]
struct BreakerState {
    consecutive_failures: u32,
    open: Option<String>,
}

impl Breakers {
    fn state<T>(&self, provider: &dyn Translator, f: impl FnOnce(&mut BreakerState) -> T) -> T {
        let key = (provider.name().to_string(), provider.fingerprint());
        // A poisoned lock only means another batch panicked; the counts
        // stay meaningful.
        let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        f(all.entry(key).or_default())
    }

    /// Why the provider is switched off, if it is.
    fn open_reason(&self, provider: &dyn Translator) -> Option<String> {
        self.state(provider, |s| s.open.clone())
    }

    fn success(&self, provider: &dyn Translator) {
        self.state(provider, |s| s.consecutive_failures = 0);
    }

    /// Counts a failed batch; returns why the breaker is open, if it is.
    fn failure(
        &self,
        provider: &dyn Translator,
        err: &ProviderError,
        threshold: u32,
    ) -> Option<String> {
        self.state(provider, |s| {
            s.consecutive_failures += 1;
            if s.open.is_none() {
                if err.stops_provider() {
                    s.open = Some(printable(&err.to_string()));
                } else if s.consecutive_failures >= threshold {
                    s.open = Some(printable(&format!(
                        "{} failed requests in a row; last: {err}",
                        s.consecutive_failures
                    )));
                }
            }
            s.open.clone()
        })
    }
}

/// The chain: a memory, a glossary and providers, in order.
pub struct Engine<'a> {
    pub memory: Option<&'a Memory>,
    pub glossary: Option<&'a Glossary>,
    pub providers: Vec<Arc<dyn Translator>>,
    pub settings: Settings,
    /// Told after each answered batch: provider, segments done, segments
    /// it was asked for. For progress on a terminal.
    pub progress: Option<&'a ProgressFn<'a>>,
    /// Shared with the other runs of the same command.
    pub breakers: Breakers,
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
        let memory = self.memory.filter(|_| self.settings.memory_matches);
        for (i, req) in requests.iter().enumerate() {
            let found = memory.and_then(|m| {
                let exact = m
                    .exact(pair, &req.source)
                    .map(|hit| hit.map(|hit| (hit.target, Origin::MemoryExact)));
                let found = match exact {
                    Ok(None) => m
                        .fuzzy(pair, &req.source, self.settings.fuzzy_threshold)
                        .map(|hit| hit.map(|h| (h.target, Origin::MemoryFuzzy { score: h.score }))),
                    other => other,
                };
                found.unwrap_or_else(|e| {
                    fill.problem(format!("translation memory: {}", with_causes(&e)));
                    None
                })
            });
            let Some((text, origin)) = found else {
                rest.push(i);
                continue;
            };
            match protect::check(pair, &req.source, &text) {
                Ok(()) => {
                    match origin {
                        Origin::MemoryExact => fill.memory_exact += 1,
                        _ => fill.memory_fuzzy += 1,
                    }
                    drafts[i] = Some(self.draft(req, text, origin));
                }
                Err(rejection) => {
                    fill.memory_rejected += 1;
                    fill.rejected.push(RejectedDraft {
                        id: req.id.clone(),
                        origin: origin.label(),
                        reason: rejection.reason(),
                        message: printable(&rejection.to_string()),
                    });
                    rest.push(i);
                }
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
            problems: std::mem::take(&mut fill.problems),
        };
        let Some(provider) = self.providers.first() else {
            return plan;
        };
        plan.provider = Some(provider.name().to_string());
        for i in rest {
            let protected = protect::protect(&requests[i].source);
            let key = self.cache_key(provider.as_ref(), pair, &protected.text);
            let cached = match self.memory.map(|m| m.cached(&key)) {
                Some(Ok(found)) => found.is_some(),
                Some(Err(e)) => {
                    let problem =
                        printable(&format!("machine-translation cache: {}", with_causes(&e)));
                    if !plan.problems.contains(&problem) {
                        plan.problems.push(problem);
                    }
                    false
                }
                None => false,
            };
            if cached {
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
        self.fill_on(runtime, pair, requests, stop_on_ctrl_c)
    }

    fn fill_on(
        &self,
        runtime: std::io::Result<tokio::runtime::Runtime>,
        pair: &Pair,
        requests: &[Request],
        stop_on_ctrl_c: bool,
    ) -> Fill {
        let runtime = match runtime {
            Ok(runtime) => runtime,
            Err(e) => {
                let mut fill = empty_fill(&self.providers);
                fill.unfilled = requests.iter().map(|r| r.id.clone()).collect();
                fill.problem(format!("cannot start the machine-translation runtime: {e}"));
                return fill;
            }
        };
        runtime.block_on(self.fill_async(pair, requests, stop_on_ctrl_c))
    }

    async fn fill_async(&self, pair: &Pair, requests: &[Request], stop_on_ctrl_c: bool) -> Fill {
        let mut fill = empty_fill(&self.providers);
        let (mut drafts, mut rest) = self.lookup_memory(pair, requests, &mut fill);
        let signal = async {
            if stop_on_ctrl_c {
                let _ = tokio::signal::ctrl_c().await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        let stop = self.settings.stop.clone();
        let flag = async move {
            match stop {
                Some(stop) => {
                    while !stop.load(Ordering::SeqCst) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
                None => std::future::pending::<()>().await,
            }
        };
        let ctrl_c = async {
            tokio::select! {
                () = signal => {}
                () = flag => {}
            }
        };
        tokio::pin!(ctrl_c);
        for (p, provider) in self.providers.iter().enumerate() {
            if rest.is_empty() || fill.interrupted {
                break;
            }
            let mut run = ProviderRun {
                engine: self,
                provider: provider.clone(),
                pair,
                requests,
                drafts: &mut drafts,
                stats: &mut fill.providers[p],
                failed: Vec::new(),
                rejected: Vec::new(),
                problems: Vec::new(),
            };
            let finished = tokio::select! {
                () = run.run(&rest) => true,
                _ = &mut ctrl_c => false,
            };
            run.rejected.sort_by_key(|(i, _)| *i);
            fill.rejected.extend(run.rejected.drain(..).map(|(_, r)| r));
            let mut problems = std::mem::take(&mut run.problems);
            problems.sort();
            rest = std::mem::take(&mut run.failed);
            for problem in problems {
                fill.problem(problem);
            }
            if !finished {
                fill.interrupted = true;
                break;
            }
        }
        // Drafts made before an interruption are kept (ProviderRun writes
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
}

/// One provider's turn in the chain: what it is asked, what it answered,
/// and what is left for the next source.
struct ProviderRun<'e, 'r> {
    engine: &'e Engine<'e>,
    provider: Arc<dyn Translator>,
    pair: &'r Pair,
    requests: &'r [Request],
    drafts: &'r mut [Option<Draft>],
    stats: &'r mut ProviderStats,
    /// Segments this provider could not fill, for the next source.
    failed: Vec<usize>,
    /// With the segment's index, to be put in order: batches finish in any
    /// order, reports must not change from run to run.
    rejected: Vec<(usize, RejectedDraft)>,
    /// For [`Fill::problems`].
    problems: Vec<String>,
}

impl ProviderRun<'_, '_> {
    /// Fills what it can of `indices`: from the MT cache, then by sending
    /// batches, up to the provider's concurrency at once. Leaves the
    /// indices it could not fill, sorted, in `failed`.
    async fn run(&mut self, indices: &[usize]) {
        let pending = self.answer_from_cache(indices);
        if let Some(reason) = self.engine.breakers.open_reason(self.provider.as_ref()) {
            self.stats.breaker = Breaker::Open { reason };
            self.failed.extend(pending.iter().map(|p| p.index));
            self.failed.sort_unstable();
            return;
        }
        let limits = self.provider.limits();
        let mut queue = split_batches(
            &pending,
            self.requests,
            limits.max_texts.max(1),
            limits.max_bytes.max(1),
        )
        .into_iter();
        let by_index: HashMap<usize, &Pending> = pending.iter().map(|p| (p.index, p)).collect();
        let mut tasks: JoinSet<Sent> = JoinSet::new();
        let mut in_flight: HashMap<tokio::task::Id, Vec<usize>> = HashMap::new();
        let mut done = 0;
        loop {
            // The set's size is the concurrency bound.
            while tasks.len() < limits.concurrency.max(1) && self.stats.breaker == Breaker::Closed {
                let Some(batch) = queue.next() else { break };
                let task = tasks.spawn(self.send(batch.clone(), &by_index));
                in_flight.insert(task.id(), batch);
            }
            let Some(joined) = tasks.join_next_with_id().await else { break };
            let sent = match joined {
                Ok((id, sent)) => {
                    in_flight.remove(&id);
                    sent
                }
                Err(e) => {
                    // A bug in the provider: its segments go on to the next.
                    let batch = in_flight.remove(&e.id()).unwrap_or_default();
                    self.problems.push(format!(
                        "{}: a batch of {} segments panicked: {}",
                        self.provider.name(),
                        batch.len(),
                        panic_message(e)
                    ));
                    self.failed.extend(batch);
                    continue;
                }
            };
            done += sent.batch.len();
            if let Some(progress) = self.engine.progress {
                progress(self.provider.name(), done, pending.len());
            }
            self.answered(sent, &by_index);
        }
        // Batches never sent because the breaker opened.
        self.failed.extend(queue.flatten());
        self.failed.sort_unstable();
    }

    /// Takes the cached answers that pass the checks; returns the segments
    /// still to send.
    fn answer_from_cache(&mut self, indices: &[usize]) -> Vec<Pending> {
        let mut pending = Vec::new();
        for &i in indices {
            let protected = protect::protect(&self.requests[i].source);
            let key = self.key(&protected);
            let cached = match self.engine.memory.map(|m| m.cached(&key)) {
                Some(Ok(Some(answer))) => self.checked(i, &protected, &answer).ok(),
                Some(Err(e)) => {
                    self.problems.push(format!("machine-translation cache: {}", with_causes(&e)));
                    None
                }
                _ => None,
            };
            match cached {
                Some(text) => {
                    self.stats.cache_hits += 1;
                    self.take(i, text);
                }
                None => pending.push(Pending { index: i, protected }),
            }
        }
        pending
    }

    fn key(&self, protected: &Protected) -> CacheKey {
        self.engine.cache_key(self.provider.as_ref(), self.pair, &protected.text)
    }

    /// The task that sends one batch, with its retries.
    fn send(
        &self,
        batch: Vec<usize>,
        by_index: &HashMap<usize, &Pending>,
    ) -> impl Future<Output = Sent> + Send + 'static {
        let texts: Vec<String> = batch.iter().map(|i| by_index[i].protected.text.clone()).collect();
        let kind = self.requests[batch[0]].kind;
        let mut terms = Vec::new();
        if let Some(glossary) = self.engine.glossary {
            for i in &batch {
                for t in glossary.terms_in(&self.requests[*i].source) {
                    if !terms.contains(&t) {
                        terms.push(t);
                    }
                }
            }
        }
        let provider = self.provider.clone();
        let pair = self.pair.clone();
        let settings = self.engine.settings.clone();
        async move {
            let (result, attempts, reached) =
                send_with_retries(provider.as_ref(), &texts, &pair, kind, &terms, &settings).await;
            Sent { batch, result, attempts, reached }
        }
    }

    /// Counts a sent batch and takes its answers, or records its failure.
    fn answered(&mut self, sent: Sent, by_index: &HashMap<usize, &Pending>) {
        let Sent { batch, result, attempts, reached } = sent;
        let chars: usize = batch.iter().map(|i| by_index[i].protected.text.chars().count()).sum();
        self.stats.requests += attempts;
        self.stats.retries += attempts - 1;
        self.stats.segments_sent += batch.len() * reached;
        self.stats.characters_sent += chars * reached;
        let answers = match result {
            Ok(answers) if answers.len() == batch.len() => answers,
            Ok(answers) => {
                let err = ProviderError::WrongCount { sent: batch.len(), got: answers.len() };
                for &i in &batch {
                    self.reject(i, Reason::Count, err.to_string());
                }
                return self.batch_failed(batch, &err);
            }
            Err(err) => return self.batch_failed(batch, &err),
        };
        self.engine.breakers.success(self.provider.as_ref());
        for (i, answer) in batch.into_iter().zip(answers) {
            let protected = &by_index[&i].protected;
            match self.checked(i, protected, &answer) {
                Ok(text) => {
                    // Only what passed is cached: a rejected answer is asked
                    // for again next time.
                    if let Some(Err(e)) =
                        self.engine.memory.map(|m| m.store(&self.key(protected), &answer))
                    {
                        self.problems
                            .push(format!("machine-translation cache: {}", with_causes(&e)));
                    }
                    self.take(i, text);
                }
                Err(rejection) => {
                    self.reject(i, rejection.reason(), rejection.to_string());
                    self.failed.push(i);
                }
            }
        }
    }

    fn batch_failed(&mut self, batch: Vec<usize>, err: &ProviderError) {
        self.stats.failures += 1;
        self.stats.last_error = Some(printable(&err.to_string()));
        let threshold = self.engine.settings.breaker_threshold;
        if let Some(reason) = self.engine.breakers.failure(self.provider.as_ref(), err, threshold) {
            self.stats.breaker = Breaker::Open { reason };
        }
        self.failed.extend(batch);
    }

    /// An answer restored to Markdown, if it passes the checks.
    fn checked(&self, i: usize, protected: &Protected, answer: &str) -> Result<String, Rejection> {
        let text = protect::restore(protected, answer)?;
        protect::check(self.pair, &self.requests[i].source, &text)?;
        Ok(text)
    }

    fn take(&mut self, i: usize, text: String) {
        self.stats.drafts += 1;
        let origin = Origin::Provider { name: self.provider.name().to_string() };
        let draft = self.engine.draft(&self.requests[i], text, origin);
        self.stats.glossary_flagged += usize::from(!draft.checks.is_empty());
        self.drafts[i] = Some(draft);
    }

    fn reject(&mut self, i: usize, reason: Reason, message: String) {
        self.stats.rejected += 1;
        *self.stats.rejections.entry(reason).or_default() += 1;
        self.rejected.push((
            i,
            RejectedDraft {
                id: self.requests[i].id.clone(),
                origin: self.provider.name().to_string(),
                reason,
                message: printable(&message),
            },
        ));
    }
}

/// What a panicked task said, if it said it with a string.
fn panic_message(err: tokio::task::JoinError) -> String {
    match err.try_into_panic() {
        Ok(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into()),
        Err(e) => e.to_string(),
    }
}

fn empty_fill(providers: &[Arc<dyn Translator>]) -> Fill {
    Fill {
        drafts: Vec::new(),
        unfilled: Vec::new(),
        memory_exact: 0,
        memory_fuzzy: 0,
        memory_rejected: 0,
        rejected: Vec::new(),
        problems: Vec::new(),
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

/// An error and its causes, `outer: inner`, as the command line prints them.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
