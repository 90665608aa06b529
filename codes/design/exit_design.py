#!/usr/bin/env python3
"""EXIT-chart (Gaussian approximation) design of irregular LDPC degree distributions.

For a target design rate R: rho is concentrated on two consecutive check degrees; for each mean check
degree, a linear program picks the variable-edge distribution lambda that maximises the rate while the
variable-node EXIT curve stays above the inverse check-node curve (open tunnel) with a margin; the
channel (BSC with crossover p) enters as the Gaussian LLR with the same mutual information 1 - h(p).
A bisection on p finds the largest p (threshold) at which rate R is still reachable.
Needs python3-scipy (Debian package). Usage: exit_design.py RATE MAX_VAR_DEGREE > rate-R.dist
"""
import math, sys
from scipy.optimize import linprog

H1, H2, H3 = 0.3073, 0.8935, 1.1064  # ten Brink / Brannstrom J-function fit


def J(s):
    if s <= 0: return 0.0
    return (1 - 2 ** (-H1 * s ** (2 * H2))) ** H3


def Jinv(i):
    i = min(max(i, 1e-12), 1 - 1e-12)
    return (-math.log2(1 - i ** (1 / H3)) / H1) ** (1 / (2 * H2))


def h2(p):
    return -p * math.log2(p) - (1 - p) * math.log2(1 - p)


def rho_of(dc_mean):
    lo = int(math.floor(dc_mean))
    frac_hi_nodes = dc_mean - lo  # node fractions giving mean degree dc_mean
    # edge fractions from node fractions
    e_lo, e_hi = (1 - frac_hi_nodes) * lo, frac_hi_nodes * (lo + 1)
    t = e_lo + e_hi
    return {lo: e_lo / t, lo + 1: e_hi / t} if frac_hi_nodes > 1e-9 else {lo: 1.0}


def check_exit(x, rho):
    return 1 - sum(r * J(math.sqrt(d - 1) * Jinv(1 - x)) for d, r in rho.items())


GRID = [k / 400 for k in range(1, 400)] + [0.9975, 0.999]


def best_lambda(p, rho, degrees, margin):
    s_ch = Jinv(1 - h2(p))
    b = 2 * math.sqrt(p * (1 - p))
    rho_prime = sum(r * (d - 1) for d, r in rho.items())
    A, bnd = [], []
    for x in GRID:
        y = Jinv(check_exit(x, rho))
        A.append([-J(math.sqrt((d - 1) * y * y + s_ch * s_ch)) for d in degrees])
        bnd.append(-(x + margin * (1 - x)))
    if 2 in degrees:  # stability at the fixed point: lambda2 rho'(1) B < 1
        A.append([1.0 if d == 2 else 0.0 for d in degrees]); bnd.append(0.95 / (b * rho_prime))
    res = linprog([-1.0 / d for d in degrees], A_ub=A, b_ub=bnd, A_eq=[[1.0] * len(degrees)], b_eq=[1.0],
                  bounds=[(0, 1)] * len(degrees), method="highs")
    if not res.success: return None, -1
    lam = dict(zip(degrees, res.x))
    rate = 1 - sum(r / d for d, r in rho.items()) / sum(l / d for d, l in lam.items())
    return lam, rate


def design(rate, dv_max, margin=0.02):
    degrees = [d for d in (2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 23, 26, 30, 35, 40, 50) if d <= dv_max]
    best = None
    dc = max(4.0, 2.5 / (1 - rate))
    while dc <= 70:
        rho = rho_of(dc)
        lo_p, hi_p = 1e-4, 0.2
        if best_lambda(lo_p, rho, degrees, margin)[1] < rate:
            dc += 0.5; continue
        for _ in range(30):
            mid = (lo_p + hi_p) / 2
            if best_lambda(mid, rho, degrees, margin)[1] >= rate: lo_p = mid
            else: hi_p = mid
        if best is None or lo_p > best[0]: best = (lo_p, dc, rho)
        elif lo_p < best[0] * 0.98: break
        dc += 0.5
    p, dc, rho = best
    # at the threshold the LP maximises rate; re-solve a hair below it so rate >= R with a little slack
    lam, r = best_lambda(p * 0.999, rho, degrees, margin)
    return p, dc, rho, lam, r


if __name__ == "__main__":
    R, dvmax = float(sys.argv[1]), int(sys.argv[2])
    margin = float(sys.argv[3]) if len(sys.argv) > 3 else 0.02
    p, dc, rho, lam, r = design(R, dvmax, margin)
    print(f"# EXIT-chart (Gaussian approximation) design, codes/design/exit_design.py {R} {dvmax} {margin}")
    print(f"# design rate {R}, LP rate {r:.4f}, GA threshold p* = {p:.4f} (BSC via equal capacity),"
          f" asymptotic f = (1-R)/h(p*) = {(1 - R) / h2(p):.3f}, mean check degree {dc}")
    print("# format: 'lambda D FRACTION' / 'rho D FRACTION', edge perspective; see codes/README.md")
    for d, l in sorted(lam.items()):
        if l > 1e-4: print(f"lambda {d} {l:.6f}")
    for d, q in sorted(rho.items()):
        print(f"rho {d} {q:.6f}")
