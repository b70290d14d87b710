//! Property tests: invariants of power indices, TU solutions and bargaining
//! solutions on random instances.

use detente_coop::bargaining::{BargainingProblem, Deal};
use detente_coop::core::{core_point, in_core, least_core};
use detente_coop::nash_bargaining::{nash_solution, Solution};
use detente_coop::nucleolus::nucleolus;
use detente_coop::shapley::{banzhaf_value, shapley_value};
use detente_coop::tu::TuGame;
use detente_coop::{power_indices, Condition, PowerOptions, VotingBody};
use detente_game::Rational;
use num_bigint::BigInt;
use num_traits::{One, Zero};
use proptest::prelude::*;

fn r(n: i64) -> Rational {
    Rational::from_integer(BigInt::from(n))
}

fn names(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("P{i}")).collect()
}

/// Shapley–Shubik by brute force over coalitions.
fn brute_ss(body: &VotingBody) -> Vec<Rational> {
    let n = body.len();
    let mut fact = vec![BigInt::one()];
    for k in 1..=n {
        let x = &fact[k - 1] * BigInt::from(k);
        fact.push(x);
    }
    let mut ss = vec![Rational::zero(); n];
    for mask in 0u32..(1 << n) {
        let c: Vec<bool> = (0..n).map(|i| mask >> i & 1 == 1).collect();
        if body.is_winning(&c) {
            continue;
        }
        let s = c.iter().filter(|&&b| b).count();
        for i in 0..n {
            if !c[i] {
                let mut d = c.clone();
                d[i] = true;
                if body.is_winning(&d) {
                    ss[i] += Rational::new(&fact[s] * &fact[n - 1 - s], fact[n].clone());
                }
            }
        }
    }
    ss
}

fn arb_body() -> impl Strategy<Value = VotingBody> {
    (2usize..9).prop_flat_map(|n| {
        (
            proptest::collection::vec(0u64..12, n),
            proptest::collection::vec(0u64..6, n),
            proptest::collection::vec(any::<bool>(), n),
            0u64..1000,
            0u64..1000,
            0usize..3,
        )
            .prop_map(move |(w1, w2, veto, q1, q2, heads)| {
                let mut w1 = w1;
                if w1.iter().sum::<u64>() == 0 {
                    w1[0] = 1;
                }
                let mut w2 = w2;
                if w2.iter().sum::<u64>() == 0 {
                    w2[n - 1] = 1;
                }
                let t1: u64 = w1.iter().sum();
                let t2: u64 = w2.iter().sum();
                let mut conditions = vec![Condition {
                    label: "a".into(),
                    weights: w1,
                    quota: 1 + q1 % t1,
                }];
                if heads >= 1 {
                    conditions.push(Condition {
                        label: "b".into(),
                        weights: w2,
                        quota: 1 + q2 % t2,
                    });
                }
                if heads == 2 {
                    conditions.push(Condition {
                        label: "heads".into(),
                        weights: vec![1; n],
                        quota: 1 + (q1 as usize % n) as u64,
                    });
                }
                let veto: Vec<bool> = veto
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| v && i % 3 == 0)
                    .collect();
                VotingBody::new("random", names(n), conditions, veto, None).expect("valid body")
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn power_indices_match_brute_force_and_sum_to_one(body in arb_body()) {
        let p = power_indices(&body, &PowerOptions { exact: true }).unwrap();
        let e = p.exact.as_ref().unwrap();
        prop_assert_eq!(&e.shapley_shubik, &brute_ss(&body));
        let ss: Rational = e.shapley_shubik.iter().sum();
        prop_assert_eq!(ss, Rational::one());
        let bz: Rational = e.banzhaf_normalized.iter().sum();
        prop_assert_eq!(bz, Rational::one());
        for (i, s) in e.swings.iter().enumerate() {
            // A dummy (never pivotal) gets 0 in every index, and only a dummy does.
            prop_assert_eq!(s.is_zero(), e.shapley_shubik[i].is_zero());
        }
        // A veto member has at least the power of any other member.
        for i in 0..body.len() {
            if body.required[i] {
                for j in 0..body.len() {
                    prop_assert!(e.shapley_shubik[i] >= e.shapley_shubik[j]);
                    prop_assert!(e.swings[i] >= e.swings[j]);
                }
            }
        }
    }

    #[test]
    fn zero_weight_member_is_a_dummy(ws in proptest::collection::vec(1u64..20, 1..8), q in 1u64..200) {
        let mut ws = ws;
        ws.push(0);
        let total: u64 = ws.iter().sum();
        let body = VotingBody::weighted(1 + q % total, ws).unwrap();
        let p = power_indices(&body, &PowerOptions::default()).unwrap();
        let last = body.len() - 1;
        prop_assert_eq!(p.shapley_shubik[last], 0.0);
        prop_assert_eq!(p.banzhaf_absolute[last], 0.0);
    }

    #[test]
    fn shapley_is_efficient_and_symmetric(vals in proptest::collection::vec(-20i64..40, 16)) {
        // A 5-player game where players 0 and 1 are symmetric: v depends on
        // how many of {0, 1} are in S and on the rest of S.
        let g = TuGame::from_int_fn(names(5), 1, |m| {
            if m == 0 { return 0; }
            let pair = (m & 1) + (m >> 1 & 1);
            let rest = (m >> 2) as usize;
            vals[(rest * 2 + pair as usize) % 16]
        }).unwrap();
        let phi = shapley_value(&g);
        let total: Rational = phi.iter().sum();
        prop_assert_eq!(total, g.value(g.grand()));
        prop_assert_eq!(&phi[0], &phi[1]);
        let bz = banzhaf_value(&g);
        prop_assert_eq!(&bz[0], &bz[1]);
    }

    #[test]
    fn null_player_gets_zero(vals in proptest::collection::vec(-20i64..40, 8)) {
        // Player 3 (bit 3) never changes the value.
        let g = TuGame::from_int_fn(names(4), 1, |m| if m & 7 == 0 { 0 } else { vals[(m & 7) as usize] }).unwrap();
        prop_assert!(shapley_value(&g)[3].is_zero());
        prop_assert!(banzhaf_value(&g)[3].is_zero());
    }

    #[test]
    fn core_least_core_and_nucleolus_agree(vals in proptest::collection::vec(0i64..30, 16), n in 2usize..5) {
        let g = TuGame::from_int_fn(names(n), 1, |m| {
            if m == 0 { 0 } else { vals[m as usize % 16] + 3 * m.count_ones() as i64 * m.count_ones() as i64 }
        }).unwrap();
        let lc = least_core(&g).unwrap();
        let core = core_point(&g).unwrap();
        prop_assert_eq!(core.is_some(), lc.epsilon <= Rational::zero());
        if let Some(x) = &core {
            prop_assert!(in_core(&g, x));
        }
        let singles: Rational = (0..n).map(|i| g.value(1 << i)).sum();
        if g.value(g.grand()) >= singles {
            let nu = nucleolus(&g).unwrap();
            let total: Rational = nu.point.iter().sum();
            prop_assert_eq!(total, g.value(g.grand()));
            for i in 0..n {
                prop_assert!(nu.point[i] >= g.value(1 << i));
            }
            // The nucleolus is in the core whenever the core is non-empty.
            if core.is_some() {
                prop_assert!(in_core(&g, &nu.point));
            }
            // Its largest excess is the first LP level.
            prop_assert!(!nu.levels.is_empty());
        }
    }

    #[test]
    fn nash_solution_is_symmetric_for_symmetric_problems(pts in proptest::collection::vec((0i64..20, 0i64..20), 1..6), d in 0i64..5) {
        // Mirror every deal so the problem is symmetric.
        let mut deals = Vec::new();
        for (k, &(a, b)) in pts.iter().enumerate() {
            deals.push(Deal { name: format!("{k}"), payoffs: vec![r(a), r(b)] });
            deals.push(Deal { name: format!("{k}'"), payoffs: vec![r(b), r(a)] });
        }
        let p = BargainingProblem::new(names(2), deals, vec![r(d), r(d)], None).unwrap();
        match nash_solution(&p).unwrap() {
            Solution::Exact(u) => {
                prop_assert_eq!(&u[0], &u[1]);
                prop_assert!(u[0] > r(d));
            }
            Solution::NoAgreement => {
                // Then no deal mixture beats d for both.
                prop_assert!(pts.iter().all(|&(a, b)| a + b <= 2 * d));
            }
            other => prop_assert!(false, "{other:?}"),
        }
    }
}
