import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDashboardFiles } from './dashboard.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-web-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadDashboardFiles', () => {
  it('is empty until the dashboard is built (no index.html)', () => {
    expect(loadDashboardFiles(dir).size).toBe(0);
  });

  it('holds every built file by its URL path, with its type and a gzip copy of the same bytes', () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1);'.repeat(100));
    writeFileSync(join(dir, 'assets', 'index-abc.css'), 'body{margin:0}');
    const files = loadDashboardFiles(dir);
    expect([...files.keys()].sort()).toEqual([
      '/assets/index-abc.css',
      '/assets/index-abc.js',
      '/index.html',
    ]);
    const js = files.get('/assets/index-abc.js')!;
    expect(js.type).toBe('text/javascript; charset=utf-8');
    expect(files.get('/assets/index-abc.css')!.type).toBe('text/css; charset=utf-8');
    expect(files.get('/index.html')!.type).toBe('text/html; charset=utf-8');
    expect(gunzipSync(js.gzip).equals(js.body)).toBe(true);
    expect(js.gzip.length).toBeLessThan(js.body.length / 10); // 100 repeats compress well
  });
});
