// vecwatch status page: refreshes the server-rendered <main> in place and shows probes on demand.
// The page works without this script (it then reloads itself every 30 s and the probe buttons open the JSON).
(function () {
  'use strict';
  var main = document.getElementById('status');
  var stamp = document.getElementById('refreshed');
  var out = document.getElementById('probe-out');
  if (!main || !window.fetch) { return; }
  var every = (parseInt(main.getAttribute('data-refresh'), 10) || 5) * 1000;

  function typing() {
    var a = document.activeElement;
    return a && a.tagName === 'INPUT' && main.contains(a);
  }

  function refresh() {
    if (document.hidden || typing()) { return; }
    fetch('status/fragment', { cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.text();
    }).then(function (html) {
      var open = [];
      main.querySelectorAll('details[open]').forEach(function (d) { if (d.id) { open.push(d.id); } });
      main.innerHTML = html; // server-rendered and escaped there
      open.forEach(function (id) { var d = document.getElementById(id); if (d) { d.open = true; } });
      stamp.textContent = 'as of ' + new Date().toISOString().substring(11, 19) + 'Z';
      stamp.className = 'sub';
    }).catch(function (e) {
      stamp.textContent = 'refresh failed (' + e.message + '), retrying';
      stamp.className = 'bad';
    });
  }
  setInterval(refresh, every);

  function fmt(report) {
    var lines = [];
    lines.push(report.target + ' · query ' + report.query + ' of ' + report.dataset + ' · top ' + report.k);
    lines.push('outcome: ' + report.outcome + (report.latency_seconds === null ? ''
      : ' in ' + (report.latency_seconds * 1000).toFixed(2) + ' ms'));
    if (report.error) { lines.push('error: ' + report.error); }
    report.recall.forEach(function (r) {
      lines.push('recall@' + r.k + ': ' + r.ratio.toFixed(3) + ' (' + r.hits + ' of ' + r.k + ')');
    });
    if (report.ids.length) { lines.push('ids: ' + report.ids.slice(0, 20).join(', ') + (report.ids.length > 20 ? ', …' : '')); }
    lines.push('');
    lines.push('trace:');
    return lines.concat(report.trace).join('\n');
  }

  document.addEventListener('submit', function (ev) {
    var f = ev.target;
    if (!f.classList || !f.classList.contains('probe')) { return; }
    ev.preventDefault();
    var target = f.elements.target.value;
    var query = f.elements.query.value;
    var url = 'probe?target=' + encodeURIComponent(target) + (query ? '&query=' + encodeURIComponent(query) : '');
    out.textContent = 'Probing ' + target + '…';
    out.className = '';
    out.scrollIntoView({ block: 'nearest' });
    fetch(url, { cache: 'no-store' }).then(function (r) {
      return r.text().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      if (res.status !== 200) {
        out.textContent = 'HTTP ' + res.status + ': ' + res.body;
        out.className = 'bad';
        return;
      }
      var report = JSON.parse(res.body);
      out.textContent = fmt(report); // text, never HTML
      out.className = report.outcome === 'ok' ? 'ok' : 'bad';
    }).catch(function (e) {
      out.textContent = 'probe failed: ' + e.message;
      out.className = 'bad';
    });
  });
}());
