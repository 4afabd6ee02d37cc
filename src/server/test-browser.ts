/**
 * @module server/test-browser
 * For browser tests: Debian's Chromium driven by playwright-core, launched exactly as the project's
 * machines allow (no sandbox, no GPU, nothing fetched in the background, a fresh profile), with
 * every console error, uncaught page error, failed request and HTTP error answer collected, so a
 * test can fail on any of them.
 *
 * Chromium comes from `apt-get install -y chromium fonts-wqy-microhei` (the font renders Chinese);
 * .ci/run installs it. Without it `chromiumMissing()` says why, and the tests skip loudly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DASHBOARD_DIR } from './routes/dashboard.js';

export const CHROMIUM = process.env['SHOPSIGHT_CHROMIUM'] ?? '/usr/bin/chromium';

/** The flags of issue 18; `--headless` is Playwright's `headless: true`. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Why browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `Chromium not found at ${CHROMIUM}: BROWSER TESTS SKIPPED. Install it with: apt-get install -y chromium fonts-wqy-microhei`;
}

/** The newest modification time of a file under `dir` (0 when there is none). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds the dashboard into dist/web when it is not there (a checkout where only tsc ran) or older
 * than a file of web/ or of src/report (the pages import its model headlines): a browser test must
 * not pass on the bundle of an earlier checkout.
 */
export function ensureDashboardBuilt(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const index = join(DASHBOARD_DIR, 'index.html');
  const sources = Math.max(newestMtime(join(root, 'web')), newestMtime(join(root, 'src', 'report')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, page errors, failed requests and HTTP >= 400 answers, in order. */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function openTestBrowser(options: { locale?: string } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'shopsight-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
    locale: options.locale ?? 'en-GB',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A request the app aborts on purpose (a filter changed before the answer came) is not a failure.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Run in the page, polled on every frame (the expressions are strings: this file is typed without
 * the DOM). performance.now() is the time since navigation start, so the runner's own latency is
 * not in what they read.
 */
function pollInPage<T>(page: Page, expression: string, timeout: number): Promise<T> {
  return page
    .waitForFunction(expression, undefined, { polling: 'raf', timeout })
    .then((h) => h.jsonValue() as Promise<T>);
}

/**
 * performance.now() on the first frame in which every selector of one of `alternatives` matches an
 * element that is on screen (laid out and not `visibility: hidden`).
 */
export function shownAt(page: Page, alternatives: string[][], timeout = 60_000): Promise<number> {
  return pollInPage(
    page,
    `${JSON.stringify(alternatives)}.some((sels) => sels.every((s) => {
      const e = document.querySelector(s);
      return e !== null && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    })) && performance.now()`,
    timeout,
  );
}

/**
 * Opens an Ant Design select and picks the option showing `option`, then waits for `took` (the
 * page's answer to the choice, e.g. its URL). Tried up to three times: a CI run saw the open
 * dropdown move and re-render under the click while the page laid out a table that had just loaded
 * (the option "outside of the viewport", "not stable", then detached from the DOM until the click
 * timed out after 60 s), so a try that does not take closes the dropdown and opens it again.
 */
export async function chooseOption(
  page: Page,
  select: Locator,
  option: string | RegExp,
  took: (timeout: number) => Promise<unknown>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await select.click({ timeout: 15_000 });
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
          hasText: option,
        })
        .click({ timeout: 15_000 });
      await took(15_000);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

/** What the dashboard's first view (web/src/first-view/) showed on the first frame it was on screen. */
export interface FirstViewSeen {
  /** performance.now(): ms since navigation start. */
  readonly at: number;
  readonly net: string;
  readonly orders: string;
  /** The whole net revenue card's text (title, value, change). */
  readonly netCard: string;
  /** SVG paths of the revenue chart: one per bar, plus the axes. */
  readonly paths: number;
}

/**
 * Waits for the first view's KPI cards and revenue chart and reads them on that frame: the app may
 * replace the view a moment later.
 */
export function firstViewSeen(page: Page, timeout = 60_000): Promise<FirstViewSeen> {
  return pollInPage(
    page,
    `(() => {
      const card = (k) => document.querySelector('[data-testid=first-kpi-' + k + ']');
      const value = (k) => card(k)?.querySelector('[data-role=value]')?.textContent ?? null;
      const chart = document.querySelector('[data-testid=first-revenue-series] svg');
      const net = value('netRevenue');
      return net !== null && chart !== null && {
        at: performance.now(),
        net,
        orders: value('orders'),
        netCard: card('netRevenue').textContent,
        paths: chart.querySelectorAll('path').length,
      };
    })()`,
    timeout,
  );
}
