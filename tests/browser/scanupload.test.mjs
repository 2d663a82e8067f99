// scanupload.test.mjs - a volunteer reads scans in the browser: /scan in
// Debian's chromium (playwright-core) on a phone's width and a laptop's,
// run by run.sh last (the forms it sends count).  The page offers many
// files at once and, in an input of its own, the phone's camera; a
// scanned PDF and a file that is no image are sent together; the
// progress page reloads itself (its Refresh header, no <meta refresh>)
// until everything is read, then says per file what became of it; axe-core
// finds nothing on either page, and nothing scrolls sideways at 320 px.
//
//   DRAAGVLAK_URL, DRAAGVLAK_VOLUNTEER, DRAAGVLAK_SHOTS, CHROMIUM: as for
//   browser.test.mjs; DRAAGVLAK_SCAN_PDF: a PDF of printed forms of the
//   store's households (run.sh takes one page of `draagvlak render`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { env, launch, accessible, loads } from './lib.mjs';

const BASE = env('DRAAGVLAK_URL');
const SHOTS = env('DRAAGVLAK_SHOTS');
const PDF = env('DRAAGVLAK_SCAN_PDF');
const [VOLUNTEER, VOLUNTEER_PW] = env('DRAAGVLAK_VOLUNTEER').split(/:(.*)/);
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

async function noSideways(page, name) {
	const width = page.viewportSize().width;
	const scroll = await page.evaluate(() => document.scrollingElement.scrollWidth);
	assert.ok(scroll <= width, `${name}: no horizontal scrolling at ${width} px (page is ${scroll} px wide)`);
}

for (const width of [320, 1280]) {
	test(`scans and a photo sent from /scan at ${width} px, read in the background`, { timeout: 180000 }, async () => {
		const context = await browser.newContext({ locale: 'nl-NL', viewport: { width, height: 800 } });
		context.setDefaultTimeout(15000);
		const page = await context.newPage();
		const problems = [];
		page.on('pageerror', (e) => problems.push(e.message));
		page.on('console', (m) => {
			if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text());
		});
		try {
			await page.goto(BASE + '/login');
			await page.getByLabel('Naam').fill(VOLUNTEER);
			await page.getByLabel('Wachtwoord').fill(VOLUNTEER_PW);
			await loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
			let r = await loads(page, () => page.goto(BASE + '/scan'));
			assert.equal(r.status(), 200);
			await page.getByRole('heading', { name: "Scans en foto's inlezen" }).waitFor();
			// Many files from the gallery or a scanner, and the camera.
			const files = page.getByLabel("Bestanden: foto's of PDF");
			assert.equal(await files.getAttribute('multiple'), '');
			assert.match(await files.getAttribute('accept'), /image\/\*.*application\/pdf/);
			const camera = page.getByLabel('Of maak nu een foto met de camera');
			assert.equal(await camera.getAttribute('capture'), 'environment');
			assert.equal(await camera.getAttribute('accept'), 'image/*');
			await accessible(page, `/scan at ${width}`);
			await noSideways(page, '/scan');
			await page.screenshot({ path: join(SHOTS, `${width}-scan-inlezen.png`), fullPage: true });

			await files.setInputFiles([
				{ name: basename(PDF), mimeType: 'application/pdf', buffer: readFileSync(PDF) },
				{ name: 'boodschappen.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('melk, brood, kaas\n') },
			]);
			r = await loads(page, () => page.getByRole('button', { name: 'Inlezen' }).click());
			assert.equal(r.status(), 200);
			assert.match(new URL(page.url()).pathname, /^\/scan\/upload\/\d+$/);
			const first = await page.textContent('#voortgang');
			if (!/Klaar/.test(first)) {
				// Reading: said so, with a Refresh header and a link, never
				// a <meta http-equiv=refresh>.
				assert.match(first, /van 2 bestanden gelezen/);
				assert.ok(r.headers()['refresh'], 'the progress page asks to be reloaded');
				await page.getByRole('link', { name: 'Nu verversen' }).waitFor();
				await accessible(page, `progress at ${width}`);
			}
			assert.equal(await page.locator('meta[http-equiv]').count(), 0);
			// The browser reloads it by itself until all is read.
			await page.getByText('Klaar: alle 2 bestanden zijn gelezen.').waitFor({ timeout: 150000 });
			const row = (name) => page.getByRole('row', { name: new RegExp(name.replace('.', '\\.')) });
			assert.match(await row(basename(PDF)).textContent(), /1 pagina gelezen|al eerder ingelezen/);
			assert.match(await row('boodschappen.jpg').textContent(), /kon niet worden geopend/);
			assert.match(await page.textContent('#formulieren'), /formulieren geteld/);
			await accessible(page, `read at ${width}`);
			await noSideways(page, 'read');
			await page.screenshot({ path: join(SHOTS, `${width}-scan-gelezen.png`), fullPage: true });
			assert.deepEqual(problems, []);
		} finally {
			await context.close();
		}
	});
}
