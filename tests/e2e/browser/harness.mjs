// What every browser test shares: `communitise serve --demo` on a free loopback port with
// a fresh SQLite database, Debian's Chromium through playwright-core, and axe-core run on
// every page a test visits (any violation fails it). A test file calls useSite() once,
// then drives pages with go/submit/scan.
//
// Environment: COMMUNITISE_BIN (the binary), COMMUNITISE_SOURCE_DIR (the repository, for
// node_modules). Screenshots go to $COMMUNITISE_SHOTS when set.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const sourceDir = process.env.COMMUNITISE_SOURCE_DIR ?? path.resolve(import.meta.dirname, '../../..');
export const bin = process.env.COMMUNITISE_BIN ?? path.join(sourceDir, 'build/communitise');
const shots = process.env.COMMUNITISE_SHOTS;
const require = createRequire(path.join(sourceDir, 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server;
// Live bindings: set once the site is up. `tmp` is the site's scratch folder and
// `database` the server's database URL (for command-line tools run beside the server).
export let base, browser, tmp, database;
export const demo = { logins: [], postcodes: [] };
export const scanned = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startServer() {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'communitise-browser-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  database = `sqlite:${tmp}/test.db`;
  server = spawn(bin, ['serve', '--database', database, '--listen', `127.0.0.1:${port}`,
                       '--demo', '--no-access-log'], { cwd: sourceDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stderr.on('data', (d) => { output += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90000);
    server.stdout.on('data', (d) => {
      output += d;
      if (output.includes('Serving http://')) { clearTimeout(timer); resolve(); }
    });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${output}`)); });
  });
  for (const line of output.split('\n')) {
    const m = line.match(/^\s+(\S+@\S+)\s+password: (\S+)\s+\((.*)\)$/);
    if (m) demo.logins.push({ email: m[1], password: m[2], description: m[3] });
    const p = line.match(/^Postcodes that join the demo programmes:(.*)$/);
    if (p) demo.postcodes = p[1].match(/[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}/g) ?? [];
  }
  assert.ok(demo.logins.length > 0, `no demo logins printed:\n${output}`);
}

// Runs axe-core on the page and fails with a readable list of any violations.
// Pages in a context without JavaScript cannot run axe; they are the same server-rendered
// HTML as the pages scanned in the other flows, so the flow itself is what is checked.
export const noScriptPages = new WeakSet();
export async function scan(page, label) {
  if (noScriptPages.has(page)) return;
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
  scanned.push(`${label}: ${page.url()}`);
  assert.deepEqual(result, [], `axe violations on ${label} (${page.url()}):\n${JSON.stringify(result, null, 2)}`);
}

// A browser context whose pages have axe-core from the start: the script goes to the
// browser once, instead of once per scan (half a megabyte each time, which took more
// than half of every scan's time on a loaded machine).
export async function scannedContext(options) {
  const context = await browser.newContext(options);
  await context.addInitScript({ content: axeSource });
  return context;
}

export async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

// Visits by following what a person would do, scanning each page that loads.
export async function go(page, url, label, check = true) {
  const res = await page.goto(base + url);
  assert.ok(res.ok(), `${url} answered ${res.status()}`);
  if (check) await scan(page, label);
}

export async function submit(page, buttonName, label) {
  await Promise.all([page.waitForLoadState('load'),
                     page.getByRole('button', { name: buttonName, exact: true }).click()]);
  await page.waitForLoadState('load');
  await scan(page, label);
}

// Starts the site before a file's tests and stops it (checking a clean SIGTERM exit) after.
export function useSite() {
  before(async () => {
    await startServer();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
      server.kill('SIGTERM');
      const { code } = await exited;
      assert.equal(code, 0, 'the server should stop cleanly on SIGTERM');
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
}
