//! The account verbs of the command line (`bussola user …`, `bussola token …`), checked
//! against the directory: a role's comuni must be the territory's, its organisation must
//! exist. Every refusal is an [`Error::Invalid`] naming the field (the CLI exits 3).

use super::error::{Error, Result};
use super::password::{self, Passwords};
use super::secret::Secret;
use super::token;
use crate::index::Catalog;
use crate::model::{AccountStatus, Id, Role, TokenRecord, User, Username};
use crate::store::AccountStore;
use chrono::{DateTime, Duration, Utc};

/// Parses `admin`, `coordinator:<istat,…>`, `operator:<org-id>` or `viewer:<istat,…>`,
/// checking the comuni and the organisation against `catalog`.
pub fn parse_role(text: &str, catalog: &Catalog) -> Result<Role> {
    let (kind, arg) = text.split_once(':').unwrap_or((text, ""));
    let comuni = || -> Result<Vec<String>> {
        let codes: Vec<String> = arg
            .split(',')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        if codes.is_empty() {
            return Err(Error::invalid(
                "role",
                format!("{kind} needs comuni: {kind}:<ISTAT code,…> (e.g. {kind}:027042)"),
            ));
        }
        if let Some(bad) = codes.iter().find(|c| !catalog.comuni.contains_key(*c)) {
            return Err(Error::invalid(
                "role",
                format!("unknown comune {bad:?}: not one of the territory's ISTAT codes"),
            ));
        }
        let mut codes = codes;
        codes.sort();
        codes.dedup();
        Ok(codes)
    };
    match kind.trim() {
        "admin" if arg.is_empty() => Ok(Role::Admin),
        "coordinator" => Ok(Role::Coordinator { comuni: comuni()? }),
        "viewer" => Ok(Role::Viewer { comuni: comuni()? }),
        "operator" => {
            let id = Id::parse(arg.trim()).map_err(|e| Error::invalid("role", format!("operator:{arg}: {e}")))?;
            if !catalog.organizations.contains_key(&id) {
                return Err(Error::invalid("role", format!("unknown organisation {arg:?}")));
            }
            Ok(Role::Operator { organization: id })
        }
        _ => Err(Error::invalid(
            "role",
            format!(
                "unknown role {text:?}: use admin, coordinator:<istat,…>, operator:<org-id> or viewer:<istat,…>"
            ),
        )),
    }
}

/// A role as the command line writes it.
pub fn role_text(role: &Role) -> String {
    match role {
        Role::Admin => "admin".into(),
        Role::Coordinator { comuni } => format!("coordinator:{}", comuni.join(",")),
        Role::Operator { organization } => format!("operator:{organization}"),
        Role::Viewer { comuni } => format!("viewer:{}", comuni.join(",")),
    }
}

fn username(name: &str) -> Result<Username> {
    Username::parse(name).map_err(|e| Error::invalid("username", e.to_string()))
}

async fn existing(store: &dyn AccountStore, name: &str) -> Result<User> {
    let name = username(name)?;
    store
        .user(&name)
        .await?
        .ok_or_else(|| Error::invalid("username", format!("no user {name}")))
}

/// The password given, checked against the rules, or a generated one (returned to print once).
fn password_or_generated(
    name: &Username,
    given: Option<Secret<String>>,
) -> Result<(Secret<String>, bool)> {
    match given {
        Some(p) => {
            password::check_rules(name, &p)?;
            Ok((p, false))
        }
        None => Ok((password::generate()?, true)),
    }
}

/// Adds a user; returns the generated password when none was given.
pub async fn add_user(
    store: &dyn AccountStore,
    passwords: &Passwords,
    name: &str,
    display_name: Option<String>,
    roles: Vec<Role>,
    given: Option<Secret<String>>,
) -> Result<Option<Secret<String>>> {
    let name = username(name)?;
    if roles.is_empty() {
        return Err(Error::invalid("role", "give at least one --role"));
    }
    let (pw, generated) = password_or_generated(&name, given)?;
    let now = Utc::now();
    let user = User {
        display_name: display_name.unwrap_or_else(|| name.to_string()),
        username: name.clone(),
        password_hash: passwords.hash(&pw).await?,
        roles,
        status: AccountStatus::Active,
        created_at: now,
        updated_at: now,
    };
    if !store.create_user(&user).await? {
        return Err(Error::invalid("username", format!("{name} is taken")));
    }
    tracing::info!(user = %name, "user added");
    Ok(generated.then_some(pw))
}

/// Disables a user: its sessions end and its tokens are revoked at once.
pub async fn disable_user(store: &dyn AccountStore, name: &str) -> Result<()> {
    let mut user = existing(store, name).await?;
    user.status = AccountStatus::Disabled;
    user.updated_at = Utc::now();
    store.update_user(&user).await?;
    store.delete_sessions_of(&user.username).await?;
    tracing::info!(user = %user.username, "user disabled");
    Ok(())
}

/// Sets a new password (given, or generated and returned) and ends the user's sessions.
pub async fn reset_password(
    store: &dyn AccountStore,
    passwords: &Passwords,
    name: &str,
    given: Option<Secret<String>>,
) -> Result<Option<Secret<String>>> {
    let mut user = existing(store, name).await?;
    let (pw, generated) = password_or_generated(&user.username, given)?;
    user.password_hash = passwords.hash(&pw).await?;
    user.updated_at = Utc::now();
    store.update_user(&user).await?;
    store.delete_sessions_of(&user.username).await?;
    tracing::info!(user = %user.username, "password reset");
    Ok(generated.then_some(pw))
}

/// Creates a token acting as `user` with `role` (one of the user's roles); returns its id and
/// the token, to print once.
pub async fn create_token(
    store: &dyn AccountStore,
    name: &str,
    role: Role,
    token_name: &str,
    expires_days: Option<u32>,
) -> Result<(String, Secret<String>)> {
    let user = existing(store, name).await?;
    if user.status != AccountStatus::Active {
        return Err(Error::invalid(
            "username",
            format!("{} is disabled", user.username),
        ));
    }
    if !user.roles.contains(&role) {
        let held: Vec<String> = user.roles.iter().map(role_text).collect();
        return Err(Error::invalid(
            "role",
            format!(
                "{} does not hold {}; their roles: {}",
                user.username,
                role_text(&role),
                held.join(" ")
            ),
        ));
    }
    let token_name = token_name.trim();
    if token_name.is_empty() || token_name.chars().count() > 100 {
        return Err(Error::invalid(
            "name",
            "give the token a name of 1 to 100 characters",
        ));
    }
    if expires_days == Some(0) {
        return Err(Error::invalid("expires-days", "must be at least 1"));
    }
    let issued = token::issue()?;
    let now = Utc::now();
    let record = TokenRecord {
        id: issued.id.clone(),
        username: user.username.clone(),
        name: token_name.to_owned(),
        secret_hash: issued.secret_hash,
        role,
        created_at: now,
        expires_at: expires_days.map(|d| now + Duration::days(i64::from(d))),
        last_used_at: None,
        revoked_at: None,
    };
    if !store.create_token(&record).await? {
        return Err(Error::Internal("token id collision; try again".into()));
    }
    tracing::info!(user = %user.username, token = %issued.id, "token created");
    Ok((issued.id, issued.token))
}

/// Revokes a token by id.
pub async fn revoke_token(store: &dyn AccountStore, id: &str) -> Result<()> {
    if !store.revoke_token(id.trim(), Utc::now()).await? {
        return Err(Error::invalid("id", format!("no unrevoked token {id:?}")));
    }
    tracing::info!(token = %id, "token revoked");
    Ok(())
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map_or("-".into(), |t| t.format("%Y-%m-%dT%H:%MZ").to_string())
}

/// The users as lines of a table.
pub async fn list_users(store: &dyn AccountStore) -> Result<Vec<String>> {
    let mut out = vec!["USERNAME\tSTATUS\tDISPLAY NAME\tROLES".to_owned()];
    for u in store.users().await? {
        let roles: Vec<String> = u.roles.iter().map(role_text).collect();
        let status = match u.status {
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
        };
        out.push(format!(
            "{}\t{status}\t{}\t{}",
            u.username,
            u.display_name,
            roles.join(" ")
        ));
    }
    Ok(out)
}

/// The tokens (of one user, or everyone's) as lines of a table; never their secrets.
pub async fn list_tokens(store: &dyn AccountStore, user: Option<&str>) -> Result<Vec<String>> {
    let user = user.map(username).transpose()?;
    let mut out = vec!["ID\tUSER\tNAME\tROLE\tCREATED\tEXPIRES\tLAST USED\tREVOKED".to_owned()];
    for t in store.tokens(user.as_ref()).await? {
        out.push(format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            t.id,
            t.username,
            t.name,
            role_text(&t.role),
            when(Some(t.created_at)),
            when(t.expires_at),
            when(t.last_used_at),
            when(t.revoked_at)
        ));
    }
    Ok(out)
}
