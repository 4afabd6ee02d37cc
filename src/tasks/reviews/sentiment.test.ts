import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../../ml/artifact.js';
import { lexiconScore } from './lexicon.js';
import { sentimentFromArtifact, sentimentToArtifact } from './sentiment-artifact.js';
import { binaryMetrics, metricsByGroup } from './sentiment-metrics.js';
import { scoreSentiment, trainSentimentModel } from './sentiment-model.js';
import { reviewCorpus } from './test-review-corpus.js';
import { checkReviewText, corpusScripts } from './text-check.js';
import { distinctLabelledTexts, trainAndEvaluateSentiment } from './train-sentiment.js';

describe('checkReviewText: the bad inputs of issue 12', () => {
  const known = ['Han', 'Latin'];
  it('empty, blank, emoji-only and symbol-only text cannot be scored, with the reason', () => {
    expect(checkReviewText('', known)).toEqual({ ok: false, reason: 'empty text' });
    expect(checkReviewText('   \n', known)).toEqual({ ok: false, reason: 'empty text' });
    expect(checkReviewText(null, known)).toEqual({ ok: false, reason: 'empty text' });
    expect(checkReviewText('😀👍🔥!!!', known)).toEqual({
      ok: false,
      reason: 'no words: the text holds only emoji, symbols or punctuation',
    });
    expect(checkReviewText('5/5 👍', known)).toEqual({
      ok: false,
      reason: 'no words: the text holds only digits, symbols or emoji',
    });
  });

  it('text in a script the model never saw cannot be scored, naming the script', () => {
    expect(checkReviewText('Отличный товар, рекомендую', known)).toEqual({
      ok: false,
      reason: 'the text is written in Cyrillic script the model was not trained on; it knows Han, Latin',
    });
    expect(checkReviewText('منتج رائع', known)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Arabic script'),
    });
  });

  it('mixed Chinese-English text is scored (on its known part, noted, for a one-script model); a 1 MB text on its first 20,000 characters', () => {
    expect(checkReviewText('尺码偏小 but very comfortable', known)).toEqual({
      ok: true,
      text: '尺码偏小 but very comfortable',
    });
    // A model that knows Han only: the Chinese part (4 of 25 letters, at least 10%) is scored with a
    // note; 1 Han letter among 23 Cyrillic ones (fewer than 2, under 10%) is not.
    expect(checkReviewText('质量很好，but the delivery was slow', ['Han'])).toEqual({
      ok: true,
      text: '质量很好，but the delivery was slow',
      note: 'scored on its Han letters (4 of 25); the model was not trained on Latin script',
    });
    expect(checkReviewText('Отличный товар, рекомендую 好', ['Han'])).toEqual({
      ok: false,
      reason: 'the text is written in Cyrillic script the model was not trained on; it knows Han',
    });
    const huge = '质量很好'.repeat(262_144); // 1,048,576 characters
    const c = checkReviewText(huge, known);
    expect(c.ok).toBe(true);
    if (c.ok) {
      expect(c.text.length).toBe(20_000);
      expect(c.note).toBe('scored on the first 20,000 of 1,048,576 characters');
    }
  });

  it('corpusScripts keeps the scripts holding 5% of the letters', () => {
    expect(corpusScripts(['质量很好', 'great', 'ok'])).toEqual(['Han', 'Latin']);
    expect(corpusScripts(['质量很好质量很好质量很好质量很好质量很好', 'Ж'])).toEqual(['Han']);
  });
});

describe('lexiconScore (hand-counted)', () => {
  it('counts opinion words, negation flips them, no opinion gives 0.5', () => {
    // 好 (in 质量很好) + 快 -> 2 positive
    expect(lexiconScore('质量很好，物流快')).toMatchObject({ positive: 2, negative: 0 });
    // 不 before 喜欢 flips it; 差 negative
    expect(lexiconScore('不喜欢，质量差')).toMatchObject({ positive: 0, negative: 2 });
    // "not good" -> negative; "love" positive
    expect(lexiconScore('Not good. I love the colour')).toMatchObject({
      positive: 1,
      negative: 1,
      probability: 0.5,
    });
    expect(lexiconScore('a table').probability).toBe(0.5);
    expect(lexiconScore('great great').probability).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
  });
});

describe('binaryMetrics (hand-computed)', () => {
  it('accuracy, macro-F1, ROC-AUC, Brier', () => {
    // predictions 1, 0, 0, 1 for labels 1, 0, 1, 1: tp 2, tn 1, fn 1, fp 0
    const m = binaryMetrics([1, 0, 1, 1], [0.9, 0.2, 0.4, 0.8]);
    expect(m.accuracy).toBe(0.75);
    // F1(pos) = 4/5, F1(neg) = 2/3
    expect(m.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 12);
    expect(m.rocAuc).toBe(1);
    expect(m.brier).toBeCloseTo((0.01 + 0.04 + 0.36 + 0.04) / 4, 12);
    expect(m.positiveShare).toBe(0.75);
  });
  it('per group, largest first', () => {
    const g = metricsByGroup(['x', 'y', 'y', null], [1, 0, 1, 1], [0.9, 0.2, 0.4, 0.8]);
    expect(g.map((r) => [r.group, r.metrics.n, r.metrics.accuracy])).toEqual([
      ['y', 2, 0.5],
      ['x', 1, 1],
    ]);
  });
});

describe('distinctLabelledTexts', () => {
  it('keeps a text once, drops texts given both labels, leaves out neutral ones', () => {
    const d = distinctLabelledTexts({
      text: ['a', 'a', 'b', 'b', 'c', 'd ', 'd'],
      target: [1, 1, 1, 0, NaN, 0, 0],
      category: ['x', 'x', 'x', 'x', 'x', 'y', 'y'],
    });
    expect(d.text).toEqual(['a', 'd ']);
    expect(Array.from(d.label)).toEqual([1, 0]);
    expect([d.neutral, d.duplicates, d.conflicting]).toEqual([1, 2, 2]);
  });
});

describe('trainSentimentModel on a small bilingual corpus', () => {
  const { texts, labels, categories } = reviewCorpus();
  const model = trainSentimentModel(texts, labels, { seed: 3 });

  it('learns both languages, calibrated probabilities in (0, 1)', () => {
    const s = scoreSentiment(model, [
      '这款手机质量很好',
      '这本书物流太慢',
      'the coat: love it',
      'the hat: poor quality',
    ]);
    expect(s.map((x) => x.label)).toEqual([1, 0, 1, 0]);
    for (const x of s) expect(x.probability! > 0 && x.probability! < 1).toBe(true);
    expect(model.platt.a).toBeGreaterThan(0); // a larger margin means more likely positive
    expect(model.scripts).toEqual(['Han', 'Latin']);
  });

  it('answers every bad input without throwing, in order', () => {
    const s = scoreSentiment(model, [
      '',
      '😀😀',
      'Отличный товар',
      '质量很好 but poor delivery',
      '质量很好'.repeat(262_144),
    ]);
    expect(s[0]).toEqual({ label: null, probability: null, reason: 'empty text' });
    expect(s[1]!.reason).toMatch(/^no words/);
    expect(s[2]!.reason).toMatch(/Cyrillic/);
    expect(s[3]!.label).not.toBeNull();
    expect(s[4]!.label).toBe(1);
    expect(s[4]!.note).toBe('scored on the first 20,000 of 1,048,576 characters');
  });

  it('refuses too few labels, naming the fallback', () => {
    expect(() => trainSentimentModel(['good', 'bad'], [1, 0])).toThrow(/too few.*lexicon fallback/);
  });

  it('round-trips through a registry artifact with the same scores', () => {
    const back = sentimentFromArtifact(decodeArtifact(encodeArtifact(sentimentToArtifact(model))));
    const probe = ['这件衣服非常满意', 'these socks: hate it'];
    expect(scoreSentiment(back, probe)).toEqual(scoreSentiment(model, probe));
  });

  it('trainAndEvaluateSentiment splits distinct texts 80/20 and scores the test part', () => {
    const { evaluation } = trainAndEvaluateSentiment(
      { text: texts, target: labels, category: categories },
      { seed: 5 },
    );
    expect(evaluation.distinctTexts).toBe(texts.length);
    expect(evaluation.train + evaluation.test).toBe(texts.length);
    expect(evaluation.test).toBe(Math.round(texts.length * 0.2));
    expect(evaluation.overall.accuracy).toBeGreaterThan(0.9);
    expect(evaluation.byCategory.map((c) => c.group).sort()).toEqual(['a', 'b', 'c']);
  });
});
