'use strict';

// Tests for the Zendesk (ZAF) pre-submit app: integrations/zendesk.
// Run with: node --test tests/js/

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const APP_DIR = path.join(__dirname, '..', '..', 'integrations', 'zendesk');
const ht = require(path.join(APP_DIR, 'assets', 'holdthread.js'));
const { BLOCK_WITH_IDS, clickOn, fakeResults } = require('./fake-dom.js');

const SERVICE_URL = 'https://holdthread.example.com';

// A ZAF ticket object as client.get('ticket') returns it, with extra fields
// the app must not forward.
function zafTicket() {
  return {
    id: 4812,
    subject: 'Refund for order 1182',
    description: 'should not be sent',
    status: 'open',
    priority: 'high',
    type: 'incident',
    tags: ['refund', 'vip'],
    organization: { id: 9, name: 'Acme' },
    customField: 'x',
    requester: { id: 11, name: 'Dana Customer', email: 'dana@example.org', avatarUrl: 'a.png' },
    assignee: {
      user: { id: 21, name: 'Rahul Agent', email: 'rahul@example.com' },
      group: { id: 31, name: 'Billing', extra: true }
    },
    comments: [
      {
        id: 1001,
        author: { id: 11, name: 'Dana Customer', role: 'end-user', email: 'dana@example.org' },
        value: '<p>I was charged twice.</p>',
        createdAt: '2026-11-20T10:00:00Z',
        imageAttachments: []
      },
      {
        id: 1002,
        author: { id: 21, name: 'Rahul Agent', role: 'agent' },
        value: 'Looking into it.',
        createdAt: '2026-11-20T10:05:00Z'
      }
    ]
  };
}

function getData(overrides) {
  return Object.assign(
    {
      ticket: zafTicket(),
      'ticket.comment': { text: 'Escalating to Tier 2 billing; they own the refund.', type: 'internalNote' },
      currentUser: { id: 21, name: 'Rahul Agent', role: 'agent', email: 'rahul@example.com' },
      errors: {}
    },
    overrides || {}
  );
}

// Fake ZAF client recording on / get / request / invoke.
function fakeClient(opts) {
  const o = opts || {};
  const calls = { on: [], get: [], request: [], invoke: [], metadata: 0 };
  const client = {
    calls,
    on(name, handler) {
      calls.on.push({ name, handler });
    },
    get(paths) {
      calls.get.push(paths);
      return Promise.resolve(o.data || getData());
    },
    metadata() {
      calls.metadata += 1;
      const settings = 'settings' in o ? o.settings : { service_url: SERVICE_URL };
      return Promise.resolve({ settings });
    },
    request(options) {
      calls.request.push(options);
      return o.request ? o.request(options) : Promise.resolve(ok({ verdict: 'pass', score: 96, message: '', annotations: [], timed_out: false }));
    },
    invoke(...args) {
      calls.invoke.push(args);
      return Promise.resolve({});
    }
  };
  return client;
}

// What client.request resolves with when httpCompleteResponse is true.
function ok(body, status) {
  return { status: status || 200, responseJSON: body, responseText: JSON.stringify(body), headers: {} };
}

const WARN = {
  verdict: 'warn',
  score: 64,
  message: 'The note does not say who owns the next step.\nName the owner and the deadline.',
  annotations: [
    { rule: 'owner-named', severity: 'warning', message: 'No owner named', text: 'they own the refund', suggestion: 'Tier 2 (Priya) owns the refund, due Friday.', start: 29 }
  ],
  timed_out: false
};

const BLOCK = {
  verdict: 'block',
  score: 12,
  message: 'Refund promised without verifying the requester.\nVerify identity before promising money.',
  annotations: [{ rule: 'refund-verify', severity: 'error', message: 'Refund without verification', text: 'refunded $228', suggestion: 'Confirm the email on file first.' }],
  timed_out: false
};

function notifies(client) {
  return client.calls.invoke.filter((args) => args[0] === 'notify');
}

// ------------------------------------------------------------------ wiring

test('register() hooks ticket.save and the handler follows ZAF save-hook semantics', async () => {
  const client = fakeClient({ request: () => Promise.resolve(ok(BLOCK)) });
  ht.register(client, { timeoutMs: 200 });
  assert.deepEqual(client.calls.on.map((c) => c.name).sort(), ['ticket.save', 'ticket.submit.done']);
  const save = client.calls.on.find((c) => c.name === 'ticket.save');
  const result = save.handler();
  assert.equal(typeof result.then, 'function', 'handler must return a promise');
  await assert.rejects(result, (reason) => reason === BLOCK.message);
});

test('main.js registers the save hook through ZAFClient.init() when loaded in the iframe', () => {
  const client = fakeClient();
  const results = fakeResults();
  const sandbox = {
    ZAFClient: { init: () => client },
    document: { getElementById: (id) => (id === 'holdthread-results' ? results : null), body: { scrollHeight: 120 } },
    setTimeout,
    clearTimeout,
    Promise
  };
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  for (const file of ['holdthread-core.js', 'holdthread.js', 'main.js']) {
    vm.runInContext(fs.readFileSync(path.join(APP_DIR, 'assets', file), 'utf8'), sandbox, { filename: file });
  }
  assert.equal(typeof sandbox.HoldThreadZendesk.checkBeforeSave, 'function', 'browser build attaches to window');
  assert.deepEqual(client.calls.on.map((c) => c.name).sort(), ['ticket.save', 'ticket.submit.done']);
  assert.match(results.innerHTML, /checks each update/);
  assert.deepEqual(results.listeners.map((l) => l.type), ['click'], 'sidebar clicks reach the feedback buttons');
});

// ------------------------------------------------------------------ verdicts

test('pass: save goes through, no notification, request made once', async () => {
  const client = fakeClient();
  let seen = null;
  const result = await ht.checkBeforeSave(client, { timeoutMs: 500, onDecision: (d) => (seen = d) });
  assert.equal(result, true);
  assert.equal(client.calls.request.length, 1);
  assert.deepEqual(client.calls.get, [['ticket', 'ticket.comment', 'currentUser']]);
  assert.equal(notifies(client).length, 0);
  assert.equal(seen.verdict, 'pass');
  assert.equal(seen.score, 96);
});

test('warn: save goes through, agent is notified with the service message, sidebar shows annotations', async () => {
  const client = fakeClient({ request: () => Promise.resolve(ok(WARN)) });
  let seen = null;
  const result = await ht.checkBeforeSave(client, { timeoutMs: 500, onDecision: (d) => (seen = d) });
  assert.equal(result, true);
  assert.deepEqual(notifies(client), [['notify', WARN.message, 'alert']]);
  assert.equal(seen.verdict, 'warn');
  const html = ht.renderDecisionHtml(seen);
  assert.match(html, /owner-named/);
  assert.match(html, /Tier 2 \(Priya\) owns the refund, due Friday\./);
  assert.match(html, /score 64\/100/);
});

test('block: save is cancelled with the service message', async () => {
  const client = fakeClient({ request: () => Promise.resolve(ok(BLOCK)) });
  let seen = null;
  await assert.rejects(
    ht.checkBeforeSave(client, { timeoutMs: 500, onDecision: (d) => (seen = d) }),
    (reason) => {
      assert.equal(reason, BLOCK.message);
      return true;
    }
  );
  assert.equal(seen.action, 'cancel');
  assert.equal(notifies(client).filter((n) => n[2] === 'alert').length, 0, 'no warn toast on block');
});

test('block with an empty message still cancels with a non-empty string', async () => {
  const client = fakeClient({ request: () => Promise.resolve(ok({ verdict: 'block', score: 0, message: '  ', annotations: [] })) });
  await assert.rejects(ht.checkBeforeSave(client, { timeoutMs: 500 }), (reason) => typeof reason === 'string' && reason.length > 0);
});

// ------------------------------------------------------------------ feedback

// A client whose check answers `answer` and whose /v1/feedback answers 201.
function feedbackClient(answer) {
  return fakeClient({
    request: (options) => Promise.resolve(
      options.url.endsWith('/v1/feedback') ? ok({ status: 'recorded' }, 201) : ok(answer)
    )
  });
}

function feedbackRequests(client) {
  return client.calls.request.filter((r) => r.url.endsWith('/v1/feedback'));
}

test('"Not right?" in the sidebar posts a false alarm to /v1/feedback with the secure token', async () => {
  const client = feedbackClient(BLOCK_WITH_IDS);
  const opts = { timeoutMs: 500 };
  ht.register(client, opts);
  let seen = null;
  opts.onDecision = (d) => (seen = d);
  await assert.rejects(ht.checkBeforeSave(client, opts));
  const click = clickOn(ht.renderDecisionHtml(seen), 'false_alarm', { findingId: 'f_77b1', reason: 'It is quoted from the customer' });
  const result = await opts.feedback.handleClick(click.target);
  assert.equal(result.ok, true);
  const [sent] = feedbackRequests(client);
  assert.equal(sent.url, 'https://holdthread.example.com/v1/feedback');
  assert.equal(sent.type, 'POST');
  assert.equal(sent.secure, true);
  assert.equal(sent.headers.Authorization, ht.AUTH_HEADER_TEMPLATE);
  assert.deepEqual(JSON.parse(sent.data), { finding_id: 'f_77b1', verdict: 'false_alarm', reason: 'It is quoted from the customer' });
  assert.match(click.container.innerHTML, /recorded as a false alarm/);
});

test('"Save anyway" records the override with its reason; the next save goes through, once', async () => {
  const client = feedbackClient(BLOCK_WITH_IDS);
  let seen = null;
  const opts = { timeoutMs: 500, onDecision: (d) => (seen = d) };
  ht.register(client, opts);
  await assert.rejects(ht.checkBeforeSave(client, opts), (reason) => reason === BLOCK_WITH_IDS.message);
  const sidebar = ht.renderDecisionHtml(seen);
  assert.match(sidebar, /Save anyway<\/button>/);

  const noReason = await opts.feedback.handleClick(clickOn(sidebar, 'override').target);
  assert.equal(noReason.ok, false);
  assert.equal(feedbackRequests(client).length, 0);

  const click = clickOn(sidebar, 'override', { reason: 'Owner agreed on the phone; note follows' });
  await opts.feedback.handleClick(click.target);
  assert.deepEqual(feedbackRequests(client).map((r) => JSON.parse(r.data)),
    [{ finding_id: 'f_3a9c', verdict: 'override', reason: 'Owner agreed on the phone; note follows' }]);
  assert.match(click.container.innerHTML, /Submit again to save/);

  assert.equal(await ht.checkBeforeSave(client, opts), true, 'saved despite the block');
  assert.match(ht.renderDecisionHtml(seen), /Saved anyway \(override recorded\)/);
  await assert.rejects(ht.checkBeforeSave(client, opts), 'the override was for one save');
});

test('a feedback post that fails leaves a visible note in the sidebar', async () => {
  const client = fakeClient({
    request: (options) => (options.url.endsWith('/v1/feedback')
      ? Promise.reject({ status: 404, statusText: 'error', responseText: '{"error":"unknown id"}' })
      : Promise.resolve(ok(BLOCK_WITH_IDS)))
  });
  let seen = null;
  const opts = { timeoutMs: 500, onDecision: (d) => (seen = d) };
  ht.register(client, opts);
  await assert.rejects(ht.checkBeforeSave(client, opts));
  const click = clickOn(ht.renderDecisionHtml(seen), 'false_alarm', { findingId: 'f_3a9c' });
  assert.equal((await opts.feedback.handleClick(click.target)).ok, false);
  assert.match(click.container.innerHTML, /Could not send your feedback \(service answered HTTP 404\)/);
});

// ------------------------------------------------------------------ empty drafts

test('empty draft: no request, save goes through silently', async () => {
  for (const text of ['', '   \n ', '<p><br></p>', '<p>&nbsp;</p>', undefined]) {
    const client = fakeClient({ data: getData({ 'ticket.comment': { text, type: 'publicReply' } }) });
    const result = await ht.checkBeforeSave(client, { timeoutMs: 500 });
    assert.equal(result, true, `draft ${JSON.stringify(text)}`);
    assert.equal(client.calls.request.length, 0, `no request for draft ${JSON.stringify(text)}`);
    assert.equal(notifies(client).length, 0);
  }
});

// ------------------------------------------------------------------ fail open

test('service error (network failure): save goes through with a small notice', async () => {
  const client = fakeClient({ request: () => Promise.reject({ status: 0, statusText: 'error', responseText: '' }) });
  let seen = null;
  const result = await ht.checkBeforeSave(client, { timeoutMs: 500, onDecision: (d) => (seen = d) });
  assert.equal(result, true);
  assert.equal(seen.failOpen, true);
  const n = notifies(client);
  assert.equal(n.length, 1);
  assert.equal(n[0][2], 'notice');
  assert.match(n[0][1], /could not check/);
});

test('a thrown Error from client.request also fails open', async () => {
  const client = fakeClient({ request: () => { throw new Error('boom'); } });
  assert.equal(await ht.checkBeforeSave(client, { timeoutMs: 500 }), true);
  assert.equal(notifies(client)[0][2], 'notice');
});

test('non-2xx: ZAF rejecting with a 500 fails open and says so', async () => {
  const client = fakeClient({ request: () => Promise.reject({ status: 500, statusText: 'error', responseText: '{"error":"x"}' }) });
  let seen = null;
  assert.equal(await ht.checkBeforeSave(client, { timeoutMs: 500, onDecision: (d) => (seen = d) }), true);
  assert.match(seen.reason, /HTTP 500/);
  assert.equal(notifies(client)[0][2], 'notice');
});

test('non-2xx: a resolved 503 carrying a block body is still ignored (fail open)', async () => {
  const client = fakeClient({ request: () => Promise.resolve(ok(BLOCK, 503)) });
  let seen = null;
  assert.equal(await ht.checkBeforeSave(client, { timeoutMs: 500, onDecision: (d) => (seen = d) }), true);
  assert.equal(seen.failOpen, true);
  assert.match(seen.reason, /HTTP 503/);
});

test('an answer without a known verdict fails open', async () => {
  for (const body of [{ verdict: 'maybe' }, null, 'nope', { score: 3 }]) {
    const client = fakeClient({ request: () => Promise.resolve({ status: 200, responseJSON: body, responseText: String(body) }) });
    assert.equal(await ht.checkBeforeSave(client, { timeoutMs: 500 }), true, JSON.stringify(body));
    assert.equal(notifies(client)[0][2], 'notice');
  }
});

test('missing service_url setting: no request, fail open with a notice', async () => {
  const client = fakeClient({ settings: {} });
  assert.equal(await ht.checkBeforeSave(client, { timeoutMs: 500 }), true);
  assert.equal(client.calls.request.length, 0);
  assert.match(notifies(client)[0][1], /service URL setting is empty/);
});

test('slow service: beyond the timeout the save goes through, and a late block is ignored', async () => {
  const client = fakeClient({
    request: () => new Promise((resolve) => setTimeout(() => resolve(ok(BLOCK)), 300))
  });
  let seen = null;
  const started = Date.now();
  const result = await ht.checkBeforeSave(client, { timeoutMs: 40, onDecision: (d) => (seen = d) });
  const elapsed = Date.now() - started;
  assert.equal(result, true);
  assert.ok(elapsed < 250, `should give up at ~40 ms, took ${elapsed} ms`);
  assert.equal(seen.failOpen, true);
  assert.match(seen.reason, /time limit/);
  assert.equal(notifies(client)[0][2], 'notice');
});

test('default time limit is 3000 ms: still pending at 2999 ms, fails open at 3000 ms', async (t) => {
  assert.equal(ht.DEFAULT_TIMEOUT_MS, 3000);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const client = fakeClient({ request: () => new Promise(() => {}) });
  let settled = null;
  ht.checkBeforeSave(client).then((v) => (settled = v));
  const flush = async () => { for (let i = 0; i < 20; i++) await Promise.resolve(); };
  await flush();
  assert.equal(client.calls.request.length, 1);
  assert.equal(client.calls.request[0].timeout, 3000, 'request option timeout defaults to 3000');
  t.mock.timers.tick(2999);
  await flush();
  assert.equal(settled, null, 'must not give up before 3 s');
  t.mock.timers.tick(1);
  await flush();
  assert.equal(settled, true, 'lets the save through at 3 s');
});

// ------------------------------------------------------------------ request shape

test('request options: URL, method, JSON content type, secure token header template, timeout', () => {
  const req = ht.buildZendeskCheckRequest(SERVICE_URL + '/', getData());
  assert.equal(req.url, 'https://holdthread.example.com/v1/zendesk/check');
  assert.equal(req.type, 'POST');
  assert.equal(req.contentType, 'application/json');
  assert.deepEqual(req.headers, { Authorization: 'Bearer {{setting.token}}' });
  assert.equal(req.secure, true);
  assert.equal(req.timeout, 3000);
  assert.equal(typeof req.data, 'string');
  assert.equal(ht.buildZendeskCheckRequest(SERVICE_URL, getData(), { timeoutMs: 1234 }).timeout, 1234);
});

test('request body shape: ticket projection, comment text/type, current user', async () => {
  const client = fakeClient();
  await ht.checkBeforeSave(client, { timeoutMs: 500 });
  const body = JSON.parse(client.calls.request[0].data);
  assert.deepEqual(body, {
    ticket: {
      id: 4812,
      subject: 'Refund for order 1182',
      status: 'open',
      priority: 'high',
      type: 'incident',
      tags: ['refund', 'vip'],
      requester: { id: 11, name: 'Dana Customer', email: 'dana@example.org' },
      assignee: { user: { id: 21, name: 'Rahul Agent' }, group: { id: 31, name: 'Billing' } },
      comments: [
        { id: 1001, author: { id: 11, name: 'Dana Customer', role: 'end-user' }, value: '<p>I was charged twice.</p>', createdAt: '2026-11-20T10:00:00Z' },
        { id: 1002, author: { id: 21, name: 'Rahul Agent', role: 'agent' }, value: 'Looking into it.', createdAt: '2026-11-20T10:05:00Z' }
      ]
    },
    comment: { text: 'Escalating to Tier 2 billing; they own the refund.', type: 'internalNote' },
    currentUser: { id: 21, name: 'Rahul Agent', role: 'agent' }
  });
});

test('rich-text drafts are sent as plain text; public replies keep their type', () => {
  const body = ht.buildZendeskCheckBody(getData({ 'ticket.comment': { text: '<p>Hi Dana &amp; team,</p><p>Refund is <b>queued</b>.<br>Thanks</p>', type: 'publicReply' } }));
  assert.deepEqual(body.comment, { text: 'Hi Dana & team,\nRefund is queued.\nThanks', type: 'publicReply' });
});

test('unassigned tickets send null assignee user/group', () => {
  const ticket = Object.assign(zafTicket(), { assignee: { user: null, group: null } });
  const body = ht.buildZendeskCheckBody(getData({ ticket }));
  assert.deepEqual(body.ticket.assignee, { user: null, group: null });
});

// ------------------------------------------------------------------ decisions + rendering

test('decideSave maps verdicts to actions', () => {
  assert.equal(ht.decideSave({ verdict: 'pass', score: 99 }).action, 'allow');
  assert.equal(ht.decideSave(WARN).action, 'allow');
  assert.equal(ht.decideSave(BLOCK).action, 'cancel');
  assert.equal(ht.decideSave(BLOCK).message, BLOCK.message);
  assert.equal(ht.decideSave({ verdict: 'warn', timed_out: true }).timedOut, true);
  assert.equal(ht.decideSave(WARN).annotations[0].start, 29, 'extra annotation fields are kept');
  assert.equal(ht.decideSave({}).failOpen, true);
});

test('sidebar rendering escapes service text', () => {
  const html = ht.renderDecisionHtml(ht.decideSave({
    verdict: 'warn', score: 50, message: '<img src=x onerror=alert(1)>',
    annotations: [{ rule: 'r<1>', severity: 'warning" onmouseover="x', message: '<script>', text: '"q"', suggestion: '&' }]
  }));
  assert.doesNotMatch(html, /<img|<script>/);
  assert.doesNotMatch(html, /" onmouseover="/, 'severity cannot break out of the class attribute');
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /r&lt;1&gt;/);
});

// ------------------------------------------------------------------ app package

test('manifest: ticket_sidebar, secure token + service_url parameters, whitelist is the service_host setting', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'manifest.json'), 'utf8'));
  const sidebar = manifest.location.support.ticket_sidebar;
  assert.ok(fs.existsSync(path.join(APP_DIR, sidebar.url)), 'sidebar URL points at a file');
  const params = Object.fromEntries(manifest.parameters.map((p) => [p.name, p]));
  assert.equal(params.token.secure, true);
  assert.equal(params.token.required, true);
  assert.ok(params.service_url, 'service_url parameter exists');
  assert.notEqual(params.service_url.secure, true, 'service_url must be readable by the app to build the URL');
  // The domain is an app setting, filled in at install time, not an edit of the package.
  assert.deepEqual(manifest.domainWhitelist, ['{{setting.service_host}}']);
  assert.equal(params.service_host.required, true);
  assert.notEqual(params.service_host.secure, true);
  assert.equal(manifest.frameworkVersion, '2.0');
  const translations = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'translations', 'en.json'), 'utf8'));
  for (const p of manifest.parameters) {
    assert.ok(translations.app.parameters[p.name].label, `translation label for ${p.name}`);
  }
});

test('iframe.html loads the ZAF SDK, then holdthread-core.js, holdthread.js, then main.js', () => {
  const html = fs.readFileSync(path.join(APP_DIR, 'assets', 'iframe.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(srcs.length, 4);
  assert.match(srcs[0], /zendesk_app_framework_sdk\/2\.0\/zaf_sdk(\.min)?\.js$/);
  assert.deepEqual(srcs.slice(1), ['holdthread-core.js', 'holdthread.js', 'main.js']);
});

// ------------------------------------------------------------------ new owner

test('only an assignee changed in this save is sent as newAssignee', () => {
  const data = getData();
  const now = data.ticket.assignee.user;
  assert.ok(now && now.id !== undefined, 'fixture ticket has an assignee');
  const unchanged = ht.buildZendeskCheckBody(data, now.id);
  assert.equal('newAssignee' in unchanged, false, 'the ticket\'s current owner is not a new one');
  const changed = ht.buildZendeskCheckBody(data, 'someone-else');
  assert.deepEqual(changed.newAssignee, { id: now.id, name: now.name });
  const unknown = ht.buildZendeskCheckBody(data);
  assert.equal('newAssignee' in unknown, false, 'without a remembered assignee nothing counts as new');
});

test('register() remembers the assignee and refreshes it after a save', async () => {
  const seen = [];
  const client = fakeClient();
  client.get = (paths) => {
    seen.push(paths);
    return Promise.resolve({ 'ticket.assignee': { user: { id: seen.length === 1 ? 41 : 42 } } });
  };
  const options = { timeoutMs: 200 };
  ht.register(client, options);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(options.savedAssigneeId, 41);
  client.calls.on.find((c) => c.name === 'ticket.submit.done').handler();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(options.savedAssigneeId, 42);
  assert.deepEqual(seen, ['ticket.assignee', 'ticket.assignee']);
});
