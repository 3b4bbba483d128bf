// Browser tests: the web UI in Debian's chromium, headless, driven by playwright-core.
//
//   node tests/browser/run.mjs build/jixiao
//
// A fresh demo company (jixiao demo --users) is served on a free loopback port; each case
// logs in as one role and checks what the page shows against the API.  One line per case,
// "ok   NAME" or "FAIL NAME: why"; exit status 1 when any failed.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const bin = path.resolve(process.argv[2] || 'build/jixiao');
const PASSWORD = 'jixiao-demo';
const PERIOD = '2025-08';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'jx-browser-'));
let server, browser, failed = 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

async function waitUp(base) {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(base + '/api/me')).status === 401) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${(e && e.message ? e.message : String(e)).split('\n')[0]}`);
  }
}
function expect(cond, what) { if (!cond) throw new Error(what); }

/** A logged-in page for a user, with console errors and CSP reports collected. */
async function login(base, user, opts = {}) {
  const ctx = await browser.newContext({ viewport: opts.viewport || { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const problems = [];
  let loggedIn = false;
  // before the login, GET /api/me answers 401 on purpose: only what follows counts
  // and a statement may be 404 on purpose: hr, finance and directors are paid by no plan
  const expected = (url, status) => status === 404 && /\/statement\?/.test(url);
  page.on('console', (m) => {
    if (m.type() === 'error' && loggedIn && !(m.text().includes('404') && expected(m.location().url || '', 404)))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400 && loggedIn && !expected(r.url(), r.status())) problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(base + '/');
  await page.waitForSelector('#login-form');
  await page.fill('#login-user', user);
  await page.fill('#login-password', PASSWORD);
  loggedIn = true;
  await page.click('#login-submit');
  await page.waitForSelector('#nav a', { state: 'attached' });
  return { ctx, page, problems };
}

/** The API from inside the page (same cookie). */
function apiGet(page, p) {
  return page.evaluate(async (url) => {
    const r = await fetch(url);
    return { status: r.status, body: await r.json().catch(() => null) };
  }, p);
}

async function navOf(page) {
  return page.$$eval('#nav a', (as) => as.map((a) => a.dataset.page));
}

const ROLES = {
  admin: ['dashboard', 'people', 'import', 'runs', 'appeals', 'complaints', 'customers', 'users', 'audit'],
  hr: ['dashboard', 'me', 'people', 'import', 'runs', 'appeals', 'complaints', 'customers'],
  finance: ['dashboard', 'me', 'people', 'import', 'runs', 'appeals', 'complaints', 'customers'],
  director: ['dashboard', 'me', 'people', 'runs', 'appeals', 'complaints', 'customers'],
  manager: ['dashboard', 'me', 'people', 'runs', 'appeals', 'complaints', 'customers'],
  rep: ['me', 'appeals', 'complaints', 'customers'],
  engineer: ['me', 'appeals', 'complaints'],
};

async function main() {
  const db = path.join(tmp, 'demo.db');
  execFileSync(bin, ['demo', '--db', db, '--users'], { stdio: 'ignore' });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--quiet'], { stdio: 'ignore' });
  await waitUp(base);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

  for (const [role, pages] of Object.entries(ROLES)) {
    await check(`${role} logs in and sees its pages`, async () => {
      const { ctx, page, problems } = await login(base, role);
      try {
        const nav = await navOf(page);
        expect(JSON.stringify(nav) === JSON.stringify(pages), `nav ${nav.join(',')}, want ${pages.join(',')}`);
        await page.selectOption('#period', PERIOD);
        if (pages[0] === 'dashboard') {
          await page.waitForSelector('#dash-sales');
          const dash = (await apiGet(page, `/api/dashboard?period=${PERIOD}`)).body;
          const want = dash.people.reduce((s, p) => s + Number(p.sales), 0);
          const shown = Number((await page.textContent('#dash-sales')).replace(/,/g, ''));
          expect(Math.abs(shown - want) < 0.005, `dashboard sales ${shown}, API ${want}`);
          await page.waitForSelector('#chart-people canvas');
          await page.waitForSelector('#chart-trend canvas');
          const rows = await page.$$('#leaderboard tbody tr');
          const res = (await apiGet(page, `/api/results?period=${PERIOD}`)).body;
          expect(rows.length === Math.min(20, res.people.filter((p) => p.score || p.pay).length), `leaderboard ${rows.length} rows`);
        } else {
          await page.waitForSelector('#trace');
          const me = (await apiGet(page, '/api/me')).body;
          const st = (await apiGet(page, `/api/people/${me.person_id}/statement?period=${PERIOD}`)).body;
          if (st.result.pay) {
            const shown = (await page.textContent('#pay [data-field="total"]')).replace(/,/g, '');
            expect(Number(shown) === Number(st.result.pay.total), `total ${shown}, API ${st.result.pay.total}`);
          }
          const lines = await page.$$('#trace tbody tr');
          expect(lines.length === st.trace.length, `trace ${lines.length} lines, API ${st.trace.length}`);
        }
        for (const p of pages) {
          await page.click(`#nav a[data-page="${p}"]`);
          await page.waitForFunction((id) => document.querySelector(`#nav a.active[data-page="${id}"]`) &&
            !document.querySelector('#main > p.muted:only-child'), p);
          const err = await page.$('#main .error');
          expect(!err, `page ${p} shows an error: ${err ? await err.textContent() : ''}`);
        }
        expect(problems.length === 0, `console: ${problems.join(' | ')}`);
      } finally { await ctx.close(); }
    });
  }

  await check('the rep sees their own statement with the figures of the API', async () => {
    const { ctx, page } = await login(base, 'rep');
    try {
      await page.selectOption('#period', PERIOD);
      await page.waitForSelector('#grade');
      const st = (await apiGet(page, `/api/people/P101/statement?period=${PERIOD}`)).body;
      expect((await page.textContent('#grade')) === st.result.score.grade, 'grade differs');
      expect(await page.$('#appeal-form'), 'no appeal button on one\'s own statement');
      const href = await page.getAttribute('#printable', 'href');
      const r = await page.evaluate(async (u) => { const x = await fetch(u); return [x.status, x.headers.get('content-type'), await x.text()]; }, href);
      expect(r[0] === 200 && r[1].startsWith('text/html') && r[2].includes('P101'), `printable statement ${r[0]} ${r[1]}`);
    } finally { await ctx.close(); }
  });

  await check('a rep opening another rep\'s statement gets 403', async () => {
    const { ctx, page } = await login(base, 'rep');
    try {
      await page.selectOption('#period', PERIOD);
      await page.goto(base + '/#/statement/P102');
      await page.waitForSelector('#denied');
      const text = await page.textContent('#denied');
      expect(text.includes('403'), `message "${text}"`);
      const r = await apiGet(page, `/api/people/P102/statement?period=${PERIOD}`);
      expect(r.status === 403, `API status ${r.status}`);
      const res = (await apiGet(page, `/api/results?period=${PERIOD}`)).body;
      expect(res.people.length === 1 && res.people[0].id === 'P101', 'results list shows others');
    } finally { await ctx.close(); }
  });

  await check('a manager sees only their subtree', async () => {
    const { ctx, page } = await login(base, 'manager');
    try {
      await page.click('#nav a[data-page="people"]');
      await page.waitForSelector('#people tbody tr');
      const ids = await page.$$eval('#people tbody tr td:first-child', (tds) => tds.map((x) => x.textContent));
      const api = (await apiGet(page, '/api/people')).body.people.map((p) => p.id);
      expect(JSON.stringify(ids) === JSON.stringify(api) && ids.includes('P100') && !ids.includes('P001'), `people ${ids.join(',')}`);
    } finally { await ctx.close(); }
  });

  await check('an upload with an error shows its line', async () => {
    const { ctx, page } = await login(base, 'hr');
    try {
      const file = path.join(tmp, 'contracts.csv');
      writeFileSync(file, 'contract_id,signed_date,customer_id,person_id,product,quantity,unit_price,base_price\n' +
        'HT-T1,2025-08-01,C001,P101,变频器,1,100.00,100.00\n' +
        'HT-T2,2025-08-32,C001,P101,变频器,1,100.00,100.00\n');
      await page.click('#nav a[data-page="import"]');
      await page.selectOption('#import-kind', 'contracts');
      await page.setInputFiles('#import-file', file);
      await page.click('#import-form button[type=submit]');
      await page.waitForSelector('#import-errors tbody tr');
      const cells = await page.$$eval('#import-errors tbody tr:first-child td', (tds) => tds.map((x) => x.textContent));
      expect(cells[0] === '3' && cells[1] === 'signed_date', `report row ${cells.join(' | ')}`);
    } finally { await ctx.close(); }
  });

  await check('runs: two runs compared side by side', async () => {
    const { ctx, page } = await login(base, 'hr');
    try {
      await page.selectOption('#period', PERIOD);
      await page.click('#nav a[data-page="runs"]');
      await page.waitForSelector('#run-form');
      await page.fill('#run-period', PERIOD);
      await page.$$eval('#run-form input[type=checkbox]', (bs) => bs.forEach((b) => { b.checked = b.value === 'marketing-center'; }));
      await page.click('#run-submit');
      await page.waitForFunction(() => document.querySelectorAll('#runs tbody tr').length >= 2);
      await page.click('#compare-go');
      await page.waitForSelector('#compare-table tbody tr');
      const n = (await page.$$('#compare-table tbody tr')).length;
      expect(n > 0, 'no rows compared');
    } finally { await ctx.close(); }
  });

  await check('complaints list overdue first with timers', async () => {
    const { ctx, page } = await login(base, 'hr');
    try {
      await page.selectOption('#period', '2025-09');
      await page.click('#nav a[data-page="complaints"]');
      await page.waitForSelector('#tickets tbody tr');
      const late = await page.$$eval('#tickets tbody tr', (trs) => trs.map((tr) => tr.classList.contains('late')));
      const firstOnTime = late.indexOf(false);
      expect(late[0] === true && (firstOnTime < 0 || !late.slice(firstOnTime).includes(true)), 'breached tickets are not first');
      const timer = await page.textContent('#tickets tbody tr:first-child td:nth-child(7)');
      expect(/超时 \d+h \d+m/.test(timer), `timer "${timer}"`);
    } finally { await ctx.close(); }
  });

  await check('a page that loads late never draws over the next one', async () => {
    const { ctx, page } = await login(base, 'hr');
    try {
      await page.waitForSelector('#dash-sales');
      await page.selectOption('#period', PERIOD); // reloads the (slow) dashboard ...
      await page.evaluate(() => { location.hash = '#/runs'; }); // ... while the user moves on
      await page.waitForSelector('#runs');
      await page.waitForTimeout(1500);
      const title = await page.textContent('#main h1');
      expect(title.startsWith('核算') && !(await page.$('#dash-sales')), `the page shows "${title}"`);
    } finally { await ctx.close(); }
  });

  await check('the language switch turns the page English', async () => {
    const { ctx, page } = await login(base, 'manager');
    try {
      await page.click('#lang');
      await page.waitForFunction(() => document.querySelector('#nav a[data-page="dashboard"]').textContent === 'Dashboard');
      expect((await page.textContent('#logout')) === 'Log out', 'logout button not English');
    } finally { await ctx.close(); }
  });

  await check('a phone screen: collapsed nav, no horizontal scroll', async () => {
    const { ctx, page } = await login(base, 'manager', { viewport: { width: 390, height: 844 } });
    try {
      expect(!(await page.isVisible('#nav a[data-page="people"]')), 'nav is open on a phone');
      await page.click('#menu');
      expect(await page.isVisible('#nav a[data-page="people"]'), 'the menu does not open the nav');
      await page.click('#nav a[data-page="dashboard"]');
      await page.waitForSelector('#dash-sales');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      expect(!wide, 'the page scrolls sideways');
    } finally { await ctx.close(); }
  });

  await check('logout ends the session', async () => {
    const { ctx, page } = await login(base, 'finance');
    try {
      await page.click('#logout');
      await page.waitForSelector('#login-form');
      const r = await apiGet(page, '/api/me');
      expect(r.status === 401, `/api/me after logout: ${r.status}`);
      await page.goto(base + '/#/dashboard');
      await page.waitForSelector('#login-form');
    } finally { await ctx.close(); }
  });

  await check('a wrong password is refused with a message', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    try {
      await page.goto(base + '/');
      await page.fill('#login-user', 'rep');
      await page.fill('#login-password', 'wrong-password');
      await page.click('#login-submit');
      await page.waitForSelector('#login-error.error');
    } finally { await ctx.close(); }
  });
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`FAIL setup: ${e.message}`);
} finally {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
