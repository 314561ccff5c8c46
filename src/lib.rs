//! kubevet: a fast, offline validator and linter for Kubernetes manifests.
//!
//! The pipeline: [`discover`] (paths -> files) -> [`source`] (YAML with spans) -> [`model`]
//! (objects and typed pod views) -> [`schema`] and [`rules`] (findings with pointers) ->
//! [`check`] (findings resolved into [`diagnostic`]s, [`suppress`]ions applied), driven over
//! many files by [`run`] (after the rules' project passes) -> [`report`] (output formats).
//! [`settings`] turns a configuration file and overrides into what a run uses; [`app`] wires
//! the command line to it, [`lsp`] the editor.

#![forbid(unsafe_code)]

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod fix_write;
pub mod grouped;
pub mod json_size;
pub mod k8s;
pub mod kustomize;
pub mod lsp;
pub mod model;
pub mod pointer;
pub mod pss;
pub mod report;
pub mod rules;
pub mod run;
pub mod schema;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod suppress;
