/**
 * @module tasks/risk/rules
 * Merchant-written risk rules: a YAML or JSON file of `field operator threshold` tests on the order
 * risk features, each adding a score to the model's or forcing an action (hold for review, allow).
 * Checked like the import mapping: every problem names the file, the rule (its index and name) and
 * the key path, with a did-you-mean for a misspelt field or key.
 *
 *   rules:
 *     - name: big first order
 *       field: new_customer_value
 *       operator: '>'
 *       threshold: 3
 *       score: 0.3          # added to the model score (clamped to [0, 1])
 *     - name: trusted wholesaler
 *       field: customer_earlier_orders
 *       operator: '>='
 *       threshold: 50
 *       action: allow       # or hold
 *
 * Combination (combineRisk): an `allow` rule that fires sets the score to 0, else a `hold` rule sets
 * it to 1, else the score is the model score plus the fired rules' scores, clamped to [0, 1]. A rule
 * never fires on a missing value (NaN): an unknown device cannot trip a device rule.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { closestName } from '../../ingest/suggest.js';
import { ORDER_RISK_FEATURE_NAMES } from '../../features/order-risk-features.js';

export const RULE_OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export interface RiskRule {
  readonly name: string;
  readonly field: string;
  /** Column of the field in the order feature matrix. */
  readonly column: number;
  readonly operator: RuleOperator;
  readonly threshold: number;
  readonly score?: number;
  readonly action?: 'hold' | 'allow';
}

export class RiskRulesError extends Error {
  override readonly name = 'RiskRulesError';
}

const RULE_KEYS = ['name', 'field', 'operator', 'threshold', 'score', 'action'];

export function readRiskRules(path: string): RiskRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RiskRulesError(`${path}: cannot read rules file: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new RiskRulesError(`${path}: rules file is not valid YAML/JSON: ${(err as Error).message}`);
  }
  return parseRiskRules(doc, path);
}

const hint = (name: string, known: readonly string[]): string => {
  const h = closestName(name, known);
  return h ? ` (did you mean '${h}'?)` : '';
};

/**
 * Validates a parsed rules document; `file` names it in errors. `features` are the field names a
 * rule may test, in feature-matrix column order (the order risk features unless told otherwise).
 */
export function parseRiskRules(
  doc: unknown,
  file: string,
  features: readonly string[] = ORDER_RISK_FEATURE_NAMES,
): RiskRule[] {
  const fail = (path: string, reason: string): never => {
    throw new RiskRulesError(`${file}: ${path}: ${reason}`);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    fail('(top)', "expected a mapping with 'rules'");
  const top = doc as Record<string, unknown>;
  for (const k of Object.keys(top)) if (k !== 'rules') fail(k, `unknown key${hint(k, ['rules'])}`);
  const list = top['rules'];
  if (!Array.isArray(list)) return fail('rules', 'expected a list of rules');
  return list.map((raw: unknown, i): RiskRule => {
    let at = `rules[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(at, 'expected a mapping');
    const r = raw as Record<string, unknown>;
    const name = r['name'];
    if (typeof name !== 'string' || name.trim() === '') return fail(`${at}.name`, 'every rule needs a name');
    at = `${at} '${name}'`;
    for (const k of Object.keys(r))
      if (!RULE_KEYS.includes(k)) fail(`${at}.${k}`, `unknown key${hint(k, RULE_KEYS)}`);
    const field = r['field'];
    if (typeof field !== 'string') return fail(`${at}.field`, 'expected an order feature name');
    const column = features.indexOf(field);
    if (column < 0) {
      fail(
        `${at}.field`,
        `'${field}' is not an order feature${hint(field, features)}; the features are ${features.join(', ')}`,
      );
    }
    const operator = r['operator'];
    if (typeof operator !== 'string' || !(RULE_OPERATORS as readonly string[]).includes(operator)) {
      return fail(
        `${at}.operator`,
        `expected one of ${RULE_OPERATORS.join(' ')} (got ${JSON.stringify(operator)})`,
      );
    }
    const threshold = r['threshold'];
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
      return fail(`${at}.threshold`, `expected a number (got ${JSON.stringify(threshold)})`);
    }
    const score = r['score'];
    const action = r['action'];
    if ((score === undefined) === (action === undefined)) {
      return fail(at, "give exactly one of 'score' (a number in [-1, 1]) or 'action' (hold or allow)");
    }
    if (score !== undefined && (typeof score !== 'number' || !(score >= -1 && score <= 1))) {
      return fail(`${at}.score`, `expected a number in [-1, 1] (got ${JSON.stringify(score)})`);
    }
    if (action !== undefined && action !== 'hold' && action !== 'allow') {
      return fail(`${at}.action`, `expected hold or allow (got ${JSON.stringify(action)})`);
    }
    return {
      name,
      field,
      column,
      operator: operator as RuleOperator,
      threshold,
      ...(score !== undefined ? { score: score as number } : {}),
      ...(action !== undefined ? { action: action as 'hold' | 'allow' } : {}),
    };
  });
}

function fires(rule: RiskRule, v: number): boolean {
  if (Number.isNaN(v)) return false;
  switch (rule.operator) {
    case '>':
      return v > rule.threshold;
    case '>=':
      return v >= rule.threshold;
    case '<':
      return v < rule.threshold;
    case '<=':
      return v <= rule.threshold;
    case '==':
      return v === rule.threshold;
    case '!=':
      return v !== rule.threshold;
  }
}

export interface CombinedRisk {
  readonly score: number;
  /** 'hold' or 'allow' when a rule forced it, else null. */
  readonly action: 'hold' | 'allow' | null;
  /** The rules that fired, in file order. */
  readonly fired: readonly RiskRule[];
}

/** Model score plus the rules on one order's feature row (`values` from `offset`, the matrix's cols). */
const NONE_FIRED: readonly RiskRule[] = Object.freeze([]);

export function combineRisk(
  modelScore: number,
  rules: readonly RiskRule[],
  values: Float32Array,
  offset: number,
): CombinedRisk {
  // No rules (the usual batch): no list to build per order, on a million orders.
  if (rules.length === 0)
    return { score: Math.min(1, Math.max(0, modelScore)), action: null, fired: NONE_FIRED };
  const fired = rules.filter((r) => fires(r, values[offset + r.column]!));
  if (fired.some((r) => r.action === 'allow')) return { score: 0, action: 'allow', fired };
  if (fired.some((r) => r.action === 'hold')) return { score: 1, action: 'hold', fired };
  const s = fired.reduce((a, r) => a + (r.score ?? 0), modelScore);
  return { score: Math.min(1, Math.max(0, s)), action: null, fired };
}
