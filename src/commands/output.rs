//! Writing to stdout: color decisions (a [`Paint`] per destination), and a closed pipe (`| head`) treated as success.

use crate::cli::ColorChoice;
use crate::report::render::paint::Paint;
use std::io::{IsTerminal, Write};

/// The styling for standard output: `--color`, then `NO_COLOR`, then whether stdout is a
/// terminal.
pub fn stdout_paint(choice: ColorChoice) -> Paint {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    Paint::new(on)
}

/// The styling for a file: color only when asked for with `--color always`.
pub fn file_paint(choice: ColorChoice) -> Paint {
    Paint::new(choice == ColorChoice::Always)
}

/// Writes the text to stdout; a broken pipe is not an error.
pub fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
