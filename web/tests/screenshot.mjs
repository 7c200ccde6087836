// Takes a screenshot of a sinew page (a dashboard URL or a walk.html file) in headless Chromium,
// for the docs: node web/tests/screenshot.mjs <url-or-file> <out.png> [wait seconds] [--full]
import { chromium } from "playwright-core";
import { resolve } from "node:path";

const [target, out, wait = "3"] = process.argv.slice(2);
if (!target || !out) {
  console.error("usage: node screenshot.mjs <url-or-file> <out.png> [wait seconds]");
  process.exit(2);
}
const url = /^https?:/.test(target) ? target : "file://" + resolve(target);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
                                        args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1050 } });
await page.goto(url);
await page.waitForTimeout(Number(wait) * 1000);
await page.screenshot({ path: out, fullPage: process.argv.includes("--full") });
await browser.close();
console.log(`wrote ${out}`);
