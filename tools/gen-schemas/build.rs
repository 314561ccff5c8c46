//! Turns the version feature into cfgs for the shared kind list: `k8s_since = "1.N"` holds
//! for every N up to the version, `k8s_until = "1.N"` for every N from it on, and
//! `k8s_version` when there is a version at all (the `pack` command needs none).

const OLDEST: u32 = 30;
const NEWEST: u32 = 37;

fn main() {
    let all: Vec<String> = (OLDEST..=NEWEST).map(|m| format!("\"1.{m}\"")).collect();
    let all = all.join(", ");
    println!("cargo::rustc-check-cfg=cfg(k8s_since, values({all}))");
    println!("cargo::rustc-check-cfg=cfg(k8s_until, values({all}))");
    println!("cargo::rustc-check-cfg=cfg(k8s_version)");
    let enabled: Vec<u32> = (OLDEST..=NEWEST)
        .filter(|m| std::env::var_os(format!("CARGO_FEATURE_V1_{m}")).is_some())
        .collect();
    match enabled[..] {
        [] => {}
        [minor] => {
            println!("cargo::rustc-cfg=k8s_version");
            for m in OLDEST..=minor {
                println!("cargo::rustc-cfg=k8s_since=\"1.{m}\"");
            }
            for m in minor..=NEWEST {
                println!("cargo::rustc-cfg=k8s_until=\"1.{m}\"");
            }
        }
        _ => panic!("enable one version feature at a time, not {enabled:?}"),
    }
}
