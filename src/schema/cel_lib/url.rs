//! The Kubernetes URL library: `url(s)` and `isURL(s)` accept what Go's `url.ParseRequestURI`
//! does (an absolute URI or an absolute path), and the URL `url(s)` returns is then read as
//! Go's `url.Parse` reads `s` (the fragment split off), as upstream does; it answers
//! `getScheme`, `getHost`, `getHostname`, `getPort`, `getEscapedPath` and `getQuery` as Go's
//! `URL` does (a percent-escaped host unescaped, as Go reads it). Inputs whose reading depends
//! on details not ported here (IPv6 zones, a host that is not UTF-8 once unescaped) are an
//! evaluation error, so that no rule is decided on them.

use super::{error, opaque, overload, string, take, wrap, Def};
use cel::objects::{Key, Map, Opaque};
use cel::{ExecutionError, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// The parts of a parsed URL the library exposes.
#[derive(Debug, PartialEq, Eq, Default)]
pub(super) struct Url {
    scheme: String,
    host: String,
    /// The path as written (still escaped).
    raw_path: String,
    raw_query: String,
}

impl Opaque for Url {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.URL"
    }
}

/// Why a string is not a URL: `Err(Some(reason))` as upstream refuses it, `Err(None)` when
/// this port does not know.
pub(super) type Refusal = Option<String>;

pub(super) fn defs() -> Vec<Def> {
    vec![
        Def::global("url", 1, overload!(url)),
        Def::global("isURL", 1, overload!(is_url)),
        Def::method("getScheme", 0, overload!(get_scheme)),
        Def::method("getHost", 0, overload!(get_host)),
        Def::method("getHostname", 0, overload!(get_hostname)),
        Def::method("getPort", 0, overload!(get_port)),
        Def::method("getEscapedPath", 0, overload!(get_escaped_path)),
        Def::method("getQuery", 0, overload!(get_query)),
    ]
}

fn unknown<T>() -> Result<T, Refusal> {
    Err(None)
}

fn refuse<T>(why: &str) -> Result<T, Refusal> {
    Err(Some(why.to_string()))
}

/// Go's `url.ParseRequestURI`.
pub(super) fn parse_request_uri(s: &str) -> Result<Url, Refusal> {
    parse(s, true)
}

/// Go's `url.Parse`, for a string `url.ParseRequestURI` accepts.
fn parse_url(s: &str) -> Result<Url, Refusal> {
    parse(s.split_once('#').map_or(s, |(before, _)| before), false)
}

/// Go's `url.parse`: `via_request` for `ParseRequestURI`, which neither splits off a
/// fragment (the caller does, for `Parse`) nor reads `//host` without a scheme as a host.
fn parse(s: &str, via_request: bool) -> Result<Url, Refusal> {
    if s.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return refuse("invalid control character in URL");
    }
    if s.is_empty() && via_request {
        return refuse("empty url");
    }
    let mut url = Url::default();
    if s == "*" {
        url.raw_path = "*".into();
        return Ok(url);
    }
    let mut rest = s;
    for (i, c) in s.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return refuse("missing protocol scheme"),
            ':' => {
                url.scheme = s[..i].to_ascii_lowercase();
                rest = &s[i + 1..];
                break;
            }
            _ => break,
        }
    }
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some((before, query)) = rest.split_once('?') {
        url.raw_query = query.to_string();
        rest = before;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            // An opaque URL (`mailto:x`): no host, no path.
            return Ok(url);
        }
        return refuse("invalid URI for request");
    }
    let authority = !url.scheme.is_empty() || (!via_request && !rest.starts_with("///"));
    if authority && rest.starts_with("//") {
        let after = &rest[2..];
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        rest = &after[end..];
        let host = match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                if !userinfo.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&b) || b >= 0x80
                }) {
                    return refuse("net/url: invalid userinfo");
                }
                // The user name and password are unescaped: each `%` starts a valid escape.
                if userinfo.split(':').any(|part| !valid_escapes(part)) {
                    return refuse("invalid URL escape");
                }
                &authority[at + 1..]
            }
            None => authority,
        };
        url.host = parse_host(host)?;
    }
    // The path's escapes must be valid.
    percent_decode(rest, false).ok_or_else(|| Some("invalid URL escape".to_string()))?;
    url.raw_path = rest.to_string();
    Ok(url)
}

/// Go's `parseHost` for the cases ported: a bracketed IPv6 literal with an optional port, or
/// a name or IPv4 address with an optional port.
fn parse_host(host: &str) -> Result<String, Refusal> {
    if let Some(inner) = host.strip_prefix('[') {
        // An IPv6 zone (`%25...`) is not ported.
        if inner.contains('%') {
            return unknown();
        }
        let Some(close) = inner.find(']') else {
            return refuse("missing ']' in host");
        };
        if !valid_optional_port(&inner[close + 1..]) {
            return refuse("invalid port after host");
        }
        if inner[..close].parse::<std::net::Ipv6Addr>().is_err() {
            return unknown();
        }
        return Ok(host.to_string());
    }
    if let Some(colon) = host.rfind(':') {
        if !valid_optional_port(&host[colon..]) {
            return refuse("invalid port after host");
        }
    }
    if host
        .bytes()
        .any(|b| b < 0x80 && !b.is_ascii_alphanumeric() && !b"-_.~!$&'()*+,;=:[]<>\"%".contains(&b))
    {
        return refuse("invalid character in host name");
    }
    // Escapes in a host may only encode bytes beyond ASCII (UTF-8), or `%25`; the host is
    // read unescaped.
    let b = host.as_bytes();
    for (i, _) in host.match_indices('%') {
        let hex = b.get(i + 1..i + 3);
        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
            return refuse("invalid URL escape");
        }
        if b[i + 1] < b'8' && &b[i..i + 3] != b"%25" {
            return refuse("invalid URL escape");
        }
    }
    if !host.contains('%') {
        return Ok(host.to_string());
    }
    // Go's strings hold any bytes; a host that is not UTF-8 once unescaped is not ported.
    percent_decode(host, false).ok_or(None)
}

/// Whether every `%` of `s` starts an escape of two hexadecimal digits.
fn valid_escapes(s: &str) -> bool {
    let b = s.as_bytes();
    s.match_indices('%').all(|(i, _)| {
        b.get(i + 1..i + 3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    })
}

/// `""`, `":"` or `":"` followed by digits.
fn valid_optional_port(port: &str) -> bool {
    port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Decodes `%XX` escapes (and `+` as a space for a query); `None` on a bad escape or a result
/// that is not UTF-8.
fn percent_decode(s: &str, query: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                i += 3;
            }
            b'+' if query => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Whether Go leaves byte `c` of a path unescaped.
fn path_safe(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&c)
}

/// Go's `URL.EscapedPath`: the path as written when it is a valid encoding, else the decoded
/// path escaped again.
fn escaped_path(raw: &str) -> Option<String> {
    let valid = raw
        .bytes()
        .all(|c| path_safe(c) || b"!'()*[]%".contains(&c));
    if valid || raw == "*" {
        return Some(raw.to_string());
    }
    let decoded = percent_decode(raw, false)?;
    let mut out = String::new();
    for c in decoded.bytes() {
        if path_safe(c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    Some(out)
}

/// Go's `URL.Hostname` and `URL.Port`.
fn split_host_port(host: &str) -> (&str, &str) {
    let (mut name, mut port) = (host, "");
    if let Some(colon) = host.rfind(':') {
        if valid_optional_port(&host[colon..]) {
            (name, port) = (&host[..colon], &host[colon + 1..]);
        }
    }
    if let Some(inner) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        name = inner;
    }
    (name, port)
}

fn url(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("url", args)?;
    let s = string("url", s)?;
    match parse_request_uri(s).and_then(|_| parse_url(s)) {
        Ok(u) => Ok(wrap(u)),
        Err(why) => Err(error("url", why.unwrap_or_else(|| "not supported".into()))),
    }
}

fn is_url(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("isURL", args)?;
    match parse_request_uri(string("isURL", s)?) {
        Ok(_) => Ok(Value::Bool(true)),
        Err(Some(_)) => Ok(Value::Bool(false)),
        Err(None) => Err(error("isURL", "not supported")),
    }
}

fn this<'a>(name: &str, args: &'a [Value]) -> Result<&'a Url, ExecutionError> {
    let [u] = take(name, args)?;
    opaque::<Url>(name, u)
}

fn get_scheme(args: &[Value]) -> Result<Value, ExecutionError> {
    Ok(Value::from(this("getScheme", args)?.scheme.clone()))
}

fn get_host(args: &[Value]) -> Result<Value, ExecutionError> {
    Ok(Value::from(this("getHost", args)?.host.clone()))
}

fn get_hostname(args: &[Value]) -> Result<Value, ExecutionError> {
    Ok(Value::from(
        split_host_port(&this("getHostname", args)?.host).0,
    ))
}

fn get_port(args: &[Value]) -> Result<Value, ExecutionError> {
    Ok(Value::from(split_host_port(&this("getPort", args)?.host).1))
}

fn get_escaped_path(args: &[Value]) -> Result<Value, ExecutionError> {
    let u = this("getEscapedPath", args)?;
    escaped_path(&u.raw_path)
        .map(Value::from)
        .ok_or_else(|| error("getEscapedPath", "not supported"))
}

/// Go's `URL.Query`: pairs split at `&`, unescaped; pairs with a `;` or a bad escape are left
/// out.
fn get_query(args: &[Value]) -> Result<Value, ExecutionError> {
    let u = this("getQuery", args)?;
    let mut map: HashMap<Key, Vec<Value>> = HashMap::new();
    let mut order = Vec::new();
    for pair in u.raw_query.split('&') {
        if pair.is_empty() || pair.contains(';') {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(k), Some(v)) = (percent_decode(k, true), percent_decode(v, true)) else {
            continue;
        };
        let key = Key::from(k);
        if !map.contains_key(&key) {
            order.push(key.clone());
        }
        map.entry(key).or_default().push(Value::from(v));
    }
    let map = map
        .into_iter()
        .map(|(k, v)| (k, Value::List(Arc::new(v))))
        .collect::<HashMap<_, _>>();
    Ok(Value::Map(Map { map: Arc::new(map) }))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{all_errors, all_true};

    /// Cases of upstream's URL library documentation and tests.
    #[test]
    fn the_kubernetes_url_library() {
        all_true(&[
            "url('https://example.com/').getScheme() == 'https'",
            "url('HTTPS://example.com/').getScheme() == 'https'",
            "url('https://example.com:80/').getHost() == 'example.com:80'",
            "url('https://example.com/').getHost() == 'example.com'",
            "url('https://[::1]:80/').getHost() == '[::1]:80'",
            "url('https://[::1]/').getHost() == '[::1]'",
            "url('/path').getHost() == ''",
            "url('https://example.com:80/').getHostname() == 'example.com'",
            "url('https://127.0.0.1:80/').getHostname() == '127.0.0.1'",
            "url('https://[::1]:80/').getHostname() == '::1'",
            "url('/path').getHostname() == ''",
            "url('https://example.com:80/').getPort() == '80'",
            "url('https://example.com/').getPort() == ''",
            "url('https://example.com/path').getEscapedPath() == '/path'",
            "url('https://example.com/path with spaces/').getEscapedPath() == '/path%20with%20spaces/'",
            "url('https://example.com/a%20b').getEscapedPath() == '/a%20b'",
            "url('https://example.com').getEscapedPath() == ''",
            "url('https://example.com/#frag').getEscapedPath() == '/'",
            "url('https://example.com/a?q=1#frag').getQuery() == {'q': ['1']}",
            "url('https://example.com/path?key with spaces=value with spaces').getQuery() == {'key with spaces': ['value with spaces']}",
            "url('https://example.com/path?').getQuery() == {}",
            "url('/path').getScheme() == '' && url('/path').getPort() == ''",
            "url('//host/p').getHost() == 'host' && url('//host/p').getEscapedPath() == '/p'",
            "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}",
            "url('https://example.com/path?key-only').getQuery() == {'key-only': ['']}",
            "url('https://example.com/path?a=x+y%21').getQuery() == {'a': ['x y!']}",
            "url('https://example.com/').getQuery() == {}",
            "isURL('https://user:pass@example.com:80/path?query=val#fragment')",
            "url('https://user:pass@example.com:80/path').getHost() == 'example.com:80'",
            "isURL('/absolute-path')",
            "isURL('mailto:someone@example.com')",
            "isURL('*')",
            "!isURL('../relative-path')",
            "!isURL('relative-path')",
            "!isURL('')",
            "!isURL('https://a:b:c/')",
            "!isURL('https://example.com:8a/')",
            "!isURL(':foo')",
            "!isURL('https://ex ample.com/')",
            "!isURL('/a%zz')",
            "!isURL('/a%+1')",
            "url('/a%41').getEscapedPath() == '/a%41'",
        ]);
        // Percent-escapes in hosts (only bytes beyond ASCII, or `%25`) and user info.
        all_true(&[
            "url('https://%C3%A9.example/').getHost() == 'é.example'",
            "url('https://%c3%a9.example:80/').getHostname() == 'é.example'",
            "url('https://a%25b/').getHost() == 'a%b'",
            "!isURL('https://a%20b/')",
            "!isURL('https://a%2/')",
            "!isURL('https://a%zz/')",
            "isURL('https://us%20er:p%40ss@example.com/')",
            "!isURL('https://us%zzer@example.com/')",
            "!isURL('https://user:pa%2@example.com/')",
        ]);
        all_errors(&[
            "url('../relative-path')",
            "isURL('https://[fe80::1%25en0]/')",
            "isURL('https://%FF/')",
        ]);
    }
}
