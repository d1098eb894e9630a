//! A long paste read in two halves at once. A terminal session is a run of commands, each
//! output read on its own: at a prompt line the reader starts afresh from that command
//! (only the namespace a `kubectl config set-context` made the default carries over). So a
//! long text splits at the prompt nearest its middle, each half is read on its own thread,
//! and the later half's results are appended as if read after the first — the same
//! evidence, in the same order, as one reader gives.
//!
//! The one state a reader looks back at is the nodes already read (a `get nodes` row fills
//! the conditions of a node read before it): when both halves read nodes, the later half is
//! read again after the first, as one reader would.

use super::{Collected, EXEC_NOTE, Line, sets_default_namespace};
use crate::sources::text::Input;

/// Lines below which one thread reads the whole text (a thread costs more than it saves).
const LINES_TO_SPLIT: usize = 8192;

/// Reads `lines` segment by segment, in two halves at once when the text is long.
pub(super) fn read_segments(lines: &[Line], input: &Input, out: &mut Collected) {
    read_split_from(lines, input, out, LINES_TO_SPLIT);
}

fn read_split_from(lines: &[Line], input: &Input, out: &mut Collected, min_lines: usize) {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let at = (lines.len() >= min_lines && cores > 1)
        .then(|| split_point(lines))
        .flatten();
    let Some(at) = at else {
        super::read_segments(lines, input, out, None);
        return;
    };
    let (first, later) = lines.split_at(at);
    let default_namespace = first
        .iter()
        .filter_map(|l| l.command.as_ref())
        .filter_map(sets_default_namespace)
        .next_back()
        .map(str::to_string);
    let read_later = std::thread::scope(|s| {
        let ns = default_namespace.clone();
        let worker = s.spawn(move || {
            let mut c = Collected::default();
            super::read_segments(later, input, &mut c, ns);
            c
        });
        super::read_segments(first, input, out, None);
        worker.join()
    });
    match read_later {
        Ok(c) if out.nodes.is_empty() || c.nodes.is_empty() => out.append(c),
        // Nodes in both halves (or a panic, which reading again reports as one reader would).
        _ => super::read_segments(later, input, out, default_namespace),
    }
}

/// The prompt line nearest the middle of `lines` (not the first line), if any.
fn split_point(lines: &[Line]) -> Option<usize> {
    let mid = lines.len() / 2;
    let after = lines[mid..].iter().position(|l| l.prompt).map(|p| mid + p);
    let before = lines[1..mid].iter().rposition(|l| l.prompt).map(|p| p + 1);
    match (before, after) {
        (Some(b), Some(a)) if mid - b < a - mid => Some(b),
        (_, Some(a)) => Some(a),
        (b, None) => b,
    }
}

impl Collected {
    /// Appends what a later part of the same input produced, as one reader would have
    /// collected it (the later part read no nodes, or this one none). Every field is named:
    /// a field added to [`Collected`] does not compile until it is appended here.
    fn append(&mut self, later: Collected) {
        let Collected {
            pods,
            nodes,
            node_list,
            events,
            logs,
            journal,
            deleted,
            had_events,
            recognised,
            lines_total,
            lines_placed,
            unplaced,
            unplaced_count,
            notes,
            controllers,
            jobs,
            inventories,
            labelled_inventories,
            other_kinds,
            unknown_outputs,
            services,
        } = later;
        self.pods.extend(pods);
        self.nodes.extend(nodes);
        self.node_list |= node_list;
        self.events.extend(events);
        self.logs.extend(logs);
        self.journal.extend(journal);
        self.deleted.extend(deleted);
        self.had_events |= had_events;
        self.recognised += recognised;
        self.lines_total += lines_total;
        self.lines_placed += lines_placed;
        for (name, line) in unplaced {
            // The first line no parser took, per input.
            if !self.unplaced.iter().any(|(n, _)| *n == name) {
                self.unplaced.push((name, line));
            }
        }
        self.unplaced_count += unplaced_count;
        for note in notes {
            if note != EXEC_NOTE || !self.notes.iter().any(|n| n == EXEC_NOTE) {
                self.notes.push(note);
            }
        }
        self.controllers.extend(controllers);
        self.jobs.extend(jobs);
        self.inventories.extend(inventories);
        self.labelled_inventories.extend(labelled_inventories);
        for (kind, n) in other_kinds {
            *self.other_kinds.entry(kind).or_default() += n;
        }
        self.unknown_outputs += unknown_outputs;
        self.services.append(services);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::text::{Role, clean};

    fn input(text: &str) -> Input {
        Input {
            name: "session.txt".into(),
            text: text.into(),
            role: Role::Auto,
        }
    }

    /// Every field of what was read, in order (pieces of evidence are compared by their
    /// debug form: the comparison must see every field, including those added later).
    fn read(text: &str, min_lines: usize) -> String {
        let lines = clean::clean(text);
        let mut out = Collected::default();
        read_split_from(&lines, &input(text), &mut out, min_lines);
        let c = out;
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{} {} {} {} {} {}\n{:?}\n{:?}\n{:?} {:?}\n{:?} {:?}\n{:?}\n{:?} {}\n{:?}\n{:?}\n{:?}",
            c.pods,
            c.nodes,
            c.events,
            c.logs,
            c.journal,
            c.node_list,
            c.had_events,
            c.recognised,
            c.lines_total,
            c.lines_placed,
            c.unplaced_count,
            c.unplaced,
            c.notes,
            c.controllers,
            c.jobs,
            c.inventories,
            c.labelled_inventories,
            c.deleted,
            c.other_kinds,
            c.unknown_outputs,
            c.services.services,
            c.services.endpoints,
            (
                &c.services.accounts,
                &c.services.outputs,
                &c.services.services_listed,
                &c.services.accounts_listed,
                &c.services.endpoints_listed
            ),
        )
    }

    /// A session of many kinds of output, with a default namespace set in the first half
    /// that the second half's commands rely on.
    fn session() -> String {
        let mut s = String::from(
            "$ kubectl config set-context --current --namespace=shop\nContext \"dev\" modified.\n",
        );
        for i in 0..6 {
            s.push_str(&format!(
                "$ kubectl get pods --show-labels
NAME                   READY   STATUS             RESTARTS      AGE   LABELS
web-7d9c5b8f6-x{i:04}   1/1     Running            0             2d    app=web
api-6f7b9c8d4-m{i:04}   0/1     CrashLoopBackOff   7 (40s ago)   15m   app=api
$ kubectl get svc -n team-{i}
NAME   TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)    AGE
api    ClusterIP   10.96.30.7    <none>        8080/TCP   15m
$ kubectl get endpoints -n team-{i}
NAME   ENDPOINTS         AGE
api    10.244.1.7:8080   15m
$ kubectl get events -n team-{i}
LAST SEEN   TYPE      REASON    OBJECT                      MESSAGE
2m          Warning   BackOff   pod/api-6f7b9c8d4-m{i:04}   Back-off restarting failed container api in pod api-6f7b9c8d4-m{i:04}_team-{i}(1c2d3e4f-aaaa-bbbb-cccc-1234567890ab)
$ kubectl exec web-7d9c5b8f6-x{i:04} -- ls /nope
command terminated with exit code 2
$ kubectl logs api-6f7b9c8d4-m{i:04} -n team-{i} --previous
2026-12-07T10:00:01Z ERROR config: required environment variable DATABASE_URL is not set
$ kubectl get nodes
NAME       STATUS     ROLES    AGE   VERSION
worker-{i}   NotReady   <none>   9d    v1.33.1
some words no parser reads {i}
"
            ));
        }
        s
    }

    #[test]
    fn two_halves_read_what_one_reader_reads() {
        let text = session();
        let lines = clean::clean(&text);
        let at = split_point(&lines).expect("a prompt near the middle");
        assert!(at > 1 && at < lines.len() - 1);
        // Nodes in both halves: the later half is read again after the first.
        assert_eq!(read(&text, 1), read(&text, usize::MAX));
        // Nodes in neither half: the halves' results are appended.
        let no_nodes: String = text
            .split("$ kubectl get nodes\n")
            .map(|part| part.split_once("v1.33.1\n").map_or(part, |(_, rest)| rest))
            .collect();
        assert!(!no_nodes.contains("NotReady"));
        let split = read(&no_nodes, 1);
        assert_eq!(split, read(&no_nodes, usize::MAX));
        assert!(split.contains("team-5") && split.contains("[Some(\"shop\")"));
    }

    #[test]
    fn text_without_a_prompt_is_read_whole() {
        let lines = clean::clean("NAME READY STATUS RESTARTS AGE\nweb-1 1/1 Running 0 1d\n");
        assert_eq!(split_point(&lines), None);
    }
}
