import { describe, expect, it } from 'vitest';
import { imageEnvironment, imageEnvironmentOf } from '../../../bench/fleet/imageEnvironment.js';
import { projectRoot } from '../../../devstack/devstack.js';

describe('imageEnvironment', () => {
  it('reads the ENV NAME=value lines of a Dockerfile, the last of a name winning', () => {
    const dockerfile = ['FROM node', 'ENV NODE_ENV=production', '# ENV IGNORED=1', 'ENV A=1', 'env A=2', 'RUN true'];
    expect(imageEnvironment(dockerfile.join('\n'))).toEqual({ NODE_ENV: 'production', A: '2' });
  });

  it('refuses the forms it does not read, naming the line', () => {
    expect(() => imageEnvironment('FROM node\nENV A=1 B=2')).toThrow(/line 2: only "ENV NAME=value"/);
    expect(() => imageEnvironment('ENV A 1')).toThrow(/line 1/);
    expect(() => imageEnvironment('ENV A="x y"')).toThrow(/line 1/);
    expect(() => imageEnvironment('ENV A=$B')).toThrow(/line 1/);
  });

  it("is the project's image: production, two malloc arenas", () => {
    expect(imageEnvironmentOf(projectRoot)).toMatchObject({ NODE_ENV: 'production', MALLOC_ARENA_MAX: '2' });
  });
});
