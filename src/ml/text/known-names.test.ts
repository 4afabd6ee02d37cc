import { describe, expect, it } from 'vitest';
import { KnownNames } from './known-names.js';

const found = (k: KnownNames, t: string): string[] => k.spans(t).map((s) => t.slice(s.start, s.end));

describe('KnownNames', () => {
  const known = KnownNames.build(
    [
      { first: 'Ann', last: 'Lee' },
      { first: '小明', last: '王' },
      { first: 'Rose', last: 'Tyler' },
      { first: 'Mary Jane Watson' }, // a full name kept in one field
    ],
    [{ first: 'Priya', last: 'Patel' }],
  );

  it('finds full names as whole words in any case and either order', () => {
    expect(found(known, 'ann LEE wrote, then Lee Ann; Annlee and Ann, Lee are not')).toEqual([
      'ann LEE',
      'Lee Ann',
    ]);
    expect(found(known, 'ask mary jane watson')).toEqual(['mary jane watson']);
  });

  it('finds Chinese names as written, surname first, inside running text', () => {
    expect(found(known, '客户王小明说没收到')).toEqual(['王小明']);
    expect(found(known, '小明说')).toEqual([]); // another customer's given name alone: kept
  });

  it("takes a name's parts alone only for the asking customer", () => {
    expect(found(known, 'Priya here, Patel family; Rose gold ring')).toEqual(['Priya', 'Patel']);
  });

  it('is empty when built from nothing', () => {
    expect(KnownNames.EMPTY.spans('Ann Lee')).toEqual([]);
    expect(KnownNames.build([{ first: null, last: ' ' }]).size).toBe(0);
  });
});
