//! Certificate path building through the public API, as a table in the style of Go's
//! `crypto/x509/verify_test.go`: each case is a trust graph made at test time
//! (`common::pki`), a leaf that signs a one-signer CMS whose certificate bag holds the case's
//! certificates, a validation time, and the expected outcome: the chain (certificate labels,
//! leaf to anchor) or the indication, sub-indication and deciding check.
//!
//! Sub-indications: no path to an anchor is NO_CERTIFICATE_CHAIN_FOUND; an RFC 5280
//! constraint broken on an otherwise complete path is CHAIN_CONSTRAINTS_FAILURE; a CA outside
//! its validity is OUT_OF_BOUNDS_NO_POE; in each of them the deciding check is CHAIN_BUILT.

mod common;

use common::pki::*;
use common::*;
use sigverify::{Content, Indication};

const CONTENT: &[u8] = b"path building test content\n";

/// One case's certificates.
struct Graph {
    anchors: Vec<Cert>,
    /// Configured intermediates.
    pool: Vec<Cert>,
    /// Certificates in the CMS after the leaf's, in this order.
    bag: Vec<Cert>,
    leaf: Cert,
    leaf_key: KeyPair,
    at: &'static str,
}

impl Graph {
    fn new(anchors: Vec<Cert>, pool: Vec<Cert>, bag: Vec<Cert>, (leaf, leaf_key): (Cert, KeyPair)) -> Graph {
        Graph {
            anchors,
            pool,
            bag,
            leaf,
            leaf_key,
            at: CLOCK,
        }
    }

    fn at(mut self, at: &'static str) -> Graph {
        self.at = at;
        self
    }
}

enum Expect {
    /// TOTAL_PASSED with this path (labels, leaf to anchor).
    Chain(&'static [&'static str]),
    /// This verdict, decided by this check.
    Fail {
        indication: &'static str,
        sub: &'static str,
        check: &'static str,
    },
}

const NO_CHAIN: Expect = Expect::Fail {
    indication: "INDETERMINATE",
    sub: "NO_CERTIFICATE_CHAIN_FOUND",
    check: "CHAIN_BUILT",
};
const CONSTRAINTS: Expect = Expect::Fail {
    indication: "INDETERMINATE",
    sub: "CHAIN_CONSTRAINTS_FAILURE",
    check: "CHAIN_BUILT",
};
const OUT_OF_BOUNDS: Expect = Expect::Fail {
    indication: "INDETERMINATE",
    sub: "OUT_OF_BOUNDS_NO_POE",
    check: "CHAIN_BUILT",
};
const WEAK_HASH: Expect = Expect::Fail {
    indication: "INDETERMINATE",
    sub: "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
    check: "CHAIN_BUILT",
};

fn run_case(name: &str, g: Graph, expect: Expect) {
    let bag: Vec<&Cert> = g.bag.iter().collect();
    let cms = sign_cms(CONTENT, &[(&g.leaf, &g.leaf_key)], &bag, false);
    // Path building is the subject: validated without revocation checking.
    let mut s = setup(
        &g.anchors.iter().collect::<Vec<_>>(),
        &g.pool.iter().collect::<Vec<_>>(),
    )
    .revocation_off();
    s.time = at(g.at);
    let r = s.run(&cms, Content::None);
    let json = pretty(&r);
    assert!(
        duplicate_codes(&r).is_empty(),
        "{name}: {:?}\n{json}",
        duplicate_codes(&r)
    );
    assert_eq!(r.signatures.len(), 1, "{name}\n{json}");
    let sig = &r.signatures[0];
    let label_of = |sha: &str| -> String {
        g.anchors
            .iter()
            .chain(&g.pool)
            .chain(&g.bag)
            .chain(std::iter::once(&g.leaf))
            .find(|c| c.sha256_hex() == sha)
            .map_or_else(|| format!("<unknown {sha}>"), |c| c.label.clone())
    };
    let chain: Vec<String> = sig.chain.iter().map(|e| label_of(&e.sha256)).collect();
    match expect {
        Expect::Chain(want) => {
            assert_eq!(verdict(&r), "TOTAL_PASSED", "{name}: chain {chain:?}\n{json}");
            assert_eq!(chain, want, "{name}\n{json}");
            assert!(sig.chain.last().is_some_and(|e| e.trust_anchor), "{name}\n{json}");
        }
        Expect::Fail { indication, sub, check } => {
            let got = format!(
                "{}/{}",
                sig.indication.as_str(),
                sig.sub_indication.map_or("-", |s| s.as_str())
            );
            assert_eq!(got, format!("{indication}/{sub}"), "{name}: chain {chain:?}\n{json}");
            assert_eq!(verdict(&r), got, "{name}\n{json}");
            let deciding = sig
                .checks
                .iter()
                .find(|c| c.sub_indication == sig.sub_indication)
                .map(|c| (c.code.as_str(), c.result));
            assert_eq!(
                deciding,
                Some((check, sigverify::verdict::CheckResult::Failed)),
                "{name}\n{json}"
            );
        }
    }
}

macro_rules! path_cases {
    ($($name:ident: $graph:expr => $expect:expr;)*) => {
        $(
            #[test]
            fn $name() {
                run_case(stringify!($name), $graph, $expect);
            }
        )*
        const CASES: &[&str] = &[$(stringify!($name)),*];
    };
}

#[test]
fn the_table_has_at_least_30_cases() {
    assert!(CASES.len() >= 30, "{}", CASES.len());
}

// ------------------------------------------------------------------------- graphs

/// root -> leaf
fn graph_direct_root() -> Graph {
    let (root, rk) = root("Root");
    let leaf = leaf("Leaf", &root, &rk);
    Graph::new(vec![root], vec![], vec![], leaf)
}

/// root -> ica -> leaf; the ica in the pool or the bag.
fn one_intermediate(in_pool: bool) -> Graph {
    let (root, rk) = root("Root");
    let (ica, ik) = intermediate("ICA", &root, &rk);
    let leaf = leaf("Leaf", &ica, &ik);
    if in_pool {
        Graph::new(vec![root], vec![ica], vec![], leaf)
    } else {
        Graph::new(vec![root], vec![], vec![ica], leaf)
    }
}

/// root -> ica1 -> ica2 -> leaf; `place` says where each ica goes: 'b' bag, 'p' pool.
fn two_intermediates(place: [char; 2]) -> Graph {
    let (root, rk) = root("Root");
    let (ica1, k1) = intermediate("ICA 1", &root, &rk);
    let (ica2, k2) = intermediate("ICA 2", &ica1, &k1);
    let leaf = leaf("Leaf", &ica2, &k2);
    let (mut pool, mut bag) = (vec![], vec![]);
    // ICA 2 first: the order of the bag is not the order of the path.
    for (c, p) in [(ica2, place[1]), (ica1, place[0])] {
        if p == 'p' { pool.push(c) } else { bag.push(c) }
    }
    Graph::new(vec![root], pool, bag, leaf)
}

/// Old and new root; the ICA's key certified by both; only one root trusted. The bag lists
/// the ICA certificate of the untrusted root first.
fn cross_signed(trust_old: bool) -> Graph {
    let (old, ok) = root("Old Root");
    let (new, nk) = root("New Root");
    let ica_key = new_key();
    let by_old = issue(&Spec::ca("ICA").label("ICA by old"), &ica_key, &old, &ok);
    let by_new = issue(&Spec::ca("ICA").label("ICA by new"), &ica_key, &new, &nk);
    let leaf = leaf("Leaf", &by_new, &ica_key);
    if trust_old {
        Graph::new(vec![old], vec![], vec![by_new, by_old], leaf)
    } else {
        Graph::new(vec![new], vec![], vec![by_old, by_new], leaf)
    }
}

/// The new root's key certified by the old root (a cross certificate); only the old root
/// trusted: leaf -> ica -> new root (cross) -> old root.
fn cross_certificate() -> Graph {
    let (old, ok) = root("Old Root");
    let new_key_ = new_key();
    let new = self_signed(&Spec::root("New Root"), &new_key_);
    let cross = issue(&Spec::ca("New Root").label("New Root by old"), &new_key_, &old, &ok);
    let (ica, ik) = intermediate("ICA", &new, &new_key_);
    let leaf = leaf("Leaf", &ica, &ik);
    Graph::new(vec![old], vec![], vec![ica, cross], leaf)
}

/// Two CAs named "ICA", both issued by the root; the leaf's is listed second. `same_ski`: the
/// decoy also copies the real one's subject key identifier.
fn two_issuers_one_name(same_ski: bool) -> Graph {
    let (root, rk) = root("Root");
    let gk = new_key();
    let good = issue(&Spec::ca("ICA").label("ICA good"), &gk, &root, &rk);
    let mut decoy_spec = Spec::ca("ICA").label("ICA decoy");
    if same_ski {
        decoy_spec = decoy_spec.ski(&good.key_id);
    }
    let decoy = issue(&decoy_spec, &new_key(), &root, &rk);
    let leaf = leaf("Leaf", &good, &gk);
    Graph::new(vec![root], vec![], vec![decoy, good], leaf)
}

/// The ICA's key certified twice: expired (listed first) and valid.
fn expired_next_to_valid() -> Graph {
    let (root, rk) = root("Root");
    let ik = new_key();
    let expired = issue(
        &Spec::ca("ICA")
            .label("ICA expired")
            .validity((2020, 1, 1), (2022, 1, 1)),
        &ik,
        &root,
        &rk,
    );
    let valid = issue(&Spec::ca("ICA").label("ICA valid"), &ik, &root, &rk);
    let leaf = leaf("Leaf", &valid, &ik);
    Graph::new(vec![root], vec![], vec![expired, valid], leaf)
}

/// root -> ica (given spec) -> leaf, ica in the bag.
fn with_ica(spec: Spec) -> Graph {
    let (root, rk) = root("Root");
    let ik = new_key();
    let ica = issue(&spec, &ik, &root, &rk);
    let leaf = leaf("Leaf", &ica, &ik);
    Graph::new(vec![root], vec![], vec![ica], leaf)
}

/// root -> ica (spec) -> leaf (leaf spec).
fn with_ica_and_leaf(ica_spec: Spec, leaf_spec: Spec) -> Graph {
    let (root, rk) = root("Root");
    let ik = new_key();
    let ica = issue(&ica_spec, &ik, &root, &rk);
    let lk = new_key();
    let leaf = issue(&leaf_spec, &lk, &ica, &ik);
    Graph::new(vec![root], vec![], vec![ica], (leaf, lk))
}

/// A signs B, B signs A, A signs the leaf; an unrelated root is the anchor.
fn issuer_loop() -> Graph {
    let (anchor, _) = root("Unrelated Root");
    let (ka, kb) = (new_key(), new_key());
    // Placeholder issuers carrying only name and key, to sign the two CA certificates.
    let a0 = self_signed(&Spec::root("A"), &ka);
    let b0 = self_signed(&Spec::root("B"), &kb);
    let a = issue(&Spec::ca("A"), &ka, &b0, &kb);
    let b = issue(&Spec::ca("B"), &kb, &a0, &ka);
    let leaf = leaf("Leaf", &a, &ka);
    Graph::new(vec![anchor], vec![], vec![a, b], leaf)
}

fn self_signed_leaf() -> Graph {
    let (root, _) = root("Root");
    let k = new_key();
    let leaf = self_signed(&Spec::leaf("Self-signed Leaf").aki(false), &k);
    Graph::new(vec![root], vec![], vec![], (leaf, k))
}

fn leaf_is_anchor() -> Graph {
    let (root, rk) = root("Root");
    let (ica, ik) = intermediate("ICA", &root, &rk);
    let (leaf, lk) = leaf("Leaf", &ica, &ik);
    Graph::new(vec![leaf.clone()], vec![], vec![ica], (leaf, lk))
}

/// root -> ica1 (pathLen n) -> ica2 -> leaf.
fn path_len(n: u8) -> Graph {
    let (root, rk) = root("Root");
    let k1 = new_key();
    let ica1 = issue(&Spec::ca("ICA 1").path_len(n), &k1, &root, &rk);
    let (ica2, k2) = intermediate("ICA 2", &ica1, &k1);
    let leaf = leaf("Leaf", &ica2, &k2);
    Graph::new(vec![root], vec![], vec![ica1, ica2], leaf)
}

/// The leaf's issuer field spells the ICA's name in another case and spacing.
fn issuer_name_case_and_space() -> Graph {
    let (root, rk) = root("Root");
    let ik = new_key();
    let ica = issue(
        &Spec::ca("My Intermediate CA").label("ICA").subject(vec![
            (oid::O, "Example Trust".into()),
            (oid::CN, "My Intermediate CA".into()),
        ]),
        &ik,
        &root,
        &rk,
    );
    let lk = new_key();
    let leaf = issue(
        &Spec::leaf("Leaf").issuer_name(vec![
            (oid::O, "  EXAMPLE   trust ".into()),
            (oid::CN, "my  intermediate   ca".into()),
        ]),
        &lk,
        &ica,
        &ik,
    );
    Graph::new(vec![root], vec![], vec![ica], (leaf, lk))
}

/// The leaf names "ICA" as issuer, but was signed by another key than the only "ICA"'s.
fn issuer_name_other_key() -> Graph {
    let (root, rk) = root("Root");
    let (ica, _) = intermediate("ICA", &root, &rk);
    let other_key = new_key();
    let other = issue(&Spec::ca("ICA").label("ICA other key"), &other_key, &root, &rk);
    let leaf = leaf("Leaf", &other, &other_key);
    Graph::new(vec![root], vec![], vec![ica], leaf)
}

/// root -> ICA 1 -> ... -> ICA n -> leaf, all in the bag.
fn depth(n: usize) -> Graph {
    let (root, rk) = root("Root");
    let mut bag = Vec::new();
    let (mut parent, mut pk) = (root.clone(), rk);
    for i in 1..=n {
        let (c, k) = intermediate(&format!("ICA {i}"), &parent, &pk);
        bag.push(c.clone());
        (parent, pk) = (c, k);
    }
    let leaf = leaf("Leaf", &parent, &pk);
    bag.reverse();
    Graph::new(vec![root], vec![], bag, leaf)
}

/// Two certificates for the ICA's key and name with different subject key identifiers; the
/// one the leaf's authorityKeyIdentifier names is listed second. Both would make a valid path.
fn aki_preference() -> Graph {
    let (root, rk) = root("Root");
    let ik = new_key();
    let matching = issue(&Spec::ca("ICA").label("ICA AKI match"), &ik, &root, &rk);
    let other = issue(
        &Spec::ca("ICA").label("ICA other SKI").ski(&[0x42; 20]),
        &ik,
        &root,
        &rk,
    );
    let leaf = leaf("Leaf", &matching, &ik);
    Graph::new(vec![root], vec![], vec![other, matching], leaf)
}

fn graph_untrusted_root_only() -> Graph {
    let (anchor, _) = root("Trusted Root");
    let (root, rk) = root("Untrusted Root");
    let (ica, ik) = intermediate("ICA", &root, &rk);
    let leaf = leaf("Leaf", &ica, &ik);
    Graph::new(vec![anchor], vec![], vec![ica, root], leaf)
}

fn dns(s: &str) -> Subtree {
    Subtree::Dns(s.into())
}

fn org(o: &str, cn: &str) -> Dn {
    vec![(oid::C, "CH".into()), (oid::O, o.into()), (oid::CN, cn.into())]
}

fn org_subtree(o: &str) -> Subtree {
    Subtree::Dir(vec![(oid::C, "CH".into()), (oid::O, o.into())])
}

const UNKNOWN_EXTENSION: &[u64] = &[1, 3, 6, 1, 4, 1, 55555, 1];

path_cases! {
    direct_root: graph_direct_root() => Expect::Chain(&["Leaf", "Root"]);
    one_intermediate_in_the_bag: one_intermediate(false) => Expect::Chain(&["Leaf", "ICA", "Root"]);
    one_intermediate_only_in_the_configured_pool: one_intermediate(true) => Expect::Chain(&["Leaf", "ICA", "Root"]);
    two_intermediates_in_the_bag: two_intermediates(['b', 'b']) => Expect::Chain(&["Leaf", "ICA 2", "ICA 1", "Root"]);
    two_intermediates_only_in_the_configured_pool: two_intermediates(['p', 'p']) => Expect::Chain(&["Leaf", "ICA 2", "ICA 1", "Root"]);
    two_intermediates_split_between_pool_and_bag: two_intermediates(['p', 'b']) => Expect::Chain(&["Leaf", "ICA 2", "ICA 1", "Root"]);
    cross_signed_only_old_root_trusted: cross_signed(true) => Expect::Chain(&["Leaf", "ICA by old", "Old Root"]);
    cross_signed_only_new_root_trusted: cross_signed(false) => Expect::Chain(&["Leaf", "ICA by new", "New Root"]);
    cross_certificate_new_root_under_old_root: cross_certificate() => Expect::Chain(&["Leaf", "ICA", "New Root by old", "Old Root"]);
    two_issuers_one_name_wrong_key_first: two_issuers_one_name(false) => Expect::Chain(&["Leaf", "ICA good", "Root"]);
    two_issuers_one_name_and_same_ski_wrong_key_first: two_issuers_one_name(true) => Expect::Chain(&["Leaf", "ICA good", "Root"]);
    expired_alternative_next_to_a_valid_intermediate: expired_next_to_valid() => Expect::Chain(&["Leaf", "ICA valid", "Root"]);
    only_an_expired_intermediate: with_ica(Spec::ca("ICA").validity((2020, 1, 1), (2022, 1, 1))) => OUT_OF_BOUNDS;
    not_yet_valid_intermediate: with_ica(Spec::ca("ICA").validity((2030, 1, 1), (2045, 1, 1))) => OUT_OF_BOUNDS;
    valid_intermediate_at_an_earlier_validation_time: with_ica(Spec::ca("ICA").validity((2020, 1, 1), (2022, 1, 1))).at("2021-06-01T00:00:00Z") => Expect::Chain(&["Leaf", "ICA", "Root"]);
    loop_of_two_untrusted_cas: issuer_loop() => NO_CHAIN;
    self_signed_leaf_not_trusted: self_signed_leaf() => NO_CHAIN;
    leaf_that_is_itself_a_trust_anchor: leaf_is_anchor() => Expect::Chain(&["Leaf"]);
    path_len_0_exceeded: path_len(0) => CONSTRAINTS;
    path_len_1_respected: path_len(1) => Expect::Chain(&["Leaf", "ICA 2", "ICA 1", "Root"]);
    intermediate_without_basic_constraints: with_ica(Spec::ca("ICA").basic_constraints(Ca::Absent)) => CONSTRAINTS;
    intermediate_with_ca_false: with_ica(Spec::ca("ICA").basic_constraints(Ca::ExplicitNo)) => CONSTRAINTS;
    intermediate_without_key_cert_sign: with_ica(Spec::ca("ICA").key_usage(&[Ku::DigitalSignature, Ku::CrlSign])) => CONSTRAINTS;
    intermediate_without_key_usage_may_sign_certificates: with_ica(Spec::ca("ICA").no_key_usage()) => Expect::Chain(&["Leaf", "ICA", "Root"]);
    issuer_name_in_another_case_and_spacing_chains: issuer_name_case_and_space() => Expect::Chain(&["Leaf", "ICA", "Root"]);
    issuer_name_matches_but_another_key_signed: issuer_name_other_key() => NO_CHAIN;
    unknown_critical_extension_in_an_intermediate: with_ica(Spec::ca("ICA").extension(UNKNOWN_EXTENSION, true, vec![0x05, 0x00])) => CONSTRAINTS;
    unknown_non_critical_extension_in_an_intermediate_is_ignored: with_ica(Spec::ca("ICA").extension(UNKNOWN_EXTENSION, false, vec![0x05, 0x00])) => Expect::Chain(&["Leaf", "ICA", "Root"]);
    five_intermediates: depth(5) => Expect::Chain(&["Leaf", "ICA 5", "ICA 4", "ICA 3", "ICA 2", "ICA 1", "Root"]);
    twelve_intermediates_exceed_the_depth_limit: depth(12) => NO_CHAIN;
    aki_matching_candidate_is_preferred_when_listed_second: aki_preference() => Expect::Chain(&["Leaf", "ICA AKI match", "Root"]);
    untrusted_root_only: graph_untrusted_root_only() => NO_CHAIN;
    sha1_signed_intermediate: with_ica(Spec::ca("ICA").hash(CertHash::Sha1)) => WEAK_HASH;
    sha1_signed_leaf: with_ica_and_leaf(Spec::ca("ICA"), Spec::leaf("Leaf").hash(CertHash::Sha1)) => WEAK_HASH;
    name_constraints_permitted_dns_satisfied_critical: with_ica_and_leaf(
        Spec::ca("ICA").name_constraints(vec![dns("example.com")], vec![], true),
        Spec::leaf("Leaf").san_dns("signer.example.com"),
    ) => Expect::Chain(&["Leaf", "ICA", "Root"]);
    name_constraints_permitted_directory_name_satisfied_critical: with_ica_and_leaf(
        Spec::ca("ICA").subject(org("Example", "Example CA")).name_constraints(vec![org_subtree("Example")], vec![], true),
        Spec::leaf("Leaf").subject(org("Example", "Signer")),
    ) => Expect::Chain(&["Leaf", "ICA", "Root"]);
    name_constraints_leaf_dns_outside_permitted_non_critical: with_ica_and_leaf(
        Spec::ca("ICA").name_constraints(vec![dns("example.com")], vec![], false),
        Spec::leaf("Leaf").san_dns("signer.example.org"),
    ) => CONSTRAINTS;
    name_constraints_leaf_directory_name_outside_permitted_non_critical: with_ica_and_leaf(
        Spec::ca("ICA").subject(org("Example", "Example CA")).name_constraints(vec![org_subtree("Example")], vec![], false),
        Spec::leaf("Leaf").subject(org("Other", "Signer")),
    ) => CONSTRAINTS;
    name_constraints_leaf_in_excluded_subtree_critical: with_ica_and_leaf(
        Spec::ca("ICA").name_constraints(vec![], vec![dns("evil.example.com")], true),
        Spec::leaf("Leaf").san_dns("www.evil.example.com"),
    ) => CONSTRAINTS;
    name_constraints_leaf_in_excluded_subtree_non_critical: with_ica_and_leaf(
        Spec::ca("ICA").name_constraints(vec![], vec![dns("evil.example.com")], false),
        Spec::leaf("Leaf").san_dns("www.evil.example.com"),
    ) => CONSTRAINTS;
    name_constraints_rfc822_subject_email_inside_critical: with_ica_and_leaf(
        Spec::ca("ICA").name_constraints(vec![Subtree::Email("example.com".into())], vec![], true),
        Spec::leaf("Leaf").email("alice@example.com"),
    ) => Expect::Chain(&["Leaf", "ICA", "Root"]);
    name_constraints_rfc822_subject_email_outside_non_critical: with_ica_and_leaf(
        Spec::ca("ICA").name_constraints(vec![Subtree::Email("example.com".into())], vec![], false),
        Spec::leaf("Leaf").email("alice@example.org"),
    ) => CONSTRAINTS;
}

// ------------------------------------------------------------------------- the builders

/// The CMS builder's plain output is a valid signature for sigverify, attached and detached.
#[test]
fn builder_plain_cms_verifies() {
    let (root, rk) = root("Root");
    let (ica, ik) = intermediate("ICA", &root, &rk);
    let (leaf, lk) = leaf("Leaf", &ica, &ik);
    // The builder is the subject: validated without revocation checking.
    let s = setup(&[&root], &[]).revocation_off();
    let cms = sign_cms(CONTENT, &[(&leaf, &lk)], &[&ica], false);
    let r = s.run(&cms, Content::None);
    assert_eq!(verdict(&r), "TOTAL_PASSED", "{}", pretty(&r));
    assert_eq!(r.format.as_str(), "CMS");
    assert_eq!(r.signatures.len(), 1);
    assert_eq!(r.signatures[0].chain.len(), 3);
    let detached = sign_cms(CONTENT, &[(&leaf, &lk)], &[&ica], true);
    let r = s.run(&detached, Content::Data(CONTENT));
    assert_eq!(verdict(&r), "TOTAL_PASSED", "{}", pretty(&r));
    let r = s.run(&detached, Content::Data(b"other content"));
    assert_eq!(r.indication, Indication::TotalFailed, "{}", pretty(&r));
    // The certificates parse as sigverify reads them.
    let parsed = leaf.parsed();
    assert_eq!(parsed.subject_attribute("2.5.4.3").as_deref(), Some("Leaf"));
}

/// OpenSSL agrees that the builder's output is a valid CMS (skipped when openssl is missing).
#[test]
fn builder_cms_verifies_with_openssl() {
    if !openssl_available() {
        eprintln!("openssl not on PATH: the cross-check did not run");
        return;
    }
    let (root, rk) = root("Root");
    let (ica, ik) = intermediate("ICA", &root, &rk);
    let (leaf, lk) = leaf("Leaf", &ica, &ik);
    let cms = sign_cms(CONTENT, &[(&leaf, &lk)], &[&ica], false);
    openssl_cms_verify(&cms, &[&root], None).unwrap_or_else(|e| panic!("openssl refuses the CMS: {e}"));
    let detached = sign_cms(CONTENT, &[(&leaf, &lk)], &[&ica], true);
    openssl_cms_verify(&detached, &[&root], Some(CONTENT))
        .unwrap_or_else(|e| panic!("openssl refuses the detached CMS: {e}"));
    assert!(openssl_cms_verify(&detached, &[&root], Some(b"other")).is_err());
    let other_root = self_signed(&Spec::root("Other Root"), &new_key());
    assert!(openssl_cms_verify(&cms, &[&other_root], None).is_err());
}
