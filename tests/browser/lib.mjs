// lib.mjs - what the browser tests share: Debian's chromium started as
// this machine needs it, axe-core run through the devtools (the pages'
// CSP allows no script of ours), and the page a click leads to.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const AXE = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

// A variable run.sh sets, or a clear error when the test runs alone.
export function env(name) {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set: run this through tests/browser/run.sh`);
	return v;
}

// Headless chromium without the background connections this machine's
// closed network refuses.
export function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic',
			'--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

// No axe-core violation on the page as it stands.
export async function accessible(page, name) {
	await page.evaluate(AXE);
	const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	assert.deepEqual(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
		`${name}: axe-core violations`);
}

// The response of the page action leads to, after redirects.
export async function loads(page, action) {
	const response = page.waitForResponse(
		(r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() &&
			!(r.status() >= 300 && r.status() < 400));
	await action();
	const r = await response;
	await page.waitForLoadState('load');
	return r;
}
