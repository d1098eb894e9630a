//! Removing what was wrapped around pasted output, so the format parsers see plain kubectl,
//! kubelet or container text:
//!
//! - box frames of terminal UIs (k9s: `┌── Describe(ns/pod) ──┐`, `│ Name: x │`) and
//!   Markdown tables (`| NAME | READY |`, whose cells become columns);
//! - quote markers (`> `, `>> `) of e-mail and Markdown replies;
//! - line numbers (`212:` from `grep -n`, ` 12: ` or `12 | ` from editors) and bullets
//!   (`* ` from `minikube logs`);
//! - elision marks (`...`, `[...]`, `<snip>`);
//! - a paste that is one escaped string (`"Name: x\nNamespace: y"`, `\"` for quotes).
//!
//! Common indentation is removed per command output later, once prompts are known.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Undecorates the lines of one input.
pub fn undecorate(lines: Vec<String>) -> Vec<String> {
    let lines = inline_code(lines);
    let lines = frames(lines);
    let lines = strip_run(lines, &QUOTE);
    let lines = strip_numbers(lines);
    let lines = strip_run(lines, &BULLET);
    lines.into_iter().filter(|l| !is_elision(l)).collect()
}

/// Markdown inline code: a line that is one backticked span is its content; a span of
/// several words inside prose (`a pod row`) becomes a line of its own after it.
fn inline_code(lines: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        // Markdown bold inside cells and messages (`**Pending**`).
        let l = if l.contains("**") {
            l.replace("**", "")
        } else {
            l
        };
        let t = l.trim();
        if t.matches('`').count() < 2 || t.starts_with("```") {
            out.push(l);
            continue;
        }
        if t.starts_with('`') && t.ends_with('`') && t.matches('`').count() == 2 {
            out.push(t[1..t.len() - 1].trim_end().to_string());
            continue;
        }
        // A span of output (a table row keeps its runs of spaces); a command mentioned in
        // prose (`kubectl logs ...`) is not one.
        let spans: Vec<&str> = t
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| s.split_whitespace().count() >= 3 && s.trim().contains("  "))
            .collect();
        out.push(l.clone());
        out.extend(spans.into_iter().map(|s| s.trim().to_string()));
    }
    out
}

static QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:>[ ]?)+").expect("valid quote regex"));
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[*•][ ]+").expect("valid bullet regex"));

/// Strips a prefix from the lines that have it, when a third of the non-blank lines have it
/// or where two or more lines in a row have it (one `> kubectl get pods` line is a prompt,
/// not a quote).
fn strip_run(lines: Vec<String>, prefix: &Regex) -> Vec<String> {
    let non_blank = lines.iter().filter(|l| !l.trim().is_empty()).count();
    let has: Vec<bool> = lines.iter().map(|l| prefix.is_match(l)).collect();
    let with = has.iter().filter(|h| **h).count();
    let everywhere = with >= 2 && with * 3 >= non_blank;
    let in_run =
        |i: usize| has[i] && ((i > 0 && has[i - 1]) || has.get(i + 1).copied().unwrap_or(false));
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| match prefix.find(&l) {
            Some(m) if everywhere || in_run(i) => l[m.end()..].to_string(),
            _ => l,
        })
        .collect()
}

/// `212:text`, ` 12: text`, `12 | text`; not a time (`08:41:17`) or a port.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,7})(?::|\s*\|)(?:\s|$|[^\d\s])").expect("valid"));

/// Line numbers: stripped when they run upward over most of the lines.
fn strip_numbers(lines: Vec<String>) -> Vec<String> {
    let non_blank = lines.iter().filter(|l| !l.trim().is_empty()).count();
    let mut last: Option<u64> = None;
    let mut rising = 0;
    for l in &lines {
        let Some(c) = NUMBER.captures(l) else {
            continue;
        };
        // Only the digits before the mark: `08:41:17` is a time, not line 8.
        let rest = &l[c.get(1).map_or(0, |m| m.end())..];
        if rest.starts_with(':') && rest[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        let n: u64 = c[1].parse().unwrap_or(0);
        if last.is_none_or(|p| n > p) {
            rising += 1;
        }
        last = Some(n);
    }
    if rising < 2 || rising * 2 < non_blank {
        return lines;
    }
    lines
        .into_iter()
        .map(|l| match NUMBER.captures(&l) {
            Some(c) => {
                let end = c.get(1).map_or(0, |m| m.end());
                let rest = l[end..].trim_start_matches(':').trim_start();
                let rest = rest.strip_prefix('|').unwrap_or(rest);
                rest.strip_prefix(' ').unwrap_or(rest).to_string()
            }
            None => l,
        })
        .collect()
}

const BOX_VERTICAL: &[char] = &['│', '┃', '║', '┆', '┊', '╎'];
const BOX_HORIZONTAL: &[char] = &[
    '─', '━', '═', '┌', '┐', '└', '┘', '├', '┤', '┬', '┴', '┼', '╭', '╮', '╰', '╯', '╔', '╗', '╚',
    '╝', '╠', '╣', '╦', '╩', '╬', '┏', '┓', '┗', '┛', '┣', '┫',
];

/// Terminal-UI frames and Markdown tables.
fn frames(lines: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let t = l.trim();
        // A frame line (`┌──── Pods(default)[3] ────┐`, `|---|:--:|`): its title, if any,
        // names what the frame shows; keep it as a line of its own.
        if t.starts_with(BOX_HORIZONTAL) || t.ends_with(BOX_HORIZONTAL) {
            let title: String = t
                .trim_matches(|c: char| BOX_HORIZONTAL.contains(&c) || c == ' ')
                .to_string();
            if !title.is_empty() && !title.contains(BOX_HORIZONTAL) {
                out.push(frame_title(&title));
            }
            continue;
        }
        if is_markdown_rule(t) {
            continue;
        }
        let framed = t.starts_with(BOX_VERTICAL) || t.ends_with(BOX_VERTICAL);
        let table =
            t.len() > 2 && t.starts_with('|') && t.ends_with('|') && t.matches('|').count() >= 3;
        if framed {
            let inner = t.trim_matches(|c: char| BOX_VERTICAL.contains(&c));
            // Keep the inner indentation (describe nesting), minus the frame's padding.
            let inner = inner.strip_prefix(' ').unwrap_or(inner);
            out.push(inner.trim_end().to_string());
        } else if table {
            let cells: Vec<&str> = t[1..t.len() - 1].split('|').map(str::trim).collect();
            out.push(cells.join("   "));
        } else {
            out.push(l);
        }
    }
    out
}

/// `Describe(shop/web-1)` -> a line the describe reader knows: `Name: web-1` is not
/// enough without the namespace, so the title becomes a comment-like identity line.
fn frame_title(title: &str) -> String {
    static TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:Describe|Logs|YAML)\((?P<ns>[\w.-]+)/(?P<name>[\w.-]+)(?::(?P<c>[\w.-]+))?\)",
        )
        .expect("valid")
    });
    let t = title.trim();
    match TITLE.captures(t) {
        Some(c) if t.starts_with("Logs") => {
            let container = c
                .name("c")
                .map_or(String::new(), |m| format!(" -c {}", m.as_str()));
            format!("$ kubectl logs {} -n {}{container}", &c["name"], &c["ns"])
        }
        Some(c) if t.starts_with("YAML") => {
            format!("$ kubectl get pod {} -n {} -o yaml", &c["name"], &c["ns"])
        }
        Some(c) => format!("$ kubectl describe pod {} -n {}", &c["name"], &c["ns"]),
        None => String::new(),
    }
}

fn is_markdown_rule(t: &str) -> bool {
    t.len() >= 3
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '+'))
        && (t.contains('|') || t.contains('+'))
}

/// `...`, `[...]`, `<snip>`, `(truncated)`: a cut the person made.
fn is_elision(line: &str) -> bool {
    let t = line.trim();
    matches!(
        t.to_ascii_lowercase().as_str(),
        "..."
            | "…"
            | "[...]"
            | "(...)"
            | "<...>"
            | "<snip>"
            | "[snip]"
            | "(snip)"
            | "snip"
            | "[truncated]"
            | "(truncated)"
            | "<truncated>"
            | "---8<---"
            | "--- 8< ---"
            | "[…]"
            | "...."
    )
}

/// A paste that is one escaped string: literal `\n` between lines and `\"` for quotes
/// (copied from JSON or a log aggregator), with few real line breaks.
pub fn unescape_string_paste(text: &str) -> Cow<'_, str> {
    let real_lines = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(4)
        .count();
    if real_lines > 3 || text.matches("\\n").take(2).count() < 2 {
        return Cow::Borrowed(text);
    }
    let t = text.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(t);
    let mut out = String::with_capacity(t.len());
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => {}
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        undecorate(text.lines().map(str::to_string).collect())
    }

    #[test]
    fn quote_markers_bullets_and_line_numbers() {
        assert_eq!(
            lines("> Events:\n>   Type  Reason\n> \n>   Warning  Failed"),
            vec!["Events:", "  Type  Reason", "", "  Warning  Failed"]
        );
        assert_eq!(
            lines("* E0108 a.go:1] x\n* E0108 a.go:2] y"),
            vec!["E0108 a.go:1] x", "E0108 a.go:2] y"]
        );
        assert_eq!(
            lines("212:I0212 07:31:05.2 1 f.go:88] a\n215:I0212 07:32:35.2 1 f.go:88] b"),
            vec![
                "I0212 07:31:05.2 1 f.go:88] a",
                "I0212 07:32:35.2 1 f.go:88] b"
            ]
        );
        // Times and a single quoted prompt are left alone.
        assert_eq!(
            lines("08:41:17 node kubelet: a\n08:41:18 node kubelet: b"),
            vec!["08:41:17 node kubelet: a", "08:41:18 node kubelet: b"]
        );
        assert_eq!(
            lines("> kubectl get pods\nNAME"),
            vec!["> kubectl get pods", "NAME"]
        );
        assert_eq!(lines("a\n...\n[...]\nb"), vec!["a", "b"]);
    }

    #[test]
    fn inline_code_spans() {
        assert_eq!(
            lines(
                "`2025-02-11T09:41:02Z ERROR boom      `\nstuck: `web-1   0/1   Pending   0   2m` since"
            ),
            vec![
                "2025-02-11T09:41:02Z ERROR boom",
                "stuck: `web-1   0/1   Pending   0   2m` since",
                "web-1   0/1   Pending   0   2m"
            ]
        );
    }

    #[test]
    fn frames_and_tables() {
        let k9s = "┌──────────── Describe(shop/web-1) ────────────┐\n│Name:         web-1                          │\n│  State:      Waiting                        │\n└──────────────────────────────────────────────┘";
        assert_eq!(
            lines(k9s),
            vec![
                "$ kubectl describe pod web-1 -n shop",
                "Name:         web-1",
                " State:      Waiting"
            ]
        );
        assert_eq!(
            lines("| NAME | READY | STATUS |\n|---|---|---|\n| web-1 | 0/1 | Pending |"),
            vec!["NAME   READY   STATUS", "web-1   0/1   Pending"]
        );
    }

    #[test]
    fn escaped_string_pastes() {
        assert_eq!(
            unescape_string_paste(r#""Name: x\nStatus: \"Pending\"\nNode: n""#),
            "Name: x\nStatus: \"Pending\"\nNode: n"
        );
        assert_eq!(unescape_string_paste("a\nb"), "a\nb");
    }
}
