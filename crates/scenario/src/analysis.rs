//! `detente analyze`: every analysis over a scenario, for the base case and
//! each policy, at the point estimate and over the Monte Carlo draws, as a
//! JSON value whose top-level keys are `scenario`, `exchanges`, `votes`,
//! `issues`, `games`, `claims`, `policies` (plus `run`, how it was run).

use crate::eval::{case_values, evaluate_case, CaseResult};
use crate::model::*;
use crate::montecarlo::{self, Layout, McRun};
use crate::param::Provenance;
use crate::sensitivity::sensitivities;
use serde_json::{json, Map, Value};
use std::sync::atomic::AtomicBool;

#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    pub draws: usize,
    pub seed: u64,
    /// Inputs kept per claim in its sensitivity list.
    pub sensitivity_keep: usize,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            draws: 10_000,
            seed: 2024,
            sensitivity_keep: 5,
        }
    }
}

/// Bins of the histogram in [`stats`].
pub const HISTOGRAM_BINS: usize = 20;

/// Summary statistics of a sample: mean, 5th, 50th and 95th percentiles,
/// min, max, and a histogram (`{"edges": [e0..e_k], "counts": [c1..c_k]}`,
/// k = [`HISTOGRAM_BINS`] equal-width bins over [min, max], one bin if
/// min == max; each bin holds [e_i, e_i+1), the last one its upper edge too;
/// the counts sum to the sample's size).
pub fn stats(xs: &mut [f64]) -> Value {
    if xs.is_empty() {
        return Value::Null;
    }
    xs.sort_by(|a, b| a.total_cmp(b));
    let n = xs.len();
    let q = |p: f64| xs[((n - 1) as f64 * p).round() as usize];
    let (edges, counts) = histogram(xs, HISTOGRAM_BINS);
    json!({
        "mean": round(xs.iter().sum::<f64>() / n as f64),
        "p5": round(q(0.05)),
        "p50": round(q(0.5)),
        "p95": round(q(0.95)),
        "min": round(xs[0]),
        "max": round(xs[n - 1]),
        "histogram": {
            "edges": edges.into_iter().map(round).collect::<Vec<_>>(),
            "counts": counts,
        },
    })
}

/// Equal-width histogram of a sorted, non-empty sample over its
/// [min, max]: `bins + 1` edges and `bins` counts (one bin when every value
/// is the same).
pub fn histogram(sorted: &[f64], bins: usize) -> (Vec<f64>, Vec<u64>) {
    let (lo, hi) = match (sorted.first(), sorted.last()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => return (Vec::new(), Vec::new()),
    };
    let k = if hi > lo { bins.max(1) } else { 1 };
    let width = (hi - lo) / k as f64;
    let edges: Vec<f64> = (0..=k)
        .map(|e| if e == k { hi } else { lo + width * e as f64 })
        .collect();
    let mut counts = vec![0u64; k];
    for &x in sorted {
        let b = if width > 0.0 {
            (((x - lo) / width) as usize).min(k - 1)
        } else {
            0
        };
        counts[b] += 1;
    }
    (edges, counts)
}

fn round(x: f64) -> Value {
    // Twelve significant digits: stable output, no float noise.
    // (Non-finite numbers never reach here: every input is finite and
    // every computed number is a sum or product of them; map them to 0
    // rather than print NaN if that ever changed.)
    if x == 0.0 || !x.is_finite() {
        return json!(0.0);
    }
    let digits = 12 - (x.abs().log10().floor() as i32 + 1);
    let f = 10f64.powi(digits.clamp(0, 15));
    json!((x * f).round() / f)
}

fn case_name(s: &Scenario, case: usize) -> String {
    if case == 0 {
        "base".to_string()
    } else {
        s.policies[case - 1].id.clone()
    }
}

fn frac(run: &McRun, k: usize) -> Value {
    run.frac(k).map(round).unwrap_or(Value::Null)
}

/// Runs everything. `cancel` and `progress` are passed to the Monte Carlo
/// run.
// Cases are indexed in parallel arrays (point results, kept columns,
// counted events), so index loops read best here.
#[allow(clippy::needless_range_loop)]
pub fn analyze(
    s: &Scenario,
    opts: &AnalyzeOptions,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize) + Sync),
) -> Value {
    let power = body_power(s);
    let point = s.point_values();
    let mut scratch = Vec::new();
    let ncases = s.policies.len() + 1;
    let point_cases: Vec<CaseResult> = (0..ncases)
        .map(|c| {
            let policy = (c > 0).then(|| c - 1);
            case_values(s, policy, &point, &mut scratch);
            evaluate_case(s, policy, &scratch)
        })
        .collect();
    let run = montecarlo::run(s, opts.draws, opts.seed, cancel, progress);
    let l = Layout::new(s);
    let games = solve_games(s, &run, &l);
    let actor = |a: ActorId| s.actors[a].id.clone();

    // Exchanges.
    let mut exchanges = Vec::new();
    for c in 0..ncases {
        for (k, x) in s.exchanges.iter().enumerate() {
            let r = &point_cases[c].exchanges[k];
            let mut surplus = Map::new();
            let mut dist = Map::new();
            let mut nash_pay = Map::new();
            let mut nash_tr = Map::new();
            for (j, &p) in x.parties.iter().enumerate() {
                surplus.insert(actor(p), round(r.surplus[j]));
                nash_pay.insert(actor(p), round(r.nash_payoff[j]));
                nash_tr.insert(actor(p), round(r.nash_transfer[j]));
                let mut xs = run.column(&l, l.surplus(c, k, j));
                let mut st = stats(&mut xs);
                if let Value::Object(m) = &mut st {
                    m.insert("p_gain".into(), frac(&run, l.gains(c, k, j)));
                }
                dist.insert(actor(p), st);
            }
            let mut third = Map::new();
            for (j, (a, _)) in x.externalities.iter().enumerate() {
                third.insert(actor(*a), round(r.third_party[j]));
            }
            let mut world = run.column(&l, l.world_sum(s, c, k));
            exchanges.push(json!({
                "exchange": x.id,
                "name": x.name,
                "policy": case_name(s, c),
                "parties": x.parties.iter().map(|&p| actor(p)).collect::<Vec<_>>(),
                "surplus": surplus,
                "win_win": r.win_win,
                "p_win_win": frac(&run, l.win_win(c, k)),
                "dyad_sum": round(r.dyad_sum),
                "third_parties": third,
                "third_party_sum": round(r.third_party_sum),
                "world_sum": round(r.world_sum),
                "positive_sum": r.world_sum > 0.0,
                "p_positive_sum": frac(&run, l.positive_sum(c, k)),
                "nash_bargaining": {"payoff": nash_pay, "transfer": nash_tr},
                "surplus_draws": dist,
                "world_sum_draws": stats(&mut world),
            }));
        }
    }

    // Votes.
    let mut votes = Vec::new();
    for c in 0..ncases {
        for (k, p) in s.proposals.iter().enumerate() {
            let Some(v) = &point_cases[c].votes[k] else {
                continue;
            };
            let mut ballots = Map::new();
            for (a, b) in &v.ballots {
                ballots.insert(actor(*a), json!(b.as_str()));
            }
            let mut p_veto = Map::new();
            for &m in &s.bodies[v.body].vetoes {
                p_veto.insert(actor(m), frac(&run, l.vetoed_by(c, k, m)));
            }
            let recorded = p.recorded.as_ref().map(|r| {
                let mut ok = true;
                if let Some(y) = r.yes {
                    ok &= y == v.yes;
                }
                if let Some(n) = r.no {
                    ok &= n == v.no;
                }
                if let Some(a) = r.abstain {
                    ok &= a == v.abstain;
                }
                let mut rv = r.vetoed_by.clone();
                rv.sort();
                let mut mv = v.vetoed_by.clone();
                mv.sort();
                ok &= rv == mv;
                for (a, b) in &r.ballots {
                    ok &= v.ballots.iter().any(|(m, x)| m == a && x == b);
                }
                let checked: Vec<String> = r
                    .ballots
                    .iter()
                    .map(|(a, b)| format!("{} {}", actor(*a), b.as_str()))
                    .collect();
                json!({
                    "checked_ballots": checked,
                    "date": r.date,
                    "source": r.source,
                    "yes": r.yes, "no": r.no, "abstain": r.abstain,
                    "vetoed_by": r.vetoed_by.iter().map(|&a| actor(a)).collect::<Vec<_>>(),
                    "reproduced": ok,
                })
            });
            votes.push(json!({
                "body": s.bodies[v.body].id,
                "proposal": p.id,
                "name": p.name,
                "issue": s.issues[p.issue].id,
                "policy": case_name(s, c),
                "ballots": ballots,
                "yes": v.yes, "no": v.no, "abstain": v.abstain,
                "passes": v.passes,
                "vetoed_by": v.vetoed_by.iter().map(|&a| actor(a)).collect::<Vec<_>>(),
                "p_passes": frac(&run, l.passes(c, k)),
                "p_vetoed_by": p_veto,
                "recorded": recorded,
                "power": power.get(&s.bodies[v.body].id).cloned().unwrap_or(Value::Null),
            }));
        }
    }

    // Issues.
    let mut issues = Vec::new();
    for c in 0..ncases {
        for (k, i) in s.issues.iter().enumerate() {
            let r = &point_cases[c].issues[k];
            let mut xs = run.column(&l, l.outcome(c, k));
            let rule = match &i.rule {
                Rule::BodyVote { body } => json!({"kind": "body_vote", "body": s.bodies[*body].id}),
                Rule::Unilateral { decider, .. } => {
                    json!({"kind": "unilateral", "decider": actor(*decider)})
                }
                Rule::Bargain { parties, .. } => {
                    json!({"kind": "bargain", "parties": [actor(parties[0]), actor(parties[1])]})
                }
                Rule::MutualConsent { deciders, .. } => {
                    json!({"kind": "mutual_consent", "deciders": deciders.iter().map(|&a| actor(a)).collect::<Vec<_>>()})
                }
                Rule::Negotiation { model } => {
                    json!({"kind": "negotiation", "model": model.name(), "preset": model.preset()})
                }
            };
            let mut entry = json!({
                "issue": i.id,
                "name": i.name,
                "policy": case_name(s, c),
                "rule": rule,
                "status_quo": round(point[i.status_quo]),
                "outcome": round(r.outcome),
                "agreement": r.agreement,
                "zone": r.zone.map(|(a, b)| json!([round(a), round(b)])),
                "passed": r.passed.map(|p| s.proposals[p].id.clone()),
                "p_agreement": if r.agreement.is_some() { frac(&run, l.agreement(c, k)) } else { Value::Null },
                "outcome_draws": stats(&mut xs),
            });
            if let Rule::Negotiation { model } = &i.rule {
                let policy = (c > 0).then(|| c - 1);
                case_values(s, policy, &point, &mut scratch);
                entry["forecast"] = forecast_detail(s, i, model, &scratch);
                entry["p_model_failed"] = frac(&run, l.model_failed(c, k));
            }
            issues.push(entry);
        }
    }

    // Claims.
    let sens = sensitivities(s, &run, opts.sensitivity_keep);
    let at_point = montecarlo::evaluate_all(s, &point, &mut scratch).1;
    let mut claims = Vec::new();
    for (k, c) in s.claims.iter().enumerate() {
        let sensitivity: Vec<Value> = sens[k]
            .iter()
            .map(|x| {
                let inp = &s.inputs[x.input];
                let (lo, hi) = inp.dist.support();
                json!({
                    "input": inp.id,
                    "flips_at": x.flips_at.map(round),
                    "point": round(x.point),
                    "importance": round(x.importance),
                    "range": [round(lo), round(hi)],
                    "provenance": provenance(&inp.provenance),
                })
            })
            .collect();
        claims.push(json!({
            "id": c.id,
            "text": c.text,
            "by": c.by,
            "policy": c.policy.map(|p| s.policies[p].id.clone()).unwrap_or_else(|| "base".into()),
            "asserted": c.asserted,
            "holds": at_point[k],
            "agrees_with_claimant": at_point[k] == c.asserted,
            "probability": frac(&run, l.claim(k)),
            "sensitivity": sensitivity,
        }));
    }

    // Policies: what each changes, and the measures against the base case.
    let mut policies = Vec::new();
    for c in 0..ncases {
        let mut measures = Map::new();
        for (m, meas) in s.measures.iter().enumerate() {
            let mut xs = run.column(&l, l.measure(c, m));
            let delta = point_cases[c].measures[m] - point_cases[0].measures[m];
            measures.insert(meas.id.clone(), json!({
                "name": meas.name,
                "value": round(point_cases[c].measures[m]),
                "change": round(delta),
                "p_lower_than_base": if c == 0 { Value::Null } else { frac(&run, l.lower(c, m)) },
                "draws": stats(&mut xs),
            }));
        }
        let (id, name, origin, note, changes) = if c == 0 {
            (
                "base".to_string(),
                "Base case".to_string(),
                None,
                None,
                Vec::new(),
            )
        } else {
            let p = &s.policies[c - 1];
            let changes: Vec<Value> = p
                .overrides
                .iter()
                .map(|&(t, src)| json!({"input": s.inputs[t].id, "from": round(point[t]), "to": round(point[src])}))
                .chain(p.body_swaps.iter().map(|&(f, t)| json!({"body": s.bodies[f].id, "replaced_by": s.bodies[t].id})))
                .collect();
            (
                p.id.clone(),
                p.name.clone(),
                p.origin.clone(),
                p.note.clone(),
                changes,
            )
        };
        let outcomes: Map<String, Value> = s
            .issues
            .iter()
            .enumerate()
            .map(|(k, i)| (i.id.clone(), round(point_cases[c].issues[k].outcome)))
            .collect();
        policies.push(json!({
            "id": id, "name": name, "origin": origin, "note": note,
            "changes": changes,
            "outcomes": outcomes,
            "measures": measures,
        }));
    }

    let scenario = json!({
        "id": s.meta.id,
        "title": s.meta.title,
        "date": s.meta.date,
        "description": s.meta.description,
        "origin": s.meta.origin,
        "actors": s.actors.iter().map(|a| json!({"id": a.id, "name": a.name, "capability": a.capability.map(|c| round(point[c]))})).collect::<Vec<_>>(),
        "sources": s.sources.iter().map(|x| json!({"id": x.id, "title": x.title, "url": x.url, "date": x.date, "note": x.note})).collect::<Vec<_>>(),
        "inputs": s.inputs.len(),
        "uncertain_inputs": s.inputs.iter().filter(|i| i.dist.is_uncertain()).count(),
    });
    json!({
        "scenario": scenario,
        "run": {"draws": run.draws, "requested": run.requested, "seed": run.seed, "interrupted": run.interrupted},
        "exchanges": exchanges,
        "votes": votes,
        "issues": issues,
        "games": games,
        "coalitions": coalition_values(s, &point),
        "claims": claims,
        "policies": policies,
    })
}

/// Most focal actors in an EUM issue's quadrant data.
pub const QUADRANT_FOCALS: usize = 6;

/// A negotiation's forecast at one set of values, for the report:
/// `{"model", "preset", "actors", "rounds", "stop", "forecast",
/// "quadrant"}`; `rounds[0]` the input positions, on the issue's scale.
/// `quadrant` (EUM only, else empty): for up to [`QUADRANT_FOCALS`] focal
/// actors, those with the highest capability x salience (ties: file order),
/// each other actor j as `{"actor", "x": E_focal(U_focal,j), "y":
/// E_focal(U_j,focal)}` in the first round. A model that fails gives
/// `"error"` (its message), the status quo as `forecast`, and no rounds.
pub fn forecast_detail(s: &Scenario, i: &Issue, model: &NegotiationModel, v: &[f64]) -> Value {
    let actors: Vec<String> = i
        .positions
        .iter()
        .map(|p| s.actors[p.actor].id.clone())
        .collect();
    let f = match crate::eval::negotiate(s, i, model, v) {
        Ok(f) => f,
        Err(e) => {
            return json!({
                "model": model.name(),
                "preset": model.preset(),
                "actors": actors,
                "rounds": [],
                "stop": Value::Null,
                "forecast": round(v[i.status_quo]),
                "quadrant": [],
                "error": e,
            })
        }
    };
    let mut quadrant = Vec::new();
    if let NegotiationModel::Eum { options, .. } = model {
        let data = crate::eval::negotiation_data(s, i, v);
        let w = data.weights();
        let mut order: Vec<usize> = (0..data.len()).collect();
        order.sort_by(|&a, &b| w[b].total_cmp(&w[a]).then(a.cmp(&b)));
        order.truncate(QUADRANT_FOCALS);
        for focal in order {
            if let Ok(points) = detente_forecast::eum::quadrant(&data, focal, options) {
                quadrant.push(json!({
                    "focal": data.actors[focal],
                    "points": points.iter().map(|(j, x, y)| json!({
                        "actor": data.actors[*j],
                        "x": round(*x),
                        "y": round(*y),
                    })).collect::<Vec<_>>(),
                }));
            }
        }
    }
    json!({
        "model": model.name(),
        "preset": model.preset(),
        "actors": f.actors,
        "rounds": f.rounds.iter().map(|r| r.iter().map(|x| round(*x)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "stop": f.stop,
        "forecast": round(f.forecast),
        "quadrant": quadrant,
    })
}

/// Power indices of every body's members (exact Shapley-Shubik and
/// Banzhaf), by body id: `{actor: {"shapley_shubik", "banzhaf"}}`.
pub fn body_power(s: &Scenario) -> Map<String, Value> {
    use detente_coop::{power_indices, Condition, PowerOptions, VotingBody};
    let mut out = Map::new();
    for b in &s.bodies {
        let members: Vec<String> = b.members.iter().map(|&a| s.actors[a].id.clone()).collect();
        let required: Vec<bool> = b.members.iter().map(|m| b.vetoes.contains(m)).collect();
        let cond = Condition {
            label: "yes votes".into(),
            weights: vec![1; members.len()],
            quota: u64::from(b.quota),
        };
        let value = VotingBody::new(b.name.clone(), members.clone(), vec![cond], required, None)
            .and_then(|body| power_indices(&body, &PowerOptions { exact: false }))
            .map(|p| {
                let m: Map<String, Value> = members
                    .iter()
                    .enumerate()
                    .map(|(k, a)| {
                        (a.clone(), json!({"shapley_shubik": round(p.shapley_shubik[k]), "banzhaf": round(p.banzhaf_normalized[k])}))
                    })
                    .collect();
                Value::Object(m)
            })
            .unwrap_or_else(|e| json!({"error": e.to_string()}));
        out.insert(b.id.clone(), value);
    }
    out
}

/// Every coalitional game at the point estimates: Shapley value,
/// nucleolus, and whether the core is empty (with a point in it if not).
pub fn coalition_values(s: &Scenario, point: &[f64]) -> Value {
    use detente_coop::core::core_point;
    use detente_coop::nucleolus::nucleolus;
    use detente_coop::shapley::shapley_value;
    use detente_coop::tu::TuGame;
    use detente_game::Rational;
    let mut out = Vec::new();
    for c in &s.coalitions {
        let players: Vec<String> = c.players.iter().map(|&a| s.actors[a].id.clone()).collect();
        let n = players.len();
        let mut values = vec![Rational::from_integer(0.into()); 1usize << n];
        let mut bad = None;
        for &(mask, i) in &c.values {
            match Rational::from_float(point[i]) {
                Some(r) => values[mask as usize] = r,
                None => bad = Some(s.inputs[i].id.clone()),
            }
        }
        let as_map = |xs: &[Rational]| -> Map<String, Value> {
            players
                .iter()
                .zip(xs)
                .map(|(p, x)| (p.clone(), round(detente_game::Scalar::to_f64(x))))
                .collect()
        };
        let entry = match (bad, TuGame::new(players.clone(), values)) {
            (Some(id), _) => {
                json!({"coalition": c.id, "error": format!("{id} is not a finite number")})
            }
            (None, Err(e)) => json!({"coalition": c.id, "error": e.to_string()}),
            (None, Ok(g)) => {
                let shapley = shapley_value(&g);
                let nuc = nucleolus(&g)
                    .map(|x| Value::Object(as_map(&x.point)))
                    .unwrap_or_else(|e| json!({"error": e.to_string()}));
                let core = match core_point(&g) {
                    Ok(Some(x)) => json!({"empty": false, "point": Value::Object(as_map(&x))}),
                    Ok(None) => json!({"empty": true}),
                    Err(e) => json!({"error": e.to_string()}),
                };
                json!({
                    "coalition": c.id,
                    "name": c.name,
                    "players": players,
                    "grand_coalition": round(detente_game::Scalar::to_f64(&g.value(g.grand()))),
                    "shapley": Value::Object(as_map(&shapley)),
                    "nucleolus": nuc,
                    "core": core,
                })
            }
        };
        out.push(entry);
    }
    Value::Array(out)
}

/// The exact equilibria of one game: all extreme equilibria of a
/// two-player game (vertex enumeration), all pure equilibria otherwise.
/// Each is verified (zero regret, exactly) before it is reported. Returns
/// the method, the equilibria and notes.
pub fn solve_game(game: &detente_game::NormalFormGame) -> (&'static str, Vec<Value>, Vec<String>) {
    use detente_game::{format_rational, Rational};
    use detente_solve::{enummixed, enumpure, verify_equilibrium, EnumMixedOptions, Equilibrium};
    let (method, found): (&str, Result<Vec<Equilibrium<Rational>>, String>) =
        if game.num_players() == 2 {
            (
                "enummixed",
                enummixed::<Rational>(game, &EnumMixedOptions::default())
                    .map(|r| r.equilibria)
                    .map_err(|e| e.to_string()),
            )
        } else {
            ("enumpure", Ok(enumpure::<Rational>(game)))
        };
    let mut notes = Vec::new();
    let equilibria: Vec<Value> = match found {
        Ok(list) => list
            .into_iter()
            .filter(|e| match verify_equilibrium(game, e, 0.0) {
                Ok(()) => true,
                Err(why) => {
                    notes.push(format!("a profile failed verification and was dropped: {why}"));
                    false
                }
            })
            .map(|e| {
                json!({
                    "profile": e.profile.iter().map(|p| p.iter().map(format_rational).collect::<Vec<_>>()).collect::<Vec<_>>(),
                    "payoffs": e.payoffs.iter().map(format_rational).collect::<Vec<_>>(),
                })
            })
            .collect(),
        Err(e) => {
            notes.push(e);
            Vec::new()
        }
    };
    (method, equilibria, notes)
}

/// Method named in a game's `draws`.
pub const GAME_DRAWS_METHOD: &str = "enumpure-f64";

/// A game's equilibria over the Monte Carlo draws of one case (inline games
/// only; `null` otherwise): each pure profile that is an equilibrium in some
/// draw, as a profile of probabilities (`"1"`/`"0"`, like the exact
/// equilibria) with its strategy labels and the share of draws in which it
/// is an equilibrium; `p_unique` (exactly one pure equilibrium) and `p_none`
/// (none: only mixed ones). Mixed equilibria are not searched per draw.
fn game_draws(s: &Scenario, run: &McRun, l: &Layout, case: usize, g: usize) -> Value {
    let spec = &s.games[g];
    let Some(cells) = &spec.payoffs else {
        return Value::Null;
    };
    let st = spec.game.strategies();
    let m = st.first().map_or(1, |x| x.len()).max(1);
    let mut equilibria = Vec::new();
    for cell in 0..cells.len() {
        let p = run.frac(l.game_cell(case, g, cell)).unwrap_or(0.0);
        if p <= 0.0 {
            continue;
        }
        let pick = [cell % m, cell / m];
        let profile: Vec<Vec<&str>> = st
            .iter()
            .zip(pick)
            .map(|(labels, k)| {
                (0..labels.len())
                    .map(|j| if j == k { "1" } else { "0" })
                    .collect()
            })
            .collect();
        let labels: Vec<&str> = st.iter().zip(pick).map(|(x, k)| x[k].as_str()).collect();
        equilibria.push(json!({"profile": profile, "labels": labels, "probability": round(p)}));
    }
    json!({
        "method": GAME_DRAWS_METHOD,
        "equilibria": equilibria,
        "p_unique": frac(run, l.game_unique(case, g)),
        "p_none": frac(run, l.game_none(case, g)),
    })
}

/// Every game's equilibria, exactly, at the base case's point estimates
/// (see [`solve_game`]), with `draws` (see [`game_draws`]) and, under
/// `policies`, the same for each policy that changes the game's payoffs.
pub fn solve_games(s: &Scenario, run: &McRun, l: &Layout) -> Value {
    let point = s.point_values();
    let mut scratch = Vec::new();
    let mut out = Vec::new();
    for (k, g) in s.games.iter().enumerate() {
        let (method, equilibria, notes) = solve_game(&g.game);
        let mut policies = Vec::new();
        if let Some(cells) = &g.payoffs {
            for (p, pol) in s.policies.iter().enumerate() {
                if !pol
                    .overrides
                    .iter()
                    .any(|(t, _)| cells.iter().flatten().any(|i| i == t))
                {
                    continue;
                }
                case_values(s, Some(p), &point, &mut scratch);
                let (eqs, notes) = match g.game_at(&scratch) {
                    Ok(game) => {
                        let (_, e, n) = solve_game(&game);
                        (e, n)
                    }
                    Err(e) => (Vec::new(), vec![e]),
                };
                policies.push(json!({
                    "policy": pol.id,
                    "equilibria": eqs,
                    "notes": notes,
                    "draws": game_draws(s, run, l, p + 1, k),
                }));
            }
        }
        out.push(json!({
            "game": g.id,
            "name": g.name,
            "players": g.game.players(),
            "strategies": g.game.strategies(),
            "method": method,
            "equilibria": equilibria,
            "notes": notes,
            "draws": game_draws(s, run, l, 0, k),
            "policies": policies,
        }));
    }
    Value::Array(out)
}

fn provenance(p: &Provenance) -> Value {
    match p {
        Provenance::Source(s) => json!({"source": s}),
        Provenance::Judgment => json!("judgment"),
        Provenance::Unstated => Value::Null,
    }
}
