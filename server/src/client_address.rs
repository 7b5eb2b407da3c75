//! Where a request comes from: the socket's peer, or, when that peer is a trusted reverse proxy
//! (`--trusted-proxy`), the client the proxy names in `X-Forwarded-For` or `Forwarded`.
//! Sign-in throttling counts IPv4 addresses one by one and IPv6 addresses per /64, the block
//! one household or machine usually holds.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> TrustedProxies {
        TrustedProxies(networks)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client's address: the peer itself unless it is a trusted proxy; then the nearest
    /// hop of the forwarding chain that is not a trusted proxy (the hops before it could have
    /// been written by anyone).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let chain = forwarded_chain(headers);
        chain
            .iter()
            .rev()
            .copied()
            .find(|hop| !self.trusts(*hop))
            // Every hop is a proxy of ours: the first one is as near to the client as we know.
            .or_else(|| chain.first().copied())
            .unwrap_or(peer)
    }
}

/// An IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is that IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The addresses a request passed through, client first: `Forwarded`'s `for=` (RFC 7239) when
/// present, else `X-Forwarded-For`. A hop that is not an address (`unknown`, an obfuscated
/// name) ends the chain there, as nothing before it can be placed.
fn forwarded_chain(headers: &HeaderMap) -> Vec<IpAddr> {
    let forwarded: Vec<&str> = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                key.eq_ignore_ascii_case("for").then_some(value)
            })
        })
        .collect();
    let hops: Vec<String> = if forwarded.is_empty() {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(|hop| hop.trim().to_owned())
            .collect()
    } else {
        forwarded.into_iter().map(str::to_owned).collect()
    };
    let parsed: Vec<Option<IpAddr>> = hops.iter().map(|hop| parse_hop(hop)).collect();
    // Keep the hops after the last one that could not be read.
    let readable_from = parsed
        .iter()
        .rposition(Option::is_none)
        .map_or(0, |index| index + 1);
    parsed[readable_from..]
        .iter()
        .flatten()
        .copied()
        .map(canonical)
        .collect()
}

/// One hop: `203.0.113.7`, `203.0.113.7:4711`, `"[2001:db8::1]:4711"`, `2001:db8::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(address) = hop.parse() {
        return Some(address);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// What sign-in throttling counts an address as: itself for IPv4, its /64 for IPv6.
pub fn throttling_key(address: IpAddr) -> String {
    match canonical(address) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let network = ipnet::Ipv6Net::new(v6, 64).expect("64 is a valid prefix");
            network.trunc().to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn proxies(networks: &[&str]) -> TrustedProxies {
        TrustedProxies::new(networks.iter().map(|n| n.parse().unwrap()).collect())
    }

    fn ip(address: &str) -> IpAddr {
        address.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let forged = headers(&[("x-forwarded-for", "198.51.100.1")]);
        assert_eq!(
            TrustedProxies::default().client(ip("203.0.113.9"), &forged),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8"]);
        // A client can write anything at the start of the chain; the proxy appends its peer.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.3")]);
        assert_eq!(trusted.client(ip("10.0.0.2"), &chain), ip("198.51.100.7"));
        // A peer that is not the proxy is taken as it is.
        assert_eq!(trusted.client(ip("192.0.2.1"), &chain), ip("192.0.2.1"));
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_its_forms_are_read() {
        let trusted = proxies(&["127.0.0.1/32"]);
        let both = headers(&[
            ("forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https"),
            ("x-forwarded-for", "198.51.100.7"),
        ]);
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &both),
            ip("2001:db8:cafe::17")
        );
        let with_port = headers(&[("forwarded", "for=192.0.2.60:8080, for=127.0.0.1")]);
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &with_port),
            ip("192.0.2.60")
        );
    }

    #[test]
    fn an_unreadable_hop_ends_the_chain() {
        let trusted = proxies(&["127.0.0.1/32"]);
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, unknown")]);
        assert_eq!(trusted.client(ip("127.0.0.1"), &chain), ip("127.0.0.1"));
    }

    #[test]
    fn ipv6_is_counted_per_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(
            throttling_key(ip("2001:db8:1:2:aaaa::1")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            throttling_key(ip("2001:db8:1:2:ffff::9")),
            throttling_key(ip("2001:db8:1:2::5"))
        );
        assert_eq!(throttling_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
        assert_eq!(throttling_key(ip("192.0.2.1")), "192.0.2.1");
    }
}
