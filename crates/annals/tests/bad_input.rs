//! Bad inputs: each is reported in one stderr line naming the input and the cause, the
//! batch goes on, records keep input order, exit status is 1 when something was skipped.

mod util;

use util::{records, run, Scratch};

#[test]
fn empty_input_is_reported_and_the_batch_goes_on() {
    let s = Scratch::new("empty");
    let good = s.write("a.txt", b"The talks ended on Monday.");
    let empty = s.write("b.txt", b"   \n\n");
    let out = run(&["analyze", &good, &empty, &good]);
    assert_eq!(out.code, 1);
    assert_eq!(records(&out.stdout).len(), 2);
    assert_eq!(
        out.stderr_lines()[0],
        format!("annals: {empty}: empty input")
    );
    assert!(out.stderr_lines()[1].contains("1 of 3 inputs skipped"));
}

#[test]
fn binary_input_is_refused() {
    let s = Scratch::new("binary");
    let bin = s.write("x.txt", b"\x1f\x8b\x08\x00\x00\x00\x00\x00");
    let nul = s.write("y.txt", b"text\x00with\x00nuls");
    let out = run(&["analyze", &bin, &nul]);
    assert_eq!(out.code, 1);
    let err = out.stderr_lines();
    assert_eq!(
        err[0],
        format!("annals: {bin}: binary content (gzip), not text or HTML")
    );
    assert_eq!(
        err[1],
        format!("annals: {nul}: binary content (NUL bytes), not text or HTML")
    );
}

#[test]
fn invalid_utf8_names_the_byte() {
    let s = Scratch::new("utf8");
    let bad = s.write("bad.txt", b"Minsk \xc3\x28 talks");
    let out = run(&["analyze", &bad]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr_lines()[0],
        format!("annals: {bad}: invalid UTF-8 at byte 6")
    );
}

#[test]
fn a_50_mb_single_line_is_refused_with_bounded_memory() {
    let s = Scratch::new("huge");
    let line = vec![b'a'; 50 << 20];
    let big = s.write("big.txt", &line);
    let mut jsonl = b"{\"id\":\"ok\",\"text\":\"Fine.\"}\n{\"text\":\"".to_vec();
    jsonl.extend_from_slice(&line);
    jsonl.extend_from_slice(b"\"}\n{\"id\":\"after\",\"text\":\"Also fine.\"}\n");
    let big_jsonl = s.write("big.jsonl", &jsonl);
    drop(line);
    let out = run(&["analyze", &big, &big_jsonl]);
    assert_eq!(out.code, 1);
    let err = out.stderr_lines();
    assert_eq!(
        err[0],
        format!("annals: {big}: input is 52428800 bytes, over the limit of 16777216 bytes (--max-bytes)")
    );
    assert!(
        err[1].starts_with(&format!("annals: {big_jsonl}:2: input is ")),
        "{}",
        err[1]
    );
    let ids: Vec<String> = records(&out.stdout)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec!["ok", "after"]);
}

#[test]
fn html_nested_100000_deep_is_refused() {
    let s = Scratch::new("deep");
    let page = format!(
        "<html><body>{}deep{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let deep = s.write("deep.html", page.as_bytes());
    let out = run(&["analyze", &deep]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr_lines()[0],
        format!("annals: {deep}: HTML nested more than 512 elements deep")
    );
}

#[test]
fn missing_and_unreadable_paths_are_reported() {
    let s = Scratch::new("missing");
    let good = s.write("a.txt", b"The talks ended on Monday.");
    let missing = s.path("nope.txt");
    let under_file = format!("{good}/child.txt");
    let dangling = s.path("dangling.txt");
    std::os::unix::fs::symlink(s.path("gone"), &dangling).unwrap();
    let out = run(&["analyze", &missing, &good, &under_file, &dangling]);
    assert_eq!(out.code, 1);
    let err = out.stderr_lines();
    assert!(
        err[0].starts_with(&format!("annals: {missing}: cannot read: No such file")),
        "{}",
        err[0]
    );
    assert!(
        err[1].starts_with(&format!(
            "annals: {under_file}: cannot read: Not a directory"
        )),
        "{}",
        err[1]
    );
    assert!(
        err[2].starts_with(&format!("annals: {dangling}: cannot read: No such file")),
        "{}",
        err[2]
    );
    assert_eq!(records(&out.stdout).len(), 1);
}

#[test]
fn bad_jsonl_lines_are_skipped_alone() {
    let s = Scratch::new("jsonl");
    let f = s.write(
        "in.jsonl",
        b"{\"id\":\"1\",\"text\":\"One.\"}\n{broken\n{\"id\":\"3\",\"text\":\"Three.\",\"date\":\"12/19/2022\"}\n{\"id\":\"4\",\"text\":\"Four.\",\"date\":\"2022-12-19\"}\n",
    );
    let out = run(&["analyze", &f]);
    assert_eq!(out.code, 1);
    let err = out.stderr_lines();
    assert!(
        err[0].starts_with(&format!("annals: {f}:2: bad JSONL line:")),
        "{}",
        err[0]
    );
    assert_eq!(
        err[1],
        format!("annals: {f}:3 (id 3): bad date \"12/19/2022\": expected YYYY-MM-DD or another unambiguous date")
    );
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1]["date"], "2022-12-19");
    assert_eq!(recs[1]["date_source"], "given");
}

#[test]
fn every_error_is_exactly_one_line() {
    let s = Scratch::new("oneline");
    let a = s.write("a.txt", b"");
    let b = s.write("b.txt", b"\xff\xfe\x00");
    let c = s.write("c.html", b"<html><body></body></html>");
    let out = run(&["analyze", &a, &b, &c]);
    // Three errors and one summary line, nothing else.
    assert_eq!(out.stderr_lines().len(), 4, "{:?}", out.stderr);
}

#[test]
fn closed_stdout_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let s = Scratch::new("pipe");
    let mut lines = String::new();
    for i in 0..5000 {
        lines.push_str(&format!("{{\"id\":\"{i}\",\"text\":\"Talks were held in Minsk on Monday. Both sides spoke.\"}}\n"));
    }
    let f = s.write("many.jsonl", lines.as_bytes());
    let mut child = Command::new(util::BIN)
        .args(["analyze", &f])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe closes like `| head -1`.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("{\"record_version\""));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_date_option_is_a_usage_error() {
    let out = run(&["analyze", "--date", "yesterday", "-"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--date"), "{}", out.stderr);
}
