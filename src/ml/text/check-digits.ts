/**
 * @module ml/text/check-digits
 * The check-digit rules that tell a real identifier from a run of digits: the Chinese resident ID
 * number (GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits, X for 10, plus a valid birth
 * date) and payment card numbers (the Luhn formula, ISO/IEC 7812-1).
 *
 * @example
 *   isChineseResidentId('11010519491231002X'); // true (the standard's own example)
 *   luhnValid('4111111111111111'); // true
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character of the first 17 digits of an 18-digit resident ID (GB 11643-1999). */
export function chineseIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/**
 * An 18-character resident ID: a region code not starting with 0, a birth date that exists
 * (1900 to 2099), a sequence number, and the check character (X or x for 10) that matches.
 */
export function isChineseResidentId(id: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || year > 2099) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return false;
  return chineseIdCheckChar(id.slice(0, 17)) === id[17]!.toUpperCase();
}

/** Luhn: from the right, double every second digit (minus 9 above 9); the sum is a multiple of 10. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
