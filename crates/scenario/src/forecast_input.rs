//! One issue of a scenario as input to the forecasting models of
//! `detente-forecast` (what `detente forecast FILE.toml --issue ID` runs on).
//!
//! The actors are those with a position on the issue, in the order the
//! scenario lists them; positions are on the issue's own scale, saliences
//! are scaled from the scenario's 0–100 to 0–1 and capabilities are the
//! actors' `capability` (1 where none is given), all at their point
//! estimates, with the policy's replacements applied when one is named. The
//! issue's scale (`min`, `max`) is the model's bounds. This is the same data
//! the scenario's own negotiation rules hand to the models
//! ([`crate::eval::negotiation_data`]).

use crate::error::suggestion;
use crate::eval::{case_values, negotiation_data};
use crate::model::Scenario;
use detente_forecast::IssueData;

/// The ids of the scenario's issues, in file order.
pub fn issue_ids(s: &Scenario) -> Vec<&str> {
    s.issues.iter().map(|i| i.id.as_str()).collect()
}

/// The data of issue `issue` (its id) under `policy` (a policy id; `None`
/// for the base case), at the point estimates of every input.
///
/// Errors (plain sentences, naming what was asked for, the choices the
/// scenario has and the nearest one): an unknown issue or policy, an issue
/// on which no actor takes a position, values a model cannot use.
pub fn issue_data(s: &Scenario, issue: &str, policy: Option<&str>) -> Result<IssueData, String> {
    let list = |ids: Vec<&str>| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    let Some(k) = s.issues.iter().position(|i| i.id == issue) else {
        return Err(format!(
            "unknown issue `{issue}` (the scenario has: {}){}",
            list(issue_ids(s)),
            suggestion(issue, issue_ids(s))
        ));
    };
    let p = match policy {
        None => None,
        Some(name) => Some(s.policy_index(name).ok_or_else(|| {
            let ids = || s.policies.iter().map(|p| p.id.as_str());
            format!(
                "unknown policy `{name}` (the scenario has: {}){}",
                list(ids().collect()),
                suggestion(name, ids())
            )
        })?),
    };
    let mut values = Vec::with_capacity(s.inputs.len());
    case_values(s, p, &s.point_values(), &mut values);
    let data = negotiation_data(s, &s.issues[k], &values);
    if data.is_empty() {
        return Err(format!(
            "issue `{issue}`: no actor takes a position on it, so there is nothing to forecast"
        ));
    }
    data.validate()
        .map_err(|e| format!("issue `{issue}`: {e}"))?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::{BUILTIN, BUILTIN_NAME};
    use crate::parse_scenario;

    fn essay() -> Scenario {
        parse_scenario(BUILTIN, BUILTIN_NAME).expect("the built-in scenario parses")
    }

    #[test]
    fn reads_one_issue_at_its_point_estimates() {
        let s = essay();
        let d = issue_data(&s, "tech_transfer", None).unwrap();
        assert_eq!(d.name, "tech_transfer");
        assert_eq!(
            d.actors,
            ["PRK", "RUS", "CHN", "USA", "KOR", "JPN", "UKR", "GBR", "FRA"]
        );
        // PRK at 100 with salience 90; RUS's triangular [30, 40, 50] at its mode.
        assert_eq!(d.positions[0], 100.0);
        assert!((d.saliences[0] - 0.9).abs() < 1e-12);
        assert_eq!(d.positions[1], 40.0);
        assert_eq!((d.lower, d.upper), (0.0, 100.0));
        assert!(d.capabilities.iter().all(|&c| c > 0.0));
    }

    #[test]
    fn unknown_issue_lists_the_ids_and_suggests_one() {
        let s = essay();
        let e = issue_data(&s, "tech_transfr", None).unwrap_err();
        assert!(e.contains("unknown issue `tech_transfr`"), "{e}");
        assert!(e.contains("un_sanctions, tech_transfer"), "{e}");
        assert!(e.ends_with("did you mean `tech_transfer`?"), "{e}");
    }

    #[test]
    fn unknown_policy_is_an_error_and_a_known_one_applies() {
        let s = essay();
        let e = issue_data(&s, "talks", Some("a_talk")).unwrap_err();
        assert!(e.contains("unknown policy `a_talk`"), "{e}");
        assert!(e.contains("did you mean `a_talks`?"), "{e}");
        let usa = |d: &IssueData| d.positions[d.actors.iter().position(|a| a == "USA").unwrap()];
        let base = issue_data(&s, "us_troops", None).unwrap();
        let pullback = issue_data(&s, "us_troops", Some("c_pullback")).unwrap();
        assert_ne!(usa(&base), 20.0);
        assert_eq!(usa(&pullback), 20.0);
        for p in &s.policies {
            let d = issue_data(&s, "talks", Some(&p.id)).unwrap();
            assert!(!d.is_empty());
        }
    }
}
