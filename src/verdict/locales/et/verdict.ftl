# Verdict messages, Estonian (teietamine).

## Indications (ETSI EN 319 102-1)

indication-total-passed = Allkiri on kehtiv.
indication-indeterminate = Allkirja kehtivust ei õnnestunud kinnitada.
indication-total-failed = Allkiri ei ole kehtiv.

## Indications for a report on a certificate on its own

certificate-indication-total-passed = Sertifikaat on kehtiv.
certificate-indication-indeterminate = Sertifikaadi kehtivust ei õnnestunud kinnitada.
certificate-indication-total-failed = Sertifikaat ei ole kehtiv.

## Sub-indications

sub-format-failure = Allkiri on rikutud või ei vasta oma vormingu reeglitele.
sub-hash-failure = Allkirjastatud andmeid on pärast allkirjastamist muudetud.
sub-sig-crypto-failure = Allkiri ei vasta allkirjastaja sertifikaadile.
sub-not-yet-valid = Allkirjastaja sertifikaat ei olnud kontrollimise ajal veel kehtiv.
sub-revoked = Allkirjastaja sertifikaat on tühistatud.
sub-signed-data-not-found = Allkirjastatud andmed ei ole kättesaadavad, seetõttu ei saa allkirja kontrollida.
sub-no-signing-certificate-found = Allkirjastaja sertifikaati ei leitud.
sub-no-certificate-chain-found = Allkirjastaja sertifikaati ei õnnestu siduda usaldusväärse sertifitseerimiskeskusega.
sub-sig-constraints-failure = Allkiri ei vasta oodatule (tehing, telefoninumber või Mobile ID seerianumber).
sub-chain-constraints-failure = Mõni sertifikaadiahela sertifikaat ei vasta oma kasutusotstarbe nõuetele.
sub-out-of-bounds-no-poe = Allkirjastaja sertifikaat on aegunud või ei kehti kontrollimise ajal.
sub-revoked-no-poe = Allkirjastaja ahela sertifikaat on tühistatud ja miski ei tõenda, et allkiri anti enne tühistamist.
sub-crypto-constraints-failure = Allkirjas kasutatakse algoritmi või võtmepikkust, mida ei toetata või mis ei ole piisavalt turvaline.
sub-crypto-constraints-failure-no-poe = Allkirjas kasutatakse algoritmi või võtmepikkust, mida kontrollimise ajal enam turvaliseks ei peetud.
sub-try-later = Tulemus ei ole veel saadaval. Proovige hiljem uuesti.
sub-format-not-supported = Seda allkirjavormingut veel ei toetata.
sub-budget-exhausted = Kontroll peatus, sest jõudis oma töömahu piirini; seda osa ei kontrollitud.

## Checks: what a passed check establishes

check-format-parsed = Fail on tuntud allkirja- või sertifikaadivormingus.
check-signature-present = Fail sisaldab vähemalt üht allkirja.
check-signed-attributes-well-formed = Allkirja allkirjastatud atribuudid on korrektselt vormistatud.
check-content-type-match = Allkirjas märgitud sisutüüp vastab allkirjastatud sisule.
check-signed-data-found = Allkirjastatud andmed on kättesaadavad.
check-message-digest-match = Allkirjastatud andmed vastavad allkirjale.
check-algorithm-supported = Allkirja- ja räsialgoritme toetatakse.
check-algorithm-protection = Allkirjas märgitud algoritmid on need, mida tegelikult kasutati.
check-signing-certificate-found = Allkirjastaja sertifikaat leiti.
check-signing-certificate-reference = Allkiri viitab õigesti allkirjastaja sertifikaadile.
check-signature-value = Allkirja väärtus vastab allkirjastaja võtmele.
check-signed-attributes-der-order = Allkirjastatud atribuudid on kodeeritud standardses järjekorras (DER).
check-crypto-policy = Algoritmid ja võtmepikkused on valideerimispoliitika kohaselt lubatud.
check-chain-built = Allkirjastaja sertifikaat on seotud usaldusväärse sertifitseerimiskeskusega.
check-certificate-validity = Sertifikaat on kontrollimise ajal oma kehtivusaja piires.
check-key-usage = Sertifikaati tohib kasutada allkirjastamiseks.
check-extended-key-usage = Sertifikaadi laiendatud võtmekasutus lubab dokumente allkirjastada.
check-critical-extensions = Sertifikaat ei sisalda tundmatuid kriitilisi laiendusi.
check-revocation = Sertifikaati ei ole tühistatud.
check-timestamp-imprint = Ajatempel kuulub selle allkirja juurde.
check-timestamp-signature = Ajatempli enda allkiri on kehtiv.
check-counter-signatures = Selle allkirja kontrasignatuurid leiti ja neid kontrolliti eraldi.
check-format-supported = Seda failivormingut saab selle teenusega kontrollida.
check-mobile-id-status = Mobile ID vastuse järgi on allkirjastamine lõpetatud.
check-ap-trans-id-match = Mobile ID vastus kuulub sellele tehingule (AP_TransID).
check-msisdn-match = Mobile ID vastus tuli oodatud telefoninumbrilt.
check-mobile-id-serial-match = Mobile ID seerianumber kattub registreeritud seerianumbriga.
check-container-structure = Konteiner on korrektne (mimetype, manifest, turvaline ZIP).
check-data-file-coverage = Iga andmefail on kaetud iga allkirjaga.
check-byte-range = PDF-i allkirjastatud baidivahemik on korrektne ja lõpeb redaktsiooni lõpus.
check-document-modifications = Iga PDF-i muudatus pärast allkirja on lubatud.
check-proof-of-existence = Ajatempel tõendab, et allkiri oli olemas ajal, mil selle sertifikaat, kehtivuskinnitus ja algoritmid kehtisid.
check-live-revocation = Sertifikaatide OCSP-teenuseid küsiti kehtivuskinnituse järele ja need vastasid.

## Checks: why a check failed

check-format-parsed-failed = Fail on rikutud või ei ole kehtiv allkiri ega sertifikaat.
check-signature-present-failed = Fail ei sisalda ühtegi allkirja.
check-signed-attributes-well-formed-failed = Allkirja allkirjastatud atribuudid puuduvad, korduvad või on vigaselt vormistatud.
check-content-type-match-failed = Allkirjas märgitud sisutüüp ei vasta allkirjastatud sisule.
check-signed-data-found-failed = Allkirjastatud andmed puuduvad: neid ei ole failis ega ole eraldi esitatud.
check-message-digest-match-failed = Allkirjastatud andmed ei vasta allkirjale: neid on muudetud või esitati muu dokument.
check-algorithm-supported-failed = Allkirjas kasutatakse algoritmi, mida ei toetata.
check-algorithm-protection-failed = Allkirjas märgitud algoritmid erinevad tegelikult kasutatutest.
check-signing-certificate-found-failed = Allkirjastaja sertifikaati ei ole allkirjas ega esitatud sertifikaatide hulgas.
check-signing-certificate-reference-failed = Allkiri viitab teisele sertifikaadile kui sellele, millega allkirjastati.
check-signature-value-failed = Allkirja väärtus ei vasta allkirjastaja võtmele.
check-signed-attributes-der-order-failed = Allkirjastatud atribuudid ei ole kodeeritud standardses järjekorras (DER).
check-crypto-policy-failed = Mõni algoritm või võtmepikkus ei ole valideerimispoliitika kohaselt lubatud.
check-chain-built-failed = Kehtivat sertifikaadiahelat usaldusväärse sertifitseerimiskeskuseni ei õnnestunud luua.
check-certificate-validity-failed = Sertifikaat on kontrollimise ajal aegunud või ei kehti veel.
check-key-usage-failed = Sertifikaati ei tohi kasutada allkirjastamiseks.
check-extended-key-usage-failed = Sertifikaadi laiendatud võtmekasutus ei luba dokumente allkirjastada (näiteks TLS-serveri või ajatempli sertifikaat).
check-critical-extensions-failed = Sertifikaat sisaldab kriitilist laiendust, mida ei saa töödelda.
check-revocation-failed = Sertifikaat on tühistatud või selle tühistamise olekut ei õnnestunud kontrollida.
check-timestamp-imprint-failed = Ajatempel ei kuulu selle allkirja juurde.
check-timestamp-signature-failed = Ajatempli enda allkiri ei ole kehtiv.
check-counter-signatures-failed = Selle allkirja kontrasignatuuri ei õnnestunud töödelda.
check-format-supported-failed = Seda failivormingut ei saa veel kontrollida.
check-mobile-id-status-failed = Mobile ID vastus ei sisalda lõpetatud allkirja.
check-ap-trans-id-match-failed = Mobile ID vastus kuulub teisele tehingule (AP_TransID).
check-msisdn-match-failed = Mobile ID vastus tuli teiselt telefoninumbrilt kui päringus märgitu.
check-mobile-id-serial-match-failed = Mobile ID seerianumber erineb registreeritust: konto aktiveeriti uuesti ilma taastamiseta.
check-container-structure-failed = Konteiner on vigane.
check-data-file-coverage-failed = Andmefail ei ole kaetud iga allkirjaga või allkiri katab ainult osa dokumendist.
check-byte-range-failed = PDF-i allkirjastatud baidivahemik on vigane või ei kata oma redaktsiooni.
check-document-modifications-failed = PDF-i on pärast allkirja muudetud viisil, mida selle õigused ei luba.
check-proof-of-existence-failed = Ei saa tõendada, et allkiri oli olemas ajal, mil selle sertifikaat kehtis.
check-live-revocation-failed = Kehtivuskinnitust ei õnnestunud sertifikaatide OCSP-teenustelt saada.

## Swisscom Mobile ID status and fault codes (reference guide, section 6.1)

mobileid-status-100 = Päring on vastu võetud.
mobileid-status-101 = Päring sisaldab vigaseid parameetreid.
mobileid-status-102 = Päringust puuduvad kohustuslikud parameetrid.
mobileid-status-103 = Allkirjastatav tekst on liiga pikk.
mobileid-status-104 = Sellel teenusel ei ole õigust Mobile ID-d kasutada (vale AP_ID või puuduv kliendisertifikaat).
mobileid-status-105 = Selle telefoninumbriga ei ole registreeritud ühtegi Mobile ID kasutajat või see teenus ei tohi kasutada Mobile ID rakendust.
mobileid-status-107 = Allkirjastatav tekst lükati tagasi, sest see ei alga selle teenuse jaoks nõutud eesliitega.
mobileid-status-108 = Päringus kasutatakse ühildumatut liidese versiooni.
mobileid-status-109 = Soovitud allkirjaprofiili ei toetata või see ei ole selle teenuse jaoks lubatud.
mobileid-status-208 = Päringut ei kinnitatud telefonis õigeaegselt. Proovige uuesti.
mobileid-status-209 = Ajutise sideprobleemi tõttu ei õnnestunud telefoniga ühendust saada. Proovige uuesti.
mobileid-status-401 = Päring tühistati telefonis.
mobileid-status-402 = Mobile ID PIN-kood on blokeeritud. Aktiveerige Mobile ID uuesti Mobile ID iseteenindusportaalis.
mobileid-status-403 = Mobile ID konto on peatatud. Pöörduge Swisscomi klienditoe poole.
mobileid-status-404 = Mobile ID konto ei ole aktiivne. Aktiveerige see Mobile ID iseteenindusportaalis.
mobileid-status-406 = Allkirjastamise päring on juba pooleli. Proovige hiljem uuesti.
mobileid-status-422 = Mobile ID konto ei ole aktiivne (kehtiv sertifikaat puudub). Aktiveerige see Mobile ID iseteenindusportaalis.
mobileid-status-500 = Allkiri on edukalt antud.
mobileid-status-501 = Mobile ID sertifikaat on tühistatud. Aktiveerige Mobile ID uuesti Mobile ID iseteenindusportaalis.
mobileid-status-502 = Allkiri on edukalt antud ja kontrollitud.
mobileid-status-503 = Allkiri ei ole kehtiv. Aktiveerige Mobile ID uuesti Mobile ID iseteenindusportaalis. Võimalik, et SIM-kaart tuleb välja vahetada.
mobileid-status-504 = Allkirjastamine ei ole veel lõpetatud. Proovige hiljem uuesti.
mobileid-status-900 = Mobile ID-s tekkis sisemine viga. Proovige hiljem uuesti või pöörduge probleemi püsimisel Swisscomi klienditoe poole.

## MSign VerifySignatures: the Message field (at most 100 characters)

msign-all-valid = Allkiri on kehtiv
msign-not-valid = Allkiri ei ole kehtiv
msign-hash-wrong-algorithm = Antud räsi pikkus ei sobi allkirja räsialgoritmiga

## Swisscom Mobile ID: no signature, and one signature per response

sub-no-signature = Vastus ei sisalda kontrollitavat allkirja.
check-mobile-id-single-signature = Mobile ID vastus sisaldab täpselt üht allkirja.
check-mobile-id-single-signature-failed = Mobile ID vastus sisaldab mitut allkirja; Mobile ID tagastab täpselt ühe.
