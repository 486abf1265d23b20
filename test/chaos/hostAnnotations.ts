import { SIM_ANNOTATION_PREFIX } from '../../sim/settings.js';

/** Simulator annotations the faults set and the operator side of the driver clears. */
export const FAULT_ANNOTATIONS = [`${SIM_ANNOTATION_PREFIX}fail-provisioning`, `${SIM_ANNOTATION_PREFIX}hang`];
