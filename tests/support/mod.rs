//! Support for diglot's end-to-end tests (in `tests/tests/`): copies a
//! fixture project into a temporary folder and runs the real `diglot` binary
//! in it.
//!
//! Each test file is a test target of `diglot-cli` (see its Cargo.toml) and
//! includes this module with `#[path = "../support/mod.rs"] mod diglot_tests;`,
//! so the binary it runs is the one cargo built for that very test run
//! (`CARGO_BIN_EXE_diglot`), never an older one.

pub mod mock;
pub mod mock_server;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root.
pub fn repo_root() -> PathBuf {
    // The tests are compiled as part of crates/cli.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository")
}

/// The `diglot` binary cargo built for this test run.
pub fn diglot_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_diglot"))
}

/// A diglot project in a temporary folder.
#[derive(Debug)]
pub struct Project {
    dir: tempfile::TempDir,
}

/// What a run of `diglot` printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics, showing the output, unless the exit code is `code`.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A `diglot` process started by [`Project::spawn`].
#[derive(Debug)]
pub struct Running {
    child: std::process::Child,
}

impl Running {
    /// Waits for the process to end.
    pub fn finish(self) -> Run {
        Run::from(self.child.wait_with_output().expect("diglot finishes"))
    }
}

impl Project {
    /// An empty project.
    pub fn empty() -> Project {
        Project { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A copy of the repository's example: its article, pipeline and locales.
    pub fn example() -> Project {
        let p = Project::empty();
        for dir in ["articles", "pipelines", "locales"] {
            copy_dir(&repo_root().join(dir), &p.path().join(dir));
        }
        p
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Project {
        let p = Project::empty();
        copy_dir(&repo_root().join("tests/fixtures").join(name), p.path());
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `diglot` with `args` in the project folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, None)
    }

    /// Runs `diglot` with `args` in the folder `rel` of the project.
    pub fn run_in(&self, rel: &str, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.current_dir(self.path().join(rel)).stdin(std::process::Stdio::null());
        Run::from(cmd.output().expect("diglot runs"))
    }

    /// Runs `diglot` with `args` under the file-creation mask `umask`.
    pub fn run_with_umask(&self, umask: u32, args: &[&str]) -> Run {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("umask {umask:03o} && exec \"$0\" \"$@\""))
            .arg(diglot_bin())
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null());
        Run::from(cmd.output().expect("diglot runs"))
    }

    /// Starts `diglot` with `args` in the project folder without waiting.
    pub fn spawn(&self, args: &[&str]) -> Running {
        let child = self
            .command(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("diglot runs");
        Running { child }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(diglot_bin());
        cmd.args(args).current_dir(self.path()).env("NO_COLOR", "1");
        cmd
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Run {
        use std::io::Write;
        let mut cmd = self.command(args);
        cmd.stdin(if stdin.is_some() {
            std::process::Stdio::piped()
        } else {
            std::process::Stdio::null()
        });
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("diglot runs");
        if let Some(input) = stdin {
            child.stdin.take().expect("piped").write_all(input.as_bytes()).expect("stdin written");
        }
        Run::from(child.wait_with_output().expect("diglot finishes"))
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn write(&self, rel: &str, contents: &str) {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        fs::write(path, contents).expect("write");
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// Every file below `rel`, as (relative path, bytes), sorted.
    pub fn snapshot(&self, rel: &str) -> Vec<(String, Vec<u8>)> {
        let root = self.path().join(rel);
        let mut out = Vec::new();
        walk(&root, &root, &mut out);
        out.sort();
        out
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("below root").to_string_lossy().into_owned();
            out.push((rel, fs::read(&path).expect("readable")));
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())).flatten()
    {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            fs::copy(&path, &dest).expect("copy");
        }
    }
}

/// The message IDs and values of a locale file, in order, as diglot reads
/// them (`diglot-fluent`'s parser); a value that is not plain text (a
/// placeable) is empty.
pub fn messages(ftl: &str) -> Vec<(String, String)> {
    let source_locale: diglot_core::Locale = "en-US".parse().expect("a locale");
    let (file, _) = diglot_fluent::parse_file("test.ftl", ftl, &source_locale);
    file.messages.into_iter().map(|m| (m.id, m.text.unwrap_or_default())).collect()
}

/// The comment lines directly above message `id`.
pub fn comments_of(ftl: &str, id: &str) -> Vec<String> {
    let lines: Vec<&str> = ftl.lines().collect();
    let Some(at) = lines.iter().position(|l| l.starts_with(&format!("{id} ="))) else {
        return Vec::new();
    };
    let mut out: Vec<String> = lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.starts_with("# "))
        .map(|l| l.to_string())
        .collect();
    out.reverse();
    out
}
