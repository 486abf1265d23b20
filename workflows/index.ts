// The workflow bundle's entry point: every workflow the provisioning worker runs.
export { machineLifecycle } from './machineLifecycle.js';
