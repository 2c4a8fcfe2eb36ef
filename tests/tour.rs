//! The README's service tour (`examples/tour.sh`) works as written in a
//! fresh shell: the same commands, with only the ports and the JetStream
//! directory changed so the test can run beside others.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_readme_tour_runs_as_written() {
    let root = env!("CARGO_MANIFEST_DIR");
    let script = std::fs::read_to_string(format!("{root}/examples/tour.sh")).unwrap();
    let ports = common::free_ports(2);
    let (nats, admin) = (ports[0], ports[1]);
    let dir = tempfile::tempdir().unwrap();
    let nats_bin = common::nats_server_bin();
    let script = script
        .replace(
            "nats-server -js ",
            &format!(
                "{} -js -p {nats} -sd {} ",
                nats_bin.display(),
                dir.path().display()
            ),
        )
        .replace("127.0.0.1:9090", &format!("127.0.0.1:{admin}"));
    let lede_dir = std::path::Path::new(env!("CARGO_BIN_EXE_lede"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        lede_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(root)
        .env("PATH", path)
        .env("LEDE_NATS_URL", format!("nats://127.0.0.1:{nats}"))
        .env("LEDE_ADMIN_ADDR", format!("127.0.0.1:{admin}"))
        .env("LEDE_DEDUP_STORE", "memory")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the tour hangs");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    // Four pretty records with their ids and titles first.
    assert_eq!(stdout.matches("\n  \"title\": ").count(), 4, "{stdout}");
    assert_eq!(stdout.matches("\"similarity\"").count(), 2, "{stdout}");
    assert!(
        stdout.contains("lede_articles_enriched_total 4"),
        "{stdout}"
    );
    assert!(stderr.contains("publish: 6 inputs, 6 accepted"), "{stderr}");
    assert!(
        !stderr.contains("\x1b["),
        "colour codes in a pipe: {stderr}"
    );
}
