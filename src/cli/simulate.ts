import { CliError, type CliCommand } from './io';

// Placeholder until the simulate command lands; replaced by its owner.
export const simulateCommand: CliCommand = async () => {
  throw new CliError('simulate: not available in this build');
};
