//! Property tests of the readers and writers:
//! * random small strategic games (payoff and outcome forms, awkward
//!   labels with quotes, backslashes, newlines, Unicode) and random small
//!   trees (chance, shared information sets, outcomes on inner nodes)
//!   round-trip: `read(write(g)) == g` and `write(read(write(g))) == write(g)`;
//! * the reduced strategic form of a random tree agrees, cell by cell, with
//!   a direct simulation of the tree under each pure profile;
//! * arbitrary bytes, and valid files with random edits, never make the
//!   readers panic; whatever they accept round-trips.

use detente_game::labels::normalize_labels;
use detente_game::{
    read_efg, read_game, read_game_bytes, read_nfg, write_efg, write_game, write_nfg,
    ExtensiveGame, Game, InfosetSpec, NodeKind, NodeSpec, NormalFormGame, Outcome, Rational,
};
use num_bigint::BigInt;
use num_traits::Zero;
use proptest::prelude::*;

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ]{0,6}",
        1 => proptest::collection::vec(
            prop_oneof![Just('"'), Just('\\'), Just(' '), Just('\n'), Just('é'), Just('{'), Just('x'), Just('_')],
            0..6
        )
        .prop_map(|v| v.into_iter().collect::<String>()),
    ]
}

fn rational() -> impl Strategy<Value = Rational> {
    (-50i64..50, 1i64..12).prop_map(|(n, d)| Rational::new(BigInt::from(n), BigInt::from(d)))
}

fn labels(k: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(label(), k).prop_map(|mut v| {
        normalize_labels(&mut v);
        v
    })
}

fn normal_game() -> impl Strategy<Value = NormalFormGame> {
    proptest::collection::vec(1usize..4, 1..4)
        .prop_flat_map(|shape| {
            let n = shape.len();
            let cells: usize = shape.iter().product();
            let strategies: Vec<_> = shape.iter().map(|&k| labels(k)).collect();
            (
                labels(n),
                strategies,
                proptest::collection::vec(proptest::collection::vec(rational(), n), cells),
                proptest::collection::vec(label(), cells),
                proptest::collection::vec(proptest::option::of(0usize..4), cells),
                any::<bool>(),
                label(),
                label(),
            )
        })
        .prop_map(
            |(players, strategies, payoffs, olabels, cells, payoff_form, title, comment)| {
                let mut g = if payoff_form {
                    NormalFormGame::from_payoffs(players, strategies, payoffs).expect("valid")
                } else {
                    let outcomes: Vec<Outcome> = payoffs
                        .iter()
                        .take(4)
                        .zip(&olabels)
                        .map(|(p, l)| Outcome {
                            label: l.clone(),
                            payoffs: p.clone(),
                        })
                        .collect();
                    let m = outcomes.len();
                    let cells = cells.into_iter().map(|c| c.map(|k| k % m)).collect();
                    NormalFormGame::from_outcomes(players, strategies, outcomes, cells)
                        .expect("valid")
                };
                g.title = title;
                g.comment = comment;
                g
            },
        )
}

/// Builds a random tree from a stream of random numbers.
struct TreeGen<'a> {
    rnd: &'a [u32],
    at: usize,
    n: usize,
    nodes: Vec<NodeSpec>,
    sets: Vec<InfosetSpec>,
    outcomes: Vec<Outcome>,
}

impl TreeGen<'_> {
    fn draw(&mut self, k: u32) -> u32 {
        let v =
            self.rnd[self.at % self.rnd.len()].wrapping_add(self.at as u32 / self.rnd.len() as u32);
        self.at += 1;
        v % k.max(1)
    }

    fn node(&mut self, depth: usize) -> usize {
        let id = self.nodes.len();
        self.nodes.push(NodeSpec::default());
        self.nodes[id].label = ["", "a", "dup", "x\"y"][self.draw(4) as usize].to_string();
        // Outcome: none, an existing one, or a new one.
        let o = self.draw(4);
        if o == 1 && !self.outcomes.is_empty() {
            self.nodes[id].outcome = Some(self.draw(self.outcomes.len() as u32) as usize);
        } else if o >= 2 {
            let payoffs = (0..self.n)
                .map(|_| {
                    Rational::new(
                        BigInt::from(self.draw(21) as i64 - 10),
                        BigInt::from(1 + self.draw(4) as i64),
                    )
                })
                .collect();
            let label = ["", "o", "win"][self.draw(3) as usize].to_string();
            self.outcomes.push(Outcome { label, payoffs });
            self.nodes[id].outcome = Some(self.outcomes.len() - 1);
        }
        if depth >= 5 || self.nodes.len() > 40 || (depth > 0 && self.draw(3) == 0) {
            return id;
        }
        let who = self.draw(self.n as u32 + 1) as usize;
        let player = (who < self.n).then_some(who);
        // Join an existing set of this player, or make a new one.
        let candidates: Vec<usize> = (0..self.sets.len())
            .filter(|&s| self.sets[s].player == player)
            .collect();
        let set = if !candidates.is_empty() && self.draw(2) == 0 {
            candidates[self.draw(candidates.len() as u32) as usize]
        } else {
            let k = 1 + self.draw(3) as usize;
            let probs = if player.is_none() {
                let w: Vec<i64> = (0..k).map(|_| self.draw(4) as i64 + 1).collect();
                let total: i64 = w.iter().sum();
                w.iter()
                    .map(|&x| Rational::new(BigInt::from(x), BigInt::from(total)))
                    .collect()
            } else {
                vec![]
            };
            let label = ["", "I", "dup"][self.draw(3) as usize].to_string();
            let actions = (0..k)
                .map(|a| ["", "L", "R", "L"][(a + self.draw(2) as usize) % 4].to_string())
                .collect();
            self.sets.push(InfosetSpec {
                label,
                player,
                actions,
                probs,
            });
            self.sets.len() - 1
        };
        self.nodes[id].infoset = Some(set);
        let k = self.sets[set].actions.len();
        for _ in 0..k {
            let c = self.node(depth + 1);
            self.nodes[id].children.push(c);
        }
        id
    }
}

fn tree() -> impl Strategy<Value = ExtensiveGame> {
    (
        1usize..4,
        proptest::collection::vec(any::<u32>(), 8..64),
        label(),
        label(),
    )
        .prop_map(|(n, rnd, title, comment)| {
            let mut g = TreeGen {
                rnd: &rnd,
                at: 0,
                n,
                nodes: vec![],
                sets: vec![],
                outcomes: vec![],
            };
            g.node(0);
            let mut players: Vec<String> = (0..n).map(|i| format!("P{i}")).collect();
            normalize_labels(&mut players);
            let mut t = ExtensiveGame::new(players, g.nodes, g.sets, g.outcomes)
                .expect("generated tree is valid");
            t.title = title;
            t.comment = comment;
            t
        })
}

/// Expected payoffs of a pure profile (choices per player and own set),
/// by walking the tree: an independent check of the reduced form.
fn simulate(t: &ExtensiveGame, choices: &[Vec<Option<usize>>]) -> Vec<Rational> {
    let n = t.num_players();
    let mut total = vec![Rational::zero(); n];
    let mut pos = vec![0usize; t.infosets().len()];
    for p in 0..n {
        for (i, &s) in t.player_infosets(p).iter().enumerate() {
            pos[s] = i;
        }
    }
    let mut stack = vec![(t.root(), Rational::from_integer(1.into()))];
    while let Some((v, w)) = stack.pop() {
        if let Some(pay) = t.node_payoffs(v) {
            for (x, y) in total.iter_mut().zip(pay) {
                *x += &w * y;
            }
        }
        let node = t.node(v);
        match t.node_kind(v) {
            NodeKind::Terminal => {}
            NodeKind::Chance => {
                let probs = t.chance_probs(v).expect("chance");
                for (c, p) in node.children().iter().zip(probs) {
                    stack.push((*c, &w * p));
                }
            }
            NodeKind::Personal(p) => {
                let s = node.infoset().expect("set");
                let a = choices[p][pos[s]].expect("a reachable set has a choice");
                stack.push((node.children()[a], w));
            }
        }
    }
    total
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn normal_games_round_trip(g in normal_game()) {
        let text = write_nfg(&g);
        let back = read_nfg(&text, "w.nfg").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &g);
        prop_assert_eq!(write_nfg(&back), text);
    }

    #[test]
    fn trees_round_trip_and_reduce_correctly(t in tree()) {
        let text = write_efg(&t);
        let back = read_efg(&text, "w.efg").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &t);
        prop_assert_eq!(write_efg(&back), text.clone());
        let nf = t.reduced_normal_form().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let strategies = t.reduced_strategies().map_err(|e| TestCaseError::fail(e.to_string()))?;
        for c in 0..nf.num_profiles() {
            let prof = nf.profile_at(c);
            let choices: Vec<Vec<Option<usize>>> =
                prof.iter().enumerate().map(|(p, &s)| strategies[p][s].choices.clone()).collect();
            prop_assert_eq!(nf.payoffs_at(c).to_vec(), simulate(&t, &choices), "cell {} of\n{}", c, text);
        }
        // The strategic form itself round-trips through .nfg.
        let nft = write_nfg(&nf);
        prop_assert_eq!(read_nfg(&nft, "nf.nfg").map_err(|e| TestCaseError::fail(e.to_string()))?, nf);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = read_game_bytes(&bytes, "fuzz");
        let mut prefixed = b"NFG 1 R \"\" { \"a\" \"b\" } ".to_vec();
        prefixed.extend_from_slice(&bytes);
        let _ = read_game_bytes(&prefixed, "fuzz.nfg");
        let mut prefixed = b"EFG 2 R \"\" { \"a\" \"b\" } ".to_vec();
        prefixed.extend_from_slice(&bytes);
        let _ = read_game_bytes(&prefixed, "fuzz.efg");
    }

    #[test]
    fn edited_files_never_panic_and_round_trip_if_accepted(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<usize>(), 0usize..3, prop::sample::select(
            vec!["{", "}", ",", "\"", "\\", " ", "\n", "0", "1", "-1", "1/2", "p", "c", "t", "2", "3", "e5", ".", "\"x\""])), 1..6),
    ) {
        let samples = [
            "NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 }\n\"c\"\n1 1 0 2 0 2 1 1\n",
            "NFG 1 R \"t\" { \"A\" \"B\" } { { \"a\" \"b\" } { \"x\" } }\n\"\"\n{ { \"o\" 1, 2 } { \"\" 3 4 } }\n1 2\n",
            "EFG 2 R \"t\" { \"A\" \"B\" }\n\"\"\nc \"\" 1 \"\" { \"H\" 1/2 \"T\" 1/2 } 0\np \"\" 1 1 \"\" { \"L\" \"R\" } 1 \"o\" { 1, -1 }\nt \"\" 2 \"w\" { 2, 0 }\np \"\" 2 1 \"\" { \"l\" } 0\nt \"\" 0\nt \"\" 1\n",
        ];
        let mut text = samples[which].to_string();
        for (at, op, piece) in edits {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match op {
                0 => text.insert_str(at, piece),
                1 => {
                    let end = (at + piece.len()).min(text.len());
                    if text.is_char_boundary(end) {
                        text.replace_range(at..end, piece);
                    }
                }
                _ => {
                    let end = (at + 1 + piece.len() % 3).min(text.len());
                    if text.is_char_boundary(end) {
                        text.replace_range(at..end, "");
                    }
                }
            }
        }
        if let Ok(g) = read_game(&text, "edited") {
            let w = write_game(&g);
            let back = read_game(&w, "rewritten").map_err(|e| TestCaseError::fail(format!("{e}\n{w}")))?;
            prop_assert_eq!(&back, &g);
            if let Game::Extensive(t) = &g {
                let _ = t.reduced_normal_form();
            }
        }
    }
}
