//! The `items` of a large JSON List read from a file in blocks: a small scanner finds where
//! each item starts and ends, complete items are handed over a batch at a time, and only
//! a few blocks (plus an item cut by a block's end) are held, however large the file. A 1 GB
//! event list is read in bounded memory while a pool of workers decodes the blocks.

use std::io::Read;

/// The bytes that can change the scanner's state outside a string.
const STRUCTURAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t[b',' as usize] = true;
    t
};

/// The first `"`, `{`, `}`, `[` or `]` in `bytes`, eight bytes at a time: most of a
/// pretty-printed item outside its strings is indentation, keys' colons and numbers.
fn find_quote_or_bracket(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `v` that is zero; exact for the lowest such byte (a
    // borrow can only mark bytes above a zero one), which is the one wanted.
    let zero_bytes = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // `[` and `{`, `]` and `}` differ only in bit 0x20.
        let folded = x | (0x20 * ONES);
        let hits = zero_bytes(x ^ (u64::from(b'"') * ONES))
            | zero_bytes(folded ^ (u64::from(b'{') * ONES))
            | zero_bytes(folded ^ (u64::from(b'}') * ONES));
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b | 0x20 == b'{' || b | 0x20 == b'}')
        .map(|p| at + p)
}

/// Bytes read at a time.
pub const BLOCK: usize = 1024 * 1024;

/// Where the scanner is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Before the List's `items` array: watching top-level keys.
    Top,
    /// Inside `items`, between items.
    Items,
    /// Inside one item (an object or any value) that started at `start`.
    Item,
    /// After the `items` array.
    Done,
}

/// The scanner's state, kept across blocks.
struct Scanner {
    depth: usize,
    in_string: bool,
    escape: bool,
    mode: Mode,
    /// The last string closed at depth 1 (a key candidate), and whether `:` followed it.
    key: Vec<u8>,
    collecting_key: bool,
    key_is_items: bool,
    /// Start of the current item in the buffer.
    start: usize,
}

impl Scanner {
    fn new() -> Scanner {
        Scanner {
            depth: 0,
            in_string: false,
            escape: false,
            mode: Mode::Top,
            key: Vec::new(),
            collecting_key: false,
            key_is_items: false,
            start: 0,
        }
    }

    /// Scans `buf[from..]`, pushing the (start, end) of every item completed.
    fn scan(&mut self, buf: &[u8], from: usize, items: &mut Vec<(usize, usize)>) {
        let mut i = from;
        while i < buf.len() {
            // Most bytes are inside strings: jump to the next quote or backslash. Outside
            // strings (but between items, where any byte may start one), only quotes,
            // brackets and commas change the state: skip to the next.
            if self.in_string {
                if !self.escape && !self.collecting_key {
                    match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                        Some(off) => i += off,
                        None => return,
                    }
                }
            } else if self.mode == Mode::Item && self.depth > 2 {
                // Inside an object or array item only quotes and brackets count.
                match find_quote_or_bracket(&buf[i..]) {
                    Some(off) => i += off,
                    None => return,
                }
            } else if self.mode != Mode::Items {
                match buf[i..].iter().position(|&b| STRUCTURAL[usize::from(b)]) {
                    Some(off) => i += off,
                    None => return,
                }
            }
            let b = buf[i];
            self.step(b, i, items);
            i += 1;
        }
    }

    /// One byte of the scan.
    fn step(&mut self, b: u8, i: usize, items: &mut Vec<(usize, usize)>) {
        if self.in_string {
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
            } else if b == b'"' {
                self.in_string = false;
                if self.collecting_key {
                    self.collecting_key = false;
                    self.key_is_items = self.key == b"items";
                }
            } else if self.collecting_key {
                self.key.push(b);
            }
            return;
        }
        match (self.mode, b) {
            (_, b'"') => {
                self.in_string = true;
                if self.mode == Mode::Top && self.depth == 1 {
                    self.collecting_key = true;
                    self.key.clear();
                } else if self.mode == Mode::Items {
                    self.mode = Mode::Item;
                    self.start = i;
                }
            }
            (Mode::Top, b'[') if self.depth == 1 && self.key_is_items => {
                self.depth += 1;
                self.mode = Mode::Items;
            }
            (Mode::Items, b']') => {
                self.depth -= 1;
                self.mode = Mode::Done;
            }
            (Mode::Items, b'{' | b'[') => {
                self.mode = Mode::Item;
                self.start = i;
                self.depth += 1;
            }
            (Mode::Items, c) if !c.is_ascii_whitespace() && c != b',' => {
                // A scalar item: not a Kubernetes object; the caller's decoder reports it.
                self.mode = Mode::Item;
                self.start = i;
            }
            (_, b'{' | b'[') => self.depth += 1,
            (Mode::Item, b'}' | b']') => {
                self.depth -= 1;
                if self.depth == 2 {
                    items.push((self.start, i + 1));
                    self.mode = Mode::Items;
                }
            }
            (Mode::Item, b',') if self.depth == 2 => {
                items.push((self.start, i));
                self.mode = Mode::Items;
            }
            (_, b'}' | b']') => self.depth = self.depth.saturating_sub(1),
            (Mode::Top, b',') if self.depth == 1 => self.key_is_items = false,
            _ => {}
        }
    }
}

/// How a streamed List ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// No top-level `items` array (a single object, or not a List): read it another way.
    NotAList,
    /// The `items` array closed.
    Complete,
    /// The input stopped inside the array (a cut-off file): the last item was lost.
    Truncated,
}

/// Reads a JSON List's `items` from `input` in blocks and hands each block's complete items
/// (as text, with the index of the first in the list) to `work`, on `workers` threads at
/// once; `each` gets the results on the calling thread, in the list's order. One thread
/// reads and scans ahead while the workers decode, so at most a few blocks are held.
pub fn for_each_batch<R: Send>(
    input: impl Read + Send,
    block: usize,
    workers: usize,
    work: impl Fn(&[&str], usize) -> R + Sync,
    mut each: impl FnMut(R),
) -> std::io::Result<Ended> {
    let workers = workers.max(1);
    // Blocks wait for a free worker, results for the calling thread: both channels are
    // bounded, so a slow consumer holds the reader back rather than piling blocks up.
    let (blocks_tx, blocks_rx) = std::sync::mpsc::sync_channel::<(usize, usize, Scanned)>(workers);
    // Shared by the workers alone: when the last one is gone (done, or panicked), the reader's
    // next send fails and it stops instead of waiting for a worker forever.
    let blocks_rx = std::sync::Arc::new(std::sync::Mutex::new(blocks_rx));
    let (results_tx, results_rx) = std::sync::mpsc::sync_channel::<(usize, R)>(workers);
    // Blocks the workers are done with, for the reader to fill again.
    let (spare_tx, spare_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::scope(|s| {
        let scanner = s.spawn(move || {
            let (mut seq, mut first) = (0, 0);
            let spare = || spare_rx.try_recv().ok();
            scan_blocks(input, block, spare, |b: Scanned| {
                let items = b.1.len();
                let sent = blocks_tx.send((seq, first, b)).is_ok();
                seq += 1;
                first += items;
                sent
            })
        });
        for _ in 0..workers {
            let (blocks_rx, results_tx, work) = (blocks_rx.clone(), results_tx.clone(), &work);
            let spare_tx = spare_tx.clone();
            s.spawn(move || {
                loop {
                    // The lock is held only while waiting for the next block.
                    let next = blocks_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((seq, first, (chunk, spans)))) = next else {
                        return;
                    };
                    // Bytes that are not UTF-8 are replaced, as when a file is read whole:
                    // the item is still decoded (or reported), never dropped.
                    let owned: Vec<_> = spans
                        .iter()
                        .map(|&(s, e)| String::from_utf8_lossy(&chunk[s..e]))
                        .collect();
                    let texts: Vec<&str> = owned.iter().map(|t| t.as_ref()).collect();
                    let result = work(&texts, first);
                    drop(texts);
                    drop(owned);
                    // The block goes back to the reader for another read (a fresh one
                    // would be faulted in page by page and grown by copying).
                    let _ = spare_tx.send(chunk);
                    if results_tx.send((seq, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop((blocks_rx, results_tx, spare_tx));
        // Results come as workers finish; each is handed on in the list's order.
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = 0;
        for (seq, result) in results_rx {
            waiting.insert(seq, result);
            while let Some(r) = waiting.remove(&next) {
                each(r);
                next += 1;
            }
        }
        scanner.join().expect("the scanning thread panicked")
    })
}

/// A block of text and the spans of the complete items in it.
type Scanned = (Vec<u8>, Vec<(usize, usize)>);

/// Reads `input` block by block, handing each block's complete items to `send` (which says
/// whether to go on) and keeping the item cut by the block's end for the next. Blocks are
/// taken from `spare` (blocks handed back) when it has one.
fn scan_blocks(
    mut input: impl Read,
    block: usize,
    mut spare: impl FnMut() -> Option<Vec<u8>>,
    mut send: impl FnMut(Scanned) -> bool,
) -> std::io::Result<Ended> {
    let mut buf: Vec<u8> = Vec::with_capacity(block);
    let mut scanner = Scanner::new();
    let mut scanned = 0;
    let mut found = false;
    loop {
        // Read into the spare capacity: no block of zeros written first.
        let n = (&mut input).take(block as u64).read_to_end(&mut buf)?;
        let mut spans = Vec::new();
        scanner.scan(&buf, scanned, &mut spans);
        found |= scanner.mode != Mode::Top;
        let at_end = n == 0 || scanner.mode == Mode::Done;
        if spans.is_empty() && scanner.mode == Mode::Item && !at_end {
            // Nothing complete yet (an item longer than a block): read on into the same
            // buffer instead of copying the item into a new one block after block.
            scanned = buf.len();
            continue;
        }
        // Keep only the item cut by the block's end.
        let keep_from = match scanner.mode {
            Mode::Item => scanner.start,
            _ => buf.len(),
        };
        // The cut item starts the next block, with room for a whole block after it.
        let mut next = spare().unwrap_or_default();
        next.clear();
        next.reserve(buf.len() - keep_from + block);
        next.extend_from_slice(&buf[keep_from..]);
        buf.truncate(keep_from);
        let done = std::mem::replace(&mut buf, next);
        scanned = buf.len();
        if scanner.mode == Mode::Item {
            scanner.start = 0;
        }
        if !spans.is_empty() && !send((done, spans)) {
            return Ok(Ended::Complete);
        }
        if at_end {
            return Ok(match scanner.mode {
                _ if !found => Ended::NotAList,
                Mode::Done => Ended::Complete,
                _ => Ended::Truncated,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Ended, for_each_batch};

    fn items(doc: &str, block: usize) -> (Vec<String>, Ended) {
        let mut out = Vec::new();
        let ended = for_each_batch(
            doc.as_bytes(),
            block,
            3,
            |b, _| b.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            |b| out.extend(b),
        )
        .unwrap();
        (out, ended)
    }

    #[test]
    fn items_come_out_whole_whatever_the_block_size() {
        let doc = r#"{"apiVersion": "v1", "kind": "List", "metadata": {"items": "no"},
            "items": [ {"a": "x}]\"{"}, {"b": [1, {"c": 2}]},
            {"d": "items"}, {"e": "c:\\", "f": "\\\"}"} ], "tail": {"items": [9]}}"#;
        for block in [1, 2, 3, 7, 64, 4096] {
            let (got, ended) = items(doc, block);
            assert_eq!(ended, Ended::Complete);
            assert_eq!(
                got,
                [
                    r#"{"a": "x}]\"{"}"#,
                    r#"{"b": [1, {"c": 2}]}"#,
                    r#"{"d": "items"}"#,
                    r#"{"e": "c:\\", "f": "\\\"}"}"#
                ],
                "block {block}"
            );
        }
    }

    #[test]
    fn quotes_and_brackets_are_found_wherever_they_fall() {
        for len in 0..20 {
            for at in 0..len {
                for b in [b'"', b'{', b'}', b'[', b']'] {
                    let mut bytes = vec![b' '; len];
                    // Bytes one bit from a bracket must not count.
                    if at > 0 {
                        bytes[at - 1] = b'{' ^ 0x01;
                    }
                    bytes[at] = b;
                    assert_eq!(super::find_quote_or_bracket(&bytes), Some(at), "{len} {at}");
                }
            }
            assert_eq!(super::find_quote_or_bracket(&vec![b'x'; len]), None);
        }
    }

    #[test]
    fn a_worker_that_panics_stops_the_reader_instead_of_hanging_it() {
        // Many small blocks: the reader still has blocks to hand over when the workers die.
        let doc = format!("{{\"items\": [{}]}}", vec![r#"{"a": 1}"#; 1000].join(","));
        let run = std::panic::catch_unwind(|| {
            for_each_batch(
                doc.as_bytes(),
                16,
                2,
                |_, _| panic!("decoder bug"),
                |_: ()| (),
            )
        });
        assert!(run.is_err(), "the worker's panic reaches the caller");
    }

    #[test]
    fn an_item_with_bytes_that_are_not_utf8_is_kept_in_its_place() {
        let doc = b"{\"items\": [{\"a\": \"x\xff\"}, {\"b\": 1}]}";
        for block in [3, 4096] {
            let mut out = Vec::new();
            let ended = for_each_batch(
                &doc[..],
                block,
                2,
                |b, first| (first, b.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
                |(first, b)| out.extend(b.into_iter().enumerate().map(|(i, s)| (first + i, s))),
            )
            .unwrap();
            assert_eq!(ended, Ended::Complete);
            assert_eq!(
                out,
                [
                    (0, "{\"a\": \"x\u{fffd}\"}".to_string()),
                    (1, r#"{"b": 1}"#.to_string())
                ],
                "block {block}"
            );
        }
    }

    #[test]
    fn a_document_without_items_is_not_a_list() {
        assert_eq!(
            items(r#"{"kind": "Pod", "metadata": {"name": "x"}}"#, 8),
            (vec![], Ended::NotAList)
        );
        assert_eq!(items(r#"{"items": []}"#, 8), (vec![], Ended::Complete));
        let (got, ended) = items(r#"{"items": [{"a": 1}, {"b": "#, 4);
        assert_eq!(
            (got, ended),
            (vec![r#"{"a": 1}"#.to_string()], Ended::Truncated)
        );
    }
}
