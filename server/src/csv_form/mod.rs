//! The CSV form of a dataset: one row per service at a sportello (a sportello without
//! services has one row with an empty `service_id`). Translations are `field@lang` columns,
//! lists are `;`-separated (a `;` or `\` inside an item is written `\;`, `\\`), phone labels
//! are `phone_label@lang` lists aligned with `phones`. Organisations and projects travel only
//! in the GeoJSON form.
//!
//! Every column the writer can emit is one the reader knows, and a column the reader does not
//! know is refused: a misspelt header must not silently drop a field.

mod cells;
mod notices;
mod provenance;
mod read;
mod write;

pub use read::read;
pub use write::write;

/// Translatable columns (each `column@lang`).
const I18N: [&str; 8] = [
    "sportello_name",
    "sportello_description",
    "accessibility",
    "service_name",
    "service_description",
    "cost_note",
    "documents",
    "schedule_note",
];

/// Phone labels, `phone_label@lang`: one `;`-separated item per number in `phones`.
const PHONE_LABEL: &str = "phone_label";

/// Notice messages, `{sportello,service}_notice_message@lang`: one item per notice.
const NOTICE_MESSAGES: [&str; 2] = ["sportello_notice_message", "service_notice_message"];

const PLAIN: [&str; 42] = [
    "sportello_id",
    "organization_id",
    "street",
    "postcode",
    "locality",
    "comune_istat",
    "lon",
    "lat",
    "phones",
    "emails",
    "website",
    "sportello_status",
    "sportello_visibility",
    "sportello_last_verified_at",
    "address_verified_at",
    "phone_verified_at",
    "sportello_notices",
    "reception_kind",
    "reception_capacity",
    "service_id",
    "service_at_location_id",
    "service_organization_id",
    "categories",
    "languages",
    "cost",
    "appointment_required",
    "audiences",
    "service_phone",
    "service_email",
    "service_url",
    "service_status",
    "service_visibility",
    "service_last_verified_at",
    "languages_verified_at",
    "cost_verified_at",
    "appointment_verified_at",
    "hours",
    "seasonal_hours",
    "closed_on",
    "public_holidays",
    "hours_verified_at",
    "service_notices",
];

/// Why a header cell is not a known column, if it is not.
fn unknown_column(h: &str) -> Option<String> {
    if PLAIN.contains(&h) || provenance::COLUMNS.contains(&h) {
        return None;
    }
    match h.split_once('@') {
        Some((col, lang))
            if I18N.contains(&col) || col == PHONE_LABEL || NOTICE_MESSAGES.contains(&col) =>
        {
            if crate::import::is_language_tag(lang) {
                None
            } else {
                Some(format!("{lang:?} is not a BCP 47 language tag"))
            }
        }
        _ => Some("unknown column (see docs/data-format.md for the columns)".to_owned()),
    }
}

/// A list cell: items joined by `;`, with `\` escaping `;` and `\` inside an item.
fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| s.as_ref().replace('\\', "\\\\").replace(';', "\\;"))
        .collect::<Vec<_>>()
        .join(";")
}

/// The items of a list cell, every one kept (empty ones too), unescaped.
fn split_positional(s: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => item.extend(chars.next()),
            ';' => items.push(std::mem::take(&mut item)),
            c => item.push(c),
        }
    }
    items.push(item);
    items
}

/// The non-empty items of a list cell, trimmed.
fn split_list(s: &str) -> Vec<String> {
    if s.trim().is_empty() {
        return Vec::new();
    }
    split_positional(s)
        .into_iter()
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_cells_escape_separators() {
        let items = ["a;b", "c\\d", "", "e"];
        let cell = join_list(&items);
        assert_eq!(cell, "a\\;b;c\\\\d;;e");
        assert_eq!(split_positional(&cell), items);
        assert_eq!(split_list(&cell), ["a;b", "c\\d", "e"]);
        assert!(split_list("").is_empty());
    }

    #[test]
    fn only_known_columns_pass() {
        assert_eq!(unknown_column("sportello_id"), None);
        assert_eq!(unknown_column("service_name@ar"), None);
        assert_eq!(unknown_column("phone_label@zh-Hant"), None);
        assert_eq!(unknown_column("service_notice_message@ar"), None);
        assert_eq!(unknown_column("cost_verified_at"), None);
        assert_eq!(unknown_column("licence"), None);
        assert!(unknown_column("notice_message@it").is_some());
        assert!(unknown_column("sportelo_id").is_some());
        assert!(unknown_column("service_name@Arabic").is_some());
    }
}
