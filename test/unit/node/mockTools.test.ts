import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToolCall, ToolExecutor } from '../../../src/core/ports';
import { MockTools, MockToolsError } from '../../../src/node/mockTools';
import { ToolRouter } from '../../../src/node/toolRouter';
import { WorkspaceTools } from '../../../src/node/workspaceTools';

const call = (name: string, input: unknown = {}): ToolCall => ({ id: `toolu_${name}`, name, input });

describe('node/mockTools', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  before(() => (dir = mkdtempSync(join(tmpdir(), 'pcl-mock-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers by tool name: strings, {content, is_error} and any JSON value as JSON text', async () => {
    const mock = await MockTools.load(
      file('m.json', JSON.stringify({ weather: 'Sunny, 21°C', lookup: { content: 'not found', is_error: true }, stock: { price: 3.5, open: true }, count: 7, nothing: null })),
    );
    assert.deepEqual(await mock.run(call('weather')), { content: 'Sunny, 21°C', isError: false });
    assert.deepEqual(await mock.run(call('lookup')), { content: 'not found', isError: true });
    assert.deepEqual(await mock.run(call('stock')), { content: '{"price":3.5,"open":true}', isError: false });
    assert.deepEqual(await mock.run(call('count')), { content: '7', isError: false });
    assert.deepEqual(await mock.run(call('nothing')), { content: 'null', isError: false });
    assert.deepEqual(mock.definitions(), []);
  });

  it('a list is consumed in order and its last entry repeats; counters are per tool', async () => {
    const mock = MockTools.fromText('search:\n  - first\n  - content: second\n  - [1, 2]\nother: x\n', 'm.yaml');
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push((await mock.run(call('search'))).content);
    assert.deepEqual(seen, ['first', 'second', '[1,2]', '[1,2]', '[1,2]']);
    assert.equal((await mock.run(call('other'))).content, 'x');
  });

  it('an object with content plus other keys, or a non-string content, is sent as JSON', async () => {
    const mock = MockTools.fromText('{"a": {"content": "x", "author": "me"}, "b": {"content": 5}, "c": {"content": "x", "is_error": "yes"}}', 'm.json');
    assert.equal((await mock.run(call('a'))).content, '{"content":"x","author":"me"}');
    assert.equal((await mock.run(call('b'))).content, '{"content":5}');
    assert.equal((await mock.run(call('c'))).isError, false);
  });

  it('an unknown tool is an isError result naming the file', async () => {
    const mock = MockTools.fromText('{"a": "x"}', 'results.json');
    assert.deepEqual(await mock.run(call('get_weather')), { content: 'no mock result for tool get_weather in results.json', isError: true });
    const ac = new AbortController();
    ac.abort();
    assert.equal((await mock.run(call('a'), ac.signal)).isError, true);
  });

  it('a bad file is a clear MockToolsError at load', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    const bad: Array<[() => Promise<unknown>, RegExp]> = [
      [() => MockTools.load(join(dir, 'missing.json')), /^mock tool results: .*missing\.json does not exist$/],
      [() => MockTools.load(join(dir, 'fifo.json')), /named pipe \(FIFO\)/],
      [() => MockTools.load(dir), /is a directory/],
      [() => MockTools.load(file('bad.json', '{"a": ')), /^mock tool results .*bad\.json: not valid JSON: /],
      [() => MockTools.load(file('bad.yaml', 'a: [1, 2\nb: :')), /^mock tool results .*bad\.yaml: not valid YAML: /],
      [() => MockTools.load(file('list.json', '["a"]')), /expected an object keyed by tool name.*got a list/],
      [() => MockTools.load(file('empty.json', '{"a": []}')), /"a" has an empty list/],
      [() => MockTools.load(file('deep.json', `{"a": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`)), /nests more than 128 levels deep/],
      [() => MockTools.load(file('deep.yaml', `a: ${'['.repeat(10_000)}`)), /nests more than 64 levels deep/],
      [() => MockTools.load(file('bin.json', '\u0000\u0001{}')), /looks binary/],
    ];
    for (const [load, message] of bad) await assert.rejects(load(), (e: Error) => e instanceof MockToolsError && message.test(e.message) && !e.message.includes('\n'));
  });

  it('YAML alias bombs are refused', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
    assert.throws(() => MockTools.fromText(bomb, 'bomb.yaml'), MockToolsError);
  });
});

describe('node/toolRouter', () => {
  let ws: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'pcl-router-'));
    writeFileSync(join(ws, 'a.md'), 'A');
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('built-in tools by name first, then the mock results; definitions are the built-in ones', async () => {
    const mock = MockTools.fromText('{"read_file": "mocked", "get_weather": "Sunny"}', 'm.json');
    const router = new ToolRouter({ builtin: [new WorkspaceTools({ root: ws })], fallback: mock });
    assert.deepEqual(router.definitions().map((d) => d.name), ['read_file', 'list_files', 'search_text']);
    assert.deepEqual(await router.run(call('read_file', { path: 'a.md' })), { content: 'A', isError: false });
    assert.deepEqual(await router.run(call('get_weather')), { content: 'Sunny', isError: false });
    assert.deepEqual(await router.run(call('nope')), { content: 'no mock result for tool nope in m.json', isError: true });
  });

  it("a prompt tool named like a built-in one wins: the built-in is dropped and the call goes to the mock results", async () => {
    const mock = MockTools.fromText('{"read_file": "mocked"}', 'm.json');
    const router = new ToolRouter({ builtin: [new WorkspaceTools({ root: ws })], fallback: mock, promptTools: ['read_file'] });
    assert.deepEqual(router.definitions().map((d) => d.name), ['list_files', 'search_text']);
    assert.deepEqual(await router.run(call('read_file', { path: 'a.md' })), { content: 'mocked', isError: false });
  });

  it('without a fallback an unknown call is an error; a throwing executor is turned into one', async () => {
    assert.equal((await new ToolRouter({}).run(call('x'))).content, 'no tool named x is available here');
    const broken: ToolExecutor = { definitions: () => [{ name: 'boom', input_schema: { type: 'object' } }], run: async () => Promise.reject(new Error('kaput')) };
    assert.deepEqual(await new ToolRouter({ builtin: [broken] }).run(call('boom')), { content: 'boom failed: kaput', isError: true });
  });
});
