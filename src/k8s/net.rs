//! IP addresses and CIDRs as Kubernetes reads and validates them.
//!
//! Two parsers matter upstream:
//!
//! - the *sloppy* one (k8s.io/utils `net.ParseIPSloppy` / `ParseCIDRSloppy`, a fork of Go's old
//!   `net.ParseIP`), which every legacy field (`podIP`, `clusterIP`, `hostAliases[].ip`,
//!   `loadBalancerSourceRanges`, …) goes through: it accepts leading zeros (`010.1.1.1` is
//!   10.1.1.1, not octal), IPv6 groups of more than four hex digits when the extra ones are
//!   zeros, IPv4-mapped IPv6 (`::ffff:1.2.3.4`, which it treats as the IPv4 address) and CIDRs
//!   with host bits set (`10.0.0.1/8`);
//! - the *strict* one (Go's `netip.ParseAddr` / `ParsePrefix`), which the CEL `ip`/`cidr`
//!   library and strict validation (apimachinery `pkg/util/validation/ip.go`) use.
//!
//! Which one a legacy field gets depends on the `StrictIPCIDRValidation` feature gate: alpha
//! and off by default from 1.33 (so up to at least 1.35 the API server accepts the sloppy forms
//! and only warns about them). Fields added since then use the strict validators
//! (`IsValidIP`, `IsValidCIDR`), which also demand the canonical spelling.
//!
//! Validators return upstream's messages. Warnings are returned without the field path
//! upstream puts in front (`"<path>: "`).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address as the sloppy parser reads it, with what the strict parser would object to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SloppyIp {
    /// The address; an IPv4-mapped IPv6 address is folded to IPv4, as Go's `net.IP` does.
    pub addr: IpAddr,
    /// Written as IPv4-mapped IPv6 (`::ffff:1.2.3.4`).
    pub ipv4_mapped: bool,
    /// An IPv4 octet with a leading zero (`010`) or an IPv6 group longer than four digits.
    pub leading_zeros: bool,
}

/// Why the strict parser refuses an address (the CEL library's reasons).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpError {
    /// Not an address `netip.ParseAddr` accepts.
    Invalid,
    /// An IPv6 zone (`fe80::1%eth0`), which Kubernetes never allows.
    Zone,
    /// An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`), which Kubernetes never allows.
    Ipv4Mapped,
}

impl fmt::Display for IpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IpError::Invalid => "not a valid IP address",
            IpError::Zone => "IP address with zone value is not allowed",
            IpError::Ipv4Mapped => "IPv4-mapped IPv6 address is not allowed",
        })
    }
}

impl std::error::Error for IpError {}

/// Reads decimal digits like Go's `dtoi`: (value, digits used); `None` without a digit or
/// once the value reaches 0xFFFFFF.
fn dtoi(s: &[u8]) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        n = n * 10 + (s[i] - b'0') as u32;
        if n >= 0xFF_FFFF {
            return None;
        }
        i += 1;
    }
    (i > 0).then_some((n, i))
}

/// Reads hex digits like Go's `xtoi`.
fn xtoi(s: &[u8]) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = 0;
    while i < s.len() {
        let d = match s[i] {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'f' => c - b'a' + 10,
            c @ b'A'..=b'F' => c - b'A' + 10,
            _ => break,
        };
        n = n * 16 + d as u32;
        if n >= 0xFF_FFFF {
            return None;
        }
        i += 1;
    }
    (i > 0).then_some((n, i))
}

/// The sloppy IPv4 parser; sets `*zeros` when an octet has a leading zero.
fn parse_v4(s: &[u8], zeros: &mut bool) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut rest = s;
    for (i, octet) in out.iter_mut().enumerate() {
        if rest.is_empty() {
            return None;
        }
        if i > 0 {
            if rest[0] != b'.' {
                return None;
            }
            rest = &rest[1..];
        }
        let (n, c) = dtoi(rest)?;
        if n > 0xFF {
            return None;
        }
        if c > 1 && rest[0] == b'0' {
            *zeros = true;
        }
        *octet = n as u8;
        rest = &rest[c..];
    }
    rest.is_empty().then_some(out)
}

/// The sloppy IPv6 parser; sets `*zeros` when a group has more than four digits.
fn parse_v6(s: &[u8], zeros: &mut bool) -> Option<[u8; 16]> {
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    let mut s = s;
    if s.len() >= 2 && s[0] == b':' && s[1] == b':' {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Some(ip);
        }
    }
    let mut i = 0;
    while i < 16 {
        let (n, c) = xtoi(s)?;
        if n > 0xFFFF {
            return None;
        }
        if c < s.len() && s[c] == b'.' {
            if ellipsis.is_none() && i != 12 {
                return None;
            }
            if i + 4 > 16 {
                return None;
            }
            let v4 = parse_v4(s, zeros)?;
            ip[i..i + 4].copy_from_slice(&v4);
            s = &[];
            i += 4;
            break;
        }
        if c > 4 {
            *zeros = true;
        }
        ip[i] = (n >> 8) as u8;
        ip[i + 1] = n as u8;
        i += 2;
        s = &s[c..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' || s.len() == 1 {
            return None;
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return None;
    }
    if i < 16 {
        let e = ellipsis?;
        let n = 16 - i;
        for j in (e..i).rev() {
            ip[j + n] = ip[j];
        }
        for b in &mut ip[e..e + n] {
            *b = 0;
        }
    } else if ellipsis.is_some() {
        return None;
    }
    Some(ip)
}

fn fold(bytes: [u8; 16], zeros: bool) -> SloppyIp {
    let v6 = Ipv6Addr::from(bytes);
    match v6.to_ipv4_mapped() {
        Some(v4) => SloppyIp {
            addr: IpAddr::V4(v4),
            ipv4_mapped: true,
            leading_zeros: zeros,
        },
        None => SloppyIp {
            addr: IpAddr::V6(v6),
            ipv4_mapped: false,
            leading_zeros: zeros,
        },
    }
}

/// k8s.io/utils `net.ParseIPSloppy`: the first `.` or `:` decides the family.
pub fn parse_ip_sloppy(s: &str) -> Option<SloppyIp> {
    let b = s.as_bytes();
    let mut zeros = false;
    match b.iter().find(|&&c| c == b'.' || c == b':')? {
        b'.' => {
            let v4 = parse_v4(b, &mut zeros)?;
            Some(SloppyIp {
                addr: IpAddr::V4(Ipv4Addr::from(v4)),
                ipv4_mapped: false,
                leading_zeros: zeros,
            })
        }
        _ => Some(fold(parse_v6(b, &mut zeros)?, zeros)),
    }
}

/// Go's `netip.ParseAddr` with the CEL library's extra refusals (zones, IPv4-mapped IPv6).
pub fn parse_ip(s: &str) -> Result<IpAddr, IpError> {
    if let Some((addr, zone)) = s.split_once('%') {
        // netip accepts a non-empty zone on an IPv6 address; Kubernetes refuses it.
        return match parse_ip(addr) {
            Ok(IpAddr::V6(_)) | Err(IpError::Ipv4Mapped) if !zone.is_empty() => Err(IpError::Zone),
            _ => Err(IpError::Invalid),
        };
    }
    let parsed = parse_ip_sloppy(s).ok_or(IpError::Invalid)?;
    if parsed.leading_zeros {
        return Err(IpError::Invalid);
    }
    if parsed.ipv4_mapped {
        return Err(IpError::Ipv4Mapped);
    }
    Ok(parsed.addr)
}

/// 4 or 6 (CEL's `family()`).
pub fn family(addr: &IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => 4,
        IpAddr::V6(_) => 6,
    }
}

/// Go's `String()` for an address: dotted IPv4; IPv6 in RFC 5952 form (lower case, the first
/// longest run of two or more zero groups as `::`).
pub fn canonical_ip(addr: &IpAddr) -> String {
    match addr {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let g = v6.segments();
            let (mut best_start, mut best_len) = (0, 0);
            let mut i = 0;
            while i < 8 {
                let mut j = i;
                while j < 8 && g[j] == 0 {
                    j += 1;
                }
                if j - i >= 2 && j - i > best_len {
                    (best_start, best_len) = (i, j - i);
                }
                i = j.max(i + 1);
            }
            let hex = |gs: &[u16]| {
                gs.iter()
                    .map(|x| format!("{x:x}"))
                    .collect::<Vec<_>>()
                    .join(":")
            };
            if best_len == 0 {
                hex(&g)
            } else {
                format!(
                    "{}::{}",
                    hex(&g[..best_start]),
                    hex(&g[best_start + best_len..])
                )
            }
        }
    }
}

/// `0.0.0.0` or `::`.
pub fn is_unspecified(addr: &IpAddr) -> bool {
    addr.is_unspecified()
}

/// `127.0.0.0/8` or `::1`.
pub fn is_loopback(addr: &IpAddr) -> bool {
    addr.is_loopback()
}

/// `224.0.0.0/4` or `ff00::/8`.
pub fn is_multicast(addr: &IpAddr) -> bool {
    addr.is_multicast()
}

/// `169.254.0.0/16` or `fe80::/10`.
pub fn is_link_local_unicast(addr: &IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => v4.octets()[..2] == [169, 254],
        IpAddr::V6(v6) => v6.segments()[0] & 0xffc0 == 0xfe80,
    }
}

/// `224.0.0.0/24` or `ff02::/16`.
pub fn is_link_local_multicast(addr: &IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.segments()[0] == 0xff02,
    }
}

/// Go's `IsGlobalUnicast`: anything but unspecified, limited broadcast, loopback, multicast and
/// link-local unicast (private ranges count as global, as in Go).
pub fn is_global_unicast(addr: &IpAddr) -> bool {
    if let IpAddr::V4(v4) = addr {
        if v4.is_broadcast() {
            return false;
        }
    }
    !is_unspecified(addr)
        && !is_loopback(addr)
        && !is_multicast(addr)
        && !is_link_local_unicast(addr)
}

/// A CIDR: an address (host bits kept as written) and a prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cidr {
    addr: IpAddr,
    prefix_len: u8,
}

/// A CIDR as the sloppy parser reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SloppyCidr {
    /// The CIDR as written (IPv4-mapped addresses folded to IPv4, prefix adjusted by −96).
    pub cidr: Cidr,
    /// Leading zeros in the address or in the prefix length.
    pub leading_zeros: bool,
    /// Written as IPv4-mapped IPv6.
    pub ipv4_mapped: bool,
}

fn mask_bytes(bytes: &mut [u8], prefix_len: u8) {
    for (i, b) in bytes.iter_mut().enumerate() {
        let start = (i * 8) as u32;
        let keep = (prefix_len as u32).saturating_sub(start).min(8);
        *b &= if keep == 0 { 0 } else { 0xffu8 << (8 - keep) };
    }
}

fn masked_addr(addr: &IpAddr, prefix_len: u8) -> IpAddr {
    match addr {
        IpAddr::V4(v4) => {
            let mut o = v4.octets();
            mask_bytes(&mut o, prefix_len);
            IpAddr::V4(Ipv4Addr::from(o))
        }
        IpAddr::V6(v6) => {
            let mut o = v6.octets();
            mask_bytes(&mut o, prefix_len);
            IpAddr::V6(Ipv6Addr::from(o))
        }
    }
}

fn bit_len(addr: &IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

impl Cidr {
    /// A CIDR from an address and a prefix length; `None` when the length is too long.
    pub fn new(addr: IpAddr, prefix_len: u8) -> Option<Cidr> {
        (prefix_len <= bit_len(&addr)).then_some(Cidr { addr, prefix_len })
    }

    /// k8s.io/utils `net.ParseCIDRSloppy`: IPv4 first, then IPv6; a decimal prefix length
    /// (leading zeros allowed) no longer than the address.
    pub fn parse_sloppy(s: &str) -> Option<SloppyCidr> {
        let (addr, len) = s.split_once('/')?;
        let mut zeros = false;
        let (bytes16, v4_text) = match parse_v4(addr.as_bytes(), &mut zeros) {
            Some(v4) => (Ipv4Addr::from(v4).to_ipv6_mapped().octets(), true),
            None => (parse_v6(addr.as_bytes(), &mut zeros)?, false),
        };
        let (n, used) = dtoi(len.as_bytes())?;
        let max = if v4_text { 32 } else { 128 };
        if used != len.len() || n > max {
            return None;
        }
        if used > 1 && len.starts_with('0') {
            zeros = true;
        }
        let n = n as u8;
        if v4_text {
            return Some(SloppyCidr {
                cidr: Cidr {
                    addr: IpAddr::V4(Ipv4Addr::from(<[u8; 4]>::try_from(&bytes16[12..]).ok()?)),
                    prefix_len: n,
                },
                leading_zeros: zeros,
                ipv4_mapped: false,
            });
        }
        let v6 = Ipv6Addr::from(bytes16);
        let (addr, prefix_len, mapped) = match v6.to_ipv4_mapped() {
            // Go prints a mapped network as IPv4 once the mask covers the ::ffff: part.
            Some(v4) if n >= 96 => (IpAddr::V4(v4), n - 96, true),
            Some(_) => (IpAddr::V6(v6), n, true),
            None => (IpAddr::V6(v6), n, false),
        };
        Some(SloppyCidr {
            cidr: Cidr { addr, prefix_len },
            leading_zeros: zeros,
            ipv4_mapped: mapped,
        })
    }

    /// Go's `netip.ParsePrefix` with the CEL library's refusal of IPv4-mapped addresses: the
    /// strict address grammar, no zone, a prefix length without leading zeros.
    pub fn parse(s: &str) -> Result<Cidr, IpError> {
        let (addr, len) = s.rsplit_once('/').ok_or(IpError::Invalid)?;
        let addr = parse_ip(addr)?;
        let lb = len.as_bytes();
        if lb.is_empty()
            || !lb.iter().all(u8::is_ascii_digit)
            || (lb.len() > 1 && lb[0] == b'0')
            || lb.len() > 3
        {
            return Err(IpError::Invalid);
        }
        let n: u8 = len.parse().map_err(|_| IpError::Invalid)?;
        Cidr::new(addr, n).ok_or(IpError::Invalid)
    }

    /// The address as written (CEL's `cidr.ip()`).
    pub fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length (CEL's `prefixLength()`).
    pub fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    /// 4 or 6.
    pub fn family(&self) -> u8 {
        family(&self.addr)
    }

    /// The network: host bits cleared (CEL's `masked()`).
    pub fn masked(&self) -> Cidr {
        Cidr {
            addr: masked_addr(&self.addr, self.prefix_len),
            prefix_len: self.prefix_len,
        }
    }

    /// Whether the address has bits set beyond the prefix length.
    pub fn has_host_bits(&self) -> bool {
        self.masked().addr != self.addr
    }

    /// Whether `ip` is inside (same family, same network bits).
    pub fn contains_ip(&self, ip: &IpAddr) -> bool {
        family(ip) == self.family()
            && masked_addr(ip, self.prefix_len) == masked_addr(&self.addr, self.prefix_len)
    }

    /// Whether the two share any address (same family, equal under the shorter prefix).
    pub fn overlaps(&self, other: &Cidr) -> bool {
        if self.family() != other.family() {
            return false;
        }
        let bits = self.prefix_len.min(other.prefix_len);
        masked_addr(&self.addr, bits) == masked_addr(&other.addr, bits)
    }

    /// Whether every address of `other` is in `self` (CEL's `containsCIDR`).
    pub fn contains_cidr(&self, other: &Cidr) -> bool {
        self.overlaps(other) && self.prefix_len <= other.prefix_len
    }
}

impl fmt::Display for Cidr {
    /// `address/length`, the address in [`canonical_ip`] form (host bits as written).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", canonical_ip(&self.addr), self.prefix_len)
    }
}

const IP_INVALID: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
const CIDR_INVALID: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

fn ip_errors(value: &str, strict: bool) -> (Option<SloppyIp>, Vec<String>) {
    let Some(ip) = parse_ip_sloppy(value) else {
        return (None, vec![IP_INVALID.to_string()]);
    };
    let mut errs = Vec::new();
    if strict {
        if ip.leading_zeros {
            errs.push("must not have leading 0s".to_string());
        } else if ip.ipv4_mapped {
            errs.push("must not be an IPv4-mapped IPv6 address".to_string());
        }
    }
    (Some(ip), errs)
}

/// apimachinery `IsValidIPForLegacyField` (without the list of previously stored values):
/// sloppy parsing, plus the strict refusals when `strict` (the `StrictIPCIDRValidation` gate).
pub fn validate_ip_for_legacy_field(value: &str, strict: bool) -> Vec<String> {
    ip_errors(value, strict).1
}

/// apimachinery `IsValidIP`: strict, and in canonical form.
pub fn validate_ip(value: &str) -> Vec<String> {
    let (ip, mut errs) = ip_errors(value, true);
    if let (Some(ip), true) = (ip, errs.is_empty()) {
        let canonical = canonical_ip(&ip.addr);
        if canonical != value {
            errs.push(format!("must be in canonical form (\"{canonical}\")"));
        }
    }
    errs
}

/// apimachinery `GetWarningsForIP`, for values that passed the legacy validation.
pub fn ip_warnings(value: &str) -> Vec<String> {
    let Some(ip) = parse_ip_sloppy(value) else {
        return Vec::new();
    };
    let canonical = canonical_ip(&ip.addr);
    if ip.leading_zeros || ip.ipv4_mapped {
        return vec![format!(
            "non-standard IP address \"{value}\" is invalid: use \"{canonical}\""
        )];
    }
    if ip.addr.is_ipv6() && canonical != value {
        return vec![format!(
            "IPv6 address \"{value}\" should be in RFC 5952 canonical format (\"{canonical}\")"
        )];
    }
    Vec::new()
}

fn cidr_errors(value: &str, strict: bool) -> (Option<SloppyCidr>, Vec<String>) {
    let Some(c) = Cidr::parse_sloppy(value) else {
        return (None, vec![CIDR_INVALID.to_string()]);
    };
    let mut errs = Vec::new();
    if strict {
        if c.leading_zeros {
            errs.push("must not have leading 0s in IP or prefix length".to_string());
        } else if c.ipv4_mapped {
            errs.push("must not have an IPv4-mapped IPv6 address".to_string());
        } else if c.cidr.has_host_bits() {
            errs.push("must not have bits set beyond the prefix length".to_string());
        }
    }
    (Some(c), errs)
}

/// apimachinery `IsValidCIDRForLegacyField` (without the list of previously stored values).
pub fn validate_cidr_for_legacy_field(value: &str, strict: bool) -> Vec<String> {
    cidr_errors(value, strict).1
}

/// apimachinery `IsValidCIDR`: strict, no host bits, canonical form.
pub fn validate_cidr(value: &str) -> Vec<String> {
    let (c, mut errs) = cidr_errors(value, true);
    if let (Some(c), true) = (c, errs.is_empty()) {
        let canonical = c.cidr.masked().to_string();
        if canonical != value {
            errs.push(format!("must be in canonical form (\"{canonical}\")"));
        }
    }
    errs
}

/// apimachinery `GetWarningsForCIDR`, for values that passed the legacy validation.
pub fn cidr_warnings(value: &str) -> Vec<String> {
    let Some(c) = Cidr::parse_sloppy(value) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    let network = c.cidr.masked();
    if c.cidr.has_host_bits() {
        let single = format!(
            "{}/{}",
            canonical_ip(&c.cidr.addr),
            bit_len(&c.cidr.addr) as u32 + if c.ipv4_mapped { 96 } else { 0 }
        );
        warnings.push(format!(
            "CIDR value \"{value}\" is ambiguous in this context (should be \"{network}\" or \"{single}\"?)"
        ));
    }
    if c.leading_zeros || c.ipv4_mapped {
        warnings.push(format!(
            "non-standard CIDR value \"{value}\" is invalid: use \"{network}\""
        ));
    }
    if warnings.is_empty() && c.cidr.addr.is_ipv6() && c.cidr.to_string() != value {
        warnings.push(format!(
            "IPv6 CIDR value \"{value}\" should be in RFC 5952 canonical format (\"{}\")",
            c.cidr
        ));
    }
    warnings
}

/// apimachinery `IsValidInterfaceAddress`: an address with its subnet length
/// (`192.168.1.5/24`), in canonical form.
pub fn validate_interface_address(value: &str) -> Vec<String> {
    let Some(c) = Cidr::parse_sloppy(value) else {
        return vec![
            "must be a valid address in CIDR form, (e.g. 10.9.8.7/24 or 2001:db8::1/64)"
                .to_string(),
        ];
    };
    let canonical = c.cidr.to_string();
    if canonical != value {
        return vec![format!("must be in canonical form (\"{canonical}\")")];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    /// Mirrors k8s.io/utils `ParseIPSloppy` (forked net.ParseIP and its tests).
    #[test]
    fn sloppy_ip() {
        let accepted: [(&str, &str, bool, bool); 14] = [
            // input, address, leading zeros, mapped
            ("1.2.3.4", "1.2.3.4", false, false),
            ("0.0.0.0", "0.0.0.0", false, false),
            ("255.255.255.255", "255.255.255.255", false, false),
            ("010.001.002.003", "10.1.2.3", true, false),
            ("0000000001.2.3.4", "1.2.3.4", true, false),
            ("::", "::", false, false),
            ("::1", "::1", false, false),
            ("2001:DB8::ABCD", "2001:db8::abcd", false, false),
            ("2001:db8:0:0:0:0:0:1", "2001:db8::1", false, false),
            ("0002001:db8::1", "2001:db8::1", true, false),
            ("::ffff:1.2.3.4", "1.2.3.4", false, true),
            ("::ffff:01.2.3.4", "1.2.3.4", true, true),
            ("::1.2.3.4", "::102:304", false, false),
            ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304", false, false),
        ];
        for (input, addr, zeros, mapped) in accepted {
            let got = parse_ip_sloppy(input).unwrap_or_else(|| panic!("{input} should parse"));
            assert_eq!(got.addr, ip(addr), "{input}");
            assert_eq!(got.leading_zeros, zeros, "{input}");
            assert_eq!(got.ipv4_mapped, mapped, "{input}");
        }
        for input in [
            "",
            "1",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1.2.3.4 ",
            " 1.2.3.4",
            "1.2.3.-4",
            "1..2.3",
            ":::",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8::",
            "fe80::1%eth0",
            "10000::",
            "1:2:3:4:5:1.2.3.4",
            "::1.2.3",
            "2001:db8::/64",
            "localhost",
        ] {
            assert_eq!(parse_ip_sloppy(input), None, "{input:?}");
        }
    }

    /// Mirrors `netip.ParseAddr` plus the CEL library's refusals (`parseIPAddr` in ip.go).
    #[test]
    fn strict_ip() {
        assert_eq!(parse_ip("10.0.0.1"), Ok(ip("10.0.0.1")));
        assert_eq!(parse_ip("2001:DB8::1"), Ok(ip("2001:db8::1")));
        assert_eq!(parse_ip("010.0.0.1"), Err(IpError::Invalid));
        assert_eq!(parse_ip("00001::"), Err(IpError::Invalid));
        assert_eq!(parse_ip("::ffff:1.2.3.4"), Err(IpError::Ipv4Mapped));
        assert_eq!(parse_ip("fe80::1%eth0"), Err(IpError::Zone));
        assert_eq!(parse_ip("fe80::1%"), Err(IpError::Invalid));
        assert_eq!(parse_ip("1.2.3.4%eth0"), Err(IpError::Invalid));
        assert_eq!(parse_ip(""), Err(IpError::Invalid));
    }

    #[test]
    fn canonical_ip_form() {
        let cases = [
            ("2001:db8:0:0:0:0:0:1", "2001:db8::1"),
            ("2001:DB8::ABCD", "2001:db8::abcd"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
            ("2001:0:0:1:0:0:1:1", "2001::1:0:0:1:1"),
            ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
            ("0:0:0:0:0:0:0:0", "::"),
            ("::1.2.3.4", "::102:304"),
            ("fe80:0:0:0:0:0:0:0abc", "fe80::abc"),
        ];
        for (input, want) in cases {
            assert_eq!(canonical_ip(&ip(input)), want, "{input}");
        }
    }

    #[test]
    fn predicates() {
        assert!(is_loopback(&ip("127.1.2.3")));
        assert!(is_loopback(&ip("::1")));
        assert!(!is_loopback(&ip("::2")));
        assert!(is_unspecified(&ip("0.0.0.0")));
        assert!(is_unspecified(&ip("::")));
        assert!(is_link_local_unicast(&ip("169.254.1.1")));
        assert!(is_link_local_unicast(&ip("fe80::1")));
        assert!(is_link_local_unicast(&ip("febf::1")));
        assert!(!is_link_local_unicast(&ip("fec0::1")));
        assert!(is_link_local_multicast(&ip("224.0.0.251")));
        assert!(!is_link_local_multicast(&ip("224.0.1.1")));
        assert!(is_link_local_multicast(&ip("ff02::fb")));
        assert!(!is_link_local_multicast(&ip("ff05::1")));
        for global in [
            "10.0.0.1",
            "192.168.1.1",
            "8.8.8.8",
            "2001:db8::1",
            "fd00::1",
        ] {
            assert!(is_global_unicast(&ip(global)), "{global}");
        }
        for not_global in [
            "0.0.0.0",
            "255.255.255.255",
            "127.0.0.1",
            "224.0.0.1",
            "169.254.0.1",
            "::",
            "::1",
            "ff02::1",
            "fe80::1",
        ] {
            assert!(!is_global_unicast(&ip(not_global)), "{not_global}");
        }
        assert_eq!(family(&ip("1.2.3.4")), 4);
        assert_eq!(family(&ip("::1")), 6);
    }

    /// Mirrors k8s.io/utils `ParseCIDRSloppy`.
    #[test]
    fn sloppy_cidr() {
        let c = Cidr::parse_sloppy("10.0.0.1/8").unwrap();
        assert_eq!(c.cidr.addr(), ip("10.0.0.1"));
        assert_eq!(c.cidr.prefix_len(), 8);
        assert_eq!(c.cidr.masked().to_string(), "10.0.0.0/8");
        assert!(!c.leading_zeros);
        assert!(Cidr::parse_sloppy("010.0.0.0/8").unwrap().leading_zeros);
        assert!(Cidr::parse_sloppy("10.0.0.0/08").unwrap().leading_zeros);
        let mapped = Cidr::parse_sloppy("::ffff:192.168.0.1/120").unwrap();
        assert!(mapped.ipv4_mapped);
        assert_eq!(mapped.cidr.to_string(), "192.168.0.1/24");
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "10.0.0.0/+8",
            "10.0.0.0/8/8",
            "10.0.0.0 /8",
            "/8",
            "fe80::%eth0/64",
        ] {
            assert_eq!(Cidr::parse_sloppy(bad), None, "{bad:?}");
        }
    }

    /// Mirrors `netip.ParsePrefix` (CEL `cidr()`).
    #[test]
    fn strict_cidr() {
        assert!(Cidr::parse("10.0.0.0/8").is_ok());
        assert!(
            Cidr::parse("10.0.0.1/8").is_ok(),
            "host bits are kept, not refused"
        );
        assert!(Cidr::parse("::/0").is_ok());
        assert!(Cidr::parse("10.0.0.0/08").is_err());
        assert!(Cidr::parse("010.0.0.0/8").is_err());
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("10.0.0.0/+8").is_err());
        assert_eq!(Cidr::parse("::ffff:1.2.3.4/120"), Err(IpError::Ipv4Mapped));
        assert_eq!(Cidr::parse("fe80::1%eth0/64"), Err(IpError::Zone));
    }

    #[test]
    fn containment_and_overlap() {
        let c = |s: &str| Cidr::parse(s).unwrap();
        assert!(c("10.0.0.0/8").contains_ip(&ip("10.255.0.1")));
        assert!(!c("10.0.0.0/8").contains_ip(&ip("11.0.0.1")));
        assert!(!c("0.0.0.0/0").contains_ip(&ip("::1")));
        assert!(c("10.0.0.1/8").contains_ip(&ip("10.9.9.9")));
        assert!(c("10.0.0.0/8").contains_cidr(&c("10.1.0.0/16")));
        assert!(c("10.0.0.0/8").contains_cidr(&c("10.0.0.0/8")));
        assert!(!c("10.1.0.0/16").contains_cidr(&c("10.0.0.0/8")));
        assert!(c("10.1.0.0/16").overlaps(&c("10.0.0.0/8")));
        assert!(!c("10.0.0.0/16").overlaps(&c("10.1.0.0/16")));
        assert!(!c("::/0").overlaps(&c("0.0.0.0/0")));
        assert!(c("2001:db8::/32").contains_ip(&ip("2001:db8:ffff::1")));
        assert!(!c("2001:db8::/32").contains_ip(&ip("2001:db9::1")));
        assert_eq!(c("2001:db8::1/32").masked().to_string(), "2001:db8::/32");
        assert_eq!(c("10.1.2.3/0").masked().to_string(), "0.0.0.0/0");
        assert_eq!(c("10.1.2.3/32").masked().to_string(), "10.1.2.3/32");
        assert_eq!(c("10.1.2.3/23").masked().to_string(), "10.1.2.0/23");
    }

    /// Mirrors apimachinery ip.go `IsValidIPForLegacyField` / `IsValidIP` / `GetWarningsForIP`
    /// (and ip_test.go's tables).
    #[test]
    fn ip_validators() {
        let invalid = vec![IP_INVALID.to_string()];
        assert_eq!(
            validate_ip_for_legacy_field("1.2.3.4", true),
            Vec::<String>::new()
        );
        assert_eq!(
            validate_ip_for_legacy_field("001.2.3.4", false),
            Vec::<String>::new()
        );
        assert_eq!(
            validate_ip_for_legacy_field("001.2.3.4", true),
            vec!["must not have leading 0s"]
        );
        assert_eq!(
            validate_ip_for_legacy_field("::ffff:1.2.3.4", true),
            vec!["must not be an IPv4-mapped IPv6 address"]
        );
        assert_eq!(validate_ip_for_legacy_field("bad", false), invalid);
        assert_eq!(validate_ip_for_legacy_field("", false), invalid);
        assert_eq!(validate_ip("2001:db8::1"), Vec::<String>::new());
        assert_eq!(
            validate_ip("2001:DB8::1"),
            vec![r#"must be in canonical form ("2001:db8::1")"#]
        );
        assert_eq!(validate_ip("1.2.3.04"), vec!["must not have leading 0s"]);
        assert_eq!(
            ip_warnings("010.0.0.1"),
            vec![r#"non-standard IP address "010.0.0.1" is invalid: use "10.0.0.1""#]
        );
        assert_eq!(
            ip_warnings("::ffff:1.2.3.4"),
            vec![r#"non-standard IP address "::ffff:1.2.3.4" is invalid: use "1.2.3.4""#]
        );
        assert_eq!(
            ip_warnings("2001:db8:0::1"),
            vec![
                r#"IPv6 address "2001:db8:0::1" should be in RFC 5952 canonical format ("2001:db8::1")"#
            ]
        );
        assert!(ip_warnings("10.0.0.1").is_empty());
    }

    /// Mirrors apimachinery ip.go's CIDR validators and warnings.
    #[test]
    fn cidr_validators() {
        let none = Vec::<String>::new();
        assert_eq!(validate_cidr_for_legacy_field("10.0.0.1/8", false), none);
        assert_eq!(
            validate_cidr_for_legacy_field("10.0.0.1/8", true),
            vec!["must not have bits set beyond the prefix length"]
        );
        assert_eq!(
            validate_cidr_for_legacy_field("10.0.0.0/08", true),
            vec!["must not have leading 0s in IP or prefix length"]
        );
        assert_eq!(
            validate_cidr_for_legacy_field("::ffff:10.0.0.0/104", true),
            vec!["must not have an IPv4-mapped IPv6 address"]
        );
        assert_eq!(
            validate_cidr_for_legacy_field("10.0.0.0", false),
            vec![CIDR_INVALID]
        );
        assert_eq!(validate_cidr("10.0.0.0/8"), none);
        assert_eq!(
            validate_cidr("2001:DB8::/32"),
            vec![r#"must be in canonical form ("2001:db8::/32")"#]
        );
        assert_eq!(
            cidr_warnings("10.0.0.1/8"),
            vec![
                r#"CIDR value "10.0.0.1/8" is ambiguous in this context (should be "10.0.0.0/8" or "10.0.0.1/32"?)"#
            ]
        );
        assert_eq!(
            cidr_warnings("010.0.0.0/8"),
            vec![r#"non-standard CIDR value "010.0.0.0/8" is invalid: use "10.0.0.0/8""#]
        );
        assert_eq!(
            cidr_warnings("2001:db8:0::/48"),
            vec![
                r#"IPv6 CIDR value "2001:db8:0::/48" should be in RFC 5952 canonical format ("2001:db8::/48")"#
            ]
        );
        assert!(cidr_warnings("10.0.0.0/8").is_empty());
        assert_eq!(validate_interface_address("192.168.1.5/24"), none);
        assert_eq!(
            validate_interface_address("::ffff:192.168.0.1/120"),
            vec![r#"must be in canonical form ("192.168.0.1/24")"#]
        );
        assert_eq!(
            validate_interface_address("192.168.1.5"),
            vec!["must be a valid address in CIDR form, (e.g. 10.9.8.7/24 or 2001:db8::1/64)"]
        );
    }
}
