//! Field limits: how long a text may be, how many items a list may hold, how big a file may
//! be. One place for every bound, so the importers and the write API refuse the same things
//! with the same words (`docs/data-format.md` has the table).
//!
//! The bounds are far above anything a real directory needs (an Italian office name is under
//! 100 characters, a long service description under 1,500) and far below what would let one
//! record bloat every page that holds it (a 50 MB name made each such page 52–157 MB).
//! Lengths are in characters (Unicode scalar values), so Arabic or Chinese text has the same
//! room as Italian.

use super::{Comune, I18nText, Location, Metadata, Organization, Project, ScheduleDoc, Service};

/// Bytes in one import file.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Names and titles (sportello, service, organisation, project, comune, partner).
pub const NAME: usize = 200;
/// Descriptions and summaries.
pub const DESCRIPTION: usize = 4_000;
/// What to bring (`documents`).
pub const DOCUMENTS: usize = 2_000;
/// Short notes: accessibility, cost note, schedule note.
pub const NOTE: usize = 1_000;
/// A phone label ("Centralino").
pub const LABEL: usize = 100;
/// Street and locality lines.
pub const ADDRESS_LINE: usize = 200;
/// A postcode.
pub const POSTCODE: usize = 20;
/// A phone number (E.164 has at most 15 digits; room for spaces, `+` and an extension).
pub const PHONE: usize = 40;
/// An e-mail address (RFC 5321's path limit).
pub const EMAIL: usize = 254;
/// A URL (the de facto limit of browsers and sitemaps).
pub const URL: usize = 2_000;
/// Codes and short keywords: organisation kind, fund, programme period, indicator code and
/// unit, partner role, project code, taxonomy ids.
pub const CODE: usize = 100;
/// A BCP 47 language tag (the longest registered ones are under 20 characters).
pub const LANGUAGE_TAG: usize = 35;
/// Dataset metadata, as compact JSON.
pub const METADATA_BYTES: usize = 16 * 1024;

/// Translations of one text.
pub const TRANSLATIONS: usize = 50;
/// Languages spoken at a service.
pub const LANGUAGES: usize = 50;
/// Phone numbers of a sportello.
pub const PHONES: usize = 10;
/// E-mail addresses of a sportello.
pub const EMAILS: usize = 10;
/// Categories, and audiences, of a service (the taxonomy has 13 and 11).
pub const TERMS: usize = 20;
/// Services offered at one sportello.
pub const SERVICES_PER_SPORTELLO: usize = 200;
/// Periods of one schedule.
pub const PERIODS: usize = 50;
/// Closure dates of one schedule (about three years of days).
pub const CLOSURES: usize = 1_000;
/// Partners, and indicators, of a project.
pub const PARTNERS: usize = 200;
/// Comuni a project covers, and comuni in one boundaries file (Italy has fewer than 8,000).
pub const COMUNI: usize = 10_000;
/// Services a project funds.
pub const PROJECT_SERVICES: usize = 10_000;

/// One value over its limit: the field (a dotted path inside the record, `name.it`,
/// `phones[1].number`) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub field: String,
    pub reason: String,
}

/// Collects violations while walking a record.
#[derive(Default)]
struct Checker(Vec<Violation>);

fn join(field: &str, sub: &str) -> String {
    if field.is_empty() {
        sub.to_owned()
    } else if sub.starts_with('[') {
        format!("{field}{sub}")
    } else {
        format!("{field}.{sub}")
    }
}

/// Characters in `s`, without walking a huge text that is over any limit anyway.
fn chars(s: &str, max: usize) -> Option<usize> {
    if s.len() <= max {
        return None; // bytes ≥ characters
    }
    let n = s.chars().count();
    (n > max).then_some(n)
}

impl Checker {
    fn text(&mut self, field: &str, s: &str, max: usize) {
        if let Some(n) = chars(s, max) {
            self.0.push(Violation {
                field: field.to_owned(),
                reason: format!("is {n} characters long; at most {max} are allowed"),
            });
        }
    }
    fn opt(&mut self, field: &str, s: &Option<String>, max: usize) {
        if let Some(s) = s {
            self.text(field, s, max);
        }
    }
    fn count(&mut self, field: &str, n: usize, max: usize) {
        if n > max {
            self.0.push(Violation {
                field: field.to_owned(),
                reason: format!("has {n} items; at most {max} are allowed"),
            });
        }
    }
    fn list(&mut self, field: &str, items: &[impl AsRef<str>], count: usize, each: usize) {
        self.count(field, items.len(), count);
        for (i, s) in items.iter().enumerate().take(count) {
            self.text(&format!("{field}[{i}]"), s.as_ref(), each);
        }
    }
    fn i18n(&mut self, field: &str, t: &I18nText, max: usize) {
        self.count(field, t.0.len(), TRANSLATIONS);
        for (lang, v) in t.0.iter().take(TRANSLATIONS) {
            let f = join(field, lang);
            if chars(lang, LANGUAGE_TAG).is_some() {
                self.0.push(Violation {
                    field: field.to_owned(),
                    reason: format!("a language tag is longer than {LANGUAGE_TAG} characters"),
                });
                continue;
            }
            self.text(&f, v, max);
        }
    }
    fn provenance(&mut self, p: &Option<super::Provenance>) {
        let Some(p) = p else { return };
        self.text("provenance.source", &p.source, NOTE);
        self.opt("provenance.licence", &p.licence, NAME);
        self.opt("provenance.attribution", &p.attribution, NOTE);
        self.opt("provenance.url", &p.url, URL);
        self.opt("provenance.import", &p.import, CODE);
    }
    fn done(self) -> Vec<Violation> {
        self.0
    }
}

/// A sportello's own fields (its services are checked by [`service`] and [`schedule`]).
pub fn location(l: &Location) -> Vec<Violation> {
    let mut c = Checker::default();
    c.i18n("name", &l.name, NAME);
    c.i18n("description", &l.description, DESCRIPTION);
    c.i18n("accessibility", &l.accessibility, NOTE);
    c.text("address.street", &l.address.street, ADDRESS_LINE);
    c.text("address.postcode", &l.address.postcode, POSTCODE);
    c.text("address.locality", &l.address.locality, ADDRESS_LINE);
    c.text("address.comune_istat", &l.address.comune_istat, CODE);
    c.count("phones", l.phones.len(), PHONES);
    for (i, p) in l.phones.iter().enumerate().take(PHONES) {
        c.text(&format!("phones[{i}].number"), &p.number, PHONE);
        c.i18n(&format!("phones[{i}].label"), &p.label, LABEL);
    }
    c.list("emails", &l.emails, EMAILS, EMAIL);
    c.opt("website", &l.website, URL);
    c.provenance(&l.meta.provenance);
    c.done()
}

/// A service's fields.
pub fn service(s: &Service) -> Vec<Violation> {
    let mut c = Checker::default();
    c.i18n("name", &s.name, NAME);
    c.i18n("description", &s.description, DESCRIPTION);
    c.list("categories", &s.categories, TERMS, CODE);
    c.list("languages", &s.languages, LANGUAGES, LANGUAGE_TAG);
    c.i18n("cost_note", &s.cost_note, NOTE);
    c.i18n("documents", &s.documents, DOCUMENTS);
    c.list("audiences", &s.audiences, TERMS, CODE);
    c.opt("phone", &s.phone, PHONE);
    c.opt("email", &s.email, EMAIL);
    c.opt("url", &s.url, URL);
    c.provenance(&s.meta.provenance);
    c.done()
}

/// A service's schedule at one sportello.
pub fn schedule(d: &ScheduleDoc) -> Vec<Violation> {
    let mut c = Checker::default();
    c.count("periods", d.rules.periods.len(), PERIODS);
    c.count("closed_on", d.rules.closed_on.len(), CLOSURES);
    c.i18n("note", &d.note, NOTE);
    c.done()
}

/// An organisation's fields.
pub fn organization(o: &Organization) -> Vec<Violation> {
    let mut c = Checker::default();
    c.text("name", &o.name, NAME);
    c.text("kind", &o.kind, CODE);
    c.i18n("description", &o.description, DESCRIPTION);
    c.opt("website", &o.website, URL);
    c.opt("email", &o.email, EMAIL);
    c.opt("phone", &o.phone, PHONE);
    c.provenance(&o.meta.provenance);
    c.done()
}

/// A project's fields.
pub fn project(p: &Project) -> Vec<Violation> {
    let mut c = Checker::default();
    c.opt("code", &p.code, CODE);
    c.i18n("title", &p.title, NAME);
    c.text("fund", &p.fund, CODE);
    c.opt("programme_period", &p.programme_period, CODE);
    c.count("partners", p.partners.len(), PARTNERS);
    for (i, x) in p.partners.iter().enumerate().take(PARTNERS) {
        c.text(&format!("partners[{i}].name"), &x.name, NAME);
        c.text(&format!("partners[{i}].role"), &x.role, CODE);
    }
    c.list("territory", &p.territory, COMUNI, CODE);
    c.i18n("summary", &p.summary, DESCRIPTION);
    c.count("service_ids", p.service_ids.len(), PROJECT_SERVICES);
    c.count("indicators", p.indicators.len(), PARTNERS);
    for (i, x) in p.indicators.iter().enumerate().take(PARTNERS) {
        c.text(&format!("indicators[{i}].code"), &x.code, CODE);
        c.i18n(&format!("indicators[{i}].label"), &x.label, NAME);
        c.opt(&format!("indicators[{i}].unit"), &x.unit, CODE);
    }
    c.opt("website", &p.website, URL);
    c.provenance(&p.meta.provenance);
    c.done()
}

/// Dataset metadata: bounded as a whole, since its members are free-form.
pub fn metadata(m: &Metadata) -> Vec<Violation> {
    let n = serde_json::to_string(m).map(|s| s.len()).unwrap_or(0);
    if n > METADATA_BYTES {
        vec![Violation {
            field: String::new(),
            reason: format!("is {n} bytes as JSON; at most {METADATA_BYTES} are allowed"),
        }]
    } else {
        Vec::new()
    }
}

/// A comune's text fields.
pub fn comune(k: &Comune) -> Vec<Violation> {
    let mut c = Checker::default();
    c.text("name", &k.name, NAME);
    c.opt("province", &k.province, NAME);
    c.done()
}

/// A count of things that live in separate records (services per sportello, comuni per file).
pub fn count(field: &str, n: usize, max: usize) -> Option<Violation> {
    let mut c = Checker::default();
    c.count(field, n, max);
    c.done().pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let mut c = Checker::default();
        c.text("name", &"é".repeat(NAME), NAME);
        c.text("name", &"中".repeat(NAME), NAME);
        assert!(c.done().is_empty(), "200 two- or three-byte characters fit");
        let mut c = Checker::default();
        c.text("name", &"a".repeat(NAME + 1), NAME);
        assert_eq!(
            c.done(),
            vec![Violation {
                field: "name".into(),
                reason: "is 201 characters long; at most 200 are allowed".into()
            }]
        );
    }

    #[test]
    fn names_each_translation_and_list_item() {
        let mut t = I18nText::it("ok");
        t.0.insert("ar".into(), "x".repeat(NOTE + 1));
        let mut c = Checker::default();
        c.i18n("accessibility", &t, NOTE);
        c.list(
            "emails",
            &["a@b.it".to_owned(), "x".repeat(300)],
            EMAILS,
            EMAIL,
        );
        let fields: Vec<String> = c.done().into_iter().map(|v| v.field).collect();
        assert_eq!(fields, ["accessibility.ar", "emails[1]"]);
    }
}
