-- Pending imports, embedded SQLite backend. Mirrors migrations/postgres/0005_imports.sql.
-- An upload checked by a dry run and kept until it is committed, discarded or expires
-- (docs/imports.md): the file as sent, so the commit reads exactly what was checked, and the
-- report the uploader saw. Timestamps are RFC 3339 text in UTC; JSON is text.
CREATE TABLE pending_import (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    author          TEXT NOT NULL,
    format          TEXT NOT NULL CHECK (format IN ('csv', 'geojson', 'hsds')),
    source          TEXT NOT NULL,
    licence         TEXT,
    body            TEXT NOT NULL,
    report          TEXT NOT NULL,
    etag            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL
);
CREATE INDEX pending_import_expires ON pending_import (expires_at);
