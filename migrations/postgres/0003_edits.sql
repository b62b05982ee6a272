-- Editing, PostgreSQL backend. Mirrors migrations/sqlite/0003_edits.sql.
-- The history of every record (one row per version, written by the commit that made it), the
-- origin of each revision, change requests waiting for review, and anonymous feedback.

-- Who made each revision, why, and through what (model::Origin).
CREATE TABLE revision_log (
    revision bigint PRIMARY KEY,
    at       timestamptz NOT NULL,
    author   text,
    reason   text,
    source   text NOT NULL,
    reviewer text
);

-- Every version of every record: a copy of the record's row as the revision wrote it.
-- `created_at` is the record's (kept so a version reads back as the whole record).
CREATE TABLE record_version (
    kind       text NOT NULL,
    id         text NOT NULL,
    version    bigint NOT NULL,
    revision   bigint NOT NULL,
    created_at timestamptz NOT NULL,
    at         timestamptz NOT NULL,
    doc        jsonb NOT NULL,
    PRIMARY KEY (kind, id, version)
);
CREATE INDEX record_version_revision ON record_version (revision);

CREATE TABLE change_request (
    id               text PRIMARY KEY,
    kind             text NOT NULL,
    record_id        text NOT NULL,
    organization_id  text NOT NULL,
    comuni           jsonb NOT NULL,
    action           text NOT NULL CHECK (action IN ('upsert', 'archive')),
    base_version     bigint,
    proposed         jsonb NOT NULL,
    author           text NOT NULL,
    reason           text,
    status           text NOT NULL CHECK (status IN
                         ('pending', 'approved', 'rejected', 'withdrawn', 'published_unreviewed')),
    created_at       timestamptz NOT NULL,
    decided_at       timestamptz,
    decided_by       text,
    decision_reason  text,
    applied_revision bigint
);
CREATE INDEX change_request_status ON change_request (status, created_at);
CREATE INDEX change_request_organization ON change_request (organization_id, created_at);
CREATE INDEX change_request_record ON change_request (kind, record_id);

-- No personal data: which sportello, what was said, when.
CREATE TABLE feedback (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    location_id     text NOT NULL,
    organization_id text NOT NULL,
    comune_istat    text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('right', 'wrong', 'closed')),
    at              timestamptz NOT NULL
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
