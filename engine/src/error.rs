//! Errors that say where and what.

/// A problem found while validating or building a simulation, located by its path in the
/// scene (e.g. `populations[1].params.tau_m`). Scene files map paths to line and column.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BuildError {
    /// Where: a dotted path into the scene.
    pub path: String,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl BuildError {
    /// A new error at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// The candidate nearest to `name` (by Jaro–Winkler similarity, case-insensitive), if one is
/// reasonably close: the "did you mean ...?" of error messages.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(s, _)| *s > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "unknown X `name`; did you mean `best`? (valid: a, b, c)" — a helper for unknown names.
pub fn unknown(what: &str, name: &str, candidates: &[&str]) -> String {
    let mut msg = format!("unknown {what} `{name}`");
    if let Some(s) = suggest(name, candidates.iter().copied()) {
        msg.push_str(&format!("; did you mean `{s}`?"));
    }
    if candidates.len() <= 12 {
        msg.push_str(&format!(" (expected one of: {})", candidates.join(", ")));
    }
    msg
}

/// `Err(BuildError)` at `path` with `msg` (the validators' shorthand).
pub(crate) fn err<T>(path: impl Into<String>, msg: impl Into<String>) -> Result<T, BuildError> {
    Err(BuildError::new(path, msg))
}

/// `x` must be finite.
pub(crate) fn finite(path: &str, x: f64) -> Result<(), BuildError> {
    if x.is_finite() {
        Ok(())
    } else {
        err(path, format!("must be finite, got {x}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_near_name_and_nothing_for_strangers() {
        let c = ["tau_m", "v_rest", "v_threshold"];
        assert_eq!(suggest("tau_mm", c), Some("tau_m"));
        assert_eq!(suggest("V_Threshold", c), Some("v_threshold"));
        assert_eq!(suggest("zzzz", c), None);
        assert!(unknown("parameter", "tau_mm", &c).contains("did you mean `tau_m`?"));
    }
}
