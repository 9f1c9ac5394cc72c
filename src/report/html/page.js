// The page of `wcs report` and `wcs compare --html`: the tables (sortable, filterable)
// and the plots (Chart.js) drawn from the JSON data the program wrote into the page.
// Every number comes from that data; nothing is fetched.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('wcs-data').textContent);
  const root = document.getElementById('wcs-page');
  // For the browser test and for a reader's console.
  const api = { data: data, charts: {}, tables: [], ready: false };
  window.wcs = api;

  // ---- Small helpers.

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children || []) e.append(c);
    return e;
  }

  // Text with `code` and [links](file): the only Markdown the notes use.
  function inline(text) {
    const out = document.createDocumentFragment();
    const re = /`([^`]*)`|\[([^\]]*)\]\(([^)\s]*)\)/g;
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      out.append(text.slice(last, m.index));
      if (m[1] !== undefined) out.append(el('code', { text: m[1] }));
      else out.append(el('a', { href: m[3], text: m[2] }));
      last = re.lastIndex;
    }
    out.append(text.slice(last));
    return out;
  }

  function num(v) {
    if (v === null || v === undefined) return NaN;
    if (v === 'inf') return Infinity;
    if (v === '-inf') return -Infinity;
    return v;
  }

  // Three significant digits, as the tables write them.
  function sig3(x) {
    if (Number.isNaN(x)) return '-';
    if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
    if (x === 0) return '0';
    const a = Math.abs(x);
    if (a < 1e-4 || a >= 1e7) return x.toExponential(2);
    let e = Math.floor(Math.log10(a));
    const scale = Math.pow(10, e - 2);
    const r = Math.round(x / scale) * scale;
    e = Math.floor(Math.log10(Math.abs(r)));
    return r.toFixed(Math.max(0, 2 - e));
  }

  const units = [['s', 1], ['ms', 1e-3], ['us', 1e-6], ['ns', 1e-9]];
  function seconds(x) {
    if (!Number.isFinite(x) || x <= 0) return sig3(x);
    for (const [name, size] of units) if (x / size >= 1) return sig3(x / size) + ' ' + name;
    return sig3(x / 1e-9) + ' ns';
  }

  function format(x, kind) {
    if (kind === 'seconds') return seconds(x);
    if (kind === 'count') return Number.isInteger(x) ? String(x) : '';
    if (kind === 'percent' || kind === 'tally') return Number.isFinite(x) ? (x * 100).toFixed(0) + '%' : sig3(x);
    if (kind === 'ratio') return sig3(x) + 'x';
    return sig3(x);
  }

  // ---- Header: title, what the folder holds, warnings.

  function header() {
    root.append(el('h1', { text: data.title }));
    for (const w of data.warnings || []) root.append(el('p', { class: 'warning' }, ['Warning: ', inline(w)]));
    for (const p of data.intro || []) root.append(el('p', {}, [inline(p)]));
  }

  // ---- Tables: every column sorts, a filter keeps the rows that hold all its words.

  const kPage = 100;

  // A column's keys to sort by: its numbers, or its text (as numbers where all of it
  // reads as numbers: max_iter, tolerance).
  function sortKeys(c) {
    if (c.x) return c.x.map(num);
    const x = c.text.map((s) => (s === '' || s === '-' ? NaN : Number(s)));
    return x.every((v, i) => !Number.isNaN(v) || c.text[i] === '' || c.text[i] === '-') ? x : c.text;
  }

  function compare(a, b) {
    const na = typeof a === 'number', nb = typeof b === 'number';
    if (na && nb) {
      if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
      if (Number.isNaN(b)) return -1;
      return a - b;
    }
    if (na !== nb) return na ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // A table's rows are made when it comes near the screen (or is sorted or filtered):
  // a page of a large experiment has hundreds of tables, and most are never looked at.
  const lazy = 'IntersectionObserver' in window ? new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      lazy.unobserve(e.target);
      e.target.wcsShow();
    }
  }, { rootMargin: '800px 0px' }) : null;

  function table(t, index) {
    const marked = new Set(t.marked || []);
    const indices = () => Array.from({ length: t.rows }, (_, i) => i);
    const state = { order: indices(), shown: null, column: -1, descending: false, limit: kPage };
    let lower = null;
    const tbody = el('tbody');
    const count = el('span', { class: 'wcs-count', text: t.rows + (t.rows === 1 ? ' row' : ' rows') });
    const more = el('button', { type: 'button', class: 'wcs-more', text: 'show all rows' });
    more.hidden = true;
    const heads = t.columns.map((c, k) =>
      el('th', { class: c.f === 'text' ? 'text' : 'number', title: 'sort' + (c.i ? ' (interval: ' + c.i + ')' : ''),
        'aria-sort': 'none', onclick: () => sortBy(k) }, [c.h]));
    const filter = el('input', { type: 'search', class: 'wcs-filter', placeholder: 'filter rows (all words)',
      'aria-label': 'filter the rows of ' + t.title });

    function draw() {
      const rows = state.shown.slice(0, state.limit).map((i) => {
        const tr = el('tr', marked.has(i) ? { class: 'marked' } : {});
        for (const c of t.columns) tr.append(el('td', { class: c.f === 'text' ? 'text' : 'number', text: c.text[i] }));
        return tr;
      });
      tbody.replaceChildren(...rows);
      const n = state.shown.length;
      count.textContent = (n > state.limit ? 'showing ' + state.limit + ' of ' : '') + n + ' row' + (n === 1 ? '' : 's') +
        (n !== t.rows ? ' (of ' + t.rows + ')' : '');
      more.hidden = n <= state.limit;
    }
    function apply() {
      const words = filter.value.toLowerCase().split(/\s+/).filter((w) => w);
      if (words.length && !lower) lower = indices().map((i) => t.columns.map((c) => c.text[i]).join(' ').toLowerCase());
      state.shown = words.length ? state.order.filter((i) => words.every((w) => lower[i].includes(w))) : state.order;
      draw();
    }
    function sortBy(k) {
      state.descending = state.column === k ? !state.descending : false;
      state.column = k;
      const keys = sortKeys(t.columns[k]);
      state.order = indices().sort((a, b) => {
        const c = compare(keys[a], keys[b]);
        return (state.descending ? -c : c) || a - b;
      });
      heads.forEach((h, j) => h.setAttribute('aria-sort', j !== k ? 'none' : state.descending ? 'descending' : 'ascending'));
      apply();
    }
    filter.addEventListener('input', apply);
    more.addEventListener('click', () => { state.limit = Infinity; draw(); });
    const note = el('p', { class: 'note' }, [inline(t.note || '')]);
    const link = t.link || (t.name ? t.name + '.csv' : '');
    if (link) note.append(' (', el('a', { href: link, text: 'CSV' }), ')');
    const section = el('section', { class: 'wcs-table-section', 'data-index': String(index) }, [
      el('h3', { text: t.title }), note, el('div', { class: 'controls' }, [filter, count]),
      el('div', { class: 'scroll' }, [el('table', { class: 'wcs-table' }, [el('thead', {}, [el('tr', {}, heads)]), tbody])]),
      more]);
    section.wcsShow = () => { if (!state.shown) apply(); };
    if (lazy) lazy.observe(section);
    else apply();
    api.tables.push({ title: t.title, section: section, sortBy: sortBy, state: state, show: section.wcsShow });
    return section;
  }

  function tables() {
    let section = null;
    const nav = el('ul', { class: 'toc' });
    const body = el('div');
    data.tables.forEach((t, i) => {
      if ((t.section || '') !== section) {
        section = t.section || '';
        if (section) {
          const id = 'section-' + i;
          body.append(el('h2', { id: id, text: section }));
          nav.append(el('li', {}, [el('a', { href: '#' + id, text: section })]));
        }
      }
      const s = table(t, i);
      if (!section) {
        s.id = 'table-' + i;
        nav.append(el('li', {}, [el('a', { href: '#table-' + i, text: t.title })]));
      }
      body.append(s);
    });
    root.append(el('h2', { text: 'Tables' }), nav, body);
  }

  // ---- Plots.

  // Okabe-Ito, colour-blind safe; past eight series the dash pattern tells them apart.
  const palette = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];
  const dashes = [[], [6, 3], [2, 2], [8, 3, 2, 3]];
  function style(s) {
    return { color: palette[s % palette.length], dash: dashes[Math.floor(s / palette.length) % dashes.length] };
  }
  function alpha(hex, a) {
    const v = parseInt(hex.slice(1), 16);
    return 'rgba(' + (v >> 16) + ',' + ((v >> 8) & 255) + ',' + (v & 255) + ',' + a + ')';
  }

  // A log axis where the values span two decades or more.
  function axisType(values) {
    const v = values.filter((x) => Number.isFinite(x) && x > 0);
    if (v.length < 2) return 'linear';
    return Math.max(...v) / Math.min(...v) >= 100 ? 'logarithmic' : 'linear';
  }

  function selection(p) {
    return {
      panel: Number(controls.panel.value),
      from: Number(controls.from.value),
      to: Number(controls.to.value),
      n: controls.n.value === 'all' ? null : Number(controls.n.value),
      series: new Set(controls.series.filter((c) => c.checked).map((c) => Number(c.value))),
      measure: controls.measure.value,
      plots: p,
    };
  }

  // Per series: points (x = N) of a measure of the cells of the chosen family.
  function cellSeries(p, chart, sel) {
    const c = p.cells;
    const y = c[chart.y], lo = c[chart.y + '_lo'], hi = c[chart.y + '_hi'];
    const out = new Map();
    for (let i = 0; i < c.n.length; ++i) {
      if (c.panel[i] !== sel.panel || !sel.series.has(c.series[i]) || c.n[i] < sel.from || c.n[i] > sel.to) continue;
      const v = num(y[i]);
      if (Number.isNaN(v)) continue;
      if (!out.has(c.series[i])) out.set(c.series[i], []);
      out.get(c.series[i]).push({ x: c.n[i], y: v, lo: lo ? num(lo[i]) : NaN, hi: hi ? num(hi[i]) : NaN });
    }
    for (const pts of out.values()) pts.sort((a, b) => a.x - b.x);
    return out;
  }

  // The runs of the chosen family and N (or every family, when "all families").
  function chosenRuns(p, sel) {
    const r = p.runs;
    const idx = [];
    for (let i = 0; i < r.n.length; ++i)
      if ((sel.panel < 0 || r.panel[i] === sel.panel) && (sel.n === null || r.n[i] === sel.n)) idx.push(i);
    return idx;
  }

  // ECDF of the runtime to the target (COCO): per series, the fraction of its runs that
  // reached the tolerance within each budget.
  function ecdfSeries(p, sel) {
    const r = p.runs;
    const v = r[sel.measure];
    const by = new Map();
    for (const i of chosenRuns(p, sel)) {
      if (!sel.series.has(r.series[i])) continue;
      if (!by.has(r.series[i])) by.set(r.series[i], []);
      by.get(r.series[i]).push(num(v[i]));
    }
    return stepSeries(by);
  }

  function stepSeries(by) {
    const out = new Map();
    let right = 0;
    for (const [s, values] of by) {
      const total = values.length;
      const ok = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
      const pts = [];
      ok.forEach((x, k) => {
        if (k + 1 < ok.length && ok[k + 1] === x) return;
        pts.push({ x: x, y: (k + 1) / total, n: total });
      });
      if (ok.length) right = Math.max(right, ok[ok.length - 1]);
      out.set(s, pts);
    }
    // Each line runs on to the right edge at its last fraction.
    for (const pts of out.values()) if (pts.length && right > pts[pts.length - 1].x) pts.push(Object.assign({}, pts[pts.length - 1], { x: right }));
    return out;
  }

  // Dolan-More performance profile on the time to the target over the chosen instances:
  // rho(tau) = fraction of instances a series solved within tau times the fastest
  // chosen series's time (an instance it did not run on or did not solve counts against it).
  function profileSeries(p, sel) {
    const r = p.runs;
    const best = new Map(), cost = new Map();
    for (const i of chosenRuns(p, sel)) {
      if (!sel.series.has(r.series[i])) continue;
      const t = num(r.seconds[i]);
      const inst = r.instance[i];
      if (!best.has(inst)) best.set(inst, Infinity);
      if (Number.isFinite(t)) best.set(inst, Math.min(best.get(inst), t));
      if (!cost.has(r.series[i])) cost.set(r.series[i], new Map());
      cost.get(r.series[i]).set(inst, t);
    }
    const by = new Map();
    for (const [s, mine] of cost) {
      const ratios = [];
      for (const [inst, b] of best) {
        const t = mine.has(inst) ? mine.get(inst) : Infinity;
        ratios.push(Number.isFinite(t) && Number.isFinite(b) ? t / b : Infinity);
      }
      by.set(s, ratios);
    }
    return stepSeries(by);
  }

  function datasets(p, chart, series) {
    const out = [];
    // Many overlapping bands hide each other: the more series, the fainter each.
    const shade = series.size <= 4 ? 0.15 : 0.06;
    for (const [s, pts] of [...series.entries()].sort((a, b) => a[0] - b[0])) {
      const st = style(s);
      const name = p.series[s];
      if (chart.interval && controls.bands.checked && pts.some((q) => !Number.isNaN(q.lo))) {
        const band = { borderWidth: 0, pointRadius: 0, pointHitRadius: 0, wcsBand: true, spanGaps: true };
        out.push(Object.assign({ label: name + ' low', data: pts.map((q) => ({ x: q.x, y: q.lo })), fill: false }, band));
        out.push(Object.assign({ label: name + ' high', data: pts.map((q) => ({ x: q.x, y: q.hi })), fill: '-1',
          backgroundColor: alpha(st.color, shade) }, band));
      }
      out.push({ label: name, data: pts, borderColor: st.color, backgroundColor: st.color, borderDash: st.dash,
        pointRadius: chart.kind === 'vsn' ? 3 : 0, borderWidth: 2, fill: false, wcsSeries: s,
        stepped: chart.kind === 'vsn' ? false : 'after' });
    }
    return out;
  }

  // Tick labels in the plot's own number format; a log axis labels 1, 2 and 5 of each
  // decade only, so that the labels do not run into each other.
  function tickFormat(kind) {
    return function (value) {
      const x = Number(value);
      if (this.type === 'logarithmic') {
        const lead = Math.round(x / Math.pow(10, Math.floor(Math.log10(x))));
        if (lead !== 1 && lead !== 2 && lead !== 5) return '';
      }
      return kind === 'real' ? sig3(x) : format(x, kind);
    };
  }

  function options(chart, sets, sel) {
    const xs = [], ys = [];
    for (const d of sets) for (const q of d.data) { xs.push(q.x); ys.push(q.y); }
    const xKind = chart.kind === 'vsn' ? 'count' : chart.kind === 'ecdf' && sel.measure === 'seconds' ? 'seconds' : 'real';
    const yKind = chart.kind === 'vsn' ? chart.format : 'percent';
    const yScale = { type: chart.kind === 'vsn' && chart.format !== 'tally' ? axisType(ys) : 'linear',
      title: { display: true, text: chart.label }, ticks: { callback: tickFormat(yKind === 'tally' ? 'percent' : yKind) } };
    if (chart.kind !== 'vsn' || chart.format === 'tally') { yScale.min = 0; yScale.max = 1; }
    return {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: axisType(xs), title: { display: true, text: chart.kind === 'vsn' ? 'N' : chart.kind === 'profile' ? 'tau (times the fastest time)' : sel.measure === 'seconds' ? 'time to the target' : 'evaluations to the target' },
          ticks: { callback: tickFormat(xKind) } },
        y: yScale,
      },
      plugins: {
        // The strategy boxes above the plots are the legend.
        legend: { display: false },
        tooltip: {
          filter: (item) => !item.dataset.wcsBand,
          callbacks: {
            title: (items) => items.length ? (chart.kind === 'vsn' ? 'N = ' + items[0].raw.x : (chart.kind === 'profile' ? 'tau = ' : 'budget ') + format(items[0].raw.x, xKind)) : '',
            label: (item) => {
              const q = item.raw;
              let s = item.dataset.label + ': ' + format(q.y, yKind);
              if (chart.interval && Number.isFinite(q.lo)) s += ' [' + format(q.lo, yKind) + ', ' + format(q.hi, yKind) + '] (' + chart.interval + ')';
              if (q.n) s += ' of ' + q.n;
              return s;
            },
          },
        },
      },
    };
  }

  function drawChart(p, chart, sel) {
    const series = chart.kind === 'vsn' ? cellSeries(p, chart, sel) : chart.kind === 'ecdf' ? ecdfSeries(p, sel) : profileSeries(p, sel);
    const sets = datasets(p, chart, series);
    const canvas = document.getElementById('chart-' + chart.id);
    const old = api.charts[chart.id];
    if (old) old.destroy();
    api.charts[chart.id] = new Chart(canvas, { type: 'line', data: { datasets: sets }, options: options(chart, sets, sel) });
    canvas.dataset.series = String(series.size);
  }

  const controls = {};

  function drawAll() {
    const p = data.plots;
    const sel = selection(p);
    for (const chart of p.charts) {
      if (chart.kind !== 'vsn' && !p.runs) continue;
      const s = Object.assign({}, sel);
      if (chart.kind !== 'vsn' && controls.pooled.checked) s.panel = -1;
      const start = performance.now();
      drawChart(p, chart, s);
      api.timing['chart ' + chart.id] = performance.now() - start;
    }
  }
  api.redraw = () => drawAll();

  function select(label, cls, choices, value) {
    const s = el('select', { class: cls, 'aria-label': label });
    for (const [v, text] of choices) s.append(el('option', { value: String(v), text: text }));
    s.value = String(value);
    s.addEventListener('change', onChange);
    return el('label', {}, [label + ' ', s]);
  }

  function onChange() {
    // The N of the ECDF and profile are those the family has.
    fillN();
    drawAll();
  }

  function familyNs() {
    const p = data.plots;
    const panel = Number(controls.panel.value);
    const ns = new Set();
    p.cells.n.forEach((n, i) => { if (p.cells.panel[i] === panel) ns.add(n); });
    return [...ns].sort((a, b) => a - b);
  }

  function fillN() {
    const ns = familyNs();
    for (const key of ['from', 'to', 'n']) {
      const s = controls[key];
      const keep = s.value;
      s.replaceChildren(...(key === 'n' ? [el('option', { value: 'all', text: 'all' })] : []),
        ...ns.map((n) => el('option', { value: String(n), text: String(n) })));
      const has = [...s.options].some((o) => o.value === keep);
      s.value = has ? keep : key === 'to' ? String(ns[ns.length - 1]) : key === 'n' ? 'all' : String(ns[0]);
    }
  }

  function plots() {
    const p = data.plots;
    if (!p || !p.charts.length) return;
    // The family with the most sizes is shown first.
    const sizes = p.panels.map(() => new Set());
    p.cells.n.forEach((n, i) => sizes[p.cells.panel[i]].add(n));
    let first = 0;
    sizes.forEach((s, i) => { if (s.size > sizes[first].size) first = i; });
    const bar = el('div', { class: 'plot-controls' });
    const family = select('problem family', 'wcs-panel', p.panels.map((t, i) => [i, t]), first);
    controls.panel = family.querySelector('select');
    const from = select('N from', 'wcs-from', [], '');
    const to = select('to', 'wcs-to', [], '');
    const one = select('N of the ECDF and profile', 'wcs-n', [], 'all');
    controls.from = from.querySelector('select');
    controls.to = to.querySelector('select');
    controls.n = one.querySelector('select');
    const pooled = el('input', { type: 'checkbox', class: 'wcs-pooled' });
    pooled.addEventListener('change', drawAll);
    controls.pooled = pooled;
    const measure = select('ECDF of', 'wcs-measure', [['evaluations', 'evaluations'], ['seconds', 'time']], 'evaluations');
    controls.measure = measure.querySelector('select');
    const bands = el('input', { type: 'checkbox', class: 'wcs-bands' });
    bands.checked = true;
    bands.addEventListener('change', drawAll);
    controls.bands = bands;
    bar.append(family, from, to, el('label', {}, [bands, ' intervals']));
    if (p.runs) bar.append(one, el('label', {}, [pooled, ' ECDF and profile over every family']), measure);
    const boxes = el('div', { class: 'series' });
    controls.series = p.series.map((name, s) => {
      const box = el('input', { type: 'checkbox', value: String(s), class: 'wcs-series' });
      box.checked = true;
      box.addEventListener('change', drawAll);
      const st = style(s);
      boxes.append(el('label', { style: 'border-bottom: 3px ' + (st.dash.length ? 'dashed ' : 'solid ') + st.color }, [box, ' ' + name]));
      return box;
    });
    fillN();
    const grid = el('div', { class: 'plots' });
    // A measure the experiment has nowhere (no baseline: no speed-up) has no plot.
    p.charts = p.charts.filter((chart) => chart.kind === 'vsn' ? p.cells[chart.y].some((v) => v !== null) : !!p.runs);
    for (const chart of p.charts) {
      grid.append(el('figure', { class: 'plot' }, [
        el('figcaption', {}, [el('strong', { text: chart.title }), ' ', inline(chart.note || '')]),
        el('div', { class: 'canvas' }, [el('canvas', { id: 'chart-' + chart.id, role: 'img', 'aria-label': chart.title })])]));
    }
    root.append(el('h2', { text: 'Plots' }), bar, boxes, grid);
    drawAll();
  }

  // How long each part took (ms since the navigation started), for the open-time figure.
  api.timing = { parsed: performance.now() };
  header();
  plots();
  api.timing.plots = performance.now();
  tables();
  api.timing.tables = performance.now();
  api.ready = true;
  document.body.dataset.ready = 'true';
})();
