//! Terminal styling with an explicit choice: a renderer is handed a [`Paint`] that is either
//! on (ANSI escapes through `anstyle`) or plain. No process-wide switch, so two renders in
//! one process (stdout in color, `--output-file` plain) cannot disturb each other.

use anstyle::{AnsiColor, Style};
use std::fmt::Display;

/// Whether text is styled, and the styles kubedoctor uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Paint {
    on: bool,
}

impl Paint {
    /// No escapes at all: files, pipes, `NO_COLOR`, every machine format.
    pub const PLAIN: Paint = Paint { on: false };
    /// ANSI styling.
    pub const COLOR: Paint = Paint { on: true };

    pub fn new(on: bool) -> Self {
        Paint { on }
    }

    fn apply(self, style: Style, text: impl Display) -> String {
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    fn fg(color: AnsiColor) -> Style {
        Style::new().fg_color(Some(color.into()))
    }

    pub fn bold(self, t: impl Display) -> String {
        self.apply(Style::new().bold(), t)
    }
    pub fn dimmed(self, t: impl Display) -> String {
        self.apply(Style::new().dimmed(), t)
    }
    pub fn red_bold(self, t: impl Display) -> String {
        self.apply(Self::fg(AnsiColor::Red).bold(), t)
    }
    pub fn yellow_bold(self, t: impl Display) -> String {
        self.apply(Self::fg(AnsiColor::Yellow).bold(), t)
    }
    pub fn green_bold(self, t: impl Display) -> String {
        self.apply(Self::fg(AnsiColor::Green).bold(), t)
    }
    pub fn yellow(self, t: impl Display) -> String {
        self.apply(Self::fg(AnsiColor::Yellow), t)
    }
    pub fn blue(self, t: impl Display) -> String {
        self.apply(Self::fg(AnsiColor::Blue), t)
    }
    pub fn cyan(self, t: impl Display) -> String {
        self.apply(Self::fg(AnsiColor::Cyan), t)
    }
    pub fn green(self, t: impl Display) -> String {
        self.apply(Self::fg(AnsiColor::Green), t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_adds_nothing_and_color_wraps_in_escapes() {
        assert_eq!(Paint::PLAIN.red_bold("x"), "x");
        let c = Paint::COLOR.red_bold("x");
        assert!(
            c.starts_with("\u{1b}[") && c.contains('x') && c.ends_with("\u{1b}[0m"),
            "{c:?}"
        );
    }
}
