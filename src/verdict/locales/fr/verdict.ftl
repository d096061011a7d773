# Verdict messages, French (vouvoiement). Wording avoids ; : ? ! so that no spacing convention
# (France or Switzerland) is imposed.

## Indications (ETSI EN 319 102-1)

indication-total-passed = La signature est valide.
indication-indeterminate = La validité de la signature n’a pas pu être confirmée.
indication-total-failed = La signature n’est pas valide.

## Indications for a report on a certificate on its own

certificate-indication-total-passed = Le certificat est valide.
certificate-indication-indeterminate = La validité du certificat n’a pas pu être confirmée.
certificate-indication-total-failed = Le certificat n’est pas valide.

## Sub-indications

sub-format-failure = La signature est endommagée ou ne respecte pas les règles de son format.
sub-hash-failure = Les données signées ont été modifiées après la signature.
sub-sig-crypto-failure = La signature ne correspond pas au certificat du signataire.
sub-not-yet-valid = Le certificat du signataire n’était pas encore valide à la date de vérification.
sub-revoked = Le certificat du signataire a été révoqué.
sub-signed-data-not-found = Les données signées ne sont pas disponibles, la signature ne peut donc pas être vérifiée.
sub-no-signing-certificate-found = Le certificat du signataire est introuvable.
sub-no-certificate-chain-found = Le certificat du signataire ne peut pas être rattaché à une autorité de certification de confiance.
sub-sig-constraints-failure = La signature ne correspond pas à ce qui était attendu (transaction, numéro de téléphone ou numéro de série Mobile ID).
sub-chain-constraints-failure = Un certificat de la chaîne de certification ne remplit pas les conditions requises pour son usage.
sub-out-of-bounds-no-poe = Le certificat du signataire a expiré ou n’est pas valide à la date de vérification.
sub-revoked-no-poe = Un certificat de la chaîne du signataire est révoqué, et rien ne prouve que la signature a été créée avant la révocation.
sub-crypto-constraints-failure = La signature utilise un algorithme ou une longueur de clé non pris en charge ou insuffisamment sûrs.
sub-crypto-constraints-failure-no-poe = La signature utilise un algorithme ou une longueur de clé qui n’étaient plus considérés comme sûrs à la date de vérification.
sub-try-later = Le résultat n’est pas encore disponible. Veuillez réessayer plus tard.
sub-format-not-supported = Ce format de signature n’est pas encore pris en charge.
sub-budget-exhausted = La vérification s’est arrêtée car elle a atteint sa limite de travail ; cette partie n’a pas été vérifiée.

## Checks: what a passed check establishes

check-format-parsed = Le fichier est dans un format de signature ou de certificat reconnu.
check-signature-present = Le fichier contient au moins une signature.
check-signed-attributes-well-formed = Les attributs signés de la signature sont correctement formés.
check-content-type-match = Le type de contenu déclaré dans la signature correspond au contenu signé.
check-signed-data-found = Les données signées sont disponibles.
check-message-digest-match = Les données signées correspondent à la signature.
check-algorithm-supported = Les algorithmes de signature et de hachage sont pris en charge.
check-algorithm-protection = Les algorithmes déclarés dans la signature sont ceux qui ont effectivement été utilisés.
check-signing-certificate-found = Le certificat du signataire a été trouvé.
check-signing-certificate-reference = La signature désigne correctement le certificat du signataire.
check-signature-value = La valeur de la signature est correcte pour la clé du signataire.
check-signed-attributes-der-order = Les attributs signés sont encodés dans l’ordre standard (DER).
check-crypto-policy = Les algorithmes et longueurs de clé sont admis par la politique de validation.
check-chain-built = Le certificat du signataire se rattache à une autorité de certification de confiance.
check-certificate-validity = Le certificat est dans sa période de validité à la date de vérification.
check-key-usage = Le certificat peut être utilisé pour signer.
check-extended-key-usage = L’usage étendu de la clé du certificat permet de signer des documents.
check-critical-extensions = Le certificat ne contient aucune extension critique inconnue.
check-revocation = Le certificat n’a pas été révoqué.
check-timestamp-imprint = L’horodatage porte sur cette signature.
check-timestamp-signature = La signature de l’horodatage elle-même est valide.
check-counter-signatures = Les contre-signatures de cette signature ont été trouvées et vérifiées séparément.
check-format-supported = Ce format de fichier peut être vérifié par ce service.
check-mobile-id-status = La réponse Mobile ID indique une signature aboutie.
check-ap-trans-id-match = La réponse Mobile ID correspond à cette transaction (AP_TransID).
check-msisdn-match = La réponse Mobile ID provient du numéro de téléphone attendu.
check-mobile-id-serial-match = Le numéro de série Mobile ID correspond à celui qui a été enregistré.
check-container-structure = Le conteneur est bien formé (mimetype, manifeste, ZIP sûr).
check-data-file-coverage = Chaque fichier de données est couvert par chaque signature.
check-byte-range = La plage d'octets signée du PDF est correcte et se termine à la fin d'une révision.
check-document-modifications = Chaque modification apportée au PDF après la signature est autorisée.
check-proof-of-existence = Un horodatage prouve que la signature existait à un moment où son certificat, son statut de révocation et ses algorithmes étaient valides.
check-live-revocation = Les répondeurs OCSP des certificats ont été interrogés sur leur statut de révocation et ont répondu.

## Checks: why a check failed

check-format-parsed-failed = Le fichier est endommagé ou n’est ni une signature ni un certificat valide.
check-signature-present-failed = Le fichier ne contient aucune signature.
check-signed-attributes-well-formed-failed = Les attributs signés de la signature sont absents, en double ou mal formés.
check-content-type-match-failed = Le type de contenu déclaré dans la signature ne correspond pas au contenu signé.
check-signed-data-found-failed = Les données signées sont manquantes. Elles ne figurent pas dans le fichier et n’ont pas été fournies séparément.
check-message-digest-match-failed = Les données signées ne correspondent pas à la signature. Elles ont été modifiées ou un autre document a été fourni.
check-algorithm-supported-failed = La signature utilise un algorithme qui n’est pas pris en charge.
check-algorithm-protection-failed = Les algorithmes déclarés dans la signature diffèrent de ceux qui ont effectivement été utilisés.
check-signing-certificate-found-failed = Le certificat du signataire ne figure ni dans la signature ni parmi les certificats fournis.
check-signing-certificate-reference-failed = La signature désigne un autre certificat que celui qui a servi à signer.
check-signature-value-failed = La valeur de la signature n’est pas correcte pour la clé du signataire.
check-signed-attributes-der-order-failed = Les attributs signés ne sont pas encodés dans l’ordre standard (DER).
check-crypto-policy-failed = Un algorithme ou une longueur de clé n’est pas admis par la politique de validation.
check-chain-built-failed = Aucune chaîne de certificats valide menant à une autorité de certification de confiance n’a pu être construite.
check-certificate-validity-failed = Le certificat a expiré ou n’est pas encore valide à la date de vérification.
check-key-usage-failed = Le certificat ne peut pas être utilisé pour signer.
check-extended-key-usage-failed = L’usage étendu de la clé du certificat ne permet pas de signer des documents (par exemple un certificat de serveur TLS ou d’horodatage).
check-critical-extensions-failed = Le certificat contient une extension critique qui ne peut pas être traitée.
check-revocation-failed = Le certificat a été révoqué, ou son statut de révocation n’a pas pu être vérifié.
check-timestamp-imprint-failed = L’horodatage ne correspond pas à cette signature.
check-timestamp-signature-failed = La signature de l’horodatage elle-même n’est pas valide.
check-counter-signatures-failed = Une contre-signature de cette signature n’a pas pu être traitée.
check-format-supported-failed = Ce format de fichier ne peut pas encore être vérifié.
check-mobile-id-status-failed = La réponse Mobile ID ne contient pas de signature aboutie.
check-ap-trans-id-match-failed = La réponse Mobile ID appartient à une autre transaction (AP_TransID).
check-msisdn-match-failed = La réponse Mobile ID provient d’un autre numéro de téléphone que celui demandé.
check-mobile-id-serial-match-failed = Le numéro de série Mobile ID diffère de celui qui a été enregistré. Le compte a été réactivé sans procédure de récupération.
check-container-structure-failed = Le conteneur est mal formé.
check-data-file-coverage-failed = Un fichier de données n'est pas couvert par chaque signature, ou la signature ne couvre qu'une partie du document.
check-byte-range-failed = La plage d'octets signée du PDF est mal formée ou ne couvre pas sa révision.
check-document-modifications-failed = Le PDF a été modifié après la signature d'une manière que ses autorisations ne permettent pas.
check-proof-of-existence-failed = Rien ne prouve que la signature existait à un moment où son certificat était valide.
check-live-revocation-failed = Le statut de révocation n’a pas pu être obtenu des répondeurs OCSP des certificats.

## Swisscom Mobile ID status and fault codes (reference guide, section 6.1)

mobileid-status-100 = La demande a été acceptée.
mobileid-status-101 = La demande contient des paramètres incorrects.
mobileid-status-102 = Des paramètres obligatoires manquent dans la demande.
mobileid-status-103 = Le texte à signer est trop long.
mobileid-status-104 = Ce service n’est pas autorisé à utiliser Mobile ID (AP_ID erroné ou certificat client manquant).
mobileid-status-105 = Aucun utilisateur Mobile ID n’est enregistré pour ce numéro de téléphone, ou ce service n’est pas autorisé à utiliser l’app Mobile ID.
mobileid-status-107 = Le texte à signer a été refusé, car il ne commence pas par le préfixe exigé pour ce service.
mobileid-status-108 = La demande utilise une version d’interface incompatible.
mobileid-status-109 = Le profil de signature demandé n’est pas pris en charge ou n’est pas autorisé pour ce service.
mobileid-status-208 = La demande n’a pas été confirmée à temps sur le téléphone. Veuillez réessayer.
mobileid-status-209 = Le téléphone n’a pas pu être joint en raison d’un problème de communication temporaire. Veuillez réessayer.
mobileid-status-401 = La demande a été annulée sur le téléphone.
mobileid-status-402 = Le code PIN Mobile ID est bloqué. Veuillez réactiver Mobile ID sur le portail Selfcare Mobile ID.
mobileid-status-403 = Le compte Mobile ID est suspendu. Veuillez contacter le support Swisscom.
mobileid-status-404 = Le compte Mobile ID n’est pas actif. Veuillez l’activer sur le portail Selfcare Mobile ID.
mobileid-status-406 = Une demande de signature est déjà en cours. Veuillez réessayer plus tard.
mobileid-status-422 = Le compte Mobile ID n’est pas actif (aucun certificat valide). Veuillez l’activer sur le portail Selfcare Mobile ID.
mobileid-status-500 = La signature a été effectuée avec succès.
mobileid-status-501 = Le certificat Mobile ID a été révoqué. Veuillez réactiver Mobile ID sur le portail Selfcare Mobile ID.
mobileid-status-502 = La signature a été effectuée et validée avec succès.
mobileid-status-503 = La signature n’est pas valide. Veuillez réactiver Mobile ID sur le portail Selfcare Mobile ID. Il peut être nécessaire de remplacer la carte SIM.
mobileid-status-504 = La signature n’est pas encore terminée. Veuillez réessayer plus tard.
mobileid-status-900 = Une erreur interne de Mobile ID s’est produite. Veuillez réessayer plus tard ou contacter le support Swisscom si le problème persiste.

## MSign VerifySignatures: the Message field (at most 100 characters)

msign-all-valid = La signature est valide
msign-not-valid = La signature n’est pas valide
msign-hash-wrong-algorithm = Le hachage fourni n'a pas la longueur de l'algorithme de hachage de la signature

## Swisscom Mobile ID: no signature, and one signature per response

sub-no-signature = La réponse ne contient aucune signature à vérifier.
check-mobile-id-single-signature = La réponse Mobile ID contient exactement une signature.
check-mobile-id-single-signature-failed = La réponse Mobile ID contient plusieurs signatures ; Mobile ID n’en renvoie qu’une seule.
