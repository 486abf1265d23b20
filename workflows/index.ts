// The workflow bundle's entry point: every workflow of both workers (each polls its own task queue).
export { machineLifecycle } from './machineLifecycle.js';
export { fleetReclaim } from './fleetReclaim.js';
export { deployInfrastructure } from './deployInfrastructure.js';
