/*
 * holdthread pre-send check for Freshdesk (Freshworks app SDK, platform 3.0).
 *
 * Works as a plain browser script (attaches `window.HoldThreadFreshdesk`) and
 * as a CommonJS module (`module.exports`) so the logic can be tested in Node.
 * The shared logic (HTML-to-text, timer race, verdicts, rendering) is in
 * holdthread-core.js: index.html loads it with a <script> tag before this
 * file (`window.HoldThreadCore`); in Node it is require()d from
 * integrations/shared/. This file keeps what is Freshdesk-specific: the
 * ticket.sendReply intercept, the request payload and template, and the
 * invokeTemplate response shape.
 *
 * Intercept semantics: the app registers
 *   client.events.on('ticket.sendReply', cb, { intercept: true })
 * and must call exactly one of event.helper.done() (reply is sent) or
 * event.helper.fail(message) (reply is held, message shown to the agent).
 *
 * Fail open: when the service is unreachable, errors, answers non-2xx, answers
 * something that is not a verdict, or does not answer within `timeoutMs`
 * (3000 ms by default), the reply is sent and a small notice is shown.
 *
 * Feedback: the sidebar shows "Not right?" on each finding and "Send anyway"
 * (with a required reason) on a block; both POST to /v1/feedback through the
 * holdthreadFeedback request template. After "Send anyway" the next send goes
 * through despite a block (once).
 */
(function (root, factory) {
  var isCommonJs = typeof module === 'object' && module.exports;
  var core = isCommonJs ? require('../../../shared/holdthread-core.js') : root && root.HoldThreadCore;
  if (!core) throw new Error('holdthread: load holdthread-core.js before holdthread.js');
  var api = factory(core);
  if (isCommonJs) {
    module.exports = api;
  }
  if (root) {
    root.HoldThreadFreshdesk = api;
  }
})(typeof window !== 'undefined' ? window : null, function (core) {
  'use strict';

  var TEMPLATE_NAME = 'holdthreadCheck';
  var FEEDBACK_TEMPLATE_NAME = 'holdthreadFeedback';
  var CHECK_PATH = '/v1/freshdesk/check';
  var isObject = core.isObject;
  var pick = core.pick;
  var htmlToText = core.htmlToText;

  // Wording and action names for the shared decision/rendering code.
  var PROFILE = {
    noun: 'reply',
    sentAs: 'sent',
    actions: { allow: 'done', block: 'fail' },
    idle: 'holdthread checks each reply when you send it.',
    heads: { pass: 'No handoff problems found.', warn: 'Sent with warnings', block: 'Not sent' },
    notices: { failOpen: 'info', warn: 'warning' },
    override: {
      label: 'Send anyway',
      placeholder: 'Why send it anyway? (required)',
      missingReason: 'Say why you send it anyway: the reason is what your team lead reviews.',
      armed: 'Override recorded. Send the reply again to send it despite the block.',
      head: 'Sent anyway (override recorded)'
    }
  };

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

  // POST one feedback body to /v1/feedback (host, path and token live in
  // config/requests.json); rejects on a non-2xx answer.
  function sendFeedback(client, body) {
    return Promise.resolve()
      .then(function () {
        return client.request.invokeTemplate(FEEDBACK_TEMPLATE_NAME, { context: {}, body: JSON.stringify(body) });
      })
      .then(readTemplateResponse);
  }

  // The sidebar's feedback loop for this client ("Not right?", "Send anyway").
  function feedbackController(client, options) {
    return core.feedbackController(PROFILE, function (body) {
      return sendFeedback(client, body);
    }, options);
  }

  // ------------------------------------------------------------- decisions

  function failOpenDecision(reason) {
    return core.failOpenDecision(PROFILE, reason);
  }

  // Pure: service JSON body -> what to do with the reply.
  function decideSend(response) {
    return core.decide(PROFILE, response);
  }

  // invokeTemplate resolves { status, headers, response: "<body string>" } and
  // rejects with { status, headers, response, errorSource } on errors.
  function readTemplateResponse(res) {
    var status = core.checkStatus(res);
    var raw = isObject(res) ? res.response : res;
    return { status: status, body: typeof raw === 'string' ? core.parseJson(raw) : raw };
  }

  // The request proxy answers 504 when the service is too slow for it.
  function reasonFor(err) {
    if (err && err.status === 504) return core.TIME_LIMIT_REASON;
    return core.reasonFor(err);
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
    return core.guardedCheck(PROFILE, options, function () {
      return Promise.resolve(event.helper.getData()).then(function (data) {
        var reply = replyFromEventData(data);
        if (reply === null) return failOpenDecision('could not read the reply draft');
        if (core.isBlank(reply.body_text)) return core.skippedDecision(PROFILE);
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
    }, reasonFor);
  }

  // The intercept handler body. Calls event.helper.done() or
  // event.helper.fail(message) exactly once; resolves the decision.
  function checkBeforeSend(client, event, options) {
    var opts = options || {};
    return runCheck(client, event, opts).then(function (checked) {
      var decision = opts.feedback ? opts.feedback.settle(checked) : checked;
      core.announce(PROFILE, decision, opts, function (type, message) {
        return client.interface.trigger('showNotify', { type: type, message: message });
      });
      if (decision.action === 'fail') event.helper.fail(decision.message);
      else event.helper.done();
      return decision;
    });
  }

  // Intercepts sends; `options.feedback` becomes the sidebar's feedback loop
  // (app.js sends clicks in the sidebar to options.feedback.handleClick).
  function register(client, options) {
    var opts = options || {};
    opts.feedback = opts.feedback || feedbackController(client, opts);
    client.events.on(
      'ticket.sendReply',
      function (event) {
        return checkBeforeSend(client, event, opts);
      },
      { intercept: true }
    );
  }

  function renderDecisionHtml(decision) {
    return core.renderDecisionHtml(PROFILE, decision);
  }

  return {
    DEFAULT_TIMEOUT_MS: core.DEFAULT_TIMEOUT_MS,
    TEMPLATE_NAME: TEMPLATE_NAME,
    FEEDBACK_TEMPLATE_NAME: FEEDBACK_TEMPLATE_NAME,
    CHECK_PATH: CHECK_PATH,
    htmlToText: htmlToText,
    isBlank: core.isBlank,
    escapeHtml: core.escapeHtml,
    withTimeout: core.withTimeout,
    pickTicket: pickTicket,
    replyFromEventData: replyFromEventData,
    buildFreshdeskCheckBody: buildFreshdeskCheckBody,
    buildFreshdeskCheckRequest: buildFreshdeskCheckRequest,
    readTemplateResponse: readTemplateResponse,
    sendFeedback: sendFeedback,
    feedbackController: feedbackController,
    decideSend: decideSend,
    failOpenDecision: failOpenDecision,
    runCheck: runCheck,
    checkBeforeSend: checkBeforeSend,
    register: register,
    renderDecisionHtml: renderDecisionHtml
  };
});
