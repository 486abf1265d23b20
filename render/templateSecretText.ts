import { TEMPLATE_SECRET_KEY, secretValue, templateSecretProblems, type Secret } from '../api/templateSecret.js';
import { formatIssue } from '../api/issues.js';
import { MachineDataError } from './errors.js';

/**
 * The template a user-data or network-data template Secret holds, once the Secret passes the spec's
 * rules (the vcluster.com/user-data-template-type label, the `template` key, a template that parses).
 * `property` is the key that named the Secret; it heads the error message.
 */
export function readTemplateSecret(secret: Secret, property: string): string {
  const problems = templateSecretProblems(secret);
  const text = secretValue(secret, TEMPLATE_SECRET_KEY);
  if (problems.length > 0 || text === undefined) {
    const { namespace, name } = secret.metadata;
    const reference = namespace === undefined ? name : `${namespace}/${name}`;
    const reasons = problems.map(formatIssue).join('; ');
    throw new MachineDataError(
      property,
      `the template Secret "${reference}" named by ${property} is unusable: ${reasons}`,
    );
  }
  return text;
}
