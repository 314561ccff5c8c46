//! kubevet: a fast, offline validator and linter for Kubernetes manifests.
//!
//! The pipeline: [`discover`] (paths -> files) -> [`source`] (YAML with spans) -> [`model`]
//! (objects and typed pod views) -> [`schema`] and [`rules`] (findings with pointers) ->
//! [`check`] (findings resolved into [`diagnostic`]s), driven over many files by [`run`]
//! (with the cross-file [`presets`] pass) -> [`report`] (output formats).
//! [`app`] wires the command line to it.

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod lsp;
pub mod model;
pub mod presets;
pub mod pss;
pub mod report;
pub mod rules;
pub mod run;
pub mod schema;
pub mod source;
pub mod suppress;
