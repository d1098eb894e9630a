//! Performance benchmarks, each a figure and a ratio against a baseline measured in the
//! same run:
//!
//! - whole `diagnose --from` runs on generated fleet-shaped clusters of 10k, 50k and 100k
//!   pods (Deployments of 500 pods whose ReplicaSets carry a `SuccessfulCreate` event per
//!   pod, PVCs and their events, noisy node events, managedFields and node images; 10% and
//!   40% unhealthy): wall time and peak memory (GNU time), per pod, against the floor of the
//!   same run: a child process that only reads and parses the same JSON into `IgnoredAny`;
//! - all playbooks' log patterns as one set over 1 GB of log text, in MB/s, against
//!   `grep -E -c` with the same patterns on the same file;
//! - loading and compiling all playbooks, against parsing their YAML alone.
//!
//! Run: `cargo bench --bench perf` (`KUBEDOCTOR_BENCH_LOG_MB=256` for a smaller log,
//! `KUBEDOCTOR_BENCH_SIZES=10000` and `KUBEDOCTOR_BENCH_UNHEALTHY=40` for fewer clusters).

#[path = "../xtask/src/support/builders.rs"]
mod builders;
#[path = "../xtask/src/support/cluster.rs"]
mod cluster;

use kubedoctor::playbook::{Playbooks, embedded_files};
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    // A child run of this binary: only the parse-only floor of one bundle.
    if let Ok(bundle) = std::env::var("KUBEDOCTOR_BENCH_FLOOR") {
        floor(Path::new(&bundle));
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    playbook_load();
    log_matcher(tmp.path());
    text_inputs(tmp.path());
    whole_runs(tmp.path());
    with_services(tmp.path());
}

/// The same fleet with and without 3,000 Services and their EndpointSlices: matching every
/// Service against the pods (indexed by namespace and label) must stay linear (goal: within
/// 1.3x of the fleet without them).
fn with_services(dir: &Path) {
    let pods = 10_000;
    let mut runs = Vec::new();
    for services in [0, 3_000] {
        let bundle = dir.join(format!("fleet-{pods}-svc-{services}"));
        // Deployments of 3 pods: 3,334 of them, about one Service each.
        let spec = cluster::Spec {
            services,
            deployment_size: 3,
            ..cluster::Spec::fleet(pods, 10)
        };
        cluster::generate(&spec, &bundle);
        let (wall, peak) = run_measured(
            Command::new(env!("CARGO_BIN_EXE_kubedoctor"))
                .args(["diagnose", "-A", "-o", "json", "--from"])
                .arg(&bundle),
        );
        let _ = std::fs::remove_dir_all(&bundle);
        runs.push((services, wall, peak));
    }
    let mb = |k: Option<u64>| k.map_or("?".to_string(), |k| (k / 1024).to_string());
    for (services, wall, peak) in &runs {
        println!(
            "diagnose --from, fleet: {pods} pods with {services} Services and as many EndpointSlices: {wall:.2} s, peak {} MB",
            mb(*peak)
        );
    }
    if let [(_, without, _), (_, with, _)] = runs[..] {
        println!(
            "Services cost: {:.2}x the time of the fleet without them (goal <= 1.3x)",
            with / without.max(1e-9)
        );
    }
}

/// Text given as files: a 1 GB log, a million-line kubelet journal, and 16,000 lines that
/// no parser places (each must cost little more than reading its tail).
fn text_inputs(dir: &Path) {
    let write = |name: &str, lines: usize, line: &dyn Fn(usize) -> String| {
        let path = dir.join(name);
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        for i in 0..lines {
            f.write_all(line(i).as_bytes()).expect("write");
        }
        path
    };
    let log = write("app.log", 11_000_000, &|i| {
        format!("2026-11-20T10:00:00Z INFO request handled path=/api/v1/items/{i:08} status=200\n")
    });
    let journal = write("kubelet.txt", 1_000_000, &|i| {
        format!(
            "May 07 11:59:34 node01 kubelet[8691]: I0507 11:59:34.926448    8691 kubelet.go:1234] \"SyncLoop (PLEG): event for pod\" pod=\"shop/web-{}\"\n",
            i % 50
        )
    });
    let prose = write("notes.txt", 16_000, &|i| {
        format!("Line {i} of a design note about how pods fail, with no command output in it.\n")
    });
    let session = write("session.txt", 2_000, &session_block);
    for (what, flag, path, goal) in [
        (
            "a 2 MB incident session",
            "--from",
            &session,
            "< 0.2 s, < 100 MB",
        ),
        ("a 1 GB log", "--logs", &log, "< 1 s, < 100 MB"),
        (
            "a 1M-line kubelet journal",
            "--journal",
            &journal,
            "< 1 s, < 100 MB",
        ),
        ("16k lines of prose", "--from", &prose, "< 1 s, < 100 MB"),
    ] {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let (wall, peak) = run_measured(
            Command::new(env!("CARGO_BIN_EXE_kubedoctor"))
                .args(["diagnose", "-o", "json", flag])
                .arg(path),
        );
        println!(
            "text input, {what} ({} MB): {wall:.2} s, peak {} MB (goal {goal})",
            size / 1_000_000,
            peak.map_or("?".to_string(), |k| (k / 1024).to_string())
        );
        let _ = std::fs::remove_file(path);
    }
}

/// One command block of a terminal session (about 1 KB): a namespace's pods, its Services,
/// a describe of the broken pod, its events and its previous log; 2,000 of them make a 2 MB
/// session of 2,000 namespaces.
fn session_block(i: usize) -> String {
    format!(
        "$ kubectl get pods -n team-{i}
NAME                   READY   STATUS             RESTARTS      AGE
web-7d9c5b8f6-x{i:04}   1/1     Running            0             2d
api-6f7b9c8d4-m{i:04}   0/1     CrashLoopBackOff   7 (40s ago)   15m
$ kubectl get svc -n team-{i}
NAME   TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)    AGE
api    ClusterIP   10.96.30.7    <none>        8080/TCP   15m
$ kubectl get events -n team-{i}
LAST SEEN   TYPE      REASON    OBJECT                      MESSAGE
2m          Warning   BackOff   pod/api-6f7b9c8d4-m{i:04}   Back-off restarting failed container api in pod api-6f7b9c8d4-m{i:04}_team-{i}(1c2d3e4f-aaaa-bbbb-cccc-1234567890ab)
17m         Warning   BackOff   pod/api-5b8c7d6e5-z{i:04}   Back-off restarting failed container api in pod api-5b8c7d6e5-z{i:04}_team-{i}(2c2d3e4f-aaaa-bbbb-cccc-1234567890ab)
$ kubectl logs api-6f7b9c8d4-m{i:04} -n team-{i} --previous
2026-12-07T10:00:01Z INFO starting api on :8080
2026-12-07T10:00:01Z ERROR config: required environment variable DATABASE_URL is not set
"
    )
}

fn playbook_load() {
    let runs = 20;
    let t = Instant::now();
    for _ in 0..runs {
        let p = Playbooks::embedded().expect("load");
        std::hint::black_box(p);
    }
    let load = t.elapsed().as_secs_f64() / runs as f64;
    // Compiling every regex (a run compiles only those of the causes it tries).
    let t = Instant::now();
    for _ in 0..runs {
        let p = Playbooks::embedded().expect("load");
        for f in &p.files {
            for c in &f.causes {
                for m in c.when.iter().chain(c.boost.iter().map(|(m, _)| m)) {
                    for re in m.regexes() {
                        std::hint::black_box(re.is_match(""));
                    }
                }
            }
        }
        std::hint::black_box(p.log_patterns.scan("x\n"));
    }
    let all = t.elapsed().as_secs_f64() / runs as f64;
    let t = Instant::now();
    for _ in 0..runs {
        for (_, text) in embedded_files() {
            let v: serde_json::Value = serde_saphyr::from_str(text).expect("yaml");
            std::hint::black_box(v);
        }
    }
    let yaml = t.elapsed().as_secs_f64() / runs as f64;
    println!(
        "playbooks: load (regexes checked, compiled on first use) {:.1} ms (goal < 50 ms), with every regex compiled {:.1} ms; YAML parse alone {:.1} ms; ratio {:.2}",
        load * 1e3,
        all * 1e3,
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

/// The floor of a run: reading the bundle's object files and parsing them as JSON into
/// `IgnoredAny` (no objects built), in a child process so that its peak memory is its own.
fn floor(bundle: &Path) {
    for f in [
        "pods.json",
        "events.json",
        "nodes.json",
        "replicasets.json",
        "pvcs.json",
    ] {
        let Ok(bytes) = std::fs::read(bundle.join(f)) else {
            continue;
        };
        let v: serde::de::IgnoredAny = serde_json::from_slice(&bytes).expect("valid JSON");
        std::hint::black_box(v);
    }
}

/// Peak resident memory of a child process, from GNU time's report.
fn run_measured(cmd: &mut Command) -> (f64, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    let t = Instant::now();
    let out = if time.exists() {
        let program = cmd.get_program().to_owned();
        let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
        let envs: Vec<_> = cmd
            .get_envs()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
            .collect();
        Command::new(time)
            .arg("-v")
            .arg(program)
            .args(args)
            .envs(envs)
            .output()
    } else {
        cmd.output()
    }
    .expect("run");
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
        .unwrap_or_else(|| vec![10_000, 50_000, 100_000]);
    let shares: Vec<usize> = std::env::var("KUBEDOCTOR_BENCH_UNHEALTHY")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 40]);
    let me = std::env::current_exe().expect("bench binary");
    for pods in sizes {
        for &share in &shares {
            let bundle = dir.join(format!("fleet-{pods}-{share}"));
            let spec = cluster::Spec::fleet(pods, share);
            let w = cluster::generate(&spec, &bundle);
            let (floor_wall, floor_peak) =
                run_measured(Command::new(&me).env("KUBEDOCTOR_BENCH_FLOOR", &bundle));
            let (wall, peak) = run_measured(
                Command::new(env!("CARGO_BIN_EXE_kubedoctor"))
                    .args(["diagnose", "-A", "-o", "json", "--from"])
                    .arg(&bundle),
            );
            let mb = |k: Option<u64>| k.map_or("?".to_string(), |k| (k / 1024).to_string());
            println!(
                "diagnose --from, fleet: {} pods, {} events, {}% unhealthy ({} MB): {:.2} s, peak {} MB ({:.1} µs and {:.1} KB per pod); parse-only floor {:.2} s, peak {} MB; ratio {:.1}x time, {:.1}x memory",
                w.pods,
                w.events,
                share,
                w.bytes / 1_000_000,
                wall,
                mb(peak),
                wall / pods as f64 * 1e6,
                peak.unwrap_or(0) as f64 / pods as f64,
                floor_wall,
                mb(floor_peak),
                wall / floor_wall.max(1e-9),
                peak.unwrap_or(0) as f64 / floor_peak.unwrap_or(1).max(1) as f64,
            );
            let _ = std::fs::remove_dir_all(&bundle);
        }
    }
}
