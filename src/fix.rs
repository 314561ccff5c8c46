//! Fixes: turning a rule's [`FixPlan`] (expressed in pointers) into text edits, and applying
//! edits to a file. Edits touch only the bytes they must: comments and the rest of the file
//! stay byte for byte.

use crate::diagnostic::{Edit, Fix, Locator};
use crate::model::Object;
use crate::rules::FixPlan;
use crate::source::Node;

/// Resolve a plan into edits, or `None` when it cannot be applied safely here.
pub fn plan_to_fix(
    _loc: &Locator,
    _root: &Node,
    _object: &Object,
    _title: &str,
    plan: &FixPlan,
) -> Option<Fix> {
    match plan {
        FixPlan::MoveKey { .. } => None,
    }
}

/// Apply whole fixes to `text`: a fix whose edits overlap an earlier fix's is skipped (a
/// second run picks it up). Returns the new text and how many fixes were applied.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut ordered: Vec<&Fix> = fixes.to_vec();
    ordered.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min());
    for f in ordered {
        let valid = f.edits.iter().all(|e| {
            let (s, t) = (e.span.start as usize, e.span.end as usize);
            s <= t && t <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(t)
        });
        let overlaps = f.edits.iter().any(|e| {
            accepted.iter().any(|a| {
                e.span.start < a.span.end && a.span.start < e.span.end
                    || (e.span.start == a.span.start && e.span.end == a.span.end)
            })
        });
        if valid && !overlaps && !f.edits.is_empty() {
            accepted.extend(f.edits.iter());
            applied += 1;
        }
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for e in accepted {
        let (s, t) = (e.span.start as usize, e.span.end as usize);
        out.push_str(&text[pos..s]);
        out.push_str(&e.content);
        pos = t;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}
