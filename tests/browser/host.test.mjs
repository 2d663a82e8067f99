// host.test.mjs - one server for many platforms in chromium (`draagvlak
// serve --data DIR`): the host's administrator makes an organisation at
// /beheer and gets a one-time link; the new board member chooses a
// password with it, finds no survey at /werkruimte, starts one by giving
// it a name, and lands in its editor; the survey's page and the host's
// front page name nothing of the other platform.  axe-core must find no
// violation on any of these pages.
//
// Variables (set by run.sh): DRAAGVLAK_HOST_URL, DRAAGVLAK_ADMIN
// (name:password of the host's administrator), DRAAGVLAK_OTHER_TITLE (a
// survey of another organisation on the same host), DRAAGVLAK_SHOTS,
// CHROMIUM.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { env, launch, accessible, loads } from './lib.mjs';

const BASE = env('DRAAGVLAK_HOST_URL');
const SHOTS = env('DRAAGVLAK_SHOTS');
const OTHER = env('DRAAGVLAK_OTHER_TITLE');
const [ADMIN, ADMIN_PW] = env('DRAAGVLAK_ADMIN').split(/:(.*)/);
mkdirSync(SHOTS, { recursive: true });

let browser;
const problems = [];
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
	assert.deepEqual(problems, [], 'no script errors or failed loads');
});

async function scenario(name, fn) {
	const context = await browser.newContext({ locale: 'nl-NL' });
	context.setDefaultTimeout(10000);
	const page = await context.newPage();
	page.on('console', (msg) => {
		if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of (403|404|422)/.test(msg.text()))
			problems.push(`${page.url()}: ${msg.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
	try {
		await fn(page);
	} catch (e) {
		await page.screenshot({ path: join(SHOTS, `FAILED-host-${name}.png`), fullPage: true }).catch(() => {});
		throw e;
	} finally {
		await context.close();
	}
}
const path = (page) => new URL(page.url()).pathname;
async function shot(page, name) {
	const width = page.viewportSize().width;
	await page.screenshot({ path: join(SHOTS, `${width}-host-${name}.png`), fullPage: true });
}
async function logIn(page, name, pw) {
	await page.goto(BASE + '/login');
	await page.getByLabel('Naam').fill(name);
	await page.getByLabel('Wachtwoord').fill(pw);
	return loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
}

describe('one server for many platforms in chromium', { timeout: 300000 }, () => {
	test('the host\'s front page names no survey', async () => {
		await scenario('voorpagina', async (page) => {
			const r = await page.goto(BASE + '/');
			assert.equal(r.status(), 200);
			assert.doesNotMatch(await page.textContent('body'), new RegExp(OTHER));
			await accessible(page, '/ (host)');
			await shot(page, 'voorpagina');
		});
	});

	test('an organisation made at /beheer; its board starts a survey', async () => {
		const board = 'secretaris.kern', pw = 'een-zin-van-de-secretaris';
		let link;
		await scenario('beheer', async (page) => {
			let r = await logIn(page, ADMIN, ADMIN_PW);
			assert.equal(path(page), '/werkruimte', 'the administrator has no survey to land on');
			await accessible(page, '/werkruimte (administrator)');
			r = await loads(page, () => page.getByRole('link', { name: 'Beheer van de server' }).first().click());
			assert.equal(r.status(), 200);
			await accessible(page, '/beheer');
			await page.getByLabel('Naam van de organisatie').fill('Dorpsraad Kern');
			await page.getByLabel('Korte naam').fill('Kern!');
			await page.getByLabel('Gebruikersnaam van het eerste bestuurslid').fill(board);
			r = await loads(page, () => page.getByRole('button', { name: /Organisatie aanmaken/ }).click());
			assert.equal(r.status(), 422);
			assert.match(await page.getByRole('alert').textContent(), /korte naam/);
			await accessible(page, '/beheer (error)');
			await page.getByLabel('Korte naam').fill('kern');
			r = await loads(page, () => page.getByRole('button', { name: /Organisatie aanmaken/ }).click());
			assert.equal(r.status(), 200);
			link = await page.getByLabel('Link voor de uitnodiging').inputValue();
			assert.match(link, /\/uitnodiging\/[0-9a-f]{64}$/);
			assert.match(await page.textContent('main'), /Dorpsraad Kern/);
			await accessible(page, '/beheer (made)');
			await shot(page, 'beheer');
		});
		await scenario('werkruimte', async (page) => {
			let r = await page.goto(link);
			assert.equal(r.status(), 200);
			await page.getByLabel('Wachtwoord', { exact: true }).fill(pw);
			await page.getByLabel('Hetzelfde wachtwoord nog een keer').fill(pw);
			r = await loads(page, () => page.getByRole('button', { name: 'Account maken' }).click());
			assert.equal(r.status(), 200);
			r = await logIn(page, board, pw);
			assert.equal(path(page), '/werkruimte', 'no survey yet: choose or start one');
			const text = await page.textContent('main');
			assert.match(text, /nog geen vragenlijst/);
			assert.doesNotMatch(text, new RegExp(OTHER));
			await accessible(page, '/werkruimte (empty)');
			await shot(page, 'werkruimte-leeg');
			// The name is required: the browser itself holds the form back.
			assert.equal(await page.getByLabel('Naam van de vragenlijst').getAttribute('required'), '');
			await page.getByLabel('Naam van de vragenlijst').fill('Een zebrapad bij de school');
			r = await loads(page, () => page.getByRole('button', { name: 'Vragenlijst maken' }).click());
			assert.equal(r.status(), 200);
			assert.equal(path(page), '/bestuur/vragenlijst', 'a new survey opens in its editor');
			assert.equal(await page.getByRole('group', { name: 'Titel' }).getByLabel('Nederlands').inputValue(),
				'Een zebrapad bij de school');
			await accessible(page, '/bestuur/vragenlijst (new survey)');
			r = await loads(page, () => page.getByRole('link', { name: 'Vragenlijsten' }).first().click());
			assert.match(await page.textContent('main'), /Een zebrapad bij de school/);
			assert.match(await page.textContent('main'), /U werkt nu aan deze vragenlijst/);
			await accessible(page, '/werkruimte (one survey)');
			await shot(page, 'werkruimte');
			r = await page.goto(BASE + '/bestuur');
			assert.equal(r.status(), 200);
			assert.doesNotMatch(await page.textContent('body'), new RegExp(OTHER));
			// Numbered forms for an evening, made and printed from the page.
			r = await page.goto(BASE + '/bestuur/formulieren');
			assert.equal(r.status(), 200);
			await accessible(page, '/bestuur/formulieren');
			await page.getByLabel(/Genummerde formulieren erbij maken/).fill('4');
			r = await loads(page, () => page.getByRole('button', { name: 'Formulieren erbij maken' }).click());
			assert.equal(r.status(), 200);
			assert.match(await page.textContent('main'), /1 tot en met 4 zijn gemaakt/);
			await accessible(page, '/bestuur/formulieren (made)');
			await shot(page, 'formulieren');
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('link', { name: /^Genummerde formulieren zonder adres \(PDF\)/ }).click(),
			]);
			assert.equal(download.suggestedFilename(), 'formulieren-buurt1-zonder-adres.pdf');
			assert.equal(readFileSync(await download.path()).subarray(0, 4).toString(), '%PDF');
		});
	});
});
