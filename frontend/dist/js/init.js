// Runs first thing in <body>, before anything is drawn: tells GOV.UK Frontend's CSS that JavaScript
// is on, and whether this browser supports the modules it needs. An external file, not an inline
// script, because the Content-Security-Policy forbids inline scripts.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
