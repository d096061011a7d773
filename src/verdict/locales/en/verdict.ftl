# Verdict messages, English (reference language and fallback).
# Ids derive from the stable codes of src/verdict/mod.rs; tests/i18n.rs checks that every
# language defines exactly the same ids.

## Indications (ETSI EN 319 102-1)

indication-total-passed = The signature is valid.
indication-indeterminate = The validity of the signature could not be confirmed.
indication-total-failed = The signature is not valid.

## Indications for a report on a certificate on its own

certificate-indication-total-passed = The certificate is valid.
certificate-indication-indeterminate = The validity of the certificate could not be confirmed.
certificate-indication-total-failed = The certificate is not valid.

## Sub-indications

sub-format-failure = The signature is damaged or does not follow the rules of its format.
sub-hash-failure = The signed data has been modified after signing.
sub-sig-crypto-failure = The signature does not match the signer's certificate.
sub-not-yet-valid = The signer's certificate was not yet valid at the validation time.
sub-revoked = The signer's certificate has been revoked.
sub-signed-data-not-found = The signed data is not available, so the signature cannot be checked.
sub-no-signing-certificate-found = The signer's certificate could not be found.
sub-no-certificate-chain-found = The signer's certificate cannot be traced back to a trusted certification authority.
sub-sig-constraints-failure = The signature does not match what was expected (transaction, phone number or Mobile ID serial number).
sub-chain-constraints-failure = A certificate in the certification chain does not meet the requirements for its use.
sub-out-of-bounds-no-poe = The signer's certificate has expired or is not valid at the validation time.
sub-revoked-no-poe = A certificate of the signer's path is revoked, and nothing proves the signature was made before the revocation.
sub-crypto-constraints-failure = The signature uses an algorithm or key length that is not supported or not secure enough.
sub-crypto-constraints-failure-no-poe = The signature uses an algorithm or key length that was no longer considered secure at the validation time.
sub-try-later = The result is not available yet; try again later.
sub-format-not-supported = This signature format is not supported yet.
sub-budget-exhausted = The verification stopped because it reached its work limit; this part was not checked.

## Checks: what a passed check establishes

check-format-parsed = The file is in a recognised signature or certificate format.
check-signature-present = The file contains at least one signature.
check-signed-attributes-well-formed = The signed attributes of the signature are well-formed.
check-content-type-match = The content type declared in the signature matches the signed content.
check-signed-data-found = The signed data is available.
check-message-digest-match = The signed data matches the signature.
check-algorithm-supported = The signature and hash algorithms are supported.
check-algorithm-protection = The algorithms declared in the signature are the ones actually used.
check-signing-certificate-found = The signer's certificate was found.
check-signing-certificate-reference = The signature correctly identifies the signer's certificate.
check-signature-value = The signature value is correct for the signer's key.
check-signed-attributes-der-order = The signed attributes are encoded in the standard (DER) order.
check-crypto-policy = The algorithms and key lengths are acceptable under the validation policy.
check-chain-built = The signer's certificate chains to a trusted certification authority.
check-certificate-validity = The certificate is within its validity period at the validation time.
check-key-usage = The certificate may be used for signing.
check-extended-key-usage = The certificate's extended key usage allows document signing.
check-critical-extensions = The certificate contains no unknown critical extension.
check-revocation = The certificate has not been revoked.
check-timestamp-imprint = The time-stamp covers this signature.
check-timestamp-signature = The time-stamp's own signature is valid.
check-counter-signatures = The counter-signatures of this signature were found and checked separately.
check-format-supported = The file format can be verified by this service.
check-mobile-id-status = The Mobile ID response reports a completed signature.
check-ap-trans-id-match = The Mobile ID response belongs to this transaction (AP_TransID).
check-msisdn-match = The Mobile ID response comes from the expected phone number.
check-mobile-id-serial-match = The Mobile ID serial number is the one registered for this user.
check-container-structure = The container is well formed (mimetype, manifest, a safe ZIP).
check-data-file-coverage = Every data file is covered by every signature.
check-byte-range = The signed byte range of the PDF is well formed and ends where a revision ends.
check-document-modifications = Every change made to the PDF after the signature is allowed.
check-proof-of-existence = A time-stamp proves the signature existed at a time when its certificate, its revocation status and its algorithms were valid.
check-live-revocation = The OCSP responders of the certificates were asked for their revocation status and answered.

## Checks: why a check failed

check-format-parsed-failed = The file is damaged or is not a valid signature or certificate.
check-signature-present-failed = The file does not contain any signature.
check-signed-attributes-well-formed-failed = The signed attributes of the signature are missing, duplicated or malformed.
check-content-type-match-failed = The content type declared in the signature does not match the signed content.
check-signed-data-found-failed = The signed data is missing: it is neither in the file nor provided separately.
check-message-digest-match-failed = The signed data does not match the signature: it was modified or another document was provided.
check-algorithm-supported-failed = The signature uses an algorithm that is not supported.
check-algorithm-protection-failed = The algorithms declared in the signature differ from the ones actually used.
check-signing-certificate-found-failed = The signer's certificate is neither in the signature nor among the certificates provided.
check-signing-certificate-reference-failed = The signature refers to a certificate other than the one used to sign.
check-signature-value-failed = The signature value is not correct for the signer's key.
check-signed-attributes-der-order-failed = The signed attributes are not encoded in the standard (DER) order.
check-crypto-policy-failed = An algorithm or key length is not acceptable under the validation policy.
check-chain-built-failed = No valid certificate chain to a trusted certification authority could be built.
check-certificate-validity-failed = The certificate has expired or is not yet valid at the validation time.
check-key-usage-failed = The certificate may not be used for signing.
check-extended-key-usage-failed = The certificate's extended key usage does not allow document signing (for example a TLS server or time-stamping certificate).
check-critical-extensions-failed = The certificate contains a critical extension that cannot be processed.
check-revocation-failed = The certificate has been revoked, or its revocation status could not be checked.
check-timestamp-imprint-failed = The time-stamp does not belong to this signature.
check-timestamp-signature-failed = The time-stamp's own signature is not valid.
check-counter-signatures-failed = A counter-signature of this signature could not be processed.
check-format-supported-failed = This file format cannot be verified yet.
check-mobile-id-status-failed = The Mobile ID response does not contain a completed signature.
check-ap-trans-id-match-failed = The Mobile ID response belongs to another transaction (AP_TransID).
check-msisdn-match-failed = The Mobile ID response comes from a phone number other than the one requested.
check-mobile-id-serial-match-failed = The Mobile ID serial number differs from the one registered: the account was re-activated without recovery.
check-container-structure-failed = The container is malformed.
check-data-file-coverage-failed = A data file is not covered by every signature, or the signature covers only part of the document.
check-byte-range-failed = The signed byte range of the PDF is malformed or does not cover its revision.
check-document-modifications-failed = The PDF was changed after the signature in a way its permissions do not allow.
check-proof-of-existence-failed = The signature cannot be shown to have existed at a time when its certificate was valid.
check-live-revocation-failed = The revocation status could not be obtained from the certificates' OCSP responders.

## Swisscom Mobile ID status and fault codes (reference guide, section 6.1)

mobileid-status-100 = The request has been accepted.
mobileid-status-101 = The request contains invalid parameters.
mobileid-status-102 = Required parameters are missing from the request.
mobileid-status-103 = The text to be signed is too long.
mobileid-status-104 = This service is not authorised to use Mobile ID (wrong AP_ID or missing client certificate).
mobileid-status-105 = No Mobile ID user is registered for this phone number, or this service may not use the Mobile ID app.
mobileid-status-107 = The text to be signed was rejected: it does not start with the prefix required for this service.
mobileid-status-108 = The request uses an incompatible interface version.
mobileid-status-109 = The requested signature profile is not supported or not allowed for this service.
mobileid-status-208 = The request was not confirmed on the phone in time. Please try again.
mobileid-status-209 = The phone could not be reached because of a temporary communication problem. Please try again.
mobileid-status-401 = The user cancelled the request on the phone.
mobileid-status-402 = The Mobile ID PIN is blocked. Please re-activate Mobile ID on the Mobile ID selfcare portal.
mobileid-status-403 = The Mobile ID account is suspended. Please contact Swisscom Support.
mobileid-status-404 = The Mobile ID account is not active. Please activate it on the Mobile ID selfcare portal.
mobileid-status-406 = A signature request is already in progress. Please try again later.
mobileid-status-422 = The Mobile ID account is not active (no valid certificate). Please activate it on the Mobile ID selfcare portal.
mobileid-status-500 = The signature was completed successfully.
mobileid-status-501 = The Mobile ID certificate has been revoked. Please re-activate Mobile ID on the Mobile ID selfcare portal.
mobileid-status-502 = The signature was completed and validated successfully.
mobileid-status-503 = The signature is invalid. Please re-activate Mobile ID on the Mobile ID selfcare portal; the SIM card may need to be replaced.
mobileid-status-504 = The signature has not been completed yet. Please try again later.
mobileid-status-900 = An internal Mobile ID error has occurred. Please try again later or contact Swisscom Support if the problem persists.

## MSign VerifySignatures: the Message field (at most 100 characters)

msign-all-valid = The signature is valid
msign-not-valid = The signature is not valid
msign-hash-wrong-algorithm = The given hash has the wrong length for the signature's hash algorithm

## Swisscom Mobile ID: no signature, and one signature per response

sub-no-signature = The response contains no signature to verify.
check-mobile-id-single-signature = The Mobile ID response contains exactly one signature.
check-mobile-id-single-signature-failed = The Mobile ID response contains several signatures; Mobile ID returns exactly one.
