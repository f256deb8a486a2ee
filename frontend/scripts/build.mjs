// Builds frontend/dist from frontend/src and govuk-frontend: `npm run build` (or `make assets`).
// The output is committed, so running the toolkit needs no Node.js. See docs/decisions/0002.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const src = join(root, "frontend", "src");
const dist = join(root, "frontend", "dist");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(dist, { recursive: true, force: true });
for (const dir of ["css", "js", "images"]) mkdirSync(join(dist, dir), { recursive: true });

// CSS: compressed, no source map, nothing from another host, no web fonts.
const { css } = sass.compile(join(src, "scss", "toolkit.scss"), {
  style: "compressed",
  loadPaths: [join(root, "node_modules")],
  sourceMap: false,
  quietDeps: true,
});
if (/url\(\s*["']?(https?:)?\/\//i.test(css)) throw new Error("toolkit.css refers to another host");
if (/@font-face|\.woff2?\b/i.test(css)) throw new Error("toolkit.css would load web fonts");
writeFileSync(join(dist, "css", "toolkit.css"), css + "\n");

// JavaScript: govuk-frontend's ES module bundle, without its source map comment (the map is not
// shipped, and Django's manifest storage would fail on a missing map).
const bundle = readFileSync(join(govuk, "govuk-frontend.min.js"), "utf8").replace(
  /\/\/# sourceMappingURL=\S+\s*$/,
  "",
);
writeFileSync(join(dist, "js", "govuk-frontend.min.js"), bundle.trimEnd() + "\n");
copyFileSync(join(src, "js", "toolkit.js"), join(dist, "js", "toolkit.js"));
copyFileSync(join(src, "js", "init.js"), join(dist, "js", "init.js"));

// Images: our own favicon only. GOV.UK's icons and manifest show the crown, so they are not used.
copyFileSync(join(src, "images", "favicon.svg"), join(dist, "images", "favicon.svg"));

console.log(`Built ${dist}: css/toolkit.css (${css.length} bytes), js/, images/`);
