import { fleetFileRule } from './fleetShared';

/** `data@.mount`: systemd instantiates only service, socket, target, timer and path templates. */
export const fleetTemplateType = fleetFileRule({
  code: 'fleet-template-type',
  problem: 'template-type',
  defaultSeverity: 'error',
  description: 'A template unit (foo@.type) of a type systemd cannot instantiate: only path, service, socket, target and timer templates work.',
});
