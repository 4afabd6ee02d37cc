/**
 * @module warehouse/api-keys
 * The HTTP API's keys. A key is `ssk_<key_id>_<secret>`: the id finds the row, only a SHA-256 of the
 * secret is stored (the secret is 256 random bits, so a fast hash cannot be brute-forced the way a
 * password could), and the whole key is shown once, when it is created.
 *
 * @example
 *   const { key } = await createApiKey(wh, { role: 'read', name: 'storefront' }); // ssk_3f9a0c1d_...
 *   verifyApiKey(await listApiKeys(wh), key); // { keyId: '3f9a0c1d', role: 'read', ... }
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chInsertApiKey, chListApiKeys, chRevokeApiKey } from './clickhouse/api-keys.js';
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import type { Warehouse } from './warehouse.js';

export const API_ROLES = ['admin', 'ingest', 'read'] as const;
/** admin: everything (train, promote, import, keys); ingest: events and upserts; read: answers. */
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly name: string;
  readonly role: ApiRole;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  /** Hex SHA-256 of the secret part; never the key. */
  readonly secretSha256: string;
}

const KEY_PATTERN = /^ssk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export async function createApiKey(
  wh: Warehouse,
  options: { role: ApiRole; name?: string },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const { key, record } = mintApiKey(options);
  if (wh instanceof ClickHouseStore) {
    await chInsertApiKey(wh, record);
    return { key, record };
  }
  await wh.exec(
    'INSERT INTO api_keys (key_id, name, role, secret_sha256, created_at) VALUES (?, ?, ?, ?, ?)',
    [record.keyId, record.name, record.role, record.secretSha256, record.createdAt],
  );
  return { key, record };
}

/** A new key and the record to store for it (each engine stores it its own way). */
export function mintApiKey(options: { role: ApiRole; name?: string }): { key: string; record: ApiKeyRecord } {
  const keyId = randomBytes(4).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = {
    keyId,
    name: options.name ?? `${options.role} key`,
    role: options.role,
    createdAt: new Date(),
    revokedAt: null,
    secretSha256: sha256Hex(secret),
  };
  return { key: `ssk_${keyId}_${secret}`, record };
}

/** Every key, revoked ones included (with revokedAt), oldest first. */
export async function listApiKeys(wh: Warehouse): Promise<ApiKeyRecord[]> {
  if (wh instanceof ClickHouseStore) return chListApiKeys(wh);
  const rows = await wh.rows<{
    key_id: string;
    name: string;
    role: ApiRole;
    secret_sha256: string;
    created_at: Date;
    revoked_at: Date | null;
  }>('SELECT * FROM api_keys ORDER BY created_at, key_id');
  return rows.map((r) => ({
    keyId: r.key_id,
    name: r.name,
    role: r.role,
    secretSha256: r.secret_sha256,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes a key by its id; false when there is no such key or it was revoked already. */
export async function revokeApiKey(wh: Warehouse, keyId: string): Promise<boolean> {
  if (wh instanceof ClickHouseStore) return chRevokeApiKey(wh, keyId);
  const found = await wh.rows<{ n: number }>(
    'SELECT count(*) AS n FROM api_keys WHERE key_id = ? AND revoked_at IS NULL',
    [keyId],
  );
  if (!found[0]?.n) return false;
  await wh.exec('UPDATE api_keys SET revoked_at = ? WHERE key_id = ?', [new Date(), keyId]);
  return true;
}

/**
 * The live key a presented string is, or why not. Constant-time comparison of the hashes, so the
 * time taken does not tell an attacker how much of a secret matched.
 */
export function verifyApiKey(
  keys: readonly ApiKeyRecord[],
  presented: string,
): { ok: true; key: ApiKeyRecord } | { ok: false; reason: string } {
  const m = KEY_PATTERN.exec(presented);
  if (!m) return { ok: false, reason: 'the key is not a Shopsight API key (ssk_<id>_<secret>)' };
  const record = keys.find((k) => k.keyId === m[1]);
  if (!record) return { ok: false, reason: `no API key with id ${m[1]}` };
  const a = Buffer.from(sha256Hex(m[2]!), 'hex');
  const b = Buffer.from(record.secretSha256, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return { ok: false, reason: `wrong secret for API key ${m[1]}` };
  }
  if (record.revokedAt) return { ok: false, reason: `API key ${m[1]} was revoked` };
  return { ok: true, key: record };
}
