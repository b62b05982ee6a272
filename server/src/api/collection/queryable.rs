//! Queryable properties, declared once per collection: the name, type and description that
//! `/queryables` and the OpenAPI document publish, the values they may take, and how to read
//! the property off a record for a CQL2 filter.

use bussola_cql2::Value;
use serde_json::{json, Value as Json};
use std::borrow::Cow;

/// The JSON type of a queryable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    String,
    Number,
    Boolean,
    Date,
    DateTime,
    /// An array of strings (any of them may match).
    Strings,
    /// An array of booleans.
    Booleans,
    /// The feature's point geometry.
    Point,
    /// The feature's (multi)polygon geometry.
    MultiPolygon,
}

/// The values a queryable takes, published as its `enum`.
#[derive(Clone, Copy, Debug)]
pub enum Values {
    /// Any value of its type.
    Any,
    /// One of these.
    Fixed(&'static [&'static str]),
    /// A category id of the taxonomy.
    Categories,
    /// An audience id of the taxonomy.
    Audiences,
}

/// One queryable property.
#[derive(Clone, Copy, Debug)]
pub struct Queryable {
    pub name: &'static str,
    pub kind: Type,
    pub description: &'static str,
    pub values: Values,
}

/// A queryable with the function that reads it off `R` (a record, or the parts of one) for
/// the CQL2 evaluator. Geometries are read by the collection's view, not here.
pub struct Field<G> {
    pub q: Queryable,
    pub get: G,
}

/// Shorthand for the declarations: a field of `kind` read by `get`.
pub const fn field<G>(
    name: &'static str,
    kind: Type,
    description: &'static str,
    get: G,
) -> Field<G> {
    field_of(name, kind, Values::Any, description, get)
}

/// A field of `kind` whose values are `values`, read by `get`.
pub const fn field_of<G>(
    name: &'static str,
    kind: Type,
    values: Values,
    description: &'static str,
    get: G,
) -> Field<G> {
    Field {
        q: Queryable {
            name,
            kind,
            description,
            values,
        },
        get,
    }
}

/// The queryables of a list of fields.
pub fn declared<G>(fields: &'static [Field<G>]) -> Vec<&'static Queryable> {
    fields.iter().map(|f| &f.q).collect()
}

/// The reader of property `name` among `fields`.
pub fn getter<G>(fields: &'static [Field<G>], name: &str) -> Option<&'static G> {
    fields.iter().find(|f| f.q.name == name).map(|f| &f.get)
}

impl Queryable {
    /// Its JSON Schema. No `enum` comes from the records themselves (only from the taxonomy
    /// or the declaration), so no viewer learns a value from it.
    pub fn schema(&self, taxonomy: &crate::model::Taxonomy) -> Json {
        let values: Option<Vec<String>> = match self.values {
            Values::Any => None,
            Values::Fixed(v) => Some(v.iter().map(|s| s.to_string()).collect()),
            Values::Categories => Some(taxonomy.categories.iter().map(|t| t.id.clone()).collect()),
            Values::Audiences => Some(taxonomy.audiences.iter().map(|t| t.id.clone()).collect()),
        };
        let item = |t: &str| match &values {
            Some(v) => json!({"type": t, "enum": v}),
            None => json!({"type": t}),
        };
        let mut s = match self.kind {
            Type::String => item("string"),
            Type::Number => json!({"type": "number"}),
            Type::Boolean => json!({"type": "boolean"}),
            Type::Date => json!({"type": "string", "format": "date"}),
            Type::DateTime => json!({"type": "string", "format": "date-time"}),
            Type::Strings => json!({"type": "array", "items": item("string")}),
            Type::Booleans => json!({"type": "array", "items": {"type": "boolean"}}),
            Type::Point => json!({"format": "geometry-point"}),
            Type::MultiPolygon => json!({"format": "geometry-multipolygon"}),
        };
        s["description"] = json!(self.description);
        s
    }
}

/// A text value.
pub fn text(s: &str) -> Value<'_> {
    Value::Str(Cow::Borrowed(s))
}

/// An optional text value.
pub fn opt(s: Option<&str>) -> Value<'_> {
    s.map(text).unwrap_or(Value::Null)
}

/// A sorted, deduplicated list of texts.
pub fn list<'a>(items: impl Iterator<Item = &'a str>) -> Value<'a> {
    let mut v: Vec<&str> = items.collect();
    v.sort_unstable();
    v.dedup();
    Value::List(v.into_iter().map(text).collect())
}

/// An instant as RFC 3339 text.
pub fn instant(t: Option<chrono::DateTime<chrono::Utc>>) -> Value<'static> {
    t.map(|t| Value::Str(Cow::Owned(crate::api::render::rfc3339(&t))))
        .unwrap_or(Value::Null)
}
