//! `invalid-disruption-budget`: a PodDisruptionBudget the API server refuses (kubernetes
//! `pkg/apis/policy/validation` `ValidatePodDisruptionBudgetSpec`): `minAvailable` together
//! with `maxUnavailable`, a negative count, a string that is not a percentage, a percentage
//! above 100%.

use super::api_fields::{int_or_percent, int_or_percent_findings, FieldError};
use super::{Context, Finding, Rule, Target};

declare_rule! {
    pub struct InvalidDisruptionBudget {
        id: "invalid-disruption-budget",
        severity: Error,
        category: Correctness,
        inspects: Kinds(("policy", "PodDisruptionBudget")),
    }
}

impl Rule for InvalidDisruptionBudget {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(spec) = cx.object.at("/spec") else {
            return;
        };
        let field = |name: &str| spec.get(name).filter(|v| !v.is_null());
        let (min, max) = (field("minAvailable"), field("maxUnavailable"));
        if min.is_some() && max.is_some() {
            out.push(
                FieldError::invalid(
                    "/spec/maxUnavailable",
                    spec,
                    "minAvailable and maxUnavailable cannot be both set",
                )
                .path("spec")
                .finding(InvalidDisruptionBudget::ID)
                .at(Target::Key)
                .label("set together with minAvailable")
                .related("/spec/minAvailable", Target::Key, "minAvailable is set here")
                .help("keep one of them: minAvailable (how many pods must stay up) or maxUnavailable (how many may be down)"),
            );
        }
        for (name, raw) in [("minAvailable", min), ("maxUnavailable", max)] {
            let Some(raw) = raw else { continue };
            let Some(v) = int_or_percent(raw) else {
                continue;
            };
            int_or_percent_findings(
                InvalidDisruptionBudget::ID,
                &format!("/spec/{name}"),
                raw,
                v,
                true,
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(spec: &str) -> Vec<String> {
        let text = format!(
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: p}}\nspec:\n  selector: {{matchLabels: {{app: a}}}}\n{spec}\n"
        );
        crate::rules::api_fields::run(&InvalidDisruptionBudget, &text, 37)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn budgets_at_every_edge() {
        for ok in [
            "  minAvailable: 0",
            "  minAvailable: 2",
            "  minAvailable: '0%'",
            "  minAvailable: '100%'",
            "  maxUnavailable: '50%'",
            "  maxUnavailable: 1",
            "  minAvailable: null\n  maxUnavailable: 1",
        ] {
            assert!(messages(ok).is_empty(), "{ok}: {:?}", messages(ok));
        }
        for (bad, want) in [
            ("  minAvailable: 1\n  maxUnavailable: 1", "spec: Invalid value: minAvailable and maxUnavailable cannot be both set"),
            ("  minAvailable: -1", "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"),
            ("  maxUnavailable: '101%'", "spec.maxUnavailable: Invalid value: \"101%\": must not be greater than 100%"),
            ("  minAvailable: '50'", "spec.minAvailable: Invalid value: \"50\": a valid percent string must be a numeric string followed by an ending '%'"),
            ("  minAvailable: '-5%'", "a valid percent string"),
            ("  minAvailable: 'half'", "a valid percent string"),
        ] {
            let m = messages(bad);
            assert_eq!(m.len(), 1, "{bad}: {m:?}");
            assert!(m[0].contains(want), "{bad}: {m:?}");
        }
    }
}
