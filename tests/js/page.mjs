// Open HTML files in one headless Chromium (Debian's, through playwright-core), each in a page of
// its own, and print a JSON list with one document per file of what a reader would see:
//
//   {"console": [{"type": "error", "text": "..."}], "pageErrors": ["..."],
//    "requests": ["file:///.../report.html", ...], "failed": ["url: reason"],
//    "scripts": 0, "sections": [{"id": "before-diagram", "visible": true, "width": 1176,
//    "height": 380, "shown": ["step-x", ...]}], "screenshot": "/tmp/shot.png",
//    "widths": [{"width": 1024, "cards": [{"text": "...", "overflow": 0}],
//                "diagrams": {"before-diagram": 960, ...}, "scroll": 0}, ...]}
//
// "shown" lists the ids of the step groups inside a section's SVG that have a drawn box (width and
// height above 1 px). "overflow" is how far a headline card's content reaches past the card, in
// px; "diagrams" the drawn width of each visible diagram; "scroll" the page's sideways scroll.
// Usage: node tests/js/page.mjs FILE.html SCREENSHOT.png [FILE SCREENSHOT]...
import { launch } from "./browser.mjs";

const args = process.argv.slice(2);
const browser = await launch();
async function open(file, screenshot) {
  const result = { console: [], pageErrors: [], requests: [], failed: [], sections: [] };
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("console", (message) => result.console.push({ type: message.type(), text: message.text() }));
  page.on("pageerror", (error) => result.pageErrors.push(String(error)));
  page.on("request", (request) => result.requests.push(request.url()));
  page.on("requestfailed", (request) =>
    result.failed.push(`${request.url()}: ${request.failure()?.errorText}`),
  );
  await page.goto(new URL(`file://${file}`).href, { waitUntil: "load" });
  result.scripts = await page.locator("script").count();
  result.sections = await page.evaluate(() =>
    [...document.querySelectorAll("section.diagram")].map((section) => {
      const svg = section.querySelector("svg");
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const style = getComputedStyle(section);
      const shown = svg
        ? [...svg.querySelectorAll("g[id]")]
            .filter((g) => {
              const drawn = g.getBoundingClientRect();
              return drawn.width > 1 && drawn.height > 1;
            })
            .map((g) => g.id)
        : [];
      return {
        id: section.id,
        visible: style.display !== "none" && style.visibility !== "hidden",
        width: box.width,
        height: box.height,
        shown,
      };
    }),
  );
  await page.screenshot({ path: screenshot, fullPage: true });
  result.screenshot = screenshot;
  // the headline cards and the diagrams' width at three screen widths
  result.widths = [];
  for (const width of [1024, 1280, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    result.widths.push(
      await page.evaluate((width) => {
        const cards = [...document.querySelectorAll(".card")].map((card) => {
          const outer = card.getBoundingClientRect();
          let overflow = Math.max(0, card.scrollWidth - card.clientWidth);
          for (const inner of card.querySelectorAll("*")) {
            const r = inner.getBoundingClientRect();
            overflow = Math.max(overflow, r.right - outer.right, outer.left - r.left);
          }
          return { text: card.textContent.trim(), overflow };
        });
        const diagrams = {};
        for (const section of document.querySelectorAll("section.diagram")) {
          const svg = section.querySelector("svg");
          if (svg && getComputedStyle(section).display !== "none") {
            diagrams[section.id] = svg.getBoundingClientRect().width;
          }
        }
        const page = document.documentElement;
        return { width, cards, diagrams, scroll: page.scrollWidth - page.clientWidth };
      }, width),
    );
  }
  await page.close();
  return result;
}

const results = [];
try {
  for (let i = 0; i < args.length; i += 2) {
    results.push(await open(args[i], args[i + 1]));
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
