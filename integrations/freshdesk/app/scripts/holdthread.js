/*
 * holdthread pre-send check for Freshdesk (Freshworks app SDK, platform 3.0).
 *
 * Works as a plain browser script (attaches `window.HoldThreadFreshdesk`) and
 * as a CommonJS module (`module.exports`) so the logic can be tested in Node.
 *
 * Intercept semantics: the app registers
 *   client.events.on('ticket.sendReply', cb, { intercept: true })
 * and must call exactly one of event.helper.done() (reply is sent) or
 * event.helper.fail(message) (reply is held, message shown to the agent).
 *
 * Fail open: when the service is unreachable, errors, answers non-2xx, answers
 * something that is not a verdict, or does not answer within `timeoutMs`
 * (3000 ms by default), the reply is sent and a small notice is shown.
 */
(function (root, factory) {
  var api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.HoldThreadFreshdesk = api;
  }
})(typeof window !== 'undefined' ? window : null, function () {
  'use strict';

  var DEFAULT_TIMEOUT_MS = 3000;
  var TEMPLATE_NAME = 'holdthreadCheck';
  var CHECK_PATH = '/v1/freshdesk/check';
  var VERDICTS = ['pass', 'warn', 'block'];

  // ---------------------------------------------------------------- helpers

  function isObject(value) {
    return value !== null && typeof value === 'object';
  }

  function pick(value, fallback) {
    return value === undefined ? fallback : value;
  }

  var ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

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

  // client.data.get('ticket') resolves { ticket: {...} }.
  function pickTicket(ticket) {
    var t = isObject(ticket) ? ticket : {};
    return {
      id: pick(t.id, null),
      subject: pick(t.subject, ''),
      description_text: pick(t.description_text, ''),
      status: pick(t.status, null),
      priority: pick(t.priority, null),
      type: pick(t.type, null),
      tags: Array.isArray(t.tags) ? t.tags.slice() : [],
      requester_id: pick(t.requester_id, null),
      responder_id: pick(t.responder_id, null),
      group_id: pick(t.group_id, null),
      created_at: pick(t.created_at, null)
    };
  }

  function pickConversation(c) {
    return {
      id: pick(c.id, null),
      body_text: c.body_text !== undefined ? c.body_text : htmlToText(c.body),
      private: c.private === true,
      incoming: c.incoming === true,
      user_id: pick(c.user_id, null),
      created_at: pick(c.created_at, null)
    };
  }

  function pickConversations(list) {
    return Array.isArray(list) ? list.filter(isObject).map(pickConversation) : [];
  }

  // client.data.get('loggedInUser') resolves { loggedInUser: { id, contact: { name, email }, ... } }.
  function pickAgent(user) {
    var u = isObject(user) ? user : {};
    var contact = isObject(u.contact) ? u.contact : {};
    return { id: pick(u.id, null), contact: { name: pick(contact.name, null), email: pick(contact.email, null) } };
  }

  // The reply draft from event.helper.getData(). The payload's exact shape is
  // not pinned down by the SDK docs, so accept the usual spellings; HTML is
  // reduced to text. ticket.sendReply is the public reply button (notes use
  // ticket.addNote), so `private` defaults to false. Returns null when the
  // payload carries no recognisable draft field at all (the caller then fails
  // open with a visible notice instead of silently skipping every check).
  function replyFromEventData(data) {
    var d = isObject(data) ? data : {};
    var src = isObject(d.reply) ? d.reply : d;
    var text;
    if (typeof src.body_text === 'string') text = src.body_text;
    else if (typeof src.body === 'string') text = htmlToText(src.body);
    else if (typeof src.text === 'string') text = htmlToText(src.text);
    else if (typeof src.content === 'string') text = htmlToText(src.content);
    else return null;
    return { body_text: text, private: src.private === true };
  }

  function buildFreshdeskCheckBody(parts) {
    var p = isObject(parts) ? parts : {};
    var reply = isObject(p.reply) ? p.reply : {};
    return {
      ticket: pickTicket(p.ticket),
      conversations: pickConversations(p.conversations),
      reply: { body_text: pick(reply.body_text, ''), private: reply.private === true },
      agent: pickAgent(p.agent)
    };
  }

  // Arguments for client.request.invokeTemplate(name, options). Host, path,
  // Authorization header and options live in config/requests.json.
  function buildFreshdeskCheckRequest(parts) {
    return [TEMPLATE_NAME, { context: {}, body: JSON.stringify(buildFreshdeskCheckBody(parts)) }];
  }

  // ------------------------------------------------------------- decisions

  function failOpenDecision(reason) {
    return {
      action: 'done',
      verdict: null,
      failOpen: true,
      reason: reason,
      score: null,
      message: 'holdthread could not check this reply (' + reason + '). It was sent without a check.',
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

  // Pure: service JSON body -> what to do with the reply.
  function decideSend(response) {
    if (!isObject(response) || VERDICTS.indexOf(response.verdict) === -1) {
      return failOpenDecision('unexpected answer from the service');
    }
    var verdict = response.verdict;
    var message = typeof response.message === 'string' ? response.message.trim() : '';
    var annotations = normalizeAnnotations(response.annotations);
    if (!message && verdict === 'block') message = 'holdthread blocked this reply.';
    if (!message && verdict === 'warn') {
      message = annotations.length
        ? annotations.map(function (a) { return a.message; }).filter(Boolean).join('\n')
        : 'holdthread has warnings for this reply.';
    }
    return {
      action: verdict === 'block' ? 'fail' : 'done',
      verdict: verdict,
      failOpen: false,
      reason: null,
      score: typeof response.score === 'number' ? response.score : null,
      message: message,
      annotations: annotations,
      timedOut: response.timed_out === true
    };
  }

  // invokeTemplate resolves { status, headers, response: "<body string>" } and
  // rejects with { status, headers, response, errorSource } on errors.
  function readTemplateResponse(res) {
    var status = isObject(res) && typeof res.status === 'number' ? res.status : 200;
    if (status < 200 || status > 299) {
      var httpErr = new Error('HTTP ' + status);
      httpErr.status = status;
      throw httpErr;
    }
    var raw = isObject(res) ? res.response : res;
    var body = raw;
    if (typeof raw === 'string') {
      try {
        body = JSON.parse(raw);
      } catch (e) {
        body = null;
      }
    }
    return { status: status, body: body };
  }

  function reasonFor(err) {
    if (err && err.code === 'HOLDTHREAD_TIMEOUT') return 'no answer within the time limit';
    var status = err && typeof err.status === 'number' ? err.status : null;
    if (status === 504) return 'no answer within the time limit';
    if (status && (status < 200 || status > 299)) return 'service answered HTTP ' + status;
    return 'service unreachable';
  }

  function dataGet(client, name) {
    return Promise.resolve()
      .then(function () {
        return client.data.get(name);
      })
      .then(function (res) {
        return isObject(res) ? res[name] : undefined;
      });
  }

  // Conversations are best effort: when the platform does not expose them to
  // front-end apps, an empty list is sent and the service works without them.
  function getConversations(client) {
    return dataGet(client, 'conversations').then(
      function (list) {
        return Array.isArray(list) ? list : [];
      },
      function () {
        return [];
      }
    );
  }

  // Never rejects: resolves a decision object. `skipped: true` means the draft
  // was empty and no request was made.
  function runCheck(client, event, options) {
    var opts = options || {};
    var timeoutMs = pick(opts.timeoutMs, DEFAULT_TIMEOUT_MS);
    var work = Promise.resolve()
      .then(function () {
        return event.helper.getData();
      })
      .then(function (data) {
        var reply = replyFromEventData(data);
        if (reply === null) return failOpenDecision('could not read the reply draft');
        if (isBlank(reply.body_text)) {
          return { action: 'done', verdict: null, failOpen: false, skipped: true, reason: 'empty draft',
            score: null, message: '', annotations: [], timedOut: false };
        }
        return Promise.all([
          dataGet(client, 'ticket'),
          getConversations(client),
          dataGet(client, 'loggedInUser')
        ]).then(function (got) {
          var args = buildFreshdeskCheckRequest({ ticket: got[0], conversations: got[1], reply: reply, agent: got[2] });
          return Promise.resolve(client.request.invokeTemplate(args[0], args[1])).then(function (res) {
            return decideSend(readTemplateResponse(res).body);
          });
        });
      });
    return withTimeout(work, timeoutMs).catch(function (err) {
      return failOpenDecision(reasonFor(err));
    });
  }

  function safeNotify(client, type, message) {
    try {
      var p = client.interface.trigger('showNotify', { type: type, message: message });
      if (p && typeof p.catch === 'function') p.catch(function () {});
    } catch (e) {
      /* notifications are best effort */
    }
  }

  // The intercept handler body. Calls event.helper.done() or
  // event.helper.fail(message) exactly once; resolves the decision.
  function checkBeforeSend(client, event, options) {
    var opts = options || {};
    return runCheck(client, event, opts).then(function (decision) {
      if (!decision.skipped) {
        if (decision.failOpen) safeNotify(client, 'info', decision.message);
        else if (decision.verdict === 'warn') safeNotify(client, 'warning', decision.message);
      }
      if (typeof opts.onDecision === 'function') {
        try {
          opts.onDecision(decision);
        } catch (e) {
          /* rendering must never affect the reply */
        }
      }
      if (decision.action === 'fail') event.helper.fail(decision.message);
      else event.helper.done();
      return decision;
    });
  }

  function register(client, options) {
    client.events.on(
      'ticket.sendReply',
      function (event) {
        return checkBeforeSend(client, event, options);
      },
      { intercept: true }
    );
  }

  // ------------------------------------------------------------- rendering

  function renderDecisionHtml(decision) {
    if (!decision || decision.skipped) {
      return '<p class="ht-idle">holdthread checks each reply when you send it.</p>';
    }
    if (decision.failOpen) {
      return '<p class="ht-notice">' + escapeHtml(decision.message) + '</p>';
    }
    var head = { pass: 'No handoff problems found.', warn: 'Sent with warnings', block: 'Not sent' }[decision.verdict];
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
    TEMPLATE_NAME: TEMPLATE_NAME,
    CHECK_PATH: CHECK_PATH,
    htmlToText: htmlToText,
    isBlank: isBlank,
    escapeHtml: escapeHtml,
    withTimeout: withTimeout,
    pickTicket: pickTicket,
    replyFromEventData: replyFromEventData,
    buildFreshdeskCheckBody: buildFreshdeskCheckBody,
    buildFreshdeskCheckRequest: buildFreshdeskCheckRequest,
    readTemplateResponse: readTemplateResponse,
    decideSend: decideSend,
    failOpenDecision: failOpenDecision,
    runCheck: runCheck,
    checkBeforeSend: checkBeforeSend,
    register: register,
    renderDecisionHtml: renderDecisionHtml
  };
});
