import { CliError, type CliCommand } from './io';

// Placeholder until the emulator command lands; replaced by its owner.
export const emulatorCommand: CliCommand = async () => {
  throw new CliError('emulator: not available in this build');
};
