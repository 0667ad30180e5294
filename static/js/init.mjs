// Starts every GOV.UK Frontend and MOJ Frontend component on the page (service navigation,
// error summary, notification banners, MOJ sortable tables, ...), marked by data-module.
import { initAll as initGovuk } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj-frontend/moj-frontend.min.js";

initGovuk();
initMoj();
