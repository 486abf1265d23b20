import { z } from 'zod';

/** A label name, or the name part of a key: Kubernetes' qualified-name rule. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME_RULE = 'at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';

/** Why `key` is not a label key as the apiserver accepts one; undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  const quoted = JSON.stringify(key);
  if (key === '') return 'must not be empty';
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `${quoted} is not a valid label key: its prefix ${JSON.stringify(prefix)} must be a DNS subdomain (lower-case letters, digits, "-" and ".", e.g. "example.com")`;
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    return `${quoted} is not a valid label key: ${name === '' ? 'the name after the prefix is empty' : `the name must be ${NAME_RULE}`}`;
  }
  return undefined;
}

const LabelKey = z.string().superRefine((key, ctx) => {
  const message = labelKeyProblem(key);
  if (message !== undefined) ctx.addIssue({ code: 'custom', message });
});

/** Whether `value` is a label value as the apiserver accepts one (the empty value is one). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

const LabelValue = z.string().refine(isLabelValue, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid label value; use ${NAME_RULE}`,
});

/** A Kubernetes label selector, as node types use it to pick BareMetalHosts. */
export const LabelSelectorOperator = z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']);

export const LabelSelectorRequirement = z
  .strictObject({
    key: LabelKey,
    operator: LabelSelectorOperator,
    values: z.array(LabelValue).optional(),
  })
  .superRefine((requirement, ctx) => {
    const count = requirement.values?.length ?? 0;
    const needsValues = requirement.operator === 'In' || requirement.operator === 'NotIn';
    if (needsValues && count === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `operator ${requirement.operator} needs at least one value`,
      });
    }
    if (!needsValues && count > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `operator ${requirement.operator} takes no values; remove them`,
      });
    }
  });
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirement>;

export const LabelSelector = z.strictObject({
  matchLabels: z
    .record(z.string(), LabelValue)
    .superRefine((labels, ctx) => {
      // Checked here rather than as the record's key schema, so the issue's path is the key itself.
      for (const key of Object.keys(labels)) {
        const message = labelKeyProblem(key);
        if (message !== undefined) ctx.addIssue({ code: 'custom', path: [key], message });
      }
    })
    .optional(),
  matchExpressions: z.array(LabelSelectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

function requirementMatches(requirement: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && (requirement.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(requirement.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/** Kubernetes semantics: every matchLabels entry and every expression must hold; an empty selector matches all. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>> = {}): boolean {
  const labelsMatch = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return labelsMatch && (selector.matchExpressions ?? []).every((r) => requirementMatches(r, labels));
}
