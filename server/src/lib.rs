//! Bussola: a geographic directory of services and sportelli for migrants, with an
//! OGC API - Features, a spatial read model and a WebGIS.
//!
//! Layout: [`model`] (the domain), [`store`] (SQLite and PostGIS behind one trait),
//! [`index`] (the in-memory R-tree read model), [`app`] (the one write path),
//! [`import`]/[`export`] (files), [`api`] (HTTP), [`serve`] (connections), [`cli`] (the
//! `bussola` command).

pub mod access;
pub mod accounts;
pub mod api;
pub mod app;
pub mod campaign;
pub mod cli;
pub mod config;
pub mod csv_form;
pub mod demo;
pub mod export;
pub mod freshness;
pub mod hsds;
pub mod import;
pub mod index;
pub mod limit;
pub mod model;
pub mod serve;
pub mod startup;
pub mod store;
pub mod territory;
