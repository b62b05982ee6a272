//! The campaign e-mail and the transport it goes by, as Config says: `BUSSOLA_SMTP_URL`
//! (`smtp://host:25`, `smtps://user:pass@host`; TLS by rustls), else `BUSSOLA_MAIL_DIR` (one
//! `.eml` file per message, what the tests read), else none (sending is refused with a clear
//! error). Messages are plain text (Italian, then English) with an HTML alternative in which
//! every text from the data is escaped; both are base64-encoded, so no transfer encoding breaks
//! the link across lines.
//! Nothing here logs the link or its token.

use super::model::Campaign;
use crate::accounts::Secret;
use crate::config::Config;
use crate::index::Sportello;
use crate::model::Organization;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Why a message could not be made or sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MailError {
    /// No transport is configured.
    #[error("no mail transport: set BUSSOLA_SMTP_URL or BUSSOLA_MAIL_DIR to send campaigns")]
    NotConfigured,
    /// The configuration names a transport that cannot be set up.
    #[error("mail configuration: {0}")]
    Config(String),
    /// An address could not be used (the recipient's or the sender's).
    #[error("bad e-mail address {address:?}: {reason}")]
    Address { address: String, reason: String },
    /// The transport refused or failed.
    #[error("sending failed: {0}")]
    Send(String),
}

/// The configured transport.
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>, Mailbox),
    Dir(AsyncFileTransport<Tokio1Executor>, Mailbox),
    /// Configured, but not usable (why).
    Broken(String),
    None,
}

impl Mailer {
    /// The transport Config chooses.
    pub fn from_config(config: &Config) -> Result<Self, MailError> {
        let from: Mailbox = config.mail_from.parse().map_err(|e| MailError::Address {
            address: config.mail_from.clone(),
            reason: format!("BUSSOLA_MAIL_FROM: {e}"),
        })?;
        if let Some(url) = &config.smtp_url {
            let t = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                .map_err(|e| MailError::Config(format!("BUSSOLA_SMTP_URL: {e}")))?
                .build();
            return Ok(Mailer::Smtp(t, from));
        }
        if let Some(dir) = &config.mail_dir {
            std::fs::create_dir_all(dir).map_err(|e| {
                MailError::Config(format!("BUSSOLA_MAIL_DIR {}: {e}", dir.display()))
            })?;
            return Ok(Mailer::Dir(AsyncFileTransport::new(dir), from));
        }
        Ok(Mailer::None)
    }

    /// True when messages can go out.
    pub fn is_configured(&self) -> bool {
        matches!(self, Mailer::Smtp(..) | Mailer::Dir(..))
    }

    /// Sends one message to `to`.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        text: String,
        html: String,
    ) -> Result<(), MailError> {
        let from = match self {
            Mailer::Smtp(_, from) | Mailer::Dir(_, from) => from,
            Mailer::Broken(why) => return Err(MailError::Config(why.clone())),
            Mailer::None => return Err(MailError::NotConfigured),
        };
        let to: Mailbox =
            to.parse()
                .map_err(|e: lettre::address::AddressError| MailError::Address {
                    address: to.to_owned(),
                    reason: e.to_string(),
                })?;
        let part = |kind: ContentType, body: String| {
            SinglePart::builder().header(kind).body(
                Body::new_with_encoding(body, ContentTransferEncoding::Base64)
                    .unwrap_or_else(Body::new),
            )
        };
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(part(ContentType::TEXT_PLAIN, text))
                    .singlepart(part(ContentType::TEXT_HTML, html)),
            )
            .map_err(|e| MailError::Send(e.to_string()))?;
        match self {
            Mailer::Smtp(t, _) => t
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Send(e.to_string())),
            Mailer::Dir(t, _) => t
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Send(e.to_string())),
            Mailer::Broken(why) => Err(MailError::Config(why.clone())),
            Mailer::None => Err(MailError::NotConfigured),
        }
    }
}

/// One campaign e-mail: subject, plain text and HTML.
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Text made safe for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The lines "sportello, address: service, service" of an organisation's entries.
fn entry_lines(sportelli: &[&Sportello]) -> Vec<String> {
    sportelli
        .iter()
        .map(|s| {
            let name = s.location.name.get("it").map_or("", |(_, v)| v);
            let services: Vec<&str> = s
                .offers
                .iter()
                .map(|o| o.service.name.get("it").map_or("", |(_, v)| v))
                .collect();
            let street = &s.location.address.street;
            if services.is_empty() {
                format!("{name}, {street}")
            } else {
                format!("{name}, {street}: {}", services.join(", "))
            }
        })
        .collect()
}

/// The e-mail asking `org` about `sportelli` in `campaign`, with its personal `link`
/// (reminder: says so first).
pub fn letter(
    campaign: &Campaign,
    org: &Organization,
    sportelli: &[&Sportello],
    link: &Secret<String>,
    expires: chrono::NaiveDate,
    reminder: bool,
) -> Letter {
    let lines = entry_lines(sportelli);
    let (from, until) = (
        campaign.from.format("%d/%m/%Y").to_string(),
        campaign.until.format("%d/%m/%Y").to_string(),
    );
    let expires_it = expires.format("%d/%m/%Y").to_string();
    let expires_en = expires.format("%Y-%m-%d").to_string();
    let again_it = if reminder {
        "Promemoria: non abbiamo ancora ricevuto la vostra risposta.\n\n"
    } else {
        ""
    };
    let again_en = if reminder {
        "Reminder: we have not had your answer yet. "
    } else {
        ""
    };
    let list: String = lines.iter().map(|l| format!("- {l}\n")).collect();
    let text = format!(
        "{again_it}Gentile {org},\n\n\
         il coordinamento di Bussola vi chiede di verificare le informazioni dei vostri sportelli \
         per il periodo dal {from} al {until} (campagna «{title}»).\n\n\
         Sportelli e servizi interessati:\n{list}\n\
         Aprite questo link personale (non serve un account) e diteci se è cambiato qualcosa: \
         nulla è cambiato, una chiusura temporanea, un nuovo orario o un messaggio.\n\n\
         {link}\n\n\
         Il link vale solo per la vostra organizzazione e per questa campagna, si usa una volta \
         e scade il {expires_it}. Non inoltratelo. Se non funziona, scrivete al vostro \
         coordinamento.\n\n\
         English: {again_en}Bussola's coordinators ask {org} to check its entries for \
         {from_en} to {until_en} (campaign \"{title}\"). Open the personal link above (no \
         account needed) and tell us whether anything changed. It works only for your \
         organisation and this campaign, once, until {expires_en}; please do not forward it.\n",
        org = org.name,
        title = campaign.title,
        link = link.expose(),
        from_en = campaign.from,
        until_en = campaign.until,
    );
    let items: String = lines
        .iter()
        .map(|l| format!("<li>{}</li>", esc(l)))
        .collect();
    let html = format!(
        "<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
         {again}<p>Gentile {org},</p><p>il coordinamento di Bussola vi chiede di verificare le \
         informazioni dei vostri sportelli per il periodo dal {from} al {until} (campagna «{title}»).</p>\
         <p>Sportelli e servizi interessati:</p><ul>{items}</ul>\
         <p><a href=\"{link}\">Aprite il vostro link personale</a> (non serve un account) e diteci se è \
         cambiato qualcosa. Il link vale solo per la vostra organizzazione e per questa campagna, si usa \
         una volta e scade il {expires_it}. Non inoltratelo.</p>\
         <p lang=\"en\">English: {again_en}Bussola's coordinators ask {org} to check its entries for \
         {from_en} to {until_en} (campaign \"{title}\"). <a href=\"{link}\">Open your personal link</a> \
         (no account needed); it works only for your organisation and this campaign, once, until \
         {expires_en}.</p></body></html>",
        again = if reminder { "<p><strong>Promemoria: non abbiamo ancora ricevuto la vostra risposta.</strong></p>" } else { "" },
        title = esc(&campaign.title),
        org = esc(&org.name),
        link = esc(link.expose()),
        from_en = campaign.from,
        until_en = campaign.until,
    );
    let subject = format!(
        "{}Bussola: «{}» — verificate i vostri sportelli / please check your entries",
        if reminder {
            "Promemoria / Reminder — "
        } else {
            ""
        },
        campaign.title.replace(['\r', '\n'], " ")
    );
    Letter {
        subject,
        text,
        html,
    }
}
