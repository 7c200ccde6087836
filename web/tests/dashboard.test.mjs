// Browser test of sinew's web page in headless Chromium (Debian's chromium, driven by
// playwright-core): the live dashboard of a real `sinew train`, the gait viewer of
// `sinew play --out walk.html`, and `sinew dashboard` over the finished run.
// Usage: node web/tests/dashboard.test.mjs <sinew binary> <scratch dir> [screenshot dir]
// Exits 0 when every check passes; prints each check.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const [sinew, scratchArg, shotsArg] = process.argv.slice(2);
if (!sinew || !scratchArg) {
  console.error("usage: node dashboard.test.mjs <sinew binary> <scratch dir> [screenshot dir]");
  process.exit(2);
}
const scratch = resolve(scratchArg);
const shots = shotsArg ? resolve(shotsArg) : null;
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, predicate, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (e) { /* not yet */ }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function watchConsole(page, label, errors) {
  page.on("console", (m) => { if (m.type() === "error") errors.push(`${label}: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`${label}: ${e.message}`));
}

const children = [];
function start(args) {
  const child = spawn(sinew, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stderrText = "";
  child.stderr.on("data", (d) => { child.stderrText += d.toString(); });
  children.push(child);
  return child;
}

let browser;
try {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} missing (apt-get install chromium)`);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
                                    args: ["--no-sandbox", "--disable-gpu"] });
  const errors = [];

  // --- live dashboard of a training run ---
  const runs = join(scratch, "runs");
  const train = start(["train", "experiment=pendulum_ppo", "trainer.total_steps=1e9",
                       "logging.every_seconds=0.3", "logging.episode_every_minutes=0.05",
                       "checkpoint.every_steps=50000", "run.dir=" + runs]);
  const controlFile = await until("control.json", () => {
    const exp = join(runs, "pendulum_ppo");
    if (!existsSync(exp)) return null;
    const run = readdirSync(exp)[0];
    const f = run && join(exp, run, "control.json");
    return f && existsSync(f) ? f : null;
  });
  const url = JSON.parse(readFileSync(controlFile, "utf8")).url;
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  watchConsole(page, "live", errors);
  const response = await page.goto(url + "/");
  check(response.ok(), `GET / serves the dashboard (${response.status()})`);
  const points = () => page.evaluate(() => window.sinew.board.points("rollout/return"));
  const first = await until("rollout/return points", async () => (await points()) >= 2 && points());
  await sleep(2500);
  const later = await points();
  check(later > first, `the rollout/return chart grows while training runs (${first} -> ${later})`);
  const charts = await page.locator(".chart[data-metric]").count();
  check(charts >= 5, `a chart per metric (${charts})`);

  await page.click("#btn-pause");
  const status = async () => (await (await fetch(url + "/api/status")).json()).state;
  await until("paused state", async () => (await status()) === "paused", 20000);
  check((await status()) === "paused", "the pause button pauses the run (GET /api/status: paused)");
  await until("state badge", async () => (await page.textContent("#state")) === "paused", 5000);
  check(await page.isVisible("#btn-resume"), "the resume button shows while paused");
  await page.click("#btn-resume");
  await until("running state", async () => (await status()) === "running", 20000);
  check((await status()) === "running", "the resume button resumes it");

  await until("episode in the viewer", () =>
    page.evaluate(() => Number(document.querySelector("#skeleton")?.dataset.segments || 0) > 0), 30000);
  check(true, "the live page draws the latest evaluation episode");
  const trainersText = await page.textContent("#trainers");
  check(trainersText.includes("policy") && trainersText.includes("ppo"),
        `the trainers table lists the run's policy and its trainer (${trainersText})`);
  const configText = await page.textContent("#config");
  check(configText.includes("pendulum_ppo"), "the resolved config is shown");
  await until("a checkpoint row", async () => (await page.locator("#checkpoints tr").count()) >= 2, 30000);
  check(true, "the checkpoints table lists the run's checkpoints");
  await page.fill("#filter", "rollout");
  await page.check("#log-scale");
  await page.selectOption("#x-axis", "time");
  await sleep(1500);
  check((await page.locator(".chart[data-metric]:visible").count()) >= 1,
        "filter, log scale and the time axis keep charts drawn");
  await page.fill("#filter", "");
  await page.uncheck("#log-scale");
  await page.selectOption("#x-axis", "step");
  await sleep(1200);
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "dashboard.png"), fullPage: false });
  }
  for (const path of ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/web/src/main.js",
                      "/CMakeLists.txt"]) {
    const r = await fetch(url + path);
    check(r.status === 404, `${path} is not served (${r.status})`);
  }
  await page.close();  // before the run ends: a live page polls until then
  await fetch(url + "/api/stop", { method: "POST" });
  await until("the run to exit", () => train.exitCode !== null, 60000);
  check(train.exitCode === 0, `the run stops cleanly (exit ${train.exitCode})`);


  // --- the self-contained gait viewer ---
  const walk = join(scratch, "walk.html");
  execFileSync(sinew, ["play", "none", "env=gait", "--out", walk], { stdio: "inherit" });
  const viewer = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  watchConsole(viewer, "walk.html", errors);
  const external = [];
  viewer.on("request", (r) => { if (!r.url().startsWith("file:")) external.push(r.url()); });
  await viewer.goto("file://" + walk);
  await until("skeleton frames", () =>
    viewer.evaluate(() => Number(document.querySelector("#skeleton")?.dataset.drawnFrame || 0) > 3), 15000);
  const drawn = await viewer.evaluate(() => {
    const c = document.querySelector("#skeleton");
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
    return { segments: Number(c.dataset.segments), inked,
             muscles: Number(document.querySelector("#heatmap")?.dataset.muscles || 0),
             joints: document.querySelectorAll(".chart.joint").length };
  });
  check(drawn.segments >= 8 && drawn.inked > 2000,
        `the gait viewer draws the skeleton (${drawn.segments} segments, ${drawn.inked} pixels)`);
  check(drawn.joints === 3, `hip, knee and ankle curves over the normative bands (${drawn.joints})`);
  check(drawn.muscles === 18, `the activation heat map has 18 muscles (${drawn.muscles})`);
  check(external.length === 0, `walk.html loads nothing from the network (${external.join(", ")})`);
  if (shots) await viewer.screenshot({ path: join(shots, "gait_viewer_passive.png") });
  await viewer.close();

  // --- sinew dashboard over the finished run ---
  const dash = start(["dashboard", runs, "--port", "0"]);
  const dashUrl = await until("dashboard URL", () => {
    const m = dash.stderrText.match(/at (http:\/\/[0-9.:]+)/);
    return m && m[1];
  });
  const board = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  watchConsole(board, "dashboard", errors);
  await board.goto(dashUrl + "/");
  await until("runs listed", async () => (await board.locator("#runs label").count()) >= 1, 15000);
  await until("dashboard charts", () => board.evaluate(() => window.sinew.board.points("rollout/return") > 0), 15000);
  check(true, "sinew dashboard lists the run and draws its metrics from files");
  await until("model store panel and run details", () => board.evaluate(() =>
    !document.querySelector("#models-panel").hidden &&
    document.querySelector("#config").textContent.length > 0), 15000);
  check(true, "the dashboard shows the model store panel and the selected run's config");
  const badRun = await fetch(dashUrl + "/api/metrics?run=../../etc");
  check(badRun.status === 404, "a run id outside the folder is refused (404)");
  // the page first: a request still in flight must not meet a stopped server
  await board.close();
  dash.kill("SIGINT");

  check(errors.length === 0, `no console errors${errors.length ? ": " + errors.join(" | ") : ""}`);
} catch (e) {
  check(false, e.stack || String(e));
} finally {
  if (browser) await browser.close();
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
}
console.log(failures ? `${failures} check(s) failed` : "all browser checks passed");
process.exit(failures ? 1 : 0);
