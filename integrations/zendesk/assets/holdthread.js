/*
 * holdthread pre-submit check for Zendesk Support (ZAF v2).
 *
 * Works as a plain browser script (attaches `window.HoldThreadZendesk`) and as
 * a CommonJS module (`module.exports`) so the logic can be tested in Node.
 * The shared logic (HTML-to-text, timer race, verdicts, rendering) is in
 * holdthread-core.js: iframe.html loads it with a <script> tag before this
 * file (`window.HoldThreadCore`); in Node it is require()d from
 * integrations/shared/. This file keeps what is Zendesk-specific: the
 * ticket.save hook, the request payload and the ZAF response shape.
 *
 * ZAF save-hook semantics (zendesk_app_framework_sdk lib/utils.ts `when`):
 * a handler that returns a promise lets the save through when the promise
 * resolves and cancels it when the promise rejects; the rejection value (a
 * string) is shown to the agent. `checkBeforeSave` follows that contract.
 *
 * Fail open: when the service is unreachable, errors, answers non-2xx, answers
 * something that is not a verdict, or does not answer within `timeoutMs`
 * (3000 ms by default), the save goes through and a small notice is shown.
 *
 * Feedback: the sidebar shows "Not right?" on each finding and "Save anyway"
 * (with a required reason) on a block; both POST to /v1/feedback through the
 * same secure request as the check. After "Save anyway" the next save goes
 * through despite a block (once).
 */
(function (root, factory) {
  var isCommonJs = typeof module === 'object' && module.exports;
  var core = isCommonJs ? require('../../shared/holdthread-core.js') : root && root.HoldThreadCore;
  if (!core) throw new Error('holdthread: load holdthread-core.js before holdthread.js');
  var api = factory(core);
  if (isCommonJs) {
    module.exports = api;
  }
  if (root) {
    root.HoldThreadZendesk = api;
  }
})(typeof window !== 'undefined' ? window : null, function (core) {
  'use strict';

  var CHECK_PATH = '/v1/zendesk/check';
  var AUTH_HEADER_TEMPLATE = 'Bearer {{setting.token}}';
  var CONFIG_CODE = 'HOLDTHREAD_CONFIG';
  var isObject = core.isObject;
  var pick = core.pick;

  // Wording and action names for the shared decision/rendering code.
  var PROFILE = {
    noun: 'update',
    sentAs: 'saved',
    actions: { allow: 'allow', block: 'cancel' },
    idle: 'holdthread checks each update when you submit it.',
    heads: { pass: 'No handoff problems found.', warn: 'Saved with warnings', block: 'Not saved' },
    notices: { failOpen: 'notice', warn: 'alert' },
    override: {
      label: 'Save anyway',
      placeholder: 'Why save it anyway? (required)',
      armed: 'Override recorded. Submit again to save this update despite the block.',
      head: 'Saved anyway (override recorded)'
    }
  };

  function joinUrl(base, path) {
    return String(base || '').replace(/\/+$/, '') + path;
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
  // `savedAssigneeId` is the assignee when the ticket was opened or last saved: only an assignee
  // the agent changed in this save is sent as `newAssignee` (a new owner set with the note).
  function buildZendeskCheckBody(data, savedAssigneeId) {
    var d = isObject(data) ? data : {};
    var comment = isObject(d['ticket.comment']) ? d['ticket.comment'] : {};
    var user = isObject(d.currentUser) ? d.currentUser : {};
    var ticket = pickTicket(d.ticket);
    var body = {
      ticket: ticket,
      comment: { text: core.htmlToText(comment.text), type: commentType(comment.type) },
      currentUser: { id: pick(user.id, null), name: pick(user.name, null), role: pick(user.role, null) }
    };
    var now = ticket.assignee.user;
    if (savedAssigneeId !== undefined && now && now.id !== null && String(now.id) !== String(savedAssigneeId)) {
      body.newAssignee = { id: now.id, name: now.name };
    }
    return body;
  }

  // Remember who the ticket is assigned to now, so that a save can tell a changed assignee.
  function rememberAssignee(client, opts) {
    return Promise.resolve(client.get('ticket.assignee')).then(function (data) {
      var assignee = isObject(data) && isObject(data['ticket.assignee']) ? data['ticket.assignee'] : {};
      var user = isObject(assignee.user) ? assignee.user : null;
      opts.savedAssigneeId = user && user.id !== undefined ? user.id : null;
    }, function () { /* unknown: no assignee counts as new */ });
  }

  // Options for client.request(): a JSON POST to the service. The token is never
  // read by the app: ZAF's proxy substitutes {{setting.token}} because the
  // request is `secure: true`.
  function serviceRequest(serviceUrl, path, body, timeoutMs) {
    return {
      url: joinUrl(serviceUrl, path),
      type: 'POST',
      contentType: 'application/json',
      dataType: 'json',
      data: JSON.stringify(body),
      headers: { Authorization: AUTH_HEADER_TEMPLATE },
      secure: true,
      timeout: pick(timeoutMs, core.DEFAULT_TIMEOUT_MS),
      httpCompleteResponse: true
    };
  }

  function buildZendeskCheckRequest(serviceUrl, data, options) {
    var opts = options || {};
    return serviceRequest(serviceUrl, CHECK_PATH, buildZendeskCheckBody(data, opts.savedAssigneeId), opts.timeoutMs);
  }

  // POST one feedback body to /v1/feedback; rejects on a non-2xx answer.
  function sendFeedback(client, options, body) {
    var opts = options || {};
    return getServiceUrl(client, opts).then(function (serviceUrl) {
      if (!serviceUrl) throw new Error('the service URL setting is empty');
      return Promise.resolve(client.request(serviceRequest(serviceUrl, core.FEEDBACK_PATH, body, opts.timeoutMs)));
    }).then(readZafResponse);
  }

  // The sidebar's feedback loop for this client ("Not right?", "Save anyway").
  function feedbackController(client, options) {
    var opts = options || {};
    return core.feedbackController(PROFILE, function (body) {
      return sendFeedback(client, opts, body);
    }, opts);
  }

  // ------------------------------------------------------------- decisions

  function failOpenDecision(reason) {
    return core.failOpenDecision(PROFILE, reason);
  }

  // Pure: service JSON body -> what to do with the save.
  function decideSave(response) {
    return core.decide(PROFILE, response);
  }

  // client.request() with httpCompleteResponse resolves {status, responseJSON,
  // responseText, headers}; without it, the parsed body. Returns
  // {status, body} or throws a tagged error for non-2xx / unreadable bodies.
  function readZafResponse(res) {
    var status = core.checkStatus(res);
    var body = res;
    if (isObject(res) && ('responseJSON' in res || 'responseText' in res)) {
      body = res.responseJSON;
      if (body === undefined || body === null) body = core.parseJson(res.responseText);
    } else if (typeof res === 'string') {
      body = core.parseJson(res);
    }
    return { status: status, body: body };
  }

  // ZAF-specific failures first: a missing setting, and jQuery-style
  // rejections ({status: 0, statusText: 'timeout'}) from client.request.
  function reasonFor(err) {
    if (err && err.code === CONFIG_CODE) return err.message;
    if (err && err.statusText === 'timeout' && !core.httpReason(err)) return core.TIME_LIMIT_REASON;
    return core.reasonFor(err);
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
    return core.guardedCheck(PROFILE, opts, function (timeoutMs) {
      return Promise.resolve(client.get(['ticket', 'ticket.comment', 'currentUser'])).then(function (data) {
        var comment = isObject(data) && isObject(data['ticket.comment']) ? data['ticket.comment'] : {};
        if (core.isBlank(comment.text)) return core.skippedDecision(PROFILE);
        return getServiceUrl(client, opts).then(function (serviceUrl) {
          if (!serviceUrl) {
            var cfg = new Error('the service URL setting is empty');
            cfg.code = CONFIG_CODE;
            throw cfg;
          }
          var request = buildZendeskCheckRequest(serviceUrl, data, {
            timeoutMs: timeoutMs, savedAssigneeId: opts.savedAssigneeId
          });
          return Promise.resolve(client.request(request)).then(function (res) {
            return decideSave(readZafResponse(res).body);
          });
        });
      });
    }, reasonFor);
  }

  // The ticket.save handler. Resolves true (save goes through) or rejects with
  // the service's message (save cancelled, message shown by Zendesk).
  function checkBeforeSave(client, options) {
    var opts = options || {};
    return runCheck(client, opts).then(function (checked) {
      var decision = opts.feedback ? opts.feedback.settle(checked) : checked;
      core.announce(PROFILE, decision, opts, function (type, message) {
        return client.invoke('notify', message, type);
      });
      if (decision.action === 'cancel') return Promise.reject(decision.message);
      return true;
    });
  }

  // Hooks the save; `options.feedback` becomes the sidebar's feedback loop
  // (main.js sends clicks in the sidebar to options.feedback.handleClick).
  function register(client, options) {
    var opts = options || {};
    opts.feedback = opts.feedback || feedbackController(client, opts);
    rememberAssignee(client, opts);
    // After a successful save the saved assignee is whatever was just saved.
    client.on('ticket.submit.done', function () { rememberAssignee(client, opts); });
    client.on('ticket.save', function () {
      return checkBeforeSave(client, opts);
    });
  }

  function renderDecisionHtml(decision) {
    return core.renderDecisionHtml(PROFILE, decision);
  }

  return {
    DEFAULT_TIMEOUT_MS: core.DEFAULT_TIMEOUT_MS,
    CHECK_PATH: CHECK_PATH,
    AUTH_HEADER_TEMPLATE: AUTH_HEADER_TEMPLATE,
    htmlToText: core.htmlToText,
    isBlank: core.isBlank,
    escapeHtml: core.escapeHtml,
    withTimeout: core.withTimeout,
    pickTicket: pickTicket,
    buildZendeskCheckBody: buildZendeskCheckBody,
    rememberAssignee: rememberAssignee,
    buildZendeskCheckRequest: buildZendeskCheckRequest,
    sendFeedback: sendFeedback,
    feedbackController: feedbackController,
    readZafResponse: readZafResponse,
    decideSave: decideSave,
    failOpenDecision: failOpenDecision,
    runCheck: runCheck,
    checkBeforeSave: checkBeforeSave,
    register: register,
    renderDecisionHtml: renderDecisionHtml
  };
});
