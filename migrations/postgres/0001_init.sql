-- Bussola schema, PostgreSQL + PostGIS backend. Mirrors migrations/sqlite/0001_init.sql.
-- Geometry columns are real PostGIS types with GiST indexes, so QGIS reads the tables directly.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE SEQUENCE bussola_revision;

CREATE TABLE dataset_metadata (
    id       integer PRIMARY KEY CHECK (id = 1),
    doc      jsonb NOT NULL,
    revision bigint NOT NULL
);

CREATE TABLE organization (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    status     text NOT NULL,
    visibility text NOT NULL,
    version    bigint NOT NULL,
    revision   bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    doc        jsonb NOT NULL
);
CREATE INDEX organization_revision ON organization (revision);

CREATE TABLE location (
    id               text PRIMARY KEY,
    organization_id  text NOT NULL,
    name             text NOT NULL,
    comune_istat     text NOT NULL,
    lon              double precision NOT NULL,
    lat              double precision NOT NULL,
    geom             geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    status           text NOT NULL,
    visibility       text NOT NULL,
    version          bigint NOT NULL,
    revision         bigint NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    last_verified_at timestamptz,
    doc              jsonb NOT NULL
);
CREATE INDEX location_revision ON location (revision);
CREATE INDEX location_comune ON location (comune_istat);
CREATE INDEX location_geom ON location USING gist (geom);

CREATE TABLE service (
    id               text PRIMARY KEY,
    organization_id  text NOT NULL,
    name             text NOT NULL,
    status           text NOT NULL,
    visibility       text NOT NULL,
    version          bigint NOT NULL,
    revision         bigint NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    last_verified_at timestamptz,
    doc              jsonb NOT NULL
);
CREATE INDEX service_revision ON service (revision);

CREATE TABLE service_at_location (
    id          text PRIMARY KEY,
    service_id  text NOT NULL,
    location_id text NOT NULL,
    status      text NOT NULL,
    visibility  text NOT NULL,
    version     bigint NOT NULL,
    revision    bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    doc         jsonb NOT NULL
);
CREATE INDEX service_at_location_revision ON service_at_location (revision);
CREATE INDEX service_at_location_location ON service_at_location (location_id);

CREATE TABLE project (
    id                   text PRIMARY KEY,
    code                 text,
    lead_organization_id text,
    status               text NOT NULL,
    visibility           text NOT NULL,
    version              bigint NOT NULL,
    revision             bigint NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    doc                  jsonb NOT NULL
);
CREATE INDEX project_revision ON project (revision);

CREATE TABLE comune (
    istat              text PRIMARY KEY,
    name               text NOT NULL,
    province           text,
    population         bigint,
    foreign_population bigint,
    revision           bigint NOT NULL,
    updated_at         timestamptz NOT NULL,
    geom               geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX comune_revision ON comune (revision);
CREATE INDEX comune_geom ON comune USING gist (geom);
