"""Schemathesis hooks for the .ci/run schemathesis step.

The OpenAPI document states every rule of a request but three, which no JSON Schema can state:
the detached `files` of a verification must have distinct names, the `Contents` of an MSign
request distinct `CorrelationID`s, and the MGF1 hash of RSASSA-PSS parameters must be the
message hash. The service refuses a body that breaks them with a 400 (tests/server.rs,
tests/msign.rs, tests/raw_values.rs). Such bodies are not generated where generation can be
filtered, and the 400 they get elsewhere (the coverage phase) is not counted as a refusal of a
schema-valid body; every other check still runs on them.
"""

import schemathesis


def _repeats(values):
    seen = set()
    for value in values:
        if value in seen:
            return True
        seen.add(value)
    return False


def _breaks_uniqueness(body):
    if isinstance(body, list):
        return any(_breaks_uniqueness(item) for item in body)
    if not isinstance(body, dict):
        return False
    files = body.get("files")
    if isinstance(files, list):
        names = [f.get("name") for f in files if isinstance(f, dict) and isinstance(f.get("name"), str)]
        if _repeats(names):
            return True
    contents = body.get("Contents")
    if isinstance(contents, list):
        ids = [c.get("CorrelationID") for c in contents if isinstance(c, dict)]
        if _repeats([i for i in ids if isinstance(i, str)]):
            return True
    return False


def _hash_name(value):
    return value.replace("-", "").replace("_", "").lower() if isinstance(value, str) else None


def _mgf_hash_differs(params):
    if not isinstance(params, dict) or not isinstance(params.get("maskGenAlgorithm"), dict):
        return False
    mgf = params["maskGenAlgorithm"].get("parameters")
    if not isinstance(mgf, dict):
        return False
    return _hash_name(mgf.get("hashAlgorithm")) != _hash_name(params.get("hashAlgorithm"))


def _breaks_a_rule(body):
    if _breaks_uniqueness(body):
        return True
    if not isinstance(body, dict):
        return False
    signature = body.get("signature")
    nested = signature.get("signatureAlgorithmParameters") if isinstance(signature, dict) else None
    return _mgf_hash_differs(body.get("signatureAlgorithmParameters")) or _mgf_hash_differs(nested)


@schemathesis.hook
def filter_body(context, body):
    return not _breaks_a_rule(body)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    refused = response.status_code == 400 and type(failure).__name__ == "RejectedPositiveData"
    return not (refused and _breaks_a_rule(case.body))
