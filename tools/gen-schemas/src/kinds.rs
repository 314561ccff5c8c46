//! The built-in kinds of the Kubernetes version this build's `k8s-openapi` describes: the
//! shared list of `src/schema/kind_list.rs`, each entry kept when its range holds the version
//! (the cfgs `build.rs` sets from the version feature).

use crate::generate::KindEntry;

/// The minor version of the enabled version feature.
pub const MINOR: u32 = if cfg!(feature = "v1_30") {
    30
} else if cfg!(feature = "v1_31") {
    31
} else if cfg!(feature = "v1_32") {
    32
} else if cfg!(feature = "v1_33") {
    33
} else if cfg!(feature = "v1_34") {
    34
} else if cfg!(feature = "v1_35") {
    35
} else if cfg!(feature = "v1_36") {
    36
} else {
    37
};

macro_rules! kind_list {
    ($([$($range:tt)*] $($segment:ident)::+,)*) => {
        /// Every kind of this version with a schema.
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
        #[cfg(k8s_since = $from)]
        $kinds.push(KindEntry::of::<k8s_openapi::$($segment)::+>());
    };
    (@entry $kinds:ident [..= $to:tt] $($segment:ident)::+) => {
        #[cfg(k8s_until = $to)]
        $kinds.push(KindEntry::of::<k8s_openapi::$($segment)::+>());
    };
    (@entry $kinds:ident [$from:tt ..= $to:tt] $($segment:ident)::+) => {
        #[cfg(all(k8s_since = $from, k8s_until = $to))]
        $kinds.push(KindEntry::of::<k8s_openapi::$($segment)::+>());
    };
}

include!("../../../src/schema/kind_list.rs");
