//! Numbers written the way each UI language writes them, after CLDR 48 (what
//! `Intl.NumberFormat(lang)` gives in the web app): the digits (Bengali its own), the decimal
//! and grouping signs, Italian's minimum of two digits before the first group (`1234`,
//! `12.345`), Bengali's Indian grouping (`১২,৩৪,৫৬৭`), and the left-to-right mark before the
//! minus sign in Arabic and Urdu. A few rules, so no locale library is needed for them.

use super::strings::Ui;

/// How one language writes numbers.
struct Style {
    decimal: char,
    group: char,
    /// Digits 0–9.
    zero: char,
    /// Grouping starts only with this many digits before the first separator.
    min_grouping: usize,
    /// Groups of two after the first group of three.
    indian: bool,
    minus: &'static str,
}

fn style(ui: Ui) -> Style {
    let s = Style {
        decimal: '.',
        group: ',',
        zero: '0',
        min_grouping: 1,
        indian: false,
        minus: "-",
    };
    match ui.code() {
        "it" => Style {
            decimal: ',',
            group: '.',
            min_grouping: 2,
            ..s
        },
        "fr" => Style {
            decimal: ',',
            group: '\u{202F}',
            ..s
        },
        "uk" => Style {
            decimal: ',',
            group: '\u{A0}',
            ..s
        },
        "ar" | "ur" => Style {
            minus: "\u{200E}-",
            ..s
        },
        "bn" => Style {
            zero: '০',
            indian: true,
            ..s
        },
        _ => s,
    }
}

/// `x` with `decimals` fraction digits, or, when None, as few as it needs (at most three).
pub fn number(ui: Ui, x: f64, decimals: Option<usize>) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let st = style(ui);
    let fixed = match decimals {
        Some(d) => format!("{:.*}", d, x.abs()),
        None => {
            let s = format!("{:.3}", x.abs());
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
    };
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let digits: Vec<char> = int.chars().collect();
    let mut sizes = Vec::new();
    let mut left = digits.len();
    if left >= 3 + st.min_grouping {
        sizes.push(3);
        left -= 3;
        let step = if st.indian { 2 } else { 3 };
        while left > step {
            sizes.push(step);
            left -= step;
        }
    }
    sizes.push(left);
    let mut out = String::new();
    if x < 0.0 && fixed.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push_str(st.minus);
    }
    let mut at = 0;
    for (i, size) in sizes.iter().rev().enumerate() {
        if i > 0 {
            out.push(st.group);
        }
        out.extend(digits[at..at + size].iter().map(|&c| digit(&st, c)));
        at += size;
    }
    if !frac.is_empty() {
        out.push(st.decimal);
        out.extend(frac.chars().map(|c| digit(&st, c)));
    }
    out
}

/// `text` with its ASCII digits in the language's own (Bengali's `০`–`৯`), nothing else changed.
pub fn digits(ui: Ui, text: &str) -> String {
    let st = style(ui);
    text.chars().map(|c| digit(&st, c)).collect()
}

fn digit(st: &Style, c: char) -> char {
    c.to_digit(10)
        .and_then(|d| char::from_u32(st.zero as u32 + d))
        .unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values are what Node 20 (ICU 78.2, CLDR 48) prints for
    /// `new Intl.NumberFormat(lang).format(x)` and with five fraction digits.
    #[test]
    fn numbers_are_written_as_cldr_writes_them() {
        let cases = [
            ("it", 1234.0, None, "1234"),
            ("it", 1234567.891, None, "1.234.567,891"),
            ("en", 1234.0, None, "1,234"),
            ("en", 1234567.891, None, "1,234,567.891"),
            ("fr", 12345678.0, None, "12\u{202F}345\u{202F}678"),
            ("uk", 1000.0, None, "1\u{A0}000"),
            ("ar", 1234567.891, None, "1,234,567.891"),
            ("ar", -12345.25, Some(5), "\u{200E}-12,345.25000"),
            ("ur", -12345.25, Some(5), "\u{200E}-12,345.25000"),
            ("bn", 1234.0, None, "১,২৩৪"),
            ("bn", 1234567.891, None, "১২,৩৪,৫৬৭.৮৯১"),
            ("bn", 12345678.0, None, "১,২৩,৪৫,৬৭৮"),
            ("bn", 68.0, None, "৬৮"),
            ("zh", 0.5, None, "0.5"),
            ("it", 0.5, None, "0,5"),
            ("fr", -12345.25, Some(5), "-12\u{202F}345,25000"),
        ];
        for (lang, x, d, want) in cases {
            assert_eq!(number(Ui::for_tag(lang), x, d), want, "{lang} {x}");
        }
    }
}
