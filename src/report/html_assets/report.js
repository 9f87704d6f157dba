/* src/report/html_assets/report.js: the script of vigil's HTML report,
 * inlined into the page by src/report/html.c (which allows it, and nothing
 * else, by its hash in the page's Content Security Policy).
 *
 * It reads the one JSON object of <script id="vigil-data"> and draws the
 * header, the summary and its chart (inline SVG), the findings table, the
 * layer view, the suppressed findings and, from vigil scan --scanners, the
 * audit findings and policy verdicts. Every string of the data is
 * untrusted (feeds, image configs, ignore files): it reaches the page only
 * through textContent, attribute values and SVG text nodes, never as markup;
 * a link is made only of an http: or https: URL, with rel="noopener
 * noreferrer".
 *
 * Speed (5,000 findings and more): sort keys and search text are made once
 * at load, and compared as plain strings (no collator in the sort); a
 * filter or a sort computes the list of matching rows, then puts the first
 * PAGE_ROWS of them into the table in one fragment (a row's <tr> is built
 * the first time it is shown and kept); "show more" and printing add the
 * rest. The text search waits for a pause in typing (SEARCH_DELAY_MS). A
 * finding's details (description, links, aliases) are built on first
 * opening. */
(function () {
	'use strict';

	var SEV = ['Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical'];
	var SEARCH_DELAY_MS = 150;
	var PAGE_ROWS = 250;  /* findings rows laid out at once (more on demand) */
	var SHORT_DIGEST = 19; /* "sha256:" and 12 hex digits */

	var data;
	try {
		data = JSON.parse(document.getElementById('vigil-data').textContent);
	} catch (e) {
		document.getElementById('summary-line').textContent = 'The report data cannot be read: ' + e.message;
		return;
	}
	var findings = data.findings || [];
	var packages = data.packages || [];
	var layers = data.layers || [];
	var suppressed = data.suppressed || [];

	/* ---- small helpers ---- */
	function $(id) { return document.getElementById(id); }

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		return e;
	}

	function safeUrl(u) {
		if (typeof u !== 'string')
			return null;
		return /^https?:\/\/[^\s]+$/i.test(u) ? u : null;
	}

	/* A link when url is http(s), else the text alone. */
	function link(text, url) {
		var u = safeUrl(url);
		if (!u)
			return el('span', null, text);
		var a = el('a', null, text);
		a.href = u;
		a.rel = 'noopener noreferrer';
		a.target = '_blank';
		return a;
	}

	function sevName(i) { return SEV[i] || 'Unknown'; }

	function sevBadge(i) { return el('span', 'sev sev-' + sevName(i), sevName(i)); }

	function shortDigest(d) {
		if (!d)
			return '';
		return d.length > SHORT_DIGEST ? d.slice(0, SHORT_DIGEST) : d;
	}

	function humanSize(n) {
		if (typeof n !== 'number' || n <= 0)
			return '';
		var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], u = 0;
		while (n >= 1024 && u < units.length - 1) {
			n /= 1024;
			u++;
		}
		return (u ? n.toFixed(1) : String(n)) + ' ' + units[u];
	}

	function pkgOf(f) { return packages[f.pkg] || { name: '?', version: '?' }; }

	function layerLabel(i) { return i >= 0 && i < layers.length ? '#' + (i + 1) : ''; }

	function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

	/* ---- header ---- */
	function drawHeader() {
		var dl = $('meta');
		function row(k, v, mono) {
			if (v === undefined || v === null || v === '')
				return;
			dl.appendChild(el('dt', null, k));
			var dd = el('dd', mono ? 'mono' : null, v);
			dl.appendChild(dd);
		}
		$('image-name').textContent = data.image || '';
		document.title = 'vigil report: ' + (data.image || data.manifest || 'image');
		row('Image', data.image);
		row('Distribution', data.distribution);
		row('Namespace', data.namespace);
		row('Manifest digest', data.manifest, true);
		row('Packages', plural(data.packageCount || 0, 'package', 'packages') + ', ' +
			(data.packagesMatched || 0) + ' matched against the data');
		if (data.filteredOut)
			row('Filtered out', data.filteredOut + ' by the scan\'s filters (' + (data.ignored || 0) +
				' by ignore rules or VEX)');
		row('Generated', data.generated);
		row('Scanner', (data.tool || 'vigil') + ' ' + (data.version || ''));
		var w = data.warnings || [];
		if (w.length) {
			var ul = $('warning-list');
			w.forEach(function (m) { ul.appendChild(el('li', null, m)); });
			$('warnings').hidden = false;
		}
		$('footer').textContent = 'Written by ' + (data.tool || 'vigil') + ' ' + (data.version || '') +
			' on ' + (data.generated || '') + '. This page is self-contained: it loads nothing from the network.';
	}

	/* ---- summary and chart ---- */
	var counts = [0, 0, 0, 0, 0, 0];
	function drawSummary() {
		var fixable = 0, pk = {};
		findings.forEach(function (f) {
			counts[f.sev] = (counts[f.sev] || 0) + 1;
			if (f.fixed)
				fixable++;
			pk[f.pkg] = 1;
		});
		$('summary-line').textContent = plural(findings.length, 'vulnerability', 'vulnerabilities') + ' in ' +
			plural(Object.keys(pk).length, 'package', 'packages') + ' (' + fixable + ' with a fix available)';
		var ul = $('sev-counts');
		for (var s = SEV.length - 1; s >= 0; s--) {
			var li = el('li', 'sev-' + SEV[s]);
			li.setAttribute('data-sev', SEV[s]);
			li.appendChild(el('span', 'count', counts[s]));
			li.appendChild(el('span', 'label', SEV[s]));
			ul.appendChild(li);
		}
		drawChart();
	}

	function svg(tag, attrs, text) {
		var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
		for (var k in attrs)
			e.setAttribute(k, attrs[k]);
		if (text !== undefined)
			e.textContent = String(text);
		return e;
	}

	/* Horizontal bars, one per severity, highest first. */
	function drawChart() {
		var rowH = 26, labelW = 90, barW = 340, numW = 60, h = rowH * SEV.length + 8;
		var max = Math.max.apply(null, counts.concat([1]));
		var root = svg('svg', { viewBox: '0 0 ' + (labelW + barW + numW) + ' ' + h, role: 'img' });
		var desc = [];
		for (var i = 0; i < SEV.length; i++) {
			var s = SEV.length - 1 - i, y = 4 + i * rowH, w = Math.round(barW * counts[s] / max);
			root.appendChild(svg('text', { x: 0, y: y + 17 }, SEV[s]));
			var bar = svg('rect', { x: labelW, y: y + 3, height: rowH - 8, width: Math.max(w, counts[s] ? 2 : 0),
				rx: 3, 'class': 'bar sev-' + SEV[s] });
			root.appendChild(bar);
			root.appendChild(svg('text', { x: labelW + Math.max(w, 0) + 6, y: y + 17, 'class': 'bar-count' },
				counts[s]));
			desc.push(SEV[s] + ' ' + counts[s]);
		}
		root.setAttribute('aria-label', 'Findings by severity: ' + desc.join(', '));
		$('chart').appendChild(root);
	}

	/* ---- findings table ----
	 * rows[i] is finding i: its sort keys and search text (made at load) and
	 * its <tr> (made the first time it is shown). order is every row in the
	 * sort order; view the rows of order that pass the filters; the table
	 * holds the first `limit` of view (PAGE_ROWS more at each "show more",
	 * all of them for printing), so the page lays out a bounded number of
	 * rows whatever the report's size. */
	var rows = [], order = [], view = [], limit = PAGE_ROWS;

	/* A key that sorts like a numeric, case-blind collation with plain
	 * comparisons: lower case, each run of digits zero-padded. */
	function sortKey(s) {
		return String(s || '').toLowerCase().replace(/\d+/g, function (d) {
			return d.length >= 12 ? d : '000000000000'.slice(d.length) + d;
		});
	}

	function makeRow(f, i) {
		var p = pkgOf(f);
		return {
			i: i, f: f, tr: null, detail: null,
			text: [f.id, p.name, p.version, f.fixed || '', f.title || '', (f.aliases || []).join(' '),
				p.file || '', p.type || ''].join('\n').toLowerCase(),
			keys: {
				sev: f.sev, id: sortKey(f.id), pkg: sortKey(p.name), version: sortKey(p.version),
				fixed: f.fixed ? sortKey(f.fixed) : '', cvss: typeof f.cvss === 'number' ? f.cvss : -1,
				layer: typeof p.layer === 'number' ? p.layer : -1, title: sortKey(f.title)
			}
		};
	}

	function cellText(tr, text, cls) {
		var td = el('td', cls, text);
		tr.appendChild(td);
		return td;
	}

	function buildTr(r) {
		var f = r.f, p = pkgOf(f), tr = document.createElement('tr');
		tr.setAttribute('data-i', r.i);
		var td = el('td');
		td.appendChild(sevBadge(f.sev));
		tr.appendChild(td);
		td = el('td', 'mono');
		td.appendChild(link(f.id, f.url));
		tr.appendChild(td);
		td = el('td', 'pkg', p.name);
		if (p.lang)
			td.appendChild(el('span', 'pkg-extra', p.type + (p.file ? ' in ' + p.file : '')));
		tr.appendChild(td);
		cellText(tr, p.version, 'mono');
		if (f.fixed)
			cellText(tr, f.fixed, 'mono');
		else
			cellText(tr, f.state === 'will-not-fix' ? 'will not fix' : 'no fix', 'nofix');
		cellText(tr, typeof f.cvss === 'number' ? f.cvss.toFixed(1) : '', 'num');
		td = cellText(tr, layerLabel(p.layer));
		if (p.layer >= 0 && layers[p.layer])
			td.title = layers[p.layer].digest;
		td = el('td', 'title');
		var more = el('button', 'more', '\u25B8');
		more.type = 'button';
		more.setAttribute('aria-expanded', 'false');
		more.setAttribute('aria-label', 'Details of ' + f.id);
		td.appendChild(more);
		td.appendChild(document.createTextNode(f.title || ''));
		tr.appendChild(td);
		return tr;
	}

	function detailRow(r) {
		var f = r.f, p = pkgOf(f), tr = el('tr', 'detail'), td = el('td'), dl = el('dl');
		td.colSpan = 8;
		function item(k, v) {
			if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length))
				return;
			dl.appendChild(el('dt', null, k));
			var dd = el('dd');
			if (v instanceof Node)
				dd.appendChild(v);
			else
				dd.textContent = Array.isArray(v) ? v.join(', ') : String(v);
			dl.appendChild(dd);
		}
		item('Description', f.description);
		item('Package', p.name + ' ' + p.version + (p.type ? ' (' + p.type + ')' : ''));
		item('File', p.file);
		item('Purl', p.purl);
		item('Layer', p.layer >= 0 && layers[p.layer] ? layerLabel(p.layer) + ' ' + layers[p.layer].digest : '');
		item('State', f.state);
		item('Vendor severity', f.vendorSeverity);
		item('CVSS', typeof f.cvss === 'number' ? f.cvss.toFixed(1) + (f.vector ? ' ' + f.vector : '') +
			(f.cvssSource ? ' (' + f.cvssSource + ')' : '') : '');
		item('Affected', f.affected);
		item('Published', f.published);
		item('Aliases', f.aliases);
		item('Advisories', f.advisories);
		item('Symbols', f.symbols);
		item('Data', [f.source, f.feed, f.namespace].filter(Boolean).join(' / '));
		if ((f.links || []).length) {
			var ul = el('ul');
			f.links.forEach(function (u) {
				var li = el('li');
				li.appendChild(link(u, u));
				ul.appendChild(li);
			});
			item('Links', ul);
		}
		td.appendChild(dl);
		tr.appendChild(td);
		return tr;
	}

	function toggleDetail(r, button) {
		var open = button.getAttribute('aria-expanded') === 'true';
		if (!r.detail)
			r.detail = detailRow(r);
		if (open)
			r.detail.remove();
		else
			r.tr.after(r.detail);
		r.open = !open;
		button.setAttribute('aria-expanded', open ? 'false' : 'true');
		button.textContent = open ? '\u25B8' : '\u25BE';
	}

	/* The first `limit` rows of view into the table, at once. A row leaving
	 * the table keeps its <tr> for the next time. */
	function render() {
		var frag = document.createDocumentFragment(), n = Math.min(limit, view.length);
		for (var i = 0; i < n; i++) {
			var r = view[i];
			if (!r.tr)
				r.tr = buildTr(r);
			frag.appendChild(r.tr);
			if (r.open)
				frag.appendChild(r.detail);
		}
		/* a fresh tbody: dropping the old one whole is cheaper than
		 * removing thousands of rows one by one */
		var body = $('findings-body'), fresh = body.cloneNode(false);
		fresh.appendChild(frag);
		body.replaceWith(fresh);
		$('findings-table').setAttribute('data-matching', view.length);
		var more = view.length - n;
		$('f-more').hidden = more <= 0;
		$('f-more-next').textContent = 'Show ' + Math.min(PAGE_ROWS, more) + ' more';
		$('f-more-all').textContent = 'Show all ' + view.length;
		$('f-count').textContent = n < view.length ?
			'Showing the first ' + n + ' of ' + view.length + ' matching findings (' + rows.length + ' in all)' :
			'Showing ' + n + ' of ' + plural(rows.length, 'finding', 'findings');
	}

	function drawFindings() {
		for (var i = 0; i < findings.length; i++)
			rows.push(makeRow(findings[i], i));
		order = rows.slice();
		$('findings-table').addEventListener('click', function (ev) {
			var b = ev.target.closest('button.more');
			if (b)
				toggleDetail(rows[+b.closest('tr').getAttribute('data-i')], b);
		});
		$('f-more-next').addEventListener('click', function () {
			limit += PAGE_ROWS;
			render();
		});
		$('f-more-all').addEventListener('click', function () {
			limit = Infinity;
			render();
		});
		/* a printed report holds every finding that passes the filters */
		window.addEventListener('beforeprint', function () {
			limit = Infinity;
			render();
		});
		if (!findings.length) {
			$('no-findings').hidden = false;
			$('findings-table').hidden = true;
		}
	}

	/* ---- filters ---- */
	function fillFilters() {
		var fs = $('f-sev');
		for (var s = SEV.length - 1; s >= 0; s--) {
			var id = 'f-sev-' + SEV[s], lab = el('label', 'sev-' + SEV[s]), box = el('input');
			box.type = 'checkbox';
			box.name = 'sev';
			box.value = SEV[s];
			box.id = id;
			box.checked = box.defaultChecked = true;
			lab.htmlFor = id;
			lab.appendChild(box);
			lab.appendChild(document.createTextNode(' ' + SEV[s] + ' (' + counts[s] + ')'));
			fs.appendChild(lab);
		}
		var seen = {}, names = [];
		findings.forEach(function (f) {
			var p = pkgOf(f), key = String(f.pkg);
			if (!seen[key]) {
				seen[key] = 1;
				var t = p.name + ' ' + p.version + (p.lang && p.file ? ' (' + p.file + ')' : '');
				names.push({ v: key, t: t, k: sortKey(t) });
			}
		});
		names.sort(function (a, b) { return a.k < b.k ? -1 : a.k > b.k ? 1 : 0; });
		var sel = $('f-pkg'), frag = document.createDocumentFragment();
		names.forEach(function (n) {
			var o = el('option', null, n.t);
			o.value = n.v;
			frag.appendChild(o);
		});
		sel.appendChild(frag);
		sel = $('f-layer');
		layers.forEach(function (l, i) {
			var o = el('option', null, layerLabel(i) + ' ' + shortDigest(l.digest));
			o.value = String(i);
			sel.appendChild(o);
		});
	}

	function currentFilter() {
		var sev = {};
		document.querySelectorAll('#f-sev input[name=sev]').forEach(function (b) {
			sev[SEV.indexOf(b.value)] = b.checked;
		});
		return {
			sev: sev, pkg: $('f-pkg').value, fix: $('f-fix').value, layer: $('f-layer').value,
			q: $('f-search').value.trim().toLowerCase()
		};
	}

	/* view = the rows of order that pass the filters; the first page shown. */
	function applyFilter() {
		var c = currentFilter(), pkg = c.pkg === '' ? -2 : +c.pkg, layer = c.layer === '' ? -2 : +c.layer;
		view = order.filter(function (r) {
			var f = r.f;
			return c.sev[f.sev] !== false &&
				(pkg === -2 || f.pkg === pkg) &&
				(c.fix === '' || (c.fix === 'fixed') === !!f.fixed) &&
				(layer === -2 || r.keys.layer === layer) &&
				(c.q === '' || r.text.indexOf(c.q) >= 0);
		});
		limit = PAGE_ROWS;
		render();
	}

	function wireFilters() {
		var timer = null;
		$('f-sev').addEventListener('change', applyFilter);
		['f-pkg', 'f-fix', 'f-layer'].forEach(function (id) { $(id).addEventListener('change', applyFilter); });
		$('f-search').addEventListener('input', function () {
			clearTimeout(timer);
			timer = setTimeout(applyFilter, SEARCH_DELAY_MS);
		});
		$('filters').addEventListener('submit', function (ev) { ev.preventDefault(); });
		$('filters').addEventListener('reset', function () { setTimeout(applyFilter, 0); });
	}

	/* ---- sorting ---- */
	var sortCol = 'sev', sortDir = -1;

	function compare(a, b) {
		var x = a.keys[sortCol], y = b.keys[sortCol], c;
		if (sortCol === 'fixed' && (x === '' || y === ''))
			c = (x === '') - (y === ''); /* no fix after every fixed version, either way */
		else
			c = (x < y ? -1 : x > y ? 1 : 0) * sortDir;
		if (c === 0)
			c = b.keys.sev - a.keys.sev;
		return c || a.i - b.i;
	}

	function sortBy(key, dir) {
		sortCol = key;
		sortDir = dir;
		order.sort(compare);
		document.querySelectorAll('#findings-table thead th').forEach(function (th) {
			if (th.getAttribute('data-key') === key)
				th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
			else
				th.removeAttribute('aria-sort');
		});
		applyFilter();
	}

	function wireSort() {
		document.querySelectorAll('#findings-table thead th').forEach(function (th) {
			th.querySelector('button').addEventListener('click', function () {
				var key = th.getAttribute('data-key');
				var cur = th.getAttribute('aria-sort');
				/* a new column starts descending for severity and CVSS, ascending otherwise */
				var dir = cur === 'ascending' ? -1 : cur === 'descending' ? 1 : (key === 'sev' || key === 'cvss' ? -1 : 1);
				sortBy(key, dir);
			});
		});
	}

	/* ---- layers ---- */
	function drawLayers() {
		var body = $('layers-body'), frag = document.createDocumentFragment();
		var perLayer = layers.map(function () { return [0, 0, 0, 0, 0, 0]; });
		var pkgsOf = layers.map(function () { return []; });
		findings.forEach(function (f) {
			var l = pkgOf(f).layer;
			if (l >= 0 && perLayer[l])
				perLayer[l][f.sev]++;
		});
		packages.forEach(function (p) {
			if (p.layer >= 0 && pkgsOf[p.layer])
				pkgsOf[p.layer].push(p);
		});
		layers.forEach(function (l, i) {
			var tr = el('tr');
			tr.setAttribute('data-layer', i);
			tr.appendChild(el('td', 'num', i + 1));
			var td = el('td', 'mono', shortDigest(l.digest));
			td.title = l.digest || '';
			tr.appendChild(td);
			tr.appendChild(el('td', 'num', humanSize(l.size)));
			td = el('td', 'created');
			if (l.createdBy)
				td.appendChild(el('code', 'created-by', l.createdBy));
			else
				td.appendChild(el('span', 'note', 'unknown'));
			tr.appendChild(td);
			td = el('td');
			var n = typeof l.packages === 'number' ? l.packages : pkgsOf[i].length;
			if (pkgsOf[i].length) {
				var det = el('details'), ul = el('ul');
				det.appendChild(el('summary', null, plural(n, 'package', 'packages')));
				pkgsOf[i].forEach(function (p) {
					ul.appendChild(el('li', null, p.name + ' ' + p.version + (p.lang ? ' (' + p.type + ')' : '')));
				});
				det.appendChild(ul);
				td.appendChild(det);
			} else {
				td.textContent = plural(n, 'package', 'packages');
			}
			tr.appendChild(td);
			td = el('td');
			var pills = el('div', 'pills'), total = 0;
			for (var s = SEV.length - 1; s >= 0; s--) {
				if (!perLayer[i][s])
					continue;
				total += perLayer[i][s];
				var pill = el('span', 'pill sev-' + SEV[s], SEV[s] + ' ' + perLayer[i][s]);
				pill.setAttribute('data-sev', SEV[s]);
				pills.appendChild(pill);
			}
			if (!total)
				pills.appendChild(el('span', 'note', 'none'));
			td.appendChild(pills);
			if (total) {
				var b = el('button', 'layer-show', 'Show these ' + plural(total, 'finding', 'findings'));
				b.type = 'button';
				b.addEventListener('click', function () {
					$('f-layer').value = String(i);
					applyFilter();
					$('findings').scrollIntoView();
				});
				td.appendChild(b);
			}
			tr.appendChild(td);
			frag.appendChild(tr);
		});
		body.appendChild(frag);
		if (!layers.length) {
			$('no-layers').hidden = false;
			$('layers-table').hidden = true;
		}
	}

	/* ---- suppressed ---- */
	function drawSuppressed() {
		var body = $('suppressed-body'), frag = document.createDocumentFragment();
		suppressed.forEach(function (s) {
			var p = packages[s.pkg] || { name: '?', version: '?' }, tr = el('tr'), td = el('td', 'mono');
			td.appendChild(link(s.id, s.url));
			tr.appendChild(td);
			td = el('td', null, p.name);
			if (p.lang)
				td.appendChild(el('span', 'pkg-extra', p.type + (p.file ? ' in ' + p.file : '')));
			tr.appendChild(td);
			tr.appendChild(el('td', 'mono', p.version));
			td = el('td');
			td.appendChild(sevBadge(s.sev));
			tr.appendChild(td);
			tr.appendChild(el('td', null, s.status));
			tr.appendChild(el('td', null, s.justification || ''));
			tr.appendChild(el('td', 'mono', s.by || ''));
			frag.appendChild(tr);
		});
		body.appendChild(frag);
		$('suppressed-h').textContent = 'Suppressed findings (' + suppressed.length + ')';
		if (!suppressed.length) {
			$('no-suppressed').hidden = false;
			$('suppressed-table').hidden = true;
		}
	}

	/* ---- audit findings (vigil scan --scanners; data.audit is vigil's audit JSON) ---- */
	function drawAudit() {
		var a = data.audit;
		if (!a || typeof a !== 'object')
			return;
		$('audit').hidden = false;
		var list = Array.isArray(a.findings) ? a.findings : [];
		var body = $('audit-body'), frag = document.createDocumentFragment();
		list.forEach(function (f) {
			var tr = el('tr'), td = el('td');
			td.appendChild(f.info ? el('span', 'sev sev-Negligible', 'Info') : sevBadge(SEV.indexOf(f.severity)));
			tr.appendChild(td);
			tr.appendChild(el('td', null, f.category));
			tr.appendChild(el('td', 'mono', f.rule));
			tr.appendChild(el('td', 'mono', f.path ? '/' + f.path + (f.line ? ':' + f.line : '') +
				(f.deleted ? ' (deleted later)' : '') : '(image config)'));
			tr.appendChild(el('td', 'mono', f.layer ? String(f.layer.index) : ''));
			tr.appendChild(el('td', null, (f.title || '') + (f.match ? ': ' + f.match : '') +
				(f.evidence ? ' (' + f.evidence + ')' : '')));
			frag.appendChild(tr);
		});
		body.appendChild(frag);
		$('audit-h').textContent = 'Audit findings (' + list.length + ')';
		if (!list.length) {
			$('no-audit').hidden = false;
			$('audit-table').hidden = true;
		}
		var pol = Array.isArray(a.policy) ? a.policy : [];
		if (!pol.length)
			return;
		$('policy-h').hidden = false;
		$('policy-table').hidden = false;
		var pb = $('policy-body');
		pol.forEach(function (p) {
			var tr = el('tr');
			tr.appendChild(el('td', null, p.result));
			tr.appendChild(el('td', 'mono', p.rule));
			var td = el('td');
			td.appendChild(sevBadge(SEV.indexOf(p.severity)));
			tr.appendChild(td);
			tr.appendChild(el('td', null, p.evidence || ''));
			pb.appendChild(tr);
		});
	}

	drawHeader();
	drawSummary();
	drawFindings();
	fillFilters();
	wireFilters();
	wireSort();
	drawLayers();
	drawSuppressed();
	drawAudit();
	sortBy('sev', -1);
	document.documentElement.setAttribute('data-ready', '1');
}());
