//! Quote-mark pairing over the token stream, block by block.
//!
//! Double marks (`"` `“` `”` `„` `«` `»`) and single marks used as quotes
//! (`‘` `’` `'`) are classified as opening, closing or either from their
//! flanking (white space on one side, a word on the other) and paired with a
//! stack. Apostrophes are not marks: clitics ("We're", "Ukraine's") are
//! already clitic tokens, `'90s` (a mark glued to a number) and NYT-style
//! doubled apostrophes `''` are skipped. A double quote left open at the end
//! of a paragraph continues into the next paragraph when that one opens with
//! a double mark; otherwise it is bounded to its paragraph (or, when it holds
//! properly closed quotes, it is taken for a stray mark and those are kept).
//! Only outermost quotes are returned: nested quotes belong to their parent.

use crate::text::{Token, TokenKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Double,
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

/// One quotation found by mark pairing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawQuote {
    /// Token index of the opening mark.
    pub open: usize,
    /// Token index of the closing mark; None when bounded by the paragraph end.
    pub close: Option<usize>,
    /// Byte span of the text inside the marks.
    pub start: usize,
    pub end: usize,
    pub first_block: usize,
    pub last_block: usize,
    pub family: Family,
    /// For a quote running over several paragraphs, one piece per
    /// paragraph: the token index of the chain's first opening mark.
    pub chain: Option<usize>,
}

fn first_char(text: &str, t: &Token) -> char {
    t.text(text).chars().next().unwrap_or(' ')
}

fn classify(text: &str, toks: &[Token], i: usize, lo: usize, hi: usize) -> Option<(Family, Role)> {
    let t = toks.get(i)?;
    let c = first_char(text, t);
    let prev = if i > lo { toks.get(i - 1) } else { None };
    let next = if i + 1 < hi { toks.get(i + 1) } else { None };
    let prev_attached = prev.is_some() && !t.space_before;
    let next_attached = next.is_some_and(|n| !n.space_before);
    let prev_opening = prev.is_some_and(|p| {
        p.kind == TokenKind::Quote || matches!(p.text(text), "(" | "[" | "—" | "–" | "-" | "/")
    });
    let next_wordish = next.is_some_and(|n| {
        next_attached
            && matches!(
                n.kind,
                TokenKind::Word | TokenKind::Number | TokenKind::Clitic
            )
    });
    let left_flank = next_attached && (!prev_attached || prev_opening);
    let right_flank = prev_attached && !next_wordish;
    let flank_role = match (left_flank, right_flank) {
        (true, false) => Role::Open,
        (false, true) => Role::Close,
        _ => Role::Either,
    };
    match c {
        '“' | '„' | '‟' | '«' => Some((
            Family::Double,
            if right_flank && !left_flank {
                Role::Either
            } else {
                Role::Open
            },
        )),
        '”' | '»' => Some((
            Family::Double,
            if left_flank && !right_flank {
                Role::Either
            } else {
                Role::Close
            },
        )),
        '"' => Some((Family::Double, flank_role)),
        '\'' | '’' | '‘' | '‚' | '‛' => {
            // Doubled apostrophes (NYT style) and marks glued to numbers ('90s).
            let doubled = (next_attached && next.is_some_and(|n| first_char(text, n) == c))
                || (prev_attached && prev.is_some_and(|p| first_char(text, p) == c));
            if doubled {
                return None;
            }
            if next_attached && next.is_some_and(|n| n.kind == TokenKind::Number) {
                return None;
            }
            match (c, flank_role) {
                ('‘' | '‚' | '‛', Role::Close) => None,
                ('‘' | '‚' | '‛', _) => Some((Family::Single, Role::Open)),
                ('’', Role::Open) => None,
                ('’', _) if prev_attached => Some((Family::Single, Role::Close)),
                ('\'', Role::Open) => Some((Family::Single, Role::Open)),
                ('\'', Role::Close) => Some((Family::Single, Role::Close)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A quote left open at the end of a block, maybe continued below.
struct Pending {
    /// The opening marks of the chain, one per paragraph: (token, block).
    opens: Vec<(usize, usize)>,
    /// Closed quotes nested in it (kept if it turns out to be a stray mark).
    children: Vec<RawQuote>,
}

/// Pair the quote marks of `text`. `blocks` are (token range, byte end) per
/// paragraph, in order. Returned quotes are sorted and never overlap.
/// The tokens open with a transcript speaker label: one to three words in
/// capitals, then a colon ("HOST:", "SEN. LUND:").
fn opens_with_label(text: &str, toks: &[Token]) -> bool {
    let mut words = 0;
    for t in toks.iter().take(7) {
        let w = t.text(text);
        if w == ":" {
            return words > 0;
        }
        if w == "." && words > 0 {
            continue;
        }
        let caps = w.chars().any(char::is_alphabetic)
            && w.chars().all(|c| c.is_uppercase() || c == '-' || c == '\'');
        if t.kind != TokenKind::Word || !caps || words == 3 {
            return false;
        }
        words += 1;
    }
    false
}

pub fn pair_marks(
    text: &str,
    toks: &[Token],
    blocks: &[(std::ops::Range<usize>, usize)],
) -> Vec<RawQuote> {
    let mut out: Vec<RawQuote> = Vec::new();
    let mut pending: Option<Pending> = None;
    let tok_end = |i: usize| toks.get(i).map(|t| t.end).unwrap_or(0);
    let tok_start = |i: usize| toks.get(i).map(|t| t.start).unwrap_or(0);
    // Emit the pieces of a chain left open: each bounded to its paragraph.
    let bounded = |opens: &[(usize, usize)], chain: Option<usize>, out: &mut Vec<RawQuote>| {
        for &(open, block) in opens {
            let end = blocks.get(block).map(|b| b.1).unwrap_or(0);
            let start = tok_end(open);
            let body = text.get(start..end).unwrap_or("");
            let end = start + body.trim_end().len();
            if end > start {
                out.push(RawQuote {
                    open,
                    close: None,
                    start,
                    end,
                    first_block: block,
                    last_block: block,
                    family: Family::Double,
                    chain,
                });
            }
        }
    };
    let finalize = |p: Pending, out: &mut Vec<RawQuote>| {
        if p.opens.len() == 1 && !p.children.is_empty() {
            out.extend(p.children);
            return;
        }
        let chain = if p.opens.len() > 1 {
            p.opens.first().map(|o| o.0)
        } else {
            None
        };
        bounded(&p.opens, chain, out);
    };
    for (bi, (range, _)) in blocks.iter().enumerate() {
        let (lo, hi) = (range.start, range.end.min(toks.len()));
        if lo >= hi {
            continue;
        }
        // A paragraph opening with a transcript label ("HOST: ...") is a
        // new utterance, not the next paragraph of the open quote.
        let reopens = toks.get(lo).is_some_and(|t| t.kind == TokenKind::Quote)
            && matches!(
                classify(text, toks, lo, lo, hi),
                Some((Family::Double, Role::Open | Role::Either))
            )
            && !opens_with_label(text, &toks[lo + 1..hi]);
        if let Some(p) = pending.take() {
            if reopens {
                pending = Some(p);
            } else {
                finalize(p, &mut out);
            }
        }
        // (family, token index) of the open marks.
        let mut stack: Vec<(Family, usize)> = Vec::new();
        // Closed pairs with the bottom of the stack when they closed.
        let mut pairs: Vec<(RawQuote, Option<usize>)> = Vec::new();
        for i in lo..hi {
            if toks.get(i).map(|t| t.kind) != Some(TokenKind::Quote) {
                continue;
            }
            let Some((fam, role)) = classify(text, toks, i, lo, hi) else {
                continue;
            };
            let open_double = stack.iter().rposition(|e| e.0 == Family::Double);
            let closing = match (fam, role) {
                (Family::Double, Role::Close) => true,
                (Family::Double, Role::Either) => open_double.is_some(),
                (Family::Double, Role::Open) => false,
                (Family::Single, Role::Close) => {
                    stack.last().is_some_and(|e| e.0 == Family::Single)
                }
                (Family::Single, _) => false,
            };
            if !closing {
                if fam == Family::Single && role == Role::Close {
                    continue; // an apostrophe ("Jesus' words")
                }
                // A new paragraph of the open quote, flattened into this
                // line (`... end. "Next paragraph ...`): double marks do not
                // nest, so the quote goes on.
                let after_sentence = i > lo
                    && toks
                        .get(i - 1)
                        .is_some_and(|t| matches!(t.text(text), "." | "?" | "!"));
                if fam == Family::Double
                    && role == Role::Open
                    && open_double.is_some()
                    && after_sentence
                {
                    continue;
                }
                stack.push((fam, i));
                continue;
            }
            let pos = match fam {
                Family::Double => open_double,
                Family::Single => stack.len().checked_sub(1),
            };
            let Some(pos) = pos else {
                continue; // a closing mark with nothing open
            };
            let Some(&(_, o)) = stack.get(pos) else {
                continue;
            };
            stack.truncate(pos);
            let start = tok_end(o);
            let end = tok_start(i);
            if end > start {
                pairs.push((
                    RawQuote {
                        open: o,
                        close: Some(i),
                        start,
                        end,
                        first_block: bi,
                        last_block: bi,
                        family: fam,
                        chain: None,
                    },
                    stack.first().map(|e| e.1),
                ));
            }
        }
        let unclosed = stack.iter().find(|e| e.0 == Family::Double).map(|e| e.1);
        let mut children = Vec::new();
        for (q, root) in pairs {
            match root {
                None => {
                    if q.open == lo && reopens {
                        if let Some(p) = pending.take() {
                            // One quote from the chain's first mark to
                            // the closing mark.
                            if let Some(&(open, block)) = p.opens.first() {
                                out.push(RawQuote {
                                    open,
                                    start: tok_end(open),
                                    first_block: block,
                                    chain: Some(open),
                                    ..q
                                });
                            }
                            continue;
                        }
                    }
                    out.push(q);
                }
                Some(r) if Some(r) == unclosed => children.push(q),
                Some(_) => {}
            }
        }
        if let Some(u) = unclosed {
            match pending.as_mut() {
                Some(p) if u == lo => {
                    p.opens.push((u, bi));
                    p.children.clear();
                }
                _ => {
                    if let Some(p) = pending.take() {
                        finalize(p, &mut out);
                    }
                    pending = Some(Pending {
                        opens: vec![(u, bi)],
                        children,
                    });
                }
            }
        } else if let Some(p) = pending.take() {
            // The reopening mark was not left open after all.
            finalize(p, &mut out);
        }
    }
    if let Some(p) = pending.take() {
        finalize(p, &mut out);
    }
    out.sort_by_key(|q| (q.start, std::cmp::Reverse(q.end)));
    let mut kept: Vec<RawQuote> = Vec::with_capacity(out.len());
    for q in out {
        if kept.last().is_some_and(|k| q.start < k.end) {
            continue;
        }
        kept.push(q);
    }
    kept
}
