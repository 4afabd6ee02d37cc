import { describe, expect, it } from 'vitest';
import { chineseIdCheckChar, isChineseResidentId, luhnValid } from './check-digits.js';

describe('Chinese resident ID check character (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  it("gives the standard's example its X, and a worked digit", () => {
    // The example of GB 11643-1999: 11010519491231002X.
    expect(chineseIdCheckChar('11010519491231002')).toBe('X');
    // 44030619900101123?: sum of weights x digits = 4*7+4*9+0*10+3*5+0*8+6*4+1*2+9*1+9*6+0*3+0*7+1*9+0*10+1*5+1*8+2*4+3*2 = 204; 204 mod 11 = 6 -> '6'.
    expect(chineseIdCheckChar('44030619900101123')).toBe('6');
  });

  it('accepts valid numbers (x or X), refuses a wrong check character, an impossible date, a leading 0 or a wrong length', () => {
    expect(isChineseResidentId('11010519491231002X')).toBe(true);
    expect(isChineseResidentId('11010519491231002x')).toBe(true);
    expect(isChineseResidentId('440306199001011236')).toBe(true);
    expect(isChineseResidentId('440306199001011235')).toBe(false);
    expect(isChineseResidentId('110105194912310021')).toBe(false);
    // 1949-02-30 does not exist (its own check character would be right).
    const feb30 = '11010519490230002';
    expect(isChineseResidentId(feb30 + chineseIdCheckChar(feb30))).toBe(false);
    expect(isChineseResidentId('01010519491231002' + chineseIdCheckChar('01010519491231002'))).toBe(false);
    expect(isChineseResidentId('11010519491231002')).toBe(false);
    expect(isChineseResidentId('1101051949123100211')).toBe(false);
  });
});

describe('Luhn', () => {
  it("accepts the card networks' published test numbers and refuses them with one digit changed", () => {
    for (const n of [
      '4111111111111111',
      '5500000000000004',
      '378282246310005',
      '6011000000000004',
      '79927398713',
    ]) {
      expect(luhnValid(n), n).toBe(true);
      const last = Number(n[n.length - 1]);
      expect(luhnValid(n.slice(0, -1) + String((last + 1) % 10)), n).toBe(false);
    }
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4111 1111 1111 1111')).toBe(false);
  });
});
