//! `kubevet lsp`: a language server over stdio (rust-analyzer's `lsp-server` transport,
//! `ls-types` for the protocol types). It publishes the same diagnostics as `kubevet check`
//! (same engine, same configuration found from the document's path), offers rule fixes and
//! "ignore this rule on this line" as code actions, and explains findings and fields on hover.
//! This is the only module that speaks LSP.

mod actions;
mod dispatch;
mod hover;
mod incremental;
mod kustomize;
pub mod position;
mod protocol;
mod server;
mod workspace;

pub use server::run;
