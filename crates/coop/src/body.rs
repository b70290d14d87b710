//! Voting bodies: weighted games `[q; w₁, …, wₙ]` and composite bodies that
//! impose several weighted conditions at once (vector-weighted games), with
//! required members (vetoes).
//!
//! A coalition of yes-voters passes a proposal when
//!
//! * every [`Condition`] holds (its members' weight reaches its quota), and
//! * every required member (veto holder) is in it,
//!
//! or when it has at least [`VotingBody::pass_with_members`] members (the EU
//! Council's rule that a blocking minority needs at least four states).
//!
//! The UN Security Council is one head-count condition (9 of 15) plus five
//! required members; the EU Council is two conditions (55% of the states,
//! 65% of the population) plus `pass_with_members = 24`.

use detente_game::{parse_rational, GameError, Rational};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// The largest total weight a condition may have (so that sums stay in `u64`
/// with room to spare).
pub const MAX_TOTAL_WEIGHT: u64 = 1 << 53;

/// One weighted condition: the yes-voters' weights must sum to at least
/// `quota`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// A human label ("states", "population").
    pub label: String,
    /// One non-negative integer weight per member.
    pub weights: Vec<u64>,
    /// The quota, `1 ≤ quota ≤ Σ weights`.
    pub quota: u64,
}

impl Condition {
    /// Total weight.
    pub fn total(&self) -> u64 {
        self.weights.iter().sum()
    }
    /// `true` if every weight is 1 (a head count).
    pub fn is_head_count(&self) -> bool {
        self.weights.iter().all(|&w| w == 1)
    }
}

/// A voting body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VotingBody {
    /// Name of the body.
    pub name: String,
    /// Member names (distinct).
    pub members: Vec<String>,
    /// Conditions that must all hold.
    pub conditions: Vec<Condition>,
    /// `required[i]`: member `i` holds a veto (must be among the yes-voters;
    /// in a ballot, only its "no" blocks, an abstention does not).
    pub required: Vec<bool>,
    /// A coalition with at least this many members passes regardless of the
    /// conditions (and of vetoes).
    pub pass_with_members: Option<usize>,
}

impl VotingBody {
    /// Builds and validates a body.
    pub fn new(
        name: impl Into<String>,
        members: Vec<String>,
        conditions: Vec<Condition>,
        required: Vec<bool>,
        pass_with_members: Option<usize>,
    ) -> Result<Self, GameError> {
        let name = name.into();
        let n = members.len();
        if n == 0 {
            return Err(GameError::Invalid(format!(
                "voting body '{name}' has no members"
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for m in &members {
            if !seen.insert(m.as_str()) {
                return Err(GameError::Invalid(format!(
                    "voting body '{name}': member '{m}' is listed twice"
                )));
            }
        }
        if required.len() != n {
            return Err(GameError::Invalid(format!(
                "voting body '{name}': {} veto flags for {n} members",
                required.len()
            )));
        }
        if conditions.is_empty() && !required.iter().any(|&r| r) && pass_with_members.is_none() {
            return Err(GameError::Invalid(format!(
                "voting body '{name}' has no decision rule: give a quota, a condition or veto members"
            )));
        }
        for c in &conditions {
            if c.weights.len() != n {
                return Err(GameError::Invalid(format!(
                    "voting body '{name}', condition '{}': {} weights for {n} members",
                    c.label,
                    c.weights.len()
                )));
            }
            let mut total: u64 = 0;
            for &w in &c.weights {
                total = total
                    .checked_add(w)
                    .filter(|&t| t <= MAX_TOTAL_WEIGHT)
                    .ok_or_else(|| {
                        GameError::Invalid(format!(
                            "voting body '{name}', condition '{}': total weight exceeds 2^53",
                            c.label
                        ))
                    })?;
            }
            if c.quota == 0 {
                return Err(GameError::Invalid(format!(
                    "voting body '{name}', condition '{}': the quota must be positive (a quota of 0 lets the empty coalition pass)",
                    c.label
                )));
            }
            if c.quota > total {
                return Err(GameError::Invalid(format!(
                    "voting body '{name}', condition '{}': quota {} is above the total weight {total}, so nothing can pass",
                    c.label, c.quota
                )));
            }
        }
        if let Some(k) = pass_with_members {
            if k == 0 || k > n {
                return Err(GameError::Invalid(format!(
                    "voting body '{name}': pass_with_members = {k} must be between 1 and the number of members ({n})"
                )));
            }
        }
        Ok(VotingBody {
            name,
            members,
            conditions,
            required,
            pass_with_members,
        })
    }

    /// The weighted game `[quota; weights]` with members `P1, …, Pn`.
    pub fn weighted(quota: u64, weights: Vec<u64>) -> Result<Self, GameError> {
        let members = (1..=weights.len()).map(|i| format!("P{i}")).collect();
        let n = weights.len();
        VotingBody::new(
            format!("[{quota}; {}]", join(&weights)),
            members,
            vec![Condition {
                label: "weight".into(),
                weights,
                quota,
            }],
            vec![false; n],
            None,
        )
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// `true` if the body has no members (never, for a validated body).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Does this set of yes-voters pass a proposal?
    pub fn is_winning(&self, coalition: &[bool]) -> bool {
        let size = coalition.iter().filter(|&&b| b).count();
        if let Some(k) = self.pass_with_members {
            if size >= k {
                return true;
            }
        }
        if self.required.iter().zip(coalition).any(|(&r, &c)| r && !c) {
            return false;
        }
        self.conditions.iter().all(|c| {
            let w: u64 = c
                .weights
                .iter()
                .zip(coalition)
                .filter(|(_, &b)| b)
                .map(|(&w, _)| w)
                .sum();
            w >= c.quota
        })
    }
}

fn join(w: &[u64]) -> String {
    w.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses a weighted game written `[q; w1, w2, …, wn]` (the notation of the
/// literature; `--game` on the command line). Numbers may be decimals or
/// fractions; they are scaled to integers by the least common denominator
/// and the quota is rounded up (a coalition wins when its weight reaches
/// `q`). Errors name `source` and the column.
pub fn parse_weighted_game(source: &str, text: &str) -> Result<VotingBody, GameError> {
    let err = |col: usize, msg: String| GameError::parse(source, 1, col, msg);
    let trimmed_start = text.len() - text.trim_start().len();
    let body = text.trim();
    if !body.starts_with('[') {
        return Err(err(
            trimmed_start + 1,
            "a weighted game is written [q; w1, w2, ...]: expected '['".into(),
        ));
    }
    if !body.ends_with(']') {
        return Err(err(
            trimmed_start + body.len(),
            "a weighted game is written [q; w1, w2, ...]: expected ']' at the end".into(),
        ));
    }
    let inner = &body[1..body.len() - 1];
    let base = trimmed_start + 2; // column of inner[0]
    let Some(semi) = inner.find(';') else {
        return Err(err(
            base,
            "expected ';' after the quota, as in [51; 30, 25, 20]".into(),
        ));
    };
    let mut numbers: Vec<(usize, Rational)> = Vec::new();
    let mut parse_num = |s: &str, col: usize, what: &str| -> Result<Rational, GameError> {
        let t = s.trim();
        let lead = s.len() - s.trim_start().len();
        if t.is_empty() {
            return Err(err(col, format!("missing {what}")));
        }
        let v =
            parse_rational(t).ok_or_else(|| err(col + lead, format!("'{t}' is not a number")))?;
        if v.is_negative() {
            return Err(err(
                col + lead,
                format!("{what} {t} is negative; weights and quotas must be non-negative"),
            ));
        }
        numbers.push((col + lead, v.clone()));
        Ok(v)
    };
    let quota = parse_num(&inner[..semi], base, "quota")?;
    let mut weights = Vec::new();
    let mut offset = semi + 1;
    let rest = &inner[semi + 1..];
    if rest.trim().is_empty() {
        return Err(err(
            base + semi + 1,
            "the body has no members: give at least one weight after ';'".into(),
        ));
    }
    for part in rest.split(',') {
        weights.push(parse_num(part, base + offset, "weight")?);
        offset += part.len() + 1;
    }
    // Scale to integers.
    let mut lcm = BigInt::one();
    for w in weights.iter().chain(std::iter::once(&quota)) {
        lcm = lcm.lcm(w.denom());
    }
    let scale = Rational::from_integer(lcm);
    let mut int_weights = Vec::with_capacity(weights.len());
    for (k, w) in weights.iter().enumerate() {
        let v = (w * &scale).to_integer();
        let v = v
            .to_u64()
            .filter(|&x| x <= MAX_TOTAL_WEIGHT)
            .ok_or_else(|| {
                err(
                    numbers[k + 1].0,
                    "weight too large (after scaling to integers it exceeds 2^53)".into(),
                )
            })?;
        int_weights.push(v);
    }
    let q = (&quota * &scale).ceil().to_integer();
    if q.is_zero() {
        return Err(err(
            numbers[0].0,
            "the quota must be positive (a quota of 0 lets the empty coalition pass)".into(),
        ));
    }
    let total: u128 = int_weights.iter().map(|&w| w as u128).sum();
    let q = q
        .to_u64()
        .filter(|&x| (x as u128) <= total)
        .ok_or_else(|| {
            err(
                numbers[0].0,
                format!(
                    "quota {} is above the total weight {}, so nothing can pass",
                    quota,
                    sum_display(&weights)
                ),
            )
        })?;
    let mut body = VotingBody::weighted(q, int_weights).map_err(|e| match e {
        GameError::Invalid(m) => err(1, m),
        other => other,
    })?;
    body.name = text.trim().to_string();
    Ok(body)
}

fn sum_display(w: &[Rational]) -> String {
    let s: Rational = w.iter().fold(Rational::zero(), |a, b| a + b);
    detente_game::format_rational(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_weighted_games() {
        let b = parse_weighted_game("--game", "[51; 50, 49, 1]").unwrap();
        assert_eq!(b.conditions[0].quota, 51);
        assert_eq!(b.conditions[0].weights, vec![50, 49, 1]);
        assert_eq!(b.members, vec!["P1", "P2", "P3"]);
        let b = parse_weighted_game("--game", " [ 2.5 ; 1.5, 1, 1/2 ] ").unwrap();
        assert_eq!(b.conditions[0].weights, vec![3, 2, 1]);
        assert_eq!(b.conditions[0].quota, 5);
        assert!(b.is_winning(&[true, true, false]));
        assert!(!b.is_winning(&[true, false, true]));
    }

    #[test]
    fn rejects_bad_games() {
        let cases = [
            ("[10; 3, 4]", "above the total"),
            ("[3; 4, -1]", "negative"),
            ("[3; ]", "no members"),
            ("[0; 1, 1]", "positive"),
            ("3; 1, 2", "expected '['"),
            ("[3, 1, 2]", "expected ';'"),
            ("[3; 1, x]", "'x' is not a number"),
            ("[3; 1,, 2]", "missing weight"),
        ];
        for (text, msg) in cases {
            let e = parse_weighted_game("--game", text).unwrap_err().to_string();
            assert!(e.contains(msg), "{text}: {e}");
            assert!(e.starts_with("--game:1:"), "{text}: {e}");
        }
        // The column points at the offending number.
        let e = parse_weighted_game("--game", "[3; 1, x]")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("--game:1:8:"), "{e}");
    }

    #[test]
    fn validates_bodies() {
        assert!(VotingBody::weighted(1, vec![]).is_err());
        let e = VotingBody::new(
            "x",
            vec!["A".into(), "A".into()],
            vec![],
            vec![true, false],
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("twice"), "{e}");
    }

    #[test]
    fn security_council_rule() {
        let members: Vec<String> = (0..15).map(|i| format!("M{i}")).collect();
        let required: Vec<bool> = (0..15).map(|i| i < 5).collect();
        let b = VotingBody::new(
            "UNSC",
            members,
            vec![Condition {
                label: "members".into(),
                weights: vec![1; 15],
                quota: 9,
            }],
            required,
            None,
        )
        .unwrap();
        let mut c = vec![false; 15];
        for x in c.iter_mut().take(9) {
            *x = true;
        }
        assert!(b.is_winning(&c));
        c[0] = false;
        c[10] = true;
        assert!(!b.is_winning(&c), "a permanent member missing vetoes");
    }
}
