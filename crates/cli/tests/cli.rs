//! The binary's argument handling. The end-to-end tests in the workspace's
//! `tests/` package run this same binary; having an integration test here is
//! also what makes `cargo test --workspace` build it.

use std::process::Command;

fn diglot(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_diglot")).args(args).output().expect("diglot runs")
}

#[test]
fn help_names_every_command() {
    let out = diglot(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for command in ["build", "extract", "status", "segment"] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
    assert!(help.contains("Exit status"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(diglot(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(diglot(&["build", "--min-coverage", "lots"]).status.code(), Some(2));
}

#[test]
fn io_errors_exit_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = diglot(&["-C", dir.path().to_str().unwrap(), "build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("pipelines"), "{err}");
}
