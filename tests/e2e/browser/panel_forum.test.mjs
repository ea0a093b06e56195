// Browser test of resident panels and deliberation, as a new organiser and residents
// would do it, against `communitise serve --demo` (fresh SQLite database) through Debian's
// Chromium: the officer sets up a panel in the demo's binding programme, imports 1,000
// addresses, publishes a seed, draws 100 invitations (checked against the command-line
// redraw), 40 residents sign up and register with their codes (one with JavaScript off),
// LEXIMIN selects 12, one drops out and is replaced, the panel's forum holds a session
// with an evidence pack, votes on two motions (one binds, one becomes a recommendation)
// and the officer answers the recommendation. axe-core scans every page the officer and
// the first resident see.
//
// Environment: COMMUNITISE_BIN, COMMUNITISE_SOURCE_DIR (as flows.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { base, bin, browser, demo, tmp, noScriptPages as noScript, scan, go, useSite } from './harness.mjs';

useSite();
const logins = demo.logins;

async function click(page, name, label, check = true) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
  if (check) await scan(page, label);
}

async function signIn(page, email, password) {
  await go(page, '/sign-in', 'sign in', false);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await click(page, 'Sign in', 'after sign in', false);
}

test('panel from invitation lottery to a binding decision and a public response', { timeout: 600000 }, async () => {
  const officerLogin = logins.find((l) => /officer/i.test(l.description));
  assert.ok(officerLogin, 'the demo has an officer');
  const officerCtx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const officer = await officerCtx.newPage();
  await signIn(officer, officerLogin.email, officerLogin.password);

  // The demo's binding programme (Riverside AAP: threshold 60%, quorum 20%).
  await go(officer, '/programmes', 'programmes');
  await officer.getByRole('link', { name: 'Riverside Area Action Partnership' }).first().click();
  await officer.waitForLoadState('load');
  const programmePath = new URL(officer.url()).pathname;
  await officer.getByRole('link', { name: 'Resident panels' }).click();
  await officer.waitForLoadState('load');
  await scan(officer, 'panels');
  await officer.getByLabel('Name of the panel').fill('Riverside residents panel');
  await officer.getByLabel('How many members').fill('12');
  await officer.getByLabel('Quotas').fill('category,feature,min,max\nage,16-34,3,5\nage,35-54,3,5\nage,55+,3,5\ngender,female,5,7\ngender,male,5,7\n');
  await click(officer, 'Create the panel', 'new panel');
  const panelPath = new URL(officer.url()).pathname;
  const panelId = panelPath.split('/').pop();

  // 1,000 addresses over the programme's postcodes.
  const postcodes = ['DH2 1AA', 'DH2 1AB', 'DH2 2BA', 'DH2 2BB', 'DH3 3CA', 'DH3 3CB'];
  let csv = 'id,line1,line2,postcode\n';
  for (let i = 1; i <= 1000; i++) csv += `UPRN${100000 + i},${i} River Road,Riverside,${postcodes[i % 6]}\n`;
  const list = path.join(tmp, 'addresses.csv');
  writeFileSync(list, csv);
  await officer.getByLabel('1. Upload the address list').setInputFiles(list);
  await click(officer, 'Upload addresses', 'panel with addresses');
  await officer.getByLabel('2. Publish the lottery seed').fill('20261125');
  await click(officer, 'Publish the seed', 'panel with seed');
  assert.equal(await officer.locator('#published-seed').textContent(), '20261125');
  await officer.getByLabel('3. How many addresses to invite').fill('100');
  await click(officer, 'Draw the invitations', 'panel with invitations');

  // The server's draw equals the command-line redraw from the list and the seed.
  const draw = await (await officer.request.get(`${base}/api/panels/${panelId}/invitation-draw`)).json();
  const redraw = execFileSync(bin, ['panel', 'draw-invitations', list, '--seed', '20261125', '--count', '100'], { encoding: 'utf8' })
    .trim().split('\n').slice(1).map((l) => l.split(',')[1]);
  assert.deepEqual(draw.address_ids, redraw);

  await officer.getByRole('link', { name: 'Print the invitation letters' }).click();
  await officer.waitForLoadState('load');
  await scan(officer, 'letters');
  const codes = await officer.locator('.app-letter .govuk-heading-l').allTextContents();
  assert.equal(codes.length, 100);

  // 40 residents sign up and register with their codes; the first is scanned, the
  // second has JavaScript turned off.
  const ages = ['16-34', '35-54', '55+'];
  const residents = [];
  for (let i = 0; i < 40; i++) {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: i !== 1 });
    const page = await ctx.newPage();
    if (i === 1) noScript.add(page);
    const check = i < 2;
    const name = `Resident ${String(i + 1).padStart(2, '0')}`;
    await go(page, '/sign-up', 'sign up', check);
    await page.getByLabel('Your name').fill(name);
    await page.getByLabel('Email address').fill(`panel-resident-${i}@example.org`);
    await page.getByLabel('Password').fill('a very long password');
    await click(page, 'Create account', 'after sign up', false);
    await go(page, '/register', 'register', check);
    await page.getByLabel('The code on your letter').fill(codes[i]);
    await click(page, 'Continue', 'register with code', check);
    if (i === 0) {
      await click(page, 'Register', 'register with errors');
      assert.match(await page.title(), /^Error: /);
    }
    await page.getByLabel(ages[i % 3], { exact: true }).check();
    await page.getByLabel(i % 2 ? 'female' : 'male', { exact: true }).check();
    await page.getByLabel(/I agree that my answers/).check();
    await click(page, 'Register', 'registered', check);
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /You are registered/);
    residents.push({ name, ctx, page });
  }

  // Selection in the background; the page reloads itself until it is done.
  await go(officer, panelPath, 'panel with respondents');
  await officer.getByRole('link', { name: 'Registrations and their answers' }).click();
  await officer.waitForLoadState('load');
  await scan(officer, 'registrations');
  await go(officer, panelPath, 'panel', false);
  await click(officer, 'Run the selection', 'selection running', false);
  await officer.locator('#selection-done').waitFor({ timeout: 120000 });
  await scan(officer, 'selection done');
  await officer.getByLabel('Draw the panel with a public seed').fill('424242');
  await click(officer, 'Draw the panel', 'drawn panel');
  let members = await officer.locator('#panel-members li').allTextContents();
  assert.equal(members.length, 12);
  const leaving = members[0].trim();
  await officer.getByLabel(`Why ${leaving} left`).fill('Moved away');
  await click(officer, `Replace ${leaving}`, 'panel after replacement');
  members = (await officer.locator('#panel-members li').allTextContents()).map((m) => m.replace('Replacement', '').trim());
  assert.equal(members.length, 12);
  assert.ok(!members.includes(leaving));

  // Demographic answers are refused to a resident, in the page, the API and the CSV.
  const r0 = residents[0].page;
  for (const url of [`/panels/${panelId}/respondents`, `/api/panels/${panelId}/respondents`, `/panels/${panelId}/respondents.csv`]) {
    assert.equal((await r0.request.get(base + url)).status(), 403, url);
  }
  await go(r0, panelPath, 'panel (resident)');

  // The panel's forum: a session with an evidence pack, then two motions.
  await go(officer, `${programmePath}/forums`, 'forums');
  await officer.getByLabel("Citizens' assembly").check();
  await officer.getByLabel('Name', { exact: true }).fill('Riverside assembly');
  await officer.getByLabel('Members from a panel').selectOption({ label: 'Riverside residents panel' });
  await officer.getByLabel(/bind the body/).check();
  await click(officer, 'Create the forum', 'forum');
  const forumPath = new URL(officer.url()).pathname;
  await officer.getByLabel('Title', { exact: true }).first().fill('First session');
  await officer.getByLabel('Date (YYYY-MM-DD)').fill('2026-12-01');
  await officer.getByLabel('Place').fill('Riverside Library');
  await officer.getByLabel('Agenda').fill('1. Welcome\n2. Evidence on the river path');
  await click(officer, 'Add the session', 'session');
  await officer.getByLabel('Title', { exact: true }).fill('River path costs');
  await officer.getByLabel('Author or speaker').fill('Highways team');
  await officer.getByLabel('Text').fill('Resurfacing the river path costs £40,000.');
  await click(officer, 'Publish', 'session with evidence');
  assert.equal(await officer.locator('.app-card h3').first().textContent(), 'River path costs');
  await go(r0, new URL(officer.url()).pathname, 'session (resident)');

  const byName = new Map(residents.map((r) => [r.name, r]));
  async function motion(title, forCount) {
    await go(officer, forumPath, 'forum', false);
    await officer.locator('#motion-title').fill(title);
    await officer.locator('#motion-text').fill(`The council will ${title.toLowerCase()}.`);
    await click(officer, 'Open the vote', 'motion open');
    const motionPath = new URL(officer.url()).pathname;
    for (let i = 0; i < members.length; i++) {
      const r = byName.get(members[i]);
      assert.ok(r, `member ${members[i]} is one of the residents`);
      await go(r.page, motionPath, 'motion (member)', r === residents[0]);
      await r.page.getByLabel(i < forCount ? 'For' : 'Against', { exact: true }).check();
      await click(r.page, 'Cast your vote', 'voted', r === residents[0]);
    }
    await go(officer, motionPath, 'motion', false);
    await click(officer, 'Close the vote and count', 'motion closed');
    return motionPath;
  }
  await motion('Resurface the river path', 12);
  assert.equal(await officer.locator('#motion-outcome').textContent(), 'Binding decision');
  const recPath = await motion('Open the library on Sundays', 7);  // 58%: below 60%, above half
  assert.equal(await officer.locator('#motion-outcome').textContent(), 'Recommendation');
  await officer.getByLabel('Accept in part').check();
  await officer.getByLabel('Reasons').fill('Sunday opening from April, within the current budget.');
  await click(officer, 'Publish the response', 'recommendation answered');
  assert.equal(await officer.locator('#response-decision').textContent(), 'Accepted in part');
  await go(r0, recPath, 'motion with response (resident)');
  await go(officer, `${programmePath}/decisions`, 'decisions');
  await go(officer, `${forumPath}/map`, 'opinion map');
  await go(officer, programmePath, 'programme');
  for (const r of residents) await r.ctx.close();
  await officerCtx.close();
});
