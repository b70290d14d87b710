//! Gambit's Lyapunov function on the behaviour profiles of a tree
//! (`liap_agent_solve`, Gambit's default `liap` on `.efg` files).
//!
//! R. D. McKelvey, "A Liapunov function for Nash equilibria", California
//! Institute of Technology Social Science Working Paper 953 (1991), applied
//! information set by information set: with `v(a)` the value of action `a`
//! at its set `I` *given that `I` is reached* (nodes weighted by the
//! profile's beliefs) and `v(I) = Σ_a x_a v(a)`,
//! `L(x) = Σ_I Σ_{a ∈ I} max(0, (v(a) − v(I)) / R)²` (`R` the range of
//! the outcome payoffs), plus Gambit's penalties `100 Σ min(x_a, 0)² +
//! 100 Σ_I (Σ_{a ∈ I} x_a − 1)²`. Values at a set that the profile does
//! not reach are zero (no belief is defined there), as in Gambit's
//! `MixedBehaviorProfile`. The gradient is Gambit's: central differences
//! with step `1e-5`, projected onto the product of simplices. Minimised by
//! [`crate::liap`]'s conjugate gradients from the same start, the run
//! follows Gambit's; its end point is then polished and checked on the
//! agent form like every other answer.

use crate::agent_form::AgentForm;
use crate::liap::Objective;
use detente_game::{ExtensiveGame, NodeKind, Scalar};

/// Gambit's step of the central differences.
const DELTA: f64 = 1e-5;
/// Gambit's weight of the constraint penalties.
const PENALTY: f64 = 100.0;

/// What a node is, for the evaluation passes.
#[derive(Debug, Clone)]
enum Kind {
    Terminal,
    /// Chance move: the probability of each child.
    Chance(Vec<f64>),
    /// Personal move at agent `agent` (index into the agent form), owned
    /// by `player`.
    Personal {
        agent: usize,
        player: usize,
    },
}

/// The tree in flat arrays and the evaluation buffers.
pub(crate) struct AgentLyapunov {
    n: usize,
    root: usize,
    kinds: Vec<Kind>,
    children: Vec<Vec<usize>>,
    parent: Vec<Option<(usize, usize)>>,
    outcome: Vec<Option<Vec<f64>>>,
    /// Per agent: its first index in the profile, its action count, its
    /// member nodes (in the set's order).
    offsets: Vec<usize>,
    sizes: Vec<usize>,
    members: Vec<Vec<usize>>,
    /// `1 / (max − min)` over the outcome payoffs (1 if they are equal).
    scale: f64,
    realiz: Vec<f64>,
    /// Reach probability of each agent's set (the sum over its members,
    /// in the set's order, as Gambit adds them at each member).
    set_prob: Vec<f64>,
    values: Vec<f64>,
    stack: Vec<usize>,
    frames: Vec<(usize, usize, f64)>,
    action_values: Vec<f64>,
    work: Vec<f64>,
}

impl AgentLyapunov {
    pub(crate) fn new(tree: &ExtensiveGame, af: &AgentForm) -> Self {
        let n = tree.num_players();
        let nn = tree.num_nodes();
        let mut agent_of = vec![usize::MAX; tree.infosets().len()];
        let mut offsets = Vec::with_capacity(af.agents.len());
        let mut sizes = Vec::with_capacity(af.agents.len());
        let mut members = Vec::with_capacity(af.agents.len());
        let mut k = 0;
        for (j, &(p, i)) in af.agents.iter().enumerate() {
            let s = tree.player_infosets(p)[i];
            agent_of[s] = j;
            let set = tree.infoset(s);
            offsets.push(k);
            sizes.push(set.num_actions());
            members.push(set.members().to_vec());
            k += set.num_actions();
        }
        let mut kinds = Vec::with_capacity(nn);
        let mut children = Vec::with_capacity(nn);
        let mut parent = Vec::with_capacity(nn);
        let mut outcome = Vec::with_capacity(nn);
        for v in 0..nn {
            let node = tree.node(v);
            kinds.push(match tree.node_kind(v) {
                NodeKind::Terminal => Kind::Terminal,
                NodeKind::Chance => Kind::Chance(
                    tree.chance_probs(v)
                        .unwrap_or(&[])
                        .iter()
                        .map(Scalar::to_f64)
                        .collect(),
                ),
                NodeKind::Personal(player) => Kind::Personal {
                    agent: node
                        .infoset()
                        .and_then(|s| agent_of.get(s).copied())
                        .unwrap_or(usize::MAX),
                    player,
                },
            });
            children.push(node.children().to_vec());
            parent.push(node.parent().zip(node.prior_action()));
            outcome.push(
                tree.node_payoffs(v)
                    .map(|p| p.iter().map(Scalar::to_f64).collect()),
            );
        }
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for o in tree.outcomes() {
            for x in &o.payoffs {
                let x = x.to_f64();
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        let scale = if hi > lo && (hi - lo).is_finite() {
            1.0 / (hi - lo)
        } else {
            1.0
        };
        AgentLyapunov {
            n,
            root: tree.root(),
            kinds,
            children,
            parent,
            outcome,
            offsets,
            sizes,
            members,
            scale,
            realiz: vec![0.0; nn],
            set_prob: vec![0.0; af.agents.len()],
            values: vec![0.0; nn * n],
            stack: Vec::with_capacity(nn),
            frames: Vec::new(),
            action_values: vec![0.0; k],
            work: vec![0.0; k],
        }
    }

    /// Probability of the action leading to child number `a` of `v`.
    fn prob(&self, x: &[f64], v: usize, a: usize) -> f64 {
        match &self.kinds[v] {
            Kind::Chance(p) => p.get(a).copied().unwrap_or(0.0),
            Kind::Personal { agent, .. } => self
                .offsets
                .get(*agent)
                .map_or(0.0, |&o| x.get(o + a).copied().unwrap_or(0.0)),
            Kind::Terminal => 0.0,
        }
    }

    /// Realisation probabilities, node values and conditional action values
    /// (Gambit's three passes over the tree).
    fn evaluate(&mut self, x: &[f64]) {
        let n = self.n;
        // Pass 1: realisation probabilities, parents before children.
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push(self.root);
        while let Some(v) = stack.pop() {
            self.realiz[v] = match self.parent[v] {
                Some((p, a)) => self.realiz[p] * self.prob(x, p, a),
                None => 1.0,
            };
            stack.extend(self.children[v].iter().rev());
        }
        self.stack = stack;
        for j in 0..self.members.len() {
            self.set_prob[j] = self.members[j].iter().fold(0.0, |s, &u| s + self.realiz[u]);
        }
        // Pass 2: node values (outcomes on the path pushed down to the
        // children) and action values weighted by beliefs, depth first.
        self.action_values.iter_mut().for_each(|a| *a = 0.0);
        let root = self.root;
        self.values[root * n..root * n + n]
            .iter_mut()
            .for_each(|a| *a = 0.0);
        // Frames: (node, next child, the set's reach probability).
        let mut frames = std::mem::take(&mut self.frames);
        frames.clear();
        self.enter(root, &mut frames);
        while let Some(&mut (v, ref mut next, set_prob)) = frames.last_mut() {
            let i = *next;
            if i > 0 {
                // Child i − 1 is done: add it to v's value.
                let c = self.children[v][i - 1];
                let q = self.prob(x, v, i - 1);
                for p in 0..n {
                    self.values[v * n + p] += q * self.values[c * n + p];
                }
                if let Kind::Personal { agent, player } = self.kinds[v] {
                    if let Some(&o) = self.offsets.get(agent) {
                        self.action_values[o + i - 1] += if set_prob != 0.0 {
                            (self.realiz[v] / set_prob) * self.values[c * n + player]
                        } else {
                            0.0
                        };
                    }
                }
            }
            if i < self.children[v].len() {
                *next += 1;
                let c = self.children[v][i];
                self.enter(c, &mut frames);
            } else {
                frames.pop();
            }
        }
        self.frames = frames;
    }

    /// Starts node `v` (its value already holds what its parent pushed
    /// down): adds its outcome; a decision node pushes its value to its
    /// children, restarts from zero and gets a frame.
    fn enter(&mut self, v: usize, frames: &mut Vec<(usize, usize, f64)>) {
        let n = self.n;
        if let Some(pay) = &self.outcome[v] {
            for (p, x) in pay.iter().enumerate().take(n) {
                self.values[v * n + p] += x;
            }
        }
        if matches!(self.kinds[v], Kind::Terminal) {
            return;
        }
        let set_prob = match self.kinds[v] {
            Kind::Personal { agent, .. } => self.set_prob.get(agent).copied().unwrap_or(0.0),
            _ => 0.0,
        };
        for i in 0..self.children[v].len() {
            let c = self.children[v][i];
            for p in 0..n {
                self.values[c * n + p] = self.values[v * n + p];
            }
        }
        for p in 0..n {
            self.values[v * n + p] = 0.0;
        }
        frames.push((v, 0, set_prob));
    }

    /// Gambit's `EnforceNonnegativity`: negative entries cut to zero, then
    /// each set that the profile reaches rescaled to sum to one.
    pub(crate) fn enforce_nonnegativity(&mut self, x: &mut [f64]) {
        for v in x.iter_mut() {
            *v = v.max(0.0);
        }
        self.evaluate(x);
        for j in 0..self.offsets.len() {
            let reach = self.set_prob[j];
            let block = &mut x[self.offsets[j]..self.offsets[j] + self.sizes[j]];
            let total: f64 = block.iter().sum();
            if reach != 0.0 && total != 0.0 {
                block.iter_mut().for_each(|v| *v /= total);
            }
        }
    }
}

impl Objective for AgentLyapunov {
    fn value(&mut self, x: &[f64]) -> f64 {
        self.evaluate(x);
        let mut value = 0.0;
        for j in 0..self.offsets.len() {
            let o = self.offsets[j];
            let s = self.sizes[j];
            let set_value = (0..s).fold(0.0, |acc, a| acc + x[o + a] * self.action_values[o + a]);
            for a in 0..s {
                let r = (self.scale * (self.action_values[o + a] - set_value)).max(0.0);
                value += r * r;
            }
        }
        for &v in x {
            let m = v.min(0.0);
            value += PENALTY * (m * m);
        }
        for j in 0..self.offsets.len() {
            let o = self.offsets[j];
            let sum = x[o..o + self.sizes[j]].iter().fold(0.0, |s, v| s + v) - 1.0;
            value += PENALTY * (sum * sum);
        }
        value
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        let mut work = std::mem::take(&mut self.work);
        work.clear();
        work.extend_from_slice(x);
        for i in 0..work.len() {
            work[i] += DELTA;
            let mut d = self.value(&work);
            work[i] -= 2.0 * DELTA;
            d -= self.value(&work);
            work[i] += DELTA;
            g[i] = d / (2.0 * DELTA);
        }
        self.work = work;
        for j in 0..self.offsets.len() {
            let block = &mut g[self.offsets[j]..self.offsets[j] + self.sizes[j]];
            let mean = block.iter().sum::<f64>() / block.len() as f64;
            block.iter_mut().for_each(|v| *v -= mean);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent_form::tests::tree;

    /// Chance, then player 1 (one set over both chance outcomes), then
    /// player 2 after In; an outcome at a decision node.
    const TREE: &str = r#"EFG 2 R "test" { "1" "2" } ""
c "" 1 "" { "h" 1/4 "l" 3/4 } 0
p "" 1 1 "" { "Out" "In" } 1 "bonus" { 1, 0 }
t "" 2 "" { 1, 0 }
p "" 2 1 "" { "a" "b" } 0
t "" 3 "" { 4, 1 }
t "" 4 "" { 0, 2 }
p "" 1 1 "" { "Out" "In" } 0
t "" 5 "" { 2, 0 }
p "" 2 1 "" { "a" "b" } 0
t "" 6 "" { 3, 3 }
t "" 7 "" { 1, 0 }
"#;

    #[test]
    fn conditional_values_on_a_small_tree() {
        let t = tree(TREE);
        let af = AgentForm::new(&t).unwrap_or_else(|e| panic!("{e}"));
        let mut f = AgentLyapunov::new(&t, &af);
        // Player 1 In with 1/2, player 2 a with 1/3.
        let x = [0.5, 0.5, 1.0 / 3.0, 2.0 / 3.0];
        f.evaluate(&x);
        // Player 1's set is reached with probability one, beliefs 1/4, 3/4;
        // the bonus outcome (1) is added on the "h" branch. Out: 1/4·(1+1)
        // + 3/4·2 = 2. In: 1/4·(1 + 4/3 + 0) + 3/4·(1 + 2/3) = 7/12 + 5/4.
        let v = &f.action_values;
        assert!((v[0] - 2.0).abs() < 1e-12, "{v:?}");
        assert!((v[1] - (7.0 / 12.0 + 1.25)).abs() < 1e-12, "{v:?}");
        // Player 2's set: reached with 1/2, beliefs 1/4, 3/4. a: 1/4·1 +
        // 3/4·3 = 2.5; b: 1/4·2 + 0 = 0.5.
        assert!((v[2] - 2.5).abs() < 1e-12, "{v:?}");
        assert!((v[3] - 0.5).abs() < 1e-12, "{v:?}");
        // L: player 1's regret of Out (2 − (v0 + v1)/2), player 2's of a,
        // scaled by the outcome range 4.
        let set1 = 0.5 * v[0] + 0.5 * v[1];
        let set2 = v[2] / 3.0 + 2.0 * v[3] / 3.0;
        let want = ((v[0] - set1) / 4.0).powi(2) + ((v[2] - set2) / 4.0).powi(2);
        assert!((f.value(&x) - want).abs() < 1e-12);
        // Penalties off the simplices.
        let y = [0.7, 0.5, -0.1, 1.0];
        let l = f.value(&y);
        f.evaluate(&y);
        let mut liap = 0.0;
        for (o, s) in [(0usize, 2usize), (2, 2)] {
            let set: f64 = (0..s).map(|a| y[o + a] * f.action_values[o + a]).sum();
            for a in 0..s {
                liap += ((f.action_values[o + a] - set) / 4.0).max(0.0).powi(2);
            }
        }
        let pen = 100.0 * (0.01 + 0.2f64.powi(2) + 0.1f64.powi(2));
        assert!((l - liap - pen).abs() < 1e-9, "{l} {liap} {pen}");
    }

    #[test]
    fn unreached_sets_have_zero_values_and_keep_their_mixture() {
        let t = tree(TREE);
        let af = AgentForm::new(&t).unwrap_or_else(|e| panic!("{e}"));
        let mut f = AgentLyapunov::new(&t, &af);
        // Player 1 Out for sure: player 2's set is not reached.
        let mut x = vec![1.0, 0.0, 0.2, 0.2];
        f.evaluate(&x);
        assert_eq!(&f.action_values[2..], &[0.0, 0.0]);
        f.enforce_nonnegativity(&mut x);
        assert_eq!(x, vec![1.0, 0.0, 0.2, 0.2]);
        let mut y = vec![0.5, 1.5, -0.2, 0.6];
        f.enforce_nonnegativity(&mut y);
        assert_eq!(y, vec![0.25, 0.75, 0.0, 1.0]);
    }

    #[test]
    fn gradient_is_projected_central_differences() {
        let t = tree(TREE);
        let af = AgentForm::new(&t).unwrap_or_else(|e| panic!("{e}"));
        let mut f = AgentLyapunov::new(&t, &af);
        let x = [0.6, 0.4, 0.3, 0.7];
        let mut g = vec![0.0; 4];
        f.gradient(&x, &mut g);
        assert!((g[0] + g[1]).abs() < 1e-12 && (g[2] + g[3]).abs() < 1e-12);
        let h = 1e-6;
        let d = |f: &mut AgentLyapunov, i: usize| {
            let mut a = x;
            a[i] += h;
            let mut b = x;
            b[i] -= h;
            (f.value(&a) - f.value(&b)) / (2.0 * h)
        };
        let d0 = d(&mut f, 0);
        let d1 = d(&mut f, 1);
        assert!((g[0] - (d0 - d1) / 2.0).abs() < 1e-6, "{g:?} {d0} {d1}");
    }
}
