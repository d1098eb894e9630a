//! Escaping text for chat messages, so nothing from the evidence reaches a channel as markup:
//! Slack reads `<!channel>`, `<@U123>` and `<http://x|y>` in its text as mentions and links,
//! so `&`, `<` and `>` become `&amp;`, `&lt;`, `&gt;` (Slack shows them as the characters:
//! kubedoctor's own `<container>` placeholders read as written, not as broken links). A
//! Teams TextBlock reads a CommonMark subset: the characters that start emphasis, links,
//! HTML are escaped with a backslash outside code spans; inside one, where nothing is markup
//! and backslashes are literal, text is kept, and a backtick that would end a command's span
//! becomes `'`. The JSON format is the report itself.

/// Text for a Slack `mrkdwn` field or a message's `text`.
pub fn slack(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for a Teams TextBlock: outside code spans (kubedoctor's explanations quote names in
/// backticks) the markup characters are escaped; inside one nothing is markup and a
/// backslash would show, so it is kept. An unpaired backtick is escaped.
pub fn teams(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::with_capacity(s.len());
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            if i % 2 == 1 {
                out.push_str("\\`");
            }
            teams_outside(part, &mut out);
        }
    }
    out
}

fn teams_outside(s: &str, out: &mut String) {
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Text for inside a code span (`` `kubectl logs …` ``) in either format: Slack still
/// needs its three characters escaped; CommonMark needs only that no backtick ends it.
pub fn code(s: &str, slack_format: bool) -> String {
    let s = s.replace('`', "'");
    if slack_format { slack(&s) } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_mentions_and_links_become_text() {
        assert_eq!(
            slack("<!channel> deploy <http://x.test|here> & kubectl logs web -c <container>"),
            "&lt;!channel&gt; deploy &lt;http://x.test|here&gt; &amp; kubectl logs web -c &lt;container&gt;"
        );
    }

    #[test]
    fn teams_markup_is_escaped() {
        assert_eq!(
            teams("**bold** [link](http://x.test) <at>all</at> a_b"),
            "\\*\\*bold\\*\\* \\[link\\](http://x.test) \\<at\\>all\\</at\\> a\\_b"
        );
        assert_eq!(
            teams("`my_app` cannot reach `a<b>` *x* `open"),
            "`my_app` cannot reach `a<b>` \\*x\\* \\`open"
        );
        assert_eq!(code("echo `id`", false), "echo 'id'");
        assert_eq!(code("-c <container>", true), "-c &lt;container&gt;");
    }
}
