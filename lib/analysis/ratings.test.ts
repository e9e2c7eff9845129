import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import {
  bradleyTerry,
  bradleyTerryIntervals,
  eloExpected,
  eloRatings,
  type PairwiseOutcome,
  type Rating,
} from "./ratings";

const win = (a: string, b: string): PairwiseOutcome => ({ a, b, scoreA: 1 });
const byName = (ratings: readonly Rating[]) => Object.fromEntries(ratings.map((r) => [r.player, r.rating]));

describe("eloRatings", () => {
  it("matches updates worked by hand (K = 32)", () => {
    // Game 1: equal ratings, expected 0.5 each; A wins: A 1500 + 32·0.5 = 1516, B 1484.
    expect(byName(eloRatings([win("A", "B")]))).toEqual({ A: 1516, B: 1484 });
    // Game 2: B (1484) beats A (1516). B's expected score 1/(1 + 10^(32/400)) = 1/(1 + 1.2022644) = 0.4540781,
    // so B gains 32·(1 − 0.4540781) = 17.4695015: B 1501.4695015, A 1498.5304985.
    const two = byName(eloRatings([win("A", "B"), win("B", "A")]));
    expect(two.A).toBeCloseTo(1498.5304985, 6);
    expect(two.B).toBeCloseTo(1501.4695015, 6);
    // Game 3: a draw; A's expected 1/(1 + 10^(2.939003/400)) = 0.4957708, A gains 32·(0.5 − 0.4957708) = 0.1353429.
    const three = eloRatings([win("A", "B"), win("B", "A"), { a: "A", b: "B", scoreA: 0.5 }]);
    expect(byName(three).A).toBeCloseTo(1498.6658413, 6);
    expect(byName(three).B).toBeCloseTo(1501.3341587, 6);
    expect(three.map((r) => r.player)).toEqual(["B", "A"]);
    expect(three[0]).toMatchObject({ games: 3, score: 1.5 });
  });

  it("conserves the total, honours K and the starting rating, and depends on order", () => {
    const outcomes = [win("A", "B"), win("C", "A"), win("C", "B"), { a: "B", b: "A", scoreA: 0.5 }];
    const ratings = eloRatings(outcomes, { k: 16, initial: 1000 });
    expect(ratings.reduce((sum, r) => sum + r.rating, 0)).toBeCloseTo(3000, 9);
    expect(byName(eloRatings([win("A", "B")], { k: 10, initial: 1000 }))).toEqual({ A: 1005, B: 995 });
    expect(byName(eloRatings([win("A", "B"), win("B", "A")])).A).not.toBeCloseTo(
      byName(eloRatings([win("B", "A"), win("A", "B")])).A ?? 0,
      3,
    );
    expect(eloExpected(1600, 1200)).toBeCloseTo(10 / 11, 14); // 400 points = 10:1 odds
    expect(eloRatings([])).toEqual([]);
    expect(() => eloRatings([win("A", "A")])).toThrow(RangeError);
    expect(() => eloRatings([{ a: "A", b: "B", scoreA: 2 }])).toThrow(RangeError);
    expect(() => eloRatings([win("A", "B")], { k: 0 })).toThrow(RangeError);
  });
});

describe("bradleyTerry", () => {
  it("gives a strength ratio of 3 for 3 wins to 1 (the closed-form MLE), without a prior", () => {
    const fit = bradleyTerry([win("A", "B"), win("A", "B"), win("A", "B"), win("B", "A")], { prior: 0 });
    // π_A/π_B = 3 → 400·log10 3 = 190.849 points apart, centred on 1500.
    const half = 200 * Math.log10(3);
    expect(byName(fit.ratings).A).toBeCloseTo(1500 + half, 8);
    expect(byName(fit.ratings).B).toBeCloseTo(1500 - half, 8);
    expect(fit.converged).toBe(true);
    expect(fit.ratings[0]).toMatchObject({ player: "A", games: 4, score: 3 });
  });

  it("recovers a known three-player solution", () => {
    // With π = (4, 2, 1) the expected wins are A–B 6·4/6 = 4 : 2, A–C 5·4/5 = 4 : 1, B–C 3·2/3 = 2 : 1. Data with
    // exactly those results satisfy the likelihood equations at π = (4, 2, 1), the unique MLE up to scale.
    const outcomes = [
      ...Array.from({ length: 4 }, () => win("A", "B")),
      ...Array.from({ length: 2 }, () => win("B", "A")),
      ...Array.from({ length: 4 }, () => win("A", "C")),
      win("C", "A"),
      win("B", "C"),
      win("B", "C"),
      win("C", "B"),
    ];
    const ratings = byName(bradleyTerry(outcomes, { prior: 0 }).ratings);
    // 400·log10(4, 2, 1) = 240.824, 120.412, 0; mean 120.412 → 1620.412, 1500, 1379.588.
    const step = 400 * Math.log10(2);
    expect(ratings.A).toBeCloseTo(1500 + step, 8);
    expect(ratings.B).toBeCloseTo(1500, 8);
    expect(ratings.C).toBeCloseTo(1500 - step, 8);
    // Order does not matter.
    const shuffled = [...outcomes].reverse();
    expect(byName(bradleyTerry(shuffled, { prior: 0 }).ratings).A).toBeCloseTo(ratings.A ?? 0, 8);
  });

  it("counts a draw as half a win each", () => {
    // 2 wins + 2 draws for A out of 4 = 3 points to 1, the same likelihood equations as 3 wins to 1.
    const fit = bradleyTerry(
      [win("A", "B"), win("A", "B"), ...Array.from({ length: 2 }, () => ({ a: "B", b: "A", scoreA: 0.5 }))],
      {
        prior: 0,
      },
    );
    expect((byName(fit.ratings).A ?? 0) - (byName(fit.ratings).B ?? 0)).toBeCloseTo(400 * Math.log10(3), 8);
  });

  it("gives finite ratings to a player who never won, via the prior, and refuses without one", () => {
    const outcomes = [win("A", "B"), win("A", "B"), win("A", "B")];
    expect(() => bradleyTerry(outcomes, { prior: 0 })).toThrow(/do not exist/);
    const fit = bradleyTerry(outcomes); // prior: one virtual draw each against a reference of strength 1
    const ratings = byName(fit.ratings);
    expect(Number.isFinite(ratings.A) && Number.isFinite(ratings.B)).toBe(true);
    expect((ratings.A ?? 0) + (ratings.B ?? 0)).toBeCloseTo(3000, 8);

    // Independent solution: the penalised likelihood equations
    //   A: 3 + ½ = 3·a/(a + b) + a/(a + 1)     B: 0 + ½ = 3·b/(a + b) + b/(b + 1)
    // solved by nested bisection (for each b, A's equation is increasing in a).
    const solveA = (b: number) => {
      let [lo, hi] = [1e-9, 1e9];
      for (let i = 0; i < 300; i++) {
        const a = Math.sqrt(lo * hi);
        if ((3 * a) / (a + b) + a / (a + 1) < 3.5) lo = a;
        else hi = a;
      }
      return Math.sqrt(lo * hi);
    };
    let [lo, hi] = [1e-9, 1e9];
    for (let i = 0; i < 300; i++) {
      const b = Math.sqrt(lo * hi);
      const a = solveA(b);
      if ((3 * b) / (a + b) + b / (b + 1) < 0.5) lo = b;
      else hi = b;
    }
    const b = Math.sqrt(lo * hi);
    const a = solveA(b);
    expect((ratings.A ?? 0) - (ratings.B ?? 0)).toBeCloseTo(400 * Math.log10(a / b), 6);
    // A stronger prior pulls the two closer together.
    const strong = byName(bradleyTerry(outcomes, { prior: 10 }).ratings);
    expect((strong.A ?? 0) - (strong.B ?? 0)).toBeLessThan((ratings.A ?? 0) - (ratings.B ?? 0));
  });

  it("recovers true ratings from many simulated games", () => {
    const truth: Record<string, number> = { A: 1650, B: 1500, C: 1450, D: 1400 };
    const players = Object.keys(truth);
    const rng = mulberry32(17);
    const outcomes: PairwiseOutcome[] = [];
    for (let g = 0; g < 6000; g++) {
      const i = Math.floor(rng() * 4);
      const j = (i + 1 + Math.floor(rng() * 3)) % 4;
      const a = players[i] ?? "A";
      const b = players[j] ?? "B";
      outcomes.push({ a, b, scoreA: rng() < eloExpected(truth[a] ?? 0, truth[b] ?? 0) ? 1 : 0 });
    }
    const fitted = byName(bradleyTerry(outcomes).ratings);
    for (const p of players) expect(Math.abs((fitted[p] ?? 0) - (truth[p] ?? 0))).toBeLessThan(25);
  });
});

describe("bradleyTerryIntervals", () => {
  const outcomes: PairwiseOutcome[] = [];
  const rng = mulberry32(5);
  for (let g = 0; g < 120; g++) {
    const pair = [
      ["A", "B"],
      ["B", "C"],
      ["A", "C"],
    ][g % 3] ?? ["A", "B"];
    const [a = "A", b = "B"] = pair;
    outcomes.push({ a, b, scoreA: rng() < (a === "A" ? 0.7 : 0.6) ? 1 : 0 });
  }

  it("brackets each rating and is reproducible with a seed", () => {
    const result = bradleyTerryIntervals(outcomes, { replicates: 300, seed: 9 });
    const point = byName(bradleyTerry(outcomes).ratings);
    expect(result.replicates).toBe(300);
    expect(result.skipped).toBe(0);
    for (const r of result.ratings) {
      expect(r.rating).toBeCloseTo(point[r.player] ?? 0, 8);
      expect(r.lower).toBeLessThan(r.rating);
      expect(r.upper).toBeGreaterThan(r.rating);
    }
    expect(bradleyTerryIntervals(outcomes, { replicates: 300, seed: 9 })).toEqual(result);
    expect(bradleyTerryIntervals(outcomes, { replicates: 300, seed: 10 })).not.toEqual(result);
  });

  it("narrows with more games", () => {
    const width = (games: PairwiseOutcome[]) => {
      const r = bradleyTerryIntervals(games, { replicates: 300 }).ratings.find((x) => x.player === "A");
      return (r?.upper ?? 0) - (r?.lower ?? 0);
    };
    expect(width([...outcomes, ...outcomes, ...outcomes, ...outcomes])).toBeLessThan(width(outcomes));
  });

  it("skips replicates without a maximum-likelihood fit when there is no prior", () => {
    // B beat A once and lost once: a replicate without B's win has no finite MLE.
    const sparse = [win("A", "B"), win("B", "A"), win("A", "B")];
    const result = bradleyTerryIntervals(sparse, { prior: 0, replicates: 200, seed: 2 });
    expect(result.skipped).toBeGreaterThan(0);
    expect(result.replicates + result.skipped).toBe(200);
    expect(() => bradleyTerryIntervals(sparse, { replicates: 0 })).toThrow(RangeError);
  });
});
