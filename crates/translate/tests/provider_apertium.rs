//! Apertium for real: the `apertium` program, and an `apertium-apy` server
//! started here on a free loopback port. These tests fail, not skip, when
//! Apertium is not installed.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diglot_translate::protect::{check, protect, restore};
use diglot_translate::providers::apertium::{Apertium, ApertiumMode, ApertiumSettings};
use diglot_translate::{Batch, Pair, ProviderError, TextKind, Translator};

const MODES: &str = "/usr/share/apertium/modes";

/// Fails with what to install when the engine is missing.
fn require_apertium() {
    let found = Command::new("apertium")
        .arg("-l")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        found && Path::new(MODES).join("eng-spa.mode").exists(),
        "Apertium is not installed: these tests run the real engine. \
         Install it with `apt-get install apertium apertium-eng-spa apertium-apy`."
    );
}

fn pair(source: &str, target: &str) -> Pair {
    Pair::new(source.parse().unwrap(), target.parse().unwrap())
}

async fn translate(
    apertium: &Apertium,
    pair: &Pair,
    texts: &[String],
) -> Result<Vec<String>, ProviderError> {
    apertium.translate(Batch { texts, pair, kind: TextKind::Body, glossary: &[] }).await
}

/// Protects, translates and restores Markdown sentences, checking each
/// draft against its source as the engine does.
async fn translate_markdown(apertium: &Apertium, pair: &Pair, sources: &[&str]) -> Vec<String> {
    let protected: Vec<_> = sources.iter().map(|s| protect(s)).collect();
    let texts: Vec<String> = protected.iter().map(|p| p.text.clone()).collect();
    let out = translate(apertium, pair, &texts).await.expect("apertium translates");
    assert_eq!(out.len(), sources.len());
    protected
        .iter()
        .zip(&out)
        .zip(sources)
        .map(|((p, translated), source)| {
            let draft = restore(p, translated)
                .unwrap_or_else(|e| panic!("restoring {translated:?} for {source:?}: {e}"));
            assert_eq!(check(pair, source, &draft), Ok(()), "{source:?} -> {draft:?}");
            draft
        })
        .collect()
}

const ENGLISH: &[&str] = &[
    "The house is red.",
    "The *big* house has a **green** door.",
    "Read [the report](https://example.com/report?id=7&lang=en) about the city.",
    "Run `cargo test` before 5 o'clock.",
    "The dog & the cat have 1,474 books.",
];

#[tokio::test]
async fn command_mode_translates_english_to_spanish_and_back() {
    require_apertium();
    let apertium = Apertium::new(ApertiumSettings::default());
    let spanish = translate_markdown(&apertium, &pair("en-US", "es-ES"), ENGLISH).await;
    assert!(spanish[0].contains("casa"), "{spanish:?}");
    assert!(spanish[0].contains("roja"), "{spanish:?}");
    assert!(spanish[1].contains("puerta"), "{spanish:?}");
    assert!(spanish[1].matches('*').count() == 6, "emphasis and strong kept: {spanish:?}");
    assert!(spanish[2].contains("](https://example.com/report?id=7&lang=en)"), "{spanish:?}");
    assert!(spanish[2].contains("ciudad"), "{spanish:?}");
    assert!(spanish[3].contains("`cargo test`"), "{spanish:?}");
    assert!(spanish[4].contains(" & "), "{spanish:?}");
    assert!(spanish[4].contains("perro") && spanish[4].contains("1,474"), "{spanish:?}");

    let refs: Vec<&str> = spanish.iter().map(String::as_str).collect();
    let english = translate_markdown(&apertium, &pair("es-ES", "en-GB"), &refs).await;
    assert!(english[0].to_lowercase().contains("house"), "{english:?}");
    assert!(english[1].contains("door"), "{english:?}");
    assert!(english[2].contains("](https://example.com/report?id=7&lang=en)"), "{english:?}");
}

#[tokio::test]
async fn command_mode_keeps_tags_in_place() {
    require_apertium();
    let apertium = Apertium::new(ApertiumSettings::default());
    let texts = vec!["The <em>red</em> house.".to_string(), "Good morning.".to_string()];
    let out = translate(&apertium, &pair("en-US", "es-ES"), &texts).await.unwrap();
    assert_eq!(out[0], "La casa <em>roja</em>.");
    assert!(out[1].starts_with("Buenos"), "{out:?}");
}

#[tokio::test]
async fn command_mode_marks_unknown_words_on_request() {
    require_apertium();
    let settings = ApertiumSettings { mark_unknown: true, ..ApertiumSettings::default() };
    let apertium = Apertium::new(settings);
    let texts = vec!["The zorblax house.".to_string()];
    let out = translate(&apertium, &pair("en-US", "es-ES"), &texts).await.unwrap();
    assert!(out[0].contains("*zorblax"), "{out:?}");
    assert_ne!(apertium.fingerprint(), Apertium::new(ApertiumSettings::default()).fingerprint());
}

#[tokio::test]
async fn missing_program_is_unavailable_with_the_install_hint() {
    let settings =
        ApertiumSettings { command: "/nonexistent/apertium".into(), ..ApertiumSettings::default() };
    let err = translate(&Apertium::new(settings), &pair("en-US", "es-ES"), &["Hi.".into()])
        .await
        .unwrap_err();
    let ProviderError::Unavailable(message) = &err else { panic!("{err:?}") };
    assert!(message.starts_with("apertium not found: install apertium-eng-spa"), "{message}");
    assert!(err.stops_provider());
}

#[tokio::test]
async fn other_pairs_are_unavailable() {
    let apertium = Apertium::new(ApertiumSettings::default());
    for (s, t) in [("en-US", "fr-FR"), ("es-ES", "es-MX"), ("de-DE", "en-US")] {
        let err = translate(&apertium, &pair(s, t), &["Hi.".into()]).await.unwrap_err();
        assert!(matches!(err, ProviderError::Unavailable(_)), "{s}->{t}: {err:?}");
    }
}

#[test]
fn settings_are_strict() {
    let settings: ApertiumSettings =
        serde_json::from_str(r#"{"mode": "apy", "url": "http://127.0.0.1:1"}"#).unwrap();
    assert_eq!(settings.mode, ApertiumMode::Apy);
    assert_eq!(settings.command, "apertium");
    assert!(serde_json::from_str::<ApertiumSettings>(r#"{"mode": "apy", "port": 1}"#).is_err());
    assert!(serde_json::from_str::<ApertiumSettings>(r#"{"mode": "daemon"}"#).is_err());
}

/// An `apertium-apy` server for this test file, stopped when dropped.
struct ApyServer {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl ApyServer {
    /// `apertium-apy -p PORT -j1 /usr/share/apertium/modes`, in a temporary
    /// folder (it may write log and database files where it runs).
    async fn start() -> ApyServer {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new("apertium-apy")
            .args(["-p", &port.to_string(), "-j1", MODES])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start apertium-apy ({e}): these tests run the real server. \
                     Install it with `apt-get install apertium-apy`."
                )
            });
        let mut server = ApyServer { child, url: format!("http://127.0.0.1:{port}"), _dir: dir };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                let mut stderr = String::new();
                if let Some(mut e) = server.child.stderr.take() {
                    std::io::Read::read_to_string(&mut e, &mut stderr).ok();
                }
                panic!("apertium-apy exited ({status}) before answering:\n{stderr}");
            }
            let answer = client.get(format!("{}/listPairs", server.url)).send().await;
            if answer.is_ok_and(|a| a.status().is_success()) {
                return server;
            }
            assert!(Instant::now() < deadline, "apertium-apy did not answer within 60 s");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for ApyServer {
    /// SIGTERM first, so APy closes its translation pipelines, then SIGKILL
    /// if it has not exited within three seconds.
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let terminated =
            Command::new("kill").args(["-TERM", &pid]).status().is_ok_and(|s| s.success());
        let deadline = Instant::now() + Duration::from_secs(3);
        while terminated && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// All APy cases share one server, which takes a moment to start.
#[tokio::test]
async fn apy_mode_against_a_real_server() {
    require_apertium();
    let server = ApyServer::start().await;
    let settings = ApertiumSettings {
        mode: ApertiumMode::Apy,
        url: server.url.clone(),
        ..ApertiumSettings::default()
    };
    let apertium = Apertium::new(settings);

    let spanish = translate_markdown(&apertium, &pair("en-US", "es-ES"), ENGLISH).await;
    assert!(spanish[0].contains("casa") && spanish[0].contains("roja"), "{spanish:?}");
    assert!(spanish[2].contains("](https://example.com/report?id=7&lang=en)"), "{spanish:?}");
    assert!(spanish[3].contains("`cargo test`"), "{spanish:?}");
    assert!(spanish[4].contains(" & ") && spanish[4].contains("1,474"), "{spanish:?}");

    let english =
        translate_markdown(&apertium, &pair("es-ES", "en-US"), &["El perro come una manzana."])
            .await;
    assert_eq!(english, ["The dog eats an apple."]);

    // Unknown words are not marked unless asked.
    let texts = vec!["The zorblax house.".to_string()];
    let out = translate(&apertium, &pair("en-US", "es-ES"), &texts).await.unwrap();
    assert!(out[0].contains("zorblax") && !out[0].contains('*'), "{out:?}");

    // A server that is not there.
    drop(server);
    let err = translate(&apertium, &pair("en-US", "es-ES"), &texts).await.unwrap_err();
    assert!(
        matches!(&err, ProviderError::Unavailable(m) if m.contains("apertium-apy not reachable")),
        "{err:?}"
    );
}
