//! Uncertain numbers: every number in a scenario may be a distribution.
//!
//! In the TOML file a number is written either plainly (`salience = 70`) or
//! as a table naming its distribution and where it comes from:
//!
//! ```toml
//! value = { triangular = [40, 60, 80], judgment = true }
//! cost  = { value = 12, source = "F27" }
//! share = { uniform = [0.2, 0.4], source = "F15" }
//! drift = { normal = [0, 5] }             # mean, standard deviation
//! gap   = { pert = [25, 50, 375] }        # low, mode, high
//! level = { discrete = [[40, 0.7], [50, 0.3]] }   # value, weight
//! ```
//!
//! The point estimate of a distribution (used for "holds at the point
//! estimate") is its mode for triangular and PERT, its mean for uniform and
//! normal, and the most likely value of a discrete distribution (the first
//! on ties).

use rand::Rng;
use rand_distr::{Distribution, Normal, Pert, Triangular, Uniform};
use serde::Deserialize;

/// A probability distribution over one number.
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    Point(f64),
    Uniform {
        low: f64,
        high: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// A normal, its draws clamped to `[low, high]` (infinite by default;
    /// set to the range of the number it describes, e.g. 0..100 for a
    /// salience).
    Normal {
        mean: f64,
        sd: f64,
        low: f64,
        high: f64,
    },
    Pert {
        low: f64,
        mode: f64,
        high: f64,
    },
    Discrete {
        values: Vec<f64>,
        cumulative: Vec<f64>,
    },
}

impl Dist {
    /// The point estimate (see the module documentation).
    pub fn point(&self) -> f64 {
        match self {
            Dist::Point(v) => *v,
            Dist::Uniform { low, high } => (low + high) / 2.0,
            Dist::Triangular { mode, .. } | Dist::Pert { mode, .. } => *mode,
            Dist::Normal { mean, .. } => *mean,
            Dist::Discrete { values, cumulative } => {
                let mut best = 0;
                let mut best_w = f64::NEG_INFINITY;
                let mut prev = 0.0;
                for (i, c) in cumulative.iter().enumerate() {
                    let w = c - prev;
                    prev = *c;
                    if w > best_w {
                        best_w = w;
                        best = i;
                    }
                }
                values[best]
            }
        }
    }

    /// Whether the number is uncertain (anything but a point).
    pub fn is_uncertain(&self) -> bool {
        match self {
            Dist::Point(_) => false,
            Dist::Uniform { low, high } => low < high,
            Dist::Triangular { low, high, .. } | Dist::Pert { low, high, .. } => low < high,
            Dist::Normal { sd, .. } => *sd > 0.0,
            Dist::Discrete { values, .. } => values.len() > 1,
        }
    }

    /// The range the value can take (for a normal, mean ± 4 sd), used by the
    /// sensitivity analysis to look for the value at which a claim flips.
    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::Point(v) => (*v, *v),
            Dist::Uniform { low, high }
            | Dist::Triangular { low, high, .. }
            | Dist::Pert { low, high, .. } => (*low, *high),
            Dist::Normal {
                mean,
                sd,
                low,
                high,
            } => ((mean - 4.0 * sd).max(*low), (mean + 4.0 * sd).min(*high)),
            Dist::Discrete { values, .. } => values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(*v), hi.max(*v))
                }),
        }
    }

    /// One draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        // Every constructor below was validated by `Dist::new_*`, so the
        // rand_distr constructors cannot fail; fall back to the point
        // estimate rather than panic if they ever did.
        match self {
            Dist::Point(v) => *v,
            Dist::Uniform { low, high } => match Uniform::new_inclusive(*low, *high) {
                Ok(d) => d.sample(rng),
                Err(_) => self.point(),
            },
            Dist::Triangular { low, mode, high } => match Triangular::new(*low, *high, *mode) {
                Ok(d) => d.sample(rng),
                Err(_) => self.point(),
            },
            Dist::Normal {
                mean,
                sd,
                low,
                high,
            } => match Normal::new(*mean, *sd) {
                Ok(d) => d.sample(rng).clamp(*low, *high),
                Err(_) => self.point(),
            },
            Dist::Pert { low, mode, high } => match Pert::new(*low, *high).with_mode(*mode) {
                Ok(d) => d.sample(rng),
                Err(_) => self.point(),
            },
            Dist::Discrete { values, cumulative } => {
                let total = cumulative.last().copied().unwrap_or(1.0);
                let u: f64 = Uniform::new(0.0, total)
                    .map(|d| d.sample(rng))
                    .unwrap_or(0.0);
                let i = cumulative
                    .partition_point(|c| *c <= u)
                    .min(values.len() - 1);
                values[i]
            }
        }
    }
}

/// A number as written in the file: plain, or a table with a distribution
/// and provenance.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawNumber {
    Plain(f64),
    Table(RawNumberTable),
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawNumberTable {
    pub value: Option<f64>,
    pub uniform: Option<Vec<f64>>,
    pub triangular: Option<Vec<f64>>,
    pub normal: Option<Vec<f64>>,
    pub pert: Option<Vec<f64>>,
    pub discrete: Option<Vec<Vec<f64>>>,
    /// Id of an entry in `[[sources]]`, or free text naming the source.
    pub source: Option<String>,
    /// Marks the number as the modeller's judgment rather than a sourced fact.
    #[serde(default)]
    pub judgment: bool,
    /// Free-text note.
    pub note: Option<String>,
}

/// Where a number comes from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    Source(String),
    Judgment,
    Unstated,
}

impl RawNumber {
    /// Builds the distribution, checking its parameters. The error is a
    /// plain message; the caller adds the location.
    pub fn to_dist(&self) -> Result<(Dist, Provenance), String> {
        match self {
            RawNumber::Plain(v) => Ok((Dist::Point(finite(*v)?), Provenance::Unstated)),
            RawNumber::Table(t) => {
                let mut kinds = Vec::new();
                if t.value.is_some() {
                    kinds.push("value");
                }
                if t.uniform.is_some() {
                    kinds.push("uniform");
                }
                if t.triangular.is_some() {
                    kinds.push("triangular");
                }
                if t.normal.is_some() {
                    kinds.push("normal");
                }
                if t.pert.is_some() {
                    kinds.push("pert");
                }
                if t.discrete.is_some() {
                    kinds.push("discrete");
                }
                if kinds.len() != 1 {
                    return Err(if kinds.is_empty() {
                        "a number table needs one of `value`, `uniform`, `triangular`, `normal`, `pert`, `discrete`".to_string()
                    } else {
                        format!("a number table has exactly one of value/uniform/triangular/normal/pert/discrete, found {}", kinds.join(" and "))
                    });
                }
                let dist = if let Some(v) = t.value {
                    Dist::Point(finite(v)?)
                } else if let Some(v) = &t.uniform {
                    let [low, high] = pair(v, "uniform = [low, high]")?;
                    ordered(low, high, "uniform")?;
                    Dist::Uniform { low, high }
                } else if let Some(v) = &t.triangular {
                    let [low, mode, high] = triple(v, "triangular = [low, mode, high]")?;
                    ordered3(low, mode, high, "triangular")?;
                    Dist::Triangular { low, mode, high }
                } else if let Some(v) = &t.pert {
                    let [low, mode, high] = triple(v, "pert = [low, mode, high]")?;
                    ordered3(low, mode, high, "pert")?;
                    if low == high {
                        Dist::Point(low)
                    } else {
                        Dist::Pert { low, mode, high }
                    }
                } else if let Some(v) = &t.normal {
                    let [mean, sd] = pair(v, "normal = [mean, sd]")?;
                    if sd < 0.0 {
                        return Err(format!("normal: the standard deviation {sd} is negative"));
                    }
                    Dist::Normal {
                        mean,
                        sd,
                        low: f64::NEG_INFINITY,
                        high: f64::INFINITY,
                    }
                } else if let Some(v) = &t.discrete {
                    if v.is_empty() {
                        return Err("discrete: needs at least one [value, weight] pair".into());
                    }
                    let mut values = Vec::new();
                    let mut cumulative = Vec::new();
                    let mut acc = 0.0;
                    for pair_v in v {
                        let [value, weight] = pair(pair_v, "discrete = [[value, weight], ...]")?;
                        if weight < 0.0 {
                            return Err(format!("discrete: weight {weight} is negative"));
                        }
                        acc += weight;
                        values.push(value);
                        cumulative.push(acc);
                    }
                    if acc <= 0.0 {
                        return Err("discrete: the weights sum to zero".into());
                    }
                    Dist::Discrete { values, cumulative }
                } else {
                    unreachable_dist()?
                };
                let prov = match (&t.source, t.judgment) {
                    (Some(_), true) => {
                        return Err("a number is either sourced (`source`) or a judgment (`judgment = true`), not both".into())
                    }
                    (Some(s), false) => Provenance::Source(s.clone()),
                    (None, true) => Provenance::Judgment,
                    (None, false) => Provenance::Unstated,
                };
                Ok((dist, prov))
            }
        }
    }
}

fn unreachable_dist() -> Result<Dist, String> {
    Err("internal: no distribution kind".into())
}

fn finite(v: f64) -> Result<f64, String> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("{v} is not a finite number"))
    }
}

fn pair(v: &[f64], what: &str) -> Result<[f64; 2], String> {
    match v {
        [a, b] => Ok([finite(*a)?, finite(*b)?]),
        _ => Err(format!(
            "expected {what} (2 numbers), found {} numbers",
            v.len()
        )),
    }
}

fn triple(v: &[f64], what: &str) -> Result<[f64; 3], String> {
    match v {
        [a, b, c] => Ok([finite(*a)?, finite(*b)?, finite(*c)?]),
        _ => Err(format!(
            "expected {what} (3 numbers), found {} numbers",
            v.len()
        )),
    }
}

fn ordered(low: f64, high: f64, what: &str) -> Result<(), String> {
    if low > high {
        Err(format!("{what}: low {low} is above high {high}"))
    } else {
        Ok(())
    }
}

fn ordered3(low: f64, mode: f64, high: f64, what: &str) -> Result<(), String> {
    ordered(low, high, what)?;
    if mode < low || mode > high {
        return Err(format!("{what}: mode {mode} is outside [{low}, {high}]"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn table(src: &str) -> Result<(Dist, Provenance), String> {
        #[derive(Deserialize)]
        struct W {
            x: RawNumber,
        }
        let w: W = toml::from_str(src).map_err(|e| e.to_string())?;
        w.x.to_dist()
    }

    #[test]
    fn reads_every_kind() {
        assert_eq!(table("x = 3").unwrap().0, Dist::Point(3.0));
        let (d, p) = table("x = { triangular = [1, 2, 4], judgment = true }").unwrap();
        assert_eq!(d.point(), 2.0);
        assert_eq!(p, Provenance::Judgment);
        let (d, p) = table("x = { uniform = [1, 3], source = \"F15\" }").unwrap();
        assert_eq!(d.point(), 2.0);
        assert_eq!(p, Provenance::Source("F15".into()));
        assert_eq!(table("x = { normal = [5, 1] }").unwrap().0.point(), 5.0);
        assert_eq!(table("x = { pert = [0, 1, 10] }").unwrap().0.point(), 1.0);
        assert_eq!(
            table("x = { discrete = [[40, 0.3], [50, 0.7]] }")
                .unwrap()
                .0
                .point(),
            50.0
        );
    }

    #[test]
    fn rejects_bad_parameters() {
        let e = table("x = { uniform = [3, 1] }").unwrap_err();
        assert!(e.contains("low 3 is above high 1"), "{e}");
        assert!(table("x = { triangular = [1, 5, 4] }")
            .unwrap_err()
            .contains("mode 5"));
        assert!(table("x = { normal = [1, -1] }")
            .unwrap_err()
            .contains("negative"));
        assert!(table("x = { value = 1, uniform = [1, 2] }")
            .unwrap_err()
            .contains("exactly one"));
        assert!(table("x = { source = \"F1\" }")
            .unwrap_err()
            .contains("needs one of"));
        assert!(table("x = { discrete = [[1, 0]] }")
            .unwrap_err()
            .contains("sum to zero"));
    }

    #[test]
    fn samples_stay_in_support() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for d in [
            Dist::Uniform {
                low: 1.0,
                high: 2.0,
            },
            Dist::Triangular {
                low: 1.0,
                mode: 1.5,
                high: 2.0,
            },
            Dist::Pert {
                low: 1.0,
                mode: 1.2,
                high: 2.0,
            },
        ] {
            for _ in 0..1000 {
                let v = d.sample(&mut rng);
                assert!((1.0..=2.0).contains(&v), "{d:?} gave {v}");
            }
        }
        let d = Dist::Discrete {
            values: vec![1.0, 2.0],
            cumulative: vec![0.0, 1.0],
        };
        for _ in 0..100 {
            assert_eq!(d.sample(&mut rng), 2.0);
        }
    }
}
