import { CliError, type CliCommand } from './io';

// Placeholder until the cost command lands; replaced by its owner.
export const costCommand: CliCommand = async () => {
  throw new CliError('cost: not available in this build');
};
