import { mergeCloudConfig, type CloudConfigAdditions } from './cloudConfigMerge.js';
import { DocumentFormatError, UserDataError, userDataFailure } from './errors.js';
import { addMimePart, buildMultipart, type MimePart } from './mimeMultipart.js';
import { describeDocument, renderPropertyDocument, type PropertyDocument } from './propertyDocument.js';
import type { TemplateRunOptions } from './renderLimits.js';
import type { TemplateValues } from './templateValues.js';
import { userDataFormat } from './userDataFormat.js';

export interface UserDataInput {
  /** The document the render spec chose; absent: only the platform's additions. */
  readonly document?: PropertyDocument | undefined;
  readonly values: TemplateValues;
  readonly additions: CloudConfigAdditions;
  readonly run?: TemplateRunOptions | undefined;
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
 * A Machine's user data: the document of the first user-data property that is set (a template
 * executed with the Values object), with the platform's SSH keys and registration commands added. Cloud-config comes
 * back as one `#cloud-config` document; scripts and other formats as a MIME multipart document that
 * also carries the additions. Throws UserDataError naming the property at fault.
 */
export function renderUserData(input: UserDataInput): string {
  const { document } = input;
  // Leading blank lines (common in templates) would hide the header cloud-init looks for.
  const text = document
    ? renderPropertyDocument(document, input.values, userDataFailure, input.run).replace(/^\s*\n/, '')
    : '';
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
