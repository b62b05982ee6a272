//! Who is asking, and what they may see.
//!
//! Every read takes a [`Viewer`]: anonymous, or a signed-in user (session cookie) or an API
//! token with roles. The rules of record visibility live here and only here:
//!
//! | record | who sees it |
//! |---|---|
//! | archived | nobody (kept for history) |
//! | draft | admin; operators of its organisation; coordinators whose territory holds it |
//! | published, `public` | everyone |
//! | published, `restricted` | admin; operators of its organisation; coordinators and viewers whose territory holds it |
//! | published, `internal` | admin; operators of its organisation; coordinators whose territory holds it |
//!
//! A territory is a set of comuni (ISTAT codes); a record is *held* by a territory when one
//! of the comuni it is in (a sportello's comune; for a service or an organisation, the comuni
//! of its sportelli) is in it.

mod edit;

pub use edit::{EditScope, Write};

use crate::model::{Id, Meta, Role, Status, Username, Visibility};
use sha2::{Digest, Sha256};

/// How a signed-in viewer proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Credential {
    Session,
    /// An API token, which acts with one role.
    Token,
}

/// Who is asking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Viewer {
    /// Nobody signed in: published, public records only.
    #[default]
    Anonymous,
    /// A user with their roles (a token: the one role it was created with).
    Signed {
        username: Username,
        roles: Vec<Role>,
        via: Credential,
    },
}

/// Where a record sits, as the visibility rules need it.
#[derive(Clone, Copy, Debug)]
pub struct RecordScope<'a> {
    pub status: Status,
    pub visibility: Visibility,
    /// The owning organisation (none for a comune).
    pub organization: Option<&'a Id>,
    /// The comuni the record is in (ISTAT codes).
    pub comuni: &'a [String],
}

impl<'a> RecordScope<'a> {
    /// The scope of a record with `meta`, owned by `organization`, in `comuni`.
    pub fn of(meta: &Meta, organization: Option<&'a Id>, comuni: &'a [String]) -> Self {
        RecordScope {
            status: meta.status,
            visibility: meta.visibility,
            organization,
            comuni,
        }
    }
}

impl Viewer {
    /// True for the anonymous public.
    pub fn is_anonymous(&self) -> bool {
        matches!(self, Viewer::Anonymous)
    }

    /// The viewer's roles (none when anonymous).
    pub fn roles(&self) -> &[Role] {
        match self {
            Viewer::Anonymous => &[],
            Viewer::Signed { roles, .. } => roles,
        }
    }

    /// The signed-in user's name.
    pub fn username(&self) -> Option<&Username> {
        match self {
            Viewer::Anonymous => None,
            Viewer::Signed { username, .. } => Some(username),
        }
    }

    fn any_role(&self, f: impl FnMut(&Role) -> bool) -> bool {
        self.roles().iter().any(f)
    }

    /// Admin, or operator of `organization`.
    fn owns(&self, organization: Option<&Id>) -> bool {
        self.any_role(|r| match r {
            Role::Admin => true,
            Role::Operator { organization: o } => Some(o) == organization,
            _ => false,
        })
    }

    fn coordinates(&self, comuni: &[String]) -> bool {
        self.any_role(|r| matches!(r, Role::Coordinator { comuni: t } if overlaps(t, comuni)))
    }

    fn views(&self, comuni: &[String]) -> bool {
        self.any_role(|r| matches!(r, Role::Viewer { comuni: t } if overlaps(t, comuni)))
    }

    /// May this viewer see a record there? (The table in the module's documentation.)
    pub fn can_see(&self, r: RecordScope<'_>) -> bool {
        if r.status == Status::Archived {
            return false;
        }
        if r.status == Status::Published && r.visibility == Visibility::Public {
            return true;
        }
        if self.owns(r.organization) || self.coordinates(r.comuni) {
            return true;
        }
        r.status == Status::Published
            && r.visibility == Visibility::Restricted
            && self.views(r.comuni)
    }

    /// May this viewer see a record's internal fields (internal contacts, notes)? Its
    /// organisation, the coordinators of its territory and admins.
    pub fn sees_internal_fields(&self, r: RecordScope<'_>) -> bool {
        self.owns(r.organization) || self.coordinates(r.comuni)
    }

    /// Could this viewer see anything an anonymous visitor cannot? When false, every answer
    /// is the public one and may be cached as such.
    pub fn sees_beyond_public(&self) -> bool {
        !self.roles().is_empty()
    }

    /// A short key naming what this viewer can see: `public` for anyone who sees only the
    /// public records, otherwise a hash of the roles (viewers with the same roles see the
    /// same records, so they share cached answers). Part of every cache key and ETag.
    pub fn scope_key(&self) -> String {
        if !self.sees_beyond_public() {
            return "public".to_owned();
        }
        let mut roles: Vec<String> = self
            .roles()
            .iter()
            .map(|r| serde_json::to_string(&canonical(r)).unwrap_or_default())
            .collect();
        roles.sort();
        roles.dedup();
        let digest = Sha256::digest(roles.join("\n").as_bytes());
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("r{hex}")
    }
}

/// A role with its territory sorted, so equal grants hash equally.
fn canonical(r: &Role) -> Role {
    let sorted = |c: &[String]| {
        let mut c = c.to_vec();
        c.sort();
        c.dedup();
        c
    };
    match r {
        Role::Coordinator { comuni } => Role::Coordinator {
            comuni: sorted(comuni),
        },
        Role::Viewer { comuni } => Role::Viewer {
            comuni: sorted(comuni),
        },
        other => other.clone(),
    }
}

fn overlaps(territory: &[String], comuni: &[String]) -> bool {
    comuni.iter().any(|c| territory.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Id {
        Id::parse(s).unwrap()
    }
    fn signed(roles: Vec<Role>) -> Viewer {
        Viewer::Signed {
            username: Username::parse("u").unwrap(),
            roles,
            via: Credential::Session,
        }
    }
    fn venice() -> Vec<String> {
        vec!["027042".to_owned()]
    }

    /// Every viewer kind × every record kind against the table in the module docs.
    #[test]
    fn the_visibility_table() {
        let org_a = id("org-a");
        let in_venice = venice();
        let in_chioggia = vec!["027008".to_owned()];
        let anon = Viewer::Anonymous;
        let admin = signed(vec![Role::Admin]);
        let op_a = signed(vec![Role::Operator {
            organization: org_a.clone(),
        }]);
        let op_b = signed(vec![Role::Operator {
            organization: id("org-b"),
        }]);
        let coord_in = signed(vec![Role::Coordinator { comuni: venice() }]);
        let coord_out = signed(vec![Role::Coordinator {
            comuni: in_chioggia.clone(),
        }]);
        let viewer_in = signed(vec![Role::Viewer { comuni: venice() }]);
        let viewer_out = signed(vec![Role::Viewer {
            comuni: in_chioggia.clone(),
        }]);
        let viewers = [
            &anon,
            &admin,
            &op_a,
            &op_b,
            &coord_in,
            &coord_out,
            &viewer_in,
            &viewer_out,
        ];
        // (status, visibility) → who sees a record of org A in Venice, in `viewers` order.
        let table: [(Status, Visibility, [bool; 8]); 7] = [
            (Status::Published, Visibility::Public, [true; 8]),
            (
                Status::Published,
                Visibility::Restricted,
                [false, true, true, false, true, false, true, false],
            ),
            (
                Status::Published,
                Visibility::Internal,
                [false, true, true, false, true, false, false, false],
            ),
            (
                Status::Draft,
                Visibility::Public,
                [false, true, true, false, true, false, false, false],
            ),
            (
                Status::Draft,
                Visibility::Restricted,
                [false, true, true, false, true, false, false, false],
            ),
            (Status::Archived, Visibility::Public, [false; 8]),
            (Status::Archived, Visibility::Internal, [false; 8]),
        ];
        for (status, visibility, expected) in table {
            let scope = RecordScope {
                status,
                visibility,
                organization: Some(&org_a),
                comuni: &in_venice,
            };
            let got: Vec<bool> = viewers.iter().map(|v| v.can_see(scope)).collect();
            assert_eq!(got, expected, "{status:?} {visibility:?}");
        }
    }

    #[test]
    fn a_record_in_no_comune_is_seen_by_no_territorial_role() {
        let scope = RecordScope {
            status: Status::Published,
            visibility: Visibility::Restricted,
            organization: None,
            comuni: &[],
        };
        assert!(!signed(vec![Role::Viewer { comuni: venice() }]).can_see(scope));
        assert!(signed(vec![Role::Admin]).can_see(scope));
    }

    #[test]
    fn scope_keys_group_viewers_by_what_they_see() {
        assert_eq!(Viewer::Anonymous.scope_key(), "public");
        assert_eq!(signed(vec![]).scope_key(), "public");
        let a = signed(vec![Role::Viewer {
            comuni: vec!["027042".into(), "027008".into()],
        }]);
        let b = signed(vec![Role::Viewer {
            comuni: vec!["027008".into(), "027042".into()],
        }]);
        assert_eq!(a.scope_key(), b.scope_key());
        assert_ne!(a.scope_key(), signed(vec![Role::Admin]).scope_key());
        assert_ne!(a.scope_key(), "public");
    }
}
