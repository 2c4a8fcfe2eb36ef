//! Tests of figure extraction on sentences written for them.

use super::*;

fn figs(s: &str) -> Vec<Figure> {
    extract(&Document::new("", s, None))
}

#[test]
fn smoke() {
    let f = figs("It holds about 5% of the world's critical raw materials.");
    assert_eq!(f.len(), 1);
}
