// Browser test: a whole participatory-budgeting round as new users would run it, on
// `communitise serve --demo` with a fresh SQLite database, through Debian's Chromium
// (playwright-core). An officer opens a round; a resident proposes; a group bids; the
// officer checks them and the screening panel accepts them with reasons; three
// residents vote — one changes their ballot, one is refused a second ballot, one breaks
// the ballot's limit and is told why (with JavaScript turned off) — the officer closes
// and the results page shows the engine's outcome. Every page is scanned with axe-core.
//
// Environment: COMMUNITISE_BIN, COMMUNITISE_SOURCE_DIR; screenshots to $COMMUNITISE_SHOTS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, browser, demo, scanned, noScriptPages, scan, shot, go, submit, useSite } from './harness.mjs';

useSite();

const programme = '/programmes/riverside-area-action-partnership';
const screener = { email: 'voter1@demo.communitise.test', password: 'demo-voter-password' };
let roundPath;

async function signIn(page, who, label) {
  await go(page, '/sign-in', `sign in${label}`);
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await submit(page, 'Sign in', `home${label}`);
}

// A new resident signs up and joins the demo partnership by postcode.
async function newResident(context, name, email, label) {
  const page = await context.newPage();
  await go(page, '/sign-up', `sign up${label}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('a very long password');
  await submit(page, 'Create account', `home after sign up${label}`);
  await go(page, `${programme}/join`, `join${label}`);
  await page.getByLabel('Your postcode').fill('DH2 1AA');
  if (await page.getByLabel(/or older/).count()) await page.getByLabel(/or older/).check();
  await submit(page, 'Join', `joined${label}`);
  assert.ok(await page.getByText('You are now a member').count(), `${name} joined`);
  return page;
}

async function openProject(page, title, label) {
  await go(page, roundPath, `round${label}`);
  await page.getByRole('link', { name: title }).click();
  await page.waitForLoadState('load');
  await scan(page, `project${label}`);
}

test('a whole round: open, propose, bid, screen, vote, close, results', async () => {
  const officer = demo.logins.find((l) => /officer/i.test(l.description));
  const officerCtx = await browser.newContext();
  const op = await officerCtx.newPage();
  await signIn(op, officer, ' (officer)');

  // Residents who will take part.
  const annCtx = await browser.newContext();
  const ann = await newResident(annCtx, 'Ann Proposer', 'ann@example.org', ' (Ann)');
  const grpCtx = await browser.newContext();
  const grp = await newResident(grpCtx, 'Gita Group', 'gita@example.org', ' (Gita)');

  // The officer opens a round.
  await go(op, `${programme}/pb`, 'participatory budgeting (officer)');
  await op.getByRole('button', { name: 'Open a new round' }).click();
  await op.waitForLoadState('load');
  await scan(op, 'open a round');
  await submit(op, 'Open the round', 'open a round with errors');
  await assert.doesNotReject(op.locator('.govuk-error-summary').waitFor());
  await op.getByLabel('Name of the round').fill('Riverside small grants');
  await op.getByLabel('Fund, in pounds').fill('20000');
  await op.getByLabel('Screening panel').fill(screener.email);
  await op.getByLabel('Most projects on a ballot').fill('1');
  await submit(op, 'Open the round', 'round page (officer)');
  await assert.doesNotReject(op.getByText('Round opened').waitFor());
  roundPath = new URL(op.url()).pathname;
  await shot(op, 'pb-round');

  // A resident proposes a project; a group bids.
  await go(ann, roundPath, 'round (Ann)');
  await ann.getByRole('button', { name: 'Propose a project' }).click();
  await ann.waitForLoadState('load');
  await scan(ann, 'propose');
  await ann.getByLabel('Name of the project').fill('Riverside benches');
  await ann.getByLabel('What the project will do').fill('Six benches along the river path.');
  await ann.getByLabel('What it will cost, in pounds').fill('6000');
  await submit(ann, 'Submit', 'project (Ann)');
  await assert.doesNotReject(ann.getByText('Your project is saved').waitFor());

  await go(grp, roundPath, 'round (Gita)');
  await grp.getByRole('button', { name: 'Bid for a group' }).click();
  await grp.waitForLoadState('load');
  await scan(grp, 'bid');
  await grp.getByLabel('Name of the project').fill('Youth cooking club');
  await grp.getByLabel('What the project will do').fill('Weekly cooking sessions for teenagers.');
  await grp.getByLabel('What it will cost, in pounds').fill('9000');
  await grp.getByLabel('Name of the group').fill('Riverside Youth Trust');
  await grp.getByLabel('Charity or company number').fill('1123456');
  await grp.locator('#attachment').setInputFiles({ name: 'budget.txt', mimeType: 'text/plain', buffer: Buffer.from('Ingredients 4000\nVenue 5000\n') });
  await submit(grp, 'Submit', 'bid (Gita)');
  await assert.doesNotReject(grp.getByRole('link', { name: 'budget.txt' }).waitFor());
  await go(grp, roundPath, 'round (Gita)');
  await grp.getByRole('button', { name: 'Bid for a group' }).click();
  await grp.waitForLoadState('load');
  await grp.getByLabel('Name of the project').fill('Street party');
  await grp.getByLabel('What the project will do').fill('A summer street party.');
  await grp.getByLabel('What it will cost, in pounds').fill('4000');
  await grp.getByLabel('Name of the group').fill('Riverside Youth Trust');
  await grp.getByLabel('Charity or company number').fill('1123456');
  await submit(grp, 'Submit', 'second bid (Gita)');

  // Screening: the officer checks (adjusting one cost with a reason), the panel decides.
  await go(op, roundPath, 'round (officer)');
  await submit(op, 'Move to: Screening', 'round in screening');
  for (const title of ['Riverside benches', 'Youth cooking club', 'Street party']) {
    await openProject(op, title, ' (officer)');
    if (title === 'Youth cooking club') {
      await op.getByLabel('Cost, in pounds').fill('8500');
      await op.getByLabel('Reason for changing the cost').fill('The venue is free on Tuesdays');
    }
    await submit(op, 'Record the check', `checked ${title}`);
  }
  const panelCtx = await browser.newContext();
  const panel = await panelCtx.newPage();
  await signIn(panel, screener, ' (screening panel)');
  for (const [title, decision, reason] of [
    ['Riverside benches', 'Accept to the ballot', 'Safe, costed and on council land'],
    ['Youth cooking club', 'Accept to the ballot', 'Meets the youth priority'],
    ['Street party', 'Do not put to the ballot', 'One-off events are outside this fund'],
  ]) {
    await openProject(panel, title, ' (panel)');
    await submit(panel, decision, `decided ${title} with errors`);
    await assert.doesNotReject(panel.locator('.govuk-error-summary').waitFor());
    await panel.getByLabel(/^Reason/).fill(reason);
    await submit(panel, decision, `decided ${title}`);
    await assert.doesNotReject(panel.getByText(reason).first().waitFor());
  }
  await go(op, roundPath, 'round (officer)');
  await submit(op, 'Move to: Voting', 'round in voting');

  // Voter 1 votes, then changes the ballot.
  const v1Ctx = await browser.newContext();
  const v1 = await newResident(v1Ctx, 'Val One', 'val@example.org', ' (voter 1)');
  await go(v1, roundPath, 'round (voter 1)');
  await v1.getByRole('button', { name: 'Vote' }).click();
  await v1.waitForLoadState('load');
  await scan(v1, 'ballot (voter 1)');
  await v1.getByLabel(/Riverside benches/).check();
  await submit(v1, 'Cast my ballot', 'voted (voter 1)');
  const firstReceipt = await v1.locator('#receipt-code').textContent();
  await go(v1, roundPath, 'round after voting (voter 1)');
  await v1.getByRole('button', { name: 'Change your ballot' }).click();
  await v1.waitForLoadState('load');
  await scan(v1, 'change ballot (voter 1)');
  await v1.getByLabel(/Riverside benches/).uncheck();
  await v1.getByLabel(/Youth cooking club/).check();
  await submit(v1, 'Replace my ballot', 'ballot changed (voter 1)');
  assert.match(await v1.locator('h1').textContent(), /changed/);
  const receipt = await v1.locator('#receipt-code').textContent();
  assert.notEqual(receipt, firstReceipt);

  // Voter 2 had the ballot open twice: the second, stale ballot is refused.
  const v2Ctx = await browser.newContext();
  const v2 = await newResident(v2Ctx, 'Vic Two', 'vic@example.org', ' (voter 2)');
  const v2b = await v2Ctx.newPage();
  await go(v2, `${roundPath}/ballot`, 'ballot (voter 2)');
  await go(v2b, `${roundPath}/ballot`, 'ballot, second tab (voter 2)');
  await v2.getByLabel(/Youth cooking club/).check();
  await submit(v2, 'Cast my ballot', 'voted (voter 2)');
  await v2b.getByLabel(/Riverside benches/).check();
  await submit(v2b, 'Cast my ballot', 'second ballot refused (voter 2)');
  await assert.doesNotReject(v2b.locator('.govuk-error-summary').getByText(/already voted/).waitFor());

  // Voter 3, without JavaScript, breaks the limit, is told why, then votes.
  const v3Ctx = await browser.newContext({ javaScriptEnabled: false });
  const v3 = await v3Ctx.newPage();
  noScriptPages.add(v3);
  await go(v3, '/sign-up', 'sign up (voter 3)');
  await v3.getByLabel('Your name').fill('Viv Three');
  await v3.getByLabel('Email address').fill('viv@example.org');
  await v3.getByLabel('Password').fill('a very long password');
  await submit(v3, 'Create account', 'home (voter 3)');
  await go(v3, `${programme}/join`, 'join (voter 3)');
  await v3.getByLabel('Your postcode').fill('DH2 1AA');
  if (await v3.getByLabel(/or older/).count()) await v3.getByLabel(/or older/).check();
  await submit(v3, 'Join', 'joined (voter 3)');
  await go(v3, `${roundPath}/ballot`, 'ballot (voter 3)');
  await v3.getByLabel(/Riverside benches/).check();
  await v3.getByLabel(/Youth cooking club/).check();
  await submit(v3, 'Update total', 'ballot total (voter 3)');
  await assert.doesNotReject(v3.getByText('£14,500').first().waitFor());
  await submit(v3, 'Cast my ballot', 'ballot refused (voter 3)');
  await assert.doesNotReject(v3.locator('.govuk-error-summary').getByText(/Choose at most 1 project/).waitFor());
  await v3.getByLabel(/Riverside benches/).uncheck();
  await v3.getByLabel(/Youth cooking club/).check();
  await submit(v3, 'Cast my ballot', 'voted (voter 3)');
  assert.ok(await v3.locator('#receipt-code').count());

  // Anyone can check a receipt.
  await go(ann, '/pb/receipt', 'check receipt');
  await ann.getByLabel('Receipt code').fill(receipt);
  await submit(ann, 'Check', 'receipt found');
  await assert.doesNotReject(ann.getByText(/This ballot is counted/).waitFor());

  // The officer closes voting; the results page shows the engine's outcome.
  await go(op, roundPath, 'round (officer)');
  await submit(op, 'Move to: Results', 'results');
  assert.match(await op.locator('h1').textContent(), /Results/);
  assert.equal(await op.locator('svg[role="img"]').count(), 2);
  const rows = op.locator('tbody tr');
  assert.equal(await rows.count(), 2);
  await assert.doesNotReject(op.getByRole('cell', { name: /Youth cooking club/ }).waitFor());
  assert.match(await rows.first().textContent(), /Youth cooking club.*3.*£8,500.*Funded/s);
  await shot(op, 'pb-results');
  await go(ann, roundPath + '/results', 'results (public)');
  await openProject(ann, 'Riverside benches', ' (public, after results)');
  await assert.doesNotReject(ann.getByText(/Why it was/).waitFor());
  for (const c of [officerCtx, annCtx, grpCtx, panelCtx, v1Ctx, v2Ctx, v3Ctx]) await c.close();
});

test('pages were scanned', () => {
  assert.ok(scanned.length >= 40, `only ${scanned.length} pages scanned`);
});
