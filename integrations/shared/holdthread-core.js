/*
 * holdthread helpdesk core: the logic the Zendesk and Freshdesk apps share.
 *
 * Works as a plain browser script (attaches `window.HoldThreadCore`) and as a
 * CommonJS module (`module.exports`). Each app folder holds a symlink to this
 * file (`integrations/package.sh` copies the real file into the upload
 * bundle); the app page loads it with a <script> tag before its holdthread.js.
 *
 * What lives here: HTML-to-text, HTML escaping, the timer race that makes a
 * check fail open, the verdict -> decision mapping, the sidebar rendering,
 * the best-effort notification/onDecision plumbing and the feedback loop
 * ("Not right?" on each finding, "Save anyway" with a reason on a block). What
 * stays in each app: its hook (ZAF save hook / Freshdesk intercept), payload
 * building, how a request is sent, response reading and wording. The wording
 * is passed in as a `profile`:
 *
 *   { noun: 'update', sentAs: 'saved',              // "...could not check this update ... It was saved..."
 *     actions: { allow: 'allow', block: 'cancel' }, // decision.action values
 *     idle: 'holdthread checks each update when you submit it.',
 *     heads: { pass: '...', warn: '...', block: '...' },
 *     notices: { failOpen: 'notice', warn: 'alert' }, // notification types
 *     override: { label: 'Save anyway', ... } }     // optional: see OVERRIDE_WORDING
 */
(function (root, factory) {
  var api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.HoldThreadCore = api;
  }
})(typeof window !== 'undefined' ? window : null, function () {
  'use strict';

  var DEFAULT_TIMEOUT_MS = 3000;
  var VERDICTS = ['pass', 'warn', 'block'];
  var TIMEOUT_CODE = 'HOLDTHREAD_TIMEOUT';
  var HTTP_CODE = 'HOLDTHREAD_HTTP';
  var TIME_LIMIT_REASON = 'no answer within the time limit';
  var UNREACHABLE_REASON = 'service unreachable';
  var UNEXPECTED_ANSWER_REASON = 'unexpected answer from the service';
  var FEEDBACK_PATH = '/v1/feedback';
  var MAX_REASON_CHARS = 1000;

  // "Not right?" next to each finding: the agent says the finding is wrong.
  var NOT_RIGHT_WORDING = {
    label: 'Not right?',
    placeholder: 'What is wrong with it? (optional)',
    send: 'Send',
    thanks: 'Thanks: recorded as a false alarm. It counts toward this rule\'s false-alarm rate.'
  };

  // "Save anyway" on a block: the agent saves despite it, with a reason (an override).
  var OVERRIDE_WORDING = {
    label: 'Save anyway',
    placeholder: 'Why save it anyway? (required)',
    missingReason: 'Say why you save it anyway: the reason is what your team lead reviews.',
    armed: 'Override recorded. Submit again to save despite the block.',
    head: 'Saved anyway (override recorded)'
  };

  // ---------------------------------------------------------------- helpers

  function isObject(value) {
    return value !== null && typeof value === 'object';
  }

  function pick(value, fallback) {
    return value === undefined ? fallback : value;
  }

  var ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

  // Rich-text drafts arrive as HTML; the linter wants plain text.
  function htmlToText(input) {
    if (input === null || input === undefined) return '';
    var text = String(input);
    if (!/[<&]/.test(text)) return text.replace(/\r\n?/g, '\n');
    text = text
      .replace(/\r\n?/g, '\n')
      .replace(/<\s*br\s*\/?>/gi, '\n')
      .replace(/<\s*\/\s*(p|div|li|h[1-6]|blockquote|pre|tr)\s*>/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/&(#\d+|#x[0-9a-f]+|[a-z0-9]+);/gi, function (match, name) {
        var key = name.toLowerCase();
        if (key.charAt(0) === '#') {
          var code = key.charAt(1) === 'x' ? parseInt(key.slice(2), 16) : parseInt(key.slice(1), 10);
          return isFinite(code) ? String.fromCharCode(code) : match;
        }
        return Object.prototype.hasOwnProperty.call(ENTITIES, key) ? ENTITIES[key] : match;
      })
      .replace(/[ \t\u00a0]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n');
    return text.replace(/^\n+|\s+$/g, '');
  }

  function isBlank(text) {
    return htmlToText(text).replace(/\s+/g, '') === '';
  }

  function escapeHtml(value) {
    return String(value === null || value === undefined ? '' : value)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  }

  // JSON.parse that answers null instead of throwing.
  function parseJson(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  // Race `promise` against a timer. The timer is always cleared, so a fast
  // answer leaves nothing pending.
  function withTimeout(promise, ms) {
    var timer;
    var timeout = new Promise(function (resolve, reject) {
      timer = setTimeout(function () {
        var err = new Error('holdthread: no answer within ' + ms + ' ms');
        err.code = TIMEOUT_CODE;
        reject(err);
      }, ms);
    });
    return Promise.race([Promise.resolve(promise), timeout]).then(
      function (value) {
        clearTimeout(timer);
        return value;
      },
      function (err) {
        clearTimeout(timer);
        throw err;
      }
    );
  }

  // Calls fn() and swallows both a throw and a rejected promise: notifications
  // are best effort and must never change what happens to the update.
  function bestEffort(fn) {
    try {
      var p = fn();
      if (p && typeof p.catch === 'function') p.catch(function () {});
    } catch (e) {
      /* best effort */
    }
  }

  // ------------------------------------------------------ service responses

  // The HTTP status of a helpdesk response object (200 when it carries none).
  // Throws an error tagged HOLDTHREAD_HTTP with `status` for non-2xx answers.
  function checkStatus(res) {
    var status = isObject(res) && typeof res.status === 'number' ? res.status : 200;
    if (status < 200 || status > 299) {
      var httpErr = new Error('HTTP ' + status);
      httpErr.code = HTTP_CODE;
      httpErr.status = status;
      throw httpErr;
    }
    return status;
  }

  // 'service answered HTTP <n>' when the error carries a non-2xx status.
  function httpReason(err) {
    var status = err && typeof err.status === 'number' ? err.status : null;
    if (status && (status < 200 || status > 299)) return 'service answered HTTP ' + status;
    return null;
  }

  // Why a check failed open, in words for the agent. Apps put their own
  // error shapes in front of this (a config error, a proxy's 504, ...).
  function reasonFor(err) {
    if (err && err.code === TIMEOUT_CODE) return TIME_LIMIT_REASON;
    return httpReason(err) || UNREACHABLE_REASON;
  }

  // ------------------------------------------------------------- decisions

  function failOpenDecision(profile, reason) {
    return {
      action: profile.actions.allow,
      verdict: null,
      failOpen: true,
      reason: reason,
      score: null,
      message: 'holdthread could not check this ' + profile.noun + ' (' + reason + '). It was ' +
        profile.sentAs + ' without a check.',
      annotations: [],
      timedOut: false
    };
  }

  // The draft was empty: nothing was sent to the service.
  function skippedDecision(profile) {
    return { action: profile.actions.allow, verdict: null, failOpen: false, skipped: true, reason: 'empty draft',
      score: null, message: '', annotations: [], timedOut: false };
  }

  function normalizeAnnotations(list) {
    if (!Array.isArray(list)) return [];
    return list.filter(isObject).map(function (a) {
      var out = {};
      Object.keys(a).forEach(function (key) {
        out[key] = a[key];
      });
      out.rule = pick(a.rule, '');
      out.severity = pick(a.severity, '');
      out.message = pick(a.message, '');
      return out;
    });
  }

  // Pure: service JSON body -> what to do with the update.
  function decide(profile, response) {
    if (!isObject(response) || VERDICTS.indexOf(response.verdict) === -1) {
      return failOpenDecision(profile, UNEXPECTED_ANSWER_REASON);
    }
    var verdict = response.verdict;
    var message = typeof response.message === 'string' ? response.message.trim() : '';
    var annotations = normalizeAnnotations(response.annotations);
    if (!message && verdict === 'block') message = 'holdthread blocked this ' + profile.noun + '.';
    if (!message && verdict === 'warn') {
      message = annotations.length
        ? annotations.map(function (a) { return a.message; }).filter(Boolean).join('\n')
        : 'holdthread has warnings for this ' + profile.noun + '.';
    }
    return {
      action: verdict === 'block' ? profile.actions.block : profile.actions.allow,
      verdict: verdict,
      failOpen: false,
      reason: null,
      score: typeof response.score === 'number' ? response.score : null,
      message: message,
      annotations: annotations,
      timedOut: response.timed_out === true
    };
  }

  // Runs work(timeoutMs) against the time limit (options.timeoutMs, 3000 ms by
  // default). Never rejects: a throw, a rejection or the timer firing becomes
  // a fail-open decision, worded by `reasonOf` (defaults to reasonFor).
  function guardedCheck(profile, options, work, reasonOf) {
    var timeoutMs = pick((options || {}).timeoutMs, DEFAULT_TIMEOUT_MS);
    var run = Promise.resolve().then(function () {
      return work(timeoutMs);
    });
    return withTimeout(run, timeoutMs).catch(function (err) {
      return failOpenDecision(profile, (reasonOf || reasonFor)(err));
    });
  }

  // Tells the agent about a decision (best effort) and hands it to
  // options.onDecision (whose errors are swallowed: rendering must never
  // affect the update). notify(type, message) gets profile.notices[kind].
  function announce(profile, decision, options, notify) {
    var kind = null;
    if (!decision.skipped) {
      if (decision.failOpen) kind = 'failOpen';
      else if (decision.verdict === 'warn') kind = 'warn';
    }
    if (kind) {
      bestEffort(function () {
        return notify(profile.notices[kind], decision.message);
      });
    }
    var onDecision = options && options.onDecision;
    if (typeof onDecision === 'function') {
      try {
        onDecision(decision);
      } catch (e) {
        /* rendering must never affect the update */
      }
    }
  }

  // ------------------------------------------------------------- rendering

  // The thread's side of a finding: each evidence item's text (the customer's
  // value that contradicts the note, the answer they already gave) with the
  // comment it comes from, shown under the note's own text.
  function renderEvidenceHtml(evidence) {
    if (!Array.isArray(evidence)) return '';
    var items = evidence.filter(function (e) { return isObject(e) && e.text; });
    if (!items.length) return '';
    var html = '<ul class="ht-evidence">';
    items.forEach(function (e) {
      var where = e.comment_id === null || e.comment_id === undefined ? '' : ' (comment ' + escapeHtml(e.comment_id) + ')';
      html += '<li>In the thread' + where + ': <q>' + escapeHtml(e.text) + '</q></li>';
    });
    return html + '</ul>';
  }

  function renderDecisionHtml(profile, decision) {
    if (!decision || decision.skipped) {
      return '<p class="ht-idle">' + escapeHtml(profile.idle) + '</p>';
    }
    if (decision.failOpen) {
      return '<p class="ht-notice">' + escapeHtml(decision.message) + '</p>';
    }
    var override = overrideWording(profile);
    var head = decision.overridden ? override.head : profile.heads[decision.verdict];
    var html = '<div class="ht-result ht-' + escapeHtml(decision.verdict) + '">';
    html += '<p class="ht-head"><strong>' + escapeHtml(head) + '</strong>';
    if (decision.score !== null) html += ' <span class="ht-score">score ' + escapeHtml(decision.score) + '/100</span>';
    html += '</p>';
    if (decision.verdict !== 'pass' && decision.message) {
      html += '<p class="ht-message">' + escapeHtml(decision.message).replace(/\n/g, '<br>') + '</p>';
    }
    if (decision.annotations.length) {
      html += '<ul class="ht-annotations">';
      decision.annotations.forEach(function (a) {
        html += '<li class="ht-sev-' + escapeHtml(a.severity) + '">';
        html += '<span class="ht-rule">' + escapeHtml(a.rule) + '</span> ' + escapeHtml(a.message);
        if (a.text) html += '<blockquote>' + escapeHtml(a.text) + '</blockquote>';
        html += renderEvidenceHtml(a.evidence);
        if (a.suggestion) html += '<p class="ht-suggestion">Try: ' + escapeHtml(a.suggestion) + '</p>';
        if (typeof a.id === 'string' && a.id) html += notRightHtml(a.id);
        html += '</li>';
      });
      html += '</ul>';
    }
    if (decision.verdict === 'block' && !decision.overridden && blockingIds(decision).length) {
      html += '<div class="ht-override" data-ht-feedback="override">' +
        '<input class="ht-reason" type="text" maxlength="' + MAX_REASON_CHARS + '" placeholder="' +
        escapeHtml(override.placeholder) + '"> <button type="button" data-ht-action="override">' +
        escapeHtml(override.label) + '</button></div>';
    }
    if (decision.timedOut) html += '<p class="ht-notice">The service ran out of time; this check may be partial.</p>';
    return html + '</div>';
  }

  // <details> opens without script; the button carries the finding id.
  function notRightHtml(id) {
    return '<details class="ht-feedback" data-ht-feedback="false_alarm"><summary>' +
      escapeHtml(NOT_RIGHT_WORDING.label) + '</summary><input class="ht-reason" type="text" maxlength="' +
      MAX_REASON_CHARS + '" placeholder="' + escapeHtml(NOT_RIGHT_WORDING.placeholder) + '"> ' +
      '<button type="button" data-ht-action="false_alarm" data-ht-finding="' + escapeHtml(id) + '">' +
      escapeHtml(NOT_RIGHT_WORDING.send) + '</button></details>';
  }

  // ---------------------------------------------------------- feedback loop

  function overrideWording(profile) {
    var own = isObject(profile.override) ? profile.override : {};
    var wording = {};
    Object.keys(OVERRIDE_WORDING).forEach(function (key) {
      wording[key] = pick(own[key], OVERRIDE_WORDING[key]);
    });
    return wording;
  }

  // The POST /v1/feedback body: the finding, the verdict, and the reason when one was given.
  function feedbackBody(findingId, verdict, reason) {
    var body = { finding_id: String(findingId), verdict: verdict };
    var text = typeof reason === 'string' ? reason.trim().slice(0, MAX_REASON_CHARS) : '';
    if (text) body.reason = text;
    return body;
  }

  // Ids of the findings that blocked the save (errors), which an override overrides.
  function blockingIds(decision) {
    if (!decision || !Array.isArray(decision.annotations)) return [];
    return decision.annotations
      .filter(function (a) { return a.severity === 'error' && typeof a.id === 'string' && a.id; })
      .map(function (a) { return a.id; });
  }

  // What a click in the sidebar asks for: {action, findingId, reason, container}, or null when the
  // click was not on a feedback button. Works on any DOM-like element (closest, querySelector).
  function readFeedbackAction(target) {
    var button = target && typeof target.closest === 'function' ? target.closest('[data-ht-action]') : null;
    if (!button) return null;
    var container = typeof button.closest === 'function' ? button.closest('[data-ht-feedback]') : null;
    var input = container && typeof container.querySelector === 'function' ? container.querySelector('.ht-reason') : null;
    return {
      action: button.getAttribute('data-ht-action'),
      findingId: button.getAttribute('data-ht-finding'),
      reason: input && typeof input.value === 'string' ? input.value.trim() : '',
      container: container
    };
  }

  function showStatus(container, message, failed) {
    if (container) {
      container.innerHTML = '<p class="ht-feedback-status' + (failed ? ' ht-notice' : '') + '">' +
        escapeHtml(message) + '</p>';
    }
    return { ok: !failed, message: message };
  }

  // The feedback loop of one app: `send(body)` posts one feedback body and resolves (or rejects
  // on a failure). handleClick(target) handles a click in the sidebar; settle(decision) applies an
  // armed override to the next check's decision (one save goes through despite a block).
  function feedbackController(profile, send, options) {
    var timeoutMs = pick((options || {}).timeoutMs, DEFAULT_TIMEOUT_MS);
    var wording = overrideWording(profile);
    var last = null;
    var armed = false;

    function post(bodies) {
      return withTimeout(Promise.all(bodies.map(function (body) { return send(body); })), timeoutMs);
    }

    function failed(container, err) {
      return showStatus(container, 'Could not send your feedback (' + reasonFor(err) + '). Try again in a moment.', true);
    }

    function handleClick(target) {
      var asked = readFeedbackAction(target);
      if (!asked) return Promise.resolve(null);
      if (asked.action === 'false_alarm' && asked.findingId) {
        return post([feedbackBody(asked.findingId, 'false_alarm', asked.reason)]).then(function () {
          return showStatus(asked.container, NOT_RIGHT_WORDING.thanks, false);
        }, function (err) {
          return failed(asked.container, err);
        });
      }
      if (asked.action === 'override') {
        if (!asked.reason) return Promise.resolve({ ok: false, message: wording.missingReason, missingReason: true });
        var ids = blockingIds(last);
        return post(ids.map(function (id) { return feedbackBody(id, 'override', asked.reason); })).then(function () {
          armed = true;
          return showStatus(asked.container, wording.armed, false);
        }, function (err) {
          return failed(asked.container, err);
        });
      }
      return Promise.resolve(null);
    }

    function settle(decision) {
      var settled = decision;
      if (armed && decision && decision.verdict === 'block' && !decision.failOpen) {
        settled = {};
        Object.keys(decision).forEach(function (key) { settled[key] = decision[key]; });
        settled.action = profile.actions.allow;
        settled.overridden = true;
      }
      if (decision && !decision.skipped) armed = false;
      last = settled;
      return settled;
    }

    return {
      handleClick: handleClick,
      settle: settle,
      isArmed: function () { return armed; },
      lastDecision: function () { return last; }
    };
  }

  return {
    DEFAULT_TIMEOUT_MS: DEFAULT_TIMEOUT_MS,
    TIMEOUT_CODE: TIMEOUT_CODE,
    HTTP_CODE: HTTP_CODE,
    TIME_LIMIT_REASON: TIME_LIMIT_REASON,
    isObject: isObject,
    pick: pick,
    htmlToText: htmlToText,
    isBlank: isBlank,
    escapeHtml: escapeHtml,
    parseJson: parseJson,
    withTimeout: withTimeout,
    bestEffort: bestEffort,
    checkStatus: checkStatus,
    httpReason: httpReason,
    reasonFor: reasonFor,
    failOpenDecision: failOpenDecision,
    skippedDecision: skippedDecision,
    normalizeAnnotations: normalizeAnnotations,
    decide: decide,
    guardedCheck: guardedCheck,
    announce: announce,
    renderEvidenceHtml: renderEvidenceHtml,
    renderDecisionHtml: renderDecisionHtml,
    FEEDBACK_PATH: FEEDBACK_PATH,
    MAX_REASON_CHARS: MAX_REASON_CHARS,
    feedbackBody: feedbackBody,
    blockingIds: blockingIds,
    readFeedbackAction: readFeedbackAction,
    feedbackController: feedbackController
  };
});
