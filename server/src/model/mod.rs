//! The domain model: organisations, sportelli (HSDS *locations*), services, the services
//! offered at each sportello with their opening hours, projects and comuni.
//!
//! Names follow Open Referral HSDS 3.0 where they fit. Every record carries [`Meta`]:
//! a status, a visibility, a version and timestamps, and every record but a comune names its
//! owning organisation, so roles and review can be added without reshaping the data.

pub mod account;
mod comune;
mod dataset;
mod geo;
mod i18n;
mod ids;
pub mod limits;
mod location;
mod meta;
pub mod notice;
mod organization;
mod project;
mod provenance;
pub mod revision;
mod service;
pub mod taxonomy;

pub use account::{AccountStatus, Role, SessionRecord, TokenRecord, User, Username};
pub use comune::Comune;
pub use dataset::{Dataset, Metadata};
pub use geo::{haversine_m, Bbox, LonLat, EARTH_RADIUS_M};
pub use i18n::{I18nText, Lang, TranslatedBy, Translation, Translations, FALLBACK_CHAIN};
pub use ids::{Id, IdError};
pub use location::{
    Address, Location, Phone, Reception, ReceptionKind, ScheduleDoc, ServiceAtLocation,
};
pub use meta::{Checked, Meta, Status, Visibility};
pub use notice::{effective_schedule, rome_date, Notice, NoticeKind, Places, UPCOMING_DAYS};
pub use organization::Organization;
pub use project::{Indicator, Partner, Phase, Project};
pub use provenance::Provenance;
pub use revision::{
    ChangeAction, ChangeRequest, ChangeStatus, Feedback, FeedbackKind, FieldChange, Origin,
    RecordKind, RecordVersion, Source,
};
pub use service::{Cost, Service};
pub use taxonomy::Taxonomy;
