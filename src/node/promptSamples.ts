// A prompt's template inputs as the panel shows them: the names the template reads and the
// file's `sample:` values (inline, or from its sample file). Parsing is bounded (front matter caps)
// and cheap; no tokenizing. In dist/node.js: the YAML and template engines stay out of activation.
import { loadSampleFile } from '../core/plan/promptChecks';
import { parsePromptFile } from '../core/registry/parse';
import { nodeFiles } from './nodeFiles';

export interface PromptSamples {
  /** Every input name: the sample's keys, then variables the template reads that the sample lacks. */
  names: string[];
  samples: Record<string, unknown>;
}

/** Undefined when the prompt is no template or has no `sample:` (nothing to edit). */
export async function promptSamplesOf(path: string, text: string, root: string, relativePath: string): Promise<PromptSamples | undefined> {
  const parsed = parsePromptFile(path, text);
  const spec = parsed.spec ?? parsed.partial;
  const t = spec?.template;
  if (!spec || !t) return undefined;
  let samples: Record<string, unknown> = t.inputs ?? {};
  if (t.samplePath !== undefined) samples = (await loadSampleFile({ ...spec, path: relativePath }, nodeFiles(root)).catch(() => ({ inputs: undefined }))).inputs ?? {};
  if (t.samplePath === undefined && !Object.keys(samples).length) return undefined;
  const names = [...Object.keys(samples)];
  for (const v of t.variables) if (!names.includes(v.name) && /^[A-Za-z_]\w*$/.test(v.name)) names.push(v.name);
  return { names: names.slice(0, 50), samples };
}
