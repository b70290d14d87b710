//! Gauss–Legendre quadrature nodes and weights on `[-1, 1]`, by Newton's
//! method on the Legendre polynomial `P_m` (three-term recurrence), as in
//! G. H. Golub and J. H. Welsch, "Calculation of Gauss quadrature rules",
//! *Mathematics of Computation* 23 (1969) 221–230 (§2). An `m`-node rule
//! integrates polynomials of degree up to `2m − 1` exactly.

/// Nodes and weights of the `m`-node Gauss–Legendre rule on `[-1, 1]`.
pub fn gauss_legendre(m: usize) -> (Vec<f64>, Vec<f64>) {
    let mut xs = vec![0.0; m];
    let mut ws = vec![0.0; m];
    let mf = m as f64;
    for i in 0..m.div_ceil(2) {
        // Initial guess (Tricomi), then Newton.
        let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (mf + 0.5)).cos();
        let mut dp = 1.0;
        for _ in 0..100 {
            let (p, d) = legendre(m, x);
            dp = d;
            let dx = p / d;
            x -= dx;
            if dx.abs() < 1e-16 {
                break;
            }
        }
        let (_, d) = legendre(m, x);
        if d != 0.0 {
            dp = d;
        }
        let w = 2.0 / ((1.0 - x * x) * dp * dp);
        xs[i] = -x;
        xs[m - 1 - i] = x;
        ws[i] = w;
        ws[m - 1 - i] = w;
    }
    (xs, ws)
}

/// `(P_m(x), P_m'(x))`.
fn legendre(m: usize, x: f64) -> (f64, f64) {
    let mut p0 = 1.0;
    let mut p1 = x;
    if m == 0 {
        return (1.0, 0.0);
    }
    for k in 2..=m {
        let kf = k as f64;
        let p2 = ((2.0 * kf - 1.0) * x * p1 - (kf - 1.0) * p0) / kf;
        p0 = p1;
        p1 = p2;
    }
    let d = m as f64 * (x * p1 - p0) / (x * x - 1.0);
    (p1, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_polynomials_exactly() {
        for m in [1usize, 2, 5, 16, 64] {
            let (xs, ws) = gauss_legendre(m);
            let sum: f64 = ws.iter().sum();
            assert!((sum - 2.0).abs() < 1e-13, "m={m}");
            // ∫ x^(2m−2) = 2/(2m−1).
            let deg = 2 * m - 2;
            let val: f64 = xs
                .iter()
                .zip(&ws)
                .map(|(x, w)| w * x.powi(deg as i32))
                .sum();
            assert!(
                (val - 2.0 / (deg as f64 + 1.0)).abs() < 1e-12,
                "m={m}: {val}"
            );
        }
    }
}
