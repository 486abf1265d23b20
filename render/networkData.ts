import { PropertyKeys } from '../api/properties/keys.js';
import { parseYamlMapping } from '../api/properties/documents.js';
import { PropertyValueError } from '../api/properties/values.js';
import type { EffectiveProperties } from '../api/resolve/origin.js';
import { resolveNetworkDataSource } from '../api/resolve/sources.js';
import type { Lease } from '../ipam/lease.js';
import { NetworkDataError } from './errors.js';
import { generateNetworkData } from './generateNetworkData.js';
import {
  describeDocument,
  renderPropertyDocument,
  templateSecretDocument,
  type DocumentFailure,
  type PropertyDocument,
} from './propertyDocument.js';
import type { TemplateRunOptions } from './renderLimits.js';
import type { TemplateValues } from './templateValues.js';

export interface NetworkDataInput {
  readonly effective: EffectiveProperties;
  readonly values: TemplateValues;
  /** The template of the Secret vcluster.com/network-data-template-secret names, when that is the source. */
  readonly templateSecretText?: string | undefined;
  /** The address IPAM allocated; the generated network data describes it. */
  readonly lease?: Lease | undefined;
  /** The boot NIC's MAC address, which the generated network data is keyed by. */
  readonly bootMacAddress?: string | undefined;
  /** The host's name, for the message when its boot MAC address is unknown; absent when there is no host. */
  readonly hostName?: string | undefined;
  readonly run?: TemplateRunOptions | undefined;
}

const fail: DocumentFailure = (property, message, detail) => new NetworkDataError(property, message, detail);

/**
 * A Machine's network data in the spec's order: metal3.vcluster.com/network-data as written, else
 * vcluster.com/network-data-template, else the template Secret, else generated from the lease.
 * Undefined with no lease and none of those set: the host configures itself by DHCP. A document from
 * the properties must be a YAML or JSON mapping, which is what BMO accepts; it is passed on as written.
 * Throws NetworkDataError naming the property at fault.
 */
export function renderNetworkData(input: NetworkDataInput): string | undefined {
  const source = resolveNetworkDataSource(input.effective);
  let document: PropertyDocument;
  switch (source.kind) {
    case 'inline':
      document = { property: PropertyKeys.networkData, origin: source.origin, text: source.networkData };
      break;
    case 'template':
      document = {
        property: PropertyKeys.networkDataTemplate,
        origin: source.origin,
        text: source.template,
        templateName: PropertyKeys.networkDataTemplate,
      };
      break;
    case 'templateSecret':
      document = templateSecretDocument(
        PropertyKeys.networkDataTemplateSecret,
        source.origin,
        source.secret,
        input.templateSecretText,
        fail,
      );
      break;
    case 'generated':
      return generated(input);
  }
  const text = renderPropertyDocument(document, input.values, fail, input.run);
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
