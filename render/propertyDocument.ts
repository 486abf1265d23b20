import type { SecretReference } from '../api/properties/values.js';
import { describeOrigin, type PropertyOrigin } from '../api/resolve/origin.js';
import { RenderLimitError, type MachineDataError } from './errors.js';
import type { TemplateRunOptions } from './renderLimits.js';
import type { TemplateValues } from './templateValues.js';
import {
  TemplateError,
  TemplateLimitError,
  parseTemplate,
  safeTemplateReason,
} from '../packages/go-template/src/index.js';

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

/** Makes the typed error of the caller (user data or network data) for a property; see MachineDataError. */
export type DocumentFailure = (property: string, message: string, detail?: string) => MachineDataError;

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
 * A template error as a MachineDataError: the message names the document's source and the position
 * (`NAME:LINE:COL`, NAME being the property key or the template Secret's name) and gives Go's reason
 * without the text it quotes; `detail` keeps Go's whole message for the terminal.
 */
function templateFailure(document: PropertyDocument, error: TemplateError, fail: DocumentFailure): MachineDataError {
  const subject = describeDocument(document);
  const position = error.position;
  const at =
    position === undefined
      ? ''
      : ` at ${position.name}:${position.line}${position.col === undefined ? '' : `:${position.col}`}`;
  const message = `${subject}${at}: ${safeTemplateReason(error.reason)}`;
  const detail = `${subject}: ${error.message}`;
  if (error instanceof TemplateLimitError) return new RenderLimitError(document.property, error.limit, message, detail);
  return fail(document.property, message, detail);
}

/**
 * The document's text, its template executed with `values` within the limits of `options`. A
 * template that fails to parse, to execute or within its limits throws (see templateFailure) and
 * yields no partial output.
 */
export function renderPropertyDocument(
  document: PropertyDocument,
  values: TemplateValues,
  fail: DocumentFailure,
  options: TemplateRunOptions = {},
): string {
  const templateName = document.templateName;
  if (templateName === undefined) return document.text;
  const checkpoint = options.startDocument?.({
    property: document.property,
    description: describeDocument(document),
    templateName,
  });
  try {
    return parseTemplate(templateName, document.text).execute(values, {
      ...(options.maxSteps !== undefined && { maxSteps: options.maxSteps }),
      ...(options.maxOutputBytes !== undefined && { maxOutputBytes: options.maxOutputBytes }),
      ...(checkpoint !== undefined && { checkpoint }),
      ...(options.checkpointSteps !== undefined && { checkpointSteps: options.checkpointSteps }),
    });
  } catch (error) {
    if (error instanceof TemplateError) throw templateFailure(document, error, fail);
    throw error;
  }
}
