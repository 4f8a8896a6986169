//! Arbitrary text as a rule pack: errors are fine, panics are not.
#![no_main]

use auditor::rules::Pack;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    // `extends` may name a file; keep the fuzzer away from device files that never end.
    if text.contains("/dev/") || text.contains("/proc/") {
        return;
    }
    let _ = Pack::parse(text, "fuzz.toml");
});
