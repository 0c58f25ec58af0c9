// activate_ms: loading dist/extension.js and running activate() with a stub `vscode` module,
// median of fresh loads. The stub answers every API with an inert object, so what is measured
// is the extension's own start-up work (module evaluation + activate), not VS Code's.
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchOptions } from './index';

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

/**
 * Every value `vscode` exports (namespaces, classes, enums, functions, constants), read from the
 * @types/vscode the extension is type-checked against: an API the extension starts using is then
 * in the stub without anyone listing it here. Nested exports (members of `window`, …) come along;
 * extra names are harmless.
 */
function vscodeExportNames(): string[] {
  const dts = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of dts.matchAll(/^\s*export\s+(?:declare\s+)?(?:namespace|class|enum|function|const|let|var)\s+([A-Za-z_$][\w$]*)/gm)) {
    if (m[1]) names.add(m[1]);
  }
  if (names.size < 100) throw new Error(`@types/vscode lists only ${names.size} exports; the stub would be incomplete`);
  return [...names];
}

/**
 * The module object. esbuild's interop (__toESM) copies the module's own keys, so those must be
 * listed (vscodeExportNames); the Proxy also answers a name that is not listed (a proposed API
 * read through `require('vscode')` directly) instead of giving `undefined`.
 */
function vscodeModule(): Record<string, unknown> {
  const api = inert();
  const listed: Record<string, unknown> = Object.fromEntries(vscodeExportNames().map((n) => [n, api]));
  return new Proxy(listed, {
    get: (t, prop) => (prop in t || typeof prop === 'symbol' || prop === '__esModule' || prop === 'then' ? t[prop as string] : api),
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  const loads = opts.smoke ? 3 : 15;
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
    for (let i = 0; i < loads; i++) {
      delete require.cache[require.resolve(bundle)];
      const t0 = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ext = require(bundle) as { activate(ctx: unknown): Promise<unknown>; deactivate(): void };
      const t1 = performance.now();
      await ext.activate(inert());
      samples.push(performance.now() - t0);
      loadOnly.push(t1 - t0);
      // Each load activates a fresh copy; deactivate it so timers and watchers do not pile up.
      ext.deactivate();
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
      loads,
      target_ms: 50,
      ratio_to_target: Number((ms / 50).toFixed(3)),
    },
  ];
}
