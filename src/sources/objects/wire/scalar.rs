//! The API's scalars that come as a number or as text: resource quantities and ports.

use serde::Deserialize;

/// A quantity as the API writes it (`"512Mi"`), or as a pasted YAML may (`2`).
#[derive(Debug)]
pub enum Quantity {
    Text(String),
    Number(serde_json::Number),
}

/// A port by number or by name.
#[derive(Debug)]
pub enum IntOrString {
    Int(i64),
    Text(String),
}

// Both are read by hand rather than as `#[serde(untagged)]` enums, which buffer every value
// before trying each variant (a pod has a few quantities per container).
impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor(
            "a quantity (text or number)",
            Quantity::Text,
            |n| Some(Quantity::Number(n)),
        ))
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor(
            "a port (number or name)",
            IntOrString::Text,
            |n| n.as_i64().map(IntOrString::Int),
        ))
    }
}

/// Visits a string or a number: what it expects, and how each becomes the value (`None`: a
/// number of the wrong kind).
struct ScalarVisitor<T>(
    &'static str,
    fn(String) -> T,
    fn(serde_json::Number) -> Option<T>,
);

impl<T> ScalarVisitor<T> {
    fn number<E: serde::de::Error>(self, n: Option<serde_json::Number>) -> Result<T, E> {
        n.and_then(self.2)
            .ok_or_else(|| E::invalid_type(serde::de::Unexpected::Other("number"), &self))
    }
}

impl<T> serde::de::Visitor<'_> for ScalarVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        self.visit_string(v.to_owned())
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<T, E> {
        Ok((self.1)(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        self.number(Some(v.into()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        self.number(Some(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        self.number(serde_json::Number::from_f64(v))
    }
}

impl Quantity {
    pub fn into_string(self) -> String {
        match self {
            Quantity::Text(s) => s,
            Quantity::Number(n) => n.to_string(),
        }
    }
}

impl std::fmt::Display for IntOrString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::Text(s) => f.write_str(s),
        }
    }
}
