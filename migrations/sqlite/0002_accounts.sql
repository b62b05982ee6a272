-- Accounts, embedded SQLite backend. Mirrors migrations/postgres/0002_accounts.sql.
-- Outside the revision path: these rows are never exported nor in the read model. Timestamps
-- are RFC 3339 text in UTC (what sqlx writes for chrono::DateTime<Utc>), which sorts in time
-- order; roles are the JSON model::Role serialises to.

CREATE TABLE account_user (
    username      TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    roles         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE account_session (
    id_hash      TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES account_user (username),
    csrf_hash    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX account_session_expiry ON account_session (expires_at);
CREATE INDEX account_session_user ON account_session (username);

CREATE TABLE account_token (
    id           TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES account_user (username),
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    role         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX account_token_user ON account_token (username);
