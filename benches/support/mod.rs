//! What the benchmarks share: the bundled samples.

use std::path::{Path, PathBuf};

/// The bundled samples (`samples/*.txt`), sorted by path, with their texts.
pub fn samples() -> (Vec<PathBuf>, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("samples/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let texts = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("samples are UTF-8"))
        .collect();
    (paths, texts)
}
