import { parseTemplate, safeTemplateReason } from '../../render/template/index.js';
import { TemplateParseError } from '../../render/template/errors.js';
import { PropertyValueError } from './values.js';

/**
 * Parses a Go template held in a property so that syntax errors surface at `validate` time. The
 * message keeps Go's `template: NAME:LINE:` form but not the text Go quotes: it also reaches a
 * Machine's failure, and so workflow history, and the template may hold secrets.
 */
export function checkTemplateParses(name: string, text: string): void {
  try {
    parseTemplate(name, text);
  } catch (error) {
    if (!(error instanceof TemplateParseError)) throw error;
    const at = error.position ? `template: ${error.position.name}:${error.position.line}: ` : 'template: ';
    throw new PropertyValueError(`${at}${safeTemplateReason(error.reason)}`);
  }
}
