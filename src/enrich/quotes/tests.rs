//! Unit and property tests of the quote extractor, on sentences written for them.

use super::*;

fn run(text: &str) -> Vec<Quote> {
    let doc = Document::new("", text, None);
    extract(&doc, &[])
}

#[test]
fn smoke() {
    let q = run("\"We will win,\" Smith said.");
    assert_eq!(q.len(), 1);
}
