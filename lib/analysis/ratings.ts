/**
 * Ratings from pairwise outcomes (debater vs debater, model vs model): sequential Elo, and Bradley–Terry strengths
 * fitted by maximum likelihood with bootstrap intervals.
 *
 * Both report on the Elo scale: a rating difference D means an expected score of 1 / (1 + 10^(−D/400)) for the
 * higher-rated player. Bradley–Terry strengths π are reported as 400·log10(π), shifted so the players' mean is 1500.
 */
import type { BootstrapOptions } from "./bootstrap";
import { quantileSorted } from "./quantile";
import { drawMultiplicities, seededRng } from "./random";

/** One game: players a and b, and a's score: 1 if a won, 0 if b won, 0.5 for a draw (any value in [0, 1] works). */
export interface PairwiseOutcome {
  a: string;
  b: string;
  scoreA: number;
}

/** A player's rating and record. */
export interface Rating {
  player: string;
  rating: number;
  /** Games played. */
  games: number;
  /** Points scored (1 per win, 0.5 per draw). */
  score: number;
}

/** The Elo rating scale: 400 points = 10:1 odds. */
const SCALE = 400;
/** The ratings' mean (Bradley–Terry) or starting value (Elo). */
export const BASE_RATING = 1500;

/** Players in order of first appearance, with each outcome's player indices; throws RangeError on a bad outcome. */
function indexPlayers(outcomes: readonly PairwiseOutcome[]) {
  const index = new Map<string, number>();
  const players: string[] = [];
  const add = (name: string) => {
    let i = index.get(name);
    if (i === undefined) {
      i = players.length;
      index.set(name, i);
      players.push(name);
    }
    return i;
  };
  const a = new Int32Array(outcomes.length);
  const b = new Int32Array(outcomes.length);
  const scoreA = new Float64Array(outcomes.length);
  outcomes.forEach((o, k) => {
    if (o.a === o.b) throw new RangeError(`outcome ${k}: "${o.a}" cannot play itself`);
    if (!(o.scoreA >= 0 && o.scoreA <= 1))
      throw new RangeError(`outcome ${k}: scoreA must be in [0, 1], got ${o.scoreA}`);
    a[k] = add(o.a);
    b[k] = add(o.b);
    scoreA[k] = o.scoreA;
  });
  return { players, a, b, scoreA };
}

function sortRatings<T extends Rating>(ratings: T[]): T[] {
  return ratings.sort((x, y) => y.rating - x.rating || (x.player < y.player ? -1 : x.player > y.player ? 1 : 0));
}

function records(players: readonly string[], a: Int32Array, b: Int32Array, scoreA: Float64Array) {
  const games = new Float64Array(players.length);
  const score = new Float64Array(players.length);
  for (let k = 0; k < a.length; k++) {
    const i = a[k] ?? 0;
    const j = b[k] ?? 0;
    const s = scoreA[k] ?? 0;
    games[i] = (games[i] ?? 0) + 1;
    games[j] = (games[j] ?? 0) + 1;
    score[i] = (score[i] ?? 0) + s;
    score[j] = (score[j] ?? 0) + 1 - s;
  }
  return { games, score };
}

/** Elo's expected score of a player rated `rating` against one rated `opponent`: 1 / (1 + 10^((opponent − rating)/400)). */
export function eloExpected(rating: number, opponent: number): number {
  return 1 / (1 + 10 ** ((opponent - rating) / SCALE));
}

/** Options of {@link eloRatings}. */
export interface EloOptions {
  /** The K factor: the most a rating moves in one game (default 32). */
  k?: number;
  /** Every player's starting rating (default 1500). */
  initial?: number;
}

/**
 * Sequential Elo ratings: outcomes are applied in the order given; each game moves both players by
 * K·(score − expected), with expected from their ratings before that game (so the total is conserved). Order
 * matters: Elo tracks a changing skill. Sorted by rating, highest first (ties by name).
 */
export function eloRatings(outcomes: readonly PairwiseOutcome[], options: EloOptions = {}): Rating[] {
  const k = options.k ?? 32;
  const initial = options.initial ?? BASE_RATING;
  if (!(k > 0 && Number.isFinite(k))) throw new RangeError(`k must be a positive number, got ${k}`);
  if (!Number.isFinite(initial)) throw new RangeError(`initial must be a finite number, got ${initial}`);
  const { players, a, b, scoreA } = indexPlayers(outcomes);
  const rating = new Float64Array(players.length).fill(initial);
  for (let g = 0; g < a.length; g++) {
    const i = a[g] ?? 0;
    const j = b[g] ?? 0;
    const ri = rating[i] ?? initial;
    const rj = rating[j] ?? initial;
    const delta = k * ((scoreA[g] ?? 0) - eloExpected(ri, rj));
    rating[i] = ri + delta;
    rating[j] = rj - delta;
  }
  const { games, score } = records(players, a, b, scoreA);
  return sortRatings(
    players.map((player, i) => ({ player, rating: rating[i] ?? initial, games: games[i] ?? 0, score: score[i] ?? 0 })),
  );
}

/** Options of {@link bradleyTerry}. */
export interface BradleyTerryOptions {
  /**
   * Virtual drawn games each player plays against a fixed reference player of strength 1 (default 1;
   * 0 for the plain maximum-likelihood fit). A draw is half a win and half a loss, so this keeps every strength
   * finite — a player who never won (or never lost) would otherwise have a rating of −∞ (+∞) — and pulls ratings
   * built on few games towards the middle.
   */
  prior?: number;
  /** Stop when no log-strength changes by more than this in a sweep (default 1e-12). */
  tolerance?: number;
  /** Give up after this many sweeps (default 100,000); `converged` is then false. */
  maxIterations?: number;
}

/** A Bradley–Terry fit. */
export interface BradleyTerryFit {
  /** Sorted by rating, highest first. Ratings have mean 1500. */
  ratings: Rating[];
  /** MM sweeps used. */
  iterations: number;
  converged: boolean;
}

/** Games and the first player's points, aggregated per pair of players. */
interface PairTable {
  players: number;
  /** Per pair: its two players (i < j). */
  first: Int32Array;
  second: Int32Array;
  /** Per outcome: its pair, and the points of that pair's first player. */
  outcomePair: Int32Array;
  outcomeScore: Float64Array;
  /** Per player, the pairs it belongs to (CSR: pairs of player p are adjacency[offsets[p] .. offsets[p + 1])). */
  offsets: Int32Array;
  adjacency: Int32Array;
}

function pairTable(playerCount: number, a: Int32Array, b: Int32Array, scoreA: Float64Array): PairTable {
  const pairIndex = new Map<number, number>();
  const first: number[] = [];
  const second: number[] = [];
  const outcomePair = new Int32Array(a.length);
  const outcomeScore = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) {
    const x = a[k] ?? 0;
    const y = b[k] ?? 0;
    const [i, j] = x < y ? [x, y] : [y, x];
    const key = i * playerCount + j;
    let p = pairIndex.get(key);
    if (p === undefined) {
      p = first.length;
      pairIndex.set(key, p);
      first.push(i);
      second.push(j);
    }
    outcomePair[k] = p;
    outcomeScore[k] = x === i ? (scoreA[k] ?? 0) : 1 - (scoreA[k] ?? 0);
  }
  const degree = new Int32Array(playerCount + 1);
  for (let p = 0; p < first.length; p++) {
    for (const player of [first[p] ?? 0, second[p] ?? 0]) degree[player + 1] = (degree[player + 1] ?? 0) + 1;
  }
  const offsets = new Int32Array(playerCount + 1);
  for (let i = 0; i < playerCount; i++) offsets[i + 1] = (offsets[i] ?? 0) + (degree[i + 1] ?? 0);
  const fill = offsets.slice(0, playerCount);
  const adjacency = new Int32Array(2 * first.length);
  for (let p = 0; p < first.length; p++) {
    for (const player of [first[p] ?? 0, second[p] ?? 0]) {
      adjacency[fill[player] ?? 0] = p;
      fill[player] = (fill[player] ?? 0) + 1;
    }
  }
  return {
    players: playerCount,
    first: Int32Array.from(first),
    second: Int32Array.from(second),
    outcomePair,
    outcomeScore,
    offsets,
    adjacency,
  };
}

/** Games and first-player points per pair, each outcome counted `weights[k]` times (1 if no weights). */
function aggregate(table: PairTable, weights?: Int32Array): { games: Float64Array; points: Float64Array } {
  const games = new Float64Array(table.first.length);
  const points = new Float64Array(table.first.length);
  for (let k = 0; k < table.outcomePair.length; k++) {
    const w = weights ? (weights[k] ?? 0) : 1;
    if (w === 0) continue;
    const p = table.outcomePair[k] ?? 0;
    games[p] = (games[p] ?? 0) + w;
    points[p] = (points[p] ?? 0) + w * (table.outcomeScore[k] ?? 0);
  }
  return { games, points };
}

/**
 * Whether the plain maximum-likelihood fit exists: every player must be reachable from every other along "scored
 * against" edges (Hunter 2004, Assumption 1). Otherwise someone's strength runs off to 0 or ∞.
 */
function stronglyConnected(table: PairTable, games: Float64Array, points: Float64Array): boolean {
  const n = table.players;
  if (n <= 1) return true;
  const reach = (forward: boolean) => {
    const seen = new Uint8Array(n);
    const stack = [0];
    seen[0] = 1;
    let count = 1;
    while (stack.length > 0) {
      const i = stack.pop() ?? 0;
      for (let e = table.offsets[i] ?? 0; e < (table.offsets[i + 1] ?? 0); e++) {
        const p = table.adjacency[e] ?? 0;
        const isFirst = table.first[p] === i;
        const j = isFirst ? (table.second[p] ?? 0) : (table.first[p] ?? 0);
        // Points i scored against j; an edge i → j means i beat j at least partly.
        const scored = isFirst ? (points[p] ?? 0) : (games[p] ?? 0) - (points[p] ?? 0);
        const conceded = (games[p] ?? 0) - scored;
        if ((forward ? scored : conceded) > 0 && !seen[j]) {
          seen[j] = 1;
          count++;
          stack.push(j);
        }
      }
    }
    return count === n;
  };
  return reach(true) && reach(false);
}

/**
 * Minorisation–maximisation (Hunter 2004), one player at a time: π_i ← W_i / Σ_j n_ij / (π_i + π_j), where the sums
 * include `prior` virtual draws against a reference of strength 1. Each sweep is followed by an exact step along the
 * common scale (which the prior alone pins down). Updates `strength` in place; returns the sweeps used and whether
 * it converged. Without a prior, strengths are rescaled to geometric mean 1 after each sweep.
 */
function fitMM(
  table: PairTable,
  games: Float64Array,
  points: Float64Array,
  strength: Float64Array,
  prior: number,
  tolerance: number,
  maxIterations: number,
): { iterations: number; converged: boolean } {
  const n = table.players;
  const wins = new Float64Array(n).fill(prior / 2);
  for (let p = 0; p < table.first.length; p++) {
    const i = table.first[p] ?? 0;
    const j = table.second[p] ?? 0;
    wins[i] = (wins[i] ?? 0) + (points[p] ?? 0);
    wins[j] = (wins[j] ?? 0) + (games[p] ?? 0) - (points[p] ?? 0);
  }
  const before = new Float64Array(n);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    before.set(strength);
    for (let i = 0; i < n; i++) {
      const pi = strength[i] ?? 1;
      let denominator = prior > 0 ? prior / (pi + 1) : 0;
      for (let e = table.offsets[i] ?? 0; e < (table.offsets[i + 1] ?? 0); e++) {
        const p = table.adjacency[e] ?? 0;
        const j = table.first[p] === i ? (table.second[p] ?? 0) : (table.first[p] ?? 0);
        denominator += (games[p] ?? 0) / (pi + (strength[j] ?? 1));
      }
      strength[i] = (wins[i] ?? 0) / denominator;
    }
    if (prior === 0) {
      // Only ratios are identified: rescale to geometric mean 1.
      let logMean = 0;
      for (let i = 0; i < n; i++) logMean += Math.log(strength[i] ?? 1);
      const scale = Math.exp(logMean / n);
      for (let i = 0; i < n; i++) strength[i] = (strength[i] ?? 1) / scale;
    } else {
      // The common level of all players against the reference is pinned only by the weak prior, and coordinate-wise
      // MM crawls along that direction. Maximise along it exactly: the real games do not depend on a common factor
      // e^t, and the prior's terms are maximal where Σ_i σ(ln π_i + t) = n/2 (σ the logistic function).
      const excess = (t: number) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += 1 / (1 + 1 / ((strength[i] ?? 1) * Math.exp(t)));
        return sum - n / 2;
      };
      let [lo, hi] = [-1, 1];
      while (excess(lo) > 0) lo *= 2;
      while (excess(hi) < 0) hi *= 2;
      for (let k = 0; k < 100 && hi - lo > 1e-15; k++) {
        const mid = (lo + hi) / 2;
        if (excess(mid) < 0) lo = mid;
        else hi = mid;
      }
      const factor = Math.exp((lo + hi) / 2);
      for (let i = 0; i < n; i++) strength[i] = (strength[i] ?? 1) * factor;
    }
    let change = 0;
    for (let i = 0; i < n; i++) change = Math.max(change, Math.abs(Math.log((strength[i] ?? 1) / (before[i] ?? 1))));
    if (change <= tolerance) return { iterations: iteration, converged: true };
  }
  return { iterations: maxIterations, converged: false };
}

/** 400·log10(π), shifted to mean 1500. */
function toRatings(strength: Float64Array): Float64Array {
  const ratings = new Float64Array(strength.length);
  let mean = 0;
  for (let i = 0; i < strength.length; i++) {
    ratings[i] = SCALE * Math.log10(strength[i] ?? 1);
    mean += ratings[i] ?? 0;
  }
  mean /= strength.length || 1;
  for (let i = 0; i < strength.length; i++) ratings[i] = (ratings[i] ?? 0) - mean + BASE_RATING;
  return ratings;
}

function readBradleyTerryOptions(options: BradleyTerryOptions) {
  const prior = options.prior ?? 1;
  const tolerance = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 100_000;
  if (!(prior >= 0 && Number.isFinite(prior))) throw new RangeError(`prior must be ≥ 0, got ${prior}`);
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be positive, got ${tolerance}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`maxIterations must be a positive integer, got ${maxIterations}`);
  }
  return { prior, tolerance, maxIterations };
}

function setUp(outcomes: readonly PairwiseOutcome[], options: BradleyTerryOptions) {
  const settings = readBradleyTerryOptions(options);
  const { players, a, b, scoreA } = indexPlayers(outcomes);
  const table = pairTable(players.length, a, b, scoreA);
  const { games, points } = aggregate(table);
  if (settings.prior === 0 && !stronglyConnected(table, games, points)) {
    throw new RangeError(
      "the Bradley–Terry maximum-likelihood ratings do not exist: some player never won, never lost, or a group " +
        "never beat the rest; use prior > 0",
    );
  }
  const strength = new Float64Array(players.length).fill(1);
  const fit = fitMM(table, games, points, strength, settings.prior, settings.tolerance, settings.maxIterations);
  const { games: played, score } = records(players, a, b, scoreA);
  return { settings, players, table, strength, fit, played, score };
}

/**
 * Bradley–Terry ratings: P(i beats j) = π_i / (π_i + π_j), fitted by maximum likelihood with the MM algorithm
 * (Hunter 2004), a draw counting as half a win for each side, with `prior` virtual draws per player against a
 * reference (default 1; see {@link BradleyTerryOptions.prior}). Order of outcomes does not matter. Reported as
 * 400·log10(π) shifted to mean 1500, sorted highest first.
 *
 * Throws RangeError with prior 0 when the maximum-likelihood fit does not exist (a player who never won or never
 * lost, or a group that never beat the rest).
 */
export function bradleyTerry(outcomes: readonly PairwiseOutcome[], options: BradleyTerryOptions = {}): BradleyTerryFit {
  const { players, strength, fit, played, score } = setUp(outcomes, options);
  const ratings = toRatings(strength);
  return {
    ratings: sortRatings(
      players.map((player, i) => ({ player, rating: ratings[i] ?? 0, games: played[i] ?? 0, score: score[i] ?? 0 })),
    ),
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

/** A Bradley–Terry rating with its bootstrap percentile interval. */
export interface RatingWithInterval extends Rating {
  lower: number;
  upper: number;
}

/** Bradley–Terry ratings with intervals. */
export interface BradleyTerryIntervals {
  ratings: RatingWithInterval[];
  level: number;
  /** Replicates used, and skipped (with prior 0, those where the fit does not exist or did not converge). */
  replicates: number;
  skipped: number;
  iterations: number;
  converged: boolean;
}

/**
 * {@link bradleyTerry} with percentile intervals from a bootstrap over outcomes: each replicate redraws the games
 * with replacement and refits (centring each replicate at mean 1500, so intervals are relative to the field).
 * Games are treated as independent; if the same judge decided many games, the intervals are too narrow.
 * Replicates whose fit does not exist (prior 0) or does not converge are skipped and counted.
 */
export function bradleyTerryIntervals(
  outcomes: readonly PairwiseOutcome[],
  options: BradleyTerryOptions & BootstrapOptions = {},
): BradleyTerryIntervals {
  const replicates = options.replicates ?? 2000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new RangeError(`replicates must be a positive integer, got ${replicates}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
  const { settings, players, table, strength, fit, played, score } = setUp(outcomes, options);
  const estimate = toRatings(strength);
  const n = players.length;
  const samples = players.map(() => new Float64Array(replicates));
  const rng = seededRng(options.seed);
  const counts = new Int32Array(outcomes.length);
  const replicateStrength = new Float64Array(n);
  let used = 0;
  for (let r = 0; r < replicates; r++) {
    drawMultiplicities(rng, counts);
    const { games, points } = aggregate(table, counts);
    if (settings.prior === 0 && !stronglyConnected(table, games, points)) continue;
    replicateStrength.set(strength); // warm start from the full-data fit
    const replicateFit = fitMM(
      table,
      games,
      points,
      replicateStrength,
      settings.prior,
      settings.tolerance,
      settings.maxIterations,
    );
    if (!replicateFit.converged) continue;
    const ratings = toRatings(replicateStrength);
    for (let i = 0; i < n; i++) (samples[i] as Float64Array)[used] = ratings[i] ?? 0;
    used++;
  }
  const alpha = 1 - level;
  return {
    ratings: sortRatings(
      players.map((player, i) => {
        const sorted = (samples[i] as Float64Array).subarray(0, used).sort();
        return {
          player,
          rating: estimate[i] ?? 0,
          games: played[i] ?? 0,
          score: score[i] ?? 0,
          lower: quantileSorted(sorted, alpha / 2),
          upper: quantileSorted(sorted, 1 - alpha / 2),
        };
      }),
    ),
    level,
    replicates: used,
    skipped: replicates - used,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}
