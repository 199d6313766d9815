import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { packageRoot } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import { createApiToken, parseApiTokenEntries } from '../../src/security/apiTokens';
import { HOSTILE_SID, HOSTILE_VALUE, hostileSeedCopy } from '../support/seedCopies';
import { dataOf, ingest, startTestServer, type TestServer } from './support/api';
import { resetGraph, testGraph } from './support/graph';

/**
 * The web console in a real browser: headless Chromium (Debian's `chromium`
 * package; .ci/run installs it) driven by puppeteer-core, against a real
 * whocan server on seed/. Expected principals and paths are those of
 * seed/README.md (Q1, GET /pets on prod). A screenshot of each page is kept
 * in test-artifacts/console/.
 */

const CHROMIUM = process.env['WHOCAN_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(packageRoot(), 'test-artifacts', 'console');
const PROD = '333344445555';
const X = `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5`;
const GET_PETS = `${X}/prod/GET/pets`;
const iam = (account: string, kind: string, name: string) => `arn:aws:iam::${account}:${kind}/${name}`;
const BOB = iam(PROD, 'user', 'bob-caller');
const CAROL = iam(PROD, 'user', 'carol-caller');
const ORG_ADMIN = iam('111122223333', 'user', 'org-admin');

/** seed/README.md, Q1, GET /pets on prod: every principal that may invoke it, with its answer. */
const GET_PETS_ANSWER: Record<string, string> = {
  [BOB]: 'ALLOWED',
  [CAROL]: 'CONDITIONAL',
  [iam(PROD, 'role', 'reporting-role')]: 'ALLOWED',
  'ec2.amazonaws.com': 'ALLOWED',
  [iam(PROD, 'role', 'OrganizationAccountAccessRole')]: 'ALLOWED',
  [ORG_ADMIN]: 'ALLOWED',
  [iam('222233334444', 'user', 'judy-analyst')]: 'ALLOWED',
  'arn:aws:iam::999988887777:root': 'CONDITIONAL',
};

// The functions handed to page.evaluate run in the browser: its globals, for the compiler only.

// The tests compile without the DOM library, so these name only the parts the page functions use.

/** An element as the page functions read it. */
interface PageElement {
  textContent: string | null;
  hidden: boolean;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): PageElement[];
  click(): void;
}
declare const document: {
  cookie: string;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): PageElement[];
};
/** Set by a hostile value's script if the page ever ran it. */
declare const window: { __whocanPwned?: number };
declare const location: { hash: string };
declare const sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
declare const localStorage: { length: number };

interface Problems {
  /** Console errors, uncaught exceptions, failed requests and HTTP errors the page met. */
  list: string[];
}

describe('the web console in headless Chromium (seed/ loaded)', () => {
  let graph: Graph;
  let server: TestServer;
  let base: string;
  let browser: Browser;
  const reader = createApiToken('reader');

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `The browser tests need Chromium at ${CHROMIUM}: apt-get install -y chromium (or set WHOCAN_CHROMIUM).`,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    graph = await testGraph();
    await resetGraph(graph);
    await ingest(graph);
    server = await startTestServer(graph, { apiTokens: parseApiTokenEntries(reader.entry).entries });
    base = server.url.replace(/\/graphql$/, '');
    // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await resetGraph(graph);
    await graph.close();
  });

  /** A new tab that records every problem; with `token`, the token is in sessionStorage before the console starts. */
  async function newPage(token: string | null = reader.token): Promise<{ page: Page; problems: Problems }> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    const problems: Problems = { list: [] };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.list.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.list.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
    page.on('requestfailed', (r) => problems.list.push(`request failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.list.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    if (token) await page.evaluateOnNewDocument((t: string) => sessionStorage.setItem('whocan.token', t), token);
    return { page, problems };
  }

  async function open(page: Page, hash: string): Promise<void> {
    await page.goto(`${base}/${hash}`, { waitUntil: 'load' });
    await page.waitForSelector('main[data-ready="true"]', { timeout: 60_000 });
  }

  async function shot(page: Page, name: string): Promise<void> {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`# screenshot: ${file}\n`);
  }

  const text = (page: Page, selector: string) => page.$eval(selector, (el: PageElement) => el.textContent ?? '');

  /** The principals of the who-can-invoke table: ARN → decision. */
  async function listed(page: Page): Promise<Record<string, string>> {
    const rows: [string, string][] = await page.$$eval('#principals tbody tr', (trs: PageElement[]) =>
      trs.map((tr): [string, string] => [tr.getAttribute('data-arn') ?? '', tr.getAttribute('data-decision') ?? '']),
    );
    return Object.fromEntries(rows);
  }

  /** The drawn graph as its text list mirrors it: node labels, and edges as "from —label→ to". */
  async function drawn(page: Page): Promise<{ nodes: string[]; edges: string[] }> {
    await page.waitForSelector('.graph-panel[data-nodes]:not([data-nodes="0"])', { timeout: 60_000 });
    const nodes = await page.$$eval('.graph-nodes > li', (lis: PageElement[]) => lis.map((li) => li.getAttribute('data-label') ?? ''));
    const edges = await page.$$eval('.graph-edges > li', (lis: PageElement[]) =>
      lis.map((li) => `${li.getAttribute('data-from')} —${li.getAttribute('data-label')}→ ${li.getAttribute('data-to')}`),
    );
    // The drawing holds what the list says: Cytoscape's own element count.
    const canvasNodes = await page.$eval('.graph-panel', (el: PageElement) => Number(el.getAttribute('data-nodes')));
    assert.equal(canvasNodes, nodes.length);
    return { nodes, edges };
  }

  it('serves the shell and its assets with content types, revalidation and a strict Content-Security-Policy, without a token', async () => {
    const shell = await fetch(`${base}/`);
    assert.equal(shell.status, 200);
    assert.equal(shell.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = shell.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(shell.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(shell.headers.get('cache-control'), 'no-cache');
    const etag = shell.headers.get('etag');
    assert.ok(etag);
    assert.equal((await fetch(`${base}/`, { headers: { 'if-none-match': etag } })).status, 304);
    const js = await fetch(`${base}/console/app.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal((await fetch(`${base}/console/app.css`)).headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal((await fetch(`${base}/console/../package.json`)).status, 404);
    assert.equal((await fetch(`${base}/console/nope.js`)).status, 404);
    // The data still needs the token.
    const refused = await server.gql('{ health { ok } }');
    assert.equal(refused.status, 401);
  });

  it('refuses a wrong token, then works with the right one, kept in sessionStorage only', async () => {
    const { page } = await newPage(null);
    await open(page, '#/');
    await page.waitForSelector('#auth:not([hidden]) input[name="token"]');
    assert.match(await text(page, '#auth'), /needs an API token/);
    await page.type('#auth input[name="token"]', 'whocan_not-a-real-token');
    await page.click('#auth button[type="submit"]');
    await page.waitForFunction(() => /refused this API token/.test(document.querySelector('#auth')?.textContent ?? ''), {
      timeout: 30_000,
    });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('whocan.token')), null, 'a refused token is forgotten');
    await shot(page, 'wrong-token');
    await page.type('#auth input[name="token"]', reader.token);
    await page.click('#auth button[type="submit"]');
    await page.waitForSelector('.cards a.card');
    assert.equal(await page.$eval('#auth', (el: PageElement) => el.hidden), true);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('whocan.token')), reader.token);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.equal(await page.evaluate(() => document.cookie), '');
    await page.close();
  });

  it('Overview: totals, findings by severity, the API stages with links behind the numbers, without console errors', async () => {
    const { page, problems } = await newPage();
    await open(page, '#/');
    await page.waitForSelector('#summary table tbody tr');
    await page.waitForFunction(() => !document.querySelector('main .loading'), { timeout: 60_000 });
    const cards = await page.$$eval('.cards a.card', (as: PageElement[]) =>
      as.map((a) => a.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
    );
    assert.ok(cards.includes('17principals with access'), cards.join(' | '));
    assert.ok(cards.includes('1accounts outside the organization'), cards.join(' | '));
    const prodRow = await page.$$eval('#summary tbody tr', (trs: PageElement[]) =>
      trs
        .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''))
        .find((cells) => cells[1]?.startsWith('petstore-api') && cells[3] === 'prod'),
    );
    assert.deepEqual(prodRow?.slice(5), ['5', '0', '15', '5', '999988887777']);
    const linkBehind = await page.$eval('#summary tbody tr td:nth-child(8) a', (a: PageElement) => a.getAttribute('href'));
    assert.match(linkBehind ?? '', /^#\/api\?id=a1b2c3d4e5&stage=prod&type=REST&show=principals$/);
    assert.match(await text(page, 'main'), /high\s*\d+ findings/);
    const renderMs = Number(await page.$eval('#summary', (el: PageElement) => el.getAttribute('data-render-ms')));
    assert.ok(renderMs < 1000, `the overview rendered in ${renderMs} ms after its data arrived`);
    await shot(page, 'overview');
    assert.deepEqual(problems.list, []);
    await page.close();
  });

  it('Method: a who-can-invoke search lists the principals of seed/README.md for GET /pets on prod', async () => {
    const { page, problems } = await newPage();
    await open(page, '#/method');
    await page.type('input[name="q"]', 'petstore-api prod GET /pets');
    await page.keyboard.press('Enter');
    await page.waitForSelector('main[data-ready="true"] table tbody tr a');
    const found = await page.$$eval('main table tbody tr a', (as: PageElement[]) =>
      as.map((a) => ({ text: a.textContent, href: a.getAttribute('href') ?? '' })),
    );
    const target = found.find((f) => f.text === 'GET /pets on prod');
    assert.ok(target, JSON.stringify(found));
    await page.click(`main table tbody tr a[href="${target.href}"]`);
    await page.waitForSelector('main[data-ready="true"] #principals tbody tr');
    assert.deepEqual(await listed(page), GET_PETS_ANSWER);
    assert.match(decodeURIComponent(page.url()), new RegExp(`#/method\\?arn=${GET_PETS.replace(/[/.]/g, '\\$&')}$`));
    const renderMs = Number(
      await page.$eval('main section[aria-labelledby="who-h"]', (el: PageElement) => el.getAttribute('data-render-ms')),
    );
    assert.ok(renderMs < 1000, `the principals rendered in ${renderMs} ms after their data arrived`);
    assert.deepEqual(problems.list, []);
    await page.close();
  });

  it('Method: selecting bob-caller draws user → group → policy → statement → method, and the integration role and function', async () => {
    const { page, problems } = await newPage();
    await open(page, `#/method?arn=${encodeURIComponent(GET_PETS)}`);
    await page.waitForSelector(`input[data-principal="${BOB}"]`);
    await page.click(`input[data-principal="${BOB}"]`);
    const graph = await drawn(page);
    const method = 'GET /pets (a1b2c3d4e5/prod)';
    assert.deepEqual(
      new Set(graph.nodes),
      new Set([
        'user/bob-caller',
        'group/api-callers',
        'policy/InvokePetsProd',
        'Sid InvokePetsProd',
        method,
        'role/petstore-apigw-invoke',
        'function pets-list',
      ]),
    );
    assert.deepEqual(
      new Set(graph.edges),
      new Set([
        'user/bob-caller —member of→ group/api-callers',
        'group/api-callers —has policy→ policy/InvokePetsProd',
        'policy/InvokePetsProd —contains→ Sid InvokePetsProd',
        `Sid InvokePetsProd —allows→ ${method}`,
        `${method} —integration runs as→ role/petstore-apigw-invoke`,
        'role/petstore-apigw-invoke —invokes→ function pets-list',
      ]),
    );
    // The selection is in the link: opening it again draws the same graph.
    assert.match(decodeURIComponent(page.url()), new RegExp(`&p=${BOB.replace(/[/.]/g, '\\$&')}$`));
    // org-admin reaches it by assuming OrganizationAccountAccessRole (its trust statement on the edge).
    await page.click(`input[data-principal="${ORG_ADMIN}"]`);
    await page.waitForFunction(() => document.querySelectorAll('.graph-edges > li').length > 6);
    const both = await drawn(page);
    assert.ok(both.edges.includes('user/org-admin —assumes (trust #0)→ role/OrganizationAccountAccessRole'), both.edges.join('\n'));
    assert.ok(both.edges.includes('role/OrganizationAccountAccessRole —has policy→ policy/AdministratorAccess'), both.edges.join('\n'));
    await shot(page, 'method');
    // Export: SVG and PNG are produced from the drawing (downloads are links to blobs).
    const exported = await page.evaluate(async () => {
      const made: { type: string; size: number }[] = [];
      const original = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (blob: Blob) => {
        made.push({ type: blob.type, size: blob.size });
        return original.call(URL, blob);
      };
      const buttons = [...document.querySelectorAll('.graph-toolbar button')];
      buttons.find((b) => b.textContent === 'Export SVG')?.click();
      buttons.find((b) => b.textContent === 'Export PNG')?.click();
      URL.createObjectURL = original;
      return made;
    });
    assert.equal(exported[0]?.type, 'image/svg+xml');
    assert.equal(exported[1]?.type, 'image/png');
    assert.ok((exported[0]?.size ?? 0) > 1000 && (exported[1]?.size ?? 0) > 1000, JSON.stringify(exported));
    assert.deepEqual(problems.list, []);
    await page.close();
  });

  it('Method: the request context form changes a conditional answer (carol-caller from the office)', async () => {
    const { page, problems } = await newPage();
    await open(page, `#/method?arn=${encodeURIComponent(GET_PETS)}`);
    await page.waitForSelector('#principals tbody tr');
    assert.equal((await listed(page))[CAROL], 'CONDITIONAL');
    await page.click('details.context summary');
    await page.type('details.context input[name="sourceIp"]', '198.51.100.7');
    await page.click('details.context button[type="submit"]');
    await page.waitForFunction(
      (carol: string) => document.querySelector(`#principals tr[data-arn="${carol}"]`)?.getAttribute('data-decision') === 'ALLOWED',
      { timeout: 60_000 },
      CAROL,
    );
    assert.match(decodeURIComponent(page.url()), /c=aws:SourceIp=198\.51\.100\.7/);
    assert.match(await text(page, 'details.context summary'), /aws:SourceIp=198\.51\.100\.7/);
    // From elsewhere, carol has no access at all.
    await open(page, `#/method?arn=${encodeURIComponent(GET_PETS)}&c=${encodeURIComponent('aws:SourceIp=203.0.113.9')}`);
    await page.waitForSelector('#principals tbody tr');
    assert.equal((await listed(page))[CAROL], undefined);
    assert.deepEqual(problems.list, []);
    await page.close();
  });

  it('Principal, API, Findings and Diff pages load without console errors', async () => {
    const { page, problems } = await newPage();
    await open(page, `#/principal?arn=${encodeURIComponent(iam('222233334444', 'user', 'ivan-ops'))}`);
    await page.waitForFunction(() => !document.querySelector('main .loading'), { timeout: 60_000 });
    const roles = await page.$$eval('section[aria-labelledby="roles-h"] tbody tr td:first-child', (tds: PageElement[]) =>
      tds.map((td) => td.textContent),
    );
    assert.deepEqual(roles, ['role/ops-jump', 'role/petstore-operator', 'role/platform-admin']);
    const graph = await drawn(page);
    assert.ok(
      graph.edges.includes('user/ivan-ops —assumes (trust IvanWithMfa) if aws:multifactorauthpresent→ role/ops-jump'),
      graph.edges.join('\n'),
    );
    await shot(page, 'principal');

    await open(page, '#/api?id=a1b2c3d4e5&stage=prod&type=REST&show=outside');
    await page.waitForSelector('main table tbody tr');
    const outside = await page.$$eval('#api-principals tbody tr td:first-child', (tds: PageElement[]) => tds.map((td) => td.textContent));
    assert.deepEqual(outside, ['account 999988887777']);
    await shot(page, 'api');

    await open(page, '#/findings?severity=HIGH');
    await page.waitForSelector('main table tbody tr');
    const { findings } = dataOf(
      (
        await server.gql<{ findings: { totalCount: number } }>(
          '{ findings(minimumSeverity: HIGH, first: 100) { totalCount } }',
          undefined,
          {
            authorization: `Bearer ${reader.token}`,
          },
        )
      ).body,
    );
    assert.equal((await page.$$('main table tbody tr')).length, findings.totalCount);
    await shot(page, 'findings');

    await open(page, '#/diff');
    await page.waitForFunction(() => !document.querySelector('main .loading'), { timeout: 60_000 });
    // One snapshot only: there is nothing to compare yet, and the page says so.
    assert.match(await text(page, 'main'), /No snapshot before/);
    await shot(page, 'diff-one-snapshot');
    assert.deepEqual(problems.list, []);
    await page.close();
  });

  it('shows policy text that contains <script> as text, and the diff lists the change', async () => {
    const copy = hostileSeedCopy();
    try {
      await ingest(graph, copy.dir);
    } finally {
      copy.cleanup();
    }
    const { page, problems } = await newPage();
    await open(page, `#/method?arn=${encodeURIComponent(GET_PETS)}&p=${encodeURIComponent(BOB)}`);
    await page.waitForSelector('#principals tbody tr');
    assert.equal((await listed(page))[BOB], 'CONDITIONAL');
    const drawing = await drawn(page);
    assert.ok(drawing.nodes.includes(`Sid ${HOSTILE_SID}`), drawing.nodes.join('\n'));
    const main = await text(page, 'main');
    assert.ok(main.includes(HOSTILE_VALUE), 'the condition value is shown as text');
    assert.ok(main.includes(HOSTILE_SID));
    assert.equal(await page.evaluate(() => document.querySelectorAll('main script, main img, .graph-list img').length), 0);
    assert.equal(await page.evaluate(() => window.__whocanPwned), undefined);
    await shot(page, 'hostile-policy');

    await open(page, '#/diff');
    await page.waitForSelector('main table tbody tr');
    const changes = await page.$$eval('main table tbody tr', (trs: PageElement[]) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    );
    // bob-caller's grant became conditional on every request InvokePetsProd allowed him (seed/README.md, Q1).
    assert.ok(
      changes.some(
        (c) =>
          c[0] === 'changed' &&
          c[1] === 'user/bob-caller' &&
          c[3] === 'GET /pets (a1b2c3d4e5/prod)' &&
          /allowed/.test(c[4] ?? '') &&
          /conditional/.test(c[5] ?? ''),
      ),
      JSON.stringify(changes),
    );
    await shot(page, 'diff');
    assert.equal(await page.evaluate(() => window.__whocanPwned), undefined);
    assert.deepEqual(problems.list, []);
    await page.close();
  });
});

describe('the web console without API tokens (the default `npm start` on loopback)', () => {
  let graph: Graph;
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    await ingest(graph);
    server = await startTestServer(graph, { apiTokens: [] });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await resetGraph(graph);
    await graph.close();
  });

  it('shows the overview without asking for a token', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(server.url.replace(/\/graphql$/, '/'), { waitUntil: 'load' });
    await page.waitForSelector('main[data-ready="true"] .cards a.card');
    assert.equal(await page.$eval('#auth', (el: PageElement) => el.hidden), true);
    assert.match(await page.$eval('.cards', (el: PageElement) => el.textContent ?? ''), /23methods × stages/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says so when a question times out', async () => {
    const slow = await startTestServer(graph, { apiTokens: [], limits: { requestTimeoutMs: 1 } });
    try {
      const page = await browser.newPage();
      await page.goto(`${slow.url.replace(/\/graphql$/, '/')}#/findings`, { waitUntil: 'load' });
      await page.waitForSelector('[data-error-kind="timeout"]', { timeout: 30_000 });
      assert.match(
        await page.$eval('[data-error-kind="timeout"]', (el: PageElement) => el.textContent ?? ''),
        /took longer than the server allows/,
      );
      await page.close();
    } finally {
      await slow.close();
    }
  });

  it('says so when the server is unreachable', async () => {
    const page = await browser.newPage();
    await page.goto(server.url.replace(/\/graphql$/, '/'), { waitUntil: 'load' });
    await page.waitForSelector('main[data-ready="true"]');
    // The server goes away; the next question cannot reach it.
    await page.setOfflineMode(true);
    await page.evaluate(() => {
      location.hash = '#/findings';
    });
    await page.waitForSelector('[data-error-kind="unreachable"]', { timeout: 30_000 });
    assert.match(
      await page.$eval('[data-error-kind="unreachable"]', (el: PageElement) => el.textContent ?? ''),
      /Cannot reach the whocan server/,
    );
    await page.close();
  });
});
