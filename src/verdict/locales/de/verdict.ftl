# Verdict messages, German. Formal address (Sie); wording avoids ß so that the same text suits
# Switzerland (which writes ss) and Germany.

## Indications (ETSI EN 319 102-1)

indication-total-passed = Die Signatur ist gültig.
indication-indeterminate = Die Gültigkeit der Signatur konnte nicht bestätigt werden.
indication-total-failed = Die Signatur ist ungültig.

## Indications for a report on a certificate on its own

certificate-indication-total-passed = Das Zertifikat ist gültig.
certificate-indication-indeterminate = Die Gültigkeit des Zertifikats konnte nicht bestätigt werden.
certificate-indication-total-failed = Das Zertifikat ist ungültig.

## Sub-indications

sub-format-failure = Die Signatur ist beschädigt oder entspricht nicht den Regeln ihres Formats.
sub-hash-failure = Die signierten Daten wurden nach dem Signieren verändert.
sub-sig-crypto-failure = Die Signatur passt nicht zum Zertifikat des Unterzeichners.
sub-not-yet-valid = Das Zertifikat des Unterzeichners war zum Prüfzeitpunkt noch nicht gültig.
sub-revoked = Das Zertifikat des Unterzeichners wurde widerrufen.
sub-signed-data-not-found = Die signierten Daten liegen nicht vor, daher kann die Signatur nicht geprüft werden.
sub-no-signing-certificate-found = Das Zertifikat des Unterzeichners wurde nicht gefunden.
sub-no-certificate-chain-found = Das Zertifikat des Unterzeichners lässt sich nicht auf eine vertrauenswürdige Zertifizierungsstelle zurückführen.
sub-sig-constraints-failure = Die Signatur entspricht nicht den Erwartungen (Transaktion, Telefonnummer oder Seriennummer der Mobile ID).
sub-chain-constraints-failure = Ein Zertifikat der Zertifikatskette erfüllt die Anforderungen für seine Verwendung nicht.
sub-out-of-bounds-no-poe = Das Zertifikat des Unterzeichners ist abgelaufen oder zum Prüfzeitpunkt nicht gültig.
sub-revoked-no-poe = Ein Zertifikat in der Kette des Unterzeichners ist widerrufen, und nichts belegt, dass die Signatur vor dem Widerruf erstellt wurde.
sub-crypto-constraints-failure = Die Signatur verwendet einen Algorithmus oder eine Schlüssellänge, die nicht unterstützt wird oder nicht sicher genug ist.
sub-crypto-constraints-failure-no-poe = Die Signatur verwendet einen Algorithmus oder eine Schlüssellänge, die zum Prüfzeitpunkt nicht mehr als sicher galt.
sub-try-later = Das Ergebnis liegt noch nicht vor. Bitte versuchen Sie es später erneut.
sub-format-not-supported = Dieses Signaturformat wird noch nicht unterstützt.
sub-budget-exhausted = Die Prüfung wurde abgebrochen, weil sie ihr Arbeitslimit erreicht hat; dieser Teil wurde nicht geprüft.

## Checks: what a passed check establishes

check-format-parsed = Die Datei liegt in einem bekannten Signatur- oder Zertifikatsformat vor.
check-signature-present = Die Datei enthält mindestens eine Signatur.
check-signed-attributes-well-formed = Die signierten Attribute der Signatur sind korrekt aufgebaut.
check-content-type-match = Der in der Signatur angegebene Inhaltstyp stimmt mit dem signierten Inhalt überein.
check-signed-data-found = Die signierten Daten liegen vor.
check-message-digest-match = Die signierten Daten stimmen mit der Signatur überein.
check-algorithm-supported = Die Signatur- und Hash-Algorithmen werden unterstützt.
check-algorithm-protection = Die in der Signatur angegebenen Algorithmen sind die tatsächlich verwendeten.
check-signing-certificate-found = Das Zertifikat des Unterzeichners wurde gefunden.
check-signing-certificate-reference = Die Signatur verweist korrekt auf das Zertifikat des Unterzeichners.
check-signature-value = Der Signaturwert ist für den Schlüssel des Unterzeichners korrekt.
check-signed-attributes-der-order = Die signierten Attribute sind in der Standardreihenfolge (DER) codiert.
check-crypto-policy = Die Algorithmen und Schlüssellängen sind nach der Prüfrichtlinie zulässig.
check-chain-built = Das Zertifikat des Unterzeichners lässt sich auf eine vertrauenswürdige Zertifizierungsstelle zurückführen.
check-certificate-validity = Das Zertifikat ist zum Prüfzeitpunkt innerhalb seiner Gültigkeitsdauer.
check-key-usage = Das Zertifikat darf zum Signieren verwendet werden.
check-extended-key-usage = Die erweiterte Schlüsselverwendung des Zertifikats erlaubt das Signieren von Dokumenten.
check-critical-extensions = Das Zertifikat enthält keine unbekannte kritische Erweiterung.
check-revocation = Das Zertifikat wurde nicht widerrufen.
check-timestamp-imprint = Der Zeitstempel bezieht sich auf diese Signatur.
check-timestamp-signature = Die Signatur des Zeitstempels ist gültig.
check-counter-signatures = Die Gegensignaturen dieser Signatur wurden gefunden und einzeln geprüft.
check-format-supported = Dieses Dateiformat kann von diesem Dienst geprüft werden.
check-mobile-id-status = Die Antwort von Mobile ID meldet eine abgeschlossene Signatur.
check-ap-trans-id-match = Die Antwort von Mobile ID gehört zu dieser Transaktion (AP_TransID).
check-msisdn-match = Die Antwort von Mobile ID stammt von der erwarteten Telefonnummer.
check-mobile-id-serial-match = Die Seriennummer der Mobile ID stimmt mit der registrierten überein.
check-container-structure = Der Container ist korrekt aufgebaut (mimetype, Manifest, sicheres ZIP).
check-data-file-coverage = Jede Datei ist von jeder Signatur abgedeckt.
check-byte-range = Der signierte Bytebereich des PDF ist korrekt und endet am Ende einer Revision.
check-document-modifications = Jede Änderung am PDF nach der Signatur ist zulässig.
check-proof-of-existence = Ein Zeitstempel belegt, dass die Signatur zu einem Zeitpunkt existierte, an dem Zertifikat, Sperrstatus und Algorithmen gültig waren.
check-live-revocation = Die OCSP-Responder der Zertifikate wurden nach deren Sperrstatus gefragt und haben geantwortet.

## Checks: why a check failed

check-format-parsed-failed = Die Datei ist beschädigt oder ist weder eine gültige Signatur noch ein gültiges Zertifikat.
check-signature-present-failed = Die Datei enthält keine Signatur.
check-signed-attributes-well-formed-failed = Die signierten Attribute der Signatur fehlen, sind doppelt vorhanden oder fehlerhaft.
check-content-type-match-failed = Der in der Signatur angegebene Inhaltstyp stimmt nicht mit dem signierten Inhalt überein.
check-signed-data-found-failed = Die signierten Daten fehlen, weil sie weder in der Datei enthalten sind noch separat übermittelt wurden.
check-message-digest-match-failed = Die signierten Daten stimmen nicht mit der Signatur überein: Entweder wurden sie verändert, oder es wurde ein anderes Dokument übermittelt.
check-algorithm-supported-failed = Die Signatur verwendet einen Algorithmus, der nicht unterstützt wird.
check-algorithm-protection-failed = Die in der Signatur angegebenen Algorithmen weichen von den tatsächlich verwendeten ab.
check-signing-certificate-found-failed = Das Zertifikat des Unterzeichners ist weder in der Signatur noch unter den bereitgestellten Zertifikaten vorhanden.
check-signing-certificate-reference-failed = Die Signatur verweist auf ein anderes Zertifikat als das, mit dem signiert wurde.
check-signature-value-failed = Der Signaturwert ist für den Schlüssel des Unterzeichners nicht korrekt.
check-signed-attributes-der-order-failed = Die signierten Attribute sind nicht in der Standardreihenfolge (DER) codiert.
check-crypto-policy-failed = Ein Algorithmus oder eine Schlüssellänge ist nach der Prüfrichtlinie nicht zulässig.
check-chain-built-failed = Es konnte keine gültige Zertifikatskette zu einer vertrauenswürdigen Zertifizierungsstelle gebildet werden.
check-certificate-validity-failed = Das Zertifikat ist zum Prüfzeitpunkt abgelaufen oder noch nicht gültig.
check-key-usage-failed = Das Zertifikat darf nicht zum Signieren verwendet werden.
check-extended-key-usage-failed = Die erweiterte Schlüsselverwendung des Zertifikats erlaubt kein Signieren von Dokumenten (zum Beispiel ein TLS-Server- oder Zeitstempel-Zertifikat).
check-critical-extensions-failed = Das Zertifikat enthält eine kritische Erweiterung, die nicht verarbeitet werden kann.
check-revocation-failed = Das Zertifikat wurde widerrufen, oder sein Sperrstatus konnte nicht geprüft werden.
check-timestamp-imprint-failed = Der Zeitstempel gehört nicht zu dieser Signatur.
check-timestamp-signature-failed = Die Signatur des Zeitstempels ist ungültig.
check-counter-signatures-failed = Eine Gegensignatur dieser Signatur konnte nicht verarbeitet werden.
check-format-supported-failed = Dieses Dateiformat kann noch nicht geprüft werden.
check-mobile-id-status-failed = Die Antwort von Mobile ID enthält keine abgeschlossene Signatur.
check-ap-trans-id-match-failed = Die Antwort von Mobile ID gehört zu einer anderen Transaktion (AP_TransID).
check-msisdn-match-failed = Die Antwort von Mobile ID stammt von einer anderen als der angefragten Telefonnummer.
check-mobile-id-serial-match-failed = Die Seriennummer der Mobile ID weicht von der registrierten ab: Das Konto wurde ohne Wiederherstellung neu aktiviert.
check-container-structure-failed = Der Container ist fehlerhaft aufgebaut.
check-data-file-coverage-failed = Eine Datei ist nicht von jeder Signatur abgedeckt, oder die Signatur deckt nur einen Teil des Dokuments ab.
check-byte-range-failed = Der signierte Bytebereich des PDF ist fehlerhaft oder deckt seine Revision nicht ab.
check-document-modifications-failed = Das PDF wurde nach der Signatur auf eine Weise geändert, die seine Berechtigungen nicht erlauben.
check-proof-of-existence-failed = Es lässt sich nicht belegen, dass die Signatur zu einem Zeitpunkt existierte, an dem ihr Zertifikat gültig war.
check-live-revocation-failed = Der Sperrstatus konnte nicht von den OCSP-Respondern der Zertifikate bezogen werden.

## Swisscom Mobile ID status and fault codes (reference guide, section 6.1)

mobileid-status-100 = Die Anfrage wurde angenommen.
mobileid-status-101 = Die Anfrage enthält ungültige Parameter.
mobileid-status-102 = In der Anfrage fehlen erforderliche Parameter.
mobileid-status-103 = Der zu signierende Text ist zu lang.
mobileid-status-104 = Dieser Dienst ist nicht berechtigt, Mobile ID zu nutzen (falsche AP_ID oder fehlendes Client-Zertifikat).
mobileid-status-105 = Für diese Telefonnummer ist keine Mobile ID registriert, oder dieser Dienst darf die Mobile ID App nicht verwenden.
mobileid-status-107 = Der zu signierende Text wurde abgelehnt: Er beginnt nicht mit dem für diesen Dienst vorgeschriebenen Präfix.
mobileid-status-108 = Die Anfrage verwendet eine inkompatible Schnittstellenversion.
mobileid-status-109 = Das angeforderte Signaturprofil wird nicht unterstützt oder ist für diesen Dienst nicht zugelassen.
mobileid-status-208 = Die Anfrage wurde nicht rechtzeitig auf dem Telefon bestätigt. Bitte versuchen Sie es erneut.
mobileid-status-209 = Das Telefon konnte wegen eines vorübergehenden Kommunikationsproblems nicht erreicht werden. Bitte versuchen Sie es erneut.
mobileid-status-401 = Die Anfrage wurde auf dem Telefon abgebrochen.
mobileid-status-402 = Der PIN-Code von Mobile ID ist gesperrt. Bitte aktivieren Sie Mobile ID im Mobile ID Selfcare Portal erneut.
mobileid-status-403 = Das Mobile ID Konto ist vorübergehend gesperrt. Bitte wenden Sie sich an den Swisscom Support.
mobileid-status-404 = Das Mobile ID Konto ist nicht aktiv. Bitte aktivieren Sie es im Mobile ID Selfcare Portal.
mobileid-status-406 = Eine Signaturanfrage ist bereits in Bearbeitung. Bitte versuchen Sie es später erneut.
mobileid-status-422 = Das Mobile ID Konto ist nicht aktiv (kein gültiges Zertifikat). Bitte aktivieren Sie es im Mobile ID Selfcare Portal.
mobileid-status-500 = Die Signatur wurde erfolgreich erstellt.
mobileid-status-501 = Das Mobile ID Zertifikat wurde widerrufen. Bitte aktivieren Sie Mobile ID im Mobile ID Selfcare Portal erneut.
mobileid-status-502 = Die Signatur wurde erfolgreich erstellt und validiert.
mobileid-status-503 = Die Signatur ist ungültig. Bitte aktivieren Sie Mobile ID im Mobile ID Selfcare Portal erneut; möglicherweise muss die SIM-Karte ersetzt werden.
mobileid-status-504 = Die Signatur ist noch nicht abgeschlossen. Bitte versuchen Sie es später erneut.
mobileid-status-900 = Bei Mobile ID ist ein interner Fehler aufgetreten. Bitte versuchen Sie es später erneut oder wenden Sie sich an den Swisscom Support, falls das Problem weiterhin besteht.

## MSign VerifySignatures: the Message field (at most 100 characters)

msign-all-valid = Die Signatur ist gültig
msign-not-valid = Die Signatur ist ungültig
msign-hash-wrong-algorithm = Der übergebene Hashwert hat die falsche Länge für den Hash-Algorithmus der Signatur

## Swisscom Mobile ID: no signature, and one signature per response

sub-no-signature = Die Antwort enthält keine Signatur, die geprüft werden könnte.
check-mobile-id-single-signature = Die Mobile-ID-Antwort enthält genau eine Signatur.
check-mobile-id-single-signature-failed = Die Mobile-ID-Antwort enthält mehrere Signaturen; Mobile ID liefert genau eine.
