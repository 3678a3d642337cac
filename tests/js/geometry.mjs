// Read back what headless Chromium (Debian's, through playwright-core) drew of our SVG files, in
// screen pixels, for the collision checks in tests/test_diagram_geometry.py:
//
//   node tests/js/geometry.mjs JOBS.json  ->  one JSON document on stdout:
//   [{"file": "...", "width": 1920, "height": 1080,
//     "texts": [{"group": "step-a", "callout": -1, "cls": "caption", "text": "...",
//                "x": 1, "y": 2, "w": 3, "h": 4, "px": 14}],
//     "shapes": [{"group": "step-a", "cls": "step manual", "parent": "nodes",
//                 "x": 1, "y": 2, "w": 3, "h": 4}],
//     "callouts": [{"group": "step-a", "index": 0, "x": 1, "y": 2, "w": 3, "h": 4}],
//     "paths": [{"group": "flow-a-b", "parent": "links", "arrow": true, "points": [[x, y], ...]}]}]
//
// JOBS.json lists {"file", "width", "height"}: the SVG is shown at that size (a slide at
// 1920x1080, a diagram at its own size). "texts": every <text>, its box from
// getBoundingClientRect, its font size in screen pixels (font-size times the screen scale), the
// id of the group it is drawn in and, inside a numbered callout, that callout's index in the
// group. "shapes": for every group with an id, the box of its first shape (rect, circle,
// polygon) as drawn. "paths": every <path> sampled with getPointAtLength every pixel.
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const jobs = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
const results = [];
try {
  const page = await browser.newPage();
  for (const job of jobs) {
    await page.setViewportSize({ width: Math.ceil(job.width), height: Math.ceil(job.height) });
    await page.goto(new URL(`file://${job.file}`).href, { waitUntil: "load" });
    const seen = await page.evaluate(({ width, height }) => {
      const root = document.documentElement;
      root.setAttribute("width", String(width));
      root.setAttribute("height", String(height));
      const box = (element) => {
        const r = element.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height };
      };
      const owner = (element) => element.closest("g[id]")?.id ?? "";
      const texts = [...root.querySelectorAll("text")].map((text) => {
        const callout = text.closest("g.callout");
        const group = owner(text);
        const siblings = callout ? [...callout.parentNode.querySelectorAll(":scope > g.callout")] : [];
        return {
          group,
          callout: callout ? siblings.indexOf(callout) : -1,
          cls: text.getAttribute("class") || "",
          text: text.textContent,
          px: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
          ...box(text),
        };
      });
      const shapes = [...root.querySelectorAll("g[id]")].flatMap((group) => {
        const shape = group.querySelector(":scope > rect, :scope > circle, :scope > polygon");
        if (!shape) return [];
        return [{ group: group.id, cls: group.getAttribute("class") || "", parent: owner(group.parentNode), ...box(shape) }];
      });
      const callouts = [...root.querySelectorAll("g[id] > g.callout")].map((callout) => {
        const siblings = [...callout.parentNode.querySelectorAll(":scope > g.callout")];
        const circle = callout.querySelector("circle, rect") || callout;
        return { group: callout.parentNode.id, index: siblings.indexOf(callout), ...box(circle) };
      });
      const drawn = [...root.querySelectorAll("path")].filter((path) => !path.closest("defs, marker"));
      const paths = drawn.map((path) => {
        const matrix = path.getScreenCTM();
        const length = path.getTotalLength();
        const points = [];
        const steps = Math.max(1, Math.ceil(length));
        for (let i = 0; i <= steps; i += 1) {
          const p = path.getPointAtLength((length * i) / steps);
          points.push([
            matrix.a * p.x + matrix.c * p.y + matrix.e,
            matrix.b * p.x + matrix.d * p.y + matrix.f,
          ]);
        }
        const group = path.closest("g[id]");
        return {
          group: group?.id ?? "",
          parent: group ? owner(group.parentNode) : "",
          arrow: path.hasAttribute("marker-end"),
          points,
        };
      });
      return { texts, shapes, callouts, paths };
    }, job);
    results.push({ ...job, ...seen });
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
