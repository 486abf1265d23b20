import type { SecretReference } from '../api/properties/values.js';
import { describeOrigin, type PropertyOrigin } from '../api/resolve/origin.js';
import type { MachineDataError } from './errors.js';
import type { TemplateValues } from './templateValues.js';
import { TemplateExecError, TemplateParseError, renderTemplate } from './template/index.js';

/**
 * A user-data or network-data document chosen from the properties: text used as written, or a Go
 * template (from a property or a template Secret) executed with the Values object.
 */
export interface PropertyDocument {
  readonly property: string;
  readonly origin: PropertyOrigin;
  readonly text: string;
  /** The name template errors carry (`template: NAME:…`); absent when the text is not a template. */
  readonly templateName?: string;
  /** The template Secret the text came from, as `namespace/name` or `name`. */
  readonly secret?: string;
}

/** Makes the typed error of the caller (user data or network data) for a property. */
export type DocumentFailure = (property: string, message: string) => MachineDataError;

/** `vcluster.com/user-data-template (set in node type "compute" annotations)`, for messages. */
export function describeDocument(document: PropertyDocument): string {
  const secret = document.secret === undefined ? '' : ` Secret "${document.secret}"`;
  return `${document.property} (set in ${describeOrigin(document.origin)})${secret}`;
}

export function formatSecretReference(reference: SecretReference): string {
  return reference.namespace === undefined ? reference.name : `${reference.namespace}/${reference.name}`;
}

/**
 * The document of a template Secret property; `text` is the template the caller read from that
 * Secret (see readTemplateSecret). Its absence is reported, never rendered as empty.
 */
export function templateSecretDocument(
  property: string,
  origin: PropertyOrigin,
  reference: SecretReference,
  text: string | undefined,
  fail: DocumentFailure,
): PropertyDocument {
  const secret = formatSecretReference(reference);
  if (text === undefined) {
    throw fail(
      property,
      `${property} (set in ${describeOrigin(origin)}) names the template Secret "${secret}", whose template was not provided`,
    );
  }
  return { property, origin, text, templateName: reference.name, secret };
}

/**
 * The document's text, its template executed with `values`. A template that fails to parse or
 * execute throws (Go's message, prefixed by the property it came from) and yields no partial output.
 */
export function renderPropertyDocument(
  document: PropertyDocument,
  values: TemplateValues,
  fail: DocumentFailure,
): string {
  if (document.templateName === undefined) return document.text;
  try {
    return renderTemplate(document.templateName, document.text, values);
  } catch (error) {
    if (error instanceof TemplateParseError || error instanceof TemplateExecError) {
      throw fail(document.property, `${describeDocument(document)}: ${error.message}`);
    }
    throw error;
  }
}
