/**
 * BM25 ranking of a passage's sentences. A match asks for several turns over the same passage, so the index
 * (sentences, term frequencies, document frequencies) is built once per passage and kept in a small LRU cache.
 */

import { type Sentence, splitSentences } from "./sentences";
import { tokenize } from "./tokenize";

export type { Sentence } from "./sentences";
export { splitSentences } from "./sentences";
export { isStopword, stem, termSet, tokenize } from "./tokenize";

/** Standard BM25 parameters (Robertson/Zaragoza defaults). */
const K1 = 1.2;
const B = 0.75;
const CACHE_SIZE = 8;

/** Precomputed per-passage data for BM25. */
export interface PassageIndex {
  passage: string;
  sentences: Sentence[];
  /** Term frequencies per sentence, parallel to `sentences`. */
  termFreqs: Array<Map<string, number>>;
  /** Sentence lengths in content tokens. */
  lengths: number[];
  avgLength: number;
  /** Inverse document frequency per term (sentences are the documents). */
  idf: Map<string, number>;
}

/** Query terms with weights; a plain token list weighs each occurrence 1. */
export type Query = string[] | Map<string, number>;

/** One ranked sentence. */
export interface Ranked {
  index: number;
  score: number;
}

// Keyed by the passage string itself: V8 caches a string's hash, and equal content means equal index.
const cache = new Map<string, PassageIndex>();

function buildIndex(passage: string): PassageIndex {
  const sentences = splitSentences(passage);
  const termFreqs: Array<Map<string, number>> = [];
  const lengths: number[] = [];
  const df = new Map<string, number>();
  for (const sentence of sentences) {
    const tf = new Map<string, number>();
    const tokens = tokenize(sentence.text);
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    termFreqs.push(tf);
    lengths.push(tokens.length);
  }
  const n = sentences.length;
  const idf = new Map<string, number>();
  // The "+1" form keeps idf positive even for terms in most sentences.
  for (const [t, f] of df) idf.set(t, Math.log(1 + (n - f + 0.5) / (f + 0.5)));
  const avgLength = n === 0 ? 0 : lengths.reduce((a, b) => a + b, 0) / n;
  return { passage, sentences, termFreqs, lengths, avgLength, idf };
}

/** Returns the (cached) index of a passage. */
export function indexPassage(passage: string): PassageIndex {
  const hit = cache.get(passage);
  if (hit) {
    cache.delete(passage); // re-insert: Map order doubles as recency order
    cache.set(passage, hit);
    return hit;
  }
  const built = buildIndex(passage);
  cache.set(passage, built);
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return built;
}

function toWeights(query: Query): Map<string, number> {
  if (query instanceof Map) return query;
  const weights = new Map<string, number>();
  for (const t of query) weights.set(t, (weights.get(t) ?? 0) + 1);
  return weights;
}

/** BM25 score of every sentence for a query, parallel to `index.sentences`. */
export function scoreSentences(index: PassageIndex, query: Query): number[] {
  const weights = toWeights(query);
  return index.termFreqs.map((tf, i) => {
    const norm = K1 * (1 - B + (B * (index.lengths[i] ?? 0)) / (index.avgLength || 1));
    let score = 0;
    for (const [term, weight] of weights) {
      const f = tf.get(term);
      if (!f) continue;
      score += weight * (index.idf.get(term) ?? 0) * ((f * (K1 + 1)) / (f + norm));
    }
    return score;
  });
}

/** Sentences with a positive score, best first (ties keep passage order, so ranking is deterministic). */
export function rankSentences(index: PassageIndex, query: Query): Ranked[] {
  return scoreSentences(index, query)
    .map((score, i) => ({ index: i, score }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
}
