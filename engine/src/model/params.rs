//! Parameters: the `params!` declaration, parameter fields and their validation.

use std::fmt;

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// A value a parameter field can hold: numbers (settable from scenes, drawable per neuron), or
/// named choices (set from text).
pub trait ParamField: Clone + fmt::Debug + Send + Sync + 'static {
    /// The value as a number, if it is numeric.
    fn to_number(&self) -> Option<f64>;
    /// Set from a number; `Err` says what was expected.
    fn set_number(&mut self, x: f64) -> Result<(), String>;
    /// Set from text (named choices); numbers refuse text.
    fn set_text(&mut self, s: &str) -> Result<(), String> {
        Err(format!("expects a number, got the text \"{s}\""))
    }
    /// Human-readable value, for catalogue listings.
    fn display(&self) -> String;
}

impl ParamField for f64 {
    fn to_number(&self) -> Option<f64> {
        Some(*self)
    }
    fn set_number(&mut self, x: f64) -> Result<(), String> {
        if !x.is_finite() {
            return Err(format!("must be finite, got {x}"));
        }
        *self = x;
        Ok(())
    }
    fn display(&self) -> String {
        format!("{self}")
    }
}

macro_rules! int_param_field {
    ($($t:ty),*) => {$(
        impl ParamField for $t {
            fn to_number(&self) -> Option<f64> {
                Some(*self as f64)
            }
            fn set_number(&mut self, x: f64) -> Result<(), String> {
                if !x.is_finite() || x.fract() != 0.0 || x < <$t>::MIN as f64 || x > <$t>::MAX as f64 {
                    return Err(format!(
                        "expects an integer in [{}, {}], got {x}",
                        <$t>::MIN,
                        <$t>::MAX
                    ));
                }
                *self = x as $t;
                Ok(())
            }
            fn display(&self) -> String {
                format!("{self}")
            }
        }
    )*};
}
int_param_field!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl ParamField for bool {
    fn to_number(&self) -> Option<f64> {
        Some(if *self { 1.0 } else { 0.0 })
    }
    fn set_number(&mut self, x: f64) -> Result<(), String> {
        if x == 0.0 || x == 1.0 {
            *self = x == 1.0;
            Ok(())
        } else {
            Err(format!("expects true/false (or 0/1), got {x}"))
        }
    }
    fn set_text(&mut self, s: &str) -> Result<(), String> {
        match s {
            "true" => *self = true,
            "false" => *self = false,
            _ => return Err(format!("expects true or false, got \"{s}\"")),
        }
        Ok(())
    }
    fn display(&self) -> String {
        format!("{self}")
    }
}

/// Run-time description of one parameter field (from its declaration and doc comment).
#[derive(Clone, Copy, Debug)]
pub struct FieldInfo {
    /// Field name as written in scenes and in SC-NeuroCore.
    pub name: &'static str,
    /// The field's doc comment: "meaning, symbol [unit]".
    pub doc: &'static str,
}

impl FieldInfo {
    /// The unit: the text inside the last `[...]` of the doc comment, or "" if none.
    pub fn unit(&self) -> &'static str {
        match (self.doc.rfind('['), self.doc.rfind(']')) {
            (Some(a), Some(b)) if b > a => self.doc[a + 1..b].trim(),
            _ => "",
        }
    }
}

/// A parameter validation failure: which field, and what was wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("parameter `{field}`: {message}")]
pub struct ParamError {
    /// The offending field (or a comma-separated list for relations between fields).
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ParamError {
    /// A new error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A model's parameter set. Implemented by [`params!`](crate::params); models write `validate`.
pub trait ParamSet:
    Clone
    + fmt::Debug
    + Default
    + Send
    + Sync
    + serde::Serialize
    + serde::de::DeserializeOwned
    + 'static
{
    /// The fields, in declaration order.
    const FIELDS: &'static [FieldInfo];
    /// Read a field by name (as a number; `None` if unknown or not numeric).
    fn get_number(&self, name: &str) -> Option<f64>;
    /// Display a field by name.
    fn display_field(&self, name: &str) -> Option<String>;
    /// Set a numeric field by name.
    fn set_number(&mut self, name: &str, x: f64) -> Result<(), ParamError>;
    /// Set a named-choice field by name.
    fn set_text(&mut self, name: &str, s: &str) -> Result<(), ParamError>;
    /// Check the whole set: every number finite, and the model's own rules.
    fn validate(&self) -> Result<(), ParamError>;
}

/// Helpers for `validate()` implementations: each returns a [`ParamError`] naming the field.
pub mod check {
    use super::ParamError;

    /// `x` must be finite.
    pub fn finite(name: &str, x: f64) -> Result<(), ParamError> {
        if x.is_finite() {
            Ok(())
        } else {
            Err(ParamError::new(name, format!("must be finite, got {x}")))
        }
    }
    /// `x > 0`.
    pub fn positive(name: &str, x: f64) -> Result<(), ParamError> {
        if x > 0.0 && x.is_finite() {
            Ok(())
        } else {
            Err(ParamError::new(name, format!("must be > 0, got {x}")))
        }
    }
    /// `x >= 0`.
    pub fn non_negative(name: &str, x: f64) -> Result<(), ParamError> {
        if x >= 0.0 && x.is_finite() {
            Ok(())
        } else {
            Err(ParamError::new(name, format!("must be >= 0, got {x}")))
        }
    }
    /// `lo <= x <= hi`.
    pub fn in_range(name: &str, x: f64, lo: f64, hi: f64) -> Result<(), ParamError> {
        if x >= lo && x <= hi {
            Ok(())
        } else {
            Err(ParamError::new(
                name,
                format!("must lie in [{lo}, {hi}], got {x}"),
            ))
        }
    }
    /// `a < b` for two named fields.
    pub fn less(a_name: &str, a: f64, b_name: &str, b: f64) -> Result<(), ParamError> {
        if a < b {
            Ok(())
        } else {
            Err(ParamError::new(
                format!("{a_name}, {b_name}"),
                format!("{a_name} ({a}) must be below {b_name} ({b})"),
            ))
        }
    }
}

/// Declare a parameter struct: pub fields with docs and defaults, serde with
/// `deny_unknown_fields`, `Default`, and [`ParamSet`] (validation is delegated to an inherent
/// `fn check(&self) -> Result<(), ParamError>` the model writes).
///
/// ```ignore
/// params! {
///     /// Parameters of the LIF neuron.
///     pub struct LIFParams {
///         /// Membrane time constant, τ_m [ms].
///         tau_m: f64 = 10.0,
///     }
/// }
/// impl LIFParams { fn check(&self) -> Result<(), ParamError> { check::positive("tau_m", self.tau_m) } }
/// ```
#[macro_export]
macro_rules! params {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $doc:literal])+
                $field:ident : $ty:ty = $default:expr
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, $crate::serde::Serialize, $crate::serde::Deserialize)]
        #[serde(default, deny_unknown_fields, crate = "::neurocore_engine::serde")]
        $vis struct $name {
            $( $(#[doc = $doc])+ pub $field: $ty, )+
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )+ }
            }
        }

        impl $crate::model::ParamSet for $name {
            const FIELDS: &'static [$crate::model::FieldInfo] = &[
                $( $crate::model::FieldInfo {
                    name: stringify!($field),
                    doc: $crate::__trim_doc!($($doc)+),
                }, )+
            ];
            fn get_number(&self, name: &str) -> Option<f64> {
                match name {
                    $( stringify!($field) => $crate::model::ParamField::to_number(&self.$field), )+
                    _ => None,
                }
            }
            fn display_field(&self, name: &str) -> Option<String> {
                match name {
                    $( stringify!($field) => Some($crate::model::ParamField::display(&self.$field)), )+
                    _ => None,
                }
            }
            fn set_number(&mut self, name: &str, x: f64) -> Result<(), $crate::model::ParamError> {
                match name {
                    $( stringify!($field) => $crate::model::ParamField::set_number(&mut self.$field, x)
                        .map_err(|m| $crate::model::ParamError::new(name, m)), )+
                    _ => Err($crate::model::ParamError::new(name, "no such parameter")),
                }
            }
            fn set_text(&mut self, name: &str, s: &str) -> Result<(), $crate::model::ParamError> {
                match name {
                    $( stringify!($field) => $crate::model::ParamField::set_text(&mut self.$field, s)
                        .map_err(|m| $crate::model::ParamError::new(name, m)), )+
                    _ => Err($crate::model::ParamError::new(name, "no such parameter")),
                }
            }
            fn validate(&self) -> Result<(), $crate::model::ParamError> {
                $(
                    if let Some(x) = $crate::model::ParamField::to_number(&self.$field) {
                        $crate::model::check::finite(stringify!($field), x)?;
                    }
                )+
                self.check()
            }
        }
    };
}

/// Joins doc-comment lines into one string (internal helper of the macros).
#[doc(hidden)]
#[macro_export]
macro_rules! __trim_doc {
    ($first:literal $($rest:literal)*) => {
        concat!($first $(, "\n", $rest)*)
    };
}
