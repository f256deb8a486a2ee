// Enhances GOV.UK Frontend components (menus, notification banners, skip link...). Every page
// works without it: JavaScript only makes some things nicer.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// "Print this page" buttons: hidden without JavaScript, which they need.
for (const button of document.querySelectorAll('[data-module="toolkit-print"]')) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
