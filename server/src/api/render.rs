//! Records as GeoJSON features in one language, saying where a field fell back.
//!
//! Features are serialised straight from the catalog through borrowing structs (no
//! intermediate `serde_json::Value` tree): this is the hot path of every items request.

use crate::index::{Catalog, Offer, Sportello};
use crate::model::{
    rome_date, Checked, Comune, I18nText, LonLat, Meta, Notice, NoticeKind, Phone, Places, Project,
    Provenance, Translations,
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeMap;

mod prerender;
pub use prerender::write_sportello;

/// Picks text in one language and remembers which fields came in another, and which of the
/// texts it picked a machine translated.
pub struct Localizer<'a> {
    lang: &'a str,
    primary: &'a str,
    fallback: RefCell<BTreeMap<String, &'a str>>,
    machine: RefCell<Vec<String>>,
}

impl<'a> Localizer<'a> {
    pub fn new(lang: &'a str) -> Self {
        Localizer {
            lang,
            primary: lang.split('-').next().unwrap_or(lang),
            fallback: RefCell::new(BTreeMap::new()),
            machine: RefCell::new(Vec::new()),
        }
    }

    /// [`Self::text`], noting `field` as machine-translated when the value picked (at `path`
    /// in its record, whose provenance is `tr`) is a machine's.
    pub fn text_of(
        &self,
        field: &str,
        t: &'a I18nText,
        tr: &Translations,
        path: &str,
    ) -> Option<&'a str> {
        // Most records have no provenance: no lookup (nor key) on the hot path for them.
        if !tr.is_empty()
            && t.get(self.lang)
                .is_some_and(|(got, _)| tr.is_machine(path, got))
        {
            self.machine.borrow_mut().push(field.to_owned());
        }
        self.text(field, t)
    }

    /// The fields whose text a machine translated, in the order asked; `None` when none.
    pub fn machine_translated(&self) -> Option<Vec<String>> {
        let list = self.machine.take();
        (!list.is_empty()).then_some(list)
    }

    /// The text of `field` in the best language, recording a fallback.
    pub fn text(&self, field: &str, t: &'a I18nText) -> Option<&'a str> {
        let (got, v) = t.get(self.lang)?;
        if got != self.lang && got != self.primary {
            self.fallback.borrow_mut().insert(field.to_owned(), got);
        }
        Some(v)
    }

    /// Fields that fell back, `{field: language}`; `None` when everything was found.
    pub fn fallbacks(&self) -> Option<BTreeMap<String, &'a str>> {
        let map = self.fallback.take();
        (!map.is_empty()).then_some(map)
    }
}

/// RFC 3339 with seconds, UTC.
pub fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn opt_ts(t: &Option<DateTime<Utc>>) -> Option<String> {
    t.as_ref().map(rfc3339)
}

/// A GeoJSON point.
#[derive(Serialize)]
pub struct PointGeometry {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

impl From<LonLat> for PointGeometry {
    fn from(p: LonLat) -> Self {
        PointGeometry {
            kind: "Point",
            coordinates: [p.lon(), p.lat()],
        }
    }
}

/// When a service next opens or closes.
#[derive(Serialize)]
pub struct NextChange {
    at: String,
    opens: bool,
}

/// Where a record came from, as the public sees it: the credit its licence asks for.
#[derive(Serialize, PartialEq)]
pub struct CreditView<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    licence: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribution: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

impl<'a> CreditView<'a> {
    /// The credit of `p`, if the record has a provenance.
    pub fn of(p: &'a Option<Provenance>) -> Option<Self> {
        p.as_ref().map(|p| CreditView {
            source: &p.source,
            licence: p.licence.as_deref(),
            attribution: p.attribution.as_deref(),
            url: p.url.as_deref(),
        })
    }
}

/// One service at a sportello, localised.
#[derive(Serialize)]
pub struct OfferView<'a> {
    id: &'a str,
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    categories: &'a [String],
    languages: &'a [String],
    cost: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost_note: Option<&'a str>,
    appointment_required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    documents: Option<&'a str>,
    audiences: &'a [String],
    phone: Option<&'a str>,
    email: Option<&'a str>,
    url: Option<&'a str>,
    /// Opening hours, one text per period (`Mo-Fr 09:00-12:30`), with validity.
    hours: Vec<HoursView>,
    closed_on: &'a [chrono::NaiveDate],
    open_on_public_holidays: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule_note: Option<&'a str>,
    /// Closures, replacement hours, messages and places in force today.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notices: Vec<NoticeView<'a>>,
    /// Closures, replacement hours and places announced: they begin within 14 days.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    upcoming: Vec<NoticeView<'a>>,
    /// When hours, languages, cost and appointment were last confirmed.
    verified: BTreeMap<&'static str, Option<String>>,
    open_now: bool,
    next_change: Option<NextChange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback: Option<BTreeMap<String, &'a str>>,
    /// The fields shown whose text a machine translated (no person has checked it yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    machine_translated: Option<Vec<String>>,
    /// Where the service came from; in a sportello's feature only when not where the
    /// sportello came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<CreditView<'a>>,
}

/// A notice in force today, localised.
#[derive(Serialize)]
pub struct NoticeView<'a> {
    kind: &'static str,
    from: String,
    until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    /// Replacement hours (`hours` notices).
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<String>,
    /// `available`, `waiting_list` or `full` (`saturation` notices).
    #[serde(skip_serializing_if = "Option::is_none")]
    places: Option<Places>,
}

/// The notices of `notices` in force on `now`'s Rome date, their messages in `l`'s language
/// (a fallback recorded as `{field}[i].message`).
pub fn active_notices<'a>(
    notices: &'a [Notice],
    field: &str,
    l: &Localizer<'a>,
    tr: &Translations,
    now: DateTime<Utc>,
) -> Vec<NoticeView<'a>> {
    let today = rome_date(now);
    notice_views(notices, field, l, tr, |n| n.is_active(today))
}

/// The closures, replacement hours and places of `notices` announced on `now`'s Rome date
/// (beginning within `model::UPCOMING_DAYS` days).
pub fn upcoming_notices<'a>(
    notices: &'a [Notice],
    l: &Localizer<'a>,
    tr: &Translations,
    now: DateTime<Utc>,
) -> Vec<NoticeView<'a>> {
    let today = rome_date(now);
    notice_views(notices, "notices", l, tr, |n| n.is_upcoming(today))
}

fn notice_views<'a>(
    notices: &'a [Notice],
    field: &str,
    l: &Localizer<'a>,
    tr: &Translations,
    keep: impl Fn(&Notice) -> bool,
) -> Vec<NoticeView<'a>> {
    notices
        .iter()
        .enumerate()
        .filter(|(_, n)| keep(n))
        .map(|(i, n)| NoticeView {
            kind: n.kind.as_str(),
            from: n.from.to_string(),
            until: n.until.map(|d| d.to_string()),
            message: l.text_of(
                &format!("{field}[{i}].message"),
                &n.message,
                tr,
                &format!("notices/{i}/message"),
            ),
            hours: match &n.kind {
                NoticeKind::Hours { hours } => Some(hours.to_string()),
                _ => None,
            },
            places: match &n.kind {
                NoticeKind::Saturation { places } => Some(*places),
                _ => None,
            },
        })
        .collect()
}

/// When each of `fields` was last confirmed (`YYYY-MM-DD`, the day only), by
/// [`crate::freshness::verified_at`] over `records`; null when never.
pub fn verified_dates(
    fields: &[Checked],
    records: &[&Meta],
) -> BTreeMap<&'static str, Option<String>> {
    fields
        .iter()
        .map(|c| {
            let at = crate::freshness::verified_at(*c, records);
            (c.as_str(), at.map(|t| rome_date(*t).to_string()))
        })
        .collect()
}

/// One period of opening hours.
#[derive(Serialize)]
pub struct HoursView {
    valid_from: Option<String>,
    valid_to: Option<String>,
    hours: String,
}

impl<'a> OfferView<'a> {
    /// The view of an offer at `now`, in `lang`, at a sportello in `comune` (ISTAT code: its
    /// patron day is a holiday there).
    pub fn new(o: &'a Offer, comune: &str, lang: &'a str, now: DateTime<Utc>) -> Self {
        let l = Localizer::new(lang);
        let s = &*o.service;
        let rules = &o.sal.schedule.rules;
        let effective = o.schedule.in_comune(comune);
        let tr = &s.meta.translations;
        let sal_tr = &o.sal.meta.translations;
        let mut v = OfferView {
            id: s.id.as_str(),
            name: l.text_of("name", &s.name, tr, "name"),
            description: l.text_of("description", &s.description, tr, "description"),
            categories: &s.categories,
            languages: &s.languages,
            cost: s.cost.as_str(),
            cost_note: l.text_of("cost_note", &s.cost_note, tr, "cost_note"),
            appointment_required: s.appointment_required,
            documents: l.text_of("documents", &s.documents, tr, "documents"),
            audiences: &s.audiences,
            phone: s.phone.as_deref(),
            email: s.email.as_deref(),
            url: s.url.as_deref(),
            hours: rules
                .periods
                .iter()
                .map(|p| HoursView {
                    valid_from: p.valid_from.map(|d| d.to_string()),
                    valid_to: p.valid_to.map(|d| d.to_string()),
                    hours: p.hours.to_string(),
                })
                .collect(),
            closed_on: &rules.closed_on,
            open_on_public_holidays: rules.public_holidays == bussola_hours::HolidayPolicy::Open,
            schedule_note: l.text_of(
                "schedule_note",
                &o.sal.schedule.note,
                sal_tr,
                "schedule/note",
            ),
            notices: active_notices(&o.sal.notices, "notices", &l, sal_tr, now),
            upcoming: upcoming_notices(&o.sal.notices, &l, sal_tr, now),
            verified: verified_dates(&[Checked::Hours], &[&o.sal.meta, &s.meta])
                .into_iter()
                .chain(verified_dates(
                    &[Checked::Languages, Checked::Cost, Checked::Appointment],
                    &[&s.meta],
                ))
                .collect(),
            open_now: effective.is_open_at(now),
            next_change: effective.next_change(now, 14).map(|c| NextChange {
                at: rfc3339(&c.at),
                opens: c.opens,
            }),
            fallback: None,
            machine_translated: None,
            provenance: CreditView::of(&s.meta.provenance),
        };
        v.fallback = l.fallbacks();
        v.machine_translated = l.machine_translated();
        v
    }

    /// [`Self::new`] for the offer of a sportello's feature: its provenance is left out when
    /// it is the sportello's (`s`), which the feature names once.
    pub fn at_sportello(o: &'a Offer, s: &'a Sportello, lang: &'a str, now: DateTime<Utc>) -> Self {
        let mut v = OfferView::new(o, &s.location.address.comune_istat, lang, now);
        if v.provenance == CreditView::of(&s.location.meta.provenance) {
            v.provenance = None;
        }
        v
    }
}

#[derive(Serialize)]
struct OrgRef<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
}

#[derive(Serialize)]
struct AddressView<'a> {
    street: &'a str,
    postcode: &'a str,
    locality: &'a str,
    comune_istat: &'a str,
    comune: Option<&'a str>,
}

#[derive(Serialize)]
struct PhoneView<'a> {
    number: &'a str,
    label: Option<&'a str>,
}

/// A sportello's properties, localised.
#[derive(Serialize)]
pub struct SportelloProps<'a> {
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    organization: Option<OrgRef<'a>>,
    address: AddressView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessibility: Option<&'a str>,
    phones: Vec<PhoneView<'a>>,
    emails: &'a [String],
    website: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    distance_m: Option<f64>,
    open_now: bool,
    services: Vec<OfferView<'a>>,
    /// The sportello's closures, replacement hours and messages in force today.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notices: Vec<NoticeView<'a>>,
    /// The sportello's closures and replacement hours announced: they begin within 14 days.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    upcoming: Vec<NoticeView<'a>>,
    status: crate::model::Status,
    version: i64,
    updated: Option<String>,
    last_verified_at: Option<String>,
    /// When the address and the phone were last confirmed.
    verified: BTreeMap<&'static str, Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback: Option<BTreeMap<String, &'a str>>,
    /// The sportello's fields shown whose text a machine translated.
    #[serde(skip_serializing_if = "Option::is_none")]
    machine_translated: Option<Vec<String>>,
    /// Where the sportello came from (its import's source and licence).
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<CreditView<'a>>,
}

/// A GeoJSON feature with a string id.
#[derive(Serialize)]
pub struct Feature<'a, G: Serialize, P: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: G,
    properties: P,
}

/// A sportello as a feature. `offers` selects which of its services to include.
pub fn sportello<'a>(
    s: &'a Sportello,
    catalog: &'a Catalog,
    lang: &'a str,
    now: DateTime<Utc>,
    distance_m: Option<f64>,
    offers: impl Fn(&Offer) -> bool,
) -> Feature<'a, PointGeometry, SportelloProps<'a>> {
    let loc = &*s.location;
    let l = Localizer::new(lang);
    let services: Vec<OfferView<'a>> = s
        .offers
        .iter()
        .filter(|o| offers(o))
        .map(|o| OfferView::at_sportello(o, s, lang, now))
        .collect();
    let phones = loc
        .phones
        .iter()
        .enumerate()
        .map(|(i, p): (usize, &'a Phone)| PhoneView {
            number: &p.number,
            label: if p.label.is_empty() {
                None
            } else {
                l.text_of(
                    &format!("phones[{i}].label"),
                    &p.label,
                    &loc.meta.translations,
                    &format!("phones/{i}/label"),
                )
            },
        })
        .collect();
    let tr = &loc.meta.translations;
    let mut props = SportelloProps {
        name: l.text_of("name", &loc.name, tr, "name"),
        description: l.text_of("description", &loc.description, tr, "description"),
        organization: catalog
            .organizations
            .get(&loc.organization_id)
            .map(|o| OrgRef {
                id: o.id.as_str(),
                name: &o.name,
                kind: &o.kind,
            }),
        address: AddressView {
            street: &loc.address.street,
            postcode: &loc.address.postcode,
            locality: &loc.address.locality,
            comune_istat: &loc.address.comune_istat,
            comune: catalog
                .comuni
                .get(&loc.address.comune_istat)
                .map(|c| c.name.as_str()),
        },
        accessibility: l.text_of("accessibility", &loc.accessibility, tr, "accessibility"),
        phones,
        emails: &loc.emails,
        website: loc.website.as_deref(),
        distance_m: distance_m.map(|d| (d * 10.0).round() / 10.0),
        open_now: services.iter().any(|o| o.open_now),
        services,
        notices: active_notices(&loc.notices, "notices", &l, tr, now),
        upcoming: upcoming_notices(&loc.notices, &l, tr, now),
        status: loc.meta.status,
        version: loc.meta.version,
        updated: opt_ts(&loc.meta.updated_at),
        last_verified_at: opt_ts(&loc.meta.last_verified_at),
        // A sportello without a phone has no phone to confirm.
        verified: verified_dates(
            if loc.phones.is_empty() {
                &[Checked::Address]
            } else {
                &[Checked::Address, Checked::Phone]
            },
            &[&loc.meta],
        ),
        fallback: None,
        machine_translated: None,
        provenance: CreditView::of(&loc.meta.provenance),
    };
    props.fallback = l.fallbacks();
    props.machine_translated = l.machine_translated();
    Feature {
        kind: "Feature",
        id: loc.id.as_str(),
        geometry: loc.point.into(),
        properties: props,
    }
}

/// A service at a sportello (the `services` collection), with its sportello's essentials.
#[derive(Serialize)]
pub struct ServiceProps<'a> {
    #[serde(flatten)]
    offer: OfferView<'a>,
    sportello: SportelloRef<'a>,
    organization_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    distance_m: Option<f64>,
    version: i64,
    updated: Option<String>,
}

#[derive(Serialize)]
struct SportelloRef<'a> {
    id: &'a str,
    name: Option<&'a str>,
    comune_istat: &'a str,
}

/// One feature of the `services` collection.
pub fn service<'a>(
    s: &'a Sportello,
    o: &'a Offer,
    lang: &'a str,
    now: DateTime<Utc>,
    distance_m: Option<f64>,
) -> Feature<'a, PointGeometry, ServiceProps<'a>> {
    let l = Localizer::new(lang);
    Feature {
        kind: "Feature",
        id: o.sal.id.as_str(),
        geometry: s.location.point.into(),
        properties: ServiceProps {
            offer: OfferView::new(o, &s.location.address.comune_istat, lang, now),
            sportello: SportelloRef {
                id: s.location.id.as_str(),
                name: l.text("name", &s.location.name),
                comune_istat: &s.location.address.comune_istat,
            },
            organization_id: o.service.organization_id.as_str(),
            distance_m: distance_m.map(|d| (d * 10.0).round() / 10.0),
            version: o.service.meta.version.max(o.sal.meta.version),
            updated: opt_ts(&o.service.meta.updated_at.max(o.sal.meta.updated_at)),
        },
    }
}

/// A (multi)polygon geometry, or null.
pub struct AreaGeometry<'a>(pub Option<&'a geo::MultiPolygon<f64>>);

impl Serialize for AreaGeometry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => s.serialize_none(),
            Some(mp) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("type", "MultiPolygon")?;
                let coords: Vec<Vec<Vec<[f64; 2]>>> =
                    mp.0.iter()
                        .map(|p| {
                            std::iter::once(p.exterior())
                                .chain(p.interiors())
                                .map(|r| r.0.iter().map(|c| [c.x, c.y]).collect())
                                .collect()
                        })
                        .collect();
                m.serialize_entry("coordinates", &coords)?;
                m.end()
            }
        }
    }
}

/// A comune's properties.
#[derive(Serialize)]
pub struct ComuneProps<'a> {
    istat: &'a str,
    name: &'a str,
    province: Option<&'a str>,
    population: Option<u64>,
    foreign_population: Option<u64>,
    sportelli: usize,
}

/// One feature of the `comuni` collection.
pub fn comune<'a>(
    c: &'a Comune,
    sportelli: usize,
) -> Feature<'a, AreaGeometry<'a>, ComuneProps<'a>> {
    Feature {
        kind: "Feature",
        id: &c.istat,
        geometry: AreaGeometry(Some(&c.boundary)),
        properties: ComuneProps {
            istat: &c.istat,
            name: &c.name,
            province: c.province.as_deref(),
            population: c.population,
            foreign_population: c.foreign_population,
            sportelli,
        },
    }
}

/// A project's properties, localised.
#[derive(Serialize)]
pub struct ProjectProps<'a> {
    code: Option<&'a str>,
    title: Option<&'a str>,
    fund: &'a str,
    programme_period: Option<&'a str>,
    lead_organization: Option<OrgRef<'a>>,
    partners: &'a [crate::model::Partner],
    start_date: Option<String>,
    end_date: Option<String>,
    budget_eur: Option<f64>,
    territory: &'a [String],
    phase: crate::model::Phase,
    summary: Option<&'a str>,
    service_ids: &'a [crate::model::Id],
    indicators: Vec<IndicatorView<'a>>,
    website: Option<&'a str>,
    version: i64,
    updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback: Option<BTreeMap<String, &'a str>>,
}

#[derive(Serialize)]
struct IndicatorView<'a> {
    code: &'a str,
    label: Option<&'a str>,
    target: Option<f64>,
    unit: Option<&'a str>,
}

/// One feature of the `projects` collection; `area` is the union of its comuni, if known.
pub fn project<'a>(
    p: &'a Project,
    catalog: &'a Catalog,
    area: Option<&'a geo::MultiPolygon<f64>>,
    lang: &'a str,
) -> Feature<'a, AreaGeometry<'a>, ProjectProps<'a>> {
    let l = Localizer::new(lang);
    let mut props = ProjectProps {
        code: p.code.as_deref(),
        title: l.text("title", &p.title),
        fund: &p.fund,
        programme_period: p.programme_period.as_deref(),
        lead_organization: p
            .lead_organization_id
            .as_ref()
            .and_then(|id| catalog.organizations.get(id))
            .map(|o| OrgRef {
                id: o.id.as_str(),
                name: &o.name,
                kind: &o.kind,
            }),
        partners: &p.partners,
        start_date: p.start_date.map(|d| d.to_string()),
        end_date: p.end_date.map(|d| d.to_string()),
        budget_eur: p.budget_eur,
        territory: &p.territory,
        phase: p.phase,
        summary: l.text("summary", &p.summary),
        service_ids: &p.service_ids,
        indicators: p
            .indicators
            .iter()
            .enumerate()
            .map(|(i, x)| IndicatorView {
                code: &x.code,
                label: l.text(&format!("indicators[{i}].label"), &x.label),
                target: x.target,
                unit: x.unit.as_deref(),
            })
            .collect(),
        website: p.website.as_deref(),
        version: p.meta.version,
        updated: opt_ts(&p.meta.updated_at),
        fallback: None,
    };
    props.fallback = l.fallbacks();
    Feature {
        kind: "Feature",
        id: p.id.as_str(),
        geometry: AreaGeometry(area),
        properties: props,
    }
}
