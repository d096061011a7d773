//! The verification page (`GET /`) end to end, as a person uses it: `sigverify serve` runs as
//! deployed, headless Chromium opens the page through chromedriver (the W3C WebDriver HTTP
//! API), a file is chosen in the file input, a language and the revocation mode are picked,
//! Verify is clicked, and the page must show what the native API answers for the same file:
//! the verdict, the signer, and for a PDF the revision each signature covers.
//!
//! Each expectation is the API's own answer for the same request, fetched by the test; the
//! valid demo file must pass and the tampered one must not. Screenshots are written under
//! `CARGO_TARGET_TMPDIR` (`page-*.png`, printed).
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`; `SIGVERIFY_CHROMIUM` / `SIGVERIFY_CHROMEDRIVER` name others). Without
//! them the test says so and returns; with `SIGVERIFY_REQUIRE_TOOLS=1` (set by `.ci/run`) it
//! fails instead.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::repo;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use sha2::Digest;

/// Key of a web element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// Longest wait for the page to show a result.
const RESULT_TIMEOUT: Duration = Duration::from_secs(60);

fn tool(var: &str, default: &str) -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var(var).unwrap_or_else(|_| default.to_string()));
    if path.is_file() {
        return Some(path);
    }
    let required = std::env::var("SIGVERIFY_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    assert!(!required, "SIGVERIFY_REQUIRE_TOOLS=1 but {} is missing", path.display());
    eprintln!(
        "skipped: {} is missing (Debian: apt-get install chromium chromium-driver)",
        path.display()
    );
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < timeout, "{what}: not ready after {timeout:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A child process killed with its process group when dropped (chromedriver's Chromium too).
struct Group(Child);

impl Group {
    fn spawn(cmd: &mut Command) -> Group {
        use std::os::unix::process::CommandExt;
        Group(
            cmd.process_group(0)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        )
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.0.id()) {
            // SAFETY: signals the process group this test started, by its id.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `sigverify serve` with the demo anchors and intermediates.
struct Server {
    base: String,
    _child: Group,
}

impl Server {
    fn start() -> Server {
        let port = free_port();
        let t = repo().join("testdata");
        let child = Group::spawn(
            Command::new(env!("CARGO_BIN_EXE_sigverify"))
                .arg("serve")
                .args(["--listen", &format!("127.0.0.1:{port}")])
                .arg("--trust-anchor")
                .arg(t.join("demo/anchors"))
                .arg("--intermediate")
                .arg(t.join("demo/intermediates"))
                .args(["--trust-anchors-dir", "/nonexistent"]),
        );
        let base = format!("http://127.0.0.1:{port}");
        let http = Client::new();
        wait_for("sigverify serve", Duration::from_secs(30), || {
            http.get(format!("{base}/readyz"))
                .send()
                .is_ok_and(|r| r.status() == 200)
        });
        Server { base, _child: child }
    }

    /// What `POST /api/v1/verify` answers for `request`.
    fn verify(&self, request: &Value) -> Value {
        let r = Client::new()
            .post(format!("{}/api/v1/verify", self.base))
            .json(request)
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().unwrap()
    }
}

/// A WebDriver session in headless Chromium; the session, chromedriver, Chromium and the
/// profile directory are gone when it is dropped, even after a panic.
struct Browser {
    http: Client,
    base: String,
    session: String,
    profile: PathBuf,
    _driver: Group,
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let port = free_port();
        let driver = Group::spawn(Command::new(chromedriver).arg(format!("--port={port}")));
        let base = format!("http://127.0.0.1:{port}");
        let http = Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        wait_for("chromedriver", Duration::from_secs(30), || {
            http.get(format!("{base}/status"))
                .send()
                .ok()
                .and_then(|r| r.json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true)
        });
        let profile = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("page-profile-{port}"));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).unwrap();
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--lang=en-US",
            &format!("--user-data-dir={}", profile.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let r: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .unwrap()
            .json()
            .unwrap();
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        let browser = Browser {
            http,
            base,
            session,
            profile,
            _driver: driver,
        };
        browser.call("POST", "window/rect", json!({"width": 1100, "height": 900}));
        browser
    }

    /// One WebDriver command on the session; its `value`.
    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}/{path}", self.base, self.session);
        let request = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url).json(&body),
        };
        let r: Value = request.send().unwrap().json().unwrap();
        assert!(r["value"]["error"].is_null(), "{method} {path}: {r}");
        r["value"].clone()
    }

    fn find(&self, css: &str) -> String {
        let v = self.call("POST", "element", json!({"using": "css selector", "value": css}));
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("{css}: {v}")).to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.call("POST", &format!("element/{id}/click"), json!({}));
    }

    fn text(&self, css: &str) -> String {
        let id = self.find(css);
        self.call("GET", &format!("element/{id}/text"), Value::Null)
            .as_str()
            .unwrap()
            .to_string()
    }

    fn script(&self, script: &str) -> Value {
        self.script_with(script, json!([]))
    }

    fn script_with(&self, script: &str, args: Value) -> Value {
        self.call("POST", "execute/sync", json!({"script": script, "args": args}))
    }

    /// Drops `path` on the page's drop zone as a file dragged from the desktop would arrive.
    fn drop_file(&self, path: &Path) {
        let script = "const [data, name] = arguments; const bin = atob(data); \
                      const bytes = new Uint8Array(bin.length); \
                      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i); \
                      const dt = new DataTransfer(); dt.items.add(new File([bytes], name)); \
                      const zone = document.getElementById('drop'); \
                      for (const type of ['dragenter', 'dragover', 'drop']) \
                        zone.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));";
        let name = path.file_name().unwrap().to_str().unwrap();
        self.script_with(script, json!([b64_file(path), name]));
    }

    /// Sets the file of an `<input type=file>` as a person choosing it would (replacing what a
    /// `multiple` one held: WebDriver adds to it).
    fn choose_file(&self, css: &str, path: &Path) {
        let id = self.find(css);
        self.call("POST", &format!("element/{id}/clear"), json!({}));
        let text = path.canonicalize().unwrap().display().to_string();
        self.call("POST", &format!("element/{id}/value"), json!({ "text": text }));
    }

    /// The browser console's errors since the last call (a refused CSP directive, a failed
    /// load, an uncaught exception).
    fn console_errors(&self) -> Vec<String> {
        let log = self.call("POST", "se/log", json!({"type": "browser"}));
        let entries = log.as_array().cloned().unwrap_or_default();
        entries
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        self.script("window.scrollTo(0, 0)");
        let png = self.call("GET", "screenshot", Value::Null);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        std::fs::write(&path, bytes).unwrap();
        println!("screenshot: {}", path.display());
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.http.delete(url).timeout(Duration::from_secs(10)).send();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// What the page shows once a verification is done: the file's indication and the text of
/// the result, or the error it shows.
#[derive(Debug)]
enum Shown {
    Verdict { indication: String, text: String },
    Error(String),
}

/// Clicks Verify and waits for the page to show a result or an error.
fn press_verify(b: &Browser) -> Shown {
    assert_eq!(b.script("return document.getElementById('result').hidden"), true);
    b.click("#verify");
    let state = "const r = document.getElementById('result'), v = document.getElementById('verdict'), \
                 s = document.getElementById('status'); \
                 return {shown: !r.hidden, indication: v ? v.dataset.indication : null, \
                 status: s.dataset.state || '', busy: document.getElementById('verify').disabled}";
    let started = Instant::now();
    loop {
        let v = b.script(state);
        if v["shown"] == true && !v["busy"].as_bool().unwrap() {
            let indication = v["indication"].as_str().unwrap().to_string();
            return Shown::Verdict {
                indication,
                text: b.text("#result"),
            };
        }
        if v["status"] == "error" {
            return Shown::Error(b.text("#status"));
        }
        assert!(
            started.elapsed() < RESULT_TIMEOUT,
            "no result after {RESULT_TIMEOUT:?}: {v}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn pick(b: &Browser, select: &str, value: &str) {
    b.click(&format!("#{select} option[value=\"{value}\"]"));
    assert_eq!(
        b.script(&format!("return document.getElementById('{select}').value")),
        value
    );
}

/// Picks a language and waits for the page's labels to be in it.
fn pick_language(b: &Browser, lang: &str, verify_label: &str) {
    pick(b, "lang", lang);
    wait_for("the page's labels", Duration::from_secs(30), || {
        b.text("#verify") == verify_label
    });
}

fn b64_file(path: &Path) -> String {
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(path).unwrap())
}

/// The signer's commonName of each signature of an API answer.
fn signers(answer: &Value) -> Vec<String> {
    answer["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["signer"]["commonName"].as_str().map(str::to_string))
        .collect()
}

fn verdict(shown: Shown) -> (String, String) {
    match shown {
        Shown::Verdict { indication, text } => (indication, text),
        Shown::Error(e) => panic!("the page shows an error: {e}"),
    }
}

#[test]
fn the_page_verifies_files_in_chromium() {
    let Some(chromium) = tool("SIGVERIFY_CHROMIUM", "/usr/bin/chromium") else {
        return;
    };
    let Some(chromedriver) = tool("SIGVERIFY_CHROMEDRIVER", "/usr/bin/chromedriver") else {
        return;
    };
    let server = Server::start();
    let b = Browser::start(&chromium, &chromedriver);
    b.call("POST", "url", json!({ "url": format!("{}/", server.base) }));
    wait_for("the page's labels", Duration::from_secs(30), || {
        b.text("#verify") == "Verify"
    });
    assert!(b.text(".placeholder").contains("The result of the check appears here"));
    b.screenshot("page-start-en.png");
    let t = repo().join("testdata");

    // 1. The valid demo file, in German, revocation checking off: TOTAL_PASSED and its signer.
    let demo = t.join("demo/demo-rsa.p7m");
    let expected = server.verify(&json!({"signature": b64_file(&demo), "ocsp": "off", "language": "de"}));
    assert_eq!(expected["indication"], "TOTAL_PASSED", "{expected:#}");
    pick_language(&b, "de", "Prüfen");
    pick(&b, "ocsp", "off");
    b.choose_file("#file", &demo);
    assert!(b.text("#file-name").starts_with("demo-rsa.p7m"));
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, "TOTAL_PASSED", "{text}");
    for want in signers(&expected).iter().map(String::as_str).chain([
        "Unterzeichner",
        "Zertifikatskette",
        "vertrauenswürdige Wurzel",
        expected["message"].as_str().unwrap(),
    ]) {
        assert!(text.contains(want), "{want:?} is not shown:\n{text}");
    }
    assert_eq!(signers(&expected), ["Demo Signer RSA"]);
    b.screenshot("page-demo-de.png");

    // 2. A file altered after signing: what the API says, and not TOTAL_PASSED.
    let altered = t.join("samples/neg-content-modified.p7m");
    let expected = server.verify(&json!({"signature": b64_file(&altered), "ocsp": "off", "language": "de"}));
    let want = expected["indication"].as_str().unwrap();
    assert_ne!(want, "TOTAL_PASSED", "{expected:#}");
    b.choose_file("#file", &altered);
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, want, "{text}");
    assert_ne!(indication, "TOTAL_PASSED");
    let sub = expected["subIndication"].as_str().unwrap();
    for want in [sub, "Fehlgeschlagen", expected["message"].as_str().unwrap()] {
        assert!(text.contains(want), "{want:?} is not shown:\n{text}");
    }
    b.screenshot("page-altered-de.png");

    // 3. A detached signature with its content given as a SHA-256 in hex (the page turns it
    //    into Base64 for the API), then with the content file itself.
    pick_language(&b, "en", "Verify");
    let detached = t.join("samples/rsa-detached.p7s");
    let content = t.join("samples/content/content.txt");
    let digest = sha2::Sha256::digest(std::fs::read(&content).unwrap());
    let expected = server.verify(&json!({
        "signature": b64_file(&detached), "ocsp": "off",
        "hash": {"algorithm": "SHA-256", "value": base64::engine::general_purpose::STANDARD.encode(digest)},
    }));
    let want = expected["indication"].as_str().unwrap();
    b.choose_file("#file", &detached);
    b.click("input[name=detached][value=hash]");
    b.click("#hash-value");
    let field = b.find("#hash-value");
    b.call(
        "POST",
        &format!("element/{field}/value"),
        json!({"text": hex::encode(digest)}),
    );
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, want, "{text}");
    let expected_file = server.verify(&json!({
        "signature": b64_file(&detached), "ocsp": "off", "content": b64_file(&content),
    }));
    b.click("input[name=detached][value=file]");
    b.choose_file("#content", &content);
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, expected_file["indication"].as_str().unwrap(), "{text}");
    b.click("input[name=detached][value=none]");

    // 4. A PDF with two signatures in English: the revision each covers.
    let pdf = t.join("pdf/two-signatures.pdf");
    let expected = server.verify(&json!({"signature": b64_file(&pdf), "ocsp": "off", "language": "en"}));
    b.choose_file("#file", &pdf);
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, expected["indication"].as_str().unwrap(), "{text}");
    let signatures = expected["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 2, "{expected:#}");
    for s in signatures {
        let pdf = &s["pdf"];
        let line = format!("Covers revision {} of {}", pdf["revision"], pdf["revisions"]);
        assert!(text.contains(&line), "{line:?} is not shown:\n{text}");
    }
    for name in signers(&expected) {
        assert!(text.contains(&name), "{name:?} is not shown:\n{text}");
    }
    b.screenshot("page-pdf-en.png");

    // 5. The same PDF dropped on the page instead of chosen, then the page switched to
    //    French: it asks again, and shows the service's French answer.
    let expected_fr = server.verify(&json!({"signature": b64_file(&pdf), "ocsp": "off", "language": "fr"}));
    b.drop_file(&pdf);
    assert!(b.text("#file-name").starts_with("two-signatures.pdf"));
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, expected["indication"].as_str().unwrap(), "{text}");
    pick(&b, "lang", "fr");
    let message = expected_fr["message"].as_str().unwrap();
    assert_ne!(message, expected["message"].as_str().unwrap());
    wait_for("the French verdict", RESULT_TIMEOUT, || {
        b.text("#result").contains(message) && b.text("#verify") == "Vérifier"
    });
    assert!(b.text("#result").contains("Couvre la révision 2 sur 3"));
    pick_language(&b, "en", "Verify");

    // 6. A detached XML signature with the file it references, sent by name.
    let xml = t.join("xml/detached-rsa.xml");
    let hello = t.join("xml/hello.txt");
    let expected = server.verify(&json!({
        "signature": b64_file(&xml), "ocsp": "off",
        "files": [{"name": "hello.txt", "content": b64_file(&hello)}],
    }));
    assert_eq!(expected["indication"], "TOTAL_PASSED", "{expected:#}");
    b.choose_file("#file", &xml);
    b.click("input[name=detached][value=file]");
    b.choose_file("#content", &hello);
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, "TOTAL_PASSED", "{text}");
    b.click("input[name=detached][value=none]");

    // 7. An ASiC-E container: its signed files and what signs them.
    let asic = t.join("xml/asic-two-files.asice");
    let expected = server.verify(&json!({"signature": b64_file(&asic), "ocsp": "off"}));
    b.choose_file("#file", &asic);
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, expected["indication"].as_str().unwrap(), "{text}");
    assert!(text.contains("Signed files"), "{text}");
    for f in expected["dataFiles"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        assert!(text.contains(name), "{name} is not shown:\n{text}");
    }
    b.screenshot("page-asic-en.png");

    // 8. A bare certificate: its holder and its chain.
    let cert = t.join("pki/rsa/leaf.pem");
    let expected = server.verify(&json!({"signature": b64_file(&cert), "ocsp": "off"}));
    b.choose_file("#file", &cert);
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, expected["indication"].as_str().unwrap(), "{text}");
    let subject = expected["certificate"]["subject"].as_str().unwrap();
    assert!(text.contains("Certificate") && text.contains(subject), "{text}");
    b.screenshot("page-certificate-en.png");

    let errors = b.console_errors();
    assert!(errors.is_empty(), "the browser console shows errors: {errors:#?}");

    // 9. A request the service refuses (a digest of the wrong length): the page says so in
    //    words, with the service's reason.
    b.click("input[name=detached][value=hash]");
    let field = b.find("#hash-value");
    b.call("POST", &format!("element/{field}/clear"), json!({}));
    b.call("POST", &format!("element/{field}/value"), json!({"text": "abcd"}));
    match press_verify(&b) {
        Shown::Error(e) => {
            assert!(e.starts_with("The service could not read this request."), "{e}");
            assert!(e.contains("hash.value"), "{e}");
            b.screenshot("page-error-en.png");
        }
        other => panic!("no error shown: {other:?}"),
    }
    // The console check above can see: the refused request is logged there.
    let errors = b.console_errors();
    assert!(errors.iter().any(|e| e.contains("400")), "{errors:#?}");
    b.click("input[name=detached][value=none]");

    // 10. A large file (6 MiB): read and encoded in chunks, it reaches the service whole.
    let large = Path::new(env!("CARGO_TARGET_TMPDIR")).join("page-large.bin");
    let bytes: Vec<u8> = (0..6 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&large, &bytes).unwrap();
    let expected = server.verify(&json!({"signature": b64_file(&large), "ocsp": "off"}));
    b.choose_file("#file", &large);
    let (indication, text) = verdict(press_verify(&b));
    assert_eq!(indication, expected["indication"].as_str().unwrap(), "{text}");
    assert_ne!(indication, "TOTAL_PASSED");
    let _ = std::fs::remove_file(&large);
}
