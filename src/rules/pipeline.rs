//! Metadata of the rules the pipeline itself reports (reading, parsing, schemas, apiVersions).

use super::{Category, RuleMeta, Severity};

macro_rules! pipeline_rule {
    ($name:ident, $id:literal, $sev:ident, $cat:ident, $summary:literal) => {
        pub static $name: RuleMeta = RuleMeta {
            id: $id,
            severity: Severity::$sev,
            category: Category::$cat,
            summary: $summary,
            doc: include_str!(concat!("../../rules/", $id, ".md")),
            fixable: false,
        };
    };
}

pipeline_rule!(
    IO,
    "io",
    Error,
    Correctness,
    "A file could not be read or decoded, or exceeds a safety limit"
);
pipeline_rule!(
    YAML_SYNTAX,
    "yaml-syntax",
    Error,
    Correctness,
    "The file is not valid YAML"
);
pipeline_rule!(
    DUPLICATE_KEY,
    "duplicate-key",
    Error,
    Correctness,
    "A mapping repeats a key"
);
pipeline_rule!(
    SCHEMA,
    "schema",
    Error,
    Correctness,
    "An object violates its kind's JSON Schema"
);
pipeline_rule!(
    MISSING_SCHEMA,
    "missing-schema",
    Info,
    Correctness,
    "No schema is known for this apiVersion and kind"
);
pipeline_rule!(
    REMOVED_API_VERSION,
    "removed-api-version",
    Error,
    Deprecation,
    "The apiVersion is no longer served by the target Kubernetes version"
);
pipeline_rule!(
    DEPRECATED_API_VERSION,
    "deprecated-api-version",
    Warning,
    Deprecation,
    "The apiVersion is deprecated and will be removed"
);

pipeline_rule!(PODPRESET_CONFLICT, "podpreset-conflict", Warning, Correctness, "Two PodPresets, or a PodPreset and a pod, set the same env var, volume or mount path differently");
pipeline_rule!(
    INVALID_IGNORE,
    "invalid-ignore",
    Warning,
    Correctness,
    "An ignore comment or annotation names an unknown rule"
);
pipeline_rule!(
    UNUSED_IGNORE,
    "unused-ignore",
    Warning,
    Correctness,
    "An ignore comment or annotation suppressed nothing (reported with --report-unused-ignores)"
);

pub static ALL: &[&RuleMeta] = &[
    &PODPRESET_CONFLICT,
    &INVALID_IGNORE,
    &UNUSED_IGNORE,
    &IO,
    &YAML_SYNTAX,
    &DUPLICATE_KEY,
    &SCHEMA,
    &MISSING_SCHEMA,
    &REMOVED_API_VERSION,
    &DEPRECATED_API_VERSION,
];
