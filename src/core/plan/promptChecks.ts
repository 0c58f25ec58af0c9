// Checks of a prompt file that need what the registry parse does not have: the model table
// (unknown model ids, with the nearest known ones as fixes) and file access (a `sample:` file).
import { parse as parseYaml } from 'yaml';
import type { ModelTable } from '../models/types';
import { nearest } from '../registry/nearest';
import type { FileAccess } from '../registry/resolve';
import { workspacePath } from '../registry/resolve';
import type { TemplateInputs } from '../registry/template';
import type { Diagnostic, PromptSpec } from '../registry/types';

/** The file's `model:` when the table does not know it; undefined when it does (or none is named). */
export function unknownModelDiagnostic(spec: PromptSpec, models: ModelTable): Diagnostic | undefined {
  if (!spec.model || models.tryResolve(spec.model)) return undefined;
  const ids = models.all().flatMap((m) => [m.id, ...m.aliases]);
  const near = nearest(spec.model, ids, 3);
  const span = spec.valueSpans?.model ?? { line: spec.keyLines.model ?? 1, column: 1 };
  const d: Diagnostic = { severity: 'error', code: 'unknown-model', key: 'model', ...span, message: `Unknown model "${spec.model}". Nearest known ids: ${near.join(', ')}.` };
  if (span.endColumn !== undefined) d.fixes = near.map((id) => ({ title: `Change to ${id}`, line: span.line, column: span.column, endColumn: span.endColumn as number, replacement: id }));
  return d;
}

/** A sample file bigger than this is not a list of example inputs. */
const MAX_SAMPLE_BYTES = 256 * 1024;

/** Loads `sample: path.json|yaml`; a problem is a diagnostic on the `sample:` line. */
export async function loadSampleFile(spec: PromptSpec, io: FileAccess): Promise<{ inputs?: TemplateInputs; diagnostic?: Diagnostic }> {
  const ref = spec.template?.samplePath as string;
  const line = spec.keyLines.sample ?? 1;
  const fail = (code: string, why: string) => ({ diagnostic: { severity: 'error' as const, code, line, column: 1, key: 'sample', message: `sample: ${why}` } });
  const rel = workspacePath(io.root, spec.path, ref);
  if (!rel) return fail('outside-workspace', `'${ref}' is outside the workspace folder; only files inside it can be used.`);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await io.read(`${io.root.replace(/[\\/]+$/, '')}/${rel}`);
  } catch (err) {
    return fail('file-refused', (err as Error).message);
  }
  if (!bytes) return fail('missing-file', `${rel} does not exist.`);
  if (bytes.length > MAX_SAMPLE_BYTES) return fail('file-too-large', `${rel} is over the ${MAX_SAMPLE_BYTES / 1024} KB limit for sample inputs.`);
  try {
    // JSON is YAML; aliases are not expanded.
    const value: unknown = parseYaml(new TextDecoder().decode(bytes), { maxAliasCount: 0 });
    if (value && typeof value === 'object' && !Array.isArray(value)) return { inputs: value as TemplateInputs };
    return fail('bad-type', `${rel} must hold a mapping of inputs (name: value).`);
  } catch (err) {
    return fail('yaml-syntax', `${rel} is not valid JSON or YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}
