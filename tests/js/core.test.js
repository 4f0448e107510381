'use strict';

// Tests for the shared helpdesk core: integrations/shared/holdthread-core.js,
// its symlinks in the two apps, and integrations/package.sh.
// Run with: node --test tests/js/

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const { execFileSync } = require('node:child_process');

const INTEGRATIONS = path.join(__dirname, '..', '..', 'integrations');
const CORE_PATH = path.join(INTEGRATIONS, 'shared', 'holdthread-core.js');
const core = require(CORE_PATH);
const { clickOn, findButton } = require('./fake-dom.js');

// A made-up helpdesk, so the tests show what comes from the profile.
const PROFILE = {
  noun: 'memo',
  sentAs: 'filed',
  actions: { allow: 'go', block: 'stop' },
  idle: 'Checks each memo <on file>.',
  heads: { pass: 'All good', warn: 'Filed with warnings', block: 'Not filed' },
  notices: { failOpen: 'fyi', warn: 'careful' }
};

// ------------------------------------------------------------------ module wiring

test('UMD: the browser build attaches window.HoldThreadCore; both apps use the one core', () => {
  const sandbox = { setTimeout, clearTimeout, Promise };
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(CORE_PATH, 'utf8'), sandbox, { filename: 'holdthread-core.js' });
  assert.equal(typeof sandbox.HoldThreadCore.decide, 'function');
  assert.equal(sandbox.HoldThreadCore.htmlToText('a<br>b'), 'a\nb');

  const zendesk = require(path.join(INTEGRATIONS, 'zendesk', 'assets', 'holdthread.js'));
  const freshdesk = require(path.join(INTEGRATIONS, 'freshdesk', 'app', 'scripts', 'holdthread.js'));
  assert.equal(zendesk.htmlToText, core.htmlToText);
  assert.equal(freshdesk.withTimeout, core.withTimeout);
  assert.equal(zendesk.DEFAULT_TIMEOUT_MS, core.DEFAULT_TIMEOUT_MS);
});

test('an app script loaded without the core fails loudly instead of half-working', () => {
  const sandbox = {};
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  const app = fs.readFileSync(path.join(INTEGRATIONS, 'zendesk', 'assets', 'holdthread.js'), 'utf8');
  assert.throws(() => vm.runInContext(app, sandbox), /load holdthread-core\.js before holdthread\.js/);
});

test('each app folder links to the shared core (one source of truth)', () => {
  for (const rel of ['zendesk/assets/holdthread-core.js', 'freshdesk/app/scripts/holdthread-core.js']) {
    const link = path.join(INTEGRATIONS, rel);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), `${rel} is a symlink`);
    assert.equal(fs.realpathSync(link), fs.realpathSync(CORE_PATH), `${rel} points at shared/holdthread-core.js`);
  }
});

// ------------------------------------------------------------------ helpers

test('htmlToText: breaks, block ends, tags, entities, CRLF', () => {
  assert.equal(core.htmlToText('<p>Hi Dana &amp; team,</p><p>Refund is <b>queued</b>.<br>Thanks</p>'), 'Hi Dana & team,\nRefund is queued.\nThanks');
  assert.equal(core.htmlToText('&#65;&#x42;&lt;c&gt; &bogus;'), 'AB<c> &bogus;');
  assert.equal(core.htmlToText('a\r\nb\rc'), 'a\nb\nc');
  assert.equal(core.htmlToText('<div>a</div><div></div><div></div><div>b</div>'), 'a\n\nb');
  assert.equal(core.htmlToText(null), '');
  assert.equal(core.htmlToText(undefined), '');
  assert.equal(core.htmlToText(42), '42');
});

test('isBlank: whitespace and empty markup are blank, text is not', () => {
  for (const blank of ['', '  \n\t', '<p><br></p>', '<p>&nbsp;</p>', null, undefined]) {
    assert.equal(core.isBlank(blank), true, JSON.stringify(blank));
  }
  assert.equal(core.isBlank('<p>x</p>'), false);
  assert.equal(core.isBlank('0'), false);
});

test('escapeHtml escapes the five HTML specials and prints null as empty', () => {
  assert.equal(core.escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(core.escapeHtml(null), '');
  assert.equal(core.escapeHtml(0), '0');
});

test('parseJson answers null instead of throwing', () => {
  assert.deepEqual(core.parseJson('{"verdict":"pass"}'), { verdict: 'pass' });
  assert.equal(core.parseJson('<html>'), null);
  assert.equal(core.parseJson(undefined), null);
});

test('withTimeout: passes values and errors through, rejects with HOLDTHREAD_TIMEOUT when late', async (t) => {
  assert.equal(await core.withTimeout(Promise.resolve(7), 50), 7);
  assert.equal(await core.withTimeout(8, 50), 8, 'plain values are accepted');
  await assert.rejects(core.withTimeout(Promise.reject(new Error('boom')), 50), /boom/);

  t.mock.timers.enable({ apis: ['setTimeout'] });
  let outcome = null;
  core.withTimeout(new Promise(() => {}), 100).catch((err) => (outcome = err));
  const flush = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };
  t.mock.timers.tick(99);
  await flush();
  assert.equal(outcome, null, 'still waiting at 99 ms');
  t.mock.timers.tick(1);
  await flush();
  assert.equal(outcome.code, core.TIMEOUT_CODE);
  assert.match(outcome.message, /no answer within 100 ms/);
});

test('withTimeout clears its timer when the answer is fast', async () => {
  const cleared = [];
  const realClear = global.clearTimeout;
  global.clearTimeout = (id) => { cleared.push(id); return realClear(id); };
  try {
    await core.withTimeout(Promise.resolve('fast'), 10000);
    await core.withTimeout(Promise.reject(new Error('x')), 10000).catch(() => {});
  } finally {
    global.clearTimeout = realClear;
  }
  assert.equal(cleared.length, 2, 'timer cleared on resolve and on reject');
});

test('bestEffort swallows throws and rejections', async () => {
  let called = 0;
  core.bestEffort(() => { called += 1; throw new Error('sync'); });
  core.bestEffort(() => { called += 1; return Promise.reject(new Error('async')); });
  core.bestEffort(() => { called += 1; });
  await new Promise((resolve) => setImmediate(resolve)); // an unhandled rejection would fail the run
  assert.equal(called, 3);
});

// ------------------------------------------------------------------ responses and reasons

test('checkStatus: 2xx (or no status) passes, anything else throws a tagged HTTP error', () => {
  assert.equal(core.checkStatus({ status: 204 }), 204);
  assert.equal(core.checkStatus({}), 200);
  assert.equal(core.checkStatus('raw body'), 200);
  assert.throws(() => core.checkStatus({ status: 503 }), (err) => err.code === core.HTTP_CODE && err.status === 503);
  assert.throws(() => core.checkStatus({ status: 0 }), (err) => err.status === 0);
});

test('reasonFor / httpReason: timeout, non-2xx, everything else unreachable', () => {
  const timeout = Object.assign(new Error('late'), { code: core.TIMEOUT_CODE });
  assert.equal(core.reasonFor(timeout), core.TIME_LIMIT_REASON);
  assert.equal(core.reasonFor({ status: 401 }), 'service answered HTTP 401');
  assert.equal(core.httpReason({ status: 200 }), null);
  assert.equal(core.httpReason({ status: 0 }), null, 'status 0 is a network failure, not an HTTP answer');
  for (const err of [{ status: 0 }, new Error('boom'), null, undefined, 'text']) {
    assert.equal(core.reasonFor(err), 'service unreachable', String(err));
  }
});

// ------------------------------------------------------------------ decisions

test('decide maps verdicts to the profile actions and keeps score, message and timed_out', () => {
  const pass = core.decide(PROFILE, { verdict: 'pass', score: 97 });
  assert.deepEqual(pass, { action: 'go', verdict: 'pass', failOpen: false, reason: null, score: 97, message: '', annotations: [], timedOut: false });
  const block = core.decide(PROFILE, { verdict: 'block', score: '12', message: '  Stop.\n' , timed_out: true });
  assert.equal(block.action, 'stop');
  assert.equal(block.message, 'Stop.', 'message is trimmed');
  assert.equal(block.score, null, 'a non-number score is dropped');
  assert.equal(block.timedOut, true);
  assert.equal(core.decide(PROFILE, { verdict: 'warn' }).action, 'go');
});

test('decide fills in empty block/warn messages with the profile noun or the annotation messages', () => {
  assert.equal(core.decide(PROFILE, { verdict: 'block', message: ' ' }).message, 'holdthread blocked this memo.');
  assert.equal(core.decide(PROFILE, { verdict: 'warn' }).message, 'holdthread has warnings for this memo.');
  const warn = core.decide(PROFILE, { verdict: 'warn', annotations: [{ message: 'One' }, { rule: 'r' }, { message: 'Two' }] });
  assert.equal(warn.message, 'One\nTwo');
  assert.equal(core.decide(PROFILE, { verdict: 'pass' }).message, '', 'pass gets no filler message');
});

test('decide normalizes annotations: drops non-objects, defaults rule/severity/message, keeps extra fields', () => {
  const d = core.decide(PROFILE, { verdict: 'warn', annotations: [null, 'x', { text: 'q', start: 4 }] });
  assert.deepEqual(d.annotations, [{ text: 'q', start: 4, rule: '', severity: '', message: '' }]);
  assert.deepEqual(core.normalizeAnnotations('nope'), []);
});

test('decide fails open on anything that is not a known verdict', () => {
  for (const body of [null, 'pass', [], {}, { verdict: 'maybe' }, { verdict: 'PASS' }]) {
    const d = core.decide(PROFILE, body);
    assert.equal(d.failOpen, true, JSON.stringify(body));
    assert.equal(d.action, 'go');
    assert.equal(d.reason, 'unexpected answer from the service');
  }
});

test('failOpenDecision and skippedDecision use the profile wording and allow action', () => {
  const open = core.failOpenDecision(PROFILE, 'service unreachable');
  assert.equal(open.message, 'holdthread could not check this memo (service unreachable). It was filed without a check.');
  assert.equal(open.action, 'go');
  assert.equal(open.verdict, null);
  const skipped = core.skippedDecision(PROFILE);
  assert.equal(skipped.skipped, true);
  assert.equal(skipped.action, 'go');
  assert.equal(skipped.reason, 'empty draft');
  assert.equal(skipped.failOpen, false);
});

// ------------------------------------------------------------------ guardedCheck

test('guardedCheck resolves the work result and hands work the time limit (3000 ms by default)', async () => {
  const seen = [];
  const d = await core.guardedCheck(PROFILE, undefined, (ms) => { seen.push(ms); return { verdict: 'pass' }; });
  assert.deepEqual(d, { verdict: 'pass' });
  await core.guardedCheck(PROFILE, { timeoutMs: 250 }, (ms) => seen.push(ms));
  assert.deepEqual(seen, [3000, 250]);
});

test('guardedCheck never rejects: throws, rejections and timeouts become fail-open decisions', async () => {
  const thrown = await core.guardedCheck(PROFILE, { timeoutMs: 500 }, () => { throw new Error('sync'); });
  assert.equal(thrown.failOpen, true);
  assert.equal(thrown.reason, 'service unreachable');

  const http = await core.guardedCheck(PROFILE, { timeoutMs: 500 }, () => Promise.reject({ status: 500 }));
  assert.equal(http.reason, 'service answered HTTP 500');

  const slow = await core.guardedCheck(PROFILE, { timeoutMs: 20 }, () => new Promise(() => {}));
  assert.equal(slow.reason, core.TIME_LIMIT_REASON);
  assert.equal(slow.action, 'go');

  const custom = await core.guardedCheck(PROFILE, { timeoutMs: 500 }, () => Promise.reject({ mine: true }), (err) => (err.mine ? 'custom reason' : 'x'));
  assert.equal(custom.reason, 'custom reason');
});

// ------------------------------------------------------------------ announce

test('announce notifies for fail-open and warn only, with the profile notice types', () => {
  const sent = [];
  const notify = (type, message) => sent.push([type, message]);
  core.announce(PROFILE, core.failOpenDecision(PROFILE, 'r'), {}, notify);
  core.announce(PROFILE, core.decide(PROFILE, { verdict: 'warn', message: 'W' }), {}, notify);
  core.announce(PROFILE, core.decide(PROFILE, { verdict: 'pass' }), {}, notify);
  core.announce(PROFILE, core.decide(PROFILE, { verdict: 'block', message: 'B' }), {}, notify);
  core.announce(PROFILE, core.skippedDecision(PROFILE), {}, notify);
  assert.deepEqual(sent, [
    ['fyi', 'holdthread could not check this memo (r). It was filed without a check.'],
    ['careful', 'W']
  ]);
});

test('announce: notify runs before onDecision, and errors from either are swallowed', async () => {
  const order = [];
  const decision = core.decide(PROFILE, { verdict: 'warn', message: 'W' });
  core.announce(PROFILE, decision, { onDecision: (d) => order.push(['onDecision', d]) }, () => order.push(['notify']));
  assert.deepEqual(order, [['notify'], ['onDecision', decision]]);

  assert.doesNotThrow(() => core.announce(PROFILE, decision, { onDecision: () => { throw new Error('render'); } }, () => { throw new Error('notify'); }));
  assert.doesNotThrow(() => core.announce(PROFILE, decision, undefined, () => Promise.reject(new Error('async notify'))));
  await new Promise((resolve) => setImmediate(resolve));
});

// ------------------------------------------------------------------ rendering

test('renderDecisionHtml: idle, fail-open and verdict views use the profile text', () => {
  assert.equal(core.renderDecisionHtml(PROFILE, null), '<p class="ht-idle">Checks each memo &lt;on file&gt;.</p>');
  assert.equal(core.renderDecisionHtml(PROFILE, core.skippedDecision(PROFILE)), core.renderDecisionHtml(PROFILE, null));
  assert.match(core.renderDecisionHtml(PROFILE, core.failOpenDecision(PROFILE, 'r')), /^<p class="ht-notice">holdthread could not check this memo/);

  const pass = core.renderDecisionHtml(PROFILE, core.decide(PROFILE, { verdict: 'pass', score: 91, message: 'hidden on pass' }));
  assert.match(pass, /<strong>All good<\/strong> <span class="ht-score">score 91\/100<\/span>/);
  assert.doesNotMatch(pass, /hidden on pass/);

  const warn = core.renderDecisionHtml(PROFILE, core.decide(PROFILE, {
    verdict: 'warn', message: 'a\nb', timed_out: true,
    annotations: [{ rule: 'owner', severity: 'warning', message: 'No owner', text: 'they', suggestion: 'Name one' }]
  }));
  assert.match(warn, /class="ht-result ht-warn"/);
  assert.match(warn, /Filed with warnings/);
  assert.doesNotMatch(warn, /ht-score/, 'no score line without a score');
  assert.match(warn, /<p class="ht-message">a<br>b<\/p>/);
  assert.match(warn, /<li class="ht-sev-warning"><span class="ht-rule">owner<\/span> No owner<blockquote>they<\/blockquote><p class="ht-suggestion">Try: Name one<\/p><\/li>/);
  assert.match(warn, /this check may be partial/);
});

test('renderDecisionHtml escapes everything that comes from the service', () => {
  const html = core.renderDecisionHtml(PROFILE, core.decide(PROFILE, {
    verdict: 'block', message: '<img src=x onerror=alert(1)>',
    annotations: [{ rule: '<r>', severity: '" onclick="x', message: '<script>', text: '<t>', suggestion: '<s>' }]
  }));
  assert.doesNotMatch(html, /<img|<script>|<r>|<t>|<s>/);
  assert.doesNotMatch(html, /" onclick="/);
  assert.match(html, /Not filed/);
});

test('renderDecisionHtml shows the thread\'s value under the note\'s, with the comment it is from', () => {
  const html = core.renderDecisionHtml(PROFILE, core.decide(PROFILE, {
    verdict: 'warn',
    annotations: [{
      rule: 'not-in-thread', severity: 'warning', message: 'Not what the customer wrote', text: 'iOS 17.2',
      suggestion: 'Use "iOS 17.1"', evidence: [{ comment_id: '4471', start: 10, end: 18, text: 'iOS 17.1' }]
    }]
  }));
  assert.match(html, /<blockquote>iOS 17\.2<\/blockquote><ul class="ht-evidence"><li>In the thread \(comment 4471\): <q>iOS 17\.1<\/q><\/li><\/ul><p class="ht-suggestion">/);
});

test('renderEvidenceHtml: nothing for no evidence, escapes the thread\'s text, no comment id for a field', () => {
  assert.equal(core.renderEvidenceHtml(undefined), '');
  assert.equal(core.renderEvidenceHtml([]), '');
  assert.equal(core.renderEvidenceHtml([{ comment_id: '1', text: '' }, null, 'x']), '');
  assert.equal(
    core.renderEvidenceHtml([{ comment_id: null, text: '<b>48213</b>' }]),
    '<ul class="ht-evidence"><li>In the thread: <q>&lt;b&gt;48213&lt;/b&gt;</q></li></ul>'
  );
  const html = core.renderEvidenceHtml([{ comment_id: '" onclick="x', text: 'a' }]);
  assert.doesNotMatch(html, /" onclick="/);
});

// ------------------------------------------------------------------ feedback loop

const FINDINGS = {
  verdict: 'block',
  score: 40,
  message: 'Name the owner.',
  annotations: [
    { id: 'f_owner', rule: 'missing-owner', severity: 'error', message: 'No owner' },
    { id: 'f_vague', rule: 'vague-language', severity: 'warning', message: 'Vague', text: 'asap' },
    { rule: 'no-id', severity: 'error', message: 'From an older service: no id' }
  ]
};

function recorder(answer) {
  const sent = [];
  const send = (body) => {
    sent.push(body);
    return answer ? answer(body) : Promise.resolve({ status: 201, body: { status: 'recorded' } });
  };
  return { sent, send };
}

test('feedbackBody trims and caps the reason, and leaves out an empty one', () => {
  assert.deepEqual(core.feedbackBody('f_1', 'false_alarm', '  wrong rule  '), { finding_id: 'f_1', verdict: 'false_alarm', reason: 'wrong rule' });
  assert.deepEqual(core.feedbackBody('f_1', 'useful', '   '), { finding_id: 'f_1', verdict: 'useful' });
  assert.equal(core.feedbackBody('f_1', 'override', 'x'.repeat(5000)).reason.length, core.MAX_REASON_CHARS);
});

test('renderDecisionHtml: "Not right?" on each finding with an id, "Save anyway" only on a block', () => {
  const block = core.renderDecisionHtml(PROFILE, core.decide(PROFILE, FINDINGS));
  assert.equal((block.match(/<summary>Not right\?<\/summary>/g) || []).length, 2, 'one per finding with an id');
  assert.ok(findButton(block, 'false_alarm', 'f_owner') && findButton(block, 'false_alarm', 'f_vague'));
  assert.ok(findButton(block, 'override'), 'a block with blocking findings offers the override');
  assert.match(block, /Save anyway<\/button>/);
  assert.match(block, /placeholder="Why save it anyway\? \(required\)"/);

  const warn = core.renderDecisionHtml(PROFILE, core.decide(PROFILE, Object.assign({}, FINDINGS, { verdict: 'warn' })));
  assert.equal(findButton(warn, 'override'), null, 'nothing to override on a warning');
  const noIds = core.renderDecisionHtml(PROFILE, core.decide(PROFILE, { verdict: 'block', annotations: [{ rule: 'r', severity: 'error', message: 'm' }] }));
  assert.doesNotMatch(noIds, /Not right\?|Save anyway/, 'an answer without ids gets no feedback buttons');

  const hostile = core.renderDecisionHtml(PROFILE, core.decide(PROFILE, { verdict: 'warn', annotations: [{ id: '"><img src=x onerror=alert(1)>', rule: 'r', severity: 'warning', message: 'm' }] }));
  assert.doesNotMatch(hostile, /<img/);
  assert.equal(findButton(hostile, 'false_alarm')['data-ht-finding'], '"><img src=x onerror=alert(1)>');
});

test('"Not right?" posts a false alarm with the optional reason and thanks the agent', async () => {
  const { sent, send } = recorder();
  const feedback = core.feedbackController(PROFILE, send);
  const html = core.renderDecisionHtml(PROFILE, feedback.settle(core.decide(PROFILE, FINDINGS)));
  const click = clickOn(html, 'false_alarm', { findingId: 'f_vague', reason: 'ASAP is our SLA term here' });
  const result = await feedback.handleClick(click.target);
  assert.deepEqual(sent, [{ finding_id: 'f_vague', verdict: 'false_alarm', reason: 'ASAP is our SLA term here' }]);
  assert.equal(result.ok, true);
  assert.match(click.container.innerHTML, /Thanks: recorded as a false alarm/);

  const noReason = clickOn(html, 'false_alarm', { findingId: 'f_owner' });
  await feedback.handleClick(noReason.target);
  assert.deepEqual(sent[1], { finding_id: 'f_owner', verdict: 'false_alarm' });
});

test('a feedback post that fails says so, and a click elsewhere does nothing', async () => {
  const err = Object.assign(new Error('HTTP 404'), { code: core.HTTP_CODE, status: 404 });
  const { send } = recorder(() => Promise.reject(err));
  const feedback = core.feedbackController(PROFILE, send, { timeoutMs: 200 });
  const html = core.renderDecisionHtml(PROFILE, feedback.settle(core.decide(PROFILE, FINDINGS)));
  const click = clickOn(html, 'false_alarm', { findingId: 'f_owner' });
  const result = await feedback.handleClick(click.target);
  assert.equal(result.ok, false);
  assert.match(click.container.innerHTML, /Could not send your feedback \(service answered HTTP 404\)/);
  assert.equal(await feedback.handleClick({ closest: () => null }), null);
  assert.equal(await feedback.handleClick(null), null);
});

test('"Save anyway" needs a reason, records an override per blocking finding, then lets one save through', async () => {
  const { sent, send } = recorder();
  const feedback = core.feedbackController(PROFILE, send);
  const html = core.renderDecisionHtml(PROFILE, feedback.settle(core.decide(PROFILE, FINDINGS)));

  const missing = await feedback.handleClick(clickOn(html, 'override', { reason: '  ' }).target);
  assert.equal(missing.ok, false);
  assert.match(missing.message, /Say why you save it anyway/);
  assert.deepEqual(sent, [], 'nothing is sent without a reason');
  assert.equal(feedback.isArmed(), false);

  const click = clickOn(html, 'override', { reason: 'Customer escalated to the CEO; owner named by phone' });
  await feedback.handleClick(click.target);
  assert.deepEqual(sent, [{ finding_id: 'f_owner', verdict: 'override', reason: 'Customer escalated to the CEO; owner named by phone' }]);
  assert.match(click.container.innerHTML, /Override recorded/);
  assert.equal(feedback.isArmed(), true);

  const next = feedback.settle(core.decide(PROFILE, FINDINGS));
  assert.equal(next.action, PROFILE.actions.allow, 'the next save goes through despite the block');
  assert.equal(next.overridden, true);
  const shown = core.renderDecisionHtml(PROFILE, next);
  assert.match(shown, /Saved anyway \(override recorded\)/);
  assert.equal(findButton(shown, 'override'), null);
  assert.equal(feedback.settle(core.decide(PROFILE, FINDINGS)).action, PROFILE.actions.block, 'only once');
});

test('an armed override ends when the next check passes, and survives an empty draft', () => {
  const feedback = core.feedbackController(PROFILE, () => Promise.resolve());
  feedback.settle(core.decide(PROFILE, FINDINGS));
  return feedback.handleClick(clickOn(core.renderDecisionHtml(PROFILE, core.decide(PROFILE, FINDINGS)), 'override', { reason: 'r' }).target).then(() => {
    feedback.settle(core.skippedDecision(PROFILE));
    assert.equal(feedback.isArmed(), true);
    feedback.settle(core.decide(PROFILE, { verdict: 'pass' }));
    assert.equal(feedback.isArmed(), false);
  });
});

// ------------------------------------------------------------------ packaging

test('package.sh builds self-contained app copies that load without the shared folder', { skip: process.platform === 'win32' && 'needs a POSIX sh' }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'holdthread-pkg-'));
  try {
    const stdout = execFileSync('sh', [path.join(INTEGRATIONS, 'package.sh'), out], { encoding: 'utf8' });
    assert.match(stdout, /zcli apps:package .*\/zendesk/);
    assert.match(stdout, /fdk pack/);

    const apps = [
      { dir: path.join(out, 'zendesk', 'assets'), html: 'iframe.html', global: 'HoldThreadZendesk' },
      { dir: path.join(out, 'freshdesk', 'app'), html: 'index.html', global: 'HoldThreadFreshdesk' }
    ];
    for (const app of apps) {
      const html = fs.readFileSync(path.join(app.dir, app.html), 'utf8');
      const local = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]).filter((src) => !/[:{]/.test(src));
      const coreCopy = local.map((src) => path.join(app.dir, src)).find((file) => /holdthread-core\.js$/.test(file));
      assert.ok(coreCopy, `${app.html} loads holdthread-core.js`);
      assert.equal(fs.lstatSync(coreCopy).isSymbolicLink(), false, 'the copy holds the real file, not a link');
      assert.equal(fs.readFileSync(coreCopy, 'utf8'), fs.readFileSync(CORE_PATH, 'utf8'));

      // Load the page's own scripts (not the helpdesk SDK or app.js/main.js, which need a live client) in page order.
      const sandbox = { setTimeout, clearTimeout, Promise };
      sandbox.window = sandbox;
      vm.createContext(sandbox);
      for (const src of local.filter((s) => /holdthread/.test(s))) {
        vm.runInContext(fs.readFileSync(path.join(app.dir, src), 'utf8'), sandbox, { filename: src });
      }
      assert.equal(typeof sandbox[app.global].register, 'function', `${app.global} loads from the packaged copy`);
    }
    const links = execFileSync('find', [out, '-type', 'l'], { encoding: 'utf8' });
    assert.equal(links.trim(), '', 'no symlinks in the upload copies');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
