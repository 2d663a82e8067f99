// editor.test.mjs - the board defines the survey in the browser: the
// editor at /bestuur/vragenlijst in Debian's chromium (playwright-core),
// run by run.sh after browser.test.mjs (so the store holds answers and
// the agreement is read-only; alone, it checks the editable agreement).  One field changed through the form
// changes only its line of the YAML; a mistake is shown at its field and
// is that field's description; the YAML uploads back byte for byte; and
// axe-core finds nothing on the editor, with or without a mistake.  On a
// store no one has answered in yet (DRAAGVLAK_FRESH_URL), the agreement in
// words follows the fields as they change, without a reload, and without
// JavaScript the button "Toon de afspraak" shows the same sentence.
//
//   DRAAGVLAK_URL, DRAAGVLAK_BOARD, DRAAGVLAK_SHOTS, CHROMIUM: as for
//   browser.test.mjs; DRAAGVLAK_FRESH_URL: the same survey, unanswered,
//   with the same board account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { env, launch, accessible, loads } from './lib.mjs';

const BASE = env('DRAAGVLAK_URL');
const FRESH = env('DRAAGVLAK_FRESH_URL');
const SHOTS = env('DRAAGVLAK_SHOTS');
const [BOARD, BOARD_PW] = env('DRAAGVLAK_BOARD').split(/:(.*)/);
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

// Logged in as the board, on the editor of the server at base.
async function editor(page, base) {
	await page.goto(base + '/login');
	await page.getByLabel('Naam').fill(BOARD);
	await page.getByLabel('Wachtwoord').fill(BOARD_PW);
	await loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
	const r = await loads(page, () => page.getByRole('link', { name: 'Vragenlijst' }).click());
	assert.equal(r.status(), 200);
	await page.getByRole('heading', { level: 1, name: 'Vragenlijst bewerken' }).waitFor();
}
// The sentence of the agreement at node at ("/agreement", "/buurten/2/agreement").
const sentence = (page, at) => page.locator(`[data-at="${at}"]`);
// Until the sentence at at says what re matches.
async function says(page, at, re) {
	await page.waitForFunction(([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ''),
		[`[data-at="${at}"]`, re.source], { timeout: 10000 }).catch(() => {});
	assert.match(await sentence(page, at).textContent(), re);
}
// The stored definition, as the download link gives it.
async function download(page) {
	const [d] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'YAML downloaden' }).first().click(),
	]);
	assert.equal(d.suggestedFilename(), 'vragenlijst.yaml');
	return readFileSync(await d.path(), 'utf8');
}
// The first buurt's household count, found by its label.
const households = (page) => page.locator('section#buurt-1').getByLabel('Aantal huishoudens');
const save = (page) => page.getByRole('button', { name: 'Opslaan' }).first();

test('8. the board edits the survey in the browser', { timeout: 120000 }, async () => {
	const context = await browser.newContext({ locale: 'nl-NL' });
	context.setDefaultTimeout(20000);
	const page = await context.newPage();
	const problems = [];
	page.on('pageerror', (e) => problems.push(e.message));
	page.on('console', (m) => {
		// 404: the browser asks for /favicon.ico, which there is none of.
		if (m.type() === 'error' && !/status of (404|409|422)/.test(m.text())) problems.push(m.text());
	});
	try {
		await page.goto(BASE + '/login');
		await page.getByLabel('Naam').fill(BOARD);
		await page.getByLabel('Wachtwoord').fill(BOARD_PW);
		await loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
		let r = await loads(page, () => page.getByRole('link', { name: 'Vragenlijst' }).click());
		assert.equal(r.status(), 200);
		await page.getByRole('heading', { level: 1, name: 'Vragenlijst bewerken' }).waitFor();
		const before = await download(page);

		// The agreement in words; read-only once answers exist (after
		// browser.test.mjs), and said to become so before.
		const main = await page.textContent('main');
		assert.match(main, /In woorden: Er is voldoende draagvlak als/);
		const frozen = /Er zijn al antwoorden, dus de afspraak ligt vast/.test(main);
		if (!frozen) assert.match(main, /De afspraak ligt vast zodra het eerste antwoord binnen is/);
		assert.equal(await page.locator('select[name="c:/agreement/min_in_favour"]').isDisabled(), frozen);
		await accessible(page, 'vragenlijst');
		// The page is long: its first screen is what the board sees first.
		await page.screenshot({ path: join(SHOTS, '1280-vragenlijst.png') });

		// One field, changed as a person does: only its line changes.
		const old = await households(page).inputValue();
		await households(page).fill(String(Number(old) + 8));
		r = await loads(page, () => save(page).click());
		assert.equal(r.status(), 200);
		assert.match(await page.textContent('[role=status]'), /Opgeslagen/);
		assert.equal(await households(page).inputValue(), String(Number(old) + 8));
		const after1 = await download(page);
		const a = before.split('\n'), b = after1.split('\n');
		assert.equal(b.length, a.length);
		const changed = a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y);
		assert.deepEqual(changed, [[`    households: ${old}`, `    households: ${Number(old) + 8}`]]);

		// A mistake: refused (422), said at the field, as its description.
		await households(page).fill('veel');
		r = await loads(page, () => save(page).click());
		assert.equal(r.status(), 422);
		assert.match(await page.textContent('[role=alert]'), /Niet opgeslagen/);
		assert.equal(await households(page).getAttribute('aria-invalid'), 'true');
		const ids = (await households(page).getAttribute('aria-describedby')).split(' ');
		const said = await Promise.all(ids.map((id) => page.locator(`#${id}`).textContent()));
		assert.ok(said.some((t) => /veel/.test(t)), `the field's description names the mistake: ${said}`);
		await accessible(page, 'vragenlijst with a mistake');
		await page.locator('section#buurt-1').screenshot({ path: join(SHOTS, '1280-vragenlijst-fout.png') });
		// Put right, it saves.
		await households(page).fill(old);
		r = await loads(page, () => save(page).click());
		assert.equal(r.status(), 200);
		assert.equal(await download(page), before);

		// The YAML, uploaded as downloaded with one change, and back.
		r = await loads(page, () => page.getByRole('link', { name: 'YAML uploaden' }).click());
		assert.equal(r.status(), 200);
		await accessible(page, 'vragenlijst uploaden');
		await page.getByLabel('De vragenlijst (YAML)').fill(before.replace('organisation: Dorpsplatform Dorst\n',
			'organisation: Dorpsplatform Dorst (test)\n'));
		r = await loads(page, () => page.getByRole('button', { name: 'Controleren en opslaan' }).click());
		assert.equal(r.status(), 200);
		assert.equal(await page.getByLabel('Naam van het platform').inputValue(), 'Dorpsplatform Dorst (test)');
		await page.goto(BASE + '/bestuur/vragenlijst/yaml');
		await page.getByLabel('De vragenlijst (YAML)').fill(before);
		r = await loads(page, () => page.getByRole('button', { name: 'Controleren en opslaan' }).click());
		assert.equal(r.status(), 200);
		assert.equal(await download(page), before, 'upload(download(x)) is x');
		assert.deepEqual(problems, []);
	} catch (e) {
		await page.screenshot({ path: join(SHOTS, 'FAILED-editor.png'), fullPage: true }).catch(() => {});
		throw e;
	} finally {
		await context.close();
	}
});

test('9. the agreement in words follows the fields', { timeout: 120000 }, async () => {
	const context = await browser.newContext({ locale: 'nl-NL' });
	context.setDefaultTimeout(20000);
	const page = await context.newPage();
	const problems = [];
	let navigations = 0;
	page.on('pageerror', (e) => problems.push(e.message));
	page.on('console', (m) => {
		if (m.type() === 'error' && !/status of (404|422)/.test(m.text())) problems.push(m.text());
	});
	try {
		await editor(page, FRESH);
		const before = await download(page);
		const favour = page.locator('select[name="c:/agreement/min_in_favour"]');
		const share = page.locator('input[name="v:/agreement/min_in_favour"]');
		assert.equal(await favour.isDisabled(), false, 'no answers yet: the agreement can change');
		assert.match(await page.textContent('main'), /De afspraak ligt vast zodra het eerste antwoord binnen is/);
		await says(page, '/agreement', /^In woorden: Er is voldoende draagvlak als meer dan 50% /);
		await says(page, '/buurten/2/agreement', /Dorst-West.*meer dan 50%/);
		// With the script, the sentences need no button.
		assert.equal(await page.getByRole('button', { name: /^Toon de afspraak/ }).count(), 0);
		page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });

		// "meer dan" becomes "minstens", 50% becomes 55%: said at once.
		await favour.selectOption({ label: 'minstens' });
		await says(page, '/agreement', /minstens 50%/);
		await share.fill('55%');
		await says(page, '/agreement', /^In woorden: Er is voldoende draagvlak als minstens 55% /);
		// Dorst-West has no share of its own: it follows.
		await says(page, '/buurten/2/agreement', /Dorst-West.*minstens 55%/);
		// Dorst-Centrum has its own.
		await says(page, '/buurten/0/agreement', /Dorst-Centrum.*meer dan 50%/);
		await accessible(page, 'vragenlijst, afspraak gewijzigd');
		await sentence(page, '/agreement').screenshot({ path: join(SHOTS, '1280-vragenlijst-afspraak.png') });

		// A share that is none: the problem in its place, with the fix.
		await share.fill('veel');
		await says(page, '/agreement', /een aandeel schrijft u als 35%, 66,67% of 2\/3/);
		assert.match(await sentence(page, '/agreement').getAttribute('class'), /\bbad\b/);
		await accessible(page, 'vragenlijst, afspraak met een fout');
		await share.fill('55%');
		await says(page, '/agreement', /minstens 55%/);
		assert.equal(navigations, 0, 'the sentence changed without a reload');
		// Nothing was saved by it.
		assert.equal(await download(page), before);
		// The page the button gives (test 10 without JavaScript), for axe.
		await page.evaluate(() => { document.querySelector('[data-at="/agreement"] + [data-show]').hidden = false; });
		const r = await loads(page, () => page.locator('[data-at="/agreement"] + [data-show] button').click());
		assert.equal(r.status(), 200);
		assert.match(await page.textContent('[role=status]'), /nog niet opgeslagen/);
		await accessible(page, 'vragenlijst, afspraak getoond');
		assert.deepEqual(problems, []);
	} catch (e) {
		await page.screenshot({ path: join(SHOTS, 'FAILED-editor-afspraak.png'), fullPage: true }).catch(() => {});
		throw e;
	} finally {
		await context.close();
	}
});

test('10. without JavaScript, "Toon de afspraak" gives the same sentence', { timeout: 120000 }, async () => {
	const context = await browser.newContext({ locale: 'nl-NL', javaScriptEnabled: false });
	context.setDefaultTimeout(20000);
	const page = await context.newPage();
	try {
		await editor(page, FRESH);
		await page.locator('select[name="c:/agreement/min_in_favour"]').selectOption({ label: 'minstens' });
		await page.locator('input[name="v:/agreement/min_in_favour"]').fill('55%');
		assert.match(await sentence(page, '/agreement').textContent(), /meer dan 50%/, 'no script: unchanged until asked');
		const r = await loads(page, () => page.locator('[data-at="/agreement"] + [data-show] button').click());
		assert.equal(r.status(), 200);
		assert.match(await sentence(page, '/agreement').textContent(),
			/^In woorden: Er is voldoende draagvlak als minstens 55% /);
		assert.match(await page.textContent('[role=status]'), /nog niet opgeslagen/);
		// Back at the sentence, with what was typed kept for Opslaan.
		assert.match(page.url(), /#f\d+$/);
		assert.equal(await page.locator('input[name="v:/agreement/min_in_favour"]').inputValue(), '55%');
	} catch (e) {
		await page.screenshot({ path: join(SHOTS, 'FAILED-editor-toon.png'), fullPage: true }).catch(() => {});
		throw e;
	} finally {
		await context.close();
	}
});
