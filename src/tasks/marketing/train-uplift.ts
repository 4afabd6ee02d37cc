/**
 * @module tasks/marketing/train-uplift
 * `train uplift --campaign C`: the campaign's contacts (features as sent, outcome recorded or
 * derived), one uplift model per treatment against the control. With method `auto` every
 * candidate (4 methods x logistic/GBDT, tasks/marketing/params.ts) is compared on three stratified
 * 70/30 splits per treatment (uplift-comparison.ts) and the one with the best mean Qini over the
 * treatments is fitted on all contacts. The artifact carries the feature encoding, so scoring a CSV
 * later encodes it exactly as training did.
 *
 * @example
 *   const r = await trainUplift(wh, { campaign: 'hillstrom', outcome: 'visit', method: 'auto' });
 *   r.chosen; // 'x-learner logistic'; r.artifact -> registry task `uplift:hillstrom`
 */
import type { ModelArtifact } from '../../ml/artifact.js';
import { upliftFromArtifact, upliftToArtifact } from '../../ml/uplift/artifact.js';
import { fitMultiUplift, type MultiUpliftModel } from '../../ml/uplift/multi-treatment.js';
import type { ContactRow } from '../../warehouse/campaign-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import {
  CampaignError,
  loadCampaign,
  outcomeOf,
  OUTCOMES,
  type CampaignData,
  type Outcome,
} from './campaign-data.js';
import { encodeRecords, fitEncoding, type FeatureEncoding, type FeatureRecord } from './contact-features.js';
import { UPLIFT_CANDIDATES } from './params.js';
import { compareUplift, summarise, type Summary } from './uplift-comparison.js';

export const UPLIFT_TASK_PREFIX = 'uplift:';
export const upliftTask = (campaign: string): string => `${UPLIFT_TASK_PREFIX}${campaign}`;
/** Split seeds of the model choice (the eval uses ten; three keep `train uplift` to seconds). */
export const CHOICE_SEEDS = [0, 1, 2];

export interface TrainUpliftOptions {
  readonly campaign: string;
  readonly outcome: Outcome;
  /** 'auto' or a candidate name such as 't-learner logistic'. */
  readonly method: string;
  /** Feature names to use (default: every feature the contacts carry). */
  readonly features?: readonly string[];
}

export interface TrainUpliftResult {
  readonly artifact: ModelArtifact;
  readonly chosen: string;
  /** Per treatment: the candidates' mean/sd Qini and uplift@30% over the choice splits (auto only). */
  readonly comparison: readonly { readonly treatment: string; readonly summary: readonly Summary[] }[];
  readonly contacts: number;
  /** Contacts left out because their outcome is neither recorded nor derivable. */
  readonly withoutOutcome: number;
  readonly features: readonly string[];
  readonly treatments: readonly string[];
  readonly control: string;
}

/** The meta an uplift artifact carries besides the models. */
export interface UpliftMeta {
  readonly campaign: string;
  readonly outcome: Outcome;
  readonly control: string;
  readonly method: string;
  readonly encoding: FeatureEncoding;
}

export function contactWhere(campaign: string, c: ContactRow): string {
  return `campaign '${campaign}', customer '${c.customerId}'`;
}

/** The contacts' feature records; a contact without features is refused by name. */
export function contactRecords(data: CampaignData, contacts: readonly ContactRow[]): FeatureRecord[] {
  return contacts.map((c) => {
    if (!c.features) {
      throw new CampaignError(
        `${contactWhere(data.campaign.campaignId, c)}: the customer has no features (campaign_contacts.features is null); ` +
          'every contact needs the features the model reads',
      );
    }
    return c.features;
  });
}

/** Numeric when every present value is a finite number (or its text), else categorical. */
function chooseEncoding(records: readonly FeatureRecord[], names: readonly string[]): FeatureEncoding {
  const numeric: string[] = [];
  const categorical: string[] = [];
  for (const name of names) {
    const isNumber = records.every((r) => {
      const v = r[name];
      return (
        v === null || v === undefined || v === '' || (typeof v !== 'boolean' && Number.isFinite(Number(v)))
      );
    });
    (isNumber ? numeric : categorical).push(name);
  }
  return fitEncoding(records, numeric, categorical);
}

export async function trainUplift(wh: Warehouse, o: TrainUpliftOptions): Promise<TrainUpliftResult> {
  if (!OUTCOMES.includes(o.outcome)) {
    throw new CampaignError(`unknown outcome '${o.outcome}': choose ${OUTCOMES.join(' or ')}`);
  }
  const names = UPLIFT_CANDIDATES.map((c) => c.name);
  if (o.method !== 'auto' && !names.includes(o.method)) {
    throw new CampaignError(`unknown method '${o.method}': choose auto or one of ${names.join(', ')}`);
  }
  const data = await loadCampaign(wh, o.campaign);
  const known = data.contacts.filter((c) => outcomeOf(c, o.outcome) !== null);
  if (known.length === 0) {
    throw new CampaignError(
      `campaign '${o.campaign}': no contact has a known ${o.outcome} (not recorded, and no sent_at to derive it from orders and events)`,
    );
  }
  const records = contactRecords(data, known);
  const available = [...new Set(records.flatMap((r) => Object.keys(r)))].sort();
  const features = o.features ?? available;
  for (const f of features) {
    if (!available.includes(f)) {
      throw new CampaignError(
        `campaign '${o.campaign}' has no feature '${f}' (its contacts carry: ${available.join(', ')})`,
      );
    }
  }
  const encoding = chooseEncoding(records, features);
  const x = encodeRecords(encoding, records, (i) => contactWhere(o.campaign, known[i]!));
  const y = Float32Array.from(known, (c) => outcomeOf(c, o.outcome)!);
  const arm = Int32Array.from(known, (c) => (c.isControl ? 0 : data.treatments.indexOf(c.variant) + 1));

  const comparison: { treatment: string; summary: Summary[] }[] = [];
  let chosen = o.method;
  if (o.method === 'auto') {
    const total = new Map<string, number>();
    data.treatments.forEach((treatment, j) => {
      const rows = Int32Array.from(arm.keys()).filter((i) => arm[i] === 0 || arm[i] === j + 1);
      const sub = {
        features: new Float32Array(rows.length * x.cols),
        rows: rows.length,
        cols: x.cols,
      };
      rows.forEach((r, k) => sub.features.set(x.features.subarray(r * x.cols, (r + 1) * x.cols), k * x.cols));
      const runs = compareUplift(
        sub,
        Float32Array.from(rows, (r) => y[r]!),
        Uint8Array.from(rows, (r) => (arm[r] === 0 ? 0 : 1)),
        UPLIFT_CANDIDATES,
        CHOICE_SEEDS,
      );
      const summary = summarise(runs);
      comparison.push({ treatment, summary });
      for (const s of summary) total.set(s.name, (total.get(s.name) ?? 0) + s.qini.mean);
    });
    chosen = names.reduce((a, b) => ((total.get(b) ?? -Infinity) > (total.get(a) ?? -Infinity) ? b : a));
  }
  const spec = UPLIFT_CANDIDATES.find((c) => c.name === chosen)!.spec;
  const model = fitMultiUplift(x, y, arm, data.treatments, spec);
  const meta: UpliftMeta = {
    campaign: o.campaign,
    outcome: o.outcome,
    control: data.control,
    method: chosen,
    encoding,
  };
  return {
    artifact: upliftToArtifact(model, { ...meta }),
    chosen,
    comparison,
    contacts: known.length,
    withoutOutcome: data.contacts.length - known.length,
    features,
    treatments: data.treatments,
    control: data.control,
  };
}

/** The stored model and what it was trained for. */
export function readUpliftArtifact(a: ModelArtifact): { model: MultiUpliftModel; meta: UpliftMeta } {
  const model = upliftFromArtifact(a);
  const m = a.meta;
  return {
    model,
    meta: {
      campaign: String(m['campaign']),
      outcome: m['outcome'] as Outcome,
      control: String(m['control']),
      method: String(m['method']),
      encoding: m['encoding'] as FeatureEncoding,
    },
  };
}
