//! The words of the HTML views, in Italian and English. The language is `lang=` or
//! Accept-Language, as for the data; a language the views do not speak gets English, and
//! Italian is the default without either.

use axum::http::HeaderMap;

/// The language of a page's own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ui {
    It,
    En,
}

/// One text of the interface.
#[derive(Clone, Copy, Debug)]
pub enum Key {
    Title,
    Intro,
    Demo,
    Collections,
    Collection,
    Items,
    Features,
    Shown,
    Of,
    Next,
    Prev,
    Id,
    Name,
    Map,
    Properties,
    Extent,
    Attribution,
    License,
    AsJson,
    AsGeoJson,
    Queryables,
    Conformance,
    ApiDefinition,
    Language,
    NoFeatures,
    NoGeometry,
}

impl Ui {
    /// From the request's `lang` parameter or Accept-Language.
    pub fn negotiate(query: &str, headers: &HeaderMap) -> Ui {
        let lang = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned());
        let tag = crate::api::lang::negotiate(lang.as_deref(), headers);
        if tag == "it" || tag.starts_with("it-") {
            Ui::It
        } else {
            Ui::En
        }
    }

    /// The BCP 47 tag.
    pub fn code(self) -> &'static str {
        match self {
            Ui::It => "it",
            Ui::En => "en",
        }
    }

    /// The text of `key`.
    pub fn t(self, key: Key) -> &'static str {
        use Key::*;
        match (self, key) {
            (Ui::It, Title) => "Bussola — servizi e sportelli per cittadini stranieri",
            (Ui::En, Title) => "Bussola — services and help desks for migrants",
            (Ui::It, Intro) => "Un servizio OGC API - Features: sportelli, servizi, progetti e comuni in GeoJSON, leggibili da QGIS, GDAL e dal browser.",
            (Ui::En, Intro) => "An OGC API - Features service: sportelli (help desks), services, projects and comuni as GeoJSON, readable by QGIS, GDAL and the browser.",
            (Ui::It, Demo) => "Dati dimostrativi: non è un elenco reale.",
            (Ui::En, Demo) => "Demo data: this is not a live directory.",
            (Ui::It, Collections) => "Collezioni",
            (Ui::En, Collections) => "Collections",
            (Ui::It, Collection) => "Collezione",
            (Ui::En, Collection) => "Collection",
            (Ui::It, Items) => "Elementi",
            (Ui::En, Items) => "Items",
            (Ui::It, Features) => "elementi",
            (Ui::En, Features) => "features",
            (Ui::It, Shown) => "mostrati",
            (Ui::En, Shown) => "shown",
            (Ui::It, Of) => "di",
            (Ui::En, Of) => "of",
            (Ui::It, Next) => "Pagina successiva",
            (Ui::En, Next) => "Next page",
            (Ui::It, Prev) => "Pagina precedente",
            (Ui::En, Prev) => "Previous page",
            (Ui::It, Id) => "Identificativo",
            (Ui::En, Id) => "Id",
            (Ui::It, Name) => "Nome",
            (Ui::En, Name) => "Name",
            (Ui::It, Map) => "Mappa",
            (Ui::En, Map) => "Map",
            (Ui::It, Properties) => "Proprietà",
            (Ui::En, Properties) => "Properties",
            (Ui::It, Extent) => "Estensione (lon/lat)",
            (Ui::En, Extent) => "Extent (lon/lat)",
            (Ui::It, Attribution) => "Attribuzione",
            (Ui::En, Attribution) => "Attribution",
            (Ui::It, License) => "Licenza",
            (Ui::En, License) => "Licence",
            (Ui::It, AsJson) => "in JSON",
            (Ui::En, AsJson) => "as JSON",
            (Ui::It, AsGeoJson) => "in GeoJSON",
            (Ui::En, AsGeoJson) => "as GeoJSON",
            (Ui::It, Queryables) => "Proprietà interrogabili",
            (Ui::En, Queryables) => "Queryable properties",
            (Ui::It, Conformance) => "Classi di conformità",
            (Ui::En, Conformance) => "Conformance classes",
            (Ui::It, ApiDefinition) => "Definizione dell'API (OpenAPI)",
            (Ui::En, ApiDefinition) => "API definition (OpenAPI)",
            (Ui::It, Language) => "Lingua",
            (Ui::En, Language) => "Language",
            (Ui::It, NoFeatures) => "Nessun elemento.",
            (Ui::En, NoFeatures) => "No features.",
            (Ui::It, NoGeometry) => "Nessuna geometria da mostrare.",
            (Ui::En, NoGeometry) => "No geometry to show.",
        }
    }
}
