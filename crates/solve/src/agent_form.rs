//! The agent form of a game tree, and the n-player methods that Gambit
//! runs on it by default for extensive games (`logit`, `liap`).
//!
//! R. Selten, "Reexamination of the perfectness concept for equilibrium
//! points in extensive games", *International Journal of Game Theory* 4
//! (1975) 25–55, section 6: every information set is played by its own
//! *agent*, who receives the payoff of the player owning the set. A
//! behaviour profile of the tree is a mixed profile of the agent form, and
//! it is an **agent-form equilibrium** iff no player gains by changing the
//! action distribution at a single information set (gains weighted by the
//! probability of reaching the set).
//!
//! * [`agent_logit`] traces the principal branch of the *agent*
//!   quantal-response equilibrium of R. D. McKelvey and T. R. Palfrey,
//!   "Quantal response equilibria for extensive form games", *Experimental
//!   Economics* 1 (1998) 9–41: action probabilities at each information
//!   set are proportional to `exp(λ × conditional action value)` (values
//!   given that the set is reached); every set is reached on the branch, so
//!   its limit is a sequential, hence Nash, equilibrium for games of
//!   perfect recall. The branch is traced with the strategic-form tracer of
//!   [`crate::logit`] on the agent form, each agent's values divided by
//!   the probability of reaching its set.
//! * [`agent_liap`] minimises Gambit's Lyapunov function of behaviour
//!   profiles (conditional action values; `liap_agent_solve`).
//!
//! Each answer is checked on the tree in exact arithmetic (the profile
//! rounded to rationals): its largest **agent regret** (must be within the
//! tolerance) and, for games of perfect recall, its **Nash regret** (the
//! gain of the best deviation at any number of information sets at once,
//! [`crate::behavior::nash_regrets`]). An agent-form equilibrium need not be
//! a Nash equilibrium: a player may gain only by changing several sets at
//! once, at sets the profile does not reach (e.g. Out, then b, when In, a
//! would pay more). [`AgentEquilibrium::nash_regret`] says which.
//!
//! The agent form has one strategy per action of every information set and
//! as many pure profiles as the product of all action counts. The methods
//! compute its payoffs from the tree's outcome paths
//! ([`crate::payoff_terms`]), so that a tree with many information sets
//! costs what its size costs, not the size of its agent form, and the value
//! differences of sets reached with tiny probability keep their precision
//! (on the catalog's 143 trees this reaches Gambit's equilibrium on 13 more
//! trees than the table did). [`AgentForm::with_table`] also builds the
//! table, for small forms.

use crate::agent_liap::AgentLyapunov;
use crate::behavior::{agent_regrets, nash_regrets};
use crate::equilibrium::SolveError;
use crate::liap::{liap_with, minimize_as_gambit, run_minimizer, LiapOptions, Minimizer};
use crate::logit::{
    logit_at_lambda_impl, logit_branch_impl, logit_impl, AgentReach, LogitBranch, LogitOptions,
};
use crate::nplayer_util::{NplayerResult, PayoffTensor};
use crate::payoff_terms::{PayoffTerms, Term};
use detente_game::{ExtensiveGame, NodeKind, NormalFormGame, Rational, Scalar};
use num_traits::{One, Signed, Zero};

/// Largest agent form (pure profiles times agents) that
/// [`AgentForm::with_table`] builds as a table.
pub const MAX_AGENT_TABLE: usize = 1 << 16;

/// A tree's agent form: a strategic game with one player per information
/// set (in the tree's behaviour-profile order: player 1's sets, then
/// player 2's, ...).
#[derive(Debug, Clone)]
pub struct AgentForm {
    /// The agent form as a strategic game (payoffs expected over chance),
    /// when built by [`AgentForm::with_table`] with at most
    /// [`MAX_AGENT_TABLE`] payoff entries; otherwise `None`, and the methods
    /// compute the payoffs from the tree's outcome paths.
    pub game: Option<NormalFormGame>,
    /// `agents[j] = (player, k)`: agent `j` plays player `player`'s `k`-th
    /// information set.
    pub agents: Vec<(usize, usize)>,
    /// The payoffs in floating point, rescaled: the table's, or the outcome
    /// paths' when there is no table.
    pub(crate) tensor: PayoffTensor,
    /// Payoff range: the table's, or the range of the tree's outcome paths.
    range: f64,
    pub(crate) reach: AgentReach,
}

/// An equilibrium of the agent form, as a behaviour profile of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentEquilibrium {
    /// `profile[player][infoset][action]`.
    pub profile: Vec<Vec<Vec<f64>>>,
    /// Expected payoff of each player.
    pub payoffs: Vec<f64>,
    /// Largest agent regret (reach-weighted gain of a one-set deviation),
    /// in payoff units, computed exactly on the tree.
    pub agent_regret: f64,
    /// Largest Nash regret in payoff units (games of perfect recall), or
    /// `None` under imperfect recall, where it is not computed.
    pub nash_regret: Option<f64>,
}

/// What an agent-form method found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentResult {
    pub equilibria: Vec<AgentEquilibrium>,
    /// Notes of the method (and of the check).
    pub notes: Vec<String>,
    pub budget_exhausted: bool,
    /// Payoff range of the tree's agent form (the tolerance's unit).
    pub payoff_range: f64,
}

/// The agent actions (flat indices) on the path from `v` up to the root and
/// the product of the chance probabilities on it. `by_agent`: sorted by
/// agent, each agent once, and `None` when the path takes two different
/// actions at one information set (imperfect recall: no pure profile of
/// the agent form plays it); otherwise in the order met from `v` up.
fn path_to(
    tree: &ExtensiveGame,
    v: usize,
    agent_of: &[usize],
    offsets: &[usize],
    by_agent: bool,
) -> Option<(Vec<usize>, f64)> {
    let mut chance = 1.0;
    let mut path: Vec<(usize, usize)> = Vec::new();
    let mut v = v;
    while let Some(parent) = tree.node(v).parent() {
        let a = tree.node(v).prior_action().unwrap_or(0);
        match tree.node_kind(parent) {
            NodeKind::Chance => {
                chance *= tree
                    .chance_probs(parent)
                    .and_then(|p| p.get(a))
                    .map_or(0.0, Scalar::to_f64);
            }
            NodeKind::Personal(_) => {
                let ps = tree.node(parent).infoset().unwrap_or(usize::MAX);
                if let Some(&j) = agent_of.get(ps) {
                    if j != usize::MAX {
                        path.push((j, offsets[j] + a));
                    }
                }
            }
            NodeKind::Terminal => {}
        }
        v = parent;
    }
    if by_agent {
        path.sort_unstable();
        path.dedup();
        if path.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
    }
    Some((path.into_iter().map(|(_, a)| a).collect(), chance))
}

impl AgentForm {
    /// Builds the agent form of `tree` as payoff terms (the tree's
    /// outcome paths), what the methods use.
    pub fn new(tree: &ExtensiveGame) -> Result<Self, SolveError> {
        Self::with_table_limit(tree, 0)
    }

    /// Builds the agent form of `tree` as a table of exact payoffs
    /// ([`AgentForm::game`]) when it has at most [`MAX_AGENT_TABLE`] payoff
    /// entries, otherwise as payoff terms.
    pub fn with_table(tree: &ExtensiveGame) -> Result<Self, SolveError> {
        Self::with_table_limit(tree, MAX_AGENT_TABLE)
    }

    /// [`AgentForm::new`] with another limit on the table's payoff entries
    /// (0: always payoff terms).
    pub(crate) fn with_table_limit(
        tree: &ExtensiveGame,
        max_table: usize,
    ) -> Result<Self, SolveError> {
        let np = tree.num_players();
        let mut agents = Vec::new();
        let mut global = Vec::new();
        for p in 0..np {
            for (k, &s) in tree.player_infosets(p).iter().enumerate() {
                agents.push((p, k));
                global.push(s);
            }
        }
        if agents.is_empty() {
            return Err(SolveError::NotApplicable(
                "the tree has no decisions (no player information sets); its agent form is empty"
                    .into(),
            ));
        }
        let shape: Vec<usize> = global
            .iter()
            .map(|&s| tree.infoset(s).num_actions())
            .collect();
        let cells = shape
            .iter()
            .try_fold(1usize, |c, &a| c.checked_mul(a))
            .filter(|c| c.saturating_mul(agents.len()) <= max_table);
        let mut agent_of = vec![usize::MAX; tree.infosets().len()];
        for (j, &s) in global.iter().enumerate() {
            agent_of[s] = j;
        }
        let mut offsets = vec![0usize; shape.len()];
        for j in 1..shape.len() {
            offsets[j] = offsets[j - 1] + shape[j - 1];
        }
        let (game, tensor, range) = match cells {
            Some(cells) => {
                let game = Self::table(tree, &agents, &global, &shape, &agent_of, cells)?;
                let tensor = PayoffTensor::new(&game);
                let (lo, hi) = game.payoff_range();
                let range = (hi.to_f64() - lo.to_f64()).max(0.0);
                (Some(game), tensor, range)
            }
            None => {
                let (terms, lo, hi) = Self::terms(tree, &agents, &agent_of, &offsets);
                let tensor = PayoffTensor::from_terms(shape.clone(), terms, lo, hi);
                (None, tensor, (hi - lo).max(0.0))
            }
        };
        // Reach structure: paths to every member node.
        let members = global
            .iter()
            .map(|&s| {
                tree.infoset(s)
                    .members()
                    .iter()
                    .map(|&m| {
                        path_to(tree, m, &agent_of, &offsets, false)
                            .map_or((0.0, Vec::new()), |(path, chance)| (chance, path))
                    })
                    .collect()
            })
            .collect();
        Ok(AgentForm {
            game,
            agents,
            tensor,
            range,
            reach: AgentReach { members },
        })
    }

    /// The agent form's table: for each pure agent profile, walk the tree.
    fn table(
        tree: &ExtensiveGame,
        agents: &[(usize, usize)],
        global: &[usize],
        shape: &[usize],
        agent_of: &[usize],
        cells: usize,
    ) -> Result<NormalFormGame, SolveError> {
        let np = tree.num_players();
        let mut payoffs: Vec<Vec<Rational>> = Vec::with_capacity(cells);
        let mut choice = vec![0usize; shape.len()];
        for _ in 0..cells {
            let mut acc = vec![Rational::zero(); np];
            let mut stack = vec![(tree.root(), Rational::one())];
            while let Some((v, pr)) = stack.pop() {
                if let Some(pay) = tree.node_payoffs(v) {
                    for (a, x) in acc.iter_mut().zip(pay) {
                        *a += &pr * x;
                    }
                }
                let node = tree.node(v);
                match tree.node_kind(v) {
                    NodeKind::Terminal => {}
                    NodeKind::Chance => {
                        let probs = tree.chance_probs(v).unwrap_or(&[]);
                        for (&c, q) in node.children().iter().zip(probs) {
                            if !q.is_zero() {
                                stack.push((c, &pr * q));
                            }
                        }
                    }
                    NodeKind::Personal(_) => {
                        let s = node.infoset().unwrap_or(usize::MAX);
                        let j = agent_of.get(s).copied().unwrap_or(usize::MAX);
                        if let Some(&c) = choice.get(j).and_then(|&a| node.children().get(a)) {
                            stack.push((c, pr));
                        }
                    }
                }
            }
            payoffs.push(
                agents
                    .iter()
                    .map(|&(p, _)| acc[p].clone())
                    .collect::<Vec<_>>(),
            );
            for (c, &a) in choice.iter_mut().zip(shape) {
                *c += 1;
                if *c < a {
                    break;
                }
                *c = 0;
            }
        }
        let names: Vec<String> = agents
            .iter()
            .map(|&(p, k)| format!("{}:{}", tree.players()[p], k + 1))
            .collect();
        let strategies: Vec<Vec<String>> = global
            .iter()
            .map(|&s| tree.infoset(s).actions().to_vec())
            .collect();
        NormalFormGame::from_payoffs(names, strategies, payoffs)
            .map_err(|e| SolveError::NotApplicable(format!("agent form: {e}")))
    }

    /// The agent form's payoffs as terms, one per node with an outcome,
    /// and bounds of every payoff: the least and largest payoff to any
    /// player summed along a path from the root to a terminal node (every
    /// pure profile's expected payoff is a chance-weighted mean of those).
    fn terms(
        tree: &ExtensiveGame,
        agents: &[(usize, usize)],
        agent_of: &[usize],
        offsets: &[usize],
    ) -> (PayoffTerms, f64, f64) {
        let np = tree.num_players();
        let mut terms = Vec::new();
        for v in 0..tree.num_nodes() {
            let Some(pay) = tree.node_payoffs(v) else {
                continue;
            };
            let Some((path, chance)) = path_to(tree, v, agent_of, offsets, true) else {
                continue;
            };
            if chance == 0.0 {
                continue;
            }
            let weight: Vec<f64> = pay.iter().map(|u| chance * u.to_f64()).collect();
            if weight.iter().any(|&w| w != 0.0) {
                terms.push(Term { path, weight });
            }
        }
        // Payoff totals along root-to-terminal paths.
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        let mut stack = vec![(tree.root(), vec![0.0f64; np])];
        while let Some((v, mut sum)) = stack.pop() {
            if let Some(pay) = tree.node_payoffs(v) {
                for (s, u) in sum.iter_mut().zip(pay) {
                    *s += u.to_f64();
                }
            }
            let children = tree.node(v).children();
            if children.is_empty() {
                for &s in &sum {
                    lo = lo.min(s);
                    hi = hi.max(s);
                }
            }
            for &c in children {
                stack.push((c, sum.clone()));
            }
        }
        if lo.partial_cmp(&hi).is_none_or(|o| o.is_gt()) {
            (lo, hi) = (0.0, 0.0);
        }
        let owner = agents.iter().map(|&(p, _)| p).collect();
        (
            PayoffTerms {
                owner,
                players: np,
                terms,
            },
            lo,
            hi,
        )
    }

    /// An agent-form profile as a behaviour profile of the tree.
    pub fn to_behavior(&self, tree: &ExtensiveGame, profile: &[Vec<f64>]) -> Vec<Vec<Vec<f64>>> {
        let mut out: Vec<Vec<Vec<f64>>> = (0..tree.num_players())
            .map(|p| vec![Vec::new(); tree.player_infosets(p).len()])
            .collect();
        for (&(p, k), probs) in self.agents.iter().zip(profile) {
            out[p][k] = probs.clone();
        }
        out
    }

    /// The agent form's payoffs in floating point, rescaled to the payoff
    /// range (the table's, or the outcome paths' when there is no table).
    pub fn tensor(&self) -> &PayoffTensor {
        &self.tensor
    }

    /// Payoff range of the agent form (of the tree's outcome paths when
    /// the form has no table).
    pub fn payoff_range(&self) -> f64 {
        self.range
    }

    /// Checks agent-form equilibria on the tree.
    fn check(&self, tree: &ExtensiveGame, res: NplayerResult, tol: f64) -> AgentResult {
        let range = self.payoff_range();
        let limit = tol * range.max(f64::MIN_POSITIVE);
        let mut out = AgentResult {
            notes: res.notes,
            budget_exhausted: res.budget_exhausted,
            payoff_range: range,
            ..AgentResult::default()
        };
        for e in res.equilibria.iter().chain(&res.nonisolated) {
            let behavior = self.to_behavior(tree, &e.profile);
            match check_behavior(tree, &behavior) {
                Ok((agent, nash, payoffs)) if agent <= limit * 1.0001 => {
                    out.equilibria.push(AgentEquilibrium {
                        profile: behavior,
                        payoffs,
                        agent_regret: agent,
                        nash_regret: nash,
                    })
                }
                Ok((agent, _, _)) => out.notes.push(format!(
                    "a profile with agent regret {agent:.3e} on the tree failed the check and was dropped"
                )),
                Err(e) => out.notes.push(format!("the tree check failed: {e}")),
            }
        }
        out
    }
}

/// Rounds a probability vector to rationals (denominator 2^40) that sum
/// to exactly one.
fn to_rational_probs(p: &[f64]) -> Vec<Rational> {
    let den: i64 = 1 << 40;
    let mut ints: Vec<i64> = p
        .iter()
        .map(|x| {
            if x.is_finite() {
                (x.clamp(0.0, 1.0) * den as f64).round() as i64
            } else {
                0
            }
        })
        .collect();
    let sum: i64 = ints.iter().sum();
    if let Some(big) = (0..ints.len()).max_by(|&a, &b| ints[a].cmp(&ints[b])) {
        ints[big] += den - sum;
        if ints[big] < 0 {
            ints[big] = 0;
        }
    }
    let total: i64 = ints.iter().sum::<i64>().max(1);
    ints.iter()
        .map(|&i| Rational::new(i.into(), total.into()))
        .collect()
}

/// Exact check of a behaviour profile on the tree: (largest agent regret,
/// largest Nash regret when the tree has perfect recall, payoffs), in
/// payoff units.
pub fn check_behavior(
    tree: &ExtensiveGame,
    profile: &[Vec<Vec<f64>>],
) -> Result<(f64, Option<f64>, Vec<f64>), SolveError> {
    let exact: Vec<Vec<Vec<Rational>>> = profile
        .iter()
        .map(|sets| sets.iter().map(|p| to_rational_probs(p)).collect())
        .collect();
    let agent = agent_regrets(tree, &exact)?
        .iter()
        .flatten()
        .map(|r| if r.is_negative() { 0.0 } else { r.to_f64() })
        .fold(0.0f64, f64::max);
    let nash = if tree.is_perfect_recall() {
        Some(
            nash_regrets(tree, &exact)?
                .iter()
                .map(|r| if r.is_negative() { 0.0 } else { r.to_f64() })
                .fold(0.0f64, f64::max),
        )
    } else {
        None
    };
    let payoffs = crate::behavior::expected_payoffs(tree, &exact)
        .iter()
        .map(Scalar::to_f64)
        .collect();
    Ok((agent, nash, payoffs))
}

fn need_perfect_recall(tree: &ExtensiveGame) -> Result<(), SolveError> {
    if tree.is_perfect_recall() {
        Ok(())
    } else {
        Err(SolveError::NotApplicable(
            "the agent quantal-response equilibrium is traced for games of perfect recall only; this tree has imperfect recall (use the reduced normal form)".into(),
        ))
    }
}

/// The limit of the principal branch of the agent logit QRE, checked on
/// the tree.
pub fn agent_logit(tree: &ExtensiveGame, opts: &LogitOptions) -> Result<AgentResult, SolveError> {
    need_perfect_recall(tree)?;
    let af = AgentForm::new(tree)?;
    af.logit(tree, opts)
}

impl AgentForm {
    /// [`agent_logit`] on this agent form of `tree`.
    fn logit(&self, tree: &ExtensiveGame, opts: &LogitOptions) -> Result<AgentResult, SolveError> {
        let res = logit_impl(&self.tensor, self.game.as_ref(), Some(&self.reach), opts)?;
        Ok(self.check(tree, res, opts.max_regret))
    }
}

/// The agent QRE at precision `lambda` (payoff units), as a behaviour
/// profile.
pub fn agent_logit_at_lambda(
    tree: &ExtensiveGame,
    lambda: f64,
    opts: &LogitOptions,
) -> Result<Vec<Vec<Vec<f64>>>, SolveError> {
    need_perfect_recall(tree)?;
    let af = AgentForm::new(tree)?;
    let p = logit_at_lambda_impl(&af.tensor, Some(&af.reach), lambda, opts)?;
    Ok(af.to_behavior(tree, &p))
}

/// The principal branch of the agent QRE (see
/// [`crate::logit::logit_branch_to`] for `max_lambda`); each point's
/// profile is returned per agent, in [`AgentForm::agents`] order.
pub fn agent_logit_branch(
    tree: &ExtensiveGame,
    max_lambda: Option<f64>,
    opts: &LogitOptions,
) -> Result<(AgentForm, LogitBranch), SolveError> {
    need_perfect_recall(tree)?;
    let af = AgentForm::new(tree)?;
    let b = logit_branch_impl(&af.tensor, Some(&af.reach), max_lambda, opts)?;
    Ok((af, b))
}

/// Lyapunov-function minimisation in behaviour strategies, checked on the
/// tree. With the default minimiser, from the centroid and the given starts
/// it is Gambit's `liap_agent_solve`: the function of conditional action
/// values ([`crate::agent_liap`]) and Gambit's conjugate gradients, so that
/// from the centroid it ends where Gambit does; the seeded random starts
/// minimise the agent form's strategic Lyapunov function (same zeros,
/// analytic gradient). Every end point is then polished by Newton's method
/// on the agent form. [`Minimizer::ProjectedGradient`] minimises the agent form's
/// strategic Lyapunov function instead.
pub fn agent_liap(tree: &ExtensiveGame, opts: &LiapOptions) -> Result<AgentResult, SolveError> {
    let af = AgentForm::new(tree)?;
    let res = match opts.minimizer {
        Minimizer::ConjugateGradient => {
            // Gambit's function from Gambit's start and the given ones; the
            // seeded random starts (Detente's own) minimise the agent form's
            // Lyapunov function, whose zeros are the same agent-form
            // equilibria, with its analytic gradient (a central-difference
            // gradient costs two tree passes per action: ~100 times more).
            let mut obj = AgentLyapunov::new(tree, &af);
            let gambit_starts = usize::from(opts.centroid) + opts.starts.len();
            let mut run = 0usize;
            liap_with(&af.tensor, af.game.as_ref(), opts, |t, x0, meter| {
                run += 1;
                if run > gambit_starts {
                    return run_minimizer(t, x0, opts, meter);
                }
                let mut x = minimize_as_gambit(&mut obj, x0, opts.max_iterations, meter)?;
                obj.enforce_nonnegativity(&mut x);
                t.normalize(&mut x);
                Some(x)
            })?
        }
        Minimizer::ProjectedGradient => {
            liap_with(&af.tensor, af.game.as_ref(), opts, |t, x0, meter| {
                run_minimizer(t, x0, opts, meter)
            })?
        }
    };
    Ok(af.check(tree, res, opts.max_regret))
}

/// The unpolished end of one run of Gambit's behaviour-profile liap from
/// the centroid ([`agent_liap`] before its Newton polish and check): what
/// Gambit's `liap_agent_solve` returns (negative entries cut to zero, each
/// reached set renormalised), `profile[player][infoset][action]`. `None`
/// if the budget ran out.
pub fn agent_liap_end_point(
    tree: &ExtensiveGame,
    opts: &LiapOptions,
) -> Result<Option<Vec<Vec<Vec<f64>>>>, SolveError> {
    let af = AgentForm::new(tree)?;
    let t = &af.tensor;
    let mut obj = AgentLyapunov::new(tree, &af);
    let mut meter = opts.budget.start();
    let Some(mut x) = minimize_as_gambit(&mut obj, &t.centroid(), opts.max_iterations, &mut meter)
    else {
        return Ok(None);
    };
    obj.enforce_nonnegativity(&mut x);
    Ok(Some(af.to_behavior(tree, &t.nest(&x))))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use detente_game::{read_game, Game};

    /// Reads a tree from `.efg` text.
    pub(crate) fn tree(text: &str) -> ExtensiveGame {
        match read_game(text, "test.efg") {
            Ok(Game::Extensive(t)) => t,
            other => panic!("{other:?}"),
        }
    }

    /// Player 1: Out (1, 0) or In; then player 2: a (2, 1) or b (0, 0).
    const ENTRY: &str = r#"EFG 2 R "entry" { "1" "2" } ""
p "" 1 1 "" { "Out" "In" } 0
t "" 1 "" { 1, 0 }
p "" 2 1 "" { "a" "b" } 0
t "" 2 "" { 2, 1 }
t "" 3 "" { 0, 0 }
"#;

    /// One player moves twice: Out (1) or In, then a (2) or b (0).
    const TWICE: &str = r#"EFG 2 R "twice" { "1" } ""
p "" 1 1 "" { "Out" "In" } 0
t "" 1 "" { 1 }
p "" 1 2 "" { "a" "b" } 0
t "" 2 "" { 2 }
t "" 3 "" { 0 }
"#;

    /// The catalog's trees of perfect recall whose agent form is built as a
    /// table, or `None` (after a notice) when `../shared` is absent.
    fn catalog_trees() -> Option<Vec<(String, ExtensiveGame)>> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/games/gambit");
        if !std::path::Path::new(dir).is_dir() {
            if std::env::var("DETENTE_REQUIRE_SHARED").as_deref() == Ok("1") {
                panic!("{dir} is missing");
            }
            eprintln!("notice: {dir} not found; skipping");
            return None;
        }
        let mut files = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "efg") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let mut out = Vec::new();
        for f in files {
            if let Ok(Game::Extensive(t)) = detente_game::read_game_file(&f.to_string_lossy()) {
                out.push((f.to_string_lossy().into_owned(), t));
            }
        }
        Some(out)
    }

    /// The agent form given by payoff terms has the table's strategy
    /// values, regrets and payoffs on the product of simplices, and the
    /// table's pair derivatives up to parts constant along an agent's row
    /// or column (a double difference removes those).
    #[test]
    fn payoff_terms_match_the_table() {
        let Some(trees) = catalog_trees() else {
            return;
        };
        let mut compared = 0;
        let mut rng = crate::nplayer_util::SplitMix64::new(7);
        for (name, t) in &trees {
            let Ok(dense) = AgentForm::with_table(t) else {
                continue;
            };
            let Some(game) = &dense.game else {
                continue;
            };
            let sparse = AgentForm::with_table_limit(t, 0).unwrap_or_else(|e| panic!("{e}"));
            assert!(sparse.game.is_none());
            let (td, ts) = (&dense.tensor, &sparse.tensor);
            // The same rescaling, so that values compare directly.
            let mut ts = ts.clone();
            ts.min = td.min;
            ts.scale = td.scale;
            let k = td.k;
            for _ in 0..3 {
                let on = rng.profile(td);
                // Off the simplices too (Newton's and the tracer's iterates).
                let off: Vec<f64> = on
                    .iter()
                    .enumerate()
                    .map(|(a, &p)| p * (0.9 + 0.05 * td.owner(a) as f64))
                    .collect();
                for x in [&on, &off] {
                    let (vd, dd) = td.values_and_pairs(x);
                    let (vs, ds) = ts.values_and_pairs(x);
                    let vo = ts.values(x);
                    assert_eq!(vo, vs, "{name}: values with and without pairs");
                    // Values relative to each agent's first action, and
                    // pairs likewise (the terms leave out what is common to
                    // an agent's actions).
                    for a in 0..k {
                        let a0 = td.offsets[td.owner(a)];
                        let (dv, sv) = (vd[a] - vd[a0], vs[a] - vs[a0]);
                        assert!((dv - sv).abs() < 1e-12, "{name}: value {a}: {dv} {sv}");
                        for b in 0..k {
                            if td.owner(a) == td.owner(b) {
                                continue;
                            }
                            let m = |d: &[f64]| d[a * k + b] - d[a0 * k + b];
                            assert!((m(&dd) - m(&ds)).abs() < 1e-12, "{name}: pair ({a}, {b})");
                        }
                    }
                }
                let x = &on;
                let nested = td.nest(x);
                let reg = crate::nplayer_util::independent_max_regret(game, &nested);
                let Some((rs, pay)) = sparse
                    .tensor
                    .terms
                    .as_ref()
                    .and_then(|tm| tm.regret_and_payoffs(&td.shape, &nested))
                else {
                    panic!("{name}: no regret from the terms")
                };
                assert!(
                    (reg - rs).abs() < 1e-9 * dense.range.max(1.0),
                    "{name}: regret"
                );
                let eq = crate::equilibrium::Equilibrium::new(game, nested.clone());
                for (j, &(p, _)) in dense.agents.iter().enumerate() {
                    assert!(
                        (eq.payoffs[j] - pay[p]).abs() < 1e-9 * dense.range.max(1.0),
                        "{name}: payoff"
                    );
                }
            }
            compared += 1;
        }
        assert!(compared >= 60, "only {compared} trees compared");
    }

    /// Trees whose agent form has 2^20 pure profiles (20 binary sets): logit
    /// and liap in behaviour strategies answer in well under the budget and
    /// their answers pass the exact check on the tree. With the table (20
    /// million payoffs) these took a minute and 3 GB.
    #[test]
    fn large_agent_forms_are_solved_from_the_tree() {
        let Some(trees) = catalog_trees() else {
            return;
        };
        let budget = crate::budget::Budget {
            max_time: Some(std::time::Duration::from_secs(60)),
            ..Default::default()
        };
        for file in [
            "contrib/bayes2a.efg",
            "contrib/nim7.efg",
            "contrib/palf2.efg",
        ] {
            let Some((_, t)) = trees.iter().find(|(n, _)| n.ends_with(file)) else {
                panic!("{file} is missing")
            };
            let af = AgentForm::new(t).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(af.game.is_none(), "{file}: built as a table");
            let table = AgentForm::with_table(t).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(table.game.is_none(), "{file}: 2^20 profiles tabulated");
            let res = agent_logit(
                t,
                &LogitOptions {
                    budget: budget.clone(),
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!res.budget_exhausted, "{file}: {:?}", res.notes);
            assert!(!res.equilibria.is_empty(), "{file}: {:?}", res.notes);
            for e in &res.equilibria {
                assert!(e.agent_regret <= 1e-9 * res.payoff_range, "{file}");
            }
            let res = agent_liap(
                t,
                &LiapOptions {
                    budget: budget.clone(),
                    random_starts: 2,
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!res.budget_exhausted, "{file}: {:?}", res.notes);
            for e in &res.equilibria {
                assert!(e.agent_regret <= 1e-9 * res.payoff_range, "{file}");
            }
        }
    }

    #[test]
    fn agent_form_of_entry_game() {
        let t = tree(ENTRY);
        let af = AgentForm::with_table(&t).unwrap_or_else(|e| panic!("{e}"));
        let Some(g) = &af.game else {
            panic!("a 2x2 agent form is built as a table")
        };
        assert_eq!(g.shape(), vec![2, 2]);
        assert_eq!(af.agents, vec![(0, 0), (1, 0)]);
        // Cell (In, a) = index 1 (player 1 fastest): payoff (2, 1).
        assert_eq!(*g.payoff(1, 0), Rational::from_i64(2));
        assert_eq!(*g.payoff(1, 1), Rational::from_i64(1));
    }

    #[test]
    fn logit_reaches_the_subgame_perfect_equilibrium() {
        let t = tree(ENTRY);
        let res = agent_logit(&t, &LogitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        let e = &res.equilibria[0];
        assert!((e.profile[0][0][1] - 1.0).abs() < 1e-9, "{:?}", e.profile);
        assert!((e.profile[1][0][0] - 1.0).abs() < 1e-9, "{:?}", e.profile);
        assert!(e.nash_regret.is_some_and(|r| r <= 1e-9 * 2.0));
        // Conditional values: the QRE at λ = 1 has player 2 play a with
        // probability e^1 / (e^1 + e^0), whatever player 1 does.
        let q = agent_logit_at_lambda(&t, 1.0, &LogitOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let want = 1.0f64.exp() / (1.0f64.exp() + 1.0);
        assert!((q[1][0][0] - want).abs() < 1e-9, "{q:?}");
    }

    #[test]
    fn agent_equilibrium_that_is_not_nash_is_flagged() {
        // Out then b is an agent-form equilibrium (the second set is not
        // reached) but not Nash: In then a pays 2.
        let t = tree(TWICE);
        let (agent, nash, _) = check_behavior(&t, &[vec![vec![1.0, 0.0], vec![0.0, 1.0]]])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(agent, 0.0);
        assert_eq!(nash, Some(1.0));
        // liap from many starts: every answer passes the agent check.
        let res = agent_liap(&t, &LiapOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!res.equilibria.is_empty());
        for e in &res.equilibria {
            assert!(e.agent_regret <= 1e-9 * 2.0);
        }
        // logit follows the branch to the Nash equilibrium (In, a).
        let res = agent_logit(&t, &LogitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
        assert!((res.equilibria[0].profile[0][0][1] - 1.0).abs() < 1e-9);
        assert!((res.equilibria[0].profile[0][1][0] - 1.0).abs() < 1e-9);
    }

    fn shared() -> Option<std::path::PathBuf> {
        let root = std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/games/gambit"
        ));
        if root.join("reference.json").exists() {
            return Some(root);
        }
        if std::env::var("DETENTE_REQUIRE_SHARED").as_deref() == Ok("1") {
            panic!("{} is missing", root.display());
        }
        eprintln!("notice: {} absent; test skipped", root.display());
        None
    }

    /// The catalog's trees with perfect recall, by their name in
    /// `reference.json`, with their reference entries.
    fn reference_trees(root: &std::path::Path) -> Vec<(String, serde_json::Value, ExtensiveGame)> {
        let text =
            std::fs::read_to_string(root.join("reference.json")).unwrap_or_else(|e| panic!("{e}"));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let games = v["games"].as_object().cloned().unwrap_or_default();
        games
            .into_iter()
            .filter(|(name, _)| name.ends_with(".efg"))
            .filter_map(|(name, g)| {
                let text = std::fs::read_to_string(root.join(&name)).ok()?;
                match read_game(&text, &name) {
                    Ok(Game::Extensive(t)) if t.is_perfect_recall() => Some((name, g, t)),
                    _ => None,
                }
            })
            .collect()
    }

    /// Largest difference between two behaviour profiles.
    fn behavior_distance(a: &[Vec<Vec<f64>>], b: &[Vec<Vec<f64>>]) -> f64 {
        a.iter()
            .flatten()
            .flatten()
            .zip(b.iter().flatten().flatten())
            .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
    }

    /// Whether the segment between two behaviour profiles consists of Nash
    /// equilibria of `t` (checked at 1/4, 1/2, 3/4, max regret at most
    /// 1e-6 × `range`): both then lie in one convex set of equilibria.
    fn in_one_convex_set(
        t: &ExtensiveGame,
        a: &[Vec<Vec<f64>>],
        b: &[Vec<Vec<f64>>],
        range: f64,
    ) -> bool {
        [0.25, 0.5, 0.75].iter().all(|&w| {
            let mix: Vec<Vec<Vec<f64>>> = a
                .iter()
                .zip(b)
                .map(|(u, v)| {
                    u.iter()
                        .zip(v)
                        .map(|(x, y)| {
                            x.iter()
                                .zip(y)
                                .map(|(p, q)| (1.0 - w) * p + w * q)
                                .collect()
                        })
                        .collect()
                })
                .collect();
            check_behavior(t, &mix)
                .is_ok_and(|(_, nash, _)| nash.is_some_and(|r| r <= 1e-6 * range))
        })
    }

    /// Trees where Detente's agent logit limit is another equilibrium than
    /// Gambit's, and why.
    /// Trees where the principal branch passes a bifurcation point (a
    /// second branch of agent QREs crosses it; the result must say so):
    /// ours continues smoothly, Gambit's tracer turns onto the crossing
    /// branch. Each crossing was confirmed by an independent small-step
    /// tracer of the agent QRE (conditional action values), which also
    /// ends where ours does.
    const EXPECTED: &[(&str, &str)] = &[
        (
            "contrib/2s2x2x2.efg",
            "the McKelvey-McLennan game: the branch meets a bifurcation; ours passes straight through (as on contrib/2x2x2.nfg), Gambit turns",
        ),
        (
            "catalog/books/shohamleytonbrown2008/fig5_10.efg",
            "a crossing near λ ≈ 0.67; ours ends at (L, 2/3 l), 2/3 A; Gambit turns to (L, r), A",
        ),
        (
            "contrib/artist2.efg",
            "crossings near λ ≈ 5.2 and 7.3 (the two players' halves are symmetric; the independent tracer, with coarser steps, saw the one at 7.3)",
        ),
        (
            "contrib/sh3.efg",
            "Shapley's 1974 game as a tree: a crossing near λ ≈ 1.7 (see contrib/sh3.nfg)",
        ),
        (
            "contrib/sww3.efg",
            "a crossing near λ ≈ 0.44; ours mixes at the second information sets (about 2/3, 1/3)",
        ),
        (
            "contrib/w_ex1.efg",
            "Wilson's example: a crossing near λ ≈ 1.1; ours ends at (Out, about 1/4 A), about 1/4 a (a continuum: Out makes the rest unreached)",
        ),
        (
            "contrib/w_ex2.efg",
            "a crossing near λ ≈ 1.0; ours ends at 1/4 on every information set, Gambit turns to a pure profile",
        ),
    ];

    /// Gambit's `logit_solve` on trees traces the agent QRE: on every tree
    /// of the catalog (two players or more) where its answer is an
    /// equilibrium, ours is the same equilibrium (within 1e-5; Gambit stops
    /// at regret ~1e-8 without polishing) or in one convex set of
    /// equilibria with it, but for the bifurcations of `EXPECTED`; ours is
    /// always verified; where Gambit's answer is not an equilibrium (regret
    /// 0.21 on the 2x2x2 trees), ours still is.
    #[test]
    fn agent_logit_matches_gambit_on_catalog_trees() {
        let Some(root) = shared() else {
            return;
        };
        let (mut same, mut gambit_wrong, mut differ, mut ran) = (0, 0, Vec::new(), 0);
        let (mut same_set, mut expected) = (0, 0);
        for (name, g, t) in &reference_trees(&root) {
            let Ok(af) = AgentForm::new(t) else {
                continue;
            };
            ran += 1;
            let res =
                agent_logit(t, &LogitOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let range = af.payoff_range().max(f64::MIN_POSITIVE);
            let m = &g["methods"]["logit"];
            let tabulated = AgentForm::with_table(t).is_ok_and(|a| a.game.is_some());
            if !tabulated && m["status"] != "ok" {
                // Too large for a table (contrib/cs.efg: 2^39 pure agent
                // profiles) and beyond Gambit's 20 s: whatever is returned
                // is verified; not finding one is said in a note.
                for e in &res.equilibria {
                    assert!(e.agent_regret <= 1e-9 * range * 1.0001, "{name}");
                }
                assert!(
                    !res.equilibria.is_empty() || !res.notes.is_empty(),
                    "{name}: nothing found and nothing said"
                );
                continue;
            }
            assert_eq!(res.equilibria.len(), 1, "{name}: {:?}", res.notes);
            let ours = &res.equilibria[0];
            assert!(ours.agent_regret <= 1e-9 * range * 1.0001, "{name}");
            assert!(
                ours.nash_regret.is_some_and(|r| r <= 1e-9 * range * 1.0001),
                "{name}: {ours:?}"
            );
            if m["status"] != "ok" || m["representation"] != "behavior" {
                continue;
            }
            for e in m["equilibria"].as_array().cloned().unwrap_or_default() {
                let reg = e["max_regret"].as_f64().unwrap_or(f64::INFINITY);
                if reg.is_nan() || reg > 1e-6 * range {
                    gambit_wrong += 1;
                    continue;
                }
                let gp: Vec<Vec<Vec<f64>>> = serde_json::from_value(e["profile"].clone())
                    .unwrap_or_else(|err| panic!("{name}: {err}"));
                let d = behavior_distance(&gp, &ours.profile);
                // On a continuum of equilibria (a set the limit does not
                // reach, or an indifferent agent) both may stop at different
                // points of the same convex set.
                if d <= 1e-5 {
                    same += 1;
                } else if in_one_convex_set(t, &gp, &ours.profile, range) {
                    same_set += 1;
                } else if EXPECTED.iter().any(|(g, _)| g == name) {
                    assert!(
                        res.notes.iter().any(|n| n.contains("bifurcation")),
                        "{name}: listed as a bifurcation, but none was noted: {:?}",
                        res.notes
                    );
                    expected += 1;
                } else {
                    differ.push(format!(
                        "{name}: distance {d:e}: Gambit {gp:?}, Detente {:?}",
                        ours.profile
                    ));
                }
            }
        }
        eprintln!("agent logit on {ran} catalog trees: {same} same as Gambit, {same_set} in the same convex set of equilibria, {expected} expected differences, {gambit_wrong} where Gambit's answer is not an equilibrium; differ: {differ:#?}");
        assert!(ran >= 20, "only {ran} trees");
        assert!(differ.is_empty(), "{differ:#?}");
    }

    /// On `contrib/e16.efg` the branch reaches information sets with
    /// probability ~1e-160 near λ ≈ 1000: the Jacobian of the agent QRE
    /// equations must still match central differences there (the reach
    /// term once underflowed to zero, and the tracer crept with steps of
    /// 1e-8 until its budget), and the whole branch must take few steps.
    #[test]
    fn agent_jacobian_holds_on_rarely_reached_sets() {
        use crate::budget::Budget;
        use crate::logit::LogitSystem;
        use crate::nplayer_util::PathSystem;
        let Some(root) = shared() else {
            return;
        };
        let text =
            std::fs::read_to_string(root.join("contrib/e16.efg")).unwrap_or_else(|e| panic!("{e}"));
        let Ok(Game::Extensive(tree)) = read_game(&text, "e16.efg") else {
            panic!("e16.efg does not read as a tree")
        };
        let af = AgentForm::new(&tree).unwrap_or_else(|e| panic!("{e}"));
        let t = af.tensor();
        let opts = LogitOptions::default();
        let mut smallest_reach = 1.0f64;
        for target in [300.0, 990.0, 1200.0] {
            let b = logit_branch_impl(t, Some(&af.reach), Some(target), &opts)
                .unwrap_or_else(|e| panic!("{e}"));
            let p = b.points.last().unwrap_or_else(|| panic!("empty branch"));
            assert!(
                p.lambda >= target,
                "{target}: stopped at {} ({})",
                p.lambda,
                b.end
            );
            let x: Vec<f64> = p.profile.iter().flatten().cloned().collect();
            let k = t.k;
            for j in 0..t.n {
                smallest_reach = smallest_reach.min(af.reach.reach_prob(j, &x));
            }
            let mut y: Vec<f64> = x.iter().map(|v| v.ln()).collect();
            y.push(p.lambda * t.scale);
            let sys = LogitSystem::new(t, Some(&af.reach));
            let (_, jac) = sys.eval(&y);
            let mut checked = 0;
            for c in 0..=k {
                // Probabilities that underflowed to zero have no logarithm.
                if !y[c].is_finite() {
                    continue;
                }
                let eps = 1e-6 * (1.0 + y[c].abs());
                let (mut yp, mut ym) = (y.clone(), y.clone());
                yp[c] += eps;
                ym[c] -= eps;
                let (hp, hm) = (sys.eval(&yp).0, sys.eval(&ym).0);
                for r in 0..k {
                    let fd = (hp[r] - hm[r]) / (2.0 * eps);
                    let an = jac[r * (k + 1) + c];
                    if !fd.is_finite() {
                        continue;
                    }
                    checked += 1;
                    assert!(
                        (fd - an).abs() <= 1e-5 * (1.0 + fd.abs()),
                        "λ {}: ∂h{r}/∂y{c}: differences {fd:e}, Jacobian {an:e}",
                        p.lambda
                    );
                }
            }
            assert!(checked > k * k / 2, "only {checked} entries checked");
        }
        assert!(smallest_reach < 1e-150, "{smallest_reach:e}");
        let res = agent_logit(
            &tree,
            &LogitOptions {
                budget: Budget::new(20_000, None),
                ..LogitOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(!res.budget_exhausted, "{:?}", res.notes);
        assert_eq!(res.equilibria.len(), 1, "{:?}", res.notes);
    }

    /// `tree` with every player's actions in reverse order (chance moves
    /// kept), and for each information set of `tree` (player, index) the
    /// same set's (player, index) in the new tree.
    fn reversed(tree: &ExtensiveGame) -> (ExtensiveGame, Vec<Vec<usize>>) {
        let (mut nodes, mut sets) = tree.to_specs();
        for node in &mut nodes {
            let player_set = node.infoset.is_some_and(|s| sets[s].player.is_some());
            if player_set {
                node.children.reverse();
            }
        }
        for set in &mut sets {
            if set.player.is_some() {
                set.actions.reverse();
            }
        }
        let out = ExtensiveGame::new(
            tree.players().to_vec(),
            nodes,
            sets,
            tree.outcomes().to_vec(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // A node's path maps to the path with every player action a of m
        // replaced by m - 1 - a.
        let find = |path: &[usize]| -> usize {
            let mut id = tree.root();
            let mut new_id = out.root();
            for &a in path {
                let set = tree.node(id).infoset().map(|s| tree.infoset(s));
                let b = match set {
                    Some(s) if !s.is_chance() => s.num_actions() - 1 - a,
                    _ => a,
                };
                id = tree.node(id).children()[a];
                new_id = out.node(new_id).children()[b];
            }
            new_id
        };
        let map = (0..tree.num_players())
            .map(|p| {
                tree.player_infosets(p)
                    .iter()
                    .map(|&s| {
                        let member = tree.infoset(s).members()[0];
                        let new_set = out
                            .node(find(&tree.node_path(member)))
                            .infoset()
                            .unwrap_or_else(|| panic!("no set"));
                        out.player_infosets(p)
                            .iter()
                            .position(|&t| t == new_set)
                            .unwrap_or_else(|| panic!("set of another player"))
                    })
                    .collect()
            })
            .collect();
        (out, map)
    }

    /// Agent logit's answer on a tree does not depend on the order of the
    /// actions: on every catalog tree with perfect recall, reversing every
    /// player's actions gives the same equilibrium (within 1e-6), or one
    /// in the same convex set of equilibria.
    #[test]
    fn agent_logit_does_not_depend_on_action_order() {
        let Some(root) = shared() else {
            return;
        };
        let (mut same, mut same_set, mut ran) = (0, 0, 0);
        let mut differ = Vec::new();
        for (name, _, t) in &reference_trees(&root) {
            if (0..t.num_players()).all(|p| t.player_infosets(p).is_empty()) {
                continue;
            }
            let (r, map) = reversed(t);
            let (Ok(a), Ok(b)) = (
                agent_logit(t, &LogitOptions::default()),
                agent_logit(&r, &LogitOptions::default()),
            ) else {
                continue;
            };
            let (Some(ea), Some(eb)) = (a.equilibria.first(), b.equilibria.first()) else {
                continue;
            };
            ran += 1;
            // Player p's set i of `t` is set map[p][i] of `r`, its actions
            // reversed.
            let back: Vec<Vec<Vec<f64>>> = map
                .iter()
                .enumerate()
                .map(|(p, sets)| {
                    sets.iter()
                        .map(|&j| eb.profile[p][j].iter().rev().cloned().collect())
                        .collect()
                })
                .collect();
            let d = behavior_distance(&ea.profile, &back);
            let range =
                AgentForm::new(t).map_or(1.0, |af| af.payoff_range().max(f64::MIN_POSITIVE));
            if d <= 1e-6 {
                same += 1;
            } else if in_one_convex_set(t, &ea.profile, &back, range) {
                same_set += 1;
            } else {
                differ.push(format!(
                    "{name}: distance {d:e}: {:?} vs {:?}",
                    ea.profile, back
                ));
            }
        }
        eprintln!("agent logit, actions reversed, on {ran} trees: {same} same, {same_set} in one convex set; differ: {differ:#?}");
        assert!(ran >= 100, "only {ran} trees");
        assert!(differ.is_empty(), "{differ:#?}");
    }

    #[test]
    fn rational_rounding_sums_to_one() {
        let r = to_rational_probs(&[0.1, 0.2, 0.7]);
        assert!(r.iter().sum::<Rational>().is_one());
        let r = to_rational_probs(&[f64::NAN, 1.0]);
        assert!(r.iter().sum::<Rational>().is_one());
    }
}
