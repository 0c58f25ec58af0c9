import { strict as assert } from 'node:assert';
import { Workbench, packageVsix, poll } from './workbench';

/** What the panel chat is answered with (also what its screenshot shows). */
const SUPPORT_ANSWERS = [
  'Order **AO-20261203** left our warehouse on 28 November. It is with the carrier now:\n\n- tracking number `1Z 999 AA1 01 2345 6784`\n- expected delivery: **Thursday, 4 December**\n\nI will keep an eye on it; tell me if it has not arrived by Friday.',
  'Order **AO-20261204** is still being packed: one item (the *Trailhead 45 L* backpack) arrives from our supplier tomorrow, and the whole order ships the same day. You can still change the delivery address until then.',
];

const HTML_ANSWER = '<img src=x onerror="document.body.dataset.pwned=1"><b>Your order</b> ships today.';

describe('the packaged extension in a real workbench (Chromium)', () => {
  const wb = new Workbench();

  before(async function () {
    this.timeout(300000);
    await wb.start(packageVsix(), {
      // Model output that looks like HTML must reach the panel as text.
      settings: { 'promptCacheLab.emulator.script': '.e2e/html-answer.yaml' },
      files: { '.e2e/html-answer.yaml': `turns:\n${[HTML_ANSWER, HTML_ANSWER, ...SUPPORT_ANSWERS].map((t) => `  - text: ${JSON.stringify(t)}\n`).join('')}` },
    });
  });

  afterEach(async function () {
    // What the workbench showed when a step failed: the first thing to look at.
    const t = this.currentTest;
    if (t?.state === 'failed') await wb.screenshot(`failed-${t.title.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await wb.stop();
  });

  it('shows a ≈ token estimate for a prompt file and updates it while typing', async () => {
    await wb.openFile('support-agent');
    const before = await poll('a token count in the status bar', () => wb.tokenCount());
    assert.ok(before > 100, `the support prompt has more than 100 tokens (got ${before})`);
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type('\nNever promise refunds that the policy documents do not allow.', { delay: 5 });
    // Counts arrive while typing too: wait until the estimate has settled after the last key.
    let last: number | undefined;
    let same = 0;
    const after = await poll('the count to settle after typing', async () => {
      const n = await wb.tokenCount();
      same = n !== undefined && n === last ? same + 1 : 0;
      last = n;
      return n !== undefined && n > before && same >= 4 ? n : undefined;
    });
    assert.ok(after - before >= 8 && after - before <= 25, `one sentence adds 8-25 tokens (got ${after - before})`);
    await wb.screenshot('status-bar-token-count');
  });

  it('lists the sample prompts with their counts in the Prompt Cache view, and shows a CodeLens on the open prompt', async () => {
    await wb.page.locator('.activitybar .action-item a[aria-label^="Prompt Cache"]').first().click();
    const list = wb.page.locator('.sidebar .monaco-list');
    await list.locator('.monaco-list-row', { hasText: 'support-agent' }).first().waitFor({ timeout: 30000 });
    const rows = await poll('every sample prompt planned in the view', async () => {
      const texts = await list.locator('.monaco-list-row').allInnerTexts();
      const ready = ['support-agent', 'greeting', 'code-reviewer'].every((id) => texts.some((t) => t.includes(id) && /tokens/.test(t)));
      return ready ? texts : undefined;
    });
    assert.ok(rows.some((t) => /support-agent[\s\S]*claude-sonnet-5[\s\S]*≈[\d,]+ tokens[\s\S]*cacheable/.test(t)), rows.join(' | '));
    assert.ok(rows.some((t) => /greeting[\s\S]*not cached/.test(t)), rows.join(' | '));
    // The lens sits above line 1; off screen its text is not re-rendered, so scroll up first.
    await wb.page.locator('.monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+Home');
    const lens = wb.page.locator('.monaco-editor .codelens-decoration').first();
    const text = await poll('the CodeLens with the plan', async () => {
      const t = (await lens.textContent().catch(() => null)) ?? '';
      return /≈[\d,]+ tokens · cacheable/.test(t) ? t : undefined;
    }, 30000);
    assert.match(text, /≈[\d,]+ tokens · cacheable \(≥1,024 for claude-sonnet-5\) · first send ≈\$\d+\.\d{4} · repeat ≈\$\d+\.\d{4}/);
    await wb.screenshot('prompts-view');
  });

  it('runs "Prompt Cache: Open Panel" from the palette and shows the panel with the estimate', async () => {
    await wb.runCommand('Prompt Cache: Open Panel');
    const frame = wb.panelFrame();
    await frame.locator('h1', { hasText: 'Prompt Cache Lab' }).waitFor({ timeout: 30000 });
    await frame.locator('#backend', { hasText: 'Offline emulator' }).waitFor();
    const shown = await frame.locator('#token-count').innerText();
    assert.match(shown, /^≈[\d,]+$/);
    await wb.screenshot('panel');
  });

  it('shows the cache plan of the prompt and pre-warms it from the palette through the offline emulator', async () => {
    const frame = wb.panelFrame();
    await frame.locator('#plan table.plan').waitFor({ timeout: 30000 });
    const placed = await frame.locator('#plan tr.placed td:first-child').allInnerTexts();
    assert.deepEqual(placed, ['tools', 'system', 'context', 'conversation']);
    await wb.openFile('support-agent');
    await wb.runCommand('Prompt Cache: Pre-warm Cache for Active Prompt');
    const summary = await frame.locator('#request-summary').innerText({ timeout: 30000 });
    assert.match(summary, /Pre-warm of support-agent: wrote [\d,]+ tokens to the cache/);
    assert.match(await frame.locator('#request-cost').innerText(), /Cost \$0\.\d+/);
    await frame.locator('#last-request').scrollIntoViewIfNeeded();
    await wb.screenshot('panel-prewarm');
  });

  it('sends a message from the palette, streams the answer into the panel as text, and prices it', async () => {
    await wb.openFile('support-agent');
    await wb.runCommand('Prompt Cache: Send Message with Active Prompt');
    await wb.answerInputBox('Where is my order AO-12345678?');
    const frame = wb.panelFrame();
    await frame.locator('#answer').waitFor({ timeout: 30000 });
    assert.equal(await frame.locator('#answer').innerText(), HTML_ANSWER);
    assert.equal(await frame.locator('#answer img, #answer b').count(), 0, 'no HTML was rendered');
    assert.equal(await frame.locator('body[data-pwned]').count(), 0);
    assert.match(await frame.locator('#request-cost').innerText(), /Cost \$0\.\d+ · without caching/);
    assert.ok((await frame.locator('#request-summary').innerText()).length > 10);
    await frame.locator('#last-request').scrollIntoViewIfNeeded();
    await wb.screenshot('panel-send');
  });

  it('keeps the session across a window reload: the same totals in the status bar, and the conversation goes on at turn 2', async () => {
    // The session item's text, e.g. "78% hit · $0.042 · saved $0.31" (its icon renders apart).
    // The workbench renders spaces in status bar labels as no-break spaces: \s matches both.
    const session = async () => (await wb.statusBar().innerText()).match(/\d+% hit\s·\s≈?\$[\d.]+\s·\ssaved\s≈?-?\$[\d.]+/)?.[0];
    const before = await poll('the session totals in the status bar', session).catch(async (err: Error) => {
      throw new Error(`${err.message}; the status bar reads ${JSON.stringify(await wb.statusBar().innerText())}`);
    });
    // Wait for the new page itself: the old workbench element satisfies a plain wait until it unloads.
    const reloaded = wb.page.waitForEvent('load', { timeout: 60000 });
    await wb.runCommand('Developer: Reload Window');
    await reloaded;
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    const after = await poll('the restored session totals', () => session().catch(() => undefined), 60000);
    assert.equal(after, before, 'the reload restored the session totals from the ledger');
    await wb.screenshot('status-bar-session-after-reload');
    await wb.openFile('support-agent');
    await wb.runCommand('Prompt Cache: Send Message with Active Prompt');
    await wb.answerInputBox('Can I change the address?', 'Send a message with the active prompt');
    await poll('the send after the reload to be recorded in the session', async () => {
      const now = await session().catch(() => undefined);
      return now && now !== after ? now : undefined;
    }, 30000).catch(async (err: Error) => {
      throw new Error(`${err.message}; the workbench shows ${JSON.stringify((await wb.page.locator('.notifications-toasts').innerText().catch(() => '')).slice(0, 300))}`);
    });
    await wb.runCommand('Prompt Cache: Open Panel');
    const frame = wb.panelFrame();
    // The restored conversation continues: the new message is its second turn.
    await frame.locator('article.turn', { hasText: 'Can I change the address?' }).locator('.cards table.buckets').waitFor({ timeout: 30000 });
    assert.ok((await frame.locator('article.turn').count()) >= 2, 'the turn before the reload is still in the conversation');
    await frame.locator('#last-request h2', { hasText: 'turn 2' }).waitFor({ timeout: 10000 });
  });

  it('chats in the panel: each turn gets its cost card, the second reads what the first wrote', async () => {
    await wb.openFile('support-agent');
    await wb.runCommand('Prompt Cache: Open Panel');
    const frame = wb.panelFrame();
    const input = frame.locator('#composer-input');
    await input.waitFor({ timeout: 30000 });
    const turn = async (text: string) => {
      await input.fill(text);
      await input.press('Control+Enter');
      // Found by its text: the restored conversation may still be arriving when the panel opens.
      const card = frame.locator('article.turn', { hasText: text }).locator('.cards table.buckets');
      await card.waitFor({ timeout: 30000 });
      return Number((await card.locator('tr.bucket-cacheRead td.num').first().innerText()).replace(/[^\d]/g, ''));
    };
    await turn('Where is my order AO-20261203?');
    const read = await turn('And AO-20261204, the one with the backpack?');
    assert.ok(read > 1000, `the second panel turn reads the cached prefix (read ${read})`);
    assert.equal(await frame.locator('#composer-input').evaluate((el) => el === document.activeElement), true, 'the composer keeps focus');
    await wb.screenshot('panel-conversation');
  });

  it('made no request outside this machine', () => {
    assert.deepEqual(wb.blocked, []);
  });
});
