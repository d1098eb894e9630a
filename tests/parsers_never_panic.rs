//! Property tests: no input makes a text parser (or the engine after it) panic, and every
//! call returns. Inputs are arbitrary text and mutations of real inputs (the text corpus
//! and rendered samples): truncation, lines deleted, duplicated or swapped, bytes replaced,
//! formats spliced together.
//!
//! `PROPTEST_CASES=100000 cargo test --release --test parsers_never_panic` runs them long;
//! without it, 256 cases each (proptest's default). Inputs that once failed live in `tests/corpus/` and are
//! replayed by `corpus_inputs_stay_fixed`.

use kubedoctor::engine::diagnose;
use kubedoctor::playbook::Playbooks;
use kubedoctor::sources::objects::parse_list_document;
use kubedoctor::sources::text::services::{self, Pieces};
use kubedoctor::sources::text::{self, Input, Role, describe_node, describe_pod, events, journal};
use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;

static DIGITS: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new("[0-9]+").unwrap());

/// Lines of every kubectl, kubelet and runtime format with number slots `{a}` and `{b}`.
const NUMBERED: &[&str] = &[
    "    Restart Count:  {a}",
    "      Exit Code:    {a}",
    "      Signal:       {a}",
    "  Warning  BackOff  {a}m (x{b} over {a}d)  kubelet  Back-off restarting failed container",
    "  Warning  Failed   {a}s                  kubelet  Error: ErrImagePull",
    "{a}s   Warning   BackOff   pod/web-1   Back-off restarting failed container",
    "web-1   {a}/{b}   Running   {a} ({b}s ago)   {a}y{b}d",
    "web-1   0/1   Init:{a}/{b}   0   {a}m",
    "Status:  Terminating (lasts {a}h{b}m)",
    "Start Time:  Mon, {a} Jan {b} 00:00:00 +0000",
    "      Started:      Thu, 20 Nov 2026 10:{a}:{b} +0000",
    "      memory:  {a}Mi",
    "      cpu:     {a}m",
    "    Ready:          {a}",
    "E{a} 11:59:34.{b}    8691 kubelet.go:{a}] \"msg\" err=\"x\"",
    "Nov {a} 10:00:00 node-1 kubelet[{b}]: E1120 10:00:00.000000 {b} pod_workers.go:1301] \"Error syncing pod\"",
    "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"p\"},\"status\":{\"containerStatuses\":[{\"name\":\"c\",\"restartCount\":{a},\"lastState\":{\"terminated\":{\"exitCode\":{b}}}}]}}]}",
    "  Normal   Pulled  {a}s  kubelet  Successfully pulled image \"x\" in {a}.{b}s ({b}ms including waiting). Image size: {a} bytes.",
    "0/{a} nodes are available: {b} Insufficient cpu, {a} node(s) had untolerated taint {x: y}.",
    "web   NodePort   10.96.{a}.{b}   <none>   {a}:{b}/TCP,{b}/UDP   2d   app=web",
    "Port:   http  {a}/TCP",
    "TargetPort:   {b}/TCP",
    "NodePort:   http  {b}/TCP",
    "Endpoints:   10.244.{a}.5:{b},[fd00::{a}]:{b} + {a} more...",
    "web   10.244.1.5:{a},10.244.1.6:{b} + {a} more...   3d",
    "web-x2k4p   IPv4   {a},{b} + {b} more...   10.0.0.{a} + {b} more...   3d",
    "    Ports:  {a}/TCP (http), {b}/UDP",
    "    http  {a}  TCP",
];

static PLAYBOOKS: LazyLock<Playbooks> = LazyLock::new(|| Playbooks::embedded().unwrap());

/// Every text file of the text corpus: seeds for mutation.
static SEEDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/text-cases");
    let mut seeds = Vec::new();
    for dir in std::fs::read_dir(root).unwrap().flatten() {
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            if f.file_name() != "case.yaml" {
                seeds.push(std::fs::read_to_string(f.path()).unwrap_or_default());
            }
        }
    }
    seeds.sort();
    seeds
});

/// Runs every parser and the engine over one input; panics are the failure.
fn exercise(text_in: &str) {
    let lines = text::clean::clean(text_in);
    let _ = describe_pod::looks_like(&lines);
    let _ = describe_pod::parse(&lines);
    let _ = describe_node::looks_like(&lines);
    let _ = describe_node::parse(&lines);
    for l in &lines {
        let _ = events::describe_row(&l.text);
        let _ = events::table_header(&l.text);
    }
    let _ = services::describe::service(&lines);
    let _ = services::describe_endpoints::endpoints(&lines);
    let _ = services::describe_endpoints::slice(&lines);
    if let Some((head, rows)) = lines.split_first() {
        let header: Vec<&str> = head.text.split_whitespace().collect();
        for kind in ["Service", "Endpoints", "EndpointSlice", "ServiceAccount"] {
            let mut pieces = Pieces::default();
            services::table::read(kind, &header, rows, Some("shop"), &mut pieces);
            services::table::names(kind, rows, Some("shop"), &mut pieces);
        }
    }
    let _ = journal::parse(text_in);
    let _ = parse_list_document(text_in);
    for role in [
        Role::Auto,
        Role::Events,
        Role::Node,
        Role::Logs,
        Role::Journal,
    ] {
        let inputs = [Input {
            name: "fuzz".into(),
            text: text_in.to_string(),
            role,
        }];
        if let Ok(evidence) = text::read(&inputs) {
            let _ = diagnose(&evidence, &PLAYBOOKS);
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    ReplaceByte(usize, u8),
    Splice(usize, usize),
    Indent(usize, usize),
    /// Replaces the n-th run of digits with a generated number (huge, negative, long).
    Number(usize, String),
}

/// Numbers at and past the limits of every integer type, long digit runs and decimals.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,80}",
        "-[0-9]{1,40}",
        "[0-9]{1,30}\\.[0-9]{1,30}",
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i32>().prop_map(|n| n.to_string()),
        Just(u128::MAX.to_string()),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::ReplaceByte(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Splice(a, b)),
        (any::<usize>(), 0usize..40).prop_map(|(a, b)| Mutation::Indent(a, b)),
        (any::<usize>(), number()).prop_map(|(a, n)| Mutation::Number(a, n)),
    ]
}

fn mutate(seed: &str, muts: &[Mutation]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for m in muts {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let n = lines.len().max(1);
        match m {
            Mutation::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
            Mutation::ReplaceByte(at, b) if !bytes.is_empty() => {
                let i = at % bytes.len();
                bytes[i] = *b;
            }
            Mutation::ReplaceByte(..) => {}
            Mutation::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i % n);
                bytes = lines.join("\n").into_bytes();
            }
            Mutation::DuplicateLine(i) if !lines.is_empty() => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
                bytes = lines.join("\n").into_bytes();
            }
            Mutation::SwapLines(a, b) if !lines.is_empty() => {
                lines.swap(a % n, b % n);
                bytes = lines.join("\n").into_bytes();
            }
            Mutation::Splice(other, at) => {
                let other = &SEEDS[other % SEEDS.len()];
                let at = at % (lines.len() + 1);
                lines.splice(at..at, other.lines().map(str::to_string));
                bytes = lines.join("\n").into_bytes();
            }
            Mutation::Indent(i, w) if !lines.is_empty() => {
                let i = i % n;
                lines[i] = format!("{}{}", " ".repeat(*w), lines[i].trim_start());
                bytes = lines.join("\n").into_bytes();
            }
            Mutation::Number(i, n) => {
                let runs: Vec<_> = DIGITS.find_iter(&text).collect();
                if !runs.is_empty() {
                    let r = runs[i % runs.len()].range();
                    let mut t = text.clone();
                    t.replace_range(r, n);
                    bytes = t.into_bytes();
                }
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    // proptest's default: 256 cases, or `PROPTEST_CASES` when set.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        exercise(&s);
    }

    #[test]
    fn kubectl_shaped_noise_never_panics(
        lines in prop::collection::vec(
            prop_oneof![
                Just("Name:   x".to_string()),
                Just("Events:".to_string()),
                Just("  Warning  Failed  3m (x".to_string()),
                Just("    State:  Terminated".to_string()),
                Just("      Exit Code:  notanumber".to_string()),
                Just("LAST SEEN   TYPE   REASON   OBJECT   MESSAGE".to_string()),
                Just("NAME  READY  STATUS  RESTARTS  AGE".to_string()),
                Just("apiVersion: v1".to_string()),
                Just("{\"items\": [".to_string()),
                Just("E0507 11:59:34.926448    8691 x.go:1] \"m\"".to_string()),
                Just("$ kubectl logs x --previous".to_string()),
                Just("$ kubectl get svc,ep -n shop -o wide".to_string()),
                Just("NAME   TYPE   CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   SELECTOR".to_string()),
                Just("NAME   ENDPOINTS   AGE".to_string()),
                Just("NAME   ADDRESSTYPE   PORTS   ENDPOINTS   AGE".to_string()),
                Just("Warning: v1 Endpoints is deprecated in v1.33+".to_string()),
                Just("TargetPort:  http/TCP".to_string()),
                Just("Endpoints:  10.0.0.1:80 + 1 more...".to_string()),
                Just("Subsets:".to_string()),
                Just("  - Addresses:  10.0.0.1".to_string()),
                Just("AddressType:  IPv4".to_string()),
                Just("    Environment:".to_string()),
                Just("      A:  b (v1:metadata.name)".to_string()),
                // Numbers at and past the limits of their types.
                Just("    Restart Count:  2147483647".to_string()),
                Just("    Restart Count:  99999999999999999999".to_string()),
                Just("      Exit Code:    -2147483648".to_string()),
                Just("  Warning  BackOff  99999999999999y (x2147483647 over 99999999999999y)  kubelet  Back-off restarting failed container".to_string()),
                Just("web-1   1/1   Running   2147483647 (99999999999999y ago)   99999999999999y".to_string()),
                Just("Status:  Terminating (lasts 99999999999999y)".to_string()),
                Just("Start Time:  Mon, 01 Jan 99999 00:00:00 +0000".to_string()),
                "\\PC{0,60}",
            ],
            0..40,
        )
    ) {
        exercise(&lines.join("\n"));
    }

    /// Every numeric field of every format, filled with long digit runs and huge numbers.
    #[test]
    fn huge_numbers_never_panic(
        lines in prop::collection::vec((0..NUMBERED.len(), number(), number()), 1..30)
    ) {
        let text: Vec<String> = lines
            .iter()
            .map(|(i, a, b)| NUMBERED[*i].replace("{a}", a).replace("{b}", b))
            .collect();
        exercise(&format!("Name:  web-1\nNamespace:  shop\n{}", text.join("\n")));
    }

    #[test]
    fn mutated_real_inputs_never_panic(seed in 0usize..1000, muts in prop::collection::vec(mutation(), 1..6)) {
        let seed = &SEEDS[seed % SEEDS.len()];
        exercise(&mutate(seed, &muts));
    }
}

/// Inputs that once made a parser fail, kept as regression tests.
#[test]
fn corpus_inputs_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut n = 0;
    for f in std::fs::read_dir(root).unwrap().flatten() {
        let text = String::from_utf8_lossy(&std::fs::read(f.path()).unwrap()).into_owned();
        exercise(&text);
        n += 1;
    }
    assert!(n > 0, "the corpus is empty");
}
