// Registers every cluster command (package.json declares them with icons, `when` clauses and the
// "Unit Fleet" category). One file per area.
import { registerConnectionCommands } from './connection';
import { registerDeployCommand } from './deploy';
import type { CommandDeps } from './guard';
import { registerKeyCommands } from './keys';
import { registerMachineCommands } from './machines';
import { registerUnitCommands } from './units';

export type { CommandDeps } from './guard';

export function registerClusterCommands(deps: CommandDeps): void {
  registerConnectionCommands(deps);
  registerDeployCommand(deps);
  registerUnitCommands(deps);
  registerMachineCommands(deps);
  registerKeyCommands(deps);
}
