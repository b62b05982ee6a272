//! The campaign form's HTML: no script, the server's own stylesheet, the app's CSP, every
//! text from the data escaped and marked `dir="auto"` (names may be Arabic), Italian or
//! English (`?lang=en`). It works with JavaScript off: radio buttons and plain fields, one
//! submit. Refusals say what to do and never which organisation a link was for.

use crate::campaign::mail::esc;
use crate::campaign::model::{Campaign, Refusal};
use crate::index::Sportello;
use crate::model::Organization;

/// The page's words in one language.
pub struct Words {
    pub code: &'static str,
    title: &'static str,
    intro: &'static str,
    period: &'static str,
    all_unchanged: &'static str,
    or_each: &'static str,
    unchanged: &'static str,
    closed: &'static str,
    closed_from: &'static str,
    closed_until: &'static str,
    hours: &'static str,
    hours_help: &'static str,
    message: &'static str,
    message_help: &'static str,
    send: &'static str,
    problem: &'static str,
    thanks: &'static str,
    published: &'static str,
    reviewed: &'static str,
    no_link: &'static str,
    ask: &'static str,
    other_lang: (&'static str, &'static str, &'static str),
}

const IT: Words = Words {
    code: "it",
    title: "Verifica dei vostri sportelli",
    intro: "Diteci se le informazioni di ogni sportello sono ancora giuste. Non serve un account; il link vale una sola volta.",
    period: "Periodo",
    all_unchanged: "Nulla è cambiato per nessuno sportello",
    or_each: "Oppure scegliete sportello per sportello e inviate:",
    unchanged: "Nulla è cambiato",
    closed: "Chiusura temporanea",
    closed_from: "Chiuso dal",
    closed_until: "Chiuso fino al (compreso)",
    hours: "Nuovo orario per il periodo",
    hours_help: "Come «Mo-Fr 09:00-12:00; Sa 09:00-11:00». Lasciate vuoti i servizi il cui orario non cambia.",
    message: "Un messaggio",
    message_help: "Mostrato al pubblico per il periodo della campagna.",
    send: "Invia",
    problem: "C'è un problema",
    thanks: "Grazie: la vostra risposta è registrata.",
    published: "Le conferme sono già pubblicate.",
    reviewed: "Le modifiche saranno pubblicate dopo la verifica del coordinamento.",
    no_link: "Questo link non funziona",
    ask: "Chiedete un nuovo link al vostro coordinamento.",
    other_lang: ("en", "English", "en"),
};

const EN: Words = Words {
    code: "en",
    title: "Check your entries",
    intro: "Tell us whether each sportello's information still holds. No account is needed; the link works once.",
    period: "Period",
    all_unchanged: "Nothing changed for any sportello",
    or_each: "Or choose for each sportello and send:",
    unchanged: "Nothing changed",
    closed: "Temporary closure",
    closed_from: "Closed from",
    closed_until: "Closed until (inclusive)",
    hours: "New hours for the period",
    hours_help: "Such as \"Mo-Fr 09:00-12:00; Sa 09:00-11:00\". Leave empty the services whose hours do not change.",
    message: "A message",
    message_help: "Shown to the public during the campaign's period.",
    send: "Send",
    problem: "There is a problem",
    thanks: "Thank you: your answer is recorded.",
    published: "Confirmations are published already.",
    reviewed: "Changes will be published once a coordinator has checked them.",
    no_link: "This link does not work",
    ask: "Ask your coordinator for a new link.",
    other_lang: ("it", "Italiano", "it"),
};

/// The words for a negotiated language tag: English for `en…`, else Italian.
pub fn words(lang: &str) -> &'static Words {
    if lang.starts_with("en") {
        &EN
    } else {
        &IT
    }
}

fn frame(w: &Words, base: &str, title: &str, lang_href: &str, body: &str) -> String {
    let (code, name, hreflang) = w.other_lang;
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"ltr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{base}/api/html/style.css\"></head>\
         <body><header><nav><a href=\"{href}?lang={code}\" lang=\"{hreflang}\" hreflang=\"{hreflang}\">{name}</a></nav></header>\
         <main><h1>{title}</h1>{body}</main></body></html>\n",
        lang = w.code,
        title = esc(title),
        base = esc(base),
        href = esc(lang_href),
    )
}

/// A refused link (404 or 410): why, and what to do.
pub fn refusal(w: &Words, base: &str, why: Refusal) -> String {
    let reason = match (why, w.code) {
        (Refusal::Unknown, "en") => "This link is not valid: it may be mistyped or incomplete.",
        (Refusal::Expired, "en") => "This link has expired.",
        (Refusal::Revoked, "en") => "This link has been revoked.",
        (Refusal::Used, "en") => {
            "This link has been used already: its answer is recorded, and it cannot be used again."
        }
        (Refusal::Unknown, _) => "Questo link non è valido: forse è incompleto o copiato male.",
        (Refusal::Expired, _) => "Questo link è scaduto.",
        (Refusal::Revoked, _) => "Questo link è stato revocato.",
        (Refusal::Used, _) => {
            "Questo link è già stato usato: la risposta è registrata e non si può usare di nuovo."
        }
    };
    frame(
        w,
        base,
        w.no_link,
        "",
        &format!("<p>{}</p><p>{}</p>", esc(reason), esc(w.ask)),
    )
}

/// The thank-you page.
pub fn thanks(w: &Words, base: &str, published: bool, reviewed: bool) -> String {
    let mut body = format!("<p role=\"status\">{}</p>", esc(w.thanks));
    if published {
        body.push_str(&format!("<p>{}</p>", esc(w.published)));
    }
    if reviewed {
        body.push_str(&format!("<p>{}</p>", esc(w.reviewed)));
    }
    frame(w, base, w.title, "", &body)
}

/// What the form was sent with, to show it again with its errors.
#[derive(Default)]
pub struct Sent<'a> {
    pub fields: &'a [(String, String)],
    /// (field name, message)
    pub errors: &'a [(String, String)],
}

impl Sent<'_> {
    fn value(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
    fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An HTML id for a field name (ids are `[a-z0-9._~-]`; the dots and tildes become dashes).
pub fn field_id(name: &str) -> String {
    name.replace(['.', '~'], "-")
}

fn text_field(sent: &Sent, name: &str, label: &str, kind: &str, help: Option<&str>) -> String {
    let id = field_id(name);
    let (invalid, error) = match sent.error(name) {
        Some(m) => (
            " aria-invalid=\"true\"".to_owned(),
            format!("<p id=\"{id}-error\" class=\"field-error\">{}</p>", esc(m)),
        ),
        None => (String::new(), String::new()),
    };
    let mut described = Vec::new();
    if help.is_some() {
        described.push(format!("{id}-help"));
    }
    if sent.error(name).is_some() {
        described.push(format!("{id}-error"));
    }
    let described = if described.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{}\"", described.join(" "))
    };
    let help = help
        .map(|h| format!("<p id=\"{id}-help\" class=\"hint\">{}</p>", esc(h)))
        .unwrap_or_default();
    let input = if kind == "textarea" {
        format!(
            "<textarea id=\"{id}\" name=\"{n}\" rows=\"3\" maxlength=\"1000\" dir=\"auto\"{invalid}{described}>{v}</textarea>",
            n = esc(name),
            v = esc(sent.value(name))
        )
    } else {
        format!(
            "<input id=\"{id}\" name=\"{n}\" type=\"{kind}\" dir=\"{dir}\" value=\"{v}\"{invalid}{described}>",
            n = esc(name),
            dir = if kind == "date" { "ltr" } else { "auto" },
            v = esc(sent.value(name))
        )
    };
    format!(
        "<p><label for=\"{id}\">{}</label>{help}{error}{input}</p>",
        esc(label)
    )
}

/// One sportello's fieldset: the four choices and their fields.
fn entry(w: &Words, s: &Sportello, sent: &Sent) -> String {
    let loc = s.location.id.as_str();
    let name = s.location.name.get(w.code).map_or("", |(_, v)| v);
    let choice = format!("choice.{loc}");
    let chosen = match sent.value(&choice) {
        "" => "unchanged",
        v => v,
    };
    let radio = |value: &str, label: &str| {
        let id = field_id(&format!("{choice}.{value}"));
        format!(
            "<p class=\"choice\"><input type=\"radio\" id=\"{id}\" name=\"{n}\" value=\"{value}\"{checked}> \
             <label for=\"{id}\">{}</label></p>",
            esc(label),
            n = esc(&choice),
            checked = if chosen == value { " checked" } else { "" },
        )
    };
    let hours: String = s
        .offers
        .iter()
        .map(|o| {
            let service = o.service.name.get(w.code).map_or("", |(_, v)| v);
            text_field(sent, &format!("hours.{}", o.sal.id), service, "text", None)
        })
        .collect();
    format!(
        "<fieldset><legend><span dir=\"auto\">{name}</span> — <span dir=\"auto\">{street}</span></legend>\
         {r1}{r2}<div class=\"sub\">{from}{until}</div>{r3}<div class=\"sub\"><p id=\"{hid}\" class=\"hint\">{hours_help}</p>{hours}</div>\
         {r4}<div class=\"sub\">{msg}</div></fieldset>",
        name = esc(name),
        street = esc(&s.location.address.street),
        r1 = radio("unchanged", w.unchanged),
        r2 = radio("closed", w.closed),
        from = text_field(sent, &format!("closed_from.{loc}"), w.closed_from, "date", None),
        until = text_field(sent, &format!("closed_until.{loc}"), w.closed_until, "date", None),
        r3 = radio("hours", w.hours),
        hid = field_id(&format!("hours-help.{loc}")),
        hours_help = esc(w.hours_help),
        r4 = radio("message", w.message),
        msg = text_field(sent, &format!("message.{loc}"), w.message, "textarea", Some(w.message_help)),
    )
}

/// The form for `org`'s `sportelli` in `campaign`, posting back to `action`.
pub fn form(
    w: &Words,
    base: &str,
    action: &str,
    campaign: &Campaign,
    org: &Organization,
    sportelli: &[&Sportello],
    sent: &Sent,
) -> String {
    let summary = if sent.errors.is_empty() {
        String::new()
    } else {
        let items: String = sent
            .errors
            .iter()
            .map(|(f, m)| format!("<li><a href=\"#{}\">{}</a></li>", esc(&field_id(f)), esc(m)))
            .collect();
        format!(
            "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-title\" tabindex=\"-1\" autofocus>\
             <h2 id=\"error-title\">{}</h2><ul>{items}</ul></div>",
            esc(w.problem)
        )
    };
    let entries: String = sportelli.iter().map(|s| entry(w, s, sent)).collect();
    let body = format!(
        "<p><strong dir=\"auto\">{org}</strong> — <span dir=\"auto\">{title}</span></p>\
         <p>{period}: <time datetime=\"{f}\">{f}</time> – <time datetime=\"{u}\">{u}</time></p>\
         <p>{intro}</p>{summary}\
         <form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"lang\" value=\"{lang}\">\
         <p><button type=\"submit\" name=\"all\" value=\"unchanged\">{all}</button></p>\
         <p>{each}</p>{entries}\
         <p><button type=\"submit\">{send}</button></p></form>",
        org = esc(&org.name),
        title = esc(&campaign.title),
        period = esc(w.period),
        f = campaign.from,
        u = campaign.until,
        intro = esc(w.intro),
        action = esc(action),
        lang = w.code,
        all = esc(w.all_unchanged),
        each = esc(w.or_each),
        send = esc(w.send),
    );
    frame(w, base, w.title, action, &body)
}

/// A form that names an entry the link does not cover (403): nothing was written.
pub fn not_covered(w: &Words, base: &str) -> String {
    let text = if w.code == "en" {
        "This link covers only its own organisation's entries in this campaign: nothing was changed."
    } else {
        "Questo link vale solo per gli sportelli della propria organizzazione in questa campagna: non è stato cambiato nulla."
    };
    frame(
        w,
        base,
        w.no_link,
        "",
        &format!("<p>{}</p><p>{}</p>", esc(text), esc(w.ask)),
    )
}
