// Browser test: `communitise serve --demo` on a free loopback port with a fresh SQLite
// database, driven by Debian's Chromium through playwright-core. An officer signs in and
// creates a programme through the form; a resident signs up on a phone-sized screen and
// joins it by postcode; another resident does the same with JavaScript turned off. Every
// page visited is scanned with axe-core and any violation fails the test.
//
// Environment: COMMUNITISE_BIN (the binary), COMMUNITISE_SOURCE_DIR (the repository, for
// node_modules). Screenshots go to $COMMUNITISE_SHOTS when set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, browser, demo, scanned, noScriptPages, scan, shot, go, submit, useSite } from './harness.mjs';

useSite();

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
