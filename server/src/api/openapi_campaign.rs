//! The OpenAPI entries of the campaign routes (`api::campaign`, `docs/campaigns.md`), merged
//! into the document by `openapi::document`. The no-login form (`/campaign/{token}`) is an
//! HTML page, not part of the API, and is not described here.

#![allow(dead_code)] // the items below exist to be described, not called

use utoipa::{OpenApi, ToSchema};

/// An RFC 9457 problem (`errors` lists the invalid fields of a 422).
#[derive(ToSchema)]
struct CampaignProblem {
    r#type: String,
    title: String,
    status: u16,
    detail: String,
    errors: Option<Vec<CampaignFieldError>>,
    pointer: Option<String>,
}

/// One invalid field.
#[derive(ToSchema)]
struct CampaignFieldError {
    #[schema(example = "/until")]
    pointer: String,
    detail: String,
}

/// A new campaign.
#[derive(ToSchema)]
struct NewCampaign {
    #[schema(example = "Orari estivi 2027")]
    title: String,
    /// ISTAT codes of the comuni asked; empty or absent: the whole territory (admins only).
    comuni: Option<Vec<String>>,
    #[schema(example = "2027-06-01")]
    from: String,
    #[schema(example = "2027-09-15")]
    until: String,
    /// Days between reminders (1–90).
    remind_every_days: Option<i64>,
}

/// An update campaign.
#[derive(ToSchema)]
struct Campaign {
    id: String,
    title: String,
    comuni: Vec<String>,
    from: String,
    until: String,
    opened_by: String,
    created_at: String,
    sent_at: Option<String>,
    closed_at: Option<String>,
    remind_every_days: Option<i64>,
}

/// One organisation asked.
#[derive(ToSchema)]
struct Recipient {
    organization_id: String,
    organization_name: Option<String>,
    /// The contact address (absent: `no_address`).
    email: Option<String>,
    comuni: Vec<String>,
    /// `no_address`, `waiting`, `sent`, `reminded`, `answered` or `bounced`.
    state: String,
    sent_at: Option<String>,
    reminded_at: Option<String>,
    answered_at: Option<String>,
    /// `unchanged` or `changed`.
    answer: Option<String>,
}

/// One comune's progress.
#[derive(ToSchema)]
struct ComuneProgress {
    comune: String,
    recipients: u32,
    answered: u32,
    unchanged: u32,
    changed: u32,
    no_address: u32,
}

/// A campaign with its recipients and progress per comune.
#[derive(ToSchema)]
struct CampaignDetail {
    campaign: Campaign,
    recipients: Vec<Recipient>,
    progress: Vec<ComuneProgress>,
}

/// Campaigns the viewer runs.
#[derive(ToSchema)]
struct CampaignList {
    campaigns: Vec<Campaign>,
}

/// What a send or a reminder came to (`sent` or `reminded`).
#[derive(ToSchema)]
struct Sending {
    sent: Option<u32>,
    reminded: Option<u32>,
    bounced: u32,
    failed: u32,
}

/// `revoke`'s body.
#[derive(ToSchema)]
struct RevokeBody {
    organization_id: String,
}

/// Links revoked.
#[derive(ToSchema)]
struct Revoked {
    revoked: u64,
}

#[utoipa::path(get, path = "/api/campaigns",
    responses((status = 200, description = "The campaigns the viewer runs, newest first", body = CampaignList),
               (status = 401, description = "Not signed in", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not a coordinator or an admin", body = CampaignProblem, content_type = "application/problem+json")))]
fn list_campaigns() {}

#[utoipa::path(post, path = "/api/campaigns",
    request_body(content = NewCampaign),
    responses((status = 201, description = "Opened, with the organisations it asks (nothing sent yet)", body = CampaignDetail),
               (status = 400, description = "Not JSON", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not a coordinator, or comuni outside the territory (`pointer`: /comuni)", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 413, description = "Body too large", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 422, description = "Invalid fields", body = CampaignProblem, content_type = "application/problem+json")))]
fn create_campaign() {}

#[utoipa::path(get, path = "/api/campaigns/{id}",
    params(("id" = String, Path, description = "The campaign")),
    responses((status = 200, description = "The campaign, its recipients and progress per comune", body = CampaignDetail),
               (status = 401, description = "Not signed in", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not a coordinator or an admin", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such campaign in the viewer's territory", body = CampaignProblem, content_type = "application/problem+json")))]
fn get_campaign() {}

#[utoipa::path(post, path = "/api/campaigns/{id}/send",
    params(("id" = String, Path, description = "The campaign")),
    responses((status = 200, description = "E-mails sent to every recipient not sent to yet", body = Sending),
               (status = 401, description = "Not signed in", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not a coordinator or an admin", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such campaign in the viewer's territory", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 409, description = "The campaign is closed", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 503, description = "No mail transport configured", body = CampaignProblem, content_type = "application/problem+json")))]
fn send_campaign() {}

#[utoipa::path(post, path = "/api/campaigns/{id}/remind",
    params(("id" = String, Path, description = "The campaign")),
    responses((status = 200, description = "A fresh link to every recipient who has not answered (the one before revoked)", body = Sending),
               (status = 401, description = "Not signed in", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not a coordinator or an admin", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such campaign in the viewer's territory", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 409, description = "The campaign is closed", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 503, description = "No mail transport configured", body = CampaignProblem, content_type = "application/problem+json")))]
fn remind_campaign() {}

#[utoipa::path(post, path = "/api/campaigns/{id}/revoke",
    params(("id" = String, Path, description = "The campaign")),
    request_body(content = RevokeBody),
    responses((status = 200, description = "That organisation's unused links revoked", body = Revoked),
               (status = 400, description = "Not JSON", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 401, description = "Not signed in", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not a coordinator or an admin", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such campaign in the viewer's territory", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 422, description = "Not an organisation the campaign asks", body = CampaignProblem, content_type = "application/problem+json")))]
fn revoke_link() {}

#[utoipa::path(post, path = "/api/campaigns/{id}/close",
    params(("id" = String, Path, description = "The campaign")),
    responses((status = 200, description = "Closed: every link revoked", body = CampaignDetail),
               (status = 401, description = "Not signed in", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 403, description = "Not a coordinator or an admin", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 404, description = "No such campaign in the viewer's territory", body = CampaignProblem, content_type = "application/problem+json"),
               (status = 409, description = "Already closed", body = CampaignProblem, content_type = "application/problem+json")))]
fn close_campaign() {}

#[derive(OpenApi)]
#[openapi(
    paths(
        list_campaigns,
        create_campaign,
        get_campaign,
        send_campaign,
        remind_campaign,
        revoke_link,
        close_campaign
    ),
    components(schemas(
        CampaignProblem,
        CampaignFieldError,
        NewCampaign,
        Campaign,
        Recipient,
        ComuneProgress,
        CampaignDetail,
        CampaignList,
        Sending,
        RevokeBody,
        Revoked
    ))
)]
pub struct CampaignDoc;
