//! A content given as its digests (`Content::Digests`, what a shell computes in one pass over
//! a content too large to hold) gives the report the content itself gives.

mod common;

use common::pki::{self, CmsOptions, SigHash, oid};
use common::*;
use sigverify::{Content, HashAlg, Report, detached_digest_algorithms};

/// The digests of `content` under the algorithms `input` needs.
fn digests_for(input: &[u8], content: &[u8]) -> Vec<(HashAlg, Vec<u8>)> {
    detached_digest_algorithms(input)
        .into_iter()
        .map(|a| (a, a.digest(content)))
        .collect()
}

fn json(r: &Report) -> serde_json::Value {
    serde_json::to_value(r).unwrap()
}

/// The reports for `content` as data and as digests, which must be equal.
fn assert_same(setup: &Setup, input: &[u8], content: &[u8], what: &str) -> Report {
    let data = setup.run(input, Content::Data(content));
    let digests = digests_for(input, content);
    let streamed = setup.run(input, Content::Digests(&digests));
    assert_eq!(json(&data), json(&streamed), "{what}: {}", pretty(&data));
    data
}

#[test]
fn the_samples_give_the_same_report_from_the_digests() {
    let root = repo().join("testdata");
    let mut n = 0;
    for row in case_rows() {
        let content = if let Some(f) = row.content.strip_prefix("file:") {
            read(&root.join(f))
        } else if let Some(t) = row.content.strip_prefix("dtbd:") {
            t.as_bytes().to_vec()
        } else {
            continue;
        };
        let anchors = vec![root.join(&row.anchors)];
        // As the table's other tests do: without revocation checking (see `CaseRow::run`).
        let setup = Setup::new(&anchors, &[], at(&row.at)).revocation_off();
        let r = assert_same(&setup, &read(&root.join(&row.file)), &content, &row.case);
        assert_eq!(verdict(&r), row.expected(), "{}", row.case);
        n += 1;
    }
    assert!(n >= 4, "only {n} rows with a content");
}

#[test]
fn generated_signatures_give_the_same_report_from_the_digests() {
    let (root, root_key) = pki::root("Digests Root");
    let (leaf, leaf_key) = pki::leaf("Digests Signer", &root, &root_key);
    // How the content is given is the subject: validated without revocation checking.
    let setup = pki::setup(&[&root], &[]).revocation_off();
    let content = b"the signed content\n";
    let sha384 = CmsOptions {
        digest_oid: oid::SHA384.to_vec(),
        signature_oid: oid::ECDSA_SHA384.to_vec(),
        signature_hash: SigHash::Sha384,
        ..CmsOptions::default()
    };
    let detached = CmsOptions {
        detached: true,
        ..CmsOptions::default()
    };
    let attached = CmsOptions::default();
    let no_attributes = |o: &CmsOptions| CmsOptions {
        signed_attributes: false,
        ..o.clone()
    };
    // (what, options, verdict for another content): without signed attributes a detached
    // signature over another content does not verify; a given content that differs from the
    // attached one is a HASH_FAILURE.
    let variants = [
        ("detached", detached.clone(), "TOTAL_FAILED/HASH_FAILURE"),
        (
            "detached, SHA-384",
            CmsOptions {
                detached: true,
                ..sha384
            },
            "TOTAL_FAILED/HASH_FAILURE",
        ),
        ("attached", attached.clone(), "TOTAL_FAILED/HASH_FAILURE"),
        (
            "detached, no signed attributes",
            no_attributes(&detached),
            "TOTAL_FAILED/SIG_CRYPTO_FAILURE",
        ),
        (
            "attached, no signed attributes",
            no_attributes(&attached),
            "TOTAL_FAILED/HASH_FAILURE",
        ),
    ];
    for (what, o, other) in variants {
        let cms = pki::sign_cms_with(content, &[(&leaf, &leaf_key)], &[], &o);
        let good = assert_same(&setup, &cms, content, what);
        assert_eq!(verdict(&good), "TOTAL_PASSED", "{what}: {}", pretty(&good));
        let bad = assert_same(&setup, &cms, b"another content\n", &format!("{what}, other content"));
        assert_eq!(verdict(&bad), other, "{what}: {}", pretty(&bad));
    }
}

#[test]
fn a_digest_left_out_is_a_content_not_found() {
    let (root, root_key) = pki::root("Digests Root");
    let (leaf, leaf_key) = pki::leaf("Digests Signer", &root, &root_key);
    // How the content is given is the subject: validated without revocation checking.
    let setup = pki::setup(&[&root], &[]).revocation_off();
    let content = b"the signed content\n";
    for signed_attributes in [true, false] {
        let o = CmsOptions {
            detached: true,
            signed_attributes,
            ..CmsOptions::default()
        };
        let cms = pki::sign_cms_with(content, &[(&leaf, &leaf_key)], &[], &o);
        assert_eq!(detached_digest_algorithms(&cms), vec![HashAlg::Sha256]);
        let only_sha384 = [(HashAlg::Sha384, HashAlg::Sha384.digest(content))];
        for given in [&only_sha384[..], &[]] {
            let r = setup.run(&cms, Content::Digests(given));
            assert_eq!(
                verdict(&r),
                "INDETERMINATE/SIGNED_DATA_NOT_FOUND",
                "signed attributes {signed_attributes}, {} digest(s): {}",
                given.len(),
                pretty(&r)
            );
        }
    }
}

#[test]
fn the_algorithms_needed() {
    let (root, root_key) = pki::root("Digests Root");
    let (leaf, leaf_key) = pki::leaf("Digests Signer", &root, &root_key);
    let detached =
        |o: CmsOptions| pki::sign_cms_with(b"x", &[(&leaf, &leaf_key)], &[], &CmsOptions { detached: true, ..o });
    let sha384 = CmsOptions {
        digest_oid: oid::SHA384.to_vec(),
        signature_oid: oid::ECDSA_SHA384.to_vec(),
        signature_hash: SigHash::Sha384,
        ..CmsOptions::default()
    };
    assert_eq!(detached_digest_algorithms(&detached(sha384)), vec![HashAlg::Sha384]);
    // Without signed attributes: the digest algorithm and the scheme's hash.
    let mixed = CmsOptions {
        digest_oid: oid::SHA384.to_vec(),
        signed_attributes: false,
        ..CmsOptions::default()
    };
    assert_eq!(
        detached_digest_algorithms(&detached(mixed)),
        vec![HashAlg::Sha256, HashAlg::Sha384]
    );
    // A certificate, or what is not a signature, uses no content.
    assert!(detached_digest_algorithms(&leaf.der).is_empty());
    assert!(detached_digest_algorithms(b"not a signature").is_empty());
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn the_corpus_detached_signatures_give_the_same_report_from_the_digests() {
    let corpus = shared().join("corpus");
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).unwrap();
    let mut n = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, format, anchors, notes) = (cols[0], cols[1], cols[4], cols[6]);
        if format != "cms-detached" {
            continue;
        }
        let content = notes
            .split("Detached content: ")
            .nth(1)
            .map(|rest| rest.split_whitespace().next().unwrap().trim_end_matches('.'))
            .map(|p| read(&corpus.join(p)))
            .unwrap();
        let anchor_paths: Vec<_> = if anchors.starts_with("none") {
            vec![]
        } else {
            anchors.split(',').map(|a| corpus.join(a.trim())).collect()
        };
        let setup = Setup::new(&anchor_paths, &[], at("2026-06-01T00:00:00Z"));
        assert_same(&setup, &read(&corpus.join(file)), &content, file);
        n += 1;
    }
    assert!(n >= 2, "only {n} detached corpus signatures");
}
