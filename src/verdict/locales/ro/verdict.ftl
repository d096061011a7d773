# Verdict messages, Romanian (Republic of Moldova, MSign). Diacritics with comma below: ș ț.

## Indications (ETSI EN 319 102-1)

indication-total-passed = Semnătura este validă.
indication-indeterminate = Validitatea semnăturii nu a putut fi confirmată.
indication-total-failed = Semnătura nu este validă.

## Indications for a report on a certificate on its own

certificate-indication-total-passed = Certificatul este valid.
certificate-indication-indeterminate = Validitatea certificatului nu a putut fi confirmată.
certificate-indication-total-failed = Certificatul nu este valid.

## Sub-indications

sub-format-failure = Semnătura este deteriorată sau nu respectă regulile formatului său.
sub-hash-failure = Datele semnate au fost modificate după semnare.
sub-sig-crypto-failure = Semnătura nu corespunde certificatului semnatarului.
sub-not-yet-valid = Certificatul semnatarului nu era încă valabil la momentul verificării.
sub-revoked = Certificatul semnatarului a fost revocat.
sub-signed-data-not-found = Datele semnate nu sunt disponibile, de aceea semnătura nu poate fi verificată.
sub-no-signing-certificate-found = Certificatul semnatarului nu a fost găsit.
sub-no-certificate-chain-found = Certificatul semnatarului nu poate fi legat de o autoritate de certificare de încredere.
sub-sig-constraints-failure = Semnătura nu corespunde celei așteptate (tranzacția, numărul de telefon sau numărul de serie Mobile ID).
sub-chain-constraints-failure = Un certificat din lanțul de certificare nu îndeplinește cerințele pentru utilizarea sa.
sub-out-of-bounds-no-poe = Certificatul semnatarului a expirat sau nu este valabil la momentul verificării.
sub-revoked-no-poe = Un certificat din lanțul semnatarului este revocat și nimic nu dovedește că semnătura a fost creată înainte de revocare.
sub-crypto-constraints-failure = Semnătura folosește un algoritm sau o lungime a cheii care nu este acceptată sau nu este suficient de sigură.
sub-crypto-constraints-failure-no-poe = Semnătura folosește un algoritm sau o lungime a cheii care nu mai era considerată sigură la momentul verificării.
sub-try-later = Rezultatul nu este încă disponibil. Încercați din nou mai târziu.
sub-format-not-supported = Acest format de semnătură nu este încă acceptat.
sub-budget-exhausted = Verificarea s-a oprit deoarece a atins limita de lucru; această parte nu a fost verificată.

## Checks: what a passed check establishes

check-format-parsed = Fișierul are un format recunoscut de semnătură sau de certificat.
check-signature-present = Fișierul conține cel puțin o semnătură.
check-signed-attributes-well-formed = Atributele semnate ale semnăturii sunt formate corect.
check-content-type-match = Tipul de conținut declarat în semnătură corespunde conținutului semnat.
check-signed-data-found = Datele semnate sunt disponibile.
check-message-digest-match = Datele semnate corespund semnăturii.
check-algorithm-supported = Algoritmii de semnare și de hash sunt acceptați.
check-algorithm-protection = Algoritmii declarați în semnătură sunt cei folosiți efectiv.
check-signing-certificate-found = Certificatul semnatarului a fost găsit.
check-signing-certificate-reference = Semnătura identifică corect certificatul semnatarului.
check-signature-value = Valoarea semnăturii este corectă pentru cheia semnatarului.
check-signed-attributes-der-order = Atributele semnate sunt codificate în ordinea standard (DER).
check-crypto-policy = Algoritmii și lungimile cheilor sunt admise de politica de validare.
check-chain-built = Certificatul semnatarului este legat de o autoritate de certificare de încredere.
check-certificate-validity = La momentul verificării, certificatul se află în perioada sa de valabilitate.
check-key-usage = Certificatul poate fi folosit pentru semnare.
check-extended-key-usage = Utilizarea extinsă a cheii certificatului permite semnarea documentelor.
check-critical-extensions = Certificatul nu conține nicio extensie critică necunoscută.
check-revocation = Certificatul nu a fost revocat.
check-timestamp-imprint = Marca temporală se referă la această semnătură.
check-timestamp-signature = Semnătura mărcii temporale este validă.
check-counter-signatures = Contrasemnăturile acestei semnături au fost găsite și verificate separat.
check-format-supported = Acest format de fișier poate fi verificat de acest serviciu.
check-mobile-id-status = Răspunsul Mobile ID indică o semnătură finalizată.
check-ap-trans-id-match = Răspunsul Mobile ID aparține acestei tranzacții (AP_TransID).
check-msisdn-match = Răspunsul Mobile ID provine de la numărul de telefon așteptat.
check-mobile-id-serial-match = Numărul de serie Mobile ID coincide cu cel înregistrat.
check-container-structure = Containerul este bine format (mimetype, manifest, ZIP sigur).
check-data-file-coverage = Fiecare fișier de date este acoperit de fiecare semnătură.
check-byte-range = Intervalul de octeți semnat al PDF-ului este corect și se termină la sfârșitul unei revizii.
check-document-modifications = Orice modificare a PDF-ului după semnătură este permisă.
check-proof-of-existence = O marcă temporală dovedește că semnătura exista la un moment în care certificatul, starea de revocare și algoritmii erau valabili.
check-live-revocation = Serviciile OCSP ale certificatelor au fost interogate privind starea de revocare și au răspuns.

## Checks: why a check failed

check-format-parsed-failed = Fișierul este deteriorat sau nu este nici o semnătură, nici un certificat valid.
check-signature-present-failed = Fișierul nu conține nicio semnătură.
check-signed-attributes-well-formed-failed = Atributele semnate ale semnăturii lipsesc, sunt duplicate sau sunt formate incorect.
check-content-type-match-failed = Tipul de conținut declarat în semnătură nu corespunde conținutului semnat.
check-signed-data-found-failed = Datele semnate lipsesc: nu se află în fișier și nici nu au fost furnizate separat.
check-message-digest-match-failed = Datele semnate nu corespund semnăturii: au fost modificate sau a fost furnizat un alt document.
check-algorithm-supported-failed = Semnătura folosește un algoritm care nu este acceptat.
check-algorithm-protection-failed = Algoritmii declarați în semnătură diferă de cei folosiți efectiv.
check-signing-certificate-found-failed = Certificatul semnatarului nu se află nici în semnătură, nici printre certificatele furnizate.
check-signing-certificate-reference-failed = Semnătura face referire la un alt certificat decât cel cu care s-a semnat.
check-signature-value-failed = Valoarea semnăturii nu este corectă pentru cheia semnatarului.
check-signed-attributes-der-order-failed = Atributele semnate nu sunt codificate în ordinea standard (DER).
check-crypto-policy-failed = Un algoritm sau o lungime a cheii nu este admisă de politica de validare.
check-chain-built-failed = Nu s-a putut construi un lanț valid de certificate până la o autoritate de certificare de încredere.
check-certificate-validity-failed = La momentul verificării, certificatul era expirat sau nu era încă valabil.
check-key-usage-failed = Certificatul nu poate fi folosit pentru semnare.
check-extended-key-usage-failed = Utilizarea extinsă a cheii certificatului nu permite semnarea documentelor (de exemplu un certificat de server TLS sau de marcare temporală).
check-critical-extensions-failed = Certificatul conține o extensie critică ce nu poate fi procesată.
check-revocation-failed = Certificatul a fost revocat sau starea sa de revocare nu a putut fi verificată.
check-timestamp-imprint-failed = Marca temporală nu aparține acestei semnături.
check-timestamp-signature-failed = Semnătura mărcii temporale nu este validă.
check-counter-signatures-failed = O contrasemnătură a acestei semnături nu a putut fi procesată.
check-format-supported-failed = Acest format de fișier nu poate fi încă verificat.
check-mobile-id-status-failed = Răspunsul Mobile ID nu conține o semnătură finalizată.
check-ap-trans-id-match-failed = Răspunsul Mobile ID aparține altei tranzacții (AP_TransID).
check-msisdn-match-failed = Răspunsul Mobile ID provine de la alt număr de telefon decât cel solicitat.
check-mobile-id-serial-match-failed = Numărul de serie Mobile ID diferă de cel înregistrat: contul a fost reactivat fără procedura de recuperare.
check-container-structure-failed = Containerul este malformat.
check-data-file-coverage-failed = Un fișier de date nu este acoperit de fiecare semnătură sau semnătura acoperă doar o parte a documentului.
check-byte-range-failed = Intervalul de octeți semnat al PDF-ului este incorect sau nu acoperă revizia sa.
check-document-modifications-failed = PDF-ul a fost modificat după semnătură într-un mod pe care permisiunile sale nu îl permit.
check-proof-of-existence-failed = Nu se poate dovedi că semnătura exista la un moment în care certificatul era valabil.
check-live-revocation-failed = Starea de revocare nu a putut fi obținută de la serviciile OCSP ale certificatelor.

## Swisscom Mobile ID status and fault codes (reference guide, section 6.1)

mobileid-status-100 = Cererea a fost acceptată.
mobileid-status-101 = Cererea conține parametri incorecți.
mobileid-status-102 = Din cerere lipsesc parametri obligatorii.
mobileid-status-103 = Textul de semnat este prea lung.
mobileid-status-104 = Acest serviciu nu este autorizat să folosească Mobile ID (AP_ID greșit sau certificat de client lipsă).
mobileid-status-105 = Pentru acest număr de telefon nu este înregistrat niciun utilizator Mobile ID sau acest serviciu nu poate folosi aplicația Mobile ID.
mobileid-status-107 = Textul de semnat a fost respins, deoarece nu începe cu prefixul obligatoriu pentru acest serviciu.
mobileid-status-108 = Cererea folosește o versiune de interfață incompatibilă.
mobileid-status-109 = Profilul de semnătură solicitat nu este acceptat sau nu este permis pentru acest serviciu.
mobileid-status-208 = Cererea nu a fost confirmată la timp pe telefon. Încercați din nou.
mobileid-status-209 = Telefonul nu a putut fi contactat din cauza unei probleme temporare de comunicare. Încercați din nou.
mobileid-status-401 = Cererea a fost anulată pe telefon.
mobileid-status-402 = Codul PIN Mobile ID este blocat. Reactivați Mobile ID pe portalul Selfcare Mobile ID.
mobileid-status-403 = Contul Mobile ID este suspendat. Contactați serviciul de asistență Swisscom.
mobileid-status-404 = Contul Mobile ID nu este activ. Activați-l pe portalul Selfcare Mobile ID.
mobileid-status-406 = O cerere de semnare este deja în curs. Încercați din nou mai târziu.
mobileid-status-422 = Contul Mobile ID nu este activ (niciun certificat valabil). Activați-l pe portalul Selfcare Mobile ID.
mobileid-status-500 = Semnătura a fost aplicată cu succes.
mobileid-status-501 = Certificatul Mobile ID a fost revocat. Reactivați Mobile ID pe portalul Selfcare Mobile ID.
mobileid-status-502 = Semnătura a fost aplicată și validată cu succes.
mobileid-status-503 = Semnătura nu este validă. Reactivați Mobile ID pe portalul Selfcare Mobile ID. Poate fi necesară înlocuirea cartelei SIM.
mobileid-status-504 = Semnarea nu a fost încă finalizată. Încercați din nou mai târziu.
mobileid-status-900 = A apărut o eroare internă Mobile ID. Încercați din nou mai târziu sau, dacă problema persistă, contactați serviciul de asistență Swisscom.

## MSign VerifySignatures: the Message field (at most 100 characters)

msign-all-valid = Semnătura este validă
msign-not-valid = Semnătura nu este validă
msign-hash-wrong-algorithm = Hash-ul transmis are o lungime greșită pentru algoritmul de hash al semnăturii

## Swisscom Mobile ID: no signature, and one signature per response

sub-no-signature = Răspunsul nu conține nicio semnătură de verificat.
check-mobile-id-single-signature = Răspunsul Mobile ID conține exact o semnătură.
check-mobile-id-single-signature-failed = Răspunsul Mobile ID conține mai multe semnături; Mobile ID returnează exact una.
