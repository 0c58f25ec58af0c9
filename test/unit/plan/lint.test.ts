// The pipeline's own diagnostics: every problem at once (parse, files, model), unknown-model
// fixes from the table, sample files, and the cache lint with its estimated saving.
import { strict as assert } from 'node:assert';
import { createModelTable } from '../../../src/core/models/table';
import { buildPromptPlan, type PromptPlanOutcome } from '../../../src/core/plan/pipeline';
import type { FileAccess } from '../../../src/core/registry/resolve';
import type { Diagnostic } from '../../../src/core/registry/types';

const models = createModelTable([]);
const sonnet = models.resolve('claude-sonnet-5');

function fakeFs(files: Record<string, string>): FileAccess {
  return {
    root: '/ws',
    read: async (abs) => (files[abs.replace(/^\/ws\//, '')] === undefined ? undefined : new TextEncoder().encode(files[abs.replace(/^\/ws\//, '')])),
    list: async () => Object.keys(files),
  };
}

const plan = (path: string, text: string, files: Record<string, string> = {}, extra: { inputs?: Record<string, unknown> } = {}) =>
  buildPromptPlan({ path: `/ws/${path}`, text, files: fakeFs(files), models, defaultModel: 'claude-sonnet-5', skipColdWarm: true, ...extra });
const codes = (o: PromptPlanOutcome) => o.diagnostics.map((d) => d.code);
const find = (o: PromptPlanOutcome, code: string) => o.diagnostics.filter((d) => d.code === code);
/** ≈7.8 estimated tokens per repeat (see the below-minimum case). */
const prose = (repeats: number) => 'Policy rule applies here. '.repeat(repeats);

describe('pipeline: every problem at once', () => {
  it('a bad ttl no longer hides a missing context file or an unknown model', async () => {
    const o = await plan('p.prompt.md', '---\nmodel: claude-sonet-5\nttl: 10m\ncontext:\n  files: [docs/faq.md, docs/missing.md]\n---\nBody\n', { 'docs/faq.md': 'faq' });
    assert.equal(o.ok, false);
    assert.deepEqual(codes(o), ['bad-ttl', 'missing-file', 'unknown-model']);
    const missing = find(o, 'missing-file')[0] as Diagnostic;
    assert.deepEqual([missing.line, missing.column, missing.endColumn], [5, 24, 39]);
  });

  it('an unknown model offers the nearest known ids as fixes, on the value span', async () => {
    const o = await plan('p.prompt.md', '---\nmodel: claude-sonet-5\n---\nBody\n');
    assert.equal(o.ok, false);
    const d = find(o, 'unknown-model')[0] as Diagnostic;
    assert.deepEqual([d.severity, d.line, d.column, d.endColumn], ['error', 2, 8, 22]);
    assert.equal(d.fixes?.[0]?.replacement, 'claude-sonnet-5');
    assert.ok((d.fixes?.length ?? 0) <= 3);
    assert.match(d.message, /Nearest known ids: claude-sonnet-5/);
  });

  it('sample: as a JSON file is loaded through the file access; a missing one is a diagnostic', async () => {
    const text = '---\nsample: inputs.json\n---\nsystem:\nHello {{ who }}\n';
    const ok = await plan('a.prompty', text, { 'inputs.json': '{"who": "Ann"}' });
    assert.ok(ok.ok);
    assert.equal(ok.spec.body, 'Hello Ann');
    const missing = await plan('a.prompty', text);
    assert.deepEqual(find(missing, 'missing-file').map((d) => d.line), [2]);
  });
});

describe('cache lint', () => {
  it('a variable in the cached system prompt: warning on its line, naming it, with the saving per value', async () => {
    const text = `---\nttl: 5m\nsample:\n  customer: Ann\n---\nsystem:\n${prose(300)}\nThe customer is {{ customer }}.\n\nuser:\n{{ question }}\n`;
    const o = await plan('a.prompty', text);
    assert.ok(o.ok);
    const [d, ...more] = find(o, 'cache-lint/variable-in-prefix');
    assert.equal(more.length, 0, 'the user-turn variable needs no warning');
    assert.deepEqual([d?.severity, d?.line, d?.column, d?.endColumn], ['warning', 8, 20, 28]);
    const bp = o.plan.breakpoints.find((b) => b.tier === 'system' && b.placed);
    assert.ok(bp);
    const saving = (bp.prefix_tokens * (sonnet.prices.write5m - sonnet.prices.read)) / 1e6;
    assert.match(d?.message ?? '', /'customer'.*each distinct value writes a new cache entry.*into the user turn/);
    assert.ok(d?.message.includes(`≈$${saving.toFixed(saving >= 0.01 ? 4 : 6)} per distinct value (≈${bp.prefix_tokens.toLocaleString('en-US')} prefix tokens`), d?.message);
  });

  it('no warning when nothing is cached (the prefix is far below the minimum)', async () => {
    const o = await plan('a.prompty', '---\nsample: {x: 1}\n---\nsystem:\nShort {{ x }}.\n');
    assert.ok(o.ok);
    assert.deepEqual(find(o, 'cache-lint/variable-in-prefix'), []);
    assert.deepEqual(find(o, 'cache-lint/below-minimum'), []);
  });

  it('a prefix just below the minimum: add N tokens or it is never cached', async () => {
    const o = await plan('p.prompt.md', `---\nid: a\n---\n${prose(115)}`);
    assert.ok(o.ok);
    const system = o.plan.breakpoints.find((b) => b.tier === 'system');
    assert.ok(system && !system.placed && system.prefix_tokens >= 768 && system.prefix_tokens < 1024, String(system?.prefix_tokens));
    const d = find(o, 'cache-lint/below-minimum')[0];
    assert.equal(d?.line, 4);
    assert.match(d?.message ?? '', new RegExp(`add ≈${1024 - system.prefix_tokens} tokens or it is never cached`));
  });

  it('a 1h context tier after a 5m system tier, with a fix', async () => {
    const o = await plan('p.prompt.md', '---\nttl: 5m\ncontext:\n  ttl: 1h\n  files: [a.md]\n---\nBody\n', { 'a.md': 'doc' });
    assert.ok(o.ok);
    const d = find(o, 'cache-lint/ttl-order')[0];
    assert.deepEqual([d?.line, d?.column, d?.endColumn, d?.fixes?.[0]?.replacement], [4, 8, 10, '5m']);
    const fine = await plan('p.prompt.md', '---\nttl: 1h\ncontext:\n  ttl: 5m\n  files: [a.md]\n---\nBody\n', { 'a.md': 'doc' });
    assert.deepEqual(find(fine, 'cache-lint/ttl-order'), []);
  });
});

describe('planPrompt (the worker engine) passes typed template inputs on', () => {
  it('inputs replace the sample in the planned request; a non-mapping is ignored', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { planPrompt } = await import('../../../src/core/session/engine');
    const root = mkdtempSync(join(tmpdir(), 'pcl-inputs-'));
    const path = join(root, 'a.prompty');
    const text = '---\nsample: {who: sample}\n---\nsystem:\nHello {{ who }}\n';
    writeFileSync(path, text);
    const base = { path, text, root, modelOverrides: {}, defaultModel: 'claude-sonnet-5', skipColdWarm: true };
    const typed = await planPrompt({ ...base, inputs: { who: 'typed' } });
    const bogus = await planPrompt({ ...base, inputs: ['x'] as unknown as Record<string, unknown> });
    rmSync(root, { recursive: true, force: true });
    assert.match(JSON.stringify(typed.request?.system), /Hello typed/);
    assert.match(JSON.stringify(bogus.request?.system), /Hello sample/);
  });
});
