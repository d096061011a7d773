// The verification page: reads the chosen file(s), posts them to POST /api/v1/verify and
// shows the report. Text from the report (names, details) is attacker-controlled: it is only
// ever set with textContent, never parsed as HTML.
"use strict";

const LANGS = ["en", "de", "fr", "it", "ro", "ru", "et"];
const DIGEST_BYTES = {
  "SHA-1": 20, "SHA-224": 28, "SHA-256": 32, "SHA-384": 48, "SHA-512": 64,
  "SHA3-256": 32, "SHA3-384": 48, "SHA3-512": 64,
};
const RESULT_ORDER = { FAILED: 0, NOT_RUN: 1, WARNING: 2, INFO: 3, PASSED: 4 };

// `seq` numbers the requests: an answer arriving after the inputs changed is dropped.
const state = { lang: "en", text: null, cache: new Map(), file: null, report: null, busy: false, seq: 0 };

function $(id) {
  return document.getElementById(id);
}

// --- Labels and messages -------------------------------------------------------------------

function t(key, values) {
  const labels = state.text ? state.text.labels : {};
  let s = Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : key;
  for (const [k, v] of Object.entries(values || {})) {
    s = s.split("{" + k + "}").join(String(v));
  }
  return s;
}

async function loadLanguage(lang) {
  if (!state.cache.has(lang)) {
    const response = await fetch("/page/messages/" + lang, { credentials: "same-origin" });
    if (!response.ok) throw new Error("messages " + response.status);
    state.cache.set(lang, await response.json());
  }
  state.lang = lang;
  state.text = state.cache.get(lang);
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-l10n]")) {
    node.textContent = t(node.dataset.l10n);
  }
  showFileName();
  if (state.report) render(state.report);
}

function preferredLanguage() {
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const code = String(tag).slice(0, 2).toLowerCase();
    if (LANGS.includes(code)) return code;
  }
  return "en";
}

// --- Reading files -------------------------------------------------------------------------

function bytesToBase64(bytes) {
  // In chunks: String.fromCharCode.apply on a whole file would overflow the call stack.
  const parts = [];
  for (let i = 0; i < bytes.length; i += 0x8000) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
  }
  return btoa(parts.join(""));
}

async function readBytes(file) {
  return new Uint8Array(await file.arrayBuffer());
}

function looksLikeXml(bytes) {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i])) i++;
  return bytes[i] === 0x3c;
}

function hashValue(algorithm, text) {
  const value = text.replace(/\s+/g, "");
  if (/^[0-9a-fA-F]+$/.test(value) && value.length === 2 * DIGEST_BYTES[algorithm]) {
    const bytes = new Uint8Array(value.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(value.substr(2 * i, 2), 16);
    return bytesToBase64(bytes);
  }
  return value;
}

async function detachedPart(signatureBytes) {
  const kind = document.querySelector("input[name=detached]:checked").value;
  if (kind === "hash") {
    const value = $("hash-value").value.trim();
    if (!value) throw new UserError(t("needHash"));
    const algorithm = $("hash-alg").value;
    return { hash: { algorithm, value: hashValue(algorithm, value) } };
  }
  const files = kind === "file" ? Array.from($("content").files) : [];
  if (files.length === 0) return {};
  if (looksLikeXml(signatureBytes)) {
    const named = [];
    for (const f of files) named.push({ name: f.name, content: bytesToBase64(await readBytes(f)) });
    return { files: named };
  }
  if (files.length > 1) throw new UserError(t("oneContentFile"));
  return { content: bytesToBase64(await readBytes(files[0])) };
}

class UserError extends Error {}

async function buildRequest() {
  if (!state.file) throw new UserError(t("needFile"));
  const bytes = await readBytes(state.file);
  const body = { signature: bytesToBase64(bytes), language: state.lang, ocsp: $("ocsp").value };
  return Object.assign(body, await detachedPart(bytes));
}

// --- Talking to the service ----------------------------------------------------------------

const ERROR_LABELS = {
  bad_request: "errBadRequest", unsupported_media_type: "errUnsupported", too_large: "errTooLarge",
  body_timeout: "errBodyTimeout", busy: "errBusy", deadline: "errDeadline", internal: "errInternal",
};

async function verify(event) {
  event.preventDefault();
  if (state.busy) return;
  const seq = ++state.seq;
  setBusy(true);
  showStatus(t("working"), "working");
  try {
    const request = await buildRequest();
    if (seq !== state.seq) return;
    let response;
    try {
      response = await fetch("/api/v1/verify", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request),
        credentials: "same-origin",
      });
    } catch (e) {
      throw new UserError(t("errNetwork"));
    }
    const answer = await response.json().catch(() => ({}));
    if (seq !== state.seq) return;
    if (!response.ok) throw new UserError(errorText(answer));
    state.report = answer;
    showStatus("", "");
    render(answer);
  } catch (e) {
    if (seq !== state.seq) return;
    state.report = null;
    $("result").hidden = true;
    showStatus(e instanceof UserError ? e.message : String(e), "error");
  } finally {
    if (seq === state.seq) setBusy(false);
  }
}

function errorText(answer) {
  const label = ERROR_LABELS[answer.error] || "errOther";
  const detail = [answer.field, answer.message].filter(Boolean).join(": ");
  return detail ? t(label) + " (" + detail + ")" : t(label);
}

function setBusy(busy) {
  state.busy = busy;
  $("verify").disabled = busy;
}

function showStatus(text, kind) {
  const status = $("status");
  status.textContent = text;
  status.dataset.state = kind;
}

// --- Rendering -----------------------------------------------------------------------------

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function add(parent, ...children) {
  for (const c of children) if (c) parent.appendChild(c);
  return parent;
}

function verdictClass(indication) {
  return { TOTAL_PASSED: "passed", INDETERMINATE: "indeterminate", TOTAL_FAILED: "failed" }[indication] || "failed";
}

function when(s) {
  const d = new Date(s);
  if (!s || isNaN(d.getTime())) return s || "";
  const options = { dateStyle: "long", timeStyle: "medium", timeZone: "UTC" };
  return d.toLocaleString(state.lang, options) + " UTC";
}

function badge(indication, sub) {
  const b = el("span", "badge " + verdictClass(indication), indication);
  b.dataset.indication = indication;
  return sub ? add(el("span", "badge-group"), b, el("span", "sub-badge", sub)) : b;
}

function facts(rows) {
  const dl = el("dl", "facts");
  for (const [label, value, className] of rows) {
    if (value === undefined || value === null || value === "") continue;
    add(dl, el("dt", null, label));
    add(dl, value instanceof Node ? add(el("dd", className), value) : el("dd", className, value));
  }
  return dl;
}

function render(report) {
  const root = $("result");
  root.replaceChildren();
  add(root, renderSummary(report));
  const failedFileChecks = report.checks.filter((c) => c.result !== "PASSED" && c.result !== "INFO");
  if (report.certificate) {
    add(root, renderCertificate(report));
  } else if (failedFileChecks.length > 0 || report.signatures.length === 0) {
    add(root, renderChecks(report.checks, t("fileChecks")));
  }
  if (report.signatures.length === 0 && !report.certificate) add(root, el("p", "note", t("noSignature")));
  report.signatures.forEach((s, i) => add(root, renderSignature(s, i)));
  if (report.dataFiles && report.dataFiles.length > 0) add(root, renderDataFiles(report.dataFiles));
  root.hidden = false;
}

function renderSummary(report) {
  const box = el("div", "verdict " + verdictClass(report.indication));
  box.id = "verdict";
  box.dataset.indication = report.indication;
  add(box, el("h2", null, t("result")), badge(report.indication, report.subIndication));
  add(box, el("p", "verdict-message", report.message));
  add(box, facts([
    [t("file"), state.file ? state.file.name : ""],
    [t("format"), report.format],
    [t("checkedAt"), when(report.validationTime)],
  ]));
  return box;
}

function renderSignature(sig, index) {
  const card = el("article", "signature " + verdictClass(sig.indication));
  card.dataset.id = sig.id;
  const head = add(el("header", "signature-head"), el("h3", null, t("signature", { n: index + 1 })));
  add(head, el("span", "sig-id", sig.id), badge(sig.indication, sig.subIndication));
  add(card, head);
  if (state.text) {
    const why = sig.indication !== "TOTAL_PASSED" && sig.subIndication ? state.text.subIndications[sig.subIndication] : "";
    add(card, el("p", "explain", [state.text.indications[sig.indication], why].filter(Boolean).join(" ")));
  }
  add(card, facts([
    [t("signer"), signerNode(sig.signer)],
    [t("signingTime"), sig.signingTime ? when(sig.signingTime) : ""],
    [t("provenTime"), sig.bestSignatureTime ? when(sig.bestSignatureTime) + " — " + (sig.bestSignatureTimeBy || "") : ""],
    [t("level"), sig.level],
  ]));
  if (sig.pdf) add(card, renderPdf(sig.pdf));
  if (sig.chain.length > 0) add(card, renderChain(sig.chain));
  add(card, renderChecks(sig.checks, t("checks")));
  return card;
}

function signerNode(signer) {
  if (!signer) return null;
  const box = el("span", "signer");
  add(box, el("strong", "signer-name", signer.commonName || signer.subject));
  add(box, el("span", "dn", signer.subject));
  return box;
}

function renderChain(chain) {
  const section = add(el("section", "chain"), el("h4", null, t("chain")));
  const list = el("ol", "chain-list");
  for (const c of chain) {
    const item = add(el("li"), el("span", "dn", c.subject));
    if (c.trustAnchor) add(item, el("span", "anchor", t("trustAnchor")));
    add(list, item);
  }
  return add(section, list);
}

function pdfKind(kind) {
  return { APPROVAL: t("pdfApproval"), CERTIFICATION: t("pdfCertification"), DOCUMENT_TIMESTAMP: t("pdfTimestamp") }[kind] || kind;
}

function renderPdf(pdf) {
  const section = el("section", "pdf");
  const line = pdf.revision
    ? t("pdfRevision", { r: pdf.revision, n: pdf.revisions }) + ": " + (pdf.coversWholeRevision ? t("pdfWhole") : t("pdfNotWhole"))
    : t("pdfNoRevision");
  add(section, el("p", "revision " + (pdf.revision && pdf.coversWholeRevision ? "ok" : "bad"), line));
  add(section, el("p", "pdf-kind", [pdfKind(pdf.kind), pdf.fieldName].filter(Boolean).join(" · ")));
  if (pdf.changesAfter.length === 0) return add(section, el("p", "changes-none", t("pdfNoChanges")));
  const forbidden = pdf.changesAfter.filter((c) => !c.allowed).length;
  const details = el("details", "changes");
  details.open = forbidden > 0;
  add(details, el("summary", forbidden > 0 ? "bad" : null, t("pdfChanges", { n: pdf.changesAfter.length, f: forbidden })));
  const list = el("ul", "change-list");
  const sorted = pdf.changesAfter.slice().sort((a, b) => Number(a.allowed) - Number(b.allowed));
  for (const c of sorted) {
    const item = el("li", c.allowed ? "allowed" : "forbidden");
    add(item, el("span", "tag", c.allowed ? t("allowed") : t("notAllowed")));
    add(item, el("span", "change", t("revisionN", { r: c.revision }) + ": " + c.change));
    add(item, el("span", "rule", c.rule));
    add(list, item);
  }
  return add(section, add(details, list));
}

const RESULT_LABELS = { PASSED: "resPassed", FAILED: "resFailed", WARNING: "resWarning", NOT_RUN: "resNotRun", INFO: "resInfo" };

function checkText(check) {
  const texts = state.text && state.text.checks[check.code];
  if (!texts) return check.code;
  if (check.result === "FAILED" || (check.result === "NOT_RUN" && check.subIndication)) return texts.failed;
  // Not run: what the check would have established, said to be unknown.
  return check.result === "NOT_RUN" ? t("notEstablished", { what: texts.passed }) : texts.passed;
}

function checkItem(c) {
  const item = el("li", "check " + c.result.toLowerCase().replace("_", "-"));
  add(item, el("span", "tag", t(RESULT_LABELS[c.result] || "resInfo")));
  const body = add(el("div", "check-body"), el("span", "check-text", checkText(c)));
  add(body, el("span", "check-detail", c.code + (c.subIndication ? " / " + c.subIndication : "") + " — " + c.detail));
  return add(item, body);
}

// The checks not passed in plain sight, failed ones first; the passed ones folded away.
function renderChecks(checks, title) {
  const section = add(el("section", "checks"), el("h4", null, title));
  const sorted = checks.slice().sort((a, b) => (RESULT_ORDER[a.result] ?? 5) - (RESULT_ORDER[b.result] ?? 5));
  const shown = sorted.filter((c) => c.result !== "PASSED");
  const passed = sorted.filter((c) => c.result === "PASSED");
  if (shown.length > 0) add(section, add(el("ul", "check-list"), ...shown.map(checkItem)));
  if (passed.length > 0) {
    const details = add(el("details"), el("summary", null, t("checksPassed", { n: passed.length })));
    add(section, add(details, add(el("ul", "check-list"), ...passed.map(checkItem))));
  }
  return section;
}

function renderCertificate(report) {
  const card = el("article", "signature " + verdictClass(report.indication));
  const c = report.certificate;
  add(card, add(el("header", "signature-head"), el("h3", null, t("certificate")), badge(report.indication, report.subIndication)));
  add(card, facts([
    [t("subject"), signerNode(c)],
    [t("issuer"), c.issuer, "dn"],
    ["", t("validity", { a: when(c.notBefore), b: when(c.notAfter) })],
  ]));
  if (report.chain.length > 0) add(card, renderChain(report.chain));
  return add(card, renderChecks(report.checks, t("checks")));
}

function renderDataFiles(files) {
  const section = add(el("section", "data-files"), el("h3", null, t("dataFiles")));
  const list = el("ul");
  for (const f of files) {
    const by = f.coveredBy.length > 0 ? " — " + t("coveredBy") + " " + f.coveredBy.join(", ") : "";
    add(list, el("li", null, f.name + " (" + f.size + " B)" + by));
  }
  return add(section, list);
}

// --- Wiring --------------------------------------------------------------------------------

function showFileName() {
  $("file-name").textContent = state.file ? state.file.name + " (" + state.file.size + " B)" : t("noFile");
  $("drop").classList.toggle("has-file", Boolean(state.file));
}

function chooseFile(file) {
  state.file = file || null;
  clearResult();
  showFileName();
}

// A result shown beside other inputs than it was made from would mislead: any change hides it.
function clearResult() {
  state.seq++;
  state.report = null;
  $("result").hidden = true;
  showStatus("", "");
  setBusy(false);
}

function wireDrop() {
  const drop = $("drop");
  for (const name of ["dragenter", "dragover"]) {
    drop.addEventListener(name, (e) => {
      e.preventDefault();
      drop.classList.add("dragging");
    });
  }
  drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("dragging");
    if (e.dataTransfer.files.length > 0) {
      $("file").value = "";
      chooseFile(e.dataTransfer.files[0]);
    }
  });
  // A file dropped beside the zone must not make the browser leave the page.
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
}

function wireDetached() {
  for (const radio of document.querySelectorAll("input[name=detached]")) {
    radio.addEventListener("change", () => {
      $("detached-file").hidden = radio.value !== "file" || !radio.checked;
      $("detached-hash").hidden = radio.value !== "hash" || !radio.checked;
    });
  }
}

function start() {
  $("file").addEventListener("change", (e) => chooseFile(e.target.files[0]));
  $("form").addEventListener("submit", verify);
  $("form").addEventListener("change", clearResult);
  $("form").addEventListener("input", clearResult);
  $("lang").addEventListener("change", (e) => {
    const shown = state.report !== null;
    loadLanguage(e.target.value)
      // The verdict line comes from the service in the request's language: ask again.
      .then(() => shown && $("form").requestSubmit())
      .catch((err) => showStatus(String(err), "error"));
  });
  wireDrop();
  wireDetached();
  const lang = preferredLanguage();
  $("lang").value = lang;
  loadLanguage(lang).catch((err) => showStatus(String(err), "error"));
}

document.addEventListener("DOMContentLoaded", start);
