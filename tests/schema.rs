//! `lede replay examples/` writes JSON Lines that validate against the
//! committed JSON Schemas, and the examples validate against the input schema.

use std::process::Command;

fn schema(name: &str) -> jsonschema::Validator {
    let path = format!("{}/schema/{name}", env!("CARGO_MANIFEST_DIR"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&v).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn replay_of_examples_validates_against_the_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let dups = dir.path().join("dups.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_lede"))
        .args([
            "replay",
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples"),
            "--duplicates",
        ])
        .arg(&dups)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let enriched = schema("enriched.schema.json");
    let mut n = 0;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = enriched.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", v["id"]);
        let body = v["body"].as_str().unwrap();
        for q in v["quotes"].as_array().unwrap() {
            let (s, e) = (
                q["start"].as_u64().unwrap() as usize,
                q["end"].as_u64().unwrap() as usize,
            );
            assert!(
                body.get(s..e).is_some(),
                "quote offsets off char boundaries"
            );
        }
        n += 1;
    }
    assert!(n >= 4, "only {n} enriched articles");
    let dup = schema("duplicate.schema.json");
    let text = std::fs::read_to_string(&dups).unwrap();
    assert!(!text.trim().is_empty(), "examples contain a duplicate");
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(dup.is_valid(&v), "{v}");
    }
}

#[test]
fn json_examples_validate_against_the_input_schema() {
    let article = schema("article.schema.json");
    let ex = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{ex}/central-bank.json")).unwrap())
            .unwrap();
    assert!(article.is_valid(&v));
    for line in std::fs::read_to_string(format!("{ex}/feed.jsonl"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(article.is_valid(&v), "{v}");
    }
    assert!(!article.is_valid(&serde_json::json!({"title": "no body"})));
}
