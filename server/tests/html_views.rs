//! The HTML views (OGC API - Features, HTML conformance class) through the real router: chosen
//! by `f=html` or a browser's Accept header, in the eight UI languages (Arabic and Urdu right to
//! left), a table and an SVG map of
//! exactly the features the GeoJSON answer holds, no third-party asset or inline script/style
//! under the strict CSP, and text from the data escaped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

/// The views' own strings table, compiled here too so the pages are compared with it.
#[path = "../src/api/html/words.rs"]
#[allow(dead_code)]
mod words;

use bussola::store::ChangeSet;
use support::client::{get, get_with, Reply};

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

fn html(r: &Reply) -> String {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        r.header("content-type").starts_with("text/html"),
        "content-type {}",
        r.header("content-type")
    );
    String::from_utf8(r.body.clone()).unwrap()
}

/// The one stylesheet is the server's own, at its public URL; no `src=`, no inline script or style.
fn assert_self_contained(page: &str) {
    assert!(!page.contains("<script"), "no script at all");
    assert!(!page.contains(" style="), "no inline style attribute");
    assert!(!page.contains("<style"), "no inline stylesheet");
    let css = page
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a stylesheet");
    // The tests' configured public URL starts every absolute link, this one too; a single
    // feature's JSON has no self link to read it from, so its page links from the root.
    assert!(
        [
            "http://bussola.test/api/html/style.css",
            "/api/html/style.css"
        ]
        .contains(&css),
        "the server's own stylesheet, from its own origin: {css}"
    );
    assert!(
        !page.contains(" src=\""),
        "no external resource (img, iframe, script) at all"
    );
}

#[tokio::test]
async fn items_as_html_have_a_row_and_a_map_mark_per_feature_of_the_geojson() {
    let (_dir, app) = support::demo_app().await;
    let json = get(
        &app,
        "/api/collections/sportelli/items?limit=25&category=legal-aid",
    )
    .await;
    let v = json.json();
    let ids = support::client::ids(&v);
    assert!(!ids.is_empty());
    let r = get(
        &app,
        "/api/collections/sportelli/items?limit=25&category=legal-aid&f=html&lang=en",
    )
    .await;
    let csp = r.header("content-security-policy").to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let page = html(&r);
    assert_self_contained(&page);
    assert!(page.starts_with("<!doctype html>\n<html lang=\"en\" dir=\"ltr\">"));
    assert_eq!(page.matches("<tbody>").count(), 1);
    let rows = page
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    assert_eq!(
        rows.matches("<tr>").count(),
        ids.len(),
        "one row per feature"
    );
    for id in &ids {
        assert!(
            rows.contains(&format!(
                "/api/collections/sportelli/items/{id}?f=html&amp;lang=en\">{id}</a>"
            )),
            "row of {id}"
        );
    }
    assert_eq!(
        page.matches("<circle class=\"point\"").count(),
        ids.len(),
        "one map mark per feature"
    );
    assert!(page.contains("Items — sportelli"));
}

#[tokio::test]
async fn a_browser_gets_html_an_api_client_json_and_f_wins() {
    let (_dir, app) = support::demo_app().await;
    for path in [
        "/api",
        "/api/collections",
        "/api/collections/comuni",
        "/api/collections/comuni/items",
        "/api/collections/comuni/items/027042",
    ] {
        let page = html(&get_with(&app, path, &[("accept", BROWSER)]).await);
        assert_self_contained(&page);
        let json = get_with(&app, path, &[("accept", "application/json")]).await;
        assert_eq!(json.status, 200, "{path}");
        assert!(
            !json.header("content-type").starts_with("text/html"),
            "{path}"
        );
        let forced = get_with(&app, &format!("{path}?f=json"), &[("accept", BROWSER)]).await;
        assert!(
            !forced.header("content-type").starts_with("text/html"),
            "{path}?f=json"
        );
    }
    let css = get(&app, "/api/html/style.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
}

/// Text as the pages write it (the views escape every text, their own included).
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn every_ui_language_has_its_lang_dir_and_words_on_every_page() {
    let (_dir, app) = support::demo_app().await;
    let matched = get(&app, "/api/collections/sportelli/items?limit=5")
        .await
        .json()["numberMatched"]
        .as_u64()
        .unwrap();
    assert!(matched > 5, "the demo data pages its sportelli");
    for (code, native, dir, w) in words::LANGUAGES {
        let root = format!("<html lang=\"{code}\" dir=\"{dir}\">");
        let landing = html(&get(&app, &format!("/api?f=html&lang={code}")).await);
        let collections = html(&get(&app, &format!("/api/collections?f=html&lang={code}")).await);
        let items = html(
            &get(
                &app,
                &format!("/api/collections/sportelli/items?limit=5&f=html&lang={code}"),
            )
            .await,
        );
        for (page, name) in [
            (&landing, "landing"),
            (&collections, "collections"),
            (&items, "items"),
        ] {
            assert!(page.contains(&root), "{code} {name}: {root}");
            assert!(
                page.contains(&format!(
                    "<strong lang=\"{code}\" dir=\"{dir}\">{native}</strong>"
                )),
                "{code} {name}: the language switcher marks {native}"
            );
            assert!(
                page.contains(&format!("<span>{}:</span>", esc(w.language))),
                "{code} {name}"
            );
            assert!(
                page.contains(&format!("<nav aria-label=\"{}\">", esc(w.breadcrumb))),
                "{code} {name}: the breadcrumb's name"
            );
            assert_self_contained(page);
        }
        for text in [w.title, w.intro, w.demo, w.conformance, w.api_definition] {
            assert!(landing.contains(&esc(text)), "{code} landing: {text}");
        }
        assert!(
            collections.contains(&format!("<h1>{}</h1>", esc(w.collections))),
            "{code}"
        );
        for text in [
            w.collection,
            w.id,
            w.items,
            w.as_geojson,
            w.sportelli,
            w.services,
            w.projects,
            w.comuni,
        ] {
            assert!(
                collections.contains(&format!(">{}<", esc(text))),
                "{code} collections: {text}"
            );
        }
        for text in [w.id, w.name, w.next, w.legend, w.as_geojson, w.sportelli] {
            assert!(
                items.contains(&format!(">{}<", esc(text))),
                "{code} items: {text}"
            );
        }
        assert!(
            items.contains(&format!("<h1>{} — sportelli</h1>", esc(w.items))),
            "{code} items title"
        );
        let count = w.shown_of.split('{').next().unwrap();
        assert!(
            items.contains(&format!("<p class=\"count\">{}", esc(count))),
            "{code} items count: {count}"
        );
    }
}

/// A few words checked by hand, not only against the table: the table could be wrong too.
#[tokio::test]
async fn arabic_and_urdu_are_right_to_left_and_the_words_are_their_own() {
    let (_dir, app) = support::demo_app().await;
    let page = |lang: &'static str| {
        let app = app.clone();
        async move { html(&get(&app, &format!("/api/collections?f=html&lang={lang}")).await) }
    };
    let ar = page("ar").await;
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(ar.contains("<h1>المجموعات</h1>") && ar.contains(">المكاتب<"));
    let ur = page("ur").await;
    assert!(ur.contains("<html lang=\"ur\" dir=\"rtl\">") && ur.contains("<h1>مجموعے</h1>"));
    let uk = page("uk").await;
    assert!(uk.contains("<html lang=\"uk\" dir=\"ltr\">") && uk.contains(">Приймальні<"));
    assert!(page("fr").await.contains(">Guichets<"));
    assert!(page("bn").await.contains("<html lang=\"bn\" dir=\"ltr\">"));
    assert!(page("zh").await.contains(">服务窗口<"));
    // The stylesheet mirrors: logical properties only.
    let css = String::from_utf8(get(&app, "/api/html/style.css").await.body).unwrap();
    assert!(!css.contains("left") && !css.contains("right"), "{css}");
    assert!(css.contains("text-align: start") && css.contains("margin-inline-end"));
}

/// Counts and coordinates are written as each language writes numbers (CLDR): Bengali digits
/// and grouping, Italian decimal commas.
#[tokio::test]
async fn numbers_are_written_in_the_pages_language() {
    let (_dir, app) = support::demo_app().await;
    let matched = get(&app, "/api/collections/sportelli/items?limit=5")
        .await
        .json()["numberMatched"]
        .as_u64()
        .unwrap();
    let bengali = |n: String| -> String {
        n.chars()
            .map(|c| char::from_u32('০' as u32 + c.to_digit(10).unwrap()).unwrap())
            .collect()
    };
    let bn = html(
        &get(
            &app,
            "/api/collections/sportelli/items?limit=5&f=html&lang=bn",
        )
        .await,
    );
    let want = format!("দেখানো উপাদান: {}টির মধ্যে ৫টি", bengali(matched.to_string()));
    assert!(bn.contains(&want), "{want}");
    let en = html(
        &get(
            &app,
            "/api/collections/sportelli/items?limit=5&f=html&lang=en",
        )
        .await,
    );
    assert!(en.contains(&format!("Features shown: 5 of {matched}")));
    let bbox =
        get(&app, "/api/collections/comuni").await.json()["extent"]["spatial"]["bbox"][0].clone();
    let west = format!("{:.5}", bbox[0].as_f64().unwrap());
    let it = html(&get(&app, "/api/collections/comuni?f=html&lang=it").await);
    assert!(it.contains(&west.replace('.', ",")), "Italian {west}");
    let zh = html(&get(&app, "/api/collections/comuni?f=html&lang=zh").await);
    assert!(zh.contains(&west), "Chinese {west}");
}

#[tokio::test]
async fn languages_are_negotiated_and_fall_back_as_the_json_api_does() {
    let (_dir, app) = support::demo_app().await;
    let it = html(&get(&app, "/api/collections?f=html&lang=it").await);
    assert!(it.contains("<html lang=\"it\" dir=\"ltr\">") && it.contains("<h1>Collezioni</h1>"));
    let by_header = |value: &'static str| {
        let app = app.clone();
        async move {
            html(
                &get_with(
                    &app,
                    "/api/collections?f=html",
                    &[("accept-language", value)],
                )
                .await,
            )
        }
    };
    assert!(by_header("en-GB,en;q=0.9")
        .await
        .contains("<h1>Collections</h1>"));
    assert!(by_header("ur-PK, en;q=0.5")
        .await
        .contains("<html lang=\"ur\" dir=\"rtl\">"));
    assert!(by_header("de;q=0.4, ar;q=0.9")
        .await
        .contains("<h1>المجموعات</h1>"));
    // A region falls back to its language, as the data does (fr-CA → fr).
    let fr = html(&get(&app, "/api/collections?f=html&lang=fr-CA").await);
    assert!(fr.contains("<html lang=\"fr\" dir=\"ltr\">"));
    // A language the server does not have: the data comes in Italian (the fallback chain),
    // and so do the page's words.
    let name = |lang: &'static str| {
        let app = app.clone();
        async move {
            get(
                &app,
                &format!("/api/collections/sportelli/items?limit=1&lang={lang}"),
            )
            .await
            .json()["features"][0]["properties"]["name"]
                .clone()
        }
    };
    assert_eq!(
        name("de").await,
        name("it").await,
        "the JSON falls back to Italian"
    );
    for page in [
        html(&get(&app, "/api/collections?f=html&lang=de").await),
        by_header("de-DE").await,
    ] {
        assert!(page.contains("<html lang=\"it\" dir=\"ltr\">"));
        assert!(page.contains("<h1>Collezioni</h1>"));
    }
    // The comuni's licence and attribution are on their collection page.
    let comuni = html(&get(&app, "/api/collections/comuni?f=html&lang=ar").await);
    assert!(comuni.contains("Confini amministrativi ISTAT, elaborazione Openpolis"));
    assert!(comuni.contains("CC-BY-4.0 AND CC0-1.0") && comuni.contains(">الترخيص<"));
}

#[tokio::test]
async fn bad_parameters_stay_problems_naming_the_parameter() {
    let (_dir, app) = support::demo_app().await;
    let r = get(&app, "/api/collections/sportelli/items?f=html&limit=0").await;
    assert_eq!(r.status, 400);
    assert!(r
        .header("content-type")
        .starts_with("application/problem+json"));
    assert_eq!(r.json()["parameter"], "limit");
    let r = get(&app, "/api/collections/sportelli/items?f=xml").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["parameter"], "f");
    let r = get(&app, "/api/collections/nope/items?f=html").await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn text_from_the_data_is_escaped_never_markup() {
    let dir = tempfile::tempdir().unwrap();
    let config = support::test_config(dir.path());
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    let mut demo = support::oracle::demo();
    let evil = "<script>alert(\"x\")</script> & <b>Co</b>";
    let id = demo["features"][0]["id"].as_str().unwrap().to_owned();
    demo["features"][0]["properties"]["name"]["it"] = evil.into();
    demo["features"][0]["properties"]["name"]["en"] = evil.into();
    let dataset = bussola::import::parse_dataset(&demo.to_string()).unwrap();
    directory
        .apply(&ChangeSet {
            dataset,
            comuni: Vec::new(),
            replace_services_of_locations: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let app = bussola::api::router(directory, &config);
    let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;";
    for uri in [
        format!("/api/collections/sportelli/items/{id}?f=html"),
        "/api/collections/sportelli/items?f=html&limit=1000".to_owned(),
    ] {
        let page = html(&get(&app, &uri).await);
        assert!(
            page.contains(escaped),
            "{uri}: the name must appear escaped"
        );
        assert!(
            !page.contains("<script"),
            "{uri}: markup from the data reached the page"
        );
        assert!(!page.contains("<b>Co"), "{uri}");
    }
}

/// The OpenAPI document offers `f=html` exactly where it works, with a text/html answer.
#[tokio::test]
async fn the_openapi_document_lists_html_where_it_works() {
    let (_dir, app) = support::demo_app().await;
    let doc = get(&app, "/api/openapi.json").await.json();
    let f_values = |path: &str| -> Vec<String> {
        let op = &doc["paths"][path]["get"];
        let f = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "f")
            .unwrap_or_else(|| panic!("{path} has no f"));
        // Query schemas admit "" (an empty value means absent): the declared one is anyOf[0].
        let schema = &f["schema"]["anyOf"][0];
        assert_eq!(f["schema"]["anyOf"][1]["maxLength"], 0, "{path}");
        let schema = match schema["$ref"].as_str() {
            Some(r) => doc.pointer(&r.replace("#/", "/")).unwrap().clone(),
            None => schema.clone(),
        };
        let schema = schema["oneOf"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|s| s["$ref"].is_string() || s["enum"].is_array())
            })
            .cloned()
            .unwrap_or(schema);
        let schema = match schema["$ref"].as_str() {
            Some(r) => doc.pointer(&r.replace("#/", "/")).unwrap().clone(),
            None => schema,
        };
        assert!(
            op["responses"]["200"]["content"]["text/html; charset=utf-8"].is_object()
                || !schema["enum"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|v| v == "html"),
            "{path} offers html without a text/html answer"
        );
        schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    for path in [
        "/api",
        "/api/collections",
        "/api/collections/{collectionId}",
        "/api/collections/{collectionId}/items",
        "/api/collections/{collectionId}/items/{featureId}",
    ] {
        assert!(f_values(path).iter().any(|f| f == "html"), "{path}");
    }
    for path in [
        "/api/conformance",
        "/api/collections/{collectionId}/queryables",
    ] {
        assert!(!f_values(path).iter().any(|f| f == "html"), "{path}");
    }
}

#[tokio::test]
async fn dates_are_written_in_the_pages_language() {
    let (_dir, app) = support::demo_app().await;
    let path = "/api/collections/sportelli/items/loc-questura-venezia-immigrazione";
    let verified = get(&app, path).await.json()["properties"]["last_verified_at"].clone();
    assert_eq!(verified, "2026-10-15T00:00:00Z", "the demo data's date");
    // What Node 20 (ICU 78.2, CLDR 48) prints for that instant with
    // `Intl.DateTimeFormat(lang, {dateStyle: "long", timeStyle: "short", hourCycle: "h23",
    // timeZone: "Europe/Rome"})`.
    for (lang, want) in [
        ("it", "15 ottobre 2026 alle ore 02:00"),
        ("en", "October 15, 2026 at 02:00"),
        ("fr", "15 octobre 2026 à 02:00"),
        ("ar", "15 أكتوبر 2026 في 02:00"),
        ("ur", "15 اکتوبر، 2026 کو 02:00"),
        ("bn", "১৫ অক্টোবর, ২০২৬ এ ০২:০০"),
        ("uk", "15 жовтня 2026 р. о 02:00"),
        ("zh", "2026年10月15日 02:00"),
    ] {
        let page = html(&get(&app, &format!("{path}?f=html&lang={lang}")).await);
        assert!(page.contains(want), "{lang}: {want}");
        assert!(
            !page.contains(">2026-10-15T00:00:00Z<"),
            "{lang}: no ISO date shown"
        );
    }
    let table = html(
        &get(
            &app,
            "/api/collections/sportelli/items?limit=5&f=html&lang=uk",
        )
        .await,
    );
    assert!(
        table.contains("15 жовтня 2026 р. о 02:00"),
        "the items table too"
    );
}
