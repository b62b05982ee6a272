//! SQL `LIKE` without backtracking blow-up: `%` matches any run of characters, `_` any one
//! character, `\` makes the next character literal (a trailing `\` is itself literal).
//!
//! The matcher is the greedy two-pointer wildcard algorithm: it remembers only the last `%`
//! seen and, on a mismatch, lets that `%` swallow one more character. A later `%` makes every
//! earlier one irrelevant (whatever the earlier one could have swallowed, the later one can
//! too), so one backtrack point is enough and the work is at most
//! `(|pattern| + 1) · (|text| + 1)` steps, whatever the pattern. Characters are Unicode scalar
//! values, never bytes.

/// One element of a compiled pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// `%`: any run of characters, including none.
    Any,
    /// `_`: exactly one character.
    One,
    /// A character that must match itself.
    Lit(char),
}

/// A compiled `LIKE` pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LikePattern {
    toks: Vec<Tok>,
}

impl LikePattern {
    /// Compiles `pattern`; consecutive `%` collapse into one.
    pub fn new(pattern: &str) -> Self {
        let mut toks = Vec::with_capacity(pattern.len());
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            let t = match c {
                '%' => Tok::Any,
                '_' => Tok::One,
                '\\' => Tok::Lit(chars.next().unwrap_or('\\')),
                c => Tok::Lit(c),
            };
            if !(t == Tok::Any && toks.last() == Some(&Tok::Any)) {
                toks.push(t);
            }
        }
        LikePattern { toks }
    }

    /// True when the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        self.matches_counting(text, &mut 0)
    }

    /// As [`LikePattern::matches`], adding the number of steps taken to `steps` (each step
    /// does a constant amount of work), so callers and tests can check the bound.
    pub fn matches_counting(&self, text: &str, steps: &mut u64) -> bool {
        let t: Vec<char> = text.chars().collect();
        let p = &self.toks;
        let (mut ti, mut pi) = (0, 0);
        // After the last `%`: the pattern index just past it, and the text index it is
        // currently assumed to have swallowed up to.
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            *steps += 1;
            match p.get(pi) {
                Some(Tok::Any) => {
                    pi += 1;
                    star = Some((pi, ti));
                }
                Some(Tok::One) => {
                    pi += 1;
                    ti += 1;
                }
                Some(Tok::Lit(c)) if *c == t[ti] => {
                    pi += 1;
                    ti += 1;
                }
                _ => match star {
                    Some((after, swallowed)) => {
                        star = Some((after, swallowed + 1));
                        pi = after;
                        ti = swallowed + 1;
                    }
                    None => return false,
                },
            }
        }
        *steps += (p.len() - pi.min(p.len())) as u64;
        p[pi.min(p.len())..].iter().all(|t| *t == Tok::Any)
    }
}

/// True when `text` matches the `LIKE` pattern.
pub fn like(text: &str, pattern: &str) -> bool {
    LikePattern::new(pattern).matches(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_escapes_and_unicode() {
        assert!(like("Sportello", "Sport%"));
        assert!(like("Sportello", "%ello"));
        assert!(like("Sportello", "S_o%l_"));
        assert!(!like("Sportello", "S_o%l"));
        assert!(like("", "%"));
        assert!(!like("", "_"));
        assert!(like("a%b", "a\\%b"));
        assert!(!like("axb", "a\\%b"));
        assert!(like("a_b", "a\\_b"));
        assert!(!like("axb", "a\\_b"));
        assert!(like("a\\", "a\\"), "a trailing backslash is literal");
        assert!(like("Città", "Citt_"), "one character, not one byte");
        assert!(like("日本語", "_本%"));
        assert!(!like("abc", "%x%"));
        assert!(like("mississippi", "%iss%ppi"));
    }
}
