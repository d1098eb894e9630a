//! Reading the files users hand over: logs and journals as a bounded tail of a file of any
//! size, in the encodings their tools write (UTF-8 with or without a BOM, UTF-16 with a BOM
//! as Windows PowerShell's `>` writes it), invalid sequences replaced, never fatal.

use crate::sources::SourceError;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// How much of a log or journal file is read: its last 4 MiB.
pub const DEFAULT_TAIL_BYTES: u64 = 4 * 1024 * 1024;

/// How much of a pasted text file (`--from`, `--events`, `--node`) is read: its last 64 MiB.
pub const TEXT_TAIL_BYTES: u64 = 64 * 1024 * 1024;

/// The byte encodings told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// The encoding its first bytes announce, and the length of that byte-order mark.
fn sniff(head: &[u8]) -> (Encoding, usize) {
    match head {
        [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, 3),
        [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
        [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
        // UTF-16 without a mark: ASCII text with every other byte zero.
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => (Encoding::Utf16Le, 0),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => (Encoding::Utf16Be, 0),
        _ => (Encoding::Utf8, 0),
    }
}

/// Text from owned bytes: valid UTF-8 is taken as it is, without a copy.
fn decode_as(mut bytes: Vec<u8>, bom: usize, encoding: Encoding) -> String {
    if bom > 0 {
        bytes.drain(..bom);
    }
    match encoding {
        Encoding::Utf8 => String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let units = bytes.chunks_exact(2).map(|p| {
                if encoding == Encoding::Utf16Le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            });
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
    }
}

/// How much of a decoded text is sampled to tell text from a binary file (characters).
pub const BINARY_SAMPLE_CHARS: usize = 64 * 1024;
/// The share of NUL, invalid (replaced) and control characters above which a text is a
/// binary file, in percent: a log has some escape sequences, a binary mostly such bytes.
pub const BINARY_PERCENT: usize = 10;

/// The share (percent) of NUL, invalid and control characters in the first
/// [`BINARY_SAMPLE_CHARS`] of a decoded text, when above [`BINARY_PERCENT`]: not text.
/// Tabs, line ends and the escape of colour codes are text.
pub fn binary_share(text: &str) -> Option<usize> {
    let (mut total, mut bad) = (0usize, 0usize);
    for c in text.chars().take(BINARY_SAMPLE_CHARS) {
        total += 1;
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x1b');
        if control || c == char::REPLACEMENT_CHARACTER {
            bad += 1;
        }
    }
    let percent = (bad * 100).checked_div(total)?;
    (percent > BINARY_PERCENT).then_some(percent)
}

/// Text from a whole file's bytes, in whichever encoding they are.
pub fn decode(bytes: Vec<u8>) -> String {
    let (encoding, bom) = sniff(&bytes);
    decode_as(bytes, bom, encoding)
}

/// Reads at most the last `max_bytes` of a file, starting at a line boundary. Returns the
/// text and the number of bytes skipped before it.
pub fn read_tail(path: &Path, max_bytes: u64) -> Result<(String, u64), SourceError> {
    let io = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder: give a file",
        )));
    }
    let mut f = std::fs::File::open(path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    let mut head = [0u8; 4];
    let head_len = f.read(&mut head).map_err(io)?;
    let (encoding, bom) = sniff(&head[..head_len]);
    let mut start = len.saturating_sub(max_bytes).max(bom as u64);
    if encoding != Encoding::Utf8 && (start - bom as u64) % 2 == 1 {
        start += 1; // stay on a UTF-16 code unit
    }
    f.seek(SeekFrom::Start(start)).map_err(io)?;
    let mut buf = Vec::with_capacity(usize::try_from(len - start.min(len)).unwrap_or(0));
    f.read_to_end(&mut buf).map_err(io)?;
    let mut text = decode_as(buf, 0, encoding);
    // Bytes of content before the text (a byte-order mark is not content).
    let mut skipped = start - bom as u64;
    if start > bom as u64 {
        // Drop the partial first line.
        let cut = text.find('\n').map_or(text.len(), |p| p + 1);
        let cut_bytes = match encoding {
            Encoding::Utf8 => cut,
            Encoding::Utf16Le | Encoding::Utf16Be => 2 * text[..cut].encode_utf16().count(),
        };
        skipped += cut_bytes as u64;
        text.drain(..cut);
    }
    Ok((text, skipped))
}

/// Reads a stream (standard input) keeping at most its last `max_bytes`; returns the text
/// and the number of bytes dropped.
pub fn read_tail_from(mut input: impl Read, max_bytes: u64) -> std::io::Result<(String, u64)> {
    let max = usize::try_from(max_bytes).unwrap_or(usize::MAX);
    let mut kept: std::collections::VecDeque<u8> = std::collections::VecDeque::new();
    let mut dropped: u64 = 0;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = input.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        kept.extend(&chunk[..n]);
        if kept.len() > max {
            let extra = kept.len() - max;
            kept.drain(..extra);
            dropped += extra as u64;
        }
    }
    let bytes: Vec<u8> = kept.into();
    let mut text = decode(bytes);
    if dropped > 0 {
        let cut = text.find('\n').map_or(text.len(), |p| p + 1);
        text.drain(..cut);
        dropped += cut as u64;
    }
    Ok((text, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_file_is_told_from_text() {
        let bytes: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(super::binary_share(&super::decode(bytes)).is_some());
        let log = "2026-11-20T10:00:00Z \x1b[31mERROR\x1b[0m\tfailed\r\n".repeat(100);
        assert_eq!(super::binary_share(&log), None);
        // UTF-16 is decoded first: text.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Name: web-1\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(super::binary_share(&super::decode(utf16)), None);
        assert_eq!(super::binary_share(""), None);
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Name: web-1\r\nStatus: Pending\r\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(bytes.clone()), "Name: web-1\r\nStatus: Pending\r\n");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("describe.txt");
        std::fs::write(&p, &bytes).unwrap();
        let (all, skipped) = read_tail(&p, 1000).unwrap();
        assert_eq!(
            (all.as_str(), skipped),
            ("Name: web-1\r\nStatus: Pending\r\n", 0)
        );
        // A tail of a UTF-16 file starts on a whole line too.
        let (tail, _) = read_tail(&p, 36).unwrap();
        assert_eq!(tail, "Status: Pending\r\n");
        assert_eq!(decode(b"\xEF\xBB\xBFplain".to_vec()), "plain");
    }

    #[test]
    fn a_stream_keeps_its_last_lines() {
        let input = "one\ntwo\nthree\n".as_bytes();
        let (text, dropped) = read_tail_from(input, 8).unwrap();
        assert_eq!(text, "three\n");
        assert_eq!(dropped, 8);
    }

    #[test]
    fn a_folder_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_tail(dir.path(), 100).unwrap_err();
        assert!(err.one_line().contains("it is a folder"), "{err}");
    }

    #[test]
    fn tail_starts_at_a_line_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.log");
        std::fs::write(&p, "first line\nsecond line\nthird\n").unwrap();
        let (text, skipped) = read_tail(&p, 10).unwrap();
        assert_eq!(text, "third\n");
        assert_eq!(skipped, 23);
        let (all, none) = read_tail(&p, 1000).unwrap();
        assert_eq!(all, "first line\nsecond line\nthird\n");
        assert_eq!(none, 0);
    }
}
