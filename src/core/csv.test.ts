import { describe, expect, it } from 'vitest';
import { csvField, csvRow } from './csv.js';

describe('csvField (RFC 4180)', () => {
  it('leaves a plain field as it is', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Maison Lumière')).toBe('Maison Lumière');
  });

  it('quotes a field with a comma, LF or CR', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('crlf\r\nend')).toBe('"crlf\r\nend"');
  });

  it('quotes a field with a double quote and doubles every inner quote', () => {
    expect(csvField('15" sleeve')).toBe('"15"" sleeve"');
    expect(csvField('{"a":1}')).toBe('"{""a"":1}"');
    expect(csvField('"')).toBe('""""');
  });

  it('writes null, undefined and the empty string as an empty field', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('');
  });
});

describe('csvRow', () => {
  it('joins quoted fields with commas, nulls as empty fields', () => {
    expect(csvRow(['a,b', null, 'c', '', 'x\ry'])).toBe('"a,b",,c,,"x\ry"');
    expect(csvRow([])).toBe('');
  });
});
