// Open SVG files in one headless Chromium (Debian's, through playwright-core), each in a page of its
// own at a given size, and print one JSON document of what each shows:
//
//   node tests/js/svgs.mjs JOBS.json  ->  [{"file": "...", "screenshot": "/tmp/a.png",
//     "console": [...], "pageErrors": [...],
//     "steps": {"step-a": {"w": 120, "h": 60, "text": "Key order 6 min"}, ...}}]
//
// JOBS.json lists {"file", "screenshot", "width", "height"}. "steps": for every group whose id
// starts with step-, before-step- or after-step-, its getBBox() size and the text of its <text>
// elements joined by spaces (what tests/test_render_external.py checks of every example SVG).
import { readFileSync } from "node:fs";
import { launch } from "./browser.mjs";

const jobs = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const browser = await launch();
const results = [];
try {
  for (const job of jobs) {
    const page = await browser.newPage({ viewport: { width: job.width, height: job.height } });
    const seen = { file: job.file, console: [], pageErrors: [] };
    page.on("console", (message) => seen.console.push({ type: message.type(), text: message.text() }));
    page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
    await page.goto(new URL(`file://${job.file}`).href, { waitUntil: "load" });
    await page.screenshot({ path: job.screenshot });
    seen.screenshot = job.screenshot;
    seen.steps = await page.evaluate(() => {
      const found = {};
      const wanted = "g[id^='step-'], g[id^='after-step-'], g[id^='before-step-']";
      for (const g of document.querySelectorAll(wanted)) {
        const box = g.getBBox();
        const text = [...g.querySelectorAll("text")].map((t) => t.textContent).join(" ");
        found[g.id] = { w: box.width, h: box.height, text };
      }
      return found;
    });
    await page.close();
    results.push(seen);
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
