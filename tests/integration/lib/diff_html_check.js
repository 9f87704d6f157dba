// tests/integration/lib/diff_html_check.js: vigil diff's HTML page in a real
// headless Chromium (as lib/html_check.js does for the vulnerability report;
// lib/playwright.sh installs playwright-core). Prints "ok: ..." / "FAIL: ..."
// lines (pw_run counts them).
//
//   node diff_html_check.js PAGE.html DIFF.json OUTDIR
//     DIFF.json: `vigil diff --format json` of the same diff. The page must
//     load with no console error, page error or request but itself; show
//     both images, the counts of the summary, one row per file (up to the
//     first page), package, finding and config difference; the change
//     filter must show exactly the files of that change.
'use strict';
const path = require('path');

const PAGE_ROWS = 500; // diff.js PAGE_ROWS
let failed = 0;
function ok(what) { console.log('ok: ' + what); }
function fail(what) { failed++; console.log('FAIL: ' + what); }
function eq(what, want, got) {
	const w = JSON.stringify(want), g = JSON.stringify(got);
	if (w === g) ok(what + ' (' + g + ')'); else fail(what + ': want ' + w + ', got ' + g);
}

function rows(page, id) {
	return page.$$eval('#' + id + ' > tr', (trs) => trs.length);
}

async function check(browser, file, d, outdir) {
	const url = 'file://' + path.resolve(file);
	const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
	const problems = [];
	await context.route('**/*', (route) => {
		if (route.request().url() === url)
			return route.continue();
		problems.push('request to ' + route.request().url());
		return route.abort();
	});
	const page = await context.newPage();
	page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push('console ' + m.type() + ': ' + m.text()); });
	page.on('pageerror', (e) => problems.push('page error: ' + e.message));
	await page.goto(url, { waitUntil: 'load' });
	await page.waitForSelector('html[data-ready="1"]', { timeout: 30000 });

	eq('both images are named', [d.a.image, d.b.image],
		await page.$$eval('#images-body tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent)));
	const s = d.summary;
	eq('the summary counts', [String(s.files.added + s.files.removed + s.files.changed),
		String(s.packages.added + s.packages.removed + s.packages.upgraded + s.packages.downgraded + s.packages.changed),
		s.findings.judged ? s.findings.fixed + ' / ' + s.findings.introduced : 'not judged', String(s.config)],
		await page.$$eval('#counts .count', (e) => e.map((x) => x.textContent)));
	eq('file rows', Math.min(d.files.length, PAGE_ROWS), await rows(page, 'files-body'));
	eq('package rows', d.packages.map((p) => [p.change, p.name, p.a || '\u2013', p.b || '\u2013']),
		await page.$$eval('#packages-body > tr', (trs) => trs.map((t) =>
			[0, 2, 4, 5].map((i) => t.children[i].textContent))));
	eq('config rows', d.config.length, await rows(page, 'config-body'));
	if (d.findings.judged)
		eq('finding rows', d.findings.fixed.map((f) => ['fixed', f.id, f.package])
			.concat(d.findings.introduced.map((f) => ['introduced', f.id, f.package])),
			await page.$$eval('#vulns-body > tr', (trs) => trs.map((t) => [0, 2, 3].map((i) => t.children[i].textContent))));
	else
		eq('findings say why they are not judged', true, await page.$eval('#vulns-why', (e) => !e.hidden && /Not judged/.test(e.textContent)));
	for (const c of ['added', 'removed', 'changed']) {
		await page.selectOption('#f-change', c);
		const want = d.files.filter((f) => f.change === c).map((f) => '/' + f.path).slice(0, PAGE_ROWS);
		eq('filter ' + c, want, await page.$$eval('#files-body > tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent)));
	}
	await page.selectOption('#f-change', '');
	await page.screenshot({ path: path.join(outdir, 'diff.png'), fullPage: true });
	eq('no console error, page error or foreign request', [], problems);
	await context.close();
}

(async () => {
	const [file, json, outdir] = process.argv.slice(2);
	if (!file || !json || !outdir) {
		console.error('usage: diff_html_check.js PAGE.html DIFF.json OUTDIR');
		process.exit(2);
	}
	const { chromium } = require(process.env.PLAYWRIGHT_DIR);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND'],
	});
	try {
		await check(browser, file, JSON.parse(require('fs').readFileSync(json, 'utf8')), outdir);
	} finally {
		await browser.close();
	}
	process.exit(failed ? 1 : 0);
})().catch((e) => {
	console.log('FAIL: ' + (e && e.stack ? e.stack : e));
	process.exit(1);
});
