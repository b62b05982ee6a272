-- Bussola schema, embedded SQLite backend. Mirrors migrations/postgres/0001_init.sql:
-- plain columns for what is queried, the record itself as a JSON document.

CREATE TABLE revision_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO revision_counter (id, value) VALUES (1, 0);

CREATE TABLE dataset_metadata (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    doc      TEXT NOT NULL,
    revision INTEGER NOT NULL
);

CREATE TABLE organization (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL,
    visibility TEXT NOT NULL,
    version    INTEGER NOT NULL,
    revision   INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX organization_revision ON organization (revision);

CREATE TABLE location (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL,
    name             TEXT NOT NULL,
    comune_istat     TEXT NOT NULL,
    lon              REAL NOT NULL,
    lat              REAL NOT NULL,
    status           TEXT NOT NULL,
    visibility       TEXT NOT NULL,
    version          INTEGER NOT NULL,
    revision         INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    last_verified_at TEXT,
    doc              TEXT NOT NULL
);
CREATE INDEX location_revision ON location (revision);
CREATE INDEX location_comune ON location (comune_istat);

CREATE TABLE service (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL,
    name             TEXT NOT NULL,
    status           TEXT NOT NULL,
    visibility       TEXT NOT NULL,
    version          INTEGER NOT NULL,
    revision         INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    last_verified_at TEXT,
    doc              TEXT NOT NULL
);
CREATE INDEX service_revision ON service (revision);

CREATE TABLE service_at_location (
    id          TEXT PRIMARY KEY,
    service_id  TEXT NOT NULL,
    location_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    visibility  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    revision    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    doc         TEXT NOT NULL
);
CREATE INDEX service_at_location_revision ON service_at_location (revision);
CREATE INDEX service_at_location_location ON service_at_location (location_id);

CREATE TABLE project (
    id                   TEXT PRIMARY KEY,
    code                 TEXT,
    lead_organization_id TEXT,
    status               TEXT NOT NULL,
    visibility           TEXT NOT NULL,
    version              INTEGER NOT NULL,
    revision             INTEGER NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    doc                  TEXT NOT NULL
);
CREATE INDEX project_revision ON project (revision);

CREATE TABLE comune (
    istat              TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    province           TEXT,
    population         INTEGER,
    foreign_population INTEGER,
    revision           INTEGER NOT NULL,
    updated_at         TEXT NOT NULL,
    geom               TEXT NOT NULL
);
CREATE INDEX comune_revision ON comune (revision);
