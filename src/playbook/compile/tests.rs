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

/// `GOOD` with a `detail` (`{values}` and `{from}` replaced).
fn with_detail(values: &str, from: &str) -> String {
    GOOD.replace(
        "    fixes:\n",
        &format!("    detail:\n      values: {values}\n      from: {from}\n    fixes:\n"),
    )
}

#[test]
fn compiles_a_detail() {
    let text = with_detail(
        r#"{refused: "refused", '{port}': "port {port}", unknown: "not known"}"#,
        r#"[{value: refused, when: [{log: 'connection refused'}]}, {value: '{port}', when: [{log: 'port (?P<port>\d+)'}]}]"#,
    );
    let p = compile_file("t.yaml", &text).unwrap();
    let d = p.causes[0].detail.as_ref().expect("a detail");
    assert_eq!(d.from.len(), 2);
    assert!(d.from[0].template.is_none());
    assert!(
        d.from[1].template.is_some(),
        "a `{{variable}}` value renders"
    );
    assert!(d.words("unknown").is_some());
}

#[test]
fn detail_errors_name_their_key() {
    let no_unknown = error_of(&with_detail(
        r#"{refused: "r"}"#,
        r#"[{value: refused, when: [{log: 'x'}]}]"#,
    ));
    assert_eq!(no_unknown.field.as_deref(), Some("detail.values"));
    assert!(no_unknown.message.contains("`unknown`"), "{no_unknown}");
    let undocumented = error_of(&with_detail(
        r#"{refused: "r", unknown: "u"}"#,
        r#"[{value: timeout, when: [{log: 'x'}]}]"#,
    ));
    assert_eq!(undocumented.field.as_deref(), Some("detail.from[0].value"));
    assert!(
        undocumented.message.contains("not a documented value"),
        "{undocumented}"
    );
    let bad_value = error_of(&with_detail(
        r#"{Refused: "r", unknown: "u"}"#,
        r#"[{value: Refused, when: [{log: 'x'}]}]"#,
    ));
    assert!(bad_value.message.contains("lower-case word"), "{bad_value}");
    let bad_var = error_of(&with_detail(
        r#"{'{nope}': "n", unknown: "u"}"#,
        r#"[{value: '{nope}', when: [{log: 'x'}]}]"#,
    ));
    assert_eq!(bad_var.field.as_deref(), Some("detail"));
    assert!(bad_var.message.contains("`{nope}`"), "{bad_var}");
    let bad_regex = error_of(&with_detail(
        r#"{refused: "r", unknown: "u"}"#,
        r#"[{value: refused, when: [{log: '(open'}]}]"#,
    ));
    assert_eq!(bad_regex.field.as_deref(), Some("detail.from[0].when[0]"));
}

const REASONS: &str = r#"
node_reasons:
  message: '(?P<nodes>\d+) nodes are available: (?P<list>.+?)\.?\s*(?:preemption: .*)?$'
  separator: ', '
  item: '(?P<count>\d+) (?P<reason>.+)'
  control_plane:
    reason: 'control-plane'
    nodes: [{node.taint: 'node-role.+'}]
  set_apart: [{node.unschedulable: true}]
"#;

#[test]
fn compiles_node_reasons_and_on_nodes() {
    let text = format!(
        "{REASONS}{}",
        GOOD.replace(
            "    fixes:\n",
            "    on_nodes: {node.unschedulable: true}\n    fixes:\n",
        )
    );
    let p = compile_file("t.yaml", &text).unwrap();
    assert!(p.node_reasons.is_some());
    assert!(p.causes[0].on_nodes.is_some());
}

#[test]
fn node_reasons_errors_name_their_key() {
    let no_list = error_of(&format!(
        "{}{GOOD}",
        REASONS.replace("(?P<list>", "(?P<lst>")
    ));
    assert_eq!(no_list.field.as_deref(), Some("node_reasons.message"));
    assert!(no_list.message.contains("`(?P<list>...)`"), "{no_list}");
    let no_count = error_of(&format!(
        "{}{GOOD}",
        REASONS.replace("(?P<count>", "(?P<n>")
    ));
    assert_eq!(no_count.field.as_deref(), Some("node_reasons.item"));
    let pod_field = error_of(&format!(
        "{}{GOOD}",
        REASONS.replace("{node.unschedulable: true}]", "{pod.phase: Pending}]")
    ));
    assert_eq!(
        pod_field.field.as_deref(),
        Some("node_reasons.set_apart[0]")
    );
    assert!(
        pod_field.message.contains("node's own fields"),
        "{pod_field}"
    );
    let on_pods = error_of(&GOOD.replace(
        "    fixes:\n",
        "    on_nodes: {container.ready: false}\n    fixes:\n",
    ));
    assert_eq!(on_pods.field.as_deref(), Some("on_nodes"));
}

#[test]
fn severity_rules_take_a_status_matchers_or_both() {
    let with = |rules: &str| {
        GOOD.replace(
            "    confidence: 0.9\n",
            &format!("    confidence: 0.9\n    severity_by:\n{rules}"),
        )
    };
    let p = compile_file(
        "t.yaml",
        &with("      - {when: [{log: 'refused'}], severity: warning}\n      - {status: Restarting, severity: info}\n"),
    )
    .unwrap();
    let rules = &p.causes[0].severity_by;
    assert!(rules[0].status.is_none() && rules[0].when.len() == 1);
    assert!(rules[1].status.is_some() && rules[1].when.is_empty());
    let e = error_of(&with("      - {severity: warning}\n"));
    assert_eq!(e.field.as_deref(), Some("severity_by[0]"));
    let e = error_of(&with("      - {when: [{nope: x}], severity: warning}\n"));
    assert_eq!(e.field.as_deref(), Some("severity_by[0].when"));
}

#[test]
fn clients_belong_in_a_service_file_and_compile_their_regexes() {
    let clients = "clients:\n  failures: ['connection refused']\n  repeated: 2\n  outranks: [crash.app-error]\n";
    let service = format!(
        "subject: service\nsummary: s\n{clients}causes:\n  - id: service.x\n    title: t\n    severity: info\n    confidence: 0.5\n    when: [{{service.unmatched: true}}]\n    explain: e\n"
    );
    let p = compile_file("s.yaml", &service).unwrap();
    let c = p.clients.expect("clients");
    assert!(c.failures[0].is_match("dial tcp 10.0.0.1:80: connect: connection refused"));
    assert_eq!(
        (c.repeated, c.outranks.as_slice()),
        (2, &["crash.app-error".to_string()][..])
    );
    let e = error_of(&format!("{clients}{GOOD}"));
    assert_eq!(e.field.as_deref(), Some("clients"));
    let e = error_of(&service.replace("'connection refused'", "'('"));
    assert_eq!(e.field.as_deref(), Some("clients.failures[0]"));
    let e = error_of(&service.replace("repeated: 2", "repeated: 0"));
    assert_eq!(e.field.as_deref(), Some("clients.repeated"));
}
