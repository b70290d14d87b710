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
//! The values and pairs follow the table's multilinear form, in which a
//! term stands for every pure profile that agrees with its path and is
//! therefore multiplied by the sums `S_i = Σ_a x_{i,a}` of the agents off
//! its path: they are computed at the profile normalised agent by agent
//! and scaled back by the chain rule ([`PayoffTerms::contract`]), on and off
//! the simplices. They are **relative**: an agent's values leave out what
//! is common to all its actions (the outcomes whose path misses its set).
//! The agent-form methods use values only through differences between an
//! agent's actions (its equations, regrets and Newton steps), which are
//! unchanged; and an agent whose set is reached with probability `1e-9`
//! keeps the precision of those differences, which a common part of size
//! one would round away (the agent logit divides them by that
//! probability).
//!
//! An agent met twice on one path (imperfect recall) is kept once when it
//! takes the same action both times; a path on which it takes two different
//! actions belongs to no pure profile and is dropped, as in the table.

// Index loops mirror the formulas over agents and actions.
#![allow(clippy::needless_range_loop)]

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
    /// Strategy values and, with `d`, the pair table `d[a][b] = ∂v_a/∂x_b`,
    /// both overwritten, rescaled by `t.scale`. **Relative values**: `v_a`
    /// for `a = (j, h)` is `u_j(h, x_{-j})` less a quantity common to all of
    /// agent `j`'s actions (the payoff from outcomes whose path misses `j`'s
    /// set, and `t.min`), so that the values of an agent whose set is
    /// rarely reached keep their precision (see the module docs). The
    /// values are the same bit for bit with or without `d`.
    pub(crate) fn contract(
        &self,
        t: &PayoffTensor,
        x: &[f64],
        v: &mut [f64],
        d: Option<&mut [f64]>,
    ) {
        let n = t.n;
        let k = t.k;
        // The table's multilinear form multiplies each term by the sums
        // S_i = Σ_a x_{i,a} of the agents off its path: with x̂ = x / S per
        // agent, v_a(x) = G_j · v̂_a(x̂), G_j = Π_{i≠j} S_i, where v̂ are the
        // values at x̂ (on the simplices, where the terms need no sums).
        let mut sums = vec![0.0f64; n];
        for (j, s) in sums.iter_mut().enumerate() {
            let o = t.offsets[j];
            *s = x[o..o + t.shape[j]].iter().sum();
        }
        let usable = |s: f64| s > 0.0 && s.is_finite();
        let xh: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(a, &xa)| {
                let s = sums[t.owner(a)];
                if usable(s) {
                    xa / s
                } else {
                    xa
                }
            })
            .collect();
        let mut pre = vec![1.0f64; n + 1];
        for j in 0..n {
            pre[j + 1] = pre[j] * sums[j];
        }
        let mut suf = vec![1.0f64; n + 1];
        for j in (0..n).rev() {
            suf[j] = suf[j + 1] * sums[j];
        }
        let g: Vec<f64> = (0..n).map(|j| pre[j] * suf[j + 1]).collect();
        match d {
            None => self.contract_normalised(t, &xh, v, None),
            Some(d) => {
                self.contract_normalised(t, &xh, v, Some(&mut *d));
                // ∂v_a/∂x_b = (G_j / S_q)(v̂_a + d̂_ab − Σ_{b'∈q} x̂_b' d̂_ab')
                // for b of agent q ≠ j.
                let mut row = vec![0.0f64; k];
                for a in 0..k {
                    let j = t.owner(a);
                    row.copy_from_slice(&d[a * k..(a + 1) * k]);
                    for q in 0..n {
                        if q == j {
                            continue;
                        }
                        let o = t.offsets[q];
                        let span = o..o + t.shape[q];
                        let mean: f64 = span.clone().map(|b| xh[b] * row[b]).sum();
                        let f = if usable(sums[q]) {
                            g[j] / sums[q]
                        } else {
                            g[j]
                        };
                        for b in span {
                            d[a * k + b] = f * (v[a] + row[b] - mean);
                        }
                    }
                }
            }
        }
        for (a, va) in v.iter_mut().enumerate() {
            *va *= g[t.owner(a)];
        }
    }

    /// Relative values and on-path pairs at a profile whose agents'
    /// probabilities sum to one: `v_a = Σ_{z ∋ a} c(z) Π_{P(z) \ a} x`,
    /// `d_ab = Σ_{z ∋ a, b} c(z) Π_{P(z) \ {a, b}} x`, rescaled.
    fn contract_normalised(
        &self,
        t: &PayoffTensor,
        x: &[f64],
        v: &mut [f64],
        mut d: Option<&mut [f64]>,
    ) {
        let k = t.k;
        let inv = 1.0 / t.scale;
        v.iter_mut().for_each(|a| *a = 0.0);
        if let Some(d) = d.as_deref_mut() {
            d.iter_mut().for_each(|a| *a = 0.0);
        }
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
            for (l, &a) in path.iter().enumerate() {
                let w = term.weight[self.owner[t.owner(a)]];
                v[a] += w * pre[l] * suf[l + 1] * inv;
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
