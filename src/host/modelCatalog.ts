// The model table as the user configured it: built-in rows plus `promptCacheLab.models`
// overrides. Invalid overrides are reported once per change and skipped, never guessed at.
import * as vscode from 'vscode';
import type { ModelInfo, ModelTable, TokenizerGeneration } from '../core/models/types';
import { createModelTable } from '../core/models/table';
import { parseModelOverrides } from '../core/models/overrides';
import { calibrationFactor } from '../core/tokens/estimate';
import { readSettings } from './config';
import type { CalibrationStore } from './calibrationStore';
import type { Logger } from './log';

export class ModelCatalog {
  private table: ModelTable;
  private overrideErrors: string[] = [];

  constructor(
    private readonly log: Logger,
    private readonly calibration: CalibrationStore,
  ) {
    this.table = this.build();
  }

  reload(): void {
    this.table = this.build();
  }

  get errors(): readonly string[] {
    return this.overrideErrors;
  }

  resolve(id: string): ModelInfo {
    return this.table.resolve(id);
  }

  tryResolve(id: string): ModelInfo | undefined {
    return this.table.tryResolve(id);
  }

  get modelTable(): ModelTable {
    return this.table;
  }

  /** Always reads the current table: for long-lived users (backends) that must see setting changes. */
  readonly live: ModelTable = {
    resolve: (id) => this.table.resolve(id),
    tryResolve: (id) => this.table.tryResolve(id),
    all: () => this.table.all(),
  };

  /** Calibration factor for a model's tokenizer; unknown models use the default model's. */
  factorFor(model: ModelInfo | undefined): number {
    const fallback = this.table.tryResolve(readSettings().defaultModel)?.tokenizer ?? ('claude-2026' as TokenizerGeneration);
    return calibrationFactor(model?.tokenizer ?? fallback, this.calibration.calibration);
  }

  private build(): ModelTable {
    const { overrides, errors } = parseModelOverrides(readSettings().models, 'setting promptCacheLab.models');
    this.overrideErrors = errors;
    if (errors.length) {
      for (const e of errors) this.log.warn(e);
      void vscode.window
        .showWarningMessage(`Prompt Cache Lab: ${errors.length} problem(s) in promptCacheLab.models: ${errors[0]}`, 'Open Settings')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'promptCacheLab.models');
        });
    }
    return createModelTable(overrides);
  }
}
