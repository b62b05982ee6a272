//! From bytes to text, one rule for every reader: UTF-8 only, an optional byte-order mark
//! ignored (RFC 8259 §8.1 lets JSON parsers do so; CSV from spreadsheets often has one), and
//! a bad byte reported by line and byte offset.

use super::Report;
use crate::model::limits;

/// The UTF-8 byte-order mark.
const BOM: char = '\u{feff}';

/// `text` without a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// Checks the size and the encoding of a whole file; the text has no byte-order mark.
pub fn decode(bytes: &[u8]) -> Result<&str, Report> {
    let mut report = Report::default();
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        report.push(
            "file",
            "",
            format!(
                "is {} bytes; at most {} are allowed",
                bytes.len(),
                limits::MAX_FILE_BYTES
            ),
        );
        return Err(report);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(strip_bom(s)),
        Err(e) => {
            let at = e.valid_up_to();
            let before = &bytes[..at];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            report.push(
                format!("line {line} (byte offset {at})"),
                "",
                format!(
                    "not valid UTF-8: byte 0x{:02x}, byte {} of the line; save the file as UTF-8",
                    bytes[at],
                    at - line_start + 1
                ),
            );
            Err(report)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_line_and_byte_offset_of_a_bad_byte() {
        let r = decode(b"{\n  \"a\": \"caf\xe9\"\n}").unwrap_err();
        assert_eq!(
            r.0[0].to_string(),
            "line 2 (byte offset 13): not valid UTF-8: byte 0xe9, byte 12 of the line; save the file as UTF-8"
        );
    }

    #[test]
    fn ignores_a_byte_order_mark() {
        assert_eq!(decode(b"\xef\xbb\xbf{}").unwrap(), "{}");
        assert_eq!(strip_bom("\u{feff}a,b"), "a,b");
    }
}
