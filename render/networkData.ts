import { parseYamlMapping } from '../api/properties/documents.js';
import { PropertyValueError } from '../api/properties/values.js';
import type { Lease } from '../ipam/lease.js';
import { NetworkDataError, networkDataFailure } from './errors.js';
import { generateNetworkData } from './generateNetworkData.js';
import { describeDocument, renderPropertyDocument, type PropertyDocument } from './propertyDocument.js';
import type { TemplateRunOptions } from './renderLimits.js';
import type { TemplateValues } from './templateValues.js';

export interface NetworkDataInput {
  /** The document the render spec chose; absent: generated from the lease, or DHCP without one. */
  readonly document?: PropertyDocument | undefined;
  readonly values: TemplateValues;
  /** The address IPAM allocated; the generated network data describes it. */
  readonly lease?: Lease | undefined;
  /** The boot NIC's MAC address, which the generated network data is keyed by. */
  readonly bootMacAddress?: string | undefined;
  /** The host's name, for the message when its boot MAC address is unknown; absent when there is no host. */
  readonly hostName?: string | undefined;
  readonly run?: TemplateRunOptions | undefined;
}

/**
 * A Machine's network data: the document the render spec chose (metal3.vcluster.com/network-data as
 * written, else vcluster.com/network-data-template, else the template Secret), else generated from the lease.
 * Undefined with no lease and none of those set: the host configures itself by DHCP. A document from
 * the properties must be a YAML or JSON mapping, which is what BMO accepts; it is passed on as written.
 * Throws NetworkDataError naming the property at fault.
 */
export function renderNetworkData(input: NetworkDataInput): string | undefined {
  const { document } = input;
  if (document === undefined) return generated(input);
  const text = renderPropertyDocument(document, input.values, networkDataFailure, input.run);
  try {
    parseYamlMapping(text);
  } catch (error) {
    if (!(error instanceof PropertyValueError)) throw error;
    const what = document.templateName === undefined ? 'network data' : 'rendered network data';
    throw new NetworkDataError(document.property, `${describeDocument(document)}: the ${what} ${error.message}`);
  }
  return text;
}

function generated(input: NetworkDataInput): string | undefined {
  if (input.lease === undefined) return undefined;
  if (input.bootMacAddress === undefined) {
    const reason =
      input.hostName === undefined
        ? 'no BareMetalHost was given to take it from'
        : `BareMetalHost "${input.hostName}" has no spec.bootMACAddress; set it`;
    throw new NetworkDataError(
      undefined,
      `generated network data is keyed by the boot NIC's MAC address, but ${reason}`,
    );
  }
  return generateNetworkData(input.lease, input.bootMacAddress);
}
