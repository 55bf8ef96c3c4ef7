/**
 * Metric functions of src/eval against hand-computed cases (ties, never-accepted presentations,
 * all-live, all-spoof, an empty attack type) and against brute-force computations on a fixed
 * pseudo-random score list with ties: AUC by counting pairs, EER and the fixed-rate operating
 * points by sweeping every threshold naively.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeFigures, type Presentation } from '../../src/eval/iso-figures.js';
import { rate, wilsonInterval } from '../../src/eval/rate.js';
import { equalErrorRate, operatingPoints, pointAtApcer, pointAtBpcer, rocAuc } from '../../src/eval/score-curve.js';
import { probit } from '../../src/eval/probit.js';

const close = (actual: number | null | undefined, expected: number, atol = 1e-9, what = '') =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= atol, `${what} ${actual} vs ${expected}`);

/** Deterministic scores with ties (2 decimals) and some never-accepted (-Infinity) entries. */
function fixedScores(seed: number, n: number, shift: number): number[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => {
    const u = next();
    if (u < 0.08) return -Infinity;
    return Math.round(100 * Math.min(1, Math.max(0, shift + 0.35 * (next() + next() + next() - 1.5)))) / 100;
  });
}
const LIVE = fixedScores(7, 240, 0.68);
const ATTACKS = fixedScores(11, 170, 0.35);

function bruteAuc(live: number[], attacks: number[]): number {
  let wins = 0;
  for (const l of live) for (const a of attacks) wins += l > a ? 1 : l === a ? 0.5 : 0;
  return wins / (live.length * attacks.length);
}

/** Every threshold that can separate the lists differently, found naively. */
function bruteThresholds(live: number[], attacks: number[]): number[] {
  const values = [...new Set([...live, ...attacks])].filter(Number.isFinite).sort((a, b) => a - b);
  const mids = values.slice(1).map((v, i) => (v + values[i]) / 2);
  return [-1e9, ...values, ...mids, values[values.length - 1] + 1, Infinity];
}

function bruteRates(live: number[], attacks: number[], t: number) {
  return {
    apcer: attacks.filter((a) => a >= t).length / attacks.length,
    bpcer: live.filter((l) => !(l >= t)).length / live.length,
  };
}

describe('rates and intervals', () => {
  test('Wilson intervals match published values', () => {
    // binom::binom.wilson / R prop.test(correct = FALSE)
    const [lo5, hi5] = wilsonInterval(5, 10);
    close(lo5, 0.2365931, 1e-7, '5/10 low');
    close(hi5, 0.7634069, 1e-7, '5/10 high');
    const [lo0, hi0] = wilsonInterval(0, 10);
    assert.equal(lo0, 0);
    close(hi0, 0.2775328, 1e-7, '0/10 high');
    const [lo10, hi10] = wilsonInterval(10, 10);
    close(lo10, 0.7224672, 1e-7, '10/10 low');
    assert.equal(hi10, 1);
  });

  test('a rate of nothing is null, never 0', () => {
    assert.deepEqual(rate(0, 0), { value: null, errors: 0, total: 0, ci95: null });
    assert.equal(rate(1, 4).value, 0.25);
    assert.throws(() => rate(5, 4));
  });

  test('probit inverts the normal CDF', () => {
    close(probit(0.5), 0, 1e-12);
    close(probit(0.975), 1.959963985, 1e-8);
    close(probit(0.001), -3.090232306, 1e-8);
    close(probit(0.999), 3.090232306, 1e-8);
  });
});

describe('score curves, hand-computed', () => {
  test('AUC with ties and never-accepted presentations', () => {
    assert.equal(rocAuc([3, 2], [1, 0]), 1);
    assert.equal(rocAuc([0, 1], [2, 3]), 0);
    assert.equal(rocAuc([1], [1]), 0.5);
    assert.equal(rocAuc([2, 1], [1, 0]), 0.875);
    assert.equal(rocAuc([-Infinity, 2], [-Infinity, 1]), 0.625);
    assert.equal(rocAuc([1, 2], []), null, 'all live');
    assert.equal(rocAuc([], [1, 2]), null, 'all spoof');
  });

  test('operating points rise in threshold, end at accept-nothing', () => {
    assert.deepEqual(operatingPoints([0.9, 0.5, -Infinity], [0.5, 0.1]), [
      { threshold: 0.1, apcerErrors: 2, bpcerErrors: 1 },
      { threshold: 0.5, apcerErrors: 1, bpcerErrors: 1 },
      { threshold: 0.9, apcerErrors: 0, bpcerErrors: 2 },
      { threshold: Infinity, apcerErrors: 0, bpcerErrors: 3 },
    ]);
  });

  test('EER and fixed-rate points on a small case', () => {
    // live 0.9 0.8 0.4 0.3; attacks 0.7 0.35 0.2 0.1: at t = 0.4 APCER 1/4 and BPCER 1/4.
    const live = [0.9, 0.8, 0.4, 0.3];
    const attacks = [0.7, 0.35, 0.2, 0.1];
    assert.deepEqual(equalErrorRate(live, attacks), { value: 0.25, threshold: 0.4, apcer: 0.25, bpcer: 0.25 });
    assert.deepEqual(pointAtApcer(live, attacks, 0), { threshold: 0.8, apcerErrors: 0, bpcerErrors: 2 });
    assert.deepEqual(pointAtApcer(live, attacks, 0.25), { threshold: 0.4, apcerErrors: 1, bpcerErrors: 1 });
    assert.deepEqual(pointAtBpcer(live, attacks, 0), { threshold: 0.3, apcerErrors: 2, bpcerErrors: 0 });
    assert.equal(pointAtBpcer([-Infinity, 0.5], [0.1], 0.01), null, 'a never-accepted live image makes BPCER 0 unreachable');
    assert.equal(equalErrorRate([], attacks), null);
    assert.equal(pointAtApcer(live, [], 0.01), null);
  });
});

describe('score curves against brute force on a fixed list', () => {
  test('rank AUC equals pair counting', () => {
    close(rocAuc(LIVE, ATTACKS), bruteAuc(LIVE, ATTACKS), 1e-12, 'AUC');
  });

  test('operating points equal a naive threshold sweep', () => {
    const seen = new Set(bruteThresholds(LIVE, ATTACKS).map((t) => JSON.stringify(bruteRates(LIVE, ATTACKS, t))));
    const points = new Set(
      operatingPoints(LIVE, ATTACKS).map((p) => JSON.stringify({ apcer: p.apcerErrors / ATTACKS.length, bpcer: p.bpcerErrors / LIVE.length })),
    );
    // The naive sweep also meets "accept every scored image" below the lowest score, which equals the first point.
    assert.deepEqual([...points].sort(), [...seen].sort());
  });

  test('EER equals the naive minimum of |APCER - BPCER|', () => {
    let best = { gap: Infinity, value: Infinity };
    for (const t of bruteThresholds(LIVE, ATTACKS)) {
      const { apcer, bpcer } = bruteRates(LIVE, ATTACKS, t);
      const gap = Math.abs(apcer - bpcer);
      const value = (apcer + bpcer) / 2;
      if (gap < best.gap - 1e-15 || (Math.abs(gap - best.gap) <= 1e-15 && value < best.value)) best = { gap, value };
    }
    close(equalErrorRate(LIVE, ATTACKS)?.value, best.value, 1e-12, 'EER');
  });

  for (const target of [0.01, 0.05, 0.1]) {
    test(`BPCER at APCER <= ${target} equals the naive sweep`, () => {
      const feasible = bruteThresholds(LIVE, ATTACKS)
        .map((t) => bruteRates(LIVE, ATTACKS, t))
        .filter((r) => r.apcer <= target + 1e-12);
      const best = Math.min(...feasible.map((r) => r.bpcer));
      close((pointAtApcer(LIVE, ATTACKS, target)?.bpcerErrors as number) / LIVE.length, best, 1e-12, 'BPCER');
    });
  }

  for (const target of [0.01, 0.05, 0.2]) {
    test(`APCER at BPCER <= ${target} equals the naive sweep`, () => {
      const feasible = bruteThresholds(LIVE, ATTACKS)
        .map((t) => bruteRates(LIVE, ATTACKS, t))
        .filter((r) => r.bpcer <= target + 1e-12);
      const point = pointAtBpcer(LIVE, ATTACKS, target);
      if (feasible.length === 0) assert.equal(point, null);
      else close((point?.apcerErrors as number) / ATTACKS.length, Math.min(...feasible.map((r) => r.apcer)), 1e-12, 'APCER');
    });
  }
});

describe('ISO/IEC 30107-3 figures, hand-computed', () => {
  const p = (bonaFide: boolean, species: string, outcome: Presentation['outcome'], liveProbability: number | null): Presentation => ({
    bonaFide,
    species,
    outcome,
    liveProbability,
    score: liveProbability === null ? null : 100 * liveProbability,
  });
  const set: Presentation[] = [
    p(true, 'none', 'scored', 0.9),
    p(true, 'none', 'scored', 0.5),
    p(true, 'none', 'retry', 0.95),
    p(true, 'none', 'noFace', null),
    p(false, 'print', 'scored', 0.6),
    p(false, 'print', 'noFace', null),
    p(false, 'replay', 'scored', 0.2),
    p(false, 'replay', 'retry', 0.99),
  ];
  const options = { species: ['mask', 'print', 'replay'], threshold: 40, thresholds: [{ threshold: 70, documentedAs: ['ladder'] }] };

  test('retry counted as rejected; no face is a rejected live image and not an accepted attack', () => {
    const f = computeFigures(set, { ...options, retry: 'rejected' });
    assert.deepEqual(f.bpcer, rate(2, 4));
    assert.deepEqual(f.byAttack.print.errors, 1);
    assert.deepEqual(f.byAttack.replay.errors, 0);
    assert.deepEqual(f.apcer, { species: 'print', ...rate(1, 2) });
    assert.deepEqual(f.apcerPooled, rate(1, 4));
    assert.equal(f.acer, 0.5);
    assert.equal(f.auc, 9 / 16);
    assert.deepEqual(f.counts.bonaFide, { total: 4, scored: 2, retry: 1, noFace: 1, faceTooSmall: 0, error: 0 });
    assert.deepEqual(
      f.atThresholds.map((t) => [t.threshold, t.documentedAs]),
      [
        [40, ['configured']],
        [70, ['ladder']],
      ],
    );
    assert.deepEqual(f.atThresholds[1].bpcer, rate(3, 4), 'at 70 only 0.9 is accepted');
  });

  test('retry ignored: the score decides', () => {
    const f = computeFigures(set, { ...options, retry: 'ignored' });
    assert.deepEqual(f.bpcer, rate(1, 4));
    assert.deepEqual(f.byAttack.replay.errors, 1);
    assert.equal(f.apcer?.value, 0.5);
  });

  test('an empty attack type has a null APCER and does not count as the worst', () => {
    const f = computeFigures(set, { ...options, retry: 'rejected' });
    assert.equal(f.byAttack.mask.value, null);
    assert.equal(f.byAttack.mask.total, 0);
    assert.equal(f.byAttack.mask.auc, null);
    assert.notEqual(f.apcer?.species, 'mask');
  });

  test('all live: no attack figure, BPCER still defined', () => {
    const f = computeFigures(
      set.filter((x) => x.bonaFide),
      { ...options, retry: 'rejected' },
    );
    assert.equal(f.apcer, null);
    assert.equal(f.acer, null);
    assert.equal(f.auc, null);
    assert.equal(f.eer, null);
    assert.deepEqual(f.bpcer, rate(2, 4));
    assert.equal(f.bpcerAtApcer[0].bpcer, null);
  });

  test('all spoof: no BPCER, APCER still defined', () => {
    const f = computeFigures(
      set.filter((x) => !x.bonaFide),
      { ...options, retry: 'rejected' },
    );
    assert.equal(f.bpcer.value, null);
    assert.equal(f.acer, null);
    assert.deepEqual(f.apcerPooled, rate(1, 4));
  });

  test('ties at the threshold are accepted (score >= threshold)', () => {
    const tie = [p(true, 'none', 'scored', 0.4), p(false, 'print', 'scored', 0.4)];
    const f = computeFigures(tie, { species: [], threshold: 40, thresholds: [], retry: 'rejected' });
    assert.equal(f.bpcer.value, 0);
    assert.equal(f.apcer?.value, 1);
    assert.equal(f.auc, 0.5);
  });
});
