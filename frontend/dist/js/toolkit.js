// Enhances GOV.UK Frontend components (menus, notification banners, skip link...). Every page
// works without it: JavaScript only makes some things nicer.
import { initAll } from "./govuk-frontend.min.js";

initAll();
