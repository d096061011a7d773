# Verdict messages, Italian (forma impersonale, come nei servizi pubblici svizzeri).

## Indications (ETSI EN 319 102-1)

indication-total-passed = La firma è valida.
indication-indeterminate = Non è stato possibile confermare la validità della firma.
indication-total-failed = La firma non è valida.

## Indications for a report on a certificate on its own

certificate-indication-total-passed = Il certificato è valido.
certificate-indication-indeterminate = Non è stato possibile confermare la validità del certificato.
certificate-indication-total-failed = Il certificato non è valido.

## Sub-indications

sub-format-failure = La firma è danneggiata o non rispetta le regole del suo formato.
sub-hash-failure = I dati firmati sono stati modificati dopo la firma.
sub-sig-crypto-failure = La firma non corrisponde al certificato del firmatario.
sub-not-yet-valid = Il certificato del firmatario non era ancora valido al momento della verifica.
sub-revoked = Il certificato del firmatario è stato revocato.
sub-signed-data-not-found = I dati firmati non sono disponibili, quindi non è possibile verificare la firma.
sub-no-signing-certificate-found = Il certificato del firmatario non è stato trovato.
sub-no-certificate-chain-found = Non è possibile ricondurre il certificato del firmatario a un’autorità di certificazione attendibile.
sub-sig-constraints-failure = La firma non corrisponde a quanto atteso (transazione, numero di telefono o numero di serie Mobile ID).
sub-chain-constraints-failure = Un certificato della catena di certificazione non soddisfa i requisiti per il suo utilizzo.
sub-out-of-bounds-no-poe = Il certificato del firmatario è scaduto o non è valido al momento della verifica.
sub-revoked-no-poe = Un certificato della catena del firmatario è revocato e nulla prova che la firma sia stata creata prima della revoca.
sub-crypto-constraints-failure = La firma utilizza un algoritmo o una lunghezza di chiave non supportati o non sufficientemente sicuri.
sub-crypto-constraints-failure-no-poe = La firma utilizza un algoritmo o una lunghezza di chiave che al momento della verifica non erano più considerati sicuri.
sub-try-later = Il risultato non è ancora disponibile. Riprovare più tardi.
sub-format-not-supported = Questo formato di firma non è ancora supportato.
sub-budget-exhausted = La verifica si è interrotta perché ha raggiunto il suo limite di lavoro; questa parte non è stata verificata.

## Checks: what a passed check establishes

check-format-parsed = Il file è in un formato di firma o di certificato riconosciuto.
check-signature-present = Il file contiene almeno una firma.
check-signed-attributes-well-formed = Gli attributi firmati della firma sono strutturati correttamente.
check-content-type-match = Il tipo di contenuto dichiarato nella firma corrisponde al contenuto firmato.
check-signed-data-found = I dati firmati sono disponibili.
check-message-digest-match = I dati firmati corrispondono alla firma.
check-algorithm-supported = Gli algoritmi di firma e di hash sono supportati.
check-algorithm-protection = Gli algoritmi dichiarati nella firma sono quelli effettivamente utilizzati.
check-signing-certificate-found = Il certificato del firmatario è stato trovato.
check-signing-certificate-reference = La firma identifica correttamente il certificato del firmatario.
check-signature-value = Il valore della firma è corretto per la chiave del firmatario.
check-signed-attributes-der-order = Gli attributi firmati sono codificati nell’ordine standard (DER).
check-crypto-policy = Gli algoritmi e le lunghezze di chiave sono ammessi dalla politica di validazione.
check-chain-built = Il certificato del firmatario è riconducibile a un’autorità di certificazione attendibile.
check-certificate-validity = Al momento della verifica il certificato rientra nel suo periodo di validità.
check-key-usage = Il certificato può essere utilizzato per firmare.
check-extended-key-usage = L’utilizzo esteso della chiave del certificato consente di firmare documenti.
check-critical-extensions = Il certificato non contiene estensioni critiche sconosciute.
check-revocation = Il certificato non è stato revocato.
check-timestamp-imprint = La marca temporale si riferisce a questa firma.
check-timestamp-signature = La firma della marca temporale stessa è valida.
check-counter-signatures = Le controfirme di questa firma sono state trovate e verificate separatamente.
check-format-supported = Questo formato di file può essere verificato da questo servizio.
check-mobile-id-status = La risposta di Mobile ID indica una firma completata.
check-ap-trans-id-match = La risposta di Mobile ID appartiene a questa transazione (AP_TransID).
check-msisdn-match = La risposta di Mobile ID proviene dal numero di telefono atteso.
check-mobile-id-serial-match = Il numero di serie Mobile ID corrisponde a quello registrato.
check-container-structure = Il contenitore è ben formato (mimetype, manifest, ZIP sicuro).
check-data-file-coverage = Ogni file di dati è coperto da ogni firma.
check-byte-range = L'intervallo di byte firmato del PDF è corretto e termina alla fine di una revisione.
check-document-modifications = Ogni modifica apportata al PDF dopo la firma è consentita.
check-proof-of-existence = Una marca temporale prova che la firma esisteva in un momento in cui il certificato, lo stato di revoca e gli algoritmi erano validi.
check-live-revocation = I responder OCSP dei certificati sono stati interrogati sullo stato di revoca e hanno risposto.

## Checks: why a check failed

check-format-parsed-failed = Il file è danneggiato oppure non è né una firma né un certificato valido.
check-signature-present-failed = Il file non contiene alcuna firma.
check-signed-attributes-well-formed-failed = Gli attributi firmati della firma mancano, sono duplicati o non sono strutturati correttamente.
check-content-type-match-failed = Il tipo di contenuto dichiarato nella firma non corrisponde al contenuto firmato.
check-signed-data-found-failed = I dati firmati mancano: non sono contenuti nel file né sono stati forniti separatamente.
check-message-digest-match-failed = I dati firmati non corrispondono alla firma: sono stati modificati oppure è stato fornito un altro documento.
check-algorithm-supported-failed = La firma utilizza un algoritmo non supportato.
check-algorithm-protection-failed = Gli algoritmi dichiarati nella firma differiscono da quelli effettivamente utilizzati.
check-signing-certificate-found-failed = Il certificato del firmatario non si trova né nella firma né tra i certificati forniti.
check-signing-certificate-reference-failed = La firma fa riferimento a un certificato diverso da quello utilizzato per firmare.
check-signature-value-failed = Il valore della firma non è corretto per la chiave del firmatario.
check-signed-attributes-der-order-failed = Gli attributi firmati non sono codificati nell’ordine standard (DER).
check-crypto-policy-failed = Un algoritmo o una lunghezza di chiave non è ammesso dalla politica di validazione.
check-chain-built-failed = Non è stato possibile costruire una catena di certificati valida fino a un’autorità di certificazione attendibile.
check-certificate-validity-failed = Al momento della verifica il certificato è scaduto o non è ancora valido.
check-key-usage-failed = Il certificato non può essere utilizzato per firmare.
check-extended-key-usage-failed = L’utilizzo esteso della chiave del certificato non consente di firmare documenti (ad esempio un certificato di server TLS o di marcatura temporale).
check-critical-extensions-failed = Il certificato contiene un’estensione critica che non può essere elaborata.
check-revocation-failed = Il certificato è stato revocato oppure non è stato possibile verificarne lo stato di revoca.
check-timestamp-imprint-failed = La marca temporale non si riferisce a questa firma.
check-timestamp-signature-failed = La firma della marca temporale stessa non è valida.
check-counter-signatures-failed = Non è stato possibile elaborare una controfirma di questa firma.
check-format-supported-failed = Questo formato di file non può ancora essere verificato.
check-mobile-id-status-failed = La risposta di Mobile ID non contiene una firma completata.
check-ap-trans-id-match-failed = La risposta di Mobile ID appartiene a un’altra transazione (AP_TransID).
check-msisdn-match-failed = La risposta di Mobile ID proviene da un numero di telefono diverso da quello richiesto.
check-mobile-id-serial-match-failed = Il numero di serie Mobile ID differisce da quello registrato: l’account è stato riattivato senza la procedura di ripristino.
check-container-structure-failed = Il contenitore non è ben formato.
check-data-file-coverage-failed = Un file di dati non è coperto da ogni firma, oppure la firma copre solo una parte del documento.
check-byte-range-failed = L'intervallo di byte firmato del PDF è malformato o non copre la sua revisione.
check-document-modifications-failed = Il PDF è stato modificato dopo la firma in un modo che i suoi permessi non consentono.
check-proof-of-existence-failed = Non si può dimostrare che la firma esistesse in un momento in cui il suo certificato era valido.
check-live-revocation-failed = Non è stato possibile ottenere lo stato di revoca dai responder OCSP dei certificati.

## Swisscom Mobile ID status and fault codes (reference guide, section 6.1)

mobileid-status-100 = La richiesta è stata accettata.
mobileid-status-101 = La richiesta contiene parametri non validi.
mobileid-status-102 = Nella richiesta mancano parametri obbligatori.
mobileid-status-103 = Il testo da firmare è troppo lungo.
mobileid-status-104 = Questo servizio non è autorizzato a utilizzare Mobile ID (AP_ID errato o certificato client mancante).
mobileid-status-105 = Per questo numero di telefono non è registrato alcun utente Mobile ID, oppure questo servizio non può utilizzare l’app Mobile ID.
mobileid-status-107 = Il testo da firmare è stato rifiutato perché non inizia con il prefisso richiesto per questo servizio.
mobileid-status-108 = La richiesta utilizza una versione dell’interfaccia incompatibile.
mobileid-status-109 = Il profilo di firma richiesto non è supportato o non è consentito per questo servizio.
mobileid-status-208 = La richiesta non è stata confermata in tempo sul telefono. Riprovare.
mobileid-status-209 = Non è stato possibile raggiungere il telefono a causa di un problema di comunicazione temporaneo. Riprovare.
mobileid-status-401 = La richiesta è stata annullata sul telefono.
mobileid-status-402 = Il PIN di Mobile ID è bloccato. Riattivare Mobile ID sul portale Selfcare di Mobile ID.
mobileid-status-403 = L’account Mobile ID è sospeso. Contattare il supporto Swisscom.
mobileid-status-404 = L’account Mobile ID non è attivo. Attivarlo sul portale Selfcare di Mobile ID.
mobileid-status-406 = Una richiesta di firma è già in corso. Riprovare più tardi.
mobileid-status-422 = L’account Mobile ID non è attivo (nessun certificato valido). Attivarlo sul portale Selfcare di Mobile ID.
mobileid-status-500 = La firma è stata eseguita correttamente.
mobileid-status-501 = Il certificato Mobile ID è stato revocato. Riattivare Mobile ID sul portale Selfcare di Mobile ID.
mobileid-status-502 = La firma è stata eseguita e convalidata correttamente.
mobileid-status-503 = La firma non è valida. Riattivare Mobile ID sul portale Selfcare di Mobile ID. Potrebbe essere necessario sostituire la carta SIM.
mobileid-status-504 = La firma non è ancora stata completata. Riprovare più tardi.
mobileid-status-900 = Si è verificato un errore interno di Mobile ID. Riprovare più tardi o, se il problema persiste, contattare il supporto Swisscom.

## MSign VerifySignatures: the Message field (at most 100 characters)

msign-all-valid = La firma è valida
msign-not-valid = La firma non è valida
msign-hash-wrong-algorithm = L'hash fornito ha una lunghezza errata per l'algoritmo di hash della firma

## Swisscom Mobile ID: no signature, and one signature per response

sub-no-signature = La risposta non contiene alcuna firma da verificare.
check-mobile-id-single-signature = La risposta Mobile ID contiene esattamente una firma.
check-mobile-id-single-signature-failed = La risposta Mobile ID contiene più firme; Mobile ID ne restituisce esattamente una.
