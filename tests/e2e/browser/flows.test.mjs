// Browser test: `communitise serve --demo` on a free loopback port with a fresh SQLite
// database, driven by Debian's Chromium through playwright-core. An officer signs in and
// creates a programme through the form; a resident signs up on a phone-sized screen and
// joins it by postcode; another resident does the same with JavaScript turned off. Every
// page visited is scanned with axe-core and any violation fails the test.
//
// Environment: COMMUNITISE_BIN (the binary), COMMUNITISE_SOURCE_DIR (the repository, for
// node_modules). Screenshots go to $COMMUNITISE_SHOTS when set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const sourceDir = process.env.COMMUNITISE_SOURCE_DIR ?? path.resolve(import.meta.dirname, '../../..');
const bin = process.env.COMMUNITISE_BIN ?? path.join(sourceDir, 'build/communitise');
const shots = process.env.COMMUNITISE_SHOTS;
const require = createRequire(path.join(sourceDir, 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server, base, browser, tmp;
const demo = { logins: [], postcodes: [] };
const scanned = [];

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
  server = spawn(bin, ['serve', '--database', `sqlite:${tmp}/test.db`, '--listen', `127.0.0.1:${port}`,
                       '--demo', '--no-access-log'], { cwd: sourceDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stderr.on('data', (d) => { output += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60000);
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
const noScriptPages = new WeakSet();
async function scan(page, label) {
  if (noScriptPages.has(page)) return;
  await page.evaluate(axeSource);
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

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

// Visits by following what a person would do, scanning each page that loads.
async function go(page, url, label) {
  const res = await page.goto(base + url);
  assert.ok(res.ok(), `${url} answered ${res.status()}`);
  await scan(page, label);
}

async function submit(page, buttonName, label) {
  await Promise.all([page.waitForLoadState('load'),
                     page.getByRole('button', { name: buttonName, exact: true }).click()]);
  await page.waitForLoadState('load');
  await scan(page, label);
}

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

const programmeName = 'Green Streets Fund';
let programmePath;

test('an officer signs in and creates a programme through the form', async () => {
  const officer = demo.logins.find((l) => /officer/i.test(l.description));
  assert.ok(officer, 'the demo has an officer');
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await go(page, '/', 'home (anonymous)');
  await shot(page, 'home');
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await page.waitForLoadState('load');
  await scan(page, 'sign in');
  await page.getByLabel('Email address').fill(officer.email);
  await page.getByLabel('Password').fill(officer.password);
  await submit(page, 'Sign in', 'home (officer)');
  await go(page, '/programmes', 'programme list');
  await page.getByRole('button', { name: 'Create a programme' }).click();
  await page.waitForLoadState('load');
  if (page.url().includes('/programmes/new') && await page.getByRole('radio').first().isVisible()
      && !(await page.getByLabel('Name of the programme').count())) {
    await scan(page, 'choose public body');
    await page.getByRole('radio').first().check();
    await submit(page, 'Continue', 'create programme');
  } else {
    await scan(page, 'create programme');
  }

  // Submitting the empty form shows the error summary and field messages.
  await submit(page, 'Create programme', 'create programme with errors');
  await assert.doesNotReject(page.locator('.govuk-error-summary').waitFor());
  assert.match(await page.title(), /^Error: /);

  await page.getByLabel('Name of the programme').fill(programmeName);
  await page.getByLabel('Summary').fill('Residents decide which streets get new trees and planters.');
  await page.getByLabel(/^Discretionary or non-core/).check();
  await page.getByLabel('Services').fill('Street trees');
  await page.getByLabel(/^Geographic: everyone/).check();
  const areas = page.locator('input[name="areas"]');
  for (let i = 0; i < await areas.count(); i++) await areas.nth(i).check();
  await page.getByLabel('Operational engagement').check();
  await page.getByLabel('Binding deliberation', { exact: true }).check();
  await page.getByLabel(/Yearly budget/).fill('50000');
  await submit(page, 'Create programme', 'new programme page');
  await assert.doesNotReject(page.locator('.govuk-notification-banner').getByText('Programme created').waitFor());
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), programmeName);
  assert.equal(await page.locator('svg[role="img"]').count(), 2);
  assert.match(await page.locator('#arrow-title').textContent(), /Binding deliberation/);
  programmePath = new URL(page.url()).pathname;
  await shot(page, 'programme');
  await page.getByRole('link', { name: /Constitution/ }).first().click();
  await page.waitForLoadState('load');
  await scan(page, 'constitution');
  await page.goto(base + programmePath + '/history');
  await scan(page, 'history');
  await page.goto(base + programmePath + '/applications');
  await scan(page, 'members and applications');
  await page.goto(base + programmePath + '/constitution/amend');
  await scan(page, 'amend constitution');
  await context.close();
});

async function residentJoins(page, email, label) {
  await go(page, '/sign-up', `sign up${label}`);
  await page.getByLabel('Your name').fill('Pat Resident');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('a very long password');
  await submit(page, 'Create account', `home after sign up${label}`);
  await page.goto(base + programmePath);
  await scan(page, `programme page${label}`);
  await page.getByRole('button', { name: 'Join this programme' }).click();
  await page.waitForLoadState('load');
  await scan(page, `join by postcode${label}`);
  // A postcode outside the areas is refused with a message beside the field.
  await page.getByLabel('Your postcode').fill('ZZ99 9ZZ');
  if (await page.getByLabel(/or older/).count()) await page.getByLabel(/or older/).check();
  await submit(page, 'Join', `join refused${label}`);
  await assert.doesNotReject(page.locator('#postcode-error').waitFor());
  let joined = false;
  for (const postcode of demo.postcodes) {
    await page.getByLabel('Your postcode').fill(postcode);
    if (await page.getByLabel(/or older/).count()) await page.getByLabel(/or older/).check();
    await submit(page, 'Join', `join attempt${label}`);
    if (await page.getByText('You are now a member').count()) { joined = true; break; }
  }
  assert.ok(joined, `none of the demo postcodes ${demo.postcodes} is in the programme's areas`);
}

test('a resident on a phone signs up and joins the programme by postcode', async () => {
  assert.ok(programmePath, 'the officer created the programme');
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await residentJoins(page, 'pat@example.org', ' (phone)');
  await shot(page, 'joined-phone');
  await context.close();
});

test('the key flow works with JavaScript turned off', async () => {
  assert.ok(programmePath, 'the officer created the programme');
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  noScriptPages.add(page);
  await residentJoins(page, 'nojs@example.org', ' (no JavaScript)');
  assert.equal(await page.locator('body.js-enabled').count(), 0);
  await context.close();
});

test('pages were scanned', () => {
  assert.ok(scanned.length >= 15, `only ${scanned.length} pages scanned`);
});
