//! Who may change what, beside the visibility rules of [`super`]: the table of
//! `docs/editing.md`, and only here.
//!
//! | who | edits | publishes at once | reviews |
//! |---|---|---|---|
//! | admin | everything | yes | everything |
//! | coordinator | records held by the territory | yes | change requests in the territory |
//! | operator of O | O's records (and new ones owned by O) | only when O is trusted | no |
//! | viewer, anonymous | nothing | — | — |

use super::Viewer;
use crate::model::{Id, Role};

/// Where a record sits, as the editing rules need it: its owning organisation and the comuni
/// that hold it.
#[derive(Clone, Copy, Debug)]
pub struct EditScope<'a> {
    pub organization: Option<&'a Id>,
    pub comuni: &'a [String],
}

/// What a permitted write does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// Published at once (admins and coordinators).
    Publish,
    /// Published at once and recorded as `published_unreviewed` (a trusted organisation's
    /// operator).
    PublishUnreviewed,
    /// Kept as a pending change request until a coordinator decides.
    Propose,
}

impl Viewer {
    fn is_admin(&self) -> bool {
        self.roles().iter().any(|r| matches!(r, Role::Admin))
    }

    /// A coordinator whose territory holds a record in `comuni`.
    fn coordinates_any(&self, comuni: &[String]) -> bool {
        self.roles().iter().any(
            |r| matches!(r, Role::Coordinator { comuni: t } if comuni.iter().any(|c| t.contains(c))),
        )
    }

    fn operates(&self, organization: Option<&Id>) -> bool {
        self.roles()
            .iter()
            .any(|r| matches!(r, Role::Operator { organization: o } if Some(o) == organization))
    }

    /// True for a coordinator of any territory (who may create organisations).
    pub fn is_coordinator(&self) -> bool {
        self.roles()
            .iter()
            .any(|r| matches!(r, Role::Coordinator { .. }))
    }

    /// The organisations this viewer operates.
    pub fn operated(&self) -> Vec<&Id> {
        self.roles()
            .iter()
            .filter_map(|r| match r {
                Role::Operator { organization } => Some(organization),
                _ => None,
            })
            .collect()
    }

    /// May this viewer edit a record there, and how does the write go? `trusted` is whether
    /// the owning organisation is trusted. None: not at all.
    pub fn write(&self, at: EditScope<'_>, trusted: bool) -> Option<Write> {
        if self.is_admin() || self.coordinates_any(at.comuni) {
            Some(Write::Publish)
        } else if self.operates(at.organization) {
            Some(if trusted {
                Write::PublishUnreviewed
            } else {
                Write::Propose
            })
        } else {
            None
        }
    }

    /// May this viewer edit a record there at all?
    pub fn may_edit(&self, at: EditScope<'_>) -> bool {
        self.write(at, false).is_some()
    }

    /// May this viewer decide change requests for records in `comuni`?
    pub fn may_review(&self, comuni: &[String]) -> bool {
        self.is_admin() || self.coordinates_any(comuni)
    }

    /// May this viewer see a change request or feedback about a record of `organization`
    /// in `comuni` (its organisation's operators, the coordinators of the territory, admins)?
    pub fn follows(&self, organization: &Id, comuni: &[String]) -> bool {
        self.is_admin() || self.operates(Some(organization)) || self.coordinates_any(comuni)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Credential;
    use crate::model::Username;

    fn signed(roles: Vec<Role>) -> Viewer {
        Viewer::Signed {
            username: Username::parse("u").unwrap(),
            roles,
            via: Credential::Session,
        }
    }

    /// Every kind of viewer against the table in the module documentation, for a record of
    /// organisation A in Venezia.
    #[test]
    fn the_editing_table() {
        let org_a = Id::parse("org-a").unwrap();
        let venice = vec!["027042".to_owned()];
        let at = EditScope {
            organization: Some(&org_a),
            comuni: &venice,
        };
        let cases: [(Viewer, Option<Write>, Option<Write>, bool); 7] = [
            (Viewer::Anonymous, None, None, false),
            (
                signed(vec![Role::Admin]),
                Some(Write::Publish),
                Some(Write::Publish),
                true,
            ),
            (
                signed(vec![Role::Coordinator {
                    comuni: venice.clone(),
                }]),
                Some(Write::Publish),
                Some(Write::Publish),
                true,
            ),
            (
                signed(vec![Role::Coordinator {
                    comuni: vec!["027008".into()],
                }]),
                None,
                None,
                false,
            ),
            (
                signed(vec![Role::Operator {
                    organization: org_a.clone(),
                }]),
                Some(Write::Propose),
                Some(Write::PublishUnreviewed),
                false,
            ),
            (
                signed(vec![Role::Operator {
                    organization: Id::parse("org-b").unwrap(),
                }]),
                None,
                None,
                false,
            ),
            (
                signed(vec![Role::Viewer {
                    comuni: venice.clone(),
                }]),
                None,
                None,
                false,
            ),
        ];
        for (viewer, untrusted, trusted, reviews) in cases {
            assert_eq!(viewer.write(at, false), untrusted, "{viewer:?}");
            assert_eq!(viewer.write(at, true), trusted, "{viewer:?} (trusted)");
            assert_eq!(viewer.may_review(&venice), reviews, "{viewer:?} reviews");
        }
    }

    #[test]
    fn a_record_in_no_comune_is_edited_by_its_operators_and_admins_only() {
        let org_a = Id::parse("org-a").unwrap();
        let at = EditScope {
            organization: Some(&org_a),
            comuni: &[],
        };
        assert!(!signed(vec![Role::Coordinator {
            comuni: vec!["027042".into()]
        }])
        .may_edit(at));
        assert!(signed(vec![Role::Operator {
            organization: org_a.clone()
        }])
        .may_edit(at));
        assert!(signed(vec![Role::Admin]).may_edit(at));
    }
}
