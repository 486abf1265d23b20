import { PropertyKeys } from '../api/properties/keys.js';
import type { EffectiveProperties } from '../api/resolve/origin.js';
import { resolveUserDataSource } from '../api/resolve/sources.js';
import { mergeCloudConfig, type CloudConfigAdditions } from './cloudConfigMerge.js';
import { DocumentFormatError, UserDataError } from './errors.js';
import { addMimePart, buildMultipart, type MimePart } from './mimeMultipart.js';
import {
  describeDocument,
  renderPropertyDocument,
  templateSecretDocument,
  type DocumentFailure,
  type PropertyDocument,
} from './propertyDocument.js';
import type { TemplateRunOptions } from './renderLimits.js';
import type { TemplateValues } from './templateValues.js';
import { userDataFormat } from './userDataFormat.js';

export interface UserDataInput {
  readonly effective: EffectiveProperties;
  readonly values: TemplateValues;
  /** The template of the Secret vcluster.com/user-data-template-secret names, when that is the source. */
  readonly templateSecretText?: string | undefined;
  readonly additions: CloudConfigAdditions;
  readonly run?: TemplateRunOptions | undefined;
}

const fail: DocumentFailure = (property, message, detail) => new UserDataError(property, message, detail);

/** The spec's order: vcluster.com/user-data, then -template, then -template-secret; none: undefined. */
function chooseUserData(effective: EffectiveProperties, secretText: string | undefined): PropertyDocument | undefined {
  const source = resolveUserDataSource(effective);
  switch (source.kind) {
    case 'inline':
      return { property: PropertyKeys.userData, origin: source.origin, text: source.cloudConfig };
    case 'template':
      return {
        property: PropertyKeys.userDataTemplate,
        origin: source.origin,
        text: source.template,
        templateName: PropertyKeys.userDataTemplate,
      };
    case 'templateSecret':
      return templateSecretDocument(
        PropertyKeys.userDataTemplateSecret,
        source.origin,
        source.secret,
        secretText,
        fail,
      );
    case 'generated':
      return undefined;
  }
}

/**
 * The cloud-config part carrying only the platform's additions. Merge-Type makes cloud-init append
 * its lists to those of the user's cloud-config parts instead of replacing them (its default), so
 * the registration commands run after the user's runcmd.
 */
function additionsPart(additions: CloudConfigAdditions): MimePart {
  return {
    contentType: 'text/cloud-config',
    filename: 'metal3-provider.cfg',
    body: mergeCloudConfig(undefined, additions),
    headers: { 'Merge-Type': 'list(append)+dict(recurse_array)+str()' },
  };
}

/** The user's text with the platform's additions, in the form its format calls for. */
function combine(text: string, additions: CloudConfigAdditions): string {
  const format = userDataFormat(text);
  const nothingToAdd = additions.sshAuthorizedKeys.length === 0 && additions.runcmd.length === 0;
  switch (format.kind) {
    case 'empty':
      return mergeCloudConfig(undefined, additions);
    case 'cloudConfig':
      return mergeCloudConfig(text, additions);
    case 'mime':
      return nothingToAdd ? text : addMimePart(text, additionsPart(additions));
    case 'part':
      // Scripts run from cloud-init's scripts-user stage in name order: part-001 before runcmd.
      return nothingToAdd
        ? text
        : buildMultipart([
            { contentType: format.contentType, filename: 'part-001', body: text },
            additionsPart(additions),
          ]);
  }
}

/**
 * A Machine's user data: the first user-data property that is set (a template executed with the
 * Values object), with the platform's SSH keys and registration commands added. Cloud-config comes
 * back as one `#cloud-config` document; scripts and other formats as a MIME multipart document that
 * also carries the additions. Throws UserDataError naming the property at fault.
 */
export function renderUserData(input: UserDataInput): string {
  const document = chooseUserData(input.effective, input.templateSecretText);
  // Leading blank lines (common in templates) would hide the header cloud-init looks for.
  const text = document ? renderPropertyDocument(document, input.values, fail, input.run).replace(/^\s*\n/, '') : '';
  try {
    return combine(text, input.additions);
  } catch (error) {
    if (!(error instanceof DocumentFormatError)) throw error;
    const subject = document ? describeDocument(document) : 'the generated user data';
    const what = document?.templateName === undefined ? 'user data' : 'rendered user data';
    const hint = userDataFormat(text).kind === 'cloudConfig' && !text.startsWith('#') ? headerHint : '';
    throw new UserDataError(document?.property, `${subject}: the ${what} ${error.message}${hint}`);
  }
}

const headerHint = '; start cloud-config with #cloud-config, and scripts with #!';
