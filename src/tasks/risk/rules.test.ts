import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ORDER_RISK_FEATURE_NAMES } from '../../features/order-risk-features.js';
import { combineRisk, parseRiskRules, readRiskRules } from './rules.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-risk-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const col = (name: string): number => ORDER_RISK_FEATURE_NAMES.indexOf(name);
function row(set: Record<string, number>): Float32Array {
  const v = new Float32Array(ORDER_RISK_FEATURE_NAMES.length).fill(NaN);
  for (const [k, x] of Object.entries(set)) v[col(k)] = x;
  return v;
}

const YAML = `rules:
  - name: big first order
    field: new_customer_value
    operator: '>'
    threshold: 3
    score: 0.3
  - name: burst
    field: customer_orders_1h
    operator: '>='
    threshold: 5
    action: hold
  - name: trusted wholesaler
    field: customer_earlier_orders
    operator: '>='
    threshold: 50
    action: allow
`;

describe('risk rules', () => {
  it('reads a YAML file and combines it with the model score', () => {
    const path = join(dir, 'rules.yaml');
    writeFileSync(path, YAML);
    const rules = readRiskRules(path);
    expect(rules.map((r) => r.name)).toEqual(['big first order', 'burst', 'trusted wholesaler']);
    const first = combineRisk(0.5, rules, row({ new_customer_value: 4 }), 0);
    expect(first.score).toBeCloseTo(0.8, 12);
    expect(first.action).toBeNull();
    expect(first.fired.map((r) => r.name)).toEqual(['big first order']);
    // Clamped to 1.
    expect(combineRisk(0.9, rules, row({ new_customer_value: 4 }), 0).score).toBe(1);
    expect(combineRisk(0.1, rules, row({ customer_orders_1h: 5 }), 0)).toMatchObject({
      score: 1,
      action: 'hold',
    });
    // allow wins over hold.
    expect(
      combineRisk(0.9, rules, row({ customer_orders_1h: 9, customer_earlier_orders: 60 }), 0),
    ).toMatchObject({ score: 0, action: 'allow' });
    // A missing value never fires a rule.
    expect(combineRisk(0.2, rules, row({}), 0)).toMatchObject({ score: 0.2, action: null, fired: [] });
  });

  it('reads JSON and reads a row at an offset in a matrix', () => {
    const path = join(dir, 'rules.json');
    writeFileSync(
      path,
      JSON.stringify({
        rules: [{ name: 'odd hour', field: 'hour', operator: '<', threshold: 5, score: 0.25 }],
      }),
    );
    const rules = readRiskRules(path);
    const cols = ORDER_RISK_FEATURE_NAMES.length;
    const m = new Float32Array(cols * 2).fill(NaN);
    m[cols + col('hour')] = 3;
    expect(combineRisk(0.1, rules, m, 0).score).toBeCloseTo(0.1, 12);
    expect(combineRisk(0.1, rules, m, cols).score).toBeCloseTo(0.35, 12);
  });

  it('names the file, the rule and the field of a typo', () => {
    const bad =
      (rule: Record<string, unknown>): (() => unknown) =>
      () =>
        parseRiskRules(
          { rules: [{ name: 'ok', field: 'hour', operator: '<', threshold: 5, score: 0.1 }, rule] },
          'r.yaml',
        );
    expect(bad({ name: 'big', field: 'new_custmer_value', operator: '>', threshold: 3, score: 0.3 })).toThrow(
      "r.yaml: rules[1] 'big'.field: 'new_custmer_value' is not an order feature (did you mean 'new_customer_value'?)",
    );
    expect(bad({ name: 'big', field: 'hour', operator: '=>', threshold: 3, score: 0.3 })).toThrow(
      `r.yaml: rules[1] 'big'.operator: expected one of > >= < <= == != (got "=>")`,
    );
    expect(bad({ name: 'big', field: 'hour', operator: '>', treshold: 3, score: 0.3 })).toThrow(
      "r.yaml: rules[1] 'big'.treshold: unknown key (did you mean 'threshold'?)",
    );
    expect(bad({ name: 'big', field: 'hour', operator: '>', threshold: '3', score: 0.3 })).toThrow(
      `rules[1] 'big'.threshold: expected a number (got "3")`,
    );
    expect(bad({ name: 'big', field: 'hour', operator: '>', threshold: 3 })).toThrow(
      "rules[1] 'big': give exactly one of 'score'",
    );
    expect(bad({ name: 'big', field: 'hour', operator: '>', threshold: 3, action: 'block' })).toThrow(
      `rules[1] 'big'.action: expected hold or allow (got "block")`,
    );
    expect(bad({ name: 'big', field: 'hour', operator: '>', threshold: 3, score: 2 })).toThrow(
      `rules[1] 'big'.score: expected a number in [-1, 1] (got 2)`,
    );
    expect(bad({ field: 'hour' })).toThrow('r.yaml: rules[1].name: every rule needs a name');
    expect(() => parseRiskRules({ rule: [] }, 'r.yaml')).toThrow(
      "r.yaml: rule: unknown key (did you mean 'rules'?)",
    );
  });

  it('reports an unreadable or unparsable file with its path', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'rules: [ { name: x');
    expect(() => readRiskRules(path)).toThrow(`${path}: rules file is not valid YAML/JSON`);
    expect(() => readRiskRules(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read rules file/);
  });
});
