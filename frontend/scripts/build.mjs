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
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");
// The MoJ Frontend icons its components' CSS asks for (docs/decisions/0023): copied, so that every
// image the stylesheet names is one we serve. Any other MoJ image request fails the build below.
const mojImages = [
  "icon-document.svg",
  "icon-toggle-plus-minus.svg",
  "icon-close-cross-black.svg",
  "icon-tag-remove-cross.svg",
  "icon-tag-remove-cross-white.svg",
];

rmSync(dist, { recursive: true, force: true });
for (const dir of ["css", "js", "images"]) mkdirSync(join(dist, dir), { recursive: true });

// CSS: compressed, no source map, nothing from another host, no web fonts.
const { css } = sass.compile(join(src, "scss", "toolkit.scss"), {
  style: "compressed",
  // The root too: MoJ Frontend loads GOV.UK Frontend as "node_modules/govuk-frontend/...".
  loadPaths: [join(root, "node_modules"), root],
  sourceMap: false,
  quietDeps: true,
});
if (/url\(\s*["']?(https?:)?\/\//i.test(css)) throw new Error("toolkit.css refers to another host");
if (/@font-face|\.woff2?\b/i.test(css)) throw new Error("toolkit.css would load web fonts");
for (const [, name] of css.matchAll(/url\(\s*["']?\.\.\/images\/([^"')]+)/g)) {
  if (!mojImages.includes(name) && name !== "favicon.svg") throw new Error(`toolkit.css asks for ${name}`);
}
writeFileSync(join(dist, "css", "toolkit.css"), css + "\n");

// JavaScript: govuk-frontend's ES module bundle, without its source map comment (the map is not
// shipped, and Django's manifest storage would fail on a missing map).
const bundle = readFileSync(join(govuk, "govuk-frontend.min.js"), "utf8").replace(
  /\/\/# sourceMappingURL=\S+\s*$/,
  "",
);
writeFileSync(join(dist, "js", "govuk-frontend.min.js"), bundle.trimEnd() + "\n");
copyFileSync(join(src, "js", "toolkit.js"), join(dist, "js", "toolkit.js"));
// MoJ Frontend's ES module bundle (self-contained), likewise without its source map comment, and the
// line that starts it on the staff pages that load it.
const mojBundle = readFileSync(join(moj, "moj-frontend.min.js"), "utf8").replace(
  /\/\/# sourceMappingURL=\S+\s*$/,
  "",
);
writeFileSync(join(dist, "js", "moj-frontend.min.js"), mojBundle.trimEnd() + "\n");
copyFileSync(join(src, "js", "moj.js"), join(dist, "js", "moj.js"));
copyFileSync(join(src, "js", "init.js"), join(dist, "js", "init.js"));

// Images: our own favicon only. GOV.UK's icons and manifest show the crown, so they are not used.
copyFileSync(join(src, "images", "favicon.svg"), join(dist, "images", "favicon.svg"));
for (const name of mojImages) copyFileSync(join(moj, "assets", "images", name), join(dist, "images", name));

console.log(`Built ${dist}: css/toolkit.css (${css.length} bytes), js/, images/`);
