// Open HTML pages in one headless Chromium (Debian's, through playwright-core), each in a page of
// its own, wait until the page's <pre id="result"> holds JSON with "done": true, and print a JSON
// list with, for each page, that JSON text (or "timeout": true if it never came):
//
//   node tests/js/results.mjs TIMEOUT_MS PAGE.html...  ->  [{"page": "...", "result": "{...}"}]
//
// The pages of tests/test_bpmn_clients.py write what bpmn-js saw there. A page that hangs (bpmn-js
// loops on some broken geometry) is reported as a timeout, and the next page runs in a new page.
import { launch } from "./browser.mjs";

const [timeout, ...pages] = process.argv.slice(2);
const browser = await launch(["--allow-file-access-from-files"]);
const results = [];
try {
  for (const file of pages) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await page.goto(new URL(`file://${file}`).href, { waitUntil: "load" });
      await page.waitForFunction(
        () => {
          const text = document.getElementById("result")?.textContent || "{}";
          return JSON.parse(text).done === true;
        },
        null,
        { timeout: Number(timeout), polling: 50 },
      );
      const text = await page.locator("#result").textContent();
      results.push({ page: file, result: text });
      await page.close();
    } catch (error) {
      results.push({ page: file, timeout: true, error: String(error).split("\n")[0] });
      page.close({ runBeforeUnload: false }).catch(() => {});
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
