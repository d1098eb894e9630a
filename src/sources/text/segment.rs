//! Reading one input segment by segment: detect the format at the current line, let its
//! parser consume what it recognises, collect the results. A prompt line starts a new
//! command's output and says what it is about (`kubectl logs web-1 -c app --previous`,
//! `kubectl describe pod web-1 -n shop`). Lines no block parser takes are read one by one
//! ([`loose`](super::loose)); what still says nothing is a bare message, a log, or unplaced.

use super::clean::{Line, indent};
use super::kinds::Becomes;
use super::names::Named;
use super::prompt::Command;
use super::{
    Input, Role, describe_node, describe_pod, events, fragment, journal, logs, pods_table,
};
use crate::evidence::{Container, Controller, Event, JournalEntry, Node, Pod};
use crate::sources::objects::convert::InvolvedObject;
use components::{component, harvest_components, pod_object};
use structured::{looks_like_object, objects, push_fragment, starts_structured};
use unstructured::unstructured;

mod components;
mod other_kinds;
mod split;
mod structured;
mod unstructured;

/// A log text and what it belongs to.
#[derive(Debug, Default)]
pub struct LogPiece {
    pub pod: Option<Named>,
    pub container: Option<String>,
    pub previous: bool,
    pub lines: Vec<String>,
}

/// Everything read from the inputs, before joining.
#[derive(Default)]
pub struct Collected {
    pub pods: Vec<Pod>,
    pub nodes: Vec<Node>,
    /// A whole node list was pasted (`kubectl get nodes`, a NodeList): a node missing from
    /// it is missing from the cluster.
    pub node_list: bool,
    /// Events with the object they name, if they name one.
    pub events: Vec<(Event, Option<InvolvedObject>)>,
    pub logs: Vec<LogPiece>,
    pub journal: Vec<JournalEntry>,
    /// Pods whose deletion the text shows (`pod "x" deleted`).
    pub deleted: Vec<String>,
    /// The text had an events section or table (even an empty one).
    pub had_events: bool,
    /// How many pieces were recognised.
    pub recognised: usize,
    /// Non-blank lines, and those a format parser placed (for the plausibility of the text).
    pub lines_total: usize,
    pub lines_placed: usize,
    /// Lines no parser took: (input name, first such line), and how many.
    pub unplaced: Vec<(String, String)>,
    pub unplaced_count: usize,
    pub notes: Vec<String>,
    /// Replica counts of the pod controllers the text shows.
    pub controllers: Vec<Controller>,
    /// Jobs a `describe job` shows: their CronJob (`Controlled By:`) and completion.
    pub jobs: Vec<crate::evidence::Job>,
    /// Namespaces whose whole pod list the text shows (an inventory; `None`: every
    /// namespace, `-A`).
    pub inventories: Vec<Option<String>>,
    /// The inventories that show every pod's labels (a `get pods` table only with
    /// `--show-labels`): only those say which pods a selector matches.
    pub labelled_inventories: Vec<Option<String>>,
    /// Outputs of kinds that are recognised and not used, by kind.
    pub other_kinds: std::collections::BTreeMap<&'static str, usize>,
    /// Tables whose kind could not be identified.
    pub unknown_outputs: usize,
    /// Services, their endpoints and ServiceAccounts, before joining.
    pub services: super::services::Pieces,
}

/// What the command before a segment said it is about.
#[derive(Clone, Default)]
struct Context {
    command: Option<Command>,
}

impl Context {
    /// The namespace the command named (`-n NS`).
    fn namespace(&self) -> Option<String> {
        self.command.as_ref().and_then(|c| c.namespace.clone())
    }

    /// The kind a `get` or `describe` command asked for, when it is not a pod's (and is
    /// known).
    fn other_kind(&self, verb: &str) -> Option<&'static super::kinds::Kind> {
        let c = self.command.as_ref().filter(|c| c.verb == verb)?;
        let kind = super::kinds::by_name(c.kind.as_deref()?)?;
        (kind.becomes != super::kinds::Becomes::Pod).then_some(kind)
    }

    /// The command lists a whole namespace's pods (or every namespace's): no pod name, no
    /// selector, no filter in a pipe, a namespace named or `-A`.
    fn inventory(&self) -> Option<Option<String>> {
        let c = self.command.as_ref()?;
        let pods = matches!(c.verb.as_str(), "get" | "describe")
            && c.kind.as_deref() == Some("pod")
            && c.names.is_empty()
            && !c.filtered;
        if !pods {
            return None;
        }
        if c.all_namespaces {
            return Some(None);
        }
        c.namespace.clone().map(Some)
    }

    /// The command lists every object of `kind` in a namespace (`Some(None)`: in every
    /// namespace, `-A`): `get` or `describe` of the kind (or of `all`, which includes
    /// Services; `get svc,ep` lists both), no name, no selector, no filter in a pipe, a
    /// namespace named (or the session's) or `-A`.
    fn listing(&self, kind: &super::kinds::Kind) -> Option<Option<String>> {
        let c = self.command.as_ref()?;
        let complete = matches!(c.verb.as_str(), "get" | "describe")
            && c.names.is_empty()
            && !c.filtered
            && matches!(
                c.output.as_deref(),
                None | Some("wide" | "yaml" | "json" | "name")
            );
        if !complete {
            return None;
        }
        let lists = c.kind.as_deref()?.split(',').any(|typed| {
            (typed == "all" && kind.kind == "Service")
                || super::kinds::by_name(typed).is_some_and(|k| k.kind == kind.kind)
        });
        if !lists {
            return None;
        }
        if c.all_namespaces {
            return Some(None);
        }
        c.namespace.clone().map(Some)
    }

    fn pod(&self) -> Option<Named> {
        let c = self.command.as_ref()?;
        Some(Named {
            namespace: c.namespace.clone(),
            name: c.pod()?.to_string(),
            node: None,
        })
    }

    /// Names a pod read without its own `Name:` after the command that printed it.
    fn name(&self, pod: &mut Pod) {
        let Some(n) = self.pod() else {
            return;
        };
        if pod.name.is_empty() {
            pod.name = n.name;
        }
        if pod.namespace.is_empty()
            && let Some(ns) = n.namespace
        {
            pod.namespace = ns;
        }
    }
}

/// Reads one input into `out`.
pub fn read_input(lines: &[Line], input: &Input, out: &mut Collected) {
    let non_blank = lines.iter().filter(|l| !l.text.trim().is_empty()).count();
    out.lines_total += non_blank;
    match input.role {
        Role::Logs | Role::PreviousLogs => read_logs(lines, input.role == Role::PreviousLogs, out),
        Role::Journal => {
            let text: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
            harvest_components(&text, out);
            out.journal.extend(journal::parse(&text.join("\n")));
            out.recognised += 1;
            out.lines_placed += non_blank;
        }
        Role::Auto
            if super::applog::log_share(lines).is_some_and(|s| s >= super::applog::LOG_SHARE) =>
        {
            // A whole input that is an application's log: read as one, never as events.
            read_logs(lines, false, out);
        }
        Role::Auto | Role::Events | Role::Node => split::read_segments(lines, input, out),
    }
}

/// An input that is container logs, in the sections it names.
fn read_logs(lines: &[Line], previous: bool, out: &mut Collected) {
    let text: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
    out.lines_placed += text.iter().filter(|t| !t.trim().is_empty()).count();
    harvest_components(&text, out);
    for section in logs::sections(text) {
        out.logs.push(LogPiece {
            pod: section.pod.map(|name| Named {
                name,
                ..Default::default()
            }),
            container: section.container,
            previous,
            lines: section.lines,
        });
    }
    out.recognised += 1;
}

/// Reads `lines` segment by segment. `default_namespace` is the namespace an earlier
/// `kubectl config set-context --current --namespace=NS` made the default: commands without
/// `-n` or `-A` list that namespace, as kubectl does.
fn read_segments(
    lines: &[Line],
    input: &Input,
    out: &mut Collected,
    mut default_namespace: Option<String>,
) {
    let mut ctx = Context::default();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if let Some(cmd) = &line.command {
            if let Some(ns) = sets_default_namespace(cmd) {
                default_namespace = Some(ns.to_string());
            }
            let mut cmd = cmd.clone();
            if cmd.namespace.is_none() && !cmd.all_namespaces && !cmd.verb.is_empty() {
                cmd.namespace = default_namespace.clone();
            }
            let cmd = &cmd;
            ctx.command = Some(cmd.clone());
            i += 1;
            if !reads_objects(cmd) {
                // `kubectl exec`, `cp`, `rollout`, `apply`...: their output is about the command,
                // not about the state of a pod; it ends at the next prompt, blank line or
                // recognisable output.
                let end = lines[i..]
                    .iter()
                    .position(|l| l.prompt || l.text.trim().is_empty() || starts_output(&l.text))
                    .map_or(lines.len(), |p| i + p);
                out.lines_placed += lines[i..end]
                    .iter()
                    .filter(|l| !l.text.trim().is_empty())
                    .count();
                if matches!(cmd.verb.as_str(), "exec" | "cp") && end > i {
                    note_exec(out);
                }
                out.recognised += 1;
                i = end;
                continue;
            }
            if is_log_command(cmd) {
                // The output of `kubectl logs` is a log, whatever it looks like.
                let end = lines[i..]
                    .iter()
                    .position(|l| l.prompt)
                    .map_or(lines.len(), |p| i + p);
                let mut text: Vec<String> = lines[i..end].iter().map(|l| l.text.clone()).collect();
                harvest_components(&text, out);
                containers_named_by_kubectl(&mut text, ctx.pod(), out);
                out.lines_placed += text.iter().filter(|t| !t.trim().is_empty()).count();
                out.logs.push(LogPiece {
                    pod: ctx.pod(),
                    container: cmd.container.clone(),
                    previous: cmd.previous,
                    lines: text,
                });
                out.recognised += 1;
                i = end;
            }
            continue;
        }
        if line.text.trim().is_empty() {
            i += 1;
            continue;
        }
        let rest = &lines[i..];
        let used = detect_and_parse(rest, input, &ctx, out);
        if used > 0 {
            out.lines_placed += rest[..used]
                .iter()
                .filter(|l| !l.text.trim().is_empty())
                .count();
            i += used;
            continue;
        }
        // Nothing recognised: a run of lines up to the next prompt or structured start,
        // read line by line.
        let end = rest
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, l)| l.prompt || l.text.trim().is_empty() || starts_structured(&l.text))
            .map_or(rest.len(), |(j, _)| j);
        unstructured(&rest[..end], input, &ctx, out);
        i += end.max(1);
    }
}

/// The namespace a `kubectl config` command makes the default, if it sets one.
fn sets_default_namespace(cmd: &Command) -> Option<&str> {
    (cmd.verb == "config").then_some(cmd.namespace.as_deref())?
}

/// kubectl's own lines in front of a log: `Defaulted container "app" out of: app, init-db
/// (init)` names the pod's containers, and which are init containers; they are not log lines.
fn containers_named_by_kubectl(text: &mut Vec<String>, pod: Option<Named>, out: &mut Collected) {
    let Some(i) = text
        .iter()
        .position(|l| l.starts_with("Defaulted container \""))
    else {
        return;
    };
    let line = text.remove(i);
    let Some((_, list)) = line.split_once(" out of: ") else {
        return;
    };
    let mut piece = Pod {
        partial: true,
        ..Default::default()
    };
    if let Some(n) = pod {
        piece.name = n.name;
        piece.namespace = n.namespace.unwrap_or_default();
    }
    for c in list.split(", ") {
        let (name, init) = match c.trim().strip_suffix(" (init)") {
            Some(n) => (n, true),
            None => (c.trim().trim_end_matches(" (ephem)"), false),
        };
        let container = Container {
            name: name.to_string(),
            init,
            ..Default::default()
        };
        if init {
            piece.init_containers.push(container);
        } else {
            piece.containers.push(container);
        }
    }
    out.pods.push(piece);
}

/// Whether a command's output shows objects or logs (what kubedoctor reads); a bare prompt
/// (no command) does too, as the output after it is unknown.
fn reads_objects(cmd: &Command) -> bool {
    cmd.verb.is_empty()
        || matches!(
            cmd.verb.as_str(),
            "describe" | "get" | "logs" | "delete" | "events" | "journalctl" | "crictl" | "docker"
        )
        || cmd.verb.ends_with(" logs")
}

/// An error of `kubectl exec` or `kubectl cp` (the runtime's `OCI runtime exec failed`,
/// kubectl's `command terminated with exit code N`): about the exec, not the pod.
static EXEC_ERROR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(?:OCI runtime exec failed: |command terminated with exit code \d+$|error: unable to upgrade connection: |error: Internal error occurred: error executing command in container: )",
    )
    .expect("valid")
});

/// Said once per run, however many `exec` or `cp` outputs the text holds.
const EXEC_NOTE: &str = "output of `kubectl exec` or `kubectl cp` is about that command, not the pod's state: not used for diagnosis";

fn note_exec(out: &mut Collected) {
    if !out.notes.iter().any(|n| n == EXEC_NOTE) {
        out.notes.push(EXEC_NOTE.to_string());
    }
}

fn is_log_command(cmd: &Command) -> bool {
    matches!(cmd.verb.as_str(), "logs" | "crictl logs" | "docker logs")
}

/// Tries each structured format at the start of `lines`; returns the lines consumed.
fn detect_and_parse(lines: &[Line], input: &Input, ctx: &Context, out: &mut Collected) -> usize {
    let first = lines[0].text.as_str();
    let t = first.trim_start();
    if let Some(cmd) = &ctx.command
        && cmd.verb == "get"
        && cmd.kind.as_deref() == Some("pod")
        && !cmd.custom_columns.is_empty()
    {
        let (pods, used) = super::custom_columns::parse(lines, &cmd.custom_columns);
        if !pods.is_empty() {
            out.pods.extend(pods);
            out.recognised += 1;
            return used;
        }
    }
    if EXEC_ERROR.is_match(t) {
        note_exec(out);
        out.recognised += 1;
        return 1;
    }
    if first.starts_with("Warning: ")
        && ctx
            .command
            .as_ref()
            .is_some_and(|c| matches!(c.verb.as_str(), "get" | "describe"))
    {
        // A warning the API server sent with the answer (`Warning: v1 Endpoints is
        // deprecated in v1.33+; ...`), printed before the output.
        out.recognised += 1;
        return 1;
    }
    if let Some(used) = other_kind_output(lines, ctx, out) {
        return used;
    }
    if let Some(c) = NO_RESOURCES.captures(t.trim_end()) {
        // An empty listing: never a pod; for a pod listing, an inventory of none.
        if let Some(inventory) = ctx.inventory() {
            let named = c.name("ns").map(|m| m.as_str().to_string());
            let inventory = inventory.or(named);
            out.labelled_inventories.push(inventory.clone());
            out.inventories.push(inventory);
        }
        note_listing(ctx, out, None);
        out.recognised += 1;
        return 1;
    }
    if t.starts_with("apiVersion:")
        || t.starts_with("kind:")
        || t.starts_with("items:")
        || t == "---"
        || (t.starts_with('{') && looks_like_object(lines))
    {
        let used = objects(lines, input, ctx, out);
        if used > 0 {
            return used;
        }
    }
    // `kubectl get pod X -o yaml | tail`: the output starts inside the object; read it from
    // its first top-level key.
    let object_output = ctx
        .command
        .as_ref()
        .is_some_and(|c| c.verb == "get" && matches!(c.output.as_deref(), Some("yaml" | "json")));
    if object_output && !fragment::starts(first) && !t.starts_with('{') {
        let head = lines
            .iter()
            .take_while(|l| !l.prompt && !l.text.trim().is_empty())
            .position(|l| fragment::starts(&l.text) && indent(&l.text) == 0);
        if let Some(skip) = head.filter(|s| *s > 0)
            && let Some((value, used)) = fragment::parse(&lines[skip..])
        {
            push_fragment(out, value, ctx);
            return skip + used;
        }
    }
    if fragment::starts(first)
        && let Some((value, used)) = fragment::parse(lines)
        && push_fragment(out, value, ctx)
    {
        return used;
    }
    let node_command = ctx
        .command
        .as_ref()
        .filter(|c| c.verb == "describe" && c.kind.as_deref() == Some("node"));
    let node_key = describe_pod::key_value(first)
        .is_some_and(|(k, _)| describe_node::START_KEYS.contains(&k.as_str()));
    if (indent(first) == 0 && node_key && describe_node::looks_like(lines))
        || (node_command.is_some() && describe_pod::key_value(first).is_some())
        || (input.role == Role::Node && t.starts_with("Conditions:"))
    {
        let (mut node, used) = describe_node::parse(lines);
        if node.name.is_empty()
            && let Some(name) = node_command.and_then(|c| c.names.first())
        {
            node.name = name.clone();
        }
        out.nodes.push(node);
        out.recognised += 1;
        return used;
    }
    // A describe of another kind, known by a key only its describer prints.
    if indent(first) == 0 && first.starts_with("Name:") {
        let keys = other_kinds::describe_keys(lines);
        if let Some(kind) = super::kinds::by_describe_keys(keys.iter().map(String::as_str))
            && !matches!(kind.becomes, Becomes::Pod | Becomes::Node)
        {
            return other_kinds::describe(kind, lines, ctx, out);
        }
    }
    // `kubectl describe pod` output: recognised by its keys, or said by the command that
    // printed it (a fragment cut with `| sed`, `| grep -A`, a first line damaged by the copy).
    let described = ctx
        .command
        .as_ref()
        .is_some_and(|c| c.verb == "describe" && c.kind.as_deref().is_none_or(|k| k == "pod"));
    if input.role != Role::Node
        && (describe_pod::looks_like(lines) || t.starts_with("Events:") || described)
        && (indent(first) > 0
            || first.starts_with("Name:")
            || t.starts_with("Events:")
            || describe_pod::starts_fragment(first)
            || describe_pod::key_value(first).is_some())
    {
        let parsed = describe_pod::parse(lines);
        if parsed.consumed > 0 {
            out.had_events |= parsed.has_events;
            let mut pod = parsed.pod;
            ctx.name(&mut pod);
            out.pods.push(pod);
            // `kubectl describe pods -n NS` describes every pod of the namespace, labels
            // included: an inventory that says what a selector matches.
            if let Some(inventory) = ctx.inventory()
                && out.labelled_inventories.last() != Some(&inventory)
            {
                out.labelled_inventories.push(inventory.clone());
                out.inventories.push(inventory);
            }
            out.recognised += 1;
            return parsed.consumed;
        }
    }
    if let Some(columns) = events::table_header(first) {
        let header = events::Table {
            header_line: first.to_string(),
            columns,
        };
        let mut used = 1;
        for l in &lines[1..] {
            if l.prompt || l.text.trim().is_empty() {
                break;
            }
            match events::table_row(&header, &l.text) {
                Some((e, mut io)) => {
                    // A table without NAMESPACE lists the namespace the command named.
                    if io.namespace.is_empty()
                        && let Some(ns) = ctx.namespace()
                    {
                        io.namespace = ns;
                    }
                    out.events.push((e, Some(io)))
                }
                None if starts_output(&l.text) => break,
                None => {
                    // A wrapped message continues the previous row.
                    if let Some((last, _)) = out.events.last_mut() {
                        last.message.push(' ');
                        last.message.push_str(l.text.trim());
                    }
                }
            }
            used += 1;
        }
        out.had_events = true;
        out.recognised += 1;
        return used;
    }
    if let Some(header) = pods_table::header(first) {
        let (mut pods, used) = pods_table::parse(lines);
        for p in &mut pods {
            if p.namespace.is_empty()
                && let Some(ns) = ctx.namespace()
            {
                p.namespace = ns;
            }
        }
        if let Some(inventory) = ctx.inventory() {
            // A namespace's pods without their labels say nothing of what a selector matches.
            if pods_table::shows_labels(&header) {
                out.labelled_inventories.push(inventory.clone());
            }
            out.inventories.push(inventory);
        }
        out.pods.extend(pods);
        out.recognised += 1;
        return used;
    }
    if super::nodes_table::header(first) {
        let (nodes, used) = super::nodes_table::parse(lines);
        // `kubectl get nodes` lists them all; `get node NAME` only the one.
        let named = ctx.command.as_ref().is_some_and(|c| !c.names.is_empty());
        out.node_list |= !named;
        for n in nodes {
            match out.nodes.iter_mut().find(|x| x.name == n.name) {
                Some(x) if x.conditions.is_empty() => x.conditions = n.conditions,
                Some(_) => {}
                None => out.nodes.push(n),
            }
        }
        out.recognised += 1;
        return used;
    }
    if let Some(kind) = super::kinds::by_header(first)
        && !matches!(kind.becomes, Becomes::Pod | Becomes::Node | Becomes::Event)
    {
        return other_kinds::table(kind, lines, ctx, out);
    }
    if super::kinds::header_words(first).is_some() && lines.len() > 1 {
        return other_kinds::unknown_table(lines, out);
    }
    if events::starts_row(first) {
        // Event rows pasted without the rest of describe; wrapped rows are re-joined and
        // continuation lines extend the message.
        let mut used = 0;
        while used < lines.len() {
            let l = &lines[used];
            if l.prompt || l.text.trim().is_empty() {
                break;
            }
            if let Some((e, n)) = events::wrapped_row(lines[used..].iter().map(|l| l.text.as_str()))
            {
                push_row_event(out, e, ctx, &l.text);
                used += n;
                continue;
            }
            if starts_output(&l.text) {
                break;
            }
            match out.events.last_mut() {
                Some((last, _)) if !events::starts_row(&l.text) => {
                    last.message.push(' ');
                    last.message.push_str(l.text.trim());
                    used += 1;
                }
                _ => break,
            }
        }
        if used == 0 {
            return 0;
        }
        out.had_events = true;
        out.recognised += 1;
        return used;
    }
    if journal::is_journal_line(first) {
        let used = lines
            .iter()
            .take_while(|l| {
                !l.prompt && (journal::is_journal_line(&l.text) || l.text.starts_with("-- "))
            })
            .count();
        let text: Vec<String> = lines[..used].iter().map(|l| l.text.clone()).collect();
        harvest_components(&text, out);
        out.journal.extend(journal::parse(&text.join("\n")));
        out.recognised += 1;
        return used;
    }
    0
}

/// A line that starts another output, which ends a run of event rows (a paste that begins
/// inside a describe's Events table resynchronises at the next object).
fn starts_output(line: &str) -> bool {
    structured::starts_structured(line)
        || (indent(line) == 0
            && (describe_pod::key_value(line).is_some()
                || super::kinds::header_words(line).is_some()))
}

/// `No resources found in shop namespace.` (kubectl's answer to an empty listing).
static NO_RESOURCES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^No resources found(?: in (?P<ns>\S+) namespace)?\.?$").expect("valid")
});

/// An output the command says is of another kind than pods, nodes and events (`kubectl get
/// svc`, `kubectl describe deploy web`): read by its kind's reader; `None` for pods, nodes,
/// events, objects as YAML or JSON, and commands that name no known kind.
fn other_kind_output(lines: &[Line], ctx: &Context, out: &mut Collected) -> Option<usize> {
    let first = lines[0].text.as_str();
    let other = |k: &super::kinds::Kind| {
        !matches!(k.becomes, Becomes::Pod | Becomes::Node | Becomes::Event)
    };
    if let Some(kind) = ctx.other_kind("get").filter(|k| other(k)) {
        let output = ctx.command.as_ref().and_then(|c| c.output.as_deref());
        if matches!(output, Some(o) if o.starts_with("yaml") || o.starts_with("json")) {
            return None;
        }
        // Rows without their header (`--no-headers`, `| grep`) of a Service, its endpoints or
        // a ServiceAccount are read in the columns kubectl prints.
        let rows = other_kinds::is_service_kind(kind)
            && !NO_RESOURCES.is_match(first.trim())
            && first.split_whitespace().count() > 1;
        if super::kinds::header_words(first).is_none() && !first.contains('/') && !rows {
            return None;
        }
        return Some(other_kinds::table(kind, lines, ctx, out));
    }
    let kind = ctx.other_kind("describe").filter(|k| other(k))?;
    Some(other_kinds::describe(kind, lines, ctx, out))
}

/// The kinds of Services, their endpoints and ServiceAccounts.
const SERVICE_KINDS: &[&str] = &["Service", "Endpoints", "EndpointSlice", "ServiceAccount"];

/// Records that the command listed every Service, Endpoints, EndpointSlice or ServiceAccount
/// of a namespace, when it did (see [`Context::listing`]) and the output shows that kind
/// (`shown`) or none (`None`: an empty listing).
fn note_listing(ctx: &Context, out: &mut Collected, shown: Option<&str>) {
    for name in SERVICE_KINDS {
        if shown.is_some_and(|s| s != *name) {
            continue;
        }
        if let Some(kind) = super::kinds::by_kind(name)
            && let Some(listing) = ctx.listing(kind)
        {
            out.services.listed(name, listing);
        }
    }
}

/// An event read from a row: about the command's pod when the row names no object.
fn push_event(out: &mut Collected, event: Event, ctx: &Context) {
    push_row_event(out, event, ctx, "");
}

/// An event read from a row; a NAMESPACE column in front of the row (`get events -A` with
/// its header cut off) names the namespace, else the command's `-n`.
fn push_row_event(out: &mut Collected, event: Event, ctx: &Context, line: &str) {
    let namespace = events::leading_namespace(line)
        .or_else(|| ctx.namespace())
        .unwrap_or_default();
    let io = events::involved(&event, &namespace).or_else(|| ctx.pod().map(|n| pod_object(&n)));
    out.events.push((event, io));
}
