// workspace.test.mjs - the board's workspace in chromium, after
// browser.test.mjs on the same server (run.sh runs both, this one
// second): every question on the results and the workbook download, a
// volunteer invited by a one-time link who chooses a password and logs
// in, the preview of the online form that stores nothing, and the
// address list uploaded as a file.  axe-core
// must find no violation on any of these pages.  The same variables as
// browser.test.mjs (see there).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { env, launch, accessible, loads } from './lib.mjs';

const BASE = env('DRAAGVLAK_URL');
const DB = env('DRAAGVLAK_DB');
const SHOTS = env('DRAAGVLAK_SHOTS');
const [BOARD, BOARD_PW] = env('DRAAGVLAK_BOARD').split(/:(.*)/);
mkdirSync(SHOTS, { recursive: true });

const sql = (query) =>
	execFileSync('sqlite3', ['-cmd', '.timeout 5000', DB, query], { encoding: 'utf8' }).trim();

let browser;
const problems = [];
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

async function person(options = {}) {
	const context = await browser.newContext({ locale: 'nl-NL', ...options });
	context.setDefaultTimeout(10000);
	const page = await context.newPage();
	page.on('console', (msg) => {
		if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of (400|403|404|409)/.test(msg.text()))
			problems.push(`${page.url()}: ${msg.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
	return { context, page };
}
async function scenario(name, options, fn) {
	const { context, page } = await person(options);
	try {
		await fn(page, context);
	} catch (e) {
		await page.screenshot({ path: join(SHOTS, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
		throw e;
	} finally {
		await context.close();
	}
}
const open = (page, path) => page.goto(BASE + path);
const path = (page) => new URL(page.url()).pathname;
async function shot(page, name) {
	const width = page.viewportSize().width;
	await page.screenshot({ path: join(SHOTS, `${width}-${name}.png`), fullPage: true });
}
async function noSideways(page, name) {
	const width = page.viewportSize().width;
	const scroll = await page.evaluate(() => document.scrollingElement.scrollWidth);
	assert.ok(scroll <= width, `${name}: no horizontal scrolling at ${width} px (page is ${scroll} px wide)`);
}
async function logIn(page, name, pw) {
	await open(page, '/login');
	await page.getByLabel('Naam').fill(name);
	await page.getByLabel('Wachtwoord').fill(pw);
	return loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
}

describe('the board\'s workspace in chromium', { timeout: 300000 }, () => {
	test('every question on the results, and the workbook', async () => {
		await scenario('bestuur-vragen', {}, async (page) => {
			let r = await logIn(page, BOARD, BOARD_PW);
			for (let i = 0; i < 30 && r.status() === 503; i++) {
				await page.waitForTimeout(200);
				r = await open(page, '/bestuur');
			}
			assert.equal(r.status(), 200);
			await page.getByRole('heading', { level: 2, name: 'Alle vragen' }).waitFor();
			const text = await page.textContent('main');
			assert.match(text, /Hoe vaak komt u of iemand uit uw huishouden nu bij het speelveld\?/);
			assert.match(text, /opmerkingen, op alfabet/);
			await accessible(page, '/bestuur');
			await page.getByRole('heading', { level: 2, name: 'Alle vragen' }).scrollIntoViewIfNeeded();
			await shot(page, 'bestuur-vragen');
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('link', { name: 'werkboek (XLSX)' }).click(),
			]);
			assert.equal(download.suggestedFilename(), 'uitslag.xlsx');
			assert.equal(readFileSync(await download.path()).subarray(0, 2).toString(), 'PK');
			await page.setViewportSize({ width: 320, height: 640 });
			await open(page, '/bestuur');
			await noSideways(page, '/bestuur');
			await shot(page, 'bestuur-vragen');
		});
	});

	test('a volunteer invited by a link chooses a password and logs in', async () => {
		const name = 'nieuwe.vrijwilliger', pw = 'een-lange-zin-als-wachtwoord';
		let link;
		await scenario('vrijwilligers', {}, async (page) => {
			await logIn(page, BOARD, BOARD_PW);
			let r = await loads(page, () => page.getByRole('link', { name: 'Vrijwilligers', exact: true }).click());
			assert.equal(r.status(), 200);
			assert.equal(path(page), '/bestuur/vrijwilligers');
			await accessible(page, '/bestuur/vrijwilligers');
			await page.getByLabel('Naam', { exact: true }).fill(name);
			await page.getByRole('radio', { name: /^Vrijwilliger: voert papieren formulieren in/ }).check();
			r = await loads(page, () => page.getByRole('button', { name: 'Uitnodiging maken' }).click());
			assert.equal(r.status(), 200);
			link = await page.getByLabel('Link voor de uitnodiging').inputValue();
			assert.match(link, /\/uitnodiging\/[0-9a-f]{64}$/);
			assert.match(await page.textContent('main'), new RegExp(`${BOARD} nodigde nieuwe\\.vrijwilliger uit als vrijwilliger`));
			await accessible(page, '/bestuur/vrijwilligers (invited)');
			await shot(page, 'bestuur-vrijwilligers');
		});
		await scenario('uitnodiging', {}, async (page) => {
			let r = await page.goto(link);
			assert.equal(r.status(), 200);
			await page.getByRole('heading', { level: 1, name: `Welkom, ${name}` }).waitFor();
			await accessible(page, '/uitnodiging');
			await shot(page, 'uitnodiging');
			await page.getByLabel('Wachtwoord', { exact: true }).fill(pw);
			await page.getByLabel('Hetzelfde wachtwoord nog een keer').fill('iets anders helemaal');
			r = await loads(page, () => page.getByRole('button', { name: 'Account maken' }).click());
			assert.equal(r.status(), 400);
			assert.match(await page.getByRole('alert').textContent(), /niet hetzelfde/);
			await accessible(page, '/uitnodiging (error)');
			await page.getByLabel('Wachtwoord', { exact: true }).fill(pw);
			await page.getByLabel('Hetzelfde wachtwoord nog een keer').fill(pw);
			r = await loads(page, () => page.getByRole('button', { name: 'Account maken' }).click());
			assert.equal(r.status(), 200);
			await page.getByRole('heading', { level: 1, name: 'Uw account is klaar' }).waitFor();
			r = await logIn(page, name, pw);
			assert.equal(path(page), '/invoer', 'the new volunteer lands on paper entry');
			// Once only.
			r = await page.goto(link);
			assert.equal(r.status(), 404);
		});
	});

	test('the preview of the online form stores nothing', async () => {
		const before = sql('SELECT count(*) FROM response');
		await scenario('voorbeeld', {}, async (page) => {
			await logIn(page, BOARD, BOARD_PW);
			let r = await loads(page, () => page.getByRole('link', { name: 'Voorbeeld', exact: true }).click());
			assert.equal(r.status(), 200);
			assert.equal(path(page), '/bestuur/voorbeeld');
			assert.match(await page.getByRole('note').textContent(), /Voorbeeld\..*niet bewaard/s);
			await accessible(page, '/bestuur/voorbeeld');
			await shot(page, 'bestuur-voorbeeld');
			const q1 = page.getByRole('group', { name: /^Vraag 1\b/ });
			await q1.getByText('Voor', { exact: true }).click();
			r = await loads(page, () => page.getByRole('button', { name: /^Versturen/ }).click());
			assert.equal(r.status(), 200);
			assert.match(await page.textContent('main'), /Er is niets bewaard/);
			await accessible(page, '/bestuur/voorbeeld (sent)');
		});
		assert.equal(sql('SELECT count(*) FROM response'), before, 'the preview stored no response');
	});

	test('the address list uploaded in the browser', async () => {
		const before = Number(sql('SELECT count(*) FROM household'));
		const header = 'openbareruimtenaam;huisnummer;huisletter;huisnummertoevoeging;postcode;woonplaatsnaam;buurtcode\r\n';
		await scenario('adressen', {}, async (page) => {
			await logIn(page, BOARD, BOARD_PW);
			let r = await loads(page, () => page.getByRole('link', { name: 'Adressen', exact: true }).click());
			assert.equal(r.status(), 200);
			await accessible(page, '/bestuur/adressen');
			await page.getByLabel('Adressenlijst (CSV)').setInputFiles({
				name: 'adressen.csv', mimeType: 'text/csv',
				buffer: Buffer.from(header + 'Zebrastraat;1;;;4849 ZZ;Dorst;BU0000\r\n'),
			});
			r = await loads(page, () => page.getByRole('button', { name: 'Adressen inlezen' }).click());
			assert.equal(r.status(), 400);
			assert.match(await page.getByRole('alert').textContent(), /Regel 2:/);
			await accessible(page, '/bestuur/adressen (problems)');
			await shot(page, 'bestuur-adressen-fout');
			await page.getByLabel('Adressenlijst (CSV)').setInputFiles({
				name: 'adressen.csv', mimeType: 'text/csv',
				buffer: Buffer.from(header + 'Zebrastraat;1;;;4849 ZZ;Dorst;BU08260100\r\n'),
			});
			r = await loads(page, () => page.getByRole('button', { name: 'Adressen inlezen' }).click());
			assert.equal(r.status(), 200);
			assert.match(await page.textContent('main'), /Ingelezen: 1 nieuwe huishoudens/);
		});
		assert.equal(Number(sql('SELECT count(*) FROM household')), before + 1);
	});

	test('a reminder wave from the board\'s page, and its letters', async () => {
		await scenario('herinnering', {}, async (page) => {
			let r = await logIn(page, BOARD, BOARD_PW);
			for (let i = 0; i < 30 && r.status() === 503; i++) {
				await page.waitForTimeout(200);
				r = await open(page, '/bestuur');
			}
			r = await loads(page, () => page.getByRole('link', { name: 'Herinneringsbrieven maken…' }).click());
			assert.equal(r.status(), 200);
			assert.equal(path(page), '/bestuur/herinnering');
			assert.match(await page.getByRole('note').textContent(), /de drukker en wie de brieven rondbrengt/);
			await accessible(page, '/bestuur/herinnering');
			await shot(page, 'bestuur-herinnering');
			await page.getByRole('radio', { name: /^Alleen aan de huishoudens die nog niet/ }).check();
			await page.getByLabel('Voor welke buurt?').selectOption({ label: 'Dorst-Oost' });
			r = await loads(page, () => page.getByRole('button', { name: 'Brieven maken' }).click());
			assert.equal(r.status(), 200);
			assert.match(await page.getByRole('status').textContent(), /De herinnering is gemaakt/);
			await accessible(page, '/bestuur/herinnering (made)');
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('link', { name: 'Brieven voor Dorst-Oost (PDF)' }).click(),
			]);
			assert.equal(download.suggestedFilename(), 'herinnering-1-BU08260101.pdf');
			assert.equal(readFileSync(await download.path()).subarray(0, 4).toString(), '%PDF');
			await page.setViewportSize({ width: 320, height: 640 });
			await open(page, '/bestuur/herinnering');
			await noSideways(page, '/bestuur/herinnering');
			await shot(page, 'bestuur-herinnering');
		});
		assert.equal(sql("SELECT count(*) FROM reminder_wave WHERE buurt_id = 'BU08260101'"), '1');
	});

	test('no page broke a rule of the browser', () => {
		assert.deepEqual(problems, []);
	});
});
