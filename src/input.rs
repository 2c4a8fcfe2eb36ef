//! Local inputs for replay, publish, eval and bench: files, directories
//! (recursively: .txt, .json, .jsonl), JSON Lines, or `-` for stdin. Each
//! yields raw payloads exactly as they would arrive on the raw subject.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One raw payload and where it came from (for messages and errors).
#[derive(Debug, Clone)]
pub struct RawInput {
    pub origin: String,
    pub bytes: Vec<u8>,
}

/// Collect the files under `path` (recursively for directories) with an
/// accepted extension, in sorted order so runs are reproducible.
pub fn list_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read {} (does it exist?)", path.display()))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot list directory {}", dir.display()))?;
        for e in entries {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("txt" | "json" | "jsonl")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
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
                .context("cannot read standard input")?;
            split_payloads("stdin", &buf, looks_like_jsonl(&buf), &mut out);
            continue;
        }
        for f in list_files(p)? {
            let bytes =
                std::fs::read(&f).with_context(|| format!("cannot read {}", f.display()))?;
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
