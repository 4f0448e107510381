/* global ZAFClient, HoldThreadZendesk */
(function () {
  'use strict';

  var client = ZAFClient.init();
  var results = document.getElementById('holdthread-results');

  function render(decision) {
    results.innerHTML = HoldThreadZendesk.renderDecisionHtml(decision);
    client.invoke('resize', { width: '100%', height: Math.max(80, document.body.scrollHeight) + 'px' });
  }

  render(null);

  // Runs on every submit of the ticket form. Pass/warn/fail-open resolve (the
  // save goes through); block rejects with the service's message (cancelled).
  var options = { timeoutMs: HoldThreadZendesk.DEFAULT_TIMEOUT_MS, onDecision: render };
  HoldThreadZendesk.register(client, options);

  // "Not right?" and "Save anyway" buttons in the sidebar.
  results.addEventListener('click', function (event) {
    options.feedback.handleClick(event.target).then(function () {
      client.invoke('resize', { width: '100%', height: Math.max(80, document.body.scrollHeight) + 'px' });
    });
  });
})();
