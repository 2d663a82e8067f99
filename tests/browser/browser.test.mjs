// browser.test.mjs - draagvlak's pages as residents, volunteers and the
// board see them: Debian's chromium driven by playwright-core, against a
// running `draagvlak serve` (started by run.sh, which sets the variables
// below), with the store checked through sqlite3 where it matters.
//
//   DRAAGVLAK_URL         http://127.0.0.1:PORT of the server (--today 2027-04-20)
//   DRAAGVLAK_DB          its store (Dorst sample, question 1 required)
//   DRAAGVLAK_HOUSEHOLDS  `draagvlak households list --format csv`
//   DRAAGVLAK_LAYOUT      the layout file of the Dorst-West forms
//   DRAAGVLAK_VOLUNTEER   NAME:PASSWORD of a volunteer
//   DRAAGVLAK_BOARD       NAME:PASSWORD of a board member
//   DRAAGVLAK_SHOTS       where the screenshots go
//   CHROMIUM              the browser (/usr/bin/chromium)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { env } from './lib.mjs';

const BASE = env('DRAAGVLAK_URL');
const DB = env('DRAAGVLAK_DB');
const SHOTS = env('DRAAGVLAK_SHOTS');
const LAYOUT = JSON.parse(readFileSync(env('DRAAGVLAK_LAYOUT'), 'utf8'));
const [VOLUNTEER, VOLUNTEER_PW] = env('DRAAGVLAK_VOLUNTEER').split(/:(.*)/);
const [BOARD, BOARD_PW] = env('DRAAGVLAK_BOARD').split(/:(.*)/);
mkdirSync(SHOTS, { recursive: true });

// ---- the store -------------------------------------------------------------

function sql(query, ...params) {
	// Parameters are our own codes and numbers; quote them all the same.
	const q = query.replace(/\?/g, () => `'${String(params.shift()).replace(/'/g, "''")}'`);
	return execFileSync('sqlite3', ['-cmd', '.timeout 5000', DB, q], { encoding: 'utf8' }).trim();
}
const rows = (query, ...params) =>
	sql(query, ...params).split('\n').filter(Boolean).map((l) => l.split('|'));

// Households in delivery order: { buurt, code (pretty), canon, form }.
const HOUSEHOLDS = readFileSync(env('DRAAGVLAK_HOUSEHOLDS'), 'utf8')
	.trim().split('\n').slice(1)
	.map((line) => {
		const [buurt, code, form] = line.split(',');
		return { buurt, code, canon: code.replace(/-/g, ''), form };
	});
// Each scenario takes households of its own, so the order they run in
// does not matter.
const taken = new Set();
function household(buurt, { numbered = false } = {}) {
	const h = HOUSEHOLDS.find(
		(x) => x.buurt === buurt && !taken.has(x.canon) && Boolean(x.form) === numbered);
	assert.ok(h, `a free household in ${buurt}`);
	taken.add(h.canon);
	h.id = sql('SELECT household_id FROM token WHERE code = ?', h.canon);
	assert.match(h.id, /^\d+$/, `household of ${h.code} in the store`);
	return h;
}

// The check symbol of a household code, as survey/token.c makes it, so
// that the test can make codes that are well-formed but nobody's.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function gf32mul(a, b) {
	let r = 0;
	for (; b; b >>= 1) {
		if (b & 1) r ^= a;
		a <<= 1;
		if (a & 0x20) a ^= 0x25;
	}
	return r & 0x1f;
}
function withCheck(data) {
	let sum = 0, w = 1;
	for (const ch of data) {
		w = gf32mul(w, 2);
		sum ^= gf32mul(w, ALPHABET.indexOf(ch));
	}
	return data + ALPHABET[sum];
}
const pretty = (canon) => canon.match(/.{4}/g).join('-');

// ---- the browser -----------------------------------------------------------

let browser;
const problems = []; // console errors and CSP violations, per page

before(async () => {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		// As root there is no sandbox; and no connections to the outside,
		// which this machine would refuse anyway.
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic',
			'--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
});
after(async () => {
	await browser?.close();
});

// A fresh browser profile (no cookies) for one person.
async function person(options = {}) {
	const context = await browser.newContext({ locale: 'nl-NL', ...options });
	context.setDefaultTimeout(10000);
	const page = await context.newPage();
	page.on('console', (msg) => {
		const text = msg.text();
		// Pages that answer 4xx on purpose are logged as "failed to load";
		// what matters is anything else, like a blocked style or script.
		if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of (400|401|403|404|409|422|429)/.test(text))
			problems.push(`${page.url()}: ${text}`);
	});
	page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
	// What the browser said a form came from, to explain a refusal.
	page.on('request', (r) => {
		if (r.method() === 'POST') page.lastOrigin = r.headers().origin;
	});
	return { context, page };
}

// Run one scenario in its own profile; on failure keep a screenshot.
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

// Do something that loads a page (a click, a submit); the final document's
// response, after redirects.
async function loads(page, action) {
	const response = page.waitForResponse(
		(r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() &&
			!(r.status() >= 300 && r.status() < 400));
	await action();
	const r = await response;
	await page.waitForLoadState('load');
	// A form of this site refused as another site's: every later step
	// would fail, so say why here.
	if (r.status() === 403 && /andere website|another website/.test(await page.textContent('h1')))
		assert.fail(`the server refused a form of its own as coming from another website ` +
			`(chromium sent Origin: ${page.lastOrigin}; POST ${path(page)})`);
	return r;
}
// The status of a loaded page; the message names its heading.
async function status(page, r, want, why = '') {
	if (r.status() !== want) {
		const h1 = await page.textContent('h1').catch(() => '?');
		assert.fail(`${path(page)}: status ${r.status()}, wanted ${want} ${why}(page: '${h1.trim()}')`);
	}
}
async function open(page, path) {
	return page.goto(BASE + path);
}
const path = (page) => {
	const u = new URL(page.url());
	return u.pathname + u.search;
};

// A question of the form, found as a screen reader finds it: the group
// named by its legend.
const question = (page, n) => page.getByRole('group', { name: new RegExp(`^(Vraag|Question) ${n}\\b`) });
// Tick an answer by clicking the words next to its box, as a person does.
async function tick(page, n, label) {
	await question(page, n).getByText(label, { exact: true }).click();
	assert.ok(await question(page, n).getByRole(n === 4 ? 'checkbox' : 'radio', { name: label, exact: true }).isChecked(),
		`question ${n}: '${label}' is ticked after clicking its label`);
}
// What the confirmation page says: [question text, answer] in order.
const confirmation = (page) => page.$$eval('dl.answers dt', (dts) =>
	dts.map((dt) => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]));

// ---- looking at pages --------------------------------------------------------

// Full-page screenshots: SHOTS/WIDTH-NAME.png.
async function shot(page, name) {
	const width = page.viewportSize().width;
	await page.screenshot({ path: join(SHOTS, `${width}-${name}.png`), fullPage: true });
}

// At phone width: nothing wider than the screen, and targets to tap that
// a finger can hit.
async function fitsPhone(page, name) {
	const width = page.viewportSize().width;
	const scroll = await page.evaluate(() => document.scrollingElement.scrollWidth);
	assert.ok(scroll <= width, `${name}: no horizontal scrolling at ${width} px (page is ${scroll} px wide)`);
	const targets = await page.$$eval(
		'button, label.opt, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), textarea, a',
		(els) => els.map((e) => {
			const r = e.getBoundingClientRect();
			const cs = getComputedStyle(e);
			return {
				what: `${e.tagName.toLowerCase()} '${(e.textContent || e.name || '').trim().slice(0, 40)}'`,
				x: r.x + scrollX, y: r.y + scrollY, w: Math.round(r.width), h: Math.round(r.height),
				right: Math.round(r.right),
				// Links inside running text are exempt (WCAG 2.5.8).
				inline: e.tagName === 'A' && cs.display === 'inline' && e.parentElement.tagName === 'P' &&
					e.parentElement.textContent.trim() !== e.textContent.trim(),
				hidden: r.width === 0 || r.right < 0 || e.classList.contains('skip'),
			};
		}));
	const shown = targets.filter((t) => !t.hidden && !t.inline);
	const small = (t) => t.w < 24 || t.h < 24;
	const centre = (t) => [t.x + t.w / 2, t.y + t.h / 2];
	for (const t of shown) {
		assert.ok(t.right <= width, `${name}: ${t.what} ends at ${t.right} px, past the screen`);
		// Buttons, answer boxes and fields: 44 px, as the style sheet means
		// them to be (and WCAG 2.5.5 asks).
		if (!t.what.startsWith('a '))
			assert.ok(t.h >= 44 && t.w >= 44, `${name}: ${t.what} is ${t.w}x${t.h} px, smaller than 44x44`);
		// Links: 24 px, or room around them (WCAG 2.5.8): a 24 px circle
		// on a small one touches no other target nor another's circle.
		if (!small(t)) continue;
		const [cx, cy] = centre(t);
		for (const o of shown) {
			if (o === t) continue;
			const [ox, oy] = centre(o);
			const d = small(o)
				? Math.hypot(cx - ox, cy - oy) - 12
				: Math.hypot(Math.max(o.x - cx, 0, cx - (o.x + o.w)), Math.max(o.y - cy, 0, cy - (o.y + o.h)));
			assert.ok(d >= 12, `${name}: ${t.what} (${t.w}x${t.h} px) is too close to ${o.what} to tap`);
		}
	}
	return shown;
}

// ---- scenarios -------------------------------------------------------------------
// The whole walk may take minutes on a loaded 2-core machine (every page is
// checked by axe-core at two widths); each step has its own, tighter waits.

describe('draagvlak serve in chromium', { timeout: 480000 }, () => {
	test('the code check in this test agrees with the server\'s codes', () => {
		for (const h of HOUSEHOLDS) assert.equal(withCheck(h.canon.slice(0, 11)), h.canon);
	});

	test('1. a resident scans the QR code, answers, and changes an answer', async () => {
		const h = household('BU08260102');
		await scenario('resident-qr', {}, async (page) => {
			// What the phone's camera opens: the QR code's URL, upper case.
			const qr = LAYOUT.qr.url.replace(/^HTTPS:\/\/[^/]+/, BASE)
				.replace('{code}', h.canon).replace('{page}', '1');
			assert.match(qr, /\/F\/[0-9A-Z]{12}\/1\/[0-9A-F]{6}$/);
			let r = await page.goto(qr);
			await status(page, r, 200);
			assert.equal(path(page), `/f/${h.canon}`, 'the QR URL leads to the household\'s own form');
			assert.equal(await page.getAttribute('html', 'lang'), 'nl');
			await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Uw vragenlijst' }).waitFor());
			assert.match(await page.textContent('main'), /één huishouden in Dorst-West/);
			assert.match(await question(page, 1).textContent(), /\(verplicht\)/);

			await tick(page, 1, 'Voor');
			await tick(page, 2, 'Tegen');
			// Question 3 by keyboard: Tab from question 2 into the group,
			// space ticks the first answer, the arrow moves to the next.
			await question(page, 2).getByRole('radio', { name: 'Tegen' }).focus();
			await page.keyboard.press('Tab');
			assert.equal(await page.evaluate(() => document.activeElement.value), 'wekelijks', 'Tab reaches question 3');
			await page.keyboard.press('Space');
			await page.keyboard.press('ArrowDown');
			assert.ok(await question(page, 3).getByRole('radio', { name: 'Een paar keer per maand' }).isChecked(),
				'question 3 answered with the keyboard');
			for (const w of ['Een trapveldje met doeltjes', 'Een basketbalpaal', 'Bankjes en een picknicktafel'])
				await tick(page, 4, w);
			await tick(page, 5, '4');
			await tick(page, 6, 'Ja');
			await question(page, 7).getByText('Aantal (0–15)').click(); // the label focuses the box
			await page.keyboard.type('2');
			const remark = 'Graag een bankje in de schaduw; één prullenbak is te weinig. "Top" <plan> & zo!';
			await question(page, 8).getByLabel('Uw antwoord (niet verplicht)').fill(remark);
			await shot(page, 'formulier-ingevuld');

			r = await loads(page, () => page.getByRole('button', { name: 'Versturen' }).click());
			await status(page, r, 200);
			assert.equal(path(page), `/f/${h.canon}/ontvangen`);
			await page.getByRole('heading', { level: 1, name: 'Dank u wel!' }).waitFor();
			assert.match(await page.textContent('[role=status]'), /Uw antwoorden zijn opgeslagen/);
			const answers = (await confirmation(page)).map(([, a]) => a);
			assert.deepEqual(answers, [
				'Voor', 'Tegen', 'Een paar keer per maand',
				'Een trapveldje met doeltjes; Een basketbalpaal; Bankjes en een picknicktafel',
				'4', 'Ja', '2', remark,
			]);
			await shot(page, 'ontvangen');

			// Changing one answer.
			r = await loads(page, () => page.getByRole('link', { name: 'Mijn antwoorden wijzigen' }).click());
			assert.equal(path(page), `/f/${h.canon}`);
			assert.match(await page.textContent('.notice.ok'), /U heeft deze vragenlijst al ingevuld op/);
			assert.ok(await question(page, 1).getByRole('radio', { name: 'Voor' }).isChecked(), 'earlier answers are shown');
			assert.equal(await question(page, 8).getByRole('textbox').inputValue(), remark);
			await shot(page, 'formulier-wijzigen');
			await tick(page, 1, 'Tegen');
			await loads(page, () => page.getByRole('button', { name: 'Versturen' }).click());
			assert.equal(path(page), `/f/${h.canon}/ontvangen`);
			const changed = (await confirmation(page)).map(([, a]) => a);
			assert.deepEqual(changed, ['Tegen', ...answers.slice(1)], 'the new answer, the rest unchanged');

			// The browser's Back button after sending shows the form again,
			// with the latest answers.
			await page.goBack();
			assert.equal(path(page), `/f/${h.canon}`);
			assert.ok(await question(page, 1).getByRole('radio', { name: 'Tegen' }).isChecked(), 'Back shows the latest answers');
		});

		// The store: both responses, the latest counts, the first superseded by it.
		const rs = rows('SELECT id, channel, lang, ifnull(superseded_by, \'\') FROM response WHERE household_id = ? ORDER BY id', h.id);
		assert.equal(rs.length, 2, 'two responses kept');
		const [first, latest] = rs;
		assert.deepEqual(latest.slice(1), ['online', 'nl', ''], 'the latest counts');
		assert.equal(first[3], latest[0], 'the first is superseded by the latest');
		assert.equal(sql('SELECT value FROM answer WHERE response_id = ? AND question_id = \'speelveld\'', first[0]), 'voor');
		assert.equal(sql('SELECT value FROM answer WHERE response_id = ? AND question_id = \'speelveld\'', latest[0]), 'tegen');
		assert.equal(sql('SELECT group_concat(value, \' \') FROM (SELECT value FROM answer WHERE response_id = ? AND question_id = \'wensen\' ORDER BY value)', latest[0]),
			'bankjes basketbal trapveld');
		assert.equal(sql('SELECT value FROM answer WHERE response_id = ? AND question_id = \'bezoek\'', latest[0]), 'maandelijks');
		assert.equal(sql('SELECT value FROM answer WHERE response_id = ? AND question_id = \'aantal_kinderen\'', latest[0]), '2');
		assert.equal(sql('SELECT hex(value) FROM answer WHERE response_id = ? AND question_id = \'opmerking\'', latest[0]),
			Buffer.from('Graag een bankje in de schaduw; één prullenbak is te weinig. "Top" <plan> & zo!').toString('hex').toUpperCase(),
			'the remark is stored as typed, in UTF-8');
	});

	test('2. typed codes on the front page, and a form with mistakes', async () => {
		const h = household('BU08260102');
		const v = household('BU08260102');
		await scenario('typed-codes', {}, async (page) => {
			let r = await open(page, '/');
			await status(page, r, 200);
			assert.equal(await page.getAttribute('html', 'lang'), 'nl');
			await page.getByRole('heading', { level: 1, name: 'Een nieuw speelveld aan de Schoolstraat' }).waitFor();
			const box = page.getByRole('textbox', { name: 'Uw code' });
			const go = page.getByRole('button', { name: 'Naar mijn vragenlijst' });

			// Lower case with dashes, as someone types it off the letter.
			await box.fill(h.code.toLowerCase());
			r = await loads(page, () => go.click());
			await status(page, r, 200);
			assert.equal(path(page), `/f/${h.canon}`);
			await page.getByRole('heading', { level: 1, name: 'Uw vragenlijst' }).waitFor();

			// One symbol wrong: the check symbol catches it, kindly.
			await open(page, '/');
			const last = h.canon[11];
			const typo = pretty(h.canon.slice(0, 11) + (last === 'A' ? 'B' : 'A')).toLowerCase();
			await box.fill(typo);
			r = await loads(page, () => box.press('Enter'));
			await status(page, r, 400);
			const err = page.getByRole('alert');
			assert.match(await err.textContent(), /Er lijkt een tikfout in de code te zitten/);
			assert.equal(await box.inputValue(), typo, 'the box keeps what was typed');
			assert.match(await box.getAttribute('aria-describedby'), /code-err/, 'the message is tied to the box');
			await shot(page, 'voorpagina-tikfout');

			// Well-formed, a right check symbol, but nobody's code.
			const codes = new Set(HOUSEHOLDS.map((x) => x.canon));
			let unknown;
			for (let i = 0; !unknown || codes.has(unknown); i++)
				unknown = withCheck(ALPHABET[i] + h.canon.slice(1, 11));
			await box.fill(pretty(unknown));
			r = await loads(page, () => go.click());
			await status(page, r, 404);
			await page.getByRole('heading', { level: 1, name: 'Deze code kennen we niet' }).waitFor();
			assert.match(await page.textContent('main'), /Kijk de code op uw\s+formulier nog eens na/);
			await shot(page, 'onbekende-code');
			r = await loads(page, () => page.getByRole('link', { name: 'Naar de voorpagina' }).click());
			assert.equal(path(page), '/');

			// A form sent with the required question open and four wishes
			// where three may be chosen: both errors at their questions,
			// everything else kept.
			await open(page, `/f/${v.canon}`);
			await tick(page, 2, 'Voor');
			await tick(page, 3, 'Nooit');
			for (const w of ['Speeltoestellen voor jonge kinderen', 'Een basketbalpaal', 'Een jeu-de-boulesbaan', 'Bankjes en een picknicktafel'])
				await tick(page, 4, w);
			await question(page, 7).getByRole('spinbutton').fill('0');
			await question(page, 8).getByRole('textbox').fill('Mooi plan.');
			r = await loads(page, () => page.getByRole('button', { name: 'Versturen' }).click());
			await status(page, r, 422);
			assert.equal(path(page), `/f/${v.canon}`);
			assert.match(await page.getByRole('alert').textContent(), /Een paar vragen zijn nog niet goed ingevuld\. Er is nog niets verstuurd\./);
			assert.match(await question(page, 1).locator('.error').textContent(), /Deze vraag moet u beantwoorden\./);
			assert.match(await question(page, 4).locator('.error').textContent(), /Kies er hoogstens 3; u koos er 4\./);
			assert.equal(await page.locator('fieldset.invalid').count(), 2, 'only the two questions are marked');
			assert.match(await question(page, 1).getByRole('radio', { name: 'Voor' }).getAttribute('aria-describedby'), /err-speelveld/);
			assert.ok(await question(page, 2).getByRole('radio', { name: 'Voor' }).isChecked(), 'question 2 kept');
			assert.ok(await question(page, 3).getByRole('radio', { name: 'Nooit' }).isChecked(), 'question 3 kept');
			assert.equal(await question(page, 4).getByRole('checkbox', { checked: true }).count(), 4, 'the four wishes kept');
			assert.equal(await question(page, 7).getByRole('spinbutton').inputValue(), '0');
			assert.equal(await question(page, 8).getByRole('textbox').inputValue(), 'Mooi plan.');
			await shot(page, 'formulier-fouten');
			// The summary's link jumps to the question.
			await page.getByRole('alert').getByRole('link', { name: 'Vraag 1' }).click();
			assert.equal(new URL(page.url()).hash, '#q-speelveld');
			assert.equal(sql('SELECT count(*) FROM response WHERE household_id = ?', v.id), '0', 'nothing stored yet');

			await tick(page, 1, 'Neutraal');
			await question(page, 4).getByText('Een jeu-de-boulesbaan', { exact: true }).click();
			r = await loads(page, () => page.getByRole('button', { name: 'Versturen' }).click());
			await status(page, r, 200);
			assert.equal(path(page), `/f/${v.canon}/ontvangen`);
			assert.deepEqual((await confirmation(page))[0][1], 'Neutraal');
		});
		assert.equal(sql('SELECT count(*) FROM response WHERE household_id = ?', v.id), '1');
		assert.equal(sql('SELECT count(*) FROM answer a JOIN response r ON r.id = a.response_id WHERE r.household_id = ? AND question_id = \'wensen\'', v.id), '3');
	});

	test('3. the form in English', async () => {
		const h = household('BU08260101');
		await scenario('english', {}, async (page) => {
			await open(page, '/');
			await loads(page, () => page.getByRole('link', { name: 'English' }).click());
			assert.equal(await page.getAttribute('html', 'lang'), 'en');
			await page.getByRole('heading', { level: 1, name: 'A new playing field on Schoolstraat' }).waitFor();
			await page.getByRole('textbox', { name: 'Your code' }).fill(h.code);
			await loads(page, () => page.getByRole('button', { name: 'To my questionnaire' }).click());
			assert.equal(path(page), `/f/${h.canon}?lang=en`, 'the language travels along');
			await page.getByRole('heading', { level: 1, name: 'Your questionnaire' }).waitFor();

			// And back and forth on the form itself.
			await loads(page, () => page.getByRole('link', { name: 'Nederlands' }).click());
			assert.equal(await page.getAttribute('html', 'lang'), 'nl');
			await page.getByRole('heading', { level: 1, name: 'Uw vragenlijst' }).waitFor();
			await loads(page, () => page.getByRole('link', { name: 'English' }).click());
			assert.equal(await page.getAttribute('html', 'lang'), 'en');
			assert.match(await question(page, 1).textContent(), /Question 1 \(required\)I am in favour of the new layout/);
			assert.match(await page.textContent('main'), /one household in Dorst-Oost/);
			await tick(page, 1, 'For');
			await tick(page, 5, '5 – Very satisfied');
			await tick(page, 6, 'No');
			await shot(page, 'formulier-en');
			await loads(page, () => page.getByRole('button', { name: 'Send' }).click());
			assert.equal(path(page), `/f/${h.canon}/ontvangen?lang=en`);
			assert.equal(await page.getAttribute('html', 'lang'), 'en');
			await page.getByRole('heading', { level: 1, name: 'Thank you!' }).waitFor();
			const a = await confirmation(page);
			assert.deepEqual(a[0], ['I am in favour of the new layout of the playing field on Schoolstraat, as shown in the design drawing.', 'For']);
			assert.equal(a[1][1], 'not answered');
			assert.equal(a[4][1], '5 – Very satisfied');
			assert.equal(a[5][1], 'No');
		});
		assert.equal(sql('SELECT lang FROM response WHERE household_id = ? AND superseded_by IS NULL', h.id), 'en');
	});

	// The main pages at phone and desktop width: screenshots to look at,
	// and at 320 px no sideways scrolling and large enough targets.
	for (const width of [320, 1280]) {
		test(`4. the main pages at ${width} px`, async () => {
			const phone = width === 320;
			const h = household('BU08260100');
			const paper = household('BU08260100', { numbered: true });
			const options = phone
				? { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
				: { viewport: { width: 1280, height: 800 } };
			await scenario(`pages-${width}`, options, async (page) => {
				const look = async (name) => {
					if (phone) await fitsPhone(page, name);
					await shot(page, name);
				};
				await open(page, '/');
				await look('voorpagina');
				await open(page, '/code?code=QQQQ');
				await look('voorpagina-fout');
				await open(page, `/f/${h.canon}`);
				await look('formulier');
				await loads(page, () => page.getByRole('button', { name: 'Versturen' }).click());
				await look('formulier-leeg-verstuurd');
				await tick(page, 1, 'Voor');
				await loads(page, () => page.getByRole('button', { name: 'Versturen' }).click());
				await look('ontvangen');
				await open(page, '/bestaat-niet');
				await look('niet-gevonden');

				await open(page, '/login');
				await look('inloggen');
				await page.getByLabel('Naam').fill(VOLUNTEER);
				await page.getByLabel('Wachtwoord').fill(VOLUNTEER_PW);
				await loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
				await look('invoer');
				await page.getByLabel('Code op het formulier').fill(paper.code);
				await loads(page, () => page.getByRole('button', { name: 'Zoeken' }).click());
				await look('invoer-formulier');
				await open(page, `/invoer/${h.canon}`);
				await look('invoer-al-beantwoord');
			});
		});
	}

	test('5. a volunteer enters paper forms', async () => {
		const paper = household('BU08260100', { numbered: true });
		const online = household('BU08260101');
		await scenario('resident-before-volunteer', {}, async (page) => {
			await open(page, `/f/${online.canon}`);
			await tick(page, 1, 'Voor');
			await tick(page, 6, 'Nee');
			await loads(page, () => page.getByRole('button', { name: 'Versturen' }).click());
			assert.equal(path(page), `/f/${online.canon}/ontvangen`);
		});

		await scenario('volunteer', {}, async (page) => {
			// Volunteer pages need a log-in.
			let r = await open(page, '/invoer');
			assert.equal(path(page), '/login', 'the entry page sends a stranger to the log-in');
			await page.getByRole('heading', { level: 1, name: 'Inloggen' }).waitFor();
			await page.getByLabel('Naam').fill(VOLUNTEER);
			await page.getByLabel('Wachtwoord').fill('niet-het-wachtwoord');
			r = await loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
			await status(page, r, 401);
			assert.match(await page.getByRole('alert').textContent(), /Naam of wachtwoord klopt niet/);
			await page.getByLabel('Naam').fill(VOLUNTEER);
			await page.getByLabel('Wachtwoord').fill(VOLUNTEER_PW);
			r = await loads(page, () => page.getByLabel('Wachtwoord').press('Enter'));
			await status(page, r, 200);
			assert.equal(path(page), '/invoer');
			assert.match(await page.textContent('main'), /Ingelogd als vrijwilliger \(vrijwilliger\)/);

			// The cursor waits in the code field.
			assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'code');
			// A look-alike misread (8/B, 5/S, 2/Z, 6/G): the check fails,
			// and the page offers the household's code to choose.
			const pairs = '8B5S2Z6G';
			const at = [...paper.canon].findIndex((c) => pairs.includes(c));
			if (at >= 0) {
				const other = pairs[pairs.indexOf(paper.canon[at]) ^ 1];
				const typo = paper.canon.slice(0, at) + other + paper.canon.slice(at + 1);
				await page.getByLabel('Code op het formulier').fill(typo);
				r = await loads(page, () => page.getByRole('button', { name: 'Zoeken' }).click());
				await status(page, r, 400);
				assert.match(await page.getByRole('alert').textContent(), /Kijk de code op het formulier nog eens na/);
				await page.getByRole('link', { name: paper.code }).waitFor();
				await shot(page, 'invoer-tikfout');
			}
			// A numbered form from the community evening, its code typed
			// the way it is read off the paper.
			await page.getByLabel('Code op het formulier').fill(paper.code.toLowerCase().replace(/-/g, ' '));
			await loads(page, () => page.getByRole('button', { name: 'Zoeken' }).click());
			assert.equal(path(page), `/invoer/${paper.canon}`);
			await page.getByRole('heading', { level: 1, name: `Formulier ${paper.code}` }).waitFor();
			assert.match(await page.textContent('main'), /Dit formulier hoort bij een huishouden in Dorst-Centrum\./);
			assert.equal(await page.locator('.notice.bad').count(), 0, 'nobody answered yet');
			await tick(page, 1, 'Tegen');
			await tick(page, 2, 'Ongeldig: meer dan één vakje aangekruist');
			await tick(page, 3, 'Af en toe');
			await tick(page, 4, 'Een jeu-de-boulesbaan');
			await tick(page, 5, '2');
			await question(page, 7).getByRole('spinbutton').fill('0');
			await question(page, 8).getByRole('textbox').fill('Te duur.');
			r = await loads(page, () => page.getByRole('button', { name: 'Opslaan' }).click());
			await status(page, r, 200);
			// Saved: a short confirmation, and the cursor already in the
			// next form's code field (issue 16: calm and fast).
			assert.equal(path(page), '/invoer?klaar=0');
			assert.match(await page.getByRole('status').textContent(), /Opgeslagen: dit formulier telt nu\./);
			assert.equal(await page.locator('.notice.bad').count(), 0);
			assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'code');
			await shot(page, 'invoer-opgeslagen');
			// The form itself shows it as answered, on paper, by this volunteer.
			await open(page, `/invoer/${paper.canon}`);
			assert.match(await page.locator('.notice.bad').textContent(), /Dit huishouden heeft al geantwoord: op papier op .* ingevoerd door vrijwilliger/);

			// A household that already answered online: the volunteer sees
			// it, and the rule of this survey, before saving anything.
			await page.getByRole('link', { name: 'Formulier invoeren' }).click();
			await page.getByLabel('Code op het formulier').fill(online.code);
			await loads(page, () => page.getByRole('button', { name: 'Zoeken' }).click());
			const already = page.locator('.notice.bad');
			assert.match(await already.textContent(), /Dit huishouden heeft al geantwoord: online op/);
			assert.match(await already.textContent(), /Volgens de afspraak van deze vragenlijst telt het laatste antwoord\./);
			// ... but not what it answered: that is the household's own
			// (only the board, deciding a conflict, may look).
			await page.getByText('Bestaande antwoorden bekijken').click();
			assert.equal(await page.locator('details dl.answers').count(), 0, 'a volunteer sees no online answers');
			assert.match(await page.locator('details').textContent(), /u ziet alleen dat en wanneer het antwoordde/);
			await shot(page, 'invoer-al-online');
			await tick(page, 1, 'Tegen');
			r = await loads(page, () => page.getByRole('button', { name: 'Opslaan' }).click());
			await status(page, r, 409, 'as nothing is saved without saying it replaces the online answer ');
			assert.match(await page.getByRole('alert').textContent(), /vink onderaan aan dat dit formulier ze vervangt/);
			assert.ok(await question(page, 1).getByRole('radio', { name: 'Tegen' }).isChecked(), 'the ticks are kept');
			assert.equal(sql('SELECT channel FROM response WHERE household_id = ? AND superseded_by IS NULL', online.id), 'online');
			await page.getByText('Ik heb het bestaande antwoord gezien; dit papieren formulier vervangt het.').click();
			r = await loads(page, () => page.getByRole('button', { name: 'Opslaan' }).click());
			await status(page, r, 200);
			assert.match(await page.getByRole('status').textContent(), /Opgeslagen: dit formulier telt nu\./);

			// The board's page is not for volunteers.
			r = await open(page, '/bestuur');
			await status(page, r, 403);
		});

		// The store: a paper response by this volunteer that counts.
		assert.deepEqual(rows('SELECT channel, entered_by, ifnull(superseded_by, \'\') FROM response WHERE household_id = ?', paper.id),
			[['paper', VOLUNTEER, '']]);
		assert.deepEqual(rows('SELECT a.question_id, a.value FROM answer a JOIN response r ON r.id = a.response_id WHERE r.household_id = ? ORDER BY a.question_id', paper.id), [
			['aantal_kinderen', '0'], ['bezoek', 'soms'], ['opmerking', 'Te duur.'], ['speelveld', 'tegen'],
			['tevreden', '2'], ['verlichting', '~invalid'], ['wensen', 'jeu_de_boules'],
		]);
		// The online answer is kept, superseded by the paper form.
		assert.deepEqual(rows('SELECT channel, ifnull(entered_by, \'\'), superseded_by IS NULL FROM response WHERE household_id = ? ORDER BY id', online.id),
			[['online', '', '0'], ['paper', VOLUNTEER, '1']]);
	});

	test('6. a board member logs in and sees the results', async () => {
		await scenario('board', {}, async (page) => {
			await open(page, '/login');
			await page.getByLabel('Naam').fill(BOARD);
			await page.getByLabel('Wachtwoord').fill(BOARD_PW);
			let r = await loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
			// The first count may take a moment: the page then reloads itself.
			for (let i = 0; i < 30 && r.status() === 503; i++) {
				await page.waitForTimeout(200);
				r = await open(page, '/bestuur');
			}
			await status(page, r, 200);
			assert.equal(path(page), '/bestuur', 'a board member lands on the results');
			assert.match(await page.textContent('main'), /Ingelogd als bestuur \(bestuur\)/);
			await page.getByRole('heading', { level: 1, name: 'Uitslag' }).waitFor();
			const text = await page.textContent('main');
			for (const b of ['Dorst-Centrum', 'Dorst-Oost', 'Dorst-West']) assert.match(text, new RegExp(b));
			assert.match(text, /(voldoende draagvlak|onvoldoende draagvlak|respons te laag|te krap om te beslissen)/);
			assert.match(text, /Controle/);
			// Every chart is a real picture with its numbers in words.
			const charts = page.locator('.charts img');
			assert.ok(await charts.count() >= 3, 'a chart per buurt');
			for (let i = 0; i < await charts.count(); i++) {
				const img = charts.nth(i);
				await img.scrollIntoViewIfNeeded();
				await page.waitForFunction((e) => e.complete && e.naturalWidth > 0, await img.elementHandle());
				assert.match(await img.getAttribute('alt'), /^(Voor|Reacties per dag): /);
			}
			await shot(page, 'bestuur');
			// The figures download as CSV.
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('link', { name: 'cijfers (CSV)' }).click(),
			]);
			assert.equal(download.suggestedFilename(), 'uitslag.csv');
			const csv = readFileSync(await download.path(), 'utf8');
			assert.match(csv, /^question,scope,buurt,/);
			// A buurt's own page.
			r = await loads(page, () => page.getByRole('link', { name: 'Dorst-Oost' }).first().click());
			await status(page, r, 200);
			assert.equal(path(page), '/bestuur/buurt/BU08260101');
			assert.match(await page.textContent('main'), /Neutraal telt als tegen/);
			await shot(page, 'bestuur-buurt');
			// The double entries that differ.
			r = await loads(page, () => page.getByRole('link', { name: 'Verschillen' }).click());
			await status(page, r, 200);
			assert.equal(path(page), '/bestuur/verschillen');
			await page.setViewportSize({ width: 320, height: 640 });
			await open(page, '/bestuur');
			await fitsPhone(page, 'bestuur');
			await shot(page, 'bestuur');
		});
	});

	test('7. logging out', async () => {
		const h = household('BU08260101');
		await scenario('logout', {}, async (page) => {
			await open(page, '/login');
			await page.getByLabel('Naam').fill(VOLUNTEER);
			await page.getByLabel('Wachtwoord').fill(VOLUNTEER_PW);
			await loads(page, () => page.getByRole('button', { name: 'Inloggen' }).click());
			assert.equal(path(page), '/invoer');
			// Logged in, /login itself goes on to the entry page.
			await open(page, '/login');
			assert.equal(path(page), '/invoer');
			await loads(page, () => page.getByRole('button', { name: 'Uitloggen' }).click());
			assert.equal(path(page), '/login');
			await page.getByRole('heading', { level: 1, name: 'Inloggen' }).waitFor();
			for (const p of ['/invoer', `/invoer/${h.canon}`, '/bestuur']) {
				await open(page, p);
				assert.equal(path(page), '/login', `${p} after logging out goes to the log-in`);
			}
		});
	});

	test('no page broke a rule of the browser (console errors, blocked styles)', () => {
		assert.deepEqual(problems, []);
	});
});
