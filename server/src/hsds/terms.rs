//! The taxonomies Bussola's own facts travel in when HSDS has no field for them: each is an
//! HSDS `attribute` linking a record to a `taxonomy_term`, the extension mechanism HSDS 3.0
//! provides. Categories of need and audiences are the built-in taxonomy's ids; the rest carry
//! what a round trip needs (the Bussola id, "appointment required").

use super::ids::uuid;
use serde_json::{json, Value};

/// A vocabulary of terms (an HSDS `taxonomy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vocabulary {
    /// Categories of need (`data/taxonomy.json`).
    Category,
    /// Who a service is for.
    Audience,
    /// Bussola's own facts: `bussola-id`, `appointment-required`, `provenance-*`.
    Bussola,
}

impl Vocabulary {
    pub const ALL: [Vocabulary; 3] = [
        Vocabulary::Category,
        Vocabulary::Audience,
        Vocabulary::Bussola,
    ];

    /// The taxonomy's name, also its `taxonomy` label on terms.
    pub fn name(&self) -> &'static str {
        match self {
            Vocabulary::Category => "bussola-categories",
            Vocabulary::Audience => "bussola-audiences",
            Vocabulary::Bussola => "bussola",
        }
    }

    pub fn parse(s: &str) -> Option<Vocabulary> {
        Vocabulary::ALL.into_iter().find(|v| v.name() == s)
    }

    fn description(&self) -> &'static str {
        match self {
            Vocabulary::Category => "Bussola's categories of need",
            Vocabulary::Audience => "Who a Bussola service is for",
            Vocabulary::Bussola => "Bussola facts HSDS has no field for",
        }
    }

    /// The HSDS taxonomy object.
    pub fn taxonomy(&self) -> Value {
        json!({
            "id": self.id(),
            "name": self.name(),
            "description": self.description(),
            "version": "1",
        })
    }

    /// The taxonomy's UUID.
    pub fn id(&self) -> String {
        uuid("taxonomy", self.name())
    }
}

/// The Bussola id of the record an attribute is on.
pub const BUSSOLA_ID: &str = "bussola-id";
/// `"true"` or `"false"`: whether a service needs an appointment.
pub const APPOINTMENT: &str = "appointment-required";

/// Where a record came from (`model::Provenance`): its source, licence, attribution and the
/// source's URL, one attribute each.
pub const PROVENANCE: [(&str, &str); 4] = [
    ("provenance-source", "Source"),
    ("provenance-licence", "Licence"),
    ("provenance-attribution", "Attribution"),
    ("provenance-url", "Source URL"),
];

/// The provenance attributes of the record `link_id`, none when it has no provenance.
pub fn provenance(
    link_entity: &str,
    link_id: &str,
    p: &Option<crate::model::Provenance>,
) -> Vec<Value> {
    let Some(p) = p else { return Vec::new() };
    let values = [
        Some(p.source.as_str()),
        p.licence.as_deref(),
        p.attribution.as_deref(),
        p.url.as_deref(),
    ];
    PROVENANCE
        .iter()
        .zip(values)
        .filter_map(|((code, name), v)| {
            v.map(|v| attribute(link_entity, link_id, Vocabulary::Bussola, code, name, v))
        })
        .collect()
}

/// A term's UUID.
pub fn term_id(vocabulary: Vocabulary, code: &str) -> String {
    uuid(&format!("term:{}", vocabulary.name()), code)
}

/// The HSDS taxonomy term `code` of `vocabulary`, named `name`.
pub fn term(vocabulary: Vocabulary, code: &str, name: &str) -> Value {
    json!({
        "id": term_id(vocabulary, code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": vocabulary.name(),
        "taxonomy_id": vocabulary.id(),
    })
}

/// An attribute of the record `link_id` (an HSDS `link_entity` such as `service`) with
/// `term` and `value`.
pub fn attribute(
    link_entity: &str,
    link_id: &str,
    vocabulary: Vocabulary,
    code: &str,
    name: &str,
    value: &str,
) -> Value {
    json!({
        "id": uuid("attribute", &format!("{link_id}:{}:{code}", vocabulary.name())),
        "link_id": link_id,
        "link_type": link_entity,
        "link_entity": link_entity,
        "taxonomy_term_id": term_id(vocabulary, code),
        "value": value,
        "taxonomy_term": term(vocabulary, code, name),
    })
}

/// The Bussola id attribute of a record.
pub fn bussola_id(link_entity: &str, link_id: &str, id: &str) -> Value {
    attribute(
        link_entity,
        link_id,
        Vocabulary::Bussola,
        BUSSOLA_ID,
        "Bussola id",
        id,
    )
}

/// The (vocabulary, code, value) of an HSDS attribute, if it names its term.
pub fn read(attribute: &Value) -> Option<(Option<Vocabulary>, &str, &str)> {
    let term = attribute.get("taxonomy_term")?;
    let code = term
        .get("code")
        .and_then(Value::as_str)
        .or_else(|| term.get("name").and_then(Value::as_str))?;
    let vocabulary = term
        .get("taxonomy")
        .and_then(Value::as_str)
        .and_then(Vocabulary::parse);
    let value = attribute.get("value").and_then(Value::as_str).unwrap_or("");
    Some((vocabulary, code, value))
}
