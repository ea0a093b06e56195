// Browser test of resident panels and deliberation, as a new organiser and residents
// would do it, against `communitise serve --demo` (fresh SQLite database) through Debian's
// Chromium: the officer sets up a panel in the demo's binding programme, imports 1,000
// addresses, publishes a seed, draws 100 invitations (checked against the command-line
// redraw), 40 residents register with the codes on their letters, LEXIMIN selects 12 with
// quotas, one drops out and is replaced, the panel's forum holds a session with an
// evidence pack, votes on two motions (one binds, one becomes a recommendation) and the
// officer answers the recommendation; then, in a participatory-budgeting round that the
// forum decides without a public vote, a bid is checked, discussed and funded by a panel
// member. axe-core scans every page the officer, the first resident and that member see.
//
// Where the time goes, and why it is spent this way: the first resident signs up through
// the page like anyone would; the other 39 get their accounts from the command line
// (`communitise pb-round rehearsal-voters`, one password hash for all) and take turns in
// one browser context with JavaScript off — the pages work without it, the context's
// cache keeps the style sheets, and a resident is a session cookie rather than a new
// browser profile. Every resident still types their letter's code and answers the quota
// questions in the browser, and every panel member votes there. Signing up 40 people
// through the page, each in a fresh context, took three quarters of this test's time
// (argon2 hashing, a cold cache and the page scripts for every resident); sending
// axe-core to the browser for every scan took another tenth, so the scanned contexts
// get it once (harness.mjs, scannedContext). Several such contexts side by side were
// no faster on a loaded two-core machine.
//
// Environment: COMMUNITISE_BIN, COMMUNITISE_SOURCE_DIR (as flows.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { base, bin, browser, database, demo, tmp, noScriptPages as noScript, scan, scannedContext, go, useSite } from './harness.mjs';

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

test('panel from invitation lottery to a binding decision and a public response', { timeout: 600000 }, async (t) => {
  const started = Date.now();
  const phase = (label) => t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s: ${label}`);
  const officerLogin = logins.find((l) => /officer/i.test(l.description));
  assert.ok(officerLogin, 'the demo has an officer');
  const officerCtx = await scannedContext({ viewport: { width: 1200, height: 900 } });
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
  phase('invitations drawn and letters printed');

  // The first resident signs up through the page (JavaScript on, every page scanned).
  const firstCtx = await scannedContext({ viewport: { width: 390, height: 844 } });
  const first = await firstCtx.newPage();
  await go(first, '/sign-up', 'sign up');
  await first.getByLabel('Your name').fill('Resident 01');
  await first.getByLabel('Email address').fill('panel-resident-0@example.org');
  await first.getByLabel('Password').fill('a very long password');
  await click(first, 'Create account', 'after sign up', false);
  const residents = [{ name: 'Resident 01', page: first }];

  // The others have accounts made on the command line, one session each, and take turns
  // in one context with JavaScript off; a resident's turn is their session cookie.
  const sessions = path.join(tmp, 'residents.txt');
  execFileSync(bin, ['pb-round', 'rehearsal-voters', '--database', database, '--programme', programmePath.split('/').pop(),
                     '--count', '39', '--prefix', 'panel-resident@example.org', '--password', 'a very long password',
                     '--out', sessions], { encoding: 'utf8' });
  const tokens = readFileSync(sessions, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]);
  assert.equal(tokens.length, 39);
  const sharedCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const shared = await sharedCtx.newPage();
  noScript.add(shared);
  tokens.forEach((token, i) => residents.push({ name: `Voter ${i + 1}`, page: shared, token }));
  async function turn(r) {
    if (!r.token) return;
    await sharedCtx.addCookies([{ name: 'communitise_session', value: r.token, url: base }]);
  }

  // Every resident types the code on their letter at /register and answers the quota
  // questions; the first also sends the questions empty once and gets the errors back.
  const ages = ['16-34', '35-54', '55+'];
  for (let i = 0; i < 40; i++) {
    const r = residents[i];
    const check = i === 0;
    await turn(r);
    await go(r.page, '/register', 'register', check);
    await r.page.getByLabel('The code on your letter').fill(codes[i]);
    await click(r.page, 'Continue', 'register with code', check);
    if (i === 0) {
      await click(r.page, 'Register', 'register with errors');
      assert.match(await r.page.title(), /^Error: /);
    }
    await r.page.getByLabel(ages[i % 3], { exact: true }).check();
    await r.page.getByLabel(i % 2 ? 'female' : 'male', { exact: true }).check();
    await r.page.getByLabel(/I agree that my answers/).check();
    await click(r.page, 'Register', 'registered', check);
    assert.match(await r.page.getByRole('heading', { level: 1 }).textContent(), /You are registered/);
  }
  phase('40 residents registered');

  // Selection in the background; the page reloads itself until it is done.
  await go(officer, panelPath, 'panel with respondents');
  await officer.getByRole('link', { name: 'Registrations and their answers' }).click();
  await officer.waitForLoadState('load');
  await scan(officer, 'registrations');
  await go(officer, panelPath, 'panel', false);
  await click(officer, 'Run the selection', 'selection running', false);
  await officer.locator('#selection-done').waitFor({ timeout: 120000 });
  await scan(officer, 'selection done');
  phase('LEXIMIN selection done');
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
  for (const url of [`/panels/${panelId}/respondents`, `/api/panels/${panelId}/respondents`, `/panels/${panelId}/respondents.csv`]) {
    assert.equal((await first.request.get(base + url)).status(), 403, url);
  }
  await go(first, panelPath, 'panel (resident)');

  // The panel's forum: a session with an evidence pack, then two motions.
  await go(officer, `${programmePath}/forums`, 'forums');
  await officer.getByLabel("Citizens' assembly").check();
  await officer.getByLabel('Name', { exact: true }).fill('Riverside assembly');
  await officer.getByLabel('Members from a panel').selectOption({ label: 'Riverside residents panel' });
  await officer.getByLabel(/bind the body/).check();
  await click(officer, 'Create the forum', 'forum');
  const forumPath = new URL(officer.url()).pathname;
  // A session sent without its agenda comes back with the error by the field.
  await officer.getByLabel('Title', { exact: true }).fill('First session');
  await officer.getByLabel('Date (YYYY-MM-DD)').fill('2026-12-01');
  await officer.getByLabel('Place').fill('Riverside Library');
  await click(officer, 'Add the session', 'session with errors');
  assert.match(await officer.title(), /^Error: /);
  assert.equal(await officer.locator('#agenda-error').count(), 1);
  assert.equal(await officer.getByLabel('Place').inputValue(), 'Riverside Library');
  await officer.getByLabel('Agenda').fill('1. Welcome\n2. Evidence on the river path');
  await click(officer, 'Add the session', 'session');
  await officer.getByLabel('Title', { exact: true }).fill('River path costs');
  await officer.getByLabel('Author or speaker').fill('Highways team');
  await officer.getByLabel('Text').fill('Resurfacing the river path costs £40,000.');
  await click(officer, 'Publish', 'session with evidence');
  assert.equal(await officer.locator('.app-card h3').first().textContent(), 'River path costs');
  await go(first, new URL(officer.url()).pathname, 'session (resident)');
  phase('forum, session and evidence pack');

  const byName = new Map(residents.map((r) => [r.name, r]));
  async function motion(title, forCount) {
    await go(officer, forumPath, 'forum', false);
    await officer.locator('#motion_title').fill(title);
    await officer.locator('#motion_text').fill(`The council will ${title.toLowerCase()}.`);
    await click(officer, 'Open the vote', 'motion open');
    const motionPath = new URL(officer.url()).pathname;
    for (let i = 0; i < members.length; i++) {
      const r = byName.get(members[i]);
      assert.ok(r, `member ${members[i]} is one of the residents`);
      await turn(r);
      await go(r.page, motionPath, 'motion (member)', r.page === first);
      await r.page.getByLabel(i < forCount ? 'For' : 'Against', { exact: true }).check();
      await click(r.page, 'Cast your vote', 'voted', r.page === first);
    }
    await go(officer, motionPath, 'motion', false);
    await click(officer, 'Close the vote and count', 'motion closed');
    return motionPath;
  }
  await motion('Resurface the river path', 12);
  assert.equal(await officer.locator('#motion-outcome').textContent(), 'Binding decision');
  const recPath = await motion('Open the library on Sundays', 7);  // 58%: below 60%, above half
  assert.equal(await officer.locator('#motion-outcome').textContent(), 'Recommendation');
  phase('two motions voted and counted');
  await officer.getByLabel('Accept in part').check();
  await officer.getByLabel('Reasons').fill('Sunday opening from April, within the current budget.');
  await click(officer, 'Publish the response', 'recommendation answered');
  assert.equal(await officer.locator('#response-decision').textContent(), 'Accepted in part');
  await go(first, recPath, 'motion with response (resident)');

  // Bids before the panel: a round the forum decides, without a public vote. The
  // officer opens it and bids for a group, checks the bid, and a member of the panel
  // discusses and funds it with a reason, in a context that is scanned.
  await go(officer, `${programmePath}/pb`, 'participatory budgeting');
  await officer.getByRole('button', { name: 'Open a new round' }).click();
  await officer.waitForLoadState('load');
  await scan(officer, 'open a round');
  await officer.getByLabel('Name of the round').fill('Riverside small grants');
  await officer.getByLabel('Fund, in pounds').fill('20000');
  await officer.getByLabel('Or a forum of the programme').selectOption({ label: 'Riverside assembly' });
  await officer.getByLabel(/The forum decides which bids are funded/).check();
  await click(officer, 'Open the round', 'round the panel decides');
  const roundPath = new URL(officer.url()).pathname;
  await officer.getByRole('button', { name: 'Bid for a group' }).click();
  await officer.waitForLoadState('load');
  await officer.getByLabel('Name of the project').fill('Riverside play street');
  await officer.getByLabel('What the project will do').fill('Close the street to cars on Sunday afternoons for play.');
  await officer.getByLabel('What it will cost, in pounds').fill('8000');
  await officer.getByLabel('Name of the group').fill('Riverside Play Association');
  await officer.getByLabel('Charity or company number').fill('1123456');
  await click(officer, 'Submit', 'bid');
  const bidPath = new URL(officer.url()).pathname;
  await go(officer, roundPath, 'round (officer)', false);
  await click(officer, 'Move to: Screening', 'round in screening');
  await go(officer, bidPath, 'bid to check', false);
  await click(officer, 'Record the check', 'bid checked');
  const deciding = residents.find((r) => r.token && members.includes(r.name));
  const memberCtx = await scannedContext({ viewport: { width: 390, height: 844 } });
  await memberCtx.addCookies([{ name: 'communitise_session', value: deciding.token, url: base }]);
  const member = await memberCtx.newPage();
  await go(member, bidPath, 'bid (panel member)');
  await member.getByLabel('Add to the discussion').fill('Who closes the road each Sunday?');
  await click(member, 'Add to the discussion', 'bid with discussion');
  await click(member, 'Fund this bid', 'decision with errors');
  assert.match(await member.title(), /^Error: /);
  await member.getByLabel(/^Reason/).fill('Children have nowhere safe to play; volunteers will marshal.');
  await click(member, 'Fund this bid', 'bid funded');
  assert.match(await member.locator('.govuk-tag').first().textContent(), /Funded by the panel/);
  await go(officer, roundPath, 'round (officer)', false);
  await click(officer, 'Move to: Results', 'results decided by the panel');
  assert.match(await officer.locator('#results-summary').textContent(), /Decided by Riverside assembly: 1 funded/);
  await memberCtx.close();
  phase('bids before the panel');
  await go(officer, `${programmePath}/decisions`, 'decisions');
  await go(officer, `${forumPath}/map`, 'opinion map');
  await go(officer, programmePath, 'programme');
  await firstCtx.close();
  await sharedCtx.close();
  await officerCtx.close();
  phase('response published');
});
