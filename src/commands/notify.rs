//! `--webhook`: posting the report's problems after the report is written (see
//! [`crate::sinks::webhook`] for delivery and [`crate::report::render::notify`] for the
//! messages).

use crate::cli::DiagnoseArgs;
use crate::error::RunError;
use crate::report::Report;
use crate::report::render::notify;
use std::time::Duration;

/// The time limit of one delivery attempt.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Posts to every `--webhook`: nothing when there is nothing to say, unless
/// `--webhook-always`.
pub fn post_all(report: &Report, args: &DiagnoseArgs) -> Result<(), RunError> {
    if args.webhook.is_empty() {
        return Ok(());
    }
    if notify::problems(report, args.only_new).is_empty() && !args.webhook_always {
        return Ok(());
    }
    let body = serde_json::to_vec(&notify::payload(report, args.webhook_format, args.only_new))
        .unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    let mut first_error = None;
    for url in &args.webhook {
        let result = runtime.block_on(crate::sinks::webhook::post(
            url,
            body.clone().into(),
            TIMEOUT,
        ));
        if let Err(e) = result {
            // Every webhook is tried; the first failure is the error, the others warnings.
            match first_error {
                None => first_error = Some(e),
                Some(_) => eprintln!("warning: {e}"),
            }
        }
    }
    match first_error {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
