#!/usr/bin/env python3
"""SOAP forms of the Mobile ID test responses (testdata/mobileid/soap-*.xml).

Each file is an example of the Swisscom Mobile ID Reference Guide, copied as printed there
(3.2.2.2 synchronous MSS_SignatureResp, 3.2.2.3 Fault, 3.2.3.2 asynchronous MSS_SignatureResp
100, 3.2.4.2.3 geofencing, 3.2.4.3.2 App2App, 3.3.2 MSS_StatusResp), with the guide's placeholders replaced: MOBILE_NUMBER by the test
MSISDN, SIGNATURE_PROFILE by a profile URI, AP_TransID by the test transaction, and
Base64Signature by the CMS of the generated JSON responses (testdata/gen/mobileid.py), read from
them. The App2App example's `&` in its URI is written `&amp;`, as XML requires (the guide prints
the bare `&`, which no XML reader accepts). Deterministic: run again, get the same files.

    python3 testdata/gen/mobileid_soap.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "mobileid")

# Reference Guide 3.2.2.2, SOAP/XML, verbatim.
SIGNATURE_RESP = '<soapenv:Envelope xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"> <soapenv:Body> <MSS_SignatureResponse> <mss:MSS_SignatureResp MajorVersion="1" MinorVersion="1" MSSP_TransID="h4dhx" xmlns:mss="http://uri.etsi.org/TS102204/v1.1.2#" xmlns:fi="http://mss.ficom.fi/TS102204/v1.0.0#"> <mss:AP_Info AP_ID="yourAP_ID" AP_PWD="yourAP_PWD" AP_TransID="REF0101120000" Instant="2015-01-01T12:00:00.000+01:00"/> <mss:MSSP_Info Instant="2015-01-01T12:00:00.100+01:00"> <mss:MSSP_ID> <mss:URI>http://mid.swisscom.ch/</mss:URI> </mss:MSSP_ID> </mss:MSSP_Info> <mss:MobileUser> <mss:MSISDN>MOBILE_NUMBER</mss:MSISDN> </mss:MobileUser> <mss:MSS_Signature> <mss:Base64Signature>MIIIdwYJKoZIhvc...</mss:Base64Signature> </mss:MSS_Signature> <mss:SignatureProfile> <mss:mssURI>SIGNATURE_PROFILE</mss:mssURI> </mss:SignatureProfile> <mss:Status> <mss:StatusCode Value="500"/> <mss:StatusMessage>SIGNATURE</mss:StatusMessage> </mss:Status> </mss:MSS_SignatureResp> </MSS_SignatureResponse> </soapenv:Body> </soapenv:Envelope>'

# Reference Guide 3.2.3.2, SOAP/XML, verbatim.
REQUEST_OK = '<soapenv:Envelope xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"> <soapenv:Body> <MSS_SignatureResponse> <mss:MSS_SignatureResp MajorVersion="1" MinorVersion="1" MSSP_TransID="h4iof" xmlns:mss="http://uri.etsi.org/TS102204/v1.1.2#" xmlns:fi="http://mss.ficom.fi/TS102204/v1.0.0#"> <mss:AP_Info AP_ID="yourAP_ID" AP_PWD="yourAP_PWD" AP_TransID="REF0101120000" Instant="2015-01-01T12:00:00.000+01:00"/> <mss:MSSP_Info Instant="2015-01-01T12:00:00.100+01:00"> <mss:MSSP_ID> <mss:URI>http://mid.swisscom.ch/</mss:URI> </mss:MSSP_ID> </mss:MSSP_Info> <mss:MobileUser> <mss:MSISDN>MOBILE_NUMBER</mss:MSISDN> </mss:MobileUser> <mss:SignatureProfile> <mss:mssURI>SIGNATURE_PROFILE</mss:mssURI> </mss:SignatureProfile> <mss:Status> <mss:StatusCode Value="100"/> <mss:StatusMessage>REQUEST_OK</mss:StatusMessage> </mss:Status> </mss:MSS_SignatureResp> </MSS_SignatureResponse> </soapenv:Body> </soapenv:Envelope>'

# Reference Guide 3.3.2, SOAP/XML, verbatim.
STATUS_RESP = '<soapenv:Envelope xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"> <soapenv:Body> <MSS_StatusQueryResponse> <mss:MSS_StatusResp MajorVersion="1" MinorVersion="1" xmlns:mss="http://uri.etsi.org/TS102204/v1.1.2#" xmlns:fi="http://mss.ficom.fi/TS102204/v1.0.0#"> <mss:AP_Info AP_ID="yourAP_ID" AP_PWD="yourAP_PWD" AP_TransID="REF0101120000" Instant="2015-01-01T12:00:00.000+01:00"/> <mss:MSSP_Info Instant="2015-01-01T12:00:00.100+01:00"> <mss:MSSP_ID> <mss:URI>http://mid.swisscom.ch/</mss:URI> </mss:MSSP_ID> </mss:MSSP_Info> <mss:MobileUser> <mss:MSISDN>MOBILE_NUMBER</mss:MSISDN> </mss:MobileUser> <mss:MSS_Signature> <mss:Base64Signature>MIIDwYJKoZIhvc...</mss:Base64Signature> </mss:MSS_Signature> <mss:Status> <mss:StatusCode Value="500"/> <mss:StatusMessage>SIGNATURE</mss:StatusMessage> </mss:Status> </mss:MSS_StatusResp> </MSS_StatusQueryResponse> </soapenv:Body> </soapenv:Envelope>'

# Reference Guide 3.2.2.3, SOAP/XML, verbatim.
FAULT = '<soapenv:Envelope xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"> <soapenv:Body> <soapenv:Fault> <soapenv:Code> <soapenv:Value>soapenv:Sender</soapenv:Value> <soapenv:Subcode xmlns:mss="http://uri.etsi.org/TS102204/v1.1.2#" xmlns:fi="http://mss.ficom.fi/TS102204/v1.0.0#"> <soapenv:Value>mss:_101</soapenv:Value> </soapenv:Subcode> </soapenv:Code> <soapenv:Reason> <soapenv:Text xml:lang="en">WRONG_PARAM</soapenv:Text> </soapenv:Reason> <soapenv:Detail> <ns1:detail xmlns:ns1="http://kiuru.methics.fi/mssp">Illegal msisdn</ns1:detail> </soapenv:Detail> </soapenv:Fault> </soapenv:Body> </soapenv:Envelope>'

# Reference Guide 3.2.4.2.3 (geofencing fault code in StatusDetail), SOAP/XML, verbatim.
GEOFENCING = '<soapenv:Envelope xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"> <soapenv:Body> <MSS_SignatureResponse> <mss:MSS_SignatureResp MajorVersion="1" MinorVersion="1" MSSP_TransID="h4dhx" xmlns:mss="http://uri.etsi.org/TS102204/v1.1.2#" xmlns:fi="http://mss.ficom.fi/TS102204/v1.0.0#"> <mss:AP_Info AP_ID="yourAP_ID" AP_PWD="yourAP_PWD" AP_TransID="REF0101120000" Instant="2021-01-01T11:00:00.000+01:00"/> <mss:MSSP_Info Instant="2021-01-01T11:00:00.000+01:00"> <mss:MSSP_ID> <mss:URI>http://mid.swisscom.ch/</mss:URI> </mss:MSSP_ID> </mss:MSSP_Info> <mss:MobileUser> <mss:MSISDN>MOBILE_NUMBER</mss:MSISDN> </mss:MobileUser> <mss:MSS_Signature> <mss:Base64Signature>MIIDwYJKoZIhvc...</mss:Base64Signature> </mss:MSS_Signature> <mss:SignatureProfile> <mss:mssURI>SIGNATURE_PROFILE</mss:mssURI> </mss:SignatureProfile> <mss:Status> <mss:StatusCode Value="500"/> <mss:StatusMessage>SIGNATURE</mss:StatusMessage> <mss:StatusDetail> <fi:ServiceResponses> <fi:ServiceResponse> <fi:Description> <mss:mssURI>http://mid.swisscom.ch/as#geofencing</mss:mssURI> </fi:Description> <ns1:GeoFencing errorCode="100" errorMessage="Geofencing feature disabled" xmlns:ns1="http://mid.swisscom.ch/TS102204/as/v1.0"/> </fi:ServiceResponse> </fi:ServiceResponses> </mss:StatusDetail> </mss:Status> </mss:MSS_SignatureResp> </MSS_SignatureResponse> </soapenv:Body> </soapenv:Envelope>'

# Reference Guide 3.2.4.3.2 (App2App, status 100 with StatusDetail), SOAP/XML, verbatim.
APP2APP = '<soapenv:Envelope xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"> <soapenv:Body> <MSS_SignatureResponse> <mss:MSS_SignatureResp MajorVersion="1" MinorVersion="1" MSSP_TransID="h4iof" xmlns:mss="http://uri.etsi.org/TS102204/v1.1.2#" xmlns:fi="http://mss.ficom.fi/TS102204/v1.0.0#"> <mss:AP_Info AP_ID="yourAP_ID" AP_PWD="yourAP_PWD" AP_TransID="REF0101120000" Instant="2015-01-01T12:00:00.000+01:00"/> <mss:MSSP_Info Instant="2015-01-01T12:00:00.100+01:00"> <mss:MSSP_ID> <mss:URI>http://mid.swisscom.ch/</mss:URI> </mss:MSSP_ID> </mss:MSSP_Info> <mss:MobileUser> <mss:MSISDN>MOBILE_NUMBER</mss:MSISDN> </mss:MobileUser> <mss:SignatureProfile> <mss:mssURI>http://mid.swisscom.ch/Device-LoA4</mss:mssURI> </mss:SignatureProfile> <mss:Status> <mss:StatusCode Value="100"/> <mss:StatusMessage>REQUEST_OK</mss:StatusMessage> <mss:StatusDetail> <fi:ServiceResponses> <fi:ServiceResponse> <fi:Description> <mss:mssURI>http://mid.swisscom.ch/as#app2app</mss:mssURI> </fi:Description> <fi:App2App> <ns1:AuthUri xmlns:ns1="http://mid.swisscom.ch/TS102204/as/v1.0"> mobileid://auth?mobile_auth_redirect_uri=myapp%3A%2F%2Fapp.open%23access_token%3DABCD&amp;session_token=32ffc297-0YLukZtgoRVz_wbJfLnViEhZk9aXM8dkHoOnhqf158&amp;user_id=32ffc297-ac33-4be2-b3f4-42588502ea0f </ns1:AuthUri> </fi:App2App> </fi:ServiceResponse> </fi:ServiceResponses> </mss:StatusDetail> </mss:Status> </mss:MSS_SignatureResp> </MSS_SignatureResponse> </soapenv:Body> </soapenv:Envelope>'

PROFILE = "http://mid.swisscom.ch/MID/v1/AuthProfile1"


def cms_of(name):
    with open(os.path.join(OUT, name), encoding="utf-8") as f:
        v = json.load(f)
    body = v.get("MSS_SignatureResp") or v["MSS_StatusResp"]
    return body["MSS_Signature"]["Base64Signature"], body["AP_Info"]["AP_TransID"], body["MobileUser"]["MSISDN"]


def fill(template, placeholder_sig, cms, trans_id, msisdn):
    out = template.replace('AP_TransID="REF0101120000"', f'AP_TransID="{trans_id}"')
    out = out.replace("MOBILE_NUMBER", msisdn).replace("SIGNATURE_PROFILE", PROFILE)
    if placeholder_sig:
        out = out.replace(placeholder_sig, cms)
    return out


def write(name, text):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write(text + "\n")


def main():
    rsa = cms_of("signature-rsa.json")
    ec = cms_of("signature-ec.json")
    two = cms_of("signature-two-signers.json")
    write("soap-signature-rsa.xml", fill(SIGNATURE_RESP, "MIIIdwYJKoZIhvc...", *rsa))
    write("soap-signature-two-signers.xml", fill(SIGNATURE_RESP, "MIIIdwYJKoZIhvc...", *two))
    write("soap-status-ec.xml", fill(STATUS_RESP, "MIIDwYJKoZIhvc...", *ec))
    write("soap-request-ok-100.xml", fill(REQUEST_OK, None, *rsa))
    write("soap-geofencing-rsa.xml", fill(GEOFENCING, "MIIDwYJKoZIhvc...", *rsa))
    write("soap-app2app-100.xml", fill(APP2APP, None, *rsa))
    write("soap-fault-101.xml", FAULT)
    write(
        "soap-fault-401.xml",
        FAULT.replace("soapenv:Sender", "soapenv:Receiver")
        .replace("mss:_101", "mss:_401")
        .replace("WRONG_PARAM", "USER_CANCEL")
        .replace("Illegal msisdn", "User cancelled the request"),
    )


if __name__ == "__main__":
    main()
