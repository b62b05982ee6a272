-- Pending imports, PostgreSQL backend. Mirrors migrations/sqlite/0005_imports.sql.
-- An upload checked by a dry run and kept until it is committed, discarded or expires
-- (docs/imports.md): the file as sent, so the commit reads exactly what was checked, and the
-- report the uploader saw.
CREATE TABLE pending_import (
    id              text PRIMARY KEY,
    organization_id text NOT NULL,
    author          text NOT NULL,
    format          text NOT NULL CHECK (format IN ('csv', 'geojson', 'hsds')),
    source          text NOT NULL,
    licence         text,
    body            text NOT NULL,
    report          text NOT NULL,
    etag            text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX pending_import_expires ON pending_import (expires_at);
