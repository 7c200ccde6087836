// sinew's web page. Three modes:
//   live       served by `sinew train`: one run's charts, state and controls, config,
//              checkpoints and the latest evaluation episode in the gait viewer;
//   dashboard  served by `sinew dashboard <runs-dir>`: finished runs side by side from files;
//   viewer     a self-contained file from `sinew play --out walk.html` (the episode is embedded).
import { getJson, post } from "./api.js";
import { ChartBoard, MetricStore, palette } from "./charts.js";
import { renderViewer } from "./viewer.js";

const $ = (id) => document.getElementById(id);
const store = new MetricStore();
const board = new ChartBoard($("charts"), store);
window.sinew = { store, board };  // for tests and curious users

function wireToolbar() {
  $("x-axis").onchange = (e) => board.setOption("x", e.target.value);
  $("smoothing").oninput = (e) => {
    $("smoothing-value").textContent = Number(e.target.value).toFixed(2);
    board.setOption("smoothing", Number(e.target.value));
  };
  $("log-scale").onchange = (e) => board.setOption("log", e.target.checked);
  $("filter").oninput = (e) => board.setOption("filter", e.target.value);
}

function showConfig(config) {
  $("config").textContent = config ? JSON.stringify(config, null, 2) : "";
}

function showCheckpoints(list) {
  const rows = (list || []).slice().reverse().map((c) =>
    `<tr><td>${c.step}</td><td>${c.reason || ""}</td><td>${(c.bytes / 1e6).toFixed(2)} MB</td>` +
    `<td>${c.created || ""}</td></tr>`);
  $("checkpoints").innerHTML = "<tr><th>step</th><th>reason</th><th>size</th><th>created</th></tr>" +
    rows.join("");
}

let stopViewer = null;
let shownEpisode = null;
function showEpisode(trace) {
  if (!trace) return;
  const key = `${trace.step}:${trace.seed}`;
  if (key === shownEpisode) return;
  shownEpisode = key;
  if (stopViewer) stopViewer();
  $("episode-info").textContent =
    `${trace.env}, step ${trace.step ?? "-"}, ${trace.frames.length} frames, return ${trace.return?.toFixed?.(1) ?? "-"}`;
  stopViewer = renderViewer($("viewer"), trace);
}

function formatSteps(n) {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

// --- live: one running training run ---

async function live(status) {
  $("controls").hidden = false;
  const timers = [];
  let after = -1;
  const state = $("state");
  for (const button of document.querySelectorAll("#controls button")) {
    button.onclick = async () => {
      button.disabled = true;
      try {
        await post(`/api/${button.dataset.action}`);
      } catch (e) {
        alert(e.message);
      } finally {
        button.disabled = false;
        refreshStatus();
      }
    };
  }
  async function refreshStatus() {
    try {
      const s = await getJson("/api/status");
      state.textContent = s.state;
      state.className = `badge ${s.state}`;
      $("title").textContent = `${s.experiment} — ${s.run_dir}`;
      $("progress").textContent = `${formatSteps(s.step)} / ${formatSteps(s.total_steps)} steps · ` +
        `${Math.round(s.steps_per_second)} steps/s` +
        (s.mean_return != null ? ` · return ${s.mean_return.toFixed(1)}` : "");
      showTrainers(s.trainers);
      $("btn-pause").hidden = s.state === "paused";
      $("btn-resume").hidden = s.state !== "paused";
    } catch (e) {
      // the run ended: stop polling, keep what is on the page
      state.textContent = "ended";
      state.className = "badge gone";
      timers.forEach(clearInterval);
    }
  }
  async function poll() {
    try {
      const rows = await getJson("/api/metrics", { after });
      if (rows && rows.length) {
        after = Math.max(after, store.add("run", rows));
        board.update();
      }
    } catch (e) { /* the run may have ended; status shows it */ }
  }
  async function slow() {
    try {
      showCheckpoints(await getJson("/api/checkpoints"));
      showEpisode(await getJson("/api/episode"));
    } catch (e) { /* keep the last view */ }
  }
  showConfig(await getJson("/api/config"));
  await Promise.all([refreshStatus(), poll(), slow()]);
  timers.push(setInterval(refreshStatus, 1000), setInterval(poll, 1000), setInterval(slow, 5000));
}

// The agent's models (GET /api/status "trainers"): name, trainer, what it reads and writes, and
// for a policy the version the actors act with.
function showTrainers(trainers) {
  if (!trainers) return;
  $("trainers-box").hidden = false;
  const rows = trainers.map((t) =>
    `<tr><td>${t.model}</td><td>${t.trainer}</td><td>${t.obs_dim} obs</td>` +
    `<td>${t.acts ? t.action_dim + " actions" : "beside the policies"}</td>` +
    `<td>${t.version != null ? "v" + t.version : ""}</td></tr>`);
  $("trainers").innerHTML = "<tr><th>model</th><th>trainer</th><th>reads</th><th>writes</th>" +
    "<th>version</th></tr>" + rows.join("");
}

// --- dashboard: finished runs from a folder ---

async function dashboard(status) {
  $("runs-panel").hidden = false;
  $("state").textContent = "runs";
  $("title").textContent = status.runs_dir;
  const runs = (await getJson("/api/runs")) || [];
  board.visibleRuns = new Set(runs.slice(-3).map((r) => r.id));
  const list = $("runs");
  let selected = runs.length ? runs[runs.length - 1].id : null;
  const draw = () => {
    list.innerHTML = "";
    runs.forEach((r, i) => {
      const label = document.createElement("label");
      const on = board.visibleRuns.has(r.id);
      const color = palette[board.runIds().indexOf(r.id) % palette.length];
      label.innerHTML = `<input type="checkbox" ${on ? "checked" : ""}> ` +
        `<span class="swatch" style="background:${on ? color : "transparent"}"></span>` +
        `<a href="#" data-run="${r.id}">${r.id}</a> <span class="muted">${formatSteps(r.steps)} steps` +
        `${r.has_episode ? ", episode" : ""}</span>`;
      label.querySelector("input").onchange = (e) => {
        if (e.target.checked) board.visibleRuns.add(r.id); else board.visibleRuns.delete(r.id);
        draw();
        board.update();
      };
      label.querySelector("a").onclick = (e) => { e.preventDefault(); select(r.id); };
      list.appendChild(label);
    });
  };
  async function select(id) {
    selected = id;
    showConfig(await getJson("/api/config", { run: id }));
    showCheckpoints(await getJson("/api/checkpoints", { run: id }));
    shownEpisode = null;
    const trace = await getJson("/api/episode", { run: id });
    if (trace) showEpisode(trace); else $("viewer").innerHTML = '<p class="muted">No episode recorded for this run.</p>';
  }
  draw();
  showModels(await getJson("/api/models"));
  // charts appear as each run's metrics arrive
  await Promise.all(runs.map(async (r) => {
    store.add(r.id, (await getJson("/api/metrics", { run: r.id })) || []);
    board.update();
  }));
  draw();
  if (selected) await select(selected);
}

// The model store's versions (sinew models push): name:version, tags, what, source step.
function showModels(view) {
  if (!view) return;
  $("models-panel").hidden = false;
  $("models-location").textContent = view.location + (view.error ? ` (${view.error})` : "");
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const rows = view.versions.map((v) => {
    const ret = v.metrics && v.metrics["rollout/return"] !== undefined ? v.metrics["rollout/return"].toFixed(2) : "";
    return `<tr><td>${esc(v.ref)}</td><td>${esc(v.tags.join(", "))}</td><td>${esc(v.kind)}</td>` +
      `<td>${esc(v.env)} ${esc(v.algorithm)}</td><td>${formatSteps(v.step)}</td><td>${ret}</td>` +
      `<td>${esc(v.created)}</td><td>${v.problem ? "damaged: " + esc(v.problem) : ""}</td></tr>`;
  });
  $("models").innerHTML = "<tr><th>version</th><th>tags</th><th>kind</th><th>env, algorithm</th>" +
    "<th>step</th><th>return</th><th>created</th><th></th></tr>" +
    (rows.length ? rows.join("") : '<tr><td colspan="8" class="muted">no models pushed yet</td></tr>');
}

// --- viewer: one embedded episode ---

function viewerOnly(trace) {
  for (const id of ["chart-panel", "info-panel"]) $(id).hidden = true;
  $("state").textContent = "episode";
  $("title").textContent = trace.source || "";
  showEpisode(trace);
}

async function main() {
  wireToolbar();
  const embedded = document.getElementById("sinew-trace");
  if (embedded) return viewerOnly(JSON.parse(embedded.textContent));
  const status = await getJson("/api/status");
  if (status && status.mode === "dashboard") return dashboard(status);
  return live(status);
}

main().catch((e) => {
  $("state").textContent = "error";
  $("state").className = "badge gone";
  console.error(e);
});
