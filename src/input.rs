//! Local inputs for replay, publish, eval and bench: files, directories
//! (recursively: .txt, .json, .jsonl), JSON Lines, or `-` for stdin. Each
//! yields raw payloads exactly as they would arrive on the raw subject.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Result;

/// The command cannot start: a usage error or unreadable input (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// One raw payload and where it came from (for messages and errors).
#[derive(Debug, Clone)]
pub struct RawInput {
    pub origin: String,
    pub bytes: Vec<u8>,
}

/// The files under `dir` (recursively, following symlinks; walkdir stops
/// at loops) whose path `keep` accepts, in sorted order so runs are reproducible. The
/// one directory walker every command uses.
pub fn files_under(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry
            .map_err(|e| UsageError(format!("cannot list directory {}: {e}", dir.display())))?;
        if entry.file_type().is_file() && keep(entry.path()) {
            out.push(entry.into_path());
        }
    }
    out.sort();
    Ok(out)
}

/// Collect the files under `path` (recursively for directories) with an
/// accepted extension (.txt, .json, .jsonl), in sorted order.
pub fn list_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        UsageError(format!(
            "cannot read {} (does it exist?): {e}",
            path.display()
        ))
    })?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    files_under(path, |p| {
        matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("txt" | "json" | "jsonl")
        )
    })
}

/// Read every payload named by `paths` (`-` is stdin). A `.jsonl` file (or
/// stdin whose first non-blank char is `{` on several lines) gives one payload
/// per non-empty line; other files give one payload each.
pub fn read_inputs(paths: &[PathBuf]) -> Result<Vec<RawInput>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| UsageError(format!("cannot read standard input: {e}")))?;
            split_payloads("stdin", &buf, looks_like_jsonl(&buf), &mut out);
            continue;
        }
        for f in list_files(p)? {
            let bytes = std::fs::read(&f)
                .map_err(|e| UsageError(format!("cannot read {}: {e}", f.display())))?;
            let jsonl = f.extension().and_then(|x| x.to_str()) == Some("jsonl");
            split_payloads(&f.display().to_string(), &bytes, jsonl, &mut out);
        }
    }
    Ok(out)
}

fn looks_like_jsonl(buf: &[u8]) -> bool {
    let text = String::from_utf8_lossy(buf);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.len() > 1
        && lines
            .iter()
            .all(|l| l.trim_start().starts_with('{') && l.trim_end().ends_with('}'))
}

fn split_payloads(origin: &str, bytes: &[u8], jsonl: bool, out: &mut Vec<RawInput>) {
    if !jsonl {
        out.push(RawInput {
            origin: origin.to_string(),
            bytes: bytes.to_vec(),
        });
        return;
    }
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        out.push(RawInput {
            origin: format!("{origin}:{}", i + 1),
            bytes: line.to_vec(),
        });
    }
}
