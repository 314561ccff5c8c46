//! Kustomize: the tree around the checked files read natively ([`tree`]: patches are partial
//! objects, retagged images), and its roots rendered with `kustomize build` or `kubectl
//! kustomize` so that findings are true in context ([`render`]).

pub mod render;
pub mod tree;

pub use render::{Mode, Outcome, Renderer};
pub use tree::{is_kustomization, scan, Role, Tree};
