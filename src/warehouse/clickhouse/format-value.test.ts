import { describe, expect, it } from 'vitest';
import { parseServerError } from './errors.js';
import { bindParams, chLiteral, tsvField } from './format-value.js';
import { parseClickHouseLocation } from './location.js';

describe('values reach ClickHouse SQL only as escaped literals', () => {
  it('escapes quotes and backslashes so a value cannot end its string', () => {
    expect(chLiteral("O'Brien")).toBe("'O\\'Brien'");
    expect(chLiteral("x\\' OR 1=1 --")).toBe("'x\\\\\\' OR 1=1 --'");
    expect(chLiteral('a\tb\nc')).toBe("'a\\tb\\nc'");
  });

  it('writes numbers, flags, NULL and UTC times', () => {
    expect(chLiteral(12.5)).toBe('12.5');
    expect(chLiteral(true)).toBe('1');
    expect(chLiteral(null)).toBe('NULL');
    expect(chLiteral(new Date('2011-12-09T12:50:00Z'))).toBe("toDateTime('2011-12-09 12:50:00', 'UTC')");
    expect(() => chLiteral(Number.NaN)).toThrow(/NaN cannot be sent/);
  });

  it('binds ? outside quotes and comments, and counts them', () => {
    expect(bindParams("SELECT '?' AS q, ? AS a -- why?\n, ? AS b", ['x', 2])).toBe(
      "SELECT '?' AS q, 'x' AS a -- why?\n, 2 AS b",
    );
    expect(() => bindParams('SELECT ?', [])).toThrow(/more \? than the 0 values/);
    expect(() => bindParams('SELECT 1', [1])).toThrow(/1 values given for 0/);
  });

  it('escapes TSV fields and writes NULL as \\N', () => {
    expect(tsvField('a\tb\\c\nd')).toBe('a\\tb\\\\c\\nd');
    expect(tsvField(null)).toBe('\\N');
  });
});

describe('server errors', () => {
  it('reads the code of an 18.16 error and of a current one', () => {
    expect(
      parseServerError(
        "Code: 60, e.displayText() = DB::Exception: Table default.nope doesn't exist., e.what() = DB::Exception",
      ),
    ).toEqual({ code: 60, message: "Table default.nope doesn't exist." });
    expect(
      parseServerError(
        'Code: 60. DB::Exception: Table default.nope does not exist. (UNKNOWN_TABLE) (version 24.3.1.1)',
      ),
    ).toEqual({ code: 60, message: 'Table default.nope does not exist.' });
  });
});

describe('clickhouse:// locations', () => {
  it('reads host, database, cluster, nodes, timeout and max_queries', () => {
    expect(parseClickHouseLocation('clickhouse://h:8123/shop?cluster=c').maxQueries).toBe(2);
    expect(
      parseClickHouseLocation(
        'clickhouse://u:p@10.0.0.1:8124/shop?cluster=c&nodes=a:1,b:2&timeout=3&max_queries=16',
      ),
    ).toEqual({
      url: 'http://10.0.0.1:8124',
      database: 'shop',
      cluster: 'c',
      username: 'u',
      password: 'p',
      nodes: ['http://a:1', 'http://b:2'],
      connectTimeoutMs: 3000,
      maxQueries: 16,
    });
  });

  it('refuses what it cannot use, naming why', () => {
    expect(() => parseClickHouseLocation('clickhouse://h:8123/shop')).toThrow(/no \?cluster=name/);
    for (const bad of ['0', '2.5', 'many']) {
      expect(() => parseClickHouseLocation(`clickhouse://h:8123/shop?cluster=c&max_queries=${bad}`)).toThrow(
        `max_queries must be a whole number >= 1, got '${bad}'`,
      );
    }
    expect(() => parseClickHouseLocation('clickhouse://h:8123/?cluster=c')).toThrow(/no database name/);
    expect(() => parseClickHouseLocation('clickhouse://h:8123/sh-op?cluster=c')).toThrow(
      /not a plain identifier/,
    );
    expect(() => parseClickHouseLocation('clickhouse://u:secret@h:8123/shop?cluster=c&x=1')).toThrow(
      /unknown parameter 'x'/,
    );
    expect(() => parseClickHouseLocation('clickhouse://u:secret@h:8123/shop?cluster=c&x=1')).not.toThrow(
      /secret/,
    );
  });
});
