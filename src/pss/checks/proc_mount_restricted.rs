//! `procMount_restricted` (restricted, 1.35+): containers must leave `procMount` unset or
//! `Default`, even in a pod with its own user namespace. It replaces the baseline `procMount`
//! control at the restricted level, which from 1.35 relaxes for such pods.

use super::{proc_mount, Subject};
use crate::pss::{Control, Violation};

pub(super) fn check(s: &Subject) -> Option<Violation> {
    proc_mount::unmasked(s, Control::ProcMountRestricted)
}
