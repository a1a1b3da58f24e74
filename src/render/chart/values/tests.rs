//! Dependency processing and coalescing checked against Helm itself: `scenarios.json` holds
//! small charts (file name → contents), optional user values, and what the helm-render
//! oracle (Helm 4.2.3) rendered for them with two templates per chart, `toJson .Values` and
//! `toJson .Chart`, or Helm's error. Scenarios cover import-values (both forms), aliases,
//! tags and conditions, nested globals, Helm 4.2's null handling, type mismatches, schema
//! errors, library charts and kubeVersion.

use super::*;
use crate::render::chart::{load_files, load_values, BufferedFile};
use serde_json::Value as J;

/// Helm prints an absent annotations map as `null`; `.Chart.Annotations` is an empty map here.
fn normalize_chart(mut j: J) -> J {
    if let Some(a) = j.get_mut("Annotations") {
        if a.is_null() {
            *a = J::Object(Default::default());
        }
    }
    j
}

fn run_scenario(name: &str, s: &J) -> Vec<String> {
    let mut problems = Vec::new();
    let files: Vec<BufferedFile> = s["files"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| BufferedFile { name: k.clone(), data: v.as_str().unwrap_or("").as_bytes().to_vec() })
                .collect()
        })
        .unwrap_or_default();
    let chart = match load_files(files) {
        Ok(c) => c,
        Err(e) => return vec![format!("{name}: load failed: {e}")],
    };
    let mut user = Vec::new();
    if let Some(text) = s["user"].as_str() {
        match load_values("user.yaml", text.as_bytes()) {
            Ok(v) => user.push(v.merged),
            Err(e) => return vec![format!("{name}: user values: {e}")],
        }
    }
    let helm = &s["helm"];
    // Where we knowingly differ from Helm, `ours` pins our output (see `known_difference`).
    let ours_error = s.get("ours").and_then(|o| o.get("error")).and_then(J::as_str);
    let result = render_values(&chart, &user, &RenderOptions::default());
    if let Some(want) = ours_error.or_else(|| helm.get("error").and_then(J::as_str)) {
        match result {
            Ok(_) => problems.push(format!("{name}: expected error {want:?}, got values")),
            Err(e) => {
                let got = if e.kind == ErrorKind::KubeVersion {
                    format!("{e}\n\nUse --debug flag to render out invalid YAML")
                } else {
                    e.to_string()
                };
                if got != want {
                    problems.push(format!("{name}: error\n  got:  {got:?}\n  want: {want:?}"));
                }
            }
        }
        return problems;
    }
    let (_, enabled) = match result {
        Ok(r) => r,
        Err(e) => return vec![format!("{name}: unexpected error {e}")],
    };
    let mut seen = Vec::new();
    for c in enabled.charts() {
        seen.push(c.full_path.clone());
        let values_key = format!("{}/templates/values.yaml", c.full_path);
        let chart_key = format!("{}/templates/chart.yaml", c.full_path);
        let want_values: J = helm[&values_key].as_str().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(J::Null);
        let want_chart: J = helm[&chart_key].as_str().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(J::Null);
        let got_values = c.values.to_json();
        if got_values != want_values {
            problems.push(format!("{name}: {values_key}\n  got:  {got_values}\n  want: {want_values}"));
        }
        let got_chart = normalize_chart(c.chart_value().to_json());
        if got_chart != normalize_chart(want_chart.clone()) {
            problems.push(format!("{name}: {chart_key}\n  got:  {got_chart}\n  want: {want_chart}"));
        }
    }
    let mut rendered: Vec<String> = helm
        .as_object()
        .map(|m| m.keys().filter_map(|k| k.strip_suffix("/templates/values.yaml").map(str::to_string)).collect())
        .unwrap_or_default();
    rendered.sort();
    seen.sort();
    if rendered != seen {
        problems.push(format!("{name}: enabled charts {seen:?}, Helm rendered {rendered:?}"));
    }
    problems
}

#[test]
fn scenarios_match_helm() {
    let all: J = serde_json::from_str(include_str!("scenarios.json")).unwrap_or(J::Null);
    let Some(map) = all.as_object() else { panic!("scenarios.json is not an object") };
    let problems: Vec<String> = map.iter().flat_map(|(name, s)| run_scenario(name, s)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// Oracle: helm-render --release-name Bad_Name / "" (Helm 4.2.3).
#[test]
fn release_names() {
    assert_eq!(validate_release_name("release-name"), Ok(()));
    assert_eq!(
        validate_release_name("Bad_Name").err().map(|e| e.to_string()).as_deref(),
        Some(
            r#"release name check failed: release name "Bad_Name": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"#
        )
    );
    assert_eq!(
        validate_release_name("").err().map(|e| e.to_string()).as_deref(),
        Some(r#"release name check failed: release name "": no name provided"#)
    );
    assert!(validate_release_name(&"a".repeat(54)).is_err());
}

#[test]
fn release_object() {
    let r = RenderOptions::default().release_value();
    assert_eq!(
        r.to_json().to_string(),
        r#"{"IsInstall":true,"IsUpgrade":false,"Name":"release-name","Namespace":"default","Revision":1,"Service":"Helm"}"#
    );
}
