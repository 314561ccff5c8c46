//! The Kubernetes IP and CIDR libraries. Addresses and prefixes are read strictly (Go's
//! `netip` grammar; no zones, no IPv4-mapped IPv6, no leading zeros): `isIP`, `ip`,
//! `ip.isCanonical`, and on an IP `family`, `isUnspecified`, `isLoopback`,
//! `isLinkLocalMulticast`, `isLinkLocalUnicast`, `isGlobalUnicast`; `isCIDR`, `cidr`, and on a
//! CIDR `containsIP`, `containsCIDR` (a value or a string), `ip`, `masked`, `prefixLength`;
//! `string()` of either is its canonical text.

use super::{error, opaque, overload, string, take, wrap, Def};
use crate::k8s::net::{self, Cidr};
use cel::objects::Opaque;
use cel::{ExecutionError, Value};
use std::net::IpAddr;

/// An IP address as a CEL value.
#[derive(Debug, PartialEq, Eq)]
struct CelIp(IpAddr);

impl Opaque for CelIp {
    fn runtime_type_name(&self) -> &str {
        "net.IP"
    }
}

/// A CIDR as a CEL value.
#[derive(Debug, PartialEq, Eq)]
struct CelCidr(Cidr);

impl Opaque for CelCidr {
    fn runtime_type_name(&self) -> &str {
        "net.CIDR"
    }
}

pub(super) fn defs() -> Vec<Def> {
    vec![
        Def::global("isIP", 1, overload!(is_ip)),
        Def::global("ip", 1, overload!(ip)),
        Def::global("ip.isCanonical", 1, overload!(is_canonical)),
        Def::method("family", 0, overload!(family)),
        Def::method("isUnspecified", 0, overload!(is_unspecified)),
        Def::method("isLoopback", 0, overload!(is_loopback)),
        Def::method(
            "isLinkLocalMulticast",
            0,
            overload!(is_link_local_multicast),
        ),
        Def::method("isLinkLocalUnicast", 0, overload!(is_link_local_unicast)),
        Def::method("isGlobalUnicast", 0, overload!(is_global_unicast)),
        Def::global("isCIDR", 1, overload!(is_cidr)),
        Def::global("cidr", 1, overload!(cidr)),
        Def::method("containsIP", 1, overload!(contains_ip)),
        Def::method("containsCIDR", 1, overload!(contains_cidr)),
        Def::method("ip", 0, overload!(cidr_ip)),
        Def::method("masked", 0, overload!(masked)),
        Def::method("prefixLength", 0, overload!(prefix_length)),
        Def::global("string", 1, overload!(to_string)),
    ]
}

fn parse_ip(name: &str, v: &Value) -> Result<IpAddr, ExecutionError> {
    net::parse_ip(string(name, v)?).map_err(|e| error(name, e))
}

fn parse_cidr(name: &str, v: &Value) -> Result<Cidr, ExecutionError> {
    Cidr::parse(string(name, v)?).map_err(|e| error(name, e))
}

/// An IP value, or a string read as one.
fn ip_arg(name: &str, v: &Value) -> Result<IpAddr, ExecutionError> {
    match v {
        Value::String(_) => parse_ip(name, v),
        other => opaque::<CelIp>(name, other).map(|ip| ip.0),
    }
}

/// A CIDR value, or a string read as one.
fn cidr_arg(name: &str, v: &Value) -> Result<Cidr, ExecutionError> {
    match v {
        Value::String(_) => parse_cidr(name, v),
        other => opaque::<CelCidr>(name, other).map(|c| c.0),
    }
}

fn is_ip(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("isIP", args)?;
    Ok(Value::Bool(net::parse_ip(string("isIP", s)?).is_ok()))
}

fn ip(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("ip", args)?;
    Ok(wrap(CelIp(parse_ip("ip", s)?)))
}

fn is_canonical(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("ip.isCanonical", args)?;
    let addr = parse_ip("ip.isCanonical", s)?;
    Ok(Value::Bool(
        net::canonical_ip(&addr) == string("ip.isCanonical", s)?,
    ))
}

/// A predicate on the receiver IP.
fn ip_test(name: &str, args: &[Value], test: fn(&IpAddr) -> bool) -> Result<Value, ExecutionError> {
    let [v] = take(name, args)?;
    Ok(Value::Bool(test(&opaque::<CelIp>(name, v)?.0)))
}

fn family(args: &[Value]) -> Result<Value, ExecutionError> {
    let [v] = take("family", args)?;
    let f = match v {
        Value::Opaque(_) if opaque::<CelCidr>("family", v).is_ok() => {
            opaque::<CelCidr>("family", v)?.0.family()
        }
        _ => net::family(&opaque::<CelIp>("family", v)?.0),
    };
    Ok(Value::Int(i64::from(f)))
}

fn is_unspecified(args: &[Value]) -> Result<Value, ExecutionError> {
    ip_test("isUnspecified", args, net::is_unspecified)
}

fn is_loopback(args: &[Value]) -> Result<Value, ExecutionError> {
    ip_test("isLoopback", args, net::is_loopback)
}

fn is_link_local_multicast(args: &[Value]) -> Result<Value, ExecutionError> {
    ip_test("isLinkLocalMulticast", args, net::is_link_local_multicast)
}

fn is_link_local_unicast(args: &[Value]) -> Result<Value, ExecutionError> {
    ip_test("isLinkLocalUnicast", args, net::is_link_local_unicast)
}

fn is_global_unicast(args: &[Value]) -> Result<Value, ExecutionError> {
    ip_test("isGlobalUnicast", args, net::is_global_unicast)
}

fn is_cidr(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("isCIDR", args)?;
    Ok(Value::Bool(Cidr::parse(string("isCIDR", s)?).is_ok()))
}

fn cidr(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("cidr", args)?;
    Ok(wrap(CelCidr(parse_cidr("cidr", s)?)))
}

fn contains_ip(args: &[Value]) -> Result<Value, ExecutionError> {
    let [c, ip] = take("containsIP", args)?;
    let c = opaque::<CelCidr>("containsIP", c)?.0;
    Ok(Value::Bool(c.contains_ip(&ip_arg("containsIP", ip)?)))
}

fn contains_cidr(args: &[Value]) -> Result<Value, ExecutionError> {
    let [c, other] = take("containsCIDR", args)?;
    let c = opaque::<CelCidr>("containsCIDR", c)?.0;
    Ok(Value::Bool(
        c.contains_cidr(&cidr_arg("containsCIDR", other)?),
    ))
}

fn cidr_ip(args: &[Value]) -> Result<Value, ExecutionError> {
    let [c] = take("ip", args)?;
    Ok(wrap(CelIp(opaque::<CelCidr>("ip", c)?.0.addr())))
}

fn masked(args: &[Value]) -> Result<Value, ExecutionError> {
    let [c] = take("masked", args)?;
    Ok(wrap(CelCidr(opaque::<CelCidr>("masked", c)?.0.masked())))
}

fn prefix_length(args: &[Value]) -> Result<Value, ExecutionError> {
    let [c] = take("prefixLength", args)?;
    Ok(Value::Int(i64::from(
        opaque::<CelCidr>("prefixLength", c)?.0.prefix_len(),
    )))
}

/// `string(ip)` and `string(cidr)`.
fn to_string(args: &[Value]) -> Result<Value, ExecutionError> {
    let [v] = take("string", args)?;
    if let Ok(ip) = opaque::<CelIp>("string", v) {
        return Ok(Value::from(net::canonical_ip(&ip.0)));
    }
    Ok(Value::from(opaque::<CelCidr>("string", v)?.0.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{all_errors, all_true};

    /// Cases of upstream's IP and CIDR library tests.
    #[test]
    fn the_kubernetes_ip_and_cidr_libraries() {
        all_true(&[
            "isIP('1.2.3.4')",
            "isIP('2001:db8::68')",
            "!isIP('1.2.3.4.5')",
            "!isIP('010.0.0.1')",
            "!isIP('fe80::1%eth0')",
            "!isIP('::ffff:1.2.3.4')",
            "ip('1.2.3.4').family() == 4",
            "ip('2001:db8::68').family() == 6",
            "ip('1.2.3.4') == ip('1.2.3.4')",
            "ip('1.2.3.4') != ip('1.2.3.5')",
            "ip.isCanonical('127.0.0.1')",
            "ip.isCanonical('2001:db8::abcd')",
            "!ip.isCanonical('2001:DB8::ABCD')",
            "!ip.isCanonical('2001:db8:0:0:0:0:0:abcd')",
            "ip('127.0.0.1').isLoopback()",
            "ip('::1').isLoopback()",
            "!ip('1.2.3.4').isLoopback()",
            "ip('0.0.0.0').isUnspecified()",
            "ip('::').isUnspecified()",
            "ip('224.0.0.1').isLinkLocalMulticast()",
            "ip('ff02::1').isLinkLocalMulticast()",
            "ip('169.254.169.254').isLinkLocalUnicast()",
            "ip('fe80::1').isLinkLocalUnicast()",
            "ip('192.168.0.1').isGlobalUnicast()",
            "!ip('255.255.255.255').isGlobalUnicast()",
            "isCIDR('10.0.0.0/8')",
            "isCIDR('2001:db8::/32')",
            "!isCIDR('10.0.0.0')",
            "!isCIDR('10.0.0.0/33')",
            "!isCIDR('10.0.0.0/08')",
            "cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))",
            "cidr('192.168.0.0/24').containsIP('192.168.0.1')",
            "!cidr('192.168.0.0/24').containsIP('192.168.1.1')",
            "!cidr('192.168.0.0/24').containsIP('2001:db8::1')",
            "cidr('192.168.0.0/24').containsCIDR('192.168.0.0/25')",
            "!cidr('192.168.0.0/24').containsCIDR('192.168.0.0/23')",
            "cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.128/25'))",
            "cidr('192.168.0.1/24').ip() == ip('192.168.0.1')",
            "cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')",
            "cidr('192.168.0.0/24').prefixLength() == 24",
            "cidr('2001:db8::/32').family() == 6",
            "string(ip('2001:db8:0:0:0:0:0:1')) == '2001:db8::1'",
            "string(cidr('192.168.0.1/24').masked()) == '192.168.0.0/24'",
            "string(cidr('2001:db8::1/64').ip()) == '2001:db8::1'",
            // The standard `string` overloads still answer.
            "string(1) == '1' && string('a') == 'a'",
        ]);
        all_errors(&[
            "ip('1.2.3')",
            "cidr('1.2.3.4')",
            "cidr('10.0.0.0/8').containsIP('x')",
            "ip.isCanonical('x')",
            "string(quantity('1'))",
        ]);
    }
}
