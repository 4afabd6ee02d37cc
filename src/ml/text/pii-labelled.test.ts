/**
 * The PII detector measured on the hand-labelled set (test-pii-labelled.ts). A labelled item is
 * found when a detected span of the same kind overlaps it (masking it hides at least part of it);
 * a detected span is right when it overlaps a labelled item of the same kind. Precision and recall
 * per kind and overall, per language too; the floors asserted are below the measured figures in
 * docs/privacy.md, so a change that loses a kind fails here.
 */
import { describe, expect, it } from 'vitest';
import { detectPii, type PiiKind } from './pii.js';
import { PII_LABELLED, type LabelledText } from './test-pii-labelled.js';

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function occurrences(text: string, sub: string): [number, number][] {
  const out: [number, number][] = [];
  for (let at = text.indexOf(sub); at >= 0; at = text.indexOf(sub, at + 1)) out.push([at, at + sub.length]);
  return out;
}

const overlaps = (a: readonly [number, number], b: readonly [number, number]): boolean =>
  a[0] < b[1] && b[0] < a[1];

function score(items: readonly LabelledText[]): Map<PiiKind | 'all', Counts> {
  const counts = new Map<PiiKind | 'all', Counts>();
  const bump = (kind: PiiKind, field: keyof Counts): void => {
    for (const k of [kind, 'all'] as const) {
      const c = counts.get(k) ?? { tp: 0, fp: 0, fn: 0 };
      c[field]++;
      counts.set(k, c);
    }
  };
  for (const item of items) {
    const found = detectPii(item.text);
    const gold = item.pii.flatMap(([kind, sub]) =>
      occurrences(item.text, sub).map((span) => ({ kind, span })),
    );
    for (const g of gold) {
      const hit = found.some((f) => f.kind === g.kind && overlaps([f.start, f.end], g.span));
      bump(g.kind, hit ? 'tp' : 'fn');
    }
    for (const f of found) {
      const right = gold.some((g) => g.kind === f.kind && overlaps([f.start, f.end], g.span));
      if (!right) bump(f.kind, 'fp');
    }
  }
  return counts;
}

const precision = (c: Counts): number => (c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp));
const recall = (c: Counts): number => (c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn));

describe('the PII detector on the hand-labelled set', () => {
  it('holds at least 200 strings, half of them Chinese, every label a substring of its text', () => {
    expect(PII_LABELLED.length).toBeGreaterThanOrEqual(200);
    const zh = PII_LABELLED.filter((t) => t.lang === 'zh').length;
    expect(zh).toBeGreaterThanOrEqual(PII_LABELLED.length / 2 - 5);
    expect(zh).toBeLessThanOrEqual(PII_LABELLED.length / 2 + 5);
    for (const t of PII_LABELLED) for (const [, sub] of t.pii) expect(t.text, sub).toContain(sub);
  });

  it('reaches the measured precision and recall, overall and per language', () => {
    const report = (items: readonly LabelledText[]) =>
      Object.fromEntries(
        [...score(items).entries()].map(([k, c]) => [
          k,
          { ...c, precision: +precision(c).toFixed(3), recall: +recall(c).toFixed(3) },
        ]),
      );
    const all = report(PII_LABELLED);
    const en = report(PII_LABELLED.filter((t) => t.lang === 'en'));
    const zh = report(PII_LABELLED.filter((t) => t.lang === 'zh'));
    for (const [name, r] of Object.entries({ all, en, zh })) {
      const line = Object.entries(r).map(
        ([k, c]) => `${k} P ${c.precision} R ${c.recall} (${c.tp}/${c.fp}/${c.fn})`,
      );
      console.log(`${name}: ${line.join('; ')}`);
    }
    expect(all['all']!.precision).toBeGreaterThanOrEqual(0.95);
    expect(all['all']!.recall).toBeGreaterThanOrEqual(0.95);
    expect(en['all']!.precision).toBeGreaterThanOrEqual(0.9);
    expect(zh['all']!.precision).toBeGreaterThanOrEqual(0.9);
    for (const kind of ['email', 'phone', 'cn_id', 'bank_card', 'ip', 'address'] as const) {
      expect(all[kind]!.recall, kind).toBeGreaterThanOrEqual(0.95);
      expect(all[kind]!.precision, kind).toBeGreaterThanOrEqual(0.9);
    }
  });
});
