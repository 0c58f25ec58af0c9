// The panel's UI code in real Chromium under the production CSP, fed fixture states the way the
// host feeds it (snapshot, then numbered deltas). Fails on any CSP violation. Skips only on a
// machine without Chromium outside CI (CI installs it, so there a missing browser fails).
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isWebviewToHost, type PanelState } from '../../../src/shared/protocol';
import { chromiumAvailable, openPanel, type PanelPage } from '../../support/panelPage';
import { agentState, chatState, failureState, injectionState, localState, overrides, pastState, turn } from './fixtures';

const shots = resolve(__dirname, '..', '..', '..', 'test-results');

describe('panel UI in Chromium', function () {
  this.timeout(60000);
  let p: PanelPage;
  let seq = 0;

  before(async function () {
    if (!chromiumAvailable()) {
      if (process.env.CI) throw new Error('Chromium is missing in CI (apt-get install chromium)');
      console.warn('    [skip] panel UI tests: no Chromium at /usr/bin/chromium (set CHROMIUM=/path to run them)');
      this.skip();
    }
    mkdirSync(shots, { recursive: true });
    p = await openPanel();
  });
  after(async () => p?.close());

  const load = async (state: PanelState) => {
    seq = 0;
    await p.reload();
    await p.send({ type: 'state', seq: seq++, state });
  };
  const shot = (name: string) => p.page.screenshot({ path: join(shots, `panel-fixture-${name}.png`), fullPage: true });
  const count = (sel: string) => p.page.locator(sel).count();
  const text = (sel: string) => p.page.locator(sel).first().innerText();

  afterEach(async function () {
    if (!p) return;
    assert.deepEqual(await p.violations(), [], 'no CSP violation');
  });

  it('says ready on load', async () => {
    await p.reload();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
  });

  it('renders every part of a 3-turn chat', async () => {
    await load(chatState());
    assert.equal(await count('.turn'), 3);
    assert.match(await text('.turn .user-text'), /Question number 1/);
    assert.equal(await count('.turn .answer strong'), 3, 'Markdown is rendered');
    assert.equal(await count('.cost-card'), 3);
    assert.match(await text('.cost-card .bucket-cacheWrite1h'), /4,200/);
    assert.match(await text('.turn:nth-child(2) .cost-line'), /hit 96\.0%/);
    assert.match(await text('.turn:nth-child(2) .card-title'), /TTFT 210 ms · total 900 ms/);
    assert.match(await text('.session-header'), /Saved\s*\$0\.00672/);
    assert.match(await text('.session-header'), /vs automatic caching/);
    assert.equal(await count('.budget-row:not(.hidden) progress'), 1);
    assert.match(await text('#forecast'), /^Next request ≈ reads 4,200/);
    assert.equal(await count('.timeline-list li.warm'), 2);
    assert.match(await text('.timeline-list li.cold'), /cold/);
    assert.equal(await count('svg.map-bar'), 3);
    assert.equal(await count('svg.map-bar rect.bp'), 8);
    assert.match((await p.page.locator('svg.map-bar rect.seg title').first().textContent()) ?? '', /tools · 800 tokens · written/);
    assert.equal(await count('.charts canvas'), 3, 'three uPlot charts');
    assert.equal(await count('.session-list button'), 2);
    assert.equal(await p.page.locator('#prompt-picker').inputValue(), 'support-agent');
    assert.match(await text('#backend'), /Offline emulator/);
    await shot('chat');
  });

  it('shows an agent turn: tool runs, a failed tool, and a prompt tool awaiting the user', async () => {
    await load(agentState());
    assert.equal(await count('.tool-run'), 2);
    assert.equal(await count('.tool-run.tool-error'), 1);
    assert.equal(await count('.turn:nth-child(2) .cost-card'), 2, 'one card per agent step');
    await p.page.locator('.tool-run').first().locator('summary').click();
    assert.match(await text('.tool-run .tool-input'), /"path": "docs\/faq.md"/);
    await p.page.locator('.pending-tool textarea').fill('order A-17 shipped');
    await p.page.locator('.pending-tool .answer-tool').click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'answerTool', toolUseId: 'toolu_01', content: 'order A-17 shipped', isError: false });
    await shot('agent');
  });

  it('shows a failure as a failure, without a hit ratio, and why agent mode is off', async () => {
    await load(failureState());
    const card = p.page.locator('.cost-card.outcome-failed');
    assert.equal(await card.count(), 1);
    assert.match(await card.innerText(), /overloaded/);
    assert.doesNotMatch(await card.innerText(), /hit/i);
    assert.match(await text('#agent-reason'), /untrusted workspace/);
    assert.equal(await p.page.locator('#mode-picker option[value=agent]').isDisabled(), true);
    await shot('failure');
  });

  it('marks a local answer with its badge', async () => {
    await load(localState());
    assert.equal(await count('.cost-card .local-badge'), 1);
    assert.match(await text('.cost-card.outcome-local'), /nothing was billed/);
    assert.equal(await count('.cost-card.outcome-local table'), 0, 'no table of zeros');
    await shot('local');
  });

  it('keeps injected HTML in model output as text: no img, no script, no handler runs', async () => {
    await load(injectionState());
    assert.equal(await count('img'), 0, 'no img element at all');
    assert.equal(await count('.answer script, .answer [onerror]'), 0);
    assert.match(await text('.turn .answer'), /<img src=x onerror="window.__pwned=1">/);
    assert.match(await text('.turn .user-text'), /<img src=x onerror/);
    assert.equal(await p.page.locator('.answer a[href]').count(), 0, 'a javascript: link loses its href');
    await p.page.waitForTimeout(100);
    assert.equal(await p.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await shot('injection');
  });

  it('sends on Ctrl+Enter with the text and mode, and posts cancel and the buttons\' messages', async () => {
    await load(chatState());
    await p.page.locator('#composer-input').fill('line one\nline two');
    await p.page.locator('#composer-input').press('Control+Enter');
    const posted = await p.posted();
    assert.ok(posted.some((m) => JSON.stringify(m) === JSON.stringify({ type: 'send', text: 'line one\nline two', mode: 'chat' })), JSON.stringify(posted));
    assert.equal(await p.page.locator('#composer-input').inputValue(), '');
    await p.send({ type: 'turn', seq: seq++, turn: turn(4, { answer: '', requests: [], inFlight: true }) });
    await p.page.locator('#composer-input').press('Escape');
    assert.deepEqual((await p.posted()).at(-1), { type: 'cancel' }, 'Esc in the composer cancels while answering');
    await p.page.locator('#cancel').click();
    for (const id of ['new-conversation', 'export-stats', 'clear-caches']) await p.page.locator(`#${id}`).click();
    await p.page.locator('.session-list button').nth(1).click();
    await p.page.locator('#prompt-picker').selectOption('triage');
    const tail = (await p.posted()).slice(-6);
    assert.deepEqual(tail, [{ type: 'cancel' }, { type: 'newConversation' }, { type: 'exportStats' }, { type: 'clearCaches' }, { type: 'openSession', id: 's1' }, { type: 'selectPrompt', id: 'triage' }]);
  });

  it('posts typing (debounced) for the forecast', async () => {
    await load(chatState());
    await p.page.locator('#composer-input').pressSequentially('abc', { delay: 20 });
    await p.page.waitForTimeout(400);
    const typing = (await p.posted()).filter((m) => (m as { type: string }).type === 'typing');
    assert.deepEqual(typing, [{ type: 'typing', text: 'abc' }], 'one message after the pause, not one per key');
  });

  it('asks for a resync on a sequence gap, once, and recovers with the snapshot', async () => {
    await load(chatState());
    await p.send({ type: 'forecast', seq: 5, forecast: undefined }, { type: 'forecast', seq: 6, forecast: undefined });
    const resyncs = (await p.posted()).filter((m) => (m as { type: string }).type === 'resync');
    assert.deepEqual(resyncs, [{ type: 'resync', lastSeq: 0 }]);
    assert.match(await text('#forecast'), /reads 4,200/, 'deltas after a gap are not applied');
    await p.send({ type: 'state', seq: 7, state: { ...chatState(), forecast: undefined } }, { type: 'turn', seq: 8, turn: turn(4) });
    assert.equal(await count('.turn'), 4);
  });

  it('keeps the composer focused, its text and cursor, while 50 deltas stream in; turns are patched, not rebuilt', async () => {
    await load(chatState());
    await p.send({ type: 'turn', seq: seq++, turn: turn(4, { answer: '', requests: [], inFlight: true }) });
    const input = p.page.locator('#composer-input');
    await input.fill('half-typed message');
    await input.evaluate((t: HTMLTextAreaElement) => t.setSelectionRange(4, 9));
    await p.page.evaluate(() => ((document.querySelector('.turn') as HTMLElement & { __mark?: boolean }).__mark = true));
    const deltas = Array.from({ length: 50 }, (_, i) => ({ type: 'streaming', seq: seq++, promptId: 'support-agent', text: `Streaming **answer** ${'word '.repeat(i + 1)}` }));
    await p.send(...deltas);
    const after = await input.evaluate((t: HTMLTextAreaElement) => ({ focused: document.activeElement === t, value: t.value, start: t.selectionStart, end: t.selectionEnd }));
    assert.deepEqual(after, { focused: true, value: 'half-typed message', start: 4, end: 9 });
    // The answer renders at most every 40 ms while streaming, and the last text within that.
    await p.page.waitForFunction(() => /( word){50}$/.test(document.querySelector('.turn:nth-child(4) .answer')?.textContent?.trim() ?? ''), undefined, { timeout: 2000 });
    assert.match(await text('.turn:nth-child(4) .answer'), /Streaming answer( word){50}$/);
    assert.equal(await p.page.evaluate(() => (document.querySelector('.turn') as HTMLElement & { __mark?: boolean }).__mark), true, 'first turn node kept');
    await shot('streaming');
  });

  it('counts the TTL down once a second while warm, and stops its timer when everything is cold', async () => {
    await load(chatState());
    const first = await text('.timeline-list li.warm .countdown');
    assert.equal(await p.page.locator('.timeline').getAttribute('data-ticking'), 'true');
    // Within a few seconds (the timer's phase and the host-clock offset shift it by up to ~1 s).
    await p.page.waitForFunction((f) => document.querySelector('.timeline-list li.warm .countdown')?.textContent !== f, first, { timeout: 3000 });
    const now = Date.now();
    await p.send({ type: 'timeline', seq: seq++, timeline: { hostNowMs: now, entries: [{ tier: 'system', ttl: '5m', warmUntilMs: now - 1000 }, { tier: 'context', ttl: '5m', warmUntilMs: null }] } });
    assert.equal(await count('.timeline-list li.cold'), 2);
    assert.equal(await p.page.locator('.timeline').getAttribute('data-ticking'), 'false');
    assert.match(await text('.next-read'), /reads nothing/);
  });

  it('shows the saved state at once after a reload, before the host\'s snapshot arrives', async () => {
    await load(chatState());
    await p.page.waitForTimeout(700); // the state is saved at most twice a second
    await p.reload();
    assert.equal(await count('.turn'), 3);
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    await p.send({ type: 'forecast', seq: 3, forecast: undefined });
    assert.match(await text('#forecast'), /reads 4,200/, 'no delta applies before the snapshot');
    assert.equal((await p.posted()).length, 1, 'and none asks for a resync: the snapshot follows ready');
  });

  it('redraws the charts in the new theme colours when the body class changes', async () => {
    await load(chatState());
    await p.page.evaluate(() => ((document.querySelector('.charts canvas') as HTMLCanvasElement & { __old?: boolean }).__old = true));
    await p.page.evaluate(() => {
      (document.getElementById('theme') as HTMLLinkElement).href = '/test/theme-light.css';
      return new Promise((r) => setTimeout(r, 100));
    });
    await p.page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-light'));
    await p.page.waitForTimeout(50);
    const same = await p.page.evaluate(() => !!(document.querySelector('.charts canvas') as HTMLCanvasElement & { __old?: boolean }).__old);
    assert.equal(same, false, 'charts were rebuilt');
    const stroke = await p.page.evaluate(() => [...document.querySelectorAll('.charts .u-legend .u-marker')].map((m) => m.getAttribute('style')).join(' '));
    assert.match(stroke, /26, 133, 255/, `the light theme's charts-blue: ${stroke}`);
    assert.doesNotMatch(stroke, /55, 148, 255/, 'not the dark theme\'s');
    await shot('light');
  });
  it('model, backend and TTL pickers post validated messages and follow the host; keyboard only', async () => {
    await load({ ...chatState(), overrides: overrides({ inputs: undefined }) });
    assert.equal(await p.page.locator('#model-picker').getAttribute('placeholder'), "prompt's own: claude-sonnet-5");
    assert.equal(await count('#model-ids option'), 3);
    await p.page.locator('#model-picker').fill('claude-haiku-4-5');
    await p.page.locator('#model-picker').press('Enter');
    await p.page.locator('#ttl-system').focus();
    await p.page.keyboard.press('ArrowDown');
    await p.page.locator('#ttl-context').selectOption('1h');
    await p.page.locator('#backend-picker').selectOption('anthropic');
    const posted = (await p.posted()).filter((m) => /^set/.test((m as { type: string }).type));
    assert.deepEqual(posted.find((m) => (m as { type: string }).type === 'setModel'), { type: 'setModel', model: 'claude-haiku-4-5' });
    assert.ok(posted.some((m) => JSON.stringify(m) === JSON.stringify({ type: 'setTtl', tier: 'context', ttl: '1h' })), JSON.stringify(posted));
    assert.ok(posted.some((m) => (m as { type: string; tier?: string }).type === 'setTtl' && (m as { tier?: string }).tier === 'system'), 'the arrow key changes a TTL');
    assert.ok(posted.some((m) => JSON.stringify(m) === JSON.stringify({ type: 'setBackend', backend: 'anthropic' })));
    // The host refuses an unknown id and keeps the panel offline without a key: both shown.
    await p.send({ type: 'overrides', seq: seq++, overrides: overrides({ inputs: undefined, error: 'Unknown model "claude-sonet-5". Nearest known ids: claude-sonnet-5.', needsKey: true, notes: ['The planner changed a TTL you picked: system: promoted from the declared 5m to 1h'] }) });
    await p.send({ type: 'backend', seq: seq++, backend: { kind: 'offline', detail: 'offline', hasKey: false } });
    assert.match(await text('#picks-error'), /Nearest known ids: claude-sonnet-5/);
    assert.match(await text('#needs-key'), /stays on the offline emulator/);
    assert.match(await text('#picks-notes'), /promoted/);
    assert.equal(await p.page.locator('#backend-picker').inputValue(), 'offline');
    await p.page.locator('#picks-set-key').click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'runCommand', command: 'setApiKey' });
    for (const m of await p.posted()) assert.ok(isWebviewToHost(m), `the host would accept ${JSON.stringify(m)}`);
    await shot('pickers');
  });

  it('shows one field per template input, prefilled; edits post setInputs once typing pauses; a failing template blocks the send and keeps the text', async () => {
    await load({ ...chatState(), overrides: overrides() });
    assert.equal(await count('#prompt-inputs textarea'), 2);
    assert.equal(await p.page.locator('#input-product').inputValue(), 'Acme Outfitters app');
    await p.page.locator('#input-product').fill('Acme {{ broken');
    await p.page.waitForTimeout(450);
    const sets = (await p.posted()).filter((m) => (m as { type: string }).type === 'setInputs');
    assert.deepEqual(sets, [{ type: 'setInputs', inputs: { product: 'Acme {{ broken', prs: 'feat: size finder' } }]);
    const input = p.page.locator('#composer-input');
    await input.fill('Write the notes');
    await input.focus();
    // The host re-plans and says the template fails: the patch keeps the field and the composer as typed.
    await p.send({ type: 'overrides', seq: seq++, overrides: overrides({ inputs: [{ name: 'product', value: 'Acme {{ broken', sample: 'Acme Outfitters app' }, { name: 'prs', value: 'feat: size finder', sample: 'feat: size finder' }], error: 'line 20: template error: unexpected end' }) });
    assert.equal(await input.evaluate((t) => document.activeElement === t), true, 'the composer keeps focus');
    await input.press('Control+Enter');
    assert.equal((await p.posted()).filter((m) => (m as { type: string }).type === 'send').length, 0, 'nothing is sent');
    assert.equal(await input.inputValue(), 'Write the notes');
    assert.match(await text('#forecast'), /Not sent until the template inputs render: line 20/);
    assert.equal(await p.page.locator('#send-message').isDisabled(), true);
    // A message the host refused comes back into an empty composer, once.
    await input.fill('');
    await p.send({ type: 'draft', seq: seq++, text: 'handed back' });
    assert.equal(await input.inputValue(), 'handed back');
    await shot('inputs');
  });

  it('a reopened past session shows its turns read-only, the missing text said, and a way back', async () => {
    await load(pastState());
    assert.match(await text('#past-session'), /Past session .* read-only · text unavailable for 1 turn/);
    assert.equal(await count('.turn'), 2);
    assert.match(await text('.turn:nth-child(1) .user-text'), /Question number 1/);
    assert.match(await text('.turn.text-unavailable .user-text'), /Text unavailable/);
    assert.equal(await count('.turn.text-unavailable .cost-card'), 1, 'the card stays');
    assert.equal(await p.page.locator('#send-message').isDisabled(), true);
    await p.page.locator('#back-to-current').focus();
    await p.page.keyboard.press('Enter');
    assert.deepEqual((await p.posted()).at(-1), { type: 'backToCurrent' });
    await p.send({ type: 'conversation', seq: seq++, conversation: chatState().conversation });
    assert.equal(await count('#past-session.hidden'), 1);
    assert.equal(await count('.turn'), 3);
    assert.equal(await count('.turn.text-unavailable'), 0);
    await shot('past-session');
  });

});

describe('panel UI in Chromium: the CSP check itself', function () {
  this.timeout(60000);
  it('sees a violation when one happens (so "no violation" above means something)', async function () {
    if (!chromiumAvailable() && !process.env.CI) this.skip();
    const p = await openPanel();
    try {
      await p.page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div style="color:red">x</div><img src="https://example.com/x.png">'));
      await p.page.waitForTimeout(200);
      const v = await p.violations();
      assert.ok(v.some((x) => x.startsWith('style-src-attr')), v.join('\n'));
      assert.ok(v.some((x) => x.startsWith('img-src')), v.join('\n'));
    } finally {
      await p.close();
    }
  });

});
