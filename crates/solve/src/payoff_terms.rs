//! The payoffs of a game tree's agent form as a sum over outcome paths,
//! without the table.
//!
//! The agent form of a tree (one player per information set, see
//! [`crate::agent_form`]) has one pure profile per choice of an action at
//! every information set: `2^20` profiles for a tree with 20 binary sets,
//! however small the tree. Its payoff to the owner `p` of agent `j` is
//! multilinear in the behaviour probabilities:
//!
//! `U_p(x) = Σ_z c_p(z) Π_{(i, a) ∈ P(z)} x_{i,a}`,
//!
//! a sum over the nodes `z` that carry an outcome, where `P(z)` is the set
//! of (agent, action) pairs on the path from the root to `z` and `c_p(z)`
//! the product of the chance probabilities on that path times `z`'s payoff
//! to `p` (Kuhn 1953; the realisation weights of Koller, Megiddo and von
//! Stengel 1996 are these products). The strategy values `u_j(h, x_{-j})`
//! and their derivatives, which the agent-form methods (logit, liap,
//! Newton's polish) take from [`PayoffTensor`], are computed here from the
//! terms in time `Σ_z |P(z)|²`, where a table would take the number of
//! pure profiles times the number of agents.
//!
//! The values are exactly the table's on the product of simplices (every
//! agent's probabilities summing to one), where the methods use them; the
//! pair table `d[a][b] = ∂v_a / ∂x_b` is the part of the derivative that
//! differs between actions of both agents: the table's derivative also has
//! parts constant along a row of an agent's actions, which cancel in the
//! differences `v_a − v_{a'}` the methods' equations are written in, and
//! parts constant along a column, which vanish on directions that keep each
//! agent's probabilities summing to one.
//!
//! An agent met twice on one path (imperfect recall) is kept once when it
//! takes the same action both times; a path on which it takes two different
//! actions belongs to no pure profile and is dropped, as in the table.

use crate::nplayer_util::PayoffTensor;

/// One outcome's contribution: the flat indices of the agent actions on its
/// path (one per agent, in increasing agent order) and its weight per tree
/// player (chance probability times payoff), in the game's units.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub path: Vec<usize>,
    pub weight: Vec<f64>,
}

/// The agent form's payoffs as terms (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct PayoffTerms {
    /// Tree player owning each agent (each player of the agent form).
    pub owner: Vec<usize>,
    /// Number of tree players.
    pub players: usize,
    pub terms: Vec<Term>,
}

impl PayoffTerms {
    /// Strategy values `v[a] = u_j(h, x_{-j})` for `a = (j, h)`, rescaled
    /// as `t`'s (`(u − min) / scale`), and, with `d`, the pair table (see
    /// the module docs); `v` and `d` are overwritten. The values are the
    /// same bit for bit with or without `d`.
    pub(crate) fn contract(
        &self,
        t: &PayoffTensor,
        x: &[f64],
        v: &mut [f64],
        mut d: Option<&mut [f64]>,
    ) {
        let k = t.k;
        let n = t.n;
        let inv = 1.0 / t.scale;
        v.iter_mut().for_each(|a| *a = 0.0);
        if let Some(d) = d.as_deref_mut() {
            d.iter_mut().for_each(|a| *a = 0.0);
        }
        // total[p]: Σ_z c_p(z) R_z; on[j]: the same over the terms whose path
        // holds agent j, for j's owner. Agent j's values get total − on[j]
        // for every action (the terms that do not depend on j).
        let mut total = vec![0.0f64; self.players];
        let mut on = vec![0.0f64; n];
        let mut pre: Vec<f64> = Vec::new();
        let mut suf: Vec<f64> = Vec::new();
        for term in &self.terms {
            let path = &term.path;
            let len = path.len();
            pre.clear();
            pre.push(1.0);
            for &a in path {
                let last = pre[pre.len() - 1];
                pre.push(last * x[a]);
            }
            suf.clear();
            suf.resize(len + 1, 1.0);
            for l in (0..len).rev() {
                suf[l] = suf[l + 1] * x[path[l]];
            }
            let all = pre[len];
            for (p, w) in total.iter_mut().zip(&term.weight) {
                *p += w * all;
            }
            for (l, &a) in path.iter().enumerate() {
                let j = t.owner(a);
                let w = term.weight[self.owner[j]];
                v[a] += w * pre[l] * suf[l + 1];
                on[j] += w * all;
            }
            if let Some(d) = d.as_deref_mut() {
                for l in 0..len {
                    let a = path[l];
                    let wa = term.weight[self.owner[t.owner(a)]];
                    let mut mid = pre[l];
                    for m in (l + 1)..len {
                        let b = path[m];
                        let r = mid * suf[m + 1];
                        if r != 0.0 {
                            let wb = term.weight[self.owner[t.owner(b)]];
                            d[a * k + b] += wa * r * inv;
                            d[b * k + a] += wb * r * inv;
                        }
                        mid *= x[b];
                    }
                }
            }
        }
        for j in 0..n {
            let off = total[self.owner[j]] - on[j];
            let o = t.offsets[j];
            for a in &mut v[o..o + t.shape[j]] {
                *a = (*a + off - t.min) * inv;
            }
        }
    }

    /// Max regret of a nested profile in the game's units, from the terms
    /// by separate code (a sum per term, no prefix products), for the
    /// independent check of [`crate::nplayer_util::Collector`]; also the
    /// players' expected payoffs.
    pub fn regret_and_payoffs(
        &self,
        shape: &[usize],
        profile: &[Vec<f64>],
    ) -> Option<(f64, Vec<f64>)> {
        let n = shape.len();
        if profile.len() != n
            || self.owner.len() != n
            || profile.iter().zip(shape).any(|(p, &s)| p.len() != s)
        {
            return None;
        }
        let mut offsets = Vec::with_capacity(n);
        let mut k = 0;
        for &s in shape {
            offsets.push(k);
            k += s;
        }
        let flat: Vec<f64> = profile.iter().flatten().copied().collect();
        let agent_of = |a: usize| offsets.partition_point(|&o| o <= a) - 1;
        // vals[a]: agent j's payoff when it plays a and everyone else
        // follows the profile; every term not involving j counts for each
        // of j's actions.
        let mut vals = vec![0.0f64; k];
        let mut payoffs = vec![0.0f64; self.players];
        let mut without = vec![0.0f64; n];
        let mut involved = vec![false; n];
        for term in &self.terms {
            let prob: f64 = term.path.iter().map(|&a| flat[a]).product();
            for (p, w) in payoffs.iter_mut().zip(&term.weight) {
                *p += w * prob;
            }
            involved.iter_mut().for_each(|i| *i = false);
            for &a in &term.path {
                let j = agent_of(a);
                involved[j] = true;
                let rest: f64 = term
                    .path
                    .iter()
                    .filter(|&&b| b != a)
                    .map(|&b| flat[b])
                    .product();
                vals[a] += term.weight[self.owner[j]] * rest;
            }
            for j in 0..n {
                if !involved[j] {
                    without[j] += term.weight[self.owner[j]] * prob;
                }
            }
        }
        let mut worst = 0.0f64;
        for j in 0..n {
            let o = offsets[j];
            let own: f64 = (0..shape[j])
                .map(|h| flat[o + h] * vals[o + h])
                .sum::<f64>()
                + without[j];
            for h in 0..shape[j] {
                worst = worst.max(vals[o + h] + without[j] - own);
            }
        }
        worst.is_finite().then_some((worst, payoffs))
    }
}
