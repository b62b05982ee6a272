//! Translations' provenance and the reason of an edit, through the real router on embedded
//! SQLite and on PostGIS: a record says which translated values a machine wrote (a `by` other
//! than machine or person, or a key naming no text, is a 422 at its pointer); the server
//! records who and when; the public JSON, the pre-rendered sportelli and the HTML view mark a
//! machine-translated value shown as such, until a person verifies it. An edit's `?reason=`
//! reaches the change request, the reviewer and the history.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::editing::{cast, App, OFFER_B, SERVICE_B, SPORTELLO_B};
use support::Backend;

/// The public feature of sportello B in `lang`, and its housing desk's entry.
async fn public(app: &App, lang: &str) -> (Value, Value) {
    let r = app
        .get(
            &format!("/api/collections/sportelli/items/{SPORTELLO_B}?lang={lang}"),
            "",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let f = r.json();
    let desk = f["properties"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == SERVICE_B)
        .cloned()
        .expect("the housing desk at its sportello");
    (f, desk)
}

/// The housing desk in the list of every sportello (the pre-rendered path, asked twice so the
/// second answer comes from the fragments kept by the first).
async fn listed(app: &App, lang: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    for _ in 0..2 {
        let r = app
            .get(
                &format!("/api/collections/sportelli/items?lang={lang}&limit=1000"),
                "",
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let page = r.json();
        let f = page["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == SPORTELLO_B)
            .cloned()
            .expect("sportello B listed");
        let desk = f["properties"]["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == SERVICE_B)
            .cloned()
            .unwrap();
        seen.push(desk["machine_translated"].clone());
    }
    seen
}

async fn machine_translations_are_marked_until_a_person_verifies_them(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let admin = who.admin.as_str();
    let path = format!("services/{SERVICE_B}");
    let uri = format!("/api/records/{path}");
    let (mut doc, v) = app.record(&path, admin).await;
    assert!(doc.get("translations").is_none(), "demo data: a person's");
    let (_, desk) = public(&app, "en").await;
    assert!(desk.get("machine_translated").is_none(), "{desk}");

    // Who translated it: machine or person, nothing else; at a text the record holds.
    doc["translations"] = json!({"description/en": {"by": "robot"}});
    let r = app.put(&uri, admin, v, &doc).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    assert_eq!(r.pointers(), ["/translations/description~1en/by"]);
    doc["translations"] =
        json!({"description/en": {"by": "machine"}, "name/uk": {"by": "machine"}});
    let r = app.put(&uri, admin, v, &doc).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.pointers(), ["/translations/name~1uk"]);
    assert_eq!(app.record(&path, admin).await.1, v, "nothing written");

    // Accepted: the server, not the client, says who and when.
    doc["translations"] = json!({"description/en": {"by": "machine", "who": "forged",
                                                    "at": "2020-01-01T00:00:00Z"}});
    let r = app
        .put(
            &format!("{uri}?reason=English%20by%20a%20translation%20service"),
            admin,
            v,
            &doc,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let t = &r.json()["translations"]["description/en"];
    assert_eq!(t["by"], "machine");
    assert_eq!(t["who"], "boss");
    assert!(t["at"].as_str().unwrap() > "2026", "{t}");

    // The public sees which text a machine wrote, in the language it reads it in.
    let (_, desk) = public(&app, "en").await;
    assert_eq!(desk["machine_translated"], json!(["description"]), "{desk}");
    let (_, desk_it) = public(&app, "it").await;
    assert!(desk_it.get("machine_translated").is_none(), "{desk_it}");
    let offer = app
        .get(
            &format!("/api/collections/services/items/{OFFER_B}?lang=en"),
            "",
        )
        .await;
    assert_eq!(
        offer.json()["properties"]["machine_translated"],
        json!(["description"])
    );
    assert_eq!(
        listed(&app, "en").await,
        [json!(["description"]), json!(["description"])]
    );
    assert_eq!(listed(&app, "it").await, [Value::Null, Value::Null]);
    let page = app
        .get(
            &format!("/api/collections/sportelli/items/{SPORTELLO_B}?f=html&lang=en"),
            "",
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Machine translated, not yet checked by a person: <span lang=\"en\">Housing desk: description</span>"),
        "{}",
        page.body
    );

    // The history keeps the reason and the provenance's change.
    let h = app.get(&format!("{uri}/history"), admin).await.json();
    let latest = &h["versions"][0];
    assert_eq!(latest["reason"], "English by a translation service");
    assert!(
        latest["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"].as_str().unwrap().starts_with("/translations")),
        "{latest}"
    );

    // A person verifies it: recorded with who and when; the mark is gone.
    let (mut doc, v) = app.record(&path, admin).await;
    doc["translations"]["description/en"]["by"] = json!("person");
    let r = app.put(&uri, &who.coordinator, v, &doc).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let t = &r.json()["translations"]["description/en"];
    assert_eq!(
        (t["by"].as_str(), t["who"].as_str()),
        (Some("person"), Some("coord.venezia"))
    );
    let (_, desk) = public(&app, "en").await;
    assert!(desk.get("machine_translated").is_none(), "{desk}");
    assert_eq!(listed(&app, "en").await, [Value::Null, Value::Null]);
    let page = app
        .get(
            &format!("/api/collections/sportelli/items/{SPORTELLO_B}?f=html&lang=en"),
            "",
        )
        .await;
    assert!(!page.body.contains("machine-translated"));
}

async fn an_edits_reason_reaches_the_reviewer_and_the_history(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let path = format!("sportelli/{SPORTELLO_B}");
    let uri = format!("/api/records/{path}");
    let (mut doc, v) = app.record(&path, &who.operator).await;
    doc["name"]["en"] = json!("Casa Comune desk");
    let long = "x".repeat(501);
    let r = app
        .put(&format!("{uri}?reason={long}"), &who.operator, v, &doc)
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("reason"), "{}", r.body);
    let reason = "Nuovo nome inglese <script>x</script>";
    let q: String = url::form_urlencoded::byte_serialize(reason.as_bytes()).collect();
    let r = app
        .put(&format!("{uri}?reason={q}"), &who.operator, v, &doc)
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let change = r.json()["change"].clone();
    assert_eq!(change["reason"], reason);
    let id = change["id"].as_str().unwrap();
    let seen = app
        .get(&format!("/api/changes/{id}"), &who.coordinator)
        .await
        .json();
    assert_eq!(seen["reason"], reason, "{seen}");
    let r = app
        .post(
            &format!("/api/changes/{id}/approve"),
            &who.coordinator,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let h = app.get(&format!("{uri}/history"), &who.admin).await.json();
    assert_eq!(h["versions"][0]["reason"], reason);
    assert_eq!(h["versions"][0]["reviewer"], "coord.venezia");
}

on_both_backends!(
    machine_translations,
    machine_translations_are_marked_until_a_person_verifies_them
);
on_both_backends!(
    edit_reasons,
    an_edits_reason_reaches_the_reviewer_and_the_history
);
