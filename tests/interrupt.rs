//! Ctrl-C during a run with `--output` leaves no partial file: neither the temporary file the
//! output is written through nor a truncated target.

#![cfg(unix)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn ctrl_c_leaves_no_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("audit.json");
    // Reading the report from a stdin that never ends keeps the run going, with its temporary
    // output file open, until the signal comes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_auditor"))
        .args(["--no-config", "--format", "json", "--output"])
        .arg(&target)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Held open until the child has exited: `wait_with_output` would close it, and the end of
    // input would let the run finish (and exit 2 on an empty report) in a race with the signal.
    let stdin = child.stdin.take();
    // Wait (without sleeping: the condition, not a duration) for the temporary file to appear.
    let deadline = Instant::now() + Duration::from_secs(30);
    let temporary = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.ends_with(".tmp"))
    };
    while temporary().is_none() {
        assert!(Instant::now() < deadline, "the run never opened its output");
        std::thread::yield_now();
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    assert_eq!(out.status.code(), Some(130), "exit code after Ctrl-C");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("interrupted: no output written"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(temporary(), None, "the temporary file is removed");
    assert!(!target.exists(), "no output file is left");
}
