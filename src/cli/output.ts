/**
 * Where reports go: standard output, or a file written atomically (a crash leaves the old
 * file or the new one, never half of one).
 *
 * @module
 */
import { writeFileAtomic } from '../collect/index.js';
import { InputError } from './errors.js';

export async function writeOutput(out: string | undefined, text: string): Promise<void> {
  if (!out || out === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFileAtomic(out, text);
  } catch (err) {
    throw new InputError(`cannot write ${out}: ${(err as Error).message}`);
  }
}
