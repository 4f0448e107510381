'use strict';

// Tests for the Freshdesk pre-send app: integrations/freshdesk.
// Run with: node --test tests/js/

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const APP_DIR = path.join(__dirname, '..', '..', 'integrations', 'freshdesk');
const ht = require(path.join(APP_DIR, 'app', 'scripts', 'holdthread.js'));
const { BLOCK_WITH_IDS, clickOn, fakeResults } = require('./fake-dom.js');

function readJson(rel) {
  return JSON.parse(fs.readFileSync(path.join(APP_DIR, rel), 'utf8'));
}

// client.data.get('ticket').ticket, with extra fields the app must not forward.
function fdTicket() {
  return {
    id: 733,
    subject: 'Charged twice',
    description: '<div>I was charged twice.</div>',
    description_text: 'I was charged twice.',
    status: 2,
    priority: 3,
    type: 'Refund',
    tags: ['billing'],
    requester_id: 5001,
    responder_id: 6001,
    group_id: 7001,
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-21T10:00:00Z',
    custom_fields: { cf_order: '1182' },
    source: 1
  };
}

function fdConversations() {
  return [
    { id: 9001, body: '<div>Any update?</div>', body_text: 'Any update?', private: false, incoming: true, user_id: 5001, created_at: '2026-11-20T11:00:00Z', source: 0, ticket_id: 733 },
    { id: 9002, body: '<div>Billing owns this.</div>', private: true, incoming: false, user_id: 6001, created_at: '2026-11-20T12:00:00Z' }
  ];
}

function loggedInUser() {
  return { id: 6001, available: true, contact: { name: 'Rahul Agent', email: 'rahul@example.com', job_title: 'Agent' }, group_ids: [7001] };
}

// Fake Freshdesk client: events.on, data.get, request.invokeTemplate, interface.trigger.
function fakeClient(opts) {
  const o = opts || {};
  const calls = { on: [], dataGet: [], invokeTemplate: [], trigger: [] };
  const objects = Object.assign(
    { ticket: fdTicket(), loggedInUser: loggedInUser() },
    'conversations' in o ? (o.conversations === undefined ? {} : { conversations: o.conversations }) : { conversations: fdConversations() }
  );
  return {
    calls,
    events: {
      on(name, cb, options) {
        calls.on.push({ name, cb, options });
      }
    },
    data: {
      get(name) {
        calls.dataGet.push(name);
        if (!(name in objects)) return Promise.reject({ message: 'Invalid data object: ' + name });
        return Promise.resolve({ [name]: objects[name] });
      }
    },
    request: {
      invokeTemplate(name, options) {
        calls.invokeTemplate.push({ name, options });
        return o.invokeTemplate ? o.invokeTemplate(name, options) : Promise.resolve(ok({ verdict: 'pass', score: 97, message: '', annotations: [], timed_out: false }));
      }
    },
    interface: {
      trigger(action, payload) {
        calls.trigger.push({ action, payload });
        return Promise.resolve();
      }
    }
  };
}

// invokeTemplate success shape: body is a string.
function ok(body, status) {
  return { status: status || 200, headers: { 'content-type': 'application/json' }, response: JSON.stringify(body) };
}

// Fake intercept event recording done/fail.
function fakeEvent(data) {
  const calls = { done: 0, fail: [] };
  return {
    calls,
    type: 'ticket.sendReply',
    helper: {
      getData: () => (data === undefined ? { body: '<div>Hi Dana, Tier 2 billing (Priya) owns the refund and will reply by Friday.</div>' } : data),
      done: () => { calls.done += 1; },
      fail: (message) => { calls.fail.push(message); }
    }
  };
}

const WARN = {
  verdict: 'warn',
  score: 61,
  message: 'No next step for the customer.\nSay when they will hear back.',
  annotations: [{ rule: 'next-step', severity: 'warning', message: 'No next step', text: 'we are looking into it', suggestion: 'You will hear from us by Friday.' }],
  timed_out: false
};

const BLOCK = {
  verdict: 'block',
  score: 8,
  message: 'Refund promised without verifying the requester.',
  annotations: [{ rule: 'refund-verify', severity: 'error', message: 'Refund without verification' }],
  timed_out: false
};

function notifies(client) {
  return client.calls.trigger.filter((t) => t.action === 'showNotify');
}

function assertSentOnce(event) {
  assert.equal(event.calls.done, 1, 'done() called exactly once');
  assert.deepEqual(event.calls.fail, [], 'fail() not called');
}

// ------------------------------------------------------------------ wiring

test('register() intercepts ticket.sendReply with { intercept: true }', async () => {
  const client = fakeClient({ invokeTemplate: () => Promise.resolve(ok(BLOCK)) });
  ht.register(client, { timeoutMs: 200 });
  assert.equal(client.calls.on.length, 1);
  assert.equal(client.calls.on[0].name, 'ticket.sendReply');
  assert.deepEqual(client.calls.on[0].options, { intercept: true });
  const event = fakeEvent();
  await client.calls.on[0].cb(event);
  assert.deepEqual(event.calls.fail, [BLOCK.message]);
});

test('app.js registers the intercept once app.initialized() resolves', async () => {
  const client = fakeClient();
  const results = fakeResults();
  const sandbox = {
    app: { initialized: () => Promise.resolve(client) },
    document: {
      readyState: 'complete',
      getElementById: (id) => (id === 'holdthread-results' ? results : null),
      addEventListener() {}
    },
    setTimeout,
    clearTimeout,
    Promise,
    console
  };
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  for (const file of ['holdthread-core.js', 'holdthread.js', 'app.js']) {
    vm.runInContext(fs.readFileSync(path.join(APP_DIR, 'app', 'scripts', file), 'utf8'), sandbox, { filename: file });
  }
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(typeof sandbox.HoldThreadFreshdesk.checkBeforeSend, 'function', 'browser build attaches to window');
  // options object comes from the vm realm: compare its JSON form
  assert.deepEqual(client.calls.on.map((c) => [c.name, JSON.stringify(c.options)]), [['ticket.sendReply', '{"intercept":true}']]);
  assert.match(results.innerHTML, /checks each reply/);
  assert.deepEqual(results.listeners.map((l) => l.type), ['click'], 'sidebar clicks reach the feedback buttons');
});

// ------------------------------------------------------------------ verdicts

test('pass: reply is sent (done), no notification', async () => {
  const client = fakeClient();
  const event = fakeEvent();
  const decision = await ht.checkBeforeSend(client, event, { timeoutMs: 500 });
  assertSentOnce(event);
  assert.equal(decision.verdict, 'pass');
  assert.equal(client.calls.invokeTemplate.length, 1);
  assert.equal(notifies(client).length, 0);
});

test('warn: warning notification first, then done()', async () => {
  const client = fakeClient({ invokeTemplate: () => Promise.resolve(ok(WARN)) });
  const order = [];
  const event = fakeEvent();
  const done = event.helper.done;
  event.helper.done = () => { order.push('done'); done(); };
  const trigger = client.interface.trigger;
  client.interface.trigger = (a, p) => { order.push(a); return trigger(a, p); };
  let seen = null;
  await ht.checkBeforeSend(client, event, { timeoutMs: 500, onDecision: (d) => (seen = d) });
  assertSentOnce(event);
  assert.deepEqual(notifies(client).map((n) => n.payload), [{ type: 'warning', message: WARN.message }]);
  assert.deepEqual(order, ['showNotify', 'done']);
  assert.match(ht.renderDecisionHtml(seen), /next-step/);
});

test('block: fail(message), reply is not sent', async () => {
  const client = fakeClient({ invokeTemplate: () => Promise.resolve(ok(BLOCK)) });
  const event = fakeEvent();
  const decision = await ht.checkBeforeSend(client, event, { timeoutMs: 500 });
  assert.equal(event.calls.done, 0);
  assert.deepEqual(event.calls.fail, [BLOCK.message]);
  assert.equal(decision.action, 'fail');
  assert.equal(notifies(client).length, 0);
});

// ------------------------------------------------------------------ feedback

function feedbackClient(answer) {
  return fakeClient({
    invokeTemplate: (name) => Promise.resolve(name === ht.FEEDBACK_TEMPLATE_NAME ? ok({ status: 'recorded' }, 201) : ok(answer))
  });
}

function feedbackCalls(client) {
  return client.calls.invokeTemplate.filter((c) => c.name === ht.FEEDBACK_TEMPLATE_NAME);
}

test('"Not right?" posts a false alarm through the holdthreadFeedback template', async () => {
  const client = feedbackClient(BLOCK_WITH_IDS);
  let seen = null;
  const opts = { timeoutMs: 500, onDecision: (d) => (seen = d) };
  ht.register(client, opts);
  await client.calls.on[0].cb(fakeEvent());
  const click = clickOn(ht.renderDecisionHtml(seen), 'false_alarm', { findingId: 'f_77b1', reason: 'The customer wrote it; I quoted them' });
  assert.equal((await opts.feedback.handleClick(click.target)).ok, true);
  const [call] = feedbackCalls(client);
  assert.deepEqual(JSON.parse(call.options.body), { finding_id: 'f_77b1', verdict: 'false_alarm', reason: 'The customer wrote it; I quoted them' });
  assert.match(click.container.innerHTML, /recorded as a false alarm/);
});

test('"Send anyway" records the override; the next send goes through despite the block, once', async () => {
  const client = feedbackClient(BLOCK_WITH_IDS);
  let seen = null;
  const opts = { timeoutMs: 500, onDecision: (d) => (seen = d) };
  ht.register(client, opts);
  const blocked = fakeEvent();
  await client.calls.on[0].cb(blocked);
  assert.deepEqual(blocked.calls.fail, [BLOCK_WITH_IDS.message]);
  const sidebar = ht.renderDecisionHtml(seen);
  assert.match(sidebar, /Send anyway<\/button>/);
  assert.equal((await opts.feedback.handleClick(clickOn(sidebar, 'override').target)).ok, false, 'a reason is required');
  await opts.feedback.handleClick(clickOn(sidebar, 'override', { reason: 'Customer asked for this exact wording' }).target);
  assert.deepEqual(feedbackCalls(client).map((c) => JSON.parse(c.options.body)),
    [{ finding_id: 'f_3a9c', verdict: 'override', reason: 'Customer asked for this exact wording' }]);

  const sent = fakeEvent();
  await client.calls.on[0].cb(sent);
  assertSentOnce(sent);
  assert.match(ht.renderDecisionHtml(seen), /Sent anyway \(override recorded\)/);
  const again = fakeEvent();
  await client.calls.on[0].cb(again);
  assert.deepEqual(again.calls.fail, [BLOCK_WITH_IDS.message], 'the override was for one send');
});

test('requests.json feedback template: POST to /v1/feedback with the Bearer iparam token, declared in the manifest', () => {
  const tpl = readJson('config/requests.json')[ht.FEEDBACK_TEMPLATE_NAME];
  assert.equal(tpl.schema.method, 'POST');
  assert.equal(tpl.schema.path, '/v1/feedback');
  assert.equal(tpl.schema.host, '<%= iparam.service_url %>');
  assert.equal(tpl.schema.headers.Authorization, 'Bearer <%= iparam.token %>');
  assert.ok(readJson('manifest.json').modules.common.requests[ht.FEEDBACK_TEMPLATE_NAME]);
});

// ------------------------------------------------------------------ empty / unreadable drafts

test('empty draft: no request, reply goes through silently', async () => {
  for (const data of [{ body: '' }, { body: '<div><br></div>' }, { body_text: '  ' }, { reply: { body: '<p>&nbsp;</p>' } }]) {
    const client = fakeClient();
    const event = fakeEvent(data);
    await ht.checkBeforeSend(client, event, { timeoutMs: 500 });
    assertSentOnce(event);
    assert.equal(client.calls.invokeTemplate.length, 0, JSON.stringify(data));
    assert.equal(notifies(client).length, 0);
  }
});

test('a getData() payload without any draft field fails open with a visible notice', async () => {
  const client = fakeClient();
  const event = fakeEvent({});
  const decision = await ht.checkBeforeSend(client, event, { timeoutMs: 500 });
  assertSentOnce(event);
  assert.equal(client.calls.invokeTemplate.length, 0);
  assert.match(decision.reason, /could not read the reply draft/);
  assert.equal(notifies(client)[0].payload.type, 'info');
});

// ------------------------------------------------------------------ fail open

test('service error: invokeTemplate rejects -> done() plus an info notice', async () => {
  const client = fakeClient({ invokeTemplate: () => Promise.reject({ status: 502, headers: {}, response: 'Connection error', errorSource: 'APP' }) });
  const event = fakeEvent();
  const decision = await ht.checkBeforeSend(client, event, { timeoutMs: 500 });
  assertSentOnce(event);
  assert.equal(decision.failOpen, true);
  const n = notifies(client);
  assert.equal(n.length, 1);
  assert.equal(n[0].payload.type, 'info');
  assert.match(n[0].payload.message, /could not check/);
});

test('a thrown Error from invokeTemplate fails open', async () => {
  const client = fakeClient({ invokeTemplate: () => { throw new Error('boom'); } });
  const event = fakeEvent();
  await ht.checkBeforeSend(client, event, { timeoutMs: 500 });
  assertSentOnce(event);
});

test('non-2xx: a rejected 401 and a resolved 500 (with a block body) both fail open', async () => {
  const rejected = fakeClient({ invokeTemplate: () => Promise.reject({ status: 401, response: '{"error":"bad token"}' }) });
  const e1 = fakeEvent();
  const d1 = await ht.checkBeforeSend(rejected, e1, { timeoutMs: 500 });
  assertSentOnce(e1);
  assert.match(d1.reason, /HTTP 401/);

  const resolved = fakeClient({ invokeTemplate: () => Promise.resolve(ok(BLOCK, 500)) });
  const e2 = fakeEvent();
  const d2 = await ht.checkBeforeSend(resolved, e2, { timeoutMs: 500 });
  assertSentOnce(e2);
  assert.match(d2.reason, /HTTP 500/);
});

test('an answer that is not JSON or has no known verdict fails open', async () => {
  for (const res of [{ status: 200, response: '<html>oops</html>' }, ok({ verdict: 'maybe' }), ok(null)]) {
    const client = fakeClient({ invokeTemplate: () => Promise.resolve(res) });
    const event = fakeEvent();
    const d = await ht.checkBeforeSend(client, event, { timeoutMs: 500 });
    assertSentOnce(event);
    assert.equal(d.failOpen, true);
  }
});

test('slow service: beyond the timeout done() is called once and a late block is ignored', async () => {
  const client = fakeClient({ invokeTemplate: () => new Promise((resolve) => setTimeout(() => resolve(ok(BLOCK)), 300)) });
  const event = fakeEvent();
  const started = Date.now();
  const decision = await ht.checkBeforeSend(client, event, { timeoutMs: 40 });
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 250, `should give up at ~40 ms, took ${elapsed} ms`);
  assert.match(decision.reason, /time limit/);
  await new Promise((resolve) => setTimeout(resolve, 320));
  assertSentOnce(event);
});

test('default time limit is 3000 ms: still pending at 2999 ms, done() at 3000 ms', async (t) => {
  assert.equal(ht.DEFAULT_TIMEOUT_MS, 3000);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const client = fakeClient({ invokeTemplate: () => new Promise(() => {}) });
  const event = fakeEvent();
  ht.checkBeforeSend(client, event);
  const flush = async () => { for (let i = 0; i < 20; i++) await Promise.resolve(); };
  await flush();
  assert.equal(client.calls.invokeTemplate.length, 1);
  t.mock.timers.tick(2999);
  await flush();
  assert.equal(event.calls.done, 0, 'must not give up before 3 s');
  t.mock.timers.tick(1);
  await flush();
  assertSentOnce(event);
});

// ------------------------------------------------------------------ request shape

test('request body shape: ticket, conversations, reply, agent', async () => {
  const client = fakeClient();
  await ht.checkBeforeSend(client, fakeEvent(), { timeoutMs: 500 });
  const call = client.calls.invokeTemplate[0];
  assert.equal(call.name, 'holdthreadCheck');
  assert.equal(typeof call.options.body, 'string', 'invokeTemplate body is a JSON string');
  assert.deepEqual(JSON.parse(call.options.body), {
    ticket: {
      id: 733,
      subject: 'Charged twice',
      description_text: 'I was charged twice.',
      status: 2,
      priority: 3,
      type: 'Refund',
      tags: ['billing'],
      requester_id: 5001,
      responder_id: 6001,
      group_id: 7001,
      created_at: '2026-11-20T10:00:00Z'
    },
    conversations: [
      { id: 9001, body_text: 'Any update?', private: false, incoming: true, user_id: 5001, created_at: '2026-11-20T11:00:00Z' },
      { id: 9002, body_text: 'Billing owns this.', private: true, incoming: false, user_id: 6001, created_at: '2026-11-20T12:00:00Z' }
    ],
    reply: { body_text: 'Hi Dana, Tier 2 billing (Priya) owns the refund and will reply by Friday.', private: false },
    agent: { id: 6001, contact: { name: 'Rahul Agent', email: 'rahul@example.com' } }
  });
  assert.deepEqual(client.calls.dataGet.slice().sort(), ['conversations', 'loggedInUser', 'ticket']);
});

test('conversations unavailable to the app: sends an empty list and still checks', async () => {
  const client = fakeClient({ conversations: undefined });
  const event = fakeEvent();
  await ht.checkBeforeSend(client, event, { timeoutMs: 500 });
  assertSentOnce(event);
  assert.deepEqual(JSON.parse(client.calls.invokeTemplate[0].options.body).conversations, []);
});

test('reply text is read from body_text, body (HTML) or a nested reply object', () => {
  assert.deepEqual(ht.replyFromEventData({ body_text: 'plain' }), { body_text: 'plain', private: false });
  assert.deepEqual(ht.replyFromEventData({ body: '<p>a &amp; b</p><p>c</p>' }), { body_text: 'a & b\nc', private: false });
  assert.deepEqual(ht.replyFromEventData({ reply: { body: 'x' } }), { body_text: 'x', private: false });
  assert.equal(ht.replyFromEventData({ attachments: [] }), null);
});

test('requests.json template: POST to /v1/freshdesk/check with the Bearer iparam token, no retries', () => {
  const requests = readJson('config/requests.json');
  const tpl = requests[ht.TEMPLATE_NAME];
  assert.ok(tpl, 'template name used by the code exists in requests.json');
  assert.equal(tpl.schema.method, 'POST');
  assert.equal(tpl.schema.protocol, 'https');
  assert.equal(tpl.schema.path, ht.CHECK_PATH);
  assert.equal(ht.CHECK_PATH, '/v1/freshdesk/check');
  assert.equal(tpl.schema.host, '<%= iparam.service_url %>');
  assert.equal(tpl.schema.headers.Authorization, 'Bearer <%= iparam.token %>');
  assert.equal(tpl.schema.headers['Content-Type'], 'application/json');
  assert.equal(tpl.options.maxAttempts, 1, 'a retry would blow the 3 s budget');
});

test('manifest declares the template and the ticket sidebar; iparams: secure token, service_url', () => {
  const manifest = readJson('manifest.json');
  assert.ok(manifest.modules.common.requests[ht.TEMPLATE_NAME], 'template declared in manifest');
  const sidebar = manifest.modules.support_ticket.location.ticket_sidebar;
  assert.ok(fs.existsSync(path.join(APP_DIR, 'app', sidebar.url)), 'sidebar page exists');
  assert.ok(fs.existsSync(path.join(APP_DIR, 'app', sidebar.icon)), 'sidebar icon exists');
  const iparams = readJson('config/iparams.json');
  assert.equal(iparams.token.secure, true);
  assert.equal(iparams.token.required, true);
  assert.equal(iparams.service_url.required, true);
  assert.notEqual(iparams.service_url.secure, true);
  const html = fs.readFileSync(path.join(APP_DIR, 'app', 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(srcs, ['{{{appclient}}}', 'scripts/holdthread-core.js', 'scripts/holdthread.js', 'scripts/app.js']);
});

// ------------------------------------------------------------------ decisions

test('decideSend maps verdicts to helper calls', () => {
  assert.equal(ht.decideSend({ verdict: 'pass' }).action, 'done');
  assert.equal(ht.decideSend(WARN).action, 'done');
  assert.equal(ht.decideSend(BLOCK).action, 'fail');
  assert.equal(ht.decideSend({ verdict: 'block', message: '' }).message.length > 0, true);
  assert.equal(ht.decideSend({ verdict: 'nope' }).failOpen, true);
});
