// The gait viewer for one recorded episode (a trace from sinew): an animated 2D skeleton in
// the sagittal plane with the ground and ground-reaction-force arrows, joint angle curves per
// gait cycle over the normative min/mean/max bands (uPlot), and a muscle activation heat map.
import uPlot from "uplot";
import { fitWidth } from "./charts.js";

const FORCE_SCALE_M_PER_N = 1 / 1500;  // arrow length per newton

export function renderViewer(root, trace) {
  root.innerHTML = "";
  const wrap = document.createElement("div");
  wrap.className = "viewer";
  root.appendChild(wrap);

  const left = document.createElement("div");
  const canvas = document.createElement("canvas");
  canvas.id = "skeleton";
  canvas.width = 640;
  canvas.height = 420;
  const controls = document.createElement("div");
  controls.className = "playback";
  controls.innerHTML = `<button id="play">Pause</button>
    <input id="scrub" type="range" min="0" max="${trace.frames.length - 1}" value="0">
    <span id="clock">0.00 s</span>`;
  left.append(canvas, controls);
  wrap.appendChild(left);

  const right = document.createElement("div");
  right.className = "curves";
  wrap.appendChild(right);
  drawJointCurves(right, trace);

  if (activationLabels(trace).length) {
    const heat = document.createElement("div");
    heat.className = "heatmap-wrap";
    heat.innerHTML = "<h3>Muscle activation</h3>";
    const hc = document.createElement("canvas");
    hc.id = "heatmap";
    heat.appendChild(hc);
    wrap.appendChild(heat);
    drawHeatmap(hc, trace);
  }
  return animate(canvas, controls, trace);
}

// --- skeleton ---

function bounds(trace) {
  let minZ = 0, maxZ = 0.1, maxSpan = 0.5;
  trace.frames.forEach((f, k) => {
    const cx = trace.center[k];
    for (let i = 0; i < f.length; i += 2) {
      minZ = Math.min(minZ, f[i + 1]);
      maxZ = Math.max(maxZ, f[i + 1]);
      maxSpan = Math.max(maxSpan, Math.abs(f[i] - cx));
    }
  });
  return { minZ, maxZ, maxSpan };
}

function drawFrame(ctx, trace, index, view) {
  const { width, height } = ctx.canvas;
  const frame = trace.frames[index];
  const centerX = trace.center[index];
  const groundZ = Math.min(view.minZ, 0);
  const scale = Math.min((height - 40) / (view.maxZ - groundZ + 0.1), width / (2 * view.maxSpan + 0.6));
  const groundY = height - 20;
  const px = (x) => width / 2 + (x - centerX) * scale;
  const py = (z) => groundY - (z - groundZ) * scale;
  ctx.clearRect(0, 0, width, height);
  // ground with 0.5 m ticks that move with the body
  ctx.strokeStyle = "#8a919e";
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, py(0));
  ctx.lineTo(width, py(0));
  ctx.stroke();
  ctx.lineWidth = 1;
  const first = Math.floor((centerX - width / 2 / scale) / 0.5) * 0.5;
  for (let x = first; px(x) < width; x += 0.5) {
    ctx.beginPath();
    ctx.moveTo(px(x), py(0));
    ctx.lineTo(px(x) - 8, py(0) + 10);
    ctx.stroke();
  }
  // segments (capsules), right side drawn over the left
  const sk = trace.skeleton;
  const order = sk.segments.map((_, i) => i).sort((a, b) => Number(sk.left[b]) - Number(sk.left[a]));
  ctx.lineCap = "round";
  for (const i of order) {
    const [a, b] = sk.segments[i];
    ctx.strokeStyle = sk.left[i] ? "#a9c1ec" : "#2f6fdf";
    ctx.lineWidth = sk.left[i] ? 5 : 6;
    ctx.beginPath();
    ctx.moveTo(px(frame[2 * a]), py(frame[2 * a + 1]));
    ctx.lineTo(px(frame[2 * b]), py(frame[2 * b + 1]));
    ctx.stroke();
  }
  // spheres (feet contacts, head) and joints
  ctx.fillStyle = "#1d2433";
  for (let i = 0; i < sk.points.length; i++) {
    const r = Math.max(2.5, sk.radii[i] * scale);
    ctx.beginPath();
    ctx.arc(px(frame[2 * i]), py(frame[2 * i + 1]), r, 0, 2 * Math.PI);
    if (sk.radii[i] > 0) { ctx.globalAlpha = 0.35; ctx.fill(); ctx.globalAlpha = 1; } else ctx.fill();
  }
  // ground reaction forces: arrows at the contact points
  const contacts = trace.contacts ? trace.contacts[index] : [];
  ctx.strokeStyle = "#e0533d";
  ctx.fillStyle = "#e0533d";
  ctx.lineWidth = 2;
  for (let c = 0; c + 3 < contacts.length; c += 4) {
    const [x, z, fx, fz] = contacts.slice(c, c + 4);
    const x0 = px(x), y0 = py(z);
    const x1 = px(x + fx * FORCE_SCALE_M_PER_N), y1 = py(z + fz * FORCE_SCALE_M_PER_N);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
    const a = Math.atan2(y1 - y0, x1 - x0);
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - 8 * Math.cos(a - 0.4), y1 - 8 * Math.sin(a - 0.4));
    ctx.lineTo(x1 - 8 * Math.cos(a + 0.4), y1 - 8 * Math.sin(a + 0.4));
    ctx.fill();
  }
  ctx.fillStyle = "#6b7385";
  ctx.font = "12px system-ui";
  ctx.fillText(`t = ${(index * trace.dt_s).toFixed(2)} s   x = ${centerX.toFixed(2)} m   ` +
               `GRF arrows: 1 m = ${Math.round(1 / FORCE_SCALE_M_PER_N)} N`, 10, 18);
  ctx.canvas.dataset.drawnFrame = String(index);
  ctx.canvas.dataset.segments = String(sk.segments.length);
}

function animate(canvas, controls, trace) {
  const ctx = canvas.getContext("2d");
  const view = bounds(trace);
  const scrub = controls.querySelector("#scrub");
  const clock = controls.querySelector("#clock");
  const button = controls.querySelector("#play");
  let index = 0, playing = true, last = performance.now(), carry = 0;
  canvas.dataset.frames = String(trace.frames.length);
  const show = (i) => {
    index = i;
    drawFrame(ctx, trace, index, view);
    scrub.value = String(index);
    clock.textContent = `${(index * trace.dt_s).toFixed(2)} s`;
  };
  button.onclick = () => { playing = !playing; button.textContent = playing ? "Pause" : "Play"; };
  scrub.oninput = () => { playing = false; button.textContent = "Play"; show(Number(scrub.value)); };
  let stopped = false;
  const tick = (now) => {
    if (stopped) return;
    if (playing) {
      carry += (now - last) / 1000;
      const steps = Math.floor(carry / trace.dt_s);
      if (steps > 0) {
        carry -= steps * trace.dt_s;
        show((index + steps) % trace.frames.length);
      }
    }
    last = now;
    requestAnimationFrame(tick);
  };
  show(0);
  requestAnimationFrame(tick);
  return () => { stopped = true; };
}

// --- joint curves ---

function channel(trace, label) {
  const i = trace.channels.labels.indexOf(label);
  return i < 0 ? null : trace.channels.values.map((row) => row[i]);
}

function resample(values, from, to, n = 101) {
  const out = new Array(n);
  for (let k = 0; k < n; k++) {
    const t = from + ((to - from) * k) / (n - 1);
    const i = Math.min(Math.floor(t), to - 1);
    const f = t - i;
    out[k] = values[i] * (1 - f) + values[i + 1] * f;
  }
  return out;
}

function drawJointCurves(root, trace) {
  const gait = trace.gait;
  if (!gait) {
    root.innerHTML = '<p class="muted">Joint curves per gait cycle are drawn for the gait env.</p>';
    return;
  }
  const strikes = gait.heel_strikes_r || [];
  const cycles = strikes.length - 1;
  const note = document.createElement("p");
  note.className = "muted";
  note.id = "cycle-note";
  note.textContent = cycles > 0
    ? `${cycles} gait cycle${cycles > 1 ? "s" : ""} of the right leg (heel strike to heel strike)`
    : "No complete gait cycle in this episode: angles over time, normative band for reference.";
  root.appendChild(note);
  const percent = Array.from({ length: 101 }, (_, k) => k);
  for (const joint of ["hip", "knee", "ankle"]) {
    const spec = gait.joints[joint];
    const raw = channel(trace, spec.label);
    if (!raw) continue;
    const angle = raw.map((v) => v * spec.sign);
    const norm = gait.normative[joint];
    const series = [{ label: "% gait cycle" },
      { label: "norm min", stroke: "#b9c3d6", width: 1 },
      { label: "norm mean", stroke: "#6b7385", width: 1, dash: [4, 4] },
      { label: "norm max", stroke: "#b9c3d6", width: 1 }];
    const data = [percent, norm.min, norm.mean, norm.max];
    if (cycles > 0) {
      for (let c = 0; c < cycles; c++) {
        series.push({ label: `cycle ${c + 1}`, stroke: "#2f6fdf", width: 1.5, points: { show: false } });
        data.push(resample(angle, strikes[c], strikes[c + 1]));
      }
    } else {
      // the whole episode squeezed onto the 0-100 axis
      series.push({ label: "episode", stroke: "#2f6fdf", width: 1.5, points: { show: false } });
      data.push(resample(angle, 0, angle.length - 1));
    }
    const el = document.createElement("div");
    el.className = "chart joint";
    el.dataset.joint = joint;
    root.appendChild(el);
    const plot = new uPlot({
      title: `${joint} ${joint === "knee" ? "flexion" : joint === "ankle" ? "dorsiflexion" : "flexion"} (deg)`,
      width: 420,
      height: 170,
      series,
      bands: [{ series: [3, 1], fill: "rgba(120,140,180,0.18)" }],
      scales: { x: { time: false } },
      legend: { show: false },
      axes: [{ size: 28 }, { size: 44 }],
    }, data, el);
    fitWidth(plot, el);
  }
}

// --- activation heat map ---

function activationLabels(trace) {
  return trace.channels.labels.filter((l) => l.endsWith(".activation"));
}

function heatColor(v) {
  // dark blue -> teal -> yellow
  const t = Math.max(0, Math.min(1, v));
  const r = Math.round(68 + t * (253 - 68));
  const g = Math.round(1 + t * (231 - 1));
  const b = Math.round(84 + (t < 0.5 ? t * 2 * (140 - 84) : (140 - (t - 0.5) * 2 * (140 - 37))));
  return [r, g, b];
}

function drawHeatmap(canvas, trace) {
  const labels = activationLabels(trace);
  const idx = labels.map((l) => trace.channels.labels.indexOf(l));
  const frames = trace.channels.values.length;
  const labelWidth = 110, rowHeight = 14;
  canvas.width = 1200;
  canvas.height = labels.length * rowHeight + 24;
  const ctx = canvas.getContext("2d");
  const plotWidth = canvas.width - labelWidth - 10;
  const image = ctx.createImageData(plotWidth, labels.length * rowHeight);
  for (let x = 0; x < plotWidth; x++) {
    const f = Math.min(frames - 1, Math.floor((x / plotWidth) * frames));
    const row = trace.channels.values[f];
    for (let m = 0; m < labels.length; m++) {
      const [r, g, b] = heatColor(row[idx[m]]);
      for (let y = m * rowHeight; y < (m + 1) * rowHeight - 1; y++) {
        const p = 4 * (y * plotWidth + x);
        image.data[p] = r; image.data[p + 1] = g; image.data[p + 2] = b; image.data[p + 3] = 255;
      }
    }
  }
  ctx.putImageData(image, labelWidth, 0);
  ctx.fillStyle = "#1d2433";
  ctx.font = "11px system-ui";
  labels.forEach((l, m) => ctx.fillText(l.replace(".activation", ""), 4, m * rowHeight + 11));
  ctx.fillStyle = "#6b7385";
  const seconds = frames * trace.dt_s;
  const tick = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10].find((t) => seconds / t <= 12) || 20;
  for (let k = 0; k * tick <= seconds; k++) {
    const s = k * tick;
    ctx.fillText(`${+s.toFixed(2)} s`, labelWidth + (s / seconds) * plotWidth - 6, canvas.height - 6);
  }
  ctx.fillText("activation 0", canvas.width - 180, canvas.height - 6);
  for (let k = 0; k < 40; k++) {
    const [r, g, b] = heatColor(k / 39);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(canvas.width - 100 + k, canvas.height - 15, 1, 10);
  }
  ctx.fillStyle = "#6b7385";
  ctx.fillText("1", canvas.width - 56, canvas.height - 6);
  canvas.dataset.muscles = String(labels.length);
}
