//! The restricted reception layer over the demo data: anonymous visitors see an empty
//! collection (and a 404 for a centre's id), a viewer of Venezia the two Venice centres, the
//! managing body's operator its four, an admin all eight. Expectations are the demo file's ids,
//! written out by hand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::access::{Credential, Viewer};
use bussola::model::{Id, Role, Username};
use support::client::{get, ids};

fn signed(roles: Vec<Role>) -> Viewer {
    Viewer::Signed {
        username: Username::parse("t").unwrap(),
        roles,
        via: Credential::Session,
    }
}

#[tokio::test]
async fn the_reception_layer_follows_the_viewer() {
    let (_dir, app) = support::demo_app().await;
    let items = "/api/collections/reception/items?limit=100";
    let anon = get(&app, items).await;
    assert_eq!(anon.status, 200);
    assert!(ids(&anon.json()).is_empty(), "{:?}", ids(&anon.json()));
    assert_eq!(anon.json()["numberMatched"], 0);
    assert_eq!(
        get(&app, "/api/collections/reception/items/loc-cas-demo-mestre")
            .await
            .status,
        404
    );

    let cases = [
        (
            signed(vec![Role::Viewer {
                comuni: vec!["027042".into()],
            }]),
            vec!["loc-cas-demo-marghera", "loc-cas-demo-mestre"],
        ),
        (
            signed(vec![Role::Operator {
                organization: Id::parse("org-demo-accoglienza-nord").unwrap(),
            }]),
            vec![
                "loc-cas-demo-dolo",
                "loc-cas-demo-marghera",
                "loc-cas-demo-mestre",
                "loc-cas-demo-mira",
            ],
        ),
        (
            signed(vec![Role::Coordinator {
                comuni: vec!["027008".into()],
            }]),
            vec!["loc-cas-demo-chioggia"],
        ),
        (
            signed(vec![Role::Operator {
                organization: Id::parse("org-casa-comune").unwrap(),
            }]),
            vec![],
        ),
    ];
    for (viewer, expected) in cases {
        let app = app.clone().layer(axum::Extension(viewer.clone()));
        let r = get(&app, items).await;
        assert_eq!(r.status, 200);
        let mut got = ids(&r.json());
        got.sort();
        assert_eq!(got, expected, "{viewer:?}");
        assert_eq!(r.json()["numberMatched"], expected.len());
        if let Some(first) = expected.first() {
            let one = get(&app, &format!("/api/collections/reception/items/{first}")).await;
            assert_eq!(one.status, 200);
            let f = one.json();
            assert!(f["properties"]["capacity"].as_u64().unwrap() > 0);
            assert_eq!(f["properties"]["kind"], "cas");
            assert!(r.header("cache-control").contains("private"));
        }
        // Never among the sportelli, whoever asks.
        let sportelli = get(&app, "/api/collections/sportelli/items?limit=1000").await;
        assert!(ids(&sportelli.json())
            .iter()
            .all(|i| !i.contains("cas-demo")));
    }
    let admin = app
        .clone()
        .layer(axum::Extension(signed(vec![Role::Admin])));
    let all = get(&admin, items).await.json();
    assert_eq!(ids(&all).len(), 8);
}
