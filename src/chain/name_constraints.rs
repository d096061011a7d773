//! Name constraints over a certification path (RFC 5280 4.2.1.10; path processing 6.1.3 (b),
//! (c) and 6.1.4 (g)).
//!
//! Every certificate of the path that carries a nameConstraints extension, the trust anchor
//! included, constrains the names of every certificate below it (closer to the end entity).
//! Self-issued intermediate certificates are exempt; the end entity is always checked
//! (RFC 5280 6.1.3 (b)). The names of a certificate are its subject (unless empty) as a
//! directoryName, each emailAddress attribute of its subject as an rfc822Name (RFC 5280
//! 4.2.1.10 asks for it when there is no subjectAltName; it is applied whenever present, as
//! OpenSSL does), and every subjectAltName.
//!
//! directoryName, rfc822Name, dNSName and iPAddress are evaluated. A constraint of another form
//! (uniformResourceIdentifier, otherName, ...) is not: when it stands in a critical extension and
//! the constrained certificate carries a name of that form, the path is refused
//! ([`NameConstraintError::UnsupportedForm`]); otherwise it is ignored. Criticality changes
//! nothing for the forms that are evaluated: a non-critical extension is enforced as well.

use std::sync::Arc;

use crate::formats::x509::{Certificate, name_rdn_keys, name_to_string};
pub use crate::formats::x509::{GeneralName, NameConstraints};

/// The emailAddress attribute type (PKCS #9, RFC 5280 4.1.2.6).
pub const EMAIL_ADDRESS_OID: &str = "1.2.840.113549.1.9.1";

/// Why a certification path violates the name constraints of one of its CA certificates.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameConstraintError {
    /// A name is outside every permitted subtree of its form.
    #[error("the {form} {name} is outside the subtrees permitted by {constrained_by}")]
    NotPermitted {
        /// The form of the name (`"dNSName"`, ...).
        form: &'static str,
        /// The name.
        name: String,
        /// The subject of the CA certificate whose constraints were violated.
        constrained_by: String,
    },
    /// A name is within an excluded subtree.
    #[error("the {form} {name} is within a subtree excluded by {constrained_by}")]
    Excluded {
        /// The form of the name (`"dNSName"`, ...).
        form: &'static str,
        /// The name.
        name: String,
        /// The subject of the CA certificate whose constraints were violated.
        constrained_by: String,
    },
    /// A critical nameConstraints extension constrains a name form this verifier does not
    /// evaluate, and a certificate below carries a name of that form.
    #[error("{constrained_by} constrains {form} names, which are not supported, in a critical extension")]
    UnsupportedForm {
        /// The form of the names (`"uniformResourceIdentifier"`, ...).
        form: &'static str,
        /// The subject of the CA certificate with the constraint.
        constrained_by: String,
    },
    /// More name comparisons than the budget allows.
    #[error("too many name constraint comparisons")]
    BudgetExceeded,
}

/// Checks the name constraints of a path: `path[0]` is the end entity, the last element the
/// trust anchor (RFC 5280 6.1.3 (b), (c); 6.1.4 (g)).
///
/// Every comparison of one name with one subtree takes one unit of `budget`; a comparison with
/// no unit left fails with [`NameConstraintError::BudgetExceeded`]. The constraints of each CA
/// are checked against the certificates below it, nearest first.
pub fn check_name_constraints(path: &[Arc<Certificate>], budget: &mut usize) -> Result<(), NameConstraintError> {
    if path.iter().skip(1).all(|c| c.name_constraints.is_none()) {
        return Ok(());
    }
    let owned: Vec<Vec<GeneralName>> = path.iter().map(|c| constrained_names(c)).collect();
    let names: Vec<Vec<Prepared<'_>>> = owned.iter().map(|n| n.iter().map(Prepared::new).collect()).collect();
    for (i, ca) in path.iter().enumerate().skip(1) {
        let Some(nc) = &ca.name_constraints else { continue };
        let constraints = Constraints::new(nc, ca);
        for (j, (cert, cert_names)) in path.iter().zip(&names).take(i).enumerate().rev() {
            // RFC 5280 6.1.3 (b), (c): self-issued certificates are exempt unless last in the path.
            if j == 0 || !cert.is_self_issued() {
                constraints.check(cert_names, budget)?;
            }
        }
    }
    Ok(())
}

/// The names of `cert` that name constraints apply to (see the module documentation).
fn constrained_names(cert: &Certificate) -> Vec<GeneralName> {
    let mut names = Vec::with_capacity(cert.subject_alt_names.len() + 2);
    // RFC 5280 6.1.3 (b): the subject name, "unless it is empty".
    if name_rdn_keys(cert.subject()).is_none_or(|rdns| !rdns.is_empty()) {
        names.push(GeneralName::Directory(cert.subject().to_vec()));
    }
    names.extend(
        cert.subject_attributes(EMAIL_ADDRESS_OID)
            .into_iter()
            .map(GeneralName::Rfc822),
    );
    names.extend(cert.subject_alt_names.iter().cloned());
    names
}

/// A name, or the base of a subtree, ready for comparison.
struct Prepared<'a> {
    name: &'a GeneralName,
    /// For a directoryName: its RDNs in comparable form (`None`: not a readable Name).
    rdns: Option<Vec<Vec<u8>>>,
}

impl<'a> Prepared<'a> {
    fn new(name: &'a GeneralName) -> Prepared<'a> {
        let rdns = match name {
            GeneralName::Directory(der) => name_rdn_keys(der),
            _ => None,
        };
        Prepared { name, rdns }
    }
}

/// The constraints of one CA certificate.
struct Constraints<'a> {
    permitted: Vec<Prepared<'a>>,
    excluded: Vec<Prepared<'a>>,
    critical: bool,
    ca: &'a Certificate,
}

impl<'a> Constraints<'a> {
    fn new(nc: &'a NameConstraints, ca: &'a Certificate) -> Constraints<'a> {
        Constraints {
            permitted: nc.permitted_subtrees.iter().map(Prepared::new).collect(),
            excluded: nc.excluded_subtrees.iter().map(Prepared::new).collect(),
            critical: nc.critical,
            ca,
        }
    }

    /// RFC 5280 6.1.3 (b) and (c) for the names of one certificate.
    fn check(&self, names: &[Prepared<'_>], budget: &mut usize) -> Result<(), NameConstraintError> {
        names.iter().try_for_each(|name| self.check_name(name, budget))
    }

    /// RFC 5280 4.2.1.10: within some permitted subtree of its form, if the CA has any, and
    /// within no excluded subtree.
    fn check_name(&self, name: &Prepared<'_>, budget: &mut usize) -> Result<(), NameConstraintError> {
        if !evaluated(name.name) {
            return self.check_unsupported(name.name);
        }
        let same_form = |base: &&Prepared<'_>| base.name.same_form(name.name);
        let mut permitted = self.permitted.iter().filter(same_form).peekable();
        if permitted.peek().is_some() {
            let mut found = false;
            for base in permitted {
                spend(budget)?;
                if within(name, base, false) {
                    found = true;
                    break;
                }
            }
            if !found {
                return Err(NameConstraintError::NotPermitted {
                    form: name.name.form(),
                    name: display(name.name),
                    constrained_by: self.ca.subject_string().to_string(),
                });
            }
        }
        for base in self.excluded.iter().filter(same_form) {
            spend(budget)?;
            if within(name, base, true) {
                return Err(NameConstraintError::Excluded {
                    form: name.name.form(),
                    name: display(name.name),
                    constrained_by: self.ca.subject_string().to_string(),
                });
            }
        }
        Ok(())
    }

    /// RFC 5280 4.2.1.10: "If a name constraints extension that is marked as critical imposes
    /// constraints on a particular name form, and an instance of that name form appears in the
    /// subject field or subjectAltName extension of a subsequent certificate, then the
    /// application MUST either process the constraint or reject the certificate."
    fn check_unsupported(&self, name: &GeneralName) -> Result<(), NameConstraintError> {
        let constrained = self
            .permitted
            .iter()
            .chain(&self.excluded)
            .any(|b| b.name.same_form(name));
        if self.critical && constrained {
            return Err(NameConstraintError::UnsupportedForm {
                form: name.form(),
                constrained_by: self.ca.subject_string().to_string(),
            });
        }
        Ok(())
    }
}

/// The name forms this module evaluates.
fn evaluated(name: &GeneralName) -> bool {
    matches!(
        name,
        GeneralName::Directory(_) | GeneralName::Rfc822(_) | GeneralName::Dns(_) | GeneralName::Ip(_)
    )
}

/// Takes one unit of the budget.
fn spend(budget: &mut usize) -> Result<(), NameConstraintError> {
    *budget = budget.checked_sub(1).ok_or(NameConstraintError::BudgetExceeded)?;
    Ok(())
}

/// Whether `name` is within the subtree of `base` (both of the same form). A name that cannot
/// be read is taken as outside every permitted subtree and within every excluded one.
fn within(name: &Prepared<'_>, base: &Prepared<'_>, excluded: bool) -> bool {
    let verdict = match (name.name, base.name) {
        (GeneralName::Directory(_), GeneralName::Directory(_)) => match (&name.rdns, &base.rdns) {
            (Some(n), Some(b)) => Some(rdn_prefix(n, b)),
            _ => None,
        },
        (GeneralName::Rfc822(n), GeneralName::Rfc822(b)) => email_within(n, b),
        (GeneralName::Dns(n), GeneralName::Dns(b)) => Some(dns_within(n, b) || (excluded && wildcard_reaches(n, b))),
        (GeneralName::Ip(n), GeneralName::Ip(b)) => Some(ip_within(n, b)),
        _ => Some(false),
    };
    verdict.unwrap_or(excluded)
}

/// directoryName (RFC 5280 4.2.1.10, 7.1): the base's RDNs begin the name's, compared RDN by RDN
/// in the comparable form of [`crate::formats::x509::name_key`].
fn rdn_prefix(name: &[Vec<u8>], base: &[Vec<u8>]) -> bool {
    base.len() <= name.len() && name.iter().zip(base).all(|(n, b)| n == b)
}

/// rfc822Name (RFC 5280 4.2.1.10): a base with `@` is one mailbox (the local part compared
/// exactly, the host without regard to case); a base with a leading dot is every host below
/// that domain; any other base is every mailbox at exactly that host. `None`: not a mailbox.
fn email_within(name: &str, base: &str) -> Option<bool> {
    let (local, host) = name.rsplit_once('@')?;
    if local.is_empty() || host.is_empty() {
        return None;
    }
    Some(match base.rsplit_once('@') {
        Some((base_local, base_host)) => local == base_local && host.eq_ignore_ascii_case(base_host),
        None if base.starts_with('.') => host.len() > base.len() && ends_with_ignore_case(host, base),
        None => host.eq_ignore_ascii_case(base),
    })
}

/// dNSName (RFC 5280 4.2.1.10): the base and every name made by adding labels to its left,
/// without regard to case; a base with a leading dot is the names below it only; an empty base
/// is every name. A final dot (an absolute name) is ignored on both sides.
fn dns_within(name: &str, base: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let base = base.strip_suffix('.').unwrap_or(base);
    if base.is_empty() {
        return true;
    }
    if base.starts_with('.') {
        return name.len() > base.len() && ends_with_ignore_case(name, base);
    }
    if name.eq_ignore_ascii_case(base) {
        return true;
    }
    // A label boundary must precede the base: `badexample.com` is not within `example.com`.
    let boundary = name
        .len()
        .checked_sub(base.len() + 1)
        .and_then(|i| name.as_bytes().get(i));
    boundary == Some(&b'.') && ends_with_ignore_case(name, base)
}

/// Whether a wildcard name (`*.example.com`) covers some name of the subtree of `base` that
/// [`dns_within`] does not see: a base one label below the wildcard's domain
/// (`secret.example.com`). Used for excluded subtrees only.
fn wildcard_reaches(name: &str, base: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let base = base.strip_suffix('.').unwrap_or(base);
    match (name.strip_prefix("*."), base.split_once('.')) {
        (Some(domain), Some((label, rest))) => !label.is_empty() && rest.eq_ignore_ascii_case(domain),
        _ => false,
    }
}

/// iPAddress (RFC 5280 4.2.1.10): the address, under the base's mask, equals the base's
/// address; an IPv4 name is never within an IPv6 subtree nor the reverse.
fn ip_within(addr: &[u8], base: &[u8]) -> bool {
    if base.len() != addr.len() * 2 {
        return false;
    }
    let Some((net, mask)) = base.split_at_checked(addr.len()) else {
        return false;
    };
    addr.iter().zip(net).zip(mask).all(|((a, n), m)| a & m == n & m)
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len()
        .checked_sub(suffix.len())
        .and_then(|i| s.as_bytes().get(i..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix.as_bytes()))
}

/// A name as text for messages.
fn display(name: &GeneralName) -> String {
    match name {
        GeneralName::Rfc822(s) | GeneralName::Dns(s) | GeneralName::Uri(s) => s.escape_debug().to_string(),
        GeneralName::Directory(der) => name_to_string(der),
        GeneralName::Ip(bytes) => ip_string(bytes),
        GeneralName::Other { tag } => format!("[{tag}]"),
    }
}

fn ip_string(bytes: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return std::net::Ipv4Addr::from(v4).to_string();
    }
    if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        return std::net::Ipv6Addr::from(v6).to_string();
    }
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::ber::encode;
    use rcgen::{
        BasicConstraints, CertificateParams, CidrSubnet, CustomExtension, DistinguishedName, DnType, DnValue,
        GeneralSubtree, IsCa, Issuer, KeyPair, SanType,
    };

    const BIG: usize = 250_000;

    fn dn(parts: &[(&str, &str)]) -> DistinguishedName {
        let mut dn = DistinguishedName::new();
        for (ty, value) in parts {
            match *ty {
                "C" => dn.push(DnType::CountryName, *value),
                "O" => dn.push(DnType::OrganizationName, *value),
                "OU" => dn.push(DnType::OrganizationalUnitName, *value),
                "CN" => dn.push(DnType::CommonName, *value),
                "E" => dn.push(
                    DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
                    DnValue::Ia5String((*value).try_into().unwrap()),
                ),
                other => panic!("attribute {other}"),
            }
        }
        dn
    }

    fn ca(
        subject: &[(&str, &str)],
        permitted: Vec<GeneralSubtree>,
        excluded: Vec<GeneralSubtree>,
    ) -> CertificateParams {
        let mut p = CertificateParams::default();
        p.distinguished_name = dn(subject);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        if !permitted.is_empty() || !excluded.is_empty() {
            p.name_constraints = Some(rcgen::NameConstraints {
                permitted_subtrees: permitted,
                excluded_subtrees: excluded,
            });
        }
        p
    }

    fn leaf(subject: &[(&str, &str)], sans: Vec<SanType>) -> CertificateParams {
        let mut p = CertificateParams::default();
        p.distinguished_name = dn(subject);
        p.subject_alt_names = sans;
        p
    }

    fn dns(s: &str) -> SanType {
        SanType::DnsName(s.try_into().unwrap())
    }

    fn email(s: &str) -> SanType {
        SanType::Rfc822Name(s.try_into().unwrap())
    }

    fn ip(s: &str) -> SanType {
        SanType::IpAddress(s.parse().unwrap())
    }

    fn subnet(s: &str) -> GeneralSubtree {
        GeneralSubtree::IpAddress(s.parse::<CidrSubnet>().unwrap())
    }

    /// Issues each certificate with the one before it (the first is self-signed) and returns
    /// the path end entity first.
    fn path(top_down: &[CertificateParams]) -> Vec<Arc<Certificate>> {
        let mut out = Vec::new();
        let mut issuer: Option<(&CertificateParams, KeyPair)> = None;
        for params in top_down {
            let key = KeyPair::generate().unwrap();
            let cert = match &issuer {
                None => params.self_signed(&key).unwrap(),
                Some((ip, ik)) => params.signed_by(&key, &Issuer::from_params(ip, ik)).unwrap(),
            };
            out.push(Arc::new(Certificate::from_der(cert.der()).unwrap()));
            issuer = Some((params, key));
        }
        out.reverse();
        out
    }

    fn check(top_down: &[CertificateParams]) -> Result<(), NameConstraintError> {
        check_name_constraints(&path(top_down), &mut BIG.clone())
    }

    fn root_dns(permitted: &[&str], excluded: &[&str]) -> CertificateParams {
        let subtrees = |l: &[&str]| l.iter().map(|s| GeneralSubtree::DnsName(s.to_string())).collect();
        ca(&[("CN", "Root")], subtrees(permitted), subtrees(excluded))
    }

    fn root_email(permitted: &[&str], excluded: &[&str]) -> CertificateParams {
        let subtrees = |l: &[&str]| l.iter().map(|s| GeneralSubtree::Rfc822Name(s.to_string())).collect();
        ca(&[("CN", "Root")], subtrees(permitted), subtrees(excluded))
    }

    /// A Name's DER (rcgen's own directoryName constraints are implicitly tagged, which
    /// RFC 5280 does not allow: `Name` is a CHOICE, so the tag is explicit, X.680 31.2.7).
    fn name_der(parts: &[(&str, &str)]) -> Vec<u8> {
        let oid = |t: &str| match t {
            "C" => "2.5.4.6",
            "O" => "2.5.4.10",
            "OU" => "2.5.4.11",
            "CN" => "2.5.4.3",
            other => panic!("attribute {other}"),
        };
        let rdns: Vec<u8> = parts
            .iter()
            .flat_map(|(t, v)| {
                let oid = const_oid::ObjectIdentifier::new_unwrap(oid(t));
                let atv = [encode(0x06, oid.as_bytes()), encode(0x0c, v.as_bytes())].concat();
                encode(0x31, &encode(0x30, &atv))
            })
            .collect();
        encode(0x30, &rdns)
    }

    /// A CA named `subject` with critical directoryName constraints.
    fn dir_ca(
        subject: &[(&str, &str)],
        permitted: &[&[(&str, &str)]],
        excluded: &[&[(&str, &str)]],
    ) -> CertificateParams {
        let list = |tag: u8, l: &[&[(&str, &str)]]| {
            let subtrees: Vec<u8> = l
                .iter()
                .flat_map(|d| encode(0x30, &encode(0xa4, &name_der(d))))
                .collect();
            if l.is_empty() {
                Vec::new()
            } else {
                encode(tag, &subtrees)
            }
        };
        let nc = encode(0x30, &[list(0xa0, permitted), list(0xa1, excluded)].concat());
        let mut p = raw_nc_root(nc, true);
        p.distinguished_name = dn(subject);
        p
    }

    fn root_dir(permitted: &[&[(&str, &str)]], excluded: &[&[(&str, &str)]]) -> CertificateParams {
        dir_ca(&[("CN", "Root")], permitted, excluded)
    }

    fn dns_leaf(names: &[&str]) -> CertificateParams {
        leaf(&[], names.iter().map(|n| dns(n)).collect())
    }

    fn not_permitted(form: &'static str, name: &str, by: &str) -> Result<(), NameConstraintError> {
        Err(NameConstraintError::NotPermitted {
            form,
            name: name.into(),
            constrained_by: by.into(),
        })
    }

    fn excluded(form: &'static str, name: &str, by: &str) -> Result<(), NameConstraintError> {
        Err(NameConstraintError::Excluded {
            form,
            name: name.into(),
            constrained_by: by.into(),
        })
    }

    #[test]
    fn dns_permitted() {
        let root = root_dns(&["example.com"], &[]);
        assert_eq!(
            check(&[root.clone(), dns_leaf(&["example.com", "www.Example.COM"])]),
            Ok(())
        );
        assert_eq!(check(&[root.clone(), dns_leaf(&["a.b.example.com."])]), Ok(()));
        assert_eq!(
            check(&[root.clone(), dns_leaf(&["www.example.com", "other.org"])]),
            not_permitted("dNSName", "other.org", "CN=Root")
        );
        // Label boundary.
        assert_eq!(
            check(&[root.clone(), dns_leaf(&["badexample.com"])]),
            not_permitted("dNSName", "badexample.com", "CN=Root")
        );
        assert_eq!(
            check(&[root, dns_leaf(&["example.com.evil.org"])]),
            not_permitted("dNSName", "example.com.evil.org", "CN=Root")
        );
        // Other forms are unconstrained by a dNSName constraint.
        let other = leaf(
            &[("CN", "x"), ("E", "x@other.org")],
            vec![ip("10.0.0.1"), email("a@other.org")],
        );
        assert_eq!(check(&[root_dns(&["example.com"], &[]), other]), Ok(()));
    }

    #[test]
    fn dns_leading_dot_and_empty() {
        let root = root_dns(&[".example.com"], &[]);
        assert_eq!(check(&[root.clone(), dns_leaf(&["www.example.com"])]), Ok(()));
        assert_eq!(
            check(&[root, dns_leaf(&["example.com"])]),
            not_permitted("dNSName", "example.com", "CN=Root")
        );
        assert_eq!(check(&[root_dns(&[""], &[]), dns_leaf(&["anything.org"])]), Ok(()));
        assert_eq!(
            check(&[root_dns(&[], &[""]), dns_leaf(&["anything.org"])]),
            excluded("dNSName", "anything.org", "CN=Root")
        );
    }

    #[test]
    fn dns_excluded() {
        let root = root_dns(&["example.com"], &["secret.example.com"]);
        assert_eq!(check(&[root.clone(), dns_leaf(&["www.example.com"])]), Ok(()));
        assert_eq!(check(&[root.clone(), dns_leaf(&["notsecret.example.com"])]), Ok(()));
        assert_eq!(
            check(&[root.clone(), dns_leaf(&["a.SECRET.example.com"])]),
            excluded("dNSName", "a.SECRET.example.com", "CN=Root")
        );
        // A wildcard that covers the excluded name.
        assert_eq!(
            check(&[root.clone(), dns_leaf(&["*.example.com"])]),
            excluded("dNSName", "*.example.com", "CN=Root")
        );
        assert_eq!(
            check(&[root, dns_leaf(&["secret.example.com."])]),
            excluded("dNSName", "secret.example.com.", "CN=Root")
        );
    }

    #[test]
    fn rfc822_host_domain_and_mailbox() {
        let mail = |m: &str| leaf(&[], vec![email(m)]);
        let host = root_email(&["example.com"], &[]);
        assert_eq!(check(&[host.clone(), mail("alice@EXAMPLE.com")]), Ok(()));
        assert_eq!(
            check(&[host.clone(), mail("alice@sub.example.com")]),
            not_permitted("rfc822Name", "alice@sub.example.com", "CN=Root")
        );
        assert_eq!(
            check(&[host, mail("alice@badexample.com")]),
            not_permitted("rfc822Name", "alice@badexample.com", "CN=Root")
        );
        let domain = root_email(&[".example.com"], &[]);
        assert_eq!(check(&[domain.clone(), mail("alice@mail.Example.com")]), Ok(()));
        assert_eq!(
            check(&[domain, mail("alice@example.com")]),
            not_permitted("rfc822Name", "alice@example.com", "CN=Root")
        );
        let mailbox = root_email(&["alice@Example.com"], &[]);
        assert_eq!(check(&[mailbox.clone(), mail("alice@example.COM")]), Ok(()));
        assert_eq!(
            check(&[mailbox, mail("Alice@example.com")]),
            not_permitted("rfc822Name", "Alice@example.com", "CN=Root")
        );
        let ex = root_email(&[".example.com"], &["bad.example.com"]);
        assert_eq!(check(&[ex.clone(), mail("x@good.example.com")]), Ok(()));
        assert_eq!(
            check(&[ex, mail("x@BAD.example.com")]),
            excluded("rfc822Name", "x@BAD.example.com", "CN=Root")
        );
        // Not a mailbox: outside every permitted subtree.
        assert!(check(&[root_email(&["example.com"], &[]), mail("example.com")]).is_err());
    }

    #[test]
    fn subject_email_address() {
        let root = root_email(&["example.com"], &[]);
        let ok = leaf(&[("CN", "Alice"), ("E", "alice@example.com")], vec![]);
        assert_eq!(check(&[root.clone(), ok]), Ok(()));
        let bad = leaf(&[("CN", "Mallory"), ("E", "mallory@evil.org")], vec![]);
        assert_eq!(
            check(&[root, bad]),
            not_permitted("rfc822Name", "mallory@evil.org", "CN=Root")
        );
        let root = root_email(&[], &["evil.org"]);
        let bad = leaf(&[("CN", "Mallory"), ("E", "mallory@evil.org")], vec![dns("evil.org")]);
        assert_eq!(
            check(&[root, bad]),
            excluded("rfc822Name", "mallory@evil.org", "CN=Root")
        );
    }

    #[test]
    fn directory_name() {
        let good: &[(&str, &str)] = &[("C", "EE"), ("O", "Good")];
        let secret: &[(&str, &str)] = &[("C", "EE"), ("O", "Good"), ("OU", "Secret")];
        let root = root_dir(&[good], &[secret]);
        let ok = leaf(&[("C", "ee"), ("O", "  GOOD "), ("CN", "Alice")], vec![]);
        assert_eq!(check(&[root.clone(), ok]), Ok(()));
        let bad = leaf(&[("C", "EE"), ("O", "Bad"), ("CN", "Bob")], vec![]);
        assert_eq!(
            check(&[root.clone(), bad]),
            not_permitted("directoryName", "CN=Bob,O=Bad,C=EE", "CN=Root")
        );
        // The base must be a prefix, RDN by RDN, not a subset.
        let reordered = leaf(&[("O", "Good"), ("C", "EE"), ("CN", "Carol")], vec![]);
        assert!(check(&[root.clone(), reordered]).is_err());
        let hidden = leaf(&[("C", "EE"), ("O", "Good"), ("OU", "Secret"), ("CN", "Dave")], vec![]);
        assert_eq!(
            check(&[root.clone(), hidden]),
            excluded("directoryName", "CN=Dave,OU=Secret,O=Good,C=EE", "CN=Root")
        );
        // An empty subject is not constrained.
        assert_eq!(check(&[root, leaf(&[], vec![dns("x.org")])]), Ok(()));
    }

    #[test]
    fn directory_name_in_subject_alt_name() {
        let good: &[(&str, &str)] = &[("C", "EE"), ("O", "Good")];
        let root = root_dir(&[good], &[]);
        let alt_name = |name: &[(&str, &str)]| {
            let san = encode(0x30, &encode(0xa4, &name_der(name)));
            let mut p = leaf(&[("C", "EE"), ("O", "Good"), ("CN", "Alice")], vec![]);
            p.custom_extensions = vec![CustomExtension::from_oid_content(&[2, 5, 29, 17], san)];
            p
        };
        assert_eq!(
            check(&[root.clone(), alt_name(&[("C", "EE"), ("O", "Good"), ("CN", "x")])]),
            Ok(())
        );
        assert_eq!(
            check(&[root, alt_name(&[("C", "EE"), ("O", "Other")])]),
            not_permitted("directoryName", "O=Other,C=EE", "CN=Root")
        );
    }

    #[test]
    fn ip_v4_and_v6() {
        let root = ca(
            &[("CN", "Root")],
            vec![subnet("10.0.0.0/8"), subnet("2001:db8::/32")],
            vec![subnet("10.9.0.0/16")],
        );
        let at = |a: &str| leaf(&[], vec![ip(a)]);
        assert_eq!(check(&[root.clone(), at("10.1.2.3")]), Ok(()));
        assert_eq!(check(&[root.clone(), at("2001:db8::1")]), Ok(()));
        assert_eq!(
            check(&[root.clone(), at("192.168.1.1")]),
            not_permitted("iPAddress", "192.168.1.1", "CN=Root")
        );
        assert_eq!(
            check(&[root.clone(), at("2001:db9::1")]),
            not_permitted("iPAddress", "2001:db9::1", "CN=Root")
        );
        assert_eq!(
            check(&[root, at("10.9.200.1")]),
            excluded("iPAddress", "10.9.200.1", "CN=Root")
        );
        // Only IPv6 permitted: an IPv4 address is not within it.
        let v6 = ca(&[("CN", "Root")], vec![subnet("2001:db8::/32")], vec![]);
        assert_eq!(
            check(&[v6, at("10.0.0.1")]),
            not_permitted("iPAddress", "10.0.0.1", "CN=Root")
        );
    }

    #[test]
    fn self_issued_intermediate_is_exempt_but_not_the_end_entity() {
        let good: &[(&str, &str)] = &[("O", "Good")];
        let root_name: &[(&str, &str)] = &[("O", "Outside"), ("CN", "Root")];
        let root = dir_ca(root_name, &[good], &[]);
        let rollover = ca(root_name, vec![], vec![]);
        let ee = leaf(&[("O", "Good"), ("CN", "Alice")], vec![]);
        let p = path(&[root.clone(), rollover, ee.clone()]);
        assert!(p[1].is_self_issued());
        assert_eq!(check_name_constraints(&p, &mut BIG.clone()), Ok(()));
        // The same name on an intermediate that is not self-issued.
        let sub = ca(&[("O", "Outside"), ("CN", "Sub")], vec![], vec![]);
        assert_eq!(
            check(&[root.clone(), sub, ee]),
            not_permitted("directoryName", "CN=Sub,O=Outside", "CN=Root,O=Outside")
        );
        // A self-issued end entity is checked.
        let p = path(&[root, leaf(root_name, vec![])]);
        assert!(p[0].is_self_issued());
        assert_eq!(
            check_name_constraints(&p, &mut BIG.clone()),
            not_permitted("directoryName", "CN=Root,O=Outside", "CN=Root,O=Outside")
        );
    }

    #[test]
    fn anchor_and_intermediate_constraints_apply_below_them() {
        let root = root_dns(&["example.com"], &[]);
        let sub = ca(
            &[("CN", "Sub")],
            vec![],
            vec![GeneralSubtree::DnsName("internal.example.com".into())],
        );
        assert_eq!(
            check(&[root.clone(), sub.clone(), dns_leaf(&["x.other.org"])]),
            not_permitted("dNSName", "x.other.org", "CN=Root")
        );
        assert_eq!(
            check(&[root.clone(), sub.clone(), dns_leaf(&["a.internal.example.com"])]),
            excluded("dNSName", "a.internal.example.com", "CN=Sub")
        );
        assert_eq!(check(&[root.clone(), sub, dns_leaf(&["www.example.com"])]), Ok(()));
        // The anchor's constraints bind an intermediate's own names too.
        let mut named_sub = ca(&[("CN", "Sub2")], vec![], vec![]);
        named_sub.subject_alt_names = vec![dns("ca.other.org")];
        assert_eq!(
            check(&[root, named_sub, dns_leaf(&["www.example.com"])]),
            not_permitted("dNSName", "ca.other.org", "CN=Root")
        );
        // The constraints of an end entity bind nothing.
        let mut ee = dns_leaf(&["a.org"]);
        ee.name_constraints = root_dns(&["example.com"], &[]).name_constraints;
        assert_eq!(check(&[ca(&[("CN", "R")], vec![], vec![]), ee]), Ok(()));
    }

    #[test]
    fn budget() {
        let root = root_dns(&["a.org", "b.org", "c.org"], &[]);
        let p = path(&[root, dns_leaf(&["d.org"])]);
        let mut budget = 3;
        assert_eq!(
            check_name_constraints(&p, &mut budget),
            not_permitted("dNSName", "d.org", "CN=Root")
        );
        assert_eq!(budget, 0);
        let mut budget = 2;
        assert_eq!(
            check_name_constraints(&p, &mut budget),
            Err(NameConstraintError::BudgetExceeded)
        );
        // No constraint, no comparison.
        let p = path(&[ca(&[("CN", "R")], vec![], vec![]), dns_leaf(&["d.org"])]);
        let mut budget = 0;
        assert_eq!(check_name_constraints(&p, &mut budget), Ok(()));
    }

    /// A CA whose nameConstraints extension is given as DER.
    fn raw_nc_root(nc: Vec<u8>, critical: bool) -> CertificateParams {
        let mut p = ca(&[("CN", "Root")], vec![], vec![]);
        let mut ext = CustomExtension::from_oid_content(&[2, 5, 29, 30], nc);
        ext.set_criticality(critical);
        p.custom_extensions = vec![ext];
        p
    }

    #[test]
    fn unsupported_form_in_a_critical_extension() {
        // permittedSubtrees { GeneralSubtree { uniformResourceIdentifier "example.com" } }
        let nc = encode(0x30, &encode(0xa0, &encode(0x30, &encode(0x86, b"example.com"))));
        let uri_leaf = leaf(&[], vec![SanType::URI("https://other.org/".try_into().unwrap())]);
        let root = raw_nc_root(nc.clone(), true);
        assert!(path(std::slice::from_ref(&root))[0].unknown_critical.is_empty());
        assert_eq!(
            check(&[root.clone(), uri_leaf.clone()]),
            Err(NameConstraintError::UnsupportedForm {
                form: "uniformResourceIdentifier",
                constrained_by: "CN=Root".into(),
            })
        );
        // No name of that form below: nothing to process.
        assert_eq!(check(&[root, dns_leaf(&["x.org"])]), Ok(()));
        // Not critical: ignored.
        assert_eq!(check(&[raw_nc_root(nc, false), uri_leaf]), Ok(()));
    }

    #[test]
    fn non_critical_constraints_are_enforced() {
        let nc = encode(0x30, &encode(0xa0, &encode(0x30, &encode(0x82, b"example.com"))));
        let root = raw_nc_root(nc, false);
        let parsed = path(std::slice::from_ref(&root));
        let constraints = parsed[0].name_constraints.as_ref().unwrap();
        assert!(!constraints.critical);
        assert_eq!(
            constraints.permitted_subtrees,
            vec![GeneralName::Dns("example.com".into())]
        );
        assert_eq!(
            check(&[root, dns_leaf(&["other.org"])]),
            not_permitted("dNSName", "other.org", "CN=Root")
        );
    }

    #[test]
    fn error_messages() {
        let e = not_permitted("dNSName", "other.org", "CN=Root").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the dNSName other.org is outside the subtrees permitted by CN=Root"
        );
        assert_eq!(
            NameConstraintError::BudgetExceeded.to_string(),
            "too many name constraint comparisons"
        );
    }
}
