// tests/integration/lib/html_check.js: vigil's HTML report in a real
// headless Chromium (Debian's /usr/bin/chromium), driven by playwright-core
// (lib/playwright.sh installs the pinned version into build/tools/npm).
// Prints one "ok: ..." or "FAIL: ..." line per check (test_html.sh counts
// them) and "figure: ..." lines; exits 1 when a check failed, 2 on misuse.
//
//   node html_check.js real REPORT.html EXPECT.json OUTDIR
//     EXPECT: { counts: {Critical: n, ...}, total, byPackage: {name: n},
//               search: {q, n}, createdBy: [...], suppressed: [{id, status,
//               justification}] }: what the JSON report and the image say.
//   node html_check.js perf REPORT.html OUTDIR [LIMIT_MS]
//     a big report: a severity filter click and a sort each under LIMIT_MS
//     (default 1000), measured in the page with performance.now().
//   node html_check.js empty REPORT.html OUTDIR
//     a report with no finding.
//   node html_check.js audit REPORT.html OUTDIR
//     vigil scan --scanners: the audit section shows each audit finding of
//     the page's data (rule, file) and each policy verdict.
//
// Every page load must log no console error and no page error, and make no
// request but the file itself: every request is routed here, anything else
// is aborted and fails the test. Chromium is also told to resolve no host.
'use strict';
const path = require('path');
const fs = require('fs');

const PAGE = 250; // rows of the findings table laid out at once (report.js PAGE_ROWS)
const SEV = ['Critical', 'High', 'Medium', 'Low', 'Negligible', 'Unknown'];
let failed = 0;
function ok(what) { console.log('ok: ' + what); }
function fail(what) { failed++; console.log('FAIL: ' + what); }
function check(what, cond, detail) { if (cond) ok(what); else fail(what + (detail ? ': ' + detail : '')); }
function eq(what, want, got) {
	const w = JSON.stringify(want), g = JSON.stringify(got);
	if (w === g) ok(what + ' (' + g + ')'); else fail(what + ': want ' + w + ', got ' + g);
}

function loadPlaywright() {
	const dir = process.env.PLAYWRIGHT_DIR;
	if (!dir) {
		console.error('html_check.js: PLAYWRIGHT_DIR (the playwright-core folder) is not set');
		process.exit(2);
	}
	return require(dir);
}

// Opens file in a fresh context; returns { page, context, problems } where
// problems collects console errors, page errors and foreign requests.
async function open(browser, file, opts) {
	const url = 'file://' + path.resolve(file);
	const context = await browser.newContext(Object.assign({ viewport: { width: 1400, height: 1000 } }, opts || {}));
	const problems = [];
	const requests = [];
	await context.route('**/*', (route) => {
		const u = route.request().url();
		if (u === url)
			return route.continue();
		problems.push('request to ' + u);
		return route.abort();
	});
	const page = await context.newPage();
	page.on('request', (r) => { requests.push(r.url()); if (r.url() !== url) problems.push('request to ' + r.url()); });
	page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push('console ' + m.type() + ': ' + m.text()); });
	page.on('pageerror', (e) => problems.push('page error: ' + e.message));
	await page.goto(url, { waitUntil: 'load' });
	await page.waitForSelector('html[data-ready="1"]', { timeout: 30000 });
	return { page, context, problems, requests, url };
}

// The rows of the findings table that are shown.
function visibleRows(page) {
	return page.$$eval('#findings-body > tr:not(.detail)', (trs) => trs.filter((t) => !t.hidden).length);
}

async function onlySeverity(page, sev) {
	await page.evaluate((s) => {
		document.querySelectorAll('#f-sev input[name=sev]').forEach((b) => {
			if (b.checked !== (b.value === s))
				b.click();
		});
	}, sev);
	return visibleRows(page);
}

async function resetFilters(page, total) {
	await page.click('#f-reset');
	await page.waitForFunction((n) => document.getElementById('findings-table').getAttribute('data-matching') === String(n),
		total);
}

// How many findings pass the filters (the table shows the first PAGE).
function matching(page) {
	return page.$eval('#findings-table', (t) => +t.getAttribute('data-matching'));
}

// The text of column col (0-based) of the shown rows, in order.
function column(page, col) {
	return page.$$eval('#findings-body > tr:not(.detail)', (trs, c) =>
		trs.filter((t) => !t.hidden).map((t) => t.children[c].textContent.trim()), col);
}

function sorted(values, cmp) {
	for (let i = 1; i < values.length; i++)
		if (cmp(values[i - 1], values[i]) > 0)
			return false;
	return true;
}

async function real(browser, file, expect, outdir) {
	const { page, context, problems, requests } = await open(browser, file);
	// the summary
	for (const s of SEV) {
		const got = await page.$eval('#sev-counts li[data-sev="' + s + '"] .count', (e) => +e.textContent);
		eq('summary: ' + s + ' equals the JSON report', expect.counts[s] || 0, got);
	}
	check('the chart is an inline SVG with one bar per severity',
		(await page.$$('#chart svg rect.bar')).length === 6);
	eq('every finding is a row', expect.total, await visibleRows(page));
	// filters
	for (const s of SEV) {
		if (!expect.counts[s])
			continue;
		eq('filter: only ' + s + ' shows its rows', expect.counts[s], await onlySeverity(page, s));
		const sevs = await column(page, 0);
		check('filter: only ' + s + ' rows are shown', sevs.every((v) => v === s), sevs.join(','));
	}
	eq('filter: no severity shows no row', 0, await onlySeverity(page, 'none'));
	await resetFilters(page, expect.total);
	for (const [name, n] of Object.entries(expect.byPackage)) {
		const value = await page.$eval('#f-pkg', (sel, nm) => {
			const o = Array.from(sel.options).find((x) => x.textContent.split(' ')[0] === nm);
			return o ? o.value : null;
		}, name);
		if (value === null) { fail('filter: package ' + name + ' is not offered'); continue; }
		await page.selectOption('#f-pkg', value);
		eq('filter: package ' + name, n, await visibleRows(page));
		const names = await column(page, 2);
		check('filter: package ' + name + ' rows only', names.every((v) => v === name), names.join(','));
	}
	await page.selectOption('#f-pkg', '');
	await page.selectOption('#f-fix', 'fixed');
	eq('filter: fix available', expect.fixable, await visibleRows(page));
	await page.selectOption('#f-fix', 'nofix');
	eq('filter: no fix', expect.total - expect.fixable, await visibleRows(page));
	await page.selectOption('#f-fix', '');
	await page.selectOption('#f-layer', '0');
	eq('filter: layer 1 (every finding of this one-layer image)', expect.total, await visibleRows(page));
	await page.selectOption('#f-layer', '');
	await page.fill('#f-search', expect.search.q);
	await page.waitForFunction((n) => document.getElementById('f-count').textContent.startsWith('Showing ' + n + ' '),
		expect.search.n, { timeout: 5000 }).catch(() => {});
	eq('search "' + expect.search.q + '"', expect.search.n, await visibleRows(page));
	await page.fill('#f-search', '');
	await resetFilters(page, expect.total);
	// sorting
	const num = (v) => (v === '' ? -1 : +v);
	await page.click('#findings-table th[data-key="cvss"] button');
	let cvss = (await column(page, 5)).map(num);
	check('sort: CVSS descending', sorted(cvss, (a, b) => b - a), cvss.join(','));
	eq('sort: the CVSS header says descending', 'descending',
		await page.$eval('#findings-table th[data-key="cvss"]', (t) => t.getAttribute('aria-sort')));
	await page.click('#findings-table th[data-key="cvss"] button');
	cvss = (await column(page, 5)).map(num);
	check('sort: CVSS ascending', sorted(cvss, (a, b) => a - b), cvss.join(','));
	await page.click('#findings-table th[data-key="id"] button');
	const ids = await column(page, 1);
	const coll = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
	check('sort: id ascending', sorted(ids, coll.compare), ids.join(','));
	await page.click('#findings-table th[data-key="sev"] button');
	const order = SEV.slice().reverse();
	let sevs = (await column(page, 0)).map((s) => order.indexOf(s));
	check('sort: severity (first click: highest first)', sorted(sevs, (a, b) => b - a), sevs.join(','));
	// details and links
	await page.click('#findings-body > tr:not(.detail) button.more');
	check('a finding opens its details', (await page.$$('#findings-body > tr.detail')).length === 1);
	const links = await page.$$eval('a[href]:not([href^="#"])', (as) => as.map((a) => ({ href: a.getAttribute('href'), rel: a.rel })));
	check('every link is http(s) with rel="noopener noreferrer"', links.length > 0 &&
		links.every((l) => /^https?:\/\//.test(l.href) && l.rel === 'noopener noreferrer'), JSON.stringify(links.slice(0, 3)));
	check('each finding links its advisory', (await page.$$('#findings-body td.mono a[href]')).length === expect.total);
	// layers
	const created = await page.$$eval('#layers-body code.created-by', (cs) => cs.map((c) => c.textContent));
	eq('layer view: created_by of each layer (the image config\'s history)', expect.createdBy, created);
	const pills = await page.$$eval('#layers-body .pill', (ps) => ps.map((p) => p.textContent));
	const want = SEV.filter((s) => expect.counts[s]).map((s) => s + ' ' + expect.counts[s]);
	eq('layer view: findings by severity of the layer', want, pills);
	// suppressed
	const sup = await page.$$eval('#suppressed-body tr', (trs) => trs.map((t) => ({
		id: t.children[0].textContent, status: t.children[4].textContent, justification: t.children[5].textContent,
	})));
	eq('suppressed findings with status and justification', expect.suppressed, sup);
	// header
	const meta = await page.$eval('#meta', (d) => d.textContent);
	check('the header names the manifest digest and the namespace',
		meta.includes(expect.manifest) && meta.includes(expect.namespace), meta);
	// screenshots: light, dark, and the print rendering
	const shot = path.join(outdir, 'report.png');
	await page.screenshot({ path: shot, fullPage: true });
	console.log('figure: screenshot ' + shot + ' (' + fs.statSync(shot).size + ' bytes)');
	await page.emulateMedia({ colorScheme: 'dark' });
	const dark = path.join(outdir, 'report-dark.png');
	await page.screenshot({ path: dark, fullPage: true });
	console.log('figure: screenshot ' + dark);
	const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
	eq('dark colour scheme (prefers-color-scheme)', 'rgb(13, 17, 23)', bg);
	await page.emulateMedia({ media: 'print', colorScheme: 'light' });
	eq('print hides the filters', 'none', await page.$eval('#filters', (f) => getComputedStyle(f).display));
	const pdf = path.join(outdir, 'report.pdf');
	await page.pdf({ path: pdf });
	check('prints to PDF', fs.statSync(pdf).size > 1000);
	eq('the only request is the file itself', 1, requests.length);
	eq('no console error, page error or other request', [], problems);
	await context.close();
}

// Times fn in the page: the synchronous work and the next frame.
async function timed(page, what, fnBody) {
	const ms = await page.evaluate(async (body) => {
		const t0 = performance.now();
		new Function(body)(); // eslint-disable-line no-new-func
		const t1 = performance.now();
		void document.body.offsetHeight; // style and layout now
		const t2 = performance.now();
		await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
		const t3 = performance.now();
		return { all: t3 - t0, script: t1 - t0, layout: t2 - t1, frame: t3 - t2 };
	}, fnBody);
	console.log('figure: ' + what + ' ' + ms.all.toFixed(1) + ' ms (script ' + ms.script.toFixed(1) + ', style and layout ' +
		ms.layout.toFixed(1) + ', to the next frame ' + ms.frame.toFixed(1) + ')');
	return ms.all;
}

// The best of three runs of fnBody (each run must leave the page as the
// first left it after an odd number of runs: a toggle), against the noise
// of a loaded machine; each run is printed.
async function best3(page, what, fnBody) {
	let best = Infinity;
	for (let i = 1; i <= 3; i++)
		best = Math.min(best, await timed(page, what + ' #' + i, fnBody));
	return best;
}

async function perf(browser, file, outdir, limit) {
	const html = fs.readFileSync(file, 'utf8');
	const m = html.match(/<script type="application\/json" id="vigil-data">([\s\S]*?)<\/script>/);
	const data = JSON.parse(m[1]);
	const n = data.findings.length;
	const critical = data.findings.filter((f) => f.sev === 5).length;
	const t0 = Date.now();
	const { page, context, problems } = await open(browser, file);
	const nav = await page.evaluate(() => {
		const e = performance.getEntriesByType('navigation')[0];
		return e ? e.loadEventEnd : -1;
	});
	console.log('figure: ' + n + ' findings, ' + html.length + ' bytes; page ready ' + nav.toFixed(0) +
		' ms after navigation (' + (Date.now() - t0) + ' ms with the browser round trip)');
	eq('every finding matches at first', n, await matching(page));
	eq('the first page of rows is laid out', Math.min(n, PAGE), await visibleRows(page));
	// a severity filter: everything but Critical off, by clicking the boxes
	const filterMs = await best3(page, 'filter clicks (Critical only, all, Critical only)', `
		document.querySelectorAll('#f-sev input[name=sev]').forEach(function (b) {
			if (b.value !== 'Critical') b.click();
		});`);
	eq('filter: only Critical rows match', critical, await matching(page));
	const sevs = await column(page, 0);
	check('filter: the rows shown are Critical', sevs.length === Math.min(critical, PAGE) &&
		sevs.every((v) => v === 'Critical'), sevs.length + ' rows');
	// five clicks, five filterings: each under the limit
	check('five filter clicks finish under 5 x ' + limit + ' ms (best of 3)', filterMs < 5 * limit,
		filterMs.toFixed(1) + ' ms');
	const oneMs = await best3(page, 'one filter click (High off, on, off)', `
		document.querySelector('#f-sev input[value=High]').click();`);
	check('one filter click finishes under ' + limit + ' ms (best of 3)', oneMs < limit, oneMs.toFixed(1) + ' ms');
	await resetFilters(page, n);
	const sortMs = await best3(page, 'sort click (package: up, down, up)', `
		document.querySelector('#findings-table th[data-key="pkg"] button').click();`);
	check('a sort finishes under ' + limit + ' ms (best of 3)', sortMs < limit, sortMs.toFixed(1) + ' ms');
	const coll = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
	const names = (await column(page, 2)).map((s) => s.split(/\s/)[0]);
	check('the sort put the rows in package order', names.length === PAGE && sorted(names, coll.compare),
		names.slice(0, 5).join(','));
	const sort2Ms = await best3(page, 'sort click (CVSS: down, up, down)', `
		document.querySelector('#findings-table th[data-key="cvss"] button').click();`);
	check('a sort by another column finishes under ' + limit + ' ms (best of 3)', sort2Ms < limit, sort2Ms.toFixed(1) + ' ms');
	await timed(page, '"show all" (every row laid out)', `document.getElementById('f-more-all').click();`);
	const cvss = (await column(page, 5)).map((v) => (v === '' ? -1 : +v));
	check('all ' + n + ' rows shown, in CVSS order', cvss.length === n && sorted(cvss, (a, b) => b - a));
	await timed(page, 'sort click with every row shown (severity)', `
		document.querySelector('#findings-table th[data-key="sev"] button').click();`);
	const searchMs = await timed(page, 'search (applied after the typing pause)', `
		var s = document.getElementById('f-search');
		s.value = 'pkg-1';
		s.dispatchEvent(new Event('input'));`);
	await page.waitForTimeout(400);
	check('a search input returns at once (the filter waits for a pause)', searchMs < limit, searchMs.toFixed(1) + ' ms');
	// the synthetic titles end in "</script><i>": text on the page, no element
	const titles = await page.$$eval('#findings-body td.title', (tds) => tds.map((t) => t.textContent));
	check('hostile titles are text, not markup', titles.length > 0 && titles.every((t) => t.endsWith('</script><i>')) &&
		(await page.$$('#findings-body i, body img')).length === 0, titles[0]);
	const shot = path.join(outdir, 'big.png');
	await page.screenshot({ path: shot });
	console.log('figure: screenshot ' + shot);
	eq('no console error, page error or other request', [], problems);
	await context.close();
}

// A report with no finding: a whole page that says so.
async function empty(browser, file, outdir) {
	const { page, context, problems } = await open(browser, file);
	check('"No vulnerabilities found." is shown', await page.isVisible('#no-findings'));
	check('the empty table is hidden', !(await page.isVisible('#findings-table')));
	eq('summary: 0 Critical', '0', await page.$eval('#sev-counts li[data-sev="Critical"] .count', (e) => e.textContent));
	// the data warnings, each in the alert box, which shows only when there is one
	const html = fs.readFileSync(file, 'utf8');
	const data = JSON.parse(html.match(/<script type="application\/json" id="vigil-data">([\s\S]*?)<\/script>/)[1]);
	eq('the data warnings are in the alert box', data.warnings,
		await page.$$eval('#warning-list li', (lis) => lis.map((l) => l.textContent)));
	eq('the alert box shows when there is a warning', data.warnings.length > 0, await page.isVisible('#warnings'));
	const shot = path.join(outdir, 'empty' + (data.warnings.length ? '-warned' : '') + '.png');
	await page.screenshot({ path: shot, fullPage: true });
	console.log('figure: screenshot ' + shot);
	eq('no console error, page error or other request', [], problems);
	await context.close();
}

// The audit section of a vigil scan --scanners page: a row per finding, in order.
async function audit(browser, file, outdir) {
	const { page, context, problems } = await open(browser, file);
	const html = fs.readFileSync(file, 'utf8');
	const data = JSON.parse(html.match(/<script type="application\/json" id="vigil-data">([\s\S]*?)<\/script>/)[1]);
	check('the page carries the audit data', data.audit && Array.isArray(data.audit.findings));
	check('the audit section is shown', await page.isVisible('#audit'));
	const rows = await page.$$eval('#audit-body > tr', (trs) => trs.map((t) => [t.children[2].textContent, t.children[3].textContent]));
	eq('a row per audit finding: rule and file', data.audit.findings.map((f) => [f.rule,
		f.path ? '/' + f.path + (f.line ? ':' + f.line : '') + (f.deleted ? ' (deleted later)' : '') : '(image config)']), rows);
	eq('a row per policy verdict', (data.audit.policy || []).length, await page.$$eval('#policy-body > tr', (t) => t.length));
	const shot = path.join(outdir, 'audit.png');
	await page.screenshot({ path: shot, fullPage: true });
	console.log('figure: screenshot ' + shot);
	eq('no console error, page error or other request', [], problems);
	await context.close();
}

(async () => {
	const [mode, file, a, b] = process.argv.slice(2);
	if (!file || !['real', 'perf', 'empty', 'audit'].includes(mode)) {
		console.error('usage: html_check.js real REPORT EXPECT.json OUTDIR | perf REPORT OUTDIR [LIMIT_MS] | empty REPORT OUTDIR | audit REPORT OUTDIR');
		process.exit(2);
	}
	const { chromium } = loadPlaywright();
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		// no sandbox (a container as root); no host name resolves, so nothing could leave the machine
		args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND'],
	});
	try {
		console.log('figure: chromium ' + browser.version());
		if (mode === 'real')
			await real(browser, file, JSON.parse(fs.readFileSync(a, 'utf8')), b);
		else if (mode === 'empty')
			await empty(browser, file, a);
		else if (mode === 'audit')
			await audit(browser, file, a);
		else
			await perf(browser, file, a, b ? +b : 1000);
	} finally {
		await browser.close();
	}
	process.exit(failed ? 1 : 0);
})().catch((e) => {
	console.log('FAIL: ' + (e && e.stack ? e.stack : e));
	process.exit(1);
});
