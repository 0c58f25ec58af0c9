import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { parseModelOverrides } from '../../../src/core/models/overrides';
import { createModelTable, DEFAULT_MODEL_ID } from '../../../src/core/models/table';
import { buildPromptPlan } from '../../../src/core/plan/pipeline';
import { toPlanView } from '../../../src/core/plan/planView';
import { nodeFiles } from '../../../src/node/nodeFiles';
import { countO200k } from '../../../src/core/tokens/count';
import type { PlanRequest } from '../../../src/core/session/engineProtocol';
import { SupersededError, EngineClient } from '../../../src/node/engineClient';
import { CORPORA } from '../tokens/corpora';

const SHIM = join(__dirname, 'engineWorkerShim.cjs');
const WORKSPACE = join(__dirname, '..', '..', 'fixtures', 'workspace');
const SUPPORT = join(WORKSPACE, '.prompts', 'support-agent.md');
const SUPPORT_TEXT = readFileSync(SUPPORT, 'utf8');

const request = (over: Partial<PlanRequest> = {}): PlanRequest => ({
  path: SUPPORT,
  text: SUPPORT_TEXT,
  root: WORKSPACE,
  modelOverrides: {},
  defaultModel: DEFAULT_MODEL_ID,
  ...over,
});

/** The same plan computed in this thread, as the host did before the worker planned. */
async function inProcess(r: PlanRequest) {
  const { overrides } = parseModelOverrides(r.modelOverrides, 'setting promptCacheLab.models');
  const outcome = await buildPromptPlan({ path: r.path, text: r.text, files: nodeFiles(r.root), models: createModelTable(overrides), defaultModel: r.defaultModel });
  // The worker also returns the exact request body it planned, for pre-warming and sending.
  return { ...toPlanView(r.path, outcome, r.defaultModel), ...(outcome.ok ? { request: outcome.plan.request } : {}) };
}

describe('node/EngineClient.plan (real worker)', function () {
  this.timeout(60_000);
  let client: EngineClient | undefined;
  let tmp: string | undefined;
  afterEach(() => {
    client?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  });

  it('gives exactly the in-process plan of the support agent, as plain JSON', async () => {
    client = new EngineClient(SHIM);
    const got = await client.plan(request());
    const { overrideErrors, ...view } = got;
    assert.deepEqual(overrideErrors, []);
    assert.deepEqual(view, await inProcess(request()));
    assert.equal(view.promptId, 'support-agent');
    assert.equal(view.model, 'claude-sonnet-5');
    assert.equal(view.error, undefined);
    assert.deepEqual(view.breakpoints.map((b) => `${b.tier}:${b.ttl}:${b.placed}`), ['tools:1h:true', 'system:1h:true', 'context:5m:true', 'anchor:5m:false', 'conversation:5m:true']);
    const [, system, context] = view.breakpoints;
    assert.ok((system?.prefixTokens ?? 0) > 1000 && (context?.prefixTokens ?? 0) > (system?.prefixTokens ?? 0), JSON.stringify(view.breakpoints));
    assert.ok((view.warmUsd as number) < (view.coldUsd as number) / 10, `${view.warmUsd} vs ${view.coldUsd}`);
  });

  it('plans the unsaved editor text, not the file on disk', async () => {
    client = new EngineClient(SHIM);
    const extra = '\n## Seasonal note\n\nDuring the winter sale, returns are accepted for 60 days instead of 30.\n'.repeat(20);
    const text = SUPPORT_TEXT.replace('ttl: 1h ', 'ttl: 5m ') + extra;
    const saved = await client.plan(request());
    const edited = await client.plan(request({ text }));
    assert.deepEqual(edited.breakpoints, (await inProcess(request({ text }))).breakpoints);
    assert.equal(edited.breakpoints.find((b) => b.tier === 'system')?.ttl, '5m');
    const sys = (v: typeof saved) => v.breakpoints.find((b) => b.tier === 'system')?.prefixTokens ?? 0;
    // The appended text lands at the end of the instructions; its count differs from the raw
    // o200k count only by calibration, so check the growth is at least the raw count.
    assert.ok(sys(edited) - sys(saved) >= countO200k(extra) * 0.9, `${sys(saved)} -> ${sys(edited)}`);
  });

  it('front-matter errors come back as diagnostics with their lines and no plan', async () => {
    client = new EngineClient(SHIM);
    const broken = join(WORKSPACE, 'prompts', 'broken.prompt.md');
    const r = await client.plan(request({ path: broken, text: readFileSync(broken, 'utf8') }));
    assert.equal(r.error, 'No plan: the front matter has errors.');
    assert.deepEqual(r.breakpoints, []);
    assert.equal(r.promptId, undefined);
    assert.deepEqual(
      r.diagnostics.filter((d) => /ttl|max_token/.test(d.message)).map((d) => `${d.line}:${d.severity}`),
      ['4:error', '5:warning'],
    );
  });

  it('a context file outside the root or missing, and a broken tools file, give located diagnostics', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pcl-plan-'));
    mkdirSync(join(tmp, 'docs'));
    writeFileSync(join(tmp, 'docs', 'a.md'), 'alpha');
    writeFileSync(join(tmp, 'tools.json'), '[\n  {"name": "x",\n');
    const path = join(tmp, 'p.prompt.md');
    const text = '---\nid: p\ntools: tools.json\ncontext:\n  files: [docs/a.md, ../outside.md, docs/missing.md]\n---\nHello.\n';
    client = new EngineClient(SHIM);
    const r = await client.plan(request({ path, text, root: tmp }));
    assert.match(r.error ?? '', /^No plan: files named by the prompt have errors \(workspace root .*\)\.$/);
    const find = (re: RegExp) => r.diagnostics.find((d) => re.test(d.message));
    // Each on the exact list entry (column..endColumn of the path), with its stable code.
    assert.deepEqual(find(/outside the workspace/), { severity: 'error', code: 'outside-workspace', message: "context: '../outside.md' is outside the workspace folder; only files inside it can be used.", line: 5, column: 22, endColumn: 35 });
    assert.deepEqual(find(/missing\.md/), { severity: 'error', code: 'missing-file', message: 'context: docs/missing.md does not exist.', line: 5, column: 37, endColumn: 52 });
    // The tools JSON's own diagnostic names that file, since its line is a line of tools.json.
    assert.match(find(/^tools\.json: /)?.message ?? '', /^tools\.json: /);
    assert.equal(find(/^tools: tools\.json line/)?.line, 3);
  });

  it('invalid model overrides are reported and skipped; valid ones apply, even from a read-only proxy', async () => {
    client = new EngineClient(SHIM);
    const builtIn = await client.plan(request());
    const bad = await client.plan(request({ modelOverrides: { 'claude-sonnet-5': { input: 'cheap' } } }));
    assert.equal(bad.overrideErrors.length, 1);
    assert.match(bad.overrideErrors[0] as string, /^setting promptCacheLab\.models: .*input.*must be a number/);
    assert.equal(bad.coldUsd, builtIn.coldUsd);
    const notObject = await client.plan(request({ modelOverrides: 42 }));
    assert.deepEqual(notObject.overrideErrors, ['setting promptCacheLab.models: must be an object keyed by model id, got 42']);
    // VS Code returns settings as proxies, which structured cloning rejects.
    const doubled = new Proxy({ 'claude-sonnet-5': { input: 6, write5m: 7.5, write1h: 12, read: 0.6, output: 30 } }, {});
    const priced = await client.plan(request({ modelOverrides: doubled }));
    assert.deepEqual(priced.overrideErrors, []);
    assert.deepEqual(priced, { ...(await inProcess(request({ modelOverrides: JSON.parse(JSON.stringify(doubled)) }))), overrideErrors: [] });
    assert.notEqual(priced.coldUsd, builtIn.coldUsd);
  });

  it('an unknown model or a bad request is an error result, and the worker keeps serving', async () => {
    const workers: Worker[] = [];
    client = new EngineClient(SHIM, { onSpawn: (w) => workers.push(w) });
    const unknown = await client.plan(request({ text: SUPPORT_TEXT.replace('model: claude-sonnet-5', 'model: claude-nope') }));
    assert.equal(unknown.model, 'claude-nope');
    assert.match(unknown.error ?? '', /^No plan: .*claude-nope/);
    const relative = await client.plan(request({ path: 'support-agent.md' }));
    assert.equal(relative.error, 'No plan: the prompt path must be absolute, got "support-agent.md".');
    const noRoot = await client.plan(request({ root: '' }));
    assert.match(noRoot.error ?? '', /workspace root must be absolute/);
    assert.equal((await client.count('d', 'hello world')).rawTokens, 2);
    assert.equal(workers.length, 1);
  });

  it('a newer plan for the same path supersedes a queued one, not counts or other paths', async () => {
    client = new EngineClient(SHIM);
    const big = (CORPORA.mixed as string).repeat(5);
    const busy = client.count(SUPPORT, big);
    const stale = client.plan(request({ text: SUPPORT_TEXT.replace('ttl: 1h ', 'ttl: 5m ') }));
    const count = client.count(SUPPORT, 'x y');
    const other = client.plan(request({ path: join(WORKSPACE, 'prompts', 'greeting.prompt.md'), text: readFileSync(join(WORKSPACE, 'prompts', 'greeting.prompt.md'), 'utf8') }));
    const latest = client.plan(request());
    await assert.rejects(stale, (e: Error) => e instanceof SupersededError && /^cache plan for '.*support-agent\.md' was superseded/.test(e.message));
    assert.equal((await busy).rawTokens, countO200k(big));
    assert.equal((await count).rawTokens, countO200k('x y'));
    assert.equal((await other).promptId, 'greeting');
    assert.equal((await latest).breakpoints.find((b) => b.tier === 'system')?.ttl, '1h');
  });

  it('a plan queued behind a crash is answered by the restarted worker', async () => {
    const workers: Worker[] = [];
    client = new EngineClient(SHIM, { onSpawn: (w) => workers.push(w) });
    assert.equal((await client.count('d', 'warm up')).rawTokens, 2);
    const big = (CORPORA.mixed as string).repeat(30);
    const retried = client.count('d', big);
    const planned = client.plan(request());
    await workers[0]?.terminate();
    assert.equal((await retried).rawTokens, countO200k(big));
    assert.deepEqual((await planned).breakpoints, (await inProcess(request())).breakpoints);
    assert.equal(workers.length, 2);
  });
});
