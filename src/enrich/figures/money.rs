//! Money: currency symbols, codes and names resolved to ISO 4217 (the
//! article's default dollar), cents after a whole amount, and the amount
//! with its range tail.

use super::lexicon::{self, Lower};
use super::numbers::{is_dash_text, split_numeral};
use super::{Figure, FigureKind, Num, Scanner, UnitAfter};
use crate::text::TokenKind;

impl<'a> Scanner<'a> {
    pub(super) fn dollar_default(&self) -> &'static str {
        self.dollar.get_or_init(|| {
            let s = self.s;
            let mentions_us =
                s.contains("US$") || s.contains("U.S. dollar") || s.contains("US dollar");
            if mentions_us {
                return "USD";
            }
            for (pat, code) in [
                ("Canadian dollar", "CAD"),
                ("C$", "CAD"),
                ("Australian dollar", "AUD"),
                ("A$", "AUD"),
                ("New Zealand dollar", "NZD"),
                ("NZ$", "NZD"),
                ("Hong Kong dollar", "HKD"),
                ("HK$", "HKD"),
                ("Singapore dollar", "SGD"),
                ("S$", "SGD"),
                ("Taiwan dollar", "TWD"),
                ("NT$", "TWD"),
            ] {
                if s.contains(pat) {
                    return code;
                }
            }
            "USD"
        })
    }

    pub(super) fn resolve_code(&self, code: &str) -> String {
        if code == "$" {
            self.dollar_default().to_string()
        } else {
            code.to_string()
        }
    }

    /// A currency name at token j, with up to two adjective words before
    /// the base ("australian dollars", "hong kong dollars"). Returns the
    /// code and the token index after it.
    pub(super) fn currency_name_at(&self, j: usize, after_scale: bool) -> Option<(String, usize)> {
        let w1 = self.lower(j)?;
        let w1 = w1.as_str();
        if let Some(base) = lexicon::currency_name(w1) {
            if lexicon::name_needs_adjective(w1) && !after_scale {
                return None;
            }
            // "pounds of beef" is a weight
            if base == "GBP" && self.lw_is(j + 1, "of") && !after_scale {
                return None;
            }
            return Some((self.resolve_code(base), j + 1));
        }
        let (adj, k) = if lexicon::is_two_word_adjective_head(w1) {
            let w2 = self.lower(j + 1)?;
            (w2, j + 2)
        } else {
            (Lower::new(w1)?, j + 1)
        };
        let bw = self.lower(k)?;
        let base = lexicon::currency_name(bw.as_str())?;
        let a = adj.as_str();
        let code = lexicon::adjective_currency(a, base).or_else(|| {
            // "u.s. dollars": the tokeniser keeps "u.s." as one word
            if a == "u.s" || a == "us" {
                lexicon::adjective_currency("us", base)
            } else {
                None
            }
        })?;
        Some((code.to_string(), k + 1))
    }

    pub(super) fn money_unit(&self, base: &str, end: usize) -> UnitAfter {
        self.money_unit_code(self.resolve_code(base), end)
    }

    /// Cents and pence become fractions of the dollar / pound.
    pub(super) fn money_unit_code(&self, code: String, end: usize) -> UnitAfter {
        match code.as_str() {
            "cent" => UnitAfter {
                kind: FigureKind::Money,
                unit: Some(self.dollar_default().to_string()),
                mult: 0.01,
                end,
            },
            "penny" => UnitAfter {
                kind: FigureKind::Money,
                unit: Some("GBP".into()),
                mult: 0.01,
                end,
            },
            "satoshi" => UnitAfter {
                kind: FigureKind::Money,
                unit: Some("BTC".into()),
                mult: 1e-8,
                end,
            },
            _ => UnitAfter {
                kind: FigureKind::Money,
                unit: Some(code),
                mult: 1.0,
                end,
            },
        }
    }

    /// Cents after a whole amount: "3 dollars 50 cents", "thirteen dollars
    /// and forty-five cents", "$100 and fifty".
    pub(super) fn cents_after(&self, value: f64, unit: &str, e: usize) -> Option<(f64, usize)> {
        if value.fract() != 0.0 || value >= 1e6 {
            return None;
        }
        let mut j = e;
        if self.lw_is(j, "and") {
            j += 1;
        }
        let n = self.number_at(j)?;
        if n.range.is_some()
            || n.glued.is_some()
            || n.scaled
            || n.value >= 100.0
            || n.value.fract() != 0.0
        {
            return None;
        }
        let k = n.end;
        if let Some(l) = self.lower(k) {
            if matches!(l.as_str(), "cent" | "cents" | "pence" | "p") {
                return Some((n.value / 100.0, k + 1));
            }
        }
        // a bare amount only at the end of the clause
        let at_end =
            self.tok(k).is_none() || matches!(self.text(k), "." | "," | ";" | "!" | "?" | ")");
        if at_end && (!unit.is_empty() || j > e) {
            return Some((n.value / 100.0, k));
        }
        None
    }

    /// Emit a money figure from prefix token `a`, number `num`, currency
    /// `code` (already resolved) and multiplier; returns the next token.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn emit_money(
        &self,
        out: &mut Vec<Figure>,
        a: usize,
        num: &Num<'a>,
        code: String,
        mult: f64,
        neg: bool,
        mut end: usize,
    ) -> usize {
        let sign = if neg { -1.0 } else { 1.0 };
        let mut f = self.base_figure(FigureKind::Money, a, end);
        if let Some((lo, hi)) = num.range {
            f.kind = Some(FigureKind::Range);
            f.low = Some(sign * lo * mult);
            f.high = Some(sign * hi * mult);
        } else {
            let mut v = num.value * mult;
            if !num.scaled && mult == 1.0 {
                if let Some((c, e2)) = self.cents_after(num.value, &code, end) {
                    v += c;
                    end = e2;
                    f = self.base_figure(FigureKind::Money, a, end);
                }
            }
            f.value = Some(sign * v);
        }
        // a second end of a range: "$10 to $15 billion", "$10bn-$15bn"
        if f.kind == Some(FigureKind::Money) {
            if let Some((hi, e2)) = self.range_tail(end, &code) {
                let lo = num.value * mult;
                f = self.base_figure(FigureKind::Range, a, e2);
                let hi_v = hi.value * if hi.scaled { 1.0 } else { mult };
                // "$10 to 15 billion": the scale of the second applies to both
                let lo_v = if !num.scaled && hi.scaled && num.value < hi.value {
                    num.value * (hi_v / hi.value)
                } else {
                    lo
                };
                f.low = Some(sign * lo_v);
                f.high = Some(sign * hi_v);
                end = e2;
            }
        }
        f.unit = Some(code);
        self.apply_qualifier(&mut f, a);
        f.context = self.context_after(end).or_else(|| self.context_before(a));
        out.push(f);
        end
    }

    /// "to $15 billion" / "- 15" / "and 15" after a money amount.
    pub(super) fn range_tail(&self, e: usize, code: &str) -> Option<(Num<'a>, usize)> {
        let c = self.text(e);
        let conn =
            is_dash_text(c) || matches!(self.lower(e).map(|l| l.as_str() == "to"), Some(true));
        if !conn {
            return None;
        }
        let mut j = e + 1;
        if let Some(ch) = self.text(j).chars().next() {
            if lexicon::symbol_currency(ch).is_some() {
                j += 1;
            }
        }
        if self.kind(j) != Some(TokenKind::Number) {
            return None;
        }
        // "to" needs an explicit currency on the second amount or a shared scale
        let n = self.numeral(j)?;
        if n.range.is_some() {
            return None;
        }
        let mut end = n.end;
        if let Some(u) = self.unit_after(&n) {
            if u.kind != FigureKind::Money || u.unit.as_deref() != Some(code) {
                return None;
            }
            end = u.end;
        }
        let _ = code;
        Some((n, end))
    }

    pub(super) fn at_punct(&self, i: usize, out: &mut Vec<Figure>) -> Option<usize> {
        let t = self.text(i);
        let c = t.chars().next()?;
        let code = lexicon::symbol_currency(c)?;
        // prefix word: "US$", "C$", "HK$", and tokenised "c $"
        let mut a = i;
        let mut code = code.to_string();
        if c == '$' && i > 0 && self.kind(i - 1) == Some(TokenKind::Word) {
            if let Some(l) = self.lower(i - 1) {
                if let Some(pc) = lexicon::dollar_prefix(l.as_str()) {
                    let single_letter_lower =
                        l.as_str().len() <= 2 && matches!(l.as_str(), "a" | "s" | "r" | "j" | "z");
                    if self.glued(i)
                        || (!single_letter_lower
                            && matches!(l.as_str(), "c" | "us" | "hk" | "nz" | "u.s."))
                    {
                        code = pc.to_string();
                        a = i - 1;
                    }
                }
            }
        }
        if code == "$" {
            code = self.dollar_default().to_string();
        }
        let mut j = i + 1;
        // accounting negative "$(1.2) million"
        let mut neg = false;
        if self.text(j) == "("
            && self.kind(j + 1) == Some(TokenKind::Number)
            && self.text(j + 2) == ")"
        {
            neg = true;
        }
        if neg {
            j += 1;
        }
        let mut num = self.number_at(j)?;
        if neg {
            if self.text(num.end) != ")" {
                return None;
            }
            num.end += 1;
            num = self.scales(num)?;
        }
        // "$5 m", "$2 b": single-letter scales only after a currency
        if !num.scaled && num.glued.is_none() && num.range.is_none() {
            if let Some(l) = self.lower(num.end) {
                let m = match l.as_str() {
                    "m" | "mm" => Some(1e6),
                    "b" => Some(1e9),
                    "k" => Some(1e3),
                    _ => None,
                };
                if let Some(m) = m {
                    if self.text(num.end + 1) != "."
                        || self.tok(num.end + 1).is_none_or(|t| t.space_before)
                    {
                        num.value *= m;
                        num.scaled = true;
                        num.end += 1;
                    }
                }
            }
        }
        if num.glued.is_some_and(|g| !g.is_empty()) && num.range.is_none() {
            // "$70-a-share" glued words are not part of the amount
            num.glued = None;
        }
        let mut end = num.end;
        // "$10 dollars": a repeated currency name is part of the amount
        if let Some(l) = self.lower(end) {
            if lexicon::currency_name(l.as_str()) == Some("$") && c == '$' {
                end += 1;
            }
        }
        let mult = 1.0;
        Some(self.emit_money(out, a, &num, code, mult, neg, end))
    }
}

impl<'a> Scanner<'a> {
    /// Letters glued to digits: "USD115", "Rs75", "COP28" (a name).
    pub(super) fn glued_code_amount(&self, out: &mut Vec<Figure>, i: usize) -> Option<usize> {
        let text = self.text(i);
        let split = text.find(|c: char| c.is_ascii_digit())?;
        let (letters, rest) = text.split_at(split);
        let known = Lower::new(letters).is_some_and(|l| {
            matches!(
                l.as_str(),
                "usd"
                    | "eur"
                    | "gbp"
                    | "jpy"
                    | "chf"
                    | "cad"
                    | "aud"
                    | "nzd"
                    | "hkd"
                    | "sgd"
                    | "inr"
                    | "rs"
                    | "rmb"
                    | "cny"
                    | "btc"
            )
        });
        if let Some((code, m)) = lexicon::code_word(letters).filter(|_| known) {
            if let Some((v, _, _, suf, None)) = split_numeral(rest) {
                let mut mult = m;
                if !suf.is_empty() {
                    mult *= lexicon::scale_suffix(suf)?;
                }
                let num = Num {
                    value: v,
                    start: i,
                    end: i + 1,
                    digits: true,
                    scaled: !suf.is_empty(),
                    ..Num::default()
                };
                let num = self.scales(num)?;
                let end = num.end;
                return Some(self.emit_money(out, i, &num, code.to_string(), mult, false, end));
            }
        }
        Some(i + 1)
    }

    /// A currency code before the amount: "EUR 12 million", "Rs 75,000 crore".
    pub(super) fn code_before_amount(
        &self,
        out: &mut Vec<Figure>,
        i: usize,
        code: &'static str,
        m: f64,
    ) -> Option<usize> {
        let mut j = i + 1;
        if self.text(j) == "$" && self.glued(j) {
            j += 1; // "USD$ 15"
        }
        if self.text(j) == "." && self.glued(j) {
            j += 1; // "Rs. 500"
        }
        if self.kind(j) == Some(TokenKind::Number) {
            let num = self.numeral(j)?;
            if num.glued.is_some() {
                return None;
            }
            let end = num.end;
            return Some(self.emit_money(out, i, &num, code.to_string(), m, false, end));
        }
        None
    }
}
