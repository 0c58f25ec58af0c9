import type { CacheTtl } from '../../shared/anthropic';
import type { TemplateEngine, TemplateInputs, TemplateVariable } from './template';

export type Severity = 'error' | 'warning' | 'info';

/** A problem in a prompt file, located on the exact line (1-based) that causes it. */
export interface Diagnostic {
  severity: Severity;
  message: string;
  line: number;
  /** 1-based column when known. */
  column?: number;
  /** The front-matter key the problem belongs to, when there is one. */
  key?: string;
  /** Workspace-relative file the line belongs to when it is not the prompt file (e.g. the tools JSON). */
  file?: string;
  /** 1-based column just after the offending text, when known (the editor underlines column..endColumn). */
  endColumn?: number;
  /** Stable id of the kind of problem, e.g. `unknown-key`, `bad-ttl`, `cache-lint/variable-in-prefix` (for quick fixes and `check --json`). */
  code?: string;
  /** Edits that would fix it, best first: replace line `line`, columns column..endColumn, with `replacement`. */
  fixes?: DiagnosticFix[];
}

export interface DiagnosticFix {
  title: string;
  line: number;
  column: number;
  endColumn: number;
  replacement: string;
}

export type PromptFormat = 'markdown' | 'prompty';

/** Tier-2 context declaration: documents placed after the instructions. */
export interface ContextSpec {
  ttl: CacheTtl;
  /** Whether `ttl` was written in the file (false: defaulted). */
  ttlExplicit: boolean;
  /** Paths or globs, relative to the prompt file's folder. */
  files: string[];
  /** Per entry of `files`, the 1-based line that names it. */
  fileLines: number[];
  /** Per entry of `files`, its exact span (column..endColumn) when known. */
  fileSpans?: Span[];
}

/** A position in the prompt file: 1-based line and column, endColumn just after the text. */
export interface Span {
  line: number;
  column: number;
  endColumn?: number;
}

/** How the body was rendered (Prompty, or a Markdown prompt that opted in with `template:`). */
export interface TemplateInfo {
  engine: TemplateEngine;
  /** Variables the system prompt reads, on their lines in the file. */
  variables: TemplateVariable[];
  /** The values it was rendered with: the `inputs` override, else the file's `sample:`. */
  inputs: TemplateInputs;
  /** `sample:` given as a file path (loaded by the pipeline, which has file access). */
  samplePath?: string;
  /** The system prompt before rendering. */
  source: string;
}

/** Request parameters a prompt file may set (passed through to the request body). */
export interface PromptParams {
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
}

export interface PromptSpec extends PromptParams {
  id: string;
  path: string;
  format: PromptFormat;
  model?: string;
  /** Tier-1 (tools + system instructions) cache lifetime. */
  ttl: CacheTtl;
  /** Whether `ttl` was written in the file (false: the 5m default). */
  ttlExplicit: boolean;
  /** Path of the tools JSON, relative to the prompt file's folder. */
  tools?: string;
  /** Mock results for the prompt's own tools in agent turns (JSON/YAML), relative to the prompt file's folder. */
  toolResults?: string;
  context?: ContextSpec;
  /** The system prompt (markdown body, or the prompty `system:` section). */
  body: string;
  /** 1-based line in the file where `body` starts. */
  bodyStartLine: number;
  /** sha256 (hex, 16 chars) of the whole file text: changes whenever anything in it changes. */
  contentHash: string;
  /** 1-based line of each top-level front-matter key, so later diagnostics can point at it. */
  keyLines: Record<string, number>;
  /** Exact span of scalar values diagnostics may point at later (tools, model, sample). */
  valueSpans?: Record<string, Span>;
  template?: TemplateInfo;
}
