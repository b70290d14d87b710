//! The exchange model of Stokman & Van Oosten (1994), "The exchange of
//! voting positions: an object-oriented model of policy networks", in Bueno
//! de Mesquita & Stokman (eds.), *European Community Decision Making* (Yale
//! UP), 105–127, in its Equal Gain variant (Dijkstra, Van Assen & Stokman
//! 2008, *Journal of Theoretical Politics*), re-derived to give the numbers
//! of the `decide-exchange-model` package (Equal Gain model, one round =
//! `ModelLoop.loop`).
//!
//! Per issue the outcome is the weighted mean `O_d = Σ c s x / Σ c s`
//! ("NBS"). For every pair of issues (p, q), actors on opposite sides of both
//! outcomes can trade: each gives way on the issue it cares less about
//! (relative to the other) and both gain equally (salience-weighted outcome
//! shifts). The best exchange is executed, the affected candidates are
//! recomputed, and so on until none is left; the voting positions give the
//! round's outcome, and each supplier's next starting position is
//! `x + w (y − x)` with `w = 0.4 (1 − s) + 0.1`.
//!
//! Differences from the package, all options of [`ExchangeOptions`]:
//! * ties between exactly equal gains are broken by a stable key (the
//!   candidate's creation order: issue pair, then actor order) or by a seeded
//!   coin as in the package ([`TieBreak`]); the package's Python `random`
//!   cannot be matched bit for bit, and it also duplicates the runner-up in
//!   its list on a tie, which we do not;
//! * "left of the outcome" includes equality by default (`x ≤ O`, the
//!   package's released behaviour), `left_inclusive = false` gives `x < O`;
//! * when an exchange would push an outcome past the demanding actor's
//!   position, the supplier's move is cut so that the outcome lands on that
//!   position (the package's `check_nbs`); after such a cut the package
//!   keeps the exchange even if its gain fell to 0, and so do we.

use crate::data::Dataset;
use crate::error::{ForecastError, Result};
use crate::result::{finite, IssueForecast};
use serde::Serialize;
use serde_json::json;
use std::collections::BinaryHeap;

/// How exactly equal gains are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieBreak {
    /// Creation order (issue pair in input order, then actor order).
    Stable,
    /// A fair coin between the two best, from a seeded generator.
    Random(u64),
}

/// Options of the exchange model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeOptions {
    /// Number of rounds (decide's default 10).
    pub rounds: usize,
    /// `x ≤ O` counts as left of the outcome (else `x < O`).
    pub left_inclusive: bool,
    pub tie_break: TieBreak,
    /// Next start: weight of the voting position per unit of (1 − salience).
    pub salience_weight: f64,
    /// Next start: fixed weight of the voting position.
    pub fixed_weight: f64,
}

impl Default for ExchangeOptions {
    fn default() -> Self {
        ExchangeOptions {
            rounds: 10,
            left_inclusive: true,
            tie_break: TieBreak::Stable,
            salience_weight: 0.4,
            fixed_weight: 0.1,
        }
    }
}

/// One side of an exchange.
#[derive(Debug, Clone)]
struct Side {
    actor: usize,
    supply: usize,
    demand: usize,
    supply_pos: f64,
    start: f64,
    demand_pos: f64,
    s_sup: f64,
    c_sup: f64,
    s_dem: f64,
    y: f64,
    mv: f64,
    moves: Vec<f64>,
}

#[derive(Debug, Clone)]
struct Exchange {
    i: Side,
    j: Side,
    gain: f64,
    valid: bool,
    /// (issue, actor) → position used instead of the current one.
    updates: Updates,
}

/// A small map (issue, actor) → position; exchanges collect only a few.
#[derive(Debug, Clone, Default)]
struct Updates(Vec<((usize, usize), f64)>);

impl Updates {
    fn get(&self, key: &(usize, usize)) -> Option<f64> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    fn insert(&mut self, key: (usize, usize), value: f64) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }
}

/// A candidate exchange as evaluated before any is executed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// (actor, supply issue, start, voting position) of each side, on the 0–100 scale.
    pub i: (String, String, f64, f64),
    pub j: (String, String, f64, f64),
    pub gain: f64,
    pub valid: bool,
}

struct Model<'a> {
    opts: &'a ExchangeOptions,
    /// pos[a][d] on 0–100; None when absent.
    pos: Vec<Vec<Option<f64>>>,
    sal: Vec<Vec<f64>>,
    pow: Vec<Vec<f64>>,
    denom: Vec<f64>,
    /// Σ_a x s c per issue at the round's positions.
    sums: Vec<f64>,
}

impl Model<'_> {
    fn refresh(&mut self) {
        self.sums = (0..self.n_issues())
            .map(|d| {
                (0..self.pos.len())
                    .filter_map(|a| self.pos[a][d].map(|x| x * self.sal[a][d] * self.pow[a][d]))
                    .sum()
            })
            .collect();
    }

    /// Σ over actors other than `skip` of x s c on issue d, with the updates.
    fn others_sum(&self, ex: &Exchange, d: usize, skip: usize) -> f64 {
        let w = |a: usize| self.sal[a][d] * self.pow[a][d];
        let x = |a: usize| self.pos[a][d].unwrap_or(0.0);
        let mut num = self.sums[d] - w(skip) * x(skip);
        for &((issue, a), v) in &ex.updates.0 {
            if issue == d && a != skip && self.pos[a][d].is_some() {
                num += w(a) * (v - x(a));
            }
        }
        num
    }

    fn n_issues(&self) -> usize {
        self.denom.len()
    }

    fn nbs(&self, d: usize) -> f64 {
        let mut num = 0.0;
        let mut cnt = 0.0;
        let mut plain = 0.0;
        for a in 0..self.pos.len() {
            if let Some(x) = self.pos[a][d] {
                num += x * self.sal[a][d] * self.pow[a][d];
                plain += x;
                cnt += 1.0;
            }
        }
        if self.denom[d] > 0.0 {
            num / self.denom[d]
        } else if cnt > 0.0 {
            plain / cnt
        } else {
            0.0
        }
    }

    fn side(&self, a: usize, supply: usize, demand: usize) -> Side {
        let x = self.pos[a][supply].unwrap_or(0.0);
        Side {
            actor: a,
            supply,
            demand,
            supply_pos: x,
            start: x,
            demand_pos: self.pos[a][demand].unwrap_or(0.0),
            s_sup: self.sal[a][supply],
            c_sup: self.pow[a][supply],
            s_dem: self.sal[a][demand],
            y: x,
            mv: 0.0,
            moves: Vec::new(),
        }
    }

    /// Outcome on `s.supply` with `s.actor` at `position` and the exchange's updates.
    fn adjust_nbs(&self, ex: &Exchange, s: &Side, position: f64) -> f64 {
        let d = s.supply;
        if self.denom[d] <= 0.0 {
            return self.nbs(d);
        }
        (self.others_sum(ex, d, s.actor) + position * s.s_sup * s.c_sup) / self.denom[d]
    }

    /// The supplier's own position as the package's cut sees it: an update
    /// recorded for it overrides its current supply position.
    fn updated_position(&self, ex: &Exchange, s: &Side) -> f64 {
        ex.updates.get(&(s.supply, s.actor)).unwrap_or(s.supply_pos)
    }

    /// Position of `s.actor` on its supply issue that makes the outcome `target`.
    fn position_for_nbs(&self, ex: &Exchange, s: &Side, target: f64) -> f64 {
        let d = s.supply;
        (target * self.denom[d] - self.others_sum(ex, d, s.actor)) / (s.s_sup * s.c_sup)
    }

    fn move_valid(s: &Side, mv: f64) -> bool {
        if mv.abs() > 100.0 || mv.abs() <= 1e-10 || !mv.is_finite() {
            return false;
        }
        let y = s.supply_pos + mv;
        if !(0.0..=100.0).contains(&y) {
            return false;
        }
        if s.moves.iter().sum::<f64>() > 100.0 {
            return false;
        }
        let min = s.moves.iter().copied().fold(f64::INFINITY, f64::min);
        let max = s.moves.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (min < 0.0 && max < 0.0) || (min > 0.0 && max > 0.0)
    }

    fn new_exchange(&self, a: usize, b: usize, p: usize, q: usize) -> Exchange {
        // s_ap / s_aq < s_bp / s_bq, cross-multiplied (saliences ≥ 0)
        let (i, j) = if self.sal[a][p] * self.sal[b][q] < self.sal[b][p] * self.sal[a][q] {
            (self.side(b, q, p), self.side(a, p, q))
        } else {
            (self.side(a, q, p), self.side(b, p, q))
        };
        let mut ex = Exchange {
            i,
            j,
            gain: 0.0,
            valid: true,
            updates: Updates::default(),
        };
        self.calculate(&mut ex);
        ex
    }

    fn calculate(&self, ex: &mut Exchange) {
        let (di, dj) = (self.denom[ex.i.supply], self.denom[ex.j.supply]);
        let (wi, wj) = (ex.i.c_sup * ex.i.s_sup, ex.j.c_sup * ex.j.s_sup);
        if wi <= 0.0 || wj <= 0.0 || di <= 0.0 || dj <= 0.0 {
            ex.i.moves.push(0.0);
            ex.j.moves.push(0.0);
            ex.gain = 0.0;
            ex.valid = false;
            return;
        }
        let (i, j) = (&mut ex.i, &mut ex.j);
        let mut dp = (i.demand_pos - j.supply_pos).abs() * wj / dj;
        let mut dq = (j.s_sup + i.s_dem) / (j.s_dem + i.s_sup) * dp;
        i.mv = dq * di / wi;
        j.mv = (i.demand_pos - j.supply_pos).abs();
        if i.mv.abs() > (j.demand_pos - i.supply_pos).abs() {
            dq = (j.demand_pos - i.supply_pos).abs() * wi / di;
            dp = (i.s_sup + j.s_dem) / (i.s_dem + j.s_sup) * dq;
            i.mv = (j.demand_pos - i.supply_pos).abs();
            j.mv = dp * dj / wj;
        }
        if i.supply_pos > j.demand_pos {
            i.mv = -i.mv;
        }
        if j.supply_pos > i.demand_pos {
            j.mv = -j.mv;
        }
        i.moves.push(i.mv);
        j.moves.push(j.mv);
        i.y = i.supply_pos + i.mv;
        j.y = j.supply_pos + j.mv;
        ex.gain = (dq * i.s_sup - dp * i.s_dem).abs();
        ex.valid = Self::move_valid(&ex.i, ex.i.mv) && Self::move_valid(&ex.j, ex.j.mv);
        if ex.gain < 1e-10 || !ex.gain.is_finite() {
            ex.valid = false;
        }
        if !ex.valid {
            return;
        }
        self.check_nbs(ex, true);
        self.check_nbs(ex, false);
        ex.valid = Self::move_valid(&ex.i, ex.i.mv) && Self::move_valid(&ex.j, ex.j.mv);
    }

    /// If the supplier's move pushes the outcome past the demander's
    /// position, cut it there and recompute the partner's move.
    fn check_nbs(&self, ex: &mut Exchange, i_side: bool) {
        let (s, o) = if i_side {
            (&ex.i, &ex.j)
        } else {
            (&ex.j, &ex.i)
        };
        let nbs0 = self.adjust_nbs(ex, s, s.supply_pos);
        let nbs1 = self.adjust_nbs(ex, s, s.y);
        let x = o.demand_pos;
        if (x - nbs0 >= 0.0 && x - nbs1 >= 0.0) || (x - nbs0 <= 0.0 && x - nbs1 <= 0.0) {
            return;
        }
        let delta = (self.position_for_nbs(ex, s, x) - self.updated_position(ex, s)).abs();
        let ratio_s = delta * s.s_sup * s.c_sup / self.denom[s.supply];
        let ratio_o = (s.s_sup + o.s_dem) / (s.s_dem + o.s_sup) * ratio_s;
        let mut o_mv = (ratio_o * self.denom[o.supply] / (o.c_sup * o.s_sup)).abs();
        let mut s_mv = delta;
        if o.supply_pos > s.demand_pos {
            o_mv = -o_mv;
        }
        if s.supply_pos > o.demand_pos {
            s_mv = -s_mv;
        }
        let gain_o = (ratio_o * o.s_sup - ratio_s * o.s_dem).abs();
        let gain_s = (ratio_s * s.s_sup - ratio_o * s.s_dem).abs();
        let (s, o) = if i_side {
            (&mut ex.i, &mut ex.j)
        } else {
            (&mut ex.j, &mut ex.i)
        };
        o.moves.pop();
        s.moves.pop();
        o.moves.push(o_mv);
        s.moves.push(s_mv);
        o.mv = o_mv;
        s.mv = s_mv;
        o.y = o.supply_pos + o_mv;
        s.y = s.supply_pos + s_mv;
        ex.gain = gain_o;
        // decide checks only the moves here (a zero gain after the cut stays valid)
        ex.valid = (gain_o - gain_s).abs() <= 1e-4
            && Self::move_valid(o, o_mv)
            && Self::move_valid(s, s_mv);
    }

    fn update_update(ex: &mut Exchange, executed: &Side, issue: usize, current: f64) {
        let v = if executed.start <= current {
            if current < executed.y {
                current
            } else {
                executed.y
            }
        } else if current > executed.y {
            current
        } else {
            executed.y
        };
        ex.updates.insert((issue, executed.actor), v);
    }

    /// Recompute `ex` after `done` was executed, when they share an actor's
    /// supply issue or demand issue.
    fn recalculate(&self, ex: &mut Exchange, done: &Exchange) {
        let same_supply = |a: &Side, b: &Side| a.actor == b.actor && a.supply == b.supply;
        let same_demand = |a: &Side, b: &Side| a.actor == b.actor && a.demand == b.demand;
        let mut inv_i = false;
        let mut inv_j = false;
        for mine in [true, false] {
            let me = if mine { &ex.i } else { &ex.j };
            let hit = if same_supply(me, &done.i) {
                Some(&done.i)
            } else if same_supply(me, &done.j) {
                Some(&done.j)
            } else {
                None
            };
            if let Some(h) = hit {
                let (y, last) = (h.y, h.moves.last().copied().unwrap_or(h.mv));
                let me = if mine { &mut ex.i } else { &mut ex.j };
                me.supply_pos = y;
                me.moves.push(last);
                if mine {
                    inv_i = true;
                } else {
                    inv_j = true;
                }
            }
        }
        let mut re_calc = inv_i || inv_j;
        if re_calc {
            ex.i.moves.pop();
            ex.j.moves.pop();
        }
        if same_demand(&done.j, &ex.j) || same_demand(&done.j, &ex.i) {
            let issue = done.j.demand;
            match ex.updates.get(&(issue, done.i.actor)) {
                Some(cur) => Self::update_update(ex, &done.i, issue, cur),
                None => {
                    ex.updates.insert((issue, done.i.actor), done.i.y);
                }
            }
            if !re_calc {
                ex.i.moves.pop();
                ex.j.moves.pop();
                re_calc = true;
            }
        }
        if same_demand(&done.i, &ex.j) || same_demand(&done.i, &ex.i) {
            let issue = done.i.demand;
            match ex.updates.get(&(issue, done.j.actor)) {
                Some(cur) => Self::update_update(ex, &done.j, issue, cur),
                None => {
                    ex.updates.insert((issue, done.j.actor), done.j.y);
                }
            }
            if !re_calc {
                ex.i.moves.pop();
                ex.j.moves.pop();
                re_calc = true;
            }
        }
        if re_calc {
            self.calculate(ex);
        }
    }

    /// All candidate exchanges at the current positions, in creation order.
    fn candidates(&self) -> Vec<Exchange> {
        let nd = self.n_issues();
        let nbs: Vec<f64> = (0..nd).map(|d| self.nbs(d)).collect();
        let left = |a: usize, d: usize| -> Option<bool> {
            self.pos[a][d].map(|x| {
                if self.opts.left_inclusive {
                    x <= nbs[d]
                } else {
                    x < nbs[d]
                }
            })
        };
        let mut out = Vec::new();
        for p in 0..nd {
            for q in p + 1..nd {
                let mut groups: [Vec<usize>; 4] = Default::default();
                for a in 0..self.pos.len() {
                    if let (Some(lp), Some(lq)) = (left(a, p), left(a, q)) {
                        groups[lp as usize + 2 * lq as usize].push(a);
                    }
                }
                for &a in &groups[0] {
                    for &b in &groups[3] {
                        out.push(self.new_exchange(a, b, p, q));
                    }
                }
                for &a in &groups[1] {
                    for &b in &groups[2] {
                        out.push(self.new_exchange(a, b, p, q));
                    }
                }
            }
        }
        out
    }
}

/// A tiny deterministic generator (SplitMix64) for seeded tie-breaking.
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    pub(crate) fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn build<'a>(dataset: &Dataset, opts: &'a ExchangeOptions) -> Result<Model<'a>> {
    let na = dataset.actors.len();
    let nd = dataset.issues.len();
    if nd < 2 {
        return Err(ForecastError::Invalid(format!(
            "{}: the exchange model needs at least two issues (found {nd})",
            dataset.name
        )));
    }
    let mut pos = vec![vec![None; nd]; na];
    let mut sal = vec![vec![0.0; nd]; na];
    let mut pow = vec![vec![0.0; nd]; na];
    let mut denom = vec![0.0; nd];
    for (d, issue) in dataset.issues.iter().enumerate() {
        let span = issue.upper - issue.lower;
        if span.is_nan() || span <= 0.0 {
            return Err(ForecastError::Invalid(format!(
                "issue {}: empty scale [{}, {}]",
                issue.name, issue.lower, issue.upper
            )));
        }
        for a in 0..na {
            if let Some(Some(c)) = dataset.cells[a].get(d) {
                pos[a][d] = Some((c.position - issue.lower) * 100.0 / span);
                sal[a][d] = c.salience;
                pow[a][d] = c.capability;
                denom[d] += c.salience * c.capability;
            }
        }
    }
    let mut m = Model {
        opts,
        pos,
        sal,
        pow,
        denom,
        sums: Vec::new(),
    };
    m.refresh();
    Ok(m)
}

/// Round-1 candidate exchanges before any is executed (the package's
/// deterministic reference).
pub fn round1_candidates(dataset: &Dataset, opts: &ExchangeOptions) -> Result<Vec<Candidate>> {
    dataset.validate()?;
    let m = build(dataset, opts)?;
    let name = |s: &Side| {
        (
            dataset.actors[s.actor].clone(),
            dataset.issues[s.supply].name.clone(),
            s.supply_pos,
            s.y,
        )
    };
    Ok(m.candidates()
        .iter()
        .map(|e| Candidate {
            i: name(&e.i),
            j: name(&e.j),
            gain: e.gain,
            valid: e.valid,
        })
        .collect())
}

/// Gains of the exchanges realised in round 1, in execution order.
pub fn round1_realised_gains(dataset: &Dataset, opts: &ExchangeOptions) -> Result<Vec<f64>> {
    dataset.validate()?;
    let m = build(dataset, opts)?;
    let mut rng = SplitMix(match opts.tie_break {
        TieBreak::Random(s) => s,
        TieBreak::Stable => 0,
    });
    Ok(execute(&m, m.candidates(), &mut rng)
        .iter()
        .map(|e| e.gain)
        .collect())
}

/// Heap entry: highest gain first, then lowest creation index.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    gain: f64,
    id: usize,
    version: u32,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.gain
            .total_cmp(&other.gain)
            .then_with(|| other.id.cmp(&self.id))
            .then_with(|| self.version.cmp(&other.version))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Execute exchanges best-first until none is left. Only the exchanges that
/// share an actor with the executed one can change; an index from actor to
/// exchanges finds them, and a heap with versioned entries orders the rest.
fn execute(m: &Model, list: Vec<Exchange>, rng: &mut SplitMix) -> Vec<Exchange> {
    let n_actors = m.pos.len();
    let mut by_actor: Vec<Vec<usize>> = vec![Vec::new(); n_actors];
    let mut version = vec![0u32; list.len()];
    let mut alive: Vec<bool> = list.iter().map(|e| e.valid).collect();
    let mut heap = BinaryHeap::new();
    for (id, e) in list.iter().enumerate() {
        if e.valid {
            by_actor[e.i.actor].push(id);
            by_actor[e.j.actor].push(id);
            heap.push(Entry {
                gain: e.gain,
                id,
                version: 0,
            });
        }
    }
    let mut store: Vec<Exchange> = list;
    let mut seen = vec![usize::MAX; store.len()];
    let mut realised = Vec::new();
    let current =
        |e: &Entry, alive: &[bool], version: &[u32]| alive[e.id] && version[e.id] == e.version;
    let mut round = 0usize;
    while let Some(top) = heap.pop() {
        if !current(&top, &alive, &version) {
            continue;
        }
        let mut best = top;
        if let TieBreak::Random(_) = m.opts.tie_break {
            while let Some(next) = heap.peek() {
                if current(next, &alive, &version) {
                    break;
                }
                heap.pop();
            }
            if let Some(&next) = heap.peek() {
                if (best.gain - next.gain).abs() < 1e-20 && rng.next_f64() >= 0.5 {
                    heap.pop();
                    heap.push(best);
                    best = next;
                }
            }
        }
        alive[best.id] = false;
        let done = store[best.id].clone();
        round += 1;
        for actor in [done.i.actor, done.j.actor] {
            for &id in &by_actor[actor] {
                if !alive[id] || seen[id] == round {
                    continue;
                }
                seen[id] = round;
                let ex = &mut store[id];
                let before = (ex.gain, ex.valid);
                m.recalculate(ex, &done);
                if !ex.valid {
                    alive[id] = false;
                } else if ex.gain != before.0 {
                    version[id] += 1;
                    heap.push(Entry {
                        gain: ex.gain,
                        id,
                        version: version[id],
                    });
                }
            }
        }
        realised.push(done);
    }
    realised
}

/// Run the exchange model: one [`IssueForecast`] per issue. `rounds[k]` are
/// the voting positions of round k (whose weighted mean is that round's
/// outcome); the diagnostics give each round's outcomes, realised exchanges
/// and the next starting positions.
pub fn run(dataset: &Dataset, opts: &ExchangeOptions) -> Result<(Vec<IssueForecast>, Vec<String>)> {
    dataset.validate()?;
    if !(opts.salience_weight >= 0.0
        && opts.fixed_weight >= 0.0
        && opts.salience_weight + opts.fixed_weight <= 1.0)
    {
        return Err(ForecastError::Invalid(
            "exchange weights must be ≥ 0 and sum to at most 1".into(),
        ));
    }
    let mut m = build(dataset, opts)?;
    let mut notes = Vec::new();
    for (d, issue) in dataset.issues.iter().enumerate() {
        if m.denom[d] <= 0.0 {
            notes.push(format!("issue {}: every c·s is 0; its outcome is the plain mean and nobody exchanges on it", issue.name));
        }
    }
    let nd = dataset.issues.len();
    let na = dataset.actors.len();
    let denorm = |d: usize, v: f64| {
        let i = &dataset.issues[d];
        i.lower + v * (i.upper - i.lower) / 100.0
    };
    let members: Vec<Vec<usize>> = (0..nd)
        .map(|d| (0..na).filter(|&a| m.pos[a][d].is_some()).collect())
        .collect();
    let snapshot = |m: &Model, d: usize| -> Vec<f64> {
        members[d]
            .iter()
            .map(|&a| denorm(d, m.pos[a][d].unwrap_or(0.0)))
            .collect()
    };
    let mut rounds: Vec<Vec<Vec<f64>>> = (0..nd).map(|d| vec![snapshot(&m, d)]).collect();
    let mut diags: Vec<Vec<serde_json::Value>> = vec![Vec::new(); nd];
    let mut outcomes: Vec<f64> = (0..nd).map(|d| m.nbs(d)).collect();
    let mut rng = SplitMix(match opts.tie_break {
        TieBreak::Random(s) => s,
        TieBreak::Stable => 0,
    });
    for k in 1..=opts.rounds {
        m.refresh();
        let cands = m.candidates();
        let n_cands = cands.len();
        let n_valid = cands.iter().filter(|e| e.valid).count();
        let realised = execute(&m, cands, &mut rng);
        for e in &realised {
            m.pos[e.i.actor][e.i.supply] = Some(e.i.y);
            m.pos[e.j.actor][e.j.supply] = Some(e.j.y);
        }
        outcomes = (0..nd).map(|d| m.nbs(d)).collect();
        for (d, r) in rounds.iter_mut().enumerate() {
            r.push(snapshot(&m, d));
        }
        let start = |s: &Side| {
            let w = (1.0 - s.s_sup) * opts.salience_weight + opts.fixed_weight;
            w * s.y + (1.0 - w) * s.start
        };
        for e in &realised {
            m.pos[e.i.actor][e.i.supply] = Some(start(&e.i));
            m.pos[e.j.actor][e.j.supply] = Some(start(&e.j));
        }
        for d in 0..nd {
            let ex: Vec<serde_json::Value> = realised
                .iter()
                .enumerate()
                .filter(|(_, e)| e.i.supply == d || e.j.supply == d)
                .map(|(order, e)| {
                    let s = if e.i.supply == d { &e.i } else { &e.j };
                    let o = if e.i.supply == d { &e.j } else { &e.i };
                    json!({
                        "supplier": dataset.actors[s.actor],
                        "from": denorm(d, s.supply_pos),
                        "to": denorm(d, s.y),
                        "partner": dataset.actors[o.actor],
                        "partner_issue": dataset.issues[o.supply].name,
                        "gain": e.gain,
                        "order": order + 1,
                    })
                })
                .collect();
            diags[d].push(json!({
                "round": k,
                "outcome": denorm(d, outcomes[d]),
                "candidates": n_cands,
                "valid_candidates": n_valid,
                "realised": realised.len(),
                "exchanges": ex,
                "next_start": snapshot(&m, d),
            }));
        }
        if realised.is_empty() {
            notes.push(format!("round {k}: no exchange possible; stopped"));
            break;
        }
    }
    let out = (0..nd)
        .map(|d| IssueForecast {
            issue: dataset.issues[d].name.clone(),
            actors: members[d]
                .iter()
                .map(|&a| dataset.actors[a].clone())
                .collect(),
            forecast: finite(denorm(d, outcomes[d])),
            rounds: rounds[d].clone(),
            stop: Some("rounds".into()),
            diagnostics: diags[d].clone(),
        })
        .collect();
    Ok((out, notes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::parse_str;

    const TWO: &str = "#A\tA\n#A\tB\n#P\tp\n#P\tq\n#D\tA\tp\t0\t0.9\t1\n#D\tA\tq\t0\t0.2\t1\n#D\tB\tp\t100\t0.2\t1\n#D\tB\tq\t100\t0.9\t1\n";

    #[test]
    fn two_actor_exchange() {
        let d = parse_str(TWO, "t", "t").unwrap();
        let c = round1_candidates(&d, &ExchangeOptions::default()).unwrap();
        assert_eq!(c.len(), 1);
        assert!(c[0].valid);
        // A cares about p, B about q: A supplies q, B supplies p.
        assert_eq!(c[0].i.1, "q");
        let (f, _) = run(
            &d,
            &ExchangeOptions {
                rounds: 1,
                ..Default::default()
            },
        )
        .unwrap();
        // B moved towards A on p, A towards B on q
        assert!(f[0].rounds[1][1] < 100.0);
        assert!(f[1].rounds[1][0] > 0.0);
        for i in &f {
            assert!(i.forecast >= 0.0 && i.forecast <= 100.0);
        }
    }

    #[test]
    fn one_issue_is_an_error() {
        let d = parse_str("#A\tA\n#P\tp\n#D\tA\tp\t0\t0.9\t1\n", "t", "t").unwrap();
        assert!(run(&d, &ExchangeOptions::default()).is_err());
    }
}
