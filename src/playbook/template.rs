//! `{variable}` templates in explain texts, fixes and group keys.

use std::collections::BTreeMap;

/// A parsed template: literal text and `{name}` variables. `{{` and `}}` are literal braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Var(String),
}

impl Template {
    /// Parses a template; an unclosed `{` or an empty or malformed name is an error.
    pub fn parse(s: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(ch) if ch.is_ascii_alphanumeric() || ch == '_' => name.push(ch),
                            Some(ch) => {
                                return Err(format!("invalid character `{ch}` in `{{{name}`"));
                            }
                            None => return Err(format!("unclosed `{{{name}`")),
                        }
                    }
                    if name.is_empty() {
                        return Err("empty `{}`".to_string());
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Var(name));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { parts })
    }

    /// The variable names used.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v.as_str()),
            Part::Text(_) => None,
        })
    }

    /// Fills the variables; one without a value renders as `<name>`, a placeholder for
    /// the reader to fill in.
    pub fn render(&self, vars: &BTreeMap<String, String>) -> String {
        let mut out = String::new();
        // Inside a placeholder of the template itself (`<more-than-{limit}>`), a missing
        // variable renders as its bare name: `<more-than-limit>`, not `<more-than-<limit>>`.
        let mut in_placeholder = false;
        for p in &self.parts {
            match p {
                Part::Text(t) => {
                    out.push_str(t);
                    for ch in t.chars() {
                        match ch {
                            '<' => in_placeholder = true,
                            '>' => in_placeholder = false,
                            _ => {}
                        }
                    }
                }
                Part::Var(v) => match vars.get(v).filter(|s| !s.is_empty()) {
                    Some(val) => out.push_str(val),
                    None if in_placeholder => out.push_str(v),
                    None => {
                        out.push('<');
                        out.push_str(v);
                        out.push('>');
                    }
                },
            }
        }
        out
    }

    /// Whether the template uses a variable.
    pub fn uses(&self, name: &str) -> bool {
        self.variables().any(|v| v == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_vars_and_placeholders() {
        let t = Template::parse("kubectl create secret {secret} -n {namespace} {{x}}").unwrap();
        let vars = BTreeMap::from([("secret".to_string(), "db".to_string())]);
        assert_eq!(
            t.render(&vars),
            "kubectl create secret db -n <namespace> {x}"
        );
        assert_eq!(
            t.variables().collect::<Vec<_>>(),
            vec!["secret", "namespace"]
        );
    }

    #[test]
    fn a_missing_variable_inside_a_placeholder_is_not_nested() {
        let t =
            Template::parse("--limits=memory=<more-than-{memory_limit}> -c {container}").unwrap();
        assert_eq!(
            t.render(&BTreeMap::new()),
            "--limits=memory=<more-than-memory_limit> -c <container>"
        );
    }

    #[test]
    fn rejects_malformed() {
        assert!(Template::parse("{open").is_err());
        assert!(Template::parse("{}").is_err());
        assert!(Template::parse("{a b}").is_err());
    }
}
