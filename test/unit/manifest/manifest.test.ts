import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelsSettingSchema } from '../../../src/core/models/overrides';
import { DEFAULT_MODEL_ID } from '../../../src/core/models/table';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  engines: { vscode: string };
  main: string;
  bin: Record<string, string>;
  activationEvents: string[];
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};
const props = manifest.contributes.configuration.properties;

describe('package.json', () => {
  it('declares the promptCacheLab.models schema exactly as the override parser validates it', () => {
    assert.deepEqual(props['promptCacheLab.models'], JSON.parse(JSON.stringify(modelsSettingSchema)));
  });

  it('defaults to the engine default model', () => {
    assert.equal(props['promptCacheLab.defaultModel']?.default, DEFAULT_MODEL_ID);
  });

  it('targets VS Code no newer than 1.100, never activates on *, and ships the CLI as its bin', () => {
    assert.match(manifest.engines.vscode, /^\^1\.(\d+)\.\d+$/);
    assert.ok(Number(/^\^1\.(\d+)/.exec(manifest.engines.vscode)?.[1]) <= 100);
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.bin['prompt-cache-lab'], 'dist/cli.js');
  });
});

describe('.vscodeignore', () => {
  it('packages every bundle esbuild.mjs builds (a missing lazy bundle fails only at run time)', () => {
    const root = join(__dirname, '..', '..', '..');
    const build = readFileSync(join(root, 'esbuild.mjs'), 'utf8');
    const bundles = [...build.matchAll(/entryPoints: \{ '?([\w-]+)'?: 'src\//g)].map((m) => m[1]);
    assert.ok(bundles.length >= 6, `found the bundles: ${bundles.join(', ')}`);
    const allowed = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
    for (const b of bundles) assert.ok(allowed.includes(`!dist/${b}.js`), `dist/${b}.js is packaged`);
  });
});
