//! Review before publication, on embedded SQLite and on PostGIS: an operator's edit waits as a
//! change request while the public item and the offline bundle keep the published record; a
//! coordinator approves it (the new values go public, the history names author and reviewer)
//! or rejects it with a reason the author reads; an approval against a record that moved on
//! is a 409 with both diffs; a trusted organisation publishes at once; history and restore;
//! "still correct".

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::editing::{cast, App, OFFER_B, ORG_B, SERVICE_B};
use support::Backend;

const PUBLIC_ITEM: &str =
    "/api/collections/services/items/loc-casa-comune-mestre~svc-casa-comune-mestre-housing-desk";

/// The operator proposes a new English name for the housing desk; returns the request.
async fn propose(app: &App, auth: &str, name: &str) -> Value {
    let path = format!("services/{SERVICE_B}");
    let (mut doc, version) = app.record(&path, auth).await;
    doc["name"]["it"] = json!(name);
    let r = app
        .put(&format!("/api/records/{path}"), auth, version, &doc)
        .await;
    assert_eq!(
        r.status, 202,
        "an operator's edit waits for review: {}",
        r.body
    );
    let change = r.json()["change"].clone();
    assert_eq!(change["status"], "pending", "{change}");
    assert_eq!(change["base_version"], version);
    assert_eq!(change["author"], "op.casacomune");
    change
}

async fn an_operators_edit_waits_for_a_coordinator(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let marker = "Housing desk (renewed opening)";
    let (_, before) = app
        .record(&format!("services/{SERVICE_B}"), &who.admin)
        .await;
    let change = propose(&app, &who.operator, marker).await;
    let id = change["id"].as_str().unwrap();
    // The public, the bundle and the editors' record keep the published version.
    for uri in [
        PUBLIC_ITEM,
        "/api/bundle",
        "/api/collections/services/items?limit=1000",
    ] {
        let r = app.get(uri, "").await;
        assert_eq!(r.status, 200, "{uri}");
        assert!(!r.body.contains(marker), "{uri} shows a pending edit");
    }
    let (_, still) = app
        .record(&format!("services/{SERVICE_B}"), &who.admin)
        .await;
    assert_eq!(still, before);
    // The author and the coordinator see it with its diff; another organisation does not.
    for auth in [&who.operator, &who.coordinator, &who.admin] {
        let list = app.get("/api/changes", auth).await;
        assert_eq!(list.status, 200, "{}", list.body);
        assert!(list.body.contains(id), "{}", list.body);
    }
    let other = app.get("/api/changes", &who.other_operator).await;
    assert!(!other.body.contains(id), "{}", other.body);
    assert_eq!(
        app.get(&format!("/api/changes/{id}"), &who.other_operator)
            .await
            .status,
        404
    );
    let one = app
        .get(&format!("/api/changes/{id}"), &who.coordinator)
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    let diff = one.json();
    assert_eq!(
        diff["changes"],
        json!([{"field": "/name/it", "old": "Sportello casa", "new": marker}]),
        "{diff}"
    );
    assert!(diff.get("meanwhile").is_none(), "{diff}");
    // An operator may not approve; a coordinator does.
    let r = app
        .post(
            &format!("/api/changes/{id}/approve"),
            &who.operator,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app
        .post(
            &format!("/api/changes/{id}/approve"),
            &who.coordinator,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["change"]["status"], "approved", "{}", r.body);
    assert!(r.json()["change"]["applied_revision"].as_i64().unwrap() > 0);
    // Now it is public, in the item and in the bundle.
    for uri in [PUBLIC_ITEM, "/api/bundle"] {
        let r = app.get(uri, "").await;
        assert!(r.body.contains(marker), "{uri} lacks the approved edit");
    }
    let (_, after) = app
        .record(&format!("services/{SERVICE_B}"), &who.admin)
        .await;
    assert_eq!(after, before + 1);
    // Approving twice is a conflict.
    let r = app
        .post(
            &format!("/api/changes/{id}/approve"),
            &who.coordinator,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // The history names the author, the reviewer and the field.
    let h = app
        .get(
            &format!("/api/records/services/{SERVICE_B}/history"),
            &who.operator,
        )
        .await
        .json();
    let newest = &h["versions"][0];
    assert_eq!(newest["version"], after, "{h}");
    assert_eq!(newest["source"], "review");
    assert_eq!(newest["author"], "op.casacomune");
    assert_eq!(newest["reviewer"], "coord.venezia");
    assert_eq!(newest["changes"][0]["field"], "/name/it", "{h}");
}
on_both_backends!(approval, an_operators_edit_waits_for_a_coordinator);

async fn a_rejection_tells_the_author_why(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let change = propose(&app, &who.operator, "Housing desk (rejected)").await;
    let id = change["id"].as_str().unwrap();
    let uri = format!("/api/changes/{id}/reject");
    let r = app.post(&uri, &who.coordinator, &json!({})).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.pointers(), ["/reason"]);
    let r = app
        .post(&uri, &who.coordinator, &json!({"reason": "   "}))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let reason = "The desk is open on Tuesdays only: check with the office";
    let r = app
        .post(&uri, &who.coordinator, &json!({"reason": reason}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mine = app.get("/api/changes?status=rejected", &who.operator).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let listed = &mine.json()["changes"][0];
    assert_eq!(listed["id"], id);
    assert_eq!(listed["decision_reason"], reason);
    assert_eq!(listed["decided_by"], "coord.venezia");
    let pending = app.get("/api/changes", &who.operator).await.json();
    assert_eq!(pending["changes"], json!([]), "{pending}");
    // Nothing was published.
    assert!(!app
        .get(PUBLIC_ITEM, "")
        .await
        .body
        .contains("Housing desk (rejected)"));
    // An author withdraws their own request; nobody else may.
    let change = propose(&app, &who.operator, "Housing desk (withdrawn)").await;
    let id = change["id"].as_str().unwrap();
    let uri = format!("/api/changes/{id}/withdraw");
    assert_eq!(
        app.post(&uri, &who.coordinator, &json!({})).await.status,
        403
    );
    let r = app.post(&uri, &who.operator, &json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["change"]["status"], "withdrawn");
    assert_eq!(app.post(&uri, &who.operator, &json!({})).await.status, 409);
    // A proposal that changes nothing is no request.
    let path = format!("services/{SERVICE_B}");
    let (doc, version) = app.record(&path, &who.operator).await;
    let r = app
        .put(
            &format!("/api/records/{path}"),
            &who.operator,
            version,
            &doc,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let pending = app.get("/api/changes", &who.operator).await.json();
    assert_eq!(pending["changes"], json!([]), "{pending}");
}
on_both_backends!(rejection, a_rejection_tells_the_author_why);

async fn approving_against_a_moved_record_shows_both_diffs(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let change = propose(&app, &who.operator, "Housing desk (proposed)").await;
    let id = change["id"].as_str().unwrap();
    // Meanwhile the coordinator edits the record directly.
    let path = format!("services/{SERVICE_B}");
    let (mut doc, version) = app.record(&path, &who.coordinator).await;
    doc["description"]["it"] = json!("Cambiata nel frattempo");
    let r = app
        .put(
            &format!("/api/records/{path}"),
            &who.coordinator,
            version,
            &doc,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .post(
            &format!("/api/changes/{id}/approve"),
            &who.coordinator,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let v = r.json();
    assert_eq!(v["changes"][0]["field"], "/name/it", "{v}");
    assert_eq!(v["meanwhile"][0]["field"], "/description/it", "{v}");
    assert_eq!(v["meanwhile"][0]["new"], "Cambiata nel frattempo", "{v}");
    // Nothing was published, and the request still waits.
    assert!(!app
        .get(PUBLIC_ITEM, "")
        .await
        .body
        .contains("Housing desk (proposed)"));
    let one = app
        .get(&format!("/api/changes/{id}"), &who.coordinator)
        .await
        .json();
    assert_eq!(one["status"], "pending");
    assert_eq!(one["meanwhile"][0]["field"], "/description/it", "{one}");
}
on_both_backends!(
    moved_base,
    approving_against_a_moved_record_shows_both_diffs
);

async fn a_trusted_organisation_publishes_at_once(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let org = format!("organizations/{ORG_B}");
    let (mut doc, version) = app.record(&org, &who.operator).await;
    doc["trusted"] = json!(true);
    // Only a coordinator (or an admin) may say so.
    let r = app
        .put(&format!("/api/records/{org}"), &who.operator, version, &doc)
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["pointer"], "/trusted", "{}", r.body);
    let r = app
        .put(
            &format!("/api/records/{org}"),
            &who.coordinator,
            version,
            &doc,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["trusted"], true);
    // Now the operator's edit is public at once, and recorded for review afterwards.
    let path = format!("services/{SERVICE_B}");
    let (mut svc, v) = app.record(&path, &who.operator).await;
    svc["name"]["it"] = json!("Housing desk (trusted edit)");
    let r = app
        .put(&format!("/api/records/{path}"), &who.operator, v, &svc)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(app
        .get(PUBLIC_ITEM, "")
        .await
        .body
        .contains("Housing desk (trusted edit)"));
    let later = app
        .get("/api/changes?status=published_unreviewed", &who.coordinator)
        .await
        .json();
    let listed = &later["changes"][0];
    assert_eq!(listed["record_id"], SERVICE_B, "{later}");
    assert_eq!(listed["author"], "op.casacomune");
    assert!(listed["applied_revision"].as_i64().unwrap() > 0, "{later}");
}
on_both_backends!(trusted, a_trusted_organisation_publishes_at_once);

async fn history_shows_each_change_and_restore_brings_one_back(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let path = format!("services/{SERVICE_B}");
    let uri = format!("/api/records/{path}");
    let (original, v0) = app.record(&path, &who.admin).await;
    let mut doc = original.clone();
    for (i, name) in ["Housing desk A", "Housing desk B"].iter().enumerate() {
        doc["name"]["it"] = json!(name);
        let r = app.put(&uri, &who.admin, v0 + i as i64, &doc).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let h = app.get(&format!("{uri}/history"), &who.admin).await;
    assert_eq!(h.status, 200, "{}", h.body);
    let h = h.json();
    let versions = h["versions"].as_array().unwrap();
    assert_eq!(versions[0]["version"], v0 + 2, "newest first: {h}");
    assert_eq!(
        versions[0]["changes"],
        json!([{"field": "/name/it", "old": "Housing desk A", "new": "Housing desk B"}])
    );
    assert_eq!(versions[1]["changes"][0]["old"], "Sportello casa");
    assert_eq!(versions[0]["author"], "boss");
    assert_eq!(versions[0]["source"], "api");
    let old = app.get(&format!("{uri}/versions/{v0}"), &who.admin).await;
    assert_eq!(old.status, 200, "{}", old.body);
    assert_eq!(old.json()["doc"]["name"]["it"], "Sportello casa");
    assert_eq!(
        app.get(&format!("{uri}/versions/999"), &who.admin)
            .await
            .status,
        404
    );
    // Restore needs If-Match like any write, and makes a new version equal to the old one.
    let r = app
        .post(
            &format!("{uri}/restore"),
            &who.admin,
            &json!({"version": v0}),
        )
        .await;
    assert_eq!(r.status, 428, "{}", r.body);
    let r = app
        .post_at(
            &format!("{uri}/restore"),
            &who.admin,
            v0 + 2,
            &json!({"version": v0, "reason": "back to the published name"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("etag"), format!("\"{}\"", v0 + 3));
    assert_eq!(r.json()["name"], original["name"]);
    assert!(app
        .get(PUBLIC_ITEM, "")
        .await
        .body
        .contains("\"Sportello casa\""));
    let h = app.get(&format!("{uri}/history"), &who.admin).await.json();
    assert_eq!(h["versions"][0]["source"], "restore", "{h}");
    assert_eq!(h["versions"][0]["reason"], "back to the published name");
    // An operator's restore goes through review like any edit.
    let r = app
        .post_at(
            &format!("{uri}/restore"),
            &who.operator,
            v0 + 3,
            &json!({"version": v0 + 2}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
}
on_both_backends!(
    history_restore,
    history_shows_each_change_and_restore_brings_one_back
);

async fn still_correct_sets_the_verified_dates(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let uri = format!("/api/records/offers/{OFFER_B}/verify");
    let (_, v) = app
        .record(&format!("offers/{OFFER_B}"), &who.operator)
        .await;
    let r = app
        .post(&uri, &who.operator, &json!({"fields": ["hours"]}))
        .await;
    assert_eq!(r.status, 428, "{}", r.body);
    let r = app
        .post_at(&uri, &who.operator, v, &json!({"fields": ["address"]}))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.pointers(), ["/fields/0"]);
    let before = chrono::Utc::now();
    // Published at once, even for an operator whose edits are reviewed: it changes no content.
    let r = app
        .post_at(&uri, &who.operator, v, &json!({"fields": ["hours"]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("etag"), format!("\"{}\"", v + 1));
    let at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(r.json()["verified"]["hours"].clone()).unwrap();
    assert!(at >= before - chrono::Duration::seconds(1), "{at}");
    let r = app
        .post_at(&uri, &who.operator, v, &json!({"fields": ["hours"]}))
        .await;
    assert_eq!(r.status, 412, "{}", r.body);
    // A plain edit keeps the verified dates.
    let (mut doc, v2) = app.record(&format!("offers/{OFFER_B}"), &who.admin).await;
    doc["verified"] = json!({});
    let r = app
        .put(
            &format!("/api/records/offers/{OFFER_B}"),
            &who.admin,
            v2,
            &doc,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["verified"]["hours"].is_string(), "{}", r.body);
}
on_both_backends!(verify, still_correct_sets_the_verified_dates);
