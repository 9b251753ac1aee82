//! Shared helpers for the command-line tests: a fresh scratch directory per test and a
//! runner that captures status, stdout and stderr.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_annals");

/// A scratch directory, removed on drop.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("annals-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch { dir }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

/// Run the binary with `args` and empty stdin.
pub fn run(args: &[&str]) -> Output {
    run_with_stdin(args, b"")
}

/// Run the binary with `args`, feeding `stdin`.
pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run annals");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Parse JSON Lines output.
pub fn records(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("record is JSON"))
        .collect()
}

/// Slice `text` by code-point offsets, as a Python reader of the record would.
pub fn cp_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// A record span, `[start, end]` or `{start, end, …}`, as code-point offsets.
pub fn span_of(s: &serde_json::Value) -> (usize, usize) {
    let (a, b) = if s.is_array() {
        (&s[0], &s[1])
    } else {
        (&s["start"], &s["end"])
    };
    (a.as_u64().unwrap() as usize, b.as_u64().unwrap() as usize)
}

/// All spans of a layer (`sentences`, `paragraphs`, `tokens`).
pub fn spans(rec: &serde_json::Value, layer: &str) -> Vec<(usize, usize)> {
    rec[layer].as_array().unwrap().iter().map(span_of).collect()
}

/// The text of every span of a layer, sliced in code points.
pub fn texts(rec: &serde_json::Value, layer: &str) -> Vec<String> {
    let text = rec["text"].as_str().unwrap();
    spans(rec, layer)
        .into_iter()
        .map(|(a, b)| cp_slice(text, a, b))
        .collect()
}

/// The text of the paragraphs of one kind (`heading`, `list_item`, `body`).
pub fn paragraphs_of_kind(rec: &serde_json::Value, kind: &str) -> Vec<String> {
    let text = rec["text"].as_str().unwrap();
    rec["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == kind)
        .map(|p| {
            let (a, b) = span_of(p);
            cp_slice(text, a, b)
        })
        .collect()
}
