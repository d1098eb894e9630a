//! Runs kubedoctor over a directory of real pasted cases (each a folder with `describe.txt`,
//! `events.txt`, `logs.txt`, `pod.yaml`, `nodes.txt` and a `truth.yaml` naming the confirmed
//! cause) and prints where the confirmed cause ranks, overall and per cause family (the part of
//! the id before the dot: `image`, `crash`, `sched`, ...).
//!
//! Run: `cargo run --release -p xtask -- realworld ../shared/realworld`

use kubedoctor::engine::diagnose;
use kubedoctor::playbook::Playbooks;
use kubedoctor::sources::text::{self, Input, Role};
use std::collections::BTreeMap;
use std::path::Path;

/// `realworld [DIR]`.
pub fn run(args: &[String]) {
    let root = args
        .first()
        .cloned()
        .unwrap_or_else(|| "../shared/realworld".into());
    let playbooks = Playbooks::embedded().expect("playbooks load");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("read realworld dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("truth.yaml").is_file())
        .collect();
    dirs.sort();
    let (mut first, mut top3) = (0, 0);
    // family -> (cases, first)
    let mut families: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for dir in &dirs {
        let truth = std::fs::read_to_string(dir.join("truth.yaml")).unwrap_or_default();
        let cause = truth
            .lines()
            .find_map(|l| l.strip_prefix("cause: "))
            .unwrap_or("?")
            .trim()
            .to_string();
        let inputs = inputs(dir);
        let ranked: Vec<String> = match text::read(&inputs) {
            Ok(ev) => {
                let d = diagnose(&ev, &playbooks);
                d.first()
                    .map(|p| {
                        p.findings
                            .iter()
                            .map(|f| format!("{} {:.2}", f.id, f.score))
                            .collect()
                    })
                    .unwrap_or_default()
            }
            Err(e) => vec![format!("error: {e}")],
        };
        let rank = ranked
            .iter()
            .position(|r| r.split(' ').next() == Some(cause.as_str()));
        let family = cause.split('.').next().unwrap_or("?").to_string();
        let tally = families.entry(family).or_default();
        tally.0 += 1;
        if rank == Some(0) {
            first += 1;
            tally.1 += 1;
        }
        if rank.is_some_and(|r| r < 3) {
            top3 += 1;
        }
        let name = dir.file_name().unwrap().to_string_lossy();
        let mark = match rank {
            Some(0) => "first ".to_string(),
            Some(r) => format!("rank {}", r + 1),
            None => "miss  ".to_string(),
        };
        println!(
            "{mark}  {name:<50} want {cause:<30} got {:?}",
            &ranked[..ranked.len().min(3)]
        );
    }
    println!(
        "{} cases: {first} confirmed cause first, {top3} in the top three",
        dirs.len()
    );
    for (family, (cases, first)) in &families {
        println!("  {family:<12} {first:>3} of {cases:<3} first");
    }
}

fn inputs(dir: &Path) -> Vec<Input> {
    let mut out = Vec::new();
    for (file, role) in [
        ("describe.txt", Role::Auto),
        ("pod.yaml", Role::Auto),
        ("events.txt", Role::Events),
        ("logs.txt", Role::Logs),
        ("nodes.txt", Role::Node),
        ("journal.txt", Role::Journal),
    ] {
        if let Ok(text) = std::fs::read_to_string(dir.join(file)) {
            out.push(Input {
                name: file.to_string(),
                text,
                role,
            });
        }
    }
    out
}
