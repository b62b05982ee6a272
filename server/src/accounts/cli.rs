//! `bussola user …` and `bussola token …`: the clap definitions (their doc comments are the
//! `--help`) and how each runs. Secrets go to standard output once and nowhere else.

use super::error::{Error, Result};
use super::manage;
use super::password::Passwords;
use super::secret::Secret;
use crate::app::Directory;
use clap::Subcommand;
use std::io::Read;
use std::time::Duration;

/// Accounts of the people who sign in.
#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user. Without --password-stdin a strong password is generated and printed once.
    Add {
        /// User name: 1 to 64 characters a-z, 0-9, '.', '_' or '-'.
        name: String,
        /// A role (repeatable): admin, coordinator:<istat,…>, operator:<org-id>, viewer:<istat,…>.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The name shown in the app (default: the user name).
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input (one line; at least 12 characters, not
        /// holding the user name).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users with their status and roles.
    List,
    /// Disable a user: their sessions end and their tokens are revoked at once.
    Disable { name: String },
    /// Set a new password (ends the user's sessions). Without --password-stdin a strong one
    /// is generated and printed once.
    ResetPassword {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

/// API tokens (`Authorization: Bearer bsl_…`).
#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token acting as <user> with one of their roles; the token is printed once.
    Create {
        user: String,
        /// The role the token acts with (one of the user's, written as for `user add`).
        #[arg(long)]
        role: String,
        /// What the token is for (shown in `token list`).
        #[arg(long)]
        name: String,
        /// Days until the token expires (default: never).
        #[arg(long)]
        expires_days: Option<u32>,
    },
    /// Revoke a token by its id (the part after `bsl_`, as `token list` shows it).
    Revoke { id: String },
    /// List tokens (of one user, or everyone's): never their secrets.
    List { user: Option<String> },
}

fn read_password() -> Result<Secret<String>> {
    let mut text = String::new();
    std::io::stdin()
        .take(super::password::MAX_BYTES as u64 + 2)
        .read_to_string(&mut text)
        .map_err(|e| Error::invalid("password", format!("cannot read standard input: {e}")))?;
    let line = text.strip_suffix('\n').unwrap_or(&text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    Ok(Secret::new(line.to_owned()))
}

fn passwords() -> Passwords {
    Passwords::new(1, Duration::from_secs(3600))
}

fn print_once(what: &str, secret: &Secret<String>) {
    eprintln!("{what} (shown only now; keep it safe):");
    println!("{}", secret.expose());
}

/// Runs a `user` command.
pub async fn user(dir: &Directory, cmd: UserCommand) -> Result<()> {
    let store = dir.store().accounts();
    let store = store.as_ref();
    match cmd {
        UserCommand::Add {
            name,
            roles,
            display_name,
            password_stdin,
        } => {
            let catalog = dir.catalog();
            let roles = roles
                .iter()
                .map(|r| manage::parse_role(r, &catalog))
                .collect::<Result<Vec<_>>>()?;
            let given = password_stdin.then(read_password).transpose()?;
            let generated =
                manage::add_user(store, &passwords(), &name, display_name, roles, given).await?;
            eprintln!("user {} added", name.trim().to_ascii_lowercase());
            if let Some(p) = generated {
                print_once("password", &p);
            }
        }
        UserCommand::List => {
            for line in manage::list_users(store).await? {
                println!("{line}");
            }
        }
        UserCommand::Disable { name } => {
            manage::disable_user(store, &name).await?;
            eprintln!("user {name} disabled; their sessions and tokens are ended");
        }
        UserCommand::ResetPassword {
            name,
            password_stdin,
        } => {
            let given = password_stdin.then(read_password).transpose()?;
            let generated = manage::reset_password(store, &passwords(), &name, given).await?;
            eprintln!("password of {name} reset; their sessions are ended");
            if let Some(p) = generated {
                print_once("password", &p);
            }
        }
    }
    Ok(())
}

/// Runs a `token` command.
pub async fn token(dir: &Directory, cmd: TokenCommand) -> Result<()> {
    let store = dir.store().accounts();
    let store = store.as_ref();
    match cmd {
        TokenCommand::Create {
            user,
            role,
            name,
            expires_days,
        } => {
            let role = manage::parse_role(&role, &dir.catalog())?;
            let (id, token) = manage::create_token(store, &user, role, &name, expires_days).await?;
            eprintln!("token {id} created");
            print_once("token", &token);
        }
        TokenCommand::Revoke { id } => {
            manage::revoke_token(store, &id).await?;
            eprintln!("token {id} revoked");
        }
        TokenCommand::List { user } => {
            for line in manage::list_tokens(store, user.as_deref()).await? {
                println!("{line}");
            }
        }
    }
    Ok(())
}
