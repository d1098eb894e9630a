//! What `kubectl cluster-info dump` prints to stdout, from a file or standard input: told
//! from pasted text by its first document ([`looks_like_stream`]), then read a piece at a
//! time ([`Splitter`]): each List decoded as it ends, each log block kept as a bounded tail.
//! A document the input ends inside keeps its complete items, with a note.

use super::Dump;
use super::split::{Piece, Splitter};
use crate::sources::SourceError;
use crate::sources::objects::{convert, decode_items, json, parse_list_with, services, stream};
use crate::sources::read::DEFAULT_TAIL_BYTES;
use k8s_openapi::api::apps::v1::ReplicaSet;
use std::collections::BTreeSet;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// How much of the input is looked at to recognise a dump.
const SNIFF_BYTES: usize = 64 * 1024;

/// The `kind` a JSON document declares before its `items` (kubectl prints a typed List's
/// `kind` first), if it does within `head`.
fn head_kind(head: &str) -> Option<&str> {
    let before_items = head.find("\"items\"").map_or(head, |i| &head[..i]);
    let at = before_items.find("\"kind\"")?;
    let rest = before_items[at + "\"kind\"".len()..].trim_start();
    let rest = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
    rest.split_once('"').map(|(kind, _)| kind)
}

/// Whether text starts as `kubectl cluster-info dump` output: a JSON document declaring
/// itself a `NodeList` (`kubectl get nodes -o json` prints a `List`, with `kind` after its
/// items).
pub fn looks_like_stream(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(SNIFF_BYTES)]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with('{') && head_kind(text) == Some("NodeList")
}

/// A `--from` input after a look at its start.
pub enum Sniffed {
    /// A dump, to read with [`read_stream`].
    Dump {
        path: PathBuf,
        input: Box<dyn BufRead + Send>,
    },
    /// Anything else; for standard input, the bytes already taken from it.
    Text(Vec<u8>),
}

/// Looks at the start of a file (or standard input, `-`) to tell a dump from text. A file
/// that cannot be opened is `Text`: the text reader says why.
pub fn sniff(path: &Path) -> Sniffed {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if path == Path::new("-") {
        let mut stdin = std::io::stdin();
        if (&mut stdin)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .is_err()
            || !looks_like_stream(&head)
        {
            return Sniffed::Text(head);
        }
        let input = std::io::Cursor::new(head).chain(stdin);
        return Sniffed::Dump {
            path: path.to_path_buf(),
            input: Box::new(std::io::BufReader::with_capacity(1 << 20, input)),
        };
    }
    let Ok(file) = std::fs::File::open(path) else {
        return Sniffed::Text(Vec::new());
    };
    if path.is_dir()
        || (&file)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .is_err()
        || !looks_like_stream(&head)
    {
        return Sniffed::Text(Vec::new());
    }
    let input = std::io::Cursor::new(head).chain(file);
    Sniffed::Dump {
        path: path.to_path_buf(),
        input: Box::new(std::io::BufReader::with_capacity(1 << 20, input)),
    }
}

/// One namespace of the stream: its Lists run from its `EventList` to its pods' logs, and
/// name it only in their items.
#[derive(Default)]
struct Group {
    names: BTreeSet<String>,
    pods_whole: bool,
    services_whole: bool,
}

impl Group {
    /// The namespace's lists are complete where they were read whole.
    fn close(self, dump: &mut Dump) {
        for ns in self.names {
            if self.pods_whole {
                dump.pods_listed.add(ns.clone());
            }
            if self.services_whole {
                dump.services_listed.add(ns.clone());
            }
            dump.namespaces.insert(ns);
        }
    }
}

/// Reads a dump printed to stdout (see [`sniff`]) into evidence.
pub fn read_stream(
    input: impl BufRead,
    path: &Path,
) -> Result<crate::evidence::Evidence, SourceError> {
    let location = path.display().to_string();
    let mut dump = Dump::default();
    let mut group: Option<Group> = None;
    let mut strays = 0usize;
    let mut first_stray = None;
    for piece in Splitter::new(input, DEFAULT_TAIL_BYTES) {
        match piece {
            Ok(Piece::Json(text)) => document(&mut dump, &mut group, &location, &text, false),
            Ok(Piece::TruncatedJson(text)) => {
                document(&mut dump, &mut group, &location, &text, true)
            }
            Ok(Piece::Log(block)) => dump.add_log(&location, block),
            Ok(Piece::Stray(line)) => {
                strays += 1;
                first_stray.get_or_insert(line);
            }
            Err(e) => {
                dump.notes.push(format!(
                    "`{location}`: reading stopped: {e}; what came before was read"
                ));
                break;
            }
        }
    }
    if let Some(g) = group.take() {
        g.close(&mut dump);
    }
    if let Some(line) = first_stray {
        let line: String = line.chars().take(80).collect();
        dump.notes.push(format!(
            "`{location}`: {} neither JSON nor a log block and not used; the first: {line:?}",
            crate::words::count(strays as u64, "line is", "lines are")
        ));
    }
    dump.finish(path)
}

/// One JSON document of the stream, by the kind it declares.
fn document(
    dump: &mut Dump,
    group: &mut Option<Group>,
    location: &str,
    text: &str,
    truncated: bool,
) {
    let kind = head_kind(&text[..text.len().min(SNIFF_BYTES)]).unwrap_or_default();
    let mut notes = Vec::new();
    if kind == "EventList" {
        // Each namespace starts with its events.
        if let Some(g) = group.replace(Group::default()) {
            g.close(dump);
        }
        dump.namespace_count += 1;
    }
    let g = group.get_or_insert_with(Group::default);
    match kind {
        "NodeList" => {
            let (nodes, _) = items(text, truncated, "Node", &mut notes, json(convert::node));
            dump.nodes.get_or_insert_with(Vec::new).extend(nodes);
        }
        "EventList" => {
            let (events, _) = items(text, truncated, "Event", &mut notes, convert::decode_event);
            dump.events.extend(events);
            dump.events_read = true;
        }
        "PodList" => {
            let (pods, whole) = items(text, truncated, "Pod", &mut notes, json(convert::pod));
            g.names.extend(pods.iter().map(|p| p.namespace.clone()));
            g.pods_whole = whole;
            dump.pods.extend(pods);
        }
        "ServiceList" => {
            let (svcs, whole) = items(
                text,
                truncated,
                "Service",
                &mut notes,
                json(services::service),
            );
            g.names.extend(svcs.iter().map(|s| s.namespace.clone()));
            g.services_whole = whole;
            dump.services.extend(svcs);
        }
        "ReplicaSetList" => {
            let (rs, _) = items(
                text,
                truncated,
                "ReplicaSet",
                &mut notes,
                json(|rs: ReplicaSet| rs),
            );
            dump.replicasets.extend(rs);
        }
        // Not read: a diagnosis reaches owners through ReplicaSets.
        "DeploymentList" | "DaemonSetList" | "ReplicationControllerList" => {
            if truncated {
                notes.push("the input ends inside it (cut off?)".to_string());
            }
        }
        other => notes.push(format!(
            "a JSON document of kind `{}` is not part of a dump; skipped",
            if other.is_empty() { "?" } else { other }
        )),
    }
    for n in notes {
        let what = if kind.is_empty() { "a document" } else { kind };
        dump.notes.push(format!("`{location}`: {what}: {n}"));
    }
}

/// The items of one List document, decoded with `decode`, and whether all were read. A
/// document the input ended inside keeps the items that are complete.
fn items<U: Send>(
    text: &str,
    truncated: bool,
    kind: &str,
    notes: &mut Vec<String>,
    decode: impl Fn(&str) -> serde_json::Result<U> + Sync,
) -> (Vec<U>, bool) {
    let api_version = if kind == "ReplicaSet" {
        "apps/v1"
    } else {
        "v1"
    };
    if !truncated {
        return match parse_list_with(text, api_version, kind, &decode) {
            Ok((ok, bad)) => {
                let whole = bad.is_empty();
                notes.extend(bad.into_iter().map(|b| format!("{kind} {b}; skipped")));
                (ok, whole)
            }
            Err(e) => {
                notes.push(format!("skipped: {e}"));
                (Vec::new(), false)
            }
        };
    }
    let mut out = Vec::new();
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let ended = stream::for_each_batch(
        text.as_bytes(),
        stream::BLOCK,
        workers,
        |batch, first| decode_items(batch, first, &decode),
        |(ok, bad)| {
            out.extend(ok);
            notes.extend(bad.into_iter().map(|b| format!("{kind} {b}; skipped")));
        },
    );
    notes.push(match ended {
        Ok(stream::Ended::Complete | stream::Ended::Truncated) => format!(
            "the input ends inside this list (cut off?): kept {} before the cut, the rest is lost",
            crate::words::count(out.len() as u64, "item", "items")
        ),
        Ok(stream::Ended::NotAList) => {
            "the input ends inside it (cut off?) before its items: skipped".to_string()
        }
        Err(e) => format!("skipped: {e}"),
    });
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dump_is_told_from_a_node_list_and_from_text() {
        assert!(looks_like_stream(
            b"{\n    \"kind\": \"NodeList\",\n    \"apiVersion\": \"v1\",\n    \"items\": ["
        ));
        // `kubectl get nodes -o json`: a List whose `kind` follows its items.
        assert!(!looks_like_stream(
            b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [{\"kind\": \"NodeList\"}],\n    \"kind\": \"List\"\n}"
        ));
        assert!(!looks_like_stream(b"Name: web-1\nNamespace: shop\n"));
        assert!(!looks_like_stream(b""));
    }

    #[test]
    fn a_list_cut_off_keeps_its_whole_items_and_says_so() {
        let pod = |name: &str| {
            format!(
                "{{\"metadata\": {{\"name\": \"{name}\", \"namespace\": \"shop\"}}, \
                 \"spec\": {{\"containers\": [{{\"name\": \"app\"}}]}}, \"status\": {{\"phase\": \"Pending\"}}}}"
            )
        };
        let text = format!(
            "{{\"kind\": \"NodeList\", \"items\": []}}\n{{\"kind\": \"EventList\", \"items\": []}}\n\
             {{\"kind\": \"PodList\", \"items\": [\n{},\n{}",
            pod("web-1"),
            pod("web-2")
        );
        let cut = &text[..text.len() - 10];
        let ev = read_stream(cut.as_bytes(), Path::new("cut.dump")).unwrap();
        let names: Vec<&str> = ev.pods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["web-1"]);
        assert!(
            ev.notes.iter().any(|n| n.contains(
                "PodList: the input ends inside this list (cut off?): kept 1 item before the cut"
            )),
            "{:?}",
            ev.notes
        );
        // Its namespace's pods are not known to be complete.
        assert!(!ev.pods_listed.covers("shop"));
    }
}
