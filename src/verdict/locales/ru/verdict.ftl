# Verdict messages, Russian (Republic of Moldova, MSign). Вежливая форма обращения.

## Indications (ETSI EN 319 102-1)

indication-total-passed = Подпись действительна.
indication-indeterminate = Не удалось подтвердить действительность подписи.
indication-total-failed = Подпись недействительна.

## Indications for a report on a certificate on its own

certificate-indication-total-passed = Сертификат действителен.
certificate-indication-indeterminate = Не удалось подтвердить действительность сертификата.
certificate-indication-total-failed = Сертификат недействителен.

## Sub-indications

sub-format-failure = Подпись повреждена или не соответствует правилам своего формата.
sub-hash-failure = Подписанные данные были изменены после подписания.
sub-sig-crypto-failure = Подпись не соответствует сертификату подписанта.
sub-not-yet-valid = На момент проверки сертификат подписанта ещё не вступил в действие.
sub-revoked = Сертификат подписанта отозван.
sub-signed-data-not-found = Подписанные данные недоступны, поэтому проверить подпись невозможно.
sub-no-signing-certificate-found = Сертификат подписанта не найден.
sub-no-certificate-chain-found = Не удалось связать сертификат подписанта с доверенным удостоверяющим центром.
sub-sig-constraints-failure = Подпись не соответствует ожидаемой (транзакция, номер телефона или серийный номер Mobile ID).
sub-chain-constraints-failure = Один из сертификатов цепочки не соответствует требованиям к его использованию.
sub-out-of-bounds-no-poe = Срок действия сертификата подписанта истёк, или на момент проверки сертификат недействителен.
sub-revoked-no-poe = Сертификат в цепочке подписанта отозван, и ничто не доказывает, что подпись создана до отзыва.
sub-crypto-constraints-failure = В подписи используется алгоритм или длина ключа, которые не поддерживаются или недостаточно надёжны.
sub-crypto-constraints-failure-no-poe = В подписи используется алгоритм или длина ключа, которые на момент проверки уже не считались надёжными.
sub-try-later = Результат пока недоступен. Повторите попытку позже.
sub-format-not-supported = Этот формат подписи пока не поддерживается.
sub-budget-exhausted = Проверка остановлена, так как достигнут предел объёма работы; эта часть не проверена.

## Checks: what a passed check establishes

check-format-parsed = Файл имеет распознанный формат подписи или сертификата.
check-signature-present = Файл содержит хотя бы одну подпись.
check-signed-attributes-well-formed = Подписанные атрибуты подписи сформированы корректно.
check-content-type-match = Тип содержимого, указанный в подписи, соответствует подписанному содержимому.
check-signed-data-found = Подписанные данные доступны.
check-message-digest-match = Подписанные данные соответствуют подписи.
check-algorithm-supported = Алгоритмы подписи и хеширования поддерживаются.
check-algorithm-protection = Указанные в подписи алгоритмы совпадают с фактически использованными.
check-signing-certificate-found = Сертификат подписанта найден.
check-signing-certificate-reference = Подпись правильно указывает на сертификат подписанта.
check-signature-value = Значение подписи верно для ключа подписанта.
check-signed-attributes-der-order = Подписанные атрибуты закодированы в стандартном порядке (DER).
check-crypto-policy = Алгоритмы и длины ключей допустимы согласно политике проверки.
check-chain-built = Сертификат подписанта связан с доверенным удостоверяющим центром.
check-certificate-validity = На момент проверки сертификат находится в пределах срока действия.
check-key-usage = Сертификат разрешено использовать для подписи.
check-extended-key-usage = Расширенное использование ключа сертификата разрешает подписание документов.
check-critical-extensions = Сертификат не содержит неизвестных критических расширений.
check-revocation = Сертификат не отозван.
check-timestamp-imprint = Метка времени относится к этой подписи.
check-timestamp-signature = Подпись самой метки времени действительна.
check-counter-signatures = Контрподписи этой подписи найдены и проверены отдельно.
check-format-supported = Этот формат файла может быть проверен данным сервисом.
check-mobile-id-status = Ответ Mobile ID сообщает о завершённом подписании.
check-ap-trans-id-match = Ответ Mobile ID относится к этой транзакции (AP_TransID).
check-msisdn-match = Ответ Mobile ID получен с ожидаемого номера телефона.
check-mobile-id-serial-match = Серийный номер Mobile ID совпадает с зарегистрированным.
check-container-structure = Контейнер сформирован правильно (mimetype, манифест, безопасный ZIP).
check-data-file-coverage = Каждый файл данных покрыт каждой подписью.
check-byte-range = Подписанный диапазон байтов PDF корректен и заканчивается в конце редакции.
check-document-modifications = Каждое изменение PDF после подписи допустимо.
check-proof-of-existence = Метка времени доказывает, что подпись существовала в момент, когда её сертификат, статус отзыва и алгоритмы были действительны.
check-live-revocation = Серверы проверки статуса сертификатов были запрошены о статусе отзыва и ответили.

## Checks: why a check failed

check-format-parsed-failed = Файл повреждён или не является ни действительной подписью, ни сертификатом.
check-signature-present-failed = Файл не содержит ни одной подписи.
check-signed-attributes-well-formed-failed = Подписанные атрибуты подписи отсутствуют, повторяются или сформированы неверно.
check-content-type-match-failed = Тип содержимого, указанный в подписи, не соответствует подписанному содержимому.
check-signed-data-found-failed = Подписанные данные отсутствуют: их нет в файле, и они не были переданы отдельно.
check-message-digest-match-failed = Подписанные данные не соответствуют подписи: они были изменены или передан другой документ.
check-algorithm-supported-failed = В подписи используется неподдерживаемый алгоритм.
check-algorithm-protection-failed = Указанные в подписи алгоритмы отличаются от фактически использованных.
check-signing-certificate-found-failed = Сертификата подписанта нет ни в подписи, ни среди переданных сертификатов.
check-signing-certificate-reference-failed = Подпись указывает не на тот сертификат, которым она была создана.
check-signature-value-failed = Значение подписи неверно для ключа подписанта.
check-signed-attributes-der-order-failed = Подписанные атрибуты закодированы не в стандартном порядке (DER).
check-crypto-policy-failed = Алгоритм или длина ключа недопустимы согласно политике проверки.
check-chain-built-failed = Не удалось построить действительную цепочку сертификатов до доверенного удостоверяющего центра.
check-certificate-validity-failed = На момент проверки срок действия сертификата истёк или ещё не начался.
check-key-usage-failed = Сертификат не разрешено использовать для подписи.
check-extended-key-usage-failed = Расширенное использование ключа сертификата не разрешает подписание документов (например, сертификат веб-сервера или службы меток времени).
check-critical-extensions-failed = Сертификат содержит критическое расширение, которое невозможно обработать.
check-revocation-failed = Сертификат отозван, или не удалось проверить его статус отзыва.
check-timestamp-imprint-failed = Метка времени не относится к этой подписи.
check-timestamp-signature-failed = Подпись самой метки времени недействительна.
check-counter-signatures-failed = Не удалось обработать контрподпись этой подписи.
check-format-supported-failed = Этот формат файла пока не может быть проверен.
check-mobile-id-status-failed = Ответ Mobile ID не содержит завершённой подписи.
check-ap-trans-id-match-failed = Ответ Mobile ID относится к другой транзакции (AP_TransID).
check-msisdn-match-failed = Ответ Mobile ID получен с номера телефона, отличного от запрошенного.
check-mobile-id-serial-match-failed = Серийный номер Mobile ID отличается от зарегистрированного: учётная запись была повторно активирована без восстановления.
check-container-structure-failed = Контейнер сформирован неправильно.
check-data-file-coverage-failed = Файл данных не покрыт каждой подписью, или подпись покрывает только часть документа.
check-byte-range-failed = Подписанный диапазон байтов PDF некорректен или не покрывает свою редакцию.
check-document-modifications-failed = PDF был изменён после подписи так, как его разрешения не допускают.
check-proof-of-existence-failed = Нельзя доказать, что подпись существовала в момент, когда её сертификат был действителен.
check-live-revocation-failed = Не удалось получить статус отзыва от серверов проверки статуса сертификатов.

## Swisscom Mobile ID status and fault codes (reference guide, section 6.1)

mobileid-status-100 = Запрос принят.
mobileid-status-101 = Запрос содержит неверные параметры.
mobileid-status-102 = В запросе отсутствуют обязательные параметры.
mobileid-status-103 = Текст для подписи слишком длинный.
mobileid-status-104 = У этого сервиса нет доступа к Mobile ID (неверный AP_ID или отсутствует клиентский сертификат).
mobileid-status-105 = Для этого номера телефона не зарегистрирован пользователь Mobile ID, или этому сервису не разрешено использовать приложение Mobile ID.
mobileid-status-107 = Текст для подписи отклонён: он не начинается с обязательного для этого сервиса префикса.
mobileid-status-108 = В запросе используется несовместимая версия интерфейса.
mobileid-status-109 = Запрошенный профиль подписи не поддерживается или не разрешён для этого сервиса.
mobileid-status-208 = Запрос не был вовремя подтверждён на телефоне. Повторите попытку.
mobileid-status-209 = Не удалось связаться с телефоном из-за временной проблемы со связью. Повторите попытку.
mobileid-status-401 = Запрос был отменён на телефоне.
mobileid-status-402 = PIN-код Mobile ID заблокирован. Повторно активируйте Mobile ID на портале Mobile ID Selfcare.
mobileid-status-403 = Учётная запись Mobile ID приостановлена. Обратитесь в службу поддержки Swisscom.
mobileid-status-404 = Учётная запись Mobile ID не активна. Активируйте её на портале Mobile ID Selfcare.
mobileid-status-406 = Запрос на подпись уже обрабатывается. Повторите попытку позже.
mobileid-status-422 = Учётная запись Mobile ID не активна (нет действительного сертификата). Активируйте её на портале Mobile ID Selfcare.
mobileid-status-500 = Подпись успешно создана.
mobileid-status-501 = Сертификат Mobile ID отозван. Повторно активируйте Mobile ID на портале Mobile ID Selfcare.
mobileid-status-502 = Подпись успешно создана и проверена.
mobileid-status-503 = Подпись недействительна. Повторно активируйте Mobile ID на портале Mobile ID Selfcare. Возможно, потребуется заменить SIM-карту.
mobileid-status-504 = Подписание ещё не завершено. Повторите попытку позже.
mobileid-status-900 = Произошла внутренняя ошибка Mobile ID. Повторите попытку позже или, если проблема сохраняется, обратитесь в службу поддержки Swisscom.

## MSign VerifySignatures: the Message field (at most 100 characters)

msign-all-valid = Подпись действительна
msign-not-valid = Подпись недействительна
msign-hash-wrong-algorithm = Переданный хеш имеет неверную длину для алгоритма хеширования подписи

## Swisscom Mobile ID: no signature, and one signature per response

sub-no-signature = Ответ не содержит подписи для проверки.
check-mobile-id-single-signature = Ответ Mobile ID содержит ровно одну подпись.
check-mobile-id-single-signature-failed = Ответ Mobile ID содержит несколько подписей; Mobile ID возвращает ровно одну.
