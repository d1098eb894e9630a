//! Whether a whole input is an application's log (`--from app.log`, a log on stdin): most
//! of its lines have the shapes application logs have — a leading timestamp or level, one
//! JSON object, the frames of a Go panic, a Java exception, a Python traceback or a Node
//! error — and none has the shape of kubectl output. Such an input is read as logs, never
//! as events; one that is only partly log-shaped is left to the segmenter, and if nothing
//! there is recognised the error suggests `--logs`.

use super::clean::{Line, indent};
use super::describe_pod::key_value;
use regex::Regex;
use std::sync::LazyLock;

/// The shapes of application log lines.
static LOG_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)^(?:
          \[?\d{4}-\d{2}-\d{2}[T\ ]\d{2}:\d{2}                      # ISO time
        | \d{2}:\d{2}:\d{2}[.,]\d                                   # time of day
        | \[?(?i:trace|debug|info|warn(?:ing)?|error|fatal|critical|panic)\]?[:\s]  # level
        | \{.*"(?:level|lvl|severity|msg|message|time|ts|@timestamp)"\s*:.*\}\s*$  # JSON line
        | panic:\ | goroutine\ \d+\ \[ | \s+/\S+\.go:\d+ | [a-z][\w/*]*\.[\w.*()]+\(.*\)$   # Go panic
        | (?:Exception\ in\ thread|Caused\ by:)\ | \s+at\ \S+ | \s*\.\.\.\ \d+\ more$   # Java, Node
        | [\w.$]+(?:Exception|Error)(?::\ |$)                        # exception class
        | Traceback\ \(most\ recent\ call\ last\): | \s+File\ ".+",\ line\ \d+   # Python
        )"#,
    )
    .expect("valid log-line regex")
});

/// A describe line (`Key:` then aligned spaces and a value, at any depth) or a Kubernetes
/// object's top-level YAML key.
static DESCRIBE_OR_YAML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\s*[A-Z][A-Za-z -]*:\s{2,}\S|(?:apiVersion|kind|metadata|spec|status|items|Events):)",
    )
    .expect("valid")
});

/// Lines kubectl prints (or a journal has) and an application log does not.
fn kubectl_shaped(l: &Line) -> bool {
    let t = l.text.as_str();
    l.prompt
        || super::kinds::header_words(t).is_some()
        || super::events::table_header(t).is_some()
        || super::events::starts_row(t)
        || super::journal::is_journal_line(t)
        || DESCRIBE_OR_YAML.is_match(t)
        || (indent(t) == 0 && key_value(t).is_some_and(|(k, _)| k == "Name" || k == "Namespace"))
}

/// How much of the input has log shapes: `Some(share)` when no line is kubectl-shaped.
pub fn log_share(lines: &[Line]) -> Option<f64> {
    let text: Vec<&Line> = lines.iter().filter(|l| !l.text.trim().is_empty()).collect();
    // A line or two is a message someone copied, not a log.
    if text.len() < 3 || text.iter().any(|l| kubectl_shaped(l)) {
        return None;
    }
    let loggy = text.iter().filter(|l| LOG_LINE.is_match(&l.text)).count();
    Some(loggy as f64 / text.len() as f64)
}

/// Share of log-shaped lines from which a whole input is read as a log.
pub const LOG_SHARE: f64 = 0.6;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::text::clean::clean;

    fn share(text: &str) -> Option<f64> {
        log_share(&clean(text))
    }

    #[test]
    fn application_logs_of_every_runtime_are_logs() {
        let go = "panic: runtime error: invalid memory address or nil pointer dereference\n\
                  [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2b1c]\n\n\
                  goroutine 1 [running]:\nmain.loadConfig(0x0)\n\t/src/cmd/api/main.go:42 +0x1c\n\
                  main.main()\n\t/src/cmd/api/main.go:17 +0x25\n";
        assert!(share(go).unwrap() >= LOG_SHARE, "{:?}", share(go));
        let java = "2026-12-07 10:00:01.123 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed\n\
                    java.lang.IllegalStateException: missing property db.url\n\
                    \tat com.example.shop.Config.load(Config.java:31)\n\
                    \tat com.example.shop.Main.main(Main.java:12)\n";
        assert!(share(java).unwrap() >= LOG_SHARE);
        let python = "Traceback (most recent call last):\n  File \"/app/main.py\", line 8, in <module>\n    import yaml\nModuleNotFoundError: No module named 'yaml'\n";
        assert!(share(python).unwrap() >= LOG_SHARE);
        let json = "{\"level\":\"info\",\"msg\":\"starting\"}\n{\"level\":\"info\",\"msg\":\"connecting\"}\n{\"level\":\"error\",\"msg\":\"dial tcp 10.0.0.9:5432: connect: connection refused\"}\n";
        assert!(share(json).unwrap() >= LOG_SHARE);
    }

    #[test]
    fn kubectl_output_and_prose_are_not() {
        assert!(
            share("NAME   READY   STATUS   RESTARTS   AGE\nweb-1   0/1   Error   3   1m\n")
                .is_none()
        );
        let prose = "The service was slow yesterday.\nWe restarted it twice.\nIt is fine now.\n";
        assert!(share(prose).unwrap() < LOG_SHARE);
    }
}
