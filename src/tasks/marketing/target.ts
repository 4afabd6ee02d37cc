/**
 * @module tasks/marketing/target
 * Whom to contact next, and with what: every contact of the campaign scored by the stored uplift
 * model (one uplift per treatment; the best treatment), ranked by expected incremental outcome, or
 * by expected incremental profit when a cost per contact and a margin are given:
 *
 *   profit = uplift x value per response x margin - cost
 *
 * with the value per response = mean revenue of the treated contacts whose outcome is 1 (what a
 * response brought in this campaign). The list is the top `budget` share of the customers, keeping
 * only those with a positive expectation: sending to a customer the model expects to lose (uplift
 * <= 0, or a loss) is not targeting. Reasons are what-if contributions: for each feature, how much
 * the customer's uplift drops when that feature is replaced by the typical value (median, or most
 * common level) of all contacts; the two largest drops are the reasons.
 *
 * @example
 *   parseBudget('30%'); // 0.3
 *   const list = targetList(model, meta, data, records, { budget: 0.3 });
 */
import type { MultiUpliftModel } from '../../ml/uplift/multi-treatment.js';
import { predictMultiUplift } from '../../ml/uplift/multi-treatment.js';
import { CampaignError, outcomeOf, type CampaignData } from './campaign-data.js';
import { encodeRecords, type FeatureRecord } from './contact-features.js';
import { contactWhere, type UpliftMeta } from './train-uplift.js';

export interface TargetOptions {
  /** Share of the campaign's customers to contact, in (0, 1]. */
  readonly budget: number;
  readonly cost?: number;
  readonly margin?: number;
}

export interface TargetRow {
  readonly rank: number;
  readonly customerId: string;
  readonly treatment: string;
  readonly uplift: number;
  /** With cost and margin: expected incremental profit of the contact. */
  readonly expectedProfit: number | null;
  readonly reasons: string;
}

export interface TargetList {
  readonly rows: readonly TargetRow[];
  /** Customers the budget allowed, before dropping non-positive expectations. */
  readonly budgetCustomers: number;
  readonly customers: number;
  readonly valuePerResponse: number | null;
}

/** '30%' or '0.3' -> 0.3; refuses 0%, more than 100%, and anything that is not a number. */
export function parseBudget(text: string): number {
  const t = text.trim();
  const pct = t.endsWith('%');
  const v = Number(pct ? t.slice(0, -1) : t);
  const share = pct ? v / 100 : v;
  if (!Number.isFinite(share) || !(share > 0) || share > 1) {
    throw new CampaignError(
      `--budget ${text}: the budget is the share of the customers to contact, more than 0% and at most 100% (e.g. 30% or 0.3)`,
    );
  }
  return share;
}

function checkMoney(name: string, v: number | undefined, max?: number): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || v < 0 || (max !== undefined && v > max)) {
    throw new CampaignError(
      `--${name} ${v}: must be a number >= 0${max !== undefined ? ` and <= ${max}` : ''}`,
    );
  }
}

/** Median of numbers or the most common text, per source feature. */
function typicalRecord(records: readonly FeatureRecord[], meta: UpliftMeta): FeatureRecord {
  const out: Record<string, string | number> = {};
  for (const name of meta.encoding.numeric) {
    const v = records
      .map((r) => Number(r[name]))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    out[name] = v.length ? v[Math.floor(v.length / 2)]! : 0;
  }
  for (const c of meta.encoding.categorical) {
    const counts = new Map<string, number>();
    for (const r of records) counts.set(String(r[c.name]), (counts.get(String(r[c.name])) ?? 0) + 1);
    out[c.name] = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  }
  return out;
}

export function targetList(
  model: MultiUpliftModel,
  meta: UpliftMeta,
  data: CampaignData,
  records: readonly FeatureRecord[],
  o: TargetOptions,
): TargetList {
  if (!(o.budget > 0 && o.budget <= 1)) throw new CampaignError(`budget ${o.budget} must be in (0, 1]`);
  if ((o.cost === undefined) !== (o.margin === undefined)) {
    throw new CampaignError(
      '--cost and --margin go together: profit needs both (cost per contact, margin on revenue)',
    );
  }
  checkMoney('cost', o.cost);
  checkMoney('margin', o.margin, 1);
  const contacts = data.contacts;
  const x = encodeRecords(meta.encoding, records, (i) =>
    contactWhere(data.campaign.campaignId, contacts[i]!),
  );
  const scores = predictMultiUplift(model, x.features, x.rows);

  let valuePerResponse: number | null = null;
  if (o.cost !== undefined) {
    let sum = 0;
    let n = 0;
    for (const c of contacts) {
      if (c.isControl || outcomeOf(c, meta.outcome) !== 1 || c.revenue === null) continue;
      sum += c.revenue;
      n++;
    }
    if (n === 0) {
      throw new CampaignError(
        `campaign '${data.campaign.campaignId}': no treated contact with ${meta.outcome} = 1 has a known revenue, so a response has no value to weigh against the cost`,
      );
    }
    valuePerResponse = sum / n;
  }
  const value = (r: number): number =>
    valuePerResponse === null
      ? scores.bestUplift[r]!
      : scores.bestUplift[r]! * valuePerResponse * o.margin! - o.cost!;
  const budgetCustomers = Math.floor(contacts.length * o.budget);
  const chosen = topShare(value, contacts.length, o.budget);

  // Reasons: uplift drop when one feature at a time takes the typical value.
  const typical = typicalRecord(records, meta);
  const features = [...meta.encoding.numeric, ...meta.encoding.categorical.map((c) => c.name)];
  const base = chosen.map((r) => records[r]!);
  const drops = features.map((f) => {
    const altered = base.map((rec) => ({ ...rec, [f]: typical[f] ?? null }));
    const s = predictMultiUplift(
      model,
      encodeRecords(meta.encoding, altered, String).features,
      altered.length,
    );
    return base.map(
      (_, k) =>
        scores.uplift[scores.best[chosen[k]!]!]![chosen[k]!]! - s.uplift[scores.best[chosen[k]!]!]![k]!,
    );
  });
  const rows = chosen.map((r, k): TargetRow => {
    const reasons = features
      .map((f, j) => ({ f, d: drops[j]![k]! }))
      .filter((e) => e.d > 0)
      .sort((a, b) => b.d - a.d)
      .slice(0, 2)
      .map((e) => `${e.f}=${String(records[r]![e.f])} (+${e.d.toFixed(3)})`)
      .join('; ');
    return {
      rank: k + 1,
      customerId: contacts[r]!.customerId,
      treatment: model.treatments[scores.best[r]!]!,
      uplift: scores.bestUplift[r]!,
      expectedProfit: valuePerResponse === null ? null : value(r),
      reasons: reasons || "no single feature stands out (uplift near the typical customer's)",
    };
  });
  return { rows, budgetCustomers, customers: contacts.length, valuePerResponse };
}

/**
 * The rows a budget allows: the top `budget` share of `rows` by value, best first (ties: row
 * order), keeping only positive values (contacting a customer expected to respond less, or to
 * cost more than they bring, is not targeting).
 */
export function topShare(value: (row: number) => number, rows: number, budget: number): number[] {
  const order = Int32Array.from({ length: rows }, (_, i) => i).sort((a, b) => value(b) - value(a) || a - b);
  return [...order.subarray(0, Math.floor(rows * budget))].filter((r) => value(r) > 0);
}

/** `uplift score --file`: one row per record, in order: the uplift of the named treatment (else the best) and the best treatment. */
export function scoreRecords(
  model: MultiUpliftModel,
  meta: UpliftMeta,
  records: readonly FeatureRecord[],
  where: (i: number) => string,
  treatment?: string,
): { uplift: Float64Array; best: string[] } {
  const j = treatment === undefined ? -1 : model.treatments.indexOf(treatment);
  if (treatment !== undefined && j < 0) {
    throw new CampaignError(
      `--treatment '${treatment}': the model of campaign '${meta.campaign}' knows ${model.treatments.map((t) => `'${t}'`).join(', ')} (control '${meta.control}')`,
    );
  }
  const x = encodeRecords(meta.encoding, records, where);
  const s = predictMultiUplift(model, x.features, x.rows);
  return {
    uplift: j < 0 ? s.bestUplift : s.uplift[j]!,
    best: Array.from(s.best, (b) => model.treatments[b]!),
  };
}
