/**
 * Documented, deliberate differences from Go. Each is checked exactly against what our engine
 * does, so a change in behaviour cannot slip by unnoticed.
 */
import { MAX_EXEC_DEPTH } from '../src/index.js';

export interface KnownDifference {
  reason: string;
  ours: { output?: string; error?: string; errorKind?: string };
}

/**
 * The one normalisation applied to Go's error messages: Go allows 100000 nested {{template}}
 * calls; a JavaScript stack does not, so our limit is MAX_EXEC_DEPTH and the message names it.
 */
export function normalizeGoError(msg: string): string {
  return msg.replace('exceeded maximum template depth (100000)', `exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
}

export const KNOWN_DIFFERENCES: Record<string, KnownDifference> = {
  '02-literals/invalid-utf8-len': {
    reason: 'JS strings cannot hold invalid UTF-8; "\\xff" decodes to U+FFFD (3 bytes), Go keeps 1 raw byte',
    ours: { output: '3' },
  },
  '07-printf/invalid-utf8-hex': {
    reason: 'JS strings cannot hold invalid UTF-8; "\\xff" decodes to U+FFFD',
    ours: { output: 'EFBFBD' },
  },
  '05-pipelines-templates/percent-in-template-name': {
    reason: 'Go garbles messages of templates whose name contains % (it uses the name in a format string); we do not',
    ours: {
      error:
        'template: names%percent:1:7: executing "names%percent" at <.str.x>: can\'t evaluate field x in type interface {}',
      errorKind: 'exec',
    },
  },
  '06-builtins/slice-beyond-len': {
    reason: "Go lets slice reach a slice's spare capacity (an artefact of how encoding/json grew it); ours has none",
    ours: {
      error: 'template: tpl:1:3: executing "tpl" at <slice .list 0 4>: error calling slice: index out of range: 4',
      errorKind: 'exec',
    },
  },
  '09-yaml/fromyaml-syntax-error': {
    reason: "fromYaml's Error text for malformed YAML comes from our YAML parser, not go-yaml's",
    ours: {
      output:
        'error converting YAML to JSON: yaml: line 1: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 5:',
    },
  },
  '26-sprig-crypto-semver-more/custom-cert-key-structure': {
    reason:
      "a key Go's encoding/asn1 cannot read fails here too, but Go's message names its reflection types; ours says what was expected",
    ours: {
      error:
        'template: tpl:1:3: executing "tpl" at <buildCustomCert .cert .keyGarbage>: error calling buildCustomCert: error parsing private key: parsing RSA private key from PEM: asn1: structure error: not a PKCS#1 RSA private key',
      errorKind: 'exec',
    },
  },
};
