// Enhances MoJ Frontend components (sortable tables) on the staff pages that use them
// (docs/decisions/0023). Every page works without it: the tables come sorted from the server.
import { initAll } from "./moj-frontend.min.js";

initAll();
