/**
 * @module registry/forget
 * Erase one customer everywhere the store keeps them (GDPR art. 17, PIPL art. 47): every table with a
 * personal column (found from the catalogue), quarantine rows and A/B splits naming them, the
 * per-person parts of recommendation bundles (rewritten at once), a mark on every model trained with
 * them (the next training replaces it), and an entry in the erasure log with the counts and nothing
 * personal. The CLI and the server's admin route both call `forgetCustomer`; the CLI then rewrites
 * the database file (docs/privacy.md).
 *
 * @example
 *   const r = await forgetCustomer(wh, { customerId: 'c42', reason: 'request #118' });
 *   r.counts; // { customers: 1, orders: 7, order_items: 19, events: 40, customer_predictions: 1 }
 */
import { decodeArtifact, encodeArtifact } from '../ml/artifact.js';
import { hmacPseudonym, PSEUDONYM_KEY_ENV } from '../ingest/pseudonymise.js';
import { forgetInEventLog } from './forget-event-log.js';
import { BUNDLE_KIND } from '../tasks/recommend/bundle.js';
import { bundleWithoutUsers } from '../tasks/recommend/forget-users.js';
import { listModels, markModelsErased, readArtifact, replaceArtifact } from '../warehouse/model-store.js';
import {
  erasePerson,
  findPerson,
  logErasure,
  personRows,
  tokenPattern,
  type ErasureCounts,
  type OrdersMode,
  type PersonKeys,
} from '../warehouse/personal-data.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface ForgetRequest {
  readonly customerId: string;
  readonly email?: string;
  readonly reason?: string;
  /** Default 'delete'; 'anonymise' keeps the orders and lines for the accounts, unlinked. */
  readonly orders?: OrdersMode;
  /**
   * Also rewrite the server's event log files beside the database without the person: only when no
   * server runs (the CLI holds the file); a running server commits its log to the warehouse first.
   */
  readonly eventLogFiles?: boolean;
  /** Where the pseudonym key is read (SHOPSIGHT_PSEUDONYM_KEY), for a pseudonymised store. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface ForgetResult {
  readonly erasedAt: Date;
  readonly ordersMode: OrdersMode;
  /** Rows removed (orders: unlinked when anonymised) per table. */
  readonly counts: ErasureCounts;
  /** Recommendation bundles rewritten without the person. */
  readonly modelsRewritten: readonly string[];
  /** Models marked as trained with the person (replaced by the next training). */
  readonly modelsMarked: readonly string[];
  /** Whether the person was found by the pseudonym of the id given (the store is pseudonymised). */
  readonly byPseudonym: boolean;
}

/** The customer is in no table: nothing was changed. */
export class UnknownCustomerError extends Error {
  override readonly name = 'UnknownCustomerError';
}

/** The ids and e-mails to look for: as given, and their pseudonyms when the key is set. */
function candidates(r: ForgetRequest): { customerIds: string[]; emails: string[] } {
  const key = (r.env ?? process.env)[PSEUDONYM_KEY_ENV];
  const ids = [r.customerId];
  const emails = r.email ? [r.email] : [];
  if (key) {
    ids.push(hmacPseudonym(key, r.customerId));
    if (r.email) emails.push(hmacPseudonym(key, r.email));
  }
  return { customerIds: ids, emails };
}

/** Whole-token matcher for every text naming the person (ids, e-mails, pseudonyms, visitor ids). */
export function namesPerson(needles: readonly string[]): (text: string) => boolean {
  const patterns = needles.map((n) => new RegExp(tokenPattern(n)));
  return (text) => patterns.some((p) => p.test(text));
}

/** The person, or UnknownCustomerError naming what was looked for. */
export async function resolvePerson(
  wh: Warehouse,
  r: ForgetRequest,
): Promise<{ person: PersonKeys; needles: string[] }> {
  const c = candidates(r);
  const person = await findPerson(wh, c);
  if (!person) {
    const pseud = c.customerIds.length > 1 ? ' (nor its pseudonym)' : '';
    throw new UnknownCustomerError(
      `unknown customer '${r.customerId}'${r.email ? ` / e-mail '${r.email}'` : ''}: no table of ${wh.location} holds it${pseud}; nothing was changed` +
        (c.customerIds.length === 1
          ? ` (for a pseudonymised store set ${PSEUDONYM_KEY_ENV} to its key)`
          : ''),
    );
  }
  const needles = [...new Set([...c.customerIds, ...c.emails, ...person.customerIds, ...person.emails])];
  return { person, needles };
}

/**
 * Rewrites every recommendation bundle holding the person without them and marks every model that
 * may have trained with them (a customer model does not record which customers it trained on, so
 * every one is marked: the conservative reading; docs/privacy.md). Re-running it changes nothing:
 * a rewritten bundle no longer holds the person.
 */
async function eraseFromModels(
  wh: Warehouse,
  forget: ReadonlySet<string>,
  erasedAt: Date,
): Promise<{ rewritten: string[]; marked: string[] }> {
  const rewritten: string[] = [];
  const marked: string[] = [];
  for (const m of await listModels(wh)) {
    if (m.kind === BUNDLE_KIND) {
      const next = bundleWithoutUsers(decodeArtifact(await readArtifact(wh, m.modelId)), forget);
      if (!next) continue;
      await replaceArtifact(wh, m.modelId, encodeArtifact(next));
      rewritten.push(m.modelId);
      marked.push(m.modelId);
    } else {
      marked.push(m.modelId);
    }
  }
  await markModelsErased(wh, marked, erasedAt);
  return { rewritten, marked };
}

/**
 * Erases the person (see the module comment). On DuckDB in one transaction. On ClickHouse (no
 * transactions) step by step, each idempotent: the models first, then the rows table by table, the
 * erasure log written before the last table's rows go; a failure part-way leaves the person
 * findable, and running the same forget again completes it (docs/privacy.md).
 */
export async function forgetCustomer(wh: Warehouse, r: ForgetRequest): Promise<ForgetResult> {
  const { person, needles } = await resolvePerson(wh, r);
  const ordersMode = r.orders ?? 'delete';
  const erasedAt = new Date();
  const forget = new Set(person.customerIds);
  const byPseudonym = !person.customerIds.includes(r.customerId) && person.customerIds.length > 0;
  const log = (counts: ErasureCounts) =>
    logErasure(wh, { erasedAt, reason: r.reason ?? null, ordersMode, counts });
  const stepByStep = async () => {
    const models = await eraseFromModels(wh, forget, erasedAt);
    const counts = await erasePerson(wh, person, {
      orders: ordersMode,
      textNeedles: needles,
      beforeLast: log,
    });
    return { counts, models };
  };
  const inOneTransaction = () =>
    wh.transaction(async () => {
      const counts = await erasePerson(wh, person, { orders: ordersMode, textNeedles: needles });
      if (r.eventLogFiles) {
        const keys = new Set([...needles, ...person.anonymousIds]);
        const n = forgetInEventLog(wh.location, keys, namesPerson([...keys]));
        if (n > 0) counts['event_log'] = n;
      }
      const models = await eraseFromModels(wh, forget, erasedAt);
      await log(counts);
      return { counts, models };
    });
  const { counts, models } = wh.engine === 'clickhouse' ? await stepByStep() : await inOneTransaction();
  return {
    erasedAt,
    ordersMode,
    counts,
    modelsRewritten: models.rewritten,
    modelsMarked: models.marked,
    byPseudonym,
  };
}

export interface CustomerExport {
  readonly exportedAt: string;
  /** The id asked for, and the ids the store holds them by (a pseudonym in a pseudonymised store). */
  readonly customerId: string;
  readonly heldAs: readonly string[];
  /** Every row about them per table, predictions with their reasons included. */
  readonly tables: Record<string, Record<string, unknown>[]>;
}

/** JSON-ready values: dates as ISO text, big integers as numbers; text (JSON columns too) as stored. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Everything the store holds about a customer (access request); UnknownCustomerError as forget. */
export async function exportCustomer(
  wh: Warehouse,
  r: Pick<ForgetRequest, 'customerId' | 'email' | 'env'>,
): Promise<CustomerExport> {
  const { person } = await resolvePerson(wh, r);
  const rows = await personRows(wh, person);
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const [t, list] of Object.entries(rows)) {
    tables[t] = list.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
  }
  return {
    exportedAt: new Date().toISOString(),
    customerId: r.customerId,
    heldAs: person.customerIds,
    tables,
  };
}
