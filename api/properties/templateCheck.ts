import { type Template, parseTemplate, safeTemplateReason } from '../../packages/go-template/src/index.js';
import { TemplateParseError } from '../../packages/go-template/src/errors.js';
import { VALUES_TYPE } from '../../render/templateValueTypes.js';
import { PropertyValueError } from './values.js';

/** Field problems named in one message; more are summed up. */
const MAX_LISTED = 5;

/**
 * Checks a Go template held in a property (or a template Secret) at `validate` time: it must parse,
 * and every field it reads from the Values object must exist on its Go type (`.NodeClaim.metadata`
 * fails in Go as on the platform, so the message names the field probably meant). Messages keep
 * Go's `template: NAME:LINE:` form but not the text Go quotes: they also reach a Machine's failure,
 * and so workflow history, and the template may hold secrets.
 */
/**
 * A suggested path with only the Values types' field names in it: a variable's name is template
 * text, so `$key.Name` is said as `$….Name`.
 */
function ourNames(suggestion: string): string {
  return suggestion.replace(/^\$[A-Za-z0-9_]+/, '$…');
}

export function checkTemplateParses(name: string, text: string): void {
  let template: Template;
  try {
    template = parseTemplate(name, text);
  } catch (error) {
    if (!(error instanceof TemplateParseError)) throw error;
    const at = error.position ? `template: ${error.position.name}:${error.position.line}: ` : 'template: ';
    throw new PropertyValueError(`${at}${safeTemplateReason(error.reason)}`);
  }
  const problems = template.fieldProblems(VALUES_TYPE);
  if (problems.length === 0) return;
  const described = problems.slice(0, MAX_LISTED).map((p) => {
    const at = `template: ${p.position.name}:${p.position.line}:${p.position.col ?? 0}`;
    const meant = p.suggestion === undefined ? '' : `; did you mean ${ourNames(p.suggestion)}?`;
    return `${at}: ${safeTemplateReason(p.reason)}${meant}`;
  });
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
  throw new PropertyValueError(described.join('; ') + more);
}
