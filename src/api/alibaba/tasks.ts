/**
 * The `Tasks` list of a DetectLivingFace form body, as the SDKs flatten it: `Tasks.N.ImageURL` and
 * `Tasks.N.ImageData`, N from 1, at most 10 tasks. ImageURL wins over ImageData when both are
 * given (the vendor's rule). Other form fields are ignored, as the gateway ignores unknown ones.
 */
import { FaceliveError } from '../../errors/catalogue.js';
import type { ImageInput } from '../image-input.js';

/** The vendor's limit of tasks per call. */
export const MAX_TASKS = 10;

const TASK_FIELD = /^Tasks\.([1-9]\d{0,2})\.(ImageURL|ImageData)$/;

/** One task: its image, and the URL to echo in its answer (empty for ImageData). */
export interface LivingFaceTask {
  readonly index: number;
  readonly input: ImageInput;
  readonly imageUrl: string;
}

/**
 * The tasks of a form, in index order, or a catalogue error: ARGUMENT_MISSING (no task),
 * INVALID_ARGUMENT (a `Tasks…` field of another shape, a field given twice, more than 10 tasks),
 * IMAGE_EMPTY (a task whose fields are both empty).
 *
 * @example
 * tasksOf(new URLSearchParams('Tasks.1.ImageData=%2F9j%2F4AAQ')); // [{ index: 1, input: { kind: 'base64', … }, imageUrl: '' }]
 */
export function tasksOf(form: URLSearchParams): LivingFaceTask[] {
  const fields = new Map<number, { ImageURL?: string; ImageData?: string }>();
  for (const [name, value] of form) {
    if (name !== 'Tasks' && !name.startsWith('Tasks.')) continue;
    const match = TASK_FIELD.exec(name);
    if (!match) {
      throw new FaceliveError('INVALID_ARGUMENT', {
        field: name.slice(0, 64),
        expected: 'Tasks.N.ImageURL or Tasks.N.ImageData, N from 1',
        received: 'a field of another shape',
      });
    }
    const index = Number(match[1]);
    const key = match[2] as 'ImageURL' | 'ImageData';
    const task = fields.get(index) ?? {};
    if (task[key] !== undefined) throw new FaceliveError('INVALID_ARGUMENT', { field: name, expected: 'one value', received: 'the field twice' });
    task[key] = value;
    fields.set(index, task);
  }
  if (fields.size === 0) throw new FaceliveError('ARGUMENT_MISSING', { field: 'Tasks', expected: 'Tasks.1.ImageURL or Tasks.1.ImageData' });
  if (fields.size > MAX_TASKS)
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'Tasks', expected: `at most ${MAX_TASKS} tasks`, received: `${fields.size} tasks` });
  return [...fields.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, task]) => {
      if (task.ImageURL) return { index, input: { kind: 'url', field: `Tasks.${index}.ImageURL`, url: task.ImageURL }, imageUrl: task.ImageURL };
      // A `+` sent unescaped arrives as a space; base64 has no spaces, so it can only be a `+`.
      if (task.ImageData)
        return { index, input: { kind: 'base64', field: `Tasks.${index}.ImageData`, value: task.ImageData.replace(/ /g, '+') }, imageUrl: '' };
      throw new FaceliveError('IMAGE_EMPTY', { field: `Tasks.${index}.${task.ImageData === undefined ? 'ImageURL' : 'ImageData'}` });
    });
}
