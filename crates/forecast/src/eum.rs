//! Bueno de Mesquita's expected utility model (EUM), as formalised by
//! Scholz, Calbert & Smith (2011), "Unravelling Bueno De Mesquita's group
//! decision model", *Journal of Theoretical Politics* 23(4):510–531, after
//! Bueno de Mesquita (1994), "Political forecasting: an expected utility
//! method", in *European Community Decision Making* (Yale UP), 71–104, and
//! Bueno de Mesquita (2002), *Predicting Politics*.
//!
//! Every point on which the public replications differ is a named option of
//! [`EumOptions`] (see `docs/forecast.md` and the research note):
//!
//! * [`ProbabilityRule`]: the paper's pairwise normalisation (eq. 30),
//!   Scholz's code's whole-system vote mass (needed to reproduce the published
//!   example), or dmasad's net votes;
//! * [`VoteRisk`]: whether votes use each voter's own risk exponent;
//! * [`Perspective`]: whose risk exponent the receiver uses for the proposer's
//!   expected utility;
//! * [`CompromiseChoice`] / [`CompromisePosition`]: which compromise an actor
//!   accepts and where it moves;
//! * `capitulation`: Scholz's code never reaches the capitulation branch;
//! * `q`, [`TRule`]: the status-quo probability and the improvement rule;
//! * `salience_typo`: eq. 25b as printed (s_j) or as meant (s_i).
//!
//! Presets: [`EumOptions::scholz2011`] reproduces the 10-round example of
//! Scholz et al. (Belgium, Luxembourg and Ireland move; weighted mean 7.3900
//! → 7.2421); [`EumOptions::paper`] follows the paper's equations.

use crate::baseline::{weighted_mean, weighted_median, MedianTie};
use crate::data::IssueData;
use crate::error::{ForecastError, Result};
use crate::result::{finite, IssueForecast};
use serde::Serialize;
use serde_json::json;

/// How the probability that i prevails over j is normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbabilityRule {
    /// Scholz et al. eq. 30: votes for i over j divided by all votes on the
    /// pair, so P_ij + P_ji = 1.
    Pair,
    /// Scholz's code (jmckib): divided by the vote mass of the whole system
    /// (every voter, every ordered pair of actors).
    WholeSystem,
    /// dmasad: max(0, net votes for i) over all votes on the pair.
    NetVotes,
}

/// Which risk exponent a voter applies to distances when voting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoteRisk {
    /// Each voter's own current exponent (jmckib).
    Voter,
    /// Always 1 (linear votes).
    Neutral,
}

/// Whose risk exponent receiver i uses for proposer j's expected utility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Perspective {
    /// i's own (Bueno de Mesquita, Scholz, jmckib).
    Own,
    /// j's true exponent (decisionmechanics' C#).
    Proposer,
}

/// Which of several compromise offers an actor accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CompromiseChoice {
    /// Scholz's code: the offer minimising (|e_ij| x_i + |e_ji| x_j)/(|e_ij| + |e_ji|).
    LowestWeighted,
    /// The paper: the offer that moves the actor least.
    LeastMove,
}

/// Where an accepted compromise puts the receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CompromisePosition {
    /// x_i + (x_j − x_i)·|e_ij / e_ji| (Scholz, jmckib).
    Concession,
    /// (|e_ij| x_i + |e_ji| x_j)/(|e_ij| + |e_ji|) (decisionmechanics).
    WeightedAverage,
}

/// The probability T that things improve for i when nobody challenges.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TRule {
    /// T = 1 when i is closer to the median than to j, else 0 (Eft 2014).
    MedianCloser,
    /// A fixed probability.
    Fixed(f64),
}

/// Every modelling choice of the EUM, by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EumOptions {
    pub probability: ProbabilityRule,
    pub vote_risk: VoteRisk,
    pub perspective: Perspective,
    pub compromise_choice: CompromiseChoice,
    pub compromise_position: CompromisePosition,
    /// Whether capitulation offers exist (Scholz's code: never reached).
    pub capitulation: bool,
    /// Probability Q that nothing changes absent a challenge (1 removes U_b, U_w).
    pub q: f64,
    pub t_rule: TRule,
    /// Use eq. 25b as printed (the proposer's salience for the target's).
    pub salience_typo: bool,
    /// Expected utilities smaller than this in magnitude count as 0.
    pub zero_tolerance: f64,
    /// Tie rule of the (weighted) median voter position.
    pub median_tie: MedianTie,
    /// Maximum number of rounds.
    pub rounds: usize,
    /// Stop early when no actor moves in a round.
    pub stop_on_no_move: bool,
    /// Stop when the positions repeat an earlier state.
    pub stop_on_cycle: bool,
}

impl EumOptions {
    /// Scholz, Calbert & Smith (2011)'s example as produced by Scholz's code
    /// (jmckib's replication): whole-system probability, own-risk
    /// perspective, lowest-weighted compromise, no capitulation, Q = 1,
    /// 10 rounds.
    pub fn scholz2011() -> Self {
        EumOptions {
            probability: ProbabilityRule::WholeSystem,
            vote_risk: VoteRisk::Voter,
            perspective: Perspective::Own,
            compromise_choice: CompromiseChoice::LowestWeighted,
            compromise_position: CompromisePosition::Concession,
            capitulation: false,
            q: 1.0,
            t_rule: TRule::MedianCloser,
            salience_typo: false,
            zero_tolerance: 0.0,
            median_tie: MedianTie::Lower,
            rounds: 10,
            stop_on_no_move: false,
            stop_on_cycle: false,
        }
    }

    /// The paper's equations: pairwise probability (eq. 30), own-risk
    /// perspective, least-move compromise, capitulation on, Q = 1; stops on
    /// no move or a cycle, at most 10 rounds.
    pub fn paper() -> Self {
        EumOptions {
            probability: ProbabilityRule::Pair,
            vote_risk: VoteRisk::Voter,
            perspective: Perspective::Own,
            compromise_choice: CompromiseChoice::LeastMove,
            compromise_position: CompromisePosition::Concession,
            capitulation: true,
            q: 1.0,
            t_rule: TRule::MedianCloser,
            salience_typo: false,
            zero_tolerance: 0.0,
            median_tie: MedianTie::Lower,
            rounds: 10,
            stop_on_no_move: true,
            stop_on_cycle: true,
        }
    }

    /// A preset by name: `scholz2011` or `paper`.
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "scholz2011" | "scholz" => Some(Self::scholz2011()),
            "paper" => Some(Self::paper()),
            _ => None,
        }
    }

    fn check(&self) -> Result<()> {
        if !(0.0..=1.0).contains(&self.q) {
            return Err(ForecastError::Invalid(format!(
                "EUM option q = {} must be in [0, 1]",
                self.q
            )));
        }
        if let TRule::Fixed(t) = self.t_rule {
            if !(0.0..=1.0).contains(&t) {
                return Err(ForecastError::Invalid(format!(
                    "EUM option t = {t} must be in [0, 1]"
                )));
            }
        }
        if !(self.zero_tolerance >= 0.0 && self.zero_tolerance.is_finite()) {
            return Err(ForecastError::Invalid(
                "EUM zero tolerance must be finite and ≥ 0".into(),
            ));
        }
        Ok(())
    }
}

impl Default for EumOptions {
    fn default() -> Self {
        Self::scholz2011()
    }
}

/// Kind of offer an actor receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OfferKind {
    /// The receiver expects to lose a confrontation: it moves to the proposer.
    Confrontation,
    /// The receiver moves part of the way.
    Compromise,
    /// The receiver gives in: it moves to the proposer.
    Capitulation,
}

/// An accepted offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub actor: usize,
    pub proposer: usize,
    pub kind: OfferKind,
    /// E^i(U_ij): the receiver's expected utility of challenging the proposer.
    pub eu_receiver: f64,
    /// E^i(U_ji): the proposer's, as the receiver perceives it.
    pub eu_proposer: f64,
    pub position: f64,
}

/// The log of one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundLog {
    pub round: usize,
    /// Risk exponents r_i used in the round.
    pub risk_exponents: Vec<f64>,
    /// Number of offers made (all classes).
    pub offers: usize,
    pub moves: Vec<Move>,
    /// Median voter position after the round.
    pub median: f64,
    /// Weighted mean after the round.
    pub mean: f64,
}

/// `base^r`, with `r = 1` (risk neutrality, the common case) exact and
/// without the cost of `powf` (which returns `base` for it too).
#[inline]
fn pow(base: f64, r: f64) -> f64 {
    if r == 1.0 {
        base
    } else {
        base.powf(r)
    }
}

/// Scholz et al.'s utility of a position at `base` (half the distance plus
/// or minus a half) for risk exponent `r`: `2 − 4·base^r`.
#[inline]
fn utility(base: f64, r: f64) -> f64 {
    2.0 - 4.0 * pow(base.max(0.0), r)
}

/// What a challenge over distance `d` puts at stake for an actor with risk
/// exponent `r`: the utilities of success, failure and the status quo.
#[derive(Clone, Copy)]
struct Stakes {
    us: f64,
    uf: f64,
    usq: f64,
}

impl Stakes {
    #[inline]
    fn new(d: f64, r: f64, usq: f64) -> Stakes {
        Stakes {
            us: utility(0.5 - 0.5 * d, r),
            uf: utility(0.5 + 0.5 * d, r),
            usq,
        }
    }
}

/// The state of one issue.
struct State<'a> {
    c: &'a [f64],
    s: &'a [f64],
    w: Vec<f64>,
    delta: f64,
}

impl State<'_> {
    fn n(&self) -> usize {
        self.c.len()
    }

    /// P[i*n + j]: probability that i prevails over j.
    ///
    /// The votes of every k on every pair are O(n³); the loop runs over
    /// each unordered pair once (k's vote on (j, i) is minus its vote on
    /// (i, j), bit for bit) with k contiguous in memory.
    fn probabilities(&self, x: &[f64], vote_r: &[f64], rule: ProbabilityRule) -> Vec<f64> {
        let n = self.n();
        // dt[a * n + k] = (|x_k - x_a| / delta)^r_k: how far a is from k,
        // in k's eyes.
        let mut dt = vec![0.0; n * n];
        for a in 0..n {
            for k in 0..n {
                let base = (x[k] - x[a]).abs() / self.delta;
                dt[a * n + k] = pow(base, vote_r[k]);
            }
        }
        let system = if rule == ProbabilityRule::WholeSystem {
            // Σ_k w_k Σ_a Σ_b |D_kb − D_ka| via sorting each row.
            let mut total = 0.0;
            let mut row = vec![0.0; n];
            for k in 0..n {
                for (a, v) in row.iter_mut().enumerate() {
                    *v = dt[a * n + k];
                }
                row.sort_by(f64::total_cmp);
                let mut s = 0.0;
                for (t, v) in row.iter().enumerate() {
                    s += v * (2.0 * t as f64 - (n as f64 - 1.0));
                }
                total += self.w[k] * 2.0 * s;
            }
            total
        } else {
            0.0
        };
        let prob = |pos: f64, abs: f64, net: f64| match rule {
            ProbabilityRule::Pair => {
                if abs > 0.0 {
                    pos / abs
                } else {
                    0.5
                }
            }
            ProbabilityRule::NetVotes => {
                if abs > 0.0 {
                    net.max(0.0) / abs
                } else {
                    0.5
                }
            }
            ProbabilityRule::WholeSystem => {
                if system > 0.0 {
                    pos / system
                } else {
                    0.0
                }
            }
        };
        let mut p = vec![0.0; n * n];
        for i in 0..n {
            let di = &dt[i * n..(i + 1) * n];
            for j in i + 1..n {
                if x[i] == x[j] {
                    continue;
                }
                let dj = &dt[j * n..(j + 1) * n];
                // v = k's vote for i over j; k's vote for j over i is -v.
                let (mut pos_ij, mut pos_ji, mut abs, mut net) = (0.0, 0.0, 0.0, 0.0);
                for ((&wk, &a), &b) in self.w.iter().zip(dj).zip(di) {
                    let v = wk * (a - b);
                    // Branch-free: adding +0 leaves the sums as they are.
                    pos_ij += v.max(0.0);
                    pos_ji += (-v).max(0.0);
                    abs += v.abs();
                    net += v;
                }
                p[i * n + j] = prob(pos_ij, abs, net);
                p[j * n + i] = prob(pos_ji, abs, -net);
            }
        }
        p
    }

    /// Expected utility of `i` challenging `j`, with exponent `r`, target
    /// salience `st`, success probability `p`, median `mu`.
    #[allow(clippy::too_many_arguments)]
    fn eu(
        &self,
        x: &[f64],
        i: usize,
        j: usize,
        r: f64,
        st: f64,
        p: f64,
        mu: f64,
        o: &EumOptions,
    ) -> f64 {
        let d = (x[i] - x[j]).abs() / self.delta;
        let stakes = Stakes::new(d, r, utility(0.5, r));
        self.eu_with(x, i, j, r, st, p, mu, o, d, stakes)
    }

    /// [`State::eu`] with the distance `d` between i and j and the
    /// utilities at stake already computed (they depend on `d` and `r`
    /// only, so a round computes them once for both sides of a pair).
    #[allow(clippy::too_many_arguments)]
    fn eu_with(
        &self,
        x: &[f64],
        i: usize,
        j: usize,
        r: f64,
        st: f64,
        p: f64,
        mu: f64,
        o: &EumOptions,
        d: f64,
        Stakes { us, uf, usq }: Stakes,
    ) -> f64 {
        let mut e = st * (p * us + (1.0 - p) * uf) + (1.0 - st) * us - o.q * usq;
        if o.q < 1.0 {
            let dm = (x[i] - mu).abs() / self.delta;
            let ub = utility(0.5 - 0.25 * (dm + d), r);
            let uw = utility(0.5 + 0.25 * (dm + d), r);
            let t = match o.t_rule {
                TRule::MedianCloser => {
                    if (x[i] - mu).abs() < (x[i] - x[j]).abs() {
                        1.0
                    } else {
                        0.0
                    }
                }
                TRule::Fixed(t) => t,
            };
            e -= (1.0 - o.q) * (t * ub + (1.0 - t) * uw);
        }
        e
    }

    fn median(&self, x: &[f64], o: &EumOptions) -> f64 {
        weighted_median(x, &self.w, o.median_tie).unwrap_or(0.0)
    }

    fn mean(&self, x: &[f64]) -> f64 {
        weighted_mean(x, &self.w).unwrap_or(0.0)
    }

    /// Scholz eqs. 32–33: risk exponents from the danger each actor faces.
    fn risk_exponents(&self, x: &[f64], mu: f64, o: &EumOptions) -> Vec<f64> {
        let n = self.n();
        let ones = vec![1.0; n];
        let p = self.probabilities(x, &ones, o.probability);
        let danger: Vec<f64> = (0..n)
            .map(|k| {
                (0..n)
                    .filter(|&j| j != k)
                    .map(|j| self.eu(x, j, k, 1.0, self.s[k], p[j * n + k], mu, o))
                    .sum()
            })
            .collect();
        let max = danger.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = danger.iter().copied().fold(f64::INFINITY, f64::min);
        let span = max - min;
        if span.is_nan() || span <= 1e-15 * (max.abs() + min.abs()).max(1e-300) {
            return ones;
        }
        danger
            .iter()
            .map(|&dk| {
                let big_r = (2.0 * dk - max - min) / span;
                (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
            })
            .collect()
    }

    /// One round: risk step, offers, simultaneous moves.
    fn round(&self, x: &[f64], o: &EumOptions) -> (Vec<f64>, Vec<f64>, usize, Vec<Move>) {
        let n = self.n();
        let mu = self.median(x, o);
        let r = self.risk_exponents(x, mu, o);
        let vote_r = match o.vote_risk {
            VoteRisk::Voter => r.clone(),
            VoteRisk::Neutral => vec![1.0; n],
        };
        let p = self.probabilities(x, &vote_r, o.probability);
        let zero = |e: f64| if e.abs() < o.zero_tolerance { 0.0 } else { e };
        let mut new_x = x.to_vec();
        let mut offers = 0;
        let mut moves = Vec::new();
        let usq: Vec<f64> = r.iter().map(|&rk| utility(0.5, rk)).collect();
        for a in 0..n {
            // best offer in each class: (key, Move)
            let mut best: [Option<(f64, Move)>; 3] = [None, None, None];
            for b in 0..n {
                if x[a] == x[b] {
                    continue;
                }
                let d = (x[a] - x[b]).abs() / self.delta;
                let stakes_a = Stakes::new(d, r[a], usq[a]);
                let e_ab =
                    zero(self.eu_with(x, a, b, r[a], self.s[b], p[a * n + b], mu, o, d, stakes_a));
                let (rb, stakes_b) = match o.perspective {
                    Perspective::Own => (r[a], stakes_a),
                    Perspective::Proposer => (r[b], Stakes::new(d, r[b], usq[b])),
                };
                let st = if o.salience_typo {
                    self.s[b]
                } else {
                    self.s[a]
                };
                let e_ba = zero(self.eu_with(x, b, a, rb, st, p[b * n + a], mu, o, d, stakes_b));
                let weighted = (e_ab.abs() * x[a] + e_ba.abs() * x[b]) / (e_ab.abs() + e_ba.abs());
                let (kind, pos) = if e_ba > e_ab && e_ab > 0.0 {
                    (OfferKind::Confrontation, x[b])
                } else if e_ba > 0.0 && 0.0 > e_ab && e_ba > e_ab.abs() {
                    let pos = match o.compromise_position {
                        CompromisePosition::Concession => {
                            x[a] + (x[b] - x[a]) * (e_ab / e_ba).abs()
                        }
                        CompromisePosition::WeightedAverage => weighted,
                    };
                    (OfferKind::Compromise, pos)
                } else if o.capitulation && e_ba > 0.0 && 0.0 > e_ab && e_ba < e_ab.abs() {
                    (OfferKind::Capitulation, x[b])
                } else {
                    continue;
                };
                offers += 1;
                let key = if kind == OfferKind::Compromise
                    && o.compromise_choice == CompromiseChoice::LowestWeighted
                {
                    weighted
                } else {
                    (x[a] - pos).abs()
                };
                let slot = match kind {
                    OfferKind::Confrontation => 0,
                    OfferKind::Compromise => 1,
                    OfferKind::Capitulation => 2,
                };
                let better = match &best[slot] {
                    None => true,
                    Some((k, _)) => key < *k,
                };
                if better {
                    best[slot] = Some((
                        key,
                        Move {
                            actor: a,
                            proposer: b,
                            kind,
                            eu_receiver: e_ab,
                            eu_proposer: e_ba,
                            position: pos,
                        },
                    ));
                }
            }
            if let Some((_, m)) = best.into_iter().flatten().next() {
                new_x[a] = m.position;
                moves.push(m);
            }
        }
        (new_x, r, offers, moves)
    }
}

/// Expected utilities of a focal actor for BDM's quadrant chart: for every
/// other actor j, `(j, E^f(U_fj), E^f(U_jf))` in the first round (after the
/// risk step).
pub fn quadrant(
    data: &IssueData,
    focal: usize,
    options: &EumOptions,
) -> Result<Vec<(usize, f64, f64)>> {
    options.check()?;
    data.validate()?;
    let n = data.len();
    if focal >= n {
        return Err(ForecastError::Invalid(format!("no actor number {focal}")));
    }
    let (lo, hi) = crate::data::min_max(&data.positions);
    if hi <= lo {
        return Ok(Vec::new());
    }
    let st = State {
        c: &data.capabilities,
        s: &data.saliences,
        w: data.weights(),
        delta: hi - lo,
    };
    let x = &data.positions;
    let mu = st.median(x, options);
    let r = st.risk_exponents(x, mu, options);
    let vote_r = match options.vote_risk {
        VoteRisk::Voter => r.clone(),
        VoteRisk::Neutral => vec![1.0; n],
    };
    let p = st.probabilities(x, &vote_r, options.probability);
    let a = focal;
    Ok((0..n)
        .filter(|&b| b != a)
        .map(|b| {
            let e_ab = st.eu(x, a, b, r[a], st.s[b], p[a * n + b], mu, options);
            let rb = match options.perspective {
                Perspective::Own => r[a],
                Perspective::Proposer => r[b],
            };
            let s_t = if options.salience_typo {
                st.s[b]
            } else {
                st.s[a]
            };
            let e_ba = st.eu(x, b, a, rb, s_t, p[b * n + a], mu, options);
            (b, finite(e_ab), finite(e_ba))
        })
        .collect())
}

/// Run the EUM on one issue. The forecast is the median voter position after
/// the last round (Bueno de Mesquita's rule); each round's log carries the
/// weighted mean too, and the forecast's `diagnostics` hold the same logs as
/// JSON (one object per round).
pub fn run(data: &IssueData, options: &EumOptions) -> Result<(IssueForecast, Vec<RoundLog>)> {
    run_logged(data, options, true)
}

/// The same run as [`run`] (the same trajectory and forecast, bit for
/// bit), without the per-round logs and their JSON: for callers that need
/// only the outcome many times over, such as a scenario's Monte Carlo
/// draws, where building the logs took half the time of a small run.
pub fn forecast(data: &IssueData, options: &EumOptions) -> Result<IssueForecast> {
    Ok(run_logged(data, options, false)?.0)
}

fn run_logged(
    data: &IssueData,
    options: &EumOptions,
    keep_logs: bool,
) -> Result<(IssueForecast, Vec<RoundLog>)> {
    options.check()?;
    data.validate()?;
    let n = data.len();
    let x0 = data.positions.clone();
    let w = data.weights();
    let (lo, hi) = crate::data::min_max(&x0);
    let st = State {
        c: &data.capabilities,
        s: &data.saliences,
        w,
        delta: hi - lo,
    };
    let mut out = IssueForecast {
        issue: data.name.clone(),
        actors: data.actors.clone(),
        forecast: st.median(&x0, options),
        rounds: vec![x0.clone()],
        stop: None,
        diagnostics: Vec::new(),
    };
    if n == 1 {
        out.stop = Some("single actor: its position is the outcome".into());
        return Ok((out, Vec::new()));
    }
    if hi <= lo {
        out.stop = Some("all actors at one position: nothing to decide".into());
        return Ok((out, Vec::new()));
    }
    let mut logs = Vec::new();
    let mut x = x0;
    let mut history = vec![x.clone()];
    out.stop = Some("rounds".into());
    for k in 1..=options.rounds {
        let (nx, r, offers, moves) = st.round(&x, options);
        let moved = nx != x;
        x = nx;
        if keep_logs {
            let log = RoundLog {
                round: k,
                risk_exponents: r,
                offers,
                moves,
                median: st.median(&x, options),
                mean: st.mean(&x),
            };
            out.diagnostics.push(json!({
                "round": k,
                "risk_exponents": log.risk_exponents,
                "offers": log.offers,
                "moves": log.moves.iter().map(|m| json!({
                    "actor": data.actors[m.actor],
                    "proposer": data.actors[m.proposer],
                    "kind": m.kind,
                    "eu_receiver": m.eu_receiver,
                    "eu_proposer": m.eu_proposer,
                    "position": m.position,
                })).collect::<Vec<_>>(),
                "median": log.median,
                "mean": log.mean,
            }));
            logs.push(log);
        }
        out.rounds.push(x.clone());
        if options.stop_on_no_move && !moved {
            out.stop = Some("no-move".into());
            break;
        }
        if options.stop_on_cycle {
            if let Some(pos) = history.iter().rposition(|h| *h == x) {
                if moved {
                    out.stop = Some(format!("cycle of length {}", history.len() - pos));
                    break;
                }
            }
        }
        history.push(x.clone());
    }
    out.forecast = st.median(&x, options);
    Ok((out, logs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emission() -> IssueData {
        let names = [
            "Netherlands",
            "Belgium",
            "Luxembourg",
            "Germany",
            "France",
            "Italy",
            "UK",
            "Ireland",
            "Denmark",
            "Greece",
        ];
        IssueData::new(
            "emission",
            names.iter().map(|s| s.to_string()).collect(),
            vec![4.0, 7.0, 4.0, 4.0, 10.0, 10.0, 10.0, 7.0, 4.0, 7.0],
            vec![0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08],
            vec![0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7],
        )
        .unwrap()
    }

    #[test]
    fn forecast_is_run_without_the_logs() {
        for options in [EumOptions::scholz2011(), EumOptions::paper()] {
            let d = emission();
            let (full, logs) = run(&d, &options).unwrap();
            let lean = forecast(&d, &options).unwrap();
            assert!(!logs.is_empty() && !full.diagnostics.is_empty());
            assert!(lean.diagnostics.is_empty());
            assert_eq!(lean.forecast.to_bits(), full.forecast.to_bits());
            assert_eq!(lean.rounds, full.rounds);
            assert_eq!(lean.stop, full.stop);
            assert_eq!(lean.actors, full.actors);
        }
    }

    #[test]
    fn scholz2011_round_one() {
        let (f, logs) = run(&emission(), &EumOptions::scholz2011()).unwrap();
        let r = &logs[0].risk_exponents;
        let expect = [
            1.406, 0.754, 0.509, 1.406, 1.047, 1.047, 1.965, 0.500, 2.000, 1.112,
        ];
        for (a, b) in r.iter().zip(expect) {
            assert!((a - b).abs() < 5e-4, "{r:?}");
        }
        assert!((f.rounds[1][1] - 8.4159).abs() < 5e-5);
        assert_eq!(f.rounds[1][2], 7.0);
        assert_eq!(f.rounds[1][7], 4.0);
        let belgium = logs[0].moves.iter().find(|m| m.actor == 1).unwrap();
        assert_eq!(belgium.kind, OfferKind::Compromise);
        assert_eq!(belgium.proposer, 4);
        assert!((belgium.eu_receiver + 0.11483).abs() < 5e-6);
        assert!((belgium.eu_proposer - 0.24330).abs() < 5e-6);
    }

    #[test]
    fn degenerate_inputs() {
        let one = IssueData::new("i", vec!["A".into()], vec![3.0], vec![1.0], vec![0.5]).unwrap();
        let (f, _) = run(&one, &EumOptions::paper()).unwrap();
        assert_eq!(f.forecast, 3.0);
        let same = IssueData::new(
            "i",
            vec!["A".into(), "B".into()],
            vec![3.0, 3.0],
            vec![1.0, 2.0],
            vec![0.5, 0.5],
        )
        .unwrap();
        let (f, _) = run(&same, &EumOptions::paper()).unwrap();
        assert_eq!(f.forecast, 3.0);
        assert_eq!(f.rounds.len(), 1);
    }

    #[test]
    fn paper_preset_stops() {
        let (f, logs) = run(&emission(), &EumOptions::paper()).unwrap();
        assert!(f.forecast >= 4.0 && f.forecast <= 10.0);
        assert!(logs.len() <= 10);
        assert!(f.stop.is_some());
    }
}
