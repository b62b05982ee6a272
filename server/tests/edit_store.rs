//! Editing storage conformance: history, version expectations, change requests and feedback,
//! run unchanged on embedded SQLite and on a real PostGIS database. Each case takes a fresh,
//! migrated store.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::import::parse_dataset;
use bussola::model::revision::diff;
use bussola::model::{
    ChangeAction, ChangeRequest, ChangeStatus, Dataset, Feedback, FeedbackKind, Id, Origin,
    RecordKind, Source, Status,
};
use bussola::store::{
    ChangeFilter, ChangeSet, Error, Expectation, FeedbackFilter, RequestOp, Store,
};
use chrono::{DateTime, Duration, SubsecRound, TimeZone, Utc};
use serde_json::{json, Value};
use std::sync::Arc;

fn fixture() -> Dataset {
    let text = r#"{
      "type": "FeatureCollection",
      "bussola": {
        "organizations": [{"id": "org-a", "name": "Associazione A (fictional)", "kind": "ngo", "fictional": true}],
        "projects": [{"id": "prj-1", "title": {"it": "Progetto"}, "fund": "FAMI", "lead_organization_id": "org-a",
                      "territory": ["027042"], "phase": "closed", "service_ids": ["svc-lang"]}]
      },
      "features": [
        {"type": "Feature", "id": "loc-1", "geometry": {"type": "Point", "coordinates": [12.2381, 45.4903]},
         "properties": {"organization_id": "org-a", "name": {"it": "Sportello Uno", "en": "Desk One"},
           "address": {"street": "Via Roma 1", "postcode": "30172", "comune_istat": "027042"},
           "services": [
             {"id": "svc-lang", "name": {"it": "Corso di italiano"}, "categories": ["italian-language"],
              "languages": ["it", "ar"], "cost": "free", "appointment_required": false,
              "schedule": {"periods": [{"valid_from": null, "valid_to": null, "hours": "Mo-Fr 09:00-12:00"}]}},
             {"id": "svc-legal", "name": {"it": "Consulenza legale"}, "categories": ["legal-aid"],
              "languages": ["it", "fr"], "cost": "free", "appointment_required": true,
              "schedule": {"periods": [{"valid_from": null, "valid_to": null, "hours": "Tu 14:00-17:00"}]}}
           ]}}
      ]
    }"#;
    parse_dataset(text).expect("fixture parses")
}

fn id(s: &str) -> Id {
    Id::parse(s).unwrap()
}

/// A fixed instant with nanoseconds, so the cases also check that both backends keep the
/// same microseconds.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap() + Duration::nanoseconds(123_456_789)
}

fn origin(author: &str, reason: &str, source: Source, reviewer: Option<&str>) -> Origin {
    Origin {
        author: Some(author.into()),
        reason: Some(reason.into()),
        source,
        reviewer: reviewer.map(str::to_owned),
    }
}

fn commit(dataset: Dataset, origin: Origin) -> ChangeSet {
    ChangeSet {
        dataset,
        replace_services_of_locations: true,
        origin,
        ..Default::default()
    }
}

fn request(n: u32, record: &str, comuni: &[&str], status: ChangeStatus) -> ChangeRequest {
    ChangeRequest {
        id: format!("cr-{n:020x}"),
        kind: RecordKind::Location,
        record_id: id(record),
        organization_id: id("org-a"),
        comuni: comuni.iter().map(|c| c.to_string()).collect(),
        action: ChangeAction::Upsert,
        base_version: Some(1),
        proposed: json!({"id": record, "name": {"it": "Proposto"}}),
        author: "op.anna".into(),
        reason: Some("new hours".into()),
        status,
        created_at: t0() + Duration::minutes(n.into()),
        decided_at: None,
        decided_by: None,
        decision_reason: None,
        applied_revision: None,
    }
}

/// What the store gives back: timestamps at microsecond precision.
fn as_stored(mut cr: ChangeRequest) -> ChangeRequest {
    cr.created_at = cr.created_at.trunc_subsecs(6);
    cr.decided_at = cr.decided_at.map(|t| t.trunc_subsecs(6));
    cr
}

fn fields(old: &Value, new: &Value) -> Vec<String> {
    diff(old, new).into_iter().map(|c| c.field).collect()
}

/// Everything a failed commit must leave as it was.
async fn everything(s: &Arc<dyn Store>) -> (i64, Value, Vec<usize>, Vec<ChangeRequest>) {
    let snap = s.load().await.unwrap();
    let d = &snap.dataset;
    let records = serde_json::to_value((
        &d.organizations,
        &d.locations,
        &d.services,
        &d.service_at_locations,
        &d.projects,
    ))
    .unwrap();
    let e = s.edits();
    let mut versions = Vec::new();
    for (kind, ids) in [
        (RecordKind::Organization, vec!["org-a"]),
        (RecordKind::Location, vec!["loc-1", "loc-2"]),
        (RecordKind::Service, vec!["svc-lang", "svc-legal"]),
        (
            RecordKind::ServiceAtLocation,
            vec!["loc-1~svc-lang", "loc-1~svc-legal"],
        ),
        (RecordKind::Project, vec!["prj-1"]),
    ] {
        for i in ids {
            versions.push(e.history(kind, &id(i)).await.unwrap().len());
        }
    }
    let requests = e.change_requests(&ChangeFilter::default()).await.unwrap();
    (s.revision().await.unwrap(), records, versions, requests)
}

async fn history_keeps_every_version_with_its_origin(s: Arc<dyn Store>) {
    let e = s.edits();
    let loc = id("loc-1");
    assert!(e
        .history(RecordKind::Location, &loc)
        .await
        .unwrap()
        .is_empty());
    let mut d = fixture();
    let created = origin("cli:anna", "first import", Source::Import, None);
    let first = s.apply(&commit(d.clone(), created.clone())).await.unwrap();

    d.locations[0]
        .name
        .0
        .insert("it".into(), "Sportello Primo".into());
    d.locations[0].address.street = "Via Roma 2".into();
    // The sportello no longer offers legal aid: its offer is archived by the same commit.
    d.service_at_locations
        .retain(|x| x.id.as_str() != "loc-1~svc-legal");
    let updated = origin("bruno", "moved next door", Source::Api, None);
    let second = s.apply(&commit(d.clone(), updated.clone())).await.unwrap();

    d.locations[0].meta.status = Status::Archived;
    let archived = origin(
        "op.carla",
        "closed for good",
        Source::Review,
        Some("coord.dario"),
    );
    let third = s.apply(&commit(d.clone(), archived.clone())).await.unwrap();
    assert!(first.revision < second.revision && second.revision < third.revision);

    let h = e.history(RecordKind::Location, &loc).await.unwrap();
    let summary: Vec<(i64, i64, &Origin)> = h
        .iter()
        .map(|v| (v.version, v.revision, &v.origin))
        .collect();
    assert_eq!(
        summary,
        [
            (1, first.revision, &created),
            (2, second.revision, &updated),
            (3, third.revision, &archived)
        ]
    );
    assert!(h
        .iter()
        .all(|v| v.kind == RecordKind::Location && v.id == loc));
    assert_eq!(
        fields(&Value::Null, &h[0].doc),
        ["/"],
        "a created record is one change at the root"
    );
    assert_eq!(
        fields(&h[0].doc, &h[1].doc),
        ["/address/street", "/name/it"]
    );
    assert_eq!(fields(&h[1].doc, &h[2].doc), ["/status"]);
    let changed = diff(&h[0].doc, &h[1].doc);
    assert_eq!(changed[1].old, Some(json!("Sportello Uno")));
    assert_eq!(changed[1].new, Some(json!("Sportello Primo")));

    // The latest version is the record as the store reads it back, store fields included.
    let snap = s.load().await.unwrap();
    let current = snap.dataset.locations.iter().find(|l| l.id == loc).unwrap();
    assert_eq!(h[2].doc, serde_json::to_value(current).unwrap());
    assert_eq!(Some(h[2].at), current.meta.updated_at);
    assert_eq!(
        e.version(RecordKind::Location, &loc, 2).await.unwrap(),
        Some(h[1].clone())
    );
    assert_eq!(
        e.version(RecordKind::Location, &loc, 4).await.unwrap(),
        None
    );
    assert_eq!(
        e.version(RecordKind::Service, &loc, 1).await.unwrap(),
        None,
        "versions are per kind"
    );

    // The offer archived by the replacing import has its archived version too.
    let offer = e
        .history(RecordKind::ServiceAtLocation, &id("loc-1~svc-legal"))
        .await
        .unwrap();
    assert_eq!(offer.len(), 2);
    assert_eq!(offer[1].revision, second.revision);
    assert_eq!(offer[1].origin, updated);
    assert_eq!(fields(&offer[0].doc, &offer[1].doc), ["/status"]);
    assert_eq!(offer[1].doc["status"], "archived");
    // Records the commits left alone kept their one version.
    let org = e
        .history(RecordKind::Organization, &id("org-a"))
        .await
        .unwrap();
    assert_eq!(org.len(), 1);

    // Versions since a revision, oldest first, bounded.
    let since: Vec<(i64, RecordKind, String)> = e
        .versions_since(first.revision, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.revision, v.kind, v.id.to_string()))
        .collect();
    assert_eq!(
        since,
        [
            (second.revision, RecordKind::Location, "loc-1".into()),
            (
                second.revision,
                RecordKind::ServiceAtLocation,
                "loc-1~svc-legal".into()
            ),
            (third.revision, RecordKind::Location, "loc-1".into()),
        ]
    );
    let all = e.versions_since(0, 0).await.unwrap();
    assert_eq!(
        all.len(),
        7 + 2 + 1,
        "seven records created, two changed, one changed again"
    );
    assert!(all.windows(2).all(|w| w[0].revision <= w[1].revision));
    assert_eq!(e.versions_since(0, 2).await.unwrap(), all[..2].to_vec());
    assert!(e
        .versions_since(third.revision, 0)
        .await
        .unwrap()
        .is_empty());
}

async fn a_stale_expectation_writes_nothing(s: Arc<dyn Store>) {
    let d = fixture();
    s.apply(&commit(d.clone(), Origin::default()))
        .await
        .unwrap();
    let before = everything(&s).await;
    let mut changed = d.clone();
    changed.locations[0].address.street = "Via Nuova 9".into();
    let cases = [
        // kind, id, expected, actual
        (RecordKind::Location, "loc-1", Some(7), Some(1)),
        (RecordKind::Location, "loc-1", None, Some(1)),
        (RecordKind::Location, "loc-2", Some(1), None),
        (RecordKind::Service, "loc-1", Some(1), None),
    ];
    for (kind, record, expected, actual) in cases {
        let changes = ChangeSet {
            expect: vec![
                Expectation {
                    kind: RecordKind::Organization,
                    id: id("org-a"),
                    version: Some(1),
                },
                Expectation {
                    kind,
                    id: id(record),
                    version: expected,
                },
            ],
            requests: vec![RequestOp::Create(request(
                1,
                "loc-1",
                &["027042"],
                ChangeStatus::Pending,
            ))],
            ..commit(changed.clone(), origin("bruno", "late", Source::Api, None))
        };
        match s.apply(&changes).await {
            Err(Error::Stale {
                kind: k,
                id: i,
                expected: e,
                actual: a,
            }) => assert_eq!(
                (k, i.as_str(), e, a),
                (kind, record, expected, actual),
                "the mismatch is named"
            ),
            other => panic!("{kind} {record} at {expected:?}: expected Stale, got {other:?}"),
        }
        assert_eq!(
            everything(&s).await,
            before,
            "a stale commit wrote something"
        );
    }
    // The right versions commit, and a new id may be expected to be new.
    let mut fresh = changed.clone();
    let mut loc2 = fresh.locations[0].clone();
    loc2.id = id("loc-2");
    fresh.locations.push(loc2);
    let done = s
        .apply(&ChangeSet {
            expect: vec![
                Expectation {
                    kind: RecordKind::Location,
                    id: id("loc-1"),
                    version: Some(1),
                },
                Expectation {
                    kind: RecordKind::Location,
                    id: id("loc-2"),
                    version: None,
                },
            ],
            ..commit(fresh, Origin::default())
        })
        .await
        .unwrap();
    assert!(done.revision > before.0);
    let e = s.edits();
    assert_eq!(
        e.history(RecordKind::Location, &id("loc-1"))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        e.history(RecordKind::Location, &id("loc-2"))
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn a_change_request_is_created_then_decided(s: Arc<dyn Store>) {
    let e = s.edits();
    let mut d = fixture();
    s.apply(&commit(d.clone(), Origin::default()))
        .await
        .unwrap();
    let pending = request(1, "loc-1", &["027042"], ChangeStatus::Pending);
    assert_eq!(e.change_request(&pending.id).await.unwrap(), None);

    // A commit of requests only still takes a revision.
    let proposed = s
        .apply(&ChangeSet {
            origin: origin("op.anna", "new hours", Source::Api, None),
            requests: vec![RequestOp::Create(pending.clone())],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(proposed.revision > 0 && proposed.rows_written == 1);
    assert_eq!(s.revision().await.unwrap(), proposed.revision);
    assert_eq!(
        e.change_request(&pending.id).await.unwrap(),
        Some(as_stored(pending.clone()))
    );
    assert_eq!(
        e.history(RecordKind::Location, &id("loc-1"))
            .await
            .unwrap()
            .len(),
        1,
        "a pending request changes no record"
    );

    // Approved together with the record it publishes.
    d.locations[0].name.0.insert("it".into(), "Proposto".into());
    let decided_at = t0() + Duration::hours(2);
    let approved = s
        .apply(&ChangeSet {
            expect: vec![Expectation {
                kind: RecordKind::Location,
                id: id("loc-1"),
                version: Some(1),
            }],
            requests: vec![RequestOp::Decide {
                id: pending.id.clone(),
                from: ChangeStatus::Pending,
                to: ChangeStatus::Approved,
                by: "coord.dario".into(),
                reason: Some("checked by phone".into()),
                at: decided_at,
            }],
            ..commit(
                d.clone(),
                origin("op.anna", "new hours", Source::Review, Some("coord.dario")),
            )
        })
        .await
        .unwrap();
    let back = e.change_request(&pending.id).await.unwrap().unwrap();
    assert_eq!(back.status, ChangeStatus::Approved);
    assert_eq!(back.applied_revision, Some(approved.revision));
    assert_eq!(back.decided_at, Some(decided_at.trunc_subsecs(6)));
    assert_eq!(back.decided_by.as_deref(), Some("coord.dario"));
    assert_eq!(back.decision_reason.as_deref(), Some("checked by phone"));
    let h = e.history(RecordKind::Location, &id("loc-1")).await.unwrap();
    assert_eq!((h.len(), h[1].revision), (2, approved.revision));
    assert_eq!(h[1].origin.reviewer.as_deref(), Some("coord.dario"));

    // Deciding it again is stale and takes the commit's record changes down with it.
    let before = everything(&s).await;
    d.locations[0].address.street = "Via del Rifiuto 1".into();
    let again = s
        .apply(&ChangeSet {
            requests: vec![RequestOp::Decide {
                id: pending.id.clone(),
                from: ChangeStatus::Pending,
                to: ChangeStatus::Rejected,
                by: "coord.elena".into(),
                reason: Some("no".into()),
                at: decided_at,
            }],
            ..commit(d.clone(), Origin::default())
        })
        .await;
    match again {
        Err(Error::Stale {
            kind,
            id: record,
            expected,
            actual,
        }) => assert_eq!(
            (kind, record.as_str(), expected, actual),
            (RecordKind::Location, "loc-1", Some(1), Some(2))
        ),
        other => panic!("expected Stale, got {other:?}"),
    }
    assert_eq!(everything(&s).await, before);
    assert_eq!(e.change_request(&pending.id).await.unwrap(), Some(back));

    // A decision on a request that does not exist names it, and writes nothing either.
    let unknown = s
        .apply(&ChangeSet {
            requests: vec![RequestOp::Decide {
                id: "cr-nope".into(),
                from: ChangeStatus::Pending,
                to: ChangeStatus::Withdrawn,
                by: "op.anna".into(),
                reason: None,
                at: decided_at,
            }],
            ..commit(d.clone(), Origin::default())
        })
        .await;
    assert!(
        matches!(&unknown, Err(Error::NoSuchChangeRequest { id }) if id == "cr-nope"),
        "{unknown:?}"
    );
    assert_eq!(everything(&s).await, before);

    // A trusted organisation's edit is published by the commit that records it; a later
    // review keeps that revision.
    let trusted = request(2, "loc-1", &["027042"], ChangeStatus::PublishedUnreviewed);
    let published = s
        .apply(&ChangeSet {
            requests: vec![RequestOp::Create(trusted.clone())],
            ..commit(d.clone(), origin("op.anna", "trusted", Source::Api, None))
        })
        .await
        .unwrap();
    let stored = e.change_request(&trusted.id).await.unwrap().unwrap();
    assert_eq!(stored.applied_revision, Some(published.revision));
    let reviewed = s
        .apply(&ChangeSet {
            requests: vec![RequestOp::Decide {
                id: trusted.id.clone(),
                from: ChangeStatus::PublishedUnreviewed,
                to: ChangeStatus::Approved,
                by: "coord.dario".into(),
                reason: None,
                at: decided_at,
            }],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(reviewed.revision > published.revision);
    let stored = e.change_request(&trusted.id).await.unwrap().unwrap();
    assert_eq!(stored.status, ChangeStatus::Approved);
    assert_eq!(stored.applied_revision, Some(published.revision));
}

async fn change_requests_are_listed_newest_first_and_filtered(s: Arc<dyn Store>) {
    let e = s.edits();
    let mut reqs = [
        request(1, "loc-1", &["027042"], ChangeStatus::Pending),
        request(2, "loc-2", &["027033", "027042"], ChangeStatus::Rejected),
        request(3, "loc-3", &["027033"], ChangeStatus::Pending),
        request(4, "loc-1", &["027042"], ChangeStatus::Approved),
        request(5, "loc-4", &[], ChangeStatus::Pending),
    ];
    reqs[2].organization_id = id("org-b");
    reqs[3].author = "op.bruno".into();
    reqs[4].kind = RecordKind::Organization;
    reqs[4].record_id = id("org-b");
    reqs[4].action = ChangeAction::Archive;
    reqs[4].base_version = None;
    reqs[4].proposed = Value::Null;
    s.apply(&ChangeSet {
        requests: reqs.iter().cloned().map(RequestOp::Create).collect(),
        ..Default::default()
    })
    .await
    .unwrap();
    let list = |f: ChangeFilter| {
        let e = e.clone();
        async move {
            e.change_requests(&f)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.id[c.id.len() - 1..].parse::<u32>().unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(list(ChangeFilter::default()).await, [5, 4, 3, 2, 1]);
    let all = e.change_requests(&ChangeFilter::default()).await.unwrap();
    assert_eq!(
        all[0],
        as_stored(reqs[4].clone()),
        "an archive proposes null"
    );
    let pending = vec![ChangeStatus::Pending];
    assert_eq!(
        list(ChangeFilter {
            statuses: pending.clone(),
            ..Default::default()
        })
        .await,
        [5, 3, 1]
    );
    assert_eq!(
        list(ChangeFilter {
            statuses: vec![ChangeStatus::Rejected, ChangeStatus::Approved],
            ..Default::default()
        })
        .await,
        [4, 2]
    );
    assert_eq!(
        list(ChangeFilter {
            organization: Some(id("org-a")),
            statuses: pending.clone(),
            ..Default::default()
        })
        .await,
        [5, 1]
    );
    assert_eq!(
        list(ChangeFilter {
            comuni: vec!["027033".into()],
            ..Default::default()
        })
        .await,
        [3, 2],
        "a request is in a territory when one of its comuni is"
    );
    assert_eq!(
        list(ChangeFilter {
            comuni: vec!["027033".into(), "027042".into()],
            limit: 3,
            ..Default::default()
        })
        .await,
        [4, 3, 2]
    );
    assert_eq!(
        list(ChangeFilter {
            record: Some((RecordKind::Location, id("loc-1"))),
            ..Default::default()
        })
        .await,
        [4, 1]
    );
    assert!(list(ChangeFilter {
        record: Some((RecordKind::Service, id("loc-1"))),
        ..Default::default()
    })
    .await
    .is_empty());
    assert_eq!(
        list(ChangeFilter {
            author: Some("op.bruno".into()),
            ..Default::default()
        })
        .await,
        [4]
    );
    assert_eq!(
        list(ChangeFilter {
            limit: 2,
            ..Default::default()
        })
        .await,
        [5, 4]
    );
}

async fn feedback_round_trips_and_is_filtered(s: Arc<dyn Store>) {
    let e = s.edits();
    let fb = |loc: &str, org: &str, comune: &str, kind, minutes| Feedback {
        location_id: id(loc),
        organization_id: id(org),
        comune_istat: comune.into(),
        kind,
        at: t0() + Duration::minutes(minutes),
    };
    let all = [
        fb("loc-1", "org-a", "027042", FeedbackKind::Right, 0),
        fb("loc-2", "org-a", "027033", FeedbackKind::Closed, 5),
        fb("loc-3", "org-b", "027042", FeedbackKind::Wrong, 10),
        fb("loc-1", "org-a", "027042", FeedbackKind::Wrong, 15),
    ];
    for f in &all {
        e.add_feedback(f).await.unwrap();
    }
    let stored = |i: usize| {
        let mut f = all[i].clone();
        f.at = f.at.trunc_subsecs(6);
        f
    };
    let list = |f: FeedbackFilter| {
        let e = e.clone();
        async move { e.feedback(&f).await.unwrap() }
    };
    assert_eq!(
        list(FeedbackFilter::default()).await,
        [stored(3), stored(2), stored(1), stored(0)],
        "newest first, microseconds kept"
    );
    assert_eq!(
        list(FeedbackFilter {
            organization: Some(id("org-a")),
            ..Default::default()
        })
        .await,
        [stored(3), stored(1), stored(0)]
    );
    assert_eq!(
        list(FeedbackFilter {
            comuni: vec!["027033".into()],
            ..Default::default()
        })
        .await,
        [stored(1)]
    );
    assert_eq!(
        list(FeedbackFilter {
            location: Some(id("loc-1")),
            since: Some(t0() + Duration::minutes(1)),
            ..Default::default()
        })
        .await,
        [stored(3)]
    );
    assert_eq!(
        list(FeedbackFilter {
            since: Some(all[2].at),
            ..Default::default()
        })
        .await,
        [stored(3), stored(2)],
        "since is inclusive"
    );
    assert!(list(FeedbackFilter {
        organization: Some(id("org-b")),
        comuni: vec!["027033".into()],
        ..Default::default()
    })
    .await
    .is_empty());
}

/// Every record of the store has exactly one version, its current one, written by the
/// revision that wrote the record, and every revision is logged.
async fn every_record_has_its_one_version(s: &Arc<dyn Store>, source: Source) {
    let snap = s.load().await.unwrap();
    let d = &snap.dataset;
    let e = s.edits();
    let mut records: Vec<(RecordKind, Value)> = Vec::new();
    macro_rules! of {
        ($kind:expr, $list:expr) => {
            records.extend(
                $list
                    .iter()
                    .map(|r| ($kind, serde_json::to_value(r).unwrap())),
            )
        };
    }
    of!(RecordKind::Organization, d.organizations);
    of!(RecordKind::Location, d.locations);
    of!(RecordKind::Service, d.services);
    of!(RecordKind::ServiceAtLocation, d.service_at_locations);
    of!(RecordKind::Project, d.projects);
    assert!(records.len() > 100, "the demo has records");
    for (kind, doc) in &records {
        let rid = id(doc["id"].as_str().unwrap());
        let h = e.history(*kind, &rid).await.unwrap();
        assert_eq!(h.len(), 1, "{kind} {rid}: {} versions", h.len());
        assert_eq!(&h[0].doc, doc, "{kind} {rid}: the version is the record");
        assert_eq!(h[0].origin.source, source);
    }
    assert_eq!(
        e.versions_since(0, 0).await.unwrap().len(),
        records.len(),
        "no version of anything else"
    );
}

fn demo() -> Dataset {
    let text = std::fs::read_to_string(support::repo_file("data/demo/venezia.geojson")).unwrap();
    parse_dataset(&text).unwrap()
}

async fn an_import_keeps_one_version_per_record(s: Arc<dyn Store>) {
    let done = s
        .apply(&commit(
            demo(),
            origin("cli:test", "demo", Source::Import, None),
        ))
        .await
        .unwrap();
    every_record_has_its_one_version(&s, Source::Import).await;
    let any = s.edits().versions_since(0, 1).await.unwrap();
    assert_eq!(any[0].revision, done.revision);
    assert_eq!(any[0].origin.author.as_deref(), Some("cli:test"));
}

/// A directory written before the editing tables existed gets its current rows as its
/// history when it migrates. Simulated faithfully: the records are written, then the editing
/// tables and their migration record are removed (what a database at migration 0002 holds),
/// then the store migrates again.
async fn the_migration_backfills_history(s: Arc<dyn Store>, exec: &dyn Fn(&'static str) -> Exec) {
    s.apply(&commit(
        demo(),
        origin("cli:test", "demo", Source::Demo, None),
    ))
    .await
    .unwrap();
    let revision = s.revision().await.unwrap();
    for sql in [
        "DROP TABLE record_version",
        "DROP TABLE revision_log",
        "DROP TABLE change_request",
        "DROP TABLE feedback",
        "DELETE FROM _sqlx_migrations WHERE version = 3",
    ] {
        exec(sql).await;
    }
    s.migrate().await.unwrap();
    every_record_has_its_one_version(&s, Source::Import).await;
    assert_eq!(s.revision().await.unwrap(), revision);
    let v = s.edits().versions_since(0, 1).await.unwrap();
    assert_eq!(v[0].revision, revision);
    assert_eq!(v[0].origin.author, None, "who made it is not known");
    // And the store goes on from there.
    let mut d = demo();
    d.locations[0].address.street = "Via Dopo 1".into();
    let next = s
        .apply(&commit(d.clone(), Origin::default()))
        .await
        .unwrap();
    let h = s
        .edits()
        .history(RecordKind::Location, &d.locations[0].id)
        .await
        .unwrap();
    assert_eq!(
        h.iter().map(|v| v.revision).collect::<Vec<_>>(),
        [revision, next.revision]
    );
}

type Exec = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// Runs one statement on the database at `url`, outside the store.
fn executor(url: String) -> impl Fn(&'static str) -> Exec {
    move |sql| {
        let url = url.clone();
        Box::pin(async move {
            use sqlx::Connection;
            if url.starts_with("postgres") {
                let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.unwrap();
            } else {
                let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.unwrap();
            }
        })
    }
}

macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let (_dir, s) = super::support::sqlite().await;
                    super::$case(s).await;
                }
            )*
            #[tokio::test]
            async fn the_migration_backfills_history() {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
                let s = bussola::store::open(&url).await.unwrap();
                s.migrate().await.unwrap();
                super::the_migration_backfills_history(s, &super::executor(url)).await;
            }
        }
        mod postgis {
            $(
                #[tokio::test]
                async fn $case() {
                    let s = super::support::postgres().await;
                    assert_eq!(s.backend(), bussola::store::Backend::Postgres);
                    super::$case(s).await;
                }
            )*
            #[tokio::test]
            async fn the_migration_backfills_history() {
                let url = super::support::pg_database().await;
                let s = bussola::store::open(&url).await.unwrap();
                s.migrate().await.unwrap();
                super::the_migration_backfills_history(s, &super::executor(url)).await;
            }
        }
    };
}

on_both!(
    history_keeps_every_version_with_its_origin,
    a_stale_expectation_writes_nothing,
    a_change_request_is_created_then_decided,
    change_requests_are_listed_newest_first_and_filtered,
    feedback_round_trips_and_is_filtered,
    an_import_keeps_one_version_per_record,
);
