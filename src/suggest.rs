//! "Did you mean": the closest valid name to a mistyped one (Jaro-Winkler, case-insensitive).
//! Used for unknown fields, rule ids, configuration keys and volume names alike.

/// The closest of `valid` to `name`, if any is close enough to be worth suggesting. A name
/// that differs only in case is always the best match.
pub fn suggest<'a>(name: &str, valid: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for v in valid {
        let score = if v.to_lowercase() == lower {
            2.0
        } else {
            strsim::jaro_winkler(&lower, &v.to_lowercase())
        };
        // Ties go to the name that sorts first, so the answer does not depend on the order
        // the names come in (a mapping's keys come in the order they are written).
        if score >= 0.85 && best.is_none_or(|(bv, b)| score > b || (score == b && v < bv)) {
            best = Some((v, score));
        }
    }
    best.map(|(v, _)| v)
}

/// `message`, followed by `; did you mean `x`?` when a close name exists.
pub fn with_suggestion<'a>(
    message: String,
    name: &str,
    valid: impl Iterator<Item = &'a str>,
) -> String {
    match suggest(name, valid) {
        Some(s) => format!("{message}; did you mean `{s}`?"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_and_case() {
        let valid = ["imagePullPolicy", "image", "name"];
        assert_eq!(
            suggest("imagePullpolicy", valid.iter().copied()),
            Some("imagePullPolicy")
        );
        assert_eq!(suggest("NAME", valid.iter().copied()), Some("name"));
        assert_eq!(suggest("volumes", valid.iter().copied()), None);
        assert_eq!(
            with_suggestion("unknown `nme`".into(), "nme", valid.iter().copied()),
            "unknown `nme`; did you mean `name`?"
        );
    }

    #[test]
    fn equally_close_names_give_the_same_answer_in_any_order() {
        // `spec` and `spek` are equally close to `spex`.
        let names = ["spek", "spec"];
        assert_eq!(suggest("spex", names.iter().copied()), Some("spec"));
        assert_eq!(suggest("spex", names.iter().rev().copied()), Some("spec"));
    }
}
