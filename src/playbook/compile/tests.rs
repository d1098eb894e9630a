//! Every check of the playbook compiler: each bad playbook names its file, cause and field.

use super::*;

const GOOD: &str = r#"
status: [CrashLoopBackOff, "Init:*"]
summary: test
causes:
  - id: crash.oom
    title: OOM
    severity: critical
    confidence: 0.9
    when:
      - container.last_state.reason: OOMKilled
      - any:
          - log: 'heap (?P<what>\w+)'
          - container.last_state.exit_code: 137
    boost:
      - event: {reason: BackOff}
        weight: 0.05
    explain: "{container} {what}"
    fixes:
      - text: raise it
        command: kubectl set resources {owner} -n {namespace}
"#;

fn error_of(text: &str) -> PlaybookError {
    compile_file("t.yaml", text).expect_err("should fail")
}

#[test]
fn compiles_a_good_playbook() {
    let p = compile_file("t.yaml", GOOD).unwrap();
    assert_eq!(p.causes.len(), 1);
    let c = &p.causes[0];
    assert_eq!(c.tried_on, TriedOn::Container);
    assert_eq!(c.boost.len(), 1);
    assert_eq!(c.group_by, vec!["namespace", "owner"]);
    assert!(p.serves(&["Init:CrashLoopBackOff".into()]));
    assert!(!p.serves(&["Pending".into()]));
}

#[test]
fn unknown_field_names_file_cause_and_field() {
    let e = error_of(&GOOD.replace("container.last_state.reason", "container.last_reason"));
    assert_eq!(e.file, "t.yaml");
    assert_eq!(e.cause.as_deref(), Some("crash.oom"));
    assert_eq!(e.field.as_deref(), Some("when[0]"));
    assert!(
        e.message.contains("unknown field `container.last_reason`"),
        "{e}"
    );
}

#[test]
fn unknown_cause_key_is_rejected() {
    let e = error_of(&GOOD.replace("confidence: 0.9", "confidance: 0.9"));
    assert_eq!(e.cause.as_deref(), Some("crash.oom"));
    assert!(e.message.contains("confidance"), "{e}");
}

#[test]
fn bad_regex_is_rejected() {
    let e = error_of(&GOOD.replace(r"heap (?P<what>\w+)", "heap (unclosed"));
    assert_eq!(e.field.as_deref(), Some("when[1]"));
    assert!(e.message.contains("bad regex"), "{e}");
}

#[test]
fn unknown_template_variable_is_rejected() {
    let e = error_of(&GOOD.replace("{container} {what}", "{container} {secret}"));
    assert_eq!(e.field.as_deref(), Some("explain"));
    assert!(e.message.contains("`{secret}`"), "{e}");
    let e = error_of(&GOOD.replace("-n {namespace}", "-n {ns}"));
    assert_eq!(e.field.as_deref(), Some("fixes[0].command"));
}

#[test]
fn other_checks() {
    assert!(
        error_of(&GOOD.replace("id: crash.oom", "id: CrashOOM"))
            .message
            .contains("ids are")
    );
    assert!(
        error_of(&GOOD.replace("0.9", "1.5"))
            .message
            .contains("between 0 and 1")
    );
    assert!(
        error_of(&GOOD.replace("weight: 0.05", "wait: 0.05"))
            .message
            .contains("weight")
    );
    assert!(
        error_of("status: [X]\nsummary: s\ncauses: []\nextra: 1\n")
            .message
            .contains("extra")
    );
    assert!(
        error_of(&GOOD.replace("severity: critical", "severity: fatal"))
            .message
            .contains("fatal")
    );
}
