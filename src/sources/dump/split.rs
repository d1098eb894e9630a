//! Cuts what `kubectl cluster-info dump` prints into its pieces: JSON documents (each a
//! List, one after another) and container logs between `==== START logs for container C of
//! pod NS/P ====` and `==== END logs for container C of pod NS/P ====` lines. It reads a line
//! at a time, so a stream of any size is held one document (and one log tail) at a time.
//! A `logs.txt` of the `--output-directory` form is the same log blocks alone.

use std::io::BufRead;

/// One piece of a dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A whole JSON document.
    Json(String),
    /// A JSON document the input ended inside (a cut-off dump): its text so far.
    TruncatedJson(String),
    /// One container's log block.
    Log(LogBlock),
    /// A line that is neither (kept for a note: the first of them).
    Stray(String),
}

/// The text between a container's START and END lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogBlock {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// The log's last `max_bytes` at most, from a line boundary.
    pub text: String,
    /// Bytes before `text` that were dropped.
    pub skipped_bytes: u64,
    /// The END line was found (false: the input ended inside the log).
    pub ended: bool,
}

const START: &str = "==== START logs for container ";
const END: &str = "==== END logs for container ";
const OF_POD: &str = " of pod ";
const MARK_TAIL: &str = " ====";

/// `(container, namespace, pod)` of a START (or END, with `END`) line.
fn marker<'a>(line: &'a str, lead: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let rest = line.strip_prefix(lead)?.strip_suffix(MARK_TAIL)?;
    // Names never hold spaces: the container is the first word, the pod `NS/P` the last.
    let (container, pod) = rest.split_once(OF_POD)?;
    let (namespace, pod) = pod.split_once('/')?;
    (!container.is_empty() && !namespace.is_empty() && !pod.is_empty())
        .then_some((container, namespace, pod))
}

/// Tracks where a JSON document ends: the depth of its brackets outside strings.
#[derive(Default)]
struct Depth {
    depth: usize,
    in_string: bool,
    escape: bool,
}

impl Depth {
    /// Scans `bytes`; the position just after the byte that closes the document, if one does.
    fn scan(&mut self, bytes: &[u8]) -> Option<usize> {
        for (i, &b) in bytes.iter().enumerate() {
            if self.in_string {
                if self.escape {
                    self.escape = false;
                } else if b == b'\\' {
                    self.escape = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

/// The pieces of a dump, in order.
pub struct Splitter<R> {
    input: R,
    /// Bytes read but not yet used (what followed a document's closing bracket on its line).
    pending: Vec<u8>,
    /// How much of each log is kept (its tail).
    max_log_bytes: usize,
}

impl<R: BufRead> Splitter<R> {
    pub fn new(input: R, max_log_bytes: u64) -> Splitter<R> {
        Splitter {
            input,
            pending: Vec::new(),
            max_log_bytes: usize::try_from(max_log_bytes).unwrap_or(usize::MAX),
        }
    }

    /// The next line with its end, or `None` at the end of the input.
    fn line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        if !self.pending.is_empty() {
            let mut line = std::mem::take(&mut self.pending);
            if !line.ends_with(b"\n") {
                self.input.read_until(b'\n', &mut line)?;
            }
            return Ok(Some(line));
        }
        let mut line = Vec::new();
        let n = self.input.read_until(b'\n', &mut line)?;
        Ok((n > 0).then_some(line))
    }

    fn json(&mut self, first: Vec<u8>) -> std::io::Result<Piece> {
        let mut depth = Depth::default();
        let mut doc = Vec::new();
        let mut line = first;
        loop {
            if let Some(end) = depth.scan(&line) {
                doc.extend_from_slice(&line[..end]);
                let rest = &line[end..];
                if !rest.iter().all(u8::is_ascii_whitespace) {
                    self.pending = rest.to_vec();
                }
                return Ok(Piece::Json(lossy(doc)));
            }
            doc.extend_from_slice(&line);
            match self.line()? {
                Some(l) => line = l,
                None => return Ok(Piece::TruncatedJson(lossy(doc))),
            }
        }
    }

    fn log(&mut self, container: &str, namespace: &str, pod: &str) -> std::io::Result<Piece> {
        let end_mark = format!("{END}{container}{OF_POD}{namespace}/{pod}{MARK_TAIL}");
        let mut text: Vec<u8> = Vec::new();
        let mut skipped: u64 = 0;
        let mut ended = false;
        while let Some(line) = self.line()? {
            let trimmed = trim_end(&line);
            // A log without a final line end has the END line glued to its last line.
            if trimmed.ends_with(end_mark.as_bytes()) {
                text.extend_from_slice(&trimmed[..trimmed.len() - end_mark.len()]);
                ended = true;
                break;
            }
            text.extend_from_slice(&line);
            // Keep a bounded tail: drop whole lines from the front when twice over.
            if text.len() > self.max_log_bytes.saturating_mul(2) {
                skipped += drop_front(&mut text, self.max_log_bytes);
            }
        }
        if text.len() > self.max_log_bytes {
            skipped += drop_front(&mut text, self.max_log_bytes);
        }
        Ok(Piece::Log(LogBlock {
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            container: container.to_string(),
            text: lossy(text),
            skipped_bytes: skipped,
            ended,
        }))
    }
}

impl<R: BufRead> Iterator for Splitter<R> {
    type Item = std::io::Result<Piece>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = match self.line() {
                Ok(Some(l)) => l,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            let text = String::from_utf8_lossy(trim_end(&line));
            let text = text.trim_start_matches('\u{feff}');
            if text.trim().is_empty() {
                continue;
            }
            if text.trim_start().starts_with('{') {
                return Some(self.json(line));
            }
            if let Some((container, namespace, pod)) = marker(text, START) {
                let (c, n, p) = (
                    container.to_string(),
                    namespace.to_string(),
                    pod.to_string(),
                );
                return Some(self.log(&c, &n, &p));
            }
            return Some(Ok(Piece::Stray(text.to_string())));
        }
    }
}

/// Drops whole lines from the front of `text` until at most `keep` bytes remain; the number
/// of bytes dropped.
fn drop_front(text: &mut Vec<u8>, keep: usize) -> u64 {
    let over = text.len().saturating_sub(keep);
    let cut = match memchr::memchr(b'\n', &text[over..]) {
        Some(p) => over + p + 1,
        None => text.len(),
    };
    text.drain(..cut);
    cut as u64
}

fn trim_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, max: u64) -> Vec<Piece> {
        Splitter::new(text.as_bytes(), max)
            .collect::<std::io::Result<_>>()
            .unwrap()
    }

    fn block(c: &str, text: &str, skipped: u64, ended: bool) -> Piece {
        Piece::Log(LogBlock {
            namespace: "shop".into(),
            pod: "web-1".into(),
            container: c.into(),
            text: text.into(),
            skipped_bytes: skipped,
            ended,
        })
    }

    #[test]
    fn documents_and_log_blocks_come_apart() {
        let nodes = "{\n    \"kind\": \"NodeList\",\n    \"items\": [{\"a\": \"}{\\\"\"}]\n}";
        let pods = "{\n    \"kind\": \"PodList\",\n    \"items\": []\n}";
        let text = format!(
            "{nodes}\n{pods}\n{START}init of pod shop/web-1{MARK_TAIL}\n\
             ==== END logs for container app of pod shop/web-1 ====\n\
             {END}init of pod shop/web-1{MARK_TAIL}\n\
             {START}app of pod shop/web-1{MARK_TAIL}\nlast line without an end\
             {END}app of pod shop/web-1{MARK_TAIL}\nstray\n"
        );
        assert_eq!(
            pieces(&text, 1024),
            [
                Piece::Json(nodes.into()),
                Piece::Json(pods.into()),
                // Another container's END line inside a log is log text.
                block(
                    "init",
                    "==== END logs for container app of pod shop/web-1 ====\n",
                    0,
                    true
                ),
                block("app", "last line without an end", 0, true),
                Piece::Stray("stray".into()),
            ]
        );
    }

    #[test]
    fn a_truncated_document_is_returned_as_such() {
        let text = "{\"kind\": \"PodList\", \"items\": [\n  {\"metadata\": {\"name\": \"a\"}},\n  {\"metadata\": {\"na";
        assert_eq!(pieces(text, 1024), [Piece::TruncatedJson(text.into())]);
        // A log cut off before its END line keeps what it has.
        let text = format!("{START}app of pod shop/web-1{MARK_TAIL}\none\ntwo\n");
        assert_eq!(pieces(&text, 1024), [block("app", "one\ntwo\n", 0, false)]);
    }

    #[test]
    fn a_long_log_keeps_its_tail_from_a_line_start() {
        let lines: String = (0..100).map(|i| format!("line {i:03}\n")).collect();
        let text = format!(
            "{START}app of pod shop/web-1{MARK_TAIL}\n{lines}{END}app of pod shop/web-1{MARK_TAIL}\n"
        );
        let got = pieces(&text, 25);
        let [Piece::Log(b)] = got.as_slice() else {
            panic!("one block: {got:?}")
        };
        assert_eq!(b.text, "line 098\nline 099\n");
        assert_eq!(b.skipped_bytes + b.text.len() as u64, lines.len() as u64);
    }

    #[test]
    fn documents_glued_on_one_line_are_two() {
        assert_eq!(
            pieces("{\"a\": [1]}{\"b\": 2}\n", 10),
            [
                Piece::Json("{\"a\": [1]}".into()),
                Piece::Json("{\"b\": 2}".into())
            ]
        );
    }
}
