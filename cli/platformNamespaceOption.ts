import { InvalidArgumentError, Option } from 'commander';
import { isDnsLabel } from '../api/properties/values.js';
import { DEFAULT_PLATFORM_NAMESPACE } from '../api/resolve/secretReference.js';

/** Environment variable that sets --platform-namespace (e.g. to the namespace the platform runs in). */
export const PLATFORM_NAMESPACE_ENV = 'METAL3_PROVIDER_PLATFORM_NAMESPACE';

function namespaceArgument(value: string): string {
  if (!isDnsLabel(value)) throw new InvalidArgumentError(`"${value}" is not a namespace name (a DNS label)`);
  return value;
}

/** One flag for every command that resolves Secret references, so they all apply the same rule. */
export function platformNamespaceOption(): Option {
  return new Option(
    '--platform-namespace <namespace>',
    'namespace of the platform: a bare Secret name in a property (join Secret, template Secrets) is looked up ' +
      'here, and only node types may name it as "<namespace>/<name>"',
  )
    .env(PLATFORM_NAMESPACE_ENV)
    .argParser(namespaceArgument)
    .default(DEFAULT_PLATFORM_NAMESPACE);
}
