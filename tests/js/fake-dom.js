'use strict';

// Shared by the apps' feedback tests. A click on a feedback button of the rendered sidebar, without a browser: the button and its
// container are read from the HTML the app rendered (so the test fails if the markup loses what
// the click handler reads), and stand in for DOM elements (getAttribute, closest, querySelector).

const ENTITIES = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

// An attribute value as a browser reads it (the entities escapeHtml writes, decoded).
function decode(value) {
  return value.replace(/&(quot|#39|lt|gt|amp);/g, (entity) => ENTITIES[entity]);
}

// The attributes of the first <button> whose data-ht-action is `action` (and whose finding, when
// given, is `findingId`), or null.
function findButton(html, action, findingId) {
  for (const match of html.matchAll(/<button([^>]*)>/g)) {
    const attrs = {};
    for (const attr of match[1].matchAll(/([\w-]+)="([^"]*)"/g)) attrs[attr[1]] = decode(attr[2]);
    if (attrs['data-ht-action'] === action && (findingId === undefined || attrs['data-ht-finding'] === findingId)) return attrs;
  }
  return null;
}

// The click target for that button, with `reason` typed in its container's reason box.
function clickOn(html, action, options) {
  const o = options || {};
  const attrs = findButton(html, action, o.findingId);
  if (!attrs) throw new Error('no ' + action + ' button in the sidebar HTML');
  const container = {
    innerHTML: '',
    querySelector: (selector) => (selector === '.ht-reason' ? { value: o.reason === undefined ? '' : o.reason } : null)
  };
  const button = {
    getAttribute: (name) => (name in attrs ? attrs[name] : null),
    closest: (selector) => {
      if (selector === '[data-ht-action]') return button;
      if (selector === '[data-ht-feedback]') return container;
      return null;
    }
  };
  return { target: button, container };
}

// A results element that records its click listeners, as main.js / app.js attach them.
function fakeResults() {
  const listeners = [];
  return {
    innerHTML: '',
    listeners,
    addEventListener(type, listener) {
      listeners.push({ type, listener });
    }
  };
}

// A service answer that blocks, with a finding id on each finding (one error, one warning).
const BLOCK_WITH_IDS = {
  verdict: 'block',
  score: 35,
  message: 'The note names no owner for the next step.',
  annotations: [
    { id: 'f_3a9c', rule: 'missing-owner', severity: 'error', message: 'No next-step owner', text: 'Escalating to engineering' },
    { id: 'f_77b1', rule: 'vague-language', severity: 'warning', message: 'Non-specific failure', text: "doesn't work" }
  ],
  timed_out: false
};

module.exports = { findButton, clickOn, fakeResults, BLOCK_WITH_IDS };
