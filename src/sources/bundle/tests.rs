//! The streamed reading of a large object file, with the size threshold lowered so that
//! small files take that path.

use super::stream_list;
use crate::sources::objects::{convert, json, parse_list_with};
use std::path::Path;

const PODS: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
    {"metadata": {"name": "web-1", "namespace": "shop"}, "spec": {"containers": [{"name": "app"}]}},
    {"metadata": {"name": "broken"}, "spec": {"containers": "nope"}},
    {"metadata": {"name": "web-2", "namespace": "shop"}}
]}"#;

fn write(dir: &Path, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join("pods.json");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Streams `path` from any size: the names of the pods read, and the notes.
fn streamed(path: &Path) -> Option<(Vec<String>, Vec<String>)> {
    let mut names = Vec::new();
    let bad = stream_list(path, 0, &json(convert::pod), &mut |pods| {
        names.extend(pods.into_iter().map(|p| p.name))
    })?;
    Some((names, bad))
}

#[test]
fn a_streamed_list_reads_what_a_whole_read_does() {
    let dir = tempfile::tempdir().unwrap();
    let (names, bad) = streamed(&write(dir.path(), PODS.as_bytes())).expect("streamed");
    assert_eq!(names, ["web-1", "web-2"]);
    assert_eq!(bad.len(), 1);
    assert!(bad[0].starts_with("item 2 (`broken`)"), "{bad:?}");
    let (whole, whole_bad) = parse_list_with(PODS, "v1", "Pod", json(convert::pod)).unwrap();
    let whole: Vec<String> = whole.into_iter().map(|p| p.name).collect();
    assert_eq!((names, bad), (whole, whole_bad));
}

#[test]
fn a_cut_off_list_says_its_last_item_was_lost() {
    let dir = tempfile::tempdir().unwrap();
    let cut = &PODS[..PODS.find("\"web-2\"").unwrap()];
    let (names, bad) = streamed(&write(dir.path(), cut.as_bytes())).expect("streamed");
    assert_eq!(names, ["web-1"]);
    assert!(bad.iter().any(|b| b.contains("cut off")), "{bad:?}");
}

#[test]
fn small_files_and_utf16_are_left_to_a_whole_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), PODS.as_bytes());
    let mut each = |_: Vec<crate::evidence::Pod>| {};
    assert!(stream_list(&path, 1 << 20, &json(convert::pod), &mut each).is_none());
    // UTF-16 without a byte-order mark starts with `{` too, but holds no `items` key as
    // UTF-8: read whole, it is decoded.
    let utf16: Vec<u8> = PODS.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert!(streamed(&write(dir.path(), &utf16)).is_none());
}
