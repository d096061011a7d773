//! Where a responder may be asked: the URL (plain `http://`, RFC 6960 A.1), the allow-list of
//! host names, and the addresses refused unless configured (an attacker's certificate chooses
//! the URL its verifier will ask). Pure: resolving and connecting are the fetcher's.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A responder URL: `http://host[:port][/path]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpUrl {
    /// The host name or address literal, lower case, without brackets or a trailing dot.
    pub host: String,
    /// The port (80 when not given).
    pub port: u16,
    /// The path and query, `/` when empty.
    pub path: String,
}

impl HttpUrl {
    /// Reads an `http://` URL; None for any other scheme, user information, a fragment, or
    /// characters other than printable ASCII.
    pub fn parse(url: &str) -> Option<HttpUrl> {
        if !url.bytes().all(|b| b.is_ascii_graphic()) || url.contains('#') {
            return None;
        }
        let scheme_len = "http://".len();
        let rest = url
            .get(..scheme_len)?
            .eq_ignore_ascii_case("http://")
            .then(|| &url[scheme_len..])?;
        let (authority, path) = rest.find(['/', '?']).map_or((rest, "/"), |i| rest.split_at(i));
        if authority.contains('@') || authority.is_empty() {
            return None;
        }
        let (host, port) = split_port(authority)?;
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_string()
        };
        (!host.is_empty()).then_some(HttpUrl { host, port, path })
    }

    /// The Host header value.
    pub fn host_header(&self) -> String {
        let host = match self.host.parse::<Ipv6Addr>() {
            Ok(_) => format!("[{}]", self.host),
            Err(_) => self.host.clone(),
        };
        match self.port {
            80 => host,
            p => format!("{host}:{p}"),
        }
    }
}

/// `host[:port]`, with `[v6]` literals.
fn split_port(authority: &str) -> Option<(&str, u16)> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']')?;
            host.parse::<Ipv6Addr>().ok()?;
            (host, after.strip_prefix(':'))
        }
        None => match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    let port = match port {
        Some(p) => p.parse::<u16>().ok().filter(|p| *p != 0)?,
        None => 80,
    };
    let name_ok = host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b));
    name_ok.then_some((host, port))
}

/// Whether `host` is on `allow`: an exact name (case-insensitive) or `*.example.com`, which
/// allows every name below example.com but not example.com itself.
pub fn host_allowed(host: &str, allow: &[String]) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    allow.iter().any(|entry| {
        let entry = entry.trim_end_matches('.').to_ascii_lowercase();
        match entry.strip_prefix("*.") {
            Some(domain) => host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
            None => host == entry,
        }
    })
}

/// Why an address is refused unless private addresses are allowed: loopback, private
/// (RFC 1918), link-local, unique-local, shared (CGNAT, RFC 6598), unspecified, multicast,
/// broadcast or reserved. None for a public address.
pub fn special_address(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => special_v4(v4),
            None => special_v6(v6),
        },
    }
}

fn special_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    Some(match () {
        _ if ip.is_loopback() => "loopback",
        _ if ip.is_private() => "private",
        _ if ip.is_link_local() => "link-local",
        _ if a == 100 && (64..128).contains(&b) => "shared (CGNAT)",
        _ if a == 0 => "unspecified",
        _ if ip.is_multicast() => "multicast",
        _ if ip.is_broadcast() || a >= 240 => "reserved",
        _ => return None,
    })
}

fn special_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    Some(match () {
        _ if ip.is_loopback() => "loopback",
        _ if ip.is_unspecified() => "unspecified",
        _ if first & 0xffc0 == 0xfe80 => "link-local",
        _ if first & 0xfe00 == 0xfc00 => "unique-local",
        _ if ip.is_multicast() => "multicast",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = HttpUrl::parse("http://OCSP.Example.com./a/b?x=1").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("ocsp.example.com", 80, "/a/b?x=1")
        );
        let u = HttpUrl::parse("http://[::1]:8080").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.path.as_str()), ("::1", 8080, "/"));
        assert_eq!(u.host_header(), "[::1]:8080");
        assert_eq!(HttpUrl::parse("http://a?q").unwrap().path, "/?q");
        for bad in [
            "https://a/",
            "ldap://a/",
            "http://user@a/",
            "http://a:0/",
            "http://a:99999/",
            "http:///x",
            "http://a b/",
            "http://a/#f",
            "http://[zz]/",
            "http://a_b/",
        ] {
            assert_eq!(HttpUrl::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn allow_list() {
        let allow = ["ocsp.example.com".to_string(), "*.pki.example.org".to_string()];
        assert!(host_allowed("OCSP.example.com.", &allow));
        assert!(host_allowed("a.pki.example.org", &allow));
        assert!(host_allowed("a.b.pki.example.org", &allow));
        assert!(!host_allowed("pki.example.org", &allow));
        assert!(!host_allowed("evilpki.example.org", &allow));
        assert!(!host_allowed("x.ocsp.example.com", &allow));
        assert!(!host_allowed("ocsp.example.com.evil", &allow));
        assert!(!host_allowed("anything", &[]));
    }

    #[test]
    fn special_addresses() {
        let special = |s: &str| special_address(s.parse().unwrap());
        for (ip, why) in [
            ("127.0.0.1", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "shared (CGNAT)"),
            ("0.0.0.0", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("255.255.255.255", "reserved"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fe80::1", "link-local"),
            ("fd00::1", "unique-local"),
            ("ff02::1", "multicast"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
        ] {
            assert_eq!(special(ip), Some(why), "{ip}");
        }
        for ip in ["8.8.8.8", "100.128.0.1", "2001:4860::8888", "::ffff:8.8.8.8"] {
            assert_eq!(special(ip), None, "{ip}");
        }
    }
}
