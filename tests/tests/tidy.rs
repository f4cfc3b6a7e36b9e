//! The workspace's structural rules (ARCHITECTURE.md, "Invariants"), checked
//! on the manifests and sources themselves.

#[allow(dead_code)]
#[path = "../support/mod.rs"]
mod diglot_tests;

use std::collections::BTreeMap;
use std::fs;

use diglot_tests::repo_root;

/// Each crate folder's internal dependencies (normal and dev), by package
/// name. `diglot-cli`'s dev-dependencies are left out: its test targets are
/// the workspace's end-to-end tests (`tests/tests/`), and the fidelity test
/// drives the stages directly over thousands of spec examples.
fn internal_edges() -> BTreeMap<String, Vec<String>> {
    let mut edges = BTreeMap::new();
    for entry in fs::read_dir(repo_root().join("crates")).unwrap().flatten() {
        let manifest: toml::Table =
            fs::read_to_string(entry.path().join("Cargo.toml")).unwrap().parse().unwrap();
        let name = manifest["package"]["name"].as_str().unwrap().to_string();
        let mut deps = Vec::new();
        for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if name == "diglot-cli" && section == "dev-dependencies" {
                continue;
            }
            if let Some(table) = manifest.get(section).and_then(|t| t.as_table()) {
                deps.extend(table.keys().filter(|k| k.starts_with("diglot-")).cloned());
            }
        }
        edges.insert(name, deps);
    }
    edges
}

#[test]
fn dependencies_flow_one_way() {
    let edges = internal_edges();
    let stages = [
        "diglot-ingest",
        "diglot-segment",
        "diglot-fluent",
        "diglot-translate",
        "diglot-render",
        "diglot-exchange",
    ];
    assert!(edges["diglot-core"].is_empty(), "core depends on no diglot crate");
    for stage in stages {
        assert_eq!(edges[stage], ["diglot-core"], "{stage} may depend on diglot-core only");
    }
    for dep in &edges["diglot-pipeline"] {
        assert!(dep == "diglot-core" || stages.contains(&dep.as_str()), "pipeline -> {dep}");
    }
    for dep in &edges["diglot-cli"] {
        assert!(
            dep == "diglot-core" || dep == "diglot-pipeline" || dep == "diglot-server",
            "cli -> {dep}: the binary calls the pipeline (and starts the server) only"
        );
    }
    for dep in &edges["diglot-server"] {
        assert!(
            dep == "diglot-core" || dep == "diglot-pipeline",
            "server -> {dep}: the server calls the pipeline only"
        );
    }
}

#[test]
fn async_and_network_stay_at_the_edges() {
    let edge_crates = ["diglot-cli", "diglot-server", "diglot-translate"];
    for entry in fs::read_dir(repo_root().join("crates")).unwrap().flatten() {
        let text = fs::read_to_string(entry.path().join("Cargo.toml")).unwrap();
        let manifest: toml::Table = text.parse().unwrap();
        let name = manifest["package"]["name"].as_str().unwrap();
        if edge_crates.contains(&name) {
            continue;
        }
        let deps =
            manifest.get("dependencies").and_then(|t| t.as_table()).cloned().unwrap_or_default();
        for forbidden in ["tokio", "axum", "reqwest", "hyper"] {
            assert!(!deps.contains_key(forbidden), "{name} depends on {forbidden}");
        }
    }
}

/// What core may not name: the file system, the network, processes, the
/// async runtime, and I/O handles.
const CORE_FORBIDDEN: &[&str] = &["std::fs", "std::net", "std::process", "std::io", "tokio"];

/// What a stage may not name: the file system (pipeline reads and writes).
const STAGE_FORBIDDEN: &[&str] = &["std::fs", "tokio::fs"];

#[test]
fn core_does_no_io() {
    for entry in walk(&repo_root().join("crates/core/src")) {
        let text = fs::read_to_string(&entry).unwrap();
        let found = forbidden_paths(&text, CORE_FORBIDDEN);
        assert!(found.is_empty(), "{}: uses {found:?}", entry.display());
    }
}

#[test]
fn only_the_pipeline_touches_the_file_system() {
    for krate in ["ingest", "segment", "fluent", "translate", "render", "exchange"] {
        for entry in walk(&repo_root().join("crates").join(krate).join("src")) {
            // The documented exception: the memory's SQLite file, created
            // (race-free, under a temporary name) at the path pipeline gives.
            if entry.starts_with(repo_root().join("crates/translate/src/memory")) {
                continue;
            }
            let text = fs::read_to_string(&entry).unwrap();
            let found = forbidden_paths(&text, STAGE_FORBIDDEN);
            assert!(found.is_empty(), "{}: uses {found:?}", entry.display());
        }
    }
}

#[test]
fn the_path_rules_catch_what_they_forbid() {
    let caught = |src: &str, forbidden: &[&str]| !forbidden_paths(src, forbidden).is_empty();
    for src in [
        "use std::fs; fn f() { fs::rename(\"a\", \"b\").unwrap(); }",
        "use std::{fs, io};",
        "use std::{collections::HashMap, fs::File};",
        "use std::fs as disk;",
        "fn f() { std::fs::write(\"a\", \"b\").unwrap(); }",
        "fn f() -> ::std::fs::File { todo!() }",
    ] {
        assert!(caught(src, STAGE_FORBIDDEN), "not caught: {src}");
    }
    for src in
        ["use std::io::Write;", "use std::net::TcpStream;", "fn f() { std::process::exit(1) }"]
    {
        assert!(caught(src, CORE_FORBIDDEN), "not caught: {src}");
    }
    for src in [
        "// std::fs::read(\"x\")\nuse std::fmt;",
        "/// Reads with `std::fs::read`.\nfn f() {}",
        "use std::collections::BTreeMap; fn fs() {}",
    ] {
        assert!(!caught(src, CORE_FORBIDDEN), "wrongly caught: {src}");
    }
}

/// The paths among `forbidden` (or below them) that `src` names in a `use`
/// item or in code; comments and doc text do not count. Code inside macro
/// calls is not seen.
fn forbidden_paths(src: &str, forbidden: &[&str]) -> Vec<String> {
    use syn::visit::Visit;

    struct Paths(Vec<String>);
    impl<'a> Visit<'a> for Paths {
        fn visit_item_use(&mut self, item: &'a syn::ItemUse) {
            flatten_use(&item.tree, String::new(), &mut self.0);
        }
        fn visit_path(&mut self, path: &'a syn::Path) {
            let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.0.push(names.join("::"));
            syn::visit::visit_path(self, path);
        }
    }
    fn flatten_use(tree: &syn::UseTree, prefix: String, out: &mut Vec<String>) {
        let join =
            |name: String| if prefix.is_empty() { name } else { format!("{prefix}::{name}") };
        match tree {
            syn::UseTree::Path(p) => flatten_use(&p.tree, join(p.ident.to_string()), out),
            syn::UseTree::Name(n) => out.push(join(n.ident.to_string())),
            syn::UseTree::Rename(r) => out.push(join(r.ident.to_string())),
            syn::UseTree::Glob(_) => out.push(join("*".to_string())),
            syn::UseTree::Group(g) => {
                g.items.iter().for_each(|t| flatten_use(t, prefix.clone(), out))
            }
        }
    }

    let file = syn::parse_file(src).expect("the source parses");
    let mut paths = Paths(Vec::new());
    paths.visit_file(&file);
    paths
        .0
        .into_iter()
        .filter(|p| {
            forbidden
                .iter()
                .any(|f| p == f || p.strip_prefix(f).is_some_and(|rest| rest.starts_with("::")))
        })
        .collect()
}

/// Fluent syntax has one reader and writer: `diglot-fluent`.
#[test]
fn only_fluent_parses_fluent() {
    let parsers = ["fluent", "fluent-syntax", "fluent-bundle"];
    for entry in fs::read_dir(repo_root().join("crates")).unwrap().flatten() {
        let manifest: toml::Table =
            fs::read_to_string(entry.path().join("Cargo.toml")).unwrap().parse().unwrap();
        let name = manifest["package"]["name"].as_str().unwrap();
        let found = fluent_parser_deps(&manifest, &parsers);
        if name == "diglot-fluent" {
            assert!(!found.is_empty(), "diglot-fluent parses with fluent-syntax");
        } else {
            assert!(found.is_empty(), "{name} depends on {found:?}: use diglot-fluent");
        }
    }
    let mut bad = toml::Table::new();
    bad.insert(
        "dev-dependencies".into(),
        toml::Value::Table(toml::toml! { fluent-syntax = "0.12" }),
    );
    assert_eq!(
        fluent_parser_deps(&bad, &parsers),
        ["fluent-syntax"],
        "the rule catches a dev-dependency"
    );
}

fn fluent_parser_deps(manifest: &toml::Table, parsers: &[&str]) -> Vec<String> {
    ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .filter_map(|section| manifest.get(*section).and_then(|t| t.as_table()))
        .flat_map(|table| table.keys())
        .filter(|k| parsers.contains(&k.as_str()))
        .cloned()
        .collect()
}

#[test]
fn every_crate_explains_itself() {
    for entry in fs::read_dir(repo_root().join("crates")).unwrap().flatten() {
        let src = entry.path().join("src");
        let root =
            if src.join("lib.rs").exists() { src.join("lib.rs") } else { src.join("main.rs") };
        let text = fs::read_to_string(&root).unwrap();
        assert!(text.starts_with("//!"), "{} must start with a //! crate doc", root.display());
    }
}

/// A test file that is not a test target would silently never run, and one
/// run any other way could use a stale binary.
#[test]
fn every_end_to_end_test_runs_with_the_binary_built_for_it() {
    let manifest: toml::Table =
        fs::read_to_string(repo_root().join("crates/cli/Cargo.toml")).unwrap().parse().unwrap();
    let declared: Vec<&str> =
        manifest["test"].as_array().unwrap().iter().map(|t| t["path"].as_str().unwrap()).collect();
    for entry in fs::read_dir(repo_root().join("tests/tests")).unwrap().flatten() {
        let name = entry.file_name().into_string().unwrap();
        let path = format!("../../tests/tests/{name}");
        assert!(declared.contains(&path.as_str()), "{path} is not a [[test]] of diglot-cli");
        let text = fs::read_to_string(entry.path()).unwrap();
        assert!(
            text.contains("#[path = \"../support/mod.rs\"]\nmod diglot_tests;"),
            "{name} must include the harness: #[path = \"../support/mod.rs\"] mod diglot_tests;"
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Each of these has one definition; a second copy drifts from the first.
/// Each row: what a copy contains, the one file allowed to, what to use.
const ONE_DEFINITION: &[(&str, &str, &str)] = &[
    ("\"nbsp\" =>", "crates/core/src/entity.rs", "diglot_core::entity"),
    ("=> out.push_str(\"&apos;\")", "", "quick_xml::escape::escape"),
    ("=> out.push_str(\"&gt;\")", "crates/render/src/html.rs", "quick_xml::escape"),
    ("if i == 4 || i == 7", "crates/core/src/date.rs", "diglot_core::IsoDate::parse"),
    ("fn is_iso_date", "", "diglot_core::IsoDate::parse"),
    // The JSON edition's inlines are core's `Inline` as JSON.
    (
        "Inline::Text(text) => serializer.serialize_str",
        "crates/core/src/inline/json.rs",
        "diglot_core::Inline's Serialize",
    ),
    ("0xcbf2_9ce4_8422_2325", "crates/core/src/id.rs", "diglot_core::fnv1a64"),
    // Tests answer HTTP with the one mock server.
    ("\"HTTP/1.1 {", "", "tests/support/mock_server.rs"),
    // An error turned into a string loses its type and its cause.
    ("message: e.to_string()", "", "a variant with a #[source] (or transparent) error"),
];

#[test]
fn each_thing_has_one_definition() {
    let root = repo_root();
    let mut files = walk(&root.join("crates"));
    files.extend(walk(&root.join("tests")));
    for path in files {
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if rel.contains("/target/") || rel == "tests/tests/tidy.rs" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for (needle, home, instead) in ONE_DEFINITION {
            assert!(
                rel == *home || !text.contains(needle),
                "{rel} contains `{needle}`: use {instead}"
            );
        }
    }
}

/// Dependencies a crate's code does not name yet, each with its reason.
const UNUSED_ALLOWED: &[(&str, &str)] = &[];

/// A dependency no source file of the crate names is dead weight in every
/// build (and a test-only one belongs in `[dev-dependencies]`).
#[test]
fn every_dependency_is_used() {
    for entry in fs::read_dir(repo_root().join("crates")).unwrap().flatten() {
        let krate = entry.file_name().into_string().unwrap();
        let manifest: toml::Table =
            fs::read_to_string(entry.path().join("Cargo.toml")).unwrap().parse().unwrap();
        let sources: Vec<String> = walk(&entry.path().join("src"))
            .iter()
            .map(|p| fs::read_to_string(p).unwrap())
            .collect();
        for name in manifest.get("dependencies").and_then(|d| d.as_table()).into_iter().flatten() {
            let ident = name.0.replace('-', "_");
            if UNUSED_ALLOWED.contains(&(krate.as_str(), name.0.as_str())) {
                continue;
            }
            assert!(
                sources.iter().any(|s| names(s, &ident)),
                "crates/{krate} depends on {} but its src/ never names `{ident}`",
                name.0
            );
        }
    }
    assert!(names("use serde_json::Value;", "serde_json"));
    assert!(!names("use serde_json_x::Value;", "serde_json"));
    assert!(!names("serde::Serialize", "serde_json"));
}

/// Whether `ident` stands in `text` as a whole word.
fn names(text: &str, ident: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(ident)
        .any(|(at, _)| !text[..at].ends_with(word) && !text[at + ident.len()..].starts_with(word))
}

/// `let _ = name;` only silences an unused-variable warning: the variable
/// (or the code that made it) is dead and should go.
#[test]
fn no_bindings_kept_only_to_silence_warnings() {
    let dead = |line: &str| {
        line.trim()
            .strip_prefix("let _ = ")
            .and_then(|rest| rest.strip_suffix(';'))
            .is_some_and(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    };
    assert!(dead("    let _ = attempts;") && !dead("let _ = tx.send(1);"));
    let root = repo_root();
    let mut files = walk(&root.join("crates"));
    files.extend(walk(&root.join("tests")));
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            assert!(!dead(line), "{}:{}: {}", path.display(), i + 1, line.trim());
        }
    }
}
