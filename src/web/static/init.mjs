// Marks the page as able to run GOV.UK Frontend's JavaScript (in place of the inline
// snippet of the GOV.UK page template, which our Content-Security-Policy forbids), then
// starts its components. Every page works without this file.
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported');
}
const { initAll } = await import('/assets/govuk-frontend.min.js');
initAll();
