//! Normalising pasted text before any parser sees it, in two passes.
//!
//! Per line: ANSI colors, CRLF, byte-order marks, non-breaking and zero-width spaces, tabs,
//! HTML entities (`&quot;`, `&gt;`), Markdown fences. Then [`undecorate`] removes what a
//! chat client, a ticket or a terminal UI wrapped around the output (quote markers, box
//! frames, line numbers, bullets, Markdown tables, common indentation, escaped strings).
//! Prompt lines are kept, with the command they ran, as segment boundaries.

use super::prompt::{self, Command};
use super::undecorate;
use regex::Regex;
use std::sync::LazyLock;

static ANSI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07").expect("valid ANSI regex")
});

/// One line of cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// A shell prompt with a command: output of another command starts after it.
    pub prompt: bool,
    /// The command of a prompt line.
    pub command: Option<Command>,
}

impl Line {
    /// A plain output line.
    pub fn output(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            prompt: false,
            command: None,
        }
    }
}

/// Cleans pasted text into lines.
pub fn clean(text: &str) -> Vec<Line> {
    let text = ANSI.replace_all(text, "");
    let text = undecorate::unescape_string_paste(text.trim_start_matches('\u{feff}'));
    let raw: Vec<String> = text
        .lines()
        .map(normalise_line)
        .filter(|l| !is_fence(l))
        .collect();
    let raw = super::unflatten::expand(raw);
    let mut lines = read_prompts(undecorate::undecorate(raw));
    dedent_outputs(&mut lines);
    lines
}

/// Lines below which one thread looks for prompts in them all.
const LINES_PER_THREAD: usize = 8192;

/// Each line with the command its prompt typed, if it is a prompt line. Lines are
/// independent: a long text is shared out over two threads.
fn read_prompts(texts: Vec<String>) -> Vec<Line> {
    let line = |text: String| {
        let command = prompt::parse(&text);
        Line {
            prompt: command.is_some(),
            command,
            text,
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if texts.len() < 2 * LINES_PER_THREAD || cores < 2 {
        return texts.into_iter().map(line).collect();
    }
    let mut first = texts;
    let later = first.split_off(first.len() / 2);
    let (mut lines, rest) = std::thread::scope(|s| {
        let worker = s.spawn(|| later.into_iter().map(line).collect::<Vec<_>>());
        let lines: Vec<Line> = first.into_iter().map(line).collect();
        (lines, worker.join())
    });
    match rest {
        Ok(rest) => lines.extend(rest),
        Err(panic) => std::panic::resume_unwind(panic),
    }
    lines
}

/// Removes the indentation every line of one command's output shares (a chat client or a
/// Markdown code block indents the whole paste).
fn dedent_outputs(lines: &mut [Line]) {
    for block in lines.split_mut(|l| l.prompt) {
        let common = block
            .iter()
            .filter(|l| !l.text.trim().is_empty())
            .map(|l| indent(&l.text))
            .min()
            .unwrap_or(0);
        if common == 0 {
            continue;
        }
        for l in block.iter_mut() {
            l.text = l.text.get(common..).unwrap_or("").to_string();
        }
    }
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// One line: CR, tabs, odd spaces and HTML entities.
fn normalise_line(line: &str) -> String {
    // Nearly every line is plain ASCII with nothing to replace.
    if line.is_ascii() && !line.contains(['\t', '&']) {
        return line.trim_end().to_string();
    }
    let mut s: String = line
        .trim_end_matches('\r')
        .chars()
        .filter(|c| !matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}'))
        .map(|c| match c {
            '\u{00a0}' | '\u{2007}' | '\u{202f}' => ' ',
            other => other,
        })
        .collect();
    if s.contains('\t') {
        s = s.replace('\t', "    ");
    }
    if s.contains('&') {
        s = decode_entities(&s);
    }
    s.trim_end().to_string()
}

/// The HTML entities that appear when a paste went through a web page.
fn decode_entities(s: &str) -> String {
    const ENTITIES: &[(&str, &str)] = &[
        ("&quot;", "\""),
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&apos;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&nbsp;", " "),
        ("&amp;", "&"),
    ];
    let mut out = s.to_string();
    for (from, to) in ENTITIES {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// Indentation of a line, in spaces.
pub fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_shared_out_over_threads_reads_as_one() {
        let texts: Vec<String> = (0..3 * LINES_PER_THREAD)
            .map(|i| match i % 7 {
                0 => format!("$ kubectl logs web-{i} -n shop --previous"),
                3 => "➜  ~".to_string(),
                _ => format!("web-{i}   1/1   Running   0   2d"),
            })
            .collect();
        let one: Vec<Line> = texts
            .iter()
            .map(|t| {
                let command = prompt::parse(t);
                Line {
                    prompt: command.is_some(),
                    command,
                    text: t.clone(),
                }
            })
            .collect();
        let shared = read_prompts(texts);
        assert_eq!(shared.len(), one.len());
        assert!(shared == one, "the same lines, in the same order");
        assert!(
            shared[(3 * LINES_PER_THREAD - 1) / 7 * 7].prompt,
            "a prompt in the later half"
        );
    }

    #[test]
    fn strips_ansi_crlf_fences_entities_and_marks_prompts() {
        let lines = clean(
            "```\r\n$ kubectl describe pod x\r\n\x1b[31mName:\x1b[0m\tx\r\nMessage: &quot;a&quot; &gt; b\n```\n",
        );
        assert_eq!(lines.len(), 3);
        assert!(lines[0].prompt);
        assert_eq!(lines[0].command.as_ref().unwrap().pod(), Some("x"));
        assert_eq!(lines[1].text, "Name:    x");
        assert!(!lines[1].prompt);
        assert_eq!(lines[2].text, "Message: \"a\" > b");
        let prompt = |l: &str| clean(l)[0].prompt;
        assert!(prompt(
            "dev@workstation ~/notebooks (fix-gpu-request)$ k describe pod -n team-a x-0 | tail"
        ));
        assert!(prompt("> ~ k describe pods gateway-7x2kq -n ingress"));
        assert!(prompt("kubectl describe pod web-7d9c5b8f6-x2k4p"));
        assert!(prompt("$ oc --context lab -n jobs get pods -l app=x"));
        assert!(!prompt("Name:             web-1"));
        assert!(!prompt(
            "  Warning  Failed  2s  kubelet  Error: ErrImagePull"
        ));
    }
}
