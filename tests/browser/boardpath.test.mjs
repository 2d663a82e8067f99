// boardpath.test.mjs - the board's whole path in one walk, in chromium,
// on a server that hosts many platforms (`draagvlak serve --data DIR`),
// with no shell: the host's administrator makes the organisation; its
// secretary accepts the invitation, makes the survey in the editor (one
// proposition and three other questions, two buurten with different
// agreements), uploads the municipality's address list as Excel saves it
// (Windows-1252, `;`, trailing empty rows, buurt codes in another case),
// previews the online and the paper form, downloads a buurt's forms and
// hands them to the print shop; a second decoder (zbarimg) reads every QR
// code of that PDF and finds each household of the buurt once, with a link
// that opens its own form.  She invites a volunteer, who chooses a
// password and enters one of those paper forms; a resident answers
// another online; the board's results then count both on every question
// and the workbook holds them.  axe-core must find no violation on any
// page of the walk.
//
// Variables (set by run.sh): DRAAGVLAK_HOST_URL, DRAAGVLAK_ADMIN
// (name:password of the host's administrator), DRAAGVLAK_HOST_DIR (the
// host's folder, to compare with what the stores hold), DRAAGVLAK_WORK (a
// scratch folder), DRAAGVLAK_SHOTS, CHROMIUM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { env, launch, accessible as axe, loads } from './lib.mjs';

const BASE = env('DRAAGVLAK_HOST_URL');
const HOST_DIR = env('DRAAGVLAK_HOST_DIR');
const WORK = env('DRAAGVLAK_WORK');
const SHOTS = env('DRAAGVLAK_SHOTS');
const [ADMIN, ADMIN_PW] = env('DRAAGVLAK_ADMIN').split(/:(.*)/);
mkdirSync(SHOTS, { recursive: true });
mkdirSync(WORK, { recursive: true });
const run = promisify(execFile);

// The survey's own store, found through the host's register.
const sql = (db, query) =>
	execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, query], { encoding: 'utf8' }).trim();
function surveyStore(org) {
	const file = sql(join(HOST_DIR, 'host.db'),
		`SELECT file FROM host_survey WHERE organisation = '${org}'`);
	assert.ok(file, `the host registered a survey of ${org}`);
	return file.startsWith('/') ? file : join(HOST_DIR, file);
}

// The two buurten as the municipality's list has them, and as the board
// names them in the editor.
const ZUID = 'BU08260105', NOORD = 'BU08260106';
const NR_ZUID = 90, NR_NOORD = 60;

// The municipality's extract, saved by Excel as "CSV (puntkomma
// gescheiden)": Windows-1252, CRLF, and the empty rows Excel keeps below
// the data.  Streets with letters outside ASCII, and buurt codes in the
// case the municipality happened to type them.
function addressList() {
	const rows = ['openbareruimtenaam;huisnummer;huisletter;huisnummertoevoeging;postcode;woonplaatsnaam;buurtcode'];
	for (let i = 1; i <= NR_ZUID; i++)
		rows.push(`${i % 2 ? 'Schoolstraat' : 'Curaçaostraat'};${i};${i % 7 === 0 ? 'a' : ''};;5126 AB;Dorst;bu08260105`);
	for (let i = 1; i <= NR_NOORD; i++)
		rows.push(`Ruïnelaan;${i};;${i % 9 === 0 ? 'bis' : ''};5126 CD;Dorst;Bu08260106`);
	rows.push(';;;;;;', ';;;;;;', '', '');
	return Buffer.from(rows.join('\r\n'), 'latin1'); // ç and ï: the same bytes in Windows-1252
}

let browser;
const problems = [];
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
});

// One person at one browser: her own cookies, her own failures.
async function person(who) {
	const context = await browser.newContext({ locale: 'nl-NL', acceptDownloads: true });
	context.setDefaultTimeout(15000);
	const page = await context.newPage();
	page.on('console', (msg) => {
		if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of (400|404|422)/.test(msg.text()))
			problems.push(`${who} at ${page.url()}: ${msg.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`${who} at ${page.url()}: ${e.message}`));
	return page;
}
// One step of the walk, by who at her own browser; on failure, her page.
async function as(who, fn) {
	const page = await person(who);
	try {
		await fn(page);
	} catch (e) {
		await page.screenshot({ path: join(SHOTS, `FAILED-boardpath-${who}.png`), fullPage: true }).catch(() => {});
		throw e;
	} finally {
		await page.context().close();
	}
}
const path = (page) => new URL(page.url()).pathname;
const main = (page) => page.textContent('main');
async function shot(page, name) {
	await page.screenshot({ path: join(SHOTS, `1280-boardpath-${name}.png`), fullPage: true });
}
// Every page of the walk is checked where it stands.
const checked = [];
async function accessible(page, name) {
	await axe(page, name);
	checked.push(name);
}
async function logIn(page, name, pw) {
	await page.goto(BASE + '/login');
	await page.getByLabel('Naam').fill(name);
	await page.getByLabel('Wachtwoord').fill(pw);
	return loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
}
async function acceptInvitation(page, link, pw) {
	let r = await page.goto(link);
	assert.equal(r.status(), 200);
	await accessible(page, `/uitnodiging (${page.who})`);
	await page.getByLabel('Wachtwoord', { exact: true }).fill(pw);
	await page.getByLabel('Hetzelfde wachtwoord nog een keer').fill(pw);
	r = await loads(page, () => page.getByRole('button', { name: 'Account maken' }).click());
	assert.equal(r.status(), 200);
	await page.getByRole('heading', { level: 1, name: 'Uw account is klaar' }).waitFor();
}
async function download(page, link) {
	const [d] = await Promise.all([page.waitForEvent('download'), link.click()]);
	return { name: d.suggestedFilename(), path: await d.path() };
}
// Editor fields by their place in the definition.
const field = (page, kind, at) => page.locator(`[name="${kind}:${at}"]`);
async function editorOp(page, button) {
	const r = await loads(page, () => button.click());
	assert.equal(r.status(), 200, 'the editor takes the step');
	assert.equal(path(page), '/bestuur/vragenlijst');
}
const question = (page, n) => page.getByRole('group', { name: new RegExp(`^Vraag ${n}\\b`) });

const SECRETARY = 'secretaris.zebra', SECRETARY_PW = 'een zin die alleen de secretaris kent';
const VOLUNTEER = 'petra', VOLUNTEER_PW = 'petra voert de formulieren in';
const TITLE = 'Een zebrapad bij basisschool De Regenboog';
const Q = {
	voorstel: 'Bent u voor een zebrapad op de Schoolstraat bij De Regenboog?',
	plek: 'Waar moet het zebrapad komen?',
	veilig: 'Hoe veilig vindt u het oversteken daar nu?',
	opmerking: 'Wilt u nog iets kwijt over het plan?',
};
let links;
const PLEK = ['Bij de hoofdingang', 'Bij de fietsenstalling', 'Bij de bushalte'];

test('the board\'s whole path, in the browser, on a server for many platforms', { timeout: 600000 }, async () => {
	// ---- the host's administrator makes the organisation ----------------
	let invitation;
	await as('beheerder', async (page) => {
		await logIn(page, ADMIN, ADMIN_PW);
		let r = await loads(page, () => page.getByRole('link', { name: 'Beheer van de server' }).first().click());
		assert.equal(r.status(), 200);
		await page.getByLabel('Naam van de organisatie').fill('Buurtvereniging Zebra');
		await page.getByLabel('Korte naam').fill('zebra');
		await page.getByLabel('Gebruikersnaam van het eerste bestuurslid').fill(SECRETARY);
		r = await loads(page, () => page.getByRole('button', { name: /Organisatie aanmaken/ }).click());
		assert.equal(r.status(), 200);
		invitation = await page.getByLabel('Link voor de uitnodiging').inputValue();
		assert.match(invitation, /\/uitnodiging\/[0-9a-f]{64}$/);
		await accessible(page, '/beheer (made)');
	});

	// ---- the secretary: only a URL and the invitation -------------------
	await as('secretaris', async (page) => {
		await acceptInvitation(page, invitation, SECRETARY_PW);
		await logIn(page, SECRETARY, SECRETARY_PW);
		assert.equal(path(page), '/werkruimte');
		await accessible(page, '/werkruimte (empty)');
		await page.getByLabel('Naam van de vragenlijst').fill(TITLE);
		let r = await loads(page, () => page.getByRole('button', { name: 'Vragenlijst maken' }).click());
		assert.equal(r.status(), 200);
		assert.equal(path(page), '/bestuur/vragenlijst');
		await accessible(page, '/bestuur/vragenlijst (new)');

		// -- the survey, field by field, as she would --
		await field(page, 'S', '/opens').fill('2027-04-20');
		await field(page, 'S', '/closes').fill('2027-05-31');
		await field(page, 't', '/intro').fill('De gemeente wil een zebrapad aanleggen bij de school. ' +
			'Het platform vraagt eerst wat u ervan vindt.');
		await field(page, 'T', '/questions/0/text').fill(Q.voorstel);
		for (const type of ['choice', 'scale', 'text']) {
			await page.getByLabel('Soort nieuwe vraag').selectOption(type);
			await editorOp(page, page.getByRole('button', { name: 'Vraag toevoegen' }));
		}
		// What she typed before adding a question is still there.
		assert.equal(await field(page, 'T', '/questions/0/text').inputValue(), Q.voorstel);
		await field(page, 'S', '/questions/1/id').fill('plek');
		await field(page, 'T', '/questions/1/text').fill(Q.plek);
		await editorOp(page, page.locator('section#vraag-2').getByRole('button', { name: 'Keuze toevoegen' }));
		for (const [k, label] of PLEK.entries()) {
			await field(page, 'S', `/questions/1/options/${k}/id`).fill(['ingang', 'stalling', 'bushalte'][k]);
			await field(page, 'T', `/questions/1/options/${k}/label`).fill(label);
		}
		await field(page, 'S', '/questions/2/id').fill('veilig');
		await field(page, 'T', '/questions/2/text').fill(Q.veilig);
		await field(page, 't', '/questions/2/min_label').fill('heel onveilig');
		await field(page, 't', '/questions/2/max_label').fill('heel veilig');
		await field(page, 'S', '/questions/3/id').fill('opmerking');
		await field(page, 'T', '/questions/3/text').fill(Q.opmerking);

		// Two buurten (a third added by mistake, and taken away again).
		await field(page, 'S', '/buurten/0/id').fill(ZUID);
		await field(page, 'S', '/buurten/0/name').fill('Dorst-Zuid');
		await field(page, 'S', '/buurten/0/households').fill(String(NR_ZUID));
		await editorOp(page, page.getByRole('button', { name: 'Buurt toevoegen' }));
		await editorOp(page, page.getByRole('button', { name: 'Buurt toevoegen' }));
		assert.equal(await page.locator('section[id^="buurt-"]').count(), 3);
		await editorOp(page, page.locator('section#buurt-3').getByRole('button', { name: 'Verwijderen' }));
		assert.equal(await page.locator('section[id^="buurt-"]').count(), 2, 'the buurt added by mistake is gone');
		assert.equal(await field(page, 'S', '/buurten/0/id').inputValue(), ZUID);
		await field(page, 'S', '/buurten/1/id').fill(NOORD);
		await field(page, 'S', '/buurten/1/name').fill('Dorst-Noord');
		await field(page, 'S', '/buurten/1/households').fill(String(NR_NOORD));

		// The agreement: the usual one, and Dorst-Noord its own (no
		// quorum, at least two thirds in favour), first written as the
		// percentage she had in mind; and the number of households in
		// words.
		await field(page, 's', '/agreement/agreed_with').fill('Gemeente Oosterhout, wijkregisseur Dorst');
		await field(page, 's', '/agreement/agreed_on').fill('2027-04-01');
		await page.locator('section#buurt-2 summary').filter({ hasText: 'Eigen afspraak voor deze buurt' }).click();
		await field(page, 'c', '/buurten/1/agreement/min_response').selectOption({ label: 'geen quorum' });
		await field(page, 'c', '/buurten/1/agreement/min_in_favour').selectOption({ label: 'minstens' });
		const share = field(page, 'v', '/buurten/1/agreement/min_in_favour');
		await share.fill('66,7%');
		const households = field(page, 'S', '/buurten/1/households');
		await households.fill('zestig');
		const description = async (f) => (await Promise.all(((await f.getAttribute('aria-describedby')) ?? '')
			.split(' ').filter(Boolean).map((id) => page.locator(`#${id}`).textContent()))).join(' ');
		r = await loads(page, () => page.getByRole('button', { name: 'Opslaan' }).first().click());
		assert.equal(r.status(), 422, 'households in words are refused');
		assert.match(await page.getByRole('alert').first().textContent(), /Niet opgeslagen/);
		assert.equal(await households.getAttribute('aria-invalid'), 'true');
		assert.match(await description(households), /zestig/, 'the mistake is said at its field');
		await accessible(page, '/bestuur/vragenlijst (a mistake)');
		await page.locator('section#buurt-2').screenshot({ path: join(SHOTS, '1280-boardpath-vragenlijst-fout.png') });
		assert.equal(await field(page, 'T', '/questions/1/options/2/label').inputValue(), PLEK[2], 'nothing typed was lost');
		await households.fill(String(NR_NOORD));
		r = await loads(page, () => page.getByRole('button', { name: 'Opslaan' }).first().click());
		assert.equal(r.status(), 200, 'saved');
		// 66,7% is not two thirds: allowed, but the field says how to
		// write two thirds if that is what was meant.
		assert.notEqual(await share.getAttribute('aria-invalid'), 'true');
		assert.match(await description(share), /net niet 2\/3.*schrijf dan "minstens 2\/3"/);
		// "geen quorum" stays what she chose, in words.
		const quorum = field(page, 'c', '/buurten/1/agreement/min_response');
		assert.equal(await quorum.locator('option:checked').textContent(), 'geen quorum');
		assert.equal(await field(page, 'v', '/buurten/1/agreement/min_response').inputValue(), '');
		await share.fill('2/3');
		r = await loads(page, () => page.getByRole('button', { name: 'Opslaan' }).first().click());
		assert.equal(r.status(), 200);
		assert.match(await page.getByRole('status').first().textContent(), /Opgeslagen.*meteen/);
		assert.match(await main(page), /De afspraak ligt vast zodra het eerste antwoord binnen is/);
		assert.equal(await page.locator('[data-at="/buurten/1/agreement"]').textContent(),
			'In woorden: Er is voldoende draagvlak als minstens 2/3 van de stemmen in Dorst-Noord voor is.');
		assert.equal(await page.locator('[data-at="/buurten/0/agreement"]').textContent(),
			'In woorden: Er is voldoende draagvlak als minstens 30% van de huishoudens in Dorst-Zuid reageert en meer dan 50% van de stemmen voor is.');
		await accessible(page, '/bestuur/vragenlijst (saved)');
		await shot(page, 'vragenlijst');

		// -- the addresses, as the municipality sent them --
		r = await loads(page, () => page.getByRole('link', { name: 'Adressen', exact: true }).first().click());
		assert.equal(r.status(), 200);
		await accessible(page, '/bestuur/adressen');
		// A row for a buurt of another survey: nothing is read, the
		// line is named, and so are the buurt codes that would do.
		const wrong = Buffer.concat([addressList(), Buffer.from('Kerkplein;1;;;5126 EF;Dorst;BU08260199\r\n')]);
		await page.getByLabel('Adressenlijst (CSV)').setInputFiles({ name: 'adressen.csv', mimeType: 'text/csv', buffer: wrong });
		r = await loads(page, () => page.getByRole('button', { name: 'Adressen inlezen' }).click());
		assert.equal(r.status(), 400);
		const alert = await page.getByRole('alert').first().textContent();
		assert.match(alert, /Er is niets ingelezen/);
		assert.match(alert, /BU08260199/);
		assert.match(alert, new RegExp(`${ZUID}.*${NOORD}|${NOORD}.*${ZUID}`), 'the valid buurt codes are named');
		await accessible(page, '/bestuur/adressen (problems)');
		assert.equal(sql(surveyStore('zebra'), 'SELECT count(*) FROM household'), '0', 'nothing half-imported');
		await page.getByLabel('Adressenlijst (CSV)').setInputFiles({ name: 'adressen.csv', mimeType: 'text/csv', buffer: addressList() });
		r = await loads(page, () => page.getByRole('button', { name: 'Adressen inlezen' }).click());
		assert.equal(r.status(), 200);
		assert.match(await main(page), new RegExp(`Ingelezen: ${NR_ZUID + NR_NOORD} nieuwe huishoudens`));
		await accessible(page, '/bestuur/adressen (read)');
		await shot(page, 'adressen');
		const db = surveyStore('zebra');
		assert.equal(sql(db, `SELECT buurt_id, count(*) FROM household GROUP BY buurt_id ORDER BY buurt_id`),
			`${ZUID}|${NR_ZUID}\n${NOORD}|${NR_NOORD}`);
		assert.equal(sql(db, "SELECT count(*) FROM address WHERE street IN ('Curaçaostraat', 'Ruïnelaan')"),
			String(NR_ZUID / 2 + NR_NOORD), 'the Windows-1252 letters arrive as themselves');

		// -- the online form as residents will see it; nothing stored --
		r = await loads(page, () => page.getByRole('link', { name: 'Voorbeeld', exact: true }).first().click());
		assert.equal(r.status(), 200);
		assert.equal(path(page), '/bestuur/voorbeeld');
		for (const text of Object.values(Q)) assert.match(await main(page), new RegExp(text.replace('?', '\\?')));
		await accessible(page, '/bestuur/voorbeeld');
		await question(page, 1).getByText('Voor', { exact: true }).click();
		r = await loads(page, () => page.getByRole('button', { name: /^Versturen/ }).click());
		assert.equal(r.status(), 200);
		assert.match(await main(page), /Er is niets bewaard/);
		await accessible(page, '/bestuur/voorbeeld (sent)');
		assert.equal(sql(db, 'SELECT count(*) FROM response'), '0', 'the preview stored nothing');

		// -- the paper form, page by page, before printing --
		r = await loads(page, () => page.getByRole('link', { name: 'Formulieren', exact: true }).first().click());
		assert.equal(r.status(), 200);
		assert.equal(path(page), '/bestuur/formulieren');
		await accessible(page, '/bestuur/formulieren');
		const noord = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Dorst-Noord' }) });
		await noord.locator('summary').filter({ hasText: 'Bekijk het formulier' }).click();
		const proofs = noord.getByRole('img', { name: /^Pagina \d van 2 van het formulier voor Dorst-Noord$/ });
		assert.equal(await proofs.count(), 2, 'both pages of the form, as images');
		for (let k = 0; k < 2; k++) {
			await proofs.nth(k).scrollIntoViewIfNeeded();
			await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await proofs.nth(k).elementHandle());
		}
		await accessible(page, '/bestuur/formulieren (proof open)');
		await shot(page, 'formulieren');

		// -- the forms of Dorst-Noord for the print shop --
		const item = noord.getByRole('listitem').filter({ hasText: 'Formulieren met adres (PDF)' });
		const instruction = await item.textContent();
		assert.match(instruction, /2 pagina's per huishouden/, `the print instruction says the set: ${instruction}`);
		const pdf = await download(page, item.getByRole('link', { name: 'Formulieren met adres (PDF)' }));
		assert.equal(pdf.name, `formulieren-${NOORD}.pdf`);
		const info = execFileSync('pdfinfo', [pdf.path], { encoding: 'utf8' });
		assert.match(info, new RegExp(`^Pages:\\s+${2 * NR_NOORD}$`, 'm'), 'two pages for each household');
		const text = execFileSync('pdftotext', ['-layout', pdf.path, '-'], { encoding: 'utf8' });
		assert.match(text, /Ruïnelaan 9-bis/, 'the addresses as the municipality wrote them');
		assert.doesNotMatch(text, /Schoolstraat \d|Curaçaostraat/, 'only the households of Dorst-Noord');
		// A second decoder reads what a phone will: every QR code.
		const pngs = join(WORK, 'noord');
		mkdirSync(pngs, { recursive: true });
		// 100 dpi, as a phone sees a page at arm's length; two halves at
		// once (pdftoppm takes its time over 120 pages).
		const half = NR_NOORD;
		await Promise.all([[1, half], [half + 1, 2 * half]].map(([f, l]) => run('pdftoppm',
			['-r', '100', '-gray', '-png', '-f', String(f), '-l', String(l), pdf.path, join(pngs, 'p')])));
		const pages = readdirSync(pngs).filter((f) => f.endsWith('.png')).sort();
		assert.equal(pages.length, 2 * NR_NOORD);
		const perPage = pages.map((f) => execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', join(pngs, f)],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').filter(Boolean));
		assert.ok(perPage.every((q) => q.length === 1), 'one QR code on each page');
		links = perPage.map((q) => q[0]);
		// Each says where (this server), which household, which page of
		// its set, and of which survey; a household's two pages follow
		// each other, and no household is missing or there twice.
		const parsed = links.map((l) => l.match(/^(https?:\/\/[^/]+)\/f\/([0-9A-Z]{12})\/([12])\/([0-9A-F]+)$/i));
		assert.ok(parsed.every(Boolean), `every QR code is a link to a form: ${links.filter((l, k) => !parsed[k])}`);
		assert.ok(parsed.every((m) => m[1].toLowerCase() === BASE.toLowerCase()), 'every link leads to this server');
		assert.ok(parsed.every((m, k) => Number(m[3]) === (k % 2) + 1), 'page 1, page 2, page 1, ...');
		assert.ok(parsed.every((m, k) => m[2] === parsed[k - (k % 2)][2]), 'both pages of a set carry its household');
		assert.equal(new Set(parsed.map((m) => m[4])).size, 1, 'one survey');
		const codes = parsed.filter((m, k) => k % 2 === 0).map((m) => m[2].toUpperCase());
		const stored = sql(db, `SELECT code FROM token JOIN household ON household.id = token.household_id
			WHERE buurt_id = '${NOORD}' ORDER BY code`).split('\n');
		assert.deepEqual([...codes].sort(), stored, 'each household of Dorst-Noord once, and no other');

		// -- a volunteer for the paper forms, by a one-time link --
		r = await loads(page, () => page.getByRole('link', { name: 'Vrijwilligers', exact: true }).first().click());
		assert.equal(r.status(), 200);
		await accessible(page, '/bestuur/vrijwilligers');
		await page.getByLabel('Naam', { exact: true }).fill(VOLUNTEER);
		await page.getByRole('radio', { name: /^Vrijwilliger: voert papieren formulieren in/ }).check();
		r = await loads(page, () => page.getByRole('button', { name: 'Uitnodiging maken' }).click());
		assert.equal(r.status(), 200);
		invitation = await page.getByLabel('Link voor de uitnodiging').inputValue();
		assert.match(invitation, /\/uitnodiging\/[0-9a-f]{64}$/);
		await accessible(page, '/bestuur/vrijwilligers (invited)');
	});

	// ---- the volunteer enters the paper form of the first household -----
	const paperCode = links[0].match(/\/f\/([0-9A-Z]{12})\//i)[1];
	await as('vrijwilliger', async (page) => {
		await acceptInvitation(page, invitation, VOLUNTEER_PW);
		await logIn(page, VOLUNTEER, VOLUNTEER_PW);
		assert.equal(path(page), '/invoer', 'the volunteer lands on paper entry');
		await accessible(page, '/invoer');
		// Typed as read off the paper: in groups of four, lower case.
		const typed = paperCode.toLowerCase().match(/.{4}/g).join(' ');
		await page.getByLabel('Code op het formulier').fill(typed);
		let r = await loads(page, () => page.getByRole('button', { name: 'Zoeken' }).click());
		assert.equal(r.status(), 200);
		assert.match(await main(page), /Dit formulier hoort bij een huishouden in Dorst-Noord\./);
		assert.doesNotMatch(await main(page), /Ruïnelaan/, 'the volunteer sees no address');
		await accessible(page, '/invoer/CODE');
		await question(page, 1).getByText('Tegen', { exact: true }).click();
		await question(page, 2).getByText(PLEK[1], { exact: true }).click();
		await question(page, 3).getByRole('radio', { name: '2', exact: true }).check();
		await question(page, 4).getByRole('textbox').fill('Liever een drempel dan een zebrapad.');
		r = await loads(page, () => page.getByRole('button', { name: 'Opslaan' }).click());
		assert.equal(r.status(), 200);
		assert.match(await page.getByRole('status').textContent(), /Opgeslagen: dit formulier telt nu\./);
		await accessible(page, '/invoer (saved)');
	});

	// ---- a resident scans the QR code of another household's form -------
	await as('bewoner', async (page) => {
		let r = await page.goto(links[2]);
		assert.equal(r.status(), 200, `the QR code's link opens the form: ${links[2]}`);
		assert.match(await main(page), new RegExp(Q.voorstel.replace('?', '\\?')));
		assert.match(await main(page), /Waar gaat het over\?\s*De gemeente wil een zebrapad aanleggen/,
			'who comes by the QR code reads what it is about');
		await accessible(page, '/f/CODE');
		await question(page, 1).getByText('Voor', { exact: true }).click();
		await question(page, 2).getByText(PLEK[0], { exact: true }).click();
		await question(page, 3).getByRole('radio', { name: /^1\b/ }).check();
		await question(page, 4).getByRole('textbox').fill('Eindelijk! Mijn kinderen steken hier elke dag over.');
		r = await loads(page, () => page.getByRole('button', { name: 'Versturen' }).click());
		assert.equal(r.status(), 200);
		assert.match(path(page), /\/ontvangen$/);
		await accessible(page, '/f/CODE/ontvangen');
	});

	// ---- the board reads the results ------------------------------------
	await as('secretaris', async (page) => {
		await logIn(page, SECRETARY, SECRETARY_PW);
		let r = await page.goto(BASE + '/bestuur');
		for (let i = 0; i < 30 && r.status() === 503; i++) {
			await page.waitForTimeout(200);
			r = await page.goto(BASE + '/bestuur');
		}
		assert.equal(r.status(), 200);
		await accessible(page, '/bestuur');
		await shot(page, 'bestuur');
		const text = await main(page);
		// Both answers, on every question, per buurt.
		assert.match(text, /Dorst-Noord3,3%2 \/ 6050,0%1 \/ 2onvoldoende draagvlak/);
		assert.match(text, new RegExp(`${PLEK[0]}1 \\(50,0%\\)0 \\(-\\)1 \\(50,0%\\)`));
		assert.match(text, new RegExp(`${PLEK[1]}1 \\(50,0%\\)0 \\(-\\)1 \\(50,0%\\)`));
		assert.match(text, /Liever een drempel dan een zebrapad\./);
		assert.match(text, /Eindelijk! Mijn kinderen steken hier elke dag over\./);
		assert.doesNotMatch(text, /Ruïnelaan|[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/, 'no address, no code');
		const xlsx = await download(page, page.getByRole('link', { name: 'werkboek (XLSX)' }));
		assert.equal(xlsx.name, 'uitslag.xlsx');
		const strings = execFileSync('unzip', ['-p', xlsx.path, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
		for (const t of [Q.plek, PLEK[0], 'Liever een drempel dan een zebrapad.', 'Dorst-Noord'])
			assert.ok(strings.includes(t), `the workbook holds '${t}'`);
		assert.ok(!strings.includes('Ruïnelaan'), 'the workbook holds no address');
	});
	assert.deepEqual(problems, []);
	assert.ok(checked.length >= 20, `axe-core on every page of the walk: ${checked.join(', ')}`);
});
