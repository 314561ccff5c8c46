//! The grammars of Kubernetes values, as the API server parses and validates them: object
//! names and label syntax ([`names`]), quantities ([`quantity`]), IP addresses and CIDRs
//! ([`net`]), Go durations ([`duration`]), cron schedules ([`cron`]) and time zones
//! ([`timezone`]).
//!
//! Everything here is a pure function of its input, ported from the upstream code that
//! decides (apimachinery's `pkg/util/validation`, `pkg/api/validate/content`,
//! `pkg/api/validation/generic.go` and `pkg/api/resource`, k8s.io/utils `net`, Go's `time`
//! and `net/netip`, robfig/cron v3, and the batch validation of kubernetes/kubernetes).
//! Validators return the API server's own messages, one string per problem and empty when the
//! value is valid, as apimachinery's `[]string` validators do; callers add the field path.
//! Nothing here depends on the rest of kubevet.

pub mod cron;
pub mod duration;
pub mod intstr;
pub mod names;
pub mod net;
pub mod quantity;
pub mod timezone;

pub use cron::{parse_standard, validate_cronjob_schedule, CronError, CronSchedule};
pub use duration::{parse_go_duration, DurationError};
pub use net::{Cidr, IpError, SloppyCidr, SloppyIp};
pub use quantity::{parse_quantity, parse_quantity_field, Quantity, QuantityError, QuantityFormat};
pub use timezone::validate_cronjob_time_zone;
