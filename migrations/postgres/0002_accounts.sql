-- Accounts, PostgreSQL backend. Mirrors migrations/sqlite/0002_accounts.sql.
-- Outside the revision path: these rows are never exported nor in the read model, and no
-- commit announces them; replicas share them because they share the tables.

CREATE TABLE account_user (
    username      text PRIMARY KEY,
    display_name  text NOT NULL,
    password_hash text NOT NULL,
    roles         jsonb NOT NULL,
    status        text NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE account_session (
    id_hash      text PRIMARY KEY,
    username     text NOT NULL REFERENCES account_user (username),
    csrf_hash    text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX account_session_expiry ON account_session (expires_at);
CREATE INDEX account_session_user ON account_session (username);

CREATE TABLE account_token (
    id           text PRIMARY KEY,
    username     text NOT NULL REFERENCES account_user (username),
    name         text NOT NULL,
    secret_hash  text NOT NULL,
    role         jsonb NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX account_token_user ON account_token (username);
