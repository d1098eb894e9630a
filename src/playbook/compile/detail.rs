//! Compiling a cause's `detail`: its documented values with their words, and the
//! alternatives that choose one. Every value an alternative gives must be documented, and
//! `unknown` always is (the value when no alternative holds).

use super::matchers::matcher;
use super::{FieldErr, Matcher};
use crate::playbook::format::DetailSpec;
use crate::playbook::template::Template;
use std::collections::BTreeSet;

/// The value a detail takes when no alternative holds.
pub const UNKNOWN: &str = "unknown";

/// A compiled `detail`.
#[derive(Debug, Clone)]
pub struct Detail {
    /// Every documented value (a word, or `{variable}`) with the sentence that says it.
    pub values: Vec<(String, Template)>,
    /// The alternatives, in order.
    pub from: Vec<DetailRule>,
}

/// One alternative: the value it gives when its matchers hold.
#[derive(Debug, Clone)]
pub struct DetailRule {
    /// As documented: a word, or `{variable}`.
    pub value: String,
    /// For a `{variable}` value: the template that renders it.
    pub template: Option<Template>,
    pub when: Vec<Matcher>,
}

impl Detail {
    /// The words of a documented value.
    pub fn words(&self, value: &str) -> Option<&Template> {
        self.values.iter().find(|(v, _)| v == value).map(|(_, t)| t)
    }

    /// Every regex capture name an alternative may produce.
    pub fn captures(&self) -> BTreeSet<String> {
        self.from
            .iter()
            .flat_map(|r| r.when.iter())
            .flat_map(Matcher::possible_captures)
            .collect()
    }

    /// Every template (values and words), for the variable check.
    pub fn templates(&self) -> impl Iterator<Item = &Template> {
        self.values
            .iter()
            .map(|(_, t)| t)
            .chain(self.from.iter().filter_map(|r| r.template.as_ref()))
    }
}

/// True for a documented value written as a word: lower case, digits, `-` and `.`.
fn is_word(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// A value written as one variable (`{resource}`): its template.
fn as_variable(v: &str) -> Option<Template> {
    let t = Template::parse(v).ok()?;
    let vars: Vec<&str> = t.variables().collect();
    (vars.len() == 1 && v == format!("{{{}}}", vars[0])).then_some(t)
}

/// Compiles a `detail` (variables are checked by the caller, with the cause's others).
pub fn compile(spec: &DetailSpec) -> Result<Detail, FieldErr> {
    let err = |field: &str, m: String| (format!("detail.{field}"), m);
    if !spec.values.contains_key(UNKNOWN) {
        return Err(err(
            "values",
            format!("must document `{UNKNOWN}` (the value when no alternative holds)"),
        ));
    }
    let mut values = Vec::new();
    for (v, words) in &spec.values {
        if !is_word(v) && as_variable(v).is_none() {
            return Err(err(
                "values",
                format!(
                    "`{v}` is neither a lower-case word (`http-status`) nor one `{{variable}}`"
                ),
            ));
        }
        if words.trim().is_empty() {
            return Err(err("values", format!("`{v}` needs words: what it means")));
        }
        let t = Template::parse(words).map_err(|e| err(&format!("values.{v}"), e))?;
        values.push((v.clone(), t));
    }
    if spec.from.is_empty() {
        return Err(err("from", "needs at least one alternative".into()));
    }
    let mut from = Vec::new();
    for (i, r) in spec.from.iter().enumerate() {
        if !spec.values.contains_key(&r.value) {
            return Err(err(
                &format!("from[{i}].value"),
                format!(
                    "`{}` is not a documented value of this cause (detail.values: {})",
                    r.value,
                    spec.values.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        if r.when.is_empty() {
            return Err(err(
                &format!("from[{i}].when"),
                "needs at least one matcher".into(),
            ));
        }
        let when = r
            .when
            .iter()
            .enumerate()
            .map(|(j, v)| matcher(v).map_err(|m| err(&format!("from[{i}].when[{j}]"), m)))
            .collect::<Result<Vec<_>, _>>()?;
        from.push(DetailRule {
            value: r.value.clone(),
            template: as_variable(&r.value),
            when,
        });
    }
    Ok(Detail { values, from })
}
