//! `invalid-kubeadm-config`: what `kubeadm config validate` (and `kubeadm init`/`join` before
//! they touch the node) refuses in a kubeadm or kube-proxy configuration file that the schema
//! cannot say: a Kubernetes version that does not parse, pod and service subnets that do not
//! parse or overlap, a control-plane endpoint that is not `host:port`, a bootstrap token not of
//! the form `[a-z0-9]{6}.[a-z0-9]{16}`, a certificate key that is not 64 hex characters, and
//! the like. The checks live in [`crate::model::kubeadm::checks`], a pure function of the
//! document; kubeadm's own warnings are warnings here.

use super::{Context, Finding, Rule, Severity, Target};
use crate::model::kubeadm::checks::{self, Level};

declare_rule! {
    pub struct InvalidKubeadmConfig {
        id: "invalid-kubeadm-config",
        severity: Error,
        category: Correctness,
        inspects: Kinds(
            ("kubeadm.k8s.io", "InitConfiguration"),
            ("kubeadm.k8s.io", "ClusterConfiguration"),
            ("kubeadm.k8s.io", "JoinConfiguration"),
            ("kubeadm.k8s.io", "ResetConfiguration"),
            ("kubeadm.k8s.io", "UpgradeConfiguration"),
            ("kubeproxy.config.k8s.io", "KubeProxyConfiguration")
        ),
    }
}

impl Rule for InvalidKubeadmConfig {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for p in checks::check(cx.object.value(), cx.options.minor) {
            let mut f = Finding::new(InvalidKubeadmConfig::ID, p.pointer, p.message)
                .at(Target::Value)
                .help(p.help);
            if p.level == Level::Warning {
                f = f.severity(Severity::Warning);
            }
            out.push(f);
        }
    }
}
