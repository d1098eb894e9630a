//! Performance benchmarks, each a figure and a ratio against a baseline measured in the
//! same run:
//!
//! - whole `diagnose --from` runs on generated clusters of 1k, 10k and 50k pods (10 events
//!   per pod, 10% unhealthy, 200 log lines each): wall time and peak memory (via GNU time),
//!   against reading the same bundle's bytes (the I/O floor); time per pod shows scaling;
//! - all playbooks' log patterns as one set over 1 GB of log text, in MB/s, against
//!   `grep -E -c` with the same patterns on the same file;
//! - loading and compiling all playbooks, against parsing their YAML alone.
//!
//! Run: `cargo bench --bench perf` (`KUBEDOCTOR_BENCH_LOG_MB=256` for a smaller log,
//! `KUBEDOCTOR_BENCH_SIZES=1000,10000` for fewer clusters).

#[path = "../examples/support/builders.rs"]
mod builders;
#[path = "../examples/support/cluster.rs"]
mod cluster;

use kubedoctor::playbook::{Playbooks, embedded_files};
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let tmp = tempfile::tempdir().expect("tempdir");
    playbook_load();
    log_matcher(tmp.path());
    whole_runs(tmp.path());
}

fn playbook_load() {
    let runs = 20;
    let t = Instant::now();
    for _ in 0..runs {
        let p = Playbooks::embedded().expect("load");
        std::hint::black_box(p);
    }
    let load = t.elapsed().as_secs_f64() / runs as f64;
    let t = Instant::now();
    for _ in 0..runs {
        for (_, text) in embedded_files() {
            let v: serde_json::Value = serde_saphyr::from_str(text).expect("yaml");
            std::hint::black_box(v);
        }
    }
    let yaml = t.elapsed().as_secs_f64() / runs as f64;
    println!(
        "playbooks: load and compile {:.1} ms (goal < 50 ms); YAML parse alone {:.1} ms; ratio {:.2}",
        load * 1e3,
        yaml * 1e3,
        load / yaml
    );
}

/// The playbook log patterns in grep's ERE dialect (best effort: same alternatives, case
/// folding for all when any pattern folds case).
fn ere(p: &str) -> String {
    let mut s = p.replace("(?i)", "").replace("(?:", "(");
    while let Some(i) = s.find("(?P<") {
        let close = s[i..].find('>').map_or(s.len(), |c| i + c);
        s.replace_range(i..=close, "(");
    }
    s.replace("\\d", "[0-9]")
        .replace("\\w", "[[:alnum:]_]")
        .replace("\\S", "[^[:space:]]")
        .replace("\\s", "[[:space:]]")
}

fn log_matcher(dir: &Path) {
    let mb: usize = std::env::var("KUBEDOCTOR_BENCH_LOG_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let playbooks = Playbooks::embedded().expect("load");
    let path = dir.join("big.log");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create log"));
        let mut written = 0;
        let mut i = 0u64;
        while written < mb * 1_000_000 {
            let line = match i % 1000 {
                0 => "2026-11-20T10:00:00Z ERROR cannot open database: dial tcp 10.96.47.12:5432: connect: connection refused\n".to_string(),
                500 => "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n".to_string(),
                _ => format!("2026-11-20T10:{:02}:{:02}Z INFO request handled path=/api/v1/items/{i} status=200 duration_ms={}\n", (i / 60) % 60, i % 60, i % 97),
            };
            f.write_all(line.as_bytes()).expect("write");
            written += line.len();
            i += 1;
        }
    }
    let bytes = std::fs::metadata(&path).expect("size").len() as f64;
    // kubedoctor: read in 4 MiB chunks at line boundaries, scan each with the set.
    let t = Instant::now();
    let data = std::fs::read_to_string(&path).expect("read");
    let mut hits = 0usize;
    let mut start = 0;
    while start < data.len() {
        let mut end = (start + 4 * 1024 * 1024).min(data.len());
        end = data[..end]
            .rfind('\n')
            .map_or(data.len(), |i| i + 1)
            .max(start + 1)
            .min(data.len());
        let h = playbooks.log_patterns.scan(&data[start..end]);
        for p in 0..playbooks.log_patterns.len() {
            hits += h.lines(p).len();
        }
        start = end;
    }
    let ours = t.elapsed().as_secs_f64();
    drop(data);
    let patterns: Vec<String> = playbooks
        .files
        .iter()
        .flat_map(|f| f.causes.iter())
        .flat_map(|c| c.when.iter().chain(c.boost.iter().map(|(m, _)| m)))
        .flat_map(|m| {
            let mut leaves = Vec::new();
            m.leaves(&mut leaves);
            leaves
                .into_iter()
                .filter_map(|l| match l {
                    kubedoctor::playbook::Matcher::Text { field, re }
                        if field.name().starts_with("log") =>
                    {
                        Some(re.as_str().to_string())
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let pfile = dir.join("patterns.txt");
    std::fs::write(
        &pfile,
        patterns
            .iter()
            .map(|p| ere(p))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .expect("patterns");
    let t = Instant::now();
    let grep = Command::new("grep")
        .args(["-E", "-i", "-c", "-f"])
        .arg(&pfile)
        .arg(&path)
        .output();
    let theirs = t.elapsed().as_secs_f64();
    match grep {
        Ok(out) if out.status.success() || out.status.code() == Some(1) => println!(
            "log matcher: {} patterns over {:.0} MB: {:.0} MB/s ({hits} line hits); grep -E -i -c -f: {:.0} MB/s ({} lines); ratio {:.2} (goal >= 1)",
            playbooks.log_patterns.len(),
            bytes / 1e6,
            bytes / 1e6 / ours,
            bytes / 1e6 / theirs,
            String::from_utf8_lossy(&out.stdout).trim(),
            theirs / ours
        ),
        _ => println!(
            "log matcher: {:.0} MB/s; grep unavailable",
            bytes / 1e6 / ours
        ),
    }
}

fn peak_and_wall(args: &[&str], bundle: &Path) -> (f64, Option<u64>) {
    let bin = env!("CARGO_BIN_EXE_kubedoctor");
    let time = Path::new("/usr/bin/time");
    let t = Instant::now();
    let out = if time.exists() {
        Command::new(time)
            .arg("-v")
            .arg(bin)
            .args(args)
            .arg(bundle)
            .output()
    } else {
        Command::new(bin).args(args).arg(bundle).output()
    }
    .expect("run kubedoctor");
    let wall = t.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.parse().ok());
    (wall, peak)
}

fn whole_runs(dir: &Path) {
    let sizes: Vec<usize> = std::env::var("KUBEDOCTOR_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_else(|| vec![1000, 10_000, 50_000]);
    for pods in sizes {
        let bundle = dir.join(format!("cluster-{pods}"));
        let spec = cluster::Spec {
            pods,
            unhealthy: pods / 10,
            namespaces: 50,
            nodes: (pods / 100).max(10),
            events_per_pod: 10,
            log_lines: 200,
        };
        let w = cluster::generate(&spec, &bundle);
        // The floor: reading every byte of the bundle.
        let t = Instant::now();
        let mut total = 0u64;
        for f in ["pods.json", "events.json", "nodes.json"] {
            total += std::fs::read(bundle.join(f))
                .map(|b| b.len() as u64)
                .unwrap_or(0);
        }
        let floor = t.elapsed().as_secs_f64();
        let (wall, peak) = peak_and_wall(&["diagnose", "-A", "-o", "json", "--from"], &bundle);
        println!(
            "diagnose --from: {} pods, {} events, {} unhealthy, {} log files ({} MB): {:.2} s wall ({:.1} µs per pod), peak {} MB; reading the bundle's {} MB: {:.2} s; ratio {:.1}",
            w.pods,
            w.events,
            spec.unhealthy,
            w.log_files,
            w.bytes / 1_000_000,
            wall,
            wall / pods as f64 * 1e6,
            peak.map_or("?".to_string(), |k| (k / 1024).to_string()),
            total / 1_000_000,
            floor,
            wall / floor.max(1e-9)
        );
        let _ = std::fs::remove_dir_all(&bundle);
    }
}
