//! The reference tables of the playbook format, generated from their definitions: the
//! matcher fields ([`Field`]) and the built-in template variables ([`BUILTIN_VARS`]).
//! `kubedoctor playbooks fields` prints them; `docs/PLAYBOOKS.md` embeds them and a test
//! fails when the two differ.

use super::fields::{Field, FieldKind};
use super::variables::BUILTIN_VARS;
use std::fmt::Write as _;

/// The marker lines around the generated part of `docs/PLAYBOOKS.md`.
pub const BEGIN: &str = "<!-- BEGIN GENERATED: kubedoctor playbooks fields -->";
pub const END: &str = "<!-- END GENERATED -->";

fn compare(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Whole => "whole",
        FieldKind::Search => "search",
        FieldKind::Flag => "flag",
        FieldKind::AtLeast => "minimum",
    }
}

/// Both tables as Markdown.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("### Matcher fields\n\n");
    out.push_str(
        "`whole`: the regex must match the whole value; `search`: anywhere in it; `flag`: \
         `true`/`false`; `minimum`: a number the value must reach. Per container: the cause is \
         tried once per container (init containers included) and the best match is kept.\n\n",
    );
    out.push_str("| field | compare | per container | reads |\n|---|---|---|---|\n");
    for f in Field::ALL {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            f.name(),
            compare(f.kind()),
            if f.per_container() { "yes" } else { "" },
            f.doc()
        );
    }
    out.push_str("\n### Built-in template variables\n\n");
    out.push_str(
        "Named regex captures (`(?P<secret>...)`) add variables of their own. A variable \
         without a value renders as `<name>`, a placeholder for the reader.\n\n",
    );
    out.push_str("| variable | value |\n|---|---|\n");
    for v in BUILTIN_VARS {
        let _ = writeln!(out, "| `{{{}}}` | {} |", v.name, v.doc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_and_variable_has_a_row() {
        let md = markdown();
        for f in Field::ALL {
            assert!(md.contains(&format!("| `{}` |", f.name())), "{}", f.name());
        }
        for v in BUILTIN_VARS {
            assert!(md.contains(&format!("| `{{{}}}` |", v.name)), "{}", v.name);
        }
    }
}
