//! The grammars of Kubernetes values, as the API server parses and validates them: object
//! names and label syntax, ports, environment variable names, quantities, durations, IP
//! addresses and CIDRs, cron schedules and time zones.
//!
//! Everything here is a pure function of its input, ported from the upstream code that
//! decides (apimachinery's `pkg/util/validation`, `pkg/api/validate/content`,
//! `pkg/api/resource`, k8s.io/utils `net`, Go's `time`, robfig/cron v3, and the batch API
//! validation of kubernetes/kubernetes). Validators return the API server's own messages, one
//! string per problem, and an empty list when the value is valid, as apimachinery's `[]string`
//! validators do.

pub mod names;
pub mod net;
pub mod quantity;

pub use net::{Cidr, IpError, SloppyCidr, SloppyIp};
pub use quantity::{parse_quantity, parse_quantity_field, Quantity, QuantityError, QuantityFormat};
