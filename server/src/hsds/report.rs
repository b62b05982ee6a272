//! What an HSDS import read, kept and dropped, and why.

use crate::model::Dataset;
use std::collections::BTreeMap;
use std::fmt;

/// One record (or one field of a kept record) left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// `service 136 (GIRL SCOUTS…)`, `location 12 (…)`.
    pub record: String,
    /// The HSDS field at fault; empty for the whole record.
    pub field: String,
    pub reason: String,
    /// True when only the field was left out and the record kept.
    pub field_only: bool,
}

/// How many records of each kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub organizations: usize,
    pub locations: usize,
    pub services: usize,
    pub service_at_locations: usize,
}

/// The result of reading an HSDS dataset: the records to commit and the report.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub dataset: Dataset,
    /// Records read, by kind.
    pub read: Counts,
    pub dropped: Vec<Dropped>,
}

impl Outcome {
    /// Leaves a whole record out.
    pub fn drop(&mut self, record: impl Into<String>, field: &str, reason: &str) {
        self.dropped.push(Dropped {
            record: record.into(),
            field: field.to_owned(),
            reason: reason.to_owned(),
            field_only: false,
        });
    }

    /// Leaves one field of a kept record out.
    pub fn note(&mut self, record: &str, field: &str, reason: &str) {
        self.dropped.push(Dropped {
            record: record.to_owned(),
            field: field.to_owned(),
            reason: reason.to_owned(),
            field_only: true,
        });
    }

    /// Records kept, by kind.
    pub fn kept(&self) -> Counts {
        Counts {
            organizations: self.dataset.organizations.len(),
            locations: self.dataset.locations.len(),
            services: self.dataset.services.len(),
            service_at_locations: self.dataset.service_at_locations.len(),
        }
    }

    /// How many records (not fields) were dropped for each (kind, reason).
    pub fn tally(&self) -> BTreeMap<(String, String), usize> {
        let mut t = BTreeMap::new();
        for d in self.dropped.iter().filter(|d| !d.field_only) {
            let kind = d.record.split(' ').next().unwrap_or("").to_owned();
            *t.entry((kind, d.reason.clone())).or_insert(0) += 1;
        }
        t
    }

    /// The whole report as CSV: record, field, reason, what was left out.
    pub fn write_csv(&self, out: impl std::io::Write) -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["record", "field", "reason", "left_out"])?;
        for d in &self.dropped {
            w.write_record([
                d.record.as_str(),
                d.field.as_str(),
                d.reason.as_str(),
                if d.field_only { "field" } else { "record" },
            ])?;
        }
        w.flush()?;
        Ok(())
    }
}

impl fmt::Display for Outcome {
    /// The summary: read and kept per kind, then the records dropped per reason.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (r, k) = (self.read, self.kept());
        writeln!(f, "read → kept:")?;
        writeln!(
            f,
            "  organizations {} → {}",
            r.organizations, k.organizations
        )?;
        writeln!(f, "  locations {} → {}", r.locations, k.locations)?;
        writeln!(f, "  services {} → {}", r.services, k.services)?;
        writeln!(
            f,
            "  service_at_locations {} → {}",
            r.service_at_locations, k.service_at_locations
        )?;
        let tally = self.tally();
        if !tally.is_empty() {
            writeln!(f, "dropped:")?;
            for ((kind, reason), n) in tally {
                writeln!(f, "  {n} {kind}: {reason}")?;
            }
        }
        let fields = self.dropped.iter().filter(|d| d.field_only).count();
        if fields > 0 {
            writeln!(
                f,
                "{fields} field(s) left out of kept records (see the report)"
            )?;
        }
        Ok(())
    }
}
