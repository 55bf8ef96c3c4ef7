import type { Decision } from '../types.js';

/**
 * The verdict: `retry` whenever quality says the models cannot be trusted on this image,
 * otherwise `live` at or above the threshold and `spoof` below it.
 */
export function decide(score: number, threshold: number, retryReasons: readonly string[]): Decision {
  if (retryReasons.length > 0) return 'retry';
  return score >= threshold ? 'live' : 'spoof';
}

/** Fused live probability: the weighted mean of the models' live probabilities. */
export function fuseProbabilities(opinions: readonly { liveProbability: number; weight: number }[]): number {
  const totalWeight = opinions.reduce((sum, o) => sum + o.weight, 0);
  return opinions.reduce((sum, o) => sum + o.liveProbability * o.weight, 0) / totalWeight;
}
