/* global app, HoldThreadFreshdesk */
(function () {
  'use strict';

  var registered = false;

  function render(decision) {
    var results = document.getElementById('holdthread-results');
    if (results) results.innerHTML = HoldThreadFreshdesk.renderDecisionHtml(decision);
  }

  function start(client) {
    render(null);
    // Register once, at initialization (not on app.activated), so replies are
    // checked even when the sidebar is never opened.
    if (registered) return;
    registered = true;
    var options = { timeoutMs: HoldThreadFreshdesk.DEFAULT_TIMEOUT_MS, onDecision: render };
    HoldThreadFreshdesk.register(client, options);
    // "Not right?" and "Send anyway" buttons in the sidebar.
    var results = document.getElementById('holdthread-results');
    if (results) {
      results.addEventListener('click', function (event) {
        options.feedback.handleClick(event.target);
      });
    }
  }

  function boot() {
    app.initialized().then(start, function (err) {
      // Without a client there is nothing to intercept: replies go out unchecked.
      if (window.console) window.console.error('holdthread: app failed to initialize', err);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
