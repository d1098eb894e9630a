//! Shell prompts in a paste: which line is a command someone typed, and what it asked for.
//!
//! A paste often holds several commands with their output (`$ kubectl get pods`, then
//! `$ kubectl describe pod web-1 -n shop`, then `$ kubectl logs web-1 --previous`). A prompt
//! line ends the previous command's output, and its command says what the next output is
//! about: the pod and namespace of a `describe` that shows no `Name:`, the container and
//! instance of a `logs`.

use regex::Regex;
use std::sync::LazyLock;

/// What may stand before a command: nothing, or a prompt (`$`, `#`, `%`, `>`, `❯`,
/// `user@host:~$`, `[root@host ~]#`, `PS C:\>`, `\#` as Markdown escapes it), then `sudo`,
/// and the wrappers that run kubectl (`minikube kubectl --`, `microk8s`, `k3s`).
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\S.*?[$#%>❯»➜→λ]\s*|[$#%>❯»➜→λ~]\s*.*?\s|\(\S+\)\s*[$#%>❯➜]\s*)?(?:sudo\s+(?:-E\s+)?)?(?:(?:minikube|microk8s|k3s)\s+)?$",
    )
    .expect("valid prompt regex")
});

/// A Kubernetes CLI and its arguments, from where the CLI words start.
static COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<cli>kubectl(?:\.exe)?|kubecolor|oc|k|microk8s\.kubectl|journalctl|crictl|docker)\s+(?P<args>(?:describe|get|logs|delete|events|alpha\s+events|exec|cp|top|rollout|apply|scale|edit|patch|create|run|port-forward|config|-[-\w]).*)$",
    )
    .expect("valid command regex")
});

/// What a command asked for (only what tells its output apart).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// `describe`, `get`, `logs`, `delete`, `events`, or the program for `journalctl`/`crictl`/`docker`.
    pub verb: String,
    /// The resource kind as typed, lower case and singular where kubectl accepts it
    /// (`pod`, `node`, `event`, `deployment`).
    pub kind: Option<String>,
    /// Names given after the kind (`pod web-1`, `pod/web-1`).
    pub names: Vec<String>,
    pub namespace: Option<String>,
    /// `-c NAME` of `kubectl logs`.
    pub container: Option<String>,
    /// `-p` / `--previous` of `kubectl logs`.
    pub previous: bool,
    /// `-o custom-columns=NAME:.metadata.name,...`: each column's header and JSON path.
    pub custom_columns: Vec<(String, String)>,
    /// The `-o` format (`yaml`, `json`, `wide`).
    pub output: Option<String>,
    /// `-A`: every namespace.
    pub all_namespaces: bool,
    /// The output shows only some of what the command lists: a label or field selector, or
    /// a pipe into `grep`, `head`, `tail`, `awk`, `sed`.
    pub filtered: bool,
}

impl Command {
    /// The one pod the command is about, when it names exactly one.
    pub fn pod(&self) -> Option<&str> {
        let pod_kind = self.kind.as_deref().is_none_or(|k| k == "pod") || self.verb == "logs";
        (pod_kind && self.names.len() == 1).then(|| self.names[0].as_str())
    }
}

/// A prompt with nothing typed after it (`➜  ~`, `[root@node ~]#`, `user@host:~$`): the
/// previous command's output ends there.
static EMPTY_PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[$#%❯»➜λ]|\[\S+@\S+[^\]]*\][$#]|\S+@\S+:\S*[$#]|➜\s+\S+|PS [A-Z]:\\[^>]*>)\s*$",
    )
    .expect("valid")
});

/// What every command line has: a CLI name then a verb or a flag. Checked first, without
/// the prompt's lazy prefix, so that the lines of a long paste that are no command (nearly
/// all) cost one linear scan.
static CLI_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:kubectl(?:\.exe)?|kubecolor|oc|k|microk8s\.kubectl|journalctl|crictl|docker)\s+(?:describe|get|logs|delete|events|alpha|exec|cp|top|rollout|apply|scale|edit|patch|create|run|port-forward|config|-)",
    )
    .expect("valid")
});

/// Parses a prompt line; `None` when the line is not a command someone typed.
pub fn parse(line: &str) -> Option<Command> {
    let t = line.trim_start();
    if t.len() > 400 {
        return None;
    }
    // An empty prompt ends with its prompt character or shows the arrow.
    let empty_shape = t
        .trim_end()
        .ends_with(['$', '#', '%', '❯', '»', '➜', 'λ', '>'])
        || t.contains('➜');
    if empty_shape && EMPTY_PROMPT.is_match(t.trim_end()) {
        return Some(Command::default());
    }
    // The CLI and its arguments where the CLI words start; what stands before them must be
    // a prompt (checked on those few characters, not the whole line).
    let start = CLI_WORDS.find(t)?.start();
    if !PREFIX.is_match(&t[..start]) {
        return None;
    }
    let c = COMMAND.captures(&t[start..])?;
    let cli = c.name("cli").map_or("", |m| m.as_str());
    // The command ends at a pipe or a redirection.
    let args = c["args"].split(['|', '>', ';']).next().unwrap_or_default();
    let piped = c["args"].split('|').skip(1).any(|p| {
        p.split_whitespace()
            .next()
            .is_some_and(|f| matches!(f, "grep" | "egrep" | "head" | "tail" | "awk" | "sed" | "rg"))
    });
    let mut words = args.split_whitespace().peekable();
    let mut cmd = Command::default();
    match cli {
        "journalctl" | "crictl" | "docker" => {
            cmd.verb = cli.to_string();
            if let Some(v) = words.peek()
                && *v == "logs"
            {
                cmd.verb = format!("{cli} logs");
            }
            return Some(cmd);
        }
        _ => {}
    }
    let mut positional = Vec::new();
    cmd.filtered = piped;
    while let Some(w) = words.next() {
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if w.starts_with('-') => (f, Some(v.to_string())),
            _ => (w, None),
        };
        let mut value =
            |inline: Option<String>| inline.or_else(|| words.next().map(str::to_string));
        match flag {
            "-n" | "--namespace" => cmd.namespace = value(inline),
            "-c" | "--container" => cmd.container = value(inline),
            "-p" | "--previous" => cmd.previous = inline.is_none_or(|v| v != "false"),
            "-A" | "--all-namespaces" => cmd.all_namespaces = true,
            "-w" | "--watch" | "-f" | "--follow" | "--force" => {}
            "-l" | "--selector" | "--field-selector" => {
                cmd.filtered = true;
                value(inline);
            }
            // Flags that take a value: skip it.
            "-o" | "--output" => {
                let v = value(inline);
                cmd.output = v.clone();
                if let Some(spec) = v.as_deref().and_then(|v| v.strip_prefix("custom-columns=")) {
                    cmd.custom_columns = spec
                        .split(',')
                        .filter_map(|c| {
                            let (h, p) = c.split_once(':')?;
                            Some((h.to_string(), p.to_string()))
                        })
                        .collect();
                }
            }
            "--tail" | "--since" | "--context" | "--kubeconfig" | "--sort-by"
            | "--grace-period" | "--since-time" | "-u" | "--unit" | "--limit-bytes"
            | "--request-timeout" => {
                value(inline);
            }
            f if f.starts_with('-') => {}
            _ => positional.push(w.to_string()),
        }
    }
    let mut positional = positional.into_iter();
    let Some(verb) = positional.next() else {
        return Some(cmd);
    };
    cmd.verb = if verb == "alpha" {
        positional.next().unwrap_or_default()
    } else {
        verb
    };
    let rest: Vec<String> = positional.collect();
    // A synopsis (`kubectl logs [OPTIONS] (POD | TYPE/NAME)` in a man page or a README) is
    // no command someone typed: names are DNS names.
    let reads = matches!(
        cmd.verb.as_str(),
        "get" | "describe" | "logs" | "delete" | "events"
    );
    if reads
        && rest
            .iter()
            .any(|w| !is_name(w.rsplit('/').next().unwrap_or(w)))
    {
        return None;
    }
    if cmd.verb == "logs" {
        // `kubectl logs POD [CONTAINER]` or `kubectl logs pod/POD`.
        let mut it = rest.into_iter();
        if let Some(first) = it.next() {
            let name = first
                .split_once('/')
                .map_or(first.clone(), |(_, n)| n.to_string());
            cmd.names.push(name);
        }
        if cmd.container.is_none() {
            cmd.container = it.next();
        }
        cmd.kind = Some("pod".into());
        return Some(cmd);
    }
    let mut it = rest.into_iter();
    if let Some(first) = it.next() {
        match first.split_once('/') {
            Some((kind, name)) => {
                cmd.kind = Some(singular(kind));
                cmd.names.push(name.to_string());
            }
            None => cmd.kind = Some(singular(&first)),
        }
    }
    for w in it {
        match w.split_once('/') {
            Some((_, name)) => cmd.names.push(name.to_string()),
            None => cmd.names.push(w),
        }
    }
    Some(cmd)
}

/// A Kubernetes object name (a DNS subdomain, lower case), or a kind with its group.
fn is_name(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.,".contains(&b))
}

/// `pods`, `po` -> `pod`; `svc` -> `service`: the singular of every kind in the
/// [`kinds`](super::kinds) table; kinds with a group (`pods.v1.`) lose it; unknown kinds
/// stay as typed, in lower case.
fn singular(kind: &str) -> String {
    match super::kinds::by_name(kind) {
        Some(k) => k.names[0].to_string(),
        None => kind.split('.').next().unwrap_or(kind).to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_with_every_prompt_style() {
        let c = parse("$ kubectl describe pod web-1 -n shop").unwrap();
        assert_eq!(
            (c.verb.as_str(), c.pod(), c.namespace.as_deref()),
            ("describe", Some("web-1"), Some("shop"))
        );
        let c = parse("user@host:~/src (main)$ k logs api-7d9c -c app --previous | tail").unwrap();
        assert_eq!(
            (c.verb.as_str(), c.pod(), c.container.as_deref(), c.previous),
            ("logs", Some("api-7d9c"), Some("app"), true)
        );
        let c = parse("❯ k -n kube-system get pod coredns-abc -o yaml").unwrap();
        assert_eq!(
            (c.verb.as_str(), c.pod(), c.namespace.as_deref()),
            ("get", Some("coredns-abc"), Some("kube-system"))
        );
        let c = parse(r"\# kubectl get pod dash-1 -n kube-system").unwrap();
        assert_eq!(c.pod(), Some("dash-1"));
        let c = parse(r"PS C:\Users\me> kubectl describe po/web-2 --namespace=prod").unwrap();
        assert_eq!(
            (c.pod(), c.namespace.as_deref()),
            (Some("web-2"), Some("prod"))
        );
        let c = parse("[admin@bastion ~]# oc get pods").unwrap();
        assert_eq!((c.verb.as_str(), c.kind.as_deref()), ("get", Some("pod")));
        let c = parse("kubectl logs deploy/web -p").unwrap();
        assert!(c.previous);
        let c = parse("$ journalctl -u kubelet --since -1h").unwrap();
        assert_eq!(c.verb, "journalctl");
        let c = parse("$ kubectl get pods -A -o custom-columns=NAME:.metadata.name,MSG:.status.message --no-headers").unwrap();
        assert_eq!(
            c.custom_columns,
            vec![
                ("NAME".to_string(), ".metadata.name".to_string()),
                ("MSG".to_string(), ".status.message".to_string())
            ]
        );
        let c = parse("➜  ~ k get po -n crm").unwrap();
        assert_eq!(
            (c.verb.as_str(), c.namespace.as_deref()),
            ("get", Some("crm"))
        );
        assert_eq!(parse("➜  ~").unwrap(), Command::default());
        assert_eq!(parse("[admin@bastion ~]#").unwrap(), Command::default());
        assert!(parse("Name:             web-1").is_none());
        // A synopsis in a man page is not a command someone typed.
        assert!(
            parse("kubectl logs [OPTIONS] [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]").is_none()
        );
        let c = parse("$ kubectl get pods,svc -n shop").unwrap();
        assert_eq!(c.namespace.as_deref(), Some("shop"));
        assert!(parse("  Warning  Failed  2s  kubelet  Error: ErrImagePull").is_none());
        assert!(parse("Events: kubectl would show").is_none());
    }
}
