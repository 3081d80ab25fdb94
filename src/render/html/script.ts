/**
 * The report's only script (inline, no network): sort the tables by a column, and filter
 * rows and host sections by text, severity (at or above), host and exposure.
 *
 * @module
 */
export const SCRIPT = `
(function () {
  'use strict';
  var $ = function (s) { return document.querySelector(s); };
  var $$ = function (s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); };
  var SEV = ['critical', 'high', 'medium', 'low', 'info'];
  function cellKey(cell) { return cell.hasAttribute('data-key') ? cell.getAttribute('data-key') : cell.textContent.trim(); }
  function sortBy(th) {
    var table = th.closest('table');
    var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute('data-sort') === 'num';
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    $$('th', table).forEach(function (o) { o.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { r._i = i; });
    rows.sort(function (a, b) {
      var x = cellKey(a.cells[idx]), y = cellKey(b.cells[idx]);
      var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, { numeric: true });
      return (dir === 'ascending' ? c : -c) || a._i - b._i;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  $$('th[data-sort] button').forEach(function (b) { b.addEventListener('click', function () { sortBy(b.parentNode); }); });
  var text = $('#f-text'), sev = $('#f-severity'), host = $('#f-host'), exp = $('#f-exposure');
  function apply() {
    var q = text.value.trim().toLowerCase();
    var maxSev = sev.value ? SEV.indexOf(sev.value) : SEV.length;
    var hv = host.value, ev = exp.value;
    var shown = { services: 0, findings: 0 };
    $$('#services-table tbody tr').forEach(function (r) {
      var ok = (!hv || r.getAttribute('data-host') === hv) && (!ev || r.getAttribute('data-exposure') === ev) &&
        (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.classList.toggle('hidden', !ok); if (ok) shown.services++;
    });
    $$('#findings-table tbody tr').forEach(function (r) {
      var ok = (!hv || r.getAttribute('data-host') === hv) && SEV.indexOf(r.getAttribute('data-severity')) <= maxSev &&
        (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.classList.toggle('hidden', !ok); if (ok) shown.findings++;
    });
    $$('section.host').forEach(function (s) { s.classList.toggle('hidden', !!hv && s.getAttribute('data-host') !== hv); });
    $$('section.host article.service').forEach(function (a) {
      var ok = (!ev || a.getAttribute('data-exposure') === ev) && (!q || a.textContent.toLowerCase().indexOf(q) >= 0);
      a.classList.toggle('hidden', !ok);
    });
    $('#services-count').textContent = shown.services + ' shown';
    $('#findings-count').textContent = shown.findings + ' shown';
  }
  [text, sev, host, exp].forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
  apply();
})();
`;
