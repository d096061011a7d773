#!/usr/bin/env python3
"""A zeep client generated from the WSDL sigverify serves, calling MSign's VerifySignatures.

Usage: msign_zeep.py BASE_URL CASES_JSON

BASE_URL is the server (http://127.0.0.1:PORT); the WSDL is read from BASE_URL/msign/soap?wsdl
and the endpoint address is the WSDL's own soap:address (which must point back at the server).
CASES_JSON is a file holding a list of cases:

    {"name": "...", "type": "Hash" | "Pdf", "language": "en",
     "contents": [{"content": b64?, "correlation_id": "..."?, "signature": b64}]}

For each case, prints one JSON line: {"name": ..., "results": [...]} with the results as zeep
deserialized them, or {"name": ..., "fault": {"code": ..., "message": ...}} for a SOAP fault
(zeep.exceptions.Fault). Exit status 0 when every case ran, 2 when zeep is not installed.

Over HTTPS, MSIGN_TLS_CA names the PEM file of the CA the server's certificate must chain to,
and MSIGN_TLS_CLIENT_CERT / MSIGN_TLS_CLIENT_KEY a client certificate and its key (as MSign's
own client presents one).
"""

import base64
import json
import os
import sys

try:
    import requests
    import zeep
    from zeep.exceptions import Fault
    from zeep.transports import Transport
except ImportError as e:  # pragma: no cover
    print(f"zeep is not installed: {e}", file=sys.stderr)
    sys.exit(2)


def field(obj, name):
    """obj.name, or None when obj is None or has no such member."""
    try:
        return getattr(obj, name)
    except AttributeError:
        return None


def run_case(client, case):
    factory = client.type_factory("ns0")
    items = []
    for c in case["contents"]:
        kwargs = {"Signature": base64.b64decode(c["signature"])}
        if c.get("content") is not None:
            kwargs["Content"] = base64.b64decode(c["content"])
        if c.get("correlation_id") is not None:
            kwargs["CorrelationID"] = c["correlation_id"]
        items.append(factory.VerificationContent(**kwargs))
    request = factory.VerificationRequest(
        Contents=factory.ArrayOfVerificationContent(VerificationContent=items),
        Language=case.get("language"),
        SignedContentType=case["type"],
    )
    try:
        response = client.service.VerifySignatures(request=request)
    except Fault as f:
        return {"name": case["name"], "fault": {"code": f.code, "message": f.message}}
    # zeep unwraps a response whose element has a single child: VerifySignaturesResult, then
    # its Results; accept either level.
    array = field(response, "Results") if field(response, "VerificationResult") is None else response
    results = []
    for r in field(array, "VerificationResult") or []:
        certs = []
        if r.Certificates is not None:
            for c in r.Certificates.VerificationCertificate:
                certs.append(
                    {
                        "certificate": base64.b64encode(c.Certificate).decode(),
                        "signature_valid": c.SignatureValid,
                        "signed_at": c.SignedAt.isoformat() if c.SignedAt else None,
                        "subject": c.Subject,
                    }
                )
        results.append(
            {
                "certificates": certs,
                "correlation_id": r.CorrelationID,
                "message": r.Message,
                "signatures_valid": r.SignaturesValid,
            }
        )
    return {"name": case["name"], "results": results}


def session():
    """A requests session with the TLS settings of the environment (see the module's doc)."""
    s = requests.Session()
    if os.environ.get("MSIGN_TLS_CA"):
        # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override the session's CA file
        # unless the environment is ignored.
        s.trust_env = False
        s.verify = os.environ["MSIGN_TLS_CA"]
    if os.environ.get("MSIGN_TLS_CLIENT_CERT"):
        s.cert = (os.environ["MSIGN_TLS_CLIENT_CERT"], os.environ["MSIGN_TLS_CLIENT_KEY"])
    return s


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    base, cases_file = sys.argv[1].rstrip("/"), sys.argv[2]
    with open(cases_file, encoding="utf-8") as f:
        cases = json.load(f)
    client = zeep.Client(f"{base}/msign/soap?wsdl", transport=Transport(session=session()))
    address = client.service._binding_options["address"]
    print(json.dumps({"address": address}), flush=True)
    for case in cases:
        print(json.dumps(run_case(client, case)), flush=True)


if __name__ == "__main__":
    main()
