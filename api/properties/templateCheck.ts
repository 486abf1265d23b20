import { parseTemplate } from '../../render/template/index.js';
import { TemplateParseError } from '../../render/template/errors.js';
import { PropertyValueError } from './values.js';

/** Parses a Go template held in a property so that syntax errors surface at `validate` time. */
export function checkTemplateParses(name: string, text: string): void {
  try {
    parseTemplate(name, text);
  } catch (error) {
    if (error instanceof TemplateParseError) throw new PropertyValueError(error.message);
    throw error;
  }
}
