// Live metric charts with uPlot: one chart per metric, grouped by the metric's prefix
// (rollout/, train/, env/, reward/, ...), one series per run. Smoothing (exponential moving
// average), log scale and the x axis (env steps or wall time) apply to every chart.
import uPlot from "uplot";

export const palette = ["#2f6fdf", "#e0533d", "#2a9d5c", "#9b59b6", "#e6a100", "#17a2b8",
                        "#6c757d", "#d63384"];

export class MetricStore {
  constructor() { this.runs = new Map(); }  // run id -> Map(name -> {step, time, value})
  add(run, rows) {
    if (!this.runs.has(run)) this.runs.set(run, new Map());
    const metrics = this.runs.get(run);
    let last = -1;
    for (const r of rows) {
      let m = metrics.get(r.name);
      if (!m) metrics.set(r.name, (m = { step: [], time: [], value: [] }));
      m.step.push(r.step);
      m.time.push(r.wall_time_s);
      m.value.push(r.value);
      last = Math.max(last, r.step);
    }
    return last;
  }
  names() {
    const all = new Set();
    for (const metrics of this.runs.values()) for (const n of metrics.keys()) all.add(n);
    return [...all].sort();
  }
}

// Keeps a uPlot as wide as its container.
export function fitWidth(plot, el) {
  const resize = () => {
    const width = Math.max(200, el.clientWidth - 10);
    if (Math.abs(width - plot.width) > 2) plot.setSize({ width, height: plot.height });
  };
  new ResizeObserver(resize).observe(el);
  resize();
}

// Short axis labels: 1.5M, 250k, 12.5.
export function compact(v) {
  if (v == null || !Number.isFinite(v)) return "";
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(3)}`;
}

function smooth(values, alpha) {
  if (alpha <= 0) return values;
  const out = new Array(values.length);
  let s = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !Number.isFinite(v)) { out[i] = null; continue; }
    s = s == null ? v : alpha * s + (1 - alpha) * v;
    out[i] = s;
  }
  return out;
}

export class ChartBoard {
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.charts = new Map();  // name -> {plot, el, runs}
    this.groups = new Map();
    this.options = { x: "step", smoothing: 0.6, log: false, filter: "" };
    this.visibleRuns = null;  // null: all
  }

  setOption(key, value) {
    this.options[key] = value;
    if (key === "log" || key === "x") this.rebuild(); else this.update();
  }

  rebuild() {
    for (const c of this.charts.values()) c.plot.destroy();
    this.charts.clear();
    this.groups.clear();
    this.root.innerHTML = "";
    this.update();
  }

  group(name) {
    const prefix = name.includes("/") ? name.slice(0, name.indexOf("/")) : "other";
    let g = this.groups.get(prefix);
    if (!g) {
      const details = document.createElement("details");
      details.className = "group";
      details.open = prefix !== "checkpoint";
      details.innerHTML = `<summary>${prefix}</summary><div class="grid"></div>`;
      const order = [...this.groups.keys(), prefix].sort();
      const next = order[order.indexOf(prefix) + 1];
      this.root.insertBefore(details, next ? this.groups.get(next).details : null);
      g = { details, grid: details.querySelector(".grid") };
      this.groups.set(prefix, g);
    }
    return g;
  }

  // visible runs in a stable order (by id), which also fixes their colours
  runIds() {
    const ids = [...this.store.runs.keys()].sort();
    return this.visibleRuns ? ids.filter((id) => this.visibleRuns.has(id)) : ids;
  }

  data(name, runs) {
    const tables = runs.map((run) => {
      const m = this.store.runs.get(run)?.get(name);
      if (!m) return [[], []];
      const x = this.options.x === "time" ? m.time : m.step;
      return [x, smooth(m.value, this.options.smoothing)];
    });
    if (tables.length === 1) return tables[0];
    return uPlot.join(tables.map((t) => (t[0].length ? t : [[0], [null]])));
  }

  update() {
    const runs = this.runIds();
    const filter = this.options.filter.toLowerCase();
    for (const name of this.store.names()) {
      const shown = !filter || name.toLowerCase().includes(filter);
      let chart = this.charts.get(name);
      const key = runs.join("|");
      if (chart && chart.runs !== key) {
        chart.plot.destroy();
        chart.el.remove();
        this.charts.delete(name);
        chart = null;
      }
      if (!chart) chart = this.create(name, runs);
      chart.el.hidden = !shown;
      if (shown) chart.plot.setData(this.data(name, runs));
    }
  }

  create(name, runs) {
    const el = document.createElement("div");
    el.className = "chart";
    el.dataset.metric = name;
    this.group(name).grid.appendChild(el);
    const m0 = runs.map((r) => this.store.runs.get(r)?.get(name)).find(Boolean);
    const positive = m0 && m0.value.every((v) => v > 0);
    const log = this.options.log && positive;
    const series = [{ label: this.options.x === "time" ? "wall time (s)" : "env steps" }];
    runs.forEach((run, i) => series.push({
      label: runs.length > 1 ? run : name,
      stroke: palette[i % palette.length],
      width: 1.5,
      spanGaps: true,
      points: { show: false },
    }));
    const plot = new uPlot({
      title: name,
      width: 380,
      height: 200,
      series,
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [{ size: 30, values: (u, splits) => splits.map(compact) },
             { size: 56, values: (u, splits) => splits.map(compact) }],
      legend: { show: runs.length > 1, live: false },
      cursor: { drag: { x: true, y: false } },
    }, this.data(name, runs), el);
    fitWidth(plot, el);
    const chart = { plot, el, runs: runs.join("|") };
    this.charts.set(name, chart);
    return chart;
  }

  // points drawn in the chart of `name` (for tests and the page's own status)
  points(name) {
    const chart = this.charts.get(name);
    return chart ? chart.plot.data[0].length : 0;
  }
}
