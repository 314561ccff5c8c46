//! The Pod Security Standards controls: one [`Control`] per check of the admission controller,
//! with its level, the policy versions it applies to (the minor version of its first variant,
//! and of each later revision), the baseline control a restricted one replaces, and the
//! kubevet rule that reports it.

use super::policy::{Level, Version};

/// One Pod Security Standards check. Variants are in the order the controller evaluates and
/// reports them: baseline checks by id, then restricted checks by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Control {
    AppArmorProfile,
    CapabilitiesBaseline,
    HostNamespaces,
    HostPathVolumes,
    HostPorts,
    HostProbesAndHostLifecycle,
    Privileged,
    ProcMount,
    SeLinuxOptions,
    SeccompProfileBaseline,
    Sysctls,
    WindowsHostProcess,
    AllowPrivilegeEscalation,
    CapabilitiesRestricted,
    ProcMountRestricted,
    RestrictedVolumes,
    RunAsNonRoot,
    RunAsUser,
    SeccompProfileRestricted,
}

impl Control {
    /// Every control, in evaluation order.
    pub const ALL: [Control; 19] = [
        Control::AppArmorProfile,
        Control::CapabilitiesBaseline,
        Control::HostNamespaces,
        Control::HostPathVolumes,
        Control::HostPorts,
        Control::HostProbesAndHostLifecycle,
        Control::Privileged,
        Control::ProcMount,
        Control::SeLinuxOptions,
        Control::SeccompProfileBaseline,
        Control::Sysctls,
        Control::WindowsHostProcess,
        Control::AllowPrivilegeEscalation,
        Control::CapabilitiesRestricted,
        Control::ProcMountRestricted,
        Control::RestrictedVolumes,
        Control::RunAsNonRoot,
        Control::RunAsUser,
        Control::SeccompProfileRestricted,
    ];

    /// The controller's check id (`hostNamespaces`, `capabilities_baseline`, ...).
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The level the control belongs to (it applies at that level and every stricter one).
    pub fn level(self) -> Level {
        self.info().level
    }

    /// The kubevet rule that reports this control.
    pub fn rule_id(self) -> &'static str {
        self.info().rule
    }

    /// The minor versions (of 1.x) at which each variant of the control begins; the first is
    /// the first policy version the control applies to. Every control applies to every later
    /// version, `latest` included.
    pub fn revisions(self) -> &'static [u64] {
        self.info().revisions
    }

    /// The first policy version the control applies to.
    pub fn since(self) -> Version {
        Version::V1(self.revisions()[0])
    }

    /// The baseline control this restricted control replaces, from its own first version on:
    /// at the restricted level the replaced control is not evaluated.
    pub fn replaces(self) -> Option<Control> {
        match self {
            Control::CapabilitiesRestricted => Some(Control::CapabilitiesBaseline),
            Control::ProcMountRestricted => Some(Control::ProcMount),
            Control::RestrictedVolumes => Some(Control::HostPathVolumes),
            Control::SeccompProfileRestricted => Some(Control::SeccompProfileBaseline),
            _ => None,
        }
    }

    /// The restricted control that replaces this baseline control, if any.
    pub fn replaced_by(self) -> Option<Control> {
        Control::ALL
            .into_iter()
            .find(|c| c.replaces() == Some(self))
    }

    /// The control whose check id is `id`.
    pub fn from_id(id: &str) -> Option<Control> {
        Control::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Whether the controller evaluates this control for a pod at `level` and `version`.
    pub fn applies(self, level: Level, version: Version) -> bool {
        let minor = version.effective_minor();
        let in_level = match level {
            Level::Privileged => false,
            Level::Baseline => self.level() == Level::Baseline,
            Level::Restricted => true,
        };
        if !in_level || minor < self.revisions()[0] {
            return false;
        }
        let replaced = level == Level::Restricted
            && self
                .replaced_by()
                .is_some_and(|by| minor >= by.revisions()[0]);
        !replaced
    }

    /// The controls evaluated at `level` and `version`, in evaluation order.
    pub fn active(level: Level, version: Version) -> impl Iterator<Item = Control> {
        Control::ALL
            .into_iter()
            .filter(move |c| c.applies(level, version))
    }

    fn info(self) -> &'static Info {
        &INFO[self as usize]
    }
}

impl std::fmt::Display for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

struct Info {
    id: &'static str,
    level: Level,
    rule: &'static str,
    revisions: &'static [u64],
}

const fn info(
    id: &'static str,
    level: Level,
    rule: &'static str,
    revisions: &'static [u64],
) -> Info {
    Info {
        id,
        level,
        rule,
        revisions,
    }
}

/// Indexed by `Control as usize`.
const INFO: [Info; 19] = {
    use Level::{Baseline, Restricted};
    [
        info("appArmorProfile", Baseline, "apparmor-profile", &[0]),
        info(
            "capabilities_baseline",
            Baseline,
            "added-capabilities",
            &[0],
        ),
        info("hostNamespaces", Baseline, "host-namespace", &[0]),
        info("hostPathVolumes", Baseline, "host-path-volume", &[0]),
        info("hostPorts", Baseline, "host-port", &[0]),
        info("hostProbesAndHostLifecycle", Baseline, "probe-host", &[34]),
        info("privileged", Baseline, "privileged-container", &[0]),
        info("procMount", Baseline, "proc-mount", &[0, 35]),
        info("seLinuxOptions", Baseline, "selinux-options", &[0, 31]),
        info(
            "seccompProfile_baseline",
            Baseline,
            "seccomp-profile",
            &[0, 19],
        ),
        info("sysctls", Baseline, "unsafe-sysctl", &[0, 27, 29, 32, 37]),
        info("windowsHostProcess", Baseline, "windows-host-process", &[0]),
        info(
            "allowPrivilegeEscalation",
            Restricted,
            "allow-privilege-escalation",
            &[8, 25],
        ),
        info(
            "capabilities_restricted",
            Restricted,
            "capabilities-not-dropped",
            &[22, 25],
        ),
        info("procMount_restricted", Restricted, "proc-mount", &[35]),
        info(
            "restrictedVolumes",
            Restricted,
            "restricted-volume-type",
            &[0],
        ),
        info("runAsNonRoot", Restricted, "run-as-non-root", &[0, 35]),
        info("runAsUser", Restricted, "run-as-root-user", &[23, 35]),
        info(
            "seccompProfile_restricted",
            Restricted,
            "seccomp-profile",
            &[19, 25],
        ),
    ]
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pss::policy::NEWEST_MINOR;

    #[test]
    fn table_is_in_step_with_the_enum() {
        for (i, c) in Control::ALL.into_iter().enumerate() {
            assert_eq!(c as usize, i);
            assert_eq!(Control::from_id(c.id()), Some(c));
            let r = c.revisions();
            assert!(r.windows(2).all(|w| w[0] < w[1]), "{c}: revisions ascend");
            assert!(*r.last().unwrap() <= NEWEST_MINOR, "{c}");
        }
        // Evaluation order: baseline ids sorted, then restricted ids sorted (byte order).
        let (b, r): (Vec<_>, Vec<_>) = Control::ALL
            .into_iter()
            .partition(|c| c.level() == Level::Baseline);
        for part in [b, r] {
            let ids: Vec<&str> = part.iter().map(|c| c.id()).collect();
            let mut sorted = ids.clone();
            sorted.sort();
            assert_eq!(ids, sorted);
        }
        // The newest revision of any control is the newest policy version.
        let newest = Control::ALL
            .into_iter()
            .filter_map(|c| c.revisions().last().copied())
            .max();
        assert_eq!(newest, Some(NEWEST_MINOR));
        assert_eq!(Control::from_id("hostpathvolumes"), None);
    }

    #[test]
    fn replacements_pair_a_restricted_control_with_a_baseline_one() {
        for c in Control::ALL {
            if let Some(base) = c.replaces() {
                assert_eq!(c.level(), Level::Restricted);
                assert_eq!(base.level(), Level::Baseline);
                assert_eq!(base.replaced_by(), Some(c));
            }
        }
        assert_eq!(Control::Privileged.replaced_by(), None);
    }

    fn active(level: Level, minor: u64) -> Vec<&'static str> {
        Control::active(level, Version::V1(minor))
            .map(Control::id)
            .collect()
    }

    #[test]
    fn which_controls_apply_per_level_and_version() {
        assert!(active(Level::Privileged, 35).is_empty());
        // Baseline never runs restricted controls, and gains the probe-host control at 1.34.
        assert!(!active(Level::Baseline, 33).contains(&"hostProbesAndHostLifecycle"));
        assert!(active(Level::Baseline, 34).contains(&"hostProbesAndHostLifecycle"));
        assert_eq!(active(Level::Baseline, 37).len(), 12);
        assert!(active(Level::Baseline, 37).contains(&"procMount"));

        // Restricted replaces four baseline controls, each from its replacement's version.
        let r34 = active(Level::Restricted, 34);
        assert!(r34.contains(&"procMount") && !r34.contains(&"procMount_restricted"));
        for gone in [
            "capabilities_baseline",
            "hostPathVolumes",
            "seccompProfile_baseline",
        ] {
            assert!(!r34.contains(&gone), "{gone}");
        }
        let r35 = active(Level::Restricted, 35);
        assert!(!r35.contains(&"procMount") && r35.contains(&"procMount_restricted"));
        assert_eq!(r35.len(), 12 - 4 + 7);

        // Before 1.19 the baseline seccomp control still runs at restricted; before 1.22 the
        // baseline capabilities control does; runAsUser starts at 1.23.
        let r18 = active(Level::Restricted, 18);
        assert!(r18.contains(&"seccompProfile_baseline"));
        assert!(!r18.contains(&"seccompProfile_restricted"));
        let r21 = active(Level::Restricted, 21);
        assert!(r21.contains(&"capabilities_baseline") && !r21.contains(&"runAsUser"));
        assert!(active(Level::Restricted, 23).contains(&"runAsUser"));
        assert!(!active(Level::Restricted, 7).contains(&"allowPrivilegeEscalation"));

        // latest and future versions are the newest.
        let latest: Vec<_> = Control::active(Level::Restricted, Version::Latest).collect();
        let future: Vec<_> = Control::active(Level::Restricted, Version::V1(99)).collect();
        let newest: Vec<_> =
            Control::active(Level::Restricted, Version::V1(NEWEST_MINOR)).collect();
        assert_eq!(latest, newest);
        assert_eq!(future, newest);
    }

    #[test]
    fn rule_ids_follow_the_design() {
        assert_eq!(Control::HostNamespaces.rule_id(), "host-namespace");
        assert_eq!(Control::ProcMount.rule_id(), "proc-mount");
        assert_eq!(Control::ProcMountRestricted.rule_id(), "proc-mount");
        assert_eq!(Control::SeccompProfileBaseline.rule_id(), "seccomp-profile");
        assert_eq!(
            Control::SeccompProfileRestricted.rule_id(),
            "seccomp-profile"
        );
        assert_eq!(
            Control::CapabilitiesRestricted.rule_id(),
            "capabilities-not-dropped"
        );
        assert_eq!(Control::HostProbesAndHostLifecycle.rule_id(), "probe-host");
        assert_eq!(Control::HostProbesAndHostLifecycle.since(), Version::V1(34));
    }
}
