//! Bad inputs, as a user meets them. Every case is audited by the real binary TOGETHER with a
//! good report (`samples/complete.txt` copied in as `good.txt`), so each row also checks that
//! the batch carries on: the good report still has its results, the bad input gets an error of
//! its own (in `reports[i].error` and on stderr), and the exit code is 2 when an input could not
//! be read. A bad rule pack, config or waivers file stops the run before any report is audited
//! (README, "Exit codes"): those rows check that nothing is printed on stdout and that stderr
//! names the file and the line.
//!
//! One table, one row per case. Rows marked with a `bug` hold what users should see but do not
//! see yet; each runs in a test of its own at the end of the file, which fails until src/ is
//! fixed (then set the row's `bug` to `None`, and it joins the table test).
//!
//! Run with `cargo test --test bad_inputs -- --nocapture` to print the catalogue (case → exit
//! code → message).
#![cfg(unix)]

mod support;

use serde_json::Value;
use std::ffi::OsString;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The good report, audited in every case.
const GOOD: &str = "good.txt";
/// A case is killed this long after its `within_secs`: a hang is a failure, never a stuck run.
const GRACE: Duration = Duration::from_secs(10);

/// What the user must see for the bad input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The input is unreadable: `reports[i].error` (and stderr, `error: LABEL: …`) hold the
    /// message, `results` is empty, `meta` and `sha256` are null.
    Unreadable,
    /// The input is read and audited like any report (its `results` are not empty).
    Audited,
    /// The whole run stops (bad pack, config or waivers): nothing on stdout, the message on stderr.
    Fatal,
}
use Kind::*;

/// How a case is put together in its temporary directory (the working directory of the run).
struct Built {
    /// Arguments before `good.txt` (paths relative to the directory, and flags).
    args: Vec<OsString>,
    /// How the bad input is named in the output (`reports[i].path`).
    label: String,
    stdin: Option<Vec<u8>>,
    env: Vec<(&'static str, OsString)>,
    /// When the environment decides (a file is unreadable only when permissions are enforced).
    outcome: Option<(Kind, i32, &'static str)>,
    /// Reports expected in the JSON besides the bad input and the good one.
    extra_reports: usize,
}

impl Built {
    fn path(label: &str) -> Built {
        Built::args(&[label], label)
    }

    fn args(args: &[&str], label: &str) -> Built {
        Built {
            args: args.iter().map(OsString::from).collect(),
            label: label.to_string(),
            stdin: None,
            env: Vec::new(),
            outcome: None,
            extra_reports: 0,
        }
    }
}

struct Case {
    name: &'static str,
    build: fn(&Path) -> Built,
    code: i32,
    kind: Kind,
    /// A stable part of the message.
    message: &'static str,
    /// Longest acceptable run (debug build); the run is killed [`GRACE`] later.
    within_secs: u64,
    /// `Some(what)`: the bug this row found (fixed since); the row runs in its own `bug_…`
    /// regression test, named after it, rather than in the shared table.
    bug: Option<&'static str>,
}

// ---------------------------------------------------------------------------------------------
// Inputs

fn good_text() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/complete.txt")).unwrap()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> Built {
    fs::write(dir.join(name), bytes).unwrap();
    Built::path(name)
}

/// Deterministic noise (no `rand` dependency): an LCG's high bytes.
fn noise(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect()
}

/// `complete.txt` with three bytes that are never valid UTF-8 in the middle of a line.
fn utf8_with_bad_bytes() -> Vec<u8> {
    let text = good_text();
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    let bytes = text.as_bytes();
    [&bytes[..cut], b"\xFF\xFE\xC3", &bytes[cut..]].concat()
}

/// A raw DEFLATE stream (one fixed-Huffman block) of `size` spaces: a literal, then matches of
/// 258 bytes at distance 1, 13 bits each. Written by hand because compressing 65 MiB with the
/// `zip` writer takes seconds in a debug build.
fn deflated_spaces(size: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, count: u32) {
            self.acc |= u64::from(value) << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            self.put(code.reverse_bits() >> (32 - len), len);
        }
    }
    let mut b = Bits {
        out: Vec::with_capacity(size / 150),
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // BTYPE = fixed Huffman
    let space = |b: &mut Bits| b.code(0x30 + u32::from(b' '), 8);
    space(&mut b);
    let rest = size - 1;
    for _ in 0..rest / 258 {
        b.code(0xC0 + (285 - 280), 8); // length 258
        b.code(0, 5); // distance 1
    }
    for _ in 0..rest % 258 {
        space(&mut b);
    }
    b.code(0, 7); // end of block
    if b.n > 0 {
        b.out.push(b.acc as u8);
    }
    b.out
}

/// CRC-32 of `count` copies of `byte`.
fn crc32_of_run(byte: u8, count: usize) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|i| {
            (0..8).fold(i, |c, _| {
                if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                }
            })
        })
        .collect();
    !(0..count).fold(!0u32, |c, _| {
        table[((c ^ u32::from(byte)) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// A ZIP holding one DEFLATE-compressed part, written by hand; `declared` is the uncompressed
/// size its headers state.
fn zip_deflated(name: &str, data: &[u8], crc: u32, declared: u32) -> Vec<u8> {
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    let common = |out: &mut Vec<u8>| {
        out.extend(le16(20)); // version needed to extract
        out.extend(le16(0)); // flags
        out.extend(le16(8)); // method: deflate
        out.extend(le16(0)); // time
        out.extend(le16(0x21)); // date: 1980-01-01
        out.extend(le32(crc));
        out.extend(le32(data.len() as u32));
        out.extend(le32(declared));
        out.extend(le16(name.len() as u16));
        out.extend(le16(0)); // extra field length
    };
    let mut out = Vec::with_capacity(data.len() + 200);
    out.extend(le32(0x0403_4B50));
    common(&mut out);
    out.extend(name.as_bytes());
    out.extend(data);
    let directory = out.len() as u32;
    out.extend(le32(0x0201_4B50));
    out.extend(le16(20)); // version made by
    common(&mut out);
    out.extend([0; 10]); // comment length (2), disk (2), internal (2) and external (4) attributes
    out.extend(le32(0)); // offset of the local header
    out.extend(name.as_bytes());
    let directory_size = out.len() as u32 - directory;
    out.extend(le32(0x0605_4B50));
    out.extend([0; 4]); // disk numbers
    out.extend(le16(1)); // entries on this disk
    out.extend(le16(1)); // entries
    out.extend(le32(directory_size));
    out.extend(le32(directory));
    out.extend(le16(0)); // comment length
    out
}

const BOMB: usize = 65 * 1024 * 1024;
/// `crc32_of_run(b' ', BOMB)`, which takes seconds in a debug build (Python:
/// `zlib.crc32(b' ' * (65 * 1024 * 1024))`); checked by the ignored test below.
const BOMB_CRC: u32 = 0xDAE1_51D5;

/// A DOCX whose `word/document.xml` is 65 MiB of spaces, about 400 KiB compressed; its headers
/// state the real size, or (`lie`) claim 1 KiB.
fn zip_bomb(lie: bool) -> Vec<u8> {
    let declared = if lie { 1024 } else { BOMB as u32 };
    zip_deflated(
        "word/document.xml",
        &deflated_spaces(BOMB),
        BOMB_CRC,
        declared,
    )
}

#[test]
#[ignore = "slow in a debug build (2 s); run it when BOMB changes"]
fn the_bomb_crc_is_right() {
    assert_eq!(crc32_of_run(b' ', BOMB), BOMB_CRC);
}

#[test]
fn the_hand_made_zip_inflates_to_what_went_in() {
    let n = 100_000;
    let zip = zip_deflated(
        "word/document.xml",
        &deflated_spaces(n),
        crc32_of_run(b' ', n),
        n as u32,
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut back = String::new();
    // The zip reader checks the CRC at the end.
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").unwrap(),
        &mut back,
    )
    .unwrap();
    assert_eq!(back, " ".repeat(n));
}

/// A ZIP with these parts, stored.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A rule pack with one rule; `keys` are the rule's kind-specific keys.
fn pack_with_rule(id: &str, keys: &str) -> String {
    format!(
        "[pack]\nid = \"t\"\nname = \"t\"\nversion = \"1\"\n\n[[rule]]\nid = \"{id}\"\nname = \"{id}\"\nkind = \"content\"\n\
         severity = \"error\"\nbasis = \"b\"\nhelp = \"h\"\n{keys}\n"
    )
}

/// A directory `PATH` holding nothing but an empty `bin/`, so that no external converter
/// (`catdoc`, `soffice`, `pdftotext`) can be found.
fn empty_path(dir: &Path) -> OsString {
    let bin = dir.join("empty-bin");
    fs::create_dir_all(&bin).unwrap();
    bin.into_os_string()
}

fn has_program(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

// ---------------------------------------------------------------------------------------------
// The table

#[rustfmt::skip]
const CASES: &[Case] = &[
    // --- text that is not a report
    Case { name: "empty file", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "empty report: the file has no text",
        build: |d| write(d, "empty.txt", b"") },
    Case { name: "whitespace only (ASCII)", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "empty report: the file has no text",
        build: |d| write(d, "blank.txt", b"  \n\t\r\n \x0c\n") },
    Case { name: "whitespace only (ideographic space, NBSP)", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "empty report: no text was found in the file",
        build: |d| write(d, "blank-cjk.txt", "\u{3000}\u{3000}\u{00A0}\n\t\u{3000}\n") },
    Case { name: "a BOM and nothing else", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "empty report: no text was found in the file",
        build: |d| write(d, "bom.txt", "\u{FEFF}") },
    Case { name: "only invisible characters (U+3000, zero-width space, a BOM mid-file)", code: 2, kind: Unreadable,
        within_secs: 20,
        bug: Some("read_bytes checks emptiness with str::trim, which keeps U+200B/U+FEFF; the file is audited as a report with 13 gaps (exit 1)"),
        message: "empty report",
        build: |d| write(d, "invisible.txt", "\u{3000}\u{200B}\n\u{FEFF}\u{200D}\n") },
    Case { name: "binary noise", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "not a text report",
        build: |d| write(d, "noise.txt", noise(8192)) },
    Case { name: "NUL bytes", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "not a text report: decoded as UTF-8 it is mostly control characters",
        build: |d| write(d, "zeros.txt", vec![0u8; 4096]) },
    Case { name: "UTF-8 with three invalid bytes in the middle", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "not valid UTF-8: 3 byte sequences cannot be decoded",
        build: |d| write(d, "bad-bytes.txt", utf8_with_bad_bytes()) },
    Case { name: "UTF-8 with three invalid bytes: the message says where", code: 2, kind: Unreadable, within_secs: 20,
        bug: Some("decode::detect falls back to chardetng, which guesses windows-1252; the error says \
                   `decoded as windows-1252 it is mostly control characters` instead of naming the invalid UTF-8 bytes"),
        message: "not valid UTF-8",
        build: |d| write(d, "bad-bytes.txt", utf8_with_bad_bytes()) },
    Case { name: "UTF-8 with invalid bytes, --encoding utf-8", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "the file is not valid UTF-8 text (--encoding UTF-8)",
        build: |d| {
            let mut b = write(d, "bad-bytes.txt", utf8_with_bad_bytes());
            b.args.splice(0..0, ["--encoding".into(), "utf-8".into()]);
            b
        } },
    Case { name: "a Western single-byte file (Latin-1 prose)", code: 2, kind: Unreadable, within_secs: 20,
        bug: Some("chardetng guessed windows-1252 and the noise was audited as a report with gaps (exit 1)"),
        message: "not a text report in a supported encoding: the bytes read best as windows-1252",
        build: |d| write(d, "latin.txt", "Rapport annuel très détaillé, élaboré à Genève. ".repeat(40).chars().map(|c| c as u32 as u8).collect::<Vec<u8>>()) },
    Case { name: "mixed encodings (first half GBK, second half UTF-8)", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "not valid GB18030 (GBK): 26 byte sequences cannot be decoded, the first near byte 3211 (line 17); the file is damaged or mixes encodings",
        build: |d| {
            let text = good_text();
            let cut = text.char_indices().nth(text.chars().count() / 2).unwrap().0;
            let (gbk, _, _) = encoding_rs::GBK.encode(&text[..cut]);
            write(d, "mixed.txt", [&gbk[..], &text.as_bytes()[cut..]].concat())
        } },
    // --- size limits
    // 2 MiB keeps the debug run near 5 s (a 20 MiB line takes ~50 s in debug, linear in the size).
    Case { name: "a huge single line (2 MiB, no newline)", code: 1, kind: Audited, within_secs: 40, bug: None,
        message: "",
        build: |d| write(d, "one-line.txt", "法治政府建设，依法行政。".repeat(2 * 1024 * 1024 / 36)) },
    Case { name: "a plan heading with its year in Chinese numerals (四、二〇二三年…)", code: 0, kind: Audited, within_secs: 20,
        bug: Some("eval::year_verdict quotes the year as the byte range `at..at + 4`, which cuts inside `二〇二三` \
                   (3 bytes a char): Block::quote panics on a char boundary, the worker thread's panic ends the \
                   process (exit 101) and every report of the batch is lost"),
        message: "",
        build: |d| write(d, "cn-year.txt", good_text().replace("四、2023年推进", "四、二〇二三年推进")) },
    Case { name: "over the 64 MiB limit (sparse file)", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "file too large (68157443 bytes; the limit is 67108864 bytes)",
        build: |d| {
            let f = fs::File::create(d.join("huge.txt")).unwrap();
            f.set_len(65 * 1024 * 1024).unwrap();
            use std::io::{Seek, SeekFrom};
            let mut f = f;
            f.seek(SeekFrom::End(0)).unwrap();
            f.write_all(b"abc").unwrap();
            Built::path("huge.txt")
        } },
    Case { name: "/dev/zero named on the command line", code: 2, kind: Unreadable, within_secs: 30,
        bug: Some("load::read trusts metadata().len() (0 for a device) and then fs::read()s without a limit: \
                   it reads until memory runs out (here capped by `ulimit -v`: `cannot read the file: out of memory`)"),
        message: "not a regular file (a FIFO, socket or device)",
        build: |_| Built::path("/dev/zero") },
    // What users should see: the FIFO is passed over like any file that is not a report, and
    // listed in `summary.skipped` with its reason; the report beside it is audited.
    Case { name: "a FIFO inside a walked directory", code: 0, kind: Audited, within_secs: 5,
        bug: Some("select::walk takes any non-directory with a report extension; load::read then blocks \
                   forever in fs::read on the FIFO and the whole batch hangs"),
        message: "",
        build: |d| {
            fs::create_dir(d.join("inbox")).unwrap();
            fs::copy(d.join(GOOD), d.join("inbox/a.txt")).unwrap();
            let ok = std::process::Command::new("mkfifo").arg(d.join("inbox/pipe.txt")).status().unwrap();
            assert!(ok.success(), "mkfifo");
            Built::args(&["inbox"], "inbox/a.txt")
        } },
    // --- HTML
    Case { name: "deeply nested HTML (100k divs, .html)", code: 2, kind: Unreadable, within_secs: 30, bug: None,
        message: "HTML nested 100000 elements deep (the limit is 2000): not a report page",
        build: |d| write(d, "deep.html", "<div>".repeat(100_000) + "法治政府建设" + &"</div>".repeat(100_000)) },
    Case { name: "a real page whose <p>/<td> end tags are omitted (valid HTML)", code: 0, kind: Audited, within_secs: 30,
        bug: Some("load::check_html_depth counts every start tag without an end tag as one level deeper; \
                   <p>, <li>, <td>, <tr> close implicitly, so a long valid page is refused as `HTML nested N elements deep`"),
        message: "",
        build: |d| {
            let paragraphs: String = good_text().lines().map(|l| format!("<p>{l}\n")).collect();
            let rows: String = (1..=800).map(|i| format!("<tr><td>{i}<td>行政复议<td>办结\n")).collect();
            let page = format!("<html><head><meta charset=\"utf-8\"><title>报告</title></head><body><div id=\"zoom\">\
                                {paragraphs}<table>{rows}</table></div></body></html>");
            write(d, "open-tags.html", page)
        } },
    // --- DOCX
    Case { name: "a .docx that is not a ZIP", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "not a DOCX file: not a ZIP archive",
        build: |d| write(d, "fake.docx", "这不是Word文档，只是一段文字。") },
    Case { name: "a truncated .docx", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "not a DOCX file: the ZIP archive is damaged or truncated",
        build: |d| {
            let docx = support::docx_gen::docx_from_text(&good_text(), true);
            write(d, "cut.docx", &docx[..docx.len() / 2])
        } },
    Case { name: "a ZIP with no word/document.xml", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "a ZIP archive but not a Word document (no word/document.xml)",
        build: |d| write(d, "photos.docx", zip_of(&[("photo.jpg", b"\xFF\xD8\xFF")])) },
    Case { name: "a .docx whose document.xml is not XML", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "not well-formed XML",
        build: |d| write(d, "junk.docx", zip_of(&[("word/document.xml", b"<w:document><w:body><w:p>")])) },
    Case { name: "a ZIP bomb .docx (document.xml inflates to 65 MiB)", code: 2, kind: Unreadable, within_secs: 30, bug: None,
        message: "DOCX part word/document.xml is larger than the 64 MiB limit",
        build: |d| write(d, "bomb.docx", zip_bomb(false)) },
    Case { name: "a ZIP bomb .docx whose headers claim 1 KiB", code: 2, kind: Unreadable, within_secs: 30, bug: None,
        message: "DOCX part word/document.xml",
        build: |d| write(d, "liar.docx", zip_bomb(true)) },
    // --- PDF
    Case { name: "a .pdf that is not a PDF", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "cannot read the PDF",
        build: |d| write(d, "fake.pdf", "这不是PDF文件。") },
    Case { name: "a truncated PDF (first 200 bytes)", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "cannot read the PDF",
        build: |d| {
            let pdf = support::pdf_gen::pdf_from_text(&good_text());
            write(d, "cut.pdf", &pdf[..200])
        } },
    Case { name: "an encrypted PDF (user password)", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "encrypted PDF: remove the password and save again",
        build: |d| write(d, "locked.pdf", support::pdf_gen::pdf_encrypted("青岚县人民政府关于2022年度法治政府建设情况的报告")) },
    Case { name: "a scanned PDF (no text layer)", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "the PDF has no text layer (a scanned document?): it needs OCR",
        build: |d| write(d, "scan.pdf", support::pdf_gen::pdf_without_text(2)) },
    Case { name: "a PDF without pdftotext on PATH", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "PDF support needs poppler's pdftotext: install it with `apt-get install poppler-utils poppler-data`",
        build: |d| {
            let mut b = write(d, "report.pdf", support::pdf_gen::pdf_from_text(&good_text()));
            b.env.push(("PATH", empty_path(d)));
            b
        } },
    // --- legacy Word
    Case { name: "an OLE .doc with no converter", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "legacy Word .doc file and no converter installed: save it as .docx",
        build: |d| {
            let ole = [&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], &[0u8; 1024][..]].concat();
            let mut b = write(d, "old.doc", ole);
            b.env.push(("PATH", empty_path(d)));
            b
        } },
    // --- paths
    Case { name: "a directory symlink loop", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "cannot walk here: File system loop found",
        build: |d| {
            fs::create_dir_all(d.join("reports/sub")).unwrap();
            fs::copy(d.join(GOOD), d.join("reports/sub/a.txt")).unwrap();
            std::os::unix::fs::symlink("..", d.join("reports/sub/up")).unwrap();
            // The report inside the loop is audited once; the error names the link that loops.
            Built { extra_reports: 1, ..Built::args(&["reports"], "reports/sub/up") }
        } },
    Case { name: "an unreadable file (chmod 000)", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "cannot read the file: Permission denied",
        build: |d| {
            use std::os::unix::fs::PermissionsExt;
            let path = d.join("locked.txt");
            fs::copy(d.join(GOOD), &path).unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
            let mut b = Built::path("locked.txt");
            // As root (CI containers) permissions are not enforced: the file is simply read.
            if fs::read(&path).is_ok() {
                b.outcome = Some((Audited, 0, ""));
            }
            b
        } },
    Case { name: "a path with spaces and Chinese characters", code: 0, kind: Audited, within_secs: 20, bug: None,
        message: "",
        build: |d| {
            fs::create_dir(d.join("报告 2022")).unwrap();
            fs::copy(d.join(GOOD), d.join("报告 2022/青岚县 法治政府 报告.txt")).unwrap();
            Built::path("报告 2022/青岚县 法治政府 报告.txt")
        } },
    Case { name: "a missing path", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "no such file or directory",
        build: |_| Built::path("不存在的报告.txt") },
    Case { name: "a directory with no reports", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "no report files (txt, md, markdown, html, htm, shtml, docx, pdf, doc) in this directory",
        build: |d| {
            fs::create_dir(d.join("photos")).unwrap();
            fs::write(d.join("photos/logo.png"), b"\x89PNG").unwrap();
            Built::path("photos")
        } },
    Case { name: "a glob matching nothing", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "no report file matches this pattern",
        build: |d| {
            fs::create_dir(d.join("drafts")).unwrap();
            fs::write(d.join("drafts/a.txt"), "x").unwrap();
            Built::path("drafts/*.docx")
        } },
    Case { name: "a glob under a missing directory", code: 2, kind: Unreadable, within_secs: 20,
        bug: Some("select::collect walks from the pattern's base `nowhere`, which does not exist: the input is \
                   labelled `nowhere` (not the pattern the user typed) with the walker's `cannot walk here: nowhere: \
                   IO error for operation on nowhere: No such file or directory (os error 2)`"),
        message: "no report file matches this pattern",
        build: |_| Built::path("nowhere/*.docx") },
    Case { name: "empty standard input", code: 2, kind: Unreadable, within_secs: 20, bug: None,
        message: "empty report: the file has no text",
        build: |_| Built { stdin: Some(Vec::new()), ..Built::path("-") } },
    // --- rule packs, config and waivers: the run stops, nothing is audited
    Case { name: "a pack with a catastrophic-looking regex (a+)+$ on a 200k 'aaa…b' line", code: 1, kind: Audited,
        within_secs: 15, bug: None,
        message: "",
        build: |d| {
            fs::write(d.join("pack.toml"), pack_with_rule("redos", "any = ['(a+)+$']")).unwrap();
            let line = "a".repeat(200_000) + "b";
            let mut b = write(d, "redos.txt", format!("{line}\n{line}\n"));
            b.args.splice(0..0, ["--rules".into(), "pack.toml".into()]);
            b
        } },
    Case { name: "a huge pack (2,000 generated rules)", code: 0, kind: Audited, within_secs: 40, bug: None,
        message: "",
        build: |d| {
            let mut pack = String::from("[pack]\nid = \"huge\"\nname = \"2,000 rules\"\nversion = \"1\"\n");
            for i in 0..2000 {
                let pattern = if i % 2 == 0 { "法治政府" } else { "不会出现的词" };
                pack += &format!(
                    "\n[[rule]]\nid = \"r{i}\"\nname = \"规则{i}\"\nkind = \"content\"\nseverity = \"info\"\n\
                     basis = \"b\"\nhelp = \"h\"\nany = ['第{i}条|{pattern}']\n"
                );
            }
            fs::write(d.join("huge-pack.toml"), pack).unwrap();
            Built::args(&["--rules", "huge-pack.toml"], GOOD)
        } },
    Case { name: "an extends cycle between two packs", code: 2, kind: Fatal, within_secs: 20, bug: None,
        message: "packs extend each other in a cycle: a.toml → b.toml → a.toml",
        build: |d| {
            let pack = |id: &str, base: &str| format!("[pack]\nid = \"{id}\"\nname = \"{id}\"\nversion = \"1\"\nextends = [\"{base}\"]\n");
            fs::write(d.join("a.toml"), pack("a", "b.toml")).unwrap();
            fs::write(d.join("b.toml"), pack("b", "a.toml")).unwrap();
            Built::args(&["--rules", "a.toml"], GOOD)
        } },
    Case { name: "a pack with an unknown key", code: 2, kind: Fatal, within_secs: 20, bug: None,
        message: "bad-pack.toml:14:1: unknown field `colour`",
        build: |d| {
            fs::write(d.join("bad-pack.toml"), pack_with_rule("x", "any = ['法治']\ncolour = \"red\"")).unwrap();
            Built::args(&["--rules", "bad-pack.toml"], GOOD)
        } },
    Case { name: "a pack that does not exist", code: 2, kind: Fatal, within_secs: 20, bug: None,
        message: "no-such-pack.toml: no such rules file",
        build: |_| Built::args(&["--rules", "no-such-pack.toml"], GOOD) },
    Case { name: "auditor.toml with an unknown key", code: 2, kind: Fatal, within_secs: 20, bug: None,
        message: "auditor.toml:2:1: unknown field `colour`",
        build: |d| {
            fs::write(d.join("auditor.toml"), "rules = \"2021\"\ncolour = \"red\"\n").unwrap();
            Built::args(&[], GOOD)
        } },
    Case { name: "a waivers file with a bad date", code: 2, kind: Fatal, within_secs: 20, bug: None,
        message: "auditor-waivers.toml:6:11: invalid date",
        build: |d| {
            fs::write(
                d.join("auditor-waivers.toml"),
                "[[waiver]]\nreport = \"good.txt\"\nrule = \"frp\"\njustification = \"j\"\napproved-by = \"a\"\nexpires = 2025-13-45\n",
            )
            .unwrap();
            Built::args(&[], GOOD)
        } },
    Case { name: "a waivers file with a date in words", code: 2, kind: Fatal, within_secs: 20, bug: None,
        message: "auditor-waivers.toml:6:11: invalid type: string \"明年\", expected a TOML datetime",
        build: |d| {
            fs::write(
                d.join("auditor-waivers.toml"),
                "[[waiver]]\nreport = \"good.txt\"\nrule = \"frp\"\njustification = \"j\"\napproved-by = \"a\"\nexpires = \"明年\"\n",
            )
            .unwrap();
            Built::args(&[], GOOD)
        } },
];

// ---------------------------------------------------------------------------------------------
// Running a case

/// Run one case; `Err` says what the user would see that is wrong. Returns the catalogue line.
fn run(case: &Case) -> Result<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/complete.txt"),
        d.join(GOOD),
    )
    .unwrap();
    let built = (case.build)(d);
    let (kind, code, message) = built
        .outcome
        .unwrap_or((case.kind, case.code, case.message));

    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_auditor"));
    cmd.current_dir(d).arg("--format").arg("json");
    // A settings file written by the case is found as a user's would be; otherwise none is read.
    if !d.join("auditor.toml").exists() {
        cmd.arg("--no-config");
    }
    if !d.join("auditor-waivers.toml").exists() {
        cmd.arg("--no-waivers");
    }
    cmd.args(&built.args);
    cmd.arg(GOOD);
    cmd.env_remove("CI");
    for (k, v) in &built.env {
        cmd.env(k, v);
    }
    if built.label == "/dev/zero" {
        // Never let the known unbounded read eat the machine's memory.
        let mut wrapped = std::process::Command::new("sh");
        wrapped
            .current_dir(d)
            .arg("-c")
            .arg("ulimit -v 1000000; exec \"$0\" \"$@\"")
            .arg(cmd.get_program())
            .args(cmd.get_args());
        cmd = wrapped;
    }
    let mut cmd = assert_cmd::Command::from_std(cmd);
    cmd.timeout(Duration::from_secs(case.within_secs) + GRACE);
    if let Some(stdin) = &built.stdin {
        cmd.write_stdin(stdin.clone());
    }
    let started = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run auditor: {e}"))?;
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let context = || {
        format!(
            "\n  exit: {:?}\n  stderr: {}\n  stdout: {:.600}",
            out.status.code(),
            stderr.trim(),
            stdout
        )
    };

    let Some(got) = out.status.code() else {
        return Err(format!("killed after {took:.1?} (a hang?){}", context()));
    };
    let mut problems = Vec::new();
    if got != code {
        problems.push(format!("exit code {got}, expected {code}"));
    }
    if took > Duration::from_secs(case.within_secs) {
        problems.push(format!("took {took:.1?}, more than {} s", case.within_secs));
    }
    let shown;
    match kind {
        Fatal => {
            if !stdout.is_empty() {
                problems.push("a fatal error still printed output on stdout".into());
            }
            if !stderr.contains(message) {
                problems.push(format!("stderr lacks `{message}`"));
            }
            shown = stderr.lines().next().unwrap_or("").to_string();
        }
        Unreadable | Audited => {
            let v: Value = match serde_json::from_str(&stdout) {
                Ok(v) => v,
                Err(e) => return Err(format!("stdout is not JSON ({e}){}", context())),
            };
            let reports = v["reports"].as_array().cloned().unwrap_or_default();
            let find = |label: &str| reports.iter().find(|r| r["path"] == label);
            // The batch carries on: the good report is audited in full.
            match find(GOOD) {
                Some(g)
                    if g["error"].is_null()
                        && g["results"].as_array().is_some_and(|r| !r.is_empty()) => {}
                Some(g) => problems.push(format!(
                    "the good report was not audited: error {}",
                    g["error"]
                )),
                None => problems.push("the good report is missing from the output".into()),
            }
            let expected_reports = 1 + usize::from(built.label != GOOD) + built.extra_reports;
            if reports.len() != expected_reports {
                let paths: Vec<&Value> = reports.iter().map(|r| &r["path"]).collect();
                problems.push(format!(
                    "{} reports in the output, expected {expected_reports}: {paths:?}",
                    reports.len()
                ));
            }
            match find(&built.label) {
                None => {
                    problems.push(format!("no report labelled `{}`", built.label));
                    shown = String::new();
                }
                Some(r) if kind == Unreadable => {
                    let error = r["error"].as_str().unwrap_or("");
                    shown = error.to_string();
                    if !error.contains(message) {
                        problems.push(format!(
                            "reports[].error is {:?}, expected it to contain `{message}`",
                            r["error"]
                        ));
                    }
                    if !(r["results"].as_array().is_some_and(Vec::is_empty)
                        && r["meta"].is_null()
                        && r["sha256"].is_null())
                    {
                        problems.push("an unreadable input has results, meta or sha256".into());
                    }
                    if !stderr.contains(&format!("error: {}: {error}", built.label)) {
                        problems
                            .push("stderr does not repeat the error with the input's name".into());
                    }
                    let unreadable = reports.iter().filter(|r| !r["error"].is_null()).count();
                    if v["summary"]["unreadable"] != unreadable {
                        problems.push(format!(
                            "summary.unreadable is {}, {unreadable} reports have errors",
                            v["summary"]["unreadable"]
                        ));
                    }
                }
                Some(r) => {
                    shown = format!(
                        "audited: {} results, meta.format {}",
                        r["results"].as_array().map_or(0, Vec::len),
                        r["meta"]["format"]
                    );
                    if !r["error"].is_null() || r["results"].as_array().is_none_or(Vec::is_empty) {
                        problems.push(format!(
                            "expected the input to be audited; error {}",
                            r["error"]
                        ));
                    }
                    if v["summary"]["unreadable"] != 0 {
                        problems.push(format!(
                            "summary.unreadable is {}",
                            v["summary"]["unreadable"]
                        ));
                    }
                }
            }
            check_specifics(case.name, &v, &mut problems);
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{:<72} exit {got}  {took:>6.1?}  {shown}",
            case.name
        ))
    } else {
        Err(format!("{}{}", problems.join("\n  "), context()))
    }
}

/// Assertions that only some rows need.
fn check_specifics(name: &str, v: &Value, problems: &mut Vec<String>) {
    let report = |label: &str| {
        v["reports"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["path"] == label))
            .cloned()
    };
    if name.starts_with("a huge pack") {
        for r in v["reports"].as_array().into_iter().flatten() {
            let results = r["results"].as_array().map_or(0, Vec::len);
            if results != 2000 {
                problems.push(format!("{}: {results} results, expected 2000", r["path"]));
            }
        }
        if v["pack"]["id"] != "huge" {
            problems.push(format!("pack id {}", v["pack"]["id"]));
        }
    }
    if name.starts_with("a pack with a catastrophic") {
        // The rule ran: a gap on both reports (neither ends a line with `a`).
        for label in ["redos.txt", GOOD] {
            let status = report(label).map(|r| r["results"][0]["status"].clone());
            if status != Some(Value::from("gap")) {
                problems.push(format!(
                    "{label}: rule redos gave {status:?}, expected a gap"
                ));
            }
        }
    }
    if name.starts_with("a huge single line") {
        let r = report("one-line.txt").unwrap_or_default();
        let rules = auditor::rules::Pack::load("2021").map_or(0, |p| p.rules.len());
        if r["meta"]["encoding"] != "UTF-8" || r["results"].as_array().map_or(0, Vec::len) != rules
        {
            problems.push(format!("one-line.txt: meta {}", r["meta"]));
        }
    }
    if name.starts_with("a FIFO") {
        let skipped = v["summary"]["skipped"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| {
                s["path"].as_str().is_some_and(|p| p.ends_with("pipe.txt"))
                    && s["reason"]
                        .as_str()
                        .is_some_and(|r| r.contains("not a regular file"))
            });
        if !skipped {
            problems.push(format!(
                "the FIFO is not in summary.skipped as `not a regular file`: {}",
                v["summary"]["skipped"]
            ));
        }
    }
    if name.starts_with("a plan heading with its year in Chinese numerals") {
        let plan_year = report("cn-year.txt").and_then(|r| {
            r["results"]
                .as_array()?
                .iter()
                .find(|f| f["rule"] == "plan-year")
                .cloned()
        });
        if plan_year.as_ref().map(|f| &f["status"]) != Some(&Value::from("pass")) {
            problems.push(format!(
                "plan-year: {plan_year:?}, expected a pass (二〇二三 is 2022 + 1)"
            ));
        }
    }
    if name.starts_with("a directory symlink loop") {
        let inside = v["reports"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("a.txt")))
            .count();
        if inside != 1 {
            problems.push(format!(
                "the report inside the loop was audited {inside} times, expected once"
            ));
        }
    }
}

fn find(name: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case `{name}`"))
}

fn run_one(name: &str) {
    let case = find(name);
    match run(case) {
        Ok(line) => println!("{line}"),
        Err(e) => panic!("{}:\n  {e}", case.name),
    }
}

/// Every row without a known bug, a few at a time; all failures are reported together.
#[test]
fn bad_inputs_give_their_own_error_and_the_batch_carries_on() {
    assert!(CASES.len() >= 25);
    let names: std::collections::HashSet<&str> = CASES.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), CASES.len(), "case names are unique");
    let todo: Mutex<Vec<&Case>> =
        Mutex::new(CASES.iter().filter(|c| c.bug.is_none()).rev().collect());
    let done: Mutex<Vec<(usize, Result<String, String>)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(case) = todo.lock().unwrap().pop() {
                    if needs_pdftotext(case) && !has_program("pdftotext") {
                        done.lock().unwrap().push((
                            index(case),
                            Ok(format!(
                                "{:<72} skipped: pdftotext is not installed",
                                case.name
                            )),
                        ));
                        continue;
                    }
                    let result = run(case).map_err(|e| format!("{}:\n  {e}", case.name));
                    done.lock().unwrap().push((index(case), result));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap();
    done.sort_by_key(|(i, _)| *i);
    let mut failures = Vec::new();
    for (_, r) in done {
        match r {
            Ok(line) => println!("{line}"),
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the cases fail:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Rows that read a PDF's text (the one that hides pdftotext runs anywhere).
fn needs_pdftotext(case: &Case) -> bool {
    (case.name.contains("PDF") || case.name.contains(".pdf"))
        && !case.name.contains("without pdftotext")
}

fn index(case: &Case) -> usize {
    CASES.iter().position(|c| std::ptr::eq(c, case)).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Known bugs: each row fails until src/ is fixed (then set its `bug` to `None` so that it joins
// the table above). They are not ignored: each fails in seconds, with bounded memory.

#[test]
fn bug_a_chinese_numeral_plan_year_panics_and_loses_the_batch() {
    run_one("a plan heading with its year in Chinese numerals (四、二〇二三年…)");
}

#[test]
fn bug_only_invisible_characters_is_an_empty_report() {
    run_one("only invisible characters (U+3000, zero-width space, a BOM mid-file)");
}

#[test]
fn bug_invalid_utf8_says_which_bytes() {
    run_one("UTF-8 with three invalid bytes: the message says where");
}

#[test]
fn bug_html_with_implied_end_tags_is_not_too_deep() {
    run_one("a real page whose <p>/<td> end tags are omitted (valid HTML)");
}

#[test]
fn bug_a_glob_under_a_missing_directory_is_named_as_typed() {
    run_one("a glob under a missing directory");
}

/// Runs under `ulimit -v 1000000` (1 GB of address space), so the unbounded read stops at
/// about 0.5 GB instead of eating the machine's memory.
#[test]
fn bug_dev_zero_is_refused_as_a_device() {
    if !cfg!(target_os = "linux") {
        return;
    }
    run_one("/dev/zero named on the command line");
}

/// Killed after 15 s.
#[test]
fn bug_fifo_in_a_directory_does_not_hang_the_batch() {
    if !has_program("mkfifo") {
        return;
    }
    run_one("a FIFO inside a walked directory");
}
