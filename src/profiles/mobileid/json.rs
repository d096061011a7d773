//! The REST/JSON form of a Mobile ID response (Reference Guide 3.2.2.2, 3.2.2.3, 3.3.2), read
//! into the [`Response`] model.
//!
//! Where the guide prints a value both quoted and bare (`"MajorVersion": "1"`, `"MobileUser":
//! MOBILE_NUMBER`, status codes), a string and a non-negative whole number are both accepted;
//! a fraction, a negative number, a boolean or a structure is a format failure.

use serde_json::{Map, Value};

use super::{Fault, Field, Kind, Response, SignatureResp, Status, shown};

/// The response kind and its body object, read into the model.
pub(super) fn read(response: &Value) -> Result<Response, String> {
    let Value::Object(outer) = response else {
        return Err(format!(
            "the Mobile ID response is a JSON {}, not an object",
            type_name(response)
        ));
    };
    let wrapped: Vec<(Kind, &Value)> = [Kind::SignatureResp, Kind::StatusResp, Kind::Fault]
        .into_iter()
        .filter_map(|k| outer.get(k.name()).map(|v| (k, v)))
        .collect();
    let (kind, body) = match wrapped.as_slice() {
        [(kind, Value::Object(body))] => (*kind, body),
        [(kind, other)] => {
            return Err(format!("{} is a JSON {}, not an object", kind.name(), type_name(other)));
        }
        [] if outer.contains_key("Code") || outer.contains_key("Reason") => (Kind::Fault, outer),
        // MSS_SignatureResp and MSS_StatusResp have the same fields to check.
        [] if outer.contains_key("Status") || outer.contains_key("MSS_Signature") => (Kind::SignatureResp, outer),
        [] => return Err("not a Mobile ID response: no MSS_SignatureResp, MSS_StatusResp or Fault".into()),
        _ => return Err("ambiguous Mobile ID response: several of MSS_SignatureResp, MSS_StatusResp, Fault".into()),
    };
    Ok(match kind {
        Kind::Fault => Response::Fault(fault(body)),
        _ => Response::Signature(signature_resp(kind, body)),
    })
}

fn fault(body: &Map<String, Value>) -> Fault {
    let code = body
        .get("Code")
        .and_then(|c| c.get("SubCode"))
        .and_then(|s| s.get("Value"));
    Fault {
        code: code.and_then(code_of),
        reason: body.get("Reason").and_then(Value::as_str).map(str::to_string),
        detail: body.get("Detail").and_then(Value::as_str).map(str::to_string),
    }
}

fn signature_resp(kind: Kind, body: &Map<String, Value>) -> SignatureResp {
    SignatureResp {
        kind,
        status: status(body),
        major_version: body.get("MajorVersion").map(|v| text_or_number(v, "MajorVersion")),
        minor_version: body.get("MinorVersion").map(|v| text_or_number(v, "MinorVersion")),
        ap_trans_id: at(body, &["AP_Info", "AP_TransID"]).and_then(|v| text_or_number(v, "AP_Info.AP_TransID")),
        // MobileUser is {"MSISDN": ...}; the guide's MSS_StatusResp example shows it bare.
        msisdn: match body.get("MobileUser") {
            Some(v @ (Value::String(_) | Value::Number(_))) => text_or_number(v, "MobileUser"),
            _ => at(body, &["MobileUser", "MSISDN"]).and_then(|v| text_or_number(v, "MobileUser.MSISDN")),
        },
        signature: at(body, &["MSS_Signature", "Base64Signature"]).and_then(|v| match v {
            Value::String(s) => Ok(s.clone()),
            other => Err(format!(
                "MSS_Signature.Base64Signature is a JSON {}, not a string",
                type_name(other)
            )),
        }),
    }
}

fn status(body: &Map<String, Value>) -> Field<Status> {
    let message = body
        .get("Status")
        .and_then(|s| s.get("StatusMessage"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let value = at(body, &["Status", "StatusCode", "Value"])?;
    let code = code_of(value).ok_or_else(|| {
        format!(
            "Status.StatusCode.Value {} is not a status code",
            shown(&value.to_string())
        )
    })?;
    Ok(Status { code, message })
}

/// A status or fault code given as `"500"`, `500`, `"_101"` or `"mss:_101"`.
fn code_of(v: &Value) -> Option<u16> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => super::codes::parse_code_text(s),
        _ => None,
    }
}

/// The value at `path` below `obj`; `Err` names the path when it is missing.
fn at<'a>(obj: &'a Map<String, Value>, path: &[&str]) -> Field<&'a Value> {
    let mut cur: Option<&Value> = None;
    let mut map = Some(obj);
    for key in path {
        let v = map
            .and_then(|m| m.get(*key))
            .ok_or_else(|| format!("{} is missing", path.join(".")))?;
        cur = Some(v);
        map = v.as_object();
    }
    cur.ok_or_else(|| format!("{} is missing", path.join(".")))
}

/// A value the guide prints as a string or as a bare number: the string as it is, a
/// non-negative whole number as its decimal digits; anything else is an error naming `name`.
fn text_or_number(v: &Value, name: &str) -> Field<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => n
            .as_u64()
            .map(|n| n.to_string())
            .ok_or_else(|| format!("{name} {} is not a whole non-negative number", shown(&n.to_string()))),
        other => Err(format!(
            "{name} is a JSON {}, not a string or a number",
            type_name(other)
        )),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_or_strings() {
        assert_eq!(text_or_number(&json!(1), "v"), Ok("1".into()));
        assert_eq!(text_or_number(&json!("1"), "v"), Ok("1".into()));
        assert_eq!(text_or_number(&json!(41700092502u64), "v"), Ok("41700092502".into()));
        assert!(text_or_number(&json!(1.5), "v").is_err());
        assert!(text_or_number(&json!(1.0), "v").is_err());
        assert!(text_or_number(&json!(-1), "v").is_err());
        assert!(text_or_number(&json!(true), "v").is_err());
        assert_eq!(code_of(&json!(504)), Some(504));
        assert_eq!(code_of(&json!(-1)), None);
        assert_eq!(code_of(&json!(500.0)), None);
        assert_eq!(code_of(&json!(70000)), None);
    }
}
