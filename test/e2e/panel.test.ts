// The session panel in a real workbench, as a user works with it: chat turns whose numbers agree
// everywhere they are shown, an agent turn that reads a workspace file, a tool answered by hand,
// a cancelled stream, and the Clear Caches… actions. The emulator answers from a script that each
// test rewrites (an edited script applies to the next request, from its first turn).
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { Workbench, freePort, packageVsix, poll } from './workbench';

const SCRIPT = '.e2e/script.yaml';
const LEDGER = '.prompt-cache/ledger.jsonl';
const BUCKETS = ['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output'] as const;
type Bucket = (typeof BUCKETS)[number];

/** The precision each view shows. Panel (cards, header): 4 decimals, 5 below a cent. */
const panelUsd = (n: number) => `${n < 0 ? '-' : ''}$${Math.abs(n) < 0.01 ? Math.abs(n).toFixed(5) : Math.abs(n).toFixed(4)}`;
/** Status bar: 3 decimals from a cent, 2 significant digits below, 2 decimals from a dollar. */
function statusUsd(n: number): string {
  const a = Math.abs(n);
  return `${n < 0 ? '-' : ''}$${a >= 0.995 ? a.toFixed(2) : a >= 0.01 ? a.toFixed(3) : a === 0 ? '0' : a.toPrecision(2)}`;
}
const int = (n: number) => n.toLocaleString('en-US');

interface LedgerRecord {
  sessionId: string;
  kind: string;
  outcome: string;
  turn: number;
  step: number;
  buckets: Record<Bucket, number>;
  cost?: Record<Bucket | 'total' | 'noCache' | 'saved', number>;
  toolCalls: Array<{ name: string; isError: boolean; resultBytes: number }>;
  bust?: boolean;
  explanation?: { kind: string };
}

interface ScriptTurn {
  text?: string;
  content?: Array<{ type: 'text'; text: string } | { type: 'tool_use'; name: string; input: Record<string, unknown> }>;
  event_delay_ms?: number;
}

describe('the session panel in a real workbench (Chromium)', () => {
  const wb = new Workbench();
  let frame: FrameLocator;
  let metricsPort = 0;
  let scripts = 0;

  /** The emulator's next answers (YAML reads JSON); a rewrite starts again from its first turn. */
  const script = (turns: ScriptTurn[]) => {
    const file = join(wb.workspace, SCRIPT);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `# script ${++scripts}\n${JSON.stringify({ turns })}\n`);
  };

  const ledger = (): LedgerRecord[] => {
    const file = join(wb.workspace, LEDGER);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LedgerRecord);
  };

  const turnOf = (text: string): Locator => frame.locator('article.turn', { hasText: text });
  /** What an element of a turn says. Not innerText: a turn scrolled out of view is not rendered (content-visibility), and the reader may have scrolled up. */
  const text = async (l: Locator): Promise<string> => (await l.textContent()) ?? '';

  /** Sends from the composer and waits for `cards` cost cards under the new turn. */
  async function send(text: string, cards = 1): Promise<Locator> {
    const input = frame.locator('#composer-input');
    await input.fill(text);
    await input.press('Control+Enter');
    const turn = turnOf(text);
    await poll(`${cards} cost card(s) under "${text}"`, async () => ((await turn.locator('.cost-card').count()) >= cards && !(await turn.evaluate((e) => e.classList.contains('in-flight'))) ? true : undefined), 60000);
    return turn;
  }

  /** Types `message` in the composer (unsent) and waits for a forecast line that matches `want`. */
  async function forecastOf(message: string, want: RegExp): Promise<string> {
    await frame.locator('#composer-input').fill(message);
    const line = frame.locator('#forecast');
    return poll(`the forecast for "${message}" to match ${want}`, async () => {
      const f = await text(line);
      return want.test(f) ? f : undefined;
    }).catch(async (err: Error) => {
      throw new Error(`${err.message}; it reads ${JSON.stringify(await text(line))}`);
    });
  }

  /** The figures of a forecast line ("Next request ≈ reads 1,234 · writes 56 · uncached 7 …"). */
  function forecastFigures(line: string): { read: number; write: number } {
    const m = /^Next request ≈ reads ([\d,]+) · writes ([\d,]+) · /.exec(line);
    assert.ok(m, `a forecast line: ${line}`);
    return { read: Number(m[1]?.replace(/,/g, '')), write: Number(m[2]?.replace(/,/g, '')) };
  }

  /** The cache timeline's rows as tier → { text, warm, tokens } (its token counts are local estimates, shown with ≈). */
  async function timelineRows(): Promise<Record<string, { text: string; warm: boolean; tokens: number }>> {
    const rows = frame.locator('.timeline li.tier');
    const out: Record<string, { text: string; warm: boolean; tokens: number }> = {};
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const t = (await text(row)).replace(/\s+/g, ' ').trim();
      const tier = /^(\w+) \(/.exec(t)?.[1] ?? '?';
      out[tier] = { text: t, warm: await row.evaluate((e) => e.classList.contains('warm')), tokens: Number(/· ≈([\d,]+) tokens/.exec(t)?.[1]?.replace(/,/g, '') ?? 0) };
    }
    return out;
  }

  /** A card's tokens and dollars per bucket as shown. */
  async function cardFigures(card: Locator): Promise<{ tokens: Record<Bucket, number>; usd: Record<Bucket, string>; line: string }> {
    const tokens = {} as Record<Bucket, number>;
    const usd = {} as Record<Bucket, string>;
    for (const b of BUCKETS) {
      const cells = card.locator(`tr.bucket-${b} td.num`);
      tokens[b] = Number((await text(cells.nth(0))).replace(/,/g, ''));
      usd[b] = await text(cells.nth(2));
    }
    return { tokens, usd, line: await text(card.locator('.cost-line')) };
  }

  /** The session header as label → value. */
  async function header(): Promise<Record<string, string>> {
    const dl = frame.locator('.session-header dl.figures');
    const keys = await dl.locator('dt').allInnerTexts();
    const values = await dl.locator('dd').allInnerTexts();
    return Object.fromEntries(keys.map((k, i) => [k, values[i] ?? '']));
  }

  /** Picks a mode and waits for the host's answer to reach the panel (the composer sends with the mode the host confirmed). */
  async function setMode(mode: 'chat' | 'agent'): Promise<void> {
    const body = frame.locator('body');
    await body.evaluate(() => {
      const w = window as unknown as { pclModes?: string[] };
      if (w.pclModes) return;
      w.pclModes = [];
      window.addEventListener('message', (e: MessageEvent<{ type?: string; mode?: string }>) => {
        if (e.data?.type === 'mode' && e.data.mode) w.pclModes?.push(e.data.mode);
      });
    });
    await body.evaluate(() => ((window as unknown as { pclModes: string[] }).pclModes.length = 0));
    await frame.locator('#mode-picker').selectOption(mode);
    await poll(`the host to confirm ${mode} mode`, () => body.evaluate((_, m) => ((window as unknown as { pclModes: string[] }).pclModes.includes(m) ? true : undefined), mode));
  }

  /** Focuses the panel's editor group (a click in the webview reaches the workbench a moment later; after a quick pick the editor beside it may still be the active group). */
  async function focusPanelGroup(): Promise<void> {
    const active = wb.page.locator('.editor-group-container.active .tab.active', { hasText: 'Prompt Cache Lab' });
    await poll("the panel's editor group to be the active one", async () => {
      await frame.locator('h1').click();
      return (await active.count()) > 0 ? true : undefined;
    });
  }

  /**
   * The panel maximised in its editor group (two columns: the conversation beside the timeline,
   * the breakpoint map and the charts), photographed, then restored.
   */
  async function widePanelScreenshot(name: string): Promise<void> {
    const iframe = wb.page.locator('iframe.webview.ready');
    const width = async () => (await iframe.boundingBox())?.width ?? 0;
    const narrow = await width();
    await focusPanelGroup();
    await wb.runCommand('View: Toggle Maximize Editor Group', { keepFocus: true });
    await poll('the panel to fill the editor area', async () => ((await width()) > narrow + 300 ? true : undefined));
    // The Prompts view beside it, not the test's files in the Explorer.
    const title = wb.page.locator('.sidebar .composite.title .title-label');
    if (!/prompt cache/i.test((await title.textContent()) ?? '')) await wb.page.locator('.activitybar .action-item a[aria-label^="Prompt Cache"]').first().click();
    await poll('the Prompts view', async () => (/prompt cache/i.test((await title.textContent()) ?? '') ? true : undefined));
    await wb.page.locator('.sidebar .monaco-list-row', { hasText: 'support-agent' }).first().waitFor({ timeout: 30000 });
    await frame.locator('.side-column .charts svg, .side-column .charts canvas').first().waitFor({ state: 'attached' });
    const conversation = frame.locator('.conversation');
    await conversation.evaluate((e) => (e.scrollTop = e.scrollHeight));
    await wb.screenshot(name);
    await focusPanelGroup();
    await wb.runCommand('View: Toggle Maximize Editor Group', { keepFocus: true });
    await poll('the panel back beside the editor', async () => (Math.abs((await width()) - narrow) < 20 ? true : undefined));
  }

  async function metrics(): Promise<{ costUsd: number; tokens: Record<string, number> }> {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    let costUsd = 0;
    const tokens: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const cost = /^promptcachelab_cost_usd_total\{[^}]*\} (\S+)$/.exec(line);
      if (cost) costUsd += Number(cost[1]);
      const tok = /^promptcachelab_tokens_total\{([^}]*)\} (\S+)$/.exec(line);
      if (tok) {
        const labels = tok[1] ?? '';
        const key = `${/kind="([^"]*)"/.exec(labels)?.[1]}${/ttl="([^"]+)"/.exec(labels)?.[1] ?? ''}`;
        tokens[key] = (tokens[key] ?? 0) + Number(tok[2]);
      }
    }
    return { costUsd, tokens };
  }

  before(async function () {
    this.timeout(300000);
    metricsPort = await freePort();
    await wb.start(packageVsix(), {
      files: {
        // Workspace settings, as a team would commit them: a shared ledger, a metrics endpoint.
        '.vscode/settings.json': JSON.stringify({
          'promptCacheLab.ledger.path': LEDGER,
          'promptCacheLab.metrics.port': metricsPort,
          'promptCacheLab.emulator.script': SCRIPT,
          'promptCacheLab.responseCache.enabled': true,
        }, null, 2),
        [SCRIPT]: '# replaced by each test\nturns: []\n',
      },
    });
  });

  afterEach(async function () {
    const t = this.currentTest;
    if (t?.state === 'failed') await wb.screenshot(`failed-panel-${t.title.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await wb.stop();
  });

  it('two chat turns: the cards, the session header, the status bar, the ledger and the metrics endpoint agree to the cent', async () => {
    script([
      { text: 'Order **AO-20261203** left our warehouse on 28 November and is with the carrier:\n\n- tracking number `1Z 999 AA1 01 2345 6784`\n- expected delivery: **Thursday, 4 December**\n\nTell me if it has not arrived by Friday and I will open an investigation.' },
      { text: 'Yes, as long as the carrier has not started the last leg. I can ask them to **redirect the parcel** to a new street address in the same country; P.O. boxes only work with standard shipping.' },
    ]);
    await wb.openFile('support-agent');
    await wb.runCommand('Prompt Cache: Open Panel');
    frame = wb.panelFrame();
    await frame.locator('#composer-input').waitFor({ timeout: 30000 });
    const first = await send('Where is my order AO-20261203? It was supposed to arrive yesterday.');
    const second = await send('Can I still change the delivery address?');

    const records = await poll('both turns in the ledger file', async () => {
      const rs = ledger();
      return rs.length >= 2 ? rs : undefined;
    });
    assert.deepEqual(records.map((r) => [r.kind, r.outcome, r.turn]), [['send', 'ok', 1], ['send', 'ok', 2]]);
    const [w, r] = records as [LedgerRecord, LedgerRecord];
    assert.ok(w.buckets.cacheWrite1h + w.buckets.cacheWrite5m > 1000 && w.buckets.cacheRead === 0, `the first turn writes (${JSON.stringify(w.buckets)})`);
    assert.ok(r.buckets.cacheRead > 1000, `the second reads what the first wrote (${JSON.stringify(r.buckets)})`);

    // Each card: the tokens exactly, the dollars at the panel's precision.
    for (const [turn, rec] of [[first, w], [second, r]] as const) {
      const shown = await cardFigures(turn.locator('.cost-card').first());
      const cost = rec.cost as NonNullable<LedgerRecord['cost']>;
      assert.deepEqual(shown.tokens, rec.buckets);
      assert.deepEqual(shown.usd, Object.fromEntries(BUCKETS.map((b) => [b, panelUsd(cost[b])])));
      assert.ok(shown.line.startsWith(`Cost ${panelUsd(cost.total)} · no cache ${panelUsd(cost.noCache)} · `), shown.line);
    }

    const sum = (f: (x: LedgerRecord) => number) => records.reduce((n, x) => n + f(x), 0);
    const total = sum((x) => x.cost?.total ?? 0);
    const noCache = sum((x) => x.cost?.noCache ?? 0);
    const saved = sum((x) => x.cost?.saved ?? 0);
    const tokens = Object.fromEntries(BUCKETS.map((b) => [b, sum((x) => x.buckets[b])])) as Record<Bucket, number>;
    const hit = tokens.cacheRead / (tokens.input + tokens.cacheWrite5m + tokens.cacheWrite1h + tokens.cacheRead);

    const head = await poll('the header to count both requests', async () => {
      const h = await header();
      return h.Requests === '2 answered' ? h : undefined;
    });
    assert.equal(head.Cost, panelUsd(total));
    assert.equal(head['Without caching'], panelUsd(noCache));
    assert.equal(head.Saved, panelUsd(saved));
    assert.equal(head['Hit ratio'], `${(hit * 100).toFixed(1)}%`);
    assert.equal(await frame.locator('.session-header .tokens-line').innerText(), `Tokens: input ${int(tokens.input)} · write 5m ${int(tokens.cacheWrite5m)} · write 1h ${int(tokens.cacheWrite1h)} · read ${int(tokens.cacheRead)} · output ${int(tokens.output)}`);

    const status = `${Math.round(hit * 100)}% hit · ${statusUsd(total)} · saved ${statusUsd(saved)}`;
    await poll(`the status bar to read "${status}"`, async () => ((await wb.sessionStatus()) === status ? true : undefined)).catch(async (err: Error) => {
      throw new Error(`${err.message}; it reads ${JSON.stringify(await wb.sessionStatus())}`);
    });

    // The endpoint sums exactly (as the ledger reducers); only float noise may differ from this sum.
    let m = await metrics();
    m = await poll(`the metrics cost counter to reach the ledger's $${total}`, async () => {
      m = await metrics();
      return Math.abs(m.costUsd - total) < 1e-12 ? m : undefined;
    }, 10000).catch(() => m);
    assert.ok(Math.abs(m.costUsd - total) < 1e-12, `metrics cost ${m.costUsd} = ledger ${total}`);
    assert.deepEqual(m.tokens, Object.fromEntries(Object.entries({ input: tokens.input, cache_write5m: tokens.cacheWrite5m, cache_write1h: tokens.cacheWrite1h, cache_read: tokens.cacheRead, output: tokens.output }).filter(([, v]) => v > 0)));
    await widePanelScreenshot('panel-costs-agree');
  });

  it('an agent turn calls read_file on a workspace file: the panel shows the call, the file it read, the answer and a card per request', async () => {
    script([
      { content: [{ type: 'text', text: 'Let me check the FAQ on order changes.' }, { type: 'tool_use', name: 'read_file', input: { path: 'docs/faq.md' } }] },
      { text: 'I am sorry: orders can only be changed or cancelled **within 60 minutes of checkout**, before they are picked in the warehouse. Yours was placed two hours ago, so please wait for the parcel and start a return for the jacket; returns are free within 30 days.' },
    ]);
    // Trusted workspace (code-server runs with workspace trust off): agent mode is offered.
    assert.equal(await frame.locator('#mode-picker option[value="agent"]').isDisabled(), false);
    await setMode('agent');
    const turn = await send('I ordered the wrong jacket two hours ago. Can I still change my order?', 2);
    assert.ok(await turn.evaluate((e) => e.classList.contains('agent')), 'the turn ran as an agent turn');
    const run = turn.locator('details.tool-run', { hasText: 'read_file' });
    assert.deepEqual(JSON.parse(await text(run.locator('pre.tool-input'))), { path: 'docs/faq.md' });
    assert.equal(await run.locator('pre.tool-output').textContent(), readFileSync(join(wb.workspace, 'docs/faq.md'), 'utf8'), 'the result is the file as it is on disk');
    assert.match(await text(turn.locator('.answer')), /within 60 minutes of checkout/);
    const titles = await turn.locator('.cost-card .card-title').allTextContents();
    assert.deepEqual(titles.map((t) => /Request step \d/.exec(t)?.[0]), ['Request step 1', 'Request step 2']);
    assert.equal(await turn.locator('.cost-card table.buckets').count(), 2, 'each request has its cost table');
    const steps = ledger().filter((x) => x.kind === 'agent-step');
    assert.deepEqual(steps.map((x) => [x.step, x.toolCalls.map((c) => [c.name, c.isError])]), [[0, [['read_file', false]]], [1, []]]);
    assert.ok((steps[1]?.buckets.cacheRead ?? 0) > 0, 'step 2 reads what step 1 wrote');
    await widePanelScreenshot('panel-agent-read-file');
  });

  it('the prompt\'s own tool without a mock-results file is answered by hand in the panel', async () => {
    script([
      { content: [{ type: 'tool_use', name: 'lookup_order', input: { order_number: 'AO-20261203' } }] },
      { text: 'Order AO-20261203 shipped on 28 November with tracking number `1Z 999 AA1 01 2345 6784`.' },
    ]);
    const input = frame.locator('#composer-input');
    await input.fill('Has AO-20261203 shipped?');
    await input.press('Control+Enter');
    const turn = turnOf('Has AO-20261203 shipped?');
    const form = turn.locator('.pending-tool');
    await form.waitFor({ state: 'attached', timeout: 60000 });
    assert.match(await text(form.locator('label')), /The model called lookup_order with \{"order_number":"AO-20261203"\}/);
    await widePanelScreenshot('panel-tool-answer-form');
    const answer = '{"status": "shipped", "shipped_on": "2026-11-28", "tracking": ["1Z 999 AA1 01 2345 6784"]}';
    await form.locator('textarea.tool-answer').fill(answer);
    await form.locator('button.answer-tool').click();
    await poll('the turn to finish with two cards', async () => ((await turn.locator('.cost-card').count()) === 2 && !(await turn.evaluate((e) => e.classList.contains('in-flight'))) ? true : undefined), 60000);
    assert.equal(await turn.locator('.pending-tool').count(), 0, 'the form is gone once answered');
    const run = turn.locator('details.tool-run', { hasText: 'lookup_order' });
    assert.equal(await run.locator('pre.tool-output').textContent(), answer, 'the model got what was typed');
    assert.match(await text(turn.locator('.answer')), /shipped on 28 November/);
    await setMode('chat');
  });

  it('Cancel stops a streaming answer: the turn shows as cancelled, the composer works again and the next turn is answered', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `Step ${i + 1} of the return: pack the item in its original box.`).join(' ');
    script([{ text: long, event_delay_ms: 250 }, { text: 'Your return label is on its way to your email.' }]);
    const input = frame.locator('#composer-input');
    const question = 'How do I return the jacket, step by step?';
    await input.fill(question);
    await input.press('Control+Enter');
    const turn = turnOf(question);
    const partial = await poll('the answer to start streaming', async () => {
      const t = (await text(turn.locator('.answer')).catch(() => '')).trim();
      return t.length > 0 ? t : undefined;
    }, 60000);
    assert.ok(long.startsWith(partial.slice(0, 20)), partial);
    const cancel = frame.locator('#cancel');
    assert.equal(await cancel.isEnabled(), true, 'Cancel is offered while the answer streams');
    await cancel.click();
    const card = turn.locator('.cost-card.outcome-aborted');
    await card.waitFor({ state: 'attached', timeout: 30000 });
    assert.match(await text(card.locator('.card-title')), /Cancelled/);
    assert.match(await text(turn.locator('.stop')), /^Cancelled/);
    const kept = (await text(turn.locator('.answer'))).replace(/\s+/g, ' ').trim();
    assert.ok(kept.length < long.length, `the stream stopped early (${kept.length} of ${long.length} characters)`);
    await poll('Cancel to be off again', async () => ((await cancel.isDisabled()) ? true : undefined));
    await widePanelScreenshot('panel-cancelled');
    const next = await send('Thanks. Can you email me the label?');
    assert.match(await text(next.locator('.answer')), /return label is on its way/);
    assert.equal(await next.locator('.cost-card.outcome-ok table.buckets').count(), 1);
  });

  describe('Clear Caches…', () => {
    const openClearCaches = async () => {
      await frame.locator('#clear-caches').click();
      await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Clear Caches' }).waitFor({ timeout: 20000 });
    };
    const newConversation = async () => {
      await frame.locator('#new-conversation').click();
      await wb.notification('new conversation with');
      await poll('an empty conversation', async () => ((await frame.locator('article.turn').count()) === 0 ? true : undefined));
    };

    const ANSWERS = {
      parcel: 'Your parcel is at the Memphis hub and moves on tonight.',
      shipping: 'Standard shipping takes 3 to 5 business days in the United States.',
      shippingAgain: 'Standard shipping takes 3 to 5 business days; express takes 1 to 2.',
      returns: 'Yes: returns are free within 30 days of delivery.',
    };

    before(() => {
      script(Object.values(ANSWERS).map((text) => ({ text })));
    });

    it('lists when each tier\'s entry expires', async () => {
      await openClearCaches();
      const row = await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'cache entry expires' }).first().innerText({ timeout: 20000 });
      await wb.screenshot('clear-caches-pick');
      await wb.page.keyboard.press('Escape');
      for (const tier of [/system \(1h\): warm, expires in (\d+ min|1 h)/, /context \(5m\): warm, expires in ([1-4] min|\d+ s|5 min)/, /conversation \(5m\): warm, expires in ([1-4] min|\d+ s|5 min)/]) assert.match(row, tier);
      assert.match(row, /on the emulator's clock/);
    });

    it('"Reset the offline emulator\'s cache": the next request writes again, as predicted', async () => {
      await openClearCaches();
      await wb.pickQuickItem("Reset the offline emulator's cache");
      assert.match(await wb.notification("emulator's cache was reset"), /the next request of any prompt writes afresh/);
      const turn = await send('Where is the parcel now?');
      const shown = await cardFigures(turn.locator('.cost-card').first());
      assert.equal(shown.tokens.cacheRead, 0, 'nothing left to read');
      assert.ok(shown.tokens.cacheWrite1h > 1000, `the 1h tier is written again (${JSON.stringify(shown.tokens)})`);
      assert.equal(await text(turn.locator('tr.bucket-cacheRead td.num').nth(1)), '≈0', 'the prediction knew the cache was empty');
    });

    it('"Clear the local response cache": a repeated request is answered locally until the cache is cleared', async () => {
      const q = 'How long does standard shipping take?';
      await newConversation();
      const real = await send(q);
      assert.equal(await real.locator('.cost-card.outcome-ok').count(), 1, 'the first time it is a request');
      await newConversation();
      const local = await send(q);
      await local.locator('.cost-card.outcome-local .local-badge').waitFor({ state: 'attached' });
      assert.equal((await text(local.locator('.answer'))).trim(), ANSWERS.shipping, 'the stored answer, replayed');
      await wb.screenshot('panel-local-answer');
      await openClearCaches();
      const row = await wb.pickQuickItem('Clear the local response cache');
      assert.match(row, /Deletes \d+ stored answers? on this machine/);
      assert.match(await wb.notification('local response cache cleared'), /\(\d+ stored answer\(s\) removed\)/);
      await newConversation();
      const again = await send(q);
      assert.equal(await again.locator('.cost-card.outcome-ok').count(), 1, 'after clearing, the same request goes to the emulator');
      assert.equal(await again.locator('.local-badge').count(), 0);
      assert.equal((await text(again.locator('.answer'))).trim(), ANSWERS.shippingAgain, "the emulator's next answer");
    });

    it('"Reset the current session\'s stats": the status bar and the header count from zero', async () => {
      assert.notEqual(await wb.sessionStatus(), 'no requests yet');
      await openClearCaches();
      await wb.pickQuickItem('Reset the current session');
      await wb.answerNotification("Export this session's stats first?", 'Reset Without Export');
      await wb.notification('a new session starts with the next request');
      await poll('the status bar to show an empty session', async () => ((await wb.sessionStatus()) === 'no requests yet' ? true : undefined));
      const empty = await poll('the header to count from zero', async () => {
        const h = await header();
        return h.Requests === '0 answered' ? h : undefined;
      });
      assert.equal(empty.Cost, '$0.00000');
      await wb.screenshot('panel-session-reset');
      const turn = await send('Can I return the jacket?');
      const shown = await cardFigures(turn.locator('.cost-card').first());
      const cost = /^Cost (\$[\d.]+)/.exec(shown.line)?.[1];
      const head = await poll('the header to count one request', async () => {
        const h = await header();
        return h.Requests === '1 answered' ? h : undefined;
      });
      assert.equal(head.Cost, cost, 'the new session holds this one request');
      assert.match((await wb.sessionStatus()) ?? '', /^\d+% hit · \$[\d.]+ · saved -?\$[\d.]+$/);
    });

    it('"Make the next request of support-agent write afresh": the forecast says cold on purpose, the card writes every tier and names the bust, the turn after reads again', async () => {
      script([
        { text: 'Yes, we ship to every Canadian province; duties are included at checkout.' },
        { text: 'Canadian orders usually arrive in 5 to 8 business days.' },
        { text: 'Yes, express shipping to Canada takes 2 to 3 business days.' },
      ]);
      const warm = await cardFigures((await send('Do you ship to Canada?')).locator('.cost-card').first());
      assert.ok(warm.tokens.cacheRead > 1000, `a warm cache before the bust (${JSON.stringify(warm.tokens)})`);
      // Typed before the bust is asked for, as a user would: the forecast must follow the pick.
      const q = 'How long does delivery to Canada take?';
      const before = forecastFigures(await forecastOf(q, /^Next request ≈ reads [1-9]/));
      assert.ok(before.read > 1000, 'without the bust the forecast reads the cache');
      await openClearCaches();
      const row = await wb.pickQuickItem('write afresh (cold start)');
      assert.match(row, /^Make the next request of support-agent write afresh \(cold start\)/);
      assert.match(row, /reads nothing and writes every tier anew/);
      assert.match(await wb.notification('one-off nonce'), /the next request of support-agent carries a one-off nonce before its first breakpoint: it reads nothing from the offline emulator's cache/);
      const cold = await poll('the forecast to say the request is cold on purpose', async () => {
        const f = await text(frame.locator('#forecast'));
        return /Cold on purpose/.test(f) ? f : undefined;
      }).catch(async (err: Error) => {
        throw new Error(`${err.message}; it reads ${JSON.stringify(await text(frame.locator('#forecast')))}`);
      });
      assert.match(cold, /one-off cache bust you asked for/);
      assert.equal(forecastFigures(cold).read, 0, cold);
      assert.ok(forecastFigures(cold).write > before.write, `the forecast writes every tier (${cold})`);
      await widePanelScreenshot('panel-cache-bust-forecast');

      const turn = await send(q);
      const card = turn.locator('.cost-card').first();
      const shown = await cardFigures(card);
      assert.equal(shown.tokens.cacheRead, 0, 'nothing read');
      assert.ok(shown.tokens.cacheWrite1h > 1000 && shown.tokens.cacheWrite5m > 0, `every tier written anew (${JSON.stringify(shown.tokens)})`);
      assert.equal(await text(card.locator('tr.bucket-cacheRead td.num').nth(1)), '≈0', 'predicted cold');
      assert.match(shown.line, /write premium/);
      const why = await text(card.locator('.explanation'));
      assert.match(why, /^Deliberate cache bust: a one-off nonce before the first breakpoint made every prefix new, so nothing was read and every tier was written anew: ([\d,]+) tokens/);
      assert.equal(Number(/anew: ([\d,]+) tokens/.exec(why)?.[1]?.replace(/,/g, '')), shown.tokens.cacheWrite1h + shown.tokens.cacheWrite5m, why);
      const rec = ledger().at(-1);
      assert.deepEqual([rec?.bust, rec?.explanation?.kind, rec?.buckets.cacheRead], [true, 'cache-bust', 0], 'the ledger marks the bust');
      await widePanelScreenshot('panel-cache-bust');

      // Used up: the next forecast and the next request read again.
      const after = await forecastOf('Is there express shipping to Canada?', /^Next request ≈ reads [1-9]/);
      assert.doesNotMatch(after, /Cold on purpose/);
      const again = await cardFigures((await send('Is there express shipping to Canada?')).locator('.cost-card').first());
      assert.ok(again.tokens.cacheRead > 1000, `the turn after reads again (${JSON.stringify(again.tokens)})`);
      assert.equal(ledger().at(-1)?.bust, undefined, 'the bust was used up');
    });

    it('"Advance the emulator\'s clock…" by 6 minutes: the 5m tiers go cold on the timeline, the forecast misses them, the next card writes them again and names the expired TTL; a reset sets the clock back', async () => {
      script([
        { text: 'Hiking boots can be exchanged for another size within 30 days.' },
        { text: 'Yes, the exchange shipping label is free.' },
      ]);
      await send('Can I exchange hiking boots for a bigger size?');
      const warm = await poll('every tier warm on the timeline', async () => {
        const t = await timelineRows();
        return ['tools', 'system', 'context', 'conversation'].every((k) => t[k]?.warm) ? t : undefined;
      });
      assert.ok(Object.values(warm).every((r) => r.tokens > 0), `each tier's prefix is counted, with ≈ (${JSON.stringify(warm)})`);
      const q = 'Is the exchange label free?';
      const before = forecastFigures(await forecastOf(q, /^Next request ≈ reads [1-9]/));

      await openClearCaches();
      await wb.pickQuickItem("Advance the emulator's clock…");
      await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: "Advance the offline emulator's clock by" }).waitFor({ timeout: 20000 });
      assert.match(await wb.pickQuickItem('6 minutes'), /Past the 5-minute TTL: 5m entries expire, 1h entries stay warm/);
      assert.match(await wb.notification('clock moved 6 min ahead'), /in total 6 min ahead of real time/);

      const late = await poll('the 5m tiers cold and the 1h tier warm on the timeline', async () => {
        const t = await timelineRows();
        return t.tools?.warm && t.system?.warm && !t.context?.warm && !t.conversation?.warm ? t : undefined;
      }).catch(async (err: Error) => {
        throw new Error(`${err.message}; it shows ${JSON.stringify(await timelineRows())}`);
      });
      for (const tier of ['tools', 'system']) assert.match(late[tier]?.text ?? '', new RegExp(`^${tier} \\(1h\\) warm · 5[34]:\\d\\d left`), 'the 1h entries have about 54 minutes left');
      assert.match(late.context?.text ?? '', /^context \(5m\) cold/);
      assert.equal((await text(frame.locator('.timeline .next-read'))).trim(), 'The next request reads up to the system breakpoint.');
      await openClearCaches();
      const expiry = await wb.pickQuickItem('cache entry expires');
      assert.match(expiry, /context \(5m\): expired \d+ (s|min)/);
      assert.match(expiry, /runs 6 min ahead of real time/);
      await wb.page.keyboard.press('Escape');

      // Typed before the clock moved: the forecast follows the emulator's clock.
      const missed = await poll('the forecast to read only the 1h tier', async () => {
        const f = await text(frame.locator('#forecast'));
        return /^Next request/.test(f) && forecastFigures(f).read < before.read ? f : undefined;
      }).catch(async (err: Error) => {
        throw new Error(`${err.message}; it reads ${JSON.stringify(await text(frame.locator('#forecast')))}`);
      });
      assert.ok(forecastFigures(missed).read > 1000, `the forecast still reads the 1h prefix (${missed})`);
      assert.ok(forecastFigures(missed).write > before.write, `and writes the 5m tiers again (${missed})`);
      await widePanelScreenshot('panel-clock-advanced-forecast');

      const turn = await send(q);
      const card = turn.locator('.cost-card').first();
      const shown = await cardFigures(card);
      assert.equal(shown.tokens.cacheRead, forecastFigures(missed).read, `the 1h prefix is read, as forecast (${JSON.stringify(shown.tokens)})`);
      assert.equal(shown.tokens.cacheWrite1h, 0, 'the 1h tier was still warm');
      assert.ok(shown.tokens.cacheWrite5m > 1000, 'the 5m tiers are written again');
      assert.equal(await text(card.locator('tr.bucket-cacheRead td.num').nth(1)), `≈${int(shown.tokens.cacheRead)}`, 'as predicted');
      assert.match(await text(card.locator('.explanation')), /^The 5m cache entry \([\d,]+ tokens\) expired \d+ (s|min)[^)]* before this request .*so it was written again/);
      assert.equal(ledger().at(-1)?.explanation?.kind, 'ttl-expired');
      await widePanelScreenshot('panel-clock-advanced');

      await openClearCaches();
      await wb.pickQuickItem("Reset the offline emulator's cache");
      assert.match(await wb.notification("emulator's cache was reset"), /its clock too, back to real time/);
      await poll('an empty timeline after the reset', async () => (/reads nothing from the cache/.test(await text(frame.locator('.timeline .next-read'))) ? true : undefined));
    });
  });

  describe('at the end', () => {
    it('made no request outside this machine', () => {
      assert.deepEqual(wb.blocked, []);
    });
  });
});
