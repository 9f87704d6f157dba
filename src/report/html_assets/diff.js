/* src/report/html_assets/diff.js: the script of vigil diff's HTML page,
 * inlined by src/audit/diff_html.c (allowed by its hash in the page's
 * Content Security Policy, nothing else is). It reads the JSON of
 * <script id="vigil-data"> (the diff JSON, docs/audit.md (vigil diff)) and draws
 * the images, the counts, the files (filter by change and path; the first
 * PAGE_ROWS rows, then "show all"), packages, findings and configuration.
 * Every string of the data comes from the images: it reaches the page
 * only through textContent, never as markup. */
(function () {
	'use strict';

	var PAGE_ROWS = 500;
	var SHORT_DIGEST = 19;
	var SEV = { Unknown: 1, Negligible: 1, Low: 1, Medium: 1, High: 1, Critical: 1 };
	var data;

	function $(id) { return document.getElementById(id); }

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		return e;
	}

	function td(tr, text, cls) {
		var c = el('td', cls, text);
		tr.appendChild(c);
		return c;
	}

	function short(d) { return d && d.length > SHORT_DIGEST ? d.slice(0, SHORT_DIGEST) : (d || ''); }

	function chg(name) { return el('span', 'chg chg-' + name, name); }

	try {
		data = JSON.parse($('vigil-data').textContent);
	} catch (e) {
		$('counts').appendChild(el('li', null, 'The report data cannot be read: ' + e.message));
		return;
	}

	function drawImages() {
		var body = $('images-body');
		['a', 'b'].forEach(function (k) {
			var i = data[k] || {}, tr = el('tr');
			tr.appendChild(el('th', null, k.toUpperCase()));
			td(tr, i.image, 'mono');
			td(tr, i.distribution || '');
			td(tr, i.layers, 'num');
			td(tr, i.files, 'num');
			td(tr, i.packages, 'num');
			td(tr, short(i.manifest_hash), 'mono').title = i.manifest_hash || '';
			body.appendChild(tr);
		});
		var w = data.warnings || [];
		if (w.length) {
			w.forEach(function (m) { $('warning-list').appendChild(el('li', null, m)); });
			$('warnings').hidden = false;
		}
		$('footer').textContent = 'vigil diff: ' + (data.a || {}).image + ' \u2192 ' + (data.b || {}).image;
	}

	function count(label, n, detail) {
		var li = el('li');
		li.appendChild(el('span', 'count', n));
		li.appendChild(el('span', 'label', label));
		if (detail)
			li.appendChild(el('span', 'pkg-extra', detail));
		$('counts').appendChild(li);
	}

	function drawSummary() {
		var s = data.summary || {}, f = s.files || {}, p = s.packages || {}, v = s.findings || {};
		count('files differ', (f.added || 0) + (f.removed || 0) + (f.changed || 0),
		      f.added + ' added, ' + f.removed + ' removed, ' + f.changed + ' changed');
		count('packages differ', (p.added || 0) + (p.removed || 0) + (p.upgraded || 0) + (p.downgraded || 0) + (p.changed || 0),
		      p.added + ' added, ' + p.removed + ' removed, ' + p.upgraded + ' upgraded, ' + p.downgraded + ' downgraded');
		if (v.judged)
			count('findings fixed / introduced', v.fixed + ' / ' + v.introduced);
		else
			count('findings', 'not judged', 'no vulnerability data');
		count('config fields differ', s.config || 0);
	}

	function version(cell, v) {
		if (!v)
			return;
		function line(k, text) {
			var s = el('span', 'ver');
			s.appendChild(el('span', 'k', k + ' '));
			s.appendChild(el('span', 'mono', text));
			cell.appendChild(s);
		}
		line(v.type, v.mode + ' ' + v.uid + ':' + v.gid + ' ' + v.size + ' B');
		if (v.sha256)
			line('sha256', v.sha256.slice(0, 16));
		if (v.link !== null && v.link !== undefined)
			line('link', v.link);
		line('layer', v.layer + ' ' + short(v.layer_digest));
	}

	var files = data.files || [], rows = [], showAll = false;

	function fileRow(f) {
		var tr = el('tr');
		td(tr).appendChild(chg(f.change));
		td(tr, '/' + f.path, 'mono');
		td(tr, (f.what || []).join(', '));
		version(td(tr), f.a);
		version(td(tr), f.b);
		return tr;
	}

	function drawFiles() {
		var want = $('f-change').value, q = $('f-search').value.toLowerCase(), body = $('files-body');
		var match = [], frag = document.createDocumentFragment();
		files.forEach(function (f, i) {
			if ((!want || f.change === want) && (!q || f.path.toLowerCase().indexOf(q) >= 0))
				match.push(i);
		});
		var n = showAll ? match.length : Math.min(match.length, PAGE_ROWS);
		for (var k = 0; k < n; k++) {
			var i = match[k];
			if (!rows[i])
				rows[i] = fileRow(files[i]);
			frag.appendChild(rows[i]);
		}
		body.textContent = '';
		body.appendChild(frag);
		$('f-count').textContent = match.length + ' of ' + files.length + ' paths' +
			(n < match.length ? ' (first ' + n + ' shown)' : '');
		$('f-more').hidden = n >= match.length;
		$('no-files').hidden = files.length > 0;
	}

	function drawPackages() {
		var pk = data.packages || [], body = $('packages-body');
		pk.forEach(function (p) {
			var tr = el('tr');
			td(tr).appendChild(chg(p.change));
			td(tr, p.type);
			td(tr, p.name, 'mono');
			td(tr, p.arch || '');
			td(tr, p.a || '\u2013', 'mono');
			td(tr, p.b || '\u2013', 'mono');
			body.appendChild(tr);
		});
		$('no-packages').hidden = pk.length > 0;
	}

	function drawFindings() {
		var v = data.findings || {}, body = $('vulns-body'), n = 0;
		if (!v.judged) {
			$('vulns-why').textContent = 'Not judged: ' + (v.why || 'the store holds no vulnerability data');
			$('vulns-why').hidden = false;
			$('vulns-table').hidden = true;
			return;
		}
		['fixed', 'introduced'].forEach(function (k) {
			(v[k] || []).forEach(function (f) {
				var tr = el('tr'), sev = SEV[f.severity] ? f.severity : 'Unknown';
				td(tr).appendChild(chg(k));
				td(tr).appendChild(el('span', 'sev sev-' + sev, sev));
				td(tr, f.id, 'mono');
				td(tr, f.package, 'mono');
				td(tr, f.version, 'mono');
				td(tr, f.fixed || '', 'mono');
				td(tr, f.title || '');
				body.appendChild(tr);
				n++;
			});
		});
		$('no-vulns').hidden = n > 0;
	}

	function drawConfig() {
		var c = data.config || [], body = $('config-body');
		c.forEach(function (x) {
			var tr = el('tr');
			td(tr, x.field);
			td(tr, x.key || '', 'mono');
			td(tr, x.a === null ? '(none)' : x.a, x.masked ? 'masked' : 'mono');
			td(tr, x.b === null ? '(none)' : x.b, x.masked ? 'masked' : 'mono');
			body.appendChild(tr);
		});
		$('no-config').hidden = c.length > 0;
	}

	drawImages();
	drawSummary();
	drawFiles();
	drawPackages();
	drawFindings();
	drawConfig();
	$('f-change').addEventListener('change', drawFiles);
	$('f-search').addEventListener('input', drawFiles);
	$('filters').addEventListener('submit', function (ev) { ev.preventDefault(); });
	$('f-more-all').addEventListener('click', function () { showAll = true; drawFiles(); });
	document.documentElement.setAttribute('data-ready', '1');
}());
