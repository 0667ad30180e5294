// Runs before the page paints (a classic script at the top of <body>, not inline: the CSP refuses
// inline scripts). GOV.UK Frontend and MOJ Frontend style their JavaScript-enhanced components
// only when <body> carries these classes, and only browsers with ES modules run their JavaScript.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
