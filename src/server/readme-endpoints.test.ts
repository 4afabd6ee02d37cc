/**
 * The README shows every endpoint of the API with a curl example (issue 8): each operation of the
 * server's own OpenAPI document must match at least one `curl` command of README.md, by method and
 * path (a `{param}` of the route matches any one path segment of the example).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** Every curl command of a Markdown text (continuation lines joined) as its method and path. */
function curlCalls(markdown: string): { method: string; path: string }[] {
  const commands = markdown
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('curl '));
  return commands.flatMap((command) => {
    const words = command.split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, ''));
    const url = words.find((w) => /^(https?:\/\/)?[\w.-]+:\d+\//.test(w));
    if (!url) return [];
    const path = url.replace(/^(https?:\/\/)?[\w.-]+:\d+/, '').split('?')[0]!;
    const x = words.indexOf('-X');
    const sendsBody = words.includes('-d') || words.includes('--data');
    const method = x >= 0 ? words[x + 1]!.toUpperCase() : sendsBody ? 'POST' : 'GET';
    return [{ method, path }];
  });
}

/** A route template of the OpenAPI document (`/v1/customers/{id}/profile`) as a path pattern. */
const patternOf = (template: string): RegExp =>
  new RegExp(
    `^${template
      .split('/')
      .map((seg) => (/^\{.+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}$`,
  );

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('README', () => {
  it('reads curl commands, continuation lines and methods included', () => {
    const md = [
      '```sh',
      'curl -s \'localhost:8080/v1/recommendations/user/12347?k=5\' -H "Authorization: Bearer $KEY"',
      'curl -X PUT http://127.0.0.1:8080/v1/products/85123A -H "Authorization: Bearer $KEY" \\',
      '  -d \'{"price": 2.55}\'',
      'curl -s localhost:8080/v1/events -H "Authorization: Bearer $KEY" -d \'{"batch": []}\'',
      'npx shopsight serve',
      '```',
    ].join('\n');
    expect(curlCalls(md)).toEqual([
      { method: 'GET', path: '/v1/recommendations/user/12347' },
      { method: 'PUT', path: '/v1/products/85123A' },
      { method: 'POST', path: '/v1/events' },
    ]);
    expect(patternOf('/v1/customers/{id}/profile').test('/v1/customers/12347/profile')).toBe(true);
    expect(patternOf('/v1/customers/{id}/profile').test('/v1/customers/profile')).toBe(false);
  });

  it('has a curl example for every endpoint of the OpenAPI document', async () => {
    const doc = (await (await fetch(`${s.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const calls = curlCalls(readFileSync(README, 'utf8'));
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations.length).toBeGreaterThan(40);
    const missing = operations.filter((op) => {
      const [method, template] = op.split(' ') as [string, string];
      const pattern = patternOf(template);
      return !calls.some((c) => c.method === method && pattern.test(c.path));
    });
    expect(missing, 'endpoints without a curl example in README.md').toEqual([]);
  });
});
