//! The small shared types the configuration files of kubeadm, the kubelet and kube-proxy are
//! built from: Go durations (`metav1.Duration`), the logging, tracing and client-connection
//! settings of `k8s.io/component-base`. Field names are the JSON names, so a model reads like the
//! file it describes.

#![allow(non_snake_case)]

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use std::borrow::Cow;

/// What Go's `time.ParseDuration` accepts: `0`, or signed runs of decimal numbers with a unit
/// (`1h30m`, `1.5s`, `300ms`). A unit is required, and days (`1d`) are not a unit.
pub const GO_DURATION: &str = r"^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$";

/// A `metav1.Duration`: a string Go parses with `time.ParseDuration` (`"24h"`, `"1m30s"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Duration(pub String);

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A Go duration: a number with a unit (ns, us, ms, s, m, h), e.g. \"1m30s\".",
            "type": "string",
            "pattern": GO_DURATION,
        })
    }
}

/// `flushFrequency` of the logging settings: a Go duration string, or a whole number of
/// nanoseconds (the older form, still read).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum DurationOrNanoseconds {
    Text(String),
    Nanoseconds(i64),
}

impl JsonSchema for DurationOrNanoseconds {
    fn schema_name() -> Cow<'static, str> {
        "DurationOrNanoseconds".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A Go duration (\"5s\") or a number of nanoseconds.",
            "type": ["string", "integer", "null"],
            "pattern": GO_DURATION,
        })
    }
}

/// `logging` (component-base `logs/api/v1` LoggingConfiguration).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoggingConfiguration {
    /// The log format; `text` when unset.
    pub format: Option<LogFormat>,
    /// Longest time between two flushes of buffered log output.
    pub flushFrequency: Option<DurationOrNanoseconds>,
    /// Threshold of log verbosity; 0 logs only the most important messages.
    pub verbosity: Option<u32>,
    /// Verbosity per source file pattern (text format only).
    pub vmodule: Option<Vec<VModuleItem>>,
    /// Options of each format (alpha, behind the LoggingAlphaOptions feature gate).
    pub options: Option<FormatOptions>,
}

/// The log formats the components register; `text` when unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum LogFormat {
    #[serde(rename = "text")]
    Text,
    #[serde(rename = "json")]
    Json,
    #[serde(rename = "")]
    Unset,
}

/// One `vmodule` entry.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VModuleItem {
    /// Base file name or glob, without `.go`; no commas or equal signs.
    pub filePattern: Option<String>,
    /// Verbosity for the matching files.
    pub verbosity: Option<u32>,
}

/// `logging.options`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormatOptions {
    pub text: Option<OutputRoutingOptions>,
    pub json: Option<OutputRoutingOptions>,
}

/// Where a log format writes its messages.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputRoutingOptions {
    /// Errors to stderr, info to stdout (buffered).
    pub splitStream: Option<bool>,
    /// Size of the info buffer with split streams.
    pub infoBufferSize: Option<Quantity>,
}

/// `tracing` (component-base `tracing/api/v1` TracingConfiguration).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TracingConfiguration {
    /// OTLP gRPC collector address; `localhost:4317` when unset.
    pub endpoint: Option<String>,
    /// Spans sampled per million.
    pub samplingRatePerMillion: Option<i32>,
}

/// `clientConnection` (component-base `config/v1alpha1` ClientConnectionConfiguration).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientConnectionConfiguration {
    /// Path of the kubeconfig file.
    pub kubeconfig: Option<String>,
    /// Accept header sent to the API server.
    pub acceptContentTypes: Option<String>,
    /// Content type of requests sent to the API server.
    pub contentType: Option<String>,
    /// Queries per second allowed.
    pub qps: Option<f32>,
    /// Extra queries allowed in a burst.
    pub burst: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::GO_DURATION;

    /// The duration pattern against what Go's `time.ParseDuration` accepts.
    #[test]
    fn go_durations() {
        let re = matcher(GO_DURATION);
        for ok in [
            "0", "-0", "+0", "1h", "1h30m", "1.5s", ".5s", "1.s", "300ms", "10us", "10µs", "10μs",
            "2ns", "-1m", "1h0m0s", "87600h",
        ] {
            assert!(re(ok), "{ok} should parse");
        }
        for bad in [
            "", "1", "1d", "1 h", "h", ".s", "1.5", "24H", "1h ", " 1h", "--1s", "1sm", "0.",
        ] {
            assert!(!re(bad), "{bad} should not parse");
        }
    }

    /// Match with the JSON Schema engine itself, so the test exercises the pattern as the
    /// validator reads it.
    fn matcher(pattern: &str) -> impl Fn(&str) -> bool {
        let schema = serde_json::json!({"type": "string", "pattern": pattern});
        let v = jsonschema::validator_for(&schema).expect("pattern compiles");
        move |s: &str| v.is_valid(&serde_json::json!(s))
    }
}
