import { cloneElement, isValidElement, useId } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { ApiProblem, messageOf } from '../api/problem';

/**
 * A labelled form field. `error` is the API's message for this field (a 400 puts it beside the field); the control
 * gets aria-invalid and aria-describedby so a screen reader reads it too.
 */
export function Field(props: { label: string; error?: string | undefined; hint?: string; children: ReactElement<Record<string, unknown>> }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : '', props.error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(props.children)
    ? cloneElement(props.children, { id, 'aria-invalid': props.error ? true : undefined, 'aria-describedby': describedBy })
    : props.children;
  return (
    <div className={props.error ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      )}
      {control}
      {props.error && (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The field errors of a failed request: `fieldError(error, 'windows')` matches `windows` and `windows.0.start`. */
export function fieldError(error: unknown, ...paths: string[]): string | undefined {
  if (!(error instanceof ApiProblem)) return undefined;
  const hits = Object.entries(error.fields).filter(([p]) => paths.some((q) => p === q || p.startsWith(`${q}.`)));
  return hits.length ? hits.map(([, m]) => m).join('; ') : undefined;
}

/** A request's failure as a whole: 409 says someone changed it meanwhile; fields that no input shows are listed. */
export function ProblemAlert(props: { error: unknown; shownFields?: string[]; onReload?: () => void }) {
  if (!props.error) return null;
  const problem = props.error instanceof ApiProblem ? props.error : undefined;
  const unshown = problem
    ? Object.entries(problem.fields).filter(([p]) => !(props.shownFields ?? []).some((q) => p === q || p.startsWith(`${q}.`)))
    : [];
  return (
    <div className="alert" role="alert">
      <p>{messageOf(props.error)}</p>
      {unshown.length > 0 && (
        <ul>
          {unshown.map(([p, m]) => (
            <li key={p}>
              {p}: {m}
            </li>
          ))}
        </ul>
      )}
      {problem?.isConflict && props.onReload && (
        <p>
          Det du har skrivit finns kvar.{' '}
          <button type="button" onClick={props.onReload}>
            Visa det senaste
          </button>
        </p>
      )}
    </div>
  );
}

export function Notice(props: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {props.children}
    </p>
  );
}

/** A dialog form's own buttons: the submit (with what it says while the request is under way) and *Avbryt*. */
export function FormActions(props: { pending: boolean; label: string; pendingLabel?: string; danger?: boolean; onCancel: () => void }) {
  return (
    <div className="actions">
      <button type="submit" className={props.danger ? 'danger' : undefined} disabled={props.pending}>
        {props.pending && props.pendingLabel ? props.pendingLabel : props.label}
      </button>
      <button type="button" className="ghost" onClick={props.onCancel}>
        Avbryt
      </button>
    </div>
  );
}
