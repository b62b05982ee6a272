//! The write API through the real router, on embedded SQLite and on PostGIS: create, update
//! and archive of every kind; field errors as JSON Pointers; `If-Match` (428, 412); two
//! clients editing the same service at once; CSRF for sessions; anonymous feedback and its
//! rate limit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::Method;
use serde_json::{json, Value};
use support::editing::{cast, App, OFFER_B, ORG_B, SERVICE_B};
use support::Backend;

async fn every_kind_is_created_updated_and_archived(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let admin = who.admin.as_str();
    let (offer_b, _) = app.record(&format!("offers/{OFFER_B}"), admin).await;
    let created = [
        (
            "organizations",
            json!({"id": "org-test", "name": "Organizzazione di prova", "kind": "ngo"}),
        ),
        (
            "sportelli",
            json!({"id": "loc-test", "organization_id": "org-test",
                   "name": {"it": "Sportello di prova"},
                   "address": {"street": "Via Piave 1", "postcode": "30171", "comune_istat": "027042"},
                   "point": [12.2301, 45.4912]}),
        ),
        (
            "services",
            json!({"id": "svc-test", "organization_id": "org-test", "name": {"it": "Servizio di prova"},
                   "categories": ["legal-aid"], "languages": ["it", "en"]}),
        ),
        (
            "offers",
            json!({"id": "loc-test~svc-test", "service_id": "svc-test", "location_id": "loc-test",
                   "schedule": offer_b["schedule"]}),
        ),
        (
            "projects",
            json!({"id": "prj-test", "title": {"it": "Progetto di prova"}, "fund": "FAMI",
                   "lead_organization_id": "org-test", "territory": ["027042"]}),
        ),
    ];
    for (kind, body) in &created {
        let r = app.post(&format!("/api/records/{kind}"), admin, body).await;
        assert_eq!(r.status, 200, "POST {kind}: {}", r.body);
        assert_eq!(r.header("etag"), "\"1\"", "{kind}");
        assert_eq!(r.json()["id"], body["id"]);
        // The same id again is a conflict, and nothing is written.
        let again = app.post(&format!("/api/records/{kind}"), admin, body).await;
        assert_eq!(again.status, 409, "POST {kind} twice: {}", again.body);
        assert_eq!(
            again.header("content-type"),
            "application/problem+json",
            "{kind}"
        );
    }
    // Published at once: the public sees the sportello and the service there.
    let public = app
        .get("/api/collections/sportelli/items/loc-test", "")
        .await;
    assert_eq!(public.status, 200, "{}", public.body);
    assert!(public.body.contains("Sportello di prova"));
    let offer = app
        .get("/api/collections/services/items/loc-test~svc-test", "")
        .await;
    assert_eq!(offer.status, 200, "{}", offer.body);
    assert!(offer.body.contains("Servizio di prova"));

    // Every kind updated from the document GET returned, then archived.
    for (kind, body) in &created {
        let id = body["id"].as_str().unwrap();
        let (mut doc, version) = app.record(&format!("{kind}/{id}"), admin).await;
        assert_eq!(version, 1, "{kind}");
        let (pointer, value) = match *kind {
            "projects" => ("/summary/it", json!(format!("Aggiornato: {kind}"))),
            "offers" => ("/schedule/closed_on", json!(["2027-08-14"])),
            _ => ("/description/it", json!(format!("Aggiornato: {kind}"))),
        };
        match *kind {
            "offers" => doc["schedule"]["closed_on"] = value.clone(),
            "projects" => doc["summary"] = json!({"it": value.clone()}),
            _ => doc["description"] = json!({"it": value.clone()}),
        }
        let r = app
            .put(&format!("/api/records/{kind}/{id}"), admin, version, &doc)
            .await;
        assert_eq!(r.status, 200, "PUT {kind}: {}", r.body);
        assert_eq!(
            r.json().pointer(pointer),
            Some(&value),
            "{kind}: {}",
            r.body
        );
        assert_eq!(r.header("etag"), "\"2\"", "{kind}");
    }
    let public = app
        .get("/api/collections/sportelli/items/loc-test", "")
        .await;
    assert!(
        public.body.contains("Aggiornato: sportelli"),
        "{}",
        public.body
    );
    for (kind, body) in created.iter().rev() {
        let id = body["id"].as_str().unwrap();
        let r = app
            .send(
                Method::DELETE,
                &format!("/api/records/{kind}/{id}"),
                admin,
                &[("if-match", "\"2\"")],
                None,
            )
            .await;
        assert_eq!(r.status, 200, "DELETE {kind}: {}", r.body);
        assert_eq!(r.json()["status"], "archived", "{kind}");
        assert_eq!(r.header("etag"), "\"3\"", "{kind}");
    }
    let gone = app
        .get("/api/collections/sportelli/items/loc-test", "")
        .await;
    assert_eq!(gone.status, 404, "an archived sportello is hidden");
    // Editors still read it (to restore it).
    let (doc, version) = app.record("sportelli/loc-test", admin).await;
    assert_eq!((doc["status"].as_str(), version), (Some("archived"), 3));
}
on_both_backends!(
    create_update_archive,
    every_kind_is_created_updated_and_archived
);

async fn bad_writes_are_refused_with_what_is_wrong(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let admin = who.admin.as_str();
    // Every invalid field at once, each by its pointer into the body.
    let r = app
        .post(
            "/api/records/services",
            admin,
            &json!({"id": "svc-bad", "organization_id": "org-nowhere", "name": {"en": "No Italian"},
                    "categories": ["not-a-need"], "languages": ["english!"], "colour": "blue"}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    let pointers = r.pointers();
    for want in [
        "/colour",
        "/organization_id",
        "/name/it",
        "/categories",
        "/languages",
    ] {
        assert!(pointers.iter().any(|p| p == want), "{want} in {}", r.body);
    }
    let r = app
        .post(
            "/api/records/sportelli",
            admin,
            &json!({"id": "loc-bad", "organization_id": ORG_B, "name": {"it": "X"},
                    "address": {"comune_istat": "999999"}, "point": [12.2, 45.4]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.pointers(), ["/address/comune_istat"], "{}", r.body);
    // Not JSON: 400.
    let r = app
        .send_raw(
            Method::POST,
            "/api/records/services",
            admin,
            &[],
            Some("{\"id\": "),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    // A kind that does not exist.
    let r = app.get("/api/records/comuni", admin).await;
    assert_eq!(r.status, 404, "{}", r.body);

    // Optimistic concurrency: the ETag is the version, If-Match is required.
    let (doc, version) = app.record(&format!("services/{SERVICE_B}"), admin).await;
    assert_eq!(doc["version"], version);
    let uri = format!("/api/records/services/{SERVICE_B}");
    let r = app.send(Method::PUT, &uri, admin, &[], Some(&doc)).await;
    assert_eq!(r.status, 428, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    let r = app.put(&uri, admin, version + 5, &doc).await;
    assert_eq!(r.status, 412, "{}", r.body);
    assert_eq!(r.json()["current_version"], version, "{}", r.body);
    let r = app.send(Method::DELETE, &uri, admin, &[], None).await;
    assert_eq!(r.status, 428, "{}", r.body);
    // The id in the body is the id in the path.
    let mut moved = doc.clone();
    moved["id"] = json!("svc-another");
    let r = app.put(&uri, admin, version, &moved).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.pointers(), ["/id"]);
    // Nothing was written by any of these.
    let (_, after) = app.record(&format!("services/{SERVICE_B}"), admin).await;
    assert_eq!(after, version);
    let public = app
        .get("/api/collections/sportelli/items/loc-bad", "")
        .await;
    assert_eq!(public.status, 404);

    // Who may not write: the public (401), a viewer (403), another organisation (403).
    let r = app.post("/api/records/services", "", &doc).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = app.put(&uri, &who.viewer, version, &doc).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app.put(&uri, &who.other_operator, version, &doc).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // An operator may not move a record to another organisation.
    let mut elsewhere = doc.clone();
    elsewhere["organization_id"] = json!("org-faro-verde");
    let r = app.put(&uri, &who.operator, version, &elsewhere).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["pointer"], "/organization_id", "{}", r.body);
}
on_both_backends!(bad_writes, bad_writes_are_refused_with_what_is_wrong);

async fn two_clients_edit_the_same_service_and_one_wins(b: Backend) {
    let app = std::sync::Arc::new(App::new(b).await);
    let who = cast(&app).await;
    let path = format!("services/{SERVICE_B}");
    let uri = format!("/api/records/{path}");
    let (doc, version) = app.record(&path, &who.admin).await;
    let mut first = doc.clone();
    first["name"]["en"] = json!("Housing desk (edited by the admin)");
    let mut second = doc.clone();
    second["description"]["it"] = json!("Descrizione del coordinatore");
    let send = |auth: String, body: Value| {
        let app = app.clone();
        let uri = uri.clone();
        tokio::spawn(async move { app.put(&uri, &auth, version, &body).await })
    };
    let a = send(who.admin.clone(), first.clone());
    let b = send(who.coordinator.clone(), second.clone());
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 412], "{} / {}", a.body, b.body);
    let (winner, loser, loser_auth, loser_body) = if a.status == 200 {
        (&a, &b, &who.coordinator, &second)
    } else {
        (&b, &a, &who.admin, &first)
    };
    assert_eq!(loser.json()["current_version"], version + 1);
    // The winner's values are stored, and only theirs.
    let (stored, now) = app.record(&path, &who.admin).await;
    assert_eq!(now, version + 1);
    assert_eq!(stored, winner.json());
    // Nothing lost: the loser reloads, applies their change again and succeeds.
    let mut retry = stored.clone();
    for field in ["name", "description"] {
        if loser_body[field] != doc[field] {
            retry[field] = loser_body[field].clone();
        }
    }
    let r = app.put(&uri, loser_auth, now, &retry).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (both, last) = app.record(&path, &who.admin).await;
    assert_eq!(last, version + 2);
    assert_eq!(both["name"]["en"], "Housing desk (edited by the admin)");
    assert_eq!(both["description"]["it"], "Descrizione del coordinatore");
    // The history holds both versions, each by its author.
    let h = app.get(&format!("{uri}/history"), &who.admin).await.json();
    let authors: Vec<&str> = h["versions"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|v| v["author"].as_str().unwrap_or(""))
        .collect();
    let mut authors_sorted = authors.clone();
    authors_sorted.sort();
    assert_eq!(authors_sorted, ["boss", "coord.venezia"], "{h}");
}
on_both_backends!(concurrency, two_clients_edit_the_same_service_and_one_wins);

async fn sessions_need_the_csrf_token_and_tokens_do_not(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let (doc, version) = app.record(&format!("offers/{OFFER_B}"), &who.admin).await;
    let (cookie, csrf) = app.sign_in("coord.venezia").await;
    let uri = format!("/api/records/offers/{OFFER_B}");
    let tag = format!("\"{version}\"");
    let r = app
        .send(
            Method::PUT,
            &uri,
            "",
            &[("cookie", &cookie), ("if-match", &tag)],
            Some(&doc),
        )
        .await;
    assert_eq!(r.status, 403, "no CSRF token: {}", r.body);
    let r = app
        .send(
            Method::PUT,
            &uri,
            "",
            &[
                ("cookie", &cookie),
                ("if-match", &tag),
                ("x-csrf-token", &csrf),
            ],
            Some(&doc),
        )
        .await;
    assert_eq!(r.status, 200, "with the token: {}", r.body);
    // A bearer token needs none (every other test writes that way).
    let r = app
        .post_at(
            &format!("{uri}/verify"),
            &who.coordinator,
            version,
            &json!({"fields": ["hours"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}
on_both_backends!(csrf, sessions_need_the_csrf_token_and_tokens_do_not);

async fn feedback_is_anonymous_and_rate_limited(b: Backend) {
    let app = App::with(b, |c| c.feedback_per_address = 4).await;
    let who = cast(&app).await;
    let report = json!({"location_id": "loc-casa-comune-mestre", "kind": "closed"});
    // No personal data: a text, a contact, a position are refused, not dropped.
    let r = app
        .post(
            "/api/feedback",
            "",
            &json!({"location_id": "loc-casa-comune-mestre", "kind": "wrong", "comment": "mario@example.org"}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = app
        .post(
            "/api/feedback",
            "",
            &json!({"location_id": "loc-cas-demo-mestre", "kind": "right"}),
        )
        .await;
    assert_eq!(
        r.status, 422,
        "a reception centre is no public sportello: {}",
        r.body
    );
    assert_eq!(r.pointers(), ["/location_id"]);
    for _ in 0..2 {
        let r = app.post("/api/feedback", "", &report).await;
        assert_eq!(r.status, 202, "{}", r.body);
    }
    let r = app.post("/api/feedback", "", &report).await;
    assert_eq!(r.status, 429, "past the burst: {}", r.body);
    assert!(r.header("retry-after").parse::<u64>().unwrap() >= 1);
    // Shown to the sportello's organisation and the coordinators of its comune.
    for auth in [&who.operator, &who.coordinator, &who.admin] {
        let list = app.get("/api/feedback", auth).await;
        assert_eq!(list.status, 200, "{}", list.body);
        let items = list.json()["feedback"].as_array().unwrap().clone();
        assert_eq!(items.len(), 2, "{}", list.body);
        assert_eq!(items[0]["kind"], "closed");
        assert_eq!(items[0]["organization_id"], ORG_B);
    }
    let other = app.get("/api/feedback", &who.other_operator).await;
    assert_eq!(other.json()["feedback"], json!([]), "{}", other.body);
    assert_eq!(app.get("/api/feedback", "").await.status, 401);
    assert_eq!(app.get("/api/feedback", &who.viewer).await.status, 403);
}
on_both_backends!(feedback, feedback_is_anonymous_and_rate_limited);
