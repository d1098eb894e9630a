//! JUnit XML for CI test reporters (GitLab, Jenkins, GitHub test-report actions): one
//! `testsuite` per namespace, one `testcase` per pod and per Service scanned (a Service's
//! classname is `NAMESPACE.service/NAME`, as a pod's is `NAMESPACE.OWNER`), and a `failure`
//! for each pod or Service whose top finding is a warning or worse (message: the cause's
//! title and id; body: the explanation, evidence and fixes). The elements and attributes
//! follow the Ant JUnit schema those tools read. Written with quick-xml, which escapes.

use crate::engine::Finding;
use crate::playbook::Severity;
use crate::report::{PodReport, Report, ServiceReport};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::collections::BTreeMap;

/// One test case: a pod or a Service, with its failure when it has one.
struct Case<'a> {
    name: &'a str,
    classname: String,
    failure: Option<Failing<'a>>,
}

/// What failed.
enum Failing<'a> {
    Pod(&'a PodReport),
    Service(&'a ServiceReport),
}

pub fn render(report: &Report) -> String {
    let mut suites: BTreeMap<&str, Vec<Case>> = BTreeMap::new();
    for p in &report.pods {
        let failing = !p.healthy && p.severity().is_some_and(|s| s >= Severity::Warning);
        suites.entry(&p.namespace).or_default().push(Case {
            name: &p.name,
            classname: classname(&p.namespace, p.owner.as_deref()),
            failure: failing.then_some(Failing::Pod(p)),
        });
    }
    for (ns, name) in &report.healthy_pods {
        suites.entry(ns).or_default().push(Case {
            name,
            classname: classname(ns, None),
            failure: None,
        });
    }
    for s in &report.services {
        suites.entry(&s.namespace).or_default().push(Case {
            name: &s.name,
            classname: service_classname(&s.namespace, &s.name),
            failure: s.unhealthy().then_some(Failing::Service(s)),
        });
    }
    for (ns, name) in &report.healthy_services {
        suites.entry(ns).or_default().push(Case {
            name,
            classname: service_classname(ns, name),
            failure: None,
        });
    }
    let tests: usize = suites.values().map(Vec::len).sum();
    let failures: usize = suites
        .values()
        .flatten()
        .filter(|c| c.failure.is_some())
        .count();
    let time = format!("{:.3}", report.duration_seconds.unwrap_or(0.0));
    // The Ant schema's timestamp: seconds, no zone (UTC here).
    let timestamp = report
        .generated_at
        .parse::<jiff::Timestamp>()
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default();
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "kubedoctor"));
    root.push_attribute(("tests", tests.to_string().as_str()));
    root.push_attribute(("failures", failures.to_string().as_str()));
    root.push_attribute(("errors", "0"));
    root.push_attribute(("time", time.as_str()));
    let _ = w.write_event(Event::Start(root));
    for (ns, cases) in &suites {
        let failed = cases.iter().filter(|c| c.failure.is_some()).count();
        let mut suite = BytesStart::new("testsuite");
        let suite_name = if ns.is_empty() { "(no namespace)" } else { ns };
        suite.push_attribute(("name", suite_name));
        suite.push_attribute(("tests", cases.len().to_string().as_str()));
        suite.push_attribute(("failures", failed.to_string().as_str()));
        suite.push_attribute(("errors", "0"));
        suite.push_attribute(("skipped", "0"));
        suite.push_attribute(("time", "0"));
        suite.push_attribute(("timestamp", timestamp.as_str()));
        suite.push_attribute(("hostname", report.source.location.as_str()));
        let _ = w.write_event(Event::Start(suite));
        let _ = w.write_event(Event::Empty(BytesStart::new("properties")));
        for case in cases {
            let mut tc = BytesStart::new("testcase");
            tc.push_attribute(("name", case.name));
            tc.push_attribute(("classname", case.classname.as_str()));
            tc.push_attribute(("time", "0"));
            match &case.failure {
                None => {
                    let _ = w.write_event(Event::Empty(tc));
                }
                Some(failing) => {
                    let _ = w.write_event(Event::Start(tc));
                    match failing {
                        Failing::Pod(p) => {
                            if let Some(top) = p.findings.first() {
                                let what = format!("{} is {}", p.name, p.status);
                                write_failure(&mut w, &what, top);
                            }
                        }
                        Failing::Service(s) => {
                            if let Some(top) = s.findings.first() {
                                let what = match s.type_.as_str() {
                                    "" => format!("Service {}", s.name),
                                    t => format!("Service {} ({t})", s.name),
                                };
                                write_failure(&mut w, &what, top);
                            }
                        }
                    }
                    let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
                }
            }
        }
        let _ = w.write_event(Event::Empty(BytesStart::new("system-out")));
        let _ = w.write_event(Event::Empty(BytesStart::new("system-err")));
        let _ = w.write_event(Event::End(BytesEnd::new("testsuite")));
    }
    let _ = w.write_event(Event::End(BytesEnd::new("testsuites")));
    let mut out = String::from_utf8(w.into_inner()).unwrap_or_default();
    out.push('\n');
    out
}

/// `shop.deployment/web`: what a CI reporter groups test cases by.
fn classname(namespace: &str, owner: Option<&str>) -> String {
    match owner {
        Some(o) => format!("{namespace}.{o}"),
        None => namespace.to_string(),
    }
}

/// `shop.service/web`: a Service's cases group apart from its pods'.
fn service_classname(namespace: &str, name: &str) -> String {
    format!("{namespace}.service/{name}")
}

/// A `failure`: `what` (`web-1 is CrashLoopBackOff`, `Service web (ClusterIP)`) and the top
/// finding.
fn write_failure(w: &mut Writer<Vec<u8>>, what: &str, top: &Finding) {
    let mut failure = BytesStart::new("failure");
    failure.push_attribute(("message", format!("{} [{}]", top.title, top.id).as_str()));
    failure.push_attribute(("type", top.severity.as_str()));
    let mut body = format!("{what}: {}\n", top.explanation());
    if !top.evidence.is_empty() {
        body.push_str("\nEvidence:\n");
        for e in &top.evidence {
            body.push_str(&format!("  {} {}\n", e.source.as_str(), e.text));
        }
    }
    if !top.fixes.is_empty() {
        body.push_str("\nFix:\n");
        for f in &top.fixes {
            body.push_str(&format!("  - {}\n", f.text));
            if let Some(c) = &f.command {
                body.push_str(&format!("    $ {c}\n"));
            }
        }
    }
    let _ = w.write_event(Event::Start(failure));
    let _ = w.write_event(Event::Text(BytesText::new(&body)));
    let _ = w.write_event(Event::End(BytesEnd::new("failure")));
}
