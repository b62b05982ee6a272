//! The page frame and the HTML escaping every text goes through.

use super::strings::Ui;

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

/// `href` with `f=html` (replacing any `f`) and the page's `lang`.
pub fn html_link(href: &str, ui: Ui) -> String {
    with_params(href, &[("f", "html"), ("lang", ui.code())])
}

/// `href` with `params` set (replacing those keys).
pub fn with_params(href: &str, params: &[(&str, &str)]) -> String {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.extend_pairs(
        url::form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| !params.iter().any(|(p, _)| p == k)),
    );
    s.extend_pairs(params.iter().copied());
    format!("{path}?{}", s.finish())
}

/// A whole page: `base` starts every absolute link (the stylesheet's too), `crumbs` are
/// (text, href) from the landing page down; `body` is HTML.
pub fn frame(
    ui: Ui,
    base: &str,
    title: &str,
    crumbs: &[(String, String)],
    self_href: &str,
    body: &str,
) -> String {
    let mut nav = String::new();
    for (i, (text, href)) in crumbs.iter().enumerate() {
        if i > 0 {
            nav.push_str(" › ");
        }
        if i + 1 == crumbs.len() {
            nav.push_str(&format!("<span aria-current=\"page\">{}</span>", esc(text)));
        } else {
            nav.push_str(&format!("<a href=\"{}\">{}</a>", esc(href), esc(text)));
        }
    }
    let langs = Ui::all()
        .map(|l| {
            let name = l.native_name();
            if l == ui {
                format!(
                    "<strong lang=\"{0}\" dir=\"{1}\">{name}</strong>",
                    l.code(),
                    l.dir()
                )
            } else {
                format!(
                    "<a lang=\"{0}\" dir=\"{1}\" hreflang=\"{0}\" href=\"{2}\">{name}</a>",
                    l.code(),
                    l.dir(),
                    esc(&with_params(
                        self_href,
                        &[("f", "html"), ("lang", l.code())]
                    ))
                )
            }
        })
        .collect::<Vec<_>>()
        .join(" · ");
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{base}{css}\"></head>\
         <body><header><nav aria-label=\"{crumbs_label}\">{nav}</nav>\
         <p class=\"langs\"><span>{lang_label}:</span> {langs}</p></header>\
         <main><h1>{title}</h1>{body}</main></body></html>\n",
        lang = ui.code(),
        dir = ui.dir(),
        title = esc(title),
        base = esc(base),
        css = super::STYLE_PATH,
        lang_label = esc(ui.w().language),
        crumbs_label = esc(ui.w().breadcrumb),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"co\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"
        );
    }

    #[test]
    fn links_keep_their_parameters_and_gain_f_and_lang() {
        assert_eq!(
            html_link(
                "http://h/api/collections/x/items?limit=5&f=json&offset=10",
                Ui::for_tag("en")
            ),
            "http://h/api/collections/x/items?limit=5&offset=10&f=html&lang=en"
        );
    }
}
