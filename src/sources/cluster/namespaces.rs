//! The cluster's namespace names: asked only when a run's namespace holds no pod, so the
//! note can say which namespace a typo was meant to be (`-n shpo`: did you mean `shop`?).
//! Needs list on namespaces; without it the note goes without the suggestion.

use super::call::CallError;
use super::connect::Connection;
use super::list::list_all;

/// Every namespace's name (one paginated LIST).
pub async fn namespaces(conn: &Connection) -> Result<Vec<String>, CallError> {
    let listed = list_all(conn, "/api/v1/namespaces", None, None, false, |text| {
        serde_json::from_str::<serde_json::Value>(text).map(|v| {
            v["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
    })
    .await?;
    Ok(listed.items)
}
