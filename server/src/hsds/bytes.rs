//! HSDS datasets held in memory, as an upload brings them: a zipped datapackage or an HSDS
//! JSON document, read without touching the filesystem (no temporary file, no entry path
//! ever used as one) and within bounds, so a zip bomb smaller than the upload limit is
//! refused with the bound it broke instead of filling the memory.

use super::report::Outcome;
use super::{from, tabular, Error, Options};
use crate::index::Catalog;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// How much a zip may hold.
#[derive(Clone, Copy, Debug)]
pub struct ZipLimits {
    /// Entries in its central directory (files and folders alike).
    pub max_entries: usize,
    /// Bytes its CSV tables hold once decompressed, all together (counted as they are
    /// read, whatever sizes the zip claims).
    pub max_unzipped_bytes: u64,
}

/// True when `bytes` start as a zip archive does.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Reads an HSDS dataset from memory — a zipped datapackage (see [`is_zip`]) or an HSDS
/// JSON document as [`super::document`] writes — into Bussola records for the directory
/// `catalog` holds. `name` names the upload in messages.
pub fn load_bytes(
    bytes: &[u8],
    name: &str,
    catalog: &Catalog,
    opts: &Options,
    limits: ZipLimits,
) -> Result<Outcome, Error> {
    let doc = if is_zip(bytes) {
        tabular::nest(&zip_tables(bytes, name, limits)?)?
    } else {
        let text = crate::import::decode(bytes).map_err(|r| Error::Json {
            path: name.to_owned(),
            why: r.to_string(),
        })?;
        let doc: serde_json::Value = serde_json::from_str(crate::import::text::strip_bom(text))
            .map_err(|e| Error::Json {
                path: name.to_owned(),
                why: e.to_string(),
            })?;
        if !doc.is_object() {
            return Err(Error::Json {
                path: name.to_owned(),
                why: "an HSDS document is a JSON object (with organizations, services, \
                      locations)"
                    .to_owned(),
            });
        }
        doc
    };
    Ok(from::read(&doc, catalog, opts))
}

/// The CSV tables of a zipped datapackage by name (`services`), wherever they sit in it.
fn zip_tables(
    bytes: &[u8],
    name: &str,
    limits: ZipLimits,
) -> Result<HashMap<String, String>, Error> {
    let io = |why: String| {
        Error::Tabular(tabular::Error::Io {
            path: name.to_owned(),
            why,
        })
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| io(e.to_string()))?;
    if zip.len() > limits.max_entries {
        return Err(Error::TooLarge(format!(
            "{name} has {} entries; at most {} are read",
            zip.len(),
            limits.max_entries
        )));
    }
    let mut out = HashMap::new();
    let mut left = limits.max_unzipped_bytes;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| io(e.to_string()))?;
        let entry_name = entry.name().map_err(|e| io(e.to_string()))?.into_owned();
        let Some(stem) = entry_name
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".csv"))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
        else {
            continue;
        };
        let mut buf = Vec::new();
        (&mut entry)
            .take(left.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| io(format!("{entry_name}: {e}")))?;
        let read = buf.len() as u64;
        if read > left {
            return Err(Error::TooLarge(format!(
                "the CSV tables of {name} hold more than {} bytes uncompressed \
                 (BUSSOLA_IMPORT_MAX_UNZIPPED_BYTES)",
                limits.max_unzipped_bytes
            )));
        }
        left -= read;
        let text = crate::import::decode(&buf)
            .map(str::to_owned)
            .map_err(|r| io(format!("{entry_name}: {r}")))?;
        out.insert(stem, text);
    }
    if !out.contains_key("services") && !out.contains_key("organizations") {
        return Err(Error::Tabular(tabular::Error::Empty(name.to_owned())));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in files {
            w.start_file(*name, opts).expect("entry");
            w.write_all(body).expect("write");
        }
        w.finish().expect("finish").into_inner()
    }

    const LIMITS: ZipLimits = ZipLimits {
        max_entries: 8,
        max_unzipped_bytes: 10_000,
    };

    #[test]
    fn tables_are_read_wherever_they_sit_in_the_zip() {
        let z = zip_of(&[
            ("pkg/datapackage.json", b"{}"),
            ("pkg/data/organizations.csv", b"id,name\no1,Uno\n"),
            ("../../etc/services.csv", b"id,name\ns1,Servizio\n"),
        ]);
        assert!(is_zip(&z));
        let t = zip_tables(&z, "up.zip", LIMITS).expect("read");
        let mut names: Vec<&str> = t.keys().map(String::as_str).collect();
        names.sort();
        assert_eq!(names, ["organizations", "services"]);
        assert!(t["services"].contains("Servizio"));
    }

    #[test]
    fn a_bomb_stops_at_the_bound_it_breaks() {
        let zeros = vec![b'0'; 50_000];
        let z = zip_of(&[("organizations.csv", &zeros)]);
        assert!(z.len() < 1_000, "{} bytes compressed", z.len());
        match zip_tables(&z, "bomb.zip", LIMITS) {
            Err(Error::TooLarge(why)) => assert!(why.contains("10000"), "{why}"),
            other => panic!("{other:?}"),
        }
        let many: Vec<(String, Vec<u8>)> = (0..9).map(|i| (format!("t{i}.txt"), vec![])).collect();
        let files: Vec<(&str, &[u8])> = many
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        match zip_tables(&zip_of(&files), "many.zip", LIMITS) {
            Err(Error::TooLarge(why)) => assert!(why.contains("at most 8"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_zip_without_tables_says_so() {
        let z = zip_of(&[("readme.txt", b"hello")]);
        let e = zip_tables(&z, "x.zip", LIMITS).expect_err("no tables");
        assert!(e.to_string().contains("holds no HSDS tables"), "{e}");
    }
}
