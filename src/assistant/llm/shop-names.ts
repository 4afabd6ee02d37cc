/**
 * @module assistant/llm/shop-names
 * The names redact.ts takes out of text bound for an endpoint: every customer's full name, and the
 * asking customer's name parts alone too (known-names.ts says why only theirs). Read only when
 * redaction is on; every customer's names are kept between calls until the customers' names
 * change (the fingerprint: one aggregate query), so a support request does not read the whole
 * table each time.
 *
 * @example
 *   const names = await shopNames(wh, config, '12347');
 *   forEndpoint(config, 'Is Ann Lee's parcel here?', { knownNames: names }); // "Is [NAME]'s parcel here?"
 */
import { KnownNames } from '../../ml/text/known-names.js';
import { customerName, customerNames, customerNamesFingerprint } from '../../warehouse/customer-names.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { LlmConfig } from './config.js';

let cached: { readonly fingerprint: string; readonly names: KnownNames } | undefined;

const asPerson = (n: { first_name: string | null; last_name: string | null }) => ({
  first: n.first_name,
  last: n.last_name,
});

/** The store's known names for redaction; none when redaction is off (nothing to read). */
export async function shopNames(
  wh: Warehouse,
  config: Pick<LlmConfig, 'redactPersonalData'>,
  askingCustomer?: string,
): Promise<readonly KnownNames[]> {
  if (!config.redactPersonalData) return [];
  const fingerprint = await customerNamesFingerprint(wh);
  if (cached?.fingerprint !== fingerprint) {
    cached = { fingerprint, names: KnownNames.build((await customerNames(wh)).map(asPerson)) };
  }
  const own = askingCustomer === undefined ? undefined : await customerName(wh, askingCustomer);
  return own ? [cached.names, KnownNames.build([], [asPerson(own)])] : [cached.names];
}
