//! Structured pack fuzzing: the bundled `rules/2021.toml` with fuzz data spliced into one of its
//! single-line string values (an id, a pattern, a fragment, a scope, a severity …), so that the
//! TOML still parses and the mutations reach validation, fragment expansion, regex compilation
//! and the examples each rule checks itself against. Errors are fine, panics are not.
//!
//! Input layout: byte 0 picks the mode, bytes 1–2 the string (modulo the number of strings in the
//! pack), the rest is the payload (UTF-8, lossily).
//!   mode % 4 == 0: replace the string's content with the payload, TOML-escaped
//!   mode % 4 == 1: insert the payload, TOML-escaped, in the middle of the content
//!   mode % 4 == 2: append the payload, TOML-escaped, to the content
//!   mode % 4 == 3: replace the content with the payload as is (may break the TOML)
#![no_main]

use auditor::rules::Pack;
use libfuzzer_sys::fuzz_target;
use std::ops::Range;
use std::sync::OnceLock;

const PACK: &str = include_str!("../../rules/2021.toml");

/// Byte ranges of the contents of every single-line string literal in the pack (keys included:
/// quoted keys are rare in packs and splicing into them is harmless).
fn strings() -> &'static [Range<usize>] {
    static S: OnceLock<Vec<Range<usize>>> = OnceLock::new();
    S.get_or_init(|| {
        let b = PACK.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'#' => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                q @ (b'\'' | b'"') => {
                    if b[i..].starts_with(if q == b'"' { b"\"\"\"" } else { b"'''" }) {
                        // Multi-line string: skip it whole.
                        let close: &[u8] = if q == b'"' { b"\"\"\"" } else { b"'''" };
                        let mut j = i + 3;
                        while j + 3 <= b.len() && &b[j..j + 3] != close {
                            j += if q == b'"' && b[j] == b'\\' { 2 } else { 1 };
                        }
                        i = j + 3;
                        continue;
                    }
                    let start = i + 1;
                    let mut j = start;
                    while j < b.len() && b[j] != q && b[j] != b'\n' {
                        j += if q == b'"' && b[j] == b'\\' { 2 } else { 1 };
                    }
                    out.push(start..j);
                    i = j;
                }
                _ => {}
            }
            i += 1;
        }
        out
    })
}

/// A TOML basic string holding `s` exactly.
fn basic(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The content of the literal at `r` (which is quoted by the byte before it), unescaped enough
/// for splicing: basic strings keep their escapes, literal strings have none.
fn content(r: &Range<usize>) -> (&'static str, bool) {
    (&PACK[r.clone()], PACK.as_bytes()[r.start - 1] == b'"')
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let strings = strings();
    let mode = data[0] % 4;
    let r = &strings[u16::from_le_bytes([data[1], data[2]]) as usize % strings.len()];
    let payload = String::from_utf8_lossy(&data[3..]);
    let (old, was_basic) = content(r);
    let mut text = String::with_capacity(PACK.len() + payload.len() + 8);
    text.push_str(&PACK[..r.start - 1]);
    if mode == 3 {
        text.push_str(&PACK[r.start - 1..r.start]);
        text.push_str(&payload);
        text.push_str(&PACK[r.end..r.end + 1]);
    } else {
        // Re-quote the old content as a basic string so the payload can be escaped into it.
        let old = if was_basic {
            // Keep escapes: wrap the raw escaped text and splice the escaped payload in.
            old.to_string()
        } else {
            basic(old).trim_matches('"').to_string()
        };
        let esc = basic(&payload);
        let esc = &esc[1..esc.len() - 1];
        let mut mid = old.len() / 2;
        while !old.is_char_boundary(mid) || (mid > 0 && old.as_bytes()[mid - 1] == b'\\') {
            mid -= 1;
        }
        let value = match mode {
            0 => esc.to_string(),
            1 => format!("{}{}{}", &old[..mid], esc, &old[mid..]),
            _ => format!("{old}{esc}"),
        };
        text.push('"');
        text.push_str(&value);
        text.push('"');
    }
    text.push_str(&PACK[r.end + 1..]);
    let _ = Pack::parse(&text, "fuzz.toml");
});
