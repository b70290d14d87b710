//! Mixed and behaviour profiles written as text: Gambit's output lines
//! (`NE,1/2,1/2,1,0`), lists typed by hand, or Detente's JSON profiles.
//! The numbers come back flat, in the order written; grouping them into
//! players, information sets and actions is the caller's.

use crate::number::{parse_rational, Rational};
use serde_json::Value;

/// Why a profile text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileTextError(pub String);

impl std::fmt::Display for ProfileTextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProfileTextError {}

/// The numbers of a profile written as text, flat and in order, and
/// whether one of them was written as a decimal (`.` or an exponent).
///
/// Accepted: numbers separated by commas and/or white space, a leading
/// `NE` (Gambit's output line `NE,1/2,1/2,...`) ignored; or JSON nested
/// lists of numbers or of strings holding numbers (Detente's
/// `--format json` profiles, `[["1/2", "1/2"], ...]`). Every number is
/// read exactly by [`parse_rational`]: `0.1` is 1/10.
pub fn parse_profile_text(text: &str) -> Result<(Vec<Rational>, bool), ProfileTextError> {
    let text = text.trim();
    if text.starts_with('[') {
        let v: Value = serde_json::from_str(text).map_err(|e| {
            ProfileTextError(format!("not valid JSON at column {}: {e}", e.column()))
        })?;
        let mut out = Vec::new();
        let mut decimal = false;
        flatten_json(&v, &mut out, &mut decimal)?;
        return Ok((out, decimal));
    }
    let mut tokens: Vec<&str> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.first().is_some_and(|t| t.eq_ignore_ascii_case("NE")) {
        tokens.remove(0);
    }
    let mut decimal = false;
    let mut out = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        push_number(t, &mut out, &mut decimal).ok_or_else(|| {
            ProfileTextError(format!(
                "item {} ({t:?}) is not a number (expected an integer, a fraction such as 1/3 or a decimal such as 0.25)",
                i + 1
            ))
        })?;
    }
    if out.is_empty() {
        return Err(ProfileTextError("no numbers given".into()));
    }
    Ok((out, decimal))
}

/// Reads one number into `out`, noting whether it was written as a
/// decimal; `None` when `s` is not a number.
fn push_number(s: &str, out: &mut Vec<Rational>, decimal: &mut bool) -> Option<()> {
    out.push(parse_rational(s)?);
    *decimal |= s.contains(['.', 'e', 'E']);
    Some(())
}

fn flatten_json(
    v: &Value,
    out: &mut Vec<Rational>,
    decimal: &mut bool,
) -> Result<(), ProfileTextError> {
    match v {
        Value::Array(items) => items.iter().try_for_each(|x| flatten_json(x, out, decimal)),
        Value::Number(n) => {
            let s = n.to_string();
            push_number(&s, out, decimal)
                .ok_or_else(|| ProfileTextError(format!("{s} is not a finite number")))
        }
        Value::String(s) => push_number(s, out, decimal)
            .ok_or_else(|| ProfileTextError(format!("{s:?} is not a number"))),
        other => Err(ProfileTextError(format!(
            "expected numbers in nested lists, found {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::format_rational;
    use num_traits::{One, Zero};
    use proptest::prelude::*;

    #[test]
    fn profiles_in_every_accepted_spelling() {
        let half = Rational::new(1.into(), 2.into());
        let want = vec![
            half.clone(),
            half.clone(),
            Rational::one(),
            Rational::zero(),
        ];
        for text in [
            "NE,1/2,1/2,1,0",
            "ne, 1/2 , 1/2, 1, 0",
            "1/2 1/2 1 0",
            "[[\"1/2\", \"1/2\"], [1, 0]]",
            "[[[0.5, 0.5]], [[1, 0]]]",
        ] {
            let (got, _) = parse_profile_text(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got, want, "{text}");
        }
        assert!(!parse_profile_text("1/2,1/2").map(|p| p.1).unwrap_or(true));
        assert!(parse_profile_text("0.5,0.5").map(|p| p.1).unwrap_or(false));
        assert!(parse_profile_text("[0.5, 0.5]")
            .map(|p| p.1)
            .unwrap_or(false));
    }

    proptest! {
        /// Any text gives numbers or a usage error, never a panic.
        #[test]
        fn any_text_parses_or_is_refused(text in ".{0,40}") {
            let _ = parse_profile_text(&text);
        }

        /// Profiles written out in Gambit's style read back exactly.
        #[test]
        fn written_profiles_read_back(nums in proptest::collection::vec((0i64..50, 1i64..50), 1..12)) {
            let xs: Vec<Rational> = nums.iter().map(|&(a, b)| Rational::new(a.into(), b.into())).collect();
            let text = format!("NE,{}", xs.iter().map(format_rational).collect::<Vec<_>>().join(","));
            let (got, decimal) = parse_profile_text(&text).map_err(|e| TestCaseError::fail(e.0))?;
            prop_assert_eq!(got, xs);
            prop_assert!(!decimal);
        }
    }
}
