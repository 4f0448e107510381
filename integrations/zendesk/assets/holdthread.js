/*
 * holdthread pre-submit check for Zendesk Support (ZAF v2).
 *
 * Works as a plain browser script (attaches `window.HoldThreadZendesk`) and as
 * a CommonJS module (`module.exports`) so the logic can be tested in Node.
 *
 * ZAF save-hook semantics (zendesk_app_framework_sdk lib/utils.ts `when`):
 * a handler that returns a promise lets the save through when the promise
 * resolves and cancels it when the promise rejects; the rejection value (a
 * string) is shown to the agent. `checkBeforeSave` follows that contract.
 *
 * Fail open: when the service is unreachable, errors, answers non-2xx, answers
 * something that is not a verdict, or does not answer within `timeoutMs`
 * (3000 ms by default), the save goes through and a small notice is shown.
 */
(function (root, factory) {
  var api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.HoldThreadZendesk = api;
  }
})(typeof window !== 'undefined' ? window : null, function () {
  'use strict';

  var DEFAULT_TIMEOUT_MS = 3000;
  var CHECK_PATH = '/v1/zendesk/check';
  var AUTH_HEADER_TEMPLATE = 'Bearer {{setting.token}}';
  var VERDICTS = ['pass', 'warn', 'block'];

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

  function joinUrl(base, path) {
    return String(base || '').replace(/\/+$/, '') + path;
  }

  // Race `promise` against a timer. The timer is always cleared, so a fast
  // answer leaves nothing pending.
  function withTimeout(promise, ms) {
    var timer;
    var timeout = new Promise(function (resolve, reject) {
      timer = setTimeout(function () {
        var err = new Error('holdthread: no answer within ' + ms + ' ms');
        err.code = 'HOLDTHREAD_TIMEOUT';
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

  // -------------------------------------------------------- request payload

  function pickUser(user) {
    if (!isObject(user)) return null;
    return { id: pick(user.id, null), name: pick(user.name, null), email: pick(user.email, null) };
  }

  function pickComment(comment) {
    var author = isObject(comment.author) ? comment.author : {};
    return {
      id: pick(comment.id, null),
      author: { id: pick(author.id, null), name: pick(author.name, null), role: pick(author.role, null) },
      value: pick(comment.value, ''),
      createdAt: pick(comment.createdAt, null)
    };
  }

  // Project the ZAF ticket object onto the fields the service reads.
  function pickTicket(ticket) {
    var t = isObject(ticket) ? ticket : {};
    var assignee = isObject(t.assignee) ? t.assignee : {};
    var assigneeUser = isObject(assignee.user) ? assignee.user : null;
    var assigneeGroup = isObject(assignee.group) ? assignee.group : null;
    return {
      id: pick(t.id, null),
      subject: pick(t.subject, ''),
      status: pick(t.status, null),
      priority: pick(t.priority, null),
      type: pick(t.type, null),
      tags: Array.isArray(t.tags) ? t.tags.slice() : [],
      requester: pickUser(t.requester),
      assignee: {
        user: assigneeUser ? { id: pick(assigneeUser.id, null), name: pick(assigneeUser.name, null) } : null,
        group: assigneeGroup ? { id: pick(assigneeGroup.id, null), name: pick(assigneeGroup.name, null) } : null
      },
      comments: Array.isArray(t.comments) ? t.comments.filter(isObject).map(pickComment) : []
    };
  }

  function commentType(type) {
    return type === 'internalNote' ? 'internalNote' : 'publicReply';
  }

  // `data` is the object returned by client.get(['ticket', 'ticket.comment', 'currentUser']).
  function buildZendeskCheckBody(data) {
    var d = isObject(data) ? data : {};
    var comment = isObject(d['ticket.comment']) ? d['ticket.comment'] : {};
    var user = isObject(d.currentUser) ? d.currentUser : {};
    return {
      ticket: pickTicket(d.ticket),
      comment: { text: htmlToText(comment.text), type: commentType(comment.type) },
      currentUser: { id: pick(user.id, null), name: pick(user.name, null), role: pick(user.role, null) }
    };
  }

  // Options for client.request(). The token is never read by the app: ZAF's
  // proxy substitutes {{setting.token}} because the request is `secure: true`.
  function buildZendeskCheckRequest(serviceUrl, data, options) {
    var opts = options || {};
    var timeoutMs = pick(opts.timeoutMs, DEFAULT_TIMEOUT_MS);
    return {
      url: joinUrl(serviceUrl, CHECK_PATH),
      type: 'POST',
      contentType: 'application/json',
      dataType: 'json',
      data: JSON.stringify(buildZendeskCheckBody(data)),
      headers: { Authorization: AUTH_HEADER_TEMPLATE },
      secure: true,
      timeout: timeoutMs,
      httpCompleteResponse: true
    };
  }

  // ------------------------------------------------------------- decisions

  function failOpenDecision(reason) {
    return {
      action: 'allow',
      verdict: null,
      failOpen: true,
      reason: reason,
      score: null,
      message: 'holdthread could not check this update (' + reason + '). It was saved without a check.',
      annotations: [],
      timedOut: false
    };
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

  // Pure: service JSON body -> what to do with the save.
  function decideSave(response) {
    if (!isObject(response) || VERDICTS.indexOf(response.verdict) === -1) {
      return failOpenDecision('unexpected answer from the service');
    }
    var verdict = response.verdict;
    var message = typeof response.message === 'string' ? response.message.trim() : '';
    var annotations = normalizeAnnotations(response.annotations);
    if (!message && verdict === 'block') message = 'holdthread blocked this update.';
    if (!message && verdict === 'warn') {
      message = annotations.length
        ? annotations.map(function (a) { return a.message; }).filter(Boolean).join('\n')
        : 'holdthread has warnings for this update.';
    }
    return {
      action: verdict === 'block' ? 'cancel' : 'allow',
      verdict: verdict,
      failOpen: false,
      reason: null,
      score: typeof response.score === 'number' ? response.score : null,
      message: message,
      annotations: annotations,
      timedOut: response.timed_out === true
    };
  }

  // client.request() with httpCompleteResponse resolves {status, responseJSON,
  // responseText, headers}; without it, the parsed body. Returns
  // {status, body} or throws a tagged error for non-2xx / unreadable bodies.
  function readZafResponse(res) {
    var status = isObject(res) && typeof res.status === 'number' ? res.status : 200;
    if (status < 200 || status > 299) {
      var httpErr = new Error('HTTP ' + status);
      httpErr.code = 'HOLDTHREAD_HTTP';
      httpErr.status = status;
      throw httpErr;
    }
    var body = res;
    if (isObject(res) && ('responseJSON' in res || 'responseText' in res)) {
      body = res.responseJSON;
      if (body === undefined || body === null) {
        try {
          body = JSON.parse(res.responseText);
        } catch (e) {
          body = null;
        }
      }
    } else if (typeof res === 'string') {
      try {
        body = JSON.parse(res);
      } catch (e) {
        body = null;
      }
    }
    return { status: status, body: body };
  }

  function reasonFor(err) {
    if (err && err.code === 'HOLDTHREAD_TIMEOUT') return 'no answer within the time limit';
    if (err && err.code === 'HOLDTHREAD_CONFIG') return err.message;
    var status = err && typeof err.status === 'number' ? err.status : null;
    if (status && (status < 200 || status > 299)) return 'service answered HTTP ' + status;
    if (err && err.statusText === 'timeout') return 'no answer within the time limit';
    return 'service unreachable';
  }

  function getServiceUrl(client, options) {
    if (options.serviceUrl) return Promise.resolve(options.serviceUrl);
    if (!client || typeof client.metadata !== 'function') return Promise.resolve('');
    return Promise.resolve(client.metadata()).then(function (meta) {
      var settings = isObject(meta) && isObject(meta.settings) ? meta.settings : {};
      return settings.service_url || '';
    });
  }

  // Never rejects: resolves a decision object. `skipped: true` means the draft
  // was empty and no request was made.
  function runCheck(client, options) {
    var opts = options || {};
    var timeoutMs = pick(opts.timeoutMs, DEFAULT_TIMEOUT_MS);
    var work = Promise.resolve()
      .then(function () {
        return client.get(['ticket', 'ticket.comment', 'currentUser']);
      })
      .then(function (data) {
        var comment = isObject(data) && isObject(data['ticket.comment']) ? data['ticket.comment'] : {};
        if (isBlank(comment.text)) {
          return { action: 'allow', verdict: null, failOpen: false, skipped: true, reason: 'empty draft',
            score: null, message: '', annotations: [], timedOut: false };
        }
        return getServiceUrl(client, opts).then(function (serviceUrl) {
          if (!serviceUrl) {
            var cfg = new Error('the service URL setting is empty');
            cfg.code = 'HOLDTHREAD_CONFIG';
            throw cfg;
          }
          var request = buildZendeskCheckRequest(serviceUrl, data, { timeoutMs: timeoutMs });
          return Promise.resolve(client.request(request)).then(function (res) {
            return decideSave(readZafResponse(res).body);
          });
        });
      });
    return withTimeout(work, timeoutMs).catch(function (err) {
      return failOpenDecision(reasonFor(err));
    });
  }

  function safeInvoke(client, args) {
    try {
      var p = client.invoke.apply(client, args);
      if (p && typeof p.catch === 'function') p.catch(function () {});
    } catch (e) {
      /* notifications are best effort */
    }
  }

  function notifyFor(client, decision) {
    if (decision.skipped) return;
    if (decision.failOpen) {
      safeInvoke(client, ['notify', decision.message, 'notice']);
    } else if (decision.verdict === 'warn') {
      safeInvoke(client, ['notify', decision.message, 'alert']);
    }
  }

  // The ticket.save handler. Resolves true (save goes through) or rejects with
  // the service's message (save cancelled, message shown by Zendesk).
  function checkBeforeSave(client, options) {
    var opts = options || {};
    return runCheck(client, opts).then(function (decision) {
      notifyFor(client, decision);
      if (typeof opts.onDecision === 'function') {
        try {
          opts.onDecision(decision);
        } catch (e) {
          /* rendering must never affect the save */
        }
      }
      if (decision.action === 'cancel') return Promise.reject(decision.message);
      return true;
    });
  }

  function register(client, options) {
    client.on('ticket.save', function () {
      return checkBeforeSave(client, options);
    });
  }

  // ------------------------------------------------------------- rendering

  function renderDecisionHtml(decision) {
    if (!decision || decision.skipped) {
      return '<p class="ht-idle">holdthread checks each update when you submit it.</p>';
    }
    if (decision.failOpen) {
      return '<p class="ht-notice">' + escapeHtml(decision.message) + '</p>';
    }
    var head = { pass: 'No handoff problems found.', warn: 'Saved with warnings', block: 'Not saved' }[decision.verdict];
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
        if (a.suggestion) html += '<p class="ht-suggestion">Try: ' + escapeHtml(a.suggestion) + '</p>';
        html += '</li>';
      });
      html += '</ul>';
    }
    if (decision.timedOut) html += '<p class="ht-notice">The service ran out of time; this check may be partial.</p>';
    return html + '</div>';
  }

  return {
    DEFAULT_TIMEOUT_MS: DEFAULT_TIMEOUT_MS,
    CHECK_PATH: CHECK_PATH,
    AUTH_HEADER_TEMPLATE: AUTH_HEADER_TEMPLATE,
    htmlToText: htmlToText,
    isBlank: isBlank,
    escapeHtml: escapeHtml,
    withTimeout: withTimeout,
    pickTicket: pickTicket,
    buildZendeskCheckBody: buildZendeskCheckBody,
    buildZendeskCheckRequest: buildZendeskCheckRequest,
    readZafResponse: readZafResponse,
    decideSave: decideSave,
    failOpenDecision: failOpenDecision,
    runCheck: runCheck,
    checkBeforeSave: checkBeforeSave,
    register: register,
    renderDecisionHtml: renderDecisionHtml
  };
});
