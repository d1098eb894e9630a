//! Reading the tail of a possibly huge file with bounded memory.

use crate::sources::SourceError;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// How much of a log or journal file is read: its last 4 MiB.
pub const DEFAULT_TAIL_BYTES: u64 = 4 * 1024 * 1024;

/// Reads at most the last `max_bytes` of a file, starting at a line boundary. Returns the
/// text (invalid UTF-8 replaced) and the number of bytes skipped before it.
pub fn read_tail(path: &Path, max_bytes: u64) -> Result<(String, u64), SourceError> {
    let io = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    let start = len.saturating_sub(max_bytes);
    f.seek(SeekFrom::Start(start)).map_err(io)?;
    let mut buf = Vec::with_capacity((len - start) as usize);
    f.read_to_end(&mut buf).map_err(io)?;
    let mut skipped = start;
    if start > 0 {
        // Drop the partial first line.
        let cut = buf
            .iter()
            .position(|&b| b == b'\n')
            .map_or(buf.len(), |p| p + 1);
        buf.drain(..cut);
        skipped += cut as u64;
    }
    Ok((String::from_utf8_lossy(&buf).into_owned(), skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

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
