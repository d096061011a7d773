//! The container image and the Kubernetes manifests in `deploy/kubernetes/`:
//!
//! - every manifest validates against the Kubernetes 1.30 schemas with `kubernetes-validate
//!   --strict` (the schemas ship with the tool, so this runs offline), and a manifest with a
//!   misspelt field is refused by the same call;
//! - the manifests agree with each other and with the service: probes at `/readyz` and
//!   `/healthz` on the port `SIGVERIFY_LISTEN` names, a grace period longer than the preStop
//!   sleep plus the shutdown timeout, a non-root read-only container without capabilities, the
//!   policy mounted where `SIGVERIFY_POLICY` points and equal to `policy/default.toml`;
//! - the `Dockerfile` runs as a non-root user, exposes the listening port, copies the policy to
//!   `SIGVERIFY_POLICY` and copies no trust anchor.
//!
//! The YAML is read by Python's PyYAML (`python3`), the schemas checked by `kubernetes-validate`
//! (`pip install kubernetes-validate`). A missing tool skips its test with a message; with
//! `SIGVERIFY_REQUIRE_TOOLS=1` (set by `.ci/run`) it fails it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const KUBERNETES_VERSION: &str = "1.30.0";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn manifest_dir() -> PathBuf {
    root().join("deploy/kubernetes")
}

/// Whether `cmd args` runs; panics when it does not and `SIGVERIFY_REQUIRE_TOOLS=1`.
fn tool_available(cmd: &str, args: &[&str], install: &str) -> bool {
    let ok = Command::new(cmd).args(args).output().is_ok_and(|o| o.status.success());
    if !ok {
        let required = std::env::var("SIGVERIFY_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "SIGVERIFY_REQUIRE_TOOLS=1 but `{cmd} {}` fails",
            args.join(" ")
        );
        eprintln!("SKIPPED: `{cmd} {}` fails; install {install}", args.join(" "));
    }
    ok
}

/// The Kubernetes resources, every `*.yaml` of the directory except the kustomization.
fn manifest_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(manifest_dir())
        .expect("deploy/kubernetes")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter(|p| p.file_name().is_some_and(|n| n != "kustomization.yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "too few manifests: {files:?}");
    files
}

/// Each file's YAML documents as JSON (parsed by PyYAML), by file name; None without PyYAML.
fn load_yaml(files: &[PathBuf]) -> Option<BTreeMap<String, Vec<Value>>> {
    if !tool_available("python3", &["-c", "import yaml"], "python3 and PyYAML (python3-yaml)") {
        return None;
    }
    let script = "import json, sys, yaml\n\
        print(json.dumps({p: list(yaml.safe_load_all(open(p))) for p in sys.argv[1:]}))";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let by_path: BTreeMap<String, Vec<Value>> = serde_json::from_slice(&out.stdout).expect("JSON");
    let by_name = by_path
        .into_iter()
        .map(|(p, d)| (file_name(Path::new(&p)), d))
        .collect();
    Some(by_name)
}

fn file_name(p: &Path) -> String {
    p.file_name().expect("name").to_string_lossy().into_owned()
}

/// The one resource of `kind` among all documents.
fn resource<'a>(docs: &'a BTreeMap<String, Vec<Value>>, kind: &str) -> &'a Value {
    let found: Vec<&Value> = docs.values().flatten().filter(|d| d["kind"] == kind).collect();
    assert_eq!(found.len(), 1, "expected one {kind}");
    found[0]
}

/// Runs `kubernetes-validate --strict` on `file`: success and the tool's output.
fn validate(file: &Path) -> (bool, String) {
    // As a module: a fresh pip install needs no script shim on PATH.
    let out = Command::new("python3")
        .args([
            "-m",
            "kubernetes_validate",
            "--strict",
            "--quiet",
            "-k",
            KUBERNETES_VERSION,
        ])
        .arg(file)
        .output()
        .expect("kubernetes-validate");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn manifests_validate_against_the_kubernetes_schemas() {
    if !tool_available(
        "python3",
        &["-m", "kubernetes_validate", "--version"],
        "kubernetes-validate (pip)",
    ) {
        return;
    }
    for file in manifest_files() {
        let (ok, text) = validate(&file);
        assert!(ok, "{}: {text}", file.display());
    }
    // The same call refuses a misspelt field, so a pass above means something.
    let deployment = std::fs::read_to_string(manifest_dir().join("deployment.yaml")).expect("deployment");
    let broken = deployment.replace("readOnlyRootFilesystem", "readOnlyRootFilesytem");
    assert_ne!(broken, deployment);
    let path = std::env::temp_dir().join(format!("sigverify-deploy-{}.yaml", std::process::id()));
    std::fs::write(&path, broken).expect("write");
    let (ok, text) = validate(&path);
    let _ = std::fs::remove_file(&path);
    assert!(!ok, "a misspelt field passed: {text}");
}

#[test]
fn kustomization_lists_every_manifest() {
    let text = std::fs::read_to_string(manifest_dir().join("kustomization.yaml")).expect("kustomization");
    let mut listed: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .map(|s| s.trim().to_string())
        .collect();
    listed.sort();
    let mut files: Vec<String> = manifest_files().iter().map(|p| file_name(p)).collect();
    files.sort();
    assert_eq!(listed, files);
}

/// The container's environment variables with literal values.
fn env_of(container: &Value) -> BTreeMap<String, String> {
    let vars = container["env"].as_array().expect("env");
    vars.iter()
        .filter_map(|v| Some((v["name"].as_str()?.to_string(), v["value"].as_str()?.to_string())))
        .collect()
}

/// The port of an `address:port` value.
fn port_of(listen: &str) -> u64 {
    listen
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .expect("address:port")
}

/// The container port a probe or a Service names, by number or by name.
fn resolve_port(port: &Value, container: &Value) -> u64 {
    if let Some(n) = port.as_u64() {
        return n;
    }
    let name = port.as_str().expect("port");
    let ports = container["ports"].as_array().expect("ports");
    let found = ports.iter().find(|p| p["name"] == name).expect("named port");
    found["containerPort"].as_u64().expect("containerPort")
}

fn the_container(deployment: &Value) -> &Value {
    let containers = deployment["spec"]["template"]["spec"]["containers"]
        .as_array()
        .expect("containers");
    assert_eq!(containers.len(), 1);
    &containers[0]
}

#[test]
fn deployment_probes_ports_and_shutdown_agree_with_the_service() {
    let Some(docs) = load_yaml(&manifest_files()) else {
        return;
    };
    let deployment = resource(&docs, "Deployment");
    let container = the_container(deployment);
    let env = env_of(container);
    let port = port_of(&env["SIGVERIFY_LISTEN"]);
    assert!(
        env["SIGVERIFY_LISTEN"].starts_with("0.0.0.0:"),
        "must listen beyond loopback"
    );
    let ports = container["ports"].as_array().expect("ports");
    assert!(ports.iter().any(|p| p["containerPort"].as_u64() == Some(port)));
    for (probe, path) in [("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")] {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["path"], path, "{probe}");
        assert_eq!(resolve_port(&get["port"], container), port, "{probe}");
    }
    if container["startupProbe"].is_object() {
        assert_eq!(
            resolve_port(&container["startupProbe"]["httpGet"]["port"], container),
            port
        );
    }
    let service = resource(&docs, "Service");
    let target = &service["spec"]["ports"][0]["targetPort"];
    assert_eq!(resolve_port(target, container), port, "Service targetPort");

    let shutdown_ms: u64 = env["SIGVERIFY_SHUTDOWN_TIMEOUT_MS"].parse().expect("shutdown ms");
    let pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        .as_u64()
        .unwrap_or(0);
    let grace = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"].as_u64();
    let grace = grace.expect("terminationGracePeriodSeconds");
    assert!(
        grace > pre_stop + shutdown_ms.div_ceil(1000),
        "grace {grace} s too short"
    );
    assert!(deployment["spec"]["replicas"].as_u64().expect("replicas") >= 2);
}

#[test]
fn deployment_runs_non_root_read_only_and_bounded() {
    let Some(docs) = load_yaml(&manifest_files()) else {
        return;
    };
    let deployment = resource(&docs, "Deployment");
    let pod = &deployment["spec"]["template"]["spec"];
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    assert!(pod["securityContext"]["runAsUser"].as_u64().is_some_and(|u| u > 0));
    let container = the_container(deployment);
    let sc = &container["securityContext"];
    assert_eq!(sc["runAsNonRoot"], true);
    assert_eq!(sc["readOnlyRootFilesystem"], true);
    assert_eq!(sc["allowPrivilegeEscalation"], false);
    assert_eq!(sc["capabilities"]["drop"], serde_json::json!(["ALL"]));
    assert_eq!(sc["seccompProfile"]["type"], "RuntimeDefault");
    for kind in ["requests", "limits"] {
        for what in ["cpu", "memory"] {
            assert!(
                container["resources"][kind][what].is_string(),
                "resources.{kind}.{what}"
            );
        }
    }
    let labels = &deployment["spec"]["template"]["metadata"]["labels"];
    for kind in ["Service", "PodDisruptionBudget"] {
        let r = resource(&docs, kind);
        let selector = r["spec"]["selector"]
            .get("matchLabels")
            .unwrap_or(&r["spec"]["selector"]);
        for (k, v) in selector.as_object().expect("selector") {
            assert_eq!(&labels[k], v, "{kind} selector {k}");
        }
    }
    assert_eq!(resource(&docs, "PodDisruptionBudget")["spec"]["minAvailable"], 1);
    let hpa = resource(&docs, "HorizontalPodAutoscaler");
    assert_eq!(hpa["spec"]["scaleTargetRef"]["name"], deployment["metadata"]["name"]);
    assert_eq!(hpa["spec"]["metrics"][0]["resource"]["name"], "cpu");
}

/// Where `configMap` named `name` is mounted in the container.
fn mount_of<'a>(deployment: &'a Value, config_map: &str) -> &'a str {
    let volumes = deployment["spec"]["template"]["spec"]["volumes"]
        .as_array()
        .expect("volumes");
    let volume = volumes
        .iter()
        .find(|v| v["configMap"]["name"] == config_map)
        .expect("volume");
    let mounts = the_container(deployment)["volumeMounts"].as_array().expect("mounts");
    let mount = mounts.iter().find(|m| m["name"] == volume["name"]).expect("mount");
    assert_eq!(mount["readOnly"], true);
    mount["mountPath"].as_str().expect("mountPath")
}

fn config_map<'a>(docs: &'a BTreeMap<String, Vec<Value>>, name: &str) -> &'a Value {
    let found = docs
        .values()
        .flatten()
        .find(|d| d["kind"] == "ConfigMap" && d["metadata"]["name"] == name);
    found.unwrap_or_else(|| panic!("ConfigMap {name}"))
}

#[test]
fn policy_and_anchors_are_mounted_where_the_service_reads_them() {
    let Some(docs) = load_yaml(&manifest_files()) else {
        return;
    };
    let deployment = resource(&docs, "Deployment");
    let env = env_of(the_container(deployment));
    let policy = config_map(&docs, "sigverify-policy");
    let keys: Vec<&String> = policy["data"].as_object().expect("data").keys().collect();
    assert_eq!(keys.len(), 1);
    let mounted = format!("{}/{}", mount_of(deployment, "sigverify-policy"), keys[0]);
    assert_eq!(mounted, env["SIGVERIFY_POLICY"]);
    let bundled = std::fs::read_to_string(root().join("policy/default.toml")).expect("policy");
    assert_eq!(
        policy["data"][keys[0].as_str()],
        bundled,
        "the ConfigMap differs from policy/default.toml"
    );
    let anchors = config_map(&docs, "sigverify-trust-anchors");
    assert_eq!(
        mount_of(deployment, "sigverify-trust-anchors"),
        env["SIGVERIFY_TRUST_ANCHORS_DIR"]
    );
    for key in anchors["data"].as_object().into_iter().flat_map(|m| m.keys()) {
        assert!(key.ends_with(".txt"), "the placeholder carries no certificate: {key}");
    }
    assert!(anchors.get("binaryData").is_none());
    assert_eq!(env["SIGVERIFY_POLICY"], dockerfile_env()["SIGVERIFY_POLICY"]);
    assert_eq!(
        env["SIGVERIFY_TRUST_ANCHORS_DIR"],
        dockerfile_env()["SIGVERIFY_TRUST_ANCHORS_DIR"]
    );
    assert_eq!(env["SIGVERIFY_LISTEN"], dockerfile_env()["SIGVERIFY_LISTEN"]);
}

/// The Dockerfile's instructions of the final stage, continuation lines joined: (keyword, rest).
fn dockerfile_final_stage() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("Dockerfile")).expect("Dockerfile");
    let joined = text.replace("\\\n", " ");
    let instructions: Vec<(String, String)> = joined
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, rest) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (k.to_ascii_uppercase(), rest.trim().to_string())
        })
        .collect();
    let last_from = instructions.iter().rposition(|(k, _)| k == "FROM").expect("FROM");
    instructions[last_from..].to_vec()
}

/// The final stage's `ENV key=value` pairs.
fn dockerfile_env() -> BTreeMap<String, String> {
    let stage = dockerfile_final_stage();
    let pairs = stage
        .iter()
        .filter(|(k, _)| k == "ENV")
        .flat_map(|(_, r)| r.split_whitespace());
    let pairs = pairs
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()));
    pairs.collect()
}

#[test]
fn dockerfile_runs_non_root_exposes_the_port_and_bakes_in_no_anchor() {
    let stage = dockerfile_final_stage();
    let users: Vec<&String> = stage.iter().filter(|(k, _)| k == "USER").map(|(_, r)| r).collect();
    let user = users.last().expect("USER in the final stage");
    let uid: u32 = user
        .split(':')
        .next()
        .and_then(|u| u.parse().ok())
        .expect("numeric uid");
    assert!(uid > 0, "USER {user}");
    let env = dockerfile_env();
    let port = port_of(&env["SIGVERIFY_LISTEN"]);
    let exposed: Vec<&String> = stage.iter().filter(|(k, _)| k == "EXPOSE").map(|(_, r)| r).collect();
    assert_eq!(exposed, [&port.to_string()]);
    let copies: Vec<&String> = stage.iter().filter(|(k, _)| k == "COPY").map(|(_, r)| r).collect();
    let policy = format!("COPY policy/default.toml {}", env["SIGVERIFY_POLICY"]);
    assert!(copies.iter().any(|c| format!("COPY {c}") == policy), "{policy} missing");
    for c in &copies {
        assert!(
            !c.contains("trust-anchors") && !c.contains(".pem"),
            "COPY {c} bakes in anchors"
        );
    }
    let ignore = std::fs::read_to_string(root().join(".dockerignore")).expect(".dockerignore");
    for pattern in ["target/", "trust-anchors/*.pem", "trust-anchors/*.der"] {
        assert!(
            ignore.lines().any(|l| l.trim() == pattern),
            ".dockerignore lacks {pattern}"
        );
    }
}
