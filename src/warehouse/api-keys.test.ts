import { describe, expect, it } from 'vitest';
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from './api-keys.js';
import { openWarehouse } from './open.js';

describe('API keys', () => {
  it('stores only a hash, verifies the key it printed, and refuses a wrong, unknown or revoked one', async () => {
    const wh = await openWarehouse(':memory:');
    const { key, record } = await createApiKey(wh, { role: 'read', name: 'storefront' });
    const [stored] = await wh.rows<Record<string, unknown>>('SELECT * FROM api_keys');
    // The secret is everything after `ssk_<id>_`: base64url, so it may itself hold '_'.
    const secret = key.split('_').slice(2).join('_');
    expect(secret).toHaveLength(43); // 32 random bytes
    expect(JSON.stringify(stored)).not.toContain(secret);
    // SHA-256 of the secret part, hex: 64 characters.
    expect(stored!['secret_sha256']).toMatch(/^[0-9a-f]{64}$/);
    const keys = await listApiKeys(wh);
    expect(verifyApiKey(keys, key)).toMatchObject({ ok: true, key: { keyId: record.keyId, role: 'read' } });
    const flipped = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(verifyApiKey(keys, flipped)).toEqual({
      ok: false,
      reason: `wrong secret for API key ${record.keyId}`,
    });
    expect(verifyApiKey(keys, 'Bearer')).toMatchObject({ ok: false });
    expect(await revokeApiKey(wh, record.keyId)).toBe(true);
    expect(await revokeApiKey(wh, record.keyId)).toBe(false);
    expect(verifyApiKey(await listApiKeys(wh), key)).toEqual({
      ok: false,
      reason: `API key ${record.keyId} was revoked`,
    });
    await wh.close();
  });
});
