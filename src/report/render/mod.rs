//! Renderers: one file per output format, each a pure function of the [`Report`](super::Report).

pub mod json;
pub mod text;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Renders a report in a format.
pub fn render(report: &super::Report, format: Format) -> String {
    match format {
        Format::Text => text::render(report),
        Format::Json => json::render(report),
    }
}
