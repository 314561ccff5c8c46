//! Schema validation of objects against the embedded strict JSON Schemas, and the apiVersion
//! lifecycle checks (removed and deprecated versions).

use crate::model::Object;
use crate::rules::Finding;

/// The schemas known to a run: the embedded ones for the target Kubernetes version, plus any
/// from `--schema-dir`.
#[derive(Debug, Default)]
pub struct SchemaSet {}

impl SchemaSet {
    /// Validate one object, pushing `schema`, `missing-schema`, `removed-api-version` and
    /// `deprecated-api-version` findings.
    pub fn check(&self, _object: &Object, _out: &mut Vec<Finding>) {}
}
