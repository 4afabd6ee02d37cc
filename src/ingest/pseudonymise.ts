/**
 * @module ingest/pseudonymise
 * Keyed pseudonyms for personal identifiers, so a data scientist can work on a store without its
 * customers' ids and e-mails. A pseudonym is `p_` + the first 32 hex digits (128 bits) of
 * HMAC-SHA256(key, value): stable for a key (joins still work), irreversible without it, and a
 * different key gives unlinkable pseudonyms. The key comes from an environment variable, never a
 * flag, so it stays out of shell history and process lists.
 *
 * The warehouse computes the same HMAC in SQL from the two padded keys below (the standard
 * construction, RFC 2104), so values never leave the database; `hmacPseudonym` is the reference the
 * tests compare it with.
 */
import { createHash, createHmac } from 'node:crypto';

export const PSEUDONYM_KEY_ENV = 'SHOPSIGHT_PSEUDONYM_KEY';
/** Canonical columns that identify a person and are replaced when pseudonymising. */
export const PERSONAL_COLUMNS = ['customer_id', 'email', 'anonymous_id'] as const;
/** Canonical columns holding a person's name: a pseudonym of a name serves no join, so they are not imported at all. */
export const NAME_COLUMNS = ['first_name', 'last_name'] as const;
export const PSEUDONYM_PREFIX = 'p_';
export const PSEUDONYM_HEX_DIGITS = 32;

/** The HMAC key expanded to its inner and outer pads (hex), ready for the SQL construction. */
export interface PseudonymKey {
  readonly innerPadHex: string;
  readonly outerPadHex: string;
}

const BLOCK = 64; // SHA-256 block size in bytes
const MIN_KEY_LENGTH = 16;

export function pseudonymKeyFromEnv(env: NodeJS.ProcessEnv = process.env): PseudonymKey {
  const key = env[PSEUDONYM_KEY_ENV];
  if (!key) {
    throw new Error(
      `--pseudonymise needs a secret key in the environment variable ${PSEUDONYM_KEY_ENV} ` +
        `(at least ${MIN_KEY_LENGTH} characters; keep it safe: the same key gives the same pseudonyms)`,
    );
  }
  if (key.length < MIN_KEY_LENGTH) {
    throw new Error(`${PSEUDONYM_KEY_ENV} is too short: use at least ${MIN_KEY_LENGTH} characters`);
  }
  return expandKey(key);
}

export function expandKey(key: string): PseudonymKey {
  let k = Buffer.from(key, 'utf8');
  if (k.length > BLOCK) k = createHash('sha256').update(k).digest();
  const padded = Buffer.alloc(BLOCK);
  k.copy(padded);
  const inner = Buffer.alloc(BLOCK);
  const outer = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = padded[i]! ^ 0x36;
    outer[i] = padded[i]! ^ 0x5c;
  }
  return { innerPadHex: inner.toString('hex'), outerPadHex: outer.toString('hex') };
}

/** Reference implementation (node:crypto) of the pseudonym the warehouse computes in SQL. */
export function hmacPseudonym(key: string, value: string): string {
  const hex = createHmac('sha256', key).update(value, 'utf8').digest('hex');
  return PSEUDONYM_PREFIX + hex.slice(0, PSEUDONYM_HEX_DIGITS);
}
