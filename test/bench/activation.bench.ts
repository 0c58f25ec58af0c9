// activate_ms: loading dist/extension.js and running activate() with a stub `vscode` module,
// median of fresh loads. The stub answers every API with an inert object, so what is measured
// is the extension's own start-up work (module evaluation + activate), not VS Code's.
import Module from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

type Stub = ((...args: unknown[]) => unknown) & Record<string | symbol, unknown>;

function inert(): Stub {
  const target = function () {} as unknown as Stub;
  const proxy: Stub = new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a promise
      if (prop === Symbol.toPrimitive) return (hint: string) => (hint === 'number' ? 0 : '');
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'get') return (_key: string, fallback: unknown) => fallback; // configuration defaults
      if (prop === 'fsPath' || prop === 'path' || prop === 'fileName' || prop === 'languageId') return '/nonexistent';
      return proxy;
    },
    set: () => true, // assignments such as item.name = … are accepted and forgotten
    apply: () => proxy,
    construct: () => proxy,
  }) as Stub;
  return proxy;
}

/** The module object: esbuild's interop copies its own keys, so it must list the namespaces used. */
function vscodeModule(): Record<string, unknown> {
  const api = inert();
  const names = Object.keys(JSON.parse('{"window":0,"workspace":0,"commands":0,"extensions":0,"env":0,"languages":0,"Uri":0,"EventEmitter":0,"StatusBarAlignment":0,"ViewColumn":0,"ProgressLocation":0,"ConfigurationTarget":0,"RelativePattern":0,"MarkdownString":0,"FileSystemError":0,"Range":0,"Position":0,"TabInputWebview":0,"Disposable":0}'));
  return Object.fromEntries(names.map((n) => [n, api]));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export async function run(): Promise<Array<Record<string, unknown>>> {
  const bundle = join(__dirname, '..', '..', 'dist', 'extension.js');
  const stub = vscodeModule();
  const M = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
  const original = M._load;
  M._load = function (req: string, ...rest: unknown[]) {
    return req === 'vscode' ? stub : original.call(this, req, ...rest);
  };
  const samples: number[] = [];
  const loadOnly: number[] = [];
  try {
    for (let i = 0; i < 15; i++) {
      delete require.cache[require.resolve(bundle)];
      const t0 = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ext = require(bundle) as { activate(ctx: unknown): Promise<unknown>; deactivate(): void };
      const t1 = performance.now();
      await ext.activate(inert());
      samples.push(performance.now() - t0);
      loadOnly.push(t1 - t0);
    }
  } finally {
    M._load = original;
  }
  const ms = median(samples);
  return [
    {
      name: 'activate_ms',
      median_ms: Number(ms.toFixed(2)),
      load_median_ms: Number(median(loadOnly).toFixed(2)),
      target_ms: 50,
      ratio_to_target: Number((ms / 50).toFixed(3)),
    },
  ];
}
