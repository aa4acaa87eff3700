import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// `make test` runs every suite in parallel on two cores, where a first
// render of a Backstage page can take seconds: the findBy* queries and the
// tests get room for that (the defaults are 1 s and 5 s).
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
