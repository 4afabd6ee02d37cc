import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expandKey, hmacPseudonym, pseudonymKeyFromEnv, PSEUDONYM_KEY_ENV } from './pseudonymise.js';

describe('pseudonymise', () => {
  it('hmacPseudonym is p_ + the first 32 hex digits of HMAC-SHA256 (RFC 4231 test case 2)', () => {
    // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
    const full = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(createHmac('sha256', 'Jefe').update('what do ya want for nothing?').digest('hex')).toBe(full);
    expect(hmacPseudonym('Jefe', 'what do ya want for nothing?')).toBe('p_' + full.slice(0, 32));
  });

  it('expands a key into the RFC 2104 pads', () => {
    const { innerPadHex, outerPadHex } = expandKey('A');
    // 'A' = 0x41; 0x41 ^ 0x36 = 0x77, 0x41 ^ 0x5c = 0x1d; the rest of the block is 0 ^ pad.
    expect(innerPadHex).toBe('77' + '36'.repeat(63));
    expect(outerPadHex).toBe('1d' + '5c'.repeat(63));
    // Keys longer than the block are hashed first, as HMAC requires.
    expect(expandKey('k'.repeat(100)).innerPadHex).toHaveLength(128);
  });

  it('refuses a missing or short key with the variable name', () => {
    expect(() => pseudonymKeyFromEnv({})).toThrow(new RegExp(PSEUDONYM_KEY_ENV));
    expect(() => pseudonymKeyFromEnv({ [PSEUDONYM_KEY_ENV]: 'short' })).toThrow(/too short/);
    expect(pseudonymKeyFromEnv({ [PSEUDONYM_KEY_ENV]: 'sixteen-chars-ok' }).innerPadHex).toHaveLength(128);
  });
});
