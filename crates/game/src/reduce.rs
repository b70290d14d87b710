//! The reduced strategic (normal) form of a game tree, exactly as Gambit
//! 16.7 builds it.
//!
//! A player's *reduced* pure strategy chooses an action only at the
//! information sets that its own earlier choices leave reachable (Kuhn
//! 1953, "Extensive games and the problem of information"; the reduction
//! of strategies that differ only at unreachable sets is the "reduced
//! normal form" of e.g. von Stengel, Koller & Megiddo, GEB 1996).
//!
//! Order and labels follow Gambit's `MakeReducedStrats`: the tree is walked
//! in prefix order, following only the chosen action at the player's own
//! nodes and every branch at other nodes; the first time an information set
//! is met its actions are tried in order. Strategies therefore come in
//! lexicographic order of the decisions in the order they are met. Each
//! strategy is labelled with one entry per own information set (in
//! behaviour-profile order): the 1-based action number, or `*` where the set
//! is unreachable (`1*11`, `2111`, ...); a player without information sets
//! has the single strategy `*`. Payoffs are expectations over chance.

use crate::error::GameError;
use crate::extensive::{ExtensiveGame, NodeKind};
use crate::normal::{NormalFormGame, MAX_PROFILES};
use crate::number::Rational;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

/// Most node visits spent enumerating one player's reduced strategies (and
/// the largest nodes x players a reduction accepts): a few seconds of work.
const WORK_LIMIT: u64 = 400_000_000;

/// A reduced pure strategy of one player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReducedStrategy {
    /// Gambit's label, e.g. `1*11`.
    pub label: String,
    /// The chosen action at each of the player's information sets, in the
    /// order of [`ExtensiveGame::player_infosets`]; `None` where the set is
    /// unreachable.
    pub choices: Vec<Option<usize>>,
}

impl ExtensiveGame {
    /// Number of reduced strategies of each player, or an error if the
    /// reduced strategic form would have more than [`MAX_PROFILES`] pure
    /// profiles. Cheap for games with perfect recall (a product-sum over
    /// the information sets); otherwise counts by enumeration, stopping at
    /// the limit.
    pub fn reduced_shape(&self) -> Result<Vec<usize>, GameError> {
        let n = self.num_players();
        let size = (self.num_nodes() as u128) * (n as u128);
        if size > WORK_LIMIT as u128 {
            return Err(GameError::Invalid(format!(
                "this tree is too large to put in strategic form ({} nodes x {n} players)",
                self.num_nodes()
            )));
        }
        let mut counts: Vec<u128> = Vec::with_capacity(n);
        let pr = self.is_perfect_recall();
        for p in 0..n {
            let c = if pr {
                self.count_perfect_recall(p)
            } else {
                let mut c: u128 = 0;
                self.enumerate(p, MAX_PROFILES as u128 + 1, &mut |_| c += 1)?;
                c
            };
            counts.push(c);
        }
        let mut total: u128 = 1;
        for &c in &counts {
            total = total.saturating_mul(c);
        }
        if total > MAX_PROFILES as u128 {
            let dims: Vec<String> = counts
                .iter()
                .map(|&c| {
                    if c > MAX_PROFILES as u128 && !pr {
                        format!("more than {MAX_PROFILES}")
                    } else if c == u128::MAX {
                        "more than 2^128".to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            return Err(GameError::Invalid(format!(
                "the reduced strategic form of this tree has {} strategy profiles ({}), more than the {} Detente holds; solve it in extensive form instead",
                if total == u128::MAX { "too many".to_string() } else { total.to_string() },
                dims.join(" x "),
                MAX_PROFILES
            )));
        }
        Ok(counts.into_iter().map(|c| c as usize).collect())
    }

    /// Reduced strategies of every player, in Gambit's order (refused like
    /// [`ExtensiveGame::reduced_shape`] when the strategic form is too large).
    pub fn reduced_strategies(&self) -> Result<Vec<Vec<ReducedStrategy>>, GameError> {
        self.reduced_shape()?;
        (0..self.num_players())
            .map(|p| {
                let mut out = Vec::new();
                self.enumerate(p, u128::MAX, &mut |choices: &[Option<usize>]| {
                    out.push(ReducedStrategy {
                        label: strategy_label(choices),
                        choices: choices.to_vec(),
                    })
                })?;
                Ok(out)
            })
            .collect()
    }

    /// Reduced strategies of one player (0-based), in Gambit's order; an
    /// error if the player alone has more than [`MAX_PROFILES`] of them.
    /// Unlike [`ExtensiveGame::reduced_strategies`] this works when only the
    /// whole strategic form is too large.
    pub fn player_reduced_strategies(
        &self,
        player: usize,
    ) -> Result<Vec<ReducedStrategy>, GameError> {
        let mut out = Vec::new();
        let mut too_many = false;
        self.enumerate(
            player,
            MAX_PROFILES as u128 + 1,
            &mut |choices: &[Option<usize>]| {
                if out.len() == MAX_PROFILES {
                    too_many = true;
                } else {
                    out.push(ReducedStrategy {
                        label: strategy_label(choices),
                        choices: choices.to_vec(),
                    })
                }
            },
        )?;
        if too_many {
            return Err(GameError::Invalid(format!(
                "player {} has more than {MAX_PROFILES} reduced strategies",
                player + 1
            )));
        }
        Ok(out)
    }

    /// The reduced strategic form (see the module documentation), with the
    /// tree's title and comment. Every cell gets its own unlabeled outcome
    /// (expected payoffs need not be any outcome of the tree).
    pub fn reduced_normal_form(&self) -> Result<NormalFormGame, GameError> {
        let strategies = self.reduced_strategies()?;
        let n = self.num_players();
        let shape: Vec<usize> = strategies.iter().map(Vec::len).collect();
        let cells: usize = shape.iter().product();
        let mut stride = vec![1usize; n];
        for p in 1..n {
            stride[p] = stride[p - 1] * shape[p - 1];
        }
        let mut leaves = LeafCells::new(self, &strategies, stride);
        // Payoffs are accumulated as integers over one common denominator
        // `D = L · P` (`L`: lcm of the outcomes' payoff denominators, so a
        // leaf's payoff sum times `L` is an integer; `P`: lcm of the
        // reach probabilities' denominators), and reduced once per cell:
        // adding big rationals leaf by leaf cost a gcd per addition.
        // In machine integers from the start when every number of the tree
        // fits ([`small_payoff_table`]: no big rational at all), else with
        // the leaves' payoff sums as big rationals and the table in machine
        // integers until the first overflow ([`big_payoff_table`]). Both give
        // the exact expected payoffs, reduced: the same rationals.
        let table = match small_payoff_table(self, &mut leaves, cells) {
            Some(t) => t,
            None => big_payoff_table(self, &mut leaves, cells),
        };
        let labels: Vec<Vec<String>> = strategies
            .iter()
            .map(|ss| ss.iter().map(|s| s.label.clone()).collect())
            .collect();
        let mut g = NormalFormGame::from_table(self.players().to_vec(), labels, table)?;
        g.title = self.title.clone();
        g.comment = self.comment.clone();
        Ok(g)
    }

    /// Sequence-form count of reduced strategies (valid with perfect
    /// recall): count(I) = sum over actions a of the product of count(J)
    /// over the sets J that follow (I, a) directly; the total is the product
    /// over the sets met first. Saturates at `u128::MAX`.
    fn count_perfect_recall(&self, p: usize) -> u128 {
        let sets = self.player_infosets(p);
        let mut pos = vec![usize::MAX; self.infosets().len()];
        for (i, &s) in sets.iter().enumerate() {
            pos[s] = i;
        }
        // Parent sequence (own set position, action) of each set.
        let mut parent: Vec<Option<(usize, usize)>> = vec![None; sets.len()];
        for (i, &s) in sets.iter().enumerate() {
            let mut u = self.infoset(s).members()[0];
            while let (Some(par), Some(a)) = (self.node(u).parent(), self.node(u).prior_action()) {
                if let Some(ps) = self.node(par).infoset() {
                    if self.infoset(ps).player() == Some(p) {
                        parent[i] = Some((pos[ps], a));
                        break;
                    }
                }
                u = par;
            }
        }
        // prod[i][a]: product of counts of the sets following (i, a).
        let mut prod: Vec<Vec<u128>> = sets
            .iter()
            .map(|&s| vec![1u128; self.infoset(s).num_actions()])
            .collect();
        let mut total: u128 = 1;
        for i in (0..sets.len()).rev() {
            let count = prod[i].iter().fold(0u128, |acc, &x| acc.saturating_add(x));
            match parent[i] {
                Some((j, a)) => prod[j][a] = prod[j][a].saturating_mul(count),
                None => total = total.saturating_mul(count),
            }
        }
        total
    }

    /// Enumerates player `p`'s reduced strategies in Gambit's order, calling
    /// `emit` with the choices (indexed by the player's set order); stops
    /// after `limit` strategies. Iterative: each strategy costs one walk over
    /// the nodes it reaches.
    fn enumerate(
        &self,
        p: usize,
        limit: u128,
        emit: &mut dyn FnMut(&[Option<usize>]),
    ) -> Result<(), GameError> {
        let mut work: u64 = 0;
        let sets = self.player_infosets(p);
        let mut pos = vec![usize::MAX; self.infosets().len()];
        for (i, &s) in sets.iter().enumerate() {
            pos[s] = i;
        }
        // decisions: (set position, action) in the order they were made.
        let mut decisions: Vec<(usize, usize)> = Vec::new();
        let mut forced = 0usize;
        let mut choices: Vec<Option<usize>> = vec![None; sets.len()];
        let mut stack: Vec<usize> = Vec::new();
        let mut emitted: u128 = 0;
        loop {
            // Walk the tree with decisions[..forced] fixed, new sets -> 0.
            for c in choices.iter_mut() {
                *c = None;
            }
            let fixed: Vec<(usize, usize)> = decisions[..forced].to_vec();
            decisions.clear();
            stack.clear();
            stack.push(self.root());
            while let Some(v) = stack.pop() {
                work += 1;
                if work > WORK_LIMIT {
                    return Err(GameError::Invalid(format!(
                        "player {} of this tree has too many reduced strategies to enumerate (more than {WORK_LIMIT} node visits)",
                        p + 1
                    )));
                }
                let node = self.node(v);
                match self.node_kind(v) {
                    NodeKind::Terminal => {}
                    NodeKind::Personal(q) if q == p => {
                        let i = node.infoset().map_or(0, |s| pos[s]);
                        let a = match choices[i] {
                            Some(a) => a,
                            None => {
                                let a = fixed.get(decisions.len()).map_or(0, |&(_, a)| a);
                                choices[i] = Some(a);
                                decisions.push((i, a));
                                a
                            }
                        };
                        stack.push(node.children()[a]);
                    }
                    _ => stack.extend(node.children().iter().rev()),
                }
            }
            emit(&choices);
            emitted += 1;
            if emitted >= limit {
                return Ok(());
            }
            // Advance the last decision that has another action.
            let mut j = decisions.len();
            loop {
                if j == 0 {
                    return Ok(());
                }
                j -= 1;
                let (i, a) = decisions[j];
                if a + 1 < self.infoset(sets[i]).num_actions() {
                    decisions[j].1 = a + 1;
                    forced = j + 1;
                    decisions.truncate(forced);
                    break;
                }
            }
        }
    }
}

/// The cells a leaf's payoffs are added to: the product of each player's
/// reduced strategies that are consistent with his own decisions on the
/// way to the leaf (buffers kept between leaves).
struct LeafCells<'g> {
    game: &'g ExtensiveGame,
    strategies: &'g [Vec<ReducedStrategy>],
    stride: Vec<usize>,
    /// Position of each global information set in its player's list.
    pos: Vec<usize>,
    constraints: Vec<Vec<(usize, usize)>>,
    consistent: Vec<Vec<usize>>,
    idx: Vec<usize>,
}

impl<'g> LeafCells<'g> {
    fn new(
        game: &'g ExtensiveGame,
        strategies: &'g [Vec<ReducedStrategy>],
        stride: Vec<usize>,
    ) -> Self {
        let n = game.num_players();
        let mut pos = vec![0usize; game.infosets().len()];
        for p in 0..n {
            for (i, &s) in game.player_infosets(p).iter().enumerate() {
                pos[s] = i;
            }
        }
        LeafCells {
            game,
            strategies,
            stride,
            pos,
            constraints: vec![Vec::new(); n],
            consistent: vec![Vec::new(); n],
            idx: vec![0; n],
        }
    }

    /// Finds the strategies consistent with leaf `v`; `false` when some
    /// player has none (the leaf is in no cell).
    fn prepare(&mut self, v: usize) -> bool {
        let g = self.game;
        let nodes = g.nodes();
        for c in self.constraints.iter_mut() {
            c.clear();
        }
        // The leaf's own decisions of each player, walking up.
        let mut u = v;
        while let (Some(par), Some(a)) = (nodes[u].parent(), nodes[u].prior_action()) {
            if let NodeKind::Personal(p) = g.node_kind(par) {
                if let Some(s) = nodes[par].infoset() {
                    self.constraints[p].push((self.pos[s], a));
                }
            }
            u = par;
        }
        for ((cons, st), out) in self
            .constraints
            .iter()
            .zip(self.strategies)
            .zip(self.consistent.iter_mut())
        {
            out.clear();
            for (k, s) in st.iter().enumerate() {
                if cons.iter().all(|&(i, a)| s.choices[i] == Some(a)) {
                    out.push(k);
                }
            }
        }
        !self.consistent.iter().any(Vec::is_empty)
    }

    /// Calls `add` with the first table index (`cell · n`) of every cell
    /// of the last [`Self::prepare`]d leaf, in Gambit's cell order;
    /// stops early (and returns `false`) when `add` does.
    fn for_each_cell(&mut self, mut add: impl FnMut(usize) -> bool) -> bool {
        let n = self.idx.len();
        self.idx.iter_mut().for_each(|x| *x = 0);
        loop {
            let cell: usize = (0..n)
                .map(|p| self.consistent[p][self.idx[p]] * self.stride[p])
                .sum();
            if !add(cell * n) {
                return false;
            }
            let mut p = 0;
            while p < n {
                self.idx[p] += 1;
                if self.idx[p] < self.consistent[p].len() {
                    break;
                }
                self.idx[p] = 0;
                p += 1;
            }
            if p == n {
                return true;
            }
        }
    }
}

/// A rational as a machine-integer fraction (denominator positive), if
/// both terms fit.
fn small_fraction(x: &Rational) -> Option<(i128, i128)> {
    Some((x.numer().to_i128()?, x.denom().to_i128()?))
}

/// `a · b / gcd` reduced: the least common multiple of two positive
/// integers, if it fits.
fn lcm_small(a: i128, b: i128) -> Option<i128> {
    quot(a, a.gcd(&b)).checked_mul(b)
}

/// The reduced form's payoff table when every number fits machine
/// integers: chance probabilities, outcome payoffs, the common denominator
/// and every partial sum (all checked; `None` at the first overflow, and
/// the caller then uses [`big_payoff_table`]). The leaves' payoff sums are
/// integers over the outcomes' common denominator `L`, so no big rational
/// is formed on the way.
fn small_payoff_table(
    game: &ExtensiveGame,
    leaves: &mut LeafCells<'_>,
    cells: usize,
) -> Option<Vec<Rational>> {
    let n = game.num_players();
    let nodes = game.nodes();
    // Reach probability (chance moves only) of each node, reduced, and
    // `P`, the lcm of their denominators.
    let mut prob: Vec<(i128, i128)> = Vec::with_capacity(nodes.len());
    let mut p_den: i128 = 1;
    for node in nodes {
        let pr = match (node.parent(), node.prior_action()) {
            (Some(par), Some(a)) => match game.chance_probs(par) {
                Some(ps) => {
                    let (pn, pd) = prob[par];
                    let (cn, cd) = small_fraction(ps.get(a)?)?;
                    let num = pn.checked_mul(cn)?;
                    let den = pd.checked_mul(cd)?;
                    let g = num.gcd(&den);
                    if g == 0 {
                        return None;
                    }
                    (num / g, den / g)
                }
                None => prob[par],
            },
            _ => (1, 1),
        };
        if pr.1 <= 0 {
            return None;
        }
        if pr.1 != 1 {
            p_den = lcm_small(p_den, pr.1)?;
        }
        prob.push(pr);
    }
    // `L` and every outcome's payoffs times `L`.
    let mut l_out: i128 = 1;
    for o in game.outcomes() {
        for x in &o.payoffs {
            l_out = lcm_small(l_out, x.denom().to_i128()?)?;
        }
    }
    let mut scaled: Vec<i128> = Vec::with_capacity(game.outcomes().len() * n);
    for o in game.outcomes() {
        if o.payoffs.len() != n {
            return None;
        }
        for x in &o.payoffs {
            let (num, den) = small_fraction(x)?;
            scaled.push(num.checked_mul(quot(l_out, den))?);
        }
    }
    let mut table = vec![0i128; cells * n];
    // The leaves in prefix order, each with the sum of the outcomes on its
    // path (times `L`), as `ExtensiveGame::for_each_play` walks them.
    let mut sums = vec![0i128; n];
    let mut contrib = vec![0i128; n];
    let mut path: Vec<(usize, Option<usize>)> = Vec::new();
    for v in 0..nodes.len() {
        let parent = nodes[v].parent();
        while let Some(&(top, added)) = path.last() {
            if Some(top) == parent {
                break;
            }
            if let Some(o) = added {
                for (x, y) in sums.iter_mut().zip(&scaled[o * n..(o + 1) * n]) {
                    *x = x.checked_sub(*y)?;
                }
            }
            path.pop();
        }
        let added = nodes[v].outcome();
        if let Some(o) = added {
            for (x, y) in sums.iter_mut().zip(scaled.get(o * n..(o + 1) * n)?) {
                *x = x.checked_add(*y)?;
            }
        }
        path.push((v, added));
        if !nodes[v].is_terminal() || prob[v].0 == 0 {
            continue;
        }
        if !leaves.prepare(v) {
            continue;
        }
        // Reach probability times `P`: an integer.
        let reach = prob[v].0.checked_mul(quot(p_den, prob[v].1))?;
        for (c, &x) in contrib.iter_mut().zip(&sums) {
            *c = x.checked_mul(reach)?;
        }
        let fits = leaves.for_each_cell(|at| {
            let cell = &mut table[at..at + n];
            for (x, y) in cell.iter_mut().zip(&contrib) {
                match x.checked_add(*y) {
                    Some(s) => *x = s,
                    None => return false,
                }
            }
            true
        });
        if !fits {
            return None;
        }
    }
    let d = l_out.checked_mul(p_den)?;
    if d <= 0 {
        return None;
    }
    Some(table.iter().map(|&x| reduced(x, d)).collect())
}

/// `x / d` as a reduced rational (`d > 0`).
fn reduced(x: i128, d: i128) -> Rational {
    if x == i128::MIN {
        return Rational::new(BigInt::from(x), BigInt::from(d));
    }
    if let (Ok(x), Ok(d)) = (i64::try_from(x), i64::try_from(d)) {
        // The same numbers in the narrower type (cheaper division);
        // `i64::MIN` has no 64-bit absolute value, so it takes the wide
        // path.
        if x != i64::MIN {
            let g = x.gcd(&d);
            return Rational::new_raw(BigInt::from(x / g), BigInt::from(d / g));
        }
    }
    let g = x.gcd(&d);
    Rational::new_raw(BigInt::from(x / g), BigInt::from(d / g))
}

/// `a / b` for `b > 0`, in 64-bit arithmetic when both fit (the same
/// quotient, without the 128-bit division's cost).
fn quot(a: i128, b: i128) -> i128 {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(a), Ok(b)) if b > 0 => i128::from(a / b),
        _ => a / b,
    }
}

/// The reduced form's payoff table in general: the leaves' payoff sums
/// as big rationals, the table in machine integers until the first
/// overflow and in big integers from then on.
fn big_payoff_table(
    game: &ExtensiveGame,
    leaves: &mut LeafCells<'_>,
    cells: usize,
) -> Vec<Rational> {
    let n = game.num_players();
    let mut table = Table::Small(vec![0i128; cells * n]);

    // Probability of reaching each node (chance moves only).
    let nodes = game.nodes();
    let mut prob: Vec<Rational> = Vec::with_capacity(nodes.len());
    for node in nodes {
        let pr = match (node.parent(), node.prior_action()) {
            (Some(par), Some(a)) => match game.chance_probs(par) {
                Some(ps) => &prob[par] * &ps[a],
                None => prob[par].clone(),
            },
            _ => Rational::from_integer(1.into()),
        };
        prob.push(pr);
    }
    let mut l_out = BigInt::one();
    for o in game.outcomes() {
        for x in &o.payoffs {
            l_out = l_out.lcm(x.denom());
        }
    }
    let mut p_den = BigInt::one();
    for pr in &prob {
        if !pr.denom().is_one() {
            p_den = p_den.lcm(pr.denom());
        }
    }
    // Reach probability times `P`: an integer.
    let reach: Vec<BigInt> = prob
        .iter()
        .map(|pr| pr.numer() * (&p_den / pr.denom()))
        .collect();
    let reach_small: Vec<Option<i128>> = reach.iter().map(ToPrimitive::to_i128).collect();
    // `L / denominator` of each outcome payoff, as a machine integer.
    let l_small = l_out.to_i128();
    let mut contrib: Vec<BigInt> = vec![BigInt::zero(); n];
    let mut contrib_small: Vec<i128> = vec![0; n];

    game.for_each_play(|v, sums| {
        if prob[v].is_zero() {
            return;
        }
        if !leaves.prepare(v) {
            return;
        }
        // x · L is an integer: its denominator divides L.
        let small = matches!(table, Table::Small(_))
            && sums.iter().zip(contrib_small.iter_mut()).all(|(x, c)| {
                let v = (|| {
                    let q = l_small? / x.denom().to_i128()?;
                    x.numer()
                        .to_i128()?
                        .checked_mul(q)?
                        .checked_mul(reach_small[v]?)
                })();
                v.map(|v| *c = v).is_some()
            });
        if !small {
            for (c, x) in contrib.iter_mut().zip(sums) {
                *c = x.numer() * (&l_out / x.denom()) * &reach[v];
            }
        }
        // Add to every cell in the product of the consistent sets.
        leaves.for_each_cell(|at| {
            let range = at..at + n;
            if small {
                table.add_small(range, &contrib_small);
            } else {
                table.add_big(range, &contrib);
            }
            true
        });
    });
    let d = l_out * p_den;
    match (table, d.to_i128()) {
        (Table::Small(t), Some(d)) if d > 0 => t.iter().map(|&x| reduced(x, d)).collect(),
        (t, _) => t
            .into_big()
            .into_iter()
            .map(|x| Rational::new(x, d.clone()))
            .collect(),
    }
}

/// Gambit's label: one entry per own set, the 1-based action or `*`; `*`
/// alone for a player without sets.
fn strategy_label(choices: &[Option<usize>]) -> String {
    if choices.is_empty() {
        return "*".into();
    }
    choices
        .iter()
        .map(|c| c.map_or("*".to_string(), |a| (a + 1).to_string()))
        .collect()
}

/// The reduced form's payoff numerators: machine integers until the first
/// overflow, big integers from then on.
enum Table {
    Small(Vec<i128>),
    Big(Vec<BigInt>),
}

impl Table {
    /// Adds machine-integer contributions; moves to big integers if a sum
    /// overflows.
    fn add_small(&mut self, range: std::ops::Range<usize>, contrib: &[i128]) {
        if let Table::Small(t) = self {
            let cells = &mut t[range.clone()];
            if cells
                .iter()
                .zip(contrib)
                .all(|(x, y)| x.checked_add(*y).is_some())
            {
                for (x, y) in cells.iter_mut().zip(contrib) {
                    *x += y;
                }
                return;
            }
        }
        let big: Vec<BigInt> = contrib.iter().map(|&y| BigInt::from(y)).collect();
        self.add_big(range, &big);
    }

    fn add_big(&mut self, range: std::ops::Range<usize>, contrib: &[BigInt]) {
        if let Table::Small(t) = self {
            *self = Table::Big(t.iter().map(|&x| BigInt::from(x)).collect());
        }
        if let Table::Big(t) = self {
            for (x, y) in t[range].iter_mut().zip(contrib) {
                *x += y;
            }
        }
    }

    fn into_big(self) -> Vec<BigInt> {
        match self {
            Table::Small(t) => t.into_iter().map(BigInt::from).collect(),
            Table::Big(t) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::efg::read_efg;
    use crate::extensive::tests::{poker, q};

    /// Gambit's `tests/test_games/noPR-action-AM2.efg`: player 1's set 1 is
    /// met twice on one play (absent-mindedness); Gambit 16.7 lists
    /// `11* 12* 2**` and `11 12 21 22`.
    #[test]
    fn imperfect_recall_follows_gambit_order() {
        let src = r#"EFG 2 R "Untitled Extensive Game" { "Player 1" "Player 2" }
""
p "" 1 1 "" { "1" "2" } 0
p "" 1 1 "" { "1" "2" } 0
p "" 1 2 "" { "1" "2" } 0
t "" 1 "Outcome 1" { 1, -1 }
t "" 2 "Outcome 2" { 2, -2 }
p "" 2 1 "" { "1" "2" } 0
t "" 3 "Outcome 2" { 3, -3 }
t "" 4 "Outcome 2" { 4, -4 }
p "" 1 1 "" { "1" "2" } 0
p "" 1 3 "" { "1" "2" } 0
t "" 5 "Outcome 2" { 5, -5 }
t "" 6 "Outcome 2" { 6, -6 }
p "" 2 2 "" { "1" "2" } 0
t "" 7 "Outcome 2" { 7, -7 }
t "" 8 "Outcome 2" { 8, -8 }
"#;
        let g = read_efg(src, "am2.efg").unwrap();
        assert!(!g.is_perfect_recall());
        let nf = g.reduced_normal_form().unwrap();
        assert_eq!(nf.strategies()[0], vec!["11*", "12*", "2**"]);
        assert_eq!(nf.strategies()[1], vec!["11", "12", "21", "22"]);
        // 2** with player 2 choosing 2 at her second set: 1 -> 2, 1 -> 2
        // again (same set), then player 2's set 2, action 2: outcome 8.
        assert_eq!(
            nf.payoffs_at(nf.profile_index(&[2, 3])),
            &[q(8, 1), q(-8, 1)]
        );
        // 11*: action 1 twice, then set 2 action 1: outcome 1.
        assert_eq!(
            nf.payoffs_at(nf.profile_index(&[0, 2])),
            &[q(1, 1), q(-1, 1)]
        );
    }

    /// Payoffs beyond machine integers: the sums move to big integers at
    /// the first overflow and stay exact (chance 1/3, 2/3; the payoffs 10^38
    /// and -(7·10^38 - 1)/7 overflow `i128` once multiplied by the common
    /// denominator 21).
    #[test]
    fn huge_payoffs_stay_exact() {
        let src = r#"EFG 2 R "big" { "1" "2" } ""
c "" 1 "" { "a" 1/3 "b" 2/3 } 0
p "" 1 1 "" { "x" "y" } 0
t "" 1 "" { 1/7, 1 }
t "" 2 "" { 100000000000000000000000000000000000000, 2 }
p "" 1 1 "" { "x" "y" } 0
t "" 3 "" { 5, 3 }
t "" 4 "" { -699999999999999999999999999999999999999/7, 4 }
"#;
        let g = read_efg(src, "big.efg").unwrap();
        let nf = g.reduced_normal_form().unwrap();
        let big = |s: &str| s.parse::<num_bigint::BigInt>().unwrap();
        let e38 = big("100000000000000000000000000000000000000");
        let third = crate::number::Rational::new(1.into(), 3.into());
        let two_thirds = crate::number::Rational::new(2.into(), 3.into());
        let low =
            crate::number::Rational::new(big("-699999999999999999999999999999999999999"), 7.into());
        // Leaves in order: (a, x) fits, (a, y) overflows, then big sums.
        let want_x = &third * q(1, 7) + &two_thirds * q(5, 1);
        assert_eq!(nf.payoffs_at(0)[0], want_x);
        assert_eq!(nf.payoffs_at(0)[1], q(7, 3));
        let want_y = &third * crate::number::Rational::from_integer(e38) + &two_thirds * &low;
        assert_eq!(nf.payoffs_at(1)[0], want_y);
        assert_eq!(nf.payoffs_at(1)[1], q(10, 3));
    }

    /// Both tables of a tree: the machine-integer one (if every number
    /// fits) and the general one.
    fn both_tables(
        g: &crate::extensive::ExtensiveGame,
    ) -> (
        Option<Vec<crate::number::Rational>>,
        Vec<crate::number::Rational>,
    ) {
        let strategies = g.reduced_strategies().unwrap();
        let n = g.num_players();
        let shape: Vec<usize> = strategies.iter().map(Vec::len).collect();
        let cells: usize = shape.iter().product();
        let mut stride = vec![1usize; n];
        for p in 1..n {
            stride[p] = stride[p - 1] * shape[p - 1];
        }
        let mut leaves = super::LeafCells::new(g, &strategies, stride);
        let small = super::small_payoff_table(g, &mut leaves, cells);
        let big = super::big_payoff_table(g, &mut leaves, cells);
        (small, big)
    }

    /// Every tree of Gambit's catalog (`../shared/games/gambit`): where
    /// its numbers fit machine integers, the machine-integer table is the
    /// general one, rational for rational.
    #[test]
    fn small_table_is_the_general_table_on_gambit_trees() {
        let dir = std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/games/gambit"
        ));
        if !dir.is_dir() {
            assert!(
                std::env::var("DETENTE_REQUIRE_SHARED").as_deref() != Ok("1"),
                "{} is missing and DETENTE_REQUIRE_SHARED=1",
                dir.display()
            );
            eprintln!("notice: {} not found; skipping", dir.display());
            return;
        }
        let mut files = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().and_then(|e| e.to_str()) == Some("efg") {
                    files.push(p);
                }
            }
        }
        let mut small = 0;
        let mut checked = 0;
        for p in &files {
            let src = std::fs::read_to_string(p).unwrap();
            let Ok(g) = read_efg(&src, &p.display().to_string()) else {
                continue;
            };
            if g.reduced_shape().is_err() {
                continue;
            }
            let (s, b) = both_tables(&g);
            checked += 1;
            if let Some(s) = s {
                assert_eq!(s, b, "{}", p.display());
                small += 1;
            }
            // The public conversion gives the same payoffs.
            let nf = g.reduced_normal_form().unwrap();
            let n = g.num_players();
            for (c, cell) in b.chunks(n).enumerate() {
                assert_eq!(nf.payoffs_at(c), cell, "{}", p.display());
            }
        }
        assert!(
            checked >= 50 && small * 10 >= checked * 9,
            "{small} of {checked}"
        );
    }

    /// A tree with a chance move: huge payoffs leave the machine-integer
    /// table (`None`), the general one stays exact.
    #[test]
    fn huge_payoffs_leave_the_small_table() {
        let src = r#"EFG 2 R "big" { "1" "2" } ""
c "" 1 "" { "a" 1/3 "b" 2/3 } 0
p "" 1 1 "" { "x" "y" } 0
t "" 1 "" { 1/7, 1 }
t "" 2 "" { 100000000000000000000000000000000000000, 2 }
p "" 1 1 "" { "x" "y" } 0
t "" 3 "" { 5, 3 }
t "" 4 "" { -699999999999999999999999999999999999999/7, 4 }
"#;
        let g = read_efg(src, "big.efg").unwrap();
        let (s, b) = both_tables(&g);
        assert!(s.is_none());
        // Two cells (player 1's strategies x, y), two payoffs each.
        assert_eq!(b.len(), 4);
    }

    proptest::proptest! {
        /// Random payoffs (fractions, some near the machine-integer limits)
        /// and chance probabilities on a tree with chance, two players and
        /// an information set: the two tables agree wherever the small one
        /// exists.
        #[test]
        fn small_table_matches_general_table(
            pays in proptest::collection::vec((-1_000_000_000_000i64..1_000_000_000_000, 1i64..50), 18),
            huge in proptest::collection::vec(proptest::bool::weighted(0.03), 18),
            p1 in 0u32..=12,
            rest in proptest::collection::vec(1u32..5, 2),
        ) {
            let mut it = pays.iter().zip(&huge).map(|(&(a, b), &h)| {
                if h {
                    format!("{}/{}", i128::from(a) * 10_000_000_000_000_000_000_000_000i128, b)
                } else {
                    format!("{a}/{b}")
                }
            });
            let mut next = || it.next().unwrap_or_default();
            let q = format!("{}/12", p1);
            let r = format!("{}/12", 12 - p1);
            let src = format!(
                "EFG 2 R \"t\" {{ \"1\" \"2\" }} \"\"\n\
    c \"\" 1 \"\" {{ \"a\" {q} \"b\" {r} }} 1 \"o\" {{ {}, {} }}\n\
    p \"\" 1 1 \"\" {{ \"x\" \"y\" }} 0\n\
    p \"\" 2 1 \"\" {{ \"l\" \"r\" }} 2 \"\" {{ {}, {} }}\n\
    t \"\" 3 \"\" {{ {}, {} }}\n\
    t \"\" 4 \"\" {{ {}, {} }}\n\
    c \"\" 2 \"\" {{ \"c\" {}/{} \"d\" {}/{} }} 0\n\
    t \"\" 5 \"\" {{ {}, {} }}\n\
    t \"\" 6 \"\" {{ {}, {} }}\n\
    p \"\" 1 2 \"\" {{ \"x\" \"y\" }} 0\n\
    p \"\" 2 1 \"\" {{ \"l\" \"r\" }} 0\n\
    t \"\" 7 \"\" {{ {}, {} }}\n\
    t \"\" 8 \"\" {{ {}, {} }}\n\
    t \"\" 9 \"\" {{ {}, {} }}\n",
                next(), next(), next(), next(), next(), next(), next(), next(),
                rest[0], rest[0] + rest[1], rest[1], rest[0] + rest[1],
                next(), next(), next(), next(), next(), next(), next(), next(),
                next(), next(),
            );
            let g = read_efg(&src, "random.efg").unwrap();
            let (s, b) = both_tables(&g);
            if let Some(s) = s {
                proptest::prop_assert_eq!(s, b);
            }
        }
    }

    #[test]
    fn poker_reduces_to_gambit_form() {
        let g = poker();
        let nf = g.reduced_normal_form().unwrap();
        assert_eq!(nf.shape(), vec![4, 2]);
        assert_eq!(nf.strategies()[0], vec!["11", "12", "21", "22"]);
        assert_eq!(nf.strategies()[1], vec!["1", "2"]);
        // Alice raises with both cards, Bob meets: (2 - 2) / 2 = 0.
        assert_eq!(nf.payoffs_at(0), &[q(0, 1), q(0, 1)]);
        // Alice raises with both, Bob passes: Alice wins 1 either way.
        assert_eq!(
            nf.payoffs_at(nf.profile_index(&[0, 1])),
            &[q(1, 1), q(-1, 1)]
        );
        // Raise with King, fold with Queen, Bob meets: (2 - 1) / 2.
        assert_eq!(
            nf.payoffs_at(nf.profile_index(&[1, 0])),
            &[q(1, 2), q(-1, 2)]
        );
        assert!(nf.is_constant_sum());
        assert_eq!(g.reduced_shape().unwrap(), vec![4, 2]);
    }
}
