import { CliError, type CliCommand } from './io';

// Placeholder until the count command lands; replaced by its owner.
export const countCommand: CliCommand = async () => {
  throw new CliError('count: not available in this build');
};
