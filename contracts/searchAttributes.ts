import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes of Machine workflows. Operators filter on them in the Web UI
 * (`MachinePhase="Stuck"`); the devstack and `metal3-provider temporal setup` register them.
 */
export const MachinePhaseKey = defineSearchAttributeKey('MachinePhase', SearchAttributeType.KEYWORD);
export const MachineNameKey = defineSearchAttributeKey('MachineName', SearchAttributeType.KEYWORD);
export const NodeProviderKey = defineSearchAttributeKey('NodeProvider', SearchAttributeType.KEYWORD);
export const NodeTypeKey = defineSearchAttributeKey('NodeType', SearchAttributeType.KEYWORD);
export const BareMetalHostKey = defineSearchAttributeKey('BareMetalHost', SearchAttributeType.KEYWORD);
export const MachineAddressKey = defineSearchAttributeKey('MachineAddress', SearchAttributeType.KEYWORD);
/** When the phase last changed: the NodeClaim controller asks for Machines changed since its last look. */
export const MachinePhaseChangedAtKey = defineSearchAttributeKey('MachinePhaseChangedAt', SearchAttributeType.DATETIME);

export const customSearchAttributes = [
  MachinePhaseKey,
  MachineNameKey,
  NodeProviderKey,
  NodeTypeKey,
  BareMetalHostKey,
  MachineAddressKey,
  MachinePhaseChangedAtKey,
] as const;
