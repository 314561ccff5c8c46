//! `latest-tag-pull-policy`: an image without a tag or digest, or tagged `latest`, in every
//! container (main, init, ephemeral) of every pod-bearing kind. The message depends on
//! `imagePullPolicy`: unset means Kubernetes pulls on every start; `IfNotPresent`/`Never`
//! means each node keeps the `latest` it pulled first. Registry ports are not tags, digests
//! pin, and templated or placeholder references are skipped (see [`super::image`]).

use super::{Context, Finding, ImageRef, Rule, Target};

declare_rule! {
    pub struct LatestTagPullPolicy {
        id: "latest-tag-pull-policy",
        severity: Warning,
        category: Reliability,
        inspects: Pods,
    }
}

impl Rule for LatestTagPullPolicy {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in &pod.containers {
            let Some(image) = c.container.image.as_deref() else {
                continue;
            };
            let Some(r) = ImageRef::parse(image) else {
                continue;
            };
            let what = if r.is_untagged() {
                format!("image `{image}` has no tag, so it means `latest`")
            } else if r.is_latest() {
                format!("image `{image}` uses the `latest` tag")
            } else {
                continue;
            };
            let policy = c.container.image_pull_policy.as_deref();
            let (message, label) = match policy {
                None => (
                    format!("{what}; with no imagePullPolicy Kubernetes pulls it on every container start"),
                    "imagePullPolicy defaults to Always for `latest`",
                ),
                Some("IfNotPresent") | Some("Never") => (
                    format!(
                        "{what}, and with imagePullPolicy {} each node keeps whichever `latest` it pulled first",
                        policy.unwrap_or_default()
                    ),
                    "nodes may run different versions of this image",
                ),
                Some(other) => (
                    format!("{what}, and with imagePullPolicy {other} what runs depends on when each container started"),
                    "the version changes whenever `latest` moves",
                ),
            };
            let mut finding =
                Finding::new(LatestTagPullPolicy::ID, c.field("image"), message).label(label);
            if policy.is_some() {
                finding = finding.related(
                    c.field("imagePullPolicy"),
                    Target::Value,
                    "the pull policy this depends on",
                );
            }
            out.push(
                finding
                    .help(format!(
                        "pin a version (`{}:1.2.3`) or a digest (`{}@sha256:...`) so every node runs the same image",
                        strip_tag(image),
                        strip_tag(image)
                    )),
            );
        }
    }
}

/// The reference without its tag or digest.
fn strip_tag(image: &str) -> &str {
    let name = image.split('@').next().unwrap_or(image);
    match (name.rfind(':'), name.rfind('/')) {
        (Some(c), Some(s)) if c > s => &name[..c],
        (Some(c), None) => &name[..c],
        _ => name,
    }
}
