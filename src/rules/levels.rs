//! Which rules run, and at which level: the configuration's `[rules]` table, `--select` and
//! `--ignore` folded into one table indexed by rule, read once per finding in constant time.

use super::{RuleId, Severity};

/// Per rule: whether it runs, and at which level the configuration puts it.
#[derive(Debug, Clone)]
pub struct RuleLevels {
    /// Indexed by [`RuleId::index`]: `None` off, `Some(None)` on at the rule's own level,
    /// `Some(Some(s))` on at `s`.
    levels: Vec<Option<Option<Severity>>>,
}

impl Default for RuleLevels {
    fn default() -> Self {
        RuleLevels::new(&[], None, &[])
    }
}

impl RuleLevels {
    /// The levels from the configuration's `[rules]` (a severity, or `None` for off),
    /// `--select` and `--ignore`.
    pub fn new(
        configured: &[(RuleId, Option<Severity>)],
        select: Option<&[RuleId]>,
        ignore: &[RuleId],
    ) -> RuleLevels {
        let levels = RuleId::ALL
            .iter()
            .map(|&r| {
                if ignore.contains(&r) {
                    return None;
                }
                let set = configured.iter().find(|(id, _)| *id == r).map(|(_, l)| *l);
                match select {
                    Some(sel) if !sel.contains(&r) => None,
                    Some(_) => Some(set.flatten()),
                    None => match set {
                        Some(s) => s.map(Some),
                        None => r.meta().enabled_by_default.then_some(None),
                    },
                }
            })
            .collect();
        RuleLevels { levels }
    }

    /// Whether the rule runs.
    pub fn enabled(&self, rule: RuleId) -> bool {
        self.levels[rule.index()].is_some()
    }

    /// The level a finding of `rule` is reported at: the configured level, else the finding's
    /// own (`own`, for rules whose level depends on what was found), else the rule's default;
    /// `None` when the rule is off.
    pub fn severity(&self, rule: RuleId, own: Option<Severity>) -> Option<Severity> {
        let configured = self.levels[rule.index()]?;
        Some(configured.or(own).unwrap_or(rule.meta().severity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_wins_over_off_and_ignore_over_everything() {
        let host = RuleId::parse("host-namespace").expect("id");
        let node = RuleId::parse("node-name-pinned").expect("id");
        let levels = RuleLevels::new(&[(host, None)], Some(&[host]), &[]);
        assert_eq!(levels.severity(host, None), Some(Severity::Warning));
        assert!(!levels.enabled(node));
        let levels = RuleLevels::new(&[(host, Some(Severity::Error))], None, &[node]);
        assert_eq!(
            levels.severity(host, Some(Severity::Info)),
            Some(Severity::Error)
        );
        assert!(!levels.enabled(node));
        let levels = RuleLevels::default();
        assert_eq!(
            levels.severity(node, Some(Severity::Error)),
            Some(Severity::Error)
        );
        assert_eq!(levels.severity(node, None), Some(Severity::Warning));
    }
}
