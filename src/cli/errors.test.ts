import { describe, expect, it, vi } from 'vitest';
import { InputError } from './errors.js';

describe('InputError', () => {
  it('is recognised across copies of its module (collect runs from its own bundle, issue 8)', async () => {
    vi.resetModules();
    const other = await import('./errors.js');
    expect(other.InputError).not.toBe(InputError);
    expect(new other.InputError('bad flag') instanceof InputError).toBe(true);
    expect(new InputError('bad flag') instanceof other.InputError).toBe(true);
  });

  it('is not any error', () => {
    expect(new Error('x') instanceof InputError).toBe(false);
    expect(null instanceof InputError).toBe(false);
    expect({ name: 'InputError', message: 'x' } instanceof InputError).toBe(false);
  });

  it('keeps the ordinary test for a subclass', () => {
    class Narrower extends InputError {}
    expect(new Narrower('x') instanceof InputError).toBe(true);
    expect(new Narrower('x') instanceof Narrower).toBe(true);
    expect(new InputError('x') instanceof Narrower).toBe(false);
  });
});
