//! The built-in kinds of the Kubernetes version this build's `k8s-openapi` describes (the
//! newest one kubevet embeds), as `k8s-openapi` types, for the schema generator. The list
//! itself is `kind_list.rs`, shared with the generator of the older versions in
//! `tools/gen-schemas/`; at run time the kinds of each version come from the embedded store.

use super::generate::KindEntry;
use std::sync::LazyLock;

/// The minor version of the `k8s-openapi` feature enabled in Cargo.toml.
pub const MINOR: u32 = 37;

/// Every kind of the newest version, as [`kinds`] lists them.
pub static KINDS: LazyLock<Vec<KindEntry>> = LazyLock::new(kinds);

/// Keeps the entries the newest version has: open-ended ranges. A bounded range ends before
/// the newest version.
macro_rules! kind_list {
    ($([$($range:tt)*] $($segment:ident)::+,)*) => {
        /// Every kind with a schema, in the order of the list.
        // Which entries are pushed is up to the macro's arms, so no `vec![]` here.
        #[allow(clippy::vec_init_then_push)]
        pub fn kinds() -> Vec<KindEntry> {
            let mut kinds = Vec::new();
            $(kind_list!(@entry kinds [$($range)*] $($segment)::+);)*
            kinds
        }
    };
    (@entry $kinds:ident [..] $($segment:ident)::+) => {
        $kinds.push(KindEntry::of::<k8s_openapi::$($segment)::+>());
    };
    (@entry $kinds:ident [$from:tt ..] $($segment:ident)::+) => {
        $kinds.push(KindEntry::of::<k8s_openapi::$($segment)::+>());
    };
    (@entry $kinds:ident [..= $to:tt] $($segment:ident)::+) => {};
    (@entry $kinds:ident [$from:tt ..= $to:tt] $($segment:ident)::+) => {};
}

include!("kind_list.rs");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_list_has_every_kind_once() {
        let kinds = kinds();
        let mut seen = std::collections::HashSet::new();
        for k in &kinds {
            assert!(
                seen.insert((k.api_version, k.kind)),
                "{} {}",
                k.api_version,
                k.kind
            );
        }
        assert!(kinds
            .iter()
            .any(|k| k.kind == "Pod" && k.api_version == "v1"));
        // Removed before the newest version: left out.
        assert!(!kinds
            .iter()
            .any(|k| k.api_version == "resource.k8s.io/v1alpha2"));
    }
}
