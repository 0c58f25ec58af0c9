// Prompt files → PromptSpec + diagnostics. Never throws: every problem is a Diagnostic on its line.
import type { Diagnostic, PromptSpec } from './types';

export type { Diagnostic, PromptSpec } from './types';

export interface ParseResult {
  spec?: PromptSpec;
  diagnostics: Diagnostic[];
}

export function parsePromptFile(path: string, text: string): ParseResult {
  void path;
  void text;
  return { diagnostics: [{ severity: 'error', message: 'not implemented yet', line: 1 }] };
}
