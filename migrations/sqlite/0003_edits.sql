-- Editing, embedded SQLite backend. Mirrors migrations/postgres/0003_edits.sql.
-- The history of every record (one row per version, written by the commit that made it), the
-- origin of each revision, change requests waiting for review, and anonymous feedback.
-- Timestamps are RFC 3339 text in UTC, which sorts in time order; JSON is text.

-- Who made each revision, why, and through what (model::Origin).
CREATE TABLE revision_log (
    revision INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    author   TEXT,
    reason   TEXT,
    source   TEXT NOT NULL,
    reviewer TEXT
);

-- Every version of every record: a copy of the record's row as the revision wrote it.
-- `created_at` is the record's (kept so a version reads back as the whole record).
CREATE TABLE record_version (
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    version    INTEGER NOT NULL,
    revision   INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    at         TEXT NOT NULL,
    doc        TEXT NOT NULL,
    PRIMARY KEY (kind, id, version)
);
CREATE INDEX record_version_revision ON record_version (revision);

CREATE TABLE change_request (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    record_id        TEXT NOT NULL,
    organization_id  TEXT NOT NULL,
    comuni           TEXT NOT NULL,
    action           TEXT NOT NULL CHECK (action IN ('upsert', 'archive')),
    base_version     INTEGER,
    proposed         TEXT NOT NULL,
    author           TEXT NOT NULL,
    reason           TEXT,
    status           TEXT NOT NULL CHECK (status IN
                         ('pending', 'approved', 'rejected', 'withdrawn', 'published_unreviewed')),
    created_at       TEXT NOT NULL,
    decided_at       TEXT,
    decided_by       TEXT,
    decision_reason  TEXT,
    applied_revision INTEGER
);
CREATE INDEX change_request_status ON change_request (status, created_at);
CREATE INDEX change_request_organization ON change_request (organization_id, created_at);
CREATE INDEX change_request_record ON change_request (kind, record_id);

-- No personal data: which sportello, what was said, when.
CREATE TABLE feedback (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id     TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    comune_istat    TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('right', 'wrong', 'closed')),
    at              TEXT NOT NULL
);
CREATE INDEX feedback_organization ON feedback (organization_id, at);
CREATE INDEX feedback_location ON feedback (location_id, at);

-- Backfill: a directory that existed before this migration keeps each record's current row
-- as its current version, so there is something to restore from; its revisions are imports.
INSERT INTO record_version (kind, id, version, revision, created_at, at, doc)
    SELECT 'organization', id, version, revision, created_at, updated_at, doc FROM organization;
INSERT INTO record_version (kind, id, version, revision, created_at, at, doc)
    SELECT 'location', id, version, revision, created_at, updated_at, doc FROM location;
INSERT INTO record_version (kind, id, version, revision, created_at, at, doc)
    SELECT 'service', id, version, revision, created_at, updated_at, doc FROM service;
INSERT INTO record_version (kind, id, version, revision, created_at, at, doc)
    SELECT 'service_at_location', id, version, revision, created_at, updated_at, doc
    FROM service_at_location;
INSERT INTO record_version (kind, id, version, revision, created_at, at, doc)
    SELECT 'project', id, version, revision, created_at, updated_at, doc FROM project;
INSERT INTO revision_log (revision, at, source)
    SELECT revision, max(at), 'import' FROM (
        SELECT revision, at FROM record_version
        UNION ALL SELECT revision, updated_at FROM comune
    ) AS written GROUP BY revision;
