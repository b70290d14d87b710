//! Property: backward induction on random perfect-information trees gives
//! profiles with zero Nash regret in every subgame (checked with the
//! general best-response walk, not the one-shot shortcut).

use detente_game::{ExtensiveGame, InfosetSpec, NodeSpec, Outcome, Rational};
use detente_solve::backward::{backward_induction, BackwardOptions};
use detente_solve::behavior::nash_regrets_at;
use detente_solve::subgame::subgame_roots;
use num_traits::Zero;
use proptest::prelude::*;

/// A random tree from a seed list: each draw decides the next node.
fn build(players: usize, draws: &[u8], pays: &[i8]) -> Option<ExtensiveGame> {
    let mut nodes: Vec<NodeSpec> = vec![NodeSpec::default()];
    let mut sets: Vec<InfosetSpec> = Vec::new();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut queue = vec![(0usize, 0usize)];
    let mut d = draws.iter().copied().cycle().take(200);
    let mut p = pays.iter().copied().cycle();
    while let Some((v, depth)) = queue.pop() {
        let x = d.next()?;
        let leaf = depth >= 3 || x % 4 == 0 || nodes.len() > 30;
        if leaf {
            let payoffs = (0..players)
                .map(|_| Rational::from_integer(p.next().unwrap_or(0).into()))
                .collect();
            nodes[v].outcome = Some(outcomes.len());
            outcomes.push(Outcome {
                label: String::new(),
                payoffs,
            });
            continue;
        }
        let k = 2 + (x as usize / 4) % 2;
        let chance = x % 7 == 1;
        sets.push(InfosetSpec {
            label: String::new(),
            player: if chance {
                None
            } else {
                Some((x as usize / 8) % players)
            },
            actions: (0..k).map(|a| format!("a{a}")).collect(),
            probs: if chance {
                (0..k)
                    .map(|_| Rational::new(1.into(), (k as i64).into()))
                    .collect()
            } else {
                vec![]
            },
        });
        nodes[v].infoset = Some(sets.len() - 1);
        for _ in 0..k {
            let c = nodes.len();
            nodes.push(NodeSpec::default());
            nodes[v].children.push(c);
            queue.push((c, depth + 1));
        }
    }
    let names = (0..players).map(|i| format!("P{i}")).collect();
    ExtensiveGame::new(names, nodes, sets, outcomes).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn backward_induction_is_subgame_perfect(
        players in 1usize..4,
        draws in proptest::collection::vec(any::<u8>(), 1..40),
        pays in proptest::collection::vec(-2i8..3, 1..20),
    ) {
        let Some(g) = build(players, &draws, &pays) else { return Ok(()); };
        let res = backward_induction(&g, &BackwardOptions { max_equilibria: 8, ..Default::default() }).unwrap();
        prop_assert!(!res.equilibria.is_empty());
        for eq in &res.equilibria {
            for root in subgame_roots(&g) {
                let reg = nash_regrets_at(&g, &eq.profile, root).unwrap();
                prop_assert!(reg.iter().all(Zero::is_zero));
            }
        }
        // Distinct profiles.
        for (i, a) in res.equilibria.iter().enumerate() {
            for b in &res.equilibria[i + 1..] {
                prop_assert_ne!(&a.profile, &b.profile);
            }
        }
    }
}
