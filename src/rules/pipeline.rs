//! The rules the pipeline itself reports — reading, parsing, schemas, apiVersions and
//! suppressions — declared like every other rule; the code that reports them lives where the
//! condition is found (`check`, `schema`, `suppress`).

declare_rule! {
    /// A file could not be read or decoded, or exceeds a safety limit.
    pub struct Io { id: "io", severity: Error, category: Correctness }
}

declare_rule! {
    /// A file is a template (`{{ ... }}` where YAML breaks), not a manifest, and was skipped.
    pub struct UnrenderedTemplate { id: "unrendered-template", severity: Info, category: Correctness }
}

declare_rule! {
    /// A Kustomize root does not build, or cannot be built offline.
    pub struct KustomizeBuild { id: "kustomize-build", severity: Error, category: Correctness }
}

declare_rule! {
    /// A CEL rule of a CustomResourceDefinition that kubevet cannot evaluate.
    pub struct UnsupportedCelRule { id: "unsupported-cel-rule", severity: Info, category: Correctness }
}

declare_rule! {
    /// The file is not valid YAML.
    pub struct YamlSyntax { id: "yaml-syntax", severity: Error, category: Correctness }
}

declare_rule! {
    /// A mapping repeats a key.
    pub struct DuplicateKey { id: "duplicate-key", severity: Error, category: Correctness }
}

declare_rule! {
    /// An object violates its kind's JSON Schema.
    pub struct Schema { id: "schema", severity: Error, category: Correctness }
}

declare_rule! {
    /// No schema is known for an apiVersion and kind.
    pub struct MissingSchema { id: "missing-schema", severity: Info, category: Correctness }
}

declare_rule! {
    /// A schema given for a kind cannot be used.
    pub struct UnusableSchema { id: "unusable-schema", severity: Error, category: Correctness }
}

declare_rule! {
    /// The apiVersion is no longer served by the target Kubernetes version.
    pub struct RemovedApiVersion { id: "removed-api-version", severity: Error, category: Deprecation }
}

declare_rule! {
    /// The apiVersion is deprecated and will be removed.
    pub struct DeprecatedApiVersion { id: "deprecated-api-version", severity: Warning, category: Deprecation }
}

declare_rule! {
    /// An ignore comment or annotation names an unknown rule.
    pub struct InvalidIgnore { id: "invalid-ignore", severity: Warning, category: Correctness }
}

declare_rule! {
    /// An ignore suppressed nothing (reported with `--report-unused-ignores`).
    pub struct UnusedIgnore { id: "unused-ignore", severity: Warning, category: Correctness }
}
