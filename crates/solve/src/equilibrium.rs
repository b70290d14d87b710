//! The result type shared by all strategic-form solvers.

use detente_game::{NormalFormGame, Scalar};

/// A mixed-strategy profile with the payoff it gives each player.
///
/// `profile[p][s]` is the probability that player `p` plays strategy `s`
/// (players and strategies in file order).
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium<T> {
    pub profile: Vec<Vec<T>>,
    pub payoffs: Vec<T>,
}

impl<T: Scalar> Equilibrium<T> {
    /// Builds an equilibrium record, computing each player's expected payoff.
    pub fn new(game: &NormalFormGame, profile: Vec<Vec<T>>) -> Self {
        let payoffs = expected_payoffs(game, &profile);
        Equilibrium { profile, payoffs }
    }
}

/// Expected payoff of each player under a mixed profile.
pub fn expected_payoffs<T: Scalar>(game: &NormalFormGame, profile: &[Vec<T>]) -> Vec<T> {
    let n = game.num_players();
    let mut out = vec![T::zero(); n];
    for cell in 0..game.num_profiles() {
        let pure = game.profile_at(cell);
        let mut prob = T::one();
        for (p, &s) in pure.iter().enumerate() {
            prob = prob * profile[p][s].clone();
            if prob.is_zero() {
                break;
            }
        }
        if prob.is_zero() {
            continue;
        }
        for (p, o) in out.iter_mut().enumerate() {
            *o = o.clone() + prob.clone() * T::from_rational(game.payoff(cell, p));
        }
    }
    out
}

/// Why a solver could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// The method does not apply to this game (e.g. `lp` on a game that is
    /// not constant-sum, or a two-player method on three players).
    #[error("{0}")]
    NotApplicable(String),
    /// The method ran out of its budget (iterations, time, size).
    #[error("{0}")]
    Budget(String),
    /// The game is too large for the method.
    #[error("{0}")]
    TooLarge(String),
}
